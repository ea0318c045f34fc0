//! Write-only secrets (`secret_key_wo` + `secret_key_wo_version`) end to
//! end: a real Terraform CLI (1.11 and later, which have write-only
//! arguments and ephemeral variables), the provider binary and a
//! `jetbackup-sim` on loopback. Each test is one user story and runs
//! against every Terraform CLI found.

mod support;

use jetbackup::api::object::destination::DESTINATION;
use jetbackup::api::object::notification_integration::NOTIFICATION_INTEGRATION;
use serde_json::{json, Value};
use support::fixture::SeededServer;
use support::{config, for_each_terraform, Fixture, TerraformCli, TfOutput, WRITE_ONLY_SINCE};

const SECRET: &str = "wo-Secret-Key-From-An-Ephemeral-Var-0001";
const ROTATED: &str = "wo-Rotated-Secret-Key-Ephemeral-Var-0002";
const PLAIN: &str = "plain-Secret-Key-Kept-In-State-Before-0003";
const ACCESS: &str = "AKIAIOSFODNN7EXAMPLE";

/// Write-only arguments and ephemeral variables need Terraform 1.11.
/// A story on every CLI with write-only arguments (Terraform 1.11 and
/// later; skipped on the others, saying why), each against a simulator of
/// its own.
fn each_cli(story: impl Fn(&TerraformCli, &SeededServer, &Fixture)) {
    for_each_terraform(|cli| {
        if !cli.supports(WRITE_ONLY_SINCE, "write-only arguments") {
            return;
        }
        let server = server();
        let f = server.fixture(cli);
        story(cli, &server, &f);
    });
}

fn server() -> SeededServer {
    SeededServer::new("destinations", json!({}))
}

/// An S3 destination whose secret key comes from the ephemeral variable
/// `secret_key` (TF_VAR_secret_key) at `version`.
fn s3_wo(version: u32) -> String {
    config(&format!(
        r#"variable "secret_key" {{
  type      = string
  ephemeral = true
}}

resource "jetbackup_destination" "s3" {{
  name = "Offsite"
  s3 {{
    bucket                = "backups"
    region                = "us-east-1"
    path                  = "/jetbackup"
    access_key            = "{ACCESS}"
    secret_key_wo         = var.secret_key
    secret_key_wo_version = {version}
  }}
}}
"#
    ))
}

/// The same destination with the secret in its plain form.
fn s3_plain(secret: &str) -> String {
    config(&format!(
        r#"resource "jetbackup_destination" "s3" {{
  name = "Offsite"
  s3 {{
    bucket     = "backups"
    region     = "us-east-1"
    path       = "/jetbackup"
    access_key = "{ACCESS}"
    secret_key = "{secret}"
  }}
}}
"#
    ))
}

