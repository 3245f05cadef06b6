//! `POST /batch`: Google's batch protocol. A `multipart/mixed` body whose parts are each
//! one HTTP request (`Content-Type: application/http`); each runs through the whole
//! router, as if sent alone (its own authorization, faults, rate limit and errors), and
//! the answers come back as the parts of a `multipart/mixed` response, each with
//! `Content-ID: <response-…>` naming the request's.
//!
//! As at Google: at most 1,000 requests a batch; a header of the outer request applies to
//! every inner request that does not set it (the `Content-` headers excepted); a batch
//! inside a batch is refused. The requests run one after another, in the order sent
//! (Google promises no order; one order is easiest to reason about).
//!
//! Clients differ in their framing: google-api-python-client and GAM write bare line
//! feeds and may fold a long `Content-ID` onto two lines, so both line ends and folded
//! headers are read.

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, Request, header};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;

use crate::errors::ApiError;

/// Google's limit on calls in one batch.
pub const MAX_PARTS: usize = 1000;

/// The whole application, which each inner request is sent through.
pub type Inner = Router;

pub async fn handle(State(inner): State<Inner>, headers: HeaderMap, body: Body) -> Response {
    match run(inner, headers, body).await {
        Ok(response) => response,
        Err(error) => error.into_response(),
    }
}

async fn run(inner: Inner, headers: HeaderMap, body: Body) -> Result<Response, ApiError> {
    let boundary = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(multipart_boundary)
        .ok_or_else(|| {
            ApiError::bad_request(
                "A batch request must be multipart/mixed, with a boundary in its Content-Type.",
            )
        })?;
    let bytes = axum::body::to_bytes(body, crate::extract::BODY_LIMIT)
        .await
        .map_err(|_| ApiError::too_large(crate::extract::BODY_LIMIT))?;
    let parts = split_parts(&bytes, &boundary)
        .ok_or_else(|| ApiError::bad_request("The batch body is not valid multipart/mixed."))?;
    if parts.is_empty() {
        return Err(ApiError::bad_request(
            "A batch request must hold at least one request.",
        ));
    }
    if parts.len() > MAX_PARTS {
        return Err(ApiError::bad_request(format!(
            "A batch request may hold at most {MAX_PARTS} requests; this one holds {}.",
            parts.len()
        )));
    }
    let response_boundary = format!("batch_{}", partnerd_domain::ids::random_hex(12));
    let mut out = Vec::new();
    for part in parts {
        let (content_id, request) = parse_part(&part, &headers);
        let answer = match request {
            Ok(request) => answer_of(&inner, request).await,
            Err(why) => ApiError::bad_request(why).into_response(),
        };
        write_part(&mut out, &response_boundary, content_id.as_deref(), answer).await;
    }
    out.extend_from_slice(format!("--{response_boundary}--\r\n").as_bytes());
    Ok((
        [(
            header::CONTENT_TYPE,
            format!("multipart/mixed; boundary={response_boundary}"),
        )],
        out,
    )
        .into_response())
}

async fn answer_of(inner: &Inner, request: Request<Body>) -> Response {
    if request.uri().path() == "/batch" {
        return ApiError::bad_request("A batch request cannot hold another batch request.")
            .into_response();
    }
    match inner.clone().oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

/// The `boundary` parameter of a `multipart/mixed` content type.
fn multipart_boundary(content_type: &str) -> Option<String> {
    let mut pieces = content_type.split(';');
    let media = pieces.next()?.trim();
    if !media.eq_ignore_ascii_case("multipart/mixed") {
        return None;
    }
    pieces.find_map(|p| {
        let (name, value) = p.trim().split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| value.trim().trim_matches('"').to_string())
            .filter(|b| !b.is_empty())
    })
}

/// The parts between `--boundary` lines, each without its delimiter line ends; `None`
/// when the body never closes with `--boundary--`.
fn split_parts(body: &[u8], boundary: &str) -> Option<Vec<Vec<u8>>> {
    let delimiter = format!("--{boundary}");
    let mut parts = Vec::new();
    let mut current: Option<Vec<u8>> = None;
    for line in split_lines(body) {
        let trimmed = trim_line_end(line);
        if trimmed == delimiter.as_bytes() || trimmed == format!("{delimiter}--").as_bytes() {
            if let Some(part) = current.take() {
                parts.push(strip_final_line_end(part));
            }
            if trimmed.ends_with(b"--") && trimmed.len() == delimiter.len() + 2 {
                return Some(parts);
            }
            current = Some(Vec::new());
        } else if let Some(part) = current.as_mut() {
            part.extend_from_slice(line);
        }
    }
    None
}

