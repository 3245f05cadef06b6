//! The shared fuzzing harness: one in-memory partnerd per process, driven through its
//! router exactly as a client would drive the HTTP server, with a reseller, a signed-in
//! admin and a few real objects (customers, subscriptions, users, org units, a role,
//! an assignment, a licence) the fuzzed requests can point at.
//!
//! [`run`] sends one request and checks what every answer must satisfy: never a 5xx,
//! and every 4xx in Google's error format (`/token`: an OAuth error). A violation
//! panics, which libFuzzer records as a crash.
//!
//! Set `PARTNERD_FUZZ_TRACE=1` to print every request and its answer (handy with a
//! single input: `fuzz/target/<triple>/release/<target> <file>`).

#![forbid(unsafe_code)]

use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use arbitrary::Arbitrary;
use axum::Router;
use axum::body::Body;
use base64::Engine;
use http::{Method, Request, StatusCode, header};
use partnerd_domain::SystemClock;
use partnerd_domain::scopes::DELEGATED_BY_DEFAULT;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Value, json};
use tower::ServiceExt;

pub mod targets;

pub const PUBLIC_URL: &str = "http://fuzz";
pub const TOKEN_URL: &str = "http://fuzz/token";
pub const RESELLER_DOMAIN: &str = "fuzz-reseller.com";
pub const ADMIN_EMAIL: &str = "admin@fuzz-reseller.com";
pub const CUSTOMER_DOMAIN: &str = "fuzz-customer.com";
pub const OTHER_DOMAIN: &str = "fuzz-other.com";
pub const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";
pub const WORKSPACE: &str = "Google-Apps";
pub const BUSINESS_STARTER: &str = "1010020027";
const CONTROL_TOKEN: &str = "fuzz-control-token";
/// Access tokens live an hour: a long run signs in again well before that.
const TOKEN_REFRESH: Duration = Duration::from_secs(45 * 60);

/// Everything unreserved in RFC 3986 stays; the rest is percent-encoded.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes one path segment or one query value.
pub fn enc(text: &str) -> String {
    utf8_percent_encode(text, COMPONENT).to_string()
}

/// Percent-encodes each `/`-separated piece of a path tail (an org unit path).
pub fn enc_path(text: &str) -> String {
    text.split('/').map(enc).collect::<Vec<_>>().join("/")
}

/// Replaces the placeholders of a fuzzed body with the IDs of the seeded objects, so
/// seeds and dictionary entries can name objects whose IDs are only known at run time:
/// `$CUSTOMER$` `$OTHER$` (customers), `$SUB$` `$SUB2$`, `$USER$` `$USER2$` `$STAFF$`
/// (user IDs), `$ADMIN$` (the admin's ID), `$ROLE$`, `$ASSIGNMENT$`, `$UNIT$` `$UNIT2$`
/// (org unit IDs), `$PRIVILEGE$` `$SERVICE$` (a privilege and its service ID).
pub fn expand(body: Vec<u8>) -> Vec<u8> {
    if !body.contains(&b'$') {
        return body;
    }
    let s = seeded();
    let first = |v: &[String], i: usize| v.get(i).cloned().unwrap_or_default();
    let table = [
        ("$CUSTOMER$", first(&s.customers, 0)),
        ("$OTHER$", first(&s.customers, 2)),
        ("$SUB$", first(&s.subscriptions, 0)),
        ("$SUB2$", first(&s.subscriptions, 1)),
        ("$USER$", first(&s.user_ids, 0)),
        ("$USER2$", first(&s.user_ids, 1)),
        ("$STAFF$", first(&s.user_ids, 2)),
        ("$ADMIN$", s.admin_id.clone()),
        ("$ROLE$", first(&s.roles, 0)),
        ("$ASSIGNMENT$", first(&s.role_assignments, 0)),
        ("$UNIT$", first(&s.org_unit_ids, 0)),
        ("$UNIT2$", first(&s.org_unit_ids, 1)),
        ("$PRIVILEGE$", s.privilege.0.clone()),
        ("$SERVICE$", s.privilege.1.clone()),
    ];
    let mut out = body;
    for (name, value) in table {
        out = replace_all(&out, name.as_bytes(), value.as_bytes());
    }
    out
}

