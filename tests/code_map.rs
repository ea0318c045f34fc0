//! The code map of ARCHITECTURE.md, enforced: which module may name which.
//! Reads the sources as text (every `crate::…` path and `use` line outside
//! `#[cfg(test)]` code), so a new dependency that breaks a rule fails here
//! with the file and line, before review.

use std::fs;
use std::path::{Path, PathBuf};

/// Every `.rs` file below `dir` (or `dir` itself, a file), sorted.
fn sources(dir: &Path) -> Vec<PathBuf> {
    if dir.is_file() {
        return vec![dir.to_path_buf()];
    }
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The lines of a file that are not test code: everything before its first
/// `#[cfg(test)]` (test modules close each file here), comments dropped.
fn product_lines(path: &Path) -> Vec<(usize, String)> {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .enumerate()
        .take_while(|(_, l)| l.trim() != "#[cfg(test)]")
        .map(|(i, l)| (i + 1, l.split("//").next().unwrap_or("").to_string()))
        .filter(|(_, l)| !l.trim().is_empty())
        .collect()
}

/// Where the files below `dir` (relative to the crate) name any of `banned`.
fn violations(dir: &str, banned: &[&str]) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    for file in sources(&root.join(dir)) {
        for (n, line) in product_lines(&file) {
            for b in banned {
                if line.contains(b) {
                    let rel = file
                        .strip_prefix(root)
                        .unwrap_or(&file)
                        .display()
                        .to_string();
                    found.push(format!("{rel}:{n}: names `{b}`: {}", line.trim()));
                }
            }
        }
    }
    found
}

fn assert_none(rule: &str, found: Vec<String>) {
    assert!(found.is_empty(), "{rule}:\n{}", found.join("\n"));
}

#[test]
fn the_api_layer_knows_no_terraform_type_and_nothing_above_it() {
    assert_none(
        "src/api/ must not depend on tf_provider, the provider, the simulator or the docs",
        violations(
            "src/api",
            &[
                "tf_provider",
                "crate::provider",
                "crate::sim",
                "crate::docs",
            ],
        ),
    );
}

#[test]
fn the_simulator_uses_neither_the_client_nor_the_provider() {
    assert_none(
        "src/sim/ shares only the tables and the wire notation with the client",
        violations(
            "src/sim",
            &[
                "crate::api::client",
                "crate::api::Client",
                "crate::api::{Client",
                "crate::api::transport::Http",
                "Client::new",
                "reqwest",
                "tf_provider",
                "crate::provider",
                "crate::docs",
                "crate::sim_process",
            ],
        ),
    );
}

#[test]
fn the_provider_reaches_the_simulator_only_in_tests() {
    assert_none(
        "src/provider/ must not depend on the simulator or the docs outside #[cfg(test)]",
        violations("src/provider", &["crate::sim", "crate::docs"]),
    );
}

#[test]
fn the_plugin_server_knows_no_jetbackup_type() {
    assert_none(
        "src/plugin/ serves any tf-provider provider: it must not depend on the API, the provider, the simulator or the docs",
        violations(
            "src/plugin",
            &[
                "crate::api",
                "crate::provider",
                "crate::sim",
                "crate::docs",
            ],
        ),
    );
}

#[test]
fn the_plugin_binary_carries_no_tool() {
    let mut found = violations(
        "src/main.rs",
        &[
            "jetbackup::sim",
            "jetbackup::docs",
            "jetbackup::sim_process",
        ],
    );
    found.extend(violations("src/prng.rs", &["crate::"]));
    assert_none(
        "the provider binary must not reference the simulator or the docs generator; prng depends on nothing",
        found,
    );
}

/// The rule's own check: a banned name on a product line is found, the
/// same name in a comment or in test code is not.
#[test]
fn product_lines_leave_out_comments_and_tests() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("x.rs");
    fs::write(
        &file,
        "use crate::sim::store; // real\n// crate::sim in a comment\nfn f() {}\n#[cfg(test)]\nmod tests { use crate::sim::x; }\n",
    )
    .expect("write");
    let lines = product_lines(&file);
    let hits: Vec<usize> = lines
        .iter()
        .filter(|(_, l)| l.contains("crate::sim"))
        .map(|(n, _)| *n)
        .collect();
    assert_eq!(hits, [1]);
}
