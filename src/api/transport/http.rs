//! HTTPS transport for the three panels JetBackup 5 runs under.

use std::fmt;
use std::sync::OnceLock;
use std::time::Duration;

use async_trait::async_trait;
use base64::Engine as _;
use reqwest::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE};

use super::{Transport, MAX_BODY_BYTES};
use crate::api::envelope::Envelope;
use crate::api::error::{redact_snippet, status_hint, ApiError, CONNECTION_LOST, TRUNCATED};
use crate::api::quote::cut;
use crate::api::secrets::Secrets;
use crate::api::wire::{percent_encode, Params};

/// The panel JetBackup is installed under; it decides the URL and the auth header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    /// cPanel/WHM: `:2087/cgi/addons/jetbackup5/api.cgi`, `Authorization: whm USER:TOKEN`.
    Cpanel,
    /// DirectAdmin: `:2222/CMD_PLUGINS_ADMIN/jetbackup5/index.raw?api=1`, Basic `USER:LOGIN_KEY`.
    DirectAdmin,
    /// Panel-less Linux: `:3035/?api=1`, `Authorization: Bearer USER:TOKEN`.
    Linux,
}

impl Panel {
    pub const LABELS: &'static [&'static str] = &["cpanel", "directadmin", "linux"];

    pub fn from_label(s: &str) -> Option<Panel> {
        match s {
            "cpanel" => Some(Panel::Cpanel),
            "directadmin" => Some(Panel::DirectAdmin),
            "linux" => Some(Panel::Linux),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Panel::Cpanel => "cpanel",
            Panel::DirectAdmin => "directadmin",
            Panel::Linux => "linux",
        }
    }

    pub fn default_port(self) -> u16 {
        match self {
            Panel::Cpanel => 2087,
            Panel::DirectAdmin => 2222,
            Panel::Linux => 3035,
        }
    }

    /// Path and query of the API entry point.
    pub fn api_path(self) -> &'static str {
        match self {
            Panel::Cpanel => "/cgi/addons/jetbackup5/api.cgi",
            Panel::DirectAdmin => "/CMD_PLUGINS_ADMIN/jetbackup5/index.raw?api=1",
            Panel::Linux => "/?api=1",
        }
    }

    /// The `Authorization` header value for this panel.
    pub fn authorization(self, username: &str, token: &str) -> String {
        match self {
            Panel::Cpanel => format!("whm {username}:{token}"),
            Panel::DirectAdmin => format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(format!("{username}:{token}"))
            ),
            Panel::Linux => format!("Bearer {username}:{token}"),
        }
    }
}

#[derive(Clone)]
pub struct HttpConfig {
    /// `https://host[:port]`; the panel's default port when none is given.
    pub endpoint: String,
    pub panel: Panel,
    pub username: String,
    pub token: String,
    /// Skip certificate verification (self-signed panels, at the user's request).
    pub insecure: bool,
    /// Extra CA certificates (PEM) to trust.
    pub ca_cert_pem: Option<String>,
    pub timeout: Duration,
}

impl fmt::Debug for HttpConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpConfig")
            .field("endpoint", &self.endpoint)
            .field("panel", &self.panel)
            .field("username", &self.username)
            .field("token", &"<redacted>")
            .field("insecure", &self.insecure)
            .field("ca_cert_pem", &self.ca_cert_pem.as_ref().map(|_| "<pem>"))
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// A path and query as compared with a panel's API path: no trailing slash.
fn normalised(path: &str, query: Option<&str>) -> String {
    let mut s = path.trim_end_matches('/').to_ascii_lowercase();
    if let Some(q) = query.filter(|q| !q.is_empty()) {
        s.push('?');
        s.push_str(&q.to_ascii_lowercase());
    }
    s
}

