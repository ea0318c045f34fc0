//! Registry-layout documentation (`docs/index.md`, `docs/resources/*.md`,
//! one page per resource),
//! generated from the provider's own schema and the files in `examples/`,
//! the way `tfplugindocs` lays them out. `make docs` writes them; a test
//! fails when the committed pages differ from what the schema generates.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use tf_provider::schema::{
    Attribute, AttributeConstraint, AttributeType, Block, NestedBlock, Schema,
};

use crate::api::object::OBJECTS;
use crate::provider::{backup_job_schema, config, object, PROVIDER_NAME};

/// A generated page: path relative to the repository root, and content.
pub struct Page {
    pub path: String,
    pub content: String,
}

fn read_example(root: &Path, rel: &str) -> Result<String, String> {
    std::fs::read_to_string(root.join(rel)).map_err(|e| format!("cannot read {rel}: {e}"))
}

/// Every page, from the schema and the examples under `root`.
pub fn pages(root: &Path) -> Result<Vec<Page>, String> {
    let provider_example = read_example(root, "examples/provider/provider.tf")?;
    let mut index = String::new();
    let provider_schema = config::schema();
    front_matter(
        &mut index,
        "JetBackup Provider",
        &provider_schema.block.description.content,
    );
    let _ = write!(
        index,
        "# JetBackup Provider\n\n{}\n\nIt manages JetBackup 5 backup jobs, schedules and account filters on cPanel/WHM, DirectAdmin and panel-less Linux servers, so that a backup policy can be reviewed, versioned and reproduced across servers with `terraform plan` and `apply`.\n\n## Example Usage\n\n```terraform\n{}```\n\n## Authentication\n\n| panel | API entry point | token |\n|---|---|---|\n| `cpanel` | `https://HOST:2087/cgi/addons/jetbackup5/api.cgi` | WHM API token with the privilege \"Third Party Services > Additional Software > JetBackup\" (a cPanel user token gets HTTP 403) |\n| `directadmin` | `https://HOST:2222/CMD_PLUGINS_ADMIN/jetbackup5/index.raw?api=1` | DirectAdmin Login Key |\n| `linux` | `https://HOST:3035/?api=1` | JetBackup token (`manageToken`), bound to the caller's IP |\n\nThe token travels only in the `Authorization` header and parameters in the POST body, so neither reaches web server access logs. The token is marked sensitive; set it through `JETBACKUP_API_TOKEN` to keep it out of files.\n\n",
        provider_schema.block.description.content,
        provider_example
    );
    schema_section(&mut index, &provider_schema.block);

    let mut pages = vec![Page {
        path: "docs/index.md".into(),
        content: index,
    }];
    pages.push(resource_page(
        root,
        "backup_job",
        &backup_job_schema::schema(),
        "After `apply`, the job's state is what the server returned, so a change made in the panel shows as drift in the next plan; a job deleted in the panel is planned for creation again. Lists are sets: the order the server returns them in never causes a diff.\n\n## Names are unique unless you say otherwise\n\nA create is refused when the server already has a job with the same `name` that no resource of the run manages, most often one an interrupted apply created before Terraform could record it (a killed CI runner). Nothing is created; the error gives the job's ID and the `terraform import` / `import {}` that adopts it. The check uses the job list the provider reads anyway (one `listBackupJobs` per run). To let jobs share a name, set `allow_duplicate_names = true` in the provider (`JETBACKUP_ALLOW_DUPLICATE_NAMES`).",
    )?);
    for kind in OBJECTS {
        let chosen = if kind.blocks.is_empty() {
            format!("the chosen `{}`", kind.discriminator)
        } else {
            "the block written".to_string()
        };
        let mut page = resource_page(
            root,
            kind.name,
            &object::schema::schema(kind),
            &format!("After `apply`, the {0}'s state is what the server returned, so a change made in the panel shows as drift in the next plan; a {0} deleted in the panel is planned for creation again. Only the settings of {chosen} are allowed (any other fails at plan, naming both), and sets never cause a diff over the order the server returns them in.", kind.title),
        )?;
        if !kind.notes.is_empty() {
            page.content.push('\n');
            page.content.push_str(kind.notes);
        }
        pages.push(page);
    }
    Ok(pages)
}

