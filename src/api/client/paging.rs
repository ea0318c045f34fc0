//! Paging of `list*` functions: `limit`/`skip`/`sort`/`find` parameters,
//! one page checked and decoded, and [`Client::list_all`], which follows
//! the pages of a listing.
//!
//! # What a listing trusts
//!
//! A listing ends on what it sees, never on `total` alone: an empty page, or
//! a page shorter than the `limit` asked for (the client asks for
//! [`PAGE_SIZE`], JetBackup's own default page size), ends it whatever
//! `total` says. `total` only decides how many pages are asked for at once
//! (at most `max_concurrent_requests`). An object ID seen twice in one
//! listing (within a page or across pages) is refused: the server's paging
//! is inconsistent and nothing may be decided from it (an object missing
//! from such a listing would be taken as deleted). One listing keeps at
//! most [`MAX_LISTED_OBJECTS`] objects and [`MAX_LISTED_BYTES`] of reply
//! bodies and follows at most [`MAX_PAGES`] pages; beyond any of them it
//! fails with an error naming the cap. Memory is therefore bounded by the
//! bytes kept plus the pages in flight (`max_concurrent_requests` replies of
//! at most [`MAX_BODY_BYTES`](crate::api::transport::MAX_BODY_BYTES) each;
//! fewer when the pages seen so far are large). Measured (README,
//! "Reliability"): a process listing raw objects from a hostile server with
//! `total` = 10^12 and distinct objects peaks at 55 MiB RSS with 400 KB or
//! 800 KB pages (83 or 42 calls) and 105 MiB with 16 MB pages (3 calls)
//! before the byte cap stops it; before these caps the same listing took
//! 499 MiB and 892 MiB with 400 KB and 800 KB pages.

use std::collections::HashSet;

use futures_util::future::try_join_all;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::retry::{Policy, READ};
use super::Client;
use crate::api::envelope::Envelope;
use crate::api::error::ApiError;
use crate::api::lenient::value_to_string;
use crate::api::models::{ListPage, ListQuery};
use crate::api::quote::cut;
use crate::api::wire::Params;

/// Default page size of list calls (the server's own default is 100).
pub const PAGE_SIZE: u64 = 100;

/// Most pages one listing follows.
pub const MAX_PAGES: u64 = 1000;

/// Most objects one listing keeps (500 pages of [`PAGE_SIZE`]); a JetBackup
/// server has a few hundred jobs, schedules or destinations at most.
pub const MAX_LISTED_OBJECTS: usize = 50_000;

/// Most reply bytes one listing keeps (the sum of its pages' bodies).
pub const MAX_LISTED_BYTES: usize = 32 * 1024 * 1024;

/// A page as received: its objects, their IDs, and its body's size.
struct Page<T> {
    items: Vec<T>,
    total: u64,
    ids: Vec<String>,
    bytes: usize,
}

/// What one listing has kept so far.
struct Kept<T> {
    items: Vec<T>,
    ids: HashSet<String>,
    bytes: usize,
    /// Largest page body seen, to size the next round.
    largest: usize,
    pages: u64,
}

