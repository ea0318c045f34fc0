//! Wire encoding of a `manage*` request and strict decoding of an object
//! the server returns, both walking the object's table.

use crate::api::table::{choice_code, choice_label, choice_of_key, key_of_label};
use std::collections::BTreeSet;

use serde_json::Value as Json;

use super::{
    bits_for, hhmm, labels_of_mask, BlockAttr, Field, Form, ObjectKind, Val, ValueKind, Values,
    MASK, MONITOR_BLOCK, SCHEDULE_BLOCK,
};
use crate::api::lenient::{value_to_bool, value_to_i64, value_to_list, value_to_string};
use crate::api::wire::Params;

/// Appends one value in wire form: a scalar as `key=v`, a set as
/// `key[i]=v`, labels as their codes, blocks by their attributes' keys. A
/// value of the wrong shape for its kind (which plan-time validation
/// refuses) sends nothing.
fn push_value(p: &mut Params, field: &Field, v: &Val, code: Option<i64>) {
    let key = field.wire;
    let list = |p: &mut Params, items: Vec<String>| {
        p.push_list(key, &items);
    };
    match field.kind {
        ValueKind::Text
        | ValueKind::Ref(_)
        | ValueKind::Char { .. }
        | ValueKind::Path
        | ValueKind::Secret { .. }
        | ValueKind::Time => {
            if let Some(s) = v.text() {
                p.push(key, s);
            }
        }
        ValueKind::Count
        | ValueKind::IntIn(_)
        | ValueKind::Range { .. }
        | ValueKind::Numbered(_) => {
            if let Some(n) = v.int() {
                p.push_int(key, n);
            }
        }
        ValueKind::Bool => {
            if let Val::Bool(b) = v {
                p.push_bool(key, *b);
            }
        }
        ValueKind::Label(c) => {
            if let Some(code) = v.text().and_then(|l| choice_code(c, l)) {
                p.push_int(key, code);
            }
        }
        // JetBackup's own text for the label.
        ValueKind::Key(c) => {
            if let Some(k) = v.text().and_then(|l| key_of_label(c, l)) {
                p.push(key, k);
            }
        }
        ValueKind::TextSet | ValueKind::RefSet(_) | ValueKind::Paths => {
            if let Some(s) = v.texts() {
                list(p, s.iter().cloned().collect());
            }
        }
        ValueKind::JoinedSet => {
            if let Some(s) = v.texts() {
                p.push(key, s.iter().cloned().collect::<Vec<_>>().join(","));
            }
        }
        ValueKind::IntSet { .. } => {
            if let Val::Ints(s) = v {
                list(p, s.iter().map(i64::to_string).collect());
            }
        }
        // In code order: JetBackup's own example sends days in order.
        ValueKind::LabelSet(c) => {
            if let Some(ls) = v.texts() {
                let mut codes: Vec<i64> = ls.iter().filter_map(|l| choice_code(c, l)).collect();
                codes.sort_unstable();
                list(p, codes.iter().map(i64::to_string).collect());
            }
        }
        ValueKind::Bitmask(bits) => {
            let bits = bits_for(bits, code);
            if let Some(mask) = v.texts().and_then(|l| bits?.mask(l)) {
                p.push_int(key, mask);
            }
        }
        ValueKind::RefGrid(_) => {
            if let Val::Grid(rows) = v {
                let rows: Vec<Vec<&String>> = rows.iter().map(|r| r.iter().collect()).collect();
                p.push_grid(key, &rows);
            }
        }
        ValueKind::Schedules => {
            let Val::Retains(s) = v else {
                return;
            };
            if s.is_empty() {
                p.push(key, "");
            }
            let [id, retain] = &SCHEDULE_BLOCK;
            for (i, (schedule, n)) in s.iter().enumerate() {
                p.push(format!("{key}[{i}][{}]", id.wire), schedule.as_str());
                p.push_int(format!("{key}[{i}][{}]", retain.wire), *n);
            }
        }
        ValueKind::Monitor => {
            if let Val::Monitor { ranfor, notran } = v {
                let [r, n] = &MONITOR_BLOCK;
                p.push_int(format!("{key}[{}]", r.wire), *ranfor);
                p.push_int(format!("{key}[{}]", n.wire), *notran);
            }
        }
    }
}