/// An `endpoint` pasted with the panel's API path (as the README's table
/// shows the full URL) is accepted as its base URL; another panel's API path
/// or a query is refused with what to write.
/// Why an endpoint cannot be used as written, when it is not ASCII: the URL
/// parser is built without Unicode host-name tables (see `Cargo.toml`'s
/// `idna_adapter`), so an internationalised host name must be given in its
/// ASCII form.
pub fn endpoint_not_ascii(endpoint: &str) -> Option<String> {
    (!endpoint.is_ascii()).then(|| {
        format!(
            "endpoint {endpoint:?} is not ASCII: write an internationalised host name in its ASCII (punycode) form, e.g. \"https://xn--bcher-kva.example:2087\" for bücher.example, or use the server's IP address."
        )
    })
}

fn strip_api_path(base: &mut reqwest::Url, panel: Panel) -> Result<(), String> {
    let given = normalised(base.path(), base.query());
    let api_of = |p: Panel| {
        let (path, query) = p.api_path().split_once('?').unwrap_or((p.api_path(), ""));
        normalised(path, Some(query))
    };
    if given.is_empty() {
        return Ok(());
    }
    let mut bare = base.clone();
    bare.set_path("");
    bare.set_query(None);
    let bare = bare.as_str().trim_end_matches('/').to_string();
    if given == api_of(panel) {
        base.set_path("");
        base.set_query(None);
        return Ok(());
    }
    let panels = [Panel::Cpanel, Panel::DirectAdmin, Panel::Linux];
    if let Some(other) = panels.into_iter().find(|p| api_of(*p) == given) {
        return Err(format!(
            "endpoint {:?} ends with the {} API path, but panel is {:?}: set endpoint = {bare:?} (the base URL; the path comes from panel) and panel = {:?} if JetBackup runs under {}",
            base.as_str(),
            other.label(),
            panel.label(),
            other.label(),
            other.label()
        ));
    }
    if base.query().is_some() {
        return Err(format!(
            "endpoint {:?} has a query string: set endpoint = {bare:?}, the base URL (scheme, host and port); the API path comes from panel",
            base.as_str()
        ));
    }
    // Any other path is kept: a reverse proxy may serve the panel under one.
    Ok(())
}

/// One shared `reqwest` client (connection pool, keep-alive) per provider process.
pub struct HttpTransport {
    /// Built at the first call, not at configure: building it loads and
    /// parses the system's trust store, which a provider process that never
    /// calls the API (`validate`, `plan -refresh=false`, a configuration
    /// whose resources are all on other servers' aliases) does not need.
    client: OnceLock<reqwest::Client>,
    /// `ca_cert_pem`'s certificates, checked at configure.
    roots: Vec<reqwest::Certificate>,
    insecure: bool,
    url: String,
    endpoint: String,
    authorization: HeaderValue,
    token: String,
    timeout: Duration,
}

