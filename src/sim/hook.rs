//! The hook's writes ([`super::table_write`] with [`RULES`]): `manageHook`
//! (checked against the hook's table by [`super::object_request`]: a script
//! that is not an absolute path, an unknown `position` or a listed job or
//! destination that does not exist is refused) and `deleteHook`. The
//! simulator never runs a script.

use std::time::Duration;

use crate::api::object::hook::HOOK;
use crate::api::object::Record;

use super::objectid::IdGen;
use super::seed::{account, SimData, ROOT_ACCOUNT_ID};
use super::table_write::Rules;
use super::write::Written;

/// Seen (H-MHA): one message for a create and a modify.
const SAVED: &str = "Hook Created/Updated Successfully";

pub(super) const RULES: Rules = Rules {
    kind: &HOOK,
    title: "Hook",
    created: SAVED,
    updated: SAVED,
    // Seen (H-DEL).
    deleted: "Hook Deleted Successfully",
    stored: |d| &mut d.hooks,
    written: Written::Hook,
    refuse: None,
    request: None,
    created_with,
    modified_with: None,
    in_use: None,
    deleted_with: None,
};

fn created_with(_: &mut SimData, _: &mut IdGen, _: Duration, h: &mut Record) {
    // Inferred: a hook belongs to the API user that created it.
    h.set("owner", ROOT_ACCOUNT_ID);
    if h.get("data_list").is_none_or(serde_json::Value::is_null) {
        // Seen: an unlimited hook prints an empty `data_list`.
        h.set("data_list", serde_json::json!([]));
    }
}

/// A hook as returned, with its owner's name.
pub fn render_hook(h: &Record) -> Record {
    let mut h = h.clone();
    if let Some(a) = account(h.str("owner")) {
        h.set("owner_name", a.username);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::seed::{builtin, DEST_LOCAL_ID};

    fn call(data: &mut SimData, body: &str) -> Result<(&'static str, Written), String> {
        crate::sim::table_write::manage_body(&RULES, data, body)
    }

    #[test]
    fn a_script_that_is_not_an_absolute_path_is_refused_and_nothing_stored() {
        let mut d = builtin();
        let e = call(
            &mut d,
            "action=create&name=h&script=hooks/dump.sh&position_type=1&position=1",
        )
        .err()
        .expect("refused");
        assert!(e.contains("'script'") && e.contains("absolute path"), "{e}");
        assert!(d.hooks.is_empty());
        let e = call(
            &mut d,
            "action=create&name=h&script=/x&position_type=1&position=2",
        )
        .err()
        .expect("code 2 refused");
        assert!(e.contains("'position'"), "{e}");
    }

    #[test]
    fn a_reindex_hook_lists_destinations_that_exist() {
        let mut d = builtin();
        let body = format!(
            "action=create&name=h&script=/root/x.sh&position_type=2&position=5&data_list[0]={DEST_LOCAL_ID}"
        );
        let (message, _) = call(&mut d, &body).expect("created");
        assert_eq!(message, SAVED);
        let h = render_hook(&d.hooks[0]);
        let v = h.to_json();
        assert_eq!(v["data_list"], serde_json::json!([DEST_LOCAL_ID]));
        assert_eq!(v["owner_name"], "root");
        let e = call(
            &mut d,
            "action=create&name=h&script=/x&position_type=1&position=1&data_list[0]=6503f0a0ebbf07708d06f2ff",
        )
        .err()
        .expect("unknown job");
        assert!(e.contains("not found"), "{e}");
    }
}
