//! The `provider "jetbackup"` block: its schema, validation, and resolution
//! (configuration first, then `JETBACKUP_*` environment variables, then
//! defaults) into an API client.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tf_provider::schema::{
    Attribute, AttributeConstraint, AttributeType, Block, Description, Schema,
};
use tf_provider::value::Value;
use tf_provider::{AttributePath, Diagnostics};

use crate::api::transport::{CliTransport, HttpConfig, HttpTransport, Panel, Transport};
use crate::api::{Client, ClientOptions, StopSignal};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ProviderConfig {
    pub endpoint: Value<String>,
    pub panel: Value<String>,
    pub username: Value<String>,
    pub api_token: Value<String>,
    pub insecure: Value<bool>,
    pub ca_cert_pem: Value<String>,
    pub timeout_seconds: Value<i64>,
    pub transport: Value<String>,
    pub cli_path: Value<String>,
    pub max_retries: Value<i64>,
    pub max_concurrent_requests: Value<i64>,
    pub coalesce_reads: Value<bool>,
    pub allow_duplicate_names: Value<bool>,
}

/// One provider setting: name, environment variable, type, default, meaning.
pub struct Setting {
    pub name: &'static str,
    pub env: &'static str,
    pub attr_type: fn() -> AttributeType,
    pub sensitive: bool,
    pub default: &'static str,
    pub doc: &'static str,
}

pub const SETTINGS: &[Setting] = &[
    Setting { name: "endpoint", env: "JETBACKUP_ENDPOINT", attr_type: || AttributeType::String, sensitive: false, default: "", doc: "Base URL of the server, e.g. `https://server.example.com:2087`. Without a port, the panel's default port is used (2087 cPanel/WHM, 2222 DirectAdmin, 3035 Linux). Required for the `http` transport." },
    Setting { name: "panel", env: "JETBACKUP_PANEL", attr_type: || AttributeType::String, sensitive: false, default: "cpanel", doc: "The panel JetBackup 5 runs under, which decides the API URL and the authentication header: `cpanel` (WHM API token, `Authorization: whm USER:TOKEN`), `directadmin` (Login Key, HTTP Basic) or `linux` (JetBackup token, `Authorization: Bearer USER:TOKEN`)." },
    Setting { name: "username", env: "JETBACKUP_USERNAME", attr_type: || AttributeType::String, sensitive: false, default: "root", doc: "The user the API token belongs to." },
    Setting { name: "api_token", env: "JETBACKUP_API_TOKEN", attr_type: || AttributeType::String, sensitive: true, default: "", doc: "The API token (WHM API token, DirectAdmin Login Key, or JetBackup Linux token). Sensitive: prefer the environment variable so it stays out of configuration files. Required for the `http` transport." },
    Setting { name: "insecure", env: "JETBACKUP_INSECURE", attr_type: || AttributeType::Bool, sensitive: false, default: "false", doc: "Skip TLS certificate verification. Prefer `ca_cert_pem` for a self-signed panel certificate." },
    Setting { name: "ca_cert_pem", env: "JETBACKUP_CA_CERT_PEM", attr_type: || AttributeType::String, sensitive: false, default: "", doc: "PEM certificate(s) to trust in addition to the system's, e.g. the panel's self-signed certificate (`file(\"panel.pem\")`)." },
    Setting { name: "timeout_seconds", env: "JETBACKUP_TIMEOUT_SECONDS", attr_type: || AttributeType::Number, sensitive: false, default: "60", doc: "Time limit for one API call, in seconds." },
    Setting { name: "transport", env: "JETBACKUP_TRANSPORT", attr_type: || AttributeType::String, sensitive: false, default: "http", doc: "`http` to call the panel's API over HTTPS, or `cli` to run `jetbackup5api` locally (Terraform running as root on the JetBackup server itself)." },
    Setting { name: "cli_path", env: "JETBACKUP_CLI_PATH", attr_type: || AttributeType::String, sensitive: false, default: "jetbackup5api", doc: "The `jetbackup5api` command for the `cli` transport." },
    Setting { name: "max_retries", env: "JETBACKUP_MAX_RETRIES", attr_type: || AttributeType::Number, sensitive: false, default: "3", doc: "How many times a call that is safe to repeat (read, list, modify, delete) is retried after a connection error, a timeout, a reply cut short, HTTP 429/502/503/504, or a refusal that asks to retry later (`system.retry_ms`). The wait is the server's own delay when it gives one (capped at 30 s), else exponential backoff with jitter. A create is never re-sent blindly: after a lost reply the job it may have made is looked up first." },
    Setting { name: "max_concurrent_requests", env: "JETBACKUP_MAX_CONCURRENT_REQUESTS", attr_type: || AttributeType::Number, sensitive: false, default: "10", doc: "Most API calls in flight at once from one provider process, whatever Terraform's `-parallelism`. The default matches Terraform's default `-parallelism` (10), so the server never sees more than Terraform itself would ask for, and a refresh lists up to 1,000 jobs in two round trips (the first page, then the rest at once). Lower it to spare a busy production server; each step down makes large applies and refreshes wait longer." },
    Setting { name: "coalesce_reads", env: "JETBACKUP_COALESCE_READS", attr_type: || AttributeType::Bool, sensitive: false, default: "true", doc: "Answer the refresh of many jobs, schedules or account filters from one paged `list*` call per kind (`listBackupJobs`, `listSchedules`, `listAccountFilters`) instead of one `get*` each. An object missing from the list is confirmed with its `get*` before it is declared gone." },
    Setting { name: "allow_duplicate_names", env: "JETBACKUP_ALLOW_DUPLICATE_NAMES", attr_type: || AttributeType::Bool, sensitive: false, default: "false", doc: "Create a backup job even when the server already has a job with the same name that this Terraform state does not manage. Off by default: such a job is most often one an interrupted apply created (Terraform was killed before it could record it), and creating it again would double it; the create is refused with the existing job's ID and the `terraform import` command that adopts it. Turn it on only if several jobs are meant to share a name." },
];

