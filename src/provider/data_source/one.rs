//! `jetbackup_<kind>`: one object looked up by exactly one of `name` or
//! `id`, with the errors that say which names exist or which IDs share a
//! name.

use super::*;

/// The detail of every malformed-ID error: data sources and the resource's import.
pub fn malformed_id_detail(kind: &str, id: &str) -> String {
    format!("{id:?} is not a JetBackup {kind} ID: expected the {kind}'s _id, 24 hexadecimal digits (e.g. \"6504c79fd4b57d536c05bbe2\").")
}

/// How many names an error lists before "and N more".
const NAMES_LISTED: usize = 20;

/// The error for a name that matches nothing: the names that do exist.
pub fn no_such_name<T: Listed>(name: &str, items: &[T]) -> String {
    let mut names: Vec<&str> = items.iter().map(Listed::name).collect();
    names.sort_unstable();
    names.dedup();
    if names.is_empty() {
        return format!(
            "No {} is named {name:?}: the server has no {} at all.",
            T::NOUN,
            T::NOUN_PLURAL
        );
    }
    let mut listed = names
        .iter()
        .take(NAMES_LISTED)
        .map(|n| format!("{n:?}"))
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > NAMES_LISTED {
        listed.push_str(&format!(" and {} more", names.len() - NAMES_LISTED));
    }
    format!(
        "No {} is named {name:?} (names match exactly, case included). The {} on the server are named: {listed}.",
        T::NOUN,
        T::NOUN_PLURAL
    )
}

/// Finds the one object named `name`, or says why not.
pub fn by_name<'a, T: Listed>(items: &'a [T], name: &str) -> Result<&'a T, (String, String)> {
    let matches: Vec<&T> = items.iter().filter(|o| o.name() == name).collect();
    match matches.as_slice() {
        [one] => Ok(one),
        [] => Err((format!("No {} named {name:?}", T::NOUN), no_such_name(name, items))),
        several => Err((
            format!("Several {} are named {name:?}", T::NOUN_PLURAL),
            format!(
                "{} {} are named {name:?}, with the IDs {}. Look the one you mean up by `id` instead of `name`.",
                several.len(),
                T::NOUN_PLURAL,
                several.iter().map(|o| o.id()).collect::<Vec<_>>().join(", ")
            ),
        )),
    }
}

/// Plan-time checks of the `name`/`id` pair: exactly one, and a well-formed ID.
fn validate_lookup<T: Listed>(diags: &mut Diagnostics, args: &Args) {
    let set = |v: &Value<String>| !v.is_null();
    match (set(&args.name), set(&args.id)) {
        (true, true) => diags.error(
            "Both `name` and `id` are set",
            format!(
                "Look the {} up by exactly one of `name` or `id`: remove one of them.",
                T::NOUN
            ),
            AttributePath::new("id"),
        ),
        (false, false) => diags.root_error(
            "Neither `name` nor `id` is set",
            format!("Look the {} up by exactly one of `name` or `id`.", T::NOUN),
        ),
        _ => {}
    }
    if let Value::Value(id) = &args.id {
        if !is_object_id(id) {
            diags.error(
                format!("Invalid {} ID", T::NOUN),
                malformed_id_detail(T::NOUN, id),
                AttributePath::new("id"),
            );
        }
    }
}

/// `jetbackup_<kind>`: one object by `name` or `id`.
pub type ByNameOrId<T> = KindDataSource<T, One>;

/// The mode of `jetbackup_<kind>`.
pub struct One;

#[async_trait]
impl Mode for One {
    fn schema<T: Exposed>() -> Schema {
        let mut attributes = HashMap::new();
        for f in T::fields() {
            let (constraint, doc) = match f.name.as_str() {
                "id" => (AttributeConstraint::OptionalComputed, format!("{} Set exactly one of `id` or `name`; a malformed ID fails at plan.", f.doc)),
                "name" => (AttributeConstraint::OptionalComputed, format!("{} Set exactly one of `id` or `name`; the match is exact and case-sensitive, and must be unique.", f.doc)),
                _ => (AttributeConstraint::Computed, f.doc),
            };
            let mut a = attr(f.attr_type, constraint, doc);
            a.deprecated = f.deprecated;
            attributes.insert(f.name, a);
        }
        schema_of(
            format!(
                "Looks up one JetBackup {} by its exact `name` or its `id`, so that configurations need not hard-code IDs. Read with {}; the read is shared with every other lookup of the same provider (one list call per kind), and happens at plan time when `name`/`id` are known.",
                T::NOUN,
                T::FUNCTIONS
            ),
            attributes,
        )
    }

