//! `jetbackup_notification_integration` end to end: a real Terraform CLI,
//! the provider binary and a `jetbackup-sim` on loopback. Each test is one
//! user story and runs against every Terraform CLI found.

mod support;

use jetbackup::api::object::notification_integration::NOTIFICATION_INTEGRATION as N;
use jetbackup::api::object::{Val, Values, MASK};
use serde_json::{json, Value};
use support::fixture::SeededServer;
use support::{config, for_each_terraform, Fixture};

const PASSWORD: &str = "smtp-Pa55word-0000000000000000001";
const ROTATED: &str = "smtp-Rotated-00000000000000000002";

fn server(seed: Value) -> SeededServer {
    SeededServer::new("notification_integrations", seed)
}

fn integration(settings: &str) -> String {
    config(&format!(
        "resource \"jetbackup_notification_integration\" \"n\" {{\n{settings}\n}}\n"
    ))
}

/// The issue's everyday form with SMTP settings and a password.
fn smtp(recipients: &str, critical: &str, password: &str) -> String {
    integration(&format!(
        r#"  name            = "Ops e-mail"
  type            = "email"
  recipients      = [{recipients}]
  critical        = "{critical}"
  warning         = "daily"
  information     = "daily"
  smtp_host       = "smtp.example.com"
  smtp_port       = 587
  smtp_security   = "tls"
  smtp_username   = "jetbackup@example.com"
  smtp_password   = "{password}""#
    ))
}

fn text(s: &str) -> Val {
    Val::Text(s.to_string())
}

const ADDR: &str = "jetbackup_notification_integration.n";

#[test]
fn an_email_integration_changes_in_place_rotates_its_password_quietly_and_drifts_back() {
    for_each_terraform(|cli| {
        let server = server(json!({}));
        let f = server.fixture(cli);
        f.apply_converged(&smtp("\"ops@example.com\"", "realtime", PASSWORD), "create");
        let id = f.state_id(ADDR);
        let stored = server.stored(&id);
        assert_eq!(stored["type"], "Email");
        assert_eq!(stored["frequency"], json!({"1": 2, "2": 2, "4": 1}));
        assert_eq!(stored["options"]["recipients"], json!(["ops@example.com"]));
        assert_eq!(stored["options"]["smtp_password"], PASSWORD);
        assert_eq!(stored["options"]["smtp_secure"], "tls");
        let held = f.object(&N, &id).expect("created");
        assert!(!held.contains_key("smtp_password"), "the server shows it");
        assert_eq!(f.state_attr(ADDR, "smtp_password"), json!(PASSWORD));

        // More recipients and critical alerts in the digest: in place.
        let wider = smtp(
            "\"ops@example.com\", \"oncall@example.com\"",
            "daily",
            PASSWORD,
        );
        f.ws.write_config(&wider);
        let plan = f.ws.plan_detailed();
        assert!(
            plan.code == 2 && plan.mentions("0 to add, 1 to change, 0 to destroy"),
            "{plan}"
        );
        f.apply_converged(&wider, "recipients and frequency");
        assert_eq!(f.state_id(ADDR), id);
        assert_eq!(
            server.stored(&id)["options"]["recipients"],
            json!(["oncall@example.com", "ops@example.com"])
        );
        assert_eq!(server.stored(&id)["frequency"]["4"], 2);

        // A rotated password: in place, sent once, nothing else moves.
        let rotated = smtp(
            "\"ops@example.com\", \"oncall@example.com\"",
            "daily",
            ROTATED,
        );
        f.ws.write_config(&rotated);
        let plan = f.ws.plan_detailed();
        assert!(
            plan.code == 2
                && plan.mentions("0 to add, 1 to change, 0 to destroy")
                && !plan.mentions("known after apply"),
            "{plan}"
        );
        let manage = f.calls("manageNotificationIntegration");
        f.apply_converged(&rotated, "rotate the password");
        assert_eq!(f.calls("manageNotificationIntegration"), manage + 1);
        assert_eq!(server.stored(&id)["options"]["smtp_password"], ROTATED);

        // Changed in the panel: planned back.
        let prior = f.object(&N, &id).expect("there");
        let mut edited = prior.clone();
        edited.insert("name", text("Edited in the panel"));
        edited.insert(
            "recipients",
            Val::Texts(["intruder@example.com".into()].into()),
        );
        f.edit_in_panel(&N, &id, &prior, &edited);
        let plan = f.ws.plan_detailed();
        assert!(
            plan.code == 2
                && plan.mentions("updated in-place")
                && plan.mentions("intruder@example.com"),
            "{plan}"
        );
        f.apply_converged(&rotated, "repair the edit");
        assert_eq!(
            f.object(&N, &id).expect("there").get("name"),
            Some(&text("Ops e-mail"))
        );
        assert_eq!(server.stored(&id)["options"]["smtp_password"], ROTATED);

        // Another type replaces it.
        let syslog = integration("  name = \"Syslog\"\n  type = \"syslog\"");
        f.ws.write_config(&syslog);
        let plan = f.ws.plan_detailed();
        assert!(
            plan.code == 2 && plan.mentions("1 to add, 0 to change, 1 to destroy"),
            "{plan}"
        );
        f.apply_converged(&syslog, "email to syslog");
        assert!(f.object(&N, &id).is_none());

        f.ws.destroy().expect_success("destroy");
        // The seed has no default integration: nothing is left.
        let left: Vec<String> = f.objects(&N).into_iter().map(|(id, _)| id).collect();
        assert!(left.is_empty(), "destroy left {left:?}");
    });
}

