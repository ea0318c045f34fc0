//! Destinations in the simulator: the [`RULES`] of `manageDestination` on the destination
//! table, `deleteDestination` (refused while a job writes to it),
//! `listDestinationTypes` (the plugins a seed says are installed), and the
//! readback with secrets masked as JetBackup shows them.

use std::time::Duration;

use serde_json::{json, Value};

use crate::api::object::destination::{destination_type_name, DESTINATION};
use crate::api::object::Record;
use crate::api::wire::FormValue;

use super::form::opt_scalar;
use super::objectid::IdGen;
use super::seed::{account, SimData, ROOT_ACCOUNT_ID};
use super::table_write::{Action, Rules};
use super::write::{mask_secrets, Written};

/// `listDestinationTypes` as the reference's 5.3 example shows it: the
/// built-in types and the installed plugins', `type` 1 backup, 2 clones.
const TYPES: &[(&str, &str, &str, i64, bool)] = &[
    ("Localv2", "Local", "5.3.3", 1, false),
    ("Local", "Local (Legacy)", "5.3.3", 1, false),
    ("Clones", "SSH", "5.3.3", 2, false),
    ("S3", "S3 Compatible", "1.1.2-8", 1, true),
    ("SSH", "SSH (Legacy)", "1.1.2-1", 1, true),
];

fn installed(data: &SimData, key: &str) -> bool {
    TYPES.iter().any(|(k, _, _, _, plugin)| {
        *k == key && (!plugin || !data.missing_plugins.iter().any(|m| m == key))
    })
}

pub fn destination_types(data: &SimData) -> Value {
    let types: Vec<Value> = TYPES
        .iter()
        .filter(|(key, ..)| installed(data, key))
        .map(|(key, name, version, job_type, _)| {
            json!({"key": key, "name": name, "version": version, "experimental": "", "type": job_type})
        })
        .collect();
    json!({ "types": types, "total": types.len() })
}

pub(super) const RULES: Rules = Rules {
    kind: &DESTINATION,
    title: "Destination",
    // Inferred wording.
    created: "Destination Created Successfully",
    updated: "Destination Updated Successfully",
    // Seen.
    deleted: "Destination Deleted Successfully",
    stored: |d| &mut d.destinations,
    written: Written::Destination,
    refuse: Some(refuse),
    request: None,
    created_with,
    modified_with: None,
    in_use: Some(in_use),
    deleted_with: None,
};

/// A create of a type whose plugin is missing; `readonly` on a modify.
fn refuse(data: &SimData, form: &FormValue, action: Action) -> Result<(), String> {
    match action {
        Action::Create => {
            let key = opt_scalar(form, "type")?.unwrap_or_default();
            if !key.is_empty() && !installed(data, key) && TYPES.iter().any(|t| t.0 == key) {
                // Inferred wording: no source shows the real refusal.
                return Err(format!(
                    "Destination type '{key}' is not available: its plugin is not installed or not enabled"
                ));
            }
        }
        Action::Modify => {
            if form.get("readonly").is_some() {
                // Seen in the manageDestination table.
                return Err(
                    "Invalid parameter 'readonly': Existing destinations cannot be edited to Read-Only"
                        .to_string(),
                );
            }
        }
    }
    Ok(())
}

fn created_with(_: &mut SimData, _: &mut IdGen, _: Duration, d: &mut Record) {
    if d.str("owner").is_empty() {
        d.set("owner", ROOT_ACCOUNT_ID);
    }
    d.set("job_type", 1);
}

/// Names of the jobs that write to a destination.
fn jobs_using<'a>(data: &'a SimData, id: &'a str) -> Vec<&'a str> {
    super::backup_job::jobs_using(data, "destination", id)
        .map(Record::name)
        .collect()
}

fn in_use(data: &SimData, d: &Record) -> Result<(), String> {
    let users = jobs_using(data, d.id());
    if users.is_empty() {
        return Ok(());
    }
    // Inferred: what JetBackup does with a destination jobs still use is
    // not documented; refusing is the safe reading, as for schedules.
    Err(format!(
        "Destination '{}' is used by {} backup job(s) ({}); remove it from them before deleting it",
        d.name(),
        users.len(),
        users.join(", ")
    ))
}