fn replace_all(haystack: &[u8], needle: &[u8], with: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(haystack.len());
    let mut i = 0;
    while i < haystack.len() {
        if haystack[i..].starts_with(needle) {
            out.extend_from_slice(with);
            i += needle.len();
        } else {
            out.push(haystack[i]);
            i += 1;
        }
    }
    out
}

/// Text from fuzz bytes: valid UTF-8 is kept as is, the rest replaced.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Raw bytes. As the last field of an input they are all the remaining input, verbatim
/// (a `Vec<u8>` would read a continuation flag before each byte).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Bytes(pub Vec<u8>);

impl<'a> Arbitrary<'a> for Bytes {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(Bytes(<&[u8]>::arbitrary(u)?.to_vec()))
    }

    fn arbitrary_take_rest(u: arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(Bytes(u.take_rest().to_vec()))
    }

    fn size_hint(depth: usize) -> (usize, Option<usize>) {
        <&[u8]>::size_hint(depth)
    }
}

impl std::fmt::Debug for Bytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", String::from_utf8_lossy(&self.0))
    }
}

/// An identifier chosen by the fuzzer: one of the real objects, or arbitrary text.
#[derive(Arbitrary, Debug, Clone)]
pub enum Key {
    Seeded(u8),
    Text(String),
}

impl Key {
    /// The `known` value this key picks, or its text.
    pub fn pick(&self, known: &[String]) -> String {
        match self {
            Key::Seeded(i) if !known.is_empty() => known[*i as usize % known.len()].clone(),
            Key::Seeded(_) => String::new(),
            Key::Text(t) => t.clone(),
        }
    }
}

/// What the harness created, by kind; fuzz inputs pick from these lists.
#[derive(Debug, Clone, Default)]
pub struct Seeded {
    pub reseller_customer_id: String,
    pub admin_id: String,
    pub key_id: String,
    pub client_email: String,
    /// Reseller customer keys: IDs and domains of the two customers.
    pub customers: Vec<String>,
    /// Directory customer keys: the customers' IDs and `my_customer`.
    pub directory_customers: Vec<String>,
    pub subscriptions: Vec<String>,
    /// User keys: IDs and primary e-mail addresses.
    pub users: Vec<String>,
    pub user_ids: Vec<String>,
    pub org_unit_paths: Vec<String>,
    pub org_unit_ids: Vec<String>,
    pub roles: Vec<String>,
    pub role_assignments: Vec<String>,
    /// A privilege's name and service ID, for role bodies.
    pub privilege: (String, String),
    pub products: Vec<String>,
    pub skus: Vec<String>,
    /// Each list route with the `nextPageToken` of its first page (maxResults=1).
    pub page_tokens: Vec<(String, String)>,
}

/// One answer of the server.
pub struct Answer {
    pub status: StatusCode,
    pub body: Vec<u8>,
}

impl std::fmt::Debug for Answer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status, String::from_utf8_lossy(&self.body))
    }
}

impl Answer {
    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

pub struct Harness {
    runtime: tokio::runtime::Runtime,
    router: Router,
    signing_key: jsonwebtoken::EncodingKey,
    token: Mutex<(String, Instant)>,
    pub seeded: Seeded,
    /// Subscriptions as (customer ID, subscription ID): fuzzed requests cancel, replace and
    /// transfer them, so the list is read again when a seeded one is gone.
    subscriptions: Mutex<Vec<(String, String)>>,
    trace: bool,
}

static HARNESS: OnceLock<Harness> = OnceLock::new();

/// The process-wide harness, built on first use.
pub fn harness() -> &'static Harness {
    HARNESS.get_or_init(Harness::build)
}

pub fn seeded() -> &'static Seeded {
    &harness().seeded
}

/// Sends one request and checks the invariants (see the crate documentation).
/// Returns `None` when the URI or request cannot be built, or the request is skipped.
pub fn run(
    method: Method,
    path_and_query: &str,
    content_type: Option<&str>,
    body: Vec<u8>,
    with_token: bool,
) -> Option<Answer> {
    harness().run(method, path_and_query, content_type, body, with_token)
}

/// Seconds since the Unix epoch on the wall clock (what JWT `iat`/`exp` are judged by).
pub fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

