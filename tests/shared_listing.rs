//! The provider's shared listings, through the API client against
//! `jetbackup-sim`: any number of concurrent readers of a kind cost one paged
//! list call, a write invalidates every kind, and an object missing from the
//! snapshot is confirmed with its `get*` call.

mod support;

use std::sync::Arc;

use jetbackup::api::job::BackupJob;
use jetbackup::api::ApiError;
use jetbackup::provider::listing::{Destination, Listings};
use jetbackup::sim::seed::{DEST_LOCAL_ID, DEST_S3_ID};

fn calls(sim: &jetbackup::sim_process::SimProcess, function: &str) -> u64 {
    sim.stats().expect("sim stats")["calls"][function]
        .as_u64()
        .unwrap_or(0)
}

#[test]
fn concurrent_readers_share_one_list_per_kind_until_a_write() {
    let sim = support::sim(&["--token", "t"]);
    let client = sim.client();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        for i in 0..150 {
            client
                .create_backup_job(&support::minimal_job(&format!("job {i:03}")))
                .await
                .expect("create");
        }
    });
    sim.reset_stats().expect("reset");
    let listings = Arc::new(Listings::default());
    rt.block_on(async {
        let mut reads = tokio::task::JoinSet::new();
        for id in [DEST_LOCAL_ID, DEST_S3_ID].iter().cycle().take(20) {
            let (listings, client) = (listings.clone(), client.clone());
            reads.spawn(async move { listings.by_id::<Destination>(&client, id).await });
        }
        while let Some(read) = reads.join_next().await {
            let d = read.expect("reader task");
            assert!(d.is_ok(), "{d:?}");
        }
        let jobs = listings.all::<BackupJob>(&client).await.expect("jobs");
        assert_eq!(jobs.len(), 150);
        let again = listings.all::<BackupJob>(&client).await.expect("jobs");
        assert_eq!(again.len(), 150);
    });
    assert_eq!(calls(&sim, "listDestinations"), 1, "20 destination readers");
    assert_eq!(calls(&sim, "getDestination"), 0);
    assert_eq!(
        calls(&sim, "listBackupJobs"),
        2,
        "150 jobs: two pages of 100"
    );

    // A write from this process: every kind is listed afresh.
    listings.invalidate();
    rt.block_on(async {
        let d = listings
            .by_id::<Destination>(&client, DEST_LOCAL_ID)
            .await
            .expect("destination");
        assert_eq!(d.0.int("count"), 150, "job counts as of after the write");
        // Not in the snapshot: confirmed with getDestination.
        let missing = listings
            .by_id::<Destination>(&client, "6504c79fd4b57d536c05bbe2")
            .await;
        assert!(
            matches!(missing, Err(ApiError::NotFound { .. })),
            "{missing:?}"
        );
    });
    assert_eq!(calls(&sim, "listDestinations"), 2);
    assert_eq!(calls(&sim, "getDestination"), 1);
}
