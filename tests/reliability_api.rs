//! Reliability of the API client against `jetbackup-sim` (and, for replies no
//! honest server sends, a hostile server in this test): which failures are
//! retried and how long it waits, that a create whose reply is lost is
//! adopted and never doubled, that concurrency stays bounded, that a stop
//! ends waits but never abandons a write, that tokens stay out of errors, and
//! that hostile or broken replies become clear errors, never panics.
//!
//! Faults come from the simulator's fault script (`--fault-script`,
//! `POST /__sim/faults`), so each test knows exactly which request fails how.

mod support;

use support::{fast_retries, minimal_job, sim};

use std::sync::Arc;
use std::time::{Duration, Instant};

use jetbackup::api::job::{BackupJob, JobSpec, Param};
use jetbackup::api::models::{ListPage, ListQuery};
use jetbackup::api::transport::{HttpConfig, HttpTransport, Panel};
use jetbackup::api::{ApiError, Client, ClientOptions, StopSignal};
use jetbackup::sim::seed::{DEST_LOCAL_ID, DEST_S3_ID, SCHEDULE_DAILY_ID};
use jetbackup::sim_process::SimProcess;
use serde_json::Value;

async fn stats(sim: &SimProcess) -> Value {
    sim.stats_async().await.expect("sim stats")
}

/// Polls the simulator's stats until `ready` holds (generous deadline): the
/// tests below order events by what the server sees, not by sleeping.
async fn stats_when(sim: &SimProcess, ready: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let st = stats(sim).await;
        if ready(&st) {
            return st;
        }
        assert!(Instant::now() < deadline, "never reached: {st}");
        tokio::task::yield_now().await;
    }
}

fn in_flight(stats: &Value) -> u64 {
    stats["in_flight"].as_u64().unwrap_or(0)
}

fn calls(stats: &Value, function: &str) -> u64 {
    stats["calls"][function].as_u64().unwrap_or(0)
}

async fn jobs_named(client: &Client, name: &str) -> usize {
    client
        .list_backup_jobs(&ListQuery::default())
        .await
        .expect("list")
        .iter()
        .filter(|j| j.name == name)
        .count()
}

// ---- 1. retries --------------------------------------------------------

#[tokio::test]
async fn idempotent_calls_retry_through_every_transient_failure() {
    let sim = sim(&[]);
    let client = sim.client_with(fast_retries(6));
    sim.set_faults_async(
        "getSchedule:502,getSchedule:503,getSchedule:504,getSchedule:429,getSchedule:drop,getSchedule:truncated",
    )
    .await
    .expect("script");
    let s = client
        .get_schedule(SCHEDULE_DAILY_ID)
        .await
        .expect("get through six faults");
    assert_eq!(s.id(), SCHEDULE_DAILY_ID);
    let st = stats(&sim).await;
    assert_eq!(calls(&st, "getSchedule"), 7, "{st}");
    assert_eq!(st["faults"]["total"], 6, "{st}");
    assert_eq!(client.stats().retries, 6);

    // A list, page by page, through the same kinds.
    sim.set_faults_async("listSchedules:503,listSchedules:drop")
        .await
        .expect("script");
    let all = client
        .list_schedules(&ListQuery::default())
        .await
        .expect("list through faults");
    assert!(all.len() >= 3);
}

#[tokio::test]
async fn retries_stop_at_max_retries_with_the_last_error() {
    let sim = sim(&[]);
    for (max, expected_calls) in [(0u32, 1u64), (2, 3)] {
        sim.reset_stats_async().await.expect("reset");
        sim.set_faults_async("getSchedule:503*5")
            .await
            .expect("script");
        match sim
            .client_with(fast_retries(max))
            .get_schedule(SCHEDULE_DAILY_ID)
            .await
        {
            Err(ApiError::HttpStatus { status: 503, .. }) => {}
            other => panic!("max_retries {max}: expected HTTP 503, got {other:?}"),
        }
        assert_eq!(
            calls(&stats(&sim).await, "getSchedule"),
            expected_calls,
            "max_retries {max}"
        );
    }
}

#[tokio::test]
async fn a_timeout_is_retried() {
    let sim = sim(&[]);
    let config = HttpConfig {
        timeout: Duration::from_millis(300),
        ..sim.http_config()
    };
    let client = Client::new(
        Arc::new(HttpTransport::new(config).expect("transport")),
        fast_retries(2),
    );
    sim.set_faults_async("getSchedule:slow@1500")
        .await
        .expect("script");
    let t = Instant::now();
    client
        .get_schedule(SCHEDULE_DAILY_ID)
        .await
        .expect("retried after the timeout");
    assert!(t.elapsed() >= Duration::from_millis(300));
    assert_eq!(calls(&stats(&sim).await, "getSchedule"), 2);
    assert_eq!(client.stats().retries, 1);
}

/// A server that never answers costs two timeouts, not `max_retries + 1`,
/// and the error says how many attempts timed out and how long it all took.
#[tokio::test]
async fn a_server_that_never_answers_is_tried_twice_and_the_error_says_so() {
    let sim = sim(&[]);
    let config = HttpConfig {
        timeout: Duration::from_millis(300),
        ..sim.http_config()
    };
    let client = client_for(config, fast_retries(3));
    sim.set_faults_async("getSchedule:slow@5000*4")
        .await
        .expect("script");
    let err = client
        .get_schedule(SCHEDULE_DAILY_ID)
        .await
        .expect_err("never answered");
    let text = err.to_string();
    assert!(
        matches!(err, ApiError::Timeout { attempts: 2, .. }),
        "{err:?}"
    );
    assert!(
        text.contains("within 300ms (2 attempt(s) timed out, "),
        "{text}"
    );
    assert!(text.contains("in all"), "{text}");
    assert!(text.contains(&sim.http_config().endpoint), "{text}");
    assert_eq!(calls(&stats(&sim).await, "getSchedule"), 2);
    assert_eq!(jetbackup::api::client::MAX_TIMED_OUT_ATTEMPTS, 2);
}

