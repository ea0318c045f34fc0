//! How a call reaches JetBackup: over HTTPS to the panel's API entry point, or
//! through the local `jetbackup5api` command. Both send the same encoded
//! parameters and return the raw body; the client decodes it.

mod cli;
mod http;

use std::fmt;

use async_trait::async_trait;

use super::error::ApiError;
use super::wire::Params;

pub use cli::CliTransport;
pub use http::{endpoint_not_ascii, HttpConfig, HttpTransport, Panel};

/// Largest reply body read; anything longer is refused rather than buffered.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

#[async_trait]
pub trait Transport: Send + Sync + fmt::Debug {
    /// Sends `function` with `params` and returns the reply body.
    async fn call(&self, function: &str, params: &Params) -> Result<Vec<u8>, ApiError>;

    /// Strings that must be masked wherever a body is quoted (the token).
    fn secrets(&self) -> Vec<String>;

    /// What a call reaches, for messages: the URL, or the command.
    fn target(&self) -> String;

    /// Whether parameters travel where other local users can read them (a
    /// command line), so secrets must not be sent this way.
    fn parameters_visible_locally(&self) -> bool {
        false
    }
}
