//! The `jetbackup_backup_job` resource: plan, create, read, update, delete
//! and import, as thin calls into the API client.

use crate::api::table::Role;
use async_trait::async_trait;
use tf_provider::schema::Schema;
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{AttributePath, Diagnostics, Resource};

use super::backup_job_model::{default_contains, str_set, Cell, JobState};
use super::backup_job_schema::schema;
use super::backup_job_validate::{attribute_for_message, validate};
use super::data_source::malformed_id_detail;
use super::lifecycle;
use super::location::{self, Private};
use super::ProviderHandle;
use crate::api::job::{BackupJob, Param, Shape, JOB_PARAMS};
use crate::api::{ApiError, Client};

pub struct BackupJobResource {
    provider: ProviderHandle,
}

impl BackupJobResource {
    pub fn new(provider: ProviderHandle) -> Self {
        BackupJobResource { provider }
    }

    /// The configured client and the job's ID from a state; errors go to `diags`.
    fn client_and_id(&self, diags: &mut Diagnostics, state: &JobState) -> Option<(Client, String)> {
        let id = state.id.as_ref_option().cloned();
        lifecycle::client_and_id(&self.provider, diags, "backup job", id)
    }
}

/// Reports an API failure: the server's message verbatim (it is in the
/// error's text together with the function), on the attribute it names.
pub fn api_error(diags: &mut Diagnostics, summary: &str, err: &ApiError) {
    let path = err
        .server_message()
        .map_or_else(AttributePath::root, attribute_for_message);
    diags.error(summary.to_string(), err.to_string(), path);
}

/// Values Terraform plans for attributes the configuration leaves unset:
/// a table default, and for the `contains` bitmask the type's full value,
/// which the provider sends when it is unset.
fn apply_defaults(planned: &mut JobState, config: &JobState) {
    let job_type = planned.job_type();
    for ((def, cell), (_, configured)) in planned.cells_mut().zip(config.cells()) {
        if !configured.is_null() {
            continue;
        }
        let default = match (def.role, def.shape) {
            (Role::Defaulted(fixed), _) => Cell::fixed(def.shape, fixed),
            (Role::ServerDefault(_), Shape::Bitmask) => Some(match job_type {
                Some(t) => Cell::Bitmask(str_set(default_contains(t))),
                None => Cell::Bitmask(Value::Unknown),
            }),
            (
                Role::Required | Role::Optional | Role::ServerDefault(_) | Role::ReadOnly { .. },
                _,
            ) => None,
        };
        if let Some(d) = default {
            *cell = d;
        }
    }
    planned.empty_blocks_not_null();
}

