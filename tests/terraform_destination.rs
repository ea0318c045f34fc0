//! `jetbackup_destination` end to end: a real Terraform CLI, the provider
//! binary and a `jetbackup-sim` on loopback. Each test is one user story and
//! runs against every Terraform CLI found.

mod support;

use jetbackup::api::job::Param;

use jetbackup::api::object::destination::DESTINATION;
use jetbackup::api::object::{Val, Values, MASK};
use serde_json::{json, Value};
use support::fixture::SeededServer;
use support::fixture::TOKEN;
use support::{config, Fixture};
use support::{for_each_terraform, minimal_job, Workspace};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYsecret01";
const ROTATED: &str = "rotated-Secret-Key-0000000000000000002";
const ACCESS: &str = "AKIAIOSFODNN7EXAMPLE";

fn server(seed: Value) -> SeededServer {
    SeededServer::new("destinations", seed)
}

fn s3(name: &str, extra: &str, secret: &str) -> String {
    format!(
        r#"resource "jetbackup_destination" "s3" {{
  name = "{name}"
{extra}
  s3 {{
    bucket     = "backups"
    region     = "us-east-1"
    endpoint   = "s3.us-east-1.wasabisys.com"
    path       = "/jetbackup"
    access_key = "{ACCESS}"
    secret_key = "{secret}"
  }}
}}
"#
    )
}

fn local(body: &str) -> String {
    format!("resource \"jetbackup_destination\" \"d\" {{\n{body}\n}}\n")
}

/// Applies `hcl` and checks the plan said "in place" (or replace) first.
fn step(f: &Fixture, hcl: &str, replace: bool, what: &str) {
    f.ws.write_config(&config(hcl));
    let plan = f.ws.plan_detailed();
    let want = if replace {
        "1 to add, 0 to change, 1 to destroy"
    } else {
        "0 to add, 1 to change, 0 to destroy"
    };
    assert!(
        plan.code == 2 && plan.mentions(want),
        "{what}: expected {want} on {}:\n{plan}",
        f.ws.cli()
    );
    f.apply_converged(&config(hcl), what);
}

fn text(v: &str) -> Val {
    Val::Text(v.to_string())
}

#[test]
fn a_fresh_server_gets_its_destinations_schedule_and_job_from_one_apply() {
    for_each_terraform(|cli| {
        let server = server(json!({}));
        let f = server.fixture(cli);
        let hcl = format!(
            r#"{}
resource "jetbackup_destination" "local" {{
  name = "Local"
  local {{
    path = "/backup"
  }}
}}

resource "jetbackup_schedule" "daily" {{
  name         = "Daily"
  type         = "daily"
  days_of_week = ["monday", "thursday"]
}}

resource "jetbackup_backup_job" "nightly" {{
  name        = "Nightly"
  type        = "accounts"
  structure   = "incremental"
  destination = [jetbackup_destination.local.id, jetbackup_destination.s3.id]
  time        = "0230"
  schedules {{
    id     = jetbackup_schedule.daily.id
    retain = 7
  }}
}}
"#,
            s3("Offsite", "  threads = 20", SECRET)
        );
        f.apply_converged(&config(&hcl), "first apply");
        let local_id = f.state_id("jetbackup_destination.local");
        let s3_id = f.state_id("jetbackup_destination.s3");
        let held = f.object(&DESTINATION, &s3_id).expect("s3 created");
        for (attr, want) in [
            ("type", text("S3")),
            ("name", text("Offsite")),
            ("threads", Val::Int(20)),
            ("bucket", text("backups")),
            ("endpoint", text("s3.us-east-1.wasabisys.com")),
            ("type_name", text("S3 Compatible")),
        ] {
            assert_eq!(held.get(attr), Some(&want), "{attr}");
        }
        assert_eq!(server.stored(&s3_id)["options"]["secret_key"], SECRET);
        let held = f.object(&DESTINATION, &local_id).expect("local created");
        assert_eq!(held.get("type"), Some(&text("Localv2")));
        assert_eq!(held.get("engine"), Some(&text("jetindex")));
        assert_eq!(held.get("job_count"), Some(&Val::Int(1)));
        assert_eq!(
            f.state_attr("jetbackup_destination.local", "type"),
            json!("Localv2")
        );
        f.ws.destroy().expect_success("destroy");
        assert!(
            f.objects(&DESTINATION).is_empty(),
            "destroy left destinations"
        );
    });
}

