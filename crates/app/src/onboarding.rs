//! Bringing a customer on board from the Partner Sales Console: creating one (the
//! customer, its super admin with a temporary password, and the welcome e-mail, in one
//! commit), and importing one from Google or another reseller with a transfer token
//! (the same operations the API's `customers.insert` and `subscriptions.insert` run).

use partnerd_domain::clock::Millis;
use partnerd_domain::customer::{self, Customer, CustomerFields};
use partnerd_domain::event::NewEvent;
use partnerd_domain::plan::PlanName;
use partnerd_domain::subscription::{Order, SeatsInput, Subscription};
use partnerd_domain::user::User;
use partnerd_domain::{Clock, RuleError, RuleErrorKind, ids, transfer};
use partnerd_i18n::{Language, mail};
use partnerd_store::{Mail, StoreError, Write};

use crate::privileges::{self, ResellerNeed};
use crate::{Actor, Change, OpError, Ops, Violations, customers, passwords, transfers};

/// A CRM ID (the reseller's own key for the customer) has at most this many characters.
pub const CRM_ID_MAX: usize = 64;

/// What the Create customer form asks for.
#[derive(Debug, Clone, Default)]
pub struct NewCustomer {
    /// The record's fields as the API takes them (`primary_admin_email` is the super
    /// admin's username; for a domain customer left out, `admin@` and the domain).
    pub fields: CustomerFields,
    pub education: bool,
    /// The reseller's own key for the customer; kept in the creation event.
    pub crm_id: Option<String>,
    /// The customer's language: its users' default and the welcome e-mail's.
    pub language: Language,
}

/// A customer just created, and its super admin's first credentials (shown once).
#[derive(Debug, Clone)]
pub struct Created {
    pub customer: Customer,
    pub admin: User,
    pub temporary_password: String,
}

const PASSWORD_ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// A temporary password of 14 characters without look-alikes (l/1, O/0), about 80 bits.
pub fn temporary_password() -> String {
    let hex = ids::random_hex(14);
    (0..14)
        .filter_map(|i| u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok())
        .map(|b| PASSWORD_ALPHABET[usize::from(b) % PASSWORD_ALPHABET.len()] as char)
        .collect()
}

fn domain_of(email: &str) -> String {
    email
        .rsplit_once('@')
        .map(|(_, d)| d.trim().to_ascii_lowercase())
        .unwrap_or_default()
}

fn duplicate_email(email: &str) -> RuleError {
    RuleError {
        kind: RuleErrorKind::Duplicate,
        field: "primaryAdmin.primaryEmail".into(),
        message: format!("the user {email} already exists"),
    }
}

/// The rules of the console's form beyond the record's own (`customer::new_customer_all`),
/// each a violation of the field it names: the super admin of a domain customer is on
/// its domain; nobody's admin is one of the reseller's own addresses; a phone number the
/// API would silently drop is refused; the CRM ID is short and printable.
fn form_rules(input: &NewCustomer, fields: &CustomerFields, reseller_domain: &str) -> Violations {
    let mut v = Violations::new();
    let team = fields.customer_type.as_deref() == Some("team");
    let domain = customer::normalize_domain(fields.domain.as_deref().unwrap_or_default()).ok();
    if let Some(email) = fields
        .primary_admin_email
        .as_deref()
        .filter(|e| customer::email_valid(e))
    {
        let on = domain_of(email);
        match &domain {
            Some(domain) if !team && on != *domain => v.push(RuleError::invalid(
                "primaryAdmin.primaryEmail",
                format!("the super admin's address must be on {domain}"),
            )),
            _ if on == reseller_domain => v.push(RuleError::invalid(
                "primaryAdmin.primaryEmail",
                "the customer's admin cannot be an address of the reseller",
            )),
            _ => {}
        }
    }
    if let Some(phone) = fields.phone_number.as_deref().map(str::trim)
        && !phone.is_empty()
        && !customer::phone_valid(phone)
    {
        v.push(RuleError::invalid(
            "phoneNumber",
            "start with + and the country code, and give a real number",
        ));
    }
    if let Some(crm) = input.crm_id.as_deref()
        && (crm.chars().count() > CRM_ID_MAX || crm.chars().any(char::is_control))
    {
        v.push(RuleError::invalid(
            "crmId",
            format!("at most {CRM_ID_MAX} printable characters"),
        ));
    }
    v
}

