//! One HTTP/1.1 keep-alive connection per worker, on hyper's low-level client, so the
//! load generator spends as little CPU as possible (it shares the machine with the server).

use std::net::SocketAddr;

use anyhow::{Context, Result};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::HeaderMap;
use hyper::client::conn::http1::{self, SendRequest};
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, COOKIE, HOST};
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;

pub struct Conn {
    addr: SocketAddr,
    host: String,
    sender: Option<SendRequest<Full<Bytes>>>,
}

pub struct Call<'a> {
    pub method: Method,
    pub path: &'a str,
    pub bearer: Option<&'a str>,
    /// A `Cookie` header (the consoles' session).
    pub cookie: Option<&'a str>,
    /// (content type, body)
    pub body: Option<(&'static str, String)>,
}

impl Call<'_> {
    pub fn get<'a>(path: &'a str, bearer: Option<&'a str>) -> Call<'a> {
        Call {
            method: Method::GET,
            path,
            bearer,
            cookie: None,
            body: None,
        }
    }
}

impl Conn {
    pub fn new(addr: SocketAddr) -> Conn {
        Conn {
            addr,
            host: addr.to_string(),
            sender: None,
        }
    }

    async fn connect(&mut self) -> Result<&mut SendRequest<Full<Bytes>>> {
        if self.sender.as_ref().is_none_or(|s| s.is_closed()) {
            let stream = tokio::net::TcpStream::connect(self.addr)
                .await
                .with_context(|| format!("connecting to {}", self.addr))?;
            stream.set_nodelay(true)?;
            let (sender, connection) = http1::handshake(TokioIo::new(stream)).await?;
            tokio::spawn(async move {
                let _ = connection.await;
            });
            self.sender = Some(sender);
        }
        self.sender.as_mut().context("no connection")
    }

    /// Opens the connection now, so that a phase does not time connection set-up.
    pub async fn warm(&mut self) -> Result<()> {
        self.connect().await.map(|_| ())
    }

    /// Sends one request and reads the whole response body.
    pub async fn send(&mut self, call: Call<'_>) -> Result<(StatusCode, Bytes)> {
        self.exchange(call)
            .await
            .map(|(status, _, body)| (status, body))
    }

    /// `send`, with the response's headers too.
    pub async fn exchange(&mut self, call: Call<'_>) -> Result<(StatusCode, HeaderMap, Bytes)> {
        let mut builder = Request::builder()
            .method(call.method)
            .uri(call.path)
            .header(HOST, &self.host);
        if let Some(token) = call.bearer {
            builder = builder.header(AUTHORIZATION, format!("Bearer {token}"));
        }
        if let Some(cookie) = call.cookie {
            builder = builder.header(COOKIE, cookie);
        }
        let body = match call.body {
            Some((content_type, body)) => {
                builder = builder.header(CONTENT_TYPE, content_type);
                Full::new(Bytes::from(body))
            }
            None => Full::new(Bytes::new()),
        };
        let request = builder.body(body)?;
        let result = async {
            let sender = self.connect().await?;
            sender.ready().await?;
            let response = sender.send_request(request).await?;
            let status = response.status();
            let headers = response.headers().clone();
            let bytes = response.into_body().collect().await?.to_bytes();
            anyhow::Ok((status, headers, bytes))
        }
        .await;
        if result.is_err() {
            // A broken connection is replaced on the next call.
            self.sender = None;
        }
        result
    }
}
