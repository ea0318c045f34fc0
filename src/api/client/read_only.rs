//! Schedules, destinations and account filter groups as plain models
//! (`get*`, `list*`), for the data sources and lookups that only read.

use serde::de::DeserializeOwned;

use super::retry::READ;
use super::Client;
use crate::api::error::ApiError;
use crate::api::models::{AccountFilterGroup, Destination, ListQuery, Schedule};
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
}