impl<T> Kept<T> {
    /// Adds `page` (asked for at `skip`); an ID seen before or a cap passed
    /// is an error.
    fn add(&mut self, function: &str, skip: u64, page: Page<T>) -> Result<(), ApiError> {
        let fail = |reason: String| ApiError::BadListing {
            function: function.to_string(),
            reason,
        };
        self.pages += 1;
        for id in page.ids {
            if !self.ids.insert(id.clone()) {
                return Err(fail(format!(
                    "it repeats the object ID {:?} (in the page at skip={skip}): the server's paging is inconsistent (it ignores `skip`, or the list changed while it was read); try again, and if it persists the server's `{function}` paging is broken",
                    cut(&id)
                )));
            }
        }
        self.bytes += page.bytes;
        self.largest = self.largest.max(page.bytes);
        self.items.extend(page.items);
        if self.items.len() > MAX_LISTED_OBJECTS {
            return Err(fail(format!(
                "it holds more than {MAX_LISTED_OBJECTS} objects, the most one listing keeps (MAX_LISTED_OBJECTS); the server's `total` is {}",
                page.total
            )));
        }
        if self.bytes > MAX_LISTED_BYTES {
            return Err(fail(format!(
                "its pages add up to more than {} MiB, the most one listing keeps (MAX_LISTED_BYTES), after {} pages and {} objects; the server's `total` is {}",
                MAX_LISTED_BYTES >> 20,
                self.pages,
                self.items.len(),
                page.total
            )));
        }
        Ok(())
    }
}

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

    /// Calls a list function page by page (`limit`/`skip`) until a page
    /// ends it (see the module docs for what it trusts and its caps).
    ///
    /// The first page tells the total; the pages it says are missing are
    /// then asked for in rounds of up to `max_concurrent_requests` at once
    /// (fewer when the pages are large), so a listing of up to 1,000 objects
    /// costs two round trips. The pages are put back in the server's order.
    /// Should the list have grown meanwhile (the last page is full and the
    /// latest `total` says more), another round follows.
    pub(super) async fn list_all<T: DeserializeOwned>(
        &self,
        function: &str,
        collection: &str,
        query: &ListQuery,
        policy: Policy,
    ) -> Result<Vec<T>, ApiError> {
        let limit = query.limit.unwrap_or(PAGE_SIZE).max(1);
        let mut skip = query.skip.unwrap_or(0);
        let mut kept = Kept {
            items: Vec::new(),
            ids: HashSet::new(),
            bytes: 0,
            largest: 0,
            pages: 0,
        };
        let first: Page<T> = self
            .list_page_at(function, collection, query, (limit, skip), policy)
            .await?;
        let (len, mut total) = (first.items.len() as u64, first.total);
        kept.add(function, skip, first)?;
        skip += len;
        if len < limit || skip >= total {
            return Ok(kept.items);
        }
        loop {
            if kept.pages >= MAX_PAGES {
                return Err(ApiError::BadListing {
                    function: function.to_string(),
                    reason: format!(
                        "it did not end after {MAX_PAGES} pages of {limit}, the most one listing follows (MAX_PAGES); the server's `total` is {total}"
                    ),
                });
            }
            let by_total = (total - skip).div_ceil(limit);
            let by_bytes =
                (MAX_LISTED_BYTES.saturating_sub(kept.bytes) / kept.largest.max(1)) as u64 + 1;
            let width = (self.options.max_concurrent_requests.max(1) as u64)
                .min(by_total)
                .min(by_bytes)
                .min(MAX_PAGES - kept.pages)
                .max(1);
            let skips: Vec<u64> = (0..width).map(|i| skip + i * limit).collect();
            let round: Vec<(u64, Page<T>)> = try_join_all(skips.into_iter().map(|s| async move {
                self.list_page_at(function, collection, query, (limit, s), policy)
                    .await
                    .map(|page| (s, page))
            }))
            .await?;
            for (s, page) in round {
                let len = page.items.len() as u64;
                total = page.total;
                kept.add(function, s, page)?;
                skip = s + len;
                // A short or empty page is the end, whatever `total` says.
                if len < limit {
                    return Ok(kept.items);
                }
            }
            if skip >= total {
                return Ok(kept.items);
            }
        }
    }

    /// One page of a listing: `query` with `limit` and `skip` from `at`.
    async fn list_page_at<T: DeserializeOwned>(
        &self,
        function: &str,
        collection: &str,
        query: &ListQuery,
        at: (u64, u64),
        policy: Policy,
    ) -> Result<Page<T>, ApiError> {
        let q = ListQuery {
            limit: Some(at.0),
            skip: Some(at.1),
            ..query.clone()
        };
        let envelope = self.call_with(function, &list_params(&q), policy).await?;
        let bytes = envelope.body_len;
        let ids = envelope
            .data
            .get(collection)
            .map(ids_of)
            .unwrap_or_default();
        let page: ListPage<T> = Self::page(function, envelope, collection)?;
        Ok(Page {
            items: page.items,
            total: page.total,
            ids,
            bytes,
        })
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

/// The `_id` of each object of a page's collection (a list, or PHP's
/// `{"0": …}` object); objects without one are left to the decoder.
fn ids_of(collection: &Value) -> Vec<String> {
    let id = |v: &Value| v.get("_id").and_then(value_to_string);
    match collection {
        Value::Array(items) => items.iter().filter_map(id).collect(),
        Value::Object(items) => items.values().filter_map(id).collect(),
        _ => Vec::new(),
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