fn with_secret(secret: &str) -> [(&'static str, &str); 1] {
    [("TF_VAR_secret_key", secret)]
}

impl Fixture {
    fn run_secret(&self, args: &[&str], secret: &str) -> TfOutput {
        self.ws.run_with_env(args, &with_secret(secret))
    }

    fn plan_secret(&self, secret: &str) -> TfOutput {
        self.run_secret(&["plan", "-detailed-exitcode", "-input=false"], secret)
    }

    fn apply_secret(&self, secret: &str) -> TfOutput {
        self.run_secret(&["apply", "-auto-approve", "-input=false"], secret)
    }

    fn file(&self, name: &str) -> String {
        std::fs::read_to_string(self.ws.dir().join(name)).unwrap_or_default()
    }
}

/// Fails naming `what` if any of `texts` holds one of `secrets` (as is, or
/// base64-encoded as a JSON encoder of bytes would write it).
fn assert_absent(secrets: &[&str], texts: &[(String, String)], cli: &TerraformCli) {
    use base64::Engine as _;
    for secret in secrets {
        let b64 = base64::engine::general_purpose::STANDARD.encode(secret);
        for (what, text) in texts {
            assert!(
                !text.contains(secret) && !text.contains(&b64),
                "{what} on {cli} holds a write-only secret"
            );
        }
    }
}

#[test]
fn a_secret_from_an_ephemeral_variable_reaches_jetbackup_and_nothing_terraform_writes() {
    for_each_terraform(|cli| {
        if !cli.supports(WRITE_ONLY_SINCE, "write-only arguments") {
            return;
        }
        let server = server();
        let (f, log) = server.traced_fixture(cli);
        let mut seen: Vec<(String, String)> = Vec::new();
        f.ws.write_config(&s3_wo(1));

        // A saved plan, then its apply (an ephemeral variable is given
        // again at apply: it is not in the plan).
        let plan = f.run_secret(&["plan", "-input=false", "-out=tfplan"], SECRET);
        let plan = plan.expect_success("plan -out");
        assert!(plan.mentions("1 to add"), "{plan}");
        seen.push(("the plan's output".into(), plan.combined()));
        let saved = std::fs::read(f.ws.dir().join("tfplan")).expect("tfplan");
        let members = support::planfile::members(&saved);
        assert!(
            members.iter().any(|(n, _)| n == "tfplan"),
            "the saved plan's members: {:?}",
            members.iter().map(|(n, _)| n).collect::<Vec<_>>()
        );
        for (name, content) in &members {
            seen.push((
                format!("member {name} of the saved plan"),
                String::from_utf8_lossy(content).to_string(),
            ));
        }
        let shown =
            f.ws.run(&["show", "-json", "tfplan"])
                .expect_success("show plan");
        seen.push(("show -json tfplan".into(), shown.combined()));
        let applied = f
            .run_secret(&["apply", "-input=false", "tfplan"], SECRET)
            .expect_success("apply tfplan");
        seen.push(("the apply's output".into(), applied.combined()));

        // JetBackup got the secret, once.
        let id = f.state_id("jetbackup_destination.s3");
        assert_eq!(server.stored(&id)["options"]["secret_key"], SECRET);
        assert_eq!(f.calls("manageDestination"), 1, "one create");
        let s3 = &f.state_attr("jetbackup_destination.s3", "s3")[0];
        assert_eq!(s3["secret_key_wo"], Value::Null, "{s3}");
        assert_eq!(s3["secret_key"], Value::Null, "{s3}");
        assert_eq!(s3["secret_key_wo_version"], json!(1), "{s3}");
        assert_eq!(s3["access_key"], json!(ACCESS), "the plain form beside it");

        // The next plan is empty.
        let plan = f.plan_secret(SECRET);
        assert_eq!(plan.code, 0, "after create on {cli}:\n{plan}");

        // Another value with the version unchanged sends nothing.
        let writes = f.write_calls();
        let plan = f.plan_secret(ROTATED);
        assert_eq!(
            plan.code, 0,
            "an unchanged version plans nothing on {cli}:\n{plan}"
        );
        f.apply_secret(ROTATED)
            .expect_success("apply, version unchanged");
        assert_eq!(
            f.write_calls(),
            writes,
            "an unchanged version sent something"
        );
        assert_eq!(server.stored(&id)["options"]["secret_key"], SECRET);

        // Bumping the version sends the new secret once, in place.
        f.ws.write_config(&s3_wo(2));
        let plan = f.plan_secret(ROTATED);
        assert!(
            plan.code == 2 && plan.mentions("0 to add, 1 to change, 0 to destroy"),
            "a bump on {cli}:\n{plan}"
        );
        seen.push(("the bump's plan".into(), plan.combined()));
        let manage = f.calls("manageDestination");
        let applied = f.apply_secret(ROTATED).expect_success("apply the bump");
        seen.push(("the bump's apply".into(), applied.combined()));
        assert_eq!(f.calls("manageDestination"), manage + 1, "sent once");
        assert_eq!(server.stored(&id)["options"]["secret_key"], ROTATED);
        assert_eq!(f.state_id("jetbackup_destination.s3"), id, "kept");
        let plan = f.plan_secret(ROTATED);
        assert_eq!(plan.code, 0, "after the bump on {cli}:\n{plan}");
        let writes = f.write_calls();
        f.apply_secret(ROTATED).expect_success("apply again");
        assert_eq!(f.write_calls(), writes, "sent again without a bump");

        // Nothing Terraform keeps or prints holds either secret.
        seen.push(("terraform.tfstate".into(), f.file("terraform.tfstate")));
        let backup = f.file("terraform.tfstate.backup");
        assert!(
            backup.contains("secret_key_wo_version"),
            "a backup was written"
        );
        seen.push(("terraform.tfstate.backup".into(), backup));
        seen.push((
            "terraform show -json".into(),
            f.ws.run(&["show", "-json"])
                .expect_success("show")
                .combined(),
        ));
        seen.push((
            "terraform show".into(),
            f.ws.run(&["show"]).expect_success("show").combined(),
        ));
        let traced = std::fs::read_to_string(&log).expect("TF_LOG_PATH written");
        assert!(
            traced.contains("jetbackup") && traced.contains("ApplyResourceChange"),
            "the trace log holds the provider's calls"
        );
        seen.push(("the TF_LOG=trace log".into(), traced));
        assert_absent(&[SECRET, ROTATED], &seen, cli);
        f.run_secret(&["destroy", "-auto-approve", "-input=false"], ROTATED)
            .expect_success("destroy");
        assert!(f.objects(&DESTINATION).is_empty());
    });
}

#[test]
fn a_destination_moves_from_secret_key_to_secret_key_wo_in_place() {
    each_cli(|cli, server, f| {
        f.apply_converged(&s3_plain(PLAIN), "create with the plain secret");
        let id = f.state_id("jetbackup_destination.s3");
        assert!(f.file("terraform.tfstate").contains(PLAIN));

        // The same secret, now write-only: an in-place change that sends
        // nothing (JetBackup holds it already) and drops it from the state.
        f.ws.write_config(&s3_wo(1));
        let plan = f.plan_secret(PLAIN);
        assert!(
            plan.code == 2
                && plan.mentions("0 to add, 1 to change, 0 to destroy")
                && !plan.mentions("must be replaced"),
            "the move on {cli}:\n{plan}"
        );
        let writes = f.write_calls();
        f.apply_secret(PLAIN)
            .expect_success("move to secret_key_wo");
        assert_eq!(
            f.write_calls(),
            writes,
            "the unchanged secret was sent again"
        );
        assert_eq!(f.state_id("jetbackup_destination.s3"), id, "recreated");
        assert!(
            !f.file("terraform.tfstate").contains(PLAIN),
            "the plain secret is still in the state"
        );
        assert_eq!(server.stored(&id)["options"]["secret_key"], PLAIN);
        let plan = f.plan_secret(PLAIN);
        assert_eq!(plan.code, 0, "after the move on {cli}:\n{plan}");

        // The backup still holds the state before the move; a rotation
        // (as the guide advises) leaves the old value nowhere.
        assert!(f.file("terraform.tfstate.backup").contains(PLAIN));
        f.ws.write_config(&s3_wo(2));
        f.apply_secret(SECRET)
            .expect_success("rotate after the move");
        assert_eq!(server.stored(&id)["options"]["secret_key"], SECRET);
        for file in ["terraform.tfstate", "terraform.tfstate.backup"] {
            let text = f.file(file);
            assert!(
                !text.contains(PLAIN) && !text.contains(SECRET),
                "{file} on {cli}"
            );
        }

        // And back to the plain form: sent once, in place.
        let manage = f.calls("manageDestination");
        f.ws.write_config(&s3_plain(ROTATED));
        let plan = f.ws.plan_detailed();
        assert!(
            plan.mentions("0 to add, 1 to change, 0 to destroy"),
            "{plan}"
        );
        f.apply_converged(&s3_plain(ROTATED), "back to secret_key");
        assert_eq!(f.calls("manageDestination"), manage + 1);
        assert_eq!(server.stored(&id)["options"]["secret_key"], ROTATED);
        assert_eq!(f.state_id("jetbackup_destination.s3"), id);
    });
}

#[test]
fn every_secret_has_a_write_only_form_ssh_password_and_smtp_password_too() {
    each_cli(|cli, _, f| {
        let hcl = |version: u32| {
            config(&format!(
                r#"variable "password" {{
  type      = string
  ephemeral = true
}}

resource "jetbackup_destination" "box" {{
  name = "Storage box"
  ssh {{
    host                = "u1.your-storagebox.de"
    username            = "u1"
    path                = "/home/backups"
    password_wo         = var.password
    password_wo_version = {version}
  }}
}}

resource "jetbackup_notification_integration" "smtp" {{
  name                   = "Ops e-mail (SMTP)"
  type                   = "email"
  recipients             = ["ops@example.com"]
  smtp_host              = "smtp.example.com"
  smtp_username          = "jetbackup@example.com"
  smtp_password_wo       = var.password
  smtp_password_wo_version = {version}
}}
"#
            ))
        };
        let env = |pw: &str| [("TF_VAR_password", pw.to_string())];
        let run = |args: &[&str], pw: &str| {
            let e = env(pw);
            let pairs: Vec<(&str, &str)> = e.iter().map(|(k, v)| (*k, v.as_str())).collect();
            f.ws.run_with_env(args, &pairs)
        };
        f.ws.write_config(&hcl(1));
        run(&["apply", "-auto-approve", "-input=false"], SECRET).expect_success("create");
        let plan = run(&["plan", "-detailed-exitcode", "-input=false"], SECRET);
        assert_eq!(plan.code, 0, "after create on {cli}:\n{plan}");
        let writes = f.write_calls();
        f.ws.write_config(&hcl(2));
        run(&["apply", "-auto-approve", "-input=false"], ROTATED).expect_success("bump");
        assert_eq!(f.write_calls(), writes + 2, "one write per object");
        let plan = run(&["plan", "-detailed-exitcode", "-input=false"], ROTATED);
        assert_eq!(plan.code, 0, "after the bump on {cli}:\n{plan}");
        let state = std::fs::read_to_string(f.ws.dir().join("terraform.tfstate")).expect("state");
        assert!(!state.contains(SECRET) && !state.contains(ROTATED));
        let id = f.state_id("jetbackup_notification_integration.smtp");
        assert!(f.object(&NOTIFICATION_INTEGRATION, &id).is_some());
        run(&["destroy", "-auto-approve", "-input=false"], ROTATED).expect_success("destroy");
        assert!(f.object(&NOTIFICATION_INTEGRATION, &id).is_none());
    });
}

