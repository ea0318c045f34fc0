//! go-plugin's side of starting a plugin: the magic cookie, the listener,
//! AutoMTLS, and the handshake line Terraform reads from stdout.
//!
//! Terraform starts the plugin with `TF_PLUGIN_MAGIC_COOKIE` (anything else
//! started it by mistake), `PLUGIN_PROTOCOL_VERSIONS` (the protocol majors
//! it speaks) and, for AutoMTLS, `PLUGIN_CLIENT_CERT` (its client
//! certificate, PEM). The plugin listens on loopback and prints
//! `1|6|tcp|127.0.0.1:PORT|grpc|CERT`: go-plugin's core version, the
//! protocol major, the address, and the server certificate (base64 DER,
//! unpadded) Terraform then trusts, empty without AutoMTLS.

use std::io;
use std::net::{Ipv4Addr, SocketAddr};

use base64::Engine as _;
use futures_util::Stream;
use tokio::net::{TcpListener, TcpStream};
use tonic::transport::{Certificate, Identity, ServerTlsConfig};

/// The cookie Terraform's plugin client sets (go-plugin's handshake config
/// for Terraform providers).
pub const MAGIC_COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
pub const MAGIC_COOKIE_VALUE: &str =
    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

/// The protocol major this server speaks.
pub const PROTOCOL_VERSION: u32 = 6;

/// What Terraform asked for, from the plugin's environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Launch {
    /// Terraform's client certificate (PEM) when AutoMTLS is on.
    pub client_cert: Option<String>,
}

impl Launch {
    /// Reads and checks the environment; `Err` says why this process
    /// should not serve.
    pub fn from_env() -> Result<Launch, String> {
        Launch::from_vars(|k| std::env::var(k).ok())
    }

    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Launch, String> {
        if var(MAGIC_COOKIE_KEY).as_deref() != Some(MAGIC_COOKIE_VALUE) {
            return Err(
                "this is a Terraform provider plugin, not a program to run directly: \
                 Terraform starts it when a configuration uses the provider"
                    .to_string(),
            );
        }
        if let Some(offered) = var("PLUGIN_PROTOCOL_VERSIONS").filter(|v| !v.trim().is_empty()) {
            let speaks = offered
                .split(',')
                .any(|v| v.trim().parse::<u32>() == Ok(PROTOCOL_VERSION));
            if !speaks {
                return Err(format!(
                    "this provider speaks plugin protocol {PROTOCOL_VERSION} (Terraform 1.0 or later); \
                     the CLI that started it offers {offered}"
                ));
            }
        }
        Ok(Launch {
            client_cert: var("PLUGIN_CLIENT_CERT").filter(|c| !c.trim().is_empty()),
        })
    }
}

/// A listener ready to serve, and the line that tells Terraform where.
pub struct Bound {
    pub listener: TcpListener,
    pub tls: Option<ServerTlsConfig>,
    pub line: String,
}

/// Binds an ephemeral loopback port and, under AutoMTLS, makes the server's
/// certificate.
pub async fn bind(launch: &Launch) -> Result<Bound, String> {
    let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .await
        .map_err(|e| format!("cannot listen on 127.0.0.1: {e}"))?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("cannot read the listening address: {e}"))?;
    let (tls, cert) = match &launch.client_cert {
        Some(client_pem) => {
            let (tls, der) = auto_mtls(client_pem)?;
            (
                Some(tls),
                base64::engine::general_purpose::STANDARD_NO_PAD.encode(der),
            )
        }
        None => (None, String::new()),
    };
    Ok(Bound {
        listener,
        tls,
        line: handshake_line(addr, &cert),
    })
}

pub fn handshake_line(addr: SocketAddr, cert: &str) -> String {
    format!("1|{PROTOCOL_VERSION}|tcp|{addr}|grpc|{cert}")
}