impl Harness {
    fn build() -> Harness {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime");
        let (router, reseller, key) = runtime.block_on(async {
            let store = partnerd_store::open("sqlite::memory:")
                .await
                .expect("an in-memory store");
            let clock = Arc::new(SystemClock::default());
            let reseller = partnerd_server::provision::create_reseller(
                store.as_ref(),
                clock.as_ref(),
                RESELLER_DOMAIN,
                ADMIN_EMAIL,
                "fuzz-password-1",
            )
            .await
            .expect("a reseller");
            let key = partnerd_server::provision::create_key(
                store.as_ref(),
                clock.as_ref(),
                RESELLER_DOMAIN,
                PUBLIC_URL,
            )
            .await
            .expect("a service-account key");
            let state = partnerd_server::AppState::new(
                store,
                clock,
                PUBLIC_URL,
                Some(CONTROL_TOKEN.to_string()),
            );
            (partnerd_server::app(state), reseller, key)
        });
        let signing_key = jsonwebtoken::EncodingKey::from_rsa_pem(key.private_key.as_bytes())
            .expect("the key file's private key");
        let mut harness = Harness {
            runtime,
            router,
            signing_key,
            token: Mutex::new((String::new(), Instant::now())),
            subscriptions: Mutex::new(Vec::new()),
            seeded: Seeded {
                reseller_customer_id: reseller.customer_id.clone(),
                key_id: key.private_key_id.clone(),
                client_email: key.client_email.clone(),
                ..Seeded::default()
            },
            trace: std::env::var_os("PARTNERD_FUZZ_TRACE").is_some(),
        };
        let token = harness.sign_in();
        *harness.token.get_mut().expect("token lock") = (token, Instant::now());
        harness.seed();
        harness
    }

    /// Signs `header` and `claims` (any JSON) with the service account's real key (RS256).
    pub fn sign(&self, header: &[u8], claims: &[u8]) -> String {
        let message = format!("{}.{}", b64(header), b64(claims));
        let signature = jsonwebtoken::crypto::sign(
            message.as_bytes(),
            &self.signing_key,
            jsonwebtoken::Algorithm::RS256,
        )
        .expect("RS256 signing");
        format!("{message}.{signature}")
    }

    /// A fresh access token for the reseller's admin, with every scope partnerd delegates.
    fn sign_in(&self) -> String {
        let now = unix_now();
        let header = json!({"alg": "RS256", "typ": "JWT", "kid": self.seeded.key_id});
        let claims = json!({
            "iss": self.seeded.client_email,
            "sub": ADMIN_EMAIL,
            "aud": TOKEN_URL,
            "scope": DELEGATED_BY_DEFAULT.join(" "),
            "iat": now,
            "exp": now + 3600,
        });
        let assertion = self.sign(header.to_string().as_bytes(), claims.to_string().as_bytes());
        let form = format!(
            "grant_type={}&assertion={}",
            enc(JWT_BEARER),
            enc(&assertion)
        );
        let answer = self.send(
            Method::POST,
            "/token",
            Some("application/x-www-form-urlencoded"),
            form.into_bytes(),
            None,
        );
        let body = answer.as_ref().and_then(Answer::json);
        match body.as_ref().and_then(|b| b["access_token"].as_str()) {
            Some(token) => token.to_string(),
            None => panic!("harness set-up: no access token: {answer:?}"),
        }
    }

    pub fn bearer(&self) -> String {
        let mut token = self.token.lock().unwrap_or_else(|e| e.into_inner());
        if token.1.elapsed() > TOKEN_REFRESH {
            *token = (self.sign_in(), Instant::now());
        }
        token.0.clone()
    }

