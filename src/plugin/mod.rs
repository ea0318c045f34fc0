//! The provider's plugin server: Terraform's plugin protocol 6 (6.10) and
//! go-plugin's handshake and services, on tonic, from `proto/`.
//!
//! Nothing here knows a JetBackup type: the server serves any provider
//! written against tf-provider's typed traits (`Provider`, `Resource`,
//! `DataSource`), through [`dispatch`]. The provider binary and `make
//! bench`'s no-op plugin both start at [`serve_plugin`], so that they differ
//! only in what their resources do.
//!
//! - [`handshake`]: magic cookie, loopback listener with `TCP_NODELAY`,
//!   AutoMTLS, the handshake line.
//! - [`service`]: the tfplugin6 `Provider` service.
//! - [`action`]: actions (`ValidateActionConfig`, `PlanAction`,
//!   `InvokeAction`'s stream), served for the service.
//! - [`goplugin`]: `GRPCController` (Shutdown), `GRPCStdio`, `GRPCBroker`.
//! - [`dispatch`]: raw values to the typed traits; [`served`]: each sort of
//!   type by its Terraform name, with its schema; [`value`]: values on the
//!   wire; [`convert`]: diagnostics and schemas to the protocol's messages;
//!   [`write_only`]: the write-only flag tf-provider's schemas lack.
//! - [`identity`]: every resource's identity (its `id`); [`list`]: list
//!   resources for `terraform query`.

pub mod action;
pub mod convert;
pub mod dispatch;
pub mod goplugin;
pub mod handshake;
pub mod identity;
pub mod list;
pub mod proto;
pub mod served;
pub mod service;
pub mod value;
pub mod write_only;

use std::io::Write as _;

pub use action::{Action, ActionServer, Progress};
pub use dispatch::{
    DataSourceServer, Found, ListResourceServer, Plugin, ProviderServer, ResourceServer,
};
use goplugin::{Broker, Controller, Shutdown, Stdio};
use handshake::{accept_nodelay, Bound, Launch};
use proto::goplugin as gp;
use proto::tfplugin6 as tf;
use service::Service;

/// Serves `provider` as the Terraform plugin `name` on a multi-threaded
/// runtime until Terraform shuts it down. `on_stop` runs on every
/// `StopProvider`; `on_runtime` runs on the runtime first (signal
/// handling). `Err` says why it could not serve.
pub fn serve_plugin(
    name: &'static str,
    provider: impl ProviderServer,
    on_stop: impl Fn() + Send + Sync + 'static,
    on_runtime: impl FnOnce() + Send + 'static,
) -> Result<(), String> {
    let launch = Launch::from_env()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    runtime.block_on(async move {
        on_runtime();
        let bound = handshake::bind(&launch).await?;
        let service = Service::new(name, provider, on_stop);
        serve(bound, service, Shutdown::new(), |line| {
            // Terraform reads this one line, then connects.
            let mut out = std::io::stdout().lock();
            writeln!(out, "{line}").and_then(|()| out.flush())
        })
        .await
    })
}

/// Serves `service` on `bound` until `shutdown` is raised (by
/// `GRPCController.Shutdown` or the caller), then finishes the calls in
/// flight. A closed connection does not end the server: Terraform's gRPC
/// client closes an idle connection (30 minutes) and dials again, and a
/// provider waiting on another provider's long create must still answer. `announce` gets the handshake line once the server is ready to
/// accept.
pub async fn serve(
    bound: Bound,
    service: Service,
    shutdown: Shutdown,
    announce: impl FnOnce(&str) -> std::io::Result<()>,
) -> Result<(), String> {
    let Bound {
        listener,
        tls,
        line,
    } = bound;
    let mut builder = tonic::transport::Server::builder();
    if let Some(tls) = tls {
        builder = builder
            .tls_config(tls)
            .map_err(|e| format!("cannot set up AutoMTLS: {e}"))?;
    }
    let router = builder
        .add_service(tf::provider_server::ProviderServer::new(service))
        .add_service(gp::grpc_controller_server::GrpcControllerServer::new(
            Controller(shutdown.clone()),
        ))
        .add_service(gp::grpc_stdio_server::GrpcStdioServer::new(Stdio(
            shutdown.clone(),
        )))
        .add_service(gp::grpc_broker_server::GrpcBrokerServer::new(Broker(
            shutdown.clone(),
        )));
    // The listener is bound already: connections wait in its backlog until
    // the server takes them.
    announce(&line).map_err(|e| format!("cannot write the handshake line: {e}"))?;
    router
        .serve_with_incoming_shutdown(accept_nodelay(listener), shutdown.raised())
        .await
        .map_err(|e| format!("the gRPC server failed: {e}"))
}

#[cfg(test)]
mod test_resource;
#[cfg(test)]
mod tests;