/// A destination as returned: the number of jobs that use it, its owner's
/// name and its type's display name (the 5.4 shape; inferred: the names
/// `listDestinationTypes` shows), and its secrets hidden: `secret_key` (and,
/// inferred, every other masked secret) as the mask, `access_key` empty, as
/// the reference's examples show.
pub fn render_destination(data: &SimData, d: &Record) -> Record {
    let mut d = d.clone();
    if let Some(a) = account(d.str("owner")) {
        d.set("owner_name", a.username);
    }
    let key = d.str("type").to_string();
    d.set("type_name", destination_type_name(&key).unwrap_or(&key));
    d.set("count", jobs_using(data, d.id()).len());
    mask_secrets(&DESTINATION, &mut d);
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::object::MASK;
    use crate::api::wire::parse_pairs;
    use crate::sim::seed::builtin;
    use crate::sim::table_write::{delete, manage};

    fn form(body: &str) -> FormValue {
        FormValue::from_pairs(&parse_pairs(body))
    }

    const S3: &str = "action=create&type=S3&name=Off&options[path]=/jb&options[bucket]=b&options[region]=r&options[access_key]=AK&options[secret_key]=SK";

    #[test]
    fn secrets_are_stored_and_shown_masked_and_the_mask_keeps_them() {
        let mut data = builtin();
        let mut ids = IdGen::new(1);
        let (_, w) = manage(
            &RULES,
            &mut data,
            &mut ids,
            &form(S3),
            Duration::from_secs(1_700_000_000),
        )
        .expect("created");
        let Written::Destination(id) = w else {
            panic!("no destination")
        };
        let stored = data
            .destinations
            .iter()
            .find(|d| d.id() == id)
            .expect("stored")
            .clone();
        assert_eq!(stored["options"]["secret_key"], "SK");
        assert_eq!(
            (stored.int("threads"), stored.int("disk_limit")),
            (10, 0),
            "inferred defaults"
        );
        let shown = render_destination(&data, &stored);
        assert_eq!(shown["options"]["secret_key"], MASK);
        assert_eq!(shown["options"]["access_key"], "");
        assert_eq!(shown["type_name"], "S3 Compatible");
        let body = format!(
            "action=modify&_id={id}&options[secret_key]={}",
            crate::api::wire::percent_encode(MASK)
        );
        manage(
            &RULES,
            &mut data,
            &mut ids,
            &form(&body),
            Duration::from_secs(1_700_000_001),
        )
        .expect("modified");
        let kept = data
            .destinations
            .iter()
            .find(|d| d.id() == id)
            .expect("kept");
        assert_eq!(
            kept["options"]["secret_key"], "SK",
            "the mask keeps the secret"
        );
    }

    #[test]
    fn a_missing_plugin_a_used_destination_and_readonly_on_modify_are_refused() {
        let mut data = builtin();
        data.missing_plugins = vec!["S3".into()];
        let mut ids = IdGen::new(1);
        let now = Duration::from_secs(1_700_000_000);
        let e = manage(&RULES, &mut data, &mut ids, &form(S3), now)
            .err()
            .expect("refused");
        assert!(e.contains("'S3'") && e.contains("plugin"), "{e}");
        let keys: Vec<String> = destination_types(&data)["types"]
            .as_array()
            .map(|t| {
                t.iter()
                    .map(|t| t["key"].as_str().unwrap_or("").to_string())
                    .collect()
            })
            .unwrap_or_default();
        assert!(!keys.contains(&"S3".to_string()) && keys.contains(&"SSH".to_string()));
        let local = data.destinations[0].id().to_string();
        let e = manage(
            &RULES,
            &mut data,
            &mut ids,
            &form(&format!("action=modify&_id={local}&readonly=1")),
            now,
        )
        .err()
        .expect("refused");
        assert!(e.contains("Read-Only"), "{e}");
        data.backup_jobs.push(Record::from_json(
            serde_json::json!({"name": "Nightly", "destination": [local]}),
        ));
        let e = delete(&RULES, &mut data, &form(&format!("_id={local}")))
            .err()
            .expect("refused");
        assert!(e.contains("Nightly"), "{e}");
        assert!(data.destinations.iter().any(|d| d.id() == local));
        let e = manage(&RULES, &mut data, &mut ids, &form("action=create&type=SSH&name=s&options[path]=/b&options[host]=h&options[username]=u"), now).err().expect("refused");
        assert!(e.contains("'options[password]'"), "{e}");
    }
}
