//! Closed-loop load phases: each worker holds one connection and sends its next request
//! as soon as the previous one is answered, for a fixed duration.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use hyper::Method;
use rand::rngs::StdRng as SmallRng;
use rand::{Rng, SeedableRng};

use crate::client::{Call, Conn};
use crate::mix;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Op {
    Healthz,
    Token,
    CustomerGet,
    SubscriptionGet,
    ListFirst,
    ListDeep,
    CustomerInsert,
    SubscriptionInsert,
    ChangeSeats,
    ConsoleFirst,
    ConsoleDeep,
    ConsoleSearch,
    ConsoleFiltered,
    ConsoleCommonSku,
    ConsoleNoMatch,
    ConsoleRenewal,
    ConsoleRenewalWeek,
}

pub const ALL_OPS: [Op; 17] = [
    Op::Healthz,
    Op::Token,
    Op::CustomerGet,
    Op::SubscriptionGet,
    Op::ListFirst,
    Op::ListDeep,
    Op::CustomerInsert,
    Op::SubscriptionInsert,
    Op::ChangeSeats,
    Op::ConsoleFirst,
    Op::ConsoleDeep,
    Op::ConsoleSearch,
    Op::ConsoleFiltered,
    Op::ConsoleCommonSku,
    Op::ConsoleNoMatch,
    Op::ConsoleRenewal,
    Op::ConsoleRenewalWeek,
];

impl Op {
    pub fn name(self) -> &'static str {
        match self {
            Op::Healthz => "GET /healthz",
            Op::Token => "POST /token",
            Op::CustomerGet => "customers.get",
            Op::SubscriptionGet => "subscriptions.get",
            Op::ListFirst => "subscriptions.list (first page)",
            Op::ListDeep => "subscriptions.list (deep page)",
            Op::CustomerInsert => "customers.insert",
            Op::SubscriptionInsert => "subscriptions.insert",
            Op::ChangeSeats => "subscriptions.changeSeats",
            Op::ConsoleFirst => "GET /partner (first page)",
            Op::ConsoleDeep => "GET /partner (deep page)",
            Op::ConsoleSearch => "GET /partner?q= (prefix search)",
            Op::ConsoleFiltered => "GET /partner?plan=TRIAL (deep page)",
            Op::ConsoleCommonSku => "GET /partner?sku=1010020028 (deep page)",
            Op::ConsoleNoMatch => "GET /partner?status=suspended (none match)",
            Op::ConsoleRenewal => "GET /partner?sort=renewal (deep page)",
            Op::ConsoleRenewalWeek => "GET /partner?renews_from=&renews_to= (one week)",
        }
    }

    /// Console pages are signed in with the session cookie, not a bearer token.
    pub fn is_console(self) -> bool {
        matches!(
            self,
            Op::ConsoleFirst
                | Op::ConsoleDeep
                | Op::ConsoleSearch
                | Op::ConsoleFiltered
                | Op::ConsoleCommonSku
                | Op::ConsoleNoMatch
                | Op::ConsoleRenewal
                | Op::ConsoleRenewalWeek
        )
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// What the workers share: the servers, credentials, and the seeded data's shape.
pub struct Ctx {
    pub servers: Vec<SocketAddr>,
    /// One access token per server, obtained through that server's /token.
    pub tokens: Vec<String>,
    pub assertions: Vec<String>,
    pub customers: u64,
    pub per_customer: u64,
    /// Seeded customers without subscriptions, `customers..customers + fresh`, for
    /// subscriptions.insert.
    pub fresh: u64,
    pub page_tokens: Vec<String>,
    pub run_tag: String,
    /// The reseller admin's console session (`Cookie` header).
    pub cookie: String,
    next_assertion: AtomicU64,
    next_domain: AtomicU64,
    next_purchase: AtomicU64,
}

/// The SKUs bought in turn on each fresh customer (distinct families, all FLEXIBLE).
const PURCHASES: &[&str] = &[
    "1010020028",
    "Google-Drive-storage-20GB",
    "1010470003",
    "Google-Vault",
    "1010380001",
    "1010050001",
];

impl Ctx {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        servers: Vec<SocketAddr>,
        tokens: Vec<String>,
        assertions: Vec<String>,
        customers: u64,
        per_customer: u64,
        fresh: u64,
        page_tokens: Vec<String>,
        run_tag: String,
        cookie: String,
    ) -> Ctx {
        Ctx {
            servers,
            tokens,
            assertions,
            customers,
            per_customer,
            fresh,
            page_tokens,
            run_tag,
            cookie,
            next_assertion: AtomicU64::new(0),
            next_domain: AtomicU64::new(0),
            next_purchase: AtomicU64::new(0),
        }
    }

    /// How many subscriptions.insert calls the fresh customers can still take.
    pub fn purchases_left(&self) -> u64 {
        (self.fresh * PURCHASES.len() as u64)
            .saturating_sub(self.next_purchase.load(Ordering::Relaxed))
    }
}

