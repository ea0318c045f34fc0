//! The simulator's side of a table-described object ([`ObjectKind`]):
//! checks a `manage*` request against the object's table and applies it to
//! the stored object, in the server's own JSON shape (codes, not labels).
//!
//! The whole request is checked before anything is applied, so a refused
//! request changes nothing. Parameters the table does not know are ignored
//! (inferred, as for jobs). A parameter of a field that does not belong to
//! the object's type is still checked and stored, as the real server is
//! inferred to keep it (its seed objects carry `delay_type` on hourly
//! schedules); the client never reads it back for that type.

use crate::api::table::{choice_code, choice_of_key, key_of_label, Fixed, Role};
use serde_json::{json, Map, Value};

use crate::api::object::{hhmm, lookup, wire_path, Field, Form, ObjectKind, ValueKind, MASK};
use crate::api::objectid::is_object_id;
use crate::api::wire::FormValue;

use super::form::{int, keyed_entries, non_negative, one_of, scalar};

/// Whether an object of a kind (`"backup job"`) with this ID exists.
pub type Exists<'a> = &'a dyn Fn(&str, &str) -> bool;

fn codes(choices: &[crate::api::table::Choice]) -> Vec<i64> {
    choices.iter().map(|c| c.code).collect()
}

/// One scalar of a field from its wire form, as stored.
fn parse_scalar(field: &Field, s: &str, key: &str, exists: Exists<'_>) -> Result<Value, String> {
    match field.kind {
        ValueKind::Text => {
            if s.trim().is_empty() {
                return Err(format!("Invalid parameter '{key}': must not be empty"));
            }
            Ok(json!(s))
        }
        ValueKind::Ref(what) => {
            if s.is_empty() {
                return Err(format!(
                    "Invalid parameter '{key}': the ID of the {what} is required"
                ));
            }
            if !is_object_id(s) || !exists(what, s) {
                return Err(format!(
                    "{} '{s}' not found (parameter '{key}')",
                    title_case(what)
                ));
            }
            Ok(json!(s))
        }
        ValueKind::Char { alphabet } => {
            let mut chars = s.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) if alphabet.contains(c) => Ok(json!(s)),
                _ => Err(format!(
                    "Invalid parameter '{key}': must be one character out of {alphabet}"
                )),
            }
        }
        ValueKind::Count => Ok(json!(non_negative(key, s)?)),
        ValueKind::IntIn(list) => Ok(json!(one_of(key, s, list)?)),
        ValueKind::Label(c) => Ok(json!(one_of(key, s, &codes(c))?)),
        ValueKind::TextSet | ValueKind::JoinedSet => {
            if s.trim().is_empty() {
                return Err(format!("Invalid parameter '{key}': must not be empty"));
            }
            Ok(json!(s.trim()))
        }
        // Inferred: a listed ID that names nothing is refused, as a single
        // reference is.
        ValueKind::RefSet(what) => {
            if !is_object_id(s) || !exists(what, s) {
                return Err(format!(
                    "{} '{s}' not found (parameter '{key}')",
                    title_case(what)
                ));
            }
            Ok(json!(s))
        }
        ValueKind::IntSet { min, max } => {
            let allowed: Vec<i64> = (min..=max).collect();
            Ok(json!(one_of(key, s, &allowed)?))
        }
        ValueKind::LabelSet(c) => Ok(json!(one_of(key, s, &codes(c))?)),
        // Stored as the server shows booleans, 1/0.
        ValueKind::Bool => Ok(json!(one_of(key, s, &[0, 1])?)),
        ValueKind::Range { min, max } => {
            let n = non_negative(key, s)
                .ok()
                .filter(|n| (min..=max).contains(n));
            n.map(|n| json!(n))
                .ok_or_else(|| format!("Invalid parameter '{key}': must be {min} to {max}"))
        }
        ValueKind::Path => {
            if !s.starts_with('/') {
                return Err(format!(
                    "Invalid parameter '{key}': must be an absolute path"
                ));
            }
            Ok(json!(s))
        }
        ValueKind::Key(c) => match choice_of_key(c, s) {
            Some(_) => Ok(json!(s)),
            None => Err(format!(
                "Invalid parameter '{key}': must be one of {}",
                c.iter()
                    .map(|c| format!("'{}'", c.doc))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        },
        ValueKind::Secret { .. } => {
            if s.is_empty() {
                return Err(format!("Invalid parameter '{key}': must not be empty"));
            }
            Ok(json!(s))
        }
        ValueKind::Numbered(c) => Ok(json!(one_of(key, s, &codes(c))?)),
        // Any bits are accepted: a newer server may define more.
        ValueKind::Bitmask(_) => int(key, s).ok().filter(|n| *n > 0).map(|n| json!(n)).ok_or_else(|| {
            format!("Invalid parameter '{key}': must be a positive integer bitmask (511 = a full account backup), got '{s}'")
        }),
        // Stored as the server returns it: an integer (`945`).
        ValueKind::Time => hhmm(s)
            .map(|(h, m)| json!(i64::from(h) * 100 + i64::from(m)))
            .ok_or_else(|| format!("Invalid parameter '{key}': must be four digits HHMM with hour 00-23 and minute 00-59 (e.g. 0350), got '{s}'")),
        // Inferred: a blank path names nothing to back up or skip.
        ValueKind::Paths => {
            if s.trim().is_empty() {
                return Err(format!("Invalid parameter '{key}': must not be empty"));
            }
            Ok(json!(s))
        }
        // Written as nested parameters: `parse_nested`.
        ValueKind::RefGrid(_) | ValueKind::Schedules | ValueKind::Monitor => Err(format!(
            "Invalid parameter '{key}': must be given as nested parameters ({key}[0]…)"
        )),
    }
}