/// The `manage*` parameters of a create (every set input field) or of a
/// modify of object `id` (only what differs from `prior`; when the type
/// changes, every setting of the new type too, since the server reads them
/// for the new type).
pub fn encode(kind: &ObjectKind, desired: &Values, target: Target<'_>) -> Params {
    let mut p = Params::new();
    let prior = match target {
        Target::Create => {
            p.push("action", "create");
            None
        }
        Target::Modify { id, prior } => {
            p.push("action", "modify").push("_id", id);
            Some(prior)
        }
    };
    let code = kind.type_code(desired);
    let type_changes = prior.is_some_and(|prior| kind.type_code(prior) != code);
    for field in kind.fields.iter().filter(|f| f.role.is_input()) {
        if !field.applies_to(code) || kind.is_selector(field) {
            continue;
        }
        let Some(v) = desired.get(field.attr) else {
            // Removed: a kind with a cleared form is sent in it (a list
            // emptied, monitoring off), on create too for the monitor.
            let removed = match prior {
                None => field.kind.sent_when_unset(),
                Some(prior) => prior.get(field.attr).is_some(),
            };
            if let (true, Some(cleared)) = (removed, field.kind.cleared()) {
                if prior.and_then(|p| p.get(field.attr)) != Some(&cleared) {
                    push_value(&mut p, field, &cleared, code);
                }
            }
            continue;
        };
        let send = match prior {
            None => true,
            Some(prior) => {
                prior.get(field.attr) != Some(v) || (type_changes && !field.types.is_empty())
            }
        };
        if send {
            push_value(&mut p, field, v, code);
        }
    }
    p
}

/// What a `manage*` call does.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    Create,
    Modify { id: &'a str, prior: &'a Values },
}