#[test]
fn every_setting_changes_in_place_or_replaces_as_documented() {
    for_each_terraform(|cli| {
        let server = server(json!({}));
        let f = server.fixture(cli);
        f.apply_converged(
            &config(&local(
                "  name = \"Disk\"\n  local {\n    path = \"/backup\"\n  }",
            )),
            "create local",
        );
        let id = f.state_id("jetbackup_destination.d");
        for (attr, want) in [("threads", Val::Int(10)), ("disk_limit", Val::Int(0))] {
            assert_eq!(
                f.object(&DESTINATION, &id)
                    .and_then(|v| v.get(attr).cloned()),
                Some(want.clone())
            );
            assert!(
                f.state_attr("jetbackup_destination.d", attr) != Value::Null,
                "{attr} recorded"
            );
        }
        let every = "  name = \"Renamed\"\n  disabled = true\n  threads = 4\n  disk_limit = 90\n  dr = true\n  hidden = true\n  owner = \"6503d48bfc45b1addf0a9633\"\n  local {\n    path = \"/mnt/backup\"\n  }";
        step(
            &f,
            &local(every),
            false,
            "every common argument and the path",
        );
        assert_eq!(f.state_id("jetbackup_destination.d"), id);
        let held = f.object(&DESTINATION, &id).expect("there");
        for (attr, want) in [
            ("name", text("Renamed")),
            ("disabled", Val::Bool(true)),
            ("threads", Val::Int(4)),
            ("disk_limit", Val::Int(90)),
            ("dr", Val::Bool(true)),
            ("hidden", Val::Bool(true)),
            ("owner", text("6503d48bfc45b1addf0a9633")),
            ("path", text("/mnt/backup")),
        ] {
            assert_eq!(held.get(attr), Some(&want), "{attr}");
        }
        assert_eq!(
            f.state_attr("jetbackup_destination.d", "owner_name"),
            json!("reseller1")
        );
        let legacy = "  name = \"Renamed\"\n  local {\n    path = \"/mnt/backup\"\n    engine = \"legacy_rsync\"\n    rsync_bandwidth_limit = 2048\n  }";
        step(&f, &local(legacy), true, "engine replaces");
        let id = f.state_id("jetbackup_destination.d");
        assert_eq!(
            f.object(&DESTINATION, &id)
                .and_then(|v| v.get("type").cloned()),
            Some(text("Local"))
        );
        step(
            &f,
            &local(&legacy.replace("2048", "0")),
            false,
            "rsync limit in place",
        );
        step(
            &f,
            &local(&legacy.replace("  local", "  read_only = true\n  local")),
            true,
            "read_only replaces",
        );

        // SSH: every option in place.
        let ssh = |host: &str,
                   port: u16,
                   user: &str,
                   path: &str,
                   key: &str,
                   pw: &str,
                   timeout: u32,
                   ip: &str,
                   bw: u32| {
            format!("  name = \"Box\"\n  ssh {{\n    host = \"{host}\"\n    port = {port}\n    username = \"{user}\"\n    path = \"{path}\"\n    private_key_path = \"{key}\"\n    password = \"{pw}\"\n    timeout = {timeout}\n    prefer_ip = \"{ip}\"\n    rsync_bandwidth_limit = {bw}\n  }}")
        };
        step(
            &f,
            &local(&ssh(
                "u1.your-storagebox.de",
                23,
                "u1",
                "/home/backups",
                "/root/.ssh/id_rsa",
                "pw-one",
                30,
                "auto",
                0,
            )),
            true,
            "local to ssh replaces",
        );
        let id = f.state_id("jetbackup_destination.d");
        step(
            &f,
            &local(&ssh(
                "backup.example.net",
                2222,
                "jb",
                "/srv/jb",
                "/root/.ssh/jb",
                "pw-two",
                60,
                "ipv6",
                512,
            )),
            false,
            "every ssh option",
        );
        let stored = server.stored(&id);
        assert_eq!(
            stored["options"],
            json!({"host": "backup.example.net", "port": 2222, "username": "jb", "path": "/srv/jb",
                   "privatekey": "/root/.ssh/jb", "password": "pw-two", "timeout": 60,
                   "rsyncpreferip": "6", "rsyncbwlimit": 512})
        );

        // S3: every option, then a secret rotated alone.
        let s3_body = |bucket: &str,
                       region: &str,
                       endpoint: &str,
                       path: &str,
                       access: &str,
                       secret: &str| {
            format!("  name = \"Offsite\"\n  s3 {{\n    bucket = \"{bucket}\"\n    region = \"{region}\"\n    endpoint = \"{endpoint}\"\n    path = \"{path}\"\n    access_key = \"{access}\"\n    secret_key = \"{secret}\"\n  }}")
        };
        step(
            &f,
            &local(&s3_body(
                "backups",
                "us-east-1",
                "s3.us-east-1.wasabisys.com",
                "/jetbackup",
                ACCESS,
                SECRET,
            )),
            true,
            "ssh to s3 replaces",
        );
        let id = f.state_id("jetbackup_destination.d");
        step(
            &f,
            &local(&s3_body(
                "b2",
                "eu-central-003",
                "s3.eu-central-003.backblazeb2.com",
                "/jb2",
                "AKIASECOND000000000",
                SECRET,
            )),
            false,
            "every s3 option",
        );
        let manage = f.calls("manageDestination");
        let rotated = local(&s3_body(
            "b2",
            "eu-central-003",
            "s3.eu-central-003.backblazeb2.com",
            "/jb2",
            "AKIASECOND000000000",
            ROTATED,
        ));
        // Issue 25: a rotated secret moves no count, owner or usage, so the
        // plan shows nothing "(known after apply)".
        f.ws.write_config(&config(&rotated));
        let plan = f.ws.plan_detailed();
        assert!(
            plan.code == 2 && !plan.mentions("known after apply"),
            "a quiet plan for a secret rotation on {}:\n{plan}",
            f.ws.cli()
        );
        step(&f, &rotated, false, "rotate secret_key");
        assert_eq!(
            f.calls("manageDestination"),
            manage + 1,
            "the rotated secret is sent once"
        );
        assert_eq!(server.stored(&id)["options"]["secret_key"], ROTATED);

        // Drift: an edit in the panel is planned back.
        let mut prior = Values::new();
        prior.insert("type", text("S3"));
        prior.insert("name", text("Offsite"));
        let mut edited = prior.clone();
        edited.insert("name", text("Edited in the panel"));
        f.edit_in_panel(&DESTINATION, &id, &prior, &edited);
        let plan = f.ws.plan_detailed();
        assert!(
            plan.code == 2 && plan.mentions("Edited in the panel"),
            "{plan}"
        );
        f.apply_converged(
            &config(&local(&s3_body(
                "b2",
                "eu-central-003",
                "s3.eu-central-003.backblazeb2.com",
                "/jb2",
                "AKIASECOND000000000",
                ROTATED,
            ))),
            "repair",
        );
        f.ws.destroy().expect_success("destroy");
        assert!(f.objects(&DESTINATION).is_empty());
    });
}

