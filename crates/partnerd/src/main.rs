//! The `partnerd` binary: `serve`, `reseller create`, `key create`.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};

/// glibc's allocator spends a tenth of a list request's time in malloc and free under
/// load; mimalloc's thread-local heaps don't.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Args, Parser, Subcommand};
use partnerd_domain::{Clock, SystemClock};
use partnerd_server::limits::{LimitAnswer, RateLimits};
use partnerd_server::mail::Mailer;
use partnerd_server::provision;
use partnerd_server::{AppState, ConnectionLimits, spawn_background};
use partnerd_store::Store;

#[derive(Parser)]
#[command(
    name = "partnerd",
    version,
    about = "A self-hosted Google Workspace reseller platform"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (migrations run at start).
    Serve(ServeArgs),
    /// Manage reseller accounts.
    Reseller {
        #[command(subcommand)]
        command: ResellerCommand,
    },
    /// Manage service-account keys.
    Key {
        #[command(subcommand)]
        command: KeyCommand,
    },
    /// Manage OAuth clients for user credentials.
    OauthClient {
        #[command(subcommand)]
        command: OauthClientCommand,
    },
    /// Manage user credentials (refresh tokens).
    Credentials {
        #[command(subcommand)]
        command: CredentialsCommand,
    },
    /// Configure GAM7 to work against this partnerd.
    Gam {
        #[command(subcommand)]
        command: GamCommand,
    },
}

#[derive(Subcommand)]
enum GamCommand {
    /// Write a GAM configuration directory (gam.cfg, oauth2service.json,
    /// client_secrets.json, oauth2.txt and a discovery cache pointed at partnerd) for a
    /// reseller's admin; prints the environment variable to export.
    Setup {
        #[command(flatten)]
        database: DatabaseArg,
        /// The reseller's primary domain.
        #[arg(long)]
        reseller: String,
        /// The admin GAM acts as, a user of the reseller.
        #[arg(long)]
        admin: String,
        /// The configuration directory (created if missing).
        #[arg(long)]
        dir: PathBuf,
        #[command(flatten)]
        public_url: PublicUrlArg,
    },
}

#[derive(Subcommand)]
enum OauthClientCommand {
    /// Register an OAuth client of a reseller; writes its client_secrets.json.
    Create {
        #[command(flatten)]
        database: DatabaseArg,
        /// The reseller's primary domain.
        #[arg(long)]
        reseller: String,
        /// What the client is for.
        #[arg(long, default_value = "partnerd command line")]
        name: String,
        /// Where to write client_secrets.json.
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        public_url: PublicUrlArg,
    },
}

#[derive(Subcommand)]
enum CredentialsCommand {
    /// Issue a refresh token of an OAuth client for one user of the client's reseller;
    /// writes an authorized-user credential file.
    Create {
        #[command(flatten)]
        database: DatabaseArg,
        /// The client's client_secrets.json (from `partnerd oauth-client create`).
        #[arg(long)]
        client_secrets: PathBuf,
        /// The user the credential acts as.
        #[arg(long)]
        user: String,
        /// A scope granted (repeatable); default: the Reseller, Directory and Licensing
        /// scopes a service account is delegated.
        #[arg(long = "scope")]
        scopes: Vec<String>,
        /// Where to write the credential file.
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        public_url: PublicUrlArg,
    },
}

#[derive(Args)]
struct PublicUrlArg {
    /// URL of the partnerd server, for the files' token_uri.
    #[arg(
        long = "public-url",
        env = "PARTNERD_PUBLIC_URL",
        default_value = "http://127.0.0.1:8080"
    )]
    public_url: String,
}

#[derive(Args)]
struct DatabaseArg {
    /// sqlite://PATH, sqlite::memory: or postgres://USER@HOST:PORT/DB
    #[arg(
        long = "database",
        env = "PARTNERD_DATABASE_URL",
        default_value = "sqlite://partnerd.db"
    )]
    url: String,
}

