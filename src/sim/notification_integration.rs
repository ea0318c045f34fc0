//! Notification integrations in the simulator: the [`RULES`] of `manageNotificationIntegration`
//! on the integration's table, `deleteNotificationIntegration`,
//! `listNotificationIntegrationTypes` (the built-in e-mail type and the
//! plugins a seed says are installed), and the readback with the SMTP
//! password masked.

use std::time::Duration;

use serde_json::{json, Value};

use crate::api::object::notification_integration::NOTIFICATION_INTEGRATION;
use crate::api::object::Record;
use crate::api::wire::FormValue;

use super::form::opt_scalar;
use super::objectid::IdGen;
use super::seed::{account, SimData, ROOT_ACCOUNT_ID};
use super::table_write::{Action, Rules};
use super::write::{mask_secrets, Written};

/// `listNotificationIntegrationTypes` as the reference's example shows it:
/// (key, name, description, version, is a plugin).
const TYPES: &[(&str, &str, &str, &str, bool)] = &[
    (
        "Email",
        "Email",
        "Send notifications by e-mail",
        "5.3.3",
        false,
    ),
    (
        "Syslog",
        "Syslog",
        "Send notifications to syslog",
        "1.1.0",
        true,
    ),
];

fn installed(data: &SimData, key: &str) -> bool {
    TYPES.iter().any(|(k, _, _, _, plugin)| {
        *k == key && (!plugin || !data.missing_plugins.iter().any(|m| m == key))
    })
}

pub fn notification_types(data: &SimData) -> Value {
    let types: Vec<Value> = TYPES
        .iter()
        .filter(|(key, ..)| installed(data, key))
        .map(|(key, name, description, version, _)| {
            json!({"key": key, "name": name, "description": description, "version": version})
        })
        .collect();
    json!({ "types": types, "total": types.len() })
}

pub(super) const RULES: Rules = Rules {
    kind: &NOTIFICATION_INTEGRATION,
    title: "Notification Integration",
    // Seen (N-MNI); the vendor's page shows the create message for a modify
    // too.
    created: "Notification Integration Created Successfully",
    updated: "Notification Integration Created Successfully",
    // Seen (N-DNI).
    deleted: "Notification Integration Deleted Successfully",
    stored: |d| &mut d.notification_integrations,
    written: Written::NotificationIntegration,
    refuse: Some(refuse),
    request: None,
    created_with,
    modified_with: None,
    in_use: None,
    deleted_with: None,
};

/// A create of a type whose plugin is missing.
fn refuse(data: &SimData, form: &FormValue, action: Action) -> Result<(), String> {
    let key = opt_scalar(form, "type")?.unwrap_or_default();
    if action == Action::Create
        && !key.is_empty()
        && !installed(data, key)
        && TYPES.iter().any(|t| t.0 == key)
    {
        // Inferred wording: no source shows the real refusal.
        return Err(format!(
            "Notification integration type '{key}' is not available: its plugin is not installed or not enabled (listNotificationIntegrationTypes does not list it)"
        ));
    }
    Ok(())
}

fn created_with(_: &mut SimData, _: &mut IdGen, _: Duration, n: &mut Record) {
    // Inferred: it belongs to the API user that created it.
    n.set("owner", ROOT_ACCOUNT_ID);
    if n.get("options").is_none_or(Value::is_null) {
        n.set("options", json!({}));
    }
}

/// An integration as returned: its owner's name (empty for an owner the
/// panel does not know, as on the default integration) and its protected
/// options masked (inferred: as destination secrets are).
pub fn render_notification_integration(n: &Record) -> Record {
    let mut n = n.clone();
    if let Some(a) = account(n.str("owner")) {
        n.set("owner_name", a.username);
    }
    mask_secrets(&NOTIFICATION_INTEGRATION, &mut n);
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::seed::builtin;

    fn call(data: &mut SimData, body: &str) -> Result<(&'static str, Written), String> {
        crate::sim::table_write::manage_body(&RULES, data, body)
    }

    #[test]
    fn a_type_whose_plugin_is_missing_is_refused_and_not_listed() {
        let mut d = builtin();
        d.missing_plugins = vec!["Syslog".into()];
        let listed = notification_types(&d);
        assert_eq!(listed["types"].as_array().map(Vec::len), Some(1));
        let before = d.notification_integrations.len();
        let e = call(&mut d, "action=create&name=s&type=Syslog")
            .err()
            .expect("refused");
        assert!(
            e.contains("Syslog") && e.contains("listNotificationIntegrationTypes"),
            "{e}"
        );
        assert_eq!(d.notification_integrations.len(), before);
        d.missing_plugins.clear();
        assert!(call(&mut d, "action=create&name=s&type=Syslog").is_ok());
    }

    #[test]
    fn recipients_are_split_and_the_password_comes_back_masked() {
        let mut d = builtin();
        call(
            &mut d,
            "action=create&name=Ops&type=Email&frequency[1]=2&frequency[2]=2&frequency[4]=1&options[recipients]=a%40x.com,%20b%2By%40x.com&options[smtp_password]=pa55",
        )
        .expect("created");
        let n = render_notification_integration(d.notification_integrations.last().expect("one"));
        assert_eq!(n["options"]["recipients"], json!(["a@x.com", "b+y@x.com"]));
        assert_eq!(n["options"]["smtp_password"], crate::api::object::MASK);
        assert_eq!(n["frequency"], json!({"1": 2, "2": 2, "4": 1}));
        let e = call(
            &mut d,
            "action=create&name=Ops&type=Email&frequency[4]=3&options[recipients]=a%40x.com",
        )
        .err()
        .expect("bad frequency");
        assert!(e.contains("frequency"), "{e}");
        // Inferred: an e-mail integration may have no recipients, as
        // JetBackup's own default one has none.
        call(&mut d, "action=create&name=Plain&type=Email").expect("no recipients");
        let n = render_notification_integration(d.notification_integrations.last().expect("one"));
        assert_eq!(n["options"].get("recipients"), None);
    }
}
