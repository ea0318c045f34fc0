//! What every `list*` call shares: the `{<collection>: […], total}` page
//! and the `limit`/`skip`/`sort`/`find` query. (Backup jobs are modelled in
//! `job/model.rs`; every other object is a table's, read as an
//! [`crate::api::object::Record`].)

use serde_json::Value;

use super::wire_json::{self, WireInt};

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
    use crate::api::wire_json::WireText;
    use serde::Deserialize;
    use serde_json::json;

    /// A model of wire types, as a page's items may be (jobs are).
    #[derive(Debug, Default, Deserialize)]
    #[serde(default)]
    struct Named {
        #[serde(rename = "_id")]
        id: WireText,
        #[allow(dead_code)]
        name: WireText,
        #[serde(rename = "type")]
        schedule_type: WireInt,
    }

    #[test]
    fn list_page_reads_php_spellings_and_names_a_wrong_field() {
        let data =
            json!({"schedules": {"1": {"_id": "b", "type": "2"}, "0": {"_id": "a"}}, "total": "5"});
        let page = ListPage::<Named>::from_data(data.clone(), "schedules").unwrap();
        let ids: Vec<&str> = page.items.iter().map(|s| s.id.as_str()).collect();
        assert_eq!((ids, page.total), (vec!["a", "b"], 5));
        assert_eq!(page.items[1].schedule_type, 2);

        let data = json!({"schedules": [{"_id": "a"}, {"name": ["x"]}]});
        let err = ListPage::<Named>::from_data(data.clone(), "schedules").unwrap_err();
        assert_eq!(
            err,
            "data.schedules[1].name: expected a string, found a list"
        );
        let data = json!({"schedules": 3});
        let err = ListPage::<Named>::from_data(data.clone(), "schedules").unwrap_err();
        assert_eq!(err, "data.schedules is a number, expected a list");
        let data = json!({"schedules": [], "total": "many"});
        let err = ListPage::<Named>::from_data(data.clone(), "schedules").unwrap_err();
        assert_eq!(
            err,
            "data.total: expected an integer, found a string that is not one"
        );
    }
}
