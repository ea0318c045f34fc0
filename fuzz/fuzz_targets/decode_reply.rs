//! Any bytes as the body of a JetBackup reply: the envelope, the job checks,
//! list pages and the provider's mapping to Terraform state must never panic,
//! and an error must never quote the token or grow without bound.
#![no_main]

use jetbackup::api::client::{decode_job, decode_reply};
use jetbackup::api::job::BackupJob;
use jetbackup::api::models::ListPage;
use jetbackup::api::object::Record;
use jetbackup::api::wire::Params;
use jetbackup::provider::backup_job_model::JobState;
use libfuzzer_sys::fuzz_target;

const SECRET: &str = "fuzz-secret-token-5e1f";

fuzz_target!(|data: &[u8]| {
    let mut params = Params::new();
    params.push("_id", "6504c79fd4b57d536c05bbe2");
    match decode_reply("getBackupJob", &params, data, &[SECRET]) {
        Ok(envelope) => {
            match decode_job("getBackupJob", envelope.clone()) {
                Ok(job) => {
                    let state = JobState::from_job(&job, &JobState::default());
                    let _ = state.to_spec();
                    let _ = JobState::from_job(&job, &state);
                }
                Err(e) => check_error(&e.to_string()),
            }
            let _ = ListPage::<BackupJob>::from_data(envelope.data.clone(), "jobs");
            let _ = ListPage::<Record>::from_data(envelope.data.clone(), "schedules");
        }
        Err(e) => check_error(&e.to_string()),
    }
});

fn check_error(text: &str) {
    assert!(!text.contains(SECRET), "the token leaked into: {text}");
    assert!(text.chars().count() < 4000, "runaway error text");
}