pub fn schema() -> Schema {
    let attributes = SETTINGS
        .iter()
        .map(|s| {
            let default = if s.default.is_empty() {
                String::new()
            } else {
                format!(" Default: `{}`.", s.default)
            };
            (
                s.name.to_string(),
                Attribute {
                    attr_type: (s.attr_type)(),
                    description: Description::markdown(format!(
                        "{}{default} Environment variable: `{}`.",
                        s.doc, s.env
                    )),
                    constraint: AttributeConstraint::Optional,
                    sensitive: s.sensitive,
                    deprecated: false,
                },
            )
        })
        .collect::<HashMap<_, _>>();
    Schema {
        version: 1,
        block: Block {
            version: 1,
            attributes,
            blocks: HashMap::new(),
            description: Description::markdown("Connects to a JetBackup 5 server over its API. Every setting can also come from a `JETBACKUP_*` environment variable."),
            deprecated: false,
        },
    }
}

fn setting(name: &str) -> &'static Setting {
    SETTINGS
        .iter()
        .find(|s| s.name == name)
        .unwrap_or(&SETTINGS[0])
}

/// A setting's value from configuration, else its environment variable.
/// `Err(())` after reporting an unknown value.
fn resolve(
    diags: &mut Diagnostics,
    name: &str,
    value: Value<String>,
) -> Result<Option<String>, ()> {
    let s = setting(name);
    match value {
        Value::Value(v) => Ok(Some(v)),
        Value::Unknown => {
            diags.error(
                format!("Unknown value for {name}"),
                format!(
                    "The provider cannot be configured with a value that is only known after apply. Set {name} statically, apply the resource it depends on first (-target), or set the {} environment variable.",
                    s.env
                ),
                AttributePath::new(name.to_string()),
            );
            Err(())
        }
        Value::Null => Ok(std::env::var(s.env).ok().filter(|v| !v.is_empty())),
    }
}

