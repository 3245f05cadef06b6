//! `partnerd-bench`: seeds a fresh database through the store's bulk path, starts
//! partnerd on it, and measures start-up, memory and closed-loop throughput and latency
//! of the Reseller API's main methods; prints a Markdown report.

mod client;
mod load;
mod mix;
mod report;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::Parser;
use partnerd_domain::SystemClock;
use partnerd_server::provision;
use partnerd_store::Store;

use crate::client::{Call, Conn};
use crate::load::{Ctx, Op, PhaseResult};

#[derive(Parser, Debug, Clone)]
#[command(
    name = "partnerd-bench",
    about = "Benchmarks a partnerd server on a fresh database"
)]
pub struct Args {
    /// sqlite://PATH or postgres://USER@HOST:PORT/DB; recreated from scratch (the SQLite
    /// files are deleted, the PostgreSQL database dropped and created again).
    #[arg(long)]
    pub database: String,
    /// Customers to seed.
    #[arg(long, default_value_t = 100_000)]
    pub customers: u64,
    /// Subscriptions per seeded customer (1 to 8).
    #[arg(long, default_value_t = 3)]
    pub subscriptions_per_customer: usize,
    /// Concurrent connections (closed-loop workers) per phase.
    #[arg(long, default_value_t = 64)]
    pub connections: usize,
    /// Seconds per phase.
    #[arg(long, default_value_t = 10)]
    pub duration: u64,
    /// partnerd processes to start on the database; connections are spread evenly.
    #[arg(long, default_value_t = 1)]
    pub servers: usize,
    /// The partnerd binary (default: `partnerd` next to this executable).
    #[arg(long)]
    pub partnerd: Option<PathBuf>,
    /// Also write the Markdown report to this file.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Customers per bulk-seeding transaction.
    #[arg(long, default_value_t = 10_000)]
    pub chunk: u64,
    /// Extra customers seeded without subscriptions, for the subscriptions.insert phases.
    #[arg(long, default_value_t = 60_000)]
    pub fresh_customers: u64,
    /// Run only the phases whose names contain one of these comma-separated words (the
    /// trivial baseline always runs), e.g. `--phases customers.get,deep` while profiling.
    #[arg(long)]
    pub phases: Option<String>,
    /// Sign the assertions without `kid`, as Google's Node.js client does: the server then
    /// tries each key of the issuer's service account.
    #[arg(long)]
    pub assertions_without_kid: bool,
}

const RESELLER_DOMAIN: &str = "bench-reseller.example";
const RESELLER_ADMIN: &str = "admin@bench-reseller.example";
const RESELLER_PASSWORD: &str = "bench-password-1";
const ORDER_SCOPE: &str = "https://www.googleapis.com/auth/apps.order";
const AUDIENCE: &str = "https://oauth2.googleapis.com/token";
/// Distinct pre-signed assertions for the token phase, used in turn.
const ASSERTION_POOL: usize = 4096;

/// Everything the report shows.
pub struct Run {
    pub args: Args,
    pub backend: &'static str,
    pub machine: String,
    pub seed_rows: u64,
    pub seed_time: Duration,
    pub finalize_time: Duration,
    pub db_bytes: u64,
    pub startup: Vec<Duration>,
    pub rss_kib: Vec<u64>,
    pub walk_pages: u64,
    pub walk_time: Duration,
    pub walk_expected_pages: u64,
    pub phases: Vec<PhaseResult>,
}

fn main() -> Result<()> {
    let args = Args::parse();
    if !(1..=mix::MAX_SLOTS).contains(&args.subscriptions_per_customer) {
        bail!(
            "--subscriptions-per-customer must be 1 to {}",
            mix::MAX_SLOTS
        );
    }
    if args.servers == 0 || args.connections == 0 || args.chunk == 0 {
        bail!("--servers, --connections and --chunk must be at least 1");
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run(args))
}