/// Lines with their line ends kept, so a part's bytes are what was sent.
fn split_lines(text: &[u8]) -> impl Iterator<Item = &[u8]> {
    text.split_inclusive(|b| *b == b'\n')
}

fn trim_line_end(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// The line end before a delimiter belongs to the delimiter (RFC 2046 §5.1.1).
fn strip_final_line_end(mut part: Vec<u8>) -> Vec<u8> {
    if part.ends_with(b"\n") {
        part.pop();
        if part.ends_with(b"\r") {
            part.pop();
        }
    }
    part
}

/// A part's MIME headers (folded lines unfolded) and what follows them.
fn mime_headers(part: &[u8]) -> (Vec<(String, String)>, &[u8]) {
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut rest = part;
    while !rest.is_empty() {
        let end = rest
            .iter()
            .position(|b| *b == b'\n')
            .map_or(rest.len(), |i| i + 1);
        let line = &rest[..end];
        rest = &rest[end..];
        let text = String::from_utf8_lossy(trim_line_end(line)).to_string();
        if text.is_empty() {
            break;
        }
        if text.starts_with([' ', '\t']) {
            if let Some((_, value)) = headers.last_mut() {
                value.push(' ');
                value.push_str(text.trim());
            }
            continue;
        }
        if let Some((name, value)) = text.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    (headers, rest)
}

/// One part's `Content-ID` (the answer repeats it) and the request it carries, with the
/// outer request's headers filled in; or why it carries none.
fn parse_part(
    part: &[u8],
    outer: &HeaderMap,
) -> (Option<String>, Result<Request<Body>, &'static str>) {
    let (mime, payload) = mime_headers(part);
    let content_id = mime
        .iter()
        .find(|(n, _)| n == "content-id")
        .map(|(_, v)| v.clone());
    (content_id, parse_request(payload, outer))
}

const NOT_HTTP: &str = "A batch part does not hold an HTTP request.";

fn parse_request(payload: &[u8], outer: &HeaderMap) -> Result<Request<Body>, &'static str> {
    // A request with no blank line after its headers (a GET with nothing after) is
    // closed first, so that every part is parsed once.
    let ends_head = |w: &[u8]| w == b"\r\n\r\n" || w.ends_with(b"\n\n");
    let closed;
    let payload = if payload.windows(4).any(ends_head) {
        payload
    } else {
        closed = [payload, b"\r\n\r\n"].concat();
        &closed
    };
    let mut slots = [httparse::EMPTY_HEADER; 64];
    let mut parsed = httparse::Request::new(&mut slots);
    match parsed.parse(payload) {
        Ok(httparse::Status::Complete(head_len)) => {
            build_request(&parsed, &payload[head_len..], outer)
        }
        Ok(httparse::Status::Partial) | Err(_) => Err(NOT_HTTP),
    }
}

fn build_request(
    parsed: &httparse::Request,
    body: &[u8],
    outer: &HeaderMap,
) -> Result<Request<Body>, &'static str> {
    let method = parsed
        .method
        .and_then(|m| Method::from_bytes(m.as_bytes()).ok())
        .ok_or("A batch part names no HTTP method.")?;
    let target = parsed.path.ok_or("A batch part names no path.")?;
    // An absolute URL names this server (or Google's host): only its path and query count.
    let path = match target.find("://") {
        Some(i) => {
            let after = &target[i + 3..];
            after.find('/').map_or("/", |j| &after[j..])
        }
        None => target,
    };
    let mut builder = Request::builder().method(method).uri(path);
    let mut inner_names = Vec::new();
    for h in parsed.headers.iter() {
        let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(h.name.as_bytes()),
            HeaderValue::from_bytes(h.value),
        ) else {
            return Err("A batch part has a malformed header.");
        };
        inner_names.push(name.clone());
        builder = builder.header(name, value);
    }
    for (name, value) in outer {
        let content = name.as_str().starts_with("content-");
        if !content && *name != header::HOST && !inner_names.contains(name) {
            builder = builder.header(name.clone(), value.clone());
        }
    }
    // A body's length is what the part holds, whatever it declared.
    let body = body.to_vec();
    builder = builder.header(header::CONTENT_LENGTH, body.len());
    builder
        .body(Body::from(body))
        .map_err(|_| "A batch part holds a malformed request.")
}

