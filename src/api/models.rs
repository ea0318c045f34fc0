//! Objects other than backup jobs: schedules, destinations and account filter
//! groups, as the API returns them, plus the `{<collection>: […], total}` list
//! page.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::lenient;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScheduleJobRef {
    #[serde(rename = "_id", deserialize_with = "lenient::string")]
    pub id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub name: String,
}

/// A schedule object. `type_data` depends on the type (an interval, a list of
/// days, or the ID of the job to follow), so it stays raw JSON.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Schedule {
    #[serde(rename = "_id", deserialize_with = "lenient::string")]
    pub id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub name: String,
    #[serde(rename = "type", deserialize_with = "lenient::i64")]
    pub schedule_type: i64,
    #[serde(deserialize_with = "lenient::string")]
    pub type_name: String,
    pub type_data: Value,
    #[serde(deserialize_with = "lenient::i64")]
    pub delay_type: i64,
    #[serde(deserialize_with = "lenient::i64")]
    pub delay_amount: i64,
    #[serde(
        deserialize_with = "lenient::bool",
        serialize_with = "lenient::bool_as_int"
    )]
    pub delay: bool,
    #[serde(deserialize_with = "lenient::string")]
    pub owner: String,
    #[serde(deserialize_with = "lenient::string")]
    pub owner_name: String,
    #[serde(deserialize_with = "lenient::i64")]
    pub count: i64,
    #[serde(deserialize_with = "lenient::object_list")]
    pub jobs: Vec<ScheduleJobRef>,
}

/// Display names of destination type keys, as `listDestinationTypes` shows
/// them (seen on a 5.3 server; plugins may add others).
const DESTINATION_TYPE_NAMES: &[(&str, &str)] = &[
    ("Localv2", "Local"),
    ("Local", "Local (Legacy)"),
    ("Clones", "SSH"),
    ("S3", "S3 Compatible"),
    ("SSH", "SSH (Legacy)"),
];

/// The display name of a destination type key, when known.
pub fn destination_type_name(key: &str) -> Option<&'static str> {
    DESTINATION_TYPE_NAMES
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, name)| *name)
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Destination {
    #[serde(rename = "_id", deserialize_with = "lenient::string")]
    pub id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub name: String,
    #[serde(rename = "type", deserialize_with = "lenient::string")]
    pub dest_type: String,
    /// The type's display name: sent by 5.4, absent from 5.3 replies.
    #[serde(
        deserialize_with = "lenient::string",
        skip_serializing_if = "String::is_empty"
    )]
    pub type_name: String,
    #[serde(deserialize_with = "lenient::string")]
    pub owner: String,
    #[serde(deserialize_with = "lenient::string")]
    pub owner_name: String,
    #[serde(deserialize_with = "lenient::i64")]
    pub job_type: i64,
    #[serde(deserialize_with = "lenient::i64")]
    pub count: i64,
    #[serde(
        deserialize_with = "lenient::bool",
        serialize_with = "lenient::bool_as_int"
    )]
    pub disabled: bool,
    #[serde(
        deserialize_with = "lenient::bool",
        serialize_with = "lenient::bool_as_int"
    )]
    pub readonly: bool,
    #[serde(deserialize_with = "lenient::i64")]
    pub threads: i64,
    /// Free-disk limit in percent, 0 = off.
    #[serde(deserialize_with = "lenient::i64")]
    pub disk_limit: i64,
    /// Type-specific settings; secrets in it come back masked (`JB|HIDDEN|…`).
    pub options: Value,
    #[serde(
        deserialize_with = "lenient::bool",
        serialize_with = "lenient::bool_as_int"
    )]
    pub hidden: bool,
    #[serde(
        deserialize_with = "lenient::bool",
        serialize_with = "lenient::bool_as_int"
    )]
    pub dr: bool,
    /// `{usage, free, total}` in bytes, or empty when not measured.
    pub disk_usage: Value,
}

/// An account filter (`getAccountFilter`). Only the settings of its own
/// type are present in the server's replies.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AccountFilter {
    #[serde(rename = "_id", deserialize_with = "lenient::string")]
    pub id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub group_id: String,
    #[serde(rename = "type", deserialize_with = "lenient::i64")]
    pub filter_type: i64,
    #[serde(deserialize_with = "lenient::string")]
    pub name: String,
    #[serde(deserialize_with = "lenient::string")]
    pub owner: String,
    #[serde(deserialize_with = "lenient::string")]
    pub owner_name: String,
    #[serde(deserialize_with = "lenient::i64")]
    pub count: i64,
    #[serde(deserialize_with = "lenient::i64")]
    pub condition: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub list: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usage: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range_start: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range_end: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regex: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AccountFilterGroup {
    #[serde(rename = "_id", deserialize_with = "lenient::string")]
    pub id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub name: String,
    #[serde(deserialize_with = "lenient::string")]
    pub owner: String,
    #[serde(deserialize_with = "lenient::string")]
    pub owner_name: String,
    #[serde(deserialize_with = "lenient::string_list")]
    pub filters: Vec<String>,
    #[serde(deserialize_with = "lenient::i64")]
    pub count: i64,
}

/// One page of a `list*` call: the items under the function's collection key
/// and the server's `total`.
#[derive(Debug, Clone, PartialEq)]
pub struct ListPage<T> {
    pub items: Vec<T>,
    pub total: u64,
}

impl<T: serde::de::DeserializeOwned> ListPage<T> {
    /// Reads `data.<collection>` and `data.total`. A missing `total` means the
    /// page is all there is.
    pub fn from_data(data: &Value, collection: &str) -> Result<ListPage<T>, String> {
        let raw = data
            .get(collection)
            .ok_or_else(|| format!("the reply has no data.{collection}"))?;
        let mut items = Vec::new();
        for (i, v) in lenient::value_to_list(raw).into_iter().enumerate() {
            items.push(
                serde_json::from_value(v)
                    .map_err(|e| format!("data.{collection}[{i}] does not decode: {e}"))?,
            );
        }
        let total = data
            .get("total")
            .and_then(lenient::value_to_i64)
            .map_or(items.len() as u64, |t| t.max(0) as u64);
        Ok(ListPage { items, total })
    }
}

/// `limit`/`skip`/`sort`/`find` of a list call.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListQuery {
    pub limit: Option<u64>,
    pub skip: Option<u64>,
    pub sort: Vec<(String, i8)>,
    pub find: Vec<(String, String)>,
}