async fn run(args: Args) -> Result<()> {
    let partnerd = match &args.partnerd {
        Some(p) => p.clone(),
        None => std::env::current_exe()?
            .parent()
            .context("the bench executable has no directory")?
            .join("partnerd"),
    };
    if !partnerd.exists() {
        bail!(
            "no partnerd binary at {} (build it with `cargo build --release -p partnerd`, or pass --partnerd)",
            partnerd.display()
        );
    }
    let backend = if args.database.starts_with("postgres") {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    eprintln!("== recreating {}", args.database);
    recreate(&args.database).await?;

    // Provisioning, as `partnerd reseller create` and `partnerd key create` do it.
    let store = partnerd_store::open(&args.database)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let clock = SystemClock::new(0);
    let reseller = provision::create_reseller(
        store.as_ref(),
        &clock,
        RESELLER_DOMAIN,
        RESELLER_ADMIN,
        RESELLER_PASSWORD,
    )
    .await?;
    let key =
        provision::create_key(store.as_ref(), &clock, RESELLER_DOMAIN, "http://127.0.0.1").await?;

    let per = args.subscriptions_per_customer;
    eprintln!(
        "== seeding {} customers and {} subscriptions",
        args.customers,
        args.customers * per as u64
    );
    let started = Instant::now();
    // The console list's indexes are built once after the rows (timed with them).
    store.set_list_indexes_aside().await?;
    seed(
        store.clone(),
        &reseller.customer_id,
        0..args.customers,
        per,
        args.chunk,
    )
    .await?;
    store.build_list_indexes().await?;
    let seed_time = started.elapsed();
    let seed_rows = args.customers * (1 + per as u64);
    eprintln!(
        "   {:.1} s, {:.0} rows/s",
        seed_time.as_secs_f64(),
        seed_rows as f64 / seed_time.as_secs_f64()
    );
    // Customers without subscriptions for subscriptions.insert (not timed, not in the size).
    seed(
        store.clone(),
        &reseller.customer_id,
        args.customers..args.customers + args.fresh_customers,
        0,
        args.chunk,
    )
    .await?;
    drop(store);
    let started = Instant::now();
    finalize(&args.database).await?;
    let finalize_time = started.elapsed();
    let db_bytes = database_size(&args.database).await?;
    eprintln!("   database: {:.1} MB", db_bytes as f64 / 1e6);

    let workdir = std::env::temp_dir().join(format!(
        "partnerd-bench-{}",
        partnerd_domain::ids::random_hex(4)
    ));
    std::fs::create_dir_all(&workdir)?;
    let mut servers = Servers(Vec::new());
    let mut startup = Vec::new();
    let mut addrs = Vec::new();
    for n in 0..args.servers {
        let (child, addr, took) = start_server(&partnerd, &args.database, &workdir, n).await?;
        eprintln!(
            "== partnerd {n} on {addr}: ready in {} ms",
            took.as_millis()
        );
        servers.0.push(child);
        startup.push(took);
        addrs.push(addr);
    }

    let signer = Arc::new(Signer::new(&key, !args.assertions_without_kid)?);
    let mut tokens = Vec::new();
    for addr in &addrs {
        tokens.push(access_token(*addr, &signer.sign(0)?).await?);
    }
    eprintln!("== signing {ASSERTION_POOL} assertions");
    let assertions = sign_pool(signer.clone(), ASSERTION_POOL).await?;

    eprintln!("== walking the subscription list");
    let started = Instant::now();
    let (page_tokens, walk_pages) = load::walk(addrs[0], &tokens[0]).await?;
    let walk_time = started.elapsed();
    eprintln!(
        "   {walk_pages} pages in {:.1} s ({:.0} pages/s)",
        walk_time.as_secs_f64(),
        walk_pages as f64 / walk_time.as_secs_f64()
    );
    let total_subs = args.customers * per as u64;
    let walk_expected_pages = total_subs.div_ceil(100).max(1);
    if page_tokens.is_empty() {
        bail!("the subscription list has a single page; seed more customers");
    }

    eprintln!("== signing in to the console");
    let cookie = console_session(addrs[0]).await?;
    let ctx = Arc::new(Ctx::new(
        addrs.clone(),
        tokens,
        assertions,
        args.customers,
        per as u64,
        args.fresh_customers,
        page_tokens,
        partnerd_domain::ids::random_hex(3),
        cookie,
    ));
    let d = Duration::from_secs(args.duration);
    let c = args.connections;
    type Phase = (&'static str, usize, Vec<(Op, u32)>);
    let plan: Vec<Phase> = vec![
        ("trivial endpoint", c, vec![(Op::Healthz, 1)]),
        ("token endpoint", c, vec![(Op::Token, 1)]),
        ("customers.get", c, vec![(Op::CustomerGet, 1)]),
        ("subscriptions.get", c, vec![(Op::SubscriptionGet, 1)]),
        ("list, first page", c, vec![(Op::ListFirst, 1)]),
        ("list, deep pages", c, vec![(Op::ListDeep, 1)]),
        (
            "list, deep pages, single client",
            1,
            vec![(Op::ListDeep, 1)],
        ),
        ("customers.insert", c, vec![(Op::CustomerInsert, 1)]),
        ("subscriptions.insert", c, vec![(Op::SubscriptionInsert, 1)]),
        ("subscriptions.changeSeats", c, vec![(Op::ChangeSeats, 1)]),
        // The Partner Sales Console's customer list, one client: its latency is the
        // server's time for the page (the target is p99 < 20 ms at any page and filter).
        ("console list, first page", 1, vec![(Op::ConsoleFirst, 1)]),
        ("console list, deep pages", 1, vec![(Op::ConsoleDeep, 1)]),
        ("console list, search", 1, vec![(Op::ConsoleSearch, 1)]),
        ("console list, filtered", 1, vec![(Op::ConsoleFiltered, 1)]),
        (
            "console list, common SKU",
            1,
            vec![(Op::ConsoleCommonSku, 1)],
        ),
        (
            "console list, filter matching none",
            1,
            vec![(Op::ConsoleNoMatch, 1)],
        ),
        (
            "console list, by renewal date",
            1,
            vec![(Op::ConsoleRenewal, 1)],
        ),
        (
            "console list, renewing in a week",
            1,
            vec![(Op::ConsoleRenewalWeek, 1)],
        ),
        ("mixed", c, report::MIXED.to_vec()),
    ];
    let wanted = |name: &str| match &args.phases {
        None => true,
        Some(list) => {
            name == "trivial endpoint" || list.split(',').any(|w| name.contains(w.trim()))
        }
    };
    let mut phases = Vec::new();
    for (name, conns, weights) in plan.into_iter().filter(|(name, _, _)| wanted(name)) {
        eprintln!(
            "== phase: {name} ({conns} connections, {} s)",
            args.duration
        );
        let result = load::run_phase(ctx.clone(), name, conns, d, &weights).await;
        for (op, s) in &result.ops {
            eprintln!(
                "   {:<34} {:>9.0} req/s  p50 {:>7.2} ms  p99 {:>7.2} ms  errors {}",
                op.name(),
                s.hist.len() as f64 / result.elapsed.as_secs_f64(),
                s.hist.value_at_quantile(0.5) as f64 / 1000.0,
                s.hist.value_at_quantile(0.99) as f64 / 1000.0,
                s.errors
            );
            if let Some(e) = &s.first_error {
                eprintln!("   first error: {e}");
            }
        }
        phases.push(result);
    }
    if ctx.purchases_left() == 0 {
        eprintln!("warning: the fresh customers ran out; raise --fresh-customers");
    }

    let rss_kib = servers
        .0
        .iter()
        .map(|c| peak_rss_kib(c.id()))
        .collect::<Result<Vec<_>>>()?;
    drop(servers);
    let _ = std::fs::remove_dir_all(&workdir);

    let run = Run {
        args: args.clone(),
        backend,
        machine: report::machine(),
        seed_rows,
        seed_time,
        finalize_time,
        db_bytes,
        startup,
        rss_kib,
        walk_pages,
        walk_time,
        walk_expected_pages,
        phases,
    };
    let markdown = report::markdown(&run);
    println!("{markdown}");
    if let Some(out) = &args.out {
        std::fs::write(out, &markdown).with_context(|| format!("writing {}", out.display()))?;
    }
    Ok(())
}

/// Generates customers `range` with `per` subscriptions each on a thread of its own and
/// writes them in chunks through `Store::bulk_seed`, two chunks in flight.
async fn seed(
    store: Arc<dyn Store>,
    reseller_id: &str,
    range: std::ops::Range<u64>,
    per: usize,
    chunk: u64,
) -> Result<()> {
    type Chunk = (
        Vec<partnerd_domain::customer::Customer>,
        Vec<partnerd_domain::subscription::Subscription>,
    );
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Result<Chunk>>(2);
    let reseller = reseller_id.to_string();
    let now = partnerd_domain::Clock::now(&SystemClock::new(0));
    let generator = std::thread::spawn(move || {
        let mut start = range.start;
        while start < range.end {
            let end = (start + chunk).min(range.end);
            let mut customers = Vec::with_capacity((end - start) as usize);
            let mut subs = Vec::with_capacity((end - start) as usize * per);
            let mut failed = None;
            for i in start..end {
                match mix::seeded(i, per, &reseller, now) {
                    Ok((c, s)) => {
                        customers.push(c);
                        subs.extend(s);
                    }
                    Err(e) => {
                        failed = Some(e);
                        break;
                    }
                }
            }
            let item = match failed {
                Some(e) => Err(e),
                None => Ok((customers, subs)),
            };
            let stop = item.is_err();
            if tx.blocking_send(item).is_err() || stop {
                return;
            }
            start = end;
        }
    });
    let mut writes = tokio::task::JoinSet::new();
    while let Some(item) = rx.recv().await {
        let (customers, subs) = item?;
        while writes.len() >= 2 {
            if let Some(done) = writes.join_next().await {
                done??;
            }
        }
        let store = store.clone();
        writes.spawn(async move { store.bulk_seed(&customers, &subs).await });
    }
    while let Some(done) = writes.join_next().await {
        done??;
    }
    generator
        .join()
        .map_err(|_| anyhow::anyhow!("the generator panicked"))?;
    Ok(())
}

/// Deletes the SQLite files, or drops and creates the PostgreSQL database.
async fn recreate(url: &str) -> Result<()> {
    if let Some(path) = sqlite_path(url) {
        for suffix in ["", "-wal", "-shm"] {
            let file = format!("{path}{suffix}");
            match std::fs::remove_file(&file) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e).with_context(|| format!("deleting {file}")),
            }
        }
        return Ok(());
    }
    let config: tokio_postgres::Config = url.parse().context("the PostgreSQL URL")?;
    let name = config
        .get_dbname()
        .context("the PostgreSQL URL names no database")?
        .to_string();
    if name == "postgres" {
        bail!("refusing to drop the database 'postgres'");
    }
    let mut admin = config.clone();
    admin.dbname("postgres");
    let (client, connection) = admin.connect(tokio_postgres::NoTls).await?;
    tokio::spawn(connection);
    let quoted = format!("\"{}\"", name.replace('"', "\"\""));
    client
        .batch_execute(&format!("DROP DATABASE IF EXISTS {quoted} WITH (FORCE)"))
        .await?;
    client
        .batch_execute(&format!("CREATE DATABASE {quoted}"))
        .await?;
    Ok(())
}