/// One field of an object as the server returned it, strictly: a value of
/// the wrong type is an error naming the field (never silently empty).
fn decode_value(
    field: &Field,
    raw: &Json,
    code: Option<i64>,
    at: &str,
) -> Result<Option<Val>, String> {
    // The JSON type only: a value is never quoted (a secret's would leak).
    let found = crate::api::wire_json::json_type(raw);
    let wrong_text = |what: &str| format!("{at}.{}: expected {what}, found {found}", field.wire);
    let wrong = |what: &str| Err(wrong_text(what));
    if raw.is_null() {
        // JetBackup documents null as one of its spellings of false.
        return Ok(field.kind.is_bool().then_some(Val::Bool(false)));
    }
    let int = |v: &Json| value_to_i64(v).filter(|_| !v.is_array() && !v.is_object());
    match field.kind {
        ValueKind::Text | ValueKind::Ref(_) | ValueKind::Char { .. } | ValueKind::Path => match raw
        {
            Json::String(_) | Json::Number(_) => Ok(value_to_string(raw).map(Val::Text)),
            _ => wrong("a string"),
        },
        // The mask or nothing: the server keeps the value but never shows it.
        ValueKind::Secret { .. } => match raw {
            Json::String(s) if s.is_empty() || s == MASK => Ok(None),
            Json::String(_) | Json::Number(_) => Ok(value_to_string(raw).map(Val::Text)),
            _ => wrong("a string"),
        },
        // PHP's blank false, `0`, `"1"`, `true`.
        ValueKind::Bool => match raw {
            Json::Bool(_) | Json::Number(_) | Json::String(_) => {
                Ok(Some(Val::Bool(value_to_bool(raw))))
            }
            _ => wrong("a boolean"),
        },
        ValueKind::Key(choices) => {
            let text = match raw {
                Json::String(_) | Json::Number(_) => value_to_string(raw).unwrap_or_default(),
                _ => return wrong("a string"),
            };
            match choice_of_key(choices, &text) {
                Some(c) => Ok(Some(Val::Text(c.label.to_string()))),
                None => wrong(&format!("one of the keys of {}", field.kind.allowed())),
            }
        }
        ValueKind::Count | ValueKind::IntIn(_) | ValueKind::Range { .. } => match int(raw) {
            Some(n) => Ok(Some(Val::Int(n))),
            None => wrong("an integer"),
        },
        ValueKind::Label(choices) => match int(raw).and_then(|n| choice_label(choices, n)) {
            Some(l) => Ok(Some(Val::Text(l.to_string()))),
            None => wrong(&format!("one of the codes of {}", field.kind.allowed())),
        },
        // Any number: one this table has no meaning for reads as itself.
        ValueKind::Numbered(_) => match int(raw) {
            Some(n) => Ok(Some(Val::Int(n))),
            None => wrong("an integer"),
        },
        ValueKind::Bitmask(bits) => match int(raw) {
            Some(mask) => Ok(Some(Val::Texts(match bits_for(bits, code) {
                Some(b) => b.labels(mask),
                None => labels_of_mask(&[], mask),
            }))),
            None => wrong("an integer"),
        },
        // HHMM as an integer (`945`), or as its digits (`"0945"`).
        ValueKind::Time => {
            let n = match raw {
                Json::String(s) if s.is_empty() => return Ok(None),
                Json::Number(_) | Json::String(_) => int(raw),
                _ => None,
            };
            match n
                .map(|n| format!("{:02}{:02}", n / 100, n % 100))
                .filter(|t| hhmm(t).is_some())
            {
                Some(t) => Ok(Some(Val::Text(t))),
                None => wrong("a time of day HHMM"),
            }
        }
        ValueKind::TextSet | ValueKind::RefSet(_) | ValueKind::JoinedSet | ValueKind::Paths => {
            let items = list(field, raw).ok_or_else(|| wrong_text("a list"))?;
            texts(&items)
                .map(|t| Some(Val::Texts(t)))
                .ok_or_else(|| wrong_text("a list of strings"))
        }
        ValueKind::IntSet { .. } => {
            let items = list(field, raw).ok_or_else(|| wrong_text("a list"))?;
            let ints: Option<BTreeSet<i64>> = items.iter().map(&int).collect();
            ints.map(|n| Some(Val::Ints(n)))
                .ok_or_else(|| wrong_text("a list of integers"))
        }
        ValueKind::LabelSet(choices) => {
            let items = list(field, raw).ok_or_else(|| wrong_text("a list"))?;
            let label = |item: &Json| {
                int(item)
                    .and_then(|n| choice_label(choices, n))
                    .map(str::to_string)
            };
            let labels: Option<BTreeSet<String>> = items.iter().map(label).collect();
            labels.map(|l| Some(Val::Texts(l))).ok_or_else(|| {
                wrong_text(&format!("a list of the codes of {}", field.kind.allowed()))
            })
        }
        ValueKind::RefGrid(_) => {
            let rows = list(field, raw).ok_or_else(|| wrong_text("a list of lists"))?;
            let mut grid = BTreeSet::new();
            for row in rows {
                let ids = match row {
                    Json::Array(_) | Json::Object(_) => texts(&value_to_list(&row)),
                    _ => None,
                };
                let ids = ids.ok_or_else(|| wrong_text("a list of lists of IDs"))?;
                // An empty row filters nothing; the server drops it.
                if !ids.is_empty() {
                    grid.insert(ids);
                }
            }
            Ok(Some(Val::Grid(grid)))
        }
        ValueKind::Schedules => {
            let entries = list(field, raw).ok_or_else(|| wrong_text("a list of schedules"))?;
            let [id, retain] = &SCHEDULE_BLOCK;
            let mut refs = BTreeSet::new();
            for entry in entries {
                let schedule = entry.get(id.wire).and_then(value_to_string);
                let kept = entry.get(retain.wire).map_or(Some(0), &int);
                match (schedule, kept) {
                    (Some(s), Some(n)) if !s.is_empty() => {
                        refs.insert((s, n));
                    }
                    _ => return Err(wrong_text("a list of {_id, retain}")),
                }
            }
            Ok(Some(Val::Retains(refs)))
        }
        ValueKind::Monitor => match raw {
            Json::Object(m) => {
                let [r, n] = &MONITOR_BLOCK;
                let days = |a: &BlockAttr| m.get(a.wire).map_or(Some(0), &int);
                match (days(r), days(n)) {
                    (Some(ranfor), Some(notran)) => Ok(Some(Val::Monitor { ranfor, notran })),
                    _ => wrong("{ranfor, notran} as integers"),
                }
            }
            // PHP's empty object.
            Json::Array(a) if a.is_empty() => Ok(Form::Monitor.empty()),
            _ => wrong("{ranfor, notran}"),
        },
    }
}

