//! How a value is quoted in a message: whole when short, else cut, so that
//! no reply, name or header can flood an error or a log line. Used by the
//! errors and by the masking of secrets alike (each on its own, so neither
//! depends on the other).

/// Longest value (a name, an ID, a header) quoted whole in a message, in
/// characters; a longer one is cut with `…` and its length (see [`cut`]).
/// Server messages have their own, larger limit (`MAX_MESSAGE_CHARS` in
/// `client/reply.rs`), body excerpts a smaller one (`error::redact_snippet`).
pub const MAX_VALUE_CHARS: usize = 200;

/// `value` as quoted in a message: whole up to [`MAX_VALUE_CHARS`]
/// characters, else its start, `…` and its full length.
pub fn cut(value: &str) -> String {
    match value.char_indices().nth(MAX_VALUE_CHARS) {
        None => value.to_string(),
        Some((end, _)) => format!(
            "{}… ({} characters in all)",
            &value[..end],
            value.chars().count()
        ),
    }
}
