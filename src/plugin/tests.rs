//! The server end to end over loopback: a small typed resource served
//! through the dispatch layer, the handshake, AutoMTLS, StopProvider and
//! Shutdown.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use async_trait::async_trait;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{Block, Schema};
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{Diagnostics, Provider};
use tonic::transport::{Channel, ClientTlsConfig, Endpoint};

use super::handshake::{bind, Launch};
use super::proto::goplugin as gp;
use super::proto::tfplugin6 as tf;
use super::service::Service;
use super::test_resource::{Thing, ThingResource};
use super::value::Dynamic;
use super::*;

struct TestProvider;

#[async_trait]
impl Provider for TestProvider {
    type Config<'a> = ValueEmpty;
    type MetaState<'a> = ValueEmpty;

    fn schema(&self, _: &mut Diagnostics) -> Option<Schema> {
        Some(Schema {
            version: 0,
            block: Block::default(),
        })
    }
}

impl Plugin for TestProvider {
    fn resources(&self) -> HashMap<String, Box<dyn ResourceServer>> {
        let mut r: HashMap<String, Box<dyn ResourceServer>> = HashMap::new();
        r.insert("thing".into(), Box::new(ThingResource));
        r
    }

    fn data_sources(&self) -> HashMap<String, Box<dyn DataSourceServer>> {
        HashMap::new()
    }
}

fn dv<T: Serialize>(v: &T) -> Option<tf::DynamicValue> {
    Dynamic::encode(&mut Diagnostics::default(), v).map(Into::into)
}

fn thing(dv: Option<tf::DynamicValue>) -> Option<Thing> {
    let v = Dynamic::from(dv?);
    if v.is_null() {
        return None;
    }
    v.decode(&mut Diagnostics::default())
}

/// The `id` of an identity Terraform got, `None` if it got none.
fn identity(data: Option<tf::ResourceIdentityData>) -> Option<Value<String>> {
    #[derive(Deserialize)]
    struct Identity {
        id: Value<String>,
    }
    let v = Dynamic::from(data?.identity_data?);
    let Identity { id } = v.decode(&mut Diagnostics::default())?;
    Some(id)
}

fn named(name: &str, id: Value<String>) -> Thing {
    Thing {
        id,
        name: Value::Value(name.into()),
    }
}

/// Starts the server; returns the handshake line, the stop count and the
/// task that ends when the server does.
async fn start(
    launch: Launch,
) -> (
    String,
    Arc<AtomicUsize>,
    tokio::task::JoinHandle<Result<(), String>>,
) {
    let stops = Arc::new(AtomicUsize::new(0));
    let counted = stops.clone();
    let service = Service::new("test", TestProvider, move || {
        counted.fetch_add(1, Ordering::SeqCst);
    });
    let bound = bind(&launch).await.unwrap();
    let (line_tx, line_rx) = tokio::sync::oneshot::channel();
    let task = tokio::spawn(serve(bound, service, Shutdown::new(), move |line| {
        let _ = line_tx.send(line.to_string());
        Ok(())
    }));
    (line_rx.await.unwrap(), stops, task)
}

fn address(line: &str) -> &str {
    line.split('|').nth(3).unwrap()
}