#[derive(Args)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "PARTNERD_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    #[command(flatten)]
    database: DatabaseArg,
    /// URL clients use to reach this server (default: http:// + the listen address).
    #[arg(long, env = "PARTNERD_PUBLIC_URL")]
    public_url: Option<String>,
    /// Enables the control API (/partnerd/v1) with this bearer token.
    #[arg(long, env = "PARTNERD_CONTROL_TOKEN", hide_env_values = true)]
    control_token: Option<String>,
    /// Do not create the demo reseller on an empty database.
    #[arg(long, env = "PARTNERD_NO_DEMO")]
    no_demo: bool,
    /// Log as JSON lines instead of human-readable text.
    #[arg(long, env = "PARTNERD_LOG_JSON")]
    log_json: bool,
    /// Limits each access token to this many API requests per minute (0: no limit).
    #[arg(long, env = "PARTNERD_RATE_LIMIT_PER_MINUTE", default_value_t = 0)]
    rate_limit_per_minute: u32,
    /// How a request over the limit is answered: 429 rateLimitExceeded or 403
    /// userRateLimitExceeded.
    #[arg(long, env = "PARTNERD_RATE_LIMIT_ANSWER", default_value = "429")]
    rate_limit_answer: LimitAnswer,
    /// Seconds a client has from the first byte of a request to the end of its head.
    #[arg(long, env = "PARTNERD_HEADER_READ_TIMEOUT", default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..))]
    header_read_timeout: u64,
    /// Seconds a kept-alive connection may wait for its next request before it is closed.
    #[arg(long, env = "PARTNERD_IDLE_TIMEOUT", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
    idle_timeout: u64,
    /// Seconds a graceful stop (SIGTERM, SIGINT) waits for requests in flight.
    #[arg(long, env = "PARTNERD_SHUTDOWN_GRACE", default_value_t = 30)]
    shutdown_grace: u64,
    /// Delivers e-mail through this SMTP server: smtp://HOST:PORT (plain),
    /// smtp://HOST:PORT?tls=required (STARTTLS), smtps://HOST:PORT (TLS), with
    /// USER:PASSWORD@ to sign in. Without it, e-mail stays queued (GET /partnerd/v1/mail).
    #[arg(long, env = "PARTNERD_SMTP_URL", hide_env_values = true)]
    smtp_url: Option<String>,
    /// The sender of e-mail, "Name <address>" or an address (default: partnerd
    /// <no-reply@HOST>, HOST of the public URL).
    #[arg(long, env = "PARTNERD_MAIL_FROM")]
    mail_from: Option<String>,
    /// Minutes a console session may go unused before it ends.
    #[arg(long, env = "PARTNERD_SESSION_IDLE_MINUTES", default_value_t = 120, value_parser = clap::value_parser!(u64).range(1..))]
    session_idle_minutes: u64,
    /// Days after sign-in a console session ends, however much it is used.
    #[arg(long, env = "PARTNERD_SESSION_MAX_DAYS", default_value_t = 14, value_parser = clap::value_parser!(u64).range(1..=365))]
    session_max_days: u64,
}

#[derive(Subcommand)]
enum ResellerCommand {
    /// Create a reseller account with its super admin; prints it as JSON.
    Create {
        #[command(flatten)]
        database: DatabaseArg,
        /// The reseller's primary domain.
        #[arg(long)]
        domain: String,
        /// The super admin's e-mail address, in the reseller's domain.
        #[arg(long)]
        admin: String,
        /// The super admin's password (8 to 100 characters).
        #[arg(long, env = "PARTNERD_ADMIN_PASSWORD", hide_env_values = true)]
        password: String,
    },
}