/// The items of a list the server printed in any of PHP's spellings: a
/// list or a `{"0": …}` object; a string where one item was stored; an
/// empty string or `false` for none; a joined set's one comma-separated
/// value. `None`: not a list.
fn list(field: &Field, raw: &Json) -> Option<Vec<Json>> {
    Some(match raw {
        Json::Array(_) | Json::Object(_) => value_to_list(raw),
        Json::String(s) if s.is_empty() => Vec::new(),
        // The written form of a joined set: one comma-separated value.
        Json::String(s) if matches!(field.kind, ValueKind::JoinedSet) => s
            .split(',')
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(|x| Json::String(x.to_string()))
            .collect(),
        // A PHP string where one item was stored.
        Json::String(_) => vec![raw.clone()],
        Json::Bool(false) => Vec::new(),
        Json::Number(_) | Json::Bool(true) | Json::Null => return None,
    })
}

/// Items that are all strings (or numbers, printed as strings).
fn texts(items: &[Json]) -> Option<BTreeSet<String>> {
    items
        .iter()
        .map(|item| match item {
            Json::String(_) | Json::Number(_) => value_to_string(item),
            _ => None,
        })
        .collect()
}

/// An object as the server returned it, in users' terms: its `_id` and the
/// values of every field that belongs to its type. Fields of other types are
/// left out even when the server still stores them.
pub fn decode(kind: &ObjectKind, raw: &Json) -> Result<(String, Values), String> {
    decode_at(kind, raw, "data")
}

/// [`decode`] of an object found at `at` in a reply (`data`,
/// `data.jobs[3]`), which a refusal names: `data.name: expected a string,
/// found an object`.
pub fn decode_at(kind: &ObjectKind, raw: &Json, at: &str) -> Result<(String, Values), String> {
    let obj = raw.as_object().ok_or_else(|| {
        format!(
            "{at}: expected the {} as an object, found {}",
            kind.title,
            crate::api::wire_json::json_type(raw)
        )
    })?;
    let id = obj
        .get("_id")
        .and_then(value_to_string)
        .ok_or_else(|| format!("{at}._id: missing (the {}'s ID)", kind.title))?;
    let mut values = Values::new();
    let disc = kind
        .discriminator_field()
        .ok_or_else(|| format!("the {} table has no discriminator", kind.title))?;
    if let Some(v) = lookup(obj, disc.wire) {
        if let Some(v) = decode_value(disc, v, None, at)? {
            values.insert(disc.attr, v);
        }
    }
    let code = kind.type_code(&values);
    for field in kind.fields {
        if field.attr == disc.attr || !field.applies_to(code) {
            continue;
        }
        if kind.is_selector(field) {
            // Carried by the discriminator: the selector's label of its code.
            if let (ValueKind::Label(c), Some(code)) = (field.kind, code) {
                if let Some(l) = choice_label(c, code) {
                    values.insert(field.attr, Val::Text(l.to_string()));
                }
            }
            continue;
        }
        if let Some(v) = lookup(obj, field.wire) {
            if let Some(v) = decode_value(field, v, code, at)? {
                values.insert(field.attr, v);
            }
        }
    }
    Ok((id, values))
}

/// A wire name's value in an object: `options[path]` is `options.path`;
/// nothing where a level is not an object (an empty `disk_usage`).
pub fn lookup<'a>(obj: &'a serde_json::Map<String, Json>, wire: &str) -> Option<&'a Json> {
    let mut parts = wire_path(wire).into_iter();
    let mut v = obj.get(parts.next()?)?;
    for p in parts {
        v = v.as_object()?.get(p)?;
    }
    Some(v)
}

/// `options[path]` → `["options", "path"]`.
pub fn wire_path(wire: &str) -> Vec<&str> {
    wire.split(['[', ']']).filter(|p| !p.is_empty()).collect()
}