    fn send(
        &self,
        method: Method,
        path_and_query: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
        bearer: Option<&str>,
    ) -> Option<Answer> {
        let uri: http::Uri = path_and_query.parse().ok()?;
        let mut request = Request::builder().method(method).uri(uri);
        if let Some(ct) = content_type {
            request = request.header(header::CONTENT_TYPE, ct);
        }
        if let Some(token) = bearer {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let request = request.body(Body::from(body)).ok()?;
        let router = self.router.clone();
        self.runtime.block_on(async move {
            let response = router
                .oneshot(request)
                .await
                .expect("the router is infallible");
            let status = response.status();
            let body = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .expect("a response body");
            Some(Answer {
                status,
                body: body.to_vec(),
            })
        })
    }

    /// Requests that would change the signed-in admin (demote, suspend, rename it) would
    /// turn every later request into a refusal: they are not sent.
    fn touches_admin(&self, method: &Method, path_and_query: &str) -> bool {
        if *method == Method::GET {
            return false;
        }
        let path = path_and_query.split('?').next().unwrap_or_default();
        let decoded = percent_encoding::percent_decode_str(path)
            .decode_utf8_lossy()
            .to_ascii_lowercase();
        decoded.contains(ADMIN_EMAIL)
            || (!self.seeded.admin_id.is_empty() && decoded.contains(&self.seeded.admin_id))
    }

    pub fn run(
        &self,
        method: Method,
        path_and_query: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
        with_token: bool,
    ) -> Option<Answer> {
        if self.touches_admin(&method, path_and_query) {
            return None;
        }
        let token = with_token.then(|| self.bearer());
        let sent = body.clone();
        let answer = self.send(
            method.clone(),
            path_and_query,
            content_type,
            body,
            token.as_deref(),
        )?;
        if self.trace {
            eprintln!(
                "{method} {path_and_query} {} -> {} {}",
                String::from_utf8_lossy(&sent),
                answer.status,
                String::from_utf8_lossy(&answer.body)
            );
        }
        let path = path_and_query.split('?').next().unwrap_or_default();
        let problem = if answer.status.is_server_error() {
            Some("a server error".to_string())
        } else if answer.status.is_client_error() {
            if path == "/token" {
                oauth_error_problem(&answer.body)
            } else {
                google_error_problem(answer.status, &answer.body)
            }
        } else {
            None
        };
        if let Some(problem) = problem {
            panic!(
                "invariant broken: {problem}\n  request: {method} {path_and_query}\n  content-type: {content_type:?}\n  request body: {:?}\n  answer: {} {}",
                String::from_utf8_lossy(&sent),
                answer.status,
                String::from_utf8_lossy(&answer.body),
            );
        }
        Some(answer)
    }

    /// The `i`th known subscription, as (customer ID, subscription ID).
    pub fn subscription(&self, i: u8) -> (String, String) {
        let subs = self.subscriptions.lock().unwrap_or_else(|e| e.into_inner());
        if subs.is_empty() {
            return (String::new(), String::new());
        }
        subs[i as usize % subs.len()].clone()
    }

    /// Reads the reseller's subscriptions again (after a seeded one was not found).
    pub fn refresh_subscriptions(&self) {
        let Ok(page) = self.setup(
            Method::GET,
            "/apps/reseller/v1/subscriptions?maxResults=20",
            None,
            &[],
        ) else {
            return;
        };
        let found: Vec<(String, String)> = page["subscriptions"]
            .as_array()
            .map(|subs| {
                subs.iter()
                    .filter(|s| s["status"] == "ACTIVE")
                    .map(|s| (id_of(s, "customerId"), id_of(s, "subscriptionId")))
                    .collect()
            })
            .unwrap_or_default();
        if !found.is_empty() {
            *self.subscriptions.lock().unwrap_or_else(|e| e.into_inner()) = found;
        }
    }

    /// A set-up request that must succeed; returns its JSON answer.
    fn must(&self, method: Method, path: &str, body: Option<Value>) -> Value {
        self.setup(method, path, body, &[])
            .unwrap_or_else(|a| panic!("harness set-up: {path}: {a:?}"))
    }

    fn setup(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        tolerated: &[StatusCode],
    ) -> Result<Value, Option<Answer>> {
        let (ct, bytes) = match body {
            Some(b) => (Some("application/json"), b.to_string().into_bytes()),
            None => (None, Vec::new()),
        };
        let bearer = if path.starts_with("/partnerd/") {
            CONTROL_TOKEN.to_string()
        } else {
            self.bearer()
        };
        let answer = self.send(method, path, ct, bytes, Some(&bearer));
        match answer {
            Some(a) if a.status.is_success() => Ok(a.json().unwrap_or(Value::Null)),
            Some(a) if tolerated.contains(&a.status) => Ok(Value::Null),
            other => Err(other),
        }
    }

    /// Creates the objects fuzzed requests point at, and collects first-page tokens.
    fn seed(&mut self) {
        let mut s = self.seeded.clone();
        let me = self.must(
            Method::GET,
            &format!("/admin/directory/v1/users/{}", enc(ADMIN_EMAIL)),
            None,
        );
        s.admin_id = id_of(&me, "id");

        for domain in [CUSTOMER_DOMAIN, OTHER_DOMAIN] {
            let customer = self.must(
                Method::POST,
                "/apps/reseller/v1/customers",
                Some(json!({
                    "customerDomain": domain,
                    "alternateEmail": "billing@alt-mail.example",
                    "phoneNumber": "+1 650-253-0000",
                    "postalAddress": {
                        "contactName": "Jane Roe",
                        "organizationName": "Example Widgets Inc.",
                        "addressLine1": "1600 Amphitheatre Parkway",
                        "locality": "Mountain View",
                        "region": "CA",
                        "postalCode": "94043",
                        "countryCode": "US",
                    },
                })),
            );
            let id = id_of(&customer, "customerId");
            self.must(
                Method::POST,
                &format!("/partnerd/v1/customers/{id}:acceptTos"),
                None,
            );
            s.customers.push(id.clone());
            s.customers.push(domain.to_string());
            s.directory_customers.push(id);
        }
        s.directory_customers.push("my_customer".into());
        let customer = s.customers[0].clone();
        let other = s.customers[2].clone();

        for (cid, body) in [
            (
                &customer,
                json!({"skuId": BUSINESS_STARTER, "plan": {"planName": "FLEXIBLE"},
                       "seats": {"maximumNumberOfSeats": 5}}),
            ),
            (
                &other,
                json!({"skuId": BUSINESS_STARTER, "plan": {"planName": "ANNUAL_MONTHLY_PAY"},
                       "seats": {"numberOfSeats": 5}}),
            ),
        ] {
            let sub = self.must(
                Method::POST,
                &format!("/apps/reseller/v1/customers/{cid}/subscriptions"),
                Some(body),
            );
            s.subscriptions.push(id_of(&sub, "subscriptionId"));
        }

        for name in ["Fuzz1", "Fuzz2"] {
            let unit = self.must(
                Method::POST,
                &format!("/admin/directory/v1/customer/{customer}/orgunits"),
                Some(json!({"name": name, "parentOrgUnitPath": "/", "description": "seeded"})),
            );
            s.org_unit_ids.push(id_of(&unit, "orgUnitId"));
            s.org_unit_paths.push(
                id_of(&unit, "orgUnitPath")
                    .trim_start_matches('/')
                    .to_string(),
            );
        }

        for email in [
            format!("ana@{CUSTOMER_DOMAIN}"),
            format!("bob@{CUSTOMER_DOMAIN}"),
            format!("staff@{RESELLER_DOMAIN}"),
        ] {
            let user = self.must(
                Method::POST,
                "/admin/directory/v1/users",
                Some(json!({
                    "primaryEmail": email,
                    "name": {"givenName": "Ana", "familyName": "Lima"},
                    // SHA-1 of "fuzz": pre-hashed, so set-up costs no password hashing.
                    "password": "0492e0df40077c04b1943dc1aadb32c659080fac",
                    "hashFunction": "SHA-1",
                })),
            );
            let id = id_of(&user, "id");
            s.user_ids.push(id.clone());
            s.users.push(id);
            s.users.push(email);
        }
        let staff_id = s.user_ids[2].clone();

        // A licence for ana (unless auto-licensing already gave her one).
        let _ = self.setup(
            Method::POST,
            &format!("/apps/licensing/v1/product/{WORKSPACE}/sku/{BUSINESS_STARTER}/user"),
            Some(json!({"userId": s.users[1]})),
            &[StatusCode::CONFLICT],
        );
        s.products = vec![
            WORKSPACE.into(),
            "101001".into(),
            "Google-Drive-storage".into(),
        ];
        s.skus = vec![
            BUSINESS_STARTER.into(),
            "1010020028".into(),
            "1010010001".into(),
            "Google-Drive-storage-20GB".into(),
        ];

        let privileges = self.must(
            Method::GET,
            "/admin/directory/v1/customer/my_customer/roles/ALL/privileges",
            None,
        );
        // Any privilege a custom role may hold (SUPER_ADMIN may not).
        let first = privileges["items"]
            .as_array()
            .and_then(|items| items.iter().find(|p| p["privilegeName"] != "SUPER_ADMIN"))
            .cloned()
            .unwrap_or_else(|| panic!("harness set-up: no privileges in {privileges}"));
        let first = &first;
        s.privilege = (id_of(first, "privilegeName"), id_of(first, "serviceId"));
        let role = self.must(
            Method::POST,
            "/admin/directory/v1/customer/my_customer/roles",
            Some(json!({
                "roleName": "Fuzz role",
                "rolePrivileges": [{
                    "privilegeName": first["privilegeName"],
                    "serviceId": first["serviceId"],
                }],
            })),
        );
        let role_id = id_of(&role, "roleId");
        let roles = self.must(
            Method::GET,
            "/admin/directory/v1/customer/my_customer/roles",
            None,
        );
        s.roles.push(role_id.clone());
        if let Some(items) = roles["items"].as_array() {
            s.roles
                .extend(items.iter().take(3).map(|r| id_of(r, "roleId")));
        }
        let assignment = self.must(
            Method::POST,
            "/admin/directory/v1/customer/my_customer/roleassignments",
            Some(json!({"roleId": role_id, "assignedTo": staff_id, "scopeType": "CUSTOMER"})),
        );
        s.role_assignments
            .push(id_of(&assignment, "roleAssignmentId"));
        let assignments = self.must(
            Method::GET,
            "/admin/directory/v1/customer/my_customer/roleassignments",
            None,
        );
        if let Some(items) = assignments["items"].as_array() {
            s.role_assignments
                .extend(items.iter().take(2).map(|a| id_of(a, "roleAssignmentId")));
        }

        *self.subscriptions.get_mut().expect("subscriptions lock") = vec![
            (customer.clone(), s.subscriptions[0].clone()),
            (other.clone(), s.subscriptions[1].clone()),
        ];
        self.seeded = s;
        let mut tokens = Vec::new();
        for list in targets::page_tokens::list_routes(&self.seeded) {
            let url = format!(
                "{list}{}maxResults=1",
                if list.contains('?') { '&' } else { '?' }
            );
            if let Ok(page) = self.setup(Method::GET, &url, None, &[])
                && let Some(token) = page["nextPageToken"].as_str()
            {
                tokens.push((list, token.to_string()));
            }
        }
        if self.trace {
            eprintln!(
                "harness: seeded {:#?} and {} page tokens",
                self.seeded,
                tokens.len()
            );
        }
        self.seeded.page_tokens = tokens;
    }
}

/// A field that is an ID, whether the server sends it as a string or a number.
fn id_of(value: &Value, field: &str) -> String {
    match &value[field] {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        other => panic!("harness set-up: no {field} in {value} ({other})"),
    }
}

/// Why `body` is not Google's JSON error for `status`, if it is not.
pub fn google_error_problem(status: StatusCode, body: &[u8]) -> Option<String> {
    let Ok(value) = serde_json::from_slice::<Value>(body) else {
        return Some("the error body is not JSON".into());
    };
    let Some(error) = value.get("error").and_then(Value::as_object) else {
        return Some("the error body has no `error` object".into());
    };
    if error.get("code").and_then(Value::as_u64) != Some(u64::from(status.as_u16())) {
        return Some("error.code is not the HTTP status".into());
    }
    if !error.get("message").is_some_and(Value::is_string) {
        return Some("error.message is not a string".into());
    }
    if !error.get("status").is_some_and(Value::is_string) {
        return Some("error.status is not a string".into());
    }
    let Some(errors) = error.get("errors").and_then(Value::as_array) else {
        return Some("error.errors is not an array".into());
    };
    if errors.is_empty() {
        return Some("error.errors is empty".into());
    }
    for item in errors {
        for field in ["message", "domain", "reason"] {
            if !item.get(field).is_some_and(Value::is_string) {
                return Some(format!("an entry of error.errors has no string `{field}`"));
            }
        }
    }
    None
}

/// Why `body` is not an OAuth error (`{"error": "...", ...}`), if it is not.
pub fn oauth_error_problem(body: &[u8]) -> Option<String> {
    match serde_json::from_slice::<Value>(body) {
        Ok(value) if value.get("error").is_some_and(Value::is_string) => None,
        Ok(_) => Some("the OAuth error has no `error` string".into()),
        Err(_) => Some("the OAuth error body is not JSON".into()),
    }
}