#[async_trait]
impl Resource for BackupJobResource {
    type State<'a> = JobState;
    type PrivateState<'a> = Private;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(schema())
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: Self::State<'a>) -> Option<()> {
        validate(diags, &config);
        Some(())
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        state: Self::State<'a>,
        private_state: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let Some((client, id)) = self.client_and_id(diags, &state) else {
            return Some((state, private_state));
        };
        let read = self.provider.read_job(&client, &id).await;
        let read = read.map(|job| JobState::from_job(&job, &state));
        lifecycle::refreshed(
            &self.provider,
            diags,
            "backup job",
            &id,
            state,
            private_state,
            read,
            |diags, e| api_error(diags, "Cannot read the backup job", e),
        )
    }

    async fn plan_create<'a>(
        &self,
        _diags: &mut Diagnostics,
        proposed_state: Self::State<'a>,
        config_state: Self::State<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        Some((plan_new(proposed_state, &config_state), None))
    }

    async fn plan_update<'a>(
        &self,
        _diags: &mut Diagnostics,
        prior_state: Self::State<'a>,
        proposed_state: Self::State<'a>,
        config_state: Self::State<'a>,
        prior_private_state: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>, Vec<AttributePath>)> {
        let (planned, replace) = plan_change(&prior_state, proposed_state, &config_state);
        Some((planned, prior_private_state, replace))
    }

    async fn plan_destroy<'a>(
        &self,
        _diags: &mut Diagnostics,
        _prior_state: Self::State<'a>,
        prior_private_state: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<Self::PrivateState<'a>> {
        Some(prior_private_state)
    }

    async fn create<'a>(
        &self,
        diags: &mut Diagnostics,
        planned_state: Self::State<'a>,
        _config_state: Self::State<'a>,
        _planned_private_state: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let client = self.provider.client(diags)?;
        let spec = planned_state.to_spec();
        let name = spec.name().to_string();
        match self.provider.unmanaged_job_named(&client, &name).await {
            Ok(None) => {}
            Ok(Some(existing)) => {
                diags.error(
                    "A backup job with this name already exists",
                    already_exists(&existing),
                    AttributePath::new("name"),
                );
                return None;
            }
            Err(e) => {
                api_error(
                    diags,
                    "Cannot check for a backup job with the same name; nothing was created",
                    &e,
                );
                return None;
            }
        }
        let here = location::at(self.provider.server());
        let created = match client.create_backup_job(&spec).await {
            Ok(job) => job,
            Err(e) => {
                api_error(diags, "Cannot create the backup job", &e);
                return None;
            }
        };
        self.provider.invalidate_reads();
        if created.id.is_empty() {
            diags.root_error(
                "The backup job was created without an ID",
                "manageBackupJob reported success but returned no _id; the job may exist on the server. Import it by ID once found.",
            );
            return None;
        }
        let job = if !created.is_complete() {
            match client.get_backup_job(&created.id).await {
                Ok(job) => job,
                Err(e) => {
                    // The job exists: record it (Terraform marks it tainted)
                    // rather than lose track of it.
                    api_error(
                        diags,
                        "The backup job was created but could not be read back",
                        &e,
                    );
                    return Some((recorded_after_failure(planned_state, &created.id), here));
                }
            }
        } else {
            created
        };
        Some((JobState::from_job(&job, &planned_state), here))
    }

    async fn update<'a>(
        &self,
        diags: &mut Diagnostics,
        prior_state: Self::State<'a>,
        planned_state: Self::State<'a>,
        _config_state: Self::State<'a>,
        planned_private_state: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let Some((client, id)) = self.client_and_id(diags, &prior_state) else {
            return Some((prior_state, planned_private_state));
        };
        let spec = planned_state.diff_spec(&prior_state);
        let result = if spec.is_empty() {
            client.get_backup_job(&id).await
        } else {
            let r = client.modify_backup_job(&id, &spec).await;
            self.provider.invalidate_reads();
            r
        };
        let result = result
            .map(|job| keep_planned_runs(JobState::from_job(&job, &planned_state), &planned_state));
        lifecycle::updated(
            &self.provider,
            diags,
            result,
            prior_state,
            planned_private_state,
            |diags, e| api_error(diags, "Cannot update the backup job", e),
        )
    }

    async fn destroy<'a>(
        &self,
        diags: &mut Diagnostics,
        prior_state: Self::State<'a>,
        _planned_private_state: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<()> {
        let client = self.provider.client(diags)?;
        let id = prior_state.id.as_ref_option()?.clone();
        let result = client.delete_backup_job(&id).await;
        lifecycle::deleted(&self.provider, diags, result, |diags, e| {
            api_error(diags, "Cannot delete the backup job", e)
        })
    }

    async fn import<'a>(
        &self,
        diags: &mut Diagnostics,
        id: String,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let id = lifecycle::import_id(diags, id, |id| malformed_id_detail("backup job", id))?;
        let mut state = JobState::default();
        state.id = Value::Value(id);
        state.empty_blocks_not_null();
        Some((state, location::at(self.provider.server())))
    }
}

/// The refusal to create a second job with the name of one the server has
/// and this run does not manage, with the ways out.
fn already_exists(existing: &BackupJob) -> String {
    let id = &existing.id;
    format!(
        "JetBackup already has a backup job named {name:?} (ID {id}) that this Terraform state does not manage; nothing was created. \
It is most likely the job an interrupted apply created before Terraform could record it. \
To adopt it, import it into the resource this error is reported for, whose address is on the error's `with` line \
(written jetbackup_backup_job.NAME here): `terraform import jetbackup_backup_job.NAME {id}`, or add \
`import {{ to = jetbackup_backup_job.NAME  id = \"{id}\" }}` to the configuration, then apply again. \
If it is another job, rename one of them, or set allow_duplicate_names = true (JETBACKUP_ALLOW_DUPLICATE_NAMES) in the provider to allow jobs that share a name.",
        name = crate::api::quote::cut(existing.name.as_str())
    )
}

/// The plan for a new job: defaults as known values, what the server
/// decides unknown.
pub fn plan_new(proposed: JobState, config: &JobState) -> JobState {
    let mut planned = proposed;
    apply_defaults(&mut planned, config);
    planned.id = Value::Unknown;
    planned.next_run = Value::Unknown;
    planned.last_run = Value::Unknown;
    for (def, cell) in planned.cells_mut() {
        match def.role {
            Role::ReadOnly { .. } => cell.set_unknown(),
            Role::ServerDefault(_) if cell.is_null() => cell.set_unknown(),
            Role::Required | Role::Optional | Role::Defaulted(_) | Role::ServerDefault(_) => {}
        }
    }
    planned
}

