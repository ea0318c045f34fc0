//! Objects read as [`Record`]s, in their wire form (`get*`, `list*`), for
//! the data sources and lookups that only read: the table-described kinds
//! (whose settings the kind's table decodes) and account filter groups.

use super::retry::READ;
use super::Client;
use crate::api::error::ApiError;
use crate::api::models::ListQuery;
use crate::api::object::destination::DESTINATION;
use crate::api::object::hook::HOOK;
use crate::api::object::notification_integration::NOTIFICATION_INTEGRATION;
use crate::api::object::schedule::SCHEDULE;
use crate::api::object::Record;
use crate::api::wire::Params;

/// `listAccountFilterGroups` and `getAccountFilterGroup`: account filter
/// groups have no table (JetBackup manages them through their filters).
pub const GROUP_FUNCTIONS: RecordFunctions = RecordFunctions {
    list: "listAccountFilterGroups",
    get: "getAccountFilterGroup",
    collection: "groups",
};

/// The read functions of one kind and its list's key under `data`.
#[derive(Debug, Clone, Copy)]
pub struct RecordFunctions {
    pub list: &'static str,
    pub get: &'static str,
    pub collection: &'static str,
}

impl RecordFunctions {
    /// A table-described kind's.
    pub const fn of(kind: &crate::api::object::ObjectKind) -> RecordFunctions {
        RecordFunctions {
            list: kind.list,
            get: kind.get,
            collection: kind.collection,
        }
    }
}

impl Client {
    /// Every object of a kind, in the server's order (all pages).
    pub async fn list_records(
        &self,
        functions: RecordFunctions,
        query: &ListQuery,
    ) -> Result<Vec<Record>, ApiError> {
        self.list_all(functions.list, functions.collection, query, READ)
            .await
    }

    /// One object by ID (`get*`).
    pub async fn get_record(
        &self,
        functions: RecordFunctions,
        id: &str,
    ) -> Result<Record, ApiError> {
        let mut params = Params::new();
        params.push("_id", id);
        let envelope = self.call_with(functions.get, &params, READ).await?;
        Self::data(functions.get, envelope)
    }
}

/// `list_<kinds>`/`get_<kind>` for each kind: [`Client::list_records`] and
/// [`Client::get_record`] with its functions.
macro_rules! by_kind {
    ($($list:ident, $get:ident, $functions:expr;)*) => {
        impl Client {
            $(
                pub async fn $list(&self, query: &ListQuery) -> Result<Vec<Record>, ApiError> {
                    self.list_records($functions, query).await
                }

                pub async fn $get(&self, id: &str) -> Result<Record, ApiError> {
                    self.get_record($functions, id).await
                }
            )*
        }
    };
}

by_kind! {
    list_schedules, get_schedule, RecordFunctions::of(&SCHEDULE);
    list_destinations, get_destination, RecordFunctions::of(&DESTINATION);
    list_account_filter_groups, get_account_filter_group, GROUP_FUNCTIONS;
    list_hooks, get_hook, RecordFunctions::of(&HOOK);
    list_notification_integrations, get_notification_integration,
        RecordFunctions::of(&NOTIFICATION_INTEGRATION);
}
