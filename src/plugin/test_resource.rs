//! The one typed resource the server's unit tests serve: a `thing` with a
//! computed `id` and a required `name`, whose every answer a test can steer
//! by the name or ID it passes (`bad`, `gone`, `broken`, `stuck`).

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{Attribute, AttributeConstraint, AttributeType, Block, Schema};
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{AttributePath, Diagnostics, Resource};

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Thing {
    pub id: Value<String>,
    pub name: Value<String>,
}

/// Created with ID `1`; a new name replaces it. Validation refuses the name
/// `bad`, destruction the name `stuck`. An import knows only the ID (the
/// name stays null, as with the provider's resources) and the read fills
/// the name in; the ID `gone` reads as gone, `broken` as a failed read.
pub struct ThingResource;

#[async_trait]
impl Resource for ThingResource {
    type State<'a> = Thing;
    type PrivateState<'a> = ValueEmpty;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _: &mut Diagnostics) -> Option<Schema> {
        let mut block = Block::default();
        let attr = |c| Attribute {
            attr_type: AttributeType::String,
            description: "x".into(),
            constraint: c,
            sensitive: false,
            deprecated: false,
        };
        block
            .attributes
            .insert("id".into(), attr(AttributeConstraint::Computed));
        block
            .attributes
            .insert("name".into(), attr(AttributeConstraint::Required));
        Some(Schema { version: 2, block })
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: Thing) -> Option<()> {
        if config.name == Value::Value("bad".into()) {
            diags.error_short("bad name", AttributePath::new("name"));
        }
        Some(())
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        state: Thing,
        private: ValueEmpty,
        _: ValueEmpty,
    ) -> Option<(Thing, ValueEmpty)> {
        match state.id.as_ref_option().map(String::as_str) {
            // `None` without an error: the object is gone.
            Some("gone") => None,
            Some("broken") => {
                diags.root_error("Cannot read the thing", "refused at http://x/api");
                Some((state, private))
            }
            Some(id) if state.name.is_null() => {
                let name = Value::Value(format!("read {id}"));
                Some((Thing { name, ..state }, private))
            }
            _ => Some((state, private)),
        }
    }

    async fn import<'a>(&self, _: &mut Diagnostics, id: String) -> Option<(Thing, ValueEmpty)> {
        let state = Thing {
            id: Value::Value(id),
            name: Value::Null,
        };
        Some((state, ValueEmpty::default()))
    }

    async fn plan_create<'a>(
        &self,
        _: &mut Diagnostics,
        proposed: Thing,
        _: Thing,
        _: ValueEmpty,
    ) -> Option<(Thing, ValueEmpty)> {
        Some((
            Thing {
                id: Value::Unknown,
                ..proposed
            },
            ValueEmpty::Null,
        ))
    }

    async fn plan_update<'a>(
        &self,
        _: &mut Diagnostics,
        prior: Thing,
        proposed: Thing,
        _: Thing,
        private: ValueEmpty,
        _: ValueEmpty,
    ) -> Option<(Thing, ValueEmpty, Vec<AttributePath>)> {
        let replace = if prior.name == proposed.name {
            vec![]
        } else {
            vec![AttributePath::new("name")]
        };
        Some((proposed, private, replace))
    }

    async fn plan_destroy<'a>(
        &self,
        _: &mut Diagnostics,
        _: Thing,
        private: ValueEmpty,
        _: ValueEmpty,
    ) -> Option<ValueEmpty> {
        Some(private)
    }

    async fn create<'a>(
        &self,
        _: &mut Diagnostics,
        planned: Thing,
        _: Thing,
        private: ValueEmpty,
        _: ValueEmpty,
    ) -> Option<(Thing, ValueEmpty)> {
        Some((
            Thing {
                id: Value::Value("1".into()),
                ..planned
            },
            private,
        ))
    }

    async fn update<'a>(
        &self,
        _: &mut Diagnostics,
        _: Thing,
        planned: Thing,
        _: Thing,
        private: ValueEmpty,
        _: ValueEmpty,
    ) -> Option<(Thing, ValueEmpty)> {
        Some((planned, private))
    }

    async fn destroy<'a>(
        &self,
        diags: &mut Diagnostics,
        prior: Thing,
        _: ValueEmpty,
        _: ValueEmpty,
    ) -> Option<()> {
        if prior.name == Value::Value("stuck".into()) {
            diags.root_error_short("refused");
            return None;
        }
        Some(())
    }
}