    fn validate<T: Exposed>(diags: &mut Diagnostics, args: &Args) {
        validate_lookup::<T>(diags, args);
    }

    async fn read<T: Exposed>(
        provider: &ProviderHandle,
        diags: &mut Diagnostics,
        args: &Args,
    ) -> Option<Map<String, Json>> {
        let client = provider.client(diags)?;
        let listings = provider.listings();
        if let Value::Value(id) = &args.id {
            return match listings.by_id::<T>(&client, id).await {
                Ok(o) => Some(o.values()),
                Err(ApiError::NotFound { .. }) => {
                    diags.error(
                        format!("No {} with ID {id:?}", T::NOUN),
                        format!("The server has no {} with the ID {id:?}. Check the ID, or look it up by `name`.", T::NOUN),
                        AttributePath::new("id"),
                    );
                    None
                }
                Err(e) => {
                    api_error::<T>(diags, &e);
                    None
                }
            };
        }
        let Some(name) = args.name.as_ref_option() else {
            // Validation refuses this before any read; say so if it comes anyway.
            validate_lookup::<T>(diags, args);
            return None;
        };
        let items = match listings.all::<T>(&client).await {
            Ok(items) => items,
            Err(e) => {
                api_error::<T>(diags, &e);
                return None;
            }
        };
        match by_name(&items, name) {
            Ok(o) => Some(o.values()),
            Err((summary, detail)) => {
                diags.error(summary, detail, AttributePath::new("name"));
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::listing::Destination;

    fn dest(id: &str, name: &str) -> Destination {
        let mut d = Destination::default();
        d.0.set("_id", id);
        d.0.set("name", name);
        d
    }

    #[test]
    fn a_name_matches_exactly_and_once() {
        let items = vec![
            dest("a1", "Offsite"),
            dest("b2", "offsite"),
            dest("c3", "Local"),
            dest("d4", "Local"),
        ];
        assert_eq!(by_name(&items, "Offsite").map(|d| d.0.id()), Ok("a1"));
        let (summary, detail) = by_name(&items, "Local").unwrap_err();
        assert_eq!(summary, "Several destinations are named \"Local\"");
        assert!(
            detail.contains("c3, d4") && detail.contains("by `id` instead"),
            "{detail}"
        );
        let (summary, detail) = by_name(&items, "OFFSITE").unwrap_err();
        assert_eq!(summary, "No destination named \"OFFSITE\"");
        assert!(
            detail.ends_with("named: \"Local\", \"Offsite\", \"offsite\"."),
            "{detail}"
        );
    }

    #[test]
    fn missing_names_list_twenty_then_count_the_rest() {
        let items: Vec<Destination> = (0..23)
            .map(|i| dest(&format!("{i}"), &format!("d{i:02}")))
            .collect();
        let detail = no_such_name("x", &items);
        assert!(detail.contains("\"d19\" and 3 more."), "{detail}");
        assert!(!detail.contains("d20"), "{detail}");
        assert!(no_such_name::<Destination>("x", &[]).contains("no destinations at all"));
    }

    #[test]
    fn lookup_validation_wants_exactly_one_well_formed_key() {
        let check = |name: Value<String>, id: Value<String>| {
            let mut diags = Diagnostics::default();
            let args = Args {
                name,
                id,
                ..Args::default()
            };
            validate_lookup::<Destination>(&mut diags, &args);
            diags
                .errors
                .iter()
                .map(|e| e.summary.to_string())
                .collect::<Vec<_>>()
        };
        let v = |s: &str| Value::Value(s.to_string());
        assert!(check(v("x"), Value::Null).is_empty());
        assert!(check(Value::Unknown, Value::Null).is_empty());
        assert!(check(Value::Null, v("6504c79fd4b57d536c05bbe2")).is_empty());
        assert_eq!(
            check(Value::Null, Value::Null),
            ["Neither `name` nor `id` is set"]
        );
        assert_eq!(
            check(v("x"), v("6504c79fd4b57d536c05bbe2")),
            ["Both `name` and `id` are set"]
        );
        assert_eq!(check(Value::Null, v("zz")), ["Invalid destination ID"]);
    }
}
