//! Registry-layout documentation (`docs/index.md`, `docs/resources/*.md`,
//! `docs/data-sources/*.md`, `docs/list-resources/*.md`, `docs/actions/*.md`),
//! generated from the provider's own schema and the files in `examples/`,
//! the way `tfplugindocs` lays them out. `make docs` writes them; a test
//! fails when the committed pages differ from what the schema generates.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use tf_provider::schema::{
    Attribute, AttributeConstraint, AttributeType, Block, NestedBlock, Schema,
};

use crate::api::object::{ObjectKind, OBJECTS};
use crate::plugin::write_only::SchemaPath;
use crate::plugin::Plugin;
use crate::provider::{self, config, object, ProviderHandle, PROVIDER_NAME};

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
    for kind in OBJECTS {
        pages.push(object_page(root, kind)?);
    }
    for (name, schema) in data_source_schemas() {
        pages.push(data_source_page(root, &name, &schema)?);
    }
    for (name, schema) in action_schemas() {
        pages.push(action_page(root, &name, &schema)?);
    }
    for (name, schema) in list_resource_schemas() {
        pages.push(list_resource_page(root, &name, &schema)?);
    }
    Ok(pages)
}

/// The section every resource page has on where its objects live.
const ON_ITS_SERVER: &str = "## Each object stays on its server\n\nThe state records the server each object was created, imported or last found on (the provider's `endpoint`). If a refresh finds the object missing and the provider now points at another server, the plan fails naming both servers instead of dropping the object from the state: fix `endpoint`, or, if the object really is gone, `terraform state rm` it. The same server reached under another name keeps working (its objects are found, and the new name is recorded).\n\n";

/// The page of a table-described resource: description, example, schema
/// and import, from `examples/resources/jetbackup_<name>/`.
fn object_page(root: &Path, kind: &ObjectKind) -> Result<Page, String> {
    let schema = object::schema::schema(kind);
    let full = format!("{PROVIDER_NAME}_{}", kind.name);
    let dir = format!("examples/resources/{full}");
    let example = read_example(root, &format!("{dir}/resource.tf"))?;
    let import = read_example(root, &format!("{dir}/import.sh"))?;
    let import_block = read_example(root, &format!("{dir}/import-by-string-id.tf"))?;
    let import_identity = read_example(root, &format!("{dir}/import-by-identity.tf"))?;
    let chosen = if kind.blocks.is_empty() {
        format!("the chosen `{}`", kind.discriminator)
    } else {
        "the block written".to_string()
    };
    let mut page = String::new();
    front_matter(
        &mut page,
        &format!("{full} Resource - terraform-provider-jetbackup"),
        &schema.block.description.content,
    );
    let _ = write!(
        page,
        "# {full} (Resource)\n\n{}\n\nAfter `apply`, the {title}'s state is what the server returned, so a change made in the panel shows as drift in the next plan; a {title} deleted in the panel is planned for creation again. Only the settings of {chosen} are allowed (any other fails at plan, naming both), and sets never cause a diff over the order the server returns them in.\n\n## Names are unique unless you say otherwise\n\nA create is refused when the server already has a {title} with the same `name` that no resource of the run manages: most often one an interrupted apply created before Terraform could record it, or a configuration pointed at another server than the one it was applied to. Nothing is created; the error gives the {title}'s ID and the `terraform import` / `import {{}}` that adopts it. A {title} that differs in a setting that forces replacement does not count (it is the old half of a `create_before_destroy` replacement). To let {title}s share a name, set `allow_duplicate_names = true` in the provider (`JETBACKUP_ALLOW_DUPLICATE_NAMES`).\n\n{server}## Example Usage\n\n```terraform\n{example}```\n\n",
        schema.block.description.content,
        title = kind.title,
        server = ON_ITS_SERVER,
    );
    schema_section_with(
        &mut page,
        &schema.block,
        &object::write_only::schema_paths(kind),
    );
    let _ = write!(
        page,
        "## Import\n\nImport is supported using the following syntax:\n\n```shell\n{import}```\n\nOr, with Terraform 1.5 and later, an `import` block:\n\n```terraform\n{import_block}```\n\n`terraform plan -generate-config-out=generated.tf` then writes the configuration as JetBackup holds it; the next plan shows no changes.\n\n{}",
        identity_import(&import_identity, kind.name)
    );
    if !kind.notes.is_empty() {
        page.push('\n');
        page.push_str(kind.notes);
    }
    Ok(Page {
        path: format!("docs/resources/{}.md", kind.name),
        content: page,
    })
}

/// Every data source's schema, by its name after `jetbackup_`, sorted.
pub fn data_source_schemas() -> Vec<(String, Schema)> {
    let mut diags = tf_provider::Diagnostics::default();
    let mut all: Vec<(String, Schema)> = provider::data_sources(&ProviderHandle::default())
        .into_iter()
        .filter_map(|(name, ds)| ds.schema(&mut diags).map(|s| (name, s)))
        .collect();
    all.sort_by(|a, b| a.0.cmp(&b.0));
    all
}

