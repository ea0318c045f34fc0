//! `TCP_NODELAY` on the gRPC listener tf-provider creates.
//!
//! tf-provider 0.2.2 binds its own `std::net::TcpListener` and hands it to
//! tonic as a custom incoming stream, so tonic's `tcp_nodelay` setting never
//! applies and every connection runs with Nagle's algorithm. A gRPC reply is
//! written as more than one segment (headers and data, then trailers); Nagle
//! holds the second back until Terraform acknowledges the first, and Linux
//! delays that acknowledgement by up to 40 ms: about 40 ms per RPC. In
//! `make bench` a 200-job plan took 0.88 s with Nagle and 0.38 s without; a
//! 200-job create 1.65 s and 0.82 s.
//!
//! On Linux an accepted socket inherits `TCP_NODELAY` from its listener, so it
//! is enough to set it on the listener before Terraform connects. Terraform
//! connects only after reading the handshake line, which tf-provider prints
//! with `println!` right after binding, with no hook in between. So the main
//! thread holds stdout's lock ([`HandshakeGate::close`]) while the server
//! starts on the runtime's workers; the handshake line waits on that lock
//! while the main thread finds the listening socket among the process's
//! descriptors, sets the option, and lets go ([`HandshakeGate::open`]). If no
//! listener shows up within [`GIVE_UP_AFTER`] it lets go anyway: the provider
//! then works as before, only slower.

use std::io::StdoutLock;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

/// Serves `provider` as a Terraform plugin on a multi-threaded runtime, with
/// the handshake line held back until the listener has `TCP_NODELAY`.
/// `on_runtime` runs on the runtime first (the provider's signal handling).
/// Returns when Terraform shuts the plugin down; `Err` says why it could not
/// serve. The provider binary and `make bench`'s no-op plugin both start here,
/// so that they differ only in what their resources do.
pub fn serve_plugin<P: tf_provider::DynamicProvider>(
    name: &'static str,
    provider: P,
    on_runtime: impl FnOnce() + Send + 'static,
) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    // The server starts on the runtime's workers while this thread holds the
    // handshake line back until the gRPC listener has TCP_NODELAY.
    let gate = HandshakeGate::close();
    let serving = runtime.spawn(async move {
        on_runtime();
        tf_provider::serve(name, provider).await
    });
    if let Some(gate) = gate {
        gate.open(|| !serving.is_finished());
    }
    match runtime.block_on(serving) {
        Ok(served) => served.map_err(|e| format!("{e:#}")),
        Err(e) => Err(format!("the server task ended abnormally: {e}")),
    }
}

/// How long [`HandshakeGate::open`] waits for tf-provider's listener before
/// releasing stdout without having set anything. Binding happens within a
/// millisecond or two of the start.
pub const GIVE_UP_AFTER: Duration = Duration::from_millis(500);

/// Between two looks at the process's descriptors.
const POLL_EVERY: Duration = Duration::from_micros(50);

/// Holds the handshake line back: stdout's lock, taken on the thread that
/// will release it.
pub struct HandshakeGate {
    _stdout: StdoutLock<'static>,
}

impl HandshakeGate {
    /// Takes stdout's lock. `None` where listeners cannot be found (no
    /// `/proc`, or not Linux, where the option is not known to be inherited).
    pub fn close() -> Option<HandshakeGate> {
        if !cfg!(target_os = "linux") || std::fs::read_dir("/proc/self/fd").is_err() {
            return None;
        }
        Some(HandshakeGate {
            _stdout: std::io::stdout().lock(),
        })
    }

    /// Waits until a listening TCP socket exists, sets `TCP_NODELAY` on it,
    /// and releases stdout. Gives up after [`GIVE_UP_AFTER`], or as soon as
    /// `still_starting` says the server is no longer starting (it failed).
    pub fn open(self, still_starting: impl Fn() -> bool) {
        self.open_for(still_starting, |_| true, GIVE_UP_AFTER);
    }

    /// [`HandshakeGate::open`] for the listeners whose address `is_ours`
    /// accepts (the provider's process has one; a test process has many).
    pub fn open_for(
        self,
        still_starting: impl Fn() -> bool,
        is_ours: impl Fn(SocketAddr) -> bool,
        give_up_after: Duration,
    ) {
        let deadline = Instant::now() + give_up_after;
        while set_on_listeners_where(&is_ours) == 0 {
            if Instant::now() >= deadline || !still_starting() {
                tracing::debug!("no gRPC listener found; TCP_NODELAY not set");
                break;
            }
            std::thread::sleep(POLL_EVERY);
        }
    }
}