/// The server's readback with the secrets it hides (masked or empty)
/// taken from `reference`, what was configured or last recorded: the server
/// never returns a secret, so only a value it does return replaces it.
pub fn keep_secrets(kind: &ObjectKind, mut server: Values, reference: &Values) -> Values {
    let code = kind.type_code(&server);
    for field in kind.fields.iter().filter(|f| f.kind.is_secret()) {
        if field.applies_to(code) && !server.contains_key(field.attr) {
            if let Some(v) = reference.get(field.attr) {
                server.insert(field.attr, v.clone());
            }
        }
    }
    server
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::object::{account_filter, schedule};
    use serde_json::json;

    fn values(pairs: &[(&'static str, Val)]) -> Values {
        pairs.iter().cloned().collect()
    }

    fn text(s: &str) -> Val {
        Val::Text(s.to_string())
    }

    #[test]
    fn encoding_sends_codes_and_a_modify_only_what_changed() {
        let daily = values(&[
            ("name", text("n")),
            ("type", text("daily")),
            (
                "days_of_week",
                Val::Texts(["thursday".into(), "monday".into()].into()),
            ),
        ]);
        let create = encode(&schedule::SCHEDULE, &daily, Target::Create);
        assert_eq!(
            create.encode(),
            "action=create&name=n&type=2&type_data%5B0%5D=2&type_data%5B1%5D=5"
        );
        let mut renamed = daily.clone();
        renamed.insert("name", text("m"));
        let modify = encode(
            &schedule::SCHEDULE,
            &renamed,
            Target::Modify {
                id: "x",
                prior: &daily,
            },
        );
        assert_eq!(modify.encode(), "action=modify&_id=x&name=m");
        // A type change sends every setting of the new type.
        let after = values(&[
            ("name", text("m")),
            ("type", text("after_job")),
            ("after_job_id", text("6504c79fd4b57d536c05bbe2")),
            ("delay_amount", Val::Int(0)),
            ("delay_unit", text("minutes")),
        ]);
        let modify = encode(
            &schedule::SCHEDULE,
            &after,
            Target::Modify {
                id: "x",
                prior: &renamed,
            },
        );
        assert_eq!(
            modify.encode(),
            "action=modify&_id=x&type=5&type_data=6504c79fd4b57d536c05bbe2&delay_amount=0&delay_type=1"
        );
    }

    #[test]
    fn decoding_reads_only_the_types_own_settings_and_refuses_wrong_types() {
        let raw = json!({
            "_id": "6503f0a0ebbf07708d06f201", "name": "Every 6 Hours", "type": "1",
            "type_data": 6, "delay_type": 1, "delay_amount": 0, "count": "2",
            "owner": "6503d48bfc45b1addf0a9632", "owner_name": "root"
        });
        let (id, v) = decode(&schedule::SCHEDULE, &raw).expect("decodes");
        assert_eq!(id, "6503f0a0ebbf07708d06f201");
        assert_eq!(v.get("every_hours"), Some(&Val::Int(6)));
        assert_eq!(v.get("job_count"), Some(&Val::Int(2)));
        assert!(
            !v.contains_key("delay_unit"),
            "an hourly schedule has no delay"
        );
        let monthly = json!({"_id": "a", "type": 4, "type_data": {"0": 1, "1": "15"}});
        let (_, v) = decode(&schedule::SCHEDULE, &monthly).expect("PHP list spellings");
        assert_eq!(v.get("days_of_month"), Some(&Val::Ints([1, 15].into())));
        for (field, bad) in [
            ("type_data", json!("six")),
            ("type_data", json!([6])),
            ("type", json!(9)),
            ("name", json!({"x": 1})),
            ("count", json!([])),
        ] {
            let mut r = raw.clone();
            r[field] = bad.clone();
            let e = decode(&schedule::SCHEDULE, &r).expect_err(&format!("{field} = {bad}"));
            assert!(e.contains(field), "{e}");
        }
        let filter = json!({"_id": "f", "group_id": "g", "type": 4, "condition": 2, "list": ["r1", "r2"], "usage": 9});
        let (_, v) = decode(&account_filter::ACCOUNT_FILTER, &filter).expect("filter");
        assert_eq!(v.get("condition"), Some(&text("exclude")));
        assert_eq!(
            v.get("list"),
            Some(&Val::Texts(["r1".into(), "r2".into()].into()))
        );
        assert!(!v.contains_key("usage"));
    }
}