fn data_source_page(root: &Path, name: &str, schema: &Schema) -> Result<Page, String> {
    let full = format!("{PROVIDER_NAME}_{name}");
    let example = read_example(
        root,
        &format!("examples/data-sources/{full}/data-source.tf"),
    )?;
    let mut page = String::new();
    front_matter(
        &mut page,
        &format!("{full} Data Source - terraform-provider-jetbackup"),
        &schema.block.description.content,
    );
    let _ = write!(
        page,
        "# {full} (Data Source)\n\n{}\n\n## Example Usage\n\n```terraform\n{example}```\n\n",
        schema.block.description.content
    );
    schema_section(&mut page, &schema.block);
    Ok(Page {
        path: format!("docs/data-sources/{name}.md"),
        content: page,
    })
}

/// Every action's schema, by its name after `jetbackup_`, sorted.
pub fn action_schemas() -> Vec<(String, Schema)> {
    let mut diags = tf_provider::Diagnostics::default();
    let provider = provider::JetBackupProvider::default();
    let mut all: Vec<(String, Schema)> = Plugin::actions(&provider)
        .into_iter()
        .filter_map(|(name, action)| action.schema(&mut diags).map(|s| (name, s)))
        .collect();
    all.sort_by(|a, b| a.0.cmp(&b.0));
    all
}

/// What every action page says about invoking it, and its state.
const INVOKING: &str = "## Invoking

Actions need Terraform 1.14 or later. An action runs only when invoked: with `terraform apply -invoke=action.TYPE.NAME` (also `terraform plan -invoke=…` to see what would run), or from a resource's `lifecycle { action_trigger { events = [after_create, after_update] actions = [action.TYPE.NAME] } }`, which runs it right after that resource is created or changed, never when a plan has nothing to change. Its `config` is checked at validate and plan, before anything is sent (a value known only after apply, such as the ID of a job created in the same run, is checked when the action is invoked); what the server answers is printed while the action runs, and a refusal fails the apply with JetBackup's message and the URL it was sent to. An action keeps no state: nothing of it is in `terraform.tfstate`, and it never causes a diff.\n\n";

/// The page of an action: description, example, invoking, schema, from
/// `examples/actions/jetbackup_<name>/action.tf`.
fn action_page(root: &Path, name: &str, schema: &Schema) -> Result<Page, String> {
    let full = format!("{PROVIDER_NAME}_{name}");
    let example = read_example(root, &format!("examples/actions/{full}/action.tf"))?;
    let mut page = String::new();
    front_matter(
        &mut page,
        &format!("{full} Action - terraform-provider-jetbackup"),
        &schema.block.description.content,
    );
    let _ = write!(
        page,
        "# {full} (Action)\n\n{}\n\n## Example Usage\n\n```terraform\n{example}```\n\n{INVOKING}",
        schema.block.description.content
    );
    schema_section(&mut page, &schema.block);
    if name == "run_backup_job" {
        page.push_str(RUN_BACKUP_JOB_NOTES);
    }
    Ok(Page {
        path: format!("docs/actions/{name}.md"),
        content: page,
    })
}

/// What JetBackup answers to `runBackupJobManually`, and what follows a run.
const RUN_BACKUP_JOB_NOTES: &str = "## What JetBackup answers\n\n| answer | the action | what to do |\n|---|---|---|\n| queued | succeeds, printing JetBackup's message and the run's `last_run` | nothing; the job's hooks and conditions may still abort the run, which JetBackup records in its alerts |\n| the job is disabled | fails: sent and refused, nothing queued | enable the job (`disabled = false`), then invoke again |\n| the job is already running | fails: sent and refused, nothing queued | wait for the run to finish, then invoke again |\n| no job has this ID | fails: sent and refused | check `backup_job_id`, and that the provider's `endpoint` is the job's server |\n| no reply (timeout, connection lost) | fails: sent, reply lost; never sent again | check the job's `last_run` before invoking again: the run may have been queued |\n\nThe reason of a refusal is read from the job itself (`getBackupJob`: its `disabled` and `running` flags), as JetBackup's refusal texts are not documented. A run moves the job's `last_run`, which `jetbackup_backup_job` reads as a computed attribute: the next refresh records it without a planned change.\n";

/// The Import section's part on the resource identity (Terraform 1.12+).
fn identity_import(example: &str, name: &str) -> String {
    format!(
        "### Import by identity\n\nWith Terraform 1.12 and later the resource has an identity, its `id` (required to import), stored beside its state and returned by every create, read, update and import. An `import` block can name the object by it:\n\n```terraform\n{example}```\n\nThis is what `terraform query -generate-config-out` writes for every object the [`{PROVIDER_NAME}_{name}` list resource](../list-resources/{name}.md) finds. Terraform 1.11 and earlier ignore the identity; import by ID works on every version.\n"
    )
}