#[tokio::test]
async fn a_resource_is_served_through_the_typed_traits_and_shutdown_ends_the_server() {
    let (line, stops, task) = start(Launch { client_cert: None }).await;
    assert!(line.starts_with("1|6|tcp|127.0.0.1:") && line.ends_with("|grpc|"));
    let channel = Endpoint::from_shared(format!("http://{}", address(&line)))
        .unwrap()
        .connect()
        .await
        .unwrap();
    let mut p = tf::provider_client::ProviderClient::new(channel.clone());

    let schema = p
        .get_provider_schema(tf::get_provider_schema::Request {})
        .await
        .unwrap()
        .into_inner();
    assert_eq!(schema.resource_schemas["test_thing"].version, 2);
    assert!(schema.server_capabilities.unwrap().plan_destroy);
    assert!(schema.list_resource_schemas.is_empty() && schema.action_schemas.is_empty());
    let ids = p
        .get_resource_identity_schemas(tf::get_resource_identity_schemas::Request {})
        .await
        .unwrap()
        .into_inner();
    // Every resource has an identity: its `id`, required to import.
    assert!(ids.diagnostics.is_empty());
    let attrs = &ids.identity_schemas["test_thing"].identity_attributes;
    assert_eq!(attrs.len(), 1);
    assert!(attrs[0].name == "id" && attrs[0].required_for_import);

    let bad = p
        .validate_resource_config(tf::validate_resource_config::Request {
            type_name: "test_thing".into(),
            config: dv(&named("bad", Value::Null)),
            client_capabilities: None,
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(bad.diagnostics.len(), 1);
    assert_eq!(bad.diagnostics[0].summary, "bad name");
    assert!(bad.diagnostics[0].attribute.is_some());

    let plan = p
        .plan_resource_change(tf::plan_resource_change::Request {
            type_name: "test_thing".into(),
            prior_state: dv(&()),
            proposed_new_state: dv(&named("a", Value::Null)),
            config: dv(&named("a", Value::Null)),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert!(plan.diagnostics.is_empty(), "{:?}", plan.diagnostics);
    assert_eq!(
        thing(plan.planned_state.clone()),
        Some(named("a", Value::Unknown))
    );
    // A create has no identity until the object exists.
    assert_eq!(identity(plan.planned_identity.clone()), None);

    let applied = p
        .apply_resource_change(tf::apply_resource_change::Request {
            type_name: "test_thing".into(),
            prior_state: dv(&()),
            planned_state: plan.planned_state,
            config: dv(&named("a", Value::Null)),
            planned_private: plan.planned_private,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        thing(applied.new_state),
        Some(named("a", Value::Value("1".into())))
    );
    assert_eq!(
        identity(applied.new_identity),
        Some(Value::Value("1".into()))
    );

    let renamed = p
        .plan_resource_change(tf::plan_resource_change::Request {
            type_name: "test_thing".into(),
            prior_state: dv(&named("a", Value::Value("1".into()))),
            proposed_new_state: dv(&named("b", Value::Value("1".into()))),
            config: dv(&named("b", Value::Null)),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(renamed.requires_replace.len(), 1);

    // A destroy the resource refuses keeps the object in state.
    let stuck = named("stuck", Value::Value("7".into()));
    let refused = p
        .apply_resource_change(tf::apply_resource_change::Request {
            type_name: "test_thing".into(),
            prior_state: dv(&stuck),
            planned_state: dv(&()),
            config: dv(&()),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(refused.diagnostics[0].summary, "refused");
    assert_eq!(thing(refused.new_state), Some(stuck));

    let gone = p
        .read_resource(tf::read_resource::Request {
            type_name: "test_thing".into(),
            current_state: dv(&named("a", Value::Value("gone".into()))),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert!(gone.diagnostics.is_empty());
    assert_eq!(thing(gone.new_state), None);
    // A vanished object has no identity either.
    assert!(gone.new_identity.is_none());

    // Stored state at the current version passes through; an older one is
    // read as the current shape; a newer one is refused.
    let json = br#"{"id":"1","name":"a"}"#.to_vec();
    for (version, ok) in [(2, true), (1, true), (3, false)] {
        let up = p
            .upgrade_resource_state(tf::upgrade_resource_state::Request {
                type_name: "test_thing".into(),
                version,
                raw_state: Some(tf::RawState {
                    json: json.clone(),
                    flatmap: HashMap::new(),
                }),
            })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(up.upgraded_state.is_some(), ok, "version {version}");
        assert_eq!(up.diagnostics.is_empty(), ok, "version {version}");
    }

    let unknown = p
        .read_resource(tf::read_resource::Request {
            type_name: "test_nothing".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert!(unknown.diagnostics[0].summary.contains("test_nothing"));

    // StopProvider reaches the provider; the server keeps serving.
    p.stop_provider(tf::stop_provider::Request {})
        .await
        .unwrap();
    assert_eq!(stops.load(Ordering::SeqCst), 1);
    p.get_metadata(tf::get_metadata::Request {}).await.unwrap();

    // Terraform's plugin client opens the stdio stream; it must not hold
    // the shutdown open.
    let mut stdio = gp::grpc_stdio_client::GrpcStdioClient::new(channel.clone());
    let mut stream = stdio.stream_stdio(()).await.unwrap().into_inner();
    let mut controller = gp::grpc_controller_client::GrpcControllerClient::new(channel);
    controller.shutdown(gp::Empty {}).await.unwrap();
    assert!(stream.message().await.unwrap().is_none());
    task.await.unwrap().unwrap();
}

/// A client certificate as go-plugin makes one (self-signed), PEM and DER.
fn client_cert() -> (String, String) {
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = rcgen::CertificateParams::new(vec!["localhost".to_string()])
        .unwrap()
        .self_signed(&key)
        .unwrap();
    (cert.pem(), key.serialize_pem())
}

#[tokio::test]
async fn auto_mtls_prints_the_server_certificate_and_serves_tls_with_it() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let (pem, key) = client_cert();
    let (line, _, task) = start(Launch {
        client_cert: Some(pem.clone()),
    })
    .await;
    let fields: Vec<&str> = line.split('|').collect();
    assert_eq!(&fields[..3], ["1", "6", "tcp"]);
    assert_eq!(fields[4], "grpc");
    // go-plugin decodes the certificate as unpadded standard base64 DER.
    assert!(!fields[5].contains('='));
    let der = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(fields[5])
        .unwrap();
    let server_pem = format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        base64::engine::general_purpose::STANDARD.encode(&der)
    );

    // A client trusting only the printed certificate, for `localhost`, as
    // go-plugin's is.
    let tls = ClientTlsConfig::new()
        .ca_certificate(tonic::transport::Certificate::from_pem(&server_pem))
        .identity(tonic::transport::Identity::from_pem(&pem, &key))
        .domain_name("localhost");
    let channel: Channel = Endpoint::from_shared(format!("https://{}", address(&line)))
        .unwrap()
        .tls_config(tls)
        .unwrap()
        .connect()
        .await
        .unwrap();
    let mut p = tf::provider_client::ProviderClient::new(channel.clone());
    let meta = p
        .get_metadata(tf::get_metadata::Request {})
        .await
        .unwrap()
        .into_inner();
    assert_eq!(meta.resources[0].type_name, "test_thing");

    // A client certificate other than Terraform's is refused.
    let (other_pem, other_key) = client_cert();
    let impostor = ClientTlsConfig::new()
        .ca_certificate(tonic::transport::Certificate::from_pem(&server_pem))
        .identity(tonic::transport::Identity::from_pem(&other_pem, &other_key))
        .domain_name("localhost");
    let refused = async {
        let ch = Endpoint::from_shared(format!("https://{}", address(&line)))
            .ok()?
            .tls_config(impostor)
            .ok()?
            .connect()
            .await
            .ok()?;
        tf::provider_client::ProviderClient::new(ch)
            .get_metadata(tf::get_metadata::Request {})
            .await
            .ok()
    }
    .await;
    assert!(
        refused.is_none(),
        "a foreign client certificate was accepted"
    );

    gp::grpc_controller_client::GrpcControllerClient::new(channel)
        .shutdown(gp::Empty {})
        .await
        .unwrap();
    task.await.unwrap().unwrap();
}
