//! Reply decoding and error classification: the envelope of one reply,
//! `success: 0` turned into [`ApiError::Refused`], [`ApiError::NotFound`] or
//! [`ApiError::Busy`], server messages made safe to show, and the objects in
//! `data` decoded (a job's field types checked first).

use std::time::Duration;

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::Client;
use crate::api::envelope::{Envelope, NotAnEnvelope};
use crate::api::error::{redact_snippet, ApiError};
use crate::api::function::{Function, ReadFunction, WriteFunction};
use crate::api::job::BackupJob;
use crate::api::object::account_filter::ACCOUNT_FILTER;
use crate::api::object::destination::DESTINATION;
use crate::api::object::hook::HOOK;
use crate::api::object::notification_integration::NOTIFICATION_INTEGRATION;
use crate::api::object::schedule::SCHEDULE;
use crate::api::object::{self, ObjectKind, Values};
use crate::api::secrets::Secrets;
use crate::api::wire::Params;

/// Functions whose `_id` names an existing object: a refusal saying it does
/// not exist becomes [`ApiError::NotFound`]. Every function is listed, so a
/// new one does not build until it is placed.
fn object_kind(function: &str) -> Option<&'static str> {
    use ReadFunction as R;
    use WriteFunction as W;
    match Function::named(function)? {
        Function::Read(R::GetBackupJob)
        | Function::Write(W::DeleteBackupJob | W::DuplicateBackupJob | W::RunBackupJobManually) => {
            Some("backup job")
        }
        Function::Read(R::GetDestination) | Function::Write(W::DeleteDestination) => {
            Some(DESTINATION.title)
        }
        Function::Read(R::GetSchedule) | Function::Write(W::DeleteSchedule) => Some(SCHEDULE.title),
        Function::Read(R::GetAccountFilter) | Function::Write(W::DeleteAccountFilter) => {
            Some(ACCOUNT_FILTER.title)
        }
        Function::Read(R::GetAccountFilterGroup) => Some("account filter group"),
        Function::Read(R::GetHook) | Function::Write(W::DeleteHook) => Some(HOOK.title),
        Function::Read(R::GetNotificationIntegration)
        | Function::Write(W::DeleteNotificationIntegration) => Some(NOTIFICATION_INTEGRATION.title),
        Function::Read(
            R::ListBackupJobs
            | R::ListSchedules
            | R::ListDestinations
            | R::ListDestinationTypes
            | R::ListAccountFilters
            | R::ListAccountFilterGroups
            | R::ListHooks
            | R::ListNotificationIntegrations
            | R::ListNotificationIntegrationTypes,
        )
        | Function::Write(
            W::ManageBackupJob
            | W::ManageSchedule
            | W::ManageDestination
            | W::ManageAccountFilter
            | W::ManageHook
            | W::ManageNotificationIntegration,
        ) => None,
    }
}

/// For a `manage*` function: the word a refusal names when the modified
/// object itself is gone, and the object's kind.
fn modified_kind(function: &str) -> Option<(&'static str, &'static str)> {
    let Function::Write(write) = Function::named(function)? else {
        return None;
    };
    match write {
        WriteFunction::ManageBackupJob => Some(("job", "backup job")),
        WriteFunction::ManageSchedule => Some((SCHEDULE.title, SCHEDULE.title)),
        WriteFunction::ManageDestination => Some((DESTINATION.title, DESTINATION.title)),
        WriteFunction::ManageAccountFilter => Some((ACCOUNT_FILTER.title, ACCOUNT_FILTER.title)),
        WriteFunction::ManageHook => Some((HOOK.title, HOOK.title)),
        WriteFunction::ManageNotificationIntegration => Some((
            NOTIFICATION_INTEGRATION.title,
            NOTIFICATION_INTEGRATION.title,
        )),
        WriteFunction::DeleteBackupJob
        | WriteFunction::DuplicateBackupJob
        | WriteFunction::RunBackupJobManually
        | WriteFunction::DeleteSchedule
        | WriteFunction::DeleteDestination
        | WriteFunction::DeleteAccountFilter
        | WriteFunction::DeleteHook
        | WriteFunction::DeleteNotificationIntegration => None,
    }
}

