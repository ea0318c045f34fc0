//! What every resource's lifecycle shares, the backup job's
//! (`backup_job.rs`) and any `ObjectKind`'s (`object/mod.rs`) alike: the
//! client and the ID from the state, a refresh that drops an object gone
//! from its own server, the outcome of an update and of a delete, and the
//! check of an import ID. What differs between them (the state, the plan,
//! the request) stays in each.

use tf_provider::Diagnostics;

use super::handle::ProviderHandle;
use super::location::{self, Private};
use crate::api::objectid::is_object_id;
use crate::api::{ApiError, Client};

/// The configured client and the object's ID from its state (`title`: the
/// kind in words); errors go to `diags`.
pub fn client_and_id(
    provider: &ProviderHandle,
    diags: &mut Diagnostics,
    title: &str,
    id: Option<String>,
) -> Option<(Client, String)> {
    let client = provider.client(diags)?;
    let Some(id) = id else {
        diags.root_error_short(format!("The {title} in state has no id"));
        return None;
    };
    Some((client, id))
}

/// A refresh's outcome: the state read back and where the object was
/// found; an object deleted behind Terraform's back is dropped (the next
/// plan re-creates it) unless it lives on another server than this one;
/// any other failure is reported and the state kept.
#[allow(clippy::too_many_arguments)]
pub fn refreshed<S>(
    provider: &ProviderHandle,
    diags: &mut Diagnostics,
    title: &str,
    id: &str,
    state: S,
    private: Private,
    read: Result<S, ApiError>,
    failed: impl FnOnce(&mut Diagnostics, &ApiError),
) -> Option<(S, Private)> {
    match read {
        Ok(new) => Some((new, location::found(private, provider.server()))),
        Err(ApiError::NotFound { .. }) => {
            if provider.drops_missing(diags, &private, title, id) {
                None
            } else {
                Some((state, private))
            }
        }
        Err(e) => {
            failed(diags, &e);
            Some((state, private))
        }
    }
}

/// An update's outcome: the state read back, or, when the server refused or
/// did not answer, the failure reported and `kept` recorded.
pub fn updated<S>(
    provider: &ProviderHandle,
    diags: &mut Diagnostics,
    result: Result<S, ApiError>,
    kept: S,
    private: Private,
    failed: impl FnOnce(&mut Diagnostics, &ApiError),
) -> Option<(S, Private)> {
    match result {
        Ok(new) => Some((new, location::found(private, provider.server()))),
        Err(e) => {
            failed(diags, &e);
            Some((kept, private))
        }
    }
}

/// A delete's outcome, once the call returned (every listing is stale
/// after it): done, or the failure reported and the object kept in state.
pub fn deleted(
    provider: &ProviderHandle,
    diags: &mut Diagnostics,
    result: Result<(), ApiError>,
    failed: impl FnOnce(&mut Diagnostics, &ApiError),
) -> Option<()> {
    provider.invalidate_reads();
    match result {
        Ok(()) => Some(()),
        Err(e) => {
            failed(diags, &e);
            None
        }
    }
}

/// The ID an import names, trimmed; anything but an ObjectId is refused
/// with `detail` (which says what a valid one looks like).
pub fn import_id(
    diags: &mut Diagnostics,
    id: String,
    detail: impl FnOnce(&str) -> String,
) -> Option<String> {
    let id = id.trim().to_string();
    if !is_object_id(&id) {
        diags.root_error("Invalid import ID", detail(&id));
        return None;
    }
    Some(id)
}