/// A value written as nested parameters (rows of IDs, `{_id, retain}`
/// entries, the monitor's halves), as stored; `None` for any other kind.
/// `key=` clears it. Inferred: as `key=` clears an account's tags
/// (`tags=` on `manageAccount`).
fn parse_nested(field: &Field, v: &FormValue, exists: Exists<'_>) -> Option<Result<Value, String>> {
    let key = field.wire;
    let cleared = v.as_str() == Some("");
    let not_nested = |form: &str| {
        Err(format!(
            "Invalid parameter '{key}': must be {form}, or '{key}=' to clear it"
        ))
    };
    let id = |what: &str, k: &str, item: &FormValue| -> Result<Value, String> {
        let s = scalar(k, item)?;
        if s.is_empty() {
            return Err(format!("Missing required parameter '{k}'"));
        }
        if !is_object_id(s) || !exists(what, s) {
            return Err(format!(
                "{} '{s}' not found (parameter '{k}')",
                title_case(what)
            ));
        }
        Ok(json!(s))
    };
    Some(match field.kind.form() {
        Form::Grid => {
            let what = field.kind.refers().unwrap_or("object");
            if cleared {
                return Some(Ok(json!([])));
            }
            if v.as_str().is_some() {
                return Some(not_nested(&format!(
                    "a two-dimensional list ({key}[0][0]=…)"
                )));
            }
            let mut rows = Vec::new();
            for (r, row) in keyed_entries(v) {
                let row_key = format!("{key}[{r}]");
                if row.as_str().is_some() {
                    return Some(Err(format!(
                        "Invalid parameter '{row_key}': must be a list ({row_key}[0]=…)"
                    )));
                }
                let ids: Result<Vec<Value>, String> = keyed_entries(row)
                    .into_iter()
                    .map(|(c, item)| id(what, &format!("{row_key}[{c}]"), item))
                    .collect();
                match ids {
                    Ok(ids) if ids.is_empty() => {}
                    Ok(ids) => rows.push(Value::Array(ids)),
                    Err(e) => return Some(Err(e)),
                }
            }
            Ok(Value::Array(rows))
        }
        Form::Schedules => {
            if cleared {
                return Some(Ok(json!([])));
            }
            if v.as_str().is_some() {
                return Some(not_nested(&format!(
                    "a list of {{_id, retain}} ({key}[0][_id]=…&{key}[0][retain]=…)"
                )));
            }
            keyed_entries(v)
                .into_iter()
                .map(|(i, entry)| {
                    let id_key = format!("{key}[{i}][_id]");
                    let retain_key = format!("{key}[{i}][retain]");
                    let schedule = match entry.get("_id") {
                        Some(x) => id("schedule", &id_key, x)?,
                        None => return Err(format!("Missing required parameter '{id_key}'")),
                    };
                    // Seen: the vendor's table says each schedule entry
                    // requires `_id` and `retain`.
                    let retain = match entry.get("retain") {
                        Some(r) => non_negative(&retain_key, scalar(&retain_key, r)?)?,
                        None => return Err(format!("Missing required parameter '{retain_key}'")),
                    };
                    Ok(json!({"_id": schedule, "retain": retain}))
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array)
        }
        Form::Monitor => {
            if cleared {
                return Some(Ok(json!({"ranfor": 0, "notran": 0})));
            }
            if v.as_str().is_some() {
                return Some(Err(format!(
                    "Invalid parameter '{key}': must be {key}[ranfor]=N&{key}[notran]=N"
                )));
            }
            let half = |name: &str| -> Result<Option<i64>, String> {
                let k = format!("{key}[{name}]");
                v.get(name)
                    .map(|x| non_negative(&k, scalar(&k, x)?))
                    .transpose()
            };
            (|| {
                let mut m = Map::new();
                for name in ["ranfor", "notran"] {
                    if let Some(n) = half(name)? {
                        m.insert(name.to_string(), json!(n));
                    }
                }
                Ok(Value::Object(m))
            })()
        }
        Form::Text | Form::Number | Form::Bool | Form::Texts | Form::Numbers => return None,
    })
}

/// A type code as stored: a number, or a key (`S3`).
fn stored_code(field: &Field, v: &Value) -> Option<i64> {
    if let ValueKind::Key(c) = field.kind {
        return v.as_str().and_then(|s| choice_of_key(c, s)).map(|c| c.code);
    }
    v.as_i64()
}

/// A request's value at a wire name (`options[path]`).
fn form_get<'a>(form: &'a FormValue, wire: &str) -> Option<&'a FormValue> {
    wire_path(wire)
        .into_iter()
        .try_fold(form, |v, part| v.get(part))
}

