//! `jetbackup_<kinds>`: every object of a kind, sorted by name, filtered by
//! `name_regex` and the kind's own filters.

use regex_lite::Regex;

use super::*;

/// What `name_regex` accepts, for its description.
const NAME_REGEX_DOC: &str = "Only objects whose name this regular expression matches (anywhere in the name; anchor it with `^…$` for a whole-name match). The syntax is Rust's `regex` without Unicode classes: `\\d`, `\\w`, `\\s` and `\\b` are ASCII, `(?i)` folds ASCII letters only, and `\\p{…}` is refused at plan.";

/// `jetbackup_<kinds>`: every object, sorted by name, optionally filtered.
pub type AllOf<T> = KindDataSource<T, All>;

/// The mode of `jetbackup_<kinds>`.
pub struct All;

#[async_trait]
impl Mode for All {
    fn schema<T: Exposed>() -> Schema {
        let fields = T::fields();
        let object = AttributeType::Object(
            fields
                .iter()
                .map(|f| (f.name.clone(), f.attr_type.clone()))
                .collect(),
        );
        let mut names: Vec<&DataAttribute> = fields.iter().collect();
        names.sort_by(|a, b| a.name.cmp(&b.name));
        let field_docs = names
            .iter()
            .map(|f| format!("`{}`: {}", f.name, f.doc))
            .collect::<Vec<_>>()
            .join(" ");
        let mut attributes = filter_attributes(T::NOUN_PLURAL, T::filters(), T::type_values());
        attributes.insert(
            T::PLURAL.to_string(),
            attr(
                AttributeType::List(Box::new(object)),
                AttributeConstraint::Computed,
                format!("The matching {}, sorted by name (then ID), each with the attributes of the `jetbackup_{}` data source. {field_docs}", T::NOUN_PLURAL, T::SINGULAR),
            ),
        );
        attributes.insert(
            "ids".to_string(),
            attr(
                AttributeType::List(Box::new(AttributeType::String)),
                AttributeConstraint::Computed,
                format!(
                    "The IDs of the matching {}, in the same order.",
                    T::NOUN_PLURAL
                ),
            ),
        );
        schema_of(
            format!("Lists the JetBackup {}, optionally filtered. Read with {}, shared with every other lookup of the same provider (one list call per kind).", T::NOUN_PLURAL, T::FUNCTIONS),
            attributes,
        )
    }

    fn validate<T: Exposed>(diags: &mut Diagnostics, args: &Args) {
        validate_filters::<T>(diags, args);
    }

    async fn read<T: Exposed>(
        provider: &ProviderHandle,
        diags: &mut Diagnostics,
        args: &Args,
    ) -> Option<Map<String, Json>> {
        validate_filters::<T>(diags, args);
        let regex = match &args.name_regex {
            Value::Value(p) => Some(Regex::new(p).ok()?),
            _ => None,
        };
        let client = provider.client(diags)?;
        let items = match provider.listings().all::<T>(&client).await {
            Ok(items) => items,
            Err(e) => {
                api_error::<T>(diags, &e);
                return None;
            }
        };
        let mut selected: Vec<&T> = items
            .iter()
            .filter(|o| regex.as_ref().is_none_or(|r| r.is_match(o.name())))
            .collect();
        selected.sort_by(|a, b| (a.name(), a.id()).cmp(&(b.name(), b.id())));
        let mut objects = Vec::new();
        for o in selected {
            let values = o.values();
            let wanted = T::filters().iter().all(|f| match f.configured(args) {
                Some(v) => values.get(f.name()) == Some(&v),
                None => true,
            });
            if wanted {
                objects.push(Json::Object(values));
            }
        }
        let ids: Vec<Json> = objects.iter().map(|o| o["id"].clone()).collect();
        let mut state = Map::new();
        state.insert(T::PLURAL.to_string(), Json::Array(objects));
        state.insert("ids".to_string(), Json::Array(ids));
        let echo = |v: &Value<String>| v.as_ref_option().cloned().map_or(Json::Null, Json::String);
        state.insert("name_regex".to_string(), echo(&args.name_regex));
        for filter in T::filters() {
            state.insert(
                filter.name().to_string(),
                filter.configured(args).unwrap_or(Json::Null),
            );
        }
        Some(state)
    }
}

/// The filter arguments a listing of `noun_plural` takes: `name_regex` and
/// `filters` (the list data sources' and the list resources' alike).
pub fn filter_attributes(
    noun_plural: &str,
    filters: &[Filter],
    type_values: Option<Vec<String>>,
) -> HashMap<String, Attribute> {
    let mut attributes = HashMap::new();
    attributes.insert(
        "name_regex".to_string(),
        attr(
            AttributeType::String,
            AttributeConstraint::Optional,
            NAME_REGEX_DOC.into(),
        ),
    );
    for filter in filters {
        let allowed = match (filter, &type_values) {
            (Filter::Type, Some(values)) => format!(
                " Allowed values: {}.",
                values
                    .iter()
                    .map(|v| format!("`{v}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            _ => String::new(),
        };
        attributes.insert(
            filter.name().to_string(),
            attr(
                filter.attr_type(),
                AttributeConstraint::Optional,
                format!(
                    "Only {noun_plural} whose `{}` equals this value (exact match).{allowed}",
                    filter.name()
                ),
            ),
        );
    }
    attributes
}

fn validate_filters<T: Exposed>(diags: &mut Diagnostics, args: &Args) {
    check_filters(diags, args, T::type_values());
}

/// Plan-time checks of the filter arguments: `name_regex` compiles, `type`
/// is one of `type_values` (when they are a fixed set); each error names
/// its attribute.
pub fn check_filters(diags: &mut Diagnostics, args: &Args, type_values: Option<Vec<String>>) {
    if let Value::Value(pattern) = &args.name_regex {
        if let Err(e) = Regex::new(pattern) {
            diags.error(
                "Invalid name_regex",
                format!("{pattern:?} is not a valid regular expression: {e}"),
                AttributePath::new("name_regex"),
            );
        }
    }
    if let (Value::Value(t), Some(values)) = (&args.filter_type, type_values) {
        if !values.contains(t) {
            diags.error(
                "Invalid type",
                format!("type is {t:?}; allowed values: {}.", values.join(", ")),
                AttributePath::new("type"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::listing::Destination;

    /// `name_regex` takes regex syntax without Unicode classes: a pattern
    /// that needs them, or a broken one, fails at plan on the attribute.
    #[test]
    fn name_regex_syntax_is_checked_at_plan() {
        let check = |pattern: &str| {
            let args = Args {
                name_regex: Value::Value(pattern.to_string()),
                ..Args::default()
            };
            let mut diags = Diagnostics::default();
            validate_filters::<Destination>(&mut diags, &args);
            diags.errors
        };
        for ok in ["^Off(site)?$", "(?i)offsite", r"\d{2}-\w+", "[a-z]+ [0-9]"] {
            assert!(check(ok).is_empty(), "{ok}: {:?}", check(ok));
        }
        for bad in [r"\p{L}+", "(unclosed", "a{2,1}"] {
            let errors = check(bad);
            assert_eq!(errors.len(), 1, "{bad}");
            assert_eq!(errors[0].summary, "Invalid name_regex");
            assert_eq!(errors[0].attribute, AttributePath::new("name_regex"));
        }
        let re = Regex::new("(?i)^offsite$").expect("valid");
        assert!(re.is_match("OffSite") && !re.is_match("Offsite 2"));
    }
}
