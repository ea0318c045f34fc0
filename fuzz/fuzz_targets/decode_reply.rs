//! Any bytes as the body of a JetBackup reply: the envelope, the job checks,
//! list pages and the provider's mapping to Terraform state must never panic,
//! and an error must never quote the token or grow without bound.
#![no_main]

use jetbackup::api::client::{decode_job, decode_reply};
use jetbackup::api::job::BackupJob;
use jetbackup::api::models::ListPage;
use jetbackup::api::object::Record;
use jetbackup::api::wire::Params;
use jetbackup::api::object::backup_job::BACKUP_JOB;
use jetbackup::api::object::{decode, encode, Target, Values};
use jetbackup::provider::object::readback;
use jetbackup::provider::object::state::ObjectState;
use libfuzzer_sys::fuzz_target;

const SECRET: &str = "fuzz-secret-token-5e1f";

fuzz_target!(|data: &[u8]| {
    let mut params = Params::new();
    params.push("_id", "6504c79fd4b57d536c05bbe2");
    match decode_reply("getBackupJob", &params, data, &[SECRET]) {
        Ok(envelope) => {
            match decode_job("getBackupJob", envelope.clone()) {
                Ok(job) => {
                    // The resource's readback of it, what a write of it
                    // sends, and a readback against that state.
                    if let Ok(raw) = serde_json::to_value(&job) {
                        if let Ok((id, values)) = decode(&BACKUP_JOB, &raw) {
                            let none = ObjectState::complete(&BACKUP_JOB, None, &Values::new());
                            let state = readback(&BACKUP_JOB, &id, values.clone(), &none);
                            let _ = encode(&BACKUP_JOB, &state.inputs(&BACKUP_JOB), Target::Create);
                            let _ = readback(&BACKUP_JOB, &id, values, &state);
                        }
                    }
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