/// Stores a value at a wire name, making the levels it needs.
fn store(obj: &mut Map<String, Value>, wire: &str, value: Value) {
    let path = wire_path(wire);
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut at = obj;
    for p in parents {
        let slot = at.entry(p.to_string()).or_insert_with(|| json!({}));
        if !slot.is_object() {
            *slot = json!({});
        }
        let Value::Object(next) = slot else {
            return;
        };
        at = next;
    }
    at.insert(last.to_string(), value);
}

/// What a reference names, at the start of a sentence (`Account filter
/// group`): the job's messages have always read so.
fn title_case(what: &str) -> String {
    let mut c = what.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// Whether a kind is sent as one value (`key=v`), not as a list or as
/// nested parameters (`parse_nested`'s kinds are matched there first). A
/// bitmask is a set of labels to users, one integer on the wire.
pub(super) fn sent_as_one_value(kind: ValueKind) -> bool {
    matches!(kind, ValueKind::Bitmask(_)) || !(kind.is_set() || matches!(kind, ValueKind::Monitor))
}

/// A field's value from the request, as stored.
fn parse_field(field: &Field, v: &FormValue, exists: Exists<'_>) -> Result<Value, String> {
    let key = field.wire;
    if let Some(nested) = parse_nested(field, v, exists) {
        return nested;
    }
    if sent_as_one_value(field.kind) {
        return parse_scalar(field, scalar(key, v)?, key, exists);
    }
    if let ValueKind::JoinedSet = field.kind {
        // Seen (N-MNI, G-IMPORT): one comma-separated value in, a list out.
        // Inferred: items are trimmed and empty ones refused.
        let items: Vec<Value> = scalar(key, v)?
            .split(',')
            .map(|item| parse_scalar(field, item, key, exists))
            .collect::<Result<_, _>>()?;
        return Ok(Value::Array(items));
    }
    if let Some(s) = v.as_str() {
        if !s.is_empty() {
            return Err(format!(
                "Invalid parameter '{key}': must be a list ({key}[0]=…&{key}[1]=…)"
            ));
        }
        // `key=` clears the list.
        return Ok(json!([]));
    }
    let mut out = Vec::new();
    for (i, item) in keyed_entries(v) {
        let item_key = format!("{key}[{i}]");
        out.push(parse_scalar(
            field,
            scalar(&item_key, item)?,
            &item_key,
            exists,
        )?);
    }
    Ok(Value::Array(out))
}

fn is_empty_value(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::String(s)) => s.is_empty(),
        Some(_) => false,
    }
}

