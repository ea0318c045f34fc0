//! Write-only attributes (protocol 6.8, Terraform 1.11): attributes whose
//! value Terraform keeps out of every plan and state, and passes to the
//! provider only in the configuration.
//!
//! tf-provider's typed `Schema` has no write-only flag, so a provider names
//! them beside its resources ([`super::Plugin::write_only_attributes`]) as
//! [`SchemaPath`]s, and this module carries the flag to Terraform:
//!
//! - [`check`]: at start, every path names an attribute that is not
//!   Computed (Terraform refuses a computed write-only attribute);
//! - [`mark`]: `write_only = true` (field 11 of `Schema.Attribute`) in the
//!   schema sent to Terraform;
//! - [`refuse_without_support`]: a CLI that does not say it handles them
//!   (`ClientCapabilities.write_only_attributes_allowed`, Terraform before
//!   1.11) would store them like any other attribute, so a configuration
//!   that sets one is refused at validation, naming the attribute.
//!
//! Returning them null in every plan and state is the resource's part.

use tf_provider::schema::{AttributeConstraint, Block, NestedBlock, Schema};
use tf_provider::value::ValueAny;
use tf_provider::{AttributePath, Diagnostics};

use super::proto::tfplugin6 as tf;
use super::value::Dynamic;

/// The names from a schema's root to one attribute: the nested blocks'
/// names, then the attribute's (`["s3", "secret_key_wo"]`).
pub type SchemaPath = Vec<String>;

fn inner(nested: &NestedBlock) -> &Block {
    match nested {
        NestedBlock::Single(b)
        | NestedBlock::List(b)
        | NestedBlock::Set(b)
        | NestedBlock::Map(b)
        | NestedBlock::Group(b)
        | NestedBlock::Optional(b) => b,
    }
}

/// Whether the nesting lets Terraform keep a write-only attribute out of
/// the state: it cannot in a set (an element's identity is its value).
fn allows_write_only(nested: &NestedBlock) -> bool {
    match nested {
        NestedBlock::Set(_) => false,
        NestedBlock::Single(_)
        | NestedBlock::List(_)
        | NestedBlock::Map(_)
        | NestedBlock::Group(_)
        | NestedBlock::Optional(_) => true,
    }
}

/// Reports every path of `resource` that does not name an attribute that
/// can be write-only (a schema error: Terraform stops at it).
pub fn check(diags: &mut Diagnostics, resource: &str, schema: &Schema, paths: &[SchemaPath]) {
    for path in paths {
        let Some((attr, blocks)) = path.split_last() else {
            diags.root_error_short(format!("{resource}: an empty write-only attribute path"));
            continue;
        };
        let mut block = &schema.block;
        let mut fits = true;
        for name in blocks {
            match block.blocks.get(name) {
                Some(nested) => {
                    fits &= allows_write_only(nested);
                    block = inner(nested);
                }
                None => {
                    fits = false;
                    break;
                }
            }
        }
        let fits = fits
            && block
                .attributes
                .get(attr)
                .is_some_and(|a| match a.constraint {
                    AttributeConstraint::Required | AttributeConstraint::Optional => true,
                    AttributeConstraint::OptionalComputed | AttributeConstraint::Computed => false,
                });
        if !fits {
            diags.root_error(
                "A write-only attribute the schema cannot hold",
                format!(
                    "{resource}: {} is not a configurable, non-computed attribute outside sets. This is a bug in the provider; please report it.",
                    path.join(".")
                ),
            );
        }
    }
}

/// Sets `write_only` on the attributes `paths` name in a converted schema.
pub fn mark(schema: &mut tf::Schema, paths: &[SchemaPath]) {
    for path in paths {
        let Some((attr, blocks)) = path.split_last() else {
            continue;
        };
        let mut block = schema.block.as_mut();
        for name in blocks {
            block = block.and_then(|b| {
                b.block_types
                    .iter_mut()
                    .find(|n| n.type_name == *name)
                    .and_then(|n| n.block.as_mut())
            });
        }
        if let Some(a) = block.and_then(|b| b.attributes.iter_mut().find(|a| a.name == *attr)) {
            a.write_only = true;
        }
    }
}

/// Refuses a configuration that sets a write-only attribute when the CLI
/// does not say it supports them (it would plan and store the value).
/// A configuration that cannot be read here is left to the resource's own
/// validation, which reports it.
pub fn refuse_without_support(
    diags: &mut Diagnostics,
    capabilities: Option<&tf::ClientCapabilities>,
    config: &Dynamic,
    paths: &[SchemaPath],
) {
    if paths.is_empty() || capabilities.is_some_and(|c| c.write_only_attributes_allowed) {
        return;
    }
    let Some(value) = config.decode::<ValueAny>(&mut Diagnostics::default()) else {
        return;
    };
    for path in paths {
        if let Some(at) = set_at(&value, path, AttributePath::root()) {
            diags.error(
                "Write-only attributes need Terraform 1.11 or later",
                format!(
                    "{} is write-only: Terraform keeps its value out of plans and state only from version 1.11 on, and this Terraform does not say it does. Nothing was sent. Upgrade Terraform, or use the attribute's plain form.",
                    path.join(".")
                ),
                at,
            );
        }
    }
}

