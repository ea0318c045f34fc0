//! What the `jetbackup_hook(s)` and `jetbackup_notification_integration(s)`
//! data sources expose: the resources' own attributes, from their tables,
//! decoded by the same codec (never the SMTP password).

use serde_json::{Map, Value as Json};

use super::data_source::table::{object_values, table_fields};
use super::data_source::{DataAttribute, Exposed, Filter};
use super::listing::{Hook, NotificationIntegration};
use crate::api::object::hook::HOOK;
use crate::api::object::notification_integration::{INTEGRATION_TYPES, NOTIFICATION_INTEGRATION};

impl Exposed for Hook {
    const SINGULAR: &'static str = "hook";
    const PLURAL: &'static str = "hooks";
    const FUNCTIONS: &'static str = "`listHooks` (and `getHook` for an ID not in the list)";

    fn fields() -> Vec<DataAttribute> {
        table_fields(&HOOK, "The hook's ID (JetBackup `_id`).")
    }

    fn values(&self) -> Map<String, Json> {
        object_values(&HOOK, &self.0, false)
    }

    fn filters() -> &'static [Filter] {
        &[Filter::Disabled]
    }
}

impl Exposed for NotificationIntegration {
    const SINGULAR: &'static str = "notification_integration";
    const PLURAL: &'static str = "notification_integrations";
    const FUNCTIONS: &'static str =
        "`listNotificationIntegrations` (and `getNotificationIntegration` for an ID not in the list)";

    fn fields() -> Vec<DataAttribute> {
        table_fields(
            &NOTIFICATION_INTEGRATION,
            "The notification integration's ID (JetBackup `_id`).",
        )
    }

    fn values(&self) -> Map<String, Json> {
        object_values(&NOTIFICATION_INTEGRATION, &self.0, false)
    }

    fn filters() -> &'static [Filter] {
        &[Filter::Type, Filter::Disabled]
    }

    fn type_values() -> Option<Vec<String>> {
        Some(
            INTEGRATION_TYPES
                .iter()
                .map(|c| c.label.to_string())
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::seed::builtin;

    /// A looked-up integration reads like the resource: labels, not codes;
    /// the SMTP password never.
    #[test]
    fn the_default_integration_reads_in_the_resource_shapes() {
        let seed = builtin();
        let n = seed
            .notification_integrations
            .first()
            .expect("a fresh server has its default e-mail notification");
        let v = NotificationIntegration(n.clone()).values();
        let names: Vec<String> = NotificationIntegration::fields()
            .into_iter()
            .map(|f| f.name)
            .collect();
        let mut keys: Vec<&String> = v.keys().collect();
        keys.sort();
        let mut want: Vec<&String> = names.iter().collect();
        want.sort();
        assert_eq!(keys, want);
        assert_eq!(v["type"], "email", "{v:?}");
        assert!(!v.contains_key("smtp_password"));
    }
}