#[test]
fn no_secret_reaches_output_logs_diagnostics_or_state_beyond_the_configuration() {
    for_each_terraform(|cli| {
        let server = server(json!({"missing_plugins": ["SSH"]}));
        let (_sim, ws, log) = server.traced_workspace(cli);
        let mut outputs = Vec::new();
        ws.write_config(&config(&s3("Offsite", "", SECRET)));
        outputs.push(ws.apply().expect_success("create").combined());
        ws.write_config(&config(&s3("Offsite", "", ROTATED)));
        outputs.push(ws.plan_detailed().combined());
        outputs.push(ws.apply().expect_success("rotate").combined());
        outputs.push(ws.run(&["show"]).combined());
        // A refused write: its diagnostic carries no secret either.
        let refused = format!(
            "{}resource \"jetbackup_destination\" \"box\" {{\n  name = \"Box\"\n  ssh {{\n    host = \"h\"\n    username = \"u\"\n    path = \"/b\"\n    password = \"{SECRET}\"\n  }}\n}}\n",
            s3("Offsite", "", ROTATED)
        );
        ws.write_config(&config(&refused));
        let out = ws.apply();
        assert!(!out.success() && out.mentions("SSH (Legacy)"), "{out}");
        outputs.push(out.combined());
        outputs.push(ws.destroy().expect_success("destroy").combined());
        let log_text = std::fs::read_to_string(&log).expect("TF_LOG_PATH written");
        assert!(
            log_text.contains("jetbackup"),
            "the provider's log is not in TF_LOG_PATH"
        );
        outputs.push(log_text);
        use base64::Engine as _;
        for secret in [SECRET, ROTATED, ACCESS] {
            let b64 = base64::engine::general_purpose::STANDARD.encode(secret);
            for (i, text) in outputs.iter().enumerate() {
                assert!(
                    !text.contains(secret) && !text.contains(&b64),
                    "output {i} on {cli} shows a secret"
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
fn the_state_holds_the_configured_secret_never_the_mask() {
    for_each_terraform(|cli| {
        let server = server(json!({}));
        let f = server.fixture(cli);
        f.apply_converged(&config(&s3("Offsite", "", SECRET)), "create");
        let id = f.state_id("jetbackup_destination.s3");
        assert_eq!(
            f.state_attr("jetbackup_destination.s3", "s3")[0]["secret_key"],
            json!(SECRET)
        );
        assert_eq!(
            f.state_attr("jetbackup_destination.s3", "s3")[0]["access_key"],
            json!(ACCESS)
        );
        // The server really masks them.
        let raw =
            f.rt.block_on(f.api.get_object(&DESTINATION, &id))
                .expect("get");
        assert!(!raw.contains_key("secret_key") && !raw.contains_key("access_key"));
        let state = std::fs::read_to_string(f.ws.dir().join("terraform.tfstate")).expect("state");
        assert!(!state.contains("JB|HIDDEN"), "the mask reached the state");
    });
}

/// JetBackup keeps a secret it holds while the configuration leaves it
/// null, but a destination that becomes S3 holds none: the replacement
/// needs the secrets, and without them the plan stops before any call.
#[test]
fn a_destination_turned_s3_needs_its_secrets_before_anything_is_sent() {
    for_each_terraform(|cli| {
        let server = server(json!({}));
        let f = server.fixture(cli);
        let disk = local("  name = \"Disk\"\n  local {\n    path = \"/backup\"\n  }");
        f.apply_converged(&config(&disk), "create a local destination");
        let without_secrets = local(
            "  name = \"Disk\"\n  s3 {\n    bucket = \"b\"\n    region = \"r\"\n    path = \"/p\"\n  }",
        );
        f.ws.write_config(&config(&without_secrets));
        let writes = f.write_calls();
        let plan = f.ws.run(&["plan"]);
        assert!(
            !plan.success()
                && plan.mentions("secret_key is required to create a destination of type \"S3\""),
            "on {cli}:\n{plan}"
        );
        assert_eq!(f.write_calls(), writes, "an invalid plan reached the API");
        assert_eq!(
            f.objects(&DESTINATION).len(),
            1,
            "the local destination stays"
        );
    });
}

#[test]
fn import_by_id_for_each_type_then_plan_is_empty() {
    for_each_terraform(|cli| {
        let server = server(json!({}));
        let f = server.fixture(cli);
        let create = |hcl: &str| {
            // Made "in the panel": through the API, outside this workspace.
            let other = Workspace::new(
                cli,
                &[
                    ("JETBACKUP_ENDPOINT", f.sim.url()),
                    ("JETBACKUP_API_TOKEN", TOKEN),
                ],
            );
            other.write_config(&config(hcl));
            other.apply().expect_success("made elsewhere");
            let id = other
                .state_resource("jetbackup_destination.d")
                .and_then(|r| r["id"].as_str().map(str::to_string))
                .expect("id");
            std::fs::remove_file(other.dir().join("terraform.tfstate")).expect("forget it there");
            id
        };
        let local_hcl = local("  name = \"Disk\"\n  threads = 3\n  local {\n    path = \"/backup\"\n    engine = \"legacy_rsync\"\n  }");
        let ssh_hcl = local("  name = \"Box\"\n  ssh {\n    host = \"h.example\"\n    username = \"u\"\n    path = \"/b\"\n    private_key_path = \"/root/.ssh/id_rsa\"\n  }");
        for (hcl, what) in [(&local_hcl, "local"), (&ssh_hcl, "ssh with a key")] {
            let id = create(hcl);
            f.ws.write_config(&config(hcl));
            let bad = f.ws.import("jetbackup_destination.d", "not-an-id");
            assert!(!bad.success() && bad.mentions("24 hexadecimal"), "{bad}");
            f.ws.import("jetbackup_destination.d", &id)
                .expect_success("import");
            let plan = f.ws.plan_detailed();
            assert_eq!(plan.code, 0, "{what}: after import on {cli}:\n{plan}");
            f.ws.run(&["state", "rm", "jetbackup_destination.d"])
                .expect_success("forget");
        }
        // With secrets: the generated configuration marks where they go.
        let s3_id =
            create(&s3("Offsite", "", SECRET).replace("\"s3\" {\n  name", "\"d\" {\n  name"));
        f.ws.write_config(&config(&format!(
            "import {{\n  to = jetbackup_destination.g\n  id = \"{s3_id}\"\n}}\n"
        )));
        // JetBackup never returns the secrets: they are generated null, and
        // the imported destination keeps the ones JetBackup holds.
        f.ws.run(&["plan", "-generate-config-out=generated.tf"])
            .expect_success("generate the configuration");
        let generated =
            std::fs::read_to_string(f.ws.dir().join("generated.tf")).expect("generated.tf");
        // `terraform fmt` aligns the `=` of neighbouring lines.
        let null_secret = |line: &str, attr: &str| {
            line.split_whitespace().collect::<Vec<_>>() == [attr, "=", "null", "#", "sensitive"]
        };
        assert!(
            generated.lines().any(|l| null_secret(l, "secret_key")),
            "{generated}"
        );
        let writes = f.write_calls();
        f.ws.apply().expect_success("import as generated");
        assert_eq!(f.write_calls(), writes, "the import sends nothing");
        let plan = f.ws.plan_detailed();
        assert_eq!(plan.code, 0, "after the import on {cli}:\n{plan}");
        // Supplied as the docs say; the next apply sends them once.
        let supplied: String = generated
            .lines()
            .map(|l| {
                let indent = &l[..l.len() - l.trim_start().len()];
                match [("access_key", ACCESS), ("secret_key", SECRET)]
                    .iter()
                    .find(|(attr, _)| null_secret(l, attr))
                {
                    Some((attr, v)) => format!("{indent}{attr} = \"{v}\"\n"),
                    None => format!("{l}\n"),
                }
            })
            .collect();
        f.ws.write_file("generated.tf", &supplied);
        let writes = f.write_calls();
        f.ws.apply().expect_success("supply the secrets");
        assert_eq!(
            f.write_calls(),
            writes + 1,
            "one manageDestination sends the secrets"
        );
        let plan = f.ws.plan_detailed();
        assert_eq!(plan.code, 0, "after the import block on {cli}:\n{plan}");
        assert_eq!(f.state_id("jetbackup_destination.g"), s3_id);
    });
}

#[test]
fn invalid_configurations_fail_at_plan_and_never_reach_the_api() {
    let s3_block = |extra: &str| {
        format!("  s3 {{\n    bucket = \"b\"\n    region = \"r\"\n    path = \"/p\"\n    access_key = \"a\"\n{extra}\n  }}")
    };
    let with_secret = s3_block("    secret_key = \"s\"");
    let cases: Vec<(String, &[&str])> = vec![
        ("  name = \"x\"".into(), &["needs a type block", "`local`, `ssh`, `s3`"]),
        (format!("  name = \"x\"\n  local {{\n    path = \"/b\"\n  }}\n{with_secret}"), &["Only one type block", "s3"]),
        (format!("  name = \"x\"\n  threads = 0\n{with_secret}"), &["threads", "from 1 to 400"]),
        (format!("  name = \"x\"\n  threads = 401\n{with_secret}"), &["threads", "from 1 to 400"]),
        (format!("  name = \"x\"\n  disk_limit = 101\n{with_secret}"), &["disk_limit", "from 0 to 100"]),
        ("  name = \"x\"\n  local {\n    path = \"backup\"\n  }".into(), &["path", "absolute path"]),
        ("  name = \"x\"\n  ssh {\n    host = \"h\"\n    username = \"u\"\n    path = \"/b\"\n    password = \"p\"\n    port = 70000\n  }".into(), &["port", "from 1 to 65535"]),
        (format!("  name = \"x\"\n{}", s3_block("")), &["secret_key is required", "s3"]),
        ("  name = \"x\"\n  ssh {\n    host = \"h\"\n    username = \"u\"\n    path = \"/b\"\n  }".into(), &["password", "private_key_path"]),
        ("  name = \"x\"\n  local {\n    path = \"/b\"\n    engine = \"btrfs\"\n  }".into(), &["engine", "\"jetindex\", \"legacy_rsync\""]),
        ("  name = \"x\"\n  local {\n    path = \"/b\"\n    rsync_bandwidth_limit = 10\n  }".into(), &["rsync_bandwidth_limit", "does not apply"]),
        (format!("  name = \"x\"\n  type = \"S3\"\n{with_secret}"), &["type is read-only", "block"]),
        (format!("  name = \"x\"\n  owner = \"root\"\n{with_secret}"), &["owner", "24 hexadecimal"]),
        (format!("  name = \"x\"\n{}", s3_block(&format!("    secret_key = \"{MASK}\""))), &["secret_key", "mask"]),
        ("  name = \"x\"\n  ssh {\n    host = \"h\"\n    username = \"u\"\n    path = \"/b\"\n    password = \"p\"\n    prefer_ip = \"ipv5\"\n  }".into(), &["prefer_ip", "\"auto\", \"ipv4\", \"ipv6\""]),
        (format!("  name = \"x\"\n  job_count = 2\n{with_secret}"), &["job_count", "read-only"]),
        (format!("  name = \"\"\n{with_secret}"), &["name", "empty"]),
    ];
    assert!(cases.len() >= 12);
    for_each_terraform(|cli| {
        let server = server(json!({}));
        let f = server.fixture(cli);
        for (body, needles) in &cases {
            f.ws.write_config(&config(&local(body)));
            let out = f.ws.plan_detailed();
            assert!(
                !out.success() && out.code == 1,
                "accepted on {cli}:\n{body}\n{out}"
            );
            for n in *needles {
                assert!(out.mentions(n), "{body}\nmissing {n:?} on {cli}:\n{out}");
            }
            assert!(out.mentions("jetbackup_destination.d"), "{out}");
        }
        // Secrets over the cli transport: refused at plan, nothing sent.
        let cli_config = format!(
            "{}provider \"jetbackup\" {{\n  transport = \"cli\"\n  cli_path  = \"/nonexistent/jetbackup5api\"\n}}\n\n{}",
            support::REQUIRED_PROVIDERS,
            s3("Offsite", "", SECRET)
        );
        f.ws.write_config(&cli_config);
        let out = f.ws.plan_detailed();
        assert!(
            !out.success()
                && out.mentions("cli transport")
                && out.mentions("Nothing was sent")
                && out.mentions("transport = \"http\""),
            "{out}"
        );
        assert!(!out.combined().contains(SECRET));
        assert_eq!(
            f.write_calls(),
            0,
            "an invalid configuration reached the API"
        );
        assert!(f.objects(&DESTINATION).is_empty());
        println!(
            "{} invalid destination configurations refused at plan on {cli}",
            cases.len() + 1
        );
    });
}

#[test]
fn a_missing_plugin_and_a_destination_in_use_fail_with_the_servers_message_and_keep_state() {
    for_each_terraform(|cli| {
        let server = server(json!({"missing_plugins": ["S3"]}));
        let f = server.fixture(cli);
        let disk = local("  name = \"Disk\"\n  local {\n    path = \"/backup\"\n  }");
        f.ws.write_config(&config(&format!("{disk}\n{}", s3("Offsite", "", SECRET))));
        let out = f.ws.apply();
        assert!(!out.success(), "{out}");
        assert!(
            out.mentions("not installed")
                && out.mentions("manageDestination")
                && out.mentions("S3 Compatible")
                && out.mentions("installPlugin"),
            "{out}"
        );
        assert!(
            f.ws.state_resource("jetbackup_destination.s3").is_none(),
            "a refused create is in state"
        );
        assert_eq!(
            f.objects(&DESTINATION).len(),
            1,
            "only the local destination exists"
        );

        f.ws.write_config(&config(&disk));
        f.ws.apply().expect_success("local only");
        let id = f.state_id("jetbackup_destination.d");
        let mut spec = minimal_job("Made in the panel");
        spec.set(Param::Destination, vec![id.clone()]);
        let job =
            f.rt.block_on(f.api.create_backup_job(&spec))
                .expect("job outside Terraform");
        let out = f.ws.destroy();
        assert!(!out.success(), "destroy succeeded on {cli}:\n{out}");
        assert!(
            out.mentions("Made in the panel") && out.mentions("deleteDestination"),
            "{out}"
        );
        assert_eq!(
            f.state_id("jetbackup_destination.d"),
            id,
            "the destination left the state"
        );
        assert!(f.object(&DESTINATION, &id).is_some());
        f.rt.block_on(f.api.delete_backup_job(&job.id))
            .expect("detach");
        f.ws.destroy().expect_success("destroy once unused");
        assert!(f.object(&DESTINATION, &id).is_none());
    });
}
