//! The notification integration table: `manageNotificationIntegration`,
//! `getNotificationIntegration`, `listNotificationIntegrations`,
//! `deleteNotificationIntegration`.
//!
//! An integration is one channel JetBackup sends its alerts through (e-mail,
//! syslog, a notification plugin), with a delivery frequency per alert
//! level: `frequency[1]` (information), `frequency[2]` (warning) and
//! `frequency[4]` (critical), each real time (1) or a daily digest (2). All
//! three are always sent on create, so the server's undocumented defaults
//! never matter. The type-specific settings travel under `options[...]`;
//! only the e-mail options are documented (in JetApps' own migration tool),
//! so syslog has none here.

use super::{Docs, Field, ObjectKind, ValueKind};
use crate::api::table::{Choice, Fixed, Role};

pub const EMAIL: i64 = 1;
pub const SYSLOG: i64 = 2;

/// `type`: the key `listNotificationIntegrationTypes` lists. The label is
/// what users write, `doc` the key on the wire.
pub const INTEGRATION_TYPES: &[Choice] = &[
    Choice {
        label: "email",
        code: EMAIL,
        doc: "Email",
    },
    Choice {
        label: "syslog",
        code: SYSLOG,
        doc: "Syslog",
    },
];

/// A `frequency[level]` value.
pub const FREQUENCIES: &[Choice] = &[
    Choice {
        label: "realtime",
        code: 1,
        doc: "Real Time",
    },
    Choice {
        label: "daily",
        code: 2,
        doc: "Once a Day",
    },
];

/// `options[smtp_secure]`: blank is a plain connection (inferred from
/// JetBackup 4's settings).
pub const SMTP_SECURITY: &[Choice] = &[
    Choice {
        label: "none",
        code: 0,
        doc: "",
    },
    Choice {
        label: "ssl",
        code: 1,
        doc: "ssl",
    },
    Choice {
        label: "tls",
        code: 2,
        doc: "tls",
    },
];

const NOTES: &str = r#"## Alert levels

JetBackup raises alerts at three levels: **information** (routine events: jobs started or finished, plugin updates), **warning** (partial completions and problems that did not stop a task) and **critical** (failed, aborted or never-finished tasks, jobs that have not run for days, licence problems). An integration sends each level either as it happens (`realtime`) or in a daily digest (`daily`); all three default to `realtime`, like JetBackup's own "Default Email Notification". No JetBackup source documents a way to switch one level off, so there is none here: for a failure notification, set `critical = "realtime"` and send the other levels `daily`.

## Secrets and state

`smtp_password` is sensitive: Terraform hides it in plans and output, and the provider never logs it or puts it in an error. JetBackup is inferred to return it masked, as it does destination secrets, so the provider keeps the configured value in state and a password left unchanged causes no diff; a password changed only in the panel cannot be seen. Over the cli transport a plan that would send it fails before anything is sent. Protect the state as for destination secrets.

With Terraform 1.11 and later, `smtp_password_wo` with `smtp_password_wo_version` keeps the password out of plans and state altogether, as for destination secrets: a write-only value, from the configuration only (an ephemeral variable may feed it), sent on create and whenever the version changes. Write either `smtp_password` or the write-only pair, never both.

## Plugins

`email` is built into JetBackup; `syslog` is a notification plugin that must be installed and enabled first (JetBackup › Settings › Plugins). A create whose type `listNotificationIntegrationTypes` does not list is refused by JetBackup, and the error says so.

## The default integration

A fresh JetBackup server has a "Default Email Notification". Adopt it with `terraform import` rather than creating a second one; whether it can be deleted is not documented.
"#;