impl fmt::Debug for HttpTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpTransport")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl HttpTransport {
    pub fn new(config: HttpConfig) -> Result<HttpTransport, String> {
        if let Some(problem) = endpoint_not_ascii(&config.endpoint) {
            return Err(problem);
        }
        let mut base = reqwest::Url::parse(config.endpoint.trim_end_matches('/'))
            .map_err(|e| format!("endpoint {:?} is not a URL: {e}", config.endpoint))?;
        if !matches!(base.scheme(), "http" | "https") {
            return Err(format!(
                "endpoint {:?} must start with https:// (or http://)",
                config.endpoint
            ));
        }
        if base.host_str().is_none() {
            return Err(format!("endpoint {:?} has no host", config.endpoint));
        }
        strip_api_path(&mut base, config.panel)?;
        if base.port().is_none() {
            let _ = base.set_port(Some(config.panel.default_port()));
        }
        let endpoint = base.as_str().trim_end_matches('/').to_string();
        let url = format!("{endpoint}{}", config.panel.api_path());

        let mut roots = Vec::new();
        if let Some(pem) = &config.ca_cert_pem {
            roots = reqwest::Certificate::from_pem_bundle(pem.as_bytes())
                .map_err(|e| format!("ca_cert_pem is not a PEM certificate: {e}"))?;
            if roots.is_empty() {
                return Err("ca_cert_pem holds no certificate".to_string());
            }
        }
        let mut authorization =
            HeaderValue::from_str(&config.panel.authorization(&config.username, &config.token))
                .map_err(|_| {
                    "the username or API token contains characters not allowed in an HTTP header"
                        .to_string()
                })?;
        authorization.set_sensitive(true);
        Ok(HttpTransport {
            client: OnceLock::new(),
            roots,
            insecure: config.insecure,
            url,
            endpoint,
            authorization,
            token: config.token,
            timeout: config.timeout,
        })
    }

    /// The shared client, built on first use.
    fn client(&self, function: &str) -> Result<&reqwest::Client, ApiError> {
        if let Some(client) = self.client.get() {
            return Ok(client);
        }
        let mut builder = reqwest::Client::builder()
            .timeout(self.timeout)
            .connect_timeout(self.timeout.min(Duration::from_secs(30)))
            .pool_idle_timeout(Duration::from_secs(60))
            .user_agent(concat!(
                "terraform-provider-jetbackup/",
                env!("CARGO_PKG_VERSION")
            ))
            // Never follow a redirect: reqwest's default re-sends a 307/308
            // POST, body and secrets included, to whatever host `Location`
            // names, and turns a 301/302 into a bodiless GET. A 3xx becomes
            // [`ApiError::Redirected`] instead.
            .redirect(reqwest::redirect::Policy::none())
            .use_rustls_tls()
            // A plain-HTTP endpoint never verifies a certificate (the client
            // talks to no other host: redirects are not followed), so the
            // system's trust store is not loaded for it (0.1 to 0.3 MiB per
            // process, docs/guides/fleet.md).
            .tls_built_in_root_certs(self.endpoint.starts_with("https://"))
            .danger_accept_invalid_certs(self.insecure);
        for cert in &self.roots {
            builder = builder.add_root_certificate(cert.clone());
        }
        let built = builder.build().map_err(|e| ApiError::Tls {
            function: function.to_string(),
            endpoint: self.endpoint.clone(),
            detail: format!("cannot build the HTTP client: {e}"),
            hint: "Check `ca_cert_pem`, and the trust roots the provider starts from: the system's store on Linux and Windows (/etc/ssl/certs on Linux), Mozilla's bundled roots on macOS.".to_string(),
        })?;
        // Two first calls at once may both build; one client is kept.
        Ok(self.client.get_or_init(|| built))
    }

    /// Turns a reqwest failure into what happened: no connection (nothing
    /// sent), a TLS or scheme mismatch (nothing the server could act on), a
    /// timeout, or a connection lost after the request went out.
    fn classify(&self, function: &str, err: reqwest::Error, reading_body: bool) -> ApiError {
        // reqwest's Display may include the URL; ours carries no secret, but
        // the chain is walked for the cause, which is what users need.
        let mut detail = err.to_string();
        let mut source = std::error::Error::source(&err);
        while let Some(s) = source {
            detail = format!("{detail}: {s}");
            source = s.source();
        }
        let lower = detail.to_ascii_lowercase();
        let function = function.to_string();
        let https = self.endpoint.starts_with("https://");
        let other_scheme = if https {
            self.endpoint.replacen("https://", "http://", 1)
        } else {
            self.endpoint.replacen("http://", "https://", 1)
        };
        // rustls reading an HTTP reply where a TLS record should be.
        let plain_reply = ["corrupt message", "invalidcontenttype", "wrong version"]
            .iter()
            .any(|s| lower.contains(s));
        // hyper reading TLS bytes (an alert) where an HTTP reply should be.
        let tls_reply = ["invalid http version", "invalid status", "invalid response"]
            .iter()
            .any(|s| lower.contains(s));
        if err.is_timeout() && !err.is_connect() {
            ApiError::Timeout {
                function,
                target: self.url.clone(),
                after: self.timeout,
                attempts: 1,
                waited: self.timeout,
            }
        } else if https && err.is_connect() && plain_reply {
            ApiError::Tls {
                function,
                endpoint: self.endpoint.clone(),
                detail,
                hint: format!("The server answered in plain HTTP, not TLS: this port does not serve HTTPS. If that is expected, set `endpoint` to {other_scheme:?}."),
            }
        } else if err.is_connect()
            && ["certificate", "tls", "handshake"]
                .iter()
                .any(|s| lower.contains(s))
        {
            ApiError::Tls {
                function,
                endpoint: self.endpoint.clone(),
                detail,
                hint: "If the panel uses a self-signed certificate, set `ca_cert_pem` to its CA certificate (or `insecure = true` to skip verification).".to_string(),
            }
        } else if err.is_connect() {
            ApiError::Connect {
                function,
                url: self.url.clone(),
                transient: !(lower.contains("dns error") || lower.contains("failed to lookup")),
                detail,
            }
        } else if !https && !reading_body && tls_reply {
            // The request went out before the TLS alert came back.
            ApiError::PlainHttpToTls {
                function,
                endpoint: self.endpoint.clone(),
                https: other_scheme,
                detail,
            }
        } else if reading_body {
            ApiError::BadResponse {
                function,
                reason: format!("{TRUNCATED} reply: {detail}"),
                snippet: String::new(),
            }
        } else {
            ApiError::BadResponse {
                function,
                reason: format!("{CONNECTION_LOST} after the request was sent to {}, before any reply (the server may have carried it out): {detail}", self.url),
                snippet: String::new(),
            }
        }
    }
}

