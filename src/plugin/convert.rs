//! tf-provider's typed model to the protocol's messages: diagnostics with
//! their attribute paths, and schemas.

use std::collections::HashMap;

use tf_provider::schema::{
    Attribute, AttributeConstraint, AttributeType, Block, Description, NestedBlock, Schema,
    StringKind,
};
use tf_provider::{AttributePath, AttributePathStep, Diagnostic, Diagnostics};

use super::proto::tfplugin6 as tf;
use tf::attribute_path::step::Selector;
use tf::diagnostic::Severity;
use tf::schema::nested_block::NestingMode as BlockNesting;
use tf::schema::object::NestingMode as ObjectNesting;

/// Every error, then every warning.
pub fn diagnostics(diags: Diagnostics) -> Vec<tf::Diagnostic> {
    let one = |severity: Severity| {
        move |d: Diagnostic| tf::Diagnostic {
            severity: severity as i32,
            summary: d.summary.into_owned(),
            detail: d.detail.into_owned(),
            attribute: attribute_path(d.attribute),
        }
    };
    let mut all: Vec<tf::Diagnostic> = diags.errors.into_iter().map(one(Severity::Error)).collect();
    all.extend(diags.warnings.into_iter().map(one(Severity::Warning)));
    all
}

/// `None` for the root: a diagnostic about the whole object.
pub fn attribute_path(path: AttributePath) -> Option<tf::AttributePath> {
    if path.steps.is_empty() {
        return None;
    }
    Some(tf::AttributePath {
        steps: path
            .steps
            .into_iter()
            .map(|step| tf::attribute_path::Step {
                selector: Some(match step {
                    AttributePathStep::Attribute(name) => {
                        Selector::AttributeName(name.into_owned())
                    }
                    AttributePathStep::Key(key) => Selector::ElementKeyString(key.into_owned()),
                    AttributePathStep::Index(i) => Selector::ElementKeyInt(i),
                }),
            })
            .collect(),
    })
}

/// A schema as Terraform reads it.
pub fn schema(s: &Schema) -> tf::Schema {
    tf::Schema {
        version: s.version,
        block: Some(block(&s.block)),
    }
}

fn string_kind(d: &Description) -> i32 {
    match d.kind {
        StringKind::Plain => tf::StringKind::Plain as i32,
        StringKind::Markdown => tf::StringKind::Markdown as i32,
    }
}

/// Entries sorted by name, so that the same schema is the same message.
fn sorted<V>(m: &HashMap<String, V>) -> Vec<(&String, &V)> {
    let mut v: Vec<_> = m.iter().collect();
    v.sort_by(|a, b| a.0.cmp(b.0));
    v
}

fn block(b: &Block) -> tf::schema::Block {
    tf::schema::Block {
        version: b.version,
        attributes: attributes(&b.attributes),
        block_types: sorted(&b.blocks)
            .into_iter()
            .map(|(name, nested)| nested_block(name, nested))
            .collect(),
        description: b.description.content.clone(),
        description_kind: string_kind(&b.description),
        deprecated: b.deprecated,
    }
}

/// (nesting, min_items, max_items); a max of 0 is no limit.
fn nested_block(name: &str, nested: &NestedBlock) -> tf::schema::NestedBlock {
    let (nesting, min, max, b) = match nested {
        NestedBlock::Single(b) => (BlockNesting::Single, 1, 1, b),
        NestedBlock::List(b) => (BlockNesting::List, 0, 0, b),
        NestedBlock::Set(b) => (BlockNesting::Set, 0, 0, b),
        NestedBlock::Map(b) => (BlockNesting::Map, 0, 0, b),
        NestedBlock::Group(b) => (BlockNesting::Group, 0, 0, b),
        // At most one, null when absent: a list of at most one.
        NestedBlock::Optional(b) => (BlockNesting::List, 0, 1, b),
    };
    tf::schema::NestedBlock {
        type_name: name.to_string(),
        block: Some(block(b)),
        nesting: nesting as i32,
        min_items: min,
        max_items: max,
    }
}

fn attributes(attrs: &HashMap<String, Attribute>) -> Vec<tf::schema::Attribute> {
    sorted(attrs)
        .into_iter()
        .map(|(name, a)| attribute(name, a))
        .collect()
}

fn attribute(name: &str, a: &Attribute) -> tf::schema::Attribute {
    // A nested attribute has a nested type and no type: Terraform refuses
    // an attribute with both.
    let nested = match &a.attr_type {
        AttributeType::AttributeSingle(n) => Some((ObjectNesting::Single, n)),
        AttributeType::AttributeList(n) => Some((ObjectNesting::List, n)),
        AttributeType::AttributeSet(n) => Some((ObjectNesting::Set, n)),
        AttributeType::AttributeMap(n) => Some((ObjectNesting::Map, n)),
        AttributeType::String
        | AttributeType::Number
        | AttributeType::Bool
        | AttributeType::List(_)
        | AttributeType::Set(_)
        | AttributeType::Map(_)
        | AttributeType::Object(_)
        | AttributeType::Tuple(_)
        | AttributeType::Any => None,
    };
    let (r#type, nested_type) = match nested {
        Some((nesting, attrs)) => (
            Vec::new(),
            Some(tf::schema::Object {
                attributes: attributes(attrs),
                nesting: nesting as i32,
            }),
        ),
        None => (type_json(&a.attr_type), None),
    };
    let (required, optional, computed) = match a.constraint {
        AttributeConstraint::Required => (true, false, false),
        AttributeConstraint::Optional => (false, true, false),
        AttributeConstraint::OptionalComputed => (false, true, true),
        AttributeConstraint::Computed => (false, false, true),
    };
    tf::schema::Attribute {
        name: name.to_string(),
        r#type,
        nested_type,
        description: a.description.content.clone(),
        required,
        optional,
        computed,
        sensitive: a.sensitive,
        description_kind: string_kind(&a.description),
        deprecated: a.deprecated,
        write_only: false,
    }
}