#[derive(Subcommand)]
enum KeyCommand {
    /// Create a service account with a new key, delegated in the reseller's domain, or
    /// add a key to an existing service account; writes a Google service-account key file.
    Create {
        #[command(flatten)]
        database: DatabaseArg,
        /// The reseller's primary domain: a new service account.
        #[arg(long, required_unless_present = "service_account")]
        reseller: Option<String>,
        /// The `client_email` of an existing service account: another key of it (at most
        /// ten a service account, as at Google).
        #[arg(long, conflicts_with = "reseller")]
        service_account: Option<String>,
        /// Where to write the JSON key file.
        #[arg(long)]
        out: PathBuf,
        /// URL of the partnerd server, for the key's token_uri.
        #[arg(
            long,
            env = "PARTNERD_PUBLIC_URL",
            default_value = "http://127.0.0.1:8080"
        )]
        public_url: String,
    },
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async move {
        match cli.command {
            Command::Serve(args) => serve(args).await,
            Command::Reseller {
                command:
                    ResellerCommand::Create {
                        database,
                        domain,
                        admin,
                        password,
                    },
            } => {
                let (store, clock) = open(&database.url).await?;
                let created = provision::create_reseller(
                    store.as_ref(),
                    clock.as_ref(),
                    &domain,
                    &admin,
                    &password,
                )
                .await?;
                println!("{}", serde_json::to_string(&created)?);
                Ok(())
            }
            Command::OauthClient { command } => oauth_client_command(command).await,
            Command::Credentials { command } => credentials_command(command).await,
            Command::Gam { command } => gam_command(command).await,
            Command::Key {
                command:
                    KeyCommand::Create {
                        database,
                        reseller,
                        service_account,
                        out,
                        public_url,
                    },
            } => {
                let (store, clock) = open(&database.url).await?;
                let key = match (reseller, service_account) {
                    (_, Some(email)) => {
                        provision::add_key(store.as_ref(), clock.as_ref(), &email, &public_url)
                            .await?
                    }
                    (Some(domain), None) => {
                        provision::create_key(store.as_ref(), clock.as_ref(), &domain, &public_url)
                            .await?
                    }
                    (None, None) => unreachable!("clap requires --reseller or --service-account"),
                };
                let summary = serde_json::json!({
                    "clientEmail": key.client_email,
                    "clientId": key.client_id,
                    "privateKeyId": key.private_key_id,
                });
                save_secret(&out, &key, summary)
            }
        }
    })
}

/// `partnerd oauth-client create`.
async fn oauth_client_command(command: OauthClientCommand) -> Result<()> {
    let OauthClientCommand::Create {
        database,
        reseller,
        name,
        out,
        public_url,
    } = command;
    let (store, clock) = open(&database.url).await?;
    let secrets = provision::create_oauth_client(
        store.as_ref(),
        clock.as_ref(),
        &reseller,
        &name,
        &public_url.public_url,
    )
    .await?;
    let summary = serde_json::json!({"clientId": secrets.installed.client_id});
    save_secret(&out, &secrets, summary)
}

/// `partnerd credentials create`.
async fn credentials_command(command: CredentialsCommand) -> Result<()> {
    let CredentialsCommand::Create {
        database,
        client_secrets,
        user,
        scopes,
        out,
        public_url,
    } = command;
    let text = std::fs::read_to_string(&client_secrets)
        .with_context(|| format!("reading {}", client_secrets.display()))?;
    let secrets: provision::ClientSecretsFile = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a client_secrets.json", client_secrets.display()))?;
    let scopes = if scopes.is_empty() {
        partnerd_domain::scopes::DELEGATED_BY_DEFAULT
            .iter()
            .map(|s| s.to_string())
            .collect()
    } else {
        scopes
    };
    let (store, clock) = open(&database.url).await?;
    let credential = provision::create_user_credentials(
        store.as_ref(),
        clock.as_ref(),
        &secrets,
        &user,
        scopes,
        &public_url.public_url,
    )
    .await?;
    let summary = serde_json::json!({
        "clientId": credential.client_id,
        "account": credential.account,
        "scopes": credential.scopes,
    });
    save_secret(&out, &credential, summary)
}

/// `partnerd gam setup`.
async fn gam_command(command: GamCommand) -> Result<()> {
    let GamCommand::Setup {
        database,
        reseller,
        admin,
        dir,
        public_url,
    } = command;
    std::fs::create_dir_all(dir.join("gamcache"))
        .and_then(|()| std::fs::create_dir_all(dir.join("downloads")))
        .with_context(|| format!("creating {}", dir.display()))?;
    let dir = dir
        .canonicalize()
        .with_context(|| format!("reading {}", dir.display()))?;
    let (store, clock) = open(&database.url).await?;
    let ops = partnerd_app::Ops::new(store, clock);
    let files = partnerd_server::gam::setup(
        &ops,
        &reseller,
        &admin,
        &dir.to_string_lossy(),
        &public_url.public_url,
    )
    .await?;
    for file in files {
        let path = dir.join(&file.path);
        if file.secret {
            write_secret_bytes(&path, &file.contents)?;
        } else {
            std::fs::write(&path, &file.contents)
                .with_context(|| format!("writing {}", path.display()))?;
        }
    }
    println!("export GAMCFGDIR={}", dir.display());
    Ok(())
}

