//! The provider's start-to-handshake: spawn to the go-plugin handshake
//! line, plain and with mTLS, and its report.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::measure::median;
use crate::sides::ProviderBin;
use crate::support;
use crate::{HANDSHAKE_RUNS, MAGIC_COOKIE};

// ---------------------------------------------------------------------------
// Start-to-handshake

/// Starts the provider as go-plugin would and times spawn → first stdout line
/// (`1|6|tcp|127.0.0.1:PORT|grpc|…`). Returns milliseconds.
pub(crate) fn handshake_once(binary: &Path, client_cert: Option<&str>) -> f64 {
    let mut cmd = Command::new(binary);
    support::isolate_env(&mut cmd);
    cmd.env(MAGIC_COOKIE.0, MAGIC_COOKIE.1)
        .env("PLUGIN_MIN_PORT", "10000")
        .env("PLUGIN_MAX_PORT", "25000")
        .env("PLUGIN_PROTOCOL_VERSIONS", "6")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if let Some(pem) = client_cert {
        cmd.env("PLUGIN_CLIENT_CERT", pem);
    }
    let started = Instant::now();
    let mut child = cmd.spawn().expect("start the provider");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("piped stdout"))
        .read_line(&mut line)
        .expect("read the handshake line");
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        line.starts_with("1|6|tcp|"),
        "bench: unexpected handshake line from {}: {line:?}",
        binary.display()
    );
    if client_cert.is_some() {
        assert!(
            line.trim_end()
                .rsplit('|')
                .next()
                .is_some_and(|c| !c.is_empty()),
            "bench: no server certificate in the mTLS handshake line"
        );
    }
    ms
}

pub(crate) struct Handshake {
    pub(crate) plain: Vec<f64>,
    pub(crate) mtls: Vec<f64>,
}

pub(crate) fn measure_handshakes(binaries: &[&Path], client_cert: &str) -> Vec<Handshake> {
    let mut res: Vec<Handshake> = binaries
        .iter()
        .map(|_| Handshake {
            plain: Vec::new(),
            mtls: Vec::new(),
        })
        .collect();
    // Warm-up: page cache, dynamic loader.
    for b in binaries {
        handshake_once(b, None);
        handshake_once(b, Some(client_cert));
    }
    for _ in 0..HANDSHAKE_RUNS {
        for (i, b) in binaries.iter().enumerate() {
            res[i].plain.push(handshake_once(b, None));
            res[i].mtls.push(handshake_once(b, Some(client_cert)));
        }
    }
    res
}

pub(crate) fn report_handshakes(bins: &[&ProviderBin], handshakes: &[Handshake]) {
    println!();
    println!(
        "== start-to-handshake: spawn -> first stdout line `1|6|tcp|…`, with go-plugin's environment; {HANDSHAKE_RUNS} runs each, interleaved"
    );
    for (b, h) in bins.iter().zip(handshakes) {
        for (mode, v) in [
            ("plain (no PLUGIN_CLIENT_CERT)", &h.plain),
            ("mTLS (PLUGIN_CLIENT_CERT: as Terraform runs it)", &h.mtls),
        ] {
            let mut s = v.clone();
            s.sort_by(|a, b| a.partial_cmp(b).unwrap());
            println!(
                "{:<9} {mode:<48} median {:6.2} ms   min {:6.2}   p90 {:6.2}   max {:6.2}",
                b.label,
                median(v),
                s[0],
                s[(s.len() * 9 / 10).min(s.len() - 1)],
                s[s.len() - 1]
            );
        }
    }
    if handshakes.len() > 1 {
        println!(
            "provider / baseline, handshake medians: plain {:.2}x, mTLS {:.2}x",
            median(&handshakes[0].plain) / median(&handshakes[1].plain),
            median(&handshakes[0].mtls) / median(&handshakes[1].mtls)
        );
    }
}