#[test]
fn import_by_id_then_plan_is_empty_and_deleted_in_the_panel_is_created_again() {
    for_each_terraform(|cli| {
        let f = Fixture::new(cli);
        let mut v = Values::new();
        v.insert("name", text("From the panel"));
        v.insert("type", text("email"));
        v.insert(
            "recipients",
            Val::Texts(["admin@example.com".into()].into()),
        );
        for level in ["information", "warning", "critical"] {
            v.insert(level, text("realtime"));
        }
        let reply =
            f.rt.block_on(f.api.create_object(&N, &v))
                .expect("manageNotificationIntegration");
        let id = reply["_id"].as_str().expect("an _id").to_string();
        let hcl = integration(
            "  name       = \"From the panel\"\n  type       = \"email\"\n  recipients = [\"admin@example.com\"]",
        );
        f.ws.write_config(&hcl);
        let bad = f.ws.import(ADDR, "nope");
        assert!(!bad.success() && bad.mentions("24 hexadecimal"), "{bad}");
        let before = f.write_calls();
        f.ws.import(ADDR, &id).expect_success("import");
        let plan = f.ws.plan_detailed();
        assert_eq!(plan.code, 0, "after import on {cli}:\n{plan}");
        assert_eq!(f.write_calls(), before, "importing wrote to the server");

        f.rt.block_on(f.api.delete_object(&N, &id))
            .expect("delete in the panel");
        let plan = f.ws.plan_detailed();
        assert!(plan.code == 2 && plan.mentions("will be created"), "{plan}");
        f.apply_converged(&hcl, "re-create");
        assert_ne!(f.state_id(ADDR), id);
    });
}

#[test]
fn the_password_never_reaches_output_logs_or_the_state_masked() {
    for_each_terraform(|cli| {
        let server = server(json!({"missing_plugins": ["Syslog"]}));
        let (_sim, ws, log) = server.traced_workspace(cli);
        let mut outputs = Vec::new();
        ws.write_config(&smtp("\"ops@example.com\"", "realtime", PASSWORD));
        outputs.push(ws.apply().expect_success("create").combined());
        ws.write_config(&smtp("\"ops@example.com\"", "realtime", ROTATED));
        outputs.push(ws.plan_detailed().combined());
        outputs.push(ws.apply().expect_success("rotate").combined());
        outputs.push(ws.run(&["show"]).combined());
        // A refused write (the Syslog plugin is missing): its diagnostic
        // carries no password either, and says what to do.
        ws.write_config(&format!(
            "{}resource \"jetbackup_notification_integration\" \"s\" {{\n  name = \"Syslog\"\n  type = \"syslog\"\n}}\n",
            smtp("\"ops@example.com\"", "realtime", ROTATED)
        ));
        let out = ws.apply();
        assert!(
            !out.success()
                && out.mentions("Syslog")
                && out.mentions("not installed")
                && out.mentions("listNotificationIntegrationTypes"),
            "{out}"
        );
        assert!(ws
            .state_resource("jetbackup_notification_integration.s")
            .is_none());
        outputs.push(out.combined());
        // `terraform show -json` holds the configured password, never the mask.
        let shown = ws.run(&["show", "-json"]);
        let shown = shown.combined();
        assert!(shown.contains(ROTATED), "the state lost the password");
        assert!(!shown.contains("JB|HIDDEN") && !shown.contains(MASK));
        outputs.push(ws.destroy().expect_success("destroy").combined());
        let log_text = std::fs::read_to_string(&log).expect("TF_LOG_PATH written");
        assert!(
            log_text.contains("manageNotificationIntegration"),
            "no provider log"
        );
        outputs.push(log_text);
        use base64::Engine as _;
        for secret in [PASSWORD, ROTATED] {
            let b64 = base64::engine::general_purpose::STANDARD.encode(secret);
            for (i, text) in outputs.iter().enumerate() {
                assert!(
                    !text.contains(secret) && !text.contains(&b64),
                    "output {i} on {cli} shows the password"
                );
                assert!(
                    !text.contains("JB|HIDDEN"),
                    "output {i} on {cli} shows the mask"
                );
            }
        }
    });
}

