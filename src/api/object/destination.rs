//! The destination table: `manageDestination`, `getDestination`,
//! `listDestinations`, `deleteDestination`.
//!
//! A destination's type is a string key (`Localv2`, `Local`, `SSH`, `S3`)
//! and its type-specific settings travel under `options[...]`. Terraform
//! users choose the type by writing one block: `local` (JetIndex `Localv2`
//! or legacy rsync `Local`, told apart by `engine`), `ssh` or `s3`. Only the
//! option keys the reference confirms are here. FTP and SFTP are left out:
//! JetApps' own code and the documentation name FTP's options differently
//! (`server`/`secure` against `host`/`prefer_ip`). OAuth types (OneDrive,
//! Dropbox, Google Drive) need a person to sign in through a browser.

use super::{Docs, Field, ObjectKind, TypeBlock, ValueKind};
use crate::api::table::{Choice, Fixed, Role};

pub const LOCALV2: i64 = 1;
pub const LOCAL: i64 = 2;
pub const SSH: i64 = 3;
pub const S3: i64 = 4;
const ALL: &[i64] = &[LOCALV2, LOCAL, SSH, S3];

/// Display names of destination type keys, as `listDestinationTypes` shows
/// them (seen on a 5.3 server; plugins may add others).
const DESTINATION_TYPE_NAMES: &[(&str, &str)] = &[
    ("Localv2", "Local"),
    ("Local", "Local (Legacy)"),
    ("Clones", "SSH"),
    ("S3", "S3 Compatible"),
    ("SSH", "SSH (Legacy)"),
];

/// The display name of a destination type key, when known.
pub fn destination_type_name(key: &str) -> Option<&'static str> {
    DESTINATION_TYPE_NAMES
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, name)| *name)
}

/// JetBackup's type keys: the label is what the resource reports, `doc`
/// what travels (the same text).
pub const DESTINATION_TYPES: &[Choice] = &[
    Choice {
        label: "Localv2",
        code: LOCALV2,
        doc: "Localv2",
    },
    Choice {
        label: "Local",
        code: LOCAL,
        doc: "Local",
    },
    Choice {
        label: "SSH",
        code: SSH,
        doc: "SSH",
    },
    Choice {
        label: "S3",
        code: S3,
        doc: "S3",
    },
];

/// The local engines, whose codes are the types they select.
pub const LOCAL_ENGINES: &[Choice] = &[
    Choice {
        label: "jetindex",
        code: LOCALV2,
        doc: "Local, JetIndex engine, type Localv2",
    },
    Choice {
        label: "legacy_rsync",
        code: LOCAL,
        doc: "Local (Legacy), rsync, type Local",
    },
];

/// `options[rsyncpreferip]`: blank means automatic.
pub const PREFER_IP: &[Choice] = &[
    Choice {
        label: "auto",
        code: 0,
        doc: "",
    },
    Choice {
        label: "ipv4",
        code: 4,
        doc: "4",
    },
    Choice {
        label: "ipv6",
        code: 6,
        doc: "6",
    },
];

/// The destination page's further sections.
const NOTES: &str = r#"## Secrets and state

`password`, `access_key` and `secret_key` are sensitive: Terraform hides them in plans and output, and the provider never logs them or puts them in an error. JetBackup never returns them either (`secret_key` comes back as the mask `JB|HIDDEN|********************`, `access_key` empty), so the provider keeps the value from the configuration: the mask never reaches the state, and a secret left unchanged causes no diff. A changed secret is sent once, by the next apply; a secret changed only in the panel cannot be seen, so rotate secrets through the configuration.

The state therefore holds these secrets in clear text. Protect the state: keep it in a remote backend that encrypts it at rest and restricts who can read it (for example an S3 backend with server-side encryption and a narrow bucket policy, or HCP Terraform), never commit `terraform.tfstate`, and pass secrets through sensitive variables (`TF_VAR_s3_secret_key`) rather than literals.

## Write-only secrets (Terraform 1.11 and later)

Each secret also has a write-only form that keeps it out of the state altogether: `access_key_wo`, `secret_key_wo` and `password_wo`, each with a version (`secret_key_wo_version`). Terraform passes a write-only value to the provider only from the configuration: no plan, saved plan file or state holds it, so it may come from an ephemeral variable (`variable "s3_secret_key" { ephemeral = true }`, set with `TF_VAR_s3_secret_key`) or an ephemeral resource. The provider sends it when the destination is created, and afterwards only when the version changes: to rotate a secret, change the value and bump the version (e.g. `1` to `2`); the apply sends the new secret once, and the plans after it are empty. With the version unchanged nothing is sent, so the variable may even be left unset between rotations (give it `default = null`).