#[test]
fn both_forms_or_a_write_only_secret_without_its_version_fail_at_plan_before_any_call() {
    let s3 = |lines: &str| {
        format!(
            r#"variable "secret_key" {{
  type      = string
  ephemeral = true
}}

resource "jetbackup_destination" "d" {{
  name = "x"
  s3 {{
    bucket     = "b"
    region     = "r"
    path       = "/p"
    access_key = "a"
{lines}
  }}
}}
"#
        )
    };
    let cases: Vec<(String, &[&str])> = vec![
        (
            s3("    secret_key = \"s\"\n    secret_key_wo = var.secret_key\n    secret_key_wo_version = 1"),
            &["Write either s3.secret_key or s3.secret_key_wo, not both"],
        ),
        (
            s3("    secret_key_wo = var.secret_key"),
            &["s3.secret_key_wo needs s3.secret_key_wo_version"],
        ),
        (
            s3("    secret_key_wo_version = 1"),
            &["s3.secret_key_wo_version is set but s3.secret_key_wo is null", "Nothing was sent"],
        ),
        (
            s3("    secret_key = \"s\"\n    secret_key_wo_version = 1"),
            &["Write either s3.secret_key or s3.secret_key_wo"],
        ),
        (
            s3("    secret_key_wo = \"\"\n    secret_key_wo_version = 1"),
            &["Invalid s3.secret_key_wo", "empty"],
        ),
        (
            s3("").replace("    access_key = \"a\"\n", ""),
            &["access_key is required", "access_key_wo"],
        ),
        (
            "resource \"jetbackup_destination\" \"d\" {\n  name = \"x\"\n  ssh {\n    host = \"h\"\n    username = \"u\"\n    path = \"/b\"\n    password = \"p\"\n    password_wo = \"p\"\n    password_wo_version = 1\n  }\n}\n".to_string(),
            &["Write either ssh.password or ssh.password_wo"],
        ),
        (
            "resource \"jetbackup_notification_integration\" \"d\" {\n  name = \"x\"\n  type = \"email\"\n  recipients = [\"a@example.com\"]\n  smtp_password_wo = \"p\"\n}\n".to_string(),
            &["smtp_password_wo needs smtp_password_wo_version"],
        ),
    ];
    each_cli(|cli, _, f| {
        for (hcl, needles) in &cases {
            f.ws.write_config(&config(hcl));
            let out = f.plan_secret(SECRET);
            assert!(out.code == 1, "accepted on {cli}:\n{hcl}\n{out}");
            for n in *needles {
                assert!(out.mentions(n), "{hcl}\nmissing {n:?} on {cli}:\n{out}");
            }
            assert!(!out.combined().contains(SECRET), "{out}");
        }
        // A module that takes either form: at `terraform validate` both
        // variables are unknown, so nothing is judged; at plan, the forms
        // given are.
        let either = config(&s3(
            "    secret_key = var.plain\n    secret_key_wo = var.secret_key\n    secret_key_wo_version = 1",
        ))
        .replace(
            "variable \"secret_key\" {",
            "variable \"plain\" {\n  type      = string\n  sensitive = true\n  default   = null\n}\n\nvariable \"secret_key\" {",
        );
        f.ws.write_config(&either);
        let validate = f.ws.run(&["validate"]);
        assert!(
            validate.success(),
            "validate judged an unknown value on {cli}:\n{validate}"
        );
        let both = f.ws.run_with_env(
            &["plan", "-input=false"],
            &[("TF_VAR_secret_key", SECRET), ("TF_VAR_plain", "p")],
        );
        assert!(
            !both.success() && both.mentions("Write either s3.secret_key or s3.secret_key_wo"),
            "{both}"
        );
        let one = f.plan_secret(SECRET);
        assert_eq!(one.code, 2, "the write-only form alone on {cli}:\n{one}");

        // A version bump without the secret: refused at plan, nothing sent.
        let nullable = s3_wo(1).replace(
            "  ephemeral = true\n",
            "  ephemeral = true\n  default   = null\n",
        );
        f.ws.write_config(&nullable);
        f.apply_secret(SECRET).expect_success("create");
        let writes = f.write_calls();
        f.ws.write_config(
            &nullable.replace("secret_key_wo_version = 1", "secret_key_wo_version = 2"),
        );
        let out = f.ws.plan_detailed();
        assert!(
            out.code == 1
                && out.mentions("s3.secret_key_wo_version is set but s3.secret_key_wo is null")
                && out.mentions("A changed s3.secret_key_wo_version"),
            "{out}"
        );
        // Unchanged, the secret may be left out: nothing to send.
        f.ws.write_config(&nullable);
        let plan = f.ws.plan_detailed();
        assert_eq!(plan.code, 0, "{plan}");
        assert_eq!(f.write_calls(), writes, "an invalid plan reached the API");
        f.ws.destroy().expect_success("destroy");
        assert!(f.objects(&DESTINATION).is_empty());
    });
}