/// A resource's page: description, example, schema and import, from
/// `examples/resources/jetbackup_<name>/`.
fn resource_page(
    root: &Path,
    name: &str,
    schema: &Schema,
    behaviour: &str,
) -> Result<Page, String> {
    let full = format!("{PROVIDER_NAME}_{name}");
    let dir = format!("examples/resources/{full}");
    let example = read_example(root, &format!("{dir}/resource.tf"))?;
    let import = read_example(root, &format!("{dir}/import.sh"))?;
    let import_block = read_example(root, &format!("{dir}/import-by-string-id.tf"))?;
    let mut page = String::new();
    front_matter(
        &mut page,
        &format!("{full} Resource - terraform-provider-jetbackup"),
        &schema.block.description.content,
    );
    let _ = write!(
        page,
        "# {full} (Resource)\n\n{}\n\n{behaviour}\n\n## Example Usage\n\n```terraform\n{example}```\n\n",
        schema.block.description.content,
    );
    schema_section(&mut page, &schema.block);
    let _ = write!(
        page,
        "## Import\n\nImport is supported using the following syntax:\n\n```shell\n{import}```\n\nOr, with Terraform 1.5 and later, an `import` block:\n\n```terraform\n{import_block}```\n\n`terraform plan -generate-config-out=generated.tf` then writes the configuration as JetBackup holds it; the next plan shows no changes.\n"
    );
    Ok(Page {
        path: format!("docs/resources/{name}.md"),
        content: page,
    })
}

fn front_matter(out: &mut String, title: &str, description: &str) {
    let _ = write!(
        out,
        "---\npage_title: \"{title}\"\nsubcategory: \"\"\ndescription: |-\n  {}\n---\n\n",
        description.replace('\n', "\n  ")
    );
}

fn type_name(t: &AttributeType) -> String {
    match t {
        AttributeType::String => "String".into(),
        AttributeType::Number => "Number".into(),
        AttributeType::Bool => "Boolean".into(),
        AttributeType::List(inner) => format!("List of {}", type_name(inner)),
        AttributeType::Set(inner) => format!("Set of {}", type_name(inner)),
        AttributeType::Map(inner) => format!("Map of {}", type_name(inner)),
        _ => "Dynamic".into(),
    }
}

fn sorted<T>(map: &HashMap<String, T>) -> Vec<(&String, &T)> {
    let mut v: Vec<_> = map.iter().collect();
    v.sort_by(|a, b| a.0.cmp(b.0));
    v
}

fn attribute_line(out: &mut String, name: &str, a: &Attribute) {
    let sensitive = if a.sensitive { ", Sensitive" } else { "" };
    let _ = writeln!(
        out,
        "- `{name}` ({}{sensitive}) {}",
        type_name(&a.attr_type),
        a.description.content
    );
}

/// `### Required` / `### Optional` / `### Read-Only` and nested block schemas.
fn schema_section(out: &mut String, block: &Block) {
    out.push_str("## Schema\n\n");
    fn group(c: &AttributeConstraint) -> &'static str {
        match c {
            AttributeConstraint::Required => "Required",
            AttributeConstraint::Optional | AttributeConstraint::OptionalComputed => "Optional",
            AttributeConstraint::Computed => "Read-Only",
        }
    }
    let mut nested = Vec::new();
    for title in ["Required", "Optional", "Read-Only"] {
        let mut lines = String::new();
        for (name, a) in sorted(&block.attributes) {
            if group(&a.constraint) == title {
                attribute_line(&mut lines, name, a);
            }
        }
        if title == "Optional" {
            for (name, b) in sorted(&block.blocks) {
                let (kind, inner) = match b {
                    NestedBlock::Set(inner) => ("Block Set", inner),
                    NestedBlock::Optional(inner) => ("Block List, Max: 1", inner),
                    NestedBlock::List(inner)
                    | NestedBlock::Single(inner)
                    | NestedBlock::Group(inner)
                    | NestedBlock::Map(inner) => ("Block", inner),
                };
                let _ = writeln!(
                    lines,
                    "- `{name}` ({kind}) {} (see [below for nested schema](#nestedblock--{name}))",
                    inner.description.content
                );
                nested.push((name.clone(), inner.clone()));
            }
        }
        if !lines.is_empty() {
            let _ = write!(out, "### {title}\n\n{lines}\n");
        }
    }
    for (name, inner) in nested {
        let _ = write!(
            out,
            "<a id=\"nestedblock--{name}\"></a>\n### Nested Schema for `{name}`\n\n"
        );
        for title in ["Required", "Optional", "Read-Only"] {
            let mut lines = String::new();
            for (attr_name, a) in sorted(&inner.attributes) {
                if group(&a.constraint) == title {
                    attribute_line(&mut lines, attr_name, a);
                }
            }
            if !lines.is_empty() {
                let _ = write!(out, "{title}:\n\n{lines}\n");
            }
        }
    }
}

/// The resource schema, exposed for tests that compare docs and schema.
pub fn resource_schema() -> Schema {
    backup_job_schema::schema()
}
