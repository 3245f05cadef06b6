//! The seeded data set, derived deterministically from each customer's index, so that
//! the load phases can name any seeded customer or subscription without storing a list.
//!
//! Every customer is built by the domain's own `new_customer` and every subscription by
//! `Subscription::order`, so the rows pass the same rules as those the API creates.

use anyhow::{Context, Result, anyhow};
use partnerd_domain::customer::{Customer, CustomerFields, PostalAddress, new_customer};
use partnerd_domain::subscription::{Buyer, DAY_MS, Order, SeatsInput, Subscription};

/// 36^7: the customer ids `C0` + seven base-36 characters.
const CUSTOMER_ID_SPACE: u64 = 78_364_164_096;
/// A multiplier prime to 36^7 (not divisible by 2 or 3): a bijection on the id space.
const CUSTOMER_ID_MULTIPLIER: u64 = 2_654_435_761;
const SUBSCRIPTION_ID_SPACE: u128 = 100_000_000_000_000_000_000;
/// Prime to 10^20 (neither even nor a multiple of 5).
const SUBSCRIPTION_ID_MULTIPLIER: u128 = 6_364_136_223_846_793_007;

pub fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// The id of seeded customer `i`: unique, random-looking, shaped like Google's.
pub fn customer_id(i: u64) -> String {
    const BASE36: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut n = (u128::from(i) * u128::from(CUSTOMER_ID_MULTIPLIER) + 12_345_678)
        % u128::from(CUSTOMER_ID_SPACE);
    let mut tail = [b'0'; 7];
    for slot in tail.iter_mut().rev() {
        *slot = BASE36[(n % 36) as usize];
        n /= 36;
    }
    format!("C0{}", String::from_utf8_lossy(&tail))
}

/// The id of subscription `n` (customer index × subscriptions per customer + slot).
pub fn subscription_id(n: u64) -> String {
    let x = (u128::from(n) * SUBSCRIPTION_ID_MULTIPLIER + 987_654_321) % SUBSCRIPTION_ID_SPACE;
    format!("9{x:020}")
}

const WORDS: &[&str] = &[
    "acme",
    "globex",
    "initech",
    "umbrella",
    "hooli",
    "vandelay",
    "wonka",
    "tyrell",
    "cyberdyne",
    "soylent",
    "oscorp",
    "wayne",
    "stark",
    "gringotts",
    "monarch",
    "aperture",
];
const TLDS: &[&str] = &["com", "net", "org", "io", "de", "fr", "co.uk", "com.au"];

pub fn customer_domain(i: u64) -> String {
    let h = splitmix(i);
    format!(
        "{}-{i}.{}",
        WORDS[(h % WORDS.len() as u64) as usize],
        TLDS[((h >> 8) % TLDS.len() as u64) as usize]
    )
}

/// (country, postal code, locality) triples with valid postal codes.
const PLACES: &[(&str, &str, &str)] = &[
    ("US", "94043", "Mountain View"),
    ("US", "10011", "New York"),
    ("US", "60607", "Chicago"),
    ("GB", "SW1A 1AA", "London"),
    ("DE", "10115", "Berlin"),
    ("FR", "75002", "Paris"),
    ("CA", "M5V 3L9", "Toronto"),
    ("AU", "2000", "Sydney"),
    ("JP", "100-0005", "Tokyo"),
    ("IN", "560001", "Bengaluru"),
    ("BR", "01310-100", "Sao Paulo"),
];

pub fn customer_fields(domain: &str, h: u64) -> CustomerFields {
    let (country, postal, locality) = PLACES[((h >> 16) % PLACES.len() as u64) as usize];
    let word = domain.split(['-', '.']).next().unwrap_or("example");
    CustomerFields {
        domain: Some(domain.to_string()),
        customer_type: None,
        alternate_email: Some(format!("it-admin@{word}-outsourced.example")),
        phone_number: None,
        postal_address: Some(PostalAddress {
            contact_name: Some("Ana Lima".into()),
            organization_name: Some(format!("{} Ltd", word)),
            address_line1: Some(format!("{} Main Street", 1 + (h >> 24) % 900)),
            locality: Some(locality.into()),
            postal_code: Some(postal.into()),
            country_code: Some(country.into()),
            ..Default::default()
        }),
        primary_admin_email: Some(format!("admin@{domain}")),
    }
}

/// One purchasable family per subscription slot; a customer holds at most one live
/// subscription per family, as the purchase rules require.
const SLOT_SKUS: &[&[(&str, u32)]] = &[
    // Workspace editions (weights out of 100).
    &[
        ("1010020027", 30),
        ("1010020028", 45),
        ("1010020025", 15),
        ("1010020026", 10),
    ],
    &[
        ("Google-Drive-storage-20GB", 40),
        ("Google-Drive-storage-200GB", 40),
        ("Google-Drive-storage-1TB", 20),
    ],
    &[("1010470003", 100)],
    &[("Google-Vault", 100)],
    &[("1010380001", 100)],
    &[("Google-Chrome-Device-Management", 100)],
    &[("1010050001", 100)],
    &[("1010020030", 100)],
];

pub const MAX_SLOTS: usize = SLOT_SKUS.len();

