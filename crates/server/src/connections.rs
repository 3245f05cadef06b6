//! Accepting and serving connections, with the deadlines `axum::serve` lacks: a request
//! head must arrive within the header-read timeout of its first byte, a kept-alive
//! connection waiting for its next request is closed after the idle timeout, and a
//! graceful stop waits at most the shutdown grace for requests in flight. Without them a
//! client that sends half a request head holds a connection (and a graceful stop) open
//! for as long as it likes.
//!
//! Each connection's phase is tracked between its socket and its service: idle (waiting
//! for a request), reading a head (bytes have arrived since the last response), or busy
//! (the head was parsed and the app is answering). Only the first two have a deadline;
//! the app's own 30-second request timeout bounds the third.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
use tokio::time::{Instant, Sleep};
use tower::ServiceExt;

/// How long connections may wait, and how long a graceful stop may take.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// From the first byte of a request to the end of its head.
    pub header_read: Duration,
    /// From the end of a response (or the connection's start) to the next request's first byte.
    pub idle: Duration,
    /// From the stop signal to the end of the last request in flight.
    pub shutdown_grace: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            header_read: Duration::from_secs(20),
            idle: Duration::from_secs(60),
            shutdown_grace: Duration::from_secs(30),
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Phase {
    Idle(Instant),
    Head(Instant),
    Busy,
}

/// The phase of one connection, shared by its socket wrapper and its service.
struct Watch(Mutex<Phase>);

impl Watch {
    fn new() -> Self {
        Watch(Mutex::new(Phase::Idle(Instant::now())))
    }

    fn set(&self, f: impl FnOnce(Phase) -> Phase) {
        let mut phase = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *phase = f(*phase);
    }

    fn get(&self) -> Phase {
        *self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Bytes arrived: an idle connection starts reading a request head.
    fn read(&self) {
        self.set(|p| match p {
            Phase::Idle(_) => Phase::Head(Instant::now()),
            other => other,
        });
    }

    /// The head was parsed and handed to the app.
    fn busy(&self) {
        self.set(|_| Phase::Busy);
    }

    /// Bytes were written: a response went out, and the connection waits again.
    fn wrote(&self) {
        self.set(|p| match p {
            Phase::Busy => Phase::Idle(Instant::now()),
            other => other,
        });
    }

    fn deadline(&self, limits: &ConnectionLimits) -> Option<Instant> {
        match self.get() {
            Phase::Idle(since) => Some(since + limits.idle),
            Phase::Head(since) => Some(since + limits.header_read),
            Phase::Busy => None,
        }
    }
}

/// A socket whose reads fail with `TimedOut` once its phase's deadline has passed.
struct Timed<S> {
    io: S,
    watch: Arc<Watch>,
    limits: ConnectionLimits,
    sleep: Pin<Box<Sleep>>,
    armed_for: Option<Instant>,
}

impl<S> Timed<S> {
    fn new(io: S, watch: Arc<Watch>, limits: ConnectionLimits) -> Self {
        Timed {
            io,
            watch,
            limits,
            sleep: Box::pin(tokio::time::sleep_until(Instant::now() + limits.idle)),
            armed_for: None,
        }
    }

    /// A response went out. hyper may not read again before the client does (its read
    /// was registered while the connection was busy, without a deadline), so the idle
    /// timer is armed here, on the connection's own task, to wake it when time is up.
    fn wrote(&mut self, cx: &mut Context<'_>) {
        self.watch.wrote();
        // `Ready` cannot happen for a deadline just set; the next read reports it anyway.
        let _ = self.poll_deadline(cx);
    }

    /// Arms the timer for the current phase; `Ready` once its deadline has passed.
    fn poll_deadline(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        let Some(deadline) = self.watch.deadline(&self.limits) else {
            return Poll::Pending;
        };
        if self.armed_for != Some(deadline) {
            self.sleep.as_mut().reset(deadline);
            self.armed_for = Some(deadline);
        }
        self.sleep.as_mut().poll(cx)
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Timed<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        let before = buf.filled().len();
        match Pin::new(&mut this.io).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                if buf.filled().len() > before {
                    this.watch.read();
                }
                Poll::Ready(Ok(()))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => match this.poll_deadline(cx) {
                Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "the client sent no complete request in time",
                ))),
                Poll::Pending => Poll::Pending,
            },
        }
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Timed<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        let result = Pin::new(&mut this.io).poll_write(cx, buf);
        if let Poll::Ready(Ok(n)) = &result
            && *n > 0
        {
            this.wrote(cx);
        }
        result
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        let result = Pin::new(&mut this.io).poll_write_vectored(cx, bufs);
        if let Poll::Ready(Ok(n)) = &result
            && *n > 0
        {
            this.wrote(cx);
        }
        result
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}

/// Serves `app` on `listener` until `shutdown` resolves, then stops accepting and lets
/// requests in flight finish, for at most `limits.shutdown_grace`.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let builder = auto::Builder::new(TokioExecutor::new());
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of file descriptors and the like: wait, as axum::serve does.
                    tracing::warn!(error = %e, "accepting a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        if let Err(e) = stream.set_nodelay(true) {
            tracing::debug!(error = %e, "TCP_NODELAY");
        }
        let watch = Arc::new(Watch::new());
        let io = TokioIo::new(Timed::new(stream, watch.clone(), limits));
        let app = app.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            watch.busy();
            request
                .extensions_mut()
                .insert(ConnectInfo::<SocketAddr>(peer));
            app.clone().oneshot(request.map(axum::body::Body::new))
        });
        let connection = builder
            .serve_connection_with_upgrades(io, service)
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connection ended");
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(limits.shutdown_grace, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            grace_seconds = limits.shutdown_grace.as_secs(),
            "stopping with requests still in flight after the shutdown grace"
        );
    }
    Ok(())
}