Write one form per secret: `secret_key`, or `secret_key_wo` with `secret_key_wo_version`. Both, a write-only value without its version, or a version with nothing to send (on create, or when it changes) fail at plan, naming the attribute, before any API call. Moving an existing destination to the write-only form is an in-place change that sends nothing when the secret is the same; the guide "Moving a destination to write-only secrets" (`docs/guides/write-only-secrets.md`) shows the steps and what is left in the state's backup.

## The cli transport

With `transport = "cli"` every parameter goes to `jetbackup5api -D "…"` on the command line, where any local user can read it (`ps`, `/proc/PID/cmdline`), and no JetBackup source shows `jetbackup5api` reading its data from standard input or a file. So a plan that would send a secret over the cli transport fails, before anything is sent, and says to use `transport = "http"`. Destinations without secrets, and changes that leave the secrets alone, work over either transport.

## Plugins

`ssh` and `s3` destinations are JetBackup plugins ("SSH (Legacy)" and "S3 Compatible") that must be installed and enabled on the server first. When a create is refused and `listDestinationTypes` does not list the type, the error names the plugin and how to install it (JetBackup › Settings › Plugins, or `jetbackup5api -F listPackages`, `installPlugin`, `managePlugin`).

## Types not covered

- **FTP and SFTP** are left out: JetApps' own migration tool sends FTP's options as `server`, `secure`, `passive` and `retries`, while JetBackup's API documentation names them `host` and `prefer_ip`. Until a live server settles it, the provider does not guess.
- **OneDrive, Dropbox and Google Drive** need a person to sign in through a browser and paste a one-time code, which a declarative configuration cannot hold. Create them in the panel and refer to them by ID (the `jetbackup_destination` data source finds one by name).

## Deleting a destination

`terraform destroy` (or a change that replaces the destination: another block, another local `engine`, or `read_only`) calls `deleteDestination`. No JetBackup source says whether the backups already stored on the destination are removed or left in place; count on losing access to them through JetBackup. A replacement is a new, empty destination that JetBackup indexes again. JetBackup refuses to delete a destination a job still writes to, and by default Terraform deletes a removed or replaced destination *before* it updates the jobs that wrote to it: the apply fails with "is used by N backup job(s)" and the destination stays in state. So when jobs in the same configuration write to the destination, give it `lifecycle { create_before_destroy = true }`: Terraform then creates the replacement (if any), updates the jobs, and deletes the old destination last, in one apply (`examples/modules/server-policy` does this for its optional offsite destination). A job outside the configuration still makes JetBackup refuse the delete: the error names the jobs and the destination stays in state. Protect destinations that hold backups you need:

```terraform
lifecycle {
  prevent_destroy = true
}
```

## Importing a destination with secrets

Import works by ID (`terraform import`, or an `import` block). JetBackup never returns secrets, so after an import they are unknown: `-generate-config-out` writes them as `secret_key = null # sensitive`. A null secret is left out of every call, so the imported destination keeps the one JetBackup holds: the import changes nothing, and the plans after it are empty. To manage a secret from then on, write it (from a sensitive variable) or its write-only form (`secret_key_wo` with `secret_key_wo_version = 1`, from an ephemeral variable): the next apply shows it as an in-place change and sends it once. Only a new destination, or one whose type changes, must have its secrets written: that plan stops on each one missing, before anything is sent.
"#;

