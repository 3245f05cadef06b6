//! Customer accounts and the rules for creating and changing them (Reseller API
//! `customers`, spec section 2).
//!
//! A reseller is itself a customer account (it has users and a domain); its
//! `reseller_public_id` is set and nobody manages it.

use serde::{Deserialize, Serialize};

use crate::clock::Millis;
use crate::error::RuleError;
use crate::geo;

/// Postal address fields are limited to this many characters each.
pub const ADDRESS_FIELD_MAX: usize = 255;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum CustomerType {
    /// A domain-verified (domain-owning) customer.
    Domain,
    /// An e-mail-verified customer without a verified domain.
    Team,
}

impl CustomerType {
    pub fn as_str(self) -> &'static str {
        match self {
            CustomerType::Domain => "domain",
            CustomerType::Team => "team",
        }
    }

    /// Parses the wire value; `customerTypeUnspecified` means "the default", `None`.
    pub fn parse(value: &str) -> Result<Option<CustomerType>, RuleError> {
        match value {
            "domain" => Ok(Some(CustomerType::Domain)),
            "team" => Ok(Some(CustomerType::Team)),
            "customerTypeUnspecified" | "" => Ok(None),
            other => Err(RuleError::invalid(
                "customerType",
                format!("'{other}' is not one of domain, team"),
            )),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostalAddress {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address_line1: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address_line2: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address_line3: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locality: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country_code: Option<String>,
}

impl PostalAddress {
    /// The fields with their wire names, in the order errors are reported.
    fn fields_mut(&mut self) -> [(&'static str, &mut Option<String>); 9] {
        [
            ("contactName", &mut self.contact_name),
            ("organizationName", &mut self.organization_name),
            ("addressLine1", &mut self.address_line1),
            ("addressLine2", &mut self.address_line2),
            ("addressLine3", &mut self.address_line3),
            ("locality", &mut self.locality),
            ("region", &mut self.region),
            ("postalCode", &mut self.postal_code),
            ("countryCode", &mut self.country_code),
        ]
    }

    /// Overlays the fields present in `changes` (patch semantics).
    fn merge(&mut self, changes: &PostalAddress) {
        let mut changes = changes.clone();
        for ((_, mine), (_, theirs)) in self.fields_mut().into_iter().zip(changes.fields_mut()) {
            if theirs.is_some() {
                *mine = theirs.take();
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == PostalAddress::default()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Customer {
    pub id: String,
    /// The primary domain, lower-case.
    pub domain: String,
    pub customer_type: CustomerType,
    /// The reseller account that manages this customer; `None` for direct accounts.
    pub managed_by: Option<String>,
    pub alternate_email: Option<String>,
    pub phone_number: Option<String>,
    pub postal_address: PostalAddress,
    pub primary_admin_email: Option<String>,
    pub domain_verified: bool,
    pub created_at: Millis,
    /// Set only on reseller accounts: the ID customers type to move to this reseller.
    pub reseller_public_id: Option<String>,
    /// When one of the customer's super admins accepted the Terms of Service; until then
    /// its subscriptions are suspended with `PENDING_TOS_ACCEPTANCE`.
    #[serde(default)]
    pub tos_accepted_at: Option<Millis>,
    /// The default language of users created from now on (Directory API), ISO 639.
    #[serde(default = "default_language")]
    pub language: String,
    /// Whether the reseller may use the Admin console and APIs on this customer; the
    /// customer's super admin can turn it off.
    #[serde(default = "yes")]
    pub reseller_access: bool,
    /// An educational institution (schools, higher education): the Partner Sales
    /// Console's checkbox. Not part of the Reseller API's `Customer`.
    #[serde(default)]
    pub education: bool,
    /// Raised by every change; writes compare it to refuse lost updates.
    pub version: i64,
}

fn default_language() -> String {
    "en".into()
}

fn yes() -> bool {
    true
}

/// The fields a request carries for a customer; `None` means "not in the request".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerFields {
    pub domain: Option<String>,
    pub customer_type: Option<String>,
    pub alternate_email: Option<String>,
    pub phone_number: Option<String>,
    pub postal_address: Option<PostalAddress>,
    pub primary_admin_email: Option<String>,
}

/// How much of a customer a reseller may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    /// The reseller manages the customer: everything.
    Full,
    /// Someone else (another reseller, or Google directly) manages it: only the id,
    /// domain and type, so the reseller knows a transfer is needed.
    Minimal,
}

impl Customer {
    pub fn visibility_for(&self, reseller_id: &str) -> Visibility {
        if self.managed_by.as_deref() == Some(reseller_id) {
            Visibility::Full
        } else {
            Visibility::Minimal
        }
    }

    /// Only the managing reseller may change a customer.
    pub fn ensure_managed_by(&self, reseller_id: &str) -> Result<(), RuleError> {
        match self.visibility_for(reseller_id) {
            Visibility::Full => Ok(()),
            Visibility::Minimal => Err(RuleError::forbidden(format!(
                "The customer {} is not managed by this reseller.",
                self.id
            ))),
        }
    }
}

/// A new customer ordered by `reseller_id`, validated; the first violation (the API's answer).
pub fn new_customer(
    id: String,
    fields: CustomerFields,
    reseller_id: &str,
    now: Millis,
) -> Result<Customer, RuleError> {
    new_customer_all(id, fields, reseller_id, now).map_err(first)
}

/// A new customer ordered by `reseller_id`, validated; every violation (a form's answer).
pub fn new_customer_all(
    id: String,
    fields: CustomerFields,
    reseller_id: &str,
    now: Millis,
) -> Result<Customer, Vec<RuleError>> {
    let customer_type = match fields.customer_type.as_deref() {
        Some(t) => CustomerType::parse(t)
            .map_err(|e| vec![e])?
            .unwrap_or(CustomerType::Domain),
        None => CustomerType::Domain,
    };
    let customer = Customer {
        id,
        domain: fields.domain.unwrap_or_default(),
        customer_type,
        managed_by: Some(reseller_id.to_string()),
        alternate_email: fields.alternate_email,
        phone_number: fields.phone_number,
        postal_address: fields.postal_address.unwrap_or_default(),
        primary_admin_email: fields.primary_admin_email,
        domain_verified: false,
        created_at: now,
        reseller_public_id: None,
        tos_accepted_at: None,
        language: default_language(),
        reseller_access: true,
        education: false,
        version: 1,
    };
    validated_all(customer)
}

/// `customers.patch`: the fields present replace the stored ones; address fields merge one by one.
pub fn patched(existing: &Customer, fields: CustomerFields) -> Result<Customer, RuleError> {
    patched_all(existing, fields).map_err(first)
}

/// `patched`, with every violation.
pub fn patched_all(
    existing: &Customer,
    fields: CustomerFields,
) -> Result<Customer, Vec<RuleError>> {
    ensure_type_unchanged(existing, fields.customer_type.as_deref()).map_err(|e| vec![e])?;
    let mut next = existing.clone();
    if let Some(domain) = fields.domain {
        next.domain = domain;
    }
    if fields.alternate_email.is_some() {
        next.alternate_email = fields.alternate_email;
    }
    if fields.phone_number.is_some() {
        next.phone_number = fields.phone_number;
    }
    if let Some(address) = &fields.postal_address {
        next.postal_address.merge(address);
    }
    if fields.primary_admin_email.is_some() {
        next.primary_admin_email = fields.primary_admin_email;
    }
    next.version += 1;
    validated_all(next)
}

/// `customers.update`: the request is the new state of every changeable field; a field
/// left out is cleared (and required ones are then reported missing). The domain is kept
/// when the body omits it, since the path already names the customer.
pub fn replaced(existing: &Customer, fields: CustomerFields) -> Result<Customer, RuleError> {
    replaced_all(existing, fields).map_err(first)
}

/// `replaced`, with every violation.
pub fn replaced_all(
    existing: &Customer,
    fields: CustomerFields,
) -> Result<Customer, Vec<RuleError>> {
    ensure_type_unchanged(existing, fields.customer_type.as_deref()).map_err(|e| vec![e])?;
    let mut next = existing.clone();
    if let Some(domain) = fields.domain {
        next.domain = domain;
    }
    next.alternate_email = fields.alternate_email;
    next.phone_number = fields.phone_number;
    next.postal_address = fields.postal_address.unwrap_or_default();
    if fields.primary_admin_email.is_some() {
        next.primary_admin_email = fields.primary_admin_email;
    }
    next.version += 1;
    validated_all(next)
}

fn ensure_type_unchanged(existing: &Customer, requested: Option<&str>) -> Result<(), RuleError> {
    let Some(requested) = requested else {
        return Ok(());
    };
    match CustomerType::parse(requested)? {
        Some(t) if t != existing.customer_type => Err(RuleError::invalid(
            "customerType",
            "the customer type cannot be changed through the API",
        )),
        _ => Ok(()),
    }
}

/// Every rule a customer record breaks, in the order they are checked, at most one per
/// field: a form shows them all at once, the API answers the first.
#[derive(Debug, Default)]
struct Violations(Vec<RuleError>);

impl Violations {
    fn check<T>(&mut self, result: Result<T, RuleError>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.push(e);
                None
            }
        }
    }

    fn push(&mut self, e: RuleError) {
        if !self.0.iter().any(|seen| seen.field == e.field) {
            self.0.push(e);
        }
    }
}

/// Checks every rule and normalises: domain lower-case, blank optional fields removed,
/// an invalid phone number dropped (Google ignores it silently). Refuses with every
/// violation found.
fn validated_all(mut c: Customer) -> Result<Customer, Vec<RuleError>> {
    let mut v = Violations::default();
    if let Some(domain) = v.check(normalize_domain(&c.domain)) {
        c.domain = domain;
    }
    v.check(check_printable("alternateEmail", &c.alternate_email));
    v.check(check_printable("phoneNumber", &c.phone_number));
    v.check(check_printable(
        "primaryAdmin.primaryEmail",
        &c.primary_admin_email,
    ));
    c.alternate_email = non_blank(c.alternate_email);
    c.primary_admin_email = non_blank(c.primary_admin_email);
    c.phone_number = non_blank(c.phone_number).filter(|p| phone_valid(p));

    match &c.alternate_email {
        Some(email) => {
            v.check(check_alternate_email(email, &c.domain));
        }
        None if c.customer_type == CustomerType::Domain => {
            v.push(RuleError::required("alternateEmail"));
        }
        None => {}
    }
    match &c.primary_admin_email {
        Some(email) if !email_valid(email) => v.push(RuleError::invalid(
            "primaryAdmin.primaryEmail",
            "not a valid e-mail address",
        )),
        None if c.customer_type == CustomerType::Team => {
            v.push(RuleError::required("primaryAdmin.primaryEmail"));
        }
        _ => {}
    }
    check_address(&mut c.postal_address, c.customer_type, &mut v);
    if v.0.is_empty() { Ok(c) } else { Err(v.0) }
}

fn first(mut violations: Vec<RuleError>) -> RuleError {
    violations.swap_remove(0)
}

/// Control characters (NUL, escapes, line breaks) have no place in these fields.
fn check_printable(field: &str, value: &Option<String>) -> Result<(), RuleError> {
    match value {
        Some(v) if v.chars().any(char::is_control) => Err(RuleError::invalid(
            field,
            "control characters are not allowed",
        )),
        _ => Ok(()),
    }
}

fn non_blank(value: Option<String>) -> Option<String> {
    value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

fn check_address(address: &mut PostalAddress, customer_type: CustomerType, v: &mut Violations) {
    for (name, value) in address.fields_mut() {
        let field = format!("postalAddress.{name}");
        v.check(check_printable(&field, value));
        *value = non_blank(value.take());
        if let Some(text) = value
            && text.chars().count() > ADDRESS_FIELD_MAX
        {
            v.push(RuleError::invalid(
                &field,
                format!("longer than {ADDRESS_FIELD_MAX} characters"),
            ));
        }
    }
    // Team customers sign up with an e-mail address; their address is optional, but
    // whatever they give is checked like a domain customer's.
    if customer_type == CustomerType::Domain {
        let required = [
            ("contactName", &address.contact_name),
            ("organizationName", &address.organization_name),
            ("postalCode", &address.postal_code),
            ("countryCode", &address.country_code),
        ];
        for (name, value) in required {
            if value.is_none() {
                v.push(RuleError::required(&format!("postalAddress.{name}")));
            }
        }
    }
    if let Some(country) = &address.country_code {
        if !geo::is_country(country) {
            v.push(RuleError::invalid(
                "postalAddress.countryCode",
                format!("'{country}' is not an ISO 3166-1 alpha-2 country code"),
            ));
        } else if !geo::open_to_resale(country) {
            v.push(RuleError::invalid(
                "postalAddress.countryCode",
                format!("Google Workspace cannot be resold in '{country}'"),
            ));
        }
        if let Some(postal_code) = &address.postal_code
            && !geo::postal_code_valid(country, postal_code)
        {
            v.push(RuleError::invalid(
                "postalAddress.postalCode",
                format!("'{postal_code}' is not a postal code of '{country}'"),
            ));
        }
    }
}

/// Validates a primary domain and returns it lower-case.
pub fn normalize_domain(domain: &str) -> Result<String, RuleError> {
    let domain = domain.trim().trim_end_matches('.').to_ascii_lowercase();
    if domain.is_empty() {
        return Err(RuleError::required("customerDomain"));
    }
    if domain.starts_with("www.") {
        return Err(RuleError::invalid(
            "customerDomain",
            "do not include the 'www.' prefix",
        ));
    }
    if let Err(why) = check_domain_syntax(&domain) {
        return Err(RuleError::invalid("customerDomain", why));
    }
    Ok(domain)
}

fn check_domain_syntax(domain: &str) -> Result<(), &'static str> {
    if domain.len() > 253 {
        return Err("a domain name has at most 253 characters");
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return Err("a domain name needs at least two labels, as in example.com");
    }
    for label in &labels {
        if label.is_empty() || label.len() > 63 {
            return Err("each label of a domain name has 1 to 63 characters");
        }
        if !label
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err("a domain name has only letters, digits, hyphens and dots");
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err("a label of a domain name cannot start or end with a hyphen");
        }
    }
    let tld = labels[labels.len() - 1];
    let punycode_tld = tld.starts_with("xn--");
    if tld.len() < 2 || !(punycode_tld || tld.bytes().all(|b| b.is_ascii_lowercase())) {
        return Err("the top-level domain must be alphabetic");
    }
    Ok(())
}

pub fn email_valid(email: &str) -> bool {
    email.parse::<email_address::EmailAddress>().is_ok() && email.contains('.')
}

fn check_alternate_email(email: &str, customer_domain: &str) -> Result<(), RuleError> {
    if !email_valid(email) {
        return Err(RuleError::invalid(
            "alternateEmail",
            "not a valid e-mail address",
        ));
    }
    let email_domain = email
        .rsplit_once('@')
        .map(|(_, d)| d.to_ascii_lowercase())
        .unwrap_or_default();
    if email_domain == customer_domain || email_domain.ends_with(&format!(".{customer_domain}")) {
        return Err(RuleError::invalid(
            "alternateEmail",
            "the alternate e-mail address must not be on the customer's domain",
        ));
    }
    Ok(())
}

/// A phone number must start with `+` and a country code and be a real number.
pub fn phone_valid(phone: &str) -> bool {
    phone.starts_with('+')
        && phonenumber::parse(None, phone)
            .map(|n| phonenumber::is_valid(&n))
            .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_violation_is_reported_once_per_field_in_order() {
        let fields = CustomerFields {
            domain: Some("www.bad".into()),
            customer_type: None,
            alternate_email: None,
            phone_number: None,
            postal_address: Some(PostalAddress {
                contact_name: Some("Ana\u{0}".into()),
                country_code: Some("ZZ".into()),
                ..Default::default()
            }),
            primary_admin_email: None,
        };
        let all = new_customer_all("C0x".into(), fields.clone(), "C0r", 0).expect_err("invalid");
        let named: Vec<&str> = all.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            named,
            [
                "customerDomain",
                "alternateEmail",
                "postalAddress.contactName",
                "postalAddress.organizationName",
                "postalAddress.postalCode",
                "postalAddress.countryCode",
            ]
        );
        // The API answers the first, as it always did.
        assert_eq!(
            new_customer("C0x".into(), fields, "C0r", 0).expect_err("invalid"),
            all[0]
        );
    }

    use super::*;
    use crate::error::RuleErrorKind;

    fn address() -> PostalAddress {
        PostalAddress {
            contact_name: Some("Ana".into()),
            organization_name: Some("Example Ltd".into()),
            postal_code: Some("94043".into()),
            country_code: Some("US".into()),
            ..Default::default()
        }
    }

    fn fields() -> CustomerFields {
        CustomerFields {
            domain: Some("Example.COM".into()),
            alternate_email: Some("ops@other.example".into()),
            postal_address: Some(address()),
            ..Default::default()
        }
    }

    fn create(f: CustomerFields) -> Result<Customer, RuleError> {
        new_customer("C0abcdefg".into(), f, "C0reseller", 1)
    }

    fn err_field(r: Result<Customer, RuleError>) -> (RuleErrorKind, String) {
        let e = r.expect_err("expected a rule error");
        (e.kind, e.field)
    }

    #[test]
    fn domain_customer_is_created_normalised() {
        let c = create(fields()).expect("valid");
        assert_eq!(c.domain, "example.com");
        assert_eq!(c.customer_type, CustomerType::Domain);
        assert_eq!(c.managed_by.as_deref(), Some("C0reseller"));
        assert!(!c.domain_verified);
    }

    type Edit = fn(&mut CustomerFields);

    #[test]
    fn required_fields_of_domain_customers() {
        let cases: [(Edit, &str); 6] = [
            (|f| f.domain = None, "customerDomain"),
            (|f| f.alternate_email = None, "alternateEmail"),
            (
                |f| {
                    f.postal_address
                        .as_mut()
                        .map(|a| a.contact_name = None)
                        .unwrap_or(())
                },
                "postalAddress.contactName",
            ),
            (
                |f| {
                    f.postal_address
                        .as_mut()
                        .map(|a| a.organization_name = None)
                        .unwrap_or(())
                },
                "postalAddress.organizationName",
            ),
            (
                |f| {
                    f.postal_address
                        .as_mut()
                        .map(|a| a.postal_code = Some(" ".into()))
                        .unwrap_or(())
                },
                "postalAddress.postalCode",
            ),
            (
                |f| {
                    f.postal_address
                        .as_mut()
                        .map(|a| a.country_code = None)
                        .unwrap_or(())
                },
                "postalAddress.countryCode",
            ),
        ];
        for (change, field) in cases {
            let mut f = fields();
            change(&mut f);
            assert_eq!(
                err_field(create(f)),
                (RuleErrorKind::Required, field.to_string())
            );
        }
    }

    #[test]
    fn team_customers_need_a_primary_admin_but_no_alternate_email() {
        let team = CustomerFields {
            domain: Some("team.example".into()),
            customer_type: Some("team".into()),
            ..Default::default()
        };
        assert_eq!(
            err_field(create(team.clone())),
            (RuleErrorKind::Required, "primaryAdmin.primaryEmail".into())
        );
        let ok = CustomerFields {
            primary_admin_email: Some("boss@team.example".into()),
            ..team
        };
        assert_eq!(create(ok).expect("valid").customer_type, CustomerType::Team);
    }

    #[test]
    fn bad_domains() {
        for bad in [
            "www.example.com",
            "example",
            "-a.com",
            "a-.com",
            "a..com",
            "exa mple.com",
            "example.c0m",
            "example.c",
        ] {
            let f = CustomerFields {
                domain: Some(bad.into()),
                ..fields()
            };
            assert_eq!(
                err_field(create(f)),
                (RuleErrorKind::Invalid, "customerDomain".into()),
                "{bad}"
            );
        }
        for good in [
            "a.co",
            "sub.example.co.uk",
            "xn--80ak6aa92e.com",
            "my-shop.example",
        ] {
            let f = CustomerFields {
                domain: Some(good.into()),
                ..fields()
            };
            assert!(create(f).is_ok(), "{good}");
        }
    }

    #[test]
    fn alternate_email_rules() {
        for bad in [
            "not-an-email",
            "ops@example.com",
            "ops@EXAMPLE.com",
            "ops@mail.example.com",
        ] {
            let f = CustomerFields {
                alternate_email: Some(bad.into()),
                ..fields()
            };
            assert_eq!(
                err_field(create(f)),
                (RuleErrorKind::Invalid, "alternateEmail".into()),
                "{bad}"
            );
        }
        let f = CustomerFields {
            alternate_email: Some("ops@notexample.com".into()),
            ..fields()
        };
        assert!(create(f).is_ok());
    }

    #[test]
    fn country_and_postal_code() {
        for (country, field) in [
            ("XX", "postalAddress.countryCode"),
            ("KP", "postalAddress.countryCode"),
            ("us", "postalAddress.countryCode"),
        ] {
            let mut f = fields();
            if let Some(a) = f.postal_address.as_mut() {
                a.country_code = Some(country.into());
            }
            assert_eq!(
                err_field(create(f)),
                (RuleErrorKind::Invalid, field.into()),
                "{country}"
            );
        }
        let mut f = fields();
        if let Some(a) = f.postal_address.as_mut() {
            a.postal_code = Some("ABCDE".into());
        }
        assert_eq!(
            err_field(create(f)),
            (RuleErrorKind::Invalid, "postalAddress.postalCode".into())
        );
    }

    #[test]
    fn address_fields_are_limited_to_255_characters() {
        let mut f = fields();
        if let Some(a) = f.postal_address.as_mut() {
            a.address_line2 = Some("é".repeat(255));
        }
        assert!(
            create(f.clone()).is_ok(),
            "255 characters (multi-byte) are fine"
        );
        if let Some(a) = f.postal_address.as_mut() {
            a.address_line2 = Some("x".repeat(256));
        }
        assert_eq!(
            err_field(create(f)),
            (RuleErrorKind::Invalid, "postalAddress.addressLine2".into())
        );
    }

    #[test]
    fn invalid_phone_numbers_are_dropped_silently() {
        for bad in ["123", "not a phone", "6502530000", "+1 000"] {
            let f = CustomerFields {
                phone_number: Some(bad.into()),
                ..fields()
            };
            assert_eq!(create(f).expect("still valid").phone_number, None, "{bad}");
        }
        for good in ["+1 650-253-0000", "+33 1 42 68 53 00", "+81 3-6384-9000"] {
            let f = CustomerFields {
                phone_number: Some(good.into()),
                ..fields()
            };
            assert_eq!(
                create(f).expect("valid").phone_number.as_deref(),
                Some(good)
            );
        }
    }

    #[test]
    fn control_characters_are_refused() {
        let f = CustomerFields {
            phone_number: Some("+1 650\0".into()),
            ..fields()
        };
        assert_eq!(
            err_field(create(f)),
            (RuleErrorKind::Invalid, "phoneNumber".into())
        );
        let mut f = fields();
        if let Some(a) = f.postal_address.as_mut() {
            a.locality = Some("Paris\nCedex".into());
        }
        assert_eq!(
            err_field(create(f)),
            (RuleErrorKind::Invalid, "postalAddress.locality".into())
        );
    }

    #[test]
    fn customer_type_values() {
        let f = CustomerFields {
            customer_type: Some("enterprise".into()),
            ..fields()
        };
        assert_eq!(
            err_field(create(f)),
            (RuleErrorKind::Invalid, "customerType".into())
        );
        let f = CustomerFields {
            customer_type: Some("customerTypeUnspecified".into()),
            ..fields()
        };
        assert_eq!(
            create(f).expect("valid").customer_type,
            CustomerType::Domain
        );
    }

    #[test]
    fn patch_merges_and_update_replaces() {
        let c = create(fields()).expect("valid");
        let p = patched(
            &c,
            CustomerFields {
                postal_address: Some(PostalAddress {
                    locality: Some("Mountain View".into()),
                    ..Default::default()
                }),
                ..Default::default()
            },
        )
        .expect("valid patch");
        assert_eq!(p.postal_address.locality.as_deref(), Some("Mountain View"));
        assert_eq!(p.postal_address.contact_name.as_deref(), Some("Ana"));
        assert_eq!(p.alternate_email, c.alternate_email);

        // PUT without the alternate e-mail clears it, which a domain customer may not.
        let r = replaced(
            &c,
            CustomerFields {
                postal_address: Some(address()),
                ..Default::default()
            },
        );
        assert_eq!(
            err_field(r),
            (RuleErrorKind::Required, "alternateEmail".into())
        );
        let r = replaced(
            &c,
            CustomerFields {
                alternate_email: Some("new@else.example".into()),
                postal_address: Some(address()),
                ..Default::default()
            },
        )
        .expect("valid update");
        assert_eq!(r.phone_number, None);
        assert_eq!(r.domain, "example.com");
    }

    #[test]
    fn type_cannot_change_but_may_be_repeated() {
        let c = create(fields()).expect("valid");
        let f = CustomerFields {
            customer_type: Some("team".into()),
            ..Default::default()
        };
        assert_eq!(
            err_field(patched(&c, f)),
            (RuleErrorKind::Invalid, "customerType".into())
        );
        let f = CustomerFields {
            customer_type: Some("domain".into()),
            ..Default::default()
        };
        assert!(patched(&c, f).is_ok());
    }

    #[test]
    fn visibility() {
        let c = create(fields()).expect("valid");
        assert_eq!(c.visibility_for("C0reseller"), Visibility::Full);
        assert_eq!(c.visibility_for("C0other00"), Visibility::Minimal);
        assert!(c.ensure_managed_by("C0other00").is_err());
    }
}
