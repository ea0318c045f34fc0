//! Schedules, destinations, account filter groups, hooks and notification
//! integrations as plain models (`get*`, `list*`), for the data sources and
//! lookups that only read.

use serde::de::DeserializeOwned;

use super::retry::READ;
use super::Client;
use crate::api::error::ApiError;
use crate::api::models::{
    AccountFilterGroup, Destination, Hook, ListQuery, NotificationIntegration, Schedule,
};
use crate::api::object::hook::HOOK;
use crate::api::object::notification_integration::NOTIFICATION_INTEGRATION;
use crate::api::wire::Params;

impl Client {
    async fn get_by_id<T: DeserializeOwned>(
        &self,
        function: &str,
        id: &str,
    ) -> Result<T, ApiError> {
        let mut params = Params::new();
        params.push("_id", id);
        let envelope = self.call_with(function, &params, READ).await?;
        Self::data(function, envelope)
    }

    // ---- schedules ---------------------------------------------------------

    pub async fn list_schedules(&self, query: &ListQuery) -> Result<Vec<Schedule>, ApiError> {
        self.list_all("listSchedules", "schedules", query, READ)
            .await
    }

    pub async fn get_schedule(&self, id: &str) -> Result<Schedule, ApiError> {
        self.get_by_id("getSchedule", id).await
    }

    // ---- destinations and account filter groups (read-only) ---------------

    pub async fn list_destinations(&self, query: &ListQuery) -> Result<Vec<Destination>, ApiError> {
        self.list_all("listDestinations", "destinations", query, READ)
            .await
    }

    pub async fn get_destination(&self, id: &str) -> Result<Destination, ApiError> {
        self.get_by_id("getDestination", id).await
    }

    pub async fn list_account_filter_groups(
        &self,
        query: &ListQuery,
    ) -> Result<Vec<AccountFilterGroup>, ApiError> {
        self.list_all("listAccountFilterGroups", "groups", query, READ)
            .await
    }

    pub async fn get_account_filter_group(&self, id: &str) -> Result<AccountFilterGroup, ApiError> {
        self.get_by_id("getAccountFilterGroup", id).await
    }

    // ---- hooks and notification integrations -------------------------------

    pub async fn list_hooks(&self, query: &ListQuery) -> Result<Vec<Hook>, ApiError> {
        self.list_all(HOOK.list, HOOK.collection, query, READ).await
    }

    pub async fn get_hook(&self, id: &str) -> Result<Hook, ApiError> {
        self.get_by_id(HOOK.get, id).await
    }

    pub async fn list_notification_integrations(
        &self,
        query: &ListQuery,
    ) -> Result<Vec<NotificationIntegration>, ApiError> {
        let kind = &NOTIFICATION_INTEGRATION;
        self.list_all(kind.list, kind.collection, query, READ).await
    }

    pub async fn get_notification_integration(
        &self,
        id: &str,
    ) -> Result<NotificationIntegration, ApiError> {
        self.get_by_id(NOTIFICATION_INTEGRATION.get, id).await
    }
}
