//! Countries open to resale and postal code formats, read from the data tables in `data/`.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

const COUNTRIES: &str = include_str!("../data/countries.tsv");
const POSTAL_CODES: &str = include_str!("../data/postal_codes.tsv");

fn rows(table: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
    table
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once('\t'))
}

static RESALE: LazyLock<HashMap<&'static str, bool>> =
    LazyLock::new(|| rows(COUNTRIES).map(|(c, r)| (c, r == "open")).collect());

static POSTAL: LazyLock<HashMap<&'static str, Regex>> = LazyLock::new(|| {
    rows(POSTAL_CODES)
        .filter_map(|(c, p)| Regex::new(&format!("(?i)^(?:{p})$")).ok().map(|r| (c, r)))
        .collect()
});

static POSTAL_FALLBACK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Za-z0-9][A-Za-z0-9 \-]{0,11}$").unwrap_or_else(|_| unreachable!())
});

/// Whether `code` (exactly two upper-case letters) is an ISO 3166-1 alpha-2 code at all.
pub fn is_country(code: &str) -> bool {
    RESALE.contains_key(code)
}

/// Whether Google Workspace may be resold to a customer in this country.
pub fn open_to_resale(code: &str) -> bool {
    RESALE.get(code).copied().unwrap_or(false)
}

/// The ISO 3166-1 alpha-2 codes of every country open to resale (`data/countries.tsv`),
/// in code order: what a console's Country list offers.
pub fn resale_countries() -> Vec<&'static str> {
    let mut open: Vec<&'static str> = rows(COUNTRIES)
        .filter(|(_, resale)| *resale == "open")
        .map(|(code, _)| code)
        .collect();
    open.sort_unstable();
    open
}

/// Whether `postal_code` has the shape this country's post uses.
pub fn postal_code_valid(country: &str, postal_code: &str) -> bool {
    let code = postal_code.trim();
    match POSTAL.get(country) {
        Some(pattern) => pattern.is_match(code),
        None => POSTAL_FALLBACK.is_match(code),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_load_completely() {
        assert_eq!(RESALE.len(), 249);
        assert_eq!(
            POSTAL.len(),
            rows(POSTAL_CODES).count(),
            "a postal pattern failed to compile"
        );
    }

    #[test]
    fn the_resale_list_is_the_open_countries() {
        let open = super::resale_countries();
        assert_eq!(open.len(), RESALE.values().filter(|o| **o).count());
        assert!(open.contains(&"JP") && open.contains(&"ID"));
        assert!(!open.contains(&"KP") && !open.contains(&"AQ"));
        assert!(open.iter().all(|c| open_to_resale(c)));
    }

    #[test]
    fn resale_countries() {
        for open in ["US", "FR", "JP", "ID", "GB", "DE"] {
            assert!(open_to_resale(open), "{open}");
        }
        for closed in ["KP", "IR", "CU", "SY", "XX", "us", "USA", ""] {
            assert!(!open_to_resale(closed), "{closed}");
        }
        assert!(is_country("KP"));
        assert!(!is_country("XX"));
    }

    #[test]
    fn postal_codes() {
        let ok = [
            ("US", "94043"),
            ("US", "94043-1351"),
            ("FR", "75008"),
            ("JP", "100-0001"),
            ("JP", "1000001"),
            ("ID", "10110"),
            ("GB", "SW1A 1AA"),
            ("GB", "m1 1ae"),
            ("DE", "10117"),
            ("CA", "K1A 0B1"),
            ("NL", "1012 AB"),
            ("KE", "00100"),
        ];
        for (country, code) in ok {
            assert!(postal_code_valid(country, code), "{country} {code}");
        }
        let bad = [
            ("US", "ABCDE"),
            ("US", "9404"),
            ("FR", "7500"),
            ("JP", "1000-001"),
            ("GB", "12345"),
            ("KE", ""),
            ("KE", "this is far too long"),
            ("KE", "!!"),
        ];
        for (country, code) in bad {
            assert!(!postal_code_valid(country, code), "{country} {code}");
        }
    }
}