/// A fresh self-signed server certificate for `localhost` (the name
/// go-plugin's client checks) and the TLS configuration that presents it
/// and trusts Terraform's client certificate. Returns the configuration
/// and the certificate's DER.
///
/// The client certificate is checked when Terraform presents it, but not
/// required: go-plugin makes it a self-signed CA certificate on P-521,
/// which rustls (ring) offers no signature scheme for, so Go's TLS client
/// does not present it (and webpki would refuse a CA certificate as a
/// client's); requiring it fails every connection (tried with Terraform
/// 1.11.4 and 1.15.5). The server certificate still proves to Terraform
/// that it talks to the process it started, and the listener is on
/// loopback.
fn auto_mtls(client_pem: &str) -> Result<(ServerTlsConfig, Vec<u8>), String> {
    let key = rcgen::KeyPair::generate()
        .map_err(|e| format!("cannot make the TLS key for AutoMTLS: {e}"))?;
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_string()])
        .map_err(|e| format!("cannot make the TLS certificate for AutoMTLS: {e}"))?;
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "localhost");
    let cert = params
        .self_signed(&key)
        .map_err(|e| format!("cannot make the TLS certificate for AutoMTLS: {e}"))?;
    let tls = ServerTlsConfig::new()
        .identity(Identity::from_pem(cert.pem(), key.serialize_pem()))
        .client_ca_root(Certificate::from_pem(client_pem))
        .client_auth_optional(true);
    Ok((tls, cert.der().to_vec()))
}

/// Accepted connections with `TCP_NODELAY`: a gRPC reply goes out as more
/// than one segment, and with Nagle's algorithm the second waits for
/// Terraform's delayed acknowledgement (about 40 ms per RPC).
pub fn accept_nodelay(
    listener: TcpListener,
) -> impl Stream<Item = io::Result<TcpStream>> + Send + 'static {
    futures_util::stream::unfold(listener, |listener| async move {
        let accepted = listener.accept().await.map(|(stream, _)| {
            if let Err(e) = stream.set_nodelay(true) {
                tracing::debug!(error = %e, "cannot set TCP_NODELAY");
            }
            stream
        });
        Some((accepted, listener))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt as _;
    use std::collections::HashMap;

    fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn without_the_magic_cookie_it_refuses_to_serve() {
        let err = Launch::from_vars(vars(&[])).unwrap_err();
        assert!(err.contains("not a program to run directly"), "{err}");
        let wrong = Launch::from_vars(vars(&[(MAGIC_COOKIE_KEY, "nope")]));
        assert!(wrong.is_err());
    }

    #[test]
    fn it_serves_when_protocol_6_is_offered_and_reads_the_client_cert() {
        let l = Launch::from_vars(vars(&[
            (MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE),
            ("PLUGIN_PROTOCOL_VERSIONS", "5,6"),
            ("PLUGIN_CLIENT_CERT", "PEM"),
        ]))
        .unwrap();
        assert_eq!(l.client_cert.as_deref(), Some("PEM"));
        let plain = Launch::from_vars(vars(&[(MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE)])).unwrap();
        assert_eq!(plain.client_cert, None);
        let err = Launch::from_vars(vars(&[
            (MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE),
            ("PLUGIN_PROTOCOL_VERSIONS", "5"),
        ]))
        .unwrap_err();
        assert!(err.contains("protocol 6"), "{err}");
    }

    #[tokio::test]
    async fn the_plain_handshake_line_names_the_listener_and_no_certificate() {
        let bound = bind(&Launch { client_cert: None }).await.unwrap();
        let addr = bound.listener.local_addr().unwrap();
        assert!(bound.tls.is_none());
        assert_eq!(
            bound.line,
            format!("1|6|tcp|127.0.0.1:{}|grpc|", addr.port())
        );
    }

    #[tokio::test]
    async fn accepted_connections_have_nodelay() {
        let bound = bind(&Launch { client_cert: None }).await.unwrap();
        let addr = bound.listener.local_addr().unwrap();
        let mut incoming = Box::pin(accept_nodelay(bound.listener));
        let _client = TcpStream::connect(addr).await.unwrap();
        let accepted = incoming.next().await.unwrap().unwrap();
        assert!(accepted.nodelay().unwrap());
    }
}
