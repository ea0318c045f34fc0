//! Every example a user copies from `examples/` (and so from the docs) is
//! formatted the way `terraform fmt` wants and passes `terraform validate`
//! against the real provider schema; `.tfquery.hcl` files (list resources)
//! pass `terraform validate -query` on the CLIs that have it (1.14+), and
//! import blocks by identity are validated on those that know it (1.12+);
//! action examples on the CLIs that know actions (1.14+).

mod support;

use std::path::{Path, PathBuf};

use support::{for_each_terraform, Workspace, ACTIONS_SINCE, IDENTITY_SINCE, QUERY_SINCE};

fn example_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut dirs = vec![
        root.join("provider"),
        root.join("demo"),
        root.join("adopt"),
        root.join("adopt-query"),
    ];
    for kind in ["resources", "data-sources", "list-resources", "actions"] {
        let entries = std::fs::read_dir(root.join(kind)).expect("examples/<kind>");
        for entry in entries.flatten() {
            dirs.push(entry.path());
        }
    }
    // Modules (docs/guides/fleet.md) are checked the same way.
    let modules = std::fs::read_dir(root.join("modules")).expect("examples/modules");
    for entry in modules.flatten() {
        dirs.push(entry.path());
    }
    dirs.sort();
    dirs
}

/// An example directory's files, by name.
fn example_files(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .expect("example dir")
        .flatten()
        .filter_map(|entry| {
            let path = entry.path();
            let name = path.file_name()?.to_str()?.to_string();
            let wanted = name.ends_with(".tf") || name.ends_with(".tfquery.hcl");
            wanted.then(|| (name, std::fs::read_to_string(&path).expect("read example")))
        })
        .collect();
    files.sort();
    files
}

/// The import by identity is an alternative to the import by string ID of
/// the same resource (one import block per resource): checked in place of
/// it, on the CLIs that know identity.
const BY_ID: &str = "import-by-string-id.tf";
const BY_IDENTITY: &str = "import-by-identity.tf";

#[test]
fn every_example_is_formatted_and_valid() {
    let dirs = example_dirs();
    assert!(dirs.len() >= 8, "examples missing: {dirs:?}");
    for_each_terraform(|cli| {
        for dir in &dirs {
            // `action` blocks are not even parsed before Terraform 1.14.
            let action = dir.parent().is_some_and(|p| p.ends_with("actions"));
            if action
                && !cli.supports(
                    ACTIONS_SINCE,
                    &format!("actions ({} not validated)", dir.display()),
                )
            {
                continue;
            }
            let files = example_files(dir);
            let has = |n: &str| files.iter().any(|(name, _)| name == n);
            let mut variants = vec![BY_IDENTITY];
            if has(BY_IDENTITY)
                && cli.supports(
                    IDENTITY_SINCE,
                    &format!("import by identity ({} not validated)", dir.display()),
                )
            {
                variants.push(BY_ID);
            }
            for left_out in variants {
                check_example(cli, dir, &files, left_out);
            }
        }
    });
}

/// `terraform fmt` and `validate` (and `validate -query` where there are
/// `.tfquery.hcl` files) on `files` but `left_out`.
fn check_example(
    cli: &support::TerraformCli,
    dir: &Path,
    files: &[(String, String)],
    left_out: &str,
) {
    let ws = Workspace::new(cli, &[]);
    let mut sources = String::new();
    let mut queries = false;
    for (name, text) in files.iter().filter(|(n, _)| n != left_out) {
        queries |= name.ends_with(".tfquery.hcl");
        if name.ends_with(".tf") {
            sources.push_str(text);
        }
        ws.write_file(name, text);
    }
    // Resource examples are snippets: give them the provider requirement
    // the registry page shows separately.
    if !sources.contains("required_providers") {
        ws.write_file(
            "provider.tf",
            "terraform {\n  required_providers {\n    jetbackup = {\n      source = \"jetbackup-community/jetbackup\"\n    }\n  }\n}\n",
        );
    }
    let fmt = ws.run(&["fmt", "-check", "-diff"]);
    assert!(fmt.success(), "{} is not formatted:\n{fmt}", dir.display());
    let validate = ws.run(&["validate"]);
    assert!(
        validate.success(),
        "{} does not validate:\n{validate}",
        dir.display()
    );
    if queries
        && cli.supports(
            QUERY_SINCE,
            &format!("list resources ({} not validated)", dir.display()),
        )
    {
        let validate = ws.run(&["validate", "-query"]);
        assert!(
            validate.success(),
            "{} (.tfquery.hcl) does not validate:\n{validate}",
            dir.display()
        );
    }
}