/// One answer as a part: `application/http`, its status line, headers and body.
async fn write_part(out: &mut Vec<u8>, boundary: &str, content_id: Option<&str>, answer: Response) {
    let (parts, body) = answer.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    out.extend_from_slice(format!("--{boundary}\r\nContent-Type: application/http\r\n").as_bytes());
    if let Some(id) = content_id {
        let inner = id.trim().trim_start_matches('<').trim_end_matches('>');
        out.extend_from_slice(format!("Content-ID: <response-{inner}>\r\n").as_bytes());
    }
    out.extend_from_slice(b"\r\n");
    let status = parts.status;
    out.extend_from_slice(
        format!(
            "HTTP/1.1 {} {}\r\n",
            status.as_u16(),
            status.canonical_reason().unwrap_or("")
        )
        .as_bytes(),
    );
    for (name, value) in &parts.headers {
        if *name == header::CONTENT_LENGTH || *name == header::CONNECTION {
            continue;
        }
        out.extend_from_slice(name.as_str().as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", bytes.len()).as_bytes());
    out.extend_from_slice(&bytes);
    out.extend_from_slice(b"\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_boundary_is_read_quoted_or_not() {
        assert_eq!(
            multipart_boundary(
                r#"multipart/mixed; boundary="===============7330845974216740156==""#
            ),
            Some("===============7330845974216740156==".into())
        );
        assert_eq!(
            multipart_boundary("Multipart/Mixed;boundary=batch_x"),
            Some("batch_x".into())
        );
        assert_eq!(multipart_boundary("multipart/form-data; boundary=x"), None);
        assert_eq!(multipart_boundary("multipart/mixed"), None);
        assert_eq!(multipart_boundary("multipart/mixed; boundary="), None);
    }

    #[test]
    fn parts_are_split_with_either_line_end_and_folded_ids_unfolded() {
        let lf = b"--b\nContent-Type: application/http\nContent-ID: <x +\n 1>\n\nGET /a HTTP/1.1\n\n\n--b\nContent-Type: application/http\n\nGET /b HTTP/1.1\n\n--b--\n";
        let parts = split_parts(lf, "b").expect("parts");
        assert_eq!(parts.len(), 2);
        let (headers, rest) = mime_headers(&parts[0]);
        assert_eq!(
            headers,
            vec![
                ("content-type".into(), "application/http".into()),
                ("content-id".into(), "<x + 1>".into())
            ]
        );
        assert!(rest.starts_with(b"GET /a HTTP/1.1"));
        let crlf = b"--b\r\nContent-Type: application/http\r\n\r\nGET /c HTTP/1.1\r\n\r\n--b--";
        assert_eq!(split_parts(crlf, "b").map(|p| p.len()), Some(1));
        assert_eq!(split_parts(b"--b\r\nno end", "b"), None);
        assert_eq!(split_parts(b"--b--\r\n", "b"), Some(vec![]));
    }

    #[test]
    fn a_part_becomes_its_request_with_the_outer_headers_it_lacks() {
        let mut outer = HeaderMap::new();
        outer.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer outer"),
        );
        outer.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("multipart/mixed; boundary=b"),
        );
        outer.insert("x-goog-api-client", HeaderValue::from_static("outer"));
        let part = b"Content-Type: application/http\nContent-ID: <1>\n\nPOST https://reseller.googleapis.com/apps/reseller/v1/customers?alt=json HTTP/1.1\nContent-Type: application/json\nx-goog-api-client: inner\n\n{\"a\":1}";
        let (id, request) = parse_part(part, &outer);
        let request = request.expect("request");
        assert_eq!(id.as_deref(), Some("<1>"));
        assert_eq!(request.method(), Method::POST);
        assert_eq!(request.uri(), "/apps/reseller/v1/customers?alt=json");
        let h = request.headers();
        assert_eq!(h[header::AUTHORIZATION], "Bearer outer");
        assert_eq!(h["x-goog-api-client"], "inner");
        assert_eq!(h[header::CONTENT_TYPE], "application/json");
        assert_eq!(h[header::CONTENT_LENGTH], "7");
        let get = b"Content-Type: application/http\n\nGET /x HTTP/1.1\nauthorization: Bearer inner";
        let request = parse_part(get, &outer).1.expect("a GET with nothing after");
        assert_eq!(request.headers()[header::AUTHORIZATION], "Bearer inner");
        assert_eq!(
            parse_part(b"Content-Type: application/http\n\nnot http", &outer)
                .1
                .map(|_| ()),
            Err(NOT_HTTP)
        );
    }
}
