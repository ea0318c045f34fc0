//! The objects described by a table ([`crate::api::object`]): schedules,
//! account filters, destinations. One generic create (through
//! [`Client::create_once`]), modify, get, list and delete per
//! [`ObjectKind`], and the destination types the server offers.

use serde_json::Value;

use super::create_once::{created_within, window_end, LOOKUP};
use super::reply::{decode_object, decode_object_at};
use super::retry::READ;
use super::Client;
use crate::api::error::ApiError;
use crate::api::lenient::value_to_string;
use crate::api::models::ListQuery;
use crate::api::object::{self, ObjectKind, Values};
use crate::api::wire::Params;

impl Client {
    /// The destination type keys the server offers (`listDestinationTypes`
    /// → `data.types[].key`): the built-in ones and installed plugins'.
    pub async fn destination_types(&self) -> Result<Vec<String>, ApiError> {
        let envelope = self
            .call_with("listDestinationTypes", &Params::new(), READ)
            .await?;
        let types = envelope.data.get("types").map(value_to_list_of_keys);
        Ok(types.unwrap_or_default())
    }

    /// `manage*` with `action=create` of `desired`; returns the reply's
    /// `data`, the new object (decode it with [`decode_object`]). A lost
    /// reply is handled as for jobs ([`Client::create_backup_job`]): the
    /// object the request may have made (same name and settings, created
    /// within the call's window, not claimed by another create) is adopted
    /// rather than created twice.
    pub async fn create_object(
        &self,
        kind: &ObjectKind,
        desired: &Values,
    ) -> Result<Value, ApiError> {
        let name = match desired.get("name") {
            Some(object::Val::Text(n)) => n.clone(),
            _ => String::new(),
        };
        self.create_once(
            kind.manage,
            &object::encode(kind, desired, object::Target::Create),
            &name,
            |envelope| {
                let id = envelope.data.get("_id").and_then(value_to_string);
                Ok((id.unwrap_or_default(), envelope.data))
            },
            |window_start| Box::pin(self.find_created_object(kind, desired, &name, window_start)),
        )
        .await
    }

    async fn find_created_object(
        &self,
        kind: &ObjectKind,
        desired: &Values,
        name: &str,
        window_start: u64,
    ) -> Result<Option<(String, Value)>, ApiError> {
        let query = ListQuery {
            find: vec![("name".to_string(), name.to_string())],
            ..ListQuery::default()
        };
        let mut found: Vec<Value> = self
            .list_all(kind.list, kind.collection, &query, LOOKUP)
            .await?;
        let window_end = window_end();
        found.sort_by_key(|v| v.get("_id").and_then(value_to_string));
        Ok(found.into_iter().find_map(|raw| {
            let (id, values) = object::decode(kind, &raw).ok()?;
            // Secrets never come back: compared on everything else.
            let same = desired
                .iter()
                .filter(|(attr, _)| kind.field(attr).is_none_or(|f| !f.kind.is_secret()))
                .all(|(attr, v)| values.get(attr) == Some(v));
            let in_window = created_within(&id, window_start, window_end);
            (same && in_window && self.claim(&id)).then_some((id, raw))
        }))
    }

    /// `manage*` with `action=modify` (params from [`object::encode`]):
    /// sending it again gives the same result, so it is retried. Returns the
    /// reply's `data`.
    pub async fn modify_object(
        &self,
        kind: &ObjectKind,
        params: &Params,
    ) -> Result<Value, ApiError> {
        let envelope = self.call(kind.manage, params, true).await?;
        Ok(envelope.data)
    }

    pub async fn get_object(&self, kind: &ObjectKind, id: &str) -> Result<Values, ApiError> {
        let mut params = Params::new();
        params.push("_id", id);
        let envelope = self.call_with(kind.get, &params, READ).await?;
        decode_object(kind.get, kind, &envelope.data).map(|(_, values)| values)
    }

    /// Every object of a kind, in the server's order, following the pages.
    pub async fn list_objects(
        &self,
        kind: &ObjectKind,
        query: &ListQuery,
    ) -> Result<Vec<(String, Values)>, ApiError> {
        let raw: Vec<Value> = self
            .list_all(kind.list, kind.collection, query, READ)
            .await?;
        raw.iter()
            .enumerate()
            .map(|(i, v)| {
                decode_object_at(
                    kind.list,
                    kind,
                    v,
                    &format!("data.{}[{i}]", kind.collection),
                )
            })
            .collect()
    }

    /// A `delete*` call; an object that is already gone counts as deleted.
    pub async fn delete_object(&self, kind: &ObjectKind, id: &str) -> Result<(), ApiError> {
        let mut params = Params::new();
        params.push("_id", id);
        match self.call(kind.delete, &params, true).await {
            Ok(_) | Err(ApiError::NotFound { .. }) => Ok(()),
            Err(e) => Err(e),
        }
    }
}

fn value_to_list_of_keys(types: &Value) -> Vec<String> {
    crate::api::lenient::value_to_list(types)
        .iter()
        .filter_map(|t| t.get("key").and_then(crate::api::lenient::value_to_string))
        .collect()
}