#[test]
fn an_imported_destination_takes_its_secret_write_only_and_the_cli_transport_refuses_it() {
    each_cli(|cli, server, f| {
        // Made outside this configuration (in the panel, as it were).
        f.apply_converged(&s3_plain(PLAIN), "made elsewhere");
        let id = f.state_id("jetbackup_destination.s3");
        std::fs::remove_file(f.ws.dir().join("terraform.tfstate")).expect("forget it");

        // Adopted with the write-only form: the first apply sends the
        // secret once, in place; the next plan is empty.
        let adopt = format!(
            "{}\nimport {{\n  to = jetbackup_destination.s3\n  id = \"{id}\"\n}}\n",
            s3_wo(1)
        );
        f.ws.write_config(&adopt);
        let plan = f.plan_secret(SECRET);
        assert!(
            plan.code == 2 && plan.mentions("1 to import, 0 to add, 1 to change, 0 to destroy"),
            "adoption on {cli}:\n{plan}"
        );
        let manage = f.calls("manageDestination");
        f.apply_secret(SECRET)
            .expect_success("import and send the secret");
        assert_eq!(f.calls("manageDestination"), manage + 1, "sent once");
        assert_eq!(server.stored(&id)["options"]["secret_key"], SECRET);
        let plan = f.plan_secret(SECRET);
        assert_eq!(plan.code, 0, "after the adoption on {cli}:\n{plan}");
        assert!(!f.file("terraform.tfstate").contains(SECRET));

        // Over the cli transport a bump (which would put the secret on a
        // command line) fails at plan; nothing is sent.
        let over_cli = s3_wo(2).replace(
            "provider \"jetbackup\" {}",
            "provider \"jetbackup\" {\n  transport = \"cli\"\n  cli_path  = \"/nonexistent/jetbackup5api\"\n}",
        );
        assert!(over_cli.contains("transport = \"cli\""), "{over_cli}");
        f.ws.write_config(&over_cli);
        let writes = f.write_calls();
        // No refresh: this test has no jetbackup5api to read through.
        let out = f.run_secret(&["plan", "-refresh=false", "-input=false"], ROTATED);
        assert!(
            out.code == 1
                && out.mentions("secret_key cannot be sent over the cli transport")
                && out.mentions("Nothing was sent"),
            "{out}"
        );
        assert!(!out.combined().contains(ROTATED));
        assert_eq!(f.write_calls(), writes);
    });
}

