//! Actions (`action` blocks, `terraform apply -invoke=…`, `action_trigger`)
//! exist from Terraform 1.14: which CLIs the action stories run on, and the
//! printed reason they skip the others.

use super::terraform::TerraformCli;

/// `(major, minor)` of a version such as `1.15.5` or `1.14.0-rc1`.
pub fn major_minor(version: &str) -> Option<(u64, u64)> {
    let mut parts = version.split(['.', '-']);
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    Some((major, minor))
}

/// Whether `cli` knows actions; when it does not, prints why `story` is
/// skipped on it (decided by its version alone, never by a failure).
pub fn runs_actions(cli: &TerraformCli, story: &str) -> bool {
    let known = major_minor(&cli.version).is_some_and(|v| v >= (1, 14));
    if !known {
        eprintln!(
            "=== skipped `{story}` on Terraform {}: actions (`action` blocks, `-invoke`, `action_trigger`) need Terraform 1.14 or later",
            cli.version
        );
    }
    known
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_read_as_major_minor() {
        assert_eq!(major_minor("1.15.5"), Some((1, 15)));
        assert_eq!(major_minor("1.14.0-rc1"), Some((1, 14)));
        assert_eq!(major_minor("1.11.4"), Some((1, 11)));
        assert_eq!(major_minor("v1"), None);
    }
}