impl HttpTransport {
    /// The error for a 3xx reply: the status and `Location`, and when the
    /// redirect only changes the scheme or port of the same host (`http` to
    /// `https`, or another port) the `endpoint` to write.
    fn redirected(
        &self,
        function: &str,
        status: u16,
        location: Option<&str>,
        secrets: &Secrets,
    ) -> ApiError {
        let shown = location.map_or_else(
            || "(no Location header)".to_string(),
            |l| {
                let clean: String = l
                    .chars()
                    .map(|c| if c.is_control() { ' ' } else { c })
                    .collect();
                cut(&secrets.mask(&clean))
            },
        );
        let hint = location
            .and_then(|l| self.same_server_elsewhere(l))
            .map_or_else(
                || "Check that `endpoint` is the JetBackup server's own address (scheme, host and port), not a proxy, a login page or another host: the provider only calls the host you name.".to_string(),
                |endpoint| format!("The redirect only changes the scheme or port of the same host: set `endpoint` = {endpoint:?}."),
            );
        ApiError::Redirected {
            function: function.to_string(),
            url: self.url.clone(),
            status,
            location: shown,
            hint,
        }
    }

    /// The endpoint to write when `location` is this call's URL on the same
    /// host with another scheme or port.
    fn same_server_elsewhere(&self, location: &str) -> Option<String> {
        let ours = reqwest::Url::parse(&self.url).ok()?;
        let target = ours.join(location).ok()?;
        let same_host = target.host_str()?.eq_ignore_ascii_case(ours.host_str()?);
        let same_place = target.path().trim_end_matches('/') == ours.path().trim_end_matches('/')
            && target.query() == ours.query();
        let moved = target.scheme() != ours.scheme()
            || target.port_or_known_default() != ours.port_or_known_default();
        if !(same_host && same_place && moved) {
            return None;
        }
        let port = target.port_or_known_default()?;
        let host = target.host_str()?;
        // A reverse proxy's base path (kept in `endpoint`) stays.
        let base_path = self
            .endpoint
            .splitn(4, '/')
            .nth(3)
            .map_or(String::new(), |p| format!("/{p}"));
        Some(format!("{}://{host}:{port}{base_path}", target.scheme()))
    }
}

/// Added to an HTTP error whose body is not a JetBackup envelope: the
/// endpoint serves something else (another web application, a proxy page).
fn not_jetbackup_hint(body: &[u8], url: &str) -> String {
    let what = if body.trim_ascii_start().starts_with(b"<") {
        "an HTML page"
    } else {
        "not a JetBackup reply"
    };
    format!(" (the reply is {what}: the endpoint does not look like a JetBackup API; {url} was called. Check that `endpoint` is the JetBackup server's base URL with the right port, and that `panel` is the panel JetBackup runs under)")
}