#[tokio::test]
async fn everything_else_fails_at_once_with_the_servers_message() {
    let sim = sim(&[]);
    let client = sim.client_with(fast_retries(5));
    let job = client
        .create_backup_job(&minimal_job("once"))
        .await
        .expect("create");

    // A refusal: the server's message, one call.
    sim.reset_stats_async().await.expect("reset");
    let unknown = "65aaaaaaaaaaaaaaaaaaaaaa";
    let change = JobSpec::new().with(Param::Destination, vec![unknown.to_string()]);
    match client.modify_backup_job(&job.id, &change).await {
        Err(e @ ApiError::Refused { .. }) => {
            assert!(e.to_string().contains(unknown), "{e}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(calls(&stats(&sim).await, "manageBackupJob"), 1);

    // HTTP 500, an HTML page, a non-idempotent call behind a proxy's 502:
    // one call each.
    for (script, function) in [
        ("getSchedule:500", "getSchedule"),
        ("getSchedule:html", "getSchedule"),
        ("duplicateBackupJob:502", "duplicateBackupJob"),
    ] {
        sim.reset_stats_async().await.expect("reset");
        sim.set_faults_async(script).await.expect("script");
        let result = if function == "duplicateBackupJob" {
            client.duplicate_backup_job(&job.id).await.map(|_| ())
        } else {
            client.get_schedule(SCHEDULE_DAILY_ID).await.map(|_| ())
        };
        let err = result.expect_err(script);
        assert_eq!(calls(&stats(&sim).await, function), 1, "{script}: {err}");
        if script.ends_with("html") {
            assert!(err.to_string().contains("HTML page"), "{err}");
        }
    }
}

#[tokio::test]
async fn the_servers_retry_delay_is_honoured() {
    let sim = sim(&[]);
    let client = sim.client_with(fast_retries(3));
    for (script, at_least) in [
        ("getSchedule:busy@600", 600),
        ("getSchedule:503@500", 500),
        ("getSchedule:429^1", 1000),
    ] {
        sim.set_faults_async(script).await.expect("script");
        let t = Instant::now();
        client.get_schedule(SCHEDULE_DAILY_ID).await.expect(script);
        let took = t.elapsed();
        assert!(
            took >= Duration::from_millis(at_least),
            "{script}: {took:?}"
        );
        // Not the server's delay twice over; the slack is for a loaded machine.
        assert!(
            took < Duration::from_millis(at_least * 2 + 1000),
            "{script}: {took:?}"
        );
    }

    // Busy every time: the server's message once the retries are spent.
    sim.set_faults_async("getSchedule:busy@20*5")
        .await
        .expect("script");
    match sim
        .client_with(fast_retries(1))
        .get_schedule(SCHEDULE_DAILY_ID)
        .await
    {
        Err(e @ ApiError::Busy { .. }) => assert!(e.to_string().contains("busy"), "{e}"),
        other => panic!("expected Busy, got {other:?}"),
    }

    // A create the server declined with retry_ms did nothing: it is sent
    // again without a lookup, and makes one job.
    sim.reset_stats_async().await.expect("reset");
    sim.set_faults_async("manageBackupJob:busy@100")
        .await
        .expect("script");
    client
        .create_backup_job(&minimal_job("busy"))
        .await
        .expect("create");
    let st = stats(&sim).await;
    assert_eq!(calls(&st, "manageBackupJob"), 2, "{st}");
    assert_eq!(calls(&st, "listBackupJobs"), 0, "{st}");
    assert_eq!(jobs_named(&client, "busy").await, 1);
}

#[tokio::test]
async fn backoff_is_exponential() {
    let sim = sim(&[]);
    let client = sim.client_with(ClientOptions {
        max_retries: 3,
        retry_base: Duration::from_millis(100),
        ..ClientOptions::default()
    });
    sim.set_faults_async("getSchedule:502*3")
        .await
        .expect("script");
    let t = Instant::now();
    client.get_schedule(SCHEDULE_DAILY_ID).await.expect("get");
    let took = t.elapsed();
    // 100 + 200 + 400 ms, plus at most 50 % jitter each (1050 ms). The upper
    // bound leaves a loaded machine room and still fails a growth by a factor
    // of four (100 + 400 + 1600 ms).
    assert!(took >= Duration::from_millis(700), "{took:?}");
    assert!(took < Duration::from_millis(2100), "{took:?}");
}

#[tokio::test]
async fn lost_replies_of_modify_and_delete_are_retried_safely() {
    let sim = sim(&[]);
    let client = sim.client_with(fast_retries(3));
    let job = client
        .create_backup_job(&minimal_job("m"))
        .await
        .expect("create");
    sim.set_faults_async("manageBackupJob:lost-drop")
        .await
        .expect("script");
    let renamed = client
        .modify_backup_job(&job.id, &JobSpec::new().with(Param::Name, "m2".to_string()))
        .await
        .expect("modify through a lost reply");
    assert_eq!(renamed.name, "m2");
    sim.set_faults_async("deleteBackupJob:lost-truncated")
        .await
        .expect("script");
    client
        .delete_backup_job(&job.id)
        .await
        .expect("a delete whose reply was lost: the retry finds it gone");
    let st = stats(&sim).await;
    assert_eq!(calls(&st, "deleteBackupJob"), 2, "{st}");
    assert_eq!(st["jobs"], 0);
}

// ---- 2. a create is never doubled ---------------------------------------

#[tokio::test]
async fn a_create_whose_reply_is_lost_is_adopted_never_doubled() {
    let sim = sim(&[]);
    let client = sim.client_with(fast_retries(3));
    for kind in ["lost-drop", "lost-truncated"] {
        sim.reset_stats_async().await.expect("reset");
        sim.set_faults_async(&format!("manageBackupJob:{kind}"))
            .await
            .expect("script");
        let name = format!("adopt {kind}");
        let job = client
            .create_backup_job(&minimal_job(&name))
            .await
            .expect(kind);
        assert_eq!(job.name, name);
        let st = stats(&sim).await;
        assert_eq!(st["faults"]["lost_reply"], 1, "{st}");
        assert_eq!(calls(&st, "manageBackupJob"), 1, "never re-sent: {st}");
        assert_eq!(jobs_named(&client, &name).await, 1);
    }
    assert_eq!(client.stats().adopted, 2);

    // The lookup itself fails twice and is retried.
    sim.set_faults_async("manageBackupJob:lost-drop,listBackupJobs:502,listBackupJobs:drop")
        .await
        .expect("script");
    client
        .create_backup_job(&minimal_job("lookup retried"))
        .await
        .expect("create");
    assert_eq!(jobs_named(&client, "lookup retried").await, 1);

    // A proxy's 502 before the server saw it: the lookup finds nothing and
    // the create is sent again, once.
    sim.reset_stats_async().await.expect("reset");
    sim.set_faults_async("manageBackupJob:502")
        .await
        .expect("script");
    client
        .create_backup_job(&minimal_job("resent"))
        .await
        .expect("create");
    assert_eq!(calls(&stats(&sim).await, "manageBackupJob"), 2);
    assert_eq!(jobs_named(&client, "resent").await, 1);
}

#[tokio::test]
async fn adoption_takes_only_an_unclaimed_job_with_the_same_settings() {
    let sim = sim(&[]);
    let client = sim.client_with(fast_retries(3));
    // A same-named job this process already owns is not taken again.
    let first = client
        .create_backup_job(&minimal_job("twin"))
        .await
        .expect("first");
    sim.set_faults_async("manageBackupJob:lost-drop")
        .await
        .expect("script");
    let second = client
        .create_backup_job(&minimal_job("twin"))
        .await
        .expect("second");
    assert_ne!(first.id, second.id);
    assert_eq!(jobs_named(&client, "twin").await, 2);

    // A same-named job made elsewhere in the same second with other settings
    // is not taken either.
    let elsewhere = sim.client_with(fast_retries(3));
    let mut other = minimal_job("contested");
    other.set(Param::Destination, vec![DEST_S3_ID.to_string()]);
    let theirs = elsewhere.create_backup_job(&other).await.expect("theirs");
    sim.set_faults_async("manageBackupJob:lost-drop")
        .await
        .expect("script");
    let ours = client
        .create_backup_job(&minimal_job("contested"))
        .await
        .expect("ours");
    assert_ne!(ours.id, theirs.id);
    assert_eq!(ours.destination, vec![DEST_LOCAL_ID.to_string()]);
    assert_eq!(jobs_named(&client, "contested").await, 2);

    // Two identical creates at once, both replies lost: one job each.
    sim.set_faults_async("manageBackupJob:lost-drop*2")
        .await
        .expect("script");
    let pair = minimal_job("pair");
    let (a, b) = tokio::join!(
        client.create_backup_job(&pair),
        client.create_backup_job(&pair)
    );
    let (a, b) = (a.expect("a"), b.expect("b"));
    assert_ne!(a.id, b.id);
    assert_eq!(jobs_named(&client, "pair").await, 2);
}

// ---- 3. bounded load ----------------------------------------------------

#[tokio::test]
async fn no_more_than_max_concurrent_requests_reach_the_server() {
    let sim = sim(&["--latency-ms", "100"]);
    for (limit, check) in [(2usize, 2u64), (8, 0)] {
        sim.reset_stats_async().await.expect("reset");
        let client = sim.client_with(ClientOptions {
            max_concurrent_requests: limit,
            ..fast_retries(0)
        });
        let mut set = tokio::task::JoinSet::new();
        for _ in 0..10 {
            let c = client.clone();
            set.spawn(async move { c.get_schedule(SCHEDULE_DAILY_ID).await });
        }
        while let Some(r) = set.join_next().await {
            r.expect("joined").expect("get");
        }
        let max = stats(&sim).await["max_in_flight"].as_u64().unwrap_or(0);
        if check > 0 {
            assert_eq!(max, check, "limit {limit}");
        } else {
            // Without a tight limit the simulator does see them at once: the
            // high-water mark measures what it claims to.
            assert!(max > 2, "limit {limit}: max_in_flight {max}");
        }
    }
}

/// A listing costs two round trips: the first page tells the total, then
/// every other page is asked for at once, within `max_concurrent_requests`,
/// and the pages come back together in the server's order. The simulator
/// that answers spends 150 ms per listed object (`--per-object-us`), so a
/// page of 10 is in flight for 1.5 s and the overlap is plain to see in its
/// high-water mark; it starts from the state of one without that delay, on
/// which the jobs were made and the server's order read in one call.
#[tokio::test]
async fn a_listing_asks_for_the_pages_after_the_first_at_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = dir.path().join("state.json");
    let state_arg = state.to_str().expect("utf-8 path");
    let server_order: Vec<String> = {
        let fast = sim(&["--state", state_arg]);
        let client = fast.client_with(fast_retries(0));
        for i in 0..95 {
            client
                .create_backup_job(&minimal_job(&format!("page {i}")))
                .await
                .expect("create");
        }
        // `limit=0`: everything in one page.
        let all = ListQuery {
            limit: Some(0),
            ..ListQuery::default()
        };
        let page: ListPage<BackupJob> = client
            .list_page("listBackupJobs", "jobs", &all)
            .await
            .expect("everything at once");
        page.items.into_iter().map(|j| j.id.into()).collect()
    };
    assert_eq!(server_order.len(), 95);
    let slow = sim(&["--state", state_arg, "--per-object-us", "150000"]);

    // 10 pages of 10: the first, then 9 at once; or 4 at a time.
    let pages_of_10 = ListQuery {
        limit: Some(10),
        ..ListQuery::default()
    };
    for (limit, peak) in [(10usize, 9u64), (4, 4)] {
        slow.reset_stats_async().await.expect("reset");
        let client = slow.client_with(ClientOptions {
            max_concurrent_requests: limit,
            ..fast_retries(0)
        });
        let jobs = client.list_backup_jobs(&pages_of_10).await.expect("list");
        let ids: Vec<String> = jobs.into_iter().map(|j| j.id.into()).collect();
        assert!(ids == server_order, "limit {limit}: not the server's order");
        let stats = stats(&slow).await;
        assert_eq!(
            calls(&stats, "listBackupJobs"),
            10,
            "limit {limit}: {stats}"
        );
        assert_eq!(stats["max_in_flight"], peak, "limit {limit}: {stats}");
    }
}

// ---- 4. stopping ----------------------------------------------------------

#[tokio::test]
async fn a_stop_ends_waits_at_once_but_awaits_a_write_in_flight() {
    let sim = sim(&["--latency-ms", "1500"]);
    let stop = StopSignal::new();
    let client = sim
        .client_with(ClientOptions {
            max_concurrent_requests: 1,
            ..fast_retries(3)
        })
        .with_stop(stop.clone());
    // A create holds the only slot for 1.5 s; a read queues behind it.
    let create = tokio::spawn({
        let c = client.clone();
        async move { c.create_backup_job(&minimal_job("in flight")).await }
    });
    stats_when(&sim, |st| in_flight(st) == 1).await;
    let queued = tokio::spawn({
        let c = client.clone();
        async move { c.get_schedule(SCHEDULE_DAILY_ID).await }
    });
    stop.raise();
    let queued = queued.await.expect("joined");
    assert!(
        matches!(queued, Err(ApiError::Cancelled { .. })),
        "{queued:?}"
    );
    // It ended while the create still held the slot.
    assert!(
        !create.is_finished(),
        "the queued read waited for the create"
    );
    let job = create
        .await
        .expect("joined")
        .expect("the write in flight completes");
    assert_eq!(job.name, "in flight");
    // Nothing new is sent after the stop.
    let after = client.create_backup_job(&minimal_job("after")).await;
    assert!(
        matches!(after, Err(ApiError::Cancelled { .. })),
        "{after:?}"
    );
    let st = stats(&sim).await;
    assert_eq!(calls(&st, "getSchedule"), 0, "{st}");
    assert_eq!(calls(&st, "manageBackupJob"), 1, "{st}");
    assert_eq!(st["jobs"], 1);
}

#[tokio::test]
async fn a_stop_abandons_a_read_in_flight_and_cuts_a_backoff_short() {
    let sim = sim(&["--latency-ms", "5000"]);
    let stop = StopSignal::new();
    let client = sim.client_with(fast_retries(3)).with_stop(stop.clone());
    let read = tokio::spawn({
        let c = client.clone();
        async move { c.get_schedule(SCHEDULE_DAILY_ID).await }
    });
    stats_when(&sim, |st| in_flight(st) == 1).await;
    stop.raise();
    let read = read.await.expect("joined");
    assert!(matches!(read, Err(ApiError::Cancelled { .. })), "{read:?}");
    // Abandoned, not waited for: the server is still working on it.
    assert_eq!(in_flight(&stats(&sim).await), 1);

    // A retry waiting out a long backoff.
    let fast = sim_fast();
    let stop = StopSignal::new();
    let client = fast
        .client_with(ClientOptions {
            retry_base: Duration::from_secs(20),
            ..fast_retries(3)
        })
        .with_stop(stop.clone());
    fast.set_faults_async("getSchedule:502")
        .await
        .expect("script");
    let waiting = tokio::spawn({
        let c = client.clone();
        async move { c.get_schedule(SCHEDULE_DAILY_ID).await }
    });
    // The 502 has been answered: the client is in its 20 s backoff.
    stats_when(&fast, |st| {
        calls(st, "getSchedule") == 1 && in_flight(st) == 0
    })
    .await;
    let raised = Instant::now();
    stop.raise();
    let waiting = waiting.await.expect("joined");
    assert!(
        matches!(waiting, Err(ApiError::Cancelled { .. })),
        "{waiting:?}"
    );
    assert!(
        raised.elapsed() < Duration::from_secs(10),
        "the backoff was cut short"
    );
    assert_eq!(calls(&stats(&fast).await, "getSchedule"), 1);
}

fn sim_fast() -> SimProcess {
    sim(&[])
}

#[tokio::test]
async fn a_stop_still_looks_up_a_create_whose_reply_was_lost() {
    let sim = sim(&["--latency-ms", "800"]);
    let stop = StopSignal::new();
    let client = sim.client_with(fast_retries(3)).with_stop(stop.clone());
    sim.set_faults_async("manageBackupJob:lost-drop")
        .await
        .expect("script");
    let create = tokio::spawn({
        let c = client.clone();
        async move { c.create_backup_job(&minimal_job("recorded")).await }
    });
    stats_when(&sim, |st| in_flight(st) == 1).await;
    stop.raise();
    let job = create
        .await
        .expect("joined")
        .expect("the job the lost request made is returned, not orphaned");
    assert_eq!(job.name, "recorded");
    assert_eq!(stats(&sim).await["jobs"], 1);
}

// ---- 5. secrets in errors -------------------------------------------------

#[tokio::test]
async fn a_wrong_token_error_quotes_neither_token() {
    for panel in [Panel::Cpanel, Panel::DirectAdmin, Panel::Linux] {
        let right = "right-token-7f3a9c1e";
        let sim = sim(&["--panel", panel.label(), "--token", right]);
        let wrong = "wrong-token-b84d20aa";
        let config = HttpConfig {
            token: wrong.into(),
            ..sim.http_config()
        };
        let client = Client::new(
            Arc::new(HttpTransport::new(config).expect("transport")),
            fast_retries(3),
        );
        let err = client
            .list_backup_jobs(&ListQuery::default())
            .await
            .expect_err("refused");
        let text = format!("{err} {err:?}");
        assert!(!text.contains(wrong) && !text.contains(right), "{text}");
        assert!(text.contains("check the username and API token"), "{text}");
    }
}

// ---- 6. network errors tell what happened ---------------------------------

fn client_for(config: HttpConfig, options: ClientOptions) -> Client {
    Client::new(
        Arc::new(HttpTransport::new(config).expect("transport")),
        options,
    )
}

#[tokio::test]
async fn a_refused_connection_says_nothing_was_sent_and_looks_nothing_up() {
    let port = support::closed_port();
    let sim = sim(&[]);
    let config = HttpConfig {
        endpoint: format!("http://127.0.0.1:{port}"),
        ..sim.http_config()
    };
    let client = client_for(config, fast_retries(2));
    let err = client
        .create_backup_job(&minimal_job("never sent"))
        .await
        .expect_err("no server");
    let text = err.to_string();
    assert!(matches!(err, ApiError::Connect { .. }), "{err:?}");
    assert!(
        text.contains(&format!(
            "cannot connect to http://127.0.0.1:{port}/cgi/addons/jetbackup5/api.cgi"
        )),
        "{text}"
    );
    assert!(text.contains("nothing was sent"), "{text}");
    assert!(
        !text.contains("reply") && !text.contains("may now exist"),
        "{text}"
    );
    // A brief retry of the connect, and no lookup for a job that cannot exist.
    assert_eq!(client.stats().calls, 3, "{:?}", client.stats());

    let config = HttpConfig {
        endpoint: "http://no-such-host.invalid".to_string(),
        ..sim.http_config()
    };
    let client = client_for(config, fast_retries(2));
    let err = client
        .get_schedule(SCHEDULE_DAILY_ID)
        .await
        .expect_err("no such host");
    assert!(err.to_string().contains("nothing was sent"), "{err}");
    assert_eq!(
        client.stats().calls,
        1,
        "a name that does not resolve is not retried"
    );
}

#[tokio::test]
async fn a_scheme_mismatch_either_way_names_the_right_scheme() {
    let plain = sim(&[]);
    let https_to_plain = HttpConfig {
        endpoint: plain.url().replacen("http://", "https://", 1),
        ..plain.http_config()
    };
    let err = client_for(https_to_plain, fast_retries(2))
        .create_backup_job(&minimal_job("tls to plain"))
        .await
        .expect_err("mismatch");
    let text = err.to_string();
    assert!(matches!(err, ApiError::Tls { .. }), "{err:?}");
    assert!(
        text.contains("plain HTTP") && text.contains(plain.url()),
        "{text}"
    );

    let dir = tempfile::tempdir().expect("tempdir");
    let cert = dir.path().join("sim.pem");
    let tls = sim(&["--tls", "--tls-cert-out", cert.to_str().expect("utf-8")]);
    let plain_to_https = HttpConfig {
        endpoint: tls.url().replacen("https://", "http://", 1),
        ..tls.http_config()
    };
    let client = client_for(plain_to_https, fast_retries(2));
    let err = client
        .create_backup_job(&minimal_job("plain to tls"))
        .await
        .expect_err("mismatch");
    let text = err.to_string();
    assert!(matches!(err, ApiError::PlainHttpToTls { .. }), "{err:?}");
    assert!(
        text.contains("serves HTTPS") && text.contains(tls.url()),
        "{text}"
    );
    // The request did go out, in clear text, before the TLS alert came back.
    assert!(
        text.contains("WAS sent in clear text")
            && text.contains("`Authorization` header")
            && text.contains("rotate the API token")
            && !text.contains("nothing was sent"),
        "{text}"
    );
    assert_eq!(client.stats().calls, 1, "not retried, no lookup");
    assert_eq!(tls.stats().expect("stats")["jobs"], 0);
}

#[tokio::test]
async fn a_404_names_the_url_and_what_to_check_and_a_pasted_api_path_works() {
    let sim = sim(&[]);
    // The simulator serves cPanel's path; a DirectAdmin client asks elsewhere.
    let wrong_panel = HttpConfig {
        panel: Panel::DirectAdmin,
        ..sim.http_config()
    };
    let err = client_for(wrong_panel, fast_retries(0))
        .get_schedule(SCHEDULE_DAILY_ID)
        .await
        .expect_err("404");
    let text = err.to_string();
    assert!(
        matches!(err, ApiError::HttpStatus { status: 404, .. }),
        "{err:?}"
    );
    assert!(
        text.contains(&format!(
            "{}/CMD_PLUGINS_ADMIN/jetbackup5/index.raw?api=1",
            sim.url()
        )),
        "{text}"
    );
    assert!(
        text.contains("`panel`") && text.contains("`endpoint`"),
        "{text}"
    );

    let pasted = HttpConfig {
        endpoint: format!("{}/cgi/addons/jetbackup5/api.cgi", sim.url()),
        ..sim.http_config()
    };
    client_for(pasted, fast_retries(0))
        .get_schedule(SCHEDULE_DAILY_ID)
        .await
        .expect("the endpoint with the API path is its base URL");
}

/// Many calls with a wrong token: the first refusal is explained in full,
/// every other call fails in one line that refers to it, and once it is
/// known nothing more is sent.
#[tokio::test]
async fn a_wrong_token_is_explained_once_per_client() {
    let sim = sim(&[]);
    let config = HttpConfig {
        token: "wrong-token".to_string(),
        ..sim.http_config()
    };
    let client = client_for(
        config,
        ClientOptions {
            max_concurrent_requests: 4,
            ..fast_retries(2)
        },
    );
    let calls = (0..50).map(|_| {
        let c = client.clone();
        tokio::spawn(async move { c.get_schedule(SCHEDULE_DAILY_ID).await })
    });
    let mut full = 0;
    let mut short = 0;
    for call in calls {
        match call.await.expect("joined") {
            Err(e @ ApiError::HttpStatus { status: 403, .. }) => {
                assert!(e.to_string().contains("WHM API token"), "{e}");
                full += 1;
            }
            Err(e @ ApiError::CredentialsRefused { .. }) => {
                let text = e.to_string();
                assert!(text.contains("HTTP 403") && !text.contains('\n'), "{text}");
                short += 1;
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!((full, short), (1, 49));
    // At most the calls already in flight when the first answer came back.
    let sent = stats(&sim).await["calls"]["getSchedule"]
        .as_u64()
        .unwrap_or(0);
    assert!(sent <= 4, "{sent} calls reached the server");
}

// ---- 7. hostile and broken replies ---------------------------------------

mod hostile {
    //! A server that answers every request with the same chosen body.

    use axum::body::Body;
    use axum::http::{HeaderMap, StatusCode};
    use axum::response::Response;

    #[derive(Clone)]
    pub struct Reply {
        pub status: u16,
        pub content_type: &'static str,
        pub body: Vec<u8>,
        /// Puts the request's Authorization header into the body.
        pub echo_auth: bool,
    }

    impl Reply {
        pub fn json(body: impl Into<Vec<u8>>) -> Reply {
            Reply {
                status: 200,
                content_type: "application/json",
                body: body.into(),
                echo_auth: false,
            }
        }
    }

    /// Serves `reply` on 127.0.0.1; returns the base URL. The server lives as
    /// long as the test's runtime.
    pub async fn serve(reply: Reply) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let app = axum::Router::new().fallback(move |headers: HeaderMap| {
            let reply = reply.clone();
            async move {
                let mut body = reply.body.clone();
                if reply.echo_auth {
                    let auth = headers
                        .get("authorization")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("");
                    body = format!(
                        "Denied for {auth} (token {})",
                        auth.rsplit(':').next().unwrap_or("")
                    )
                    .into_bytes();
                }
                Response::builder()
                    .status(StatusCode::from_u16(reply.status).expect("status"))
                    .header("content-type", reply.content_type)
                    .body(Body::from(body))
                    .expect("response")
            }
        });
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        format!("http://{addr}")
    }
}

fn hostile_client(url: &str, panel: Panel, token: &str) -> Client {
    let config = HttpConfig {
        endpoint: url.to_string(),
        panel,
        username: "admin".into(),
        token: token.into(),
        insecure: false,
        ca_cert_pem: None,
        timeout: Duration::from_secs(20),
    };
    Client::new(
        Arc::new(HttpTransport::new(config).expect("transport")),
        fast_retries(1),
    )
}

/// A job reply in which `field` is replaced by `value`.
fn job_reply_with(field: &str, value: Value) -> Vec<u8> {
    let mut job = serde_json::json!({
        "_id": "6504c79fd4b57d536c05bbe2", "name": "n", "type": 1, "contains": 511,
        "structure": 1, "destination": [DEST_LOCAL_ID], "owner": "6503d48bfc45b1addf0a9632",
        "schedules": [], "monitor": {"ranfor": 0, "notran": 0}, "disabled": 0,
        "exclude_list": [], "include_list": [], "filters": [], "time": 350
    });
    job[field] = value;
    serde_json::json!({"success": 1, "message": "", "system": {}, "data": job})
        .to_string()
        .into_bytes()
}

#[tokio::test]
async fn hostile_and_broken_replies_are_clear_errors() {
    let id = "6504c79fd4b57d536c05bbe2";
    let huge = {
        let mut b = b"{\"success\":1,\"data\":\"".to_vec();
        b.resize(17 * 1024 * 1024, b'a');
        b
    };
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let cases: Vec<(&str, hostile::Reply, &str)> = vec![
        (
            "HTML instead of JSON",
            hostile::Reply {
                content_type: "text/html",
                ..hostile::Reply::json("<!DOCTYPE html><html><body>Login</body></html>")
            },
            "HTML page",
        ),
        (
            "truncated JSON",
            hostile::Reply::json(&job_reply_with("name", Value::Null)[..60]),
            "truncated",
        ),
        (
            "not UTF-8",
            hostile::Reply::json(
                b"{\"success\":1,\"message\":\"\xff\xfe\xfd\",\"data\":{}}".to_vec(),
            ),
            "not JSON",
        ),
        (
            "binary garbage",
            hostile::Reply::json(vec![0u8, 159, 146, 150, 255, 0, 1]),
            "not JSON",
        ),
        (
            "huge body",
            hostile::Reply::json(huge),
            "larger than 16 MiB",
        ),
        (
            "deep nesting",
            hostile::Reply::json(deep.into_bytes()),
            "not JSON",
        ),
        (
            "JSON but not the envelope",
            hostile::Reply::json("{\"jobs\": []}"),
            "without a `success` field",
        ),
        (
            "data is not a job",
            hostile::Reply::json("{\"success\":1,\"data\":\"job\"}"),
            "not an object",
        ),
    ];
    for (what, reply, expected) in cases {
        let url = hostile::serve(reply).await;
        let client = hostile_client(&url, Panel::Cpanel, "tok-hostile-1");
        let err = client.get_backup_job(id).await.expect_err(what);
        let text = err.to_string();
        assert!(text.contains(expected), "{what}: {text}");
        assert!(text.len() < 2000, "{what}: error of {} bytes", text.len());
    }

    // Wrong types in every field of a job.
    for field in [
        "_id",
        "name",
        "type",
        "contains",
        "structure",
        "options",
        "destination",
        "owner",
        "owner_name",
        "schedules",
        "monitor",
        "disabled",
        "retry_failed",
        "exclude_list",
        "include_list",
        "filters",
        "time",
        "next_run",
        "last_run",
    ] {
        for value in [
            serde_json::json!({"nested": {"x": 1}}),
            serde_json::json!([[{"x": 1}]]),
            serde_json::json!("not-a-number-or-list"),
            serde_json::json!(12.5),
        ] {
            let url =
                hostile::serve(hostile::Reply::json(job_reply_with(field, value.clone()))).await;
            let client = hostile_client(&url, Panel::Cpanel, "tok-hostile-2");
            match client.get_backup_job(id).await {
                Err(ApiError::BadResponse { reason, .. }) => {
                    assert!(reason.contains(field), "{field} = {value}: {reason}")
                }
                // Some values are valid spellings for some fields (a string
                // for a text field, a number for an integer or a boolean),
                // and `monitor` reads the keys it knows, ignoring others (as
                // every object model does).
                Ok(_) => assert!(
                    value.is_string()
                        || value.is_number()
                        || (field == "monitor" && value.is_object()),
                    "{field} = {value} was accepted"
                ),
                Err(other) => panic!("{field} = {value}: unexpected {other:?}"),
            }
        }
    }
}

/// How a hostile `listSchedules` answers the page at `skip` (of `limit`).
type Paging = fn(u64, u64) -> Vec<Value>;

/// A schedule object with ID number `n`, padded with `pad` bytes.
fn schedule_no(n: u64, pad: usize) -> Value {
    serde_json::json!({"_id": format!("{n:024x}"), "name": format!("s{n}"), "type": 1, "pad": "p".repeat(pad)})
}

/// Serves `listSchedules` pages from `paging`, each claiming `total` =
/// 10^12, and lists through the client with pages of `limit`; returns the
/// result and the number of calls the server received.
async fn list_from(paging: Paging, limit: u64) -> (Result<usize, ApiError>, usize) {
    let server = recording::serve(move |seen| {
        let form = jetbackup::api::wire::parse_pairs(&seen.body);
        let get = |k: &str| {
            form.iter()
                .find(|(key, _)| key == k)
                .and_then(|(_, v)| v.parse::<u64>().ok())
                .unwrap_or(0)
        };
        let items = paging(get("skip"), get("limit"));
        let body = serde_json::json!({"success": 1, "message": "", "system": {},
            "data": {"schedules": items, "total": 1_000_000_000_000u64}});
        (200, vec![], body.to_string().into_bytes())
    })
    .await;
    let client = hostile_client(&server.url, Panel::Cpanel, "tok-hostile-3");
    let query = ListQuery {
        limit: Some(limit),
        ..ListQuery::default()
    };
    let result = client.list_schedules(&query).await.map(|all| all.len());
    (result, server.requests())
}

/// A server whose `total` is 10^12: a short or empty page ends the listing
/// at once, whatever `total` says.
#[tokio::test]
async fn a_listing_ends_on_a_short_or_empty_page_whatever_total_says() {
    // Three objects, then (were they asked for) empty pages.
    let three: Paging = |skip, _| {
        if skip == 0 {
            (0..3).map(|n| schedule_no(n, 0)).collect()
        } else {
            Vec::new()
        }
    };
    let (listed, calls) = list_from(three, 100).await;
    assert_eq!(listed.expect("three"), 3);
    assert_eq!(calls, 1, "a short first page is the whole listing");

    // One full page, then empty pages: one round of at most
    // `max_concurrent_requests` (10) pages after the first.
    let one_page: Paging = |skip, limit| {
        if skip == 0 {
            (0..limit).map(|n| schedule_no(n, 0)).collect()
        } else {
            Vec::new()
        }
    };
    let (listed, calls) = list_from(one_page, 100).await;
    assert_eq!(listed.expect("one page"), 100);
    assert!(calls <= 11, "{calls} calls");

    // A short page in the middle ends it too.
    let short_third: Paging = |skip, limit| {
        let n = if skip < 2 * limit { limit } else { 5 };
        (skip..skip + n).map(|i| schedule_no(i, 0)).collect()
    };
    let (listed, calls) = list_from(short_third, 100).await;
    assert_eq!(listed.expect("two pages and five"), 205);
    assert!(calls <= 11, "{calls} calls");
}

/// A page repeating IDs (a server ignoring `skip`, or a page listing one
/// object twice) is refused, naming the ID, before more pages are asked for.
#[tokio::test]
async fn a_listing_that_repeats_ids_is_refused() {
    let same_page: Paging = |_, limit| (0..limit).map(|n| schedule_no(n, 0)).collect();
    let (listed, calls) = list_from(same_page, 100).await;
    let text = listed.expect_err("repeated").to_string();
    assert!(
        text.contains(
            "nothing was decided from it: it repeats the object ID \"000000000000000000000000\""
        ) && text.contains("skip=100"),
        "{text}"
    );
    assert!(calls <= 11, "{calls} calls");

    let twice_in_one: Paging = |_, _| vec![schedule_no(7, 0), schedule_no(8, 0), schedule_no(7, 0)];
    let (listed, calls) = list_from(twice_in_one, 100).await;
    let text = listed.expect_err("repeated").to_string();
    assert!(
        text.contains("repeats the object ID") && text.contains("skip=0"),
        "{text}"
    );
    assert_eq!(calls, 1);
}

/// Full pages of distinct objects forever (`total` = 10^12): the listing
/// stops at the cap on bytes kept (fat pages) or on objects kept (many thin
/// ones), with an error naming the cap, after few calls.
#[tokio::test]
async fn a_listing_stops_at_its_caps_on_bytes_and_objects() {
    use jetbackup::api::client::{MAX_LISTED_BYTES, MAX_LISTED_OBJECTS};
    // 100 objects of about 8 KB: 800 KB pages.
    let fat: Paging = |skip, limit| (skip..skip + limit).map(|n| schedule_no(n, 8000)).collect();
    let (listed, calls) = list_from(fat, 100).await;
    let text = listed.expect_err("byte cap").to_string();
    assert!(
        text.contains(&format!("more than {} MiB", MAX_LISTED_BYTES >> 20))
            && text.contains("MAX_LISTED_BYTES"),
        "{text}"
    );
    // 32 MiB / 800 KB = 41 pages kept, plus at most one round in flight.
    assert!(calls <= 42 + 10, "{calls} calls");

    // Thin pages of 1,000 objects.
    let thin: Paging = |skip, limit| (skip..skip + limit).map(|n| schedule_no(n, 0)).collect();
    let (listed, calls) = list_from(thin, 1000).await;
    let text = listed.expect_err("object cap").to_string();
    assert!(
        text.contains(&format!("more than {MAX_LISTED_OBJECTS} objects"))
            && text.contains("MAX_LISTED_OBJECTS"),
        "{text}"
    );
    assert!(calls <= MAX_LISTED_OBJECTS / 1000 + 1 + 10, "{calls} calls");
}

#[tokio::test]
async fn a_server_echoing_the_credentials_does_not_get_them_into_errors() {
    let token = "tok-echoed-9d2c41f7";
    for panel in [Panel::Cpanel, Panel::DirectAdmin, Panel::Linux] {
        let url = hostile::serve(hostile::Reply {
            status: 401,
            content_type: "text/plain",
            body: Vec::new(),
            echo_auth: true,
        })
        .await;
        let client = hostile_client(&url, panel, token);
        let err = client
            .get_backup_job("6504c79fd4b57d536c05bbe2")
            .await
            .expect_err("401");
        let text = format!("{err} {err:?}");
        let basic = panel.authorization("admin", token);
        let credentials = basic.split_once(' ').map(|(_, c)| c).unwrap_or("");
        assert!(!text.contains(token), "{panel:?}: {text}");
        assert!(!text.contains(credentials), "{panel:?}: {text}");
        assert!(text.contains("<redacted>"), "{panel:?}: {text}");
    }
}

// ---- 8. redirects and echoed secrets --------------------------------------

mod recording {
    //! A server that records every request (headers and body) and answers
    //! with what a function of the request chooses.

    use std::sync::{Arc, Mutex};

    use axum::body::{Body, Bytes};
    use axum::http::{HeaderMap, StatusCode};
    use axum::response::Response;

    /// One request as received.
    #[derive(Debug, Clone)]
    pub struct Seen {
        pub authorization: String,
        pub body: String,
    }

    /// An answer: status, headers, body.
    pub type Answer = (u16, Vec<(&'static str, String)>, Vec<u8>);

    pub struct Server {
        pub url: String,
        pub port: u16,
        pub seen: Arc<Mutex<Vec<Seen>>>,
    }

    impl Server {
        pub fn requests(&self) -> usize {
            self.seen.lock().expect("lock").len()
        }
    }

    /// Serves on 127.0.0.1, an ephemeral port; lives as long as the runtime.
    pub async fn serve(answer: impl Fn(&Seen) -> Answer + Clone + Send + Sync + 'static) -> Server {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let log = seen.clone();
        let app = axum::Router::new().fallback(move |headers: HeaderMap, body: Bytes| {
            let answer = answer.clone();
            let log = log.clone();
            async move {
                let request = Seen {
                    authorization: headers
                        .get("authorization")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("")
                        .to_string(),
                    body: String::from_utf8_lossy(&body).into_owned(),
                };
                log.lock().expect("lock").push(request.clone());
                let (status, extra, body) = answer(&request);
                let mut response =
                    Response::builder().status(StatusCode::from_u16(status).expect("status"));
                for (k, v) in extra {
                    response = response.header(k, v);
                }
                response.body(Body::from(body)).expect("response")
            }
        });
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Server {
            url: format!("http://{addr}"),
            port: addr.port(),
            seen,
        }
    }
}

fn s3_destination(access_key: &str, secret_key: &str) -> jetbackup::api::object::Values {
    use jetbackup::api::object::Val;
    let mut v = jetbackup::api::object::Values::new();
    for (k, x) in [
        ("name", "Offsite"),
        ("type", "S3"),
        ("path", "/jb"),
        ("bucket", "b"),
        ("region", "us-east-1"),
        ("access_key", access_key),
        ("secret_key", secret_key),
    ] {
        v.insert(k, Val::Text(x.to_string()));
    }
    v
}

fn ssh_destination(password: &str) -> jetbackup::api::object::Values {
    use jetbackup::api::object::Val;
    let mut v = jetbackup::api::object::Values::new();
    for (k, x) in [
        ("name", "Remote"),
        ("type", "SSH"),
        ("path", "/backups"),
        ("host", "backup.example.com"),
        ("username", "jb"),
        ("password", password),
    ] {
        v.insert(k, Val::Text(x.to_string()));
    }
    v
}

/// No redirect is followed, whatever its status: a POST (with destination
/// secrets) and a read both stop at the first server, the host named in
/// `Location` receives nothing, and the error names the status, the
/// `Location` and, when only the port (or scheme) moved, the `endpoint`
/// to write.
#[tokio::test]
async fn a_redirect_is_never_followed_and_says_where_it_pointed() {
    use jetbackup::api::object::destination::DESTINATION;
    let envelope = br#"{"success":1,"message":"","system":{},"data":{"schedules":[],"total":0}}"#;
    let other = recording::serve(move |_| (200, vec![], envelope.to_vec())).await;
    let api = Panel::Cpanel.api_path();
    let targets = [
        // Same host, another port: the endpoint to write is named.
        (format!("{}{api}", other.url), true),
        // Another host name (still loopback): no endpoint is suggested.
        (format!("http://localhost:{}/elsewhere", other.port), false),
    ];
    for status in [301u16, 302, 307, 308] {
        for (location, same_host) in &targets {
            let to = location.clone();
            let redirector = recording::serve(move |_| {
                (status, vec![("location", to.clone())], b"moved".to_vec())
            })
            .await;
            let client = hostile_client(&redirector.url, Panel::Cpanel, "tok-redirect-31f0");
            let create = client
                .create_object(
                    &DESTINATION,
                    &s3_destination("AKIAREDIRECT1", "s3cr3t/REDIRECT+1"),
                )
                .await
                .expect_err("redirected");
            let read = client
                .list_schedules(&ListQuery::default())
                .await
                .expect_err("redirected");
            for err in [create, read] {
                let text = err.to_string();
                assert!(
                    matches!(err, ApiError::Redirected { status: s, .. } if s == status),
                    "{status}: {err:?}"
                );
                assert!(text.contains(&format!("answered HTTP {status}")), "{text}");
                assert!(text.contains(&format!("{location:?}")), "{text}");
                assert!(text.contains("nothing was sent to that address"), "{text}");
                let suggestion = format!("`endpoint` = \"http://127.0.0.1:{}\"", other.port);
                assert_eq!(text.contains(&suggestion), *same_host, "{text}");
            }
            // One request each, to the first server only: not retried, no
            // lookup, nothing re-sent elsewhere.
            assert_eq!(redirector.requests(), 2, "{status} {location}");
            assert_eq!(
                other.requests(),
                0,
                "{status} {location}: the other host was called"
            );
        }
    }
}

/// The debug log of this test binary, captured once for the whole process:
/// a subscriber scoped to one test's thread misses events when other tests
/// register the same call sites concurrently (tracing caches their interest
/// process-wide). Other tests' calls land here too; they use other secrets.
fn debug_log() -> LogBuffer {
    static LOG: std::sync::OnceLock<LogBuffer> = std::sync::OnceLock::new();
    LOG.get_or_init(|| {
        let logs = LogBuffer::default();
        let writer = logs.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");
        logs
    })
    .clone()
}

/// A `Write` into a shared buffer, for the debug log.
#[derive(Clone, Default)]
struct LogBuffer(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for LogBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A server that quotes the whole request back (the raw form, its decoded
/// pairs, JSON-escaped the PHP way, and the `Authorization` header) in every
/// place a reply can carry text: a refusal's message, an HTTP error's body,
/// an HTML page. With a secret in each secret attribute of the destination
/// table and each panel's token encoding, no secret reaches the error's
/// Display or Debug, nor the debug log.
#[tokio::test]
async fn a_server_echoing_the_request_gets_no_secret_into_errors_or_logs() {
    use jetbackup::api::object::destination::DESTINATION;
    use jetbackup::api::wire::parse_pairs;

    let token = "tok-ECHO/7c+2e 9a";
    let access_key = "AKIA/ECHO+ACCESS 1";
    let secret_key = "wJal/ECHO+SECRET K7MDENG&x=1";
    let password = "p@ss w/rd+ECHO<>\"'";
    let echo = |seen: &recording::Seen| {
        let decoded: Vec<String> = parse_pairs(&seen.body)
            .into_iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        format!(
            "Invalid request from {} | {} | {}",
            seen.authorization,
            decoded.join("&"),
            seen.body
        )
    };
    type Shape = fn(String) -> recording::Answer;
    let shapes: [(&str, Shape); 4] = [
        ("refusal message", |text| {
            let body = serde_json::json!({"success": 0, "message": text, "system": {}, "data": {}});
            (200, vec![], body.to_string().into_bytes())
        }),
        ("HTTP 500 body, PHP-escaped JSON", |text| {
            let body = serde_json::json!({"success": 0, "message": text})
                .to_string()
                .replace('/', "\\/");
            (
                500,
                vec![("content-type", "application/json".into())],
                body.into_bytes(),
            )
        }),
        ("HTML page", |text| {
            let html = text
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;")
                .replace('\'', "&#039;");
            (
                200,
                vec![("content-type", "text/html".into())],
                format!("<html>{html}</html>").into_bytes(),
            )
        }),
        ("HTTP 501 plain text", |text| {
            (501, vec![], text.into_bytes())
        }),
    ];
    let logs = debug_log();

    let mut errors = Vec::new();
    for (what, shape) in shapes {
        for panel in [Panel::Cpanel, Panel::DirectAdmin, Panel::Linux] {
            let server = recording::serve(move |seen| shape(echo(seen))).await;
            let client = hostile_client(&server.url, panel, token);
            for values in [
                s3_destination(access_key, secret_key),
                ssh_destination(password),
            ] {
                let err = client
                    .create_object(&DESTINATION, &values)
                    .await
                    .expect_err(what);
                errors.push((what, panel, format!("{err}\n{err:?}")));
            }
            let sent: Vec<String> = server
                .seen
                .lock()
                .expect("lock")
                .iter()
                .map(|s| s.body.clone())
                .collect();
            // The secrets did travel (the test would prove nothing otherwise).
            assert!(sent.iter().any(|b| b.contains("secret_key")), "{sent:?}");
        }
    }
    let log = String::from_utf8_lossy(&logs.0.lock().expect("lock")).into_owned();
    assert!(log.contains("manageDestination"), "nothing logged: {log}");
    let mut spellings = Vec::new();
    for secret in [token, access_key, secret_key, password] {
        spellings.push(secret.to_string());
        spellings.push(jetbackup::api::wire::percent_encode(secret));
        spellings.push(secret.replace('/', "\\/"));
        // The longest run of the secret without the characters an encoding changes.
        let run = secret
            .split(|c: char| !c.is_ascii_alphanumeric() && c != '-' && c != '_')
            .max_by_key(|s| s.len())
            .unwrap_or("");
        spellings.push(run.to_string());
    }
    let basic = Panel::DirectAdmin.authorization("admin", token);
    spellings.push(
        basic
            .split_once(' ')
            .map(|(_, c)| c.to_string())
            .unwrap_or_default(),
    );
    for (what, panel, text) in &errors {
        for s in &spellings {
            assert!(
                !text.contains(s.as_str()),
                "{what} {panel:?}: {s:?} in {text}"
            );
        }
        assert!(text.contains("<redacted>"), "{what} {panel:?}: {text}");
        // What is not secret is still shown.
        assert!(text.contains("Invalid request"), "{what} {panel:?}: {text}");
    }
    for s in &spellings {
        assert!(!log.contains(s.as_str()), "{s:?} in the debug log:\n{log}");
    }
}

/// A port serving another web application (an HTML login page, its 404 or
/// 501) is named for what it is: not a JetBackup API, with the URL called.
#[tokio::test]
async fn another_applications_reply_says_the_endpoint_is_not_a_jetbackup_api() {
    let html = b"<!DOCTYPE html><html><body>Not Implemented</body></html>".to_vec();
    for status in [200u16, 404, 501] {
        let body = html.clone();
        let server = recording::serve(move |_| {
            (
                status,
                vec![("content-type", "text/html".into())],
                body.clone(),
            )
        })
        .await;
        let client = hostile_client(&server.url, Panel::Linux, "tok-other-app-1");
        let err = client
            .list_schedules(&ListQuery::default())
            .await
            .expect_err("not JetBackup");
        let text = err.to_string();
        let url = format!("{}/?api=1", server.url);
        assert!(text.contains(&url), "{status}: {text}");
        if status == 404 {
            assert!(text.contains("no JetBackup API at this URL"), "{text}");
        } else {
            assert!(
                text.contains("does not look like a JetBackup API"),
                "{status}: {text}"
            );
        }
        assert_eq!(server.requests(), 1, "{status}: not retried");
    }
}