fn to_string_value<T: ToString>(v: Value<T>) -> Value<String> {
    v.map(|v| v.to_string())
}

/// Parses a number or boolean setting; the message names the attribute and variable.
fn parse_setting<T: std::str::FromStr>(
    diags: &mut Diagnostics,
    name: &str,
    raw: Option<String>,
    what: &str,
) -> Option<T> {
    let raw = raw.unwrap_or_else(|| setting(name).default.to_string());
    match raw.trim().parse::<T>() {
        Ok(v) => Some(v),
        Err(_) => {
            diags.error(
                format!("Invalid {name}"),
                format!(
                    "{name} (or {}) is {raw:?}; it must be {what}.",
                    setting(name).env
                ),
                AttributePath::new(name.to_string()),
            );
            None
        }
    }
}

/// Plan-time checks of values written in configuration.
pub fn validate(diags: &mut Diagnostics, config: &ProviderConfig) {
    if let Value::Value(panel) = &config.panel {
        if Panel::from_label(panel).is_none() {
            diags.error(
                "Invalid panel",
                format!(
                    "panel is {panel:?}; allowed values: \"cpanel\", \"directadmin\", \"linux\"."
                ),
                AttributePath::new("panel"),
            );
        }
    }
    if let Value::Value(t) = &config.transport {
        if t != "http" && t != "cli" {
            diags.error(
                "Invalid transport",
                format!("transport is {t:?}; allowed values: \"http\", \"cli\"."),
                AttributePath::new("transport"),
            );
        }
    }
    if let Value::Value(e) = &config.endpoint {
        if !(e.starts_with("https://") || e.starts_with("http://")) {
            diags.error("Invalid endpoint", format!("endpoint is {e:?}; it must be a URL starting with https:// (e.g. \"https://server.example.com:2087\")."), AttributePath::new("endpoint"));
        }
    }
    for (name, v, min) in [
        ("timeout_seconds", &config.timeout_seconds, 1),
        ("max_retries", &config.max_retries, 0),
        (
            "max_concurrent_requests",
            &config.max_concurrent_requests,
            1,
        ),
    ] {
        if let Value::Value(n) = v {
            if *n < min {
                diags.error(
                    format!("Invalid {name}"),
                    format!("{name} is {n}; it must be {min} or more."),
                    AttributePath::new(name),
                );
            }
        }
    }
}

/// What `configure` produces.
pub struct Configured {
    pub client: Client,
    pub coalesce_reads: bool,
    pub allow_duplicate_names: bool,
}