/// The path of the first known, non-null value at `path` (blocks are lists
/// or maps of objects; each element is looked at). An unknown value is not
/// judged: it may turn out null, and Terraform validates again once known.
fn set_at(value: &ValueAny, path: &[String], at: AttributePath) -> Option<AttributePath> {
    let Some((first, rest)) = path.split_first() else {
        return match value {
            ValueAny::Null | ValueAny::Unknown => None,
            ValueAny::String(_)
            | ValueAny::Number(_)
            | ValueAny::Bool(_)
            | ValueAny::List(_)
            | ValueAny::Map(_) => Some(at),
        };
    };
    match value {
        ValueAny::Map(m) => {
            let next = m.get(first)?;
            let at = at.attribute(first.clone());
            if rest.is_empty() {
                return set_at(next, rest, at);
            }
            match next {
                ValueAny::List(items) => items.iter().enumerate().find_map(|(i, item)| {
                    set_at(
                        item,
                        rest,
                        at.clone().index(i64::try_from(i).unwrap_or(i64::MAX)),
                    )
                }),
                ValueAny::Map(elements) => elements
                    .iter()
                    .find_map(|(k, item)| set_at(item, rest, at.clone().key(k.clone()))),
                ValueAny::String(_)
                | ValueAny::Number(_)
                | ValueAny::Bool(_)
                | ValueAny::Null
                | ValueAny::Unknown => None,
            }
        }
        ValueAny::String(_)
        | ValueAny::Number(_)
        | ValueAny::Bool(_)
        | ValueAny::List(_)
        | ValueAny::Null
        | ValueAny::Unknown => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use tf_provider::schema::{Attribute, AttributeType, Description};

    fn attr(c: AttributeConstraint) -> Attribute {
        Attribute {
            attr_type: AttributeType::String,
            description: Description::plain("x"),
            constraint: c,
            sensitive: true,
            deprecated: false,
        }
    }

    fn schema() -> Schema {
        let mut s3 = Block::default();
        s3.attributes
            .insert("secret_wo".into(), attr(AttributeConstraint::Optional));
        s3.attributes.insert(
            "computed".into(),
            attr(AttributeConstraint::OptionalComputed),
        );
        let mut tags = Block::default();
        tags.attributes
            .insert("key_wo".into(), attr(AttributeConstraint::Optional));
        let mut root = Block::default();
        root.attributes
            .insert("token_wo".into(), attr(AttributeConstraint::Required));
        root.blocks.insert("s3".into(), NestedBlock::Optional(s3));
        root.blocks.insert("tags".into(), NestedBlock::Set(tags));
        Schema {
            version: 1,
            block: root,
        }
    }

    fn path(p: &[&str]) -> SchemaPath {
        p.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn paths_must_name_configurable_attributes_outside_sets() {
        let s = schema();
        let mut diags = Diagnostics::default();
        check(
            &mut diags,
            "r",
            &s,
            &[path(&["token_wo"]), path(&["s3", "secret_wo"])],
        );
        assert!(diags.errors.is_empty());
        for bad in [
            path(&["s3", "computed"]),
            path(&["tags", "key_wo"]),
            path(&["s3", "nothing"]),
            path(&["nowhere", "secret_wo"]),
            path(&[]),
        ] {
            let mut diags = Diagnostics::default();
            check(&mut diags, "r", &s, std::slice::from_ref(&bad));
            assert_eq!(diags.errors.len(), 1, "{bad:?}");
        }
    }

    #[test]
    fn the_flag_reaches_the_named_attributes_only() {
        let mut proto = super::super::convert::schema(&schema());
        mark(
            &mut proto,
            &[path(&["token_wo"]), path(&["s3", "secret_wo"])],
        );
        let block = proto.block.expect("block");
        let flags: BTreeMap<String, bool> = block
            .attributes
            .iter()
            .map(|a| (a.name.clone(), a.write_only))
            .collect();
        assert!(flags["token_wo"]);
        let s3 = block.block_types[0].block.as_ref().expect("s3");
        assert_eq!(block.block_types[0].type_name, "s3");
        for a in &s3.attributes {
            assert_eq!(a.write_only, a.name == "secret_wo", "{}", a.name);
        }
    }

    fn config(secret: ValueAny) -> Dynamic {
        let mut s3 = BTreeMap::new();
        s3.insert("secret_wo".to_string(), secret);
        let mut root = BTreeMap::new();
        root.insert("token_wo".to_string(), ValueAny::Null);
        root.insert("s3".to_string(), ValueAny::List(vec![ValueAny::Map(s3)]));
        Dynamic::encode(&mut Diagnostics::default(), &ValueAny::Map(root)).expect("encodes")
    }

    #[test]
    fn a_cli_without_write_only_support_is_refused_when_one_is_set() {
        let paths = [path(&["token_wo"]), path(&["s3", "secret_wo"])];
        let without = tf::ClientCapabilities {
            deferral_allowed: true,
            write_only_attributes_allowed: false,
        };
        let with = tf::ClientCapabilities {
            write_only_attributes_allowed: true,
            ..without
        };
        let set = config(ValueAny::String("s".into()));
        for caps in [None, Some(&without)] {
            let mut diags = Diagnostics::default();
            refuse_without_support(&mut diags, caps, &set, &paths);
            assert_eq!(diags.errors.len(), 1);
            let e = &diags.errors[0];
            assert!(e.detail.contains("s3.secret_wo") && e.detail.contains("1.11"));
            assert_eq!(
                e.attribute,
                AttributePath::new("s3").index(0).attribute("secret_wo")
            );
        }
        let mut diags = Diagnostics::default();
        refuse_without_support(&mut diags, Some(&with), &set, &paths);
        assert!(diags.errors.is_empty());
        // Unknown is judged once known; null is not set.
        for v in [ValueAny::Unknown, ValueAny::Null] {
            let mut diags = Diagnostics::default();
            refuse_without_support(&mut diags, None, &config(v), &paths);
            assert!(diags.errors.is_empty());
        }
    }
}