async fn open(url: &str) -> Result<(Arc<dyn Store>, Arc<SystemClock>)> {
    let store = partnerd_store::open(url)
        .await
        .with_context(|| format!("opening the database {url}"))?;
    let clock = Arc::new(SystemClock::new(store.clock_offset().await?));
    Ok((store, clock))
}

/// Writes `contents` to the secret file `out`, then prints `summary` with the file's
/// `path` as one JSON line (what the commands that make keys and credentials print).
fn save_secret(
    out: &Path,
    contents: &impl serde::Serialize,
    mut summary: serde_json::Value,
) -> Result<()> {
    write_secret_file(out, contents)?;
    summary["path"] = serde_json::json!(out);
    println!("{summary}");
    Ok(())
}

/// Writes a file readable by its owner only: it holds a private key or a secret.
fn write_secret_file(path: &Path, contents: &impl serde::Serialize) -> Result<()> {
    write_secret_bytes(path, serde_json::to_string_pretty(contents)?.as_bytes())
}

fn write_secret_bytes(path: &Path, contents: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("writing {}", path.display()))?;
    file.write_all(contents)?;
    file.sync_all()?;
    Ok(())
}

fn init_logging(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("PARTNERD_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn serve(args: ServeArgs) -> Result<()> {
    init_logging(args.log_json);
    let started = std::time::Instant::now();
    let public_url = args
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", args.listen));
    let (store, clock) = open(&args.database.url).await?;
    if !args.no_demo && store.is_empty().await? {
        create_demo(store.as_ref(), clock.as_ref(), &public_url).await?;
    }
    let mut state = AppState::new(store, clock, &public_url, args.control_token.clone())
        .with_session_policy(partnerd_app::signin::SessionPolicy {
            idle_ms: (args.session_idle_minutes * 60_000) as i64,
            absolute_ms: (args.session_max_days * 86_400_000) as i64,
        });
    if let Some(per_minute) = std::num::NonZeroU32::new(args.rate_limit_per_minute) {
        state = state.with_rate_limits(RateLimits::new(per_minute, args.rate_limit_answer));
    }
    if let Some(url) = &args.smtp_url {
        let mailer = Mailer::new(url, args.mail_from.as_deref(), &public_url)?;
        state = state.with_mailer(mailer);
    }
    spawn_background(state.clone());
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("listening on {}", args.listen))?;
    tracing::info!(
        listen = %args.listen,
        public_url,
        control_api = args.control_token.is_some(),
        startup_ms = started.elapsed().as_millis() as u64,
        "partnerd is ready"
    );
    let limits = ConnectionLimits {
        header_read: Duration::from_secs(args.header_read_timeout),
        idle: Duration::from_secs(args.idle_timeout),
        shutdown_grace: Duration::from_secs(args.shutdown_grace),
    };
    partnerd_server::serve(listener, state, limits, shutdown_signal())
        .await
        .context("serving")?;
    tracing::info!("partnerd stopped");
    Ok(())
}

const DEMO_DOMAIN: &str = "demo-reseller.example";
const DEMO_ADMIN: &str = "admin@demo-reseller.example";
const DEMO_KEY_FILE: &str = "partnerd-demo-key.json";

async fn create_demo(store: &dyn Store, clock: &dyn Clock, public_url: &str) -> Result<()> {
    let password = partnerd_domain::ids::random_hex(8);
    let reseller =
        provision::create_reseller(store, clock, DEMO_DOMAIN, DEMO_ADMIN, &password).await?;
    let key = provision::create_key(store, clock, DEMO_DOMAIN, public_url).await?;
    let key_path = std::env::current_dir()?.join(DEMO_KEY_FILE);
    write_secret_file(&key_path, &key)?;
    println!(
        "partnerd: created the demo reseller {} (public ID {})",
        reseller.domain, reseller.public_id
    );
    println!("  console:          {public_url}/");
    println!("  admin sign-in:    {} / {password}", reseller.admin_email);
    println!("  service-account key file: {}", key_path.display());
    println!("  token_uri:        {}", key.token_uri);
    Ok(())
}

/// Resolves on SIGINT or SIGTERM; the server then stops accepting and finishes in-flight requests.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::Cli;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}
