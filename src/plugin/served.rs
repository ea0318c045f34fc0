//! The provider's types of one sort (resource types, data sources, list
//! resources, actions) under their Terraform names, each with its schema
//! read once at start: what every RPC looks its type up in.

use std::collections::HashMap;

use tf_provider::schema::Schema;
use tf_provider::Diagnostics;

/// The served types of one sort, by Terraform name (`<provider>_<short>`).
pub struct Served<T> {
    /// The sort in Terraform's words, for "This provider has no …".
    sort: &'static str,
    by_name: HashMap<String, (T, Schema)>,
}

impl<T> Served<T> {
    /// `types` (names after `<provider>_`) with the schema `schema_of` reads
    /// for each (given its name after `<provider>_`); a type without one is
    /// left out, the errors in `diags`.
    pub fn new(
        provider: &str,
        sort: &'static str,
        types: impl IntoIterator<Item = (String, T)>,
        mut schema_of: impl FnMut(&str, &T, &mut Diagnostics) -> Option<Schema>,
        diags: &mut Diagnostics,
    ) -> Served<T> {
        let mut by_name = HashMap::new();
        for (short, t) in types {
            if let Some(s) = schema_of(&short, &t, diags) {
                by_name.insert(format!("{provider}_{short}"), (t, s));
            }
        }
        Served { sort, by_name }
    }

    /// The type `type_name` with its schema, if served.
    pub fn find(&self, type_name: &str) -> Option<(&T, &Schema)> {
        self.by_name.get(type_name).map(|(t, s)| (t, s))
    }

    /// The type `type_name`; an error in `diags` when it is not served.
    pub fn get(&self, diags: &mut Diagnostics, type_name: &str) -> Option<&T> {
        let found = self.find(type_name).map(|(t, _)| t);
        if found.is_none() {
            diags.root_error_short(format!("This provider has no {} {type_name}", self.sort));
        }
        found
    }

    /// Every served type: its name, the type, its schema.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &T, &Schema)> {
        self.by_name.iter().map(|(n, (t, s))| (n, t, s))
    }

    pub fn names(&self) -> impl Iterator<Item = &String> {
        self.by_name.keys()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_served_by_terraform_name_and_one_without_a_schema_is_left_out() {
        let mut diags = Diagnostics::default();
        let types = [("thing".to_string(), true), ("broken".to_string(), false)];
        let served = Served::new(
            "p",
            "data source",
            types,
            |short, ok, diags| {
                if !*ok {
                    diags.root_error_short(format!("no schema for {short}"));
                    return None;
                }
                Some(Schema {
                    version: 3,
                    block: Default::default(),
                })
            },
            &mut diags,
        );
        assert_eq!(diags.errors[0].summary, "no schema for broken");
        assert_eq!(served.names().collect::<Vec<_>>(), ["p_thing"]);
        assert_eq!(served.find("p_thing").map(|(_, s)| s.version), Some(3));

        let mut diags = Diagnostics::default();
        assert!(served.get(&mut diags, "p_broken").is_none());
        assert_eq!(
            diags.errors[0].summary,
            "This provider has no data source p_broken"
        );
    }
}