#[test]
fn invalid_integrations_fail_at_plan_and_never_reach_the_api() {
    let email = |extra: &str| {
        format!("  name = \"x\"\n  type = \"email\"\n  recipients = [\"a@example.com\"]\n{extra}")
    };
    let cases: Vec<(String, &[&str])> = vec![
        (
            "  name = \"x\"\n  type = \"slack\"".into(),
            &["type", "\"email\", \"syslog\""],
        ),
        (
            "  name = \"x\"\n  type = \"Email\"".into(),
            &["type", "\"email\", \"syslog\""],
        ),
        (
            "  name = \"x\"\n  type = \"email\"\n  recipients = []".into(),
            &["recipients", "is empty"],
        ),
        (
            "  name = \"x\"\n  type = \"email\"\n  recipients = []".into(),
            &["recipients", "empty"],
        ),
        (
            "  name = \"x\"\n  type = \"email\"\n  recipients = [\"a@example.com,b@example.com\"]"
                .into(),
            &["recipients", "without commas"],
        ),
        (
            email("  critical = \"hourly\""),
            &["critical", "\"realtime\", \"daily\""],
        ),
        (
            "  name = \"x\"\n  type = \"syslog\"\n  recipients = [\"a@example.com\"]".into(),
            &["recipients", "\"email\""],
        ),
        (email("  smtp_port = 0"), &["smtp_port", "from 1 to 65535"]),
        (
            email("  smtp_security = \"starttls\""),
            &["smtp_security", "\"none\", \"ssl\", \"tls\""],
        ),
        (
            email(&format!("  smtp_password = \"{MASK}\"")),
            &["smtp_password", "mask"],
        ),
        (email("  owner = \"x\""), &["owner", "read-only"]),
    ];
    for_each_terraform(|cli| {
        let f = Fixture::new(cli);
        let before = f.objects(&N).len();
        for (body, needles) in &cases {
            f.ws.write_config(&integration(body));
            let out = f.ws.plan_detailed();
            assert!(
                !out.success() && out.code == 1,
                "accepted on {cli}:\n{body}\n{out}"
            );
            for n in *needles {
                assert!(out.mentions(n), "{body}\nmissing {n:?} on {cli}:\n{out}");
            }
        }
        // The password over the cli transport: refused at plan, not shown.
        f.ws.write_config(&format!(
            "{}provider \"jetbackup\" {{\n  transport = \"cli\"\n  cli_path  = \"/nonexistent/jetbackup5api\"\n}}\n\nresource \"jetbackup_notification_integration\" \"n\" {{\n{}  smtp_password = \"{PASSWORD}\"\n}}\n",
            support::REQUIRED_PROVIDERS,
            email("")
        ));
        let out = f.ws.plan_detailed();
        assert!(
            !out.success() && out.mentions("cli transport") && out.mentions("Nothing was sent"),
            "{out}"
        );
        assert!(!out.combined().contains(PASSWORD));
        assert_eq!(f.write_calls(), 0, "an invalid integration reached the API");
        assert_eq!(f.objects(&N).len(), before);
    });
}