/// What a `manage*` create makes, for messages (`object` for any other function).
pub(super) fn created_kind(function: &str) -> &'static str {
    modified_kind(function).map_or("object", |(_, kind)| kind)
}

/// A table-described object in a reply, decoded strictly.
pub fn decode_object(
    function: &str,
    kind: &ObjectKind,
    raw: &Value,
) -> Result<(String, Values), ApiError> {
    decode_object_at(function, kind, raw, "data")
}

/// [`decode_object`] of an object found at `at` in the reply
/// (`data.jobs[3]`), which a refusal names.
pub fn decode_object_at(
    function: &str,
    kind: &ObjectKind,
    raw: &Value,
    at: &str,
) -> Result<(String, Values), ApiError> {
    object::decode_at(kind, raw, at).map_err(|reason| ApiError::BadResponse {
        function: function.to_string(),
        reason,
        snippet: String::new(),
    })
}

/// Whether a refusal message says the object does not exist. The real
/// server's wording for an unknown `_id` is not documented (inferred from the
/// usual phrasing; the simulator answers "… not found").
pub fn message_means_not_found(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    [
        "not found",
        "no such",
        "does not exist",
        "doesn't exist",
        "not exist",
    ]
    .iter()
    .any(|p| m.contains(p))
}

impl Client {
    pub(super) fn decode(
        &self,
        function: &str,
        params: &Params,
        body: &[u8],
        secrets: &Secrets,
    ) -> Result<Envelope, ApiError> {
        decode_reply_at(function, params, body, &secrets.as_strs(), &self.target)
    }

    /// The job object in `data` ([`decode_job`]).
    pub(super) fn job(function: &str, envelope: Envelope) -> Result<BackupJob, ApiError> {
        decode_job(function, envelope)
    }

    pub(super) fn data<T: DeserializeOwned>(
        function: &str,
        envelope: Envelope,
    ) -> Result<T, ApiError> {
        crate::api::wire_json::decode_at(envelope.data, "data").map_err(|e| bad_data(function, e))
    }
}

/// Decodes one reply body: the envelope, with `success: 0` turned into the
/// matching [`ApiError`]. Quoted body excerpts and messages have `secrets`
/// masked.
pub fn decode_reply(
    function: &str,
    params: &Params,
    body: &[u8],
    secrets: &[&str],
) -> Result<Envelope, ApiError> {
    decode_reply_at(function, params, body, secrets, "the endpoint")
}

/// [`decode_reply`], naming `target` (the URL called) when the reply is not
/// JetBackup's.
pub fn decode_reply_at(
    function: &str,
    params: &Params,
    body: &[u8],
    secrets: &[&str],
    target: &str,
) -> Result<Envelope, ApiError> {
    let envelope = Envelope::parse(body).map_err(|e| {
        let not_jetbackup = format!("the endpoint does not look like a JetBackup API ({target} was called): check that `endpoint` is the JetBackup server's base URL with the right port, that `panel` is the panel JetBackup runs under, and that the login is accepted");
        let reason = match e {
            NotAnEnvelope::NotJson(detail) if detail.contains("EOF") => format!("truncated JSON: {detail}"),
            NotAnEnvelope::NotJson(_) if body.trim_ascii_start().starts_with(b"<") => {
                format!("an HTML page, not JSON: {not_jetbackup}")
            }
            NotAnEnvelope::NotJson(detail) => format!("not JSON ({detail}): {not_jetbackup}"),
            NotAnEnvelope::MissingSuccess => format!("JSON without a `success` field: {not_jetbackup}"),
            NotAnEnvelope::BadField(detail) => format!("an envelope field of the wrong type: {detail}"),
        };
        ApiError::BadResponse { function: function.to_string(), reason, snippet: redact_snippet(body, secrets) }
    })?;
    if *envelope.success {
        return Ok(envelope);
    }
    let message = if envelope.message.trim().is_empty() {
        "the server gave no message".to_string()
    } else {
        clean_message(&envelope.message, secrets)
    };
    if envelope.system.retry_ms > 0 {
        // The server declined for now and said when to come back.
        return Err(ApiError::Busy {
            function: function.to_string(),
            message,
            retry_after: Duration::from_millis(*envelope.system.retry_ms as u64),
        });
    }
    match (object_kind(function), params.get("_id")) {
        (Some(kind), Some(id)) if message_means_not_found(&message) => Err(ApiError::NotFound {
            function: function.to_string(),
            kind: kind.to_string(),
            id: crate::api::quote::cut(id),
            message,
        }),
        // A modify also names other objects (a job's destinations, the job
        // a schedule follows); only a message about the object itself means
        // it is gone.
        (_, Some(_))
            if params.get("action") == Some("modify")
                && message_means_not_found(&message)
                && modified_kind(function)
                    .is_some_and(|(word, _)| message.to_ascii_lowercase().contains(word)) =>
        {
            Err(ApiError::NotFound {
                function: function.to_string(),
                kind: modified_kind(function)
                    .map_or("", |(_, kind)| kind)
                    .to_string(),
                id: crate::api::quote::cut(params.get("_id").unwrap_or_default()),
                message,
            })
        }
        _ => Err(ApiError::Refused {
            function: function.to_string(),
            message,
        }),
    }
}