/// Every list resource's schema (its `config` arguments), by its name
/// after `jetbackup_`, sorted.
pub fn list_resource_schemas() -> Vec<(String, Schema)> {
    let mut diags = tf_provider::Diagnostics::default();
    let mut all: Vec<(String, Schema)> =
        provider::list_resource::list_resources(&ProviderHandle::default())
            .into_iter()
            .filter_map(|(name, l)| l.schema(&mut diags).map(|s| (name, s)))
            .collect();
    all.sort_by(|a, b| a.0.cmp(&b.0));
    all
}

fn list_resource_page(root: &Path, name: &str, schema: &Schema) -> Result<Page, String> {
    let full = format!("{PROVIDER_NAME}_{name}");
    let example = read_example(
        root,
        &format!("examples/list-resources/{full}/list-resource.tfquery.hcl"),
    )?;
    let mut page = String::new();
    front_matter(
        &mut page,
        &format!("{full} List Resource - terraform-provider-jetbackup"),
        &schema.block.description.content,
    );
    let _ = write!(
        page,
        "# {full} (List Resource)\n\n{}\n\nList resources need Terraform 1.14 or later. Write `list` blocks in a `.tfquery.hcl` file beside the configuration and run `terraform query`; `terraform validate -query` checks them, and a bad `type` or `name_regex` fails there, naming the argument, before anything is sent to the server.\n\n## Example Usage\n\n```terraform\n{example}```\n\n",
        schema.block.description.content
    );
    let _ = write!(
        page,
        "## Results\n\nOne result per object, in the order the server lists them: its identity (`id`, as the [`{full}` resource](../resources/{name}.md) imports it) and its JetBackup name as the display name. With `include_resource = true`, or with `terraform query -generate-config-out=FILE`, each result also carries the object's settings exactly as an import reads them, and the generated file holds a `resource` block and an `import` block (by identity) for each, so that `terraform apply` imports them and the next plan is empty. A secret JetBackup never returns is written as `null # sensitive`: left null, it is left out of every call and the object keeps the one JetBackup holds; written (from a sensitive variable, or in its write-only form), the next apply sends it once. `limit` (Terraform's, 100 by default) caps the results of a `list` block. If the server cannot be reached or refuses the call, the query fails with what happened and the URL.\n\n"
    );
    let mut config = schema.block.clone();
    config.description.content = String::new();
    let _ = write!(page, "## Configuration (`config` block)\n\nEvery argument is optional; without any, every object is listed.\n\n");
    let mut section = String::new();
    schema_section(&mut section, &config);
    page.push_str(section.trim_start_matches("## Schema\n\n"));
    Ok(Page {
        path: format!("docs/list-resources/{name}.md"),
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
        AttributeType::Object(_) => "Object".into(),
        _ => "Dynamic".into(),
    }
}

fn sorted<T>(map: &HashMap<String, T>) -> Vec<(&String, &T)> {
    let mut v: Vec<_> = map.iter().collect();
    v.sort_by(|a, b| a.0.cmp(b.0));
    v
}

fn attribute_line(out: &mut String, name: &str, a: &Attribute, write_only: bool) {
    let sensitive = if a.sensitive { ", Sensitive" } else { "" };
    let write_only = if write_only { ", Write-only" } else { "" };
    let _ = writeln!(
        out,
        "- `{name}` ({}{sensitive}{write_only}) {}",
        type_name(&a.attr_type),
        a.description.content
    );
}

/// The note before a list that holds write-only arguments.
const WRITE_ONLY_NOTE: &str = "> **NOTE**: Write-only arguments (never stored in a plan or in the state) are supported in Terraform 1.11 and later. See [moving a destination to write-only secrets](../guides/write-only-secrets.md).\n\n";

/// `### Required` / `### Optional` / `### Read-Only` and nested block schemas.
fn schema_section(out: &mut String, block: &Block) {
    schema_section_with(out, block, &[]);
}

/// [`schema_section`], with the write-only attributes (schema paths) marked.
fn schema_section_with(out: &mut String, block: &Block, write_only: &[SchemaPath]) {
    let is_write_only = |path: &[&str]| {
        write_only
            .iter()
            .any(|p| p.iter().map(String::as_str).eq(path.iter().copied()))
    };
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
        let mut any_write_only = false;
        for (name, a) in sorted(&block.attributes) {
            if group(&a.constraint) == title {
                let wo = is_write_only(&[name]);
                any_write_only |= wo;
                attribute_line(&mut lines, name, a, wo);
            }
        }
        if any_write_only {
            lines.insert_str(0, WRITE_ONLY_NOTE);
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
            let mut any_write_only = false;
            for (attr_name, a) in sorted(&inner.attributes) {
                if group(&a.constraint) == title {
                    let wo = is_write_only(&[name.as_str(), attr_name.as_str()]);
                    any_write_only |= wo;
                    attribute_line(&mut lines, attr_name, a, wo);
                }
            }
            if any_write_only {
                lines.insert_str(0, WRITE_ONLY_NOTE);
            }
            if !lines.is_empty() {
                let _ = write!(out, "{title}:\n\n{lines}\n");
            }
        }
    }
}

/// The resource schema, exposed for tests that compare docs and schema.
pub fn resource_schema() -> Schema {
    object::schema::schema(&crate::api::object::backup_job::BACKUP_JOB)
}
