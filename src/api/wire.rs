//! The JetBackup 5 wire format for request parameters.
//!
//! JetBackup's API entry points are PHP scripts reading `$_REQUEST`, so every
//! parameter is a flat `key=value` pair and nested values use PHP bracket
//! notation (`destination[0]`, `schedules[0][_id]`, `filters[1][0]`,
//! `monitor[ranfor]`). The same encoded string is used for an HTTP form body
//! and for the CLI's single `-D` argument.
//!
//! [`Params`] is the ordered list of pairs a request sends; [`parse_pairs`] and
//! [`FormValue::from_pairs`] are the inverse, used by the simulator to read a
//! request the way PHP would.

use std::fmt::Write as _;

/// Ordered request parameters, exactly as they go on the wire (decoded form).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    pub fn new() -> Self {
        Self::default()
    }

    /// The pairs in the order they will be sent.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// Value of the first pair with this exact key.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub fn push(&mut self, key: impl Into<String>, value: impl Into<String>) -> &mut Self {
        self.pairs.push((key.into(), value.into()));
        self
    }

    pub fn push_int(&mut self, key: impl Into<String>, value: i64) -> &mut Self {
        self.push(key, value.to_string())
    }

    /// Booleans go as `1`/`0`: JetBackup does not accept the literals `true`/`false`.
    pub fn push_bool(&mut self, key: impl Into<String>, value: bool) -> &mut Self {
        self.push(key, if value { "1" } else { "0" })
    }

    /// `key[0]=a&key[1]=b`; an empty list is sent as `key=` so that a modify clears it.
    pub fn push_list<S: AsRef<str>>(&mut self, key: &str, items: &[S]) -> &mut Self {
        if items.is_empty() {
            return self.push(key, "");
        }
        for (i, item) in items.iter().enumerate() {
            self.push(format!("{key}[{i}]"), item.as_ref());
        }
        self
    }

    /// `key[row][col]=v` for a two-dimensional list; empty is `key=`.
    pub fn push_grid<S: AsRef<str>>(&mut self, key: &str, rows: &[Vec<S>]) -> &mut Self {
        if rows.iter().all(|r| r.is_empty()) {
            return self.push(key, "");
        }
        for (r, row) in rows.iter().filter(|r| !r.is_empty()).enumerate() {
            for (c, item) in row.iter().enumerate() {
                self.push(format!("{key}[{r}][{c}]"), item.as_ref());
            }
        }
        self
    }

    /// `application/x-www-form-urlencoded` body / CLI `-D` string.
    pub fn encode(&self) -> String {
        let mut out = String::with_capacity(self.pairs.len() * 24);
        for (i, (k, v)) in self.pairs.iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            percent_encode_into(&mut out, k);
            out.push('=');
            percent_encode_into(&mut out, v);
        }
        out
    }

    /// The same pairs with the values of secret-looking keys masked, for logs.
    pub fn redacted(&self) -> String {
        let mut out = String::new();
        for (i, (k, v)) in self.pairs.iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            let masked = is_secret_key(k);
            let _ = write!(out, "{k}={}", if masked { "<redacted>" } else { v });
        }
        out
    }
}

/// Keys whose values must never reach a log line or an error.
pub fn is_secret_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    ["token", "secret", "password", "pass", "key", "private"]
        .iter()
        .any(|s| k.contains(s))
}

/// Percent-encodes everything but ASCII letters, digits and `_` (the API docs
/// ask for exactly this: "all non-alphanumerics except `_`").
pub fn percent_encode_into(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b == b'_' {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        }
    }
}

pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    percent_encode_into(&mut out, s);
    out
}

/// Decodes `%XX` and `+` the way PHP's form parser does. Invalid escapes are
/// kept literally; invalid UTF-8 is replaced, never a panic.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' if i + 2 < bytes.len() => match (hex_val(bytes[i + 1]), hex_val(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    i += 3;
                }
                _ => {
                    out.push(b'%');
                    i += 1;
                }
            },
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Splits a form / query string into decoded pairs, in order.
pub fn parse_pairs(s: &str) -> Vec<(String, String)> {
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (percent_decode(k), percent_decode(v)),
            None => (percent_decode(p), String::new()),
        })
        .collect()
}

/// A request value after PHP-style bracket parsing: a string, or an ordered
/// array/map (PHP has one type for both).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormValue {
    Str(String),
    Map(Vec<(String, FormValue)>),
}

impl FormValue {
    /// Builds the nested value of a whole request from its pairs, as PHP's
    /// `parse_str` does: `a[x][y]=v` nests, `a[]=v` appends, a later scalar
    /// for the same key wins.
    pub fn from_pairs<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> FormValue {
        let mut root = FormValue::Map(Vec::new());
        for (k, v) in pairs {
            let path = split_bracket_key(k.as_ref());
            if path.is_empty() {
                continue;
            }
            root.insert(&path, v.as_ref().to_string());
        }
        root
    }