/// Longest server message quoted in an error, in characters.
const MAX_MESSAGE_CHARS: usize = 1000;

/// A server message as it may be shown: control characters (which could
/// drive the user's terminal) become spaces, secrets are masked, and a
/// runaway message is cut.
pub(super) fn clean_message(message: &str, secrets: &[&str]) -> String {
    let mut m: String = message
        .chars()
        .take(MAX_MESSAGE_CHARS + 512)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    // `secrets` are already in every spelling (`Secrets`), longest first.
    for secret in secrets.iter().filter(|s| s.len() >= 4) {
        m = m.replace(secret, "<redacted>");
    }
    if m.chars().count() > MAX_MESSAGE_CHARS {
        m = m.chars().take(MAX_MESSAGE_CHARS).collect::<String>() + "…";
    }
    m
}

/// The job object in a reply's `data`; a field whose JSON type cannot mean
/// what the field means is refused, naming its path (`data.schedules[1].retain`).
pub fn decode_job(function: &str, envelope: Envelope) -> Result<BackupJob, ApiError> {
    crate::api::wire_json::decode_object_at(envelope.data, "data")
        .map_err(|e| bad_data(function, e))
}

/// A reply whose `data` does not decode (`e` says where and what was found).
fn bad_data(function: &str, e: String) -> ApiError {
    ApiError::BadResponse {
        function: function.to_string(),
        reason: format!("`data` does not have the expected shape: {e}"),
        snippet: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hand-written placement of each function agrees with the object
    /// tables: a table-described object's get and delete name it, its
    /// manage modifies it.
    #[test]
    fn every_object_kind_is_found_by_its_functions() {
        for kind in crate::api::object::OBJECTS {
            assert_eq!(object_kind(kind.get), Some(kind.title), "{}", kind.get);
            assert_eq!(
                object_kind(kind.delete),
                Some(kind.title),
                "{}",
                kind.delete
            );
            // A job gone is "job" in a refusal (below); any other kind's title.
            let (word, modified) = modified_kind(kind.manage).expect("a manage function");
            assert_eq!(modified, kind.title);
            assert!(
                word == kind.title || kind.manage == "manageBackupJob",
                "{word}"
            );
            // A lost create of a destination is not called a backup job.
            assert_eq!(created_kind(kind.manage), kind.title);
            assert_eq!(object_kind(kind.list), None);
        }
        assert_eq!(object_kind("getBackupJob"), Some("backup job"));
        assert_eq!(
            modified_kind("manageBackupJob"),
            Some(("job", "backup job"))
        );
        assert_eq!(object_kind("noSuchFunction"), None);
    }

    #[test]
    fn not_found_wording() {
        assert!(message_means_not_found("Backup Job not found"));
        assert!(message_means_not_found("No such backup job"));
        assert!(!message_means_not_found("Invalid destination"));
    }
}
