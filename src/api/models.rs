//! Objects other than backup jobs: schedules, destinations and account filter
//! groups, as the API returns them, plus the `{<collection>: […], total}` list
//! page.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::wire_json::{self, WireBool, WireInt, WireList, WireObjects, WireText};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScheduleJobRef {
    #[serde(rename = "_id")]
    pub id: WireText,
    pub name: WireText,
}

/// A schedule object. `type_data` depends on the type (an interval, a list of
/// days, or the ID of the job to follow), so it stays raw JSON.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Schedule {
    #[serde(rename = "_id")]
    pub id: WireText,
    pub name: WireText,
    #[serde(rename = "type")]
    pub schedule_type: WireInt,
    pub type_name: WireText,
    pub type_data: Value,
    pub delay_type: WireInt,
    pub delay_amount: WireInt,
    pub delay: WireBool,
    pub owner: WireText,
    pub owner_name: WireText,
    pub count: WireInt,
    pub jobs: WireObjects<ScheduleJobRef>,
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
    #[serde(rename = "_id")]
    pub id: WireText,
    pub name: WireText,
    #[serde(rename = "type")]
    pub dest_type: WireText,
    /// The type's display name: sent by 5.4, absent from 5.3 replies.
    #[serde(skip_serializing_if = "WireText::is_empty")]
    pub type_name: WireText,
    pub owner: WireText,
    pub owner_name: WireText,
    pub job_type: WireInt,
    pub count: WireInt,
    pub disabled: WireBool,
    pub readonly: WireBool,
    pub threads: WireInt,
    /// Free-disk limit in percent, 0 = off.
    pub disk_limit: WireInt,
    /// Type-specific settings; secrets in it come back masked (`JB|HIDDEN|…`).
    pub options: Value,
    pub hidden: WireBool,
    pub dr: WireBool,
    /// `{usage, free, total}` in bytes, or empty when not measured.
    pub disk_usage: Value,
}

/// A hook (`getHook`), fields in the order of the vendor's examples.
/// `data_list` holds job or destination IDs depending on `position`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Hook {
    #[serde(rename = "_id")]
    pub id: WireText,
    pub name: WireText,
    pub owner: WireText,
    pub owner_name: WireText,
    pub position_type: WireInt,
    pub position: WireInt,
    pub data_list: Value,
    pub script: WireText,
    pub disabled: WireBool,
}

/// A notification integration (`getNotificationIntegration`): `frequency`
/// is keyed by alert level (`"1"`, `"2"`, `"4"`), `options` by the type's
/// settings, with protected ones masked.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NotificationIntegration {
    #[serde(rename = "_id")]
    pub id: WireText,
    pub name: WireText,
    pub owner: WireText,
    pub owner_name: WireText,
    #[serde(rename = "type")]
    pub integration_type: WireText,
    pub frequency: Value,
    pub disabled: WireBool,
    pub options: Value,
}

/// An account filter (`getAccountFilter`). Only the settings of its own
/// type are present in the server's replies.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AccountFilter {
    #[serde(rename = "_id")]
    pub id: WireText,
    pub group_id: WireText,
    #[serde(rename = "type")]
    pub filter_type: WireInt,
    pub name: WireText,
    pub owner: WireText,
    pub owner_name: WireText,
    pub count: WireInt,
    pub condition: WireInt,
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
    #[serde(rename = "_id")]
    pub id: WireText,
    pub name: WireText,
    pub owner: WireText,
    pub owner_name: WireText,
    pub filters: WireList<WireText>,
    pub count: WireInt,
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
    /// page is all there is. Takes the reply's `data` by value: a page of 100 jobs is decoded out
    /// of it without copying it first.
    pub fn from_data(mut data: Value, collection: &str) -> Result<ListPage<T>, String> {
        let raw = data
            .get_mut(collection)
            .map(Value::take)
            .ok_or_else(|| format!("the reply has no data.{collection}"))?;
        let items = wire_json::list_items(raw).map_err(|v| {
            format!(
                "data.{collection} is {}, expected a list",
                wire_json::json_type(&v)
            )
        })?;
        let items = items
            .into_iter()
            .enumerate()
            .map(|(i, v)| wire_json::decode_object_at(v, &format!("data.{collection}[{i}]")))
            .collect::<Result<Vec<T>, String>>()?;
        let total = match data.get_mut("total") {
            None => items.len() as u64,
            Some(t) => wire_json::decode_at::<WireInt>(t.take(), "data.total")?
                .0
                .max(0) as u64,
        };
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn list_page_reads_php_spellings_and_names_a_wrong_field() {
        let data =
            json!({"schedules": {"1": {"_id": "b", "type": "2"}, "0": {"_id": "a"}}, "total": "5"});
        let page = ListPage::<Schedule>::from_data(data.clone(), "schedules").unwrap();
        let ids: Vec<&str> = page.items.iter().map(|s| s.id.as_str()).collect();
        assert_eq!((ids, page.total), (vec!["a", "b"], 5));
        assert_eq!(page.items[1].schedule_type, 2);

        let data = json!({"schedules": [{"_id": "a"}, {"name": ["x"]}]});
        let err = ListPage::<Schedule>::from_data(data.clone(), "schedules").unwrap_err();
        assert_eq!(
            err,
            "data.schedules[1].name: expected a string, found a list"
        );
        let data = json!({"schedules": 3});
        let err = ListPage::<Schedule>::from_data(data.clone(), "schedules").unwrap_err();
        assert_eq!(err, "data.schedules is a number, expected a list");
        let data = json!({"schedules": [], "total": "many"});
        let err = ListPage::<Schedule>::from_data(data.clone(), "schedules").unwrap_err();
        assert_eq!(
            err,
            "data.total: expected an integer, found a string that is not one"
        );
    }
}
