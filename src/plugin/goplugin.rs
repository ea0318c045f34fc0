//! go-plugin's services beside the provider's: `GRPCController.Shutdown`,
//! which Terraform calls when it is done with the plugin, and the stdio
//! and broker streams its plugin client opens on connecting. Nothing is
//! sent on them (logs go to stderr, which Terraform reads itself; the
//! provider brokers no connections); they end when the server shuts down,
//! so that they never hold a graceful shutdown open.

use std::pin::Pin;

use futures_util::Stream;
use tokio::sync::watch;
use tonic::{Request, Response, Status, Streaming};

use super::proto::goplugin as gp;

type EventStream<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send + 'static>>;

/// Raised once, by `Shutdown` (or whoever owns the sender).
#[derive(Clone)]
pub struct Shutdown(watch::Sender<bool>);

impl Shutdown {
    pub fn new() -> Shutdown {
        Shutdown(watch::channel(false).0)
    }

    pub fn raise(&self) {
        self.0.send_replace(true);
    }

    /// Resolves once raised (at once if it already was).
    pub fn raised(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        let mut rx = self.0.subscribe();
        async move {
            // An error means the sender is gone: nothing can raise it any more,
            // and the server is going away anyway.
            let _ = rx.wait_for(|raised| *raised).await;
        }
    }

    /// A stream that yields nothing and ends once raised.
    fn until_raised<T: Send + 'static>(&self) -> EventStream<T> {
        use futures_util::StreamExt as _;
        let raised = self.raised();
        Box::pin(
            futures_util::stream::once(raised)
                .filter_map(|()| std::future::ready(None::<Result<T, Status>>)),
        )
    }
}

impl Default for Shutdown {
    fn default() -> Self {
        Shutdown::new()
    }
}

pub struct Controller(pub Shutdown);

#[tonic::async_trait]
impl gp::grpc_controller_server::GrpcController for Controller {
    async fn shutdown(&self, _: Request<gp::Empty>) -> Result<Response<gp::Empty>, Status> {
        self.0.raise();
        Ok(Response::new(gp::Empty {}))
    }
}

pub struct Stdio(pub Shutdown);

#[tonic::async_trait]
impl gp::grpc_stdio_server::GrpcStdio for Stdio {
    type StreamStdioStream = EventStream<gp::StdioData>;

    async fn stream_stdio(
        &self,
        _: Request<()>,
    ) -> Result<Response<Self::StreamStdioStream>, Status> {
        Ok(Response::new(self.0.until_raised()))
    }
}

pub struct Broker(pub Shutdown);

#[tonic::async_trait]
impl gp::grpc_broker_server::GrpcBroker for Broker {
    type StartStreamStream = EventStream<gp::ConnInfo>;

    async fn start_stream(
        &self,
        _: Request<Streaming<gp::ConnInfo>>,
    ) -> Result<Response<Self::StartStreamStream>, Status> {
        Ok(Response::new(self.0.until_raised()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt as _;

    #[tokio::test]
    async fn the_streams_end_when_shutdown_is_raised_and_not_before() {
        let shutdown = Shutdown::new();
        let mut stream = shutdown.until_raised::<gp::StdioData>();
        let early = tokio::time::timeout(std::time::Duration::from_millis(20), stream.next()).await;
        assert!(early.is_err(), "the stream ended before shutdown");
        shutdown.raise();
        assert!(stream.next().await.is_none());
        // Raised before anyone waits: resolves at once.
        shutdown.raised().await;
    }
}
