//! What every resource, data source and action holds of the provider
//! ([`ProviderHandle`]): the configured client, the settings that shape
//! reads and creates, and the shared listings. Apart from the provider
//! itself (`mod.rs`), which registers everything that uses it.

use std::sync::{Arc, RwLock};

use tf_provider::Diagnostics;

use super::config::Configured;
use super::listing::Listings;
use super::location;
use crate::api::object::{ObjectKind, Values};
use crate::api::{ApiError, Client};

/// Provider name: resources are `jetbackup_<name>`.
pub const PROVIDER_NAME: &str = "jetbackup";

#[derive(Default)]
struct Shared {
    client: RwLock<Option<Client>>,
    coalesce_reads: RwLock<bool>,
    allow_duplicate_names: RwLock<bool>,
    /// The configured server's name ([`location::server_of`]).
    server: RwLock<Option<String>>,
    listings: Listings,
}

/// What resources hold of the provider: the configured client and the shared listings.
#[derive(Clone, Default)]
pub struct ProviderHandle(Arc<Shared>);

impl ProviderHandle {
    /// What `configure` resolved, for every resource from now on.
    pub fn configure(&self, configured: Configured) {
        if let Ok(mut c) = self.0.client.write() {
            *c = Some(configured.client);
        }
        if let Ok(mut c) = self.0.coalesce_reads.write() {
            *c = configured.coalesce_reads;
        }
        if let Ok(mut a) = self.0.allow_duplicate_names.write() {
            *a = configured.allow_duplicate_names;
        }
        if let Ok(mut s) = self.0.server.write() {
            *s = Some(configured.server);
        }
    }

    /// The configured client, or an error diagnostic if `configure` did not run or failed.
    pub fn client(&self, diags: &mut Diagnostics) -> Option<Client> {
        let client = self.0.client.read().ok().and_then(|c| c.clone());
        if client.is_none() {
            diags.root_error(
                "The JetBackup provider is not configured",
                "Configure the provider (endpoint and api_token, or the JETBACKUP_ENDPOINT and JETBACKUP_API_TOKEN environment variables).",
            );
        }
        client
    }

    /// The configured client, if `configure` has run (plan-time checks that
    /// only apply once the provider is configured).
    pub fn configured_client(&self) -> Option<Client> {
        self.0.client.read().ok().and_then(|c| c.clone())
    }

    /// The server the provider is configured for, as recorded with each
    /// object ([`location`]); `None` before `configure`.
    pub fn server(&self) -> Option<String> {
        self.0.server.read().ok().and_then(|s| s.clone())
    }

    /// Whether a resource's `read` drops an object the server does not
    /// have from the state (deleted behind Terraform's back): not when it
    /// was recorded on another server ([`location::missing_elsewhere`]);
    /// that refusal goes to `diags`.
    pub fn drops_missing(
        &self,
        diags: &mut Diagnostics,
        recorded: &location::Private,
        what: &str,
        id: &str,
    ) -> bool {
        let current = self.server();
        match location::missing_elsewhere(recorded, current.as_deref(), what, id) {
            None => true,
            Some((summary, detail)) => {
                diags.root_error(summary, detail);
                false
            }
        }
    }

    fn allows_duplicate_names(&self) -> bool {
        self.0
            .allow_duplicate_names
            .read()
            .map(|a| *a)
            .unwrap_or(false)
    }

    /// Reads one table-described object, coalesced with concurrent reads
    /// of its kind when enabled.
    pub async fn read_object(
        &self,
        client: &Client,
        kind: &ObjectKind,
        id: &str,
    ) -> Result<Values, ApiError> {
        let coalesce = self.0.coalesce_reads.read().map(|c| *c).unwrap_or(false);
        if coalesce {
            self.0.listings.object(client, kind, id).await
        } else {
            client.get_object(kind, id).await
        }
    }

    /// The process's shared listings (one list call per kind), which data
    /// sources always read through: a lookup by name needs the list anyway.
    pub fn listings(&self) -> &Listings {
        &self.0.listings
    }

    /// An object of `kind` on the server with the name of `desired` that no
    /// resource of this run manages (see [`Client::is_own`]), from the
    /// coalesced listing: at most one `list*` per kind and process, however
    /// many objects are created. An object that differs from `desired`
    /// in a setting that forces replacement is not counted: it cannot be
    /// what this resource would have created, and it is what a
    /// `create_before_destroy` replacement leaves until it deletes it.
    /// `None` when `allow_duplicate_names` is set.
    pub async fn unmanaged_object_named(
        &self,
        client: &Client,
        kind: &ObjectKind,
        desired: &Values,
    ) -> Result<Option<String>, ApiError> {
        if self.allows_duplicate_names() {
            return Ok(None);
        }
        let Some(name) = desired.get("name") else {
            return Ok(None);
        };
        let listed = self
            .0
            .listings
            .objects_before_own_writes(client, kind)
            .await?;
        let replaced = |values: &Values| {
            kind.fields.iter().filter(|f| f.replace).any(|f| {
                desired
                    .get(f.attr)
                    .is_some_and(|want| values.get(f.attr) != Some(want))
            })
        };
        let mut same: Vec<&str> = listed
            .iter()
            .filter(|(id, values)| {
                values.get("name") == Some(name) && !client.is_own(id) && !replaced(values)
            })
            .map(|(id, _)| id.as_str())
            .collect();
        same.sort_unstable();
        Ok(same.first().map(|id| id.to_string()))
    }

    /// Called after every write so that later reads see it.
    pub fn invalidate_reads(&self) {
        self.0.listings.invalidate();
    }
}
