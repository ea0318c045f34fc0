//! The release layout works offline: Terraform installs the provider from a
//! filesystem mirror laid out the way `make install` / the release zip lay it
//! out, with `terraform init` and no network, and then reads its schema.
//!
//! Also holds the tests of the shared harness in `tests/support`.

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use serde_json::Value;
use support::{TerraformCli, Workspace};

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Lays out `<mirror>/registry.terraform.io/jetbackup-community/jetbackup/
/// <VERSION>/linux_amd64/terraform-provider-jetbackup_v<VERSION>` (the
/// "unpacked" filesystem-mirror layout) with a copy of the built provider.
fn lay_out_mirror(mirror: &Path) {
    let platform_dir = mirror
        .join(support::PROVIDER_ADDRESS)
        .join(VERSION)
        .join("linux_amd64");
    std::fs::create_dir_all(&platform_dir).expect("create the mirror directories");
    let binary = platform_dir.join(format!("terraform-provider-jetbackup_v{VERSION}"));
    std::fs::copy(support::provider_binary(), &binary).expect("copy the provider into the mirror");
    std::fs::set_permissions(&binary, std::fs::Permissions::from_mode(0o755))
        .expect("make the mirrored provider executable");
}

fn mirror_cli_config(mirror: &Path) -> String {
    let mirror = support::hcl_string(&mirror.display().to_string());
    format!(
        r#"provider_installation {{
  filesystem_mirror {{
    path    = "{mirror}"
    include = ["registry.terraform.io/jetbackup-community/*"]
  }}
  direct {{
    exclude = ["registry.terraform.io/jetbackup-community/*"]
  }}
}}
"#
    )
}

fn installs_from_mirror(cli: &TerraformCli) {
    // The mirror lives in its own temporary directory, named by the CLI
    // configuration the workspace is created with.
    let staging = tempfile::tempdir().expect("create a temporary directory");
    let mirror = staging.path().join("mirror");
    lay_out_mirror(&mirror);
    let ws = Workspace::with_cli_config(cli, &[], &mirror_cli_config(&mirror));

    ws.write_config(&format!(
        r#"terraform {{
  required_providers {{
    jetbackup = {{
      source  = "{source}"
      version = "{VERSION}"
    }}
  }}
}}
"#,
        source = support::PROVIDER_SOURCE
    ));

    let init = ws
        .init()
        .expect_success("terraform init from the filesystem mirror");
    let installing = format!("Installing {} v{VERSION}", support::PROVIDER_SOURCE);
    assert!(
        init.stdout.contains(&installing),
        "terraform init did not say {installing:?}:\n{init}"
    );
    assert!(
        ws.dir().join(".terraform.lock.hcl").is_file(),
        "terraform init wrote no dependency lock file:\n{init}"
    );

    let schema = ws
        .run(&["providers", "schema", "-json"])
        .expect_success("terraform providers schema -json");
    let schema: Value = serde_json::from_str(&schema.stdout)
        .unwrap_or_else(|e| panic!("providers schema -json printed invalid JSON ({e}):\n{schema}"));
    let resources = &schema["provider_schemas"][support::PROVIDER_ADDRESS]["resource_schemas"];
    assert!(
        resources.get("jetbackup_backup_job").is_some(),
        "the provider's schema has no jetbackup_backup_job resource; schema:\n{schema:#}"
    );
}

#[test]
fn terraform_init_installs_the_provider_from_a_filesystem_mirror() {
    support::for_each_terraform(installs_from_mirror);
}

// ---- the harness itself ----------------------------------------------------

#[test]
fn harness_finds_terraform_and_reads_its_version() {
    let clis = support::terraform_clis();
    assert!(!clis.is_empty());
    for cli in &clis {
        assert!(cli.path.is_absolute(), "{cli}: path is not canonical");
        let mut parts = cli.version.split('.');
        let major_minor: Vec<u32> = parts
            .by_ref()
            .take(2)
            .map(|p| p.parse().expect("numeric version part"))
            .collect();
        assert_eq!(major_minor.len(), 2, "{cli}: version {:?}", cli.version);
        assert!(major_minor[0] >= 1, "{cli}: Terraform older than 1.0");
    }
    // No two entries share a path or a version.
    for (i, a) in clis.iter().enumerate() {
        for b in &clis[i + 1..] {
            assert_ne!(a.path, b.path);
            assert_ne!(a.version, b.version);
        }
    }
    // The pinned CLI from `make tools`, when installed, comes first.
    let pinned = Path::new(env!("CARGO_MANIFEST_DIR")).join(".tools/bin/terraform");
    if pinned.is_file() {
        assert_eq!(clis[0].path, pinned.canonicalize().unwrap());
        assert!(
            clis[0].version.starts_with("1.15."),
            "pinned CLI is {}",
            clis[0]
        );
    }
}

#[test]
fn harness_parses_version_output() {
    let json = r#"{"terraform_version":"1.15.5","platform":"linux_amd64","provider_selections":{},"terraform_outdated":false}"#;
    assert_eq!(
        support::parse_version_output(json).as_deref(),
        Some("1.15.5")
    );
    let plain = "Terraform v1.11.4\non linux_amd64\n";
    assert_eq!(
        support::parse_version_output(plain).as_deref(),
        Some("1.11.4")
    );
    assert_eq!(support::parse_version_output("garbage"), None);
}

#[test]
fn harness_workspace_runs_terraform_with_its_own_config() {
    support::for_each_terraform(|cli| {
        let ws = Workspace::new(cli, &[("JETBACKUP_TEST_MARKER", "x")]);
        let rc = std::fs::read_to_string(ws.cli_config_path()).unwrap();
        assert!(rc.contains("dev_overrides"), "{rc}");
        assert!(
            rc.contains(&support::provider_dir().display().to_string()),
            "{rc}"
        );

        ws.write_config("output \"greeting\" {\n  value = \"hello\"\n}\n");
        ws.write_file("sub/extra.txt", "not terraform");
        assert!(ws.dir().join("sub/extra.txt").is_file());

        // No provider is involved, so this works whatever state the provider is in.
        ws.apply().expect_success("apply of an outputs-only config");
        let out = ws
            .run(&["output", "-raw", "greeting"])
            .expect_success("output");
        assert_eq!(out.stdout, "hello");
        // -no-color was added: no ANSI escapes.
        assert!(!ws.apply().combined().contains('\u{1b}'));
        assert_eq!(
            ws.plan_detailed().code,
            0,
            "an applied config plans no changes"
        );

        let shown = ws.show_json();
        assert_eq!(shown["values"]["outputs"]["greeting"]["value"], "hello");
        assert_eq!(ws.state_resource("jetbackup_backup_job.none"), None);

        let bad = ws.run(&["no-such-subcommand"]);
        assert!(!bad.success());
        assert!(bad.mentions("has no command\n   named"), "{bad}");
        let wrapped = support::TfOutput {
            command: "x".into(),
            code: 1,
            stdout: "a 24\nhexadecimal  digits".into(),
            stderr: String::new(),
        };
        assert!(wrapped.mentions("24 hexadecimal digits"));
        assert!(!wrapped.mentions("24 hexadecimals"));
        let panicked = std::panic::catch_unwind(|| bad.clone().expect_success("bogus"));
        assert!(panicked.is_err(), "expect_success must panic on failure");

        ws.destroy().expect_success("destroy");
    });
}
