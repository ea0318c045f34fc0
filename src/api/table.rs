//! The vocabulary every parameter table is written in, whatever object it
//! describes: a named value of an enumeration ([`Choice`]) and its look-ups,
//! who sets a field ([`Role`]) and a table default ([`Fixed`]). The job's
//! table (`job/`) and the object tables (`object/`) both use it, so neither
//! depends on the other for it.

/// One named value of an enumeration or bitmask, in JetBackup's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    /// The label users write (and the provider shows), e.g. `incremental`.
    pub label: &'static str,
    /// The integer on the wire.
    pub code: i64,
    /// What JetBackup calls it.
    pub doc: &'static str,
}

/// Who sets a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Must be set for every type it belongs to.
    Required,
    /// May be set; unset means the server's default and is not read back.
    Optional,
    /// May be set; unset means this value, which the server also reports.
    Defaulted(Fixed),
    /// May be set; unset leaves it to the server, whose value is read back
    /// and kept. The value is the server's inferred default, which the
    /// simulator applies (None: the server decides, e.g. the caller).
    ServerDefault(Option<Fixed>),
    /// Set by the server. `moves_with`: the input attributes of the same
    /// object whose change may change it, so a plan shows it unknown only
    /// when one of them changes (empty: no write of the object changes it,
    /// like the count of the jobs that use it or the owner's name while
    /// the owner stays).
    ReadOnly { moves_with: &'static [&'static str] },
}

/// A default value in a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fixed {
    Int(i64),
    Label(&'static str),
    Bool(bool),
}

impl Role {
    pub fn is_input(self) -> bool {
        match self {
            Role::Required | Role::Optional | Role::Defaulted(_) | Role::ServerDefault(_) => true,
            Role::ReadOnly { .. } => false,
        }
    }
}

/// Label of a code in a choice list.
pub fn choice_label(choices: &[Choice], code: i64) -> Option<&'static str> {
    choices.iter().find(|c| c.code == code).map(|c| c.label)
}

/// Code of a label in a choice list.
pub fn choice_code(choices: &[Choice], label: &str) -> Option<i64> {
    choices.iter().find(|c| c.label == label).map(|c| c.code)
}

/// JetBackup's key (its `doc` text, e.g. `S3`) for a label of a key kind.
pub fn key_of_label(choices: &[Choice], label: &str) -> Option<&'static str> {
    choices.iter().find(|c| c.label == label).map(|c| c.doc)
}

/// The choice a key kind's JetBackup key (`S3`) stands for.
pub fn choice_of_key<'c>(choices: &'c [Choice], key: &str) -> Option<&'c Choice> {
    choices.iter().find(|c| c.doc == key)
}

/// Allowed labels, for error messages: `"accounts", "directories", "bmr"`.
pub fn choice_labels(choices: &[Choice]) -> String {
    choices
        .iter()
        .map(|c| format!("\"{}\"", c.label))
        .collect::<Vec<_>>()
        .join(", ")
}