/// Sets `TCP_NODELAY` on every listening TCP socket of this process; returns
/// how many it set it on.
pub fn set_on_listeners() -> usize {
    set_on_listeners_where(|_| true)
}

/// [`set_on_listeners`] restricted to the listeners whose address `is_ours` accepts.
#[cfg(unix)]
pub fn set_on_listeners_where(is_ours: impl Fn(SocketAddr) -> bool) -> usize {
    use std::mem::ManuallyDrop;
    use std::net::TcpStream;
    use std::os::fd::{FromRawFd, RawFd};

    let Ok(fds) = std::fs::read_dir("/proc/self/fd") else {
        return 0;
    };
    let mut set = 0;
    for entry in fds.flatten() {
        let Some(fd) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<RawFd>().ok())
        else {
            continue;
        };
        // SAFETY: the descriptor was open when listed and is only borrowed:
        // ManuallyDrop never closes it. The calls below are getsockname,
        // getpeername and setsockopt, which change nothing but the option;
        // on anything but a TCP socket they fail harmlessly (ENOTSOCK,
        // EBADF if it was closed meanwhile, ENOPROTOOPT for other sockets).
        let socket = ManuallyDrop::new(unsafe { TcpStream::from_raw_fd(fd) });
        // A listener is bound and has no peer.
        if socket.local_addr().is_ok_and(&is_ours)
            && socket.peer_addr().is_err()
            && socket.set_nodelay(true).is_ok()
        {
            set += 1;
        }
    }
    set
}

/// Windows has no descriptors to list (the release's `windows_amd64` build):
/// nothing is set, and [`HandshakeGate::close`] never gates there.
#[cfg(not(unix))]
pub fn set_on_listeners_where(_is_ours: impl Fn(SocketAddr) -> bool) -> usize {
    0
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;
    use std::net::{IpAddr, Ipv4Addr, TcpListener, TcpStream};

    fn nodelay_of(listener: &TcpListener) -> bool {
        use std::mem::ManuallyDrop;
        use std::os::fd::{AsRawFd, FromRawFd};
        // SAFETY: borrowed for one getsockopt; ManuallyDrop never closes it.
        let s = ManuallyDrop::new(unsafe { TcpStream::from_raw_fd(listener.as_raw_fd()) });
        s.nodelay().unwrap()
    }

    // Each test binds its own loopback address and touches only listeners on
    // it: the other tests of this process have listeners too.
    fn only(ip: [u8; 4]) -> impl Fn(SocketAddr) -> bool {
        move |a| a.ip() == IpAddr::V4(Ipv4Addr::from(ip))
    }

    #[test]
    fn accepted_sockets_inherit_nodelay_from_the_listener() {
        let listener = TcpListener::bind("127.0.9.1:0").unwrap();
        assert_eq!(set_on_listeners_where(only([127, 0, 9, 1])), 1);
        let _client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (accepted, _) = listener.accept().unwrap();
        assert!(accepted.nodelay().unwrap());
    }

    #[test]
    fn connected_sockets_are_left_alone() {
        let listener = TcpListener::bind("127.0.9.2:0").unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        client.set_nodelay(false).unwrap();
        set_on_listeners_where(only([127, 0, 9, 2]));
        assert!(!client.nodelay().unwrap());
    }

    #[test]
    fn the_gate_holds_stdout_until_the_listener_has_nodelay() {
        let gate = HandshakeGate::close().expect("Linux with /proc");
        let server = std::thread::spawn(|| {
            let listener = TcpListener::bind("127.0.9.3:0").unwrap();
            // Blocks until the gate opens, like tf-provider's handshake line.
            drop(std::io::stdout().lock());
            let on_listener = nodelay_of(&listener);
            let _client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
            (on_listener, listener.accept().unwrap().0.nodelay().unwrap())
        });
        // A generous deadline: a loaded machine may start the thread late.
        let minute = Duration::from_secs(60);
        gate.open_for(|| !server.is_finished(), only([127, 0, 9, 3]), minute);
        assert_eq!(
            server.join().unwrap(),
            (true, true),
            "(listener, accepted) TCP_NODELAY"
        );
    }
}