/// cty's JSON type notation (`"string"`, `["list","number"]`, ...), which
/// tf-provider's `AttributeType` serializes to.
pub fn type_json(t: &AttributeType) -> Vec<u8> {
    // Serializing an enum of strings and maps into memory cannot fail.
    serde_json::to_vec(t).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostics_keep_severity_text_and_path_errors_first() {
        // Built field by field: tf-provider's constructors append a
        // backtrace to the detail when RUST_BACKTRACE is set.
        let d = |summary: &'static str, detail: &'static str, attribute| Diagnostic {
            summary: summary.into(),
            detail: detail.into(),
            attribute,
        };
        let mut diags = Diagnostics::default();
        diags.add_warning(d("careful", "details", AttributePath::root()));
        diags.add_error(d(
            "bad",
            "why",
            AttributePath::new("schedules").index(2).attribute("id"),
        ));
        diags.add_error(d("bad key", "", AttributePath::new("tags").key("k")));
        let out = diagnostics(diags);
        assert_eq!(out.len(), 3);
        assert_eq!(out[0].severity, Severity::Error as i32);
        assert_eq!(out[0].summary, "bad");
        assert_eq!(out[0].detail, "why");
        let steps: Vec<_> = out[0]
            .attribute
            .clone()
            .unwrap()
            .steps
            .into_iter()
            .map(|s| s.selector.unwrap())
            .collect();
        assert_eq!(
            steps,
            vec![
                Selector::AttributeName("schedules".into()),
                Selector::ElementKeyInt(2),
                Selector::AttributeName("id".into()),
            ]
        );
        assert_eq!(
            out[1].attribute.clone().unwrap().steps[1].selector,
            Some(Selector::ElementKeyString("k".into()))
        );
        assert_eq!(out[2].severity, Severity::Warning as i32);
        assert_eq!(out[2].attribute, None, "a root diagnostic has no path");
    }

    fn attr(t: AttributeType, c: AttributeConstraint) -> Attribute {
        Attribute {
            attr_type: t,
            description: Description::markdown("the `x`"),
            constraint: c,
            sensitive: true,
            deprecated: false,
        }
    }

    #[test]
    fn schemas_carry_types_constraints_and_block_nesting() {
        let mut inner = Block::default();
        inner.attributes.insert(
            "id".into(),
            attr(AttributeType::String, AttributeConstraint::Required),
        );
        let mut root = Block::default();
        root.attributes.insert(
            "ids".into(),
            attr(
                AttributeType::List(Box::new(AttributeType::Number)),
                AttributeConstraint::OptionalComputed,
            ),
        );
        root.attributes.insert(
            "name".into(),
            attr(AttributeType::String, AttributeConstraint::Computed),
        );
        root.blocks
            .insert("monitor".into(), NestedBlock::Optional(inner.clone()));
        root.blocks
            .insert("schedules".into(), NestedBlock::Set(inner));
        let s = schema(&Schema {
            version: 3,
            block: root,
        });
        assert_eq!(s.version, 3);
        let b = s.block.unwrap();
        // Sorted by name.
        assert_eq!(b.attributes[0].name, "ids");
        assert_eq!(b.attributes[0].r#type, br#"["list","number"]"#);
        assert!(b.attributes[0].optional && b.attributes[0].computed && !b.attributes[0].required);
        assert!(b.attributes[0].sensitive);
        assert_eq!(
            b.attributes[0].description_kind,
            tf::StringKind::Markdown as i32
        );
        assert_eq!(b.attributes[1].r#type, br#""string""#);
        assert!(b.attributes[1].computed && !b.attributes[1].optional);
        assert_eq!(b.block_types[0].type_name, "monitor");
        assert_eq!(b.block_types[0].nesting, BlockNesting::List as i32);
        assert_eq!(
            (b.block_types[0].min_items, b.block_types[0].max_items),
            (0, 1)
        );
        assert_eq!(b.block_types[1].nesting, BlockNesting::Set as i32);
        let id = &b.block_types[1].block.as_ref().unwrap().attributes[0];
        assert!(id.required && !id.optional && !id.computed);
    }

    #[test]
    fn a_nested_attribute_has_a_nested_type_and_no_type() {
        let mut fields = HashMap::new();
        fields.insert(
            "a".into(),
            attr(AttributeType::Bool, AttributeConstraint::Optional),
        );
        let a = attribute(
            "n",
            &attr(
                AttributeType::AttributeList(fields),
                AttributeConstraint::Optional,
            ),
        );
        assert!(a.r#type.is_empty());
        let nested = a.nested_type.unwrap();
        assert_eq!(nested.nesting, ObjectNesting::List as i32);
        assert_eq!(nested.attributes[0].r#type, br#""bool""#);
    }

    #[test]
    fn the_dynamic_type_is_dynamic() {
        assert_eq!(type_json(&AttributeType::Any), br#""dynamic""#);
    }
}
