//! `partnerd gam setup`: a GAM7 configuration directory pointed at partnerd, with GAM's
//! own files and nothing changed in GAM.
//!
//! GAM builds every client from the discovery document it fetches from
//! `https://{api}.googleapis.com/$discovery/rest?version=…` through an httplib2 file cache
//! in its `cache_dir`, and no setting changes those hosts. So the cache is seeded: one
//! entry per API, named as httplib2 names it (`safename`), holding partnerd's document
//! (`rootUrl` = partnerd) with a ten-year `max-age`, and GAM never asks Google.
//!
//! GAM's admin commands act with the authorized-user credential in `oauth2.txt`: a
//! refresh token of an OAuth client registered here, for the admin, and an access token
//! got with it just now. google-auth refreshes `oauth2.txt` only at Google's token URL,
//! whatever its `token_uri` says, so once that access token's hour is over GAM cannot get
//! another from partnerd: run the set-up again (see docs/compatibility.md, "GAM").

use std::time::{Duration, SystemTime};

use md5::{Digest, Md5};
use partnerd_app::{Ops, provisioning, user_credentials};
use partnerd_domain::auth::ACCESS_TOKEN_LIFETIME_MS;
use partnerd_domain::scopes::DELEGATED_BY_DEFAULT;
use serde_json::json;

use crate::discovery;
use crate::provision::{self, ProvisionError};

/// One file of the configuration: its path inside the directory, its bytes, and whether
/// it holds a secret (then it is written readable by its owner only).
pub struct GamFile {
    pub path: String,
    pub contents: Vec<u8>,
    pub secret: bool,
}

/// The APIs GAM's resold-customer, user and licence commands use, with the address GAM
/// fetches each document from.
const APIS: &[(&str, &str, &str)] = &[
    ("reseller", "v1", "reseller.googleapis.com"),
    ("admin", "directory_v1", "admin.googleapis.com"),
    ("licensing", "v1", "licensing.googleapis.com"),
];

/// Ten years: the seeded documents never go stale.
const CACHE_MAX_AGE_SECONDS: u64 = 315_360_000;

/// Everything `gam setup` writes into `dir` for the reseller `reseller_domain` and its
/// admin `admin_email`: a new service account key, a new OAuth client, a refresh token
/// and an access token for the admin, `gam.cfg` and the seeded discovery cache.
pub async fn setup(
    ops: &Ops,
    reseller_domain: &str,
    admin_email: &str,
    dir: &str,
    public_url: &str,
) -> Result<Vec<GamFile>, ProvisionError> {
    let public_url = public_url.trim_end_matches('/');
    let store = ops.store.as_ref();
    let clock = ops.clock.as_ref();
    let reseller = provisioning::reseller(store, reseller_domain).await?;
    let key = provision::create_key(store, clock, &reseller.domain, public_url).await?;
    let secrets =
        provision::create_oauth_client(store, clock, &reseller.domain, "GAM", public_url).await?;
    let scopes: Vec<String> = DELEGATED_BY_DEFAULT.iter().map(|s| s.to_string()).collect();
    let credential = provision::create_user_credentials(
        store,
        clock,
        &secrets,
        admin_email,
        scopes.clone(),
        public_url,
    )
    .await?;
    let issued = user_credentials::refresh_access(
        ops,
        &credential.client_id,
        &credential.client_secret,
        &credential.refresh_token,
        None,
    )
    .await?;
    // GAM judges the token's expiry by the wall clock.
    let expiry = SystemTime::now() + Duration::from_millis(ACCESS_TOKEN_LIFETIME_MS as u64);
    let oauth2_txt = json!({
        "client_id": credential.client_id,
        "client_secret": credential.client_secret,
        "refresh_token": credential.refresh_token,
        "token": issued.token,
        "token_expiry": gam_time(expiry),
        "token_uri": format!("{public_url}/token"),
        "scopes": scopes,
        // GAM reads the admin and the domain from the decoded ID token.
        "id_token": null,
        "decoded_id_token": {
            "iss": "https://accounts.google.com",
            "email": credential.account,
            "hd": reseller.domain,
        },
    });
    let gam_cfg = format!(
        "[DEFAULT]\n\
         customer_id = {customer_id}\n\
         domain = {domain}\n\
         admin_email = {admin}\n\
         config_dir = {dir}\n\
         cache_dir = {dir}/gamcache\n\
         drive_dir = {dir}/downloads\n\
         no_browser = true\n\
         no_short_urls = true\n\
         timezone = utc\n",
        customer_id = reseller.id,
        domain = reseller.domain,
        admin = credential.account,
    );
    let mut files = vec![
        GamFile {
            path: "gam.cfg".into(),
            contents: gam_cfg.into_bytes(),
            secret: false,
        },
        GamFile {
            path: "oauth2service.json".into(),
            contents: json_file("oauth2service.json", &key)?,
            secret: true,
        },
        GamFile {
            path: "client_secrets.json".into(),
            contents: json_file("client_secrets.json", &secrets)?,
            secret: true,
        },
        GamFile {
            path: "oauth2.txt".into(),
            contents: json_file("oauth2.txt", &oauth2_txt)?,
            secret: true,
        },
    ];
    for (name, version, host) in APIS {
        let url = format!("https://{host}/$discovery/rest?version={version}");
        let document = discovery::document_text(public_url, name, version).ok_or_else(|| {
            ProvisionError::Invalid(format!("no discovery document {name} {version}"))
        })?;
        files.push(GamFile {
            path: format!("gamcache/{}", cache_file_name(&url)),
            contents: cache_entry(&document, SystemTime::now()),
            secret: false,
        });
    }
    Ok(files)
}