/// The object after applying a `manage*` request to `existing` (modify) or
/// to nothing (create; the caller adds `_id` and server-side fields).
pub fn apply_request(
    kind: &ObjectKind,
    existing: Option<&Map<String, Value>>,
    form: &FormValue,
    exists: Exists<'_>,
) -> Result<Map<String, Value>, String> {
    let mut obj = existing.cloned().unwrap_or_default();
    let disc = kind
        .discriminator_field()
        .ok_or_else(|| format!("Internal error: the {} table has no type", kind.title))?;
    let old_code = existing
        .and_then(|o| lookup(o, disc.wire))
        .and_then(|v| stored_code(disc, v));
    let code = match form_get(form, disc.wire) {
        Some(v) => stored_code(disc, &parse_field(disc, v, exists)?),
        None if existing.is_none() => {
            return Err(format!(
                "Missing required parameter '{}' for action create",
                disc.wire
            ))
        }
        None => old_code,
    };
    let type_changes = existing.is_some() && code != old_code;
    if type_changes && disc.replace {
        // Inferred: no source says whether the type can change; refusing
        // is the safe reading.
        let label = |c: Option<i64>| c.map(|c| kind.type_label(c)).unwrap_or_default();
        return Err(format!(
            "Invalid parameter '{}': the type of an existing {} cannot be changed (it is {}, the request has {})",
            disc.wire,
            kind.title,
            label(old_code),
            label(code)
        ));
    }
    if let Some(v) = form_get(form, disc.wire) {
        let v = parse_field(disc, v, exists)?;
        store(&mut obj, disc.wire, v);
    }
    let label = code.map(|c| kind.type_label(c)).unwrap_or_default();
    let mut written: Vec<&str> = Vec::new();
    for field in kind
        .fields
        .iter()
        .filter(|f| f.role.is_input() && f.attr != disc.attr && !kind.is_selector(f))
    {
        // One wire name, read by the field of the effective type.
        if written.contains(&field.wire) {
            continue;
        }
        let reader = kind
            .fields
            .iter()
            .filter(|f| f.role.is_input() && f.wire == field.wire)
            .find(|f| f.applies_to(code))
            .unwrap_or(field);
        written.push(field.wire);
        let applies = reader.applies_to(code);
        match form_get(form, field.wire) {
            // Inferred (JetBackup for WordPress does this): the mask sent
            // back keeps the stored secret.
            Some(v) if reader.kind.is_secret() && v.as_str() == Some(MASK) => {}
            Some(v) => {
                let value = parse_field(reader, v, exists)?;
                if applies && reader.role == Role::Required && is_empty_value(Some(&value)) {
                    return Err(emptied(kind, reader, &label));
                }
                store(&mut obj, field.wire, value);
            }
            None => {
                // What the old type stored under a shared name means
                // something else now, unless this field applied before too.
                let stale = type_changes && !reader.applies_to(old_code);
                if applies
                    && reader.role == Role::Required
                    && (existing.is_none() || stale || is_empty_value(lookup(&obj, field.wire)))
                {
                    return Err(format!(
                        "Missing required parameter '{}' for a {label} {}",
                        field.wire, kind.title
                    ));
                }
            }
        }
    }
    if existing.is_none() {
        // Inferred: defaults are stored for every type, as the vendor's
        // examples show `delay_type: 1` on an hourly schedule.
        for field in kind.fields.iter().filter(|f| !kind.is_selector(f)) {
            let default = match field.role {
                Role::Defaulted(d) => Some(d),
                // Inferred server defaults, for the fields of the type.
                Role::ServerDefault(Some(d)) if field.applies_to(code) => Some(d),
                Role::ServerDefault(_)
                | Role::Required
                | Role::Optional
                | Role::ReadOnly { .. } => None,
            };
            if let Some(d) = default {
                if lookup(&obj, field.wire).is_none() {
                    store(&mut obj, field.wire, stored_default(field, d));
                }
            }
        }
        for field in kind
            .fields
            .iter()
            .filter(|f| f.role == Role::Required && f.types.is_empty())
        {
            if lookup(&obj, field.wire).is_none() {
                return Err(format!(
                    "Missing required parameter '{}' for action create",
                    field.wire
                ));
            }
        }
    }
    // Inferred: a type whose block needs one of several settings (SSH: a
    // password or a key) is refused without any.
    if let Some(block) = code.and_then(|c| kind.block_of(c)) {
        let wires: Vec<&str> = block
            .one_of
            .iter()
            .filter_map(|a| kind.field(a))
            .map(|f| f.wire)
            .collect();
        if !wires.is_empty() && wires.iter().all(|w| is_empty_value(lookup(&obj, w))) {
            return Err(format!(
                "Missing required parameter: one of {} for a {label} {}",
                wires
                    .iter()
                    .map(|w| format!("'{w}'"))
                    .collect::<Vec<_>>()
                    .join(", "),
                kind.title
            ));
        }
    }
    Ok(obj)
}