/// The guide's first example (`docs/guides/write-only-secrets.md`, "A new
/// destination") as a user copies it: applied with the secret in
/// `TF_VAR_s3_secret_key`, then an empty plan and no secret in the state.
#[test]
fn the_guides_new_destination_applies_as_written() {
    let guide = include_str!("../docs/guides/write-only-secrets.md");
    let start = guide.find("```terraform\n").expect("a terraform block") + "```terraform\n".len();
    let example = &guide[start..start + guide[start..].find("```").expect("its end")];
    assert!(example.contains("ephemeral = true") && example.contains("secret_key_wo_version"));
    each_cli(|cli, server, f| {
        f.ws.write_config(&config(example));
        let env = [("TF_VAR_s3_secret_key", SECRET)];
        f.ws.run_with_env(&["apply", "-auto-approve", "-input=false"], &env)
            .expect_success("the guide's example");
        let plan =
            f.ws.run_with_env(&["plan", "-detailed-exitcode", "-input=false"], &env);
        assert_eq!(plan.code, 0, "after the guide's example on {cli}:\n{plan}");
        let id = f.state_id("jetbackup_destination.offsite");
        assert_eq!(server.stored(&id)["options"]["secret_key"], SECRET);
        assert!(!f.file("terraform.tfstate").contains(SECRET));
    });
}
