//! Every example a user copies from `examples/` (and so from the docs) is
//! formatted the way `terraform fmt` wants and passes `terraform validate`
//! against the real provider schema (action examples on the CLIs that know
//! actions, Terraform 1.14 and later).

mod support;

use std::path::{Path, PathBuf};

use support::action::runs_actions;
use support::{for_each_terraform, Workspace};

fn example_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut dirs = vec![root.join("provider"), root.join("demo"), root.join("adopt")];
    for kind in ["resources", "data-sources", "actions"] {
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

#[test]
fn every_example_is_formatted_and_valid() {
    let dirs = example_dirs();
    assert!(dirs.len() >= 8, "examples missing: {dirs:?}");
    for_each_terraform(|cli| {
        for dir in &dirs {
            // `action` blocks are not even parsed before Terraform 1.14.
            let action = dir.parent().is_some_and(|p| p.ends_with("actions"));
            if action && !runs_actions(cli, &format!("validate {}", dir.display())) {
                continue;
            }
            let ws = Workspace::new(cli, &[]);
            let mut sources = String::new();
            for entry in std::fs::read_dir(dir).expect("example dir").flatten() {
                let path = entry.path();
                if path.extension().is_some_and(|e| e == "tf") {
                    let name = path
                        .file_name()
                        .and_then(|n| n.to_str())
                        .unwrap_or_default()
                        .to_string();
                    let text = std::fs::read_to_string(&path).expect("read example");
                    sources.push_str(&text);
                    ws.write_file(&name, &text);
                }
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
        }
    });
}