#[async_trait]
impl Transport for HttpTransport {
    async fn call(&self, function: &str, params: &Params) -> Result<Vec<u8>, ApiError> {
        // Parameters go in a POST body so that neither they nor the function
        // name show up in web server access logs.
        let mut body = String::with_capacity(16 + params.len() * 24);
        body.push_str("function=");
        body.push_str(&percent_encode(function));
        if !params.is_empty() {
            body.push('&');
            body.push_str(&params.encode());
        }
        let mut response = self
            .client(function)?
            .post(&self.url)
            .header(AUTHORIZATION, self.authorization.clone())
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .map_err(|e| self.classify(function, e, false))?;
        let status = response.status().as_u16();
        let secrets = Secrets::new(self.secrets()).with_call(function, params);
        if (300..400).contains(&status) {
            let location = response
                .headers()
                .get(reqwest::header::LOCATION)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
            return Err(self.redirected(function, status, location.as_deref(), &secrets));
        }
        let retry_after_header = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let mut buf = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if buf.len() + chunk.len() > MAX_BODY_BYTES {
                        return Err(ApiError::BadResponse {
                            function: function.to_string(),
                            reason: format!("reply larger than {} MiB", MAX_BODY_BYTES >> 20),
                            snippet: String::new(),
                        });
                    }
                    buf.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => return Err(self.classify(function, e, true)),
            }
        }
        if status != 200 {
            // A JetBackup envelope in the body may say when to come back
            // (`system.retry_ms`); it is more precise than the header.
            let retry_ms = Envelope::parse(&buf)
                .ok()
                .map(|e| *e.system.retry_ms)
                .filter(|ms| *ms > 0)
                .map(|ms| Duration::from_millis(ms as u64));
            let mut hint = status_hint(status);
            // Only where nothing else explains the status: a 401/403/404
            // has its own hint, and a 429/502/503/504 comes from a busy
            // server or a gateway in front of a JetBackup one.
            let explained = !hint.is_empty() || matches!(status, 429 | 502 | 503 | 504);
            if !explained && !buf.is_empty() && Envelope::parse(&buf).is_err() {
                hint.push_str(&not_jetbackup_hint(&buf, &self.url));
            }
            return Err(ApiError::HttpStatus {
                function: function.to_string(),
                url: self.url.clone(),
                status,
                hint,
                snippet: redact_snippet(&buf, &secrets.as_strs()),
                retry_after: retry_ms.or(retry_after_header),
            });
        }
        Ok(buf)
    }

    fn target(&self) -> String {
        self.url.clone()
    }

    /// The token, and the whole `Authorization` value with its credentials
    /// part (for DirectAdmin that is `user:token` in base64, which a server
    /// echoing the header back would otherwise reveal).
    fn secrets(&self) -> Vec<String> {
        let mut secrets = vec![self.token.clone()];
        if let Ok(header) = self.authorization.to_str() {
            secrets.push(header.to_string());
            if let Some((_, credentials)) = header.split_once(' ') {
                secrets.push(credentials.to_string());
            }
        }
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        secrets
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_panel_has_its_own_header() {
        assert_eq!(Panel::Cpanel.authorization("root", "T"), "whm root:T");
        assert_eq!(Panel::Linux.authorization("root", "T"), "Bearer root:T");
        assert_eq!(
            Panel::DirectAdmin.authorization("admin", "K"),
            "Basic YWRtaW46Sw=="
        );
    }

    fn config() -> HttpConfig {
        HttpConfig {
            endpoint: "https://server.example.com".into(),
            panel: Panel::DirectAdmin,
            username: "admin".into(),
            token: "k".into(),
            insecure: false,
            ca_cert_pem: None,
            timeout: Duration::from_secs(5),
        }
    }

    #[test]
    fn an_endpoint_with_the_api_path_is_its_base_url() {
        let url = |endpoint: &str, panel| {
            HttpTransport::new(HttpConfig {
                endpoint: endpoint.to_string(),
                panel,
                ..config()
            })
            .map(|t| t.url)
        };
        for (panel, pasted) in [
            (
                Panel::Cpanel,
                "https://h:2087/cgi/addons/jetbackup5/api.cgi",
            ),
            (
                Panel::DirectAdmin,
                "https://h:2222/CMD_PLUGINS_ADMIN/jetbackup5/index.raw?api=1",
            ),
            (Panel::Linux, "https://h:3035/?api=1"),
        ] {
            let port = panel.default_port();
            let want = format!("https://h:{port}{}", panel.api_path());
            assert_eq!(url(pasted, panel), Ok(want.clone()), "{pasted}");
            assert_eq!(url(&format!("https://h:{port}/"), panel), Ok(want));
        }
        let wrong = url("https://h:2087/cgi/addons/jetbackup5/api.cgi", Panel::Linux).unwrap_err();
        assert!(
            wrong.contains("endpoint = \"https://h:2087\"") && wrong.contains("cpanel"),
            "{wrong}"
        );
        let query = url("https://h:3035/?x=1", Panel::Linux).unwrap_err();
        assert!(query.contains("endpoint = \"https://h:3035\""), "{query}");
        assert!(url("https://h/proxy/jb", Panel::Cpanel).is_ok());
    }

    #[test]
    fn an_internationalised_host_is_written_in_its_ascii_form() {
        let url = |endpoint: &str| {
            HttpTransport::new(HttpConfig {
                endpoint: endpoint.to_string(),
                panel: Panel::Cpanel,
                ..config()
            })
            .map(|t| t.url)
        };
        assert_eq!(
            url("https://xn--bcher-kva.example:2087").as_deref(),
            Ok("https://xn--bcher-kva.example:2087/cgi/addons/jetbackup5/api.cgi")
        );
        let refused = url("https://bücher.example:2087").unwrap_err();
        assert!(refused.contains("xn--bcher-kva.example"), "{refused}");
        assert!(url("https://192.0.2.10:2087").is_ok());
    }

    #[test]
    fn default_port_is_filled_in() {
        let t = HttpTransport::new(config());
        assert_eq!(
            t.map(|t| t.url).ok().as_deref(),
            Some("https://server.example.com:2222/CMD_PLUGINS_ADMIN/jetbackup5/index.raw?api=1")
        );
    }

    #[test]
    fn a_redirect_that_only_moves_scheme_or_port_names_the_endpoint_to_write() {
        let t = |endpoint: &str| {
            HttpTransport::new(HttpConfig {
                endpoint: endpoint.to_string(),
                panel: Panel::Cpanel,
                ..config()
            })
            .expect("transport")
        };
        let api = Panel::Cpanel.api_path();
        let plain = t("http://h.example:2086");
        assert_eq!(
            plain.same_server_elsewhere(&format!("https://h.example:2087{api}")),
            Some("https://h.example:2087".to_string())
        );
        assert_eq!(
            plain.same_server_elsewhere(&format!("https://H.example{api}")),
            Some("https://h.example:443".to_string())
        );
        // A relative Location keeps scheme, host and port: nothing moved.
        assert_eq!(plain.same_server_elsewhere(api), None);
        // Another host, or another page (a login form), is no endpoint.
        assert_eq!(
            plain.same_server_elsewhere(&format!("https://other.example:2087{api}")),
            None
        );
        assert_eq!(
            plain.same_server_elsewhere("https://h.example:2087/login"),
            None
        );
        let proxied = t("http://h.example:80/jb");
        assert_eq!(
            proxied.same_server_elsewhere(&format!("https://h.example/jb{api}")),
            Some("https://h.example:443/jb".to_string())
        );
    }

    #[test]
    fn debug_never_shows_the_token() {
        let c = HttpConfig {
            endpoint: "https://h".into(),
            panel: Panel::Cpanel,
            username: "root".into(),
            token: "very-secret-token".into(),
            insecure: false,
            ca_cert_pem: None,
            timeout: Duration::from_secs(1),
        };
        assert!(!format!("{c:?}").contains("very-secret-token"));
    }
}
