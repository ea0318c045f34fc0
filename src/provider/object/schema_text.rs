//! A stable text form of a Terraform schema, for golden tests: every
//! attribute and nested block in name order with its type, constraint,
//! flags and description, so that a migration that must not change a
//! resource's schema can be checked against the text captured before it.

use std::fmt::Write;

use tf_provider::schema::{Attribute, Block, NestedBlock, Schema};

/// The schema as text, one line per attribute or block, nested by indent.
pub fn schema_text(schema: &Schema) -> String {
    let mut out = format!("schema version {}\n", schema.version);
    block_text(&mut out, &schema.block, 0);
    out
}

fn block_text(out: &mut String, block: &Block, depth: usize) {
    let pad = "  ".repeat(depth);
    let _ = writeln!(
        out,
        "{pad}block version {} deprecated {} description {:?} {:?}",
        block.version, block.deprecated, block.description.kind, block.description.content
    );
    let mut attrs: Vec<(&String, &Attribute)> = block.attributes.iter().collect();
    attrs.sort_by(|a, b| a.0.cmp(b.0));
    for (name, a) in attrs {
        let _ = writeln!(
            out,
            "{pad}  attribute {name}: {:?} {:?} sensitive {} deprecated {} description {:?} {:?}",
            a.attr_type,
            a.constraint,
            a.sensitive,
            a.deprecated,
            a.description.kind,
            a.description.content
        );
    }
    let mut blocks: Vec<(&String, &NestedBlock)> = block.blocks.iter().collect();
    blocks.sort_by(|a, b| a.0.cmp(b.0));
    for (name, nested) in blocks {
        let (nesting, inner) = match nested {
            NestedBlock::Single(b) => ("single", b),
            NestedBlock::List(b) => ("list", b),
            NestedBlock::Set(b) => ("set", b),
            NestedBlock::Map(b) => ("map", b),
            NestedBlock::Group(b) => ("group", b),
            NestedBlock::Optional(b) => ("optional", b),
        };
        let _ = writeln!(out, "{pad}  nested {nesting} {name}:");
        block_text(out, inner, depth + 2);
    }
}