    fn insert(&mut self, path: &[String], value: String) {
        let FormValue::Map(entries) = self else {
            // A scalar where an array is now needed: PHP replaces it.
            *self = FormValue::Map(Vec::new());
            return self.insert(path, value);
        };
        let key = if path[0].is_empty() {
            // `a[]`: next integer index
            let next = entries
                .iter()
                .filter_map(|(k, _)| k.parse::<i64>().ok())
                .max()
                .map_or(0, |m| m + 1);
            next.to_string()
        } else {
            path[0].clone()
        };
        let pos = entries.iter().position(|(k, _)| *k == key);
        if path.len() == 1 {
            match pos {
                Some(p) => entries[p].1 = FormValue::Str(value),
                None => entries.push((key, FormValue::Str(value))),
            }
            return;
        }
        let idx = match pos {
            Some(p) => {
                if matches!(entries[p].1, FormValue::Str(_)) {
                    entries[p].1 = FormValue::Map(Vec::new());
                }
                p
            }
            None => {
                entries.push((key, FormValue::Map(Vec::new())));
                entries.len() - 1
            }
        };
        entries[idx].1.insert(&path[1..], value);
    }

    pub fn get(&self, key: &str) -> Option<&FormValue> {
        match self {
            FormValue::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            FormValue::Str(_) => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            FormValue::Str(s) => Some(s),
            FormValue::Map(_) => None,
        }
    }

    /// Entries of an array, ordered by numeric key where keys are numeric.
    pub fn entries(&self) -> Vec<&FormValue> {
        match self {
            FormValue::Map(entries) => {
                let mut v: Vec<(&String, &FormValue)> =
                    entries.iter().map(|(k, v)| (k, v)).collect();
                v.sort_by_key(|(k, _)| k.parse::<i64>().unwrap_or(i64::MAX));
                v.into_iter().map(|(_, v)| v).collect()
            }
            FormValue::Str(_) => Vec::new(),
        }
    }

    /// True for the `key=` form that clears a list.
    pub fn is_empty_scalar(&self) -> bool {
        matches!(self, FormValue::Str(s) if s.is_empty())
    }
}

/// `schedules[0][_id]` → `["schedules", "0", "_id"]`. A key with an unclosed
/// bracket is taken literally, as PHP does for the part after it.
pub fn split_bracket_key(key: &str) -> Vec<String> {
    let Some(open) = key.find('[') else {
        return if key.is_empty() {
            vec![]
        } else {
            vec![key.to_string()]
        };
    };
    let base = &key[..open];
    if base.is_empty() {
        return vec![];
    }
    let mut out = vec![base.to_string()];
    let mut rest = &key[open..];
    while let Some(stripped) = rest.strip_prefix('[') {
        match stripped.find(']') {
            Some(close) => {
                out.push(stripped[..close].to_string());
                rest = &stripped[close + 1..];
            }
            None => {
                return vec![key.to_string()];
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_everything_but_alnum_and_underscore() {
        let mut p = Params::new();
        p.push("name", "Daily Backup+1/x")
            .push("exclude_list[0]", "*/core.[0-9]*");
        assert_eq!(
            p.encode(),
            "name=Daily%20Backup%2B1%2Fx&exclude_list%5B0%5D=%2A%2Fcore%2E%5B0%2D9%5D%2A"
        );
    }

    #[test]
    fn decode_is_inverse_of_encode() {
        let mut p = Params::new();
        p.push("a[0]", "é ü &=%").push("b", "");
        assert_eq!(parse_pairs(&p.encode()), p.pairs().to_vec());
    }

    #[test]
    fn empty_list_clears() {
        let mut p = Params::new();
        p.push_list::<String>("exclude_list", &[]);
        assert_eq!(p.encode(), "exclude_list=");
    }

    #[test]
    fn bracket_parsing_nests_like_php() {
        let pairs = parse_pairs("schedules[0][_id]=a&schedules[0][retain]=5&schedules[1][_id]=b&monitor[ranfor]=1&x[]=p&x[]=q");
        let v = FormValue::from_pairs(&pairs);
        let s = v.get("schedules").map(|s| s.entries()).unwrap_or_default();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].get("retain").and_then(|r| r.as_str()), Some("5"));
        assert_eq!(
            v.get("monitor")
                .and_then(|m| m.get("ranfor"))
                .and_then(|r| r.as_str()),
            Some("1")
        );
        let x: Vec<_> = v
            .get("x")
            .map(|x| x.entries())
            .unwrap_or_default()
            .iter()
            .filter_map(|e| e.as_str())
            .collect();
        assert_eq!(x, vec!["p", "q"]);
    }

    #[test]
    fn malformed_input_never_panics() {
        for s in [
            "%",
            "%4",
            "%zz",
            "a[",
            "[x]=1",
            "a]b[=2",
            "&&&",
            "a[b[c]]=1",
            "%FF%FE=%C3",
        ] {
            let pairs = parse_pairs(s);
            let _ = FormValue::from_pairs(&pairs);
        }
    }
}