/// The refusal of a required field sent empty: one every object of the kind
/// needs names what it needs ("at least one destination"), one of a type
/// names the type.
fn emptied(kind: &ObjectKind, field: &Field, label: &str) -> String {
    if !field.types.is_empty() {
        return format!(
            "Invalid parameter '{}': required for a {label} {}",
            field.wire, kind.title
        );
    }
    let what = if let ValueKind::RefSet(what) = field.kind {
        what
    } else {
        "entry"
    };
    format!(
        "Invalid parameter '{}': at least one {what} is required",
        field.wire
    )
}

/// A default in the server's shape (a label as its code).
fn stored_default(field: &Field, default: Fixed) -> Value {
    match default {
        // A key is stored as JetBackup's text, a label as its code.
        Fixed::Label(l) => match (field.kind, field.kind.choices()) {
            (ValueKind::Key(c), _) => json!(key_of_label(c, l).unwrap_or(l)),
            (_, Some(c)) => json!(choice_code(c, l)),
            (_, None) => json!(l),
        },
        Fixed::Int(n) => json!(n),
        Fixed::Bool(b) => json!(i64::from(b)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::object::account_filter::ACCOUNT_FILTER;
    use crate::api::object::schedule::SCHEDULE;
    use crate::api::wire::parse_pairs;

    const JOB: &str = "6504c79fd4b57d536c05bbe2";

    fn form(body: &str) -> FormValue {
        FormValue::from_pairs(&parse_pairs(body))
    }

    fn exists(what: &str, id: &str) -> bool {
        what == "backup job" && id == JOB
    }

    fn create(kind: &ObjectKind, body: &str) -> Result<Map<String, Value>, String> {
        apply_request(kind, None, &form(body), &exists)
    }

    #[test]
    fn each_schedule_type_takes_its_own_type_data() {
        for (body, want) in [
            ("name=h&type=1&type_data=6", json!(6)),
            ("name=d&type=2&type_data[0]=1&type_data[1]=5", json!([1, 5])),
            ("name=w&type=3&type_data=7", json!(7)),
            (
                "name=m&type=4&type_data[0]=1&type_data[1]=31",
                json!([1, 31]),
            ),
            (
                &format!("name=a&type=5&type_data={JOB}&delay_amount=30"),
                json!(JOB),
            ),
        ] {
            let o = create(&SCHEDULE, body).unwrap_or_else(|e| panic!("{body}: {e}"));
            assert_eq!(o["type_data"], want, "{body}");
            // Inferred defaults are stored for every type.
            assert_eq!(o["delay_type"], json!(1), "{body}");
        }
    }

    #[test]
    fn schedule_requests_are_checked_per_type() {
        for (body, key) in [
            ("name=h&type=1&type_data=5", "'type_data'"),
            ("name=h&type=1&type_data[0]=6", "'type_data'"),
            ("name=d&type=2&type_data=1", "'type_data'"),
            ("name=d&type=2&type_data[0]=8", "'type_data[0]'"),
            ("name=d&type=2&type_data=", "'type_data'"),
            ("name=w&type=3&type_data=0", "'type_data'"),
            ("name=m&type=4&type_data[0]=32", "'type_data[0]'"),
            (
                "name=a&type=5&type_data=6504c79fd4b57d536c05bbe3",
                "'type_data'",
            ),
            ("name=x&type=6&type_data=1", "'type'"),
            ("type=1&type_data=1", "'name'"),
            ("name=x&type=1", "'type_data'"),
            ("name=x&type=1&type_data=1&delay_type=4", "'delay_type'"),
            (
                "name=x&type=1&type_data=1&delay_amount=-1",
                "'delay_amount'",
            ),
            ("name=x&type_data=1", "'type'"),
        ] {
            let e = create(&SCHEDULE, body).expect_err(body);
            assert!(e.contains(key), "{body}: {e}");
        }
    }

    #[test]
    fn modify_is_partial_and_a_type_change_needs_the_new_types_data() {
        let s = create(&SCHEDULE, "name=h&type=1&type_data=6&delay_amount=5").unwrap();
        let modify = |body: &str| apply_request(&SCHEDULE, Some(&s), &form(body), &exists);
        let renamed = modify("name=Renamed").unwrap();
        assert_eq!(
            (&renamed["name"], &renamed["type_data"]),
            (&json!("Renamed"), &json!(6))
        );
        assert!(modify("type=3").unwrap_err().contains("'type_data'"));
        assert_eq!(modify("type=3&type_data=2").unwrap()["type"], json!(3));
    }

    #[test]
    fn account_filters_take_their_types_settings_and_keep_their_type() {
        let f = create(
            &ACCOUNT_FILTER,
            "name=r&type=4&condition=2&list[0]=res1&list[1]=res2",
        )
        .unwrap();
        assert_eq!(f["list"], json!(["res1", "res2"]));
        assert_eq!(f["condition"], json!(2));
        let c = create(
            &ACCOUNT_FILTER,
            "name=c&type=128&condition=1&range_start=0&range_end=z",
        )
        .unwrap();
        assert_eq!(
            (&c["range_start"], &c["range_end"]),
            (&json!("0"), &json!("z"))
        );
        assert!(create(&ACCOUNT_FILTER, "name=s&type=8&condition=1").is_ok());
        for (body, key) in [
            ("name=r&type=4&condition=2", "'list'"),
            ("name=r&type=4&condition=3&list[0]=a", "'condition'"),
            ("name=r&type=3&condition=1", "'type'"),
            ("name=u&type=16&condition=1", "'usage'"),
            ("name=u&type=16&condition=1&usage=-4", "'usage'"),
            (
                "name=c&type=128&condition=1&range_start=A&range_end=z",
                "'range_start'",
            ),
            ("name=x&type=256&condition=1&regex=", "'regex'"),
            ("type=2&condition=1&list[0]=a", "'name'"),
        ] {
            let e = create(&ACCOUNT_FILTER, body).expect_err(body);
            assert!(e.contains(key), "{body}: {e}");
        }
        let e = apply_request(&ACCOUNT_FILTER, Some(&f), &form("type=2"), &exists).unwrap_err();
        assert!(e.contains("cannot be changed"), "{e}");
        let emptied = apply_request(&ACCOUNT_FILTER, Some(&f), &form("list="), &exists);
        assert!(emptied.unwrap_err().contains("'list'"));
    }
}