/// Splits a contact name into the super admin's given and family names.
fn names_of(contact: Option<&str>, fallback: &str) -> (String, String) {
    let contact = contact.map(str::trim).filter(|c| !c.is_empty());
    match contact.and_then(|c| c.split_once(' ')) {
        Some((given, family)) => (given.trim().to_string(), family.trim().to_string()),
        None => (contact.unwrap_or(fallback).to_string(), "Admin".to_string()),
    }
}

fn welcome_mail(
    customer: &Customer,
    admin: &User,
    recipient: &str,
    message: &mail::Rendered,
    at: Millis,
) -> Mail {
    Mail {
        account_id: customer.id.clone(),
        recipient: recipient.to_string(),
        message_id: ids::random_hex(16),
        payload: serde_json::json!({
            "to": recipient,
            "language": message.language.tag(),
            "subject": message.subject,
            "text": message.text,
            "html": message.html,
            "username": admin.primary_email,
        }),
        at,
    }
}

/// Creates a customer of the actor's reseller with its super admin, who signs in first
/// with a generated temporary password and must change it then, and e-mails the
/// welcome (username, temporary password, sign-in URL) to the admin's address and the
/// alternate address, in the customer's language: all in one commit, so nothing is
/// half-created. Every violation of the input is reported at once; a domain that
/// already has an account is a `Duplicate` of `customerDomain` (the console offers the
/// import instead). Needs Add Customers, as `customers.insert` does.
pub async fn create_customer(
    ops: &Ops,
    actor: &Actor,
    input: NewCustomer,
    sign_in_url: &str,
) -> Result<Created, OpError> {
    privileges::reseller(ops, actor, ResellerNeed::Add).await?;
    let reseller_id = actor.account_id().ok_or(OpError::NotAuthorized)?;
    let reseller = customers::find(ops, reseller_id).await?;
    let mut fields = input.fields.clone();
    let is_team = fields.customer_type.as_deref() == Some("team");
    // The super admin of a domain customer is proposed as admin@ its domain.
    if !is_team
        && fields
            .primary_admin_email
            .as_deref()
            .is_none_or(|e| e.trim().is_empty())
        && let Some(domain) = fields
            .domain
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
    {
        fields.primary_admin_email = Some(format!("admin@{}", domain.to_ascii_lowercase()));
    }
    fields.primary_admin_email = fields
        .primary_admin_email
        .map(|e| e.trim().to_ascii_lowercase());
    let mut violations = Violations::new();
    let candidate = violations.absorb(
        customer::new_customer_all(
            ids::new_customer_id(),
            fields.clone(),
            reseller_id,
            ops.clock.now(),
        )
        .map_err(OpError::Rules),
    )?;
    let mut own = form_rules(&input, &fields, &reseller.domain);
    violations.absorb(std::mem::take(&mut own).finish())?;
    if let Ok(domain) = customer::normalize_domain(fields.domain.as_deref().unwrap_or_default())
        && ops.store.account(&domain).await?.is_some()
    {
        violations.push(customers::duplicate_domain(&domain));
    }
    if let Some(email) = candidate
        .as_ref()
        .and_then(|c| c.primary_admin_email.as_deref())
        && ops.store.user_by_email(email).await?.is_some()
    {
        violations.push(duplicate_email(email));
    }
    violations.finish()?;
    let Some(mut customer) = candidate else {
        return Err(OpError::Store(StoreError::Backend(
            "a valid customer form produced no customer".into(),
        )));
    };
    customer.education = input.education;
    customer.language = input.language.tag().to_string();
    let username = customer.primary_admin_email.clone().unwrap_or_default();

    let password = temporary_password();
    let hash = passwords::hash(&password)
        .map_err(|e| OpError::Store(StoreError::Backend(format!("password hashing: {e}"))))?;
    let now = ops.clock.now();
    let (given_name, family_name) = names_of(
        customer.postal_address.contact_name.as_deref(),
        &customer.domain,
    );
    // A fresh id per attempt: a collision of random ids is retried, a taken domain or
    // address (someone else got there since the checks above) is reported.
    for _ in 0..3 {
        let admin = User {
            id: ids::new_numeric_id(),
            account_id: customer.id.clone(),
            primary_email: username.clone(),
            given_name: given_name.clone(),
            family_name: family_name.clone(),
            password_hash: hash.clone(),
            is_super_admin: true,
            suspended: false,
            created_at: now,
            org_unit_id: None,
            change_password_at_next_login: true,
            language: customer.language.clone(),
            deleted_at: None,
            version: 1,
        };
        let organization = customer
            .postal_address
            .organization_name
            .clone()
            .unwrap_or_else(|| customer.domain.clone());
        let name = format!("{} {}", admin.given_name, admin.family_name);
        let message = mail::welcome(
            input.language,
            &mail::Welcome {
                name: name.trim(),
                organization: &organization,
                username: &username,
                temporary_password: &password,
                sign_in_url,
            },
        );
        let mut change = Change::new();
        change.write(Write::InsertCustomer(customer.clone()));
        change.write(Write::InsertUser(admin.clone()));
        let mut created = NewEvent {
            account_id: customer.managed_by.clone(),
            ..NewEvent::of(
                now,
                actor.name(),
                "customer.insert",
                "customer",
                &customer.id,
            )
            .states(None, Some(&customer))
        };
        if let (Some(after), Some(crm)) = (created.after.as_mut(), input.crm_id.as_deref())
            && let Some(object) = after.as_object_mut()
        {
            // The record has no column for it (the API has no such field): the order
            // history keeps it.
            object.insert("crmId".into(), crm.into());
        }
        change.event(created);
        change.event(
            NewEvent::of(now, actor.name(), "user.insert", "user", &admin.id)
                .in_account(&customer.id),
        );
        change.write(Write::Mail(welcome_mail(
            &customer, &admin, &username, &message, now,
        )));
        if let Some(alternate) = customer.alternate_email.as_deref()
            && !alternate.eq_ignore_ascii_case(&username)
        {
            change.write(Write::Mail(welcome_mail(
                &customer, &admin, alternate, &message, now,
            )));
        }
        match ops.commit(change.into_set()).await {
            Ok(()) => {
                return Ok(Created {
                    customer,
                    admin,
                    temporary_password: password,
                });
            }
            Err(StoreError::Conflict(index)) if index == "accounts_pkey" => {
                customer.id = ids::new_customer_id();
            }
            Err(StoreError::Conflict(index)) if index.contains("email") => {
                return Err(duplicate_email(&username).into());
            }
            Err(StoreError::Conflict(_)) => {
                return Err(customers::duplicate_domain(&customer.domain).into());
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(OpError::Store(StoreError::Stale))
}

/// Why a transfer token does not let the actor's reseller take a customer over, in
/// terms a person can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenProblem {
    /// No token has this value (mistyped, or never generated).
    Unknown,
    /// The token was generated for another customer.
    OtherCustomer,
    /// The customer's admin named another reseller when generating it.
    OtherReseller,
    /// Its validity ended.
    Expired,
}

/// What is wrong with `secret` for `customer` and the actor's reseller, if anything.
pub async fn token_problem(
    ops: &Ops,
    actor: &Actor,
    customer: &Customer,
    secret: &str,
) -> Result<Option<TokenProblem>, OpError> {
    let reseller = actor.account_id().ok_or(OpError::NotAuthorized)?;
    let digest = ids::secret_digest(secret.trim().to_ascii_lowercase().as_str());
    let Some(token) = ops.store.transfer_token(&digest).await? else {
        return Ok(Some(TokenProblem::Unknown));
    };
    Ok(if token.customer_id != customer.id {
        Some(TokenProblem::OtherCustomer)
    } else if token.reseller_id != reseller {
        Some(TokenProblem::OtherReseller)
    } else if ops.clock.now() >= token.expires_at {
        Some(TokenProblem::Expired)
    } else {
        None
    })
}

/// One subscription an import could move, with what the receiving reseller may choose.
#[derive(Debug, Clone)]
pub struct Movable {
    pub subscription: Subscription,
    /// The plans the transfer rules allow (`transfer::transfer_plans`).
    pub plans: Vec<PlanName>,
    /// The fewest seats the receiver must take.
    pub minimum_seats: u32,
    /// An add-on that moves with the customer's Workspace subscription (no choice of
    /// its own).
    pub moves_along: bool,
    /// The customer gave this reseller purchase consent for its product group (with the
    /// token); without it the subscription stays where it is.
    pub consented: bool,
}

/// What the token lets the actor's reseller move, as the import page offers it.
pub async fn movable(
    ops: &Ops,
    actor: &Actor,
    customer_key: &str,
    token: &str,
) -> Result<(Customer, Vec<Movable>), OpError> {
    let found = transfers::transferable(ops, actor, customer_key, token).await?;
    let customer = customers::find(ops, customer_key).await?;
    let now = ops.clock.now();
    let held: Vec<&Subscription> = found.subscriptions.iter().map(|(s, _)| s).collect();
    let rows = held
        .iter()
        .map(|s| Movable {
            plans: transfer::transfer_plans(s, now),
            minimum_seats: s.minimum_transferable_seats(),
            moves_along: s.is_add_on()
                && held
                    .iter()
                    .any(|w| w.is_workspace() && w.reseller_id == s.reseller_id),
            consented: s
                .sku()
                .is_some_and(|sku| found.grant.consents_to(sku.product_id)),
            subscription: (*s).clone(),
        })
        .collect();
    Ok((customer, rows))
}

/// The plan and seats chosen for one subscription on the import page.
#[derive(Debug, Clone)]
pub struct Choice {
    pub sku_id: String,
    pub plan: String,
    pub seats: String,
}

/// Imports a customer with its transfer token: checks every choice against the transfer
/// rules first (each violation names `subscriptions.<i>.plan` or `.seats`), then runs
/// what the API runs, `customers.insert` with the token (the record moves) and a
/// transfer per chosen subscription (the losing reseller is notified by each). Needs
/// Add Customers. Returns the moved subscriptions.
pub async fn import(
    ops: &Ops,
    actor: &Actor,
    domain: &str,
    token: &str,
    choices: &[Choice],
) -> Result<(Customer, Vec<Subscription>), OpError> {
    privileges::reseller(ops, actor, ResellerNeed::Add).await?;
    let (customer, offered) = movable(ops, actor, domain, token).await?;
    let mut violations = Violations::new();
    let mut orders = vec![];
    // What the customer gave no purchase consent for stays with its reseller.
    let chosen = |r: &&Movable| !r.moves_along && r.consented;
    for (i, row) in offered.iter().enumerate().filter(|(_, r)| chosen(r)) {
        let choice = choices.iter().find(|c| c.sku_id == row.subscription.sku_id);
        let plan = choice
            .and_then(|c| PlanName::parse("plan", c.plan.trim()).ok())
            .filter(|p| row.plans.contains(p));
        if plan.is_none() {
            violations.push(RuleError::invalid(
                &format!("subscriptions.{i}.plan"),
                "choose one of the plans offered",
            ));
        }
        let seats = choice.and_then(|c| c.seats.trim().parse::<u32>().ok());
        match seats {
            Some(n) if n >= row.minimum_seats && n <= 50_000 => {}
            _ => violations.push(RuleError::invalid(
                &format!("subscriptions.{i}.seats"),
                format!("at least {} seats must be transferred", row.minimum_seats),
            )),
        }
        if let (Some(plan), Some(seats)) = (plan, seats) {
            let count = Some(i64::from(seats));
            orders.push(Order {
                sku_id: Some(row.subscription.sku_id.clone()),
                plan_name: Some(plan.wire_name().to_string()),
                seats: Some(if plan.is_annual() {
                    SeatsInput {
                        number_of_seats: count,
                        ..Default::default()
                    }
                } else {
                    SeatsInput {
                        maximum_number_of_seats: count,
                        ..Default::default()
                    }
                }),
                ..Default::default()
            });
        }
    }
    // An add-on moves with its Workspace subscription or neither moves (checked before
    // anything moves: the customer record would go first).
    let stranded_add_on = offered
        .iter()
        .find(|r| r.moves_along && !r.consented)
        .filter(|_| {
            offered
                .iter()
                .any(|r| chosen(&r) && r.subscription.is_workspace())
        });
    if offered.is_empty() {
        violations.push(RuleError {
            kind: RuleErrorKind::ConditionNotMet,
            field: "subscriptions".into(),
            message: "the customer has no subscription this token can move".into(),
        });
    } else if let Some(add_on) = stranded_add_on {
        violations.push(RuleError {
            kind: RuleErrorKind::ConditionNotMet,
            field: format!("{}.{}", transfer::CONSENT_FIELD, add_on.subscription.sku_id),
            message: format!(
                "the add-on {} moves with the Google Workspace subscription, and the customer has \
                 given this reseller no purchase consent for its product group",
                add_on.subscription.sku_id
            ),
        });
    } else if !offered.iter().any(|r| chosen(&r)) {
        violations.push(RuleError {
            kind: RuleErrorKind::ConditionNotMet,
            field: transfer::CONSENT_FIELD.into(),
            message: "the customer has given this reseller purchase consent for none of its subscriptions"
                .into(),
        });
    }
    violations.finish()?;
    let fields = CustomerFields {
        domain: Some(customer.domain.clone()),
        ..Default::default()
    };
    let mut customer = customers::insert(ops, actor, fields, Some(token)).await?;
    let mut moved = vec![];
    for order in orders {
        let (sub, _) = transfers::transfer_in(ops, actor, &customer.id, token, order).await?;
        moved.push(sub);
    }
    customer = customers::find(ops, &customer.id).await?;
    Ok((customer, moved))
}

#[cfg(test)]
mod tests {
    use partnerd_domain::customer::{CustomerType, PostalAddress};

    use super::*;
    use crate::owner;
    use crate::testing::{accepted_world, actor, ops, place, second_reseller, staff, world};

    fn form(domain: &str, team: bool) -> NewCustomer {
        NewCustomer {
            fields: CustomerFields {
                domain: Some(domain.into()),
                customer_type: Some(if team { "team" } else { "domain" }.into()),
                alternate_email: Some("it@elsewhere.example".into()),
                phone_number: Some("+81 3-1234-5678".into()),
                postal_address: Some(PostalAddress {
                    contact_name: Some("Hanako Yamada".into()),
                    organization_name: Some("Yamada Shoji".into()),
                    postal_code: Some("100-0001".into()),
                    country_code: Some("JP".into()),
                    ..Default::default()
                }),
                primary_admin_email: if team {
                    Some("lead@team-mail.example".into())
                } else {
                    None
                },
            },
            education: false,
            crm_id: Some("CRM-42".into()),
            language: Language::Ja,
        }
    }

    #[tokio::test]
    async fn one_commit_creates_the_customer_its_admin_and_the_welcome() {
        let ops = ops().await;
        let (admin, _, _) = world(&ops).await;
        let mut input = form("yamada.example", false);
        input.education = true;
        let made = create_customer(&ops, &actor(&admin), input, "https://p.example/signin")
            .await
            .expect("created");
        let stored = ops
            .store
            .account("yamada.example")
            .await
            .expect("read")
            .expect("stored");
        assert!(stored.education, "the education flag is stored");
        assert_eq!(stored.language, "ja");
        assert_eq!(made.admin.primary_email, "admin@yamada.example");
        let user = ops
            .store
            .user_by_email("admin@yamada.example")
            .await
            .expect("read")
            .expect("admin");
        assert!(user.is_super_admin && user.change_password_at_next_login);
        assert_eq!(user.account_id, stored.id);
        assert_ne!(
            user.password_hash, made.temporary_password,
            "only a hash is kept"
        );
        assert_eq!(made.temporary_password.len(), 14);
        let mail = ops
            .store
            .mail_page(None, i64::MAX, 100)
            .await
            .expect("mail");
        let mut to: Vec<&str> = mail.iter().map(|m| m.recipient.as_str()).collect();
        to.sort_unstable();
        assert_eq!(to, ["admin@yamada.example", "it@elsewhere.example"]);
        for m in &mail {
            assert!(m.payload.contains(&made.temporary_password));
            assert!(m.payload.contains("https://p.example/signin"));
            assert!(m.payload.contains("ようこそ"), "in the customer's language");
        }
    }

    #[tokio::test]
    async fn team_customers_name_their_admin_and_domain_admins_stay_on_the_domain() {
        let ops = ops().await;
        let (admin, _, _) = world(&ops).await;
        let team = create_customer(&ops, &actor(&admin), form("team.example", true), "u")
            .await
            .expect("team");
        assert_eq!(team.customer.customer_type, CustomerType::Team);
        assert_eq!(team.admin.primary_email, "lead@team-mail.example");

        let mut off = form("off.example", false);
        off.fields.primary_admin_email = Some("boss@elsewhere.example".into());
        off.fields.alternate_email = Some("it@off.example".into());
        off.fields.phone_number = Some("12345".into());
        off.crm_id = Some("x".repeat(CRM_ID_MAX + 1));
        let err = create_customer(&ops, &actor(&admin), off, "u")
            .await
            .expect_err("refused");
        let mut named: Vec<&str> = err.violations().iter().map(|e| e.field.as_str()).collect();
        named.sort_unstable();
        assert_eq!(
            named,
            [
                "alternateEmail",
                "crmId",
                "phoneNumber",
                "primaryAdmin.primaryEmail"
            ]
        );
        assert!(
            ops.store
                .account("off.example")
                .await
                .expect("read")
                .is_none()
        );
        let mail = ops
            .store
            .mail_page(None, i64::MAX, 100)
            .await
            .expect("mail");
        let to: Vec<&str> = mail.iter().map(|m| m.recipient.as_str()).collect();
        assert_eq!(
            to,
            ["it@elsewhere.example", "lead@team-mail.example"],
            "only the team's welcome, newest first"
        );
    }

    #[tokio::test]
    async fn a_taken_domain_is_a_duplicate_and_adding_needs_the_privilege() {
        let ops = ops().await;
        let (admin, customer, _) = world(&ops).await;
        let err = create_customer(&ops, &actor(&admin), form(&customer.domain, false), "u")
            .await
            .expect_err("taken");
        assert!(
            err.violations()
                .iter()
                .any(|e| e.kind == RuleErrorKind::Duplicate && e.field == "customerDomain"),
            "{err:?}"
        );
        let viewer = staff(&ops, &admin, &["RESELLER_VIEW_CUSTOMERS"]).await;
        let refused = create_customer(&ops, &viewer, form("new.example", false), "u").await;
        assert_eq!(refused.err(), Some(OpError::NotAuthorized));
        assert!(
            ops.store
                .account("new.example")
                .await
                .expect("read")
                .is_none()
        );
    }

    #[tokio::test]
    async fn an_import_checks_every_choice_then_moves_what_the_api_moves() {
        let ops = ops().await;
        let (giver, customer) = accepted_world(&ops).await;
        let sub = place(&ops, &giver, &customer, "1010020027").await;
        let (receiver, _) = second_reseller(&ops).await;
        let receiver = actor(&receiver);
        let token = owner::generate_transfer_token(&ops, &Actor::Operator, &customer.id, "PUB456")
            .await
            .expect("token");
        let (_, offered) = movable(&ops, &receiver, &customer.domain, &token.secret)
            .await
            .expect("offered");
        assert_eq!(offered.len(), 1);
        assert!(offered[0].plans.contains(&PlanName::Flexible));
        let bad = [Choice {
            sku_id: sub.sku_id.clone(),
            plan: "FREE".into(),
            seats: "0".into(),
        }];
        let err = import(&ops, &receiver, &customer.domain, &token.secret, &bad)
            .await
            .expect_err("bad choices");
        let named: Vec<&str> = err.violations().iter().map(|e| e.field.as_str()).collect();
        assert_eq!(named, ["subscriptions.0.plan", "subscriptions.0.seats"]);
        let still = customers::find(&ops, &customer.id).await.expect("customer");
        assert_eq!(still.managed_by, customer.managed_by, "nothing moved");

        let good = [Choice {
            sku_id: sub.sku_id.clone(),
            plan: "FLEXIBLE".into(),
            seats: "5".into(),
        }];
        let (moved_customer, moved) =
            import(&ops, &receiver, &customer.domain, &token.secret, &good)
                .await
                .expect("imported");
        assert_eq!(moved_customer.managed_by.as_deref(), receiver.account_id());
        assert_eq!(moved.len(), 1);
        assert_eq!(Some(moved[0].reseller_id.as_str()), receiver.account_id());
    }

    #[tokio::test]
    async fn token_problems_are_told_apart() {
        let ops = ops().await;
        let (giver, customer) = accepted_world(&ops).await;
        let (receiver, _) = second_reseller(&ops).await;
        let receiver = actor(&receiver);
        let token = owner::generate_transfer_token(&ops, &Actor::Operator, &customer.id, "PUB456")
            .await
            .expect("token");
        assert_eq!(
            token_problem(&ops, &receiver, &customer, &token.secret)
                .await
                .expect("read"),
            None
        );
        assert_eq!(
            token_problem(&ops, &receiver, &customer, "0123456789abcdef")
                .await
                .expect("read"),
            Some(TokenProblem::Unknown)
        );
        // The customer's own reseller holds no token for itself: another reseller's.
        let giver = actor(&giver);
        assert_eq!(
            token_problem(&ops, &giver, &customer, &token.secret)
                .await
                .expect("read"),
            Some(TokenProblem::OtherReseller)
        );
        let other = crate::customers::find(&ops, "second-customer.example")
            .await
            .expect("other");
        assert_eq!(
            token_problem(&ops, &receiver, &other, &token.secret)
                .await
                .expect("read"),
            Some(TokenProblem::OtherCustomer)
        );
        // Once its validity ends, the right token for the right reseller is expired.
        ops.clock
            .set_offset(partnerd_domain::transfer::TOKEN_VALIDITY_MS + 1);
        assert_eq!(
            token_problem(&ops, &receiver, &customer, &token.secret)
                .await
                .expect("read"),
            Some(TokenProblem::Expired)
        );
    }
}
