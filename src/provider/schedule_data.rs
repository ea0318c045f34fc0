//! What the `jetbackup_schedule(s)` and `jetbackup_account_filter_group(s)`
//! data sources expose. A schedule's attributes are the `jetbackup_schedule`
//! resource's, derived from its table and decoded by the same codec, so a
//! looked-up schedule reads exactly like a managed one.

use serde_json::{Map, Value as Json};
use tf_provider::schema::AttributeType;

use super::data_source::table::{identity, object_values, table_fields};
use super::data_source::{DataAttribute, Exposed, Filter};
use super::listing::{AccountFilterGroup, Schedule};
use crate::api::lenient::{value_to_list, value_to_string};
use crate::api::object::schedule::{SCHEDULE, SCHEDULE_TYPES};

impl Exposed for Schedule {
    const SINGULAR: &'static str = "schedule";
    const PLURAL: &'static str = "schedules";
    const FUNCTIONS: &'static str = "`listSchedules` (and `getSchedule` for an ID not in the list)";

    fn fields() -> Vec<DataAttribute> {
        table_fields(
            &SCHEDULE,
            "The schedule's ID (JetBackup `_id`): what a backup job's `schedules` block takes as `id`.",
        )
    }

    fn values(&self) -> Map<String, Json> {
        // A schedule of an unknown type still says which one it is and who
        // owns it.
        object_values(&SCHEDULE, &self.0, true)
    }

    fn filters() -> &'static [Filter] {
        &[Filter::Type]
    }

    fn type_values() -> Option<Vec<String>> {
        Some(SCHEDULE_TYPES.iter().map(|c| c.label.to_string()).collect())
    }
}

impl Exposed for AccountFilterGroup {
    const SINGULAR: &'static str = "account_filter_group";
    const PLURAL: &'static str = "account_filter_groups";
    const FUNCTIONS: &'static str =
        "`listAccountFilterGroups` (and `getAccountFilterGroup` for an ID not in the list)";

    fn fields() -> Vec<DataAttribute> {
        use AttributeType::{List, Number, String};
        vec![
            DataAttribute::new(
                "id",
                String,
                "The group's ID (JetBackup `_id`): what a backup job's `filters` lists.",
            ),
            DataAttribute::new("name", String, "The group's name."),
            DataAttribute::new(
                "filter_ids",
                List(Box::new(String)),
                "IDs of the account filters in the group, in the server's order.",
            ),
            DataAttribute::new("owner", String, "Account ID of the group's owner."),
            DataAttribute::new("owner_name", String, "Account name of the group's owner."),
            DataAttribute::new(
                "job_count",
                Number,
                "How many backup jobs use the group (JetBackup `count`).",
            ),
        ]
    }

    fn values(&self) -> Map<String, Json> {
        let mut out = Map::new();
        identity(&mut out, &self.0, true);
        let filters = self.0.get("filters").map(value_to_list).unwrap_or_default();
        out.insert(
            "filter_ids".into(),
            filters
                .iter()
                .filter_map(value_to_string)
                .map(Json::String)
                .collect(),
        );
        out
    }

    fn filters() -> &'static [Filter] {
        &[]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::seed::builtin;

    fn keys_are_fields<T: Exposed>(values: &Map<String, Json>) {
        let mut keys: Vec<&String> = values.keys().collect();
        keys.sort();
        let fields = T::fields();
        let mut names: Vec<&String> = fields.iter().map(|f| &f.name).collect();
        names.sort();
        assert_eq!(keys, names);
    }

    #[test]
    fn schedules_read_in_the_resource_shapes() {
        let seed = builtin();
        for s in &seed.schedules {
            keys_are_fields::<Schedule>(&Schedule(s.clone()).values());
        }
        let by_name = |n: &str| {
            let s = seed
                .schedules
                .iter()
                .find(|s| s.name() == n)
                .expect("seeded");
            Schedule(s.clone()).values()
        };
        let hourly = by_name("Every 6 Hours");
        assert_eq!(hourly["type"], "hourly");
        assert_eq!(hourly["every_hours"], 6);
        assert_eq!(hourly["days_of_week"], Json::Null);
        let daily = by_name("Daily");
        assert_eq!(daily["type"], "daily");
        assert_eq!(
            daily["days_of_week"].as_array().map(Vec::len),
            Some(7),
            "{daily:?}"
        );
        let weekly = by_name("Weekly on Sunday");
        assert_eq!(weekly["day_of_week"], "sunday");
        assert_eq!(weekly["owner_name"], "root");
        assert_eq!(weekly["delay_unit"], Json::Null);
    }

    #[test]
    fn a_schedule_of_an_unknown_type_still_names_itself() {
        let s = Schedule(crate::api::object::Record::from_json(serde_json::json!({
            "_id": "6504c79fd4b57d536c05bbe2",
            "name": "future",
            "type": 9,
            "count": 2,
        })));
        let v = s.values();
        keys_are_fields::<Schedule>(&v);
        assert_eq!(v["type"], Json::Null);
        assert_eq!(v["name"], "future");
        assert_eq!(v["job_count"], 2);
    }

    #[test]
    fn filter_groups_list_their_filters_in_order() {
        for g in builtin().account_filter_groups {
            let v = AccountFilterGroup(g.clone()).values();
            keys_are_fields::<AccountFilterGroup>(&v);
            assert_eq!(v["filter_ids"], g["filters"]);
        }
    }
}
