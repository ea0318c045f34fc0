//! Paging of `list*` functions: `limit`/`skip`/`sort`/`find` parameters,
//! one page checked and decoded, and [`Client::list_all`], which follows
//! the pages of a listing to its `total`.

use futures_util::future::try_join_all;
use serde::de::DeserializeOwned;

use super::retry::{Policy, READ};
use super::Client;
use crate::api::envelope::Envelope;
use crate::api::error::ApiError;
use crate::api::models::{ListPage, ListQuery};
use crate::api::wire::Params;

/// Default page size of list calls (the server's own default is 100).
pub const PAGE_SIZE: u64 = 100;

/// Most pages one listing follows: 100 000 objects at the default page size.
/// A server whose `total` never comes within reach is broken or hostile.
pub const MAX_PAGES: u64 = 1000;

impl Client {
    pub(super) fn page<T: DeserializeOwned>(
        function: &str,
        envelope: Envelope,
        collection: &str,
    ) -> Result<ListPage<T>, ApiError> {
        ListPage::from_data(envelope.data, collection).map_err(|reason| ApiError::BadResponse {
            function: function.to_string(),
            reason,
            snippet: String::new(),
        })
    }

    /// Calls a list function page by page (`limit`/`skip`) until `total`.
    ///
    /// The first page tells the total; the pages still missing are then all
    /// asked for at once (the request limiter keeps them within
    /// `max_concurrent_requests`), so a listing costs two round trips
    /// whatever its length when the limit allows. The pages are put back in
    /// the server's order. Should the list have grown meanwhile (the last
    /// page ends short of the latest `total`), another round follows.
    pub(super) async fn list_all<T: DeserializeOwned>(
        &self,
        function: &str,
        collection: &str,
        query: &ListQuery,
        policy: Policy,
    ) -> Result<Vec<T>, ApiError> {
        let limit = query.limit.unwrap_or(PAGE_SIZE).max(1);
        let mut skip = query.skip.unwrap_or(0);
        let mut items = Vec::new();
        let mut pages = 0u64;
        while pages < MAX_PAGES {
            let first: ListPage<T> = self
                .list_page_at(function, collection, query, (limit, skip), policy)
                .await?;
            pages += 1;
            // The server's own page size may be smaller than the one asked for.
            let step = first.items.len() as u64;
            let mut end = (skip + step, first.total);
            items.extend(first.items);
            if step == 0 || end.0 >= end.1 {
                return Ok(items);
            }
            let skips: Vec<u64> = (1..)
                .map(|i| skip + i * step)
                .take_while(|s| *s < end.1)
                .take((MAX_PAGES - pages) as usize)
                .collect();
            pages += skips.len() as u64;
            let rest: Vec<(u64, ListPage<T>)> =
                try_join_all(skips.into_iter().map(|s| async move {
                    self.list_page_at(function, collection, query, (limit, s), policy)
                        .await
                        .map(|page| (s, page))
                }))
                .await?;
            let mut last_empty = false;
            for (s, page) in rest {
                last_empty = page.items.is_empty();
                end = (s + page.items.len() as u64, page.total);
                items.extend(page.items);
            }
            if last_empty || end.0 >= end.1 {
                return Ok(items);
            }
            skip = end.0;
        }
        Err(ApiError::BadResponse {
            function: function.to_string(),
            reason: format!(
                "the listing did not end after {MAX_PAGES} pages of {limit} (the server's `total` is never reached)"
            ),
            snippet: String::new(),
        })
    }

    /// One page of a listing: `query` with `limit` and `skip` from `at`.
    async fn list_page_at<T: DeserializeOwned>(
        &self,
        function: &str,
        collection: &str,
        query: &ListQuery,
        at: (u64, u64),
        policy: Policy,
    ) -> Result<ListPage<T>, ApiError> {
        let q = ListQuery {
            limit: Some(at.0),
            skip: Some(at.1),
            ..query.clone()
        };
        let envelope = self.call_with(function, &list_params(&q), policy).await?;
        Self::page(function, envelope, collection)
    }

    pub async fn list_page<T: DeserializeOwned>(
        &self,
        function: &str,
        collection: &str,
        query: &ListQuery,
    ) -> Result<ListPage<T>, ApiError> {
        let params = list_params(query);
        let envelope = self.call_with(function, &params, READ).await?;
        Self::page(function, envelope, collection)
    }
}

/// `limit`, `skip`, `sort[field]`, `find[field]`.
pub fn list_params(query: &ListQuery) -> Params {
    let mut p = Params::new();
    if let Some(limit) = query.limit {
        p.push("limit", limit.to_string());
    }
    if let Some(skip) = query.skip {
        p.push("skip", skip.to_string());
    }
    for (field, dir) in &query.sort {
        p.push(format!("sort[{field}]"), dir.to_string());
    }
    for (field, value) in &query.find {
        p.push(format!("find[{field}]"), value.as_str());
    }
    p
}
