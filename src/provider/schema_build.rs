//! The one schema builder: how a table row becomes a Terraform attribute, a
//! nested block or a whole schema, for every resource (any `ObjectKind`'s
//! fields, in `object/schema.rs`), every data source and the provider block. What a
//! row's [`Role`] means to Terraform is decided here, once.

use std::collections::HashMap;

use tf_provider::schema::{
    Attribute, AttributeConstraint, AttributeType, Block, Description, Schema,
};

use crate::api::table::Role;

/// How Terraform treats a row of this role: required, optional, optional
/// with a value the provider or the server fills in, or reported only.
pub fn constraint(role: Role) -> AttributeConstraint {
    match role {
        Role::Required => AttributeConstraint::Required,
        Role::Optional => AttributeConstraint::Optional,
        Role::Defaulted(_) | Role::ServerDefault(_) => AttributeConstraint::OptionalComputed,
        Role::ReadOnly { .. } => AttributeConstraint::Computed,
    }
}

/// An attribute, described in Markdown.
pub fn attr(
    attr_type: AttributeType,
    constraint: AttributeConstraint,
    description: String,
) -> Attribute {
    Attribute {
        attr_type,
        description: Description::markdown(description),
        constraint,
        sensitive: false,
        deprecated: false,
    }
}

/// The `id` attribute every resource has: JetBackup's `_id`, computed.
pub fn id_attribute(title: &str) -> Attribute {
    attr(
        AttributeType::String,
        AttributeConstraint::Computed,
        format!("The {title}'s ID (JetBackup `_id`), kept across updates."),
    )
}

/// A block (a schema's own, or a nested one) at `version`.
pub fn block(
    version: i64,
    description: String,
    attributes: HashMap<String, Attribute>,
    blocks: HashMap<String, tf_provider::schema::NestedBlock>,
) -> Block {
    Block {
        version,
        attributes,
        blocks,
        description: Description::markdown(description),
        deprecated: false,
    }
}

/// A whole schema: its own block, at the block's version.
pub fn schema(block: Block) -> Schema {
    Schema {
        version: block.version,
        block,
    }
}

/// A schema of top-level attributes only, at version 1: every data source's
/// and the provider block's.
pub fn schema_of(description: String, attributes: HashMap<String, Attribute>) -> Schema {
    schema(block(1, description, attributes, HashMap::new()))
}