/// The plan for a change to an existing job, and the attributes that force
/// its replacement.
pub fn plan_change(
    prior: &JobState,
    proposed: JobState,
    config: &JobState,
) -> (JobState, Vec<AttributePath>) {
    let mut planned = proposed;
    apply_defaults(&mut planned, config);
    planned.id = prior.id.clone();
    let replace = planned
        .cells()
        .zip(prior.cells())
        .filter(|((def, want), (_, have))| def.replace && want != have)
        .map(|((def, _), _)| AttributePath::new(def.wire))
        .collect();
    // What the server derives moves only with what it is derived from:
    // `last_run` with a run (never an update), `next_run` with the time,
    // the schedules or `disabled`, a read-only row with the rows its
    // `moves_with` names (`owner_name` with `owner`).
    planned.last_run = prior.last_run.clone();
    let moved = |params: &[Param]| params.iter().any(|p| planned.cell(*p) != prior.cell(*p));
    let run_moved = moved(&[Param::Time, Param::Schedules, Param::Disabled]);
    let derived: Vec<(Param, Cell)> = JOB_PARAMS
        .iter()
        .filter_map(|def| {
            let Role::ReadOnly { moves_with } = def.role else {
                return None;
            };
            let follows: Vec<Param> = JOB_PARAMS
                .iter()
                .filter(|d| moves_with.contains(&d.wire))
                .map(|d| d.param)
                .collect();
            let mut cell = prior.cell(def.param).clone();
            if moved(&follows) {
                cell.set_unknown();
            }
            Some((def.param, cell))
        })
        .collect();
    planned.next_run = if run_moved {
        Value::Unknown
    } else {
        prior.next_run.clone()
    };
    for (param, cell) in derived {
        *planned.cell_mut(param) = cell;
    }
    (planned, replace)
}

/// An update's state keeps the `last_run` and `next_run` its plan promised
/// (known: nothing in the update moves them): a run between that plan and
/// the update (`jetbackup_run_backup_job`, the panel, a schedule firing)
/// moves the server's, and the next refresh records it.
fn keep_planned_runs(mut applied: JobState, planned: &JobState) -> JobState {
    for (applied, planned) in [
        (&mut applied.last_run, &planned.last_run),
        (&mut applied.next_run, &planned.next_run),
    ] {
        if !planned.is_unknown() {
            *applied = planned.clone();
        }
    }
    applied
}

/// What is recorded when a job was created but the rest failed: the planned
/// values with the real ID, and nothing unknown left in it.
fn recorded_after_failure(mut planned: JobState, id: &str) -> JobState {
    planned.id = Value::Value(id.to_string());
    for v in [&mut planned.next_run, &mut planned.last_run] {
        if v.is_unknown() {
            *v = Value::Null;
        }
    }
    for (_, cell) in planned.cells_mut() {
        cell.unknown_to_null();
    }
    planned
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A run after the plan moved the server's `last_run` (or a schedule
    /// firing its `next_run`): the update records what the plan promised;
    /// unknown in the plan, it takes the server's.
    #[test]
    fn an_update_keeps_the_planned_runs() {
        let at = |t: Value<String>| {
            let mut s = JobState::default();
            s.last_run = t.clone();
            s.next_run = t;
            s
        };
        let server = at(Value::Value("2026-08-13T16:45:00+00:00".into()));
        let planned = at(Value::Value("2026-08-12T03:50:00+00:00".into()));
        assert_eq!(keep_planned_runs(server.clone(), &planned), planned);
        let unknown = at(Value::Unknown);
        assert_eq!(keep_planned_runs(server.clone(), &unknown), server);
        let never = JobState::default();
        assert_eq!(keep_planned_runs(server, &never), never);
    }

    /// The refusal prints the name as written (not its Rust debug form),
    /// cuts a runaway one, and gives an import command to copy.
    #[test]
    fn the_duplicate_refusal_names_the_job_plainly_and_how_to_import_it() {
        let existing = BackupJob {
            id: "6504c79fd4b57d536c05bbe2".into(),
            name: "Policy - Accounts".into(),
            ..BackupJob::default()
        };
        let text = already_exists(&existing);
        assert!(
            text.contains("named \"Policy - Accounts\" (ID 6504c79fd4b57d536c05bbe2)"),
            "{text}"
        );
        assert!(!text.contains("WireText"), "{text}");
        assert!(
            text.contains("`terraform import jetbackup_backup_job.NAME 6504c79fd4b57d536c05bbe2`"),
            "{text}"
        );
        let huge = BackupJob {
            name: "n".repeat(1 << 20).as_str().into(),
            ..existing
        };
        let text = already_exists(&huge);
        assert!(text.len() < 2000, "{} bytes", text.len());
        assert!(text.contains("1048576 characters in all"), "{text}");
    }
}