#[rustfmt::skip]
pub const DESTINATION: ObjectKind = ObjectKind {
    name: "destination",
    title: "destination",
    manage: "manageDestination",
    get: "getDestination",
    list: "listDestinations",
    delete: "deleteDestination",
    collection: "destinations",
    discriminator: "type",
    doc: "A JetBackup 5 destination: where backup jobs write. Managed with `manageDestination`, read with `getDestination`, deleted with `deleteDestination`. The type is chosen by writing exactly one of the blocks `local`, `ssh` or `s3`; changing the block (or the local `engine`) replaces the destination. A backup job refers to it by `id` in its `destination`.",
    notes: NOTES,
    docs: Docs::Generated,
    blocks: &[
        TypeBlock { name: "local", types: &[LOCALV2, LOCAL], selector: Some("engine"), one_of: &[], plugin: None, doc: "A directory on the JetBackup server itself (or a mount on it). Built into JetBackup." },
        TypeBlock { name: "ssh", types: &[SSH], selector: None, one_of: &["password", "private_key_path"], plugin: Some(("SSH", "SSH (Legacy)")), doc: "A remote server over SSH and rsync (JetBackup type `SSH`), e.g. rsync.net or a Hetzner Storage Box. Needs JetBackup's SSH plugin. Give `password` or `private_key_path` (or both)." },
        TypeBlock { name: "s3", types: &[S3], selector: None, one_of: &[], plugin: Some(("S3", "S3 Compatible")), doc: "An S3-compatible bucket (JetBackup type `S3`): AWS, Wasabi, Backblaze B2, MinIO and others through `endpoint`. Needs JetBackup's S3 plugin." },
    ],
    fields: &[
        Field { attr: "name", wire: "name", kind: ValueKind::Text, role: Role::Required, types: &[], replace: false, note: "", doc: "The destination's name." },
        Field { attr: "type", wire: "type", kind: ValueKind::Key(DESTINATION_TYPES), role: Role::Required, types: &[], replace: true, note: "", doc: "JetBackup's type key, from the block written: `Localv2` or `Local` (local, by engine), `SSH` or `S3`." },
        Field { attr: "owner", wire: "owner", kind: ValueKind::Ref("account"), role: Role::ServerDefault(None), types: &[], replace: false, note: "", doc: "Account ID of the owner; it and its parent accounts may change or delete the destination. Unset: the API user, as JetBackup decides." },
        Field { attr: "disabled", wire: "disabled", kind: ValueKind::Bool, role: Role::ServerDefault(Some(Fixed::Bool(false))), types: &[], replace: false, note: "", doc: "Whether the destination is disabled (jobs do not write to it). Unset: JetBackup's default, enabled." },
        Field { attr: "threads", wire: "threads", kind: ValueKind::Range { min: 1, max: 400 }, role: Role::ServerDefault(Some(Fixed::Int(10))), types: &[], replace: false, note: "", doc: "Concurrent worker threads, shared by the tasks using the destination. Unset: JetBackup's default (10 in every example)." },
        Field { attr: "disk_limit", wire: "disk_limit", kind: ValueKind::Range { min: 0, max: 100 }, role: Role::ServerDefault(Some(Fixed::Int(0))), types: &[], replace: false, note: "", doc: "Stop writing when the destination's disk is this full, in percent; 0 turns the limit off. Unset: JetBackup's default." },
        Field { attr: "dr", wire: "dr", kind: ValueKind::Bool, role: Role::ServerDefault(Some(Fixed::Bool(false))), types: &[], replace: false, note: "", doc: "Whether the destination receives JetBackup's own configuration backups (used for disaster recovery)." },
        Field { attr: "hidden", wire: "hidden", kind: ValueKind::Bool, role: Role::ServerDefault(Some(Fixed::Bool(false))), types: &[], replace: false, note: "", doc: "Whether backups on the destination are hidden from end users." },
        Field { attr: "read_only", wire: "readonly", kind: ValueKind::Bool, role: Role::ServerDefault(Some(Fixed::Bool(false))), types: &[], replace: true, note: "", doc: "Whether the destination is read-only: backups on it can be restored, none are written. JetBackup sets this only when a destination is created (\"Existing destinations cannot be edited to Read-Only\"), so changing it replaces the destination. A directory that another server's destination already writes to should be added read-only." },
        Field { attr: "path", wire: "options[path]", kind: ValueKind::Path, role: Role::Required, types: ALL, replace: false, note: "", doc: "The backup directory: on this server (local), on the remote server (ssh) or inside the bucket (s3)." },
        Field { attr: "engine", wire: "type", kind: ValueKind::Label(LOCAL_ENGINES), role: Role::Defaulted(Fixed::Label("jetindex")), types: &[LOCALV2, LOCAL], replace: true, note: "", doc: "Local: the backup engine, which decides JetBackup's type. Defaults to `jetindex`. Changing it replaces the destination." },
        Field { attr: "rsync_bandwidth_limit", wire: "options[rsyncbwlimit]", kind: ValueKind::Count, role: Role::ServerDefault(Some(Fixed::Int(0))), types: &[LOCAL, SSH], replace: false, note: "", doc: "rsync bandwidth limit (KB/s inferred; 0 means none). Legacy rsync engines only: local with `engine = \"legacy_rsync\"`, and ssh." },
        Field { attr: "host", wire: "options[host]", kind: ValueKind::Text, role: Role::Required, types: &[SSH], replace: false, note: "", doc: "SSH: the remote server's host name or IP address." },
        Field { attr: "port", wire: "options[port]", kind: ValueKind::Range { min: 1, max: 65535 }, role: Role::ServerDefault(Some(Fixed::Int(22))), types: &[SSH], replace: false, note: "", doc: "SSH: the remote server's SSH port." },
        Field { attr: "username", wire: "options[username]", kind: ValueKind::Text, role: Role::Required, types: &[SSH], replace: false, note: "", doc: "SSH: the login user on the remote server." },
        Field { attr: "private_key_path", wire: "options[privatekey]", kind: ValueKind::Path, role: Role::Optional, types: &[SSH], replace: false, note: "", doc: "SSH: path, on the JetBackup server, of the private key file to log in with (e.g. `/root/.ssh/id_rsa`); the key itself never passes through Terraform." },
        Field { attr: "password", wire: "options[password]", kind: ValueKind::Secret { masked: true }, role: Role::Optional, types: &[SSH], replace: false, note: "", doc: "SSH: the login password (JetBackup uses it to install its own key on the remote side). Sensitive; JetBackup never returns it, so the configured value is kept in state." },
        Field { attr: "timeout", wire: "options[timeout]", kind: ValueKind::Count, role: Role::ServerDefault(Some(Fixed::Int(30))), types: &[SSH], replace: false, note: "", doc: "SSH: connection timeout in seconds." },
        Field { attr: "prefer_ip", wire: "options[rsyncpreferip]", kind: ValueKind::Key(PREFER_IP), role: Role::ServerDefault(Some(Fixed::Label("auto"))), types: &[SSH], replace: false, note: "", doc: "SSH: the IP version rsync connects with: `auto` (JetBackup's blank), `ipv4` (4) or `ipv6` (6)." },
        Field { attr: "bucket", wire: "options[bucket]", kind: ValueKind::Text, role: Role::Required, types: &[S3], replace: false, note: "", doc: "S3: the bucket name." },
        Field { attr: "region", wire: "options[region]", kind: ValueKind::Text, role: Role::Required, types: &[S3], replace: false, note: "", doc: "S3: the bucket's region, e.g. `us-west-1`." },
        Field { attr: "endpoint", wire: "options[endpoint]", kind: ValueKind::Text, role: Role::ServerDefault(None), types: &[S3], replace: false, note: "", doc: "S3: the service's endpoint host for S3-compatible services (`s3.us-west-1.wasabisys.com`, `s3.eu-central-003.backblazeb2.com`, a MinIO host); JetBackup fills in `{region}` and `{bucket}` placeholders. Unset: what JetBackup reports." },
        Field { attr: "access_key", wire: "options[access_key]", kind: ValueKind::Secret { masked: false }, role: Role::Required, types: &[S3], replace: false, note: "", doc: "S3: the access key ID. Sensitive; JetBackup returns it empty, so the configured value is kept in state." },
        Field { attr: "secret_key", wire: "options[secret_key]", kind: ValueKind::Secret { masked: true }, role: Role::Required, types: &[S3], replace: false, note: "", doc: "S3: the secret access key. Sensitive; JetBackup returns it masked (`JB|HIDDEN|…`), so the configured value is kept in state." },
        Field { attr: "type_name", wire: "type_name", kind: ValueKind::Text, role: Role::ReadOnly { moves_with: &["type"] }, types: &[], replace: false, note: "", doc: "The type's display name, e.g. `S3 Compatible` (reported by JetBackup 5.4; null from 5.3)." },
        Field { attr: "owner_name", wire: "owner_name", kind: ValueKind::Text, role: Role::ReadOnly { moves_with: &["owner"] }, types: &[], replace: false, note: "", doc: "Account name of the owner." },
        Field { attr: "job_count", wire: "count", kind: ValueKind::Count, role: Role::ReadOnly { moves_with: &[] }, types: &[], replace: false, note: "", doc: "How many backup jobs use the destination." },
        Field { attr: "disk_usage", wire: "disk_usage[usage]", kind: ValueKind::Count, role: Role::ReadOnly { moves_with: &["type", "path", "host", "port", "bucket", "region", "endpoint"] }, types: &[], replace: false, note: "", doc: "Bytes used on the destination's disk, when JetBackup reports it (null otherwise)." },
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::object::{decode, encode, keep_secrets, Target, Val, Values, MASK};
    use serde_json::json;

    fn s3_values() -> Values {
        let mut v = Values::new();
        for (k, x) in [
            ("name", "Offsite"),
            ("type", "S3"),
            ("path", "/jb"),
            ("bucket", "b"),
            ("region", "us-east-1"),
            ("access_key", "AKIAEXAMPLE"),
            ("secret_key", "s3cr3t"),
        ] {
            v.insert(k, Val::Text(x.to_string()));
        }
        v.insert("threads", Val::Int(20));
        v.insert("read_only", Val::Bool(false));
        v
    }

    #[test]
    fn a_create_sends_the_type_key_and_options_in_brackets() {
        let p = encode(&DESTINATION, &s3_values(), Target::Create);
        let pairs: Vec<(&str, &str)> = p
            .pairs()
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        for want in [
            ("action", "create"),
            ("type", "S3"),
            ("threads", "20"),
            ("readonly", "0"),
            ("options[path]", "/jb"),
            ("options[secret_key]", "s3cr3t"),
            ("options[access_key]", "AKIAEXAMPLE"),
        ] {
            assert!(pairs.contains(&want), "{want:?} in {pairs:?}");
        }
        // The redacted form (for logs) holds neither secret.
        let shown = p.redacted();
        assert!(
            !shown.contains("s3cr3t") && !shown.contains("AKIAEXAMPLE"),
            "{shown}"
        );
    }

    #[test]
    fn the_local_engine_travels_as_the_type_and_comes_back_from_it() {
        let mut v = Values::new();
        v.insert("name", Val::Text("L".into()));
        v.insert("type", Val::Text("Local".into()));
        v.insert("engine", Val::Text("legacy_rsync".into()));
        v.insert("path", Val::Text("/backup".into()));
        let p = encode(&DESTINATION, &v, Target::Create);
        let types: Vec<&str> = p
            .pairs()
            .iter()
            .filter(|(k, _)| k == "type")
            .map(|(_, v)| v.as_str())
            .collect();
        assert_eq!(types, ["Local"], "sent once, as JetBackup's key");
        let (_, back) = decode(
            &DESTINATION,
            &json!({"_id": "6503e7a1ebbf07708d06f1c1", "name": "L", "type": "Local",
                    "options": {"path": "/backup", "rsyncbwlimit": 0}, "disk_usage": ""}),
        )
        .expect("decodes");
        assert_eq!(back.get("engine"), Some(&Val::Text("legacy_rsync".into())));
        assert_eq!(back.get("rsync_bandwidth_limit"), Some(&Val::Int(0)));
        assert_eq!(
            back.get("disk_usage"),
            None,
            "an empty disk_usage is unknown"
        );
    }

    #[test]
    fn masked_and_empty_secrets_keep_the_configured_values() {
        let raw = json!({"_id": "6503eec8ebbf07708d06f1d2", "name": "Offsite", "type": "S3",
            "readonly": null, "disk_usage": {"usage": 5, "free": 1, "total": 6},
            "options": {"path": "/jb", "bucket": "b", "region": "us-east-1",
                        "access_key": "", "secret_key": MASK}});
        let (_, server) = decode(&DESTINATION, &raw).expect("decodes");
        assert!(!server.contains_key("secret_key") && !server.contains_key("access_key"));
        assert_eq!(server.get("disk_usage"), Some(&Val::Int(5)));
        let kept = keep_secrets(&DESTINATION, server, &s3_values());
        assert_eq!(kept.get("secret_key"), Some(&Val::Text("s3cr3t".into())));
        assert_eq!(
            kept.get("access_key"),
            Some(&Val::Text("AKIAEXAMPLE".into()))
        );
        // A modify that changes only the secret sends only the secret.
        let mut rotated = s3_values();
        rotated.insert("secret_key", Val::Text("n3w".into()));
        let p = encode(
            &DESTINATION,
            &rotated,
            Target::Modify {
                id: "6503eec8ebbf07708d06f1d2",
                prior: &s3_values(),
            },
        );
        assert_eq!(
            p.encode(),
            "action=modify&_id=6503eec8ebbf07708d06f1d2&options%5Bsecret_key%5D=n3w"
        );
    }
}