#[derive(Clone)]
pub struct OpStats {
    pub hist: Histogram<u64>,
    pub errors: u64,
    pub first_error: Option<String>,
}

impl OpStats {
    fn new() -> OpStats {
        OpStats {
            // Microseconds, 1 µs to 100 s, three significant figures.
            hist: Histogram::new_with_bounds(1, 100_000_000, 3).expect("histogram bounds"),
            errors: 0,
            first_error: None,
        }
    }
}

pub struct PhaseResult {
    pub name: String,
    pub connections: usize,
    pub elapsed: Duration,
    pub ops: Vec<(Op, OpStats)>,
}

impl PhaseResult {
    pub fn total(&self) -> u64 {
        self.ops.iter().map(|(_, s)| s.hist.len()).sum()
    }

    pub fn rate(&self, op: Op) -> f64 {
        self.ops
            .iter()
            .find(|(o, _)| *o == op)
            .map(|(_, s)| s.hist.len() as f64 / self.elapsed.as_secs_f64())
            .unwrap_or(0.0)
    }
}

/// Runs `connections` workers for `duration`, each choosing its next operation from
/// `weights` (op, relative weight).
pub async fn run_phase(
    ctx: Arc<Ctx>,
    name: &str,
    connections: usize,
    duration: Duration,
    weights: &[(Op, u32)],
) -> PhaseResult {
    let weights: Arc<Vec<(Op, u32)>> = Arc::new(weights.to_vec());
    // Connect every worker before the clock starts.
    let mut conns = Vec::with_capacity(connections);
    for w in 0..connections {
        let mut conn = Conn::new(ctx.servers[w % ctx.servers.len()]);
        if let Err(e) = conn.warm().await {
            eprintln!("worker {w}: {e:#}");
        }
        conns.push(conn);
    }
    let start = Instant::now();
    let deadline = start + duration;
    let mut handles = Vec::with_capacity(connections);
    for (w, conn) in conns.into_iter().enumerate() {
        let ctx = ctx.clone();
        let weights = weights.clone();
        handles.push(tokio::spawn(async move {
            worker(ctx, w, conn, deadline, &weights).await
        }));
    }
    let mut merged: Vec<Option<OpStats>> = vec![None; ALL_OPS.len()];
    for h in handles {
        let Ok(stats) = h.await else { continue };
        for (i, s) in stats.into_iter().enumerate() {
            let Some(s) = s else { continue };
            match &mut merged[i] {
                Some(m) => {
                    m.hist.add(&s.hist).expect("same histogram bounds");
                    m.errors += s.errors;
                    if m.first_error.is_none() {
                        m.first_error = s.first_error;
                    }
                }
                slot @ None => *slot = Some(s),
            }
        }
    }
    let elapsed = start.elapsed();
    let ops = ALL_OPS
        .iter()
        .zip(merged)
        .filter_map(|(op, s)| s.map(|s| (*op, s)))
        .collect();
    PhaseResult {
        name: name.to_string(),
        connections,
        elapsed,
        ops,
    }
}

fn choose(weights: &[(Op, u32)], rng: &mut SmallRng) -> Op {
    let total: u32 = weights.iter().map(|w| w.1).sum();
    let mut r = rng.gen_range(0..total);
    for (op, w) in weights {
        if r < *w {
            return *op;
        }
        r -= w;
    }
    weights[0].0
}

async fn worker(
    ctx: Arc<Ctx>,
    w: usize,
    mut conn: Conn,
    deadline: Instant,
    weights: &[(Op, u32)],
) -> Vec<Option<OpStats>> {
    let mut rng = SmallRng::seed_from_u64(w as u64 * 7919 + 17);
    let mut stats: Vec<Option<OpStats>> = vec![None; ALL_OPS.len()];
    let token = ctx.tokens[w % ctx.tokens.len()].clone();
    while Instant::now() < deadline {
        let op = choose(weights, &mut rng);
        let (method, path, body) = request(&ctx, op, &mut rng);
        let call = Call {
            method,
            path: &path,
            bearer: if matches!(op, Op::Healthz | Op::Token) || op.is_console() {
                None
            } else {
                Some(token.as_str())
            },
            cookie: op.is_console().then_some(ctx.cookie.as_str()),
            body,
        };
        let started = Instant::now();
        let outcome = conn.send(call).await;
        let micros = started.elapsed().as_micros().max(1) as u64;
        let s = stats[op.index()].get_or_insert_with(OpStats::new);
        s.hist.saturating_record(micros);
        let failure = match outcome {
            Ok((status, _)) if status.is_success() => None,
            Ok((status, body)) => Some(format!(
                "{status}: {}",
                String::from_utf8_lossy(&body[..body.len().min(300)])
            )),
            Err(e) => Some(format!("transport: {e:#}")),
        };
        if let Some(f) = failure {
            s.errors += 1;
            if s.first_error.is_none() {
                s.first_error = Some(format!("{path} -> {f}"));
            }
        }
    }
    stats
}

