//! `POST /token` with an arbitrary form body.

use arbitrary::Arbitrary;
use http::Method;

use crate::Bytes;

#[derive(Arbitrary, Debug)]
pub struct Input {
    pub content_type: u8,
    pub body: Bytes,
}

const CONTENT_TYPES: &[Option<&str>] = &[
    Some("application/x-www-form-urlencoded"),
    None,
    Some("application/json"),
    Some("application/x-www-form-urlencoded; charset=utf-8"),
    Some("multipart/form-data; boundary=x"),
    Some("text/plain"),
];

pub fn run(input: Input) {
    let ct = CONTENT_TYPES[input.content_type as usize % CONTENT_TYPES.len()];
    crate::run(Method::POST, "/token", ct, input.body.0, false);
}
