//! The committed registry docs are exactly what the provider's schema and
//! examples generate: run `make docs` after changing either.

use std::path::Path;

#[test]
fn committed_docs_match_the_schema() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let pages = jetbackup::docs::pages(root).expect("docs generate");
    assert!(!pages.is_empty());
    for page in pages {
        let committed = std::fs::read_to_string(root.join(&page.path)).unwrap_or_default();
        assert!(
            committed == page.content,
            "{} is out of date with the schema or examples: run `make docs` and commit the result",
            page.path
        );
    }
}

/// The committed page (what the registry shows), not the generator's output,
/// documents every attribute and says for each optional one what removing it
/// from the configuration does.
#[test]
fn every_schema_attribute_is_documented() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let page = std::fs::read_to_string(root.join("docs/resources/backup_job.md"))
        .expect("docs/resources/backup_job.md is committed");
    let schema = jetbackup::docs::resource_schema();
    for name in schema
        .block
        .attributes
        .keys()
        .chain(schema.block.blocks.keys())
    {
        let line = page
            .lines()
            .find(|l| l.starts_with(&format!("- `{name}`")))
            .unwrap_or_else(|| panic!("{name} undocumented"));
        let optional = page
            .split("### Optional")
            .nth(1)
            .and_then(|rest| rest.split("### Read-Only").next())
            .is_some_and(|section| section.contains(line));
        if optional {
            assert!(
                line.contains("emoving"),
                "{name}: what does removing it do?\n{line}"
            );
        }
    }
    assert!(page.contains("## Import"));
}

#[test]
fn every_data_source_has_a_page_documenting_every_attribute() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let pages = jetbackup::docs::pages(root).expect("docs generate");
    let schemas = jetbackup::docs::data_source_schemas();
    assert!(schemas.len() >= 4, "data sources missing");
    for (name, schema) in schemas {
        let path = format!("docs/data-sources/{name}.md");
        let page = pages
            .iter()
            .find(|p| p.path == path)
            .unwrap_or_else(|| panic!("{path} is not generated"));
        assert!(page.content.contains("## Example Usage"), "{path}");
        for attr in schema.block.attributes.keys() {
            assert!(
                page.content.contains(&format!("- `{attr}`")),
                "{path}: {attr} undocumented"
            );
        }
    }
}

#[test]
fn every_table_described_resource_has_a_page_with_every_attribute() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let pages = jetbackup::docs::pages(root).expect("docs generate");
    for kind in jetbackup::api::object::OBJECTS {
        let path = format!("docs/resources/{}.md", kind.name);
        let page = pages
            .iter()
            .find(|p| p.path == path)
            .unwrap_or_else(|| panic!("{path} is not generated"));
        let schema = jetbackup::provider::object::schema::schema(kind);
        for name in schema.block.attributes.keys() {
            assert!(
                page.content.contains(&format!("- `{name}`")),
                "{name} undocumented in {path}"
            );
        }
    }
}

/// Every list resource has its registry page (`docs/list-resources/`) with
/// its example and every `config` argument, and every resource page says
/// how to import by identity.
#[test]
fn every_list_resource_has_a_page_and_every_resource_an_identity_import() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let pages = jetbackup::docs::pages(root).expect("docs generate");
    let lists = jetbackup::docs::list_resource_schemas();
    assert!(lists.len() >= 6, "list resources missing: {}", lists.len());
    for (name, schema) in &lists {
        let path = format!("docs/list-resources/{name}.md");
        let page = pages
            .iter()
            .find(|p| p.path == path)
            .unwrap_or_else(|| panic!("{path} is not generated"));
        assert!(
            page.content
                .contains(&format!("list \"jetbackup_{name}\" \"all\"")),
            "{path} has no example"
        );
        for arg in schema.block.attributes.keys() {
            assert!(
                page.content.contains(&format!("- `{arg}`")),
                "{path}: {arg}"
            );
        }
        let resource = std::fs::read_to_string(root.join(format!("docs/resources/{name}.md")))
            .expect("resource page");
        assert!(
            resource.contains("### Import by identity") && resource.contains("identity = {"),
            "docs/resources/{name}.md does not document the import by identity"
        );
    }
}
