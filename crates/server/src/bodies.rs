//! Request bodies read whole before routing, within a limit. A body over the limit is
//! drained (up to `DRAIN_LIMIT` bytes or `DRAIN_TIME`, as nginx's lingering close does)
//! before the 413 is sent: a client that writes its whole body before reading the answer
//! (Python's `http.client`, hence httplib2 and urllib) would otherwise meet a closed
//! connection mid-write and report a broken pipe instead of the error.

use std::time::Duration;

use axum::body::{Body, Bytes};
use http_body_util::BodyExt;

/// How much of an oversized body is read and thrown away before answering.
pub const DRAIN_LIMIT: usize = 64 << 20;
/// How long draining may take.
pub const DRAIN_TIME: Duration = Duration::from_secs(5);

pub enum Read {
    Whole(Bytes),
    /// Over the limit (the rest drained, as far as the bounds allow).
    TooLarge,
    /// The framing broke, or the body was cut short.
    Malformed,
}

/// Reads `body` whole if it is at most `limit` bytes.
pub async fn read(mut body: Body, limit: usize) -> Read {
    let mut data: Vec<u8> = Vec::new();
    loop {
        match body.frame().await {
            None => return Read::Whole(Bytes::from(data)),
            Some(Err(_)) => return Read::Malformed,
            Some(Ok(frame)) => {
                if let Ok(chunk) = frame.into_data() {
                    if data.len() + chunk.len() > limit {
                        let seen = data.len() + chunk.len();
                        drop(data);
                        let _ = tokio::time::timeout(DRAIN_TIME, drain(body, seen)).await;
                        return Read::TooLarge;
                    }
                    data.extend_from_slice(&chunk);
                }
            }
        }
    }
}

/// Reads and discards the rest of `body`, up to `DRAIN_LIMIT` bytes in all.
async fn drain(mut body: Body, mut seen: usize) {
    while seen <= DRAIN_LIMIT {
        match body.frame().await {
            Some(Ok(frame)) => {
                if let Ok(chunk) = frame.into_data() {
                    seen += chunk.len();
                }
            }
            _ => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn whole_bodies_within_the_limit_and_refusals_past_it() {
        match read(Body::from(vec![1u8; 10]), 10).await {
            Read::Whole(b) => assert_eq!(b.len(), 10),
            _ => panic!("a body at the limit is read"),
        }
        assert!(matches!(
            read(Body::from(vec![1u8; 11]), 10).await,
            Read::TooLarge
        ));
    }

    #[tokio::test]
    async fn an_oversized_stream_is_drained_to_its_end() {
        let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
        let sender = tokio::spawn(async move {
            for _ in 0..100 {
                if tx.send(Ok(Bytes::from(vec![0u8; 4096]))).await.is_err() {
                    return false;
                }
            }
            true
        });
        let body = Body::from_stream(tokio_stream(rx));
        assert!(matches!(read(body, 1000).await, Read::TooLarge));
        assert!(sender.await.expect("sender"), "every chunk was taken");
    }

    fn tokio_stream(
        mut rx: tokio::sync::mpsc::Receiver<Result<Bytes, std::io::Error>>,
    ) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> {
        futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx))
    }
}