type Body = Option<(&'static str, String)>;

/// A console list cursor (`after`) as the page writes it: opaque base64url text.
fn console_cursor(plain: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(plain)
}

/// A day as the list's date filters take it (`YYYY-MM-DD`, UTC).
fn day(millis: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(millis.div_euclid(1000))
        .map(|t| t.date().to_string())
        .unwrap_or_default()
}

fn random_domain(ctx: &Ctx, rng: &mut SmallRng) -> String {
    mix::customer_domain(rng.gen_range(0..ctx.customers))
}

fn request(ctx: &Ctx, op: Op, rng: &mut SmallRng) -> (Method, String, Body) {
    match op {
        Op::Healthz => (Method::GET, "/healthz".into(), None),
        Op::Token => {
            let n = ctx.next_assertion.fetch_add(1, Ordering::Relaxed) as usize;
            let assertion = &ctx.assertions[n % ctx.assertions.len()];
            let body = format!(
                "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion={assertion}"
            );
            (
                Method::POST,
                "/token".into(),
                Some(("application/x-www-form-urlencoded", body)),
            )
        }
        Op::ConsoleFirst => (Method::GET, "/partner".into(), None),
        Op::ConsoleDeep => {
            let after = console_cursor(&format!("d|{}", random_domain(ctx, rng)));
            (Method::GET, format!("/partner?after={after}"), None)
        }
        Op::ConsoleSearch => {
            // The first letters of a random seeded domain: a prefix many customers share.
            let domain = random_domain(ctx, rng);
            let prefix: String = domain.chars().take(3).collect();
            (Method::GET, format!("/partner?q={prefix}"), None)
        }
        Op::ConsoleFiltered => {
            // Trials are 5 % of the seeded subscriptions: a filter that keeps few.
            let after = console_cursor(&format!("d|{}", random_domain(ctx, rng)));
            (
                Method::GET,
                format!("/partner?plan=TRIAL&after={after}"),
                None,
            )
        }
        Op::ConsoleCommonSku => {
            // Business Standard is 45 % of the seeded Workspace editions: a filter that
            // keeps many (tens of thousands of holders).
            let after = console_cursor(&format!("d|{}", random_domain(ctx, rng)));
            (
                Method::GET,
                format!("/partner?sku=1010020028&after={after}"),
                None,
            )
        }
        // No seeded subscription is suspended: the list has to rule out every customer.
        Op::ConsoleNoMatch => (Method::GET, "/partner?status=suspended".into(), None),
        Op::ConsoleRenewal => {
            // A renewal date somewhere in the seeded terms' year.
            let now = partnerd_domain::Clock::now(&partnerd_domain::SystemClock::new(0));
            let at = now + rng.gen_range(0..365 * 86_400_000_i64);
            let after = console_cursor(&format!("r||{at}"));
            (
                Method::GET,
                format!("/partner?sort=renewal&after={after}"),
                None,
            )
        }
        Op::ConsoleRenewalWeek => {
            // Renewals in one week of the seeded terms' year: some thousands of the
            // subscriptions, around where the list changes its plan.
            let now = partnerd_domain::Clock::now(&partnerd_domain::SystemClock::new(0));
            let from = now + rng.gen_range(0..358 * 86_400_000_i64);
            let to = from + 6 * 86_400_000;
            (
                Method::GET,
                format!("/partner?renews_from={}&renews_to={}", day(from), day(to)),
                None,
            )
        }
        Op::CustomerGet => {
            let i = rng.gen_range(0..ctx.customers);
            (
                Method::GET,
                format!("/apps/reseller/v1/customers/{}", mix::customer_id(i)),
                None,
            )
        }
        Op::SubscriptionGet => {
            let i = rng.gen_range(0..ctx.customers);
            let slot = rng.gen_range(0..ctx.per_customer);
            (
                Method::GET,
                format!(
                    "/apps/reseller/v1/customers/{}/subscriptions/{}",
                    mix::customer_id(i),
                    mix::subscription_id(i * ctx.per_customer + slot)
                ),
                None,
            )
        }
        Op::ListFirst => (
            Method::GET,
            "/apps/reseller/v1/subscriptions?maxResults=100".into(),
            None,
        ),
        Op::ListDeep => {
            let token = &ctx.page_tokens[rng.gen_range(0..ctx.page_tokens.len())];
            (
                Method::GET,
                format!("/apps/reseller/v1/subscriptions?maxResults=100&pageToken={token}"),
                None,
            )
        }
        Op::CustomerInsert => {
            let n = ctx.next_domain.fetch_add(1, Ordering::Relaxed);
            let domain = format!("new-{}-{n}.example.com", ctx.run_tag);
            let fields = mix::customer_fields(&domain, mix::splitmix(n));
            let a = fields.postal_address.unwrap_or_default();
            let body = serde_json::json!({
                "customerDomain": domain,
                "alternateEmail": fields.alternate_email,
                "postalAddress": {
                    "contactName": a.contact_name,
                    "organizationName": a.organization_name,
                    "addressLine1": a.address_line1,
                    "locality": a.locality,
                    "postalCode": a.postal_code,
                    "countryCode": a.country_code,
                },
            });
            (
                Method::POST,
                "/apps/reseller/v1/customers".into(),
                Some(("application/json", body.to_string())),
            )
        }
        Op::SubscriptionInsert => {
            let n = ctx.next_purchase.fetch_add(1, Ordering::Relaxed);
            let per = PURCHASES.len() as u64;
            // Past the last fresh customer the request is still sent, and fails (counted).
            let customer = ctx.customers + (n / per).min(ctx.fresh.saturating_sub(1));
            let sku = PURCHASES[(n % per) as usize];
            let seats = 1 + rng.gen_range(0..50);
            let body = serde_json::json!({
                "skuId": sku,
                "plan": {"planName": "FLEXIBLE"},
                "seats": {"maximumNumberOfSeats": seats},
            });
            (
                Method::POST,
                format!(
                    "/apps/reseller/v1/customers/{}/subscriptions",
                    mix::customer_id(customer)
                ),
                Some(("application/json", body.to_string())),
            )
        }
        Op::ChangeSeats => {
            let i = loop {
                let i = rng.gen_range(0..ctx.customers);
                if mix::workspace_is_flexible(i) {
                    break i;
                }
            };
            let body = serde_json::json!({"maximumNumberOfSeats": rng.gen_range(1..=300)});
            (
                Method::POST,
                format!(
                    "/apps/reseller/v1/customers/{}/subscriptions/{}/changeSeats",
                    mix::customer_id(i),
                    mix::subscription_id(i * ctx.per_customer)
                ),
                Some(("application/json", body.to_string())),
            )
        }
    }
}

/// Walks the whole subscription list once, 100 per page, on one connection; returns
/// every page token and the number of pages (a failed page stops the walk).
pub async fn walk(server: SocketAddr, token: &str) -> anyhow::Result<(Vec<String>, u64)> {
    let mut conn = Conn::new(server);
    let mut tokens = Vec::new();
    let mut pages = 0u64;
    let mut next: Option<String> = None;
    loop {
        let path = match &next {
            None => "/apps/reseller/v1/subscriptions?maxResults=100".to_string(),
            Some(t) => format!("/apps/reseller/v1/subscriptions?maxResults=100&pageToken={t}"),
        };
        let (status, body) = conn.send(Call::get(&path, Some(token))).await?;
        pages += 1;
        if !status.is_success() {
            anyhow::bail!(
                "walking the list: {status} {}",
                String::from_utf8_lossy(&body[..body.len().min(300)])
            );
        }
        match next_page_token(&body) {
            Some(t) => {
                tokens.push(t.clone());
                next = Some(t);
            }
            None => break,
        }
    }
    Ok((tokens, pages))
}

/// The response's `nextPageToken`, found without parsing the whole page (it is last).
fn next_page_token(body: &[u8]) -> Option<String> {
    const KEY: &[u8] = b"\"nextPageToken\":\"";
    let at = body.windows(KEY.len()).rposition(|w| w == KEY)? + KEY.len();
    let end = body[at..].iter().position(|b| *b == b'"')? + at;
    Some(String::from_utf8_lossy(&body[at..end]).into_owned())
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_the_next_page_token() {
        let body =
            br#"{"kind":"x","subscriptions":[{"a":"nextPageToken"}],"nextPageToken":"MTIzLmFi"}"#;
        assert_eq!(super::next_page_token(body).as_deref(), Some("MTIzLmFi"));
        assert_eq!(super::next_page_token(br#"{"subscriptions":[]}"#), None);
    }
}
