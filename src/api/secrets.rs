//! The secrets of a call, in every spelling a server could echo them back,
//! and the masking of any text that leaves the provider (server messages,
//! body excerpts, error details, debug logs).
//!
//! A call's secrets are the transport's credentials (the token, the whole
//! `Authorization` value and its base64 credentials part) and the values of
//! the request's secret parameters: the fields an object table marks
//! [`ValueKind::Secret`](crate::api::object::ValueKind::Secret) (a destination's
//! `options[access_key]`, `options[secret_key]`, `options[password]`), and,
//! for a function without a table, any parameter whose name looks secret
//! ([`is_secret_key`]). Each is masked as written, percent-encoded (as the
//! request body carries it), JSON-escaped (also with PHP's `\/`) and
//! HTML-escaped. Values shorter than [`MIN_SECRET_CHARS`] are not searched
//! for: masking every `ab` of a message would make it unreadable and such a
//! value protects nothing.

use crate::api::object::OBJECTS;
use crate::api::wire::{is_secret_key, percent_encode, Params};

/// Shortest value masked.
pub const MIN_SECRET_CHARS: usize = 4;

/// What a secret is replaced with.
pub const REDACTED: &str = "<redacted>";

/// Strings to mask, longest first (so that a secret containing another is
/// masked whole).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Secrets(Vec<String>);

impl Secrets {
    /// The given values in all their spellings.
    pub fn new<S: AsRef<str>>(values: impl IntoIterator<Item = S>) -> Secrets {
        let mut s = Secrets::default();
        s.extend(values);
        s
    }

    fn extend<S: AsRef<str>>(&mut self, values: impl IntoIterator<Item = S>) {
        for v in values {
            for spelling in spellings(v.as_ref()) {
                if spelling.chars().count() >= MIN_SECRET_CHARS && !self.0.contains(&spelling) {
                    self.0.push(spelling);
                }
            }
        }
        self.0.sort_by_key(|s| std::cmp::Reverse(s.len()));
    }

    /// These secrets and the secret parameter values of `function`'s `params`.
    pub fn with_call(&self, function: &str, params: &Params) -> Secrets {
        let mut s = self.clone();
        s.extend(
            params
                .pairs()
                .iter()
                .filter(|(k, _)| is_secret_param(function, k))
                .map(|(_, v)| v),
        );
        s
    }

    pub fn as_strs(&self) -> Vec<&str> {
        self.0.iter().map(String::as_str).collect()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `text` with every secret replaced by [`REDACTED`].
    pub fn mask(&self, text: &str) -> String {
        let mut out = text.to_string();
        self.mask_in_place(&mut out);
        out
    }

    pub fn mask_in_place(&self, text: &mut String) {
        for secret in &self.0 {
            if text.contains(secret.as_str()) {
                *text = text.replace(secret.as_str(), REDACTED);
            }
        }
    }
}

/// Whether the value of parameter `key` of `function` is a secret: a field
/// the function's object table marks secret, or a name that looks secret.
pub fn is_secret_param(function: &str, key: &str) -> bool {
    is_secret_key(key)
        || OBJECTS.iter().any(|kind| {
            kind.manage == function
                && kind
                    .fields
                    .iter()
                    .any(|f| f.wire == key && f.kind.is_secret())
        })
}

/// `params` for a log line: secret values masked, long values cut.
pub fn params_for_log(function: &str, params: &Params) -> String {
    let mut out = String::new();
    for (i, (k, v)) in params.pairs().iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        if is_secret_param(function, k) {
            out.push_str(REDACTED);
        } else {
            out.push_str(&crate::api::quote::cut(v));
        }
    }
    out
}

/// The spellings under which a server may quote `value`.
fn spellings(value: &str) -> Vec<String> {
    let json = serde_json::to_string(value).unwrap_or_default();
    let json = json
        .strip_prefix('"')
        .and_then(|j| j.strip_suffix('"'))
        .unwrap_or(&json)
        .to_string();
    let php_json = json.replace('/', "\\/");
    let html = value
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#039;");
    let percent = percent_encode(value);
    let plus = percent.replace("%20", "+");
    let lower_hex = lowercase_escapes(&percent);
    let mut all = vec![
        value.to_string(),
        percent,
        plus,
        lower_hex,
        json,
        php_json,
        html,
    ];
    all.dedup();
    all
}

/// `%2F` as `%2f`: servers differ in the case of their escapes.
fn lowercase_escapes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '%' {
            for h in chars.by_ref().take(2) {
                out.push(h.to_ascii_lowercase());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_secret_field_of_the_tables_is_a_secret_parameter() {
        for kind in OBJECTS {
            for f in kind.fields.iter().filter(|f| f.kind.is_secret()) {
                assert!(is_secret_param(kind.manage, f.wire), "{}", f.wire);
            }
        }
        assert!(!is_secret_param("manageDestination", "name"));
    }

    #[test]
    fn each_spelling_is_masked() {
        let secret = "wJal/rXUt+nFEMI K7MDENG";
        let s = Secrets::new([secret]);
        for text in [
            secret.to_string(),
            percent_encode(secret),
            lowercase_escapes(&percent_encode(secret)),
            "wJal\\/rXUt+nFEMI K7MDENG".to_string(),
            "wJal%2FrXUt%2BnFEMI+K7MDENG".to_string(),
        ] {
            let masked = s.mask(&format!("x={text}&y"));
            assert_eq!(masked, "x=<redacted>&y", "{text}");
        }
        assert!(Secrets::new(["abc"]).is_empty());
    }

    #[test]
    fn a_calls_secret_parameters_join_the_transports() {
        let mut p = Params::new();
        p.push("name", "offsite")
            .push("options[secret_key]", "s3cr3t-value")
            .push("options[access_key]", "AKIAEXAMPLE");
        let s = Secrets::new(["tok-123456"]).with_call("manageDestination", &p);
        let text = "tok-123456 offsite s3cr3t-value AKIAEXAMPLE";
        assert_eq!(s.mask(text), "<redacted> offsite <redacted> <redacted>");
        let log = params_for_log("manageDestination", &p);
        assert!(!log.contains("s3cr3t") && !log.contains("AKIA"), "{log}");
        assert!(log.contains("name=offsite"), "{log}");
    }
}