/// The name httplib2 (`modern_httplib2.safename`) gives a URL's cache file: the URL
/// without its scheme and without characters outside `[\w\-_.()=!]`, cut at 90, then a
/// comma and the MD5 of the whole URL.
pub fn cache_file_name(url: &str) -> String {
    let digest = hex::encode(Md5::digest(url.as_bytes()));
    let without_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let safe: String = without_scheme
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "_-.()=!".contains(*c))
        .take(90)
        .collect();
    format!("{safe},{digest}")
}

/// An httplib2 cache entry: the status, the response headers, a blank line, the body.
fn cache_entry(document: &str, now: SystemTime) -> Vec<u8> {
    let mut entry = format!(
        "status: 200\r\n\
         content-type: application/json; charset=UTF-8\r\n\
         date: {}\r\n\
         cache-control: public, max-age={CACHE_MAX_AGE_SECONDS}\r\n\
         content-length: {}\r\n\r\n",
        httpdate::fmt_http_date(now),
        document.len()
    )
    .into_bytes();
    entry.extend_from_slice(document.as_bytes());
    entry
}

/// A JSON file GAM reads, indented as GAM writes its own.
fn json_file(file: &'static str, value: &impl serde::Serialize) -> Result<Vec<u8>, ProvisionError> {
    serde_json::to_vec_pretty(value).map_err(|e| ProvisionError::Encoding {
        file,
        error: e.to_string(),
    })
}

/// `%Y-%m-%dT%H:%M:%SZ`, the form of `token_expiry` in `oauth2.txt`.
fn gam_time(at: SystemTime) -> String {
    let format =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    time::OffsetDateTime::from(at)
        .format(format)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_files_are_named_as_httplib2_names_them() {
        // The names GAM7 7.49.0 (modern_httplib2) gave these URLs on a real run.
        assert_eq!(
            cache_file_name("https://reseller.googleapis.com/$discovery/rest?version=v1"),
            "reseller.googleapis.comdiscoveryrestversion=v1,edeec1fc8d13cb5d71fb5e7fe8b8785e"
        );
        assert_eq!(
            cache_file_name("https://admin.googleapis.com/$discovery/rest?version=directory_v1"),
            "admin.googleapis.comdiscoveryrestversion=directory_v1,a58f3299a0b9f67f119950915a1abaad"
        );
        assert_eq!(
            cache_file_name("https://licensing.googleapis.com/$discovery/rest?version=v1"),
            "licensing.googleapis.comdiscoveryrestversion=v1,0d85bdf4284700df925abfa6c8a4b424"
        );
    }

    #[test]
    fn token_expiry_is_written_as_gam_reads_it() {
        let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_796_000_000);
        assert_eq!(gam_time(at), "2026-11-30T00:53:20Z");
        let entry = String::from_utf8(cache_entry("{}", at)).expect("text");
        assert!(entry.starts_with("status: 200\r\n"));
        assert!(entry.contains("date: Mon, 30 Nov 2026 00:53:20 GMT\r\n"));
        assert!(entry.ends_with("\r\n\r\n{}"));
    }
}