fn sqlite_path(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("sqlite:")?;
    Some(rest.strip_prefix("//").unwrap_or(rest))
}

/// After seeding: SQLite checkpoints the WAL into the database file; PostgreSQL runs
/// VACUUM ANALYZE, so the planner has statistics (as autovacuum would give it later),
/// and a CHECKPOINT, so that flushing the seeded pages does not overlap the phases.
async fn finalize(url: &str) -> Result<()> {
    if let Some(path) = sqlite_path(url) {
        let conn = rusqlite::Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(30))?;
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        return Ok(());
    }
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await?;
    tokio::spawn(connection);
    client.batch_execute("VACUUM ANALYZE").await?;
    client.batch_execute("CHECKPOINT").await?;
    Ok(())
}

async fn database_size(url: &str) -> Result<u64> {
    if let Some(path) = sqlite_path(url) {
        let mut total = 0;
        for suffix in ["", "-wal"] {
            if let Ok(m) = std::fs::metadata(format!("{path}{suffix}")) {
                total += m.len();
            }
        }
        return Ok(total);
    }
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await?;
    tokio::spawn(connection);
    let row = client
        .query_one("SELECT pg_database_size(current_database())", &[])
        .await?;
    Ok(row.get::<_, i64>(0) as u64)
}

/// The partnerd processes; killed when dropped, whatever happened.
struct Servers(Vec<Child>);