fn weighted<'a>(choices: &'a [(&'a str, u32)], roll: u64) -> &'a str {
    let total: u32 = choices.iter().map(|c| c.1).sum();
    let mut r = (roll % u64::from(total)) as u32;
    for (name, w) in choices {
        if r < *w {
            return name;
        }
        r -= w;
    }
    choices[0].0
}

/// The plan of a SKU in a slot: the Workspace slot mixes ANNUAL_MONTHLY_PAY (50 %),
/// FLEXIBLE (35 %), ANNUAL_YEARLY_PAY (10 %) and TRIAL (5 %).
fn plan_for(slot: usize, sku: &str, roll: u64) -> &'static str {
    match slot {
        0 => match roll % 100 {
            0..50 => "ANNUAL_MONTHLY_PAY",
            50..85 => "FLEXIBLE",
            85..95 => "ANNUAL_YEARLY_PAY",
            _ => "TRIAL",
        },
        _ if sku == "Google-Chrome-Device-Management" => "ANNUAL_MONTHLY_PAY",
        _ if sku.starts_with("Google-Drive") || sku == "Google-Vault" => "FLEXIBLE",
        _ if roll.is_multiple_of(2) => "ANNUAL_MONTHLY_PAY",
        _ => "FLEXIBLE",
    }
}

/// Whether seeded customer `i`'s Workspace subscription is on the FLEXIBLE plan (the
/// changeSeats phase picks those: any seat count from 1 to 300 is then valid).
pub fn workspace_is_flexible(i: u64) -> bool {
    plan_for(0, "", splitmix(i ^ 0x5151) >> 3) == "FLEXIBLE"
}

/// Seeded customer `i` with its `per_customer` subscriptions, all managed by `reseller_id`.
pub fn seeded(
    i: u64,
    per_customer: usize,
    reseller_id: &str,
    now: i64,
) -> Result<(Customer, Vec<Subscription>)> {
    let h = splitmix(i);
    let domain = customer_domain(i);
    // Established customers: signed up within the last 330 days, ToS accepted, domain
    // verified; every commitment and trial still runs (nothing falls due while measuring).
    let plan_roll = splitmix(i ^ 0x5151) >> 3;
    let trial = plan_for(0, "", plan_roll) == "TRIAL";
    let age_days = if trial { h % 20 } else { h % 330 };
    let created = now - (age_days as i64) * DAY_MS - ((h >> 40) % 86_400_000) as i64;
    let mut customer = new_customer(
        customer_id(i),
        customer_fields(&domain, h),
        reseller_id,
        created,
    )
    .map_err(|e| anyhow!("seed customer {domain}: {}", e.message))?;
    customer.domain_verified = true;
    customer.tos_accepted_at = Some(created);
    let mut subs = Vec::with_capacity(per_customer);
    for (slot, choices) in SLOT_SKUS.iter().enumerate().take(per_customer) {
        let roll = splitmix(i.wrapping_mul(31).wrapping_add(slot as u64) ^ 0xABCD);
        let sku = weighted(choices, roll);
        let plan = if slot == 0 {
            plan_for(0, sku, plan_roll)
        } else {
            plan_for(slot, sku, roll >> 20)
        };
        let max = if slot == 0 && sku != "1010020026" {
            300
        } else {
            2000
        };
        let seats = if plan == "TRIAL" {
            1 + (roll >> 32) % 10
        } else {
            // Mostly small businesses: 1-25 seats, some larger.
            match (roll >> 32) % 10 {
                0..7 => 1 + (roll >> 40) % 25,
                _ => 1 + (roll >> 40) % max,
            }
        } as i64;
        let order = Order {
            sku_id: Some(sku.into()),
            plan_name: Some(plan.into()),
            seats: Some(SeatsInput {
                number_of_seats: Some(seats),
                maximum_number_of_seats: Some(seats),
                licensed_number_of_seats: None,
            }),
            renewal_type: None,
            purchase_order_id: (roll >> 50)
                .is_multiple_of(4)
                .then(|| format!("PO-{i}-{slot}")),
            deal_code: None,
        };
        let buyer = Buyer {
            customer: &customer,
            tos_accepted: true,
        };
        let sub = Subscription::order(
            subscription_id(i * per_customer as u64 + slot as u64),
            reseller_id,
            buyer,
            order,
            created + slot as i64 * 60_000,
        )
        .map_err(|e| anyhow!("seed subscription {sku} {plan}: {}", e.message))
        .with_context(|| format!("customer {i}"))?;
        subs.push(sub);
    }
    Ok((customer, subs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_distinct_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for i in 0..20_000 {
            let id = customer_id(i);
            assert!(partnerd_domain::ids::is_customer_id(&id), "{id}");
            assert!(seen.insert(id));
            assert_eq!(subscription_id(i).len(), 21);
        }
    }

    #[test]
    fn seeded_rows_pass_the_domain_rules() {
        for i in 0..2_000 {
            let (c, subs) = seeded(i, MAX_SLOTS, "C0reseller", 1_800_000_000_000).expect("seed");
            assert_eq!(subs.len(), MAX_SLOTS);
            assert!(subs.iter().all(|s| s.customer_id == c.id && s.is_live()));
            assert_eq!(
                workspace_is_flexible(i),
                subs[0].plan == partnerd_domain::plan::PlanName::Flexible
            );
        }
    }
}