/// Resolves the configuration and builds the client. Errors go to `diags`.
pub fn configure(diags: &mut Diagnostics, config: ProviderConfig) -> Option<Configured> {
    let endpoint = resolve(diags, "endpoint", config.endpoint);
    let panel = resolve(diags, "panel", config.panel);
    let username = resolve(diags, "username", config.username);
    let token = resolve(diags, "api_token", config.api_token);
    let insecure = resolve(diags, "insecure", to_string_value(config.insecure));
    let ca = resolve(diags, "ca_cert_pem", config.ca_cert_pem);
    let timeout = resolve(
        diags,
        "timeout_seconds",
        to_string_value(config.timeout_seconds),
    );
    let transport = resolve(diags, "transport", config.transport);
    let cli_path = resolve(diags, "cli_path", config.cli_path);
    let retries = resolve(diags, "max_retries", to_string_value(config.max_retries));
    let concurrency = resolve(
        diags,
        "max_concurrent_requests",
        to_string_value(config.max_concurrent_requests),
    );
    let coalesce = resolve(
        diags,
        "coalesce_reads",
        to_string_value(config.coalesce_reads),
    );
    let duplicates = resolve(
        diags,
        "allow_duplicate_names",
        to_string_value(config.allow_duplicate_names),
    );
    let (
        Ok(duplicates),
        Ok(endpoint),
        Ok(panel),
        Ok(username),
        Ok(token),
        Ok(insecure),
        Ok(ca),
        Ok(timeout),
        Ok(transport),
        Ok(cli_path),
        Ok(retries),
        Ok(concurrency),
        Ok(coalesce),
    ) = (
        duplicates,
        endpoint,
        panel,
        username,
        token,
        insecure,
        ca,
        timeout,
        transport,
        cli_path,
        retries,
        concurrency,
        coalesce,
    )
    else {
        return None;
    };

    let insecure: bool = parse_setting(diags, "insecure", insecure, "true or false")?;
    let timeout: u64 = parse_setting(
        diags,
        "timeout_seconds",
        timeout,
        "a whole number of seconds, 1 or more",
    )?;
    let max_retries: u32 =
        parse_setting(diags, "max_retries", retries, "a whole number, 0 or more")?;
    let max_concurrent: usize = parse_setting(
        diags,
        "max_concurrent_requests",
        concurrency,
        "a whole number, 1 or more",
    )?;
    let coalesce_reads: bool = parse_setting(diags, "coalesce_reads", coalesce, "true or false")?;
    let allow_duplicate_names: bool =
        parse_setting(diags, "allow_duplicate_names", duplicates, "true or false")?;
    if timeout == 0 || max_concurrent == 0 {
        diags.root_error(
            "Invalid provider setting",
            "timeout_seconds and max_concurrent_requests must be 1 or more.",
        );
        return None;
    }
    let timeout = Duration::from_secs(timeout);
    let panel_label = panel.unwrap_or_else(|| setting("panel").default.to_string());
    let Some(panel) = Panel::from_label(&panel_label) else {
        diags.error(
            "Invalid panel",
            format!("panel (or JETBACKUP_PANEL) is {panel_label:?}; allowed values: \"cpanel\", \"directadmin\", \"linux\"."),
            AttributePath::new("panel"),
        );
        return None;
    };

    let transport_name = transport.unwrap_or_else(|| "http".to_string());
    let transport: Arc<dyn Transport> = match transport_name.as_str() {
        "cli" => Arc::new(CliTransport::new(
            cli_path.unwrap_or_else(|| "jetbackup5api".to_string()),
            timeout,
        )),
        "http" => {
            let mut missing = false;
            for (name, v) in [("endpoint", &endpoint), ("api_token", &token)] {
                if v.is_none() {
                    diags.error(
                        format!("Missing {name}"),
                        format!("The JetBackup provider needs {name}: set it in the provider block or through the {} environment variable.", setting(name).env),
                        AttributePath::new(name),
                    );
                    missing = true;
                }
            }
            if missing {
                return None;
            }
            let http = HttpTransport::new(HttpConfig {
                endpoint: endpoint.unwrap_or_default(),
                panel,
                username: username.unwrap_or_else(|| "root".to_string()),
                token: token.unwrap_or_default(),
                insecure,
                ca_cert_pem: ca,
                timeout,
            });
            match http {
                Ok(t) => Arc::new(t),
                Err(e) => {
                    diags.root_error("Invalid JetBackup connection settings", e);
                    return None;
                }
            }
        }
        other => {
            diags.error(
                "Invalid transport",
                format!("transport (or JETBACKUP_TRANSPORT) is {other:?}; allowed values: \"http\", \"cli\"."),
                AttributePath::new("transport"),
            );
            return None;
        }
    };
    let options = ClientOptions {
        max_retries,
        max_concurrent_requests: max_concurrent,
        ..ClientOptions::default()
    };
    Some(Configured {
        // Answers Terraform's stop request (see `crate::api::stop`).
        client: Client::new(transport, options).with_stop(StopSignal::process()),
        coalesce_reads,
        allow_duplicate_names,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_defaults_are_the_clients() {
        let client = ClientOptions::default();
        assert_eq!(
            setting("max_concurrent_requests").default,
            client.max_concurrent_requests.to_string()
        );
        assert_eq!(
            setting("max_retries").default,
            client.max_retries.to_string()
        );
    }
}