impl Drop for Servers {
    fn drop(&mut self) {
        for child in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn free_port() -> Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

/// Spawns `partnerd serve` and waits for its first 200 on /healthz.
async fn start_server(
    partnerd: &Path,
    database: &str,
    workdir: &Path,
    n: usize,
) -> Result<(Child, SocketAddr, Duration)> {
    let port = free_port()?;
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse()?;
    let log = std::fs::File::create(workdir.join(format!("partnerd-{n}.log")))?;
    let started = Instant::now();
    let mut child = Command::new(partnerd)
        .args([
            "serve",
            "--listen",
            &addr.to_string(),
            "--database",
            database,
        ])
        .args(["--no-demo", "--public-url", &format!("http://{addr}")])
        .current_dir(workdir)
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log)
        .spawn()
        .with_context(|| format!("starting {}", partnerd.display()))?;
    let mut conn = Conn::new(addr);
    loop {
        if let Ok((status, _)) = conn.send(Call::get("/healthz", None)).await
            && status.is_success()
        {
            return Ok((child, addr, started.elapsed()));
        }
        if let Some(status) = child.try_wait()? {
            bail!(
                "partnerd exited ({status}); see {}",
                workdir.join(format!("partnerd-{n}.log")).display()
            );
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            bail!("partnerd did not answer /healthz within 120 s");
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

/// Peak resident set (VmHWM) of a process, in KiB.
fn peak_rss_kib(pid: u32) -> Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .context("no VmHWM in /proc/PID/status")
}

/// Signs JWT-bearer assertions with the service-account key, as Google's client
/// libraries do.
struct Signer {
    key: jsonwebtoken::EncodingKey,
    header: jsonwebtoken::Header,
    issuer: String,
}

impl Signer {
    fn new(key: &provision::KeyFile, with_kid: bool) -> Result<Signer> {
        let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
        header.kid = with_kid.then(|| key.private_key_id.clone());
        Ok(Signer {
            key: jsonwebtoken::EncodingKey::from_rsa_pem(key.private_key.as_bytes())?,
            header,
            issuer: key.client_email.clone(),
        })
    }

    fn sign(&self, n: usize) -> Result<String> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_secs();
        let claims = serde_json::json!({
            "iss": self.issuer,
            "sub": RESELLER_ADMIN,
            "scope": ORDER_SCOPE,
            "aud": AUDIENCE,
            "iat": now,
            "exp": now + 3600,
            "jti": format!("bench-{n}"),
        });
        Ok(jsonwebtoken::encode(&self.header, &claims, &self.key)?)
    }
}

async fn sign_pool(signer: Arc<Signer>, n: usize) -> Result<Vec<String>> {
    let threads = std::thread::available_parallelism().map_or(2, |p| p.get());
    let mut handles = Vec::new();
    for t in 0..threads {
        let signer = signer.clone();
        handles.push(tokio::task::spawn_blocking(move || {
            (t..n)
                .step_by(threads)
                .map(|i| signer.sign(i + 1))
                .collect::<Result<Vec<_>>>()
        }));
    }
    let mut all = Vec::with_capacity(n);
    for h in handles {
        all.extend(h.await??);
    }
    Ok(all)
}

/// Signs the reseller admin in through the console's form, as a browser does; returns
/// the `Cookie` header that carries the session.
async fn console_session(server: SocketAddr) -> Result<String> {
    let mut conn = Conn::new(server);
    let (status, headers, body) = conn.exchange(Call::get("/signin", None)).await?;
    if !status.is_success() {
        bail!("/signin: {status}");
    }
    let form_cookie = set_cookie(&headers, "partnerd_form").context("no form cookie")?;
    let page = String::from_utf8_lossy(&body);
    let csrf = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .context("no csrf field on /signin")?
        .to_string();
    let form = serde_urlencoded::to_string([
        ("email", RESELLER_ADMIN),
        ("password", RESELLER_PASSWORD),
        ("csrf", csrf.as_str()),
        ("continue", "/partner"),
    ])?;
    let (status, headers, _) = conn
        .exchange(Call {
            method: hyper::Method::POST,
            path: "/signin",
            bearer: None,
            cookie: Some(&form_cookie),
            body: Some(("application/x-www-form-urlencoded", form)),
        })
        .await?;
    if status != hyper::StatusCode::SEE_OTHER {
        bail!("signing in to the console: {status}");
    }
    let session = set_cookie(&headers, "partnerd_session").context("no session cookie")?;
    Ok(format!("{form_cookie}; {session}"))
}

/// `name=value` of the cookie `name` that a response sets.
fn set_cookie(headers: &hyper::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(hyper::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with(&format!("{name}=")))
        .and_then(|c| c.split(';').next())
        .map(str::to_string)
}

/// Exchanges an assertion for an access token at the server's /token.
async fn access_token(server: SocketAddr, assertion: &str) -> Result<String> {
    let mut conn = Conn::new(server);
    let body = format!(
        "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion={assertion}"
    );
    let (status, body) = conn
        .send(Call {
            method: hyper::Method::POST,
            path: "/token",
            bearer: None,
            cookie: None,
            body: Some(("application/x-www-form-urlencoded", body)),
        })
        .await?;
    if !status.is_success() {
        bail!("/token: {status} {}", String::from_utf8_lossy(&body));
    }
    let v: serde_json::Value = serde_json::from_slice(&body)?;
    v["access_token"]
        .as_str()
        .map(str::to_string)
        .context("/token answered without access_token")
}