#[rustfmt::skip]
pub const NOTIFICATION_INTEGRATION: ObjectKind = ObjectKind {
    name: "notification_integration",
    title: "notification integration",
    manage: "manageNotificationIntegration",
    get: "getNotificationIntegration",
    list: "listNotificationIntegrations",
    delete: "deleteNotificationIntegration",
    // The vendor's example reply; its table says `integrations`.
    collection: "notifications",
    discriminator: "type",
    doc: "A JetBackup 5 notification integration: where JetBackup sends its alerts (e-mail through the local mail server or SMTP, or syslog), and how often per alert level. Managed with `manageNotificationIntegration`, read with `getNotificationIntegration`, deleted with `deleteNotificationIntegration`. Changing `type` replaces the integration, since its options depend on it.",
    blocks: &[],
    notes: NOTES,
    docs: Docs::Generated,
    fields: &[
        Field { attr: "name", wire: "name", kind: ValueKind::Text, role: Role::Required, types: &[], replace: false, note: "", doc: "The integration's name." },
        Field { attr: "type", wire: "type", kind: ValueKind::Key(INTEGRATION_TYPES), role: Role::Required, types: &[], replace: true, note: "", doc: "The channel: `email` (JetBackup's `Email`, built in) or `syslog` (`Syslog`, a plugin)." },
        Field { attr: "information", wire: "frequency[1]", kind: ValueKind::Label(FREQUENCIES), role: Role::Defaulted(Fixed::Label("realtime")), types: &[], replace: false, note: "", doc: "How information alerts are sent: `realtime` or `daily` (a digest). Defaults to `realtime`." },
        Field { attr: "warning", wire: "frequency[2]", kind: ValueKind::Label(FREQUENCIES), role: Role::Defaulted(Fixed::Label("realtime")), types: &[], replace: false, note: "", doc: "How warning alerts are sent: `realtime` or `daily`. Defaults to `realtime`." },
        Field { attr: "critical", wire: "frequency[4]", kind: ValueKind::Label(FREQUENCIES), role: Role::Defaulted(Fixed::Label("realtime")), types: &[], replace: false, note: "", doc: "How critical alerts (failed tasks) are sent: `realtime` or `daily`. Defaults to `realtime`." },
        Field { attr: "recipients", wire: "options[recipients]", kind: ValueKind::JoinedSet, role: Role::Optional, types: &[EMAIL], replace: false, note: "", doc: "E-mail: the addresses alerts go to. Sent as one comma-separated value, as JetBackup expects. JetBackup's own \"Default Email Notification\" has none (where its mail goes is not documented), so an integration without recipients can be imported and kept as it is." },
        Field { attr: "smtp_host", wire: "options[smtp_host]", kind: ValueKind::Text, role: Role::ServerDefault(None), types: &[EMAIL], replace: false, note: "", doc: "E-mail: the SMTP server to send through. Unset: JetBackup's setting (the local mail server on a new integration)." },
        Field { attr: "smtp_port", wire: "options[smtp_port]", kind: ValueKind::Range { min: 1, max: 65535 }, role: Role::ServerDefault(None), types: &[EMAIL], replace: false, note: "", doc: "E-mail: the SMTP server's port." },
        Field { attr: "smtp_security", wire: "options[smtp_secure]", kind: ValueKind::Key(SMTP_SECURITY), role: Role::ServerDefault(None), types: &[EMAIL], replace: false, note: "", doc: "E-mail: the SMTP connection's encryption: `none`, `ssl` or `tls` (JetBackup's blank, `ssl`, `tls`; inferred from JetBackup 4)." },
        Field { attr: "smtp_verify_ssl", wire: "options[smtp_verifyssl]", kind: ValueKind::Bool, role: Role::ServerDefault(None), types: &[EMAIL], replace: false, note: "", doc: "E-mail: whether the SMTP server's certificate is verified." },
        Field { attr: "smtp_timeout", wire: "options[smtp_timeout]", kind: ValueKind::Count, role: Role::ServerDefault(None), types: &[EMAIL], replace: false, note: "", doc: "E-mail: the SMTP connection timeout in seconds." },
        Field { attr: "smtp_from", wire: "options[smtp_from]", kind: ValueKind::Text, role: Role::ServerDefault(None), types: &[EMAIL], replace: false, note: "", doc: "E-mail: the sender address." },
        Field { attr: "smtp_username", wire: "options[smtp_username]", kind: ValueKind::Text, role: Role::ServerDefault(None), types: &[EMAIL], replace: false, note: "", doc: "E-mail: the SMTP login user." },
        Field { attr: "smtp_password", wire: "options[smtp_password]", kind: ValueKind::Secret { masked: true }, role: Role::Optional, types: &[EMAIL], replace: false, note: "", doc: "E-mail: the SMTP login password. Sensitive; JetBackup is inferred to return it masked, so the configured value is kept in state." },
        Field { attr: "disabled", wire: "disabled", kind: ValueKind::Bool, role: Role::ServerDefault(Some(Fixed::Bool(false))), types: &[], replace: false, note: "", doc: "Whether the integration is disabled (nothing is sent through it). Unset: JetBackup's default, enabled." },
        Field { attr: "owner", wire: "owner", kind: ValueKind::Text, role: Role::ReadOnly { moves_with: &[] }, types: &[], replace: false, note: "", doc: "Account ID of the integration's owner." },
        Field { attr: "owner_name", wire: "owner_name", kind: ValueKind::Text, role: Role::ReadOnly { moves_with: &[] }, types: &[], replace: false, note: "", doc: "Account name of the integration's owner (empty on JetBackup's default integration)." },
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::object::{decode, encode, keep_secrets, Target, Val, Values, MASK};
    use serde_json::json;

    fn ops() -> Values {
        let mut v = Values::new();
        v.insert("name", Val::Text("Ops e-mail".into()));
        v.insert("type", Val::Text("email".into()));
        for level in ["information", "warning"] {
            v.insert(level, Val::Text("daily".into()));
        }
        v.insert("critical", Val::Text("realtime".into()));
        v.insert(
            "recipients",
            Val::Texts(["ops@example.com".to_string(), "b+y@example.com".to_string()].into()),
        );
        v.insert("smtp_password", Val::Text("pa55".into()));
        v
    }

    #[test]
    fn a_create_sends_every_level_and_the_recipients_joined() {
        let p = encode(&NOTIFICATION_INTEGRATION, &ops(), Target::Create);
        assert_eq!(
            p.encode(),
            "action=create&name=Ops%20e%2Dmail&type=Email&frequency%5B1%5D=2&frequency%5B2%5D=2&frequency%5B4%5D=1&options%5Brecipients%5D=b%2By%40example%2Ecom%2Cops%40example%2Ecom&options%5Bsmtp_password%5D=pa55"
        );
        assert!(!p.redacted().contains("pa55"), "{}", p.redacted());
    }

    #[test]
    fn the_readback_splits_recipients_and_keeps_the_masked_password() {
        let raw = json!({"_id": "6503fa00ebbf07708d06f401", "name": "Ops e-mail", "owner": "o",
            "owner_name": "root", "type": "Email", "frequency": {"1": 2, "2": "2", "4": 1},
            "disabled": "", "options": {"recipients": ["ops@example.com", "b+y@example.com"],
            "smtp_password": MASK}});
        let (_, server) = decode(&NOTIFICATION_INTEGRATION, &raw).expect("decodes");
        assert_eq!(server.get("critical"), Some(&Val::Text("realtime".into())));
        assert_eq!(server.get("warning"), Some(&Val::Text("daily".into())));
        assert!(!server.contains_key("smtp_password"));
        let kept = keep_secrets(&NOTIFICATION_INTEGRATION, server, &ops());
        let mut want = ops();
        want.insert("disabled", Val::Bool(false));
        want.insert("owner", Val::Text("o".into()));
        want.insert("owner_name", Val::Text("root".into()));
        assert_eq!(kept, want);
        // The written form, one comma-separated string, reads the same.
        let mut joined = raw.clone();
        joined["options"]["recipients"] = json!("ops@example.com, b+y@example.com");
        let (_, v) = decode(&NOTIFICATION_INTEGRATION, &joined).expect("decodes");
        assert_eq!(v.get("recipients"), ops().get("recipients"));
    }
}
