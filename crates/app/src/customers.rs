//! A reseller's customers (the Reseller API's `customers`, and the Partner Sales
//! Console's customer pages): reading one, creating one, importing one from another
//! reseller with a transfer token, and changing its record.

use partnerd_domain::customer::{self, Customer, CustomerFields, Visibility};
use partnerd_domain::event::{Event, NewEvent};
use partnerd_domain::ids;
use partnerd_domain::subscription::Subscription;
use partnerd_domain::transfer::TransferToken;
use partnerd_domain::{Clock, RuleError, RuleErrorKind};
use partnerd_store::{CustomerQuery, StoreError, TokenDeletion, Write};

use crate::privileges::{self, ResellerNeed};
use crate::{Actor, Change, OpError, Ops, Prepared};

/// The reseller an actor orders for: the account its user or service account belongs to.
fn reseller_of(actor: &Actor) -> Result<&str, OpError> {
    actor.account_id().ok_or(OpError::NotAuthorized)
}

/// A customer by id or primary domain, whoever manages it.
pub async fn find(ops: &Ops, key: &str) -> Result<Customer, OpError> {
    ops.store
        .account(key)
        .await?
        .ok_or_else(|| OpError::NotFound(format!("Customer {key} was not found.")))
}

pub(crate) fn duplicate_domain(domain: &str) -> RuleError {
    RuleError {
        kind: RuleErrorKind::Duplicate,
        field: "customerDomain".into(),
        message: format!(
            "A customer with the domain {domain} already exists. To move it to your management, \
             order it with the customerAuthToken its administrator gives you."
        ),
    }
}

fn event(ops: &Ops, actor: &Actor, action: &str, after: &Customer) -> NewEvent {
    NewEvent {
        account_id: after.managed_by.clone(),
        ..NewEvent::of(ops.clock.now(), actor.name(), action, "customer", &after.id)
            .states(None, Some(after))
    }
}

/// A customer as the actor's reseller may see it: all of it if it manages the customer,
/// only its id, domain and type otherwise (so the reseller knows a transfer is needed).
pub async fn get(ops: &Ops, actor: &Actor, key: &str) -> Result<(Customer, Visibility), OpError> {
    privileges::reseller(ops, actor, ResellerNeed::View).await?;
    let reseller = reseller_of(actor)?;
    let customer = find(ops, key).await?;
    let visibility = customer.visibility_for(reseller);
    Ok((customer, visibility))
}

/// The transfer token `secret`, if it lets `reseller` take over `customer`.
pub async fn authorized_token(
    ops: &Ops,
    reseller: &str,
    customer: &Customer,
    secret: &str,
) -> Result<TransferToken, OpError> {
    let digest = ids::secret_digest(secret.trim().to_ascii_lowercase().as_str());
    ops.store
        .transfer_token(&digest)
        .await?
        .filter(|t| t.authorizes(&customer.id, reseller, ops.clock.now()))
        .ok_or_else(|| {
            OpError::Forbidden(
                "The customerAuthToken is not valid for this customer and reseller, or it expired."
                    .into(),
            )
        })
}

/// Creates a customer managed by the actor's reseller. With a transfer token for a
/// customer that exists, takes that customer over instead (its subscriptions follow one
/// by one, each ordered with the same token).
pub async fn insert(
    ops: &Ops,
    actor: &Actor,
    fields: CustomerFields,
    auth_token: Option<&str>,
) -> Result<Customer, OpError> {
    privileges::reseller(ops, actor, ResellerNeed::Add).await?;
    let reseller = reseller_of(actor)?;
    if let Some(token) = auth_token.filter(|t| !t.is_empty())
        && let Some(domain) = &fields.domain
        && let Some(existing) = ops.store.account(domain).await?
    {
        return take_over(ops, actor, reseller, existing, token).await;
    }
    // A fresh id per attempt: a collision of random ids is retried, a domain conflict is not.
    for _ in 0..3 {
        let customer = customer::new_customer_all(
            ids::new_customer_id(),
            fields.clone(),
            reseller,
            ops.clock.now(),
        )
        .map_err(OpError::Rules)?;
        let e = event(ops, actor, "customer.insert", &customer);
        match ops.store.insert_customer(&customer, e).await {
            Ok(()) => return Ok(customer),
            Err(StoreError::Conflict(name)) if name == "accounts_pkey" => continue,
            Err(StoreError::Conflict(_)) => return Err(duplicate_domain(&customer.domain).into()),
            Err(e) => return Err(e.into()),
        }
    }
    Err(OpError::Store(StoreError::Stale))
}

/// With a token the customer's admin made for this reseller, the reseller takes the
/// customer record over; every other reseller's token for the customer ends with it.
async fn take_over(
    ops: &Ops,
    actor: &Actor,
    reseller: &str,
    existing: Customer,
    token: &str,
) -> Result<Customer, OpError> {
    authorized_token(ops, reseller, &existing, token).await?;
    if existing.managed_by.as_deref() == Some(reseller) {
        return Ok(existing);
    }
    let mut mine = existing.clone();
    mine.managed_by = Some(reseller.to_string());
    mine.version += 1;
    let mut change = Change::new();
    change.customer(
        actor.name(),
        "customer.transferIn",
        ops.clock.now(),
        &existing,
        &mine,
    );
    change.write(Write::DeleteTransferTokens(TokenDeletion::OthersOf {
        customer_id: existing.id.clone(),
        keep_reseller_id: reseller.to_string(),
    }));
    ops.commit(change.into_set()).await?;
    Ok(mine)
}

/// A console page of the customers the actor's reseller manages, searched by domain or
/// organization name, filtered and ordered as `query` says; `limit` is held to 1..=100.
pub async fn list(
    ops: &Ops,
    actor: &Actor,
    query: &CustomerQuery,
    limit: u32,
) -> Result<Vec<Customer>, OpError> {
    privileges::reseller(ops, actor, ResellerNeed::View).await?;
    let reseller = reseller_of(actor)?;
    Ok(ops
        .store
        .customers_page(reseller, query, limit.clamp(1, 100))
        .await?)
}

/// The live subscriptions the actor's reseller holds of each customer of a list page
/// (its Subscriptions, Renewal date, Products and License usage columns).
pub async fn page_subscriptions(
    ops: &Ops,
    actor: &Actor,
    customer_ids: &[String],
) -> Result<Vec<Subscription>, OpError> {
    privileges::reseller(ops, actor, ResellerNeed::View).await?;
    let reseller = reseller_of(actor)?;
    // A page is at most 100 customers; more ids would be a caller's mistake.
    let ids = &customer_ids[..customer_ids.len().min(100)];
    Ok(ops
        .store
        .customers_subscriptions(reseller, ids)
        .await?
        .into_iter()
        .map(|(_, s, _)| s)
        .collect())
}

/// A customer's order history as the actor's reseller keeps it (its record's and its
/// subscriptions' events), newest first, below the event id `before`.
pub async fn history(
    ops: &Ops,
    actor: &Actor,
    key: &str,
    before: Option<i64>,
    limit: u32,
) -> Result<(Customer, Vec<Event>), OpError> {
    privileges::reseller(ops, actor, ResellerNeed::View).await?;
    let reseller = reseller_of(actor)?;
    let customer = find(ops, key).await?;
    customer.ensure_managed_by(reseller)?;
    let events = ops
        .store
        .customer_history(
            &customer.id,
            reseller,
            before.unwrap_or(i64::MAX),
            limit.clamp(1, 100),
        )
        .await?;
    Ok((customer, events))
}

/// A customer of the actor's reseller that the actor may edit (the Edit Customers
/// privilege): what a console shows its edit form for.
pub async fn editable(ops: &Ops, actor: &Actor, key: &str) -> Result<Customer, OpError> {
    privileges::reseller(ops, actor, ResellerNeed::Edit).await?;
    let reseller = reseller_of(actor)?;
    let customer = find(ops, key).await?;
    customer.ensure_managed_by(reseller)?;
    Ok(customer)
}

/// Sends the administrators of a customer of the actor's reseller (its super admins and
/// its alternate address) a reminder, in the customer's language, that its
/// subscriptions stay suspended until one of its super admins accepts the Terms of
/// Service. Queued in the outbox with an event in the reseller's history, in one commit.
/// Returns the addresses written to.
pub async fn remind_terms(ops: &Ops, actor: &Actor, key: &str) -> Result<Vec<String>, OpError> {
    privileges::reseller(ops, actor, ResellerNeed::View).await?;
    let reseller = reseller_of(actor)?;
    let customer = find(ops, key).await?;
    customer.ensure_managed_by(reseller)?;
    if customer.tos_accepted_at.is_some() {
        return Err(RuleError {
            kind: RuleErrorKind::ConditionNotMet,
            field: String::new(),
            message: format!(
                "The customer {} already accepted the Terms of Service.",
                customer.id
            ),
        }
        .into());
    }
    let reseller_name = find(ops, reseller).await?.domain;
    let language = partnerd_i18n::Language::from_tag(&customer.language).unwrap_or_default();
    let now = ops.clock.now();
    let mut recipients: Vec<(String, String)> = ops
        .store
        .users_of(&customer.id)
        .await?
        .into_iter()
        .filter(|u| u.is_super_admin && !u.suspended && u.deleted_at.is_none())
        .map(|u| {
            let name = format!("{} {}", u.given_name, u.family_name);
            (u.primary_email, name.trim().to_string())
        })
        .collect();
    if let Some(alternate) = &customer.alternate_email {
        recipients.push((alternate.clone(), customer.domain.clone()));
    }
    recipients.sort();
    recipients.dedup_by(|a, b| a.0.eq_ignore_ascii_case(&b.0));
    if recipients.is_empty() {
        return Err(RuleError {
            kind: RuleErrorKind::ConditionNotMet,
            field: String::new(),
            message: format!(
                "The customer {} has no administrator to remind.",
                customer.id
            ),
        }
        .into());
    }
    let mut set = partnerd_store::WriteSet::new();
    for (address, name) in &recipients {
        let message =
            partnerd_i18n::mail::terms_reminder(language, name, &customer.domain, &reseller_name);
        set.push(Write::Mail(partnerd_store::Mail {
            account_id: customer.id.clone(),
            recipient: address.clone(),
            message_id: ids::random_hex(16),
            payload: serde_json::json!({
                "to": address,
                "language": message.language.tag(),
                "subject": message.subject,
                "text": message.text,
                "html": message.html,
            }),
            at: now,
        }));
    }
    set.push(Write::Event(
        NewEvent::of(
            now,
            actor.name(),
            "customer.remindTerms",
            "customer",
            &customer.id,
        )
        .in_account(reseller),
    ));
    ops.commit(set).await?;
    Ok(recipients.into_iter().map(|(a, _)| a).collect())
}

/// How a change treats the fields a request leaves out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// Only the fields given change (`patch`).
    Patch,
    /// Every changeable field is replaced (`update`).
    Replace,
}

/// A rule that applies requested fields to a customer, with every violation.
type FieldsRule = fn(&Customer, CustomerFields) -> Result<Customer, Vec<RuleError>>;

/// Changes a customer the actor's reseller manages; re-read and re-judged if someone
/// changed it meanwhile.
pub async fn change(
    ops: &Ops,
    actor: &Actor,
    key: &str,
    fields: CustomerFields,
    edit: Edit,
) -> Result<Customer, OpError> {
    privileges::reseller(ops, actor, ResellerNeed::Edit).await?;
    let reseller = reseller_of(actor)?;
    let (apply, action): (FieldsRule, &str) = match edit {
        Edit::Patch => (customer::patched_all, "customer.patch"),
        Edit::Replace => (customer::replaced_all, "customer.update"),
    };
    let fields = &fields;
    ops.write(|| async move {
        let before = find(ops, key).await?;
        before.ensure_managed_by(reseller)?;
        let after = apply(&before, fields.clone()).map_err(OpError::Rules)?;
        let mut change = Change::new();
        change.customer(actor.name(), action, ops.clock.now(), &before, &after);
        let conflict: OpError = duplicate_domain(&after.domain).into();
        Ok(Prepared::new(change.into_set(), after).conflict_means(conflict))
    })
    .await
}

#[cfg(test)]
mod tests {
    use partnerd_domain::customer::PostalAddress;

    use super::*;
    use crate::testing::{actor, ops, staff, world};

    fn fields(domain: &str) -> CustomerFields {
        CustomerFields {
            domain: Some(domain.into()),
            customer_type: None,
            alternate_email: Some("it@elsewhere.example".into()),
            phone_number: None,
            postal_address: Some(PostalAddress {
                contact_name: Some("Ana Lima".into()),
                organization_name: Some("Example".into()),
                postal_code: Some("94043".into()),
                country_code: Some("US".into()),
                ..Default::default()
            }),
            primary_admin_email: None,
        }
    }

    #[tokio::test]
    async fn each_operation_checks_its_own_privilege() {
        let ops = ops().await;
        let (admin, customer, _) = world(&ops).await;
        let viewer = staff(&ops, &admin, &["RESELLER_VIEW_CUSTOMERS"]).await;
        let (seen, visibility) = get(&ops, &viewer, &customer.id).await.expect("view");
        assert_eq!(
            (seen.id.as_str(), visibility),
            (customer.id.as_str(), Visibility::Full)
        );
        let refused = insert(&ops, &viewer, fields("new.example"), None).await;
        assert_eq!(refused.err(), Some(OpError::NotAuthorized));
        let refused = change(
            &ops,
            &viewer,
            &customer.id,
            fields("x.example"),
            Edit::Patch,
        )
        .await;
        assert_eq!(refused.err(), Some(OpError::NotAuthorized));
        // Nothing was written behind the refusals.
        assert!(
            ops.store
                .account("new.example")
                .await
                .expect("read")
                .is_none()
        );

        let adder = staff(&ops, &admin, &["RESELLER_ADD_CUSTOMERS"]).await;
        let made = insert(&ops, &adder, fields("new.example"), None)
            .await
            .expect("added");
        assert_eq!(made.managed_by.as_deref(), Some(admin.account_id.as_str()));
        let nobody = staff(&ops, &admin, &["USERS_RETRIEVE"]).await;
        assert_eq!(
            get(&ops, &nobody, &customer.id).await.err(),
            Some(OpError::NotAuthorized)
        );
    }

    #[tokio::test]
    async fn a_taken_domain_is_a_duplicate_naming_the_field() {
        let ops = ops().await;
        let (admin, customer, _) = world(&ops).await;
        let admin = actor(&admin);
        let other = insert(&ops, &admin, fields("other.example"), None)
            .await
            .expect("other");
        let taken = insert(&ops, &admin, fields(&customer.domain), None).await;
        let err = taken.expect_err("duplicate");
        assert_eq!(err.violations()[0].kind, RuleErrorKind::Duplicate);
        assert_eq!(err.violations()[0].field, "customerDomain");
        // Renaming onto a taken domain is refused the same way, and changes nothing.
        let renamed = change(
            &ops,
            &admin,
            &other.id,
            fields(&customer.domain),
            Edit::Patch,
        )
        .await;
        assert_eq!(
            renamed.expect_err("dup").violations()[0].field,
            "customerDomain"
        );
        let stored = ops
            .store
            .account(&other.id)
            .await
            .expect("read")
            .expect("other");
        assert_eq!(stored.domain, "other.example");
    }

    #[tokio::test]
    async fn lists_and_histories_stay_within_the_reseller() {
        let ops = ops().await;
        let (admin_user, customer, _) = world(&ops).await;
        let admin = actor(&admin_user);
        insert(&ops, &admin, fields("second.example"), None)
            .await
            .expect("second");
        let page = list(&ops, &admin, &CustomerQuery::default(), 10)
            .await
            .expect("list");
        let domains: Vec<&str> = page.iter().map(|c| c.domain.as_str()).collect();
        assert_eq!(domains, ["customer.example", "second.example"]);
        change(
            &ops,
            &admin,
            &customer.id,
            fields("customer.example"),
            Edit::Patch,
        )
        .await
        .expect("patched");
        let (_, events) = history(&ops, &admin, &customer.id, None, 10)
            .await
            .expect("history");
        assert_eq!(events[0].event.action, "customer.patch");
        // Another reseller sees neither.
        let stranger = Actor::User {
            account_id: "C0stranger".into(),
            user_id: admin_user.id.clone(),
            email: "x@stranger.example".into(),
        };
        let refused = history(&ops, &stranger, &customer.id, None, 10).await;
        assert!(
            matches!(
                refused,
                Err(OpError::Rules(_)) | Err(OpError::NotAuthorized)
            ),
            "{refused:?}"
        );
        let viewer = staff(&ops, &admin_user, &["RESELLER_VIEW_CUSTOMERS"]).await;
        assert_eq!(
            list(&ops, &viewer, &CustomerQuery::default(), 10)
                .await
                .expect("list")
                .len(),
            2
        );
        let nobody = staff(&ops, &admin_user, &["USERS_RETRIEVE"]).await;
        assert_eq!(
            list(&ops, &nobody, &CustomerQuery::default(), 10)
                .await
                .err(),
            Some(OpError::NotAuthorized)
        );
    }

    #[tokio::test]
    async fn a_bad_order_reports_every_field_at_once() {
        let ops = ops().await;
        let (admin, _, _) = world(&ops).await;
        let mut bad = fields("www.bad");
        bad.alternate_email = None;
        bad.postal_address = None;
        let err = insert(&ops, &actor(&admin), bad, None)
            .await
            .expect_err("refused");
        let named: Vec<&str> = err.violations().iter().map(|e| e.field.as_str()).collect();
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
    }

    #[tokio::test]
    async fn changes_are_recorded_under_the_actors_name() {
        let ops = ops().await;
        let (admin_user, customer, _) = world(&ops).await;
        let admin = actor(&admin_user);
        change(
            &ops,
            &admin,
            &customer.id,
            fields("renamed.example"),
            Edit::Patch,
        )
        .await
        .expect("patched");
        let events = ops
            .store
            .events(Some(&admin_user.account_id), 0, 100)
            .await
            .expect("events");
        let patch = events
            .iter()
            .find(|e| e.event.action == "customer.patch")
            .expect("event");
        assert_eq!(patch.event.actor, admin_user.primary_email);
    }

    #[tokio::test]
    async fn a_terms_reminder_is_queued_in_the_customers_language_once_per_admin() {
        let ops = ops().await;
        let (admin, mut customer, boss) = world(&ops).await;
        // The customer speaks Japanese and has an alternate address.
        let before = customer.clone();
        customer.language = "ja".into();
        customer.alternate_email = Some("it@elsewhere.example".into());
        customer.version += 1;
        ops.commit(
            Write::UpdateCustomer {
                before,
                after: customer.clone(),
            }
            .into(),
        )
        .await
        .expect("customer");
        let viewer = staff(&ops, &admin, &["RESELLER_VIEW_CUSTOMERS"]).await;
        let nobody = staff(&ops, &admin, &["USERS_RETRIEVE"]).await;
        assert_eq!(
            remind_terms(&ops, &nobody, &customer.id).await.err(),
            Some(OpError::NotAuthorized)
        );
        let sent = remind_terms(&ops, &viewer, &customer.id)
            .await
            .expect("reminded");
        assert_eq!(
            sent,
            vec![
                boss.primary_email.clone(),
                "it@elsewhere.example".to_string()
            ]
        );
        let mail = ops
            .store
            .mail_page(None, i64::MAX, 10)
            .await
            .expect("outbox");
        assert_eq!(mail.len(), 2);
        for m in &mail {
            let payload: serde_json::Value = serde_json::from_str(&m.payload).expect("json");
            assert_eq!(payload["language"], "ja");
            assert!(
                payload["text"]
                    .as_str()
                    .is_some_and(|t| t.contains("利用規約") && t.contains("reseller.example")),
                "{payload}"
            );
        }
        let events =
            crate::testing::events_of(&ops, &admin.account_id, "customer.remindTerms").await;
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].actor, viewer.name());

        // Another reseller's customer is not reachable, and nothing is queued for it.
        let (other_admin, other_customer) = crate::testing::second_reseller(&ops).await;
        let refused = remind_terms(&ops, &viewer, &other_customer.id).await;
        assert!(matches!(refused, Err(OpError::Rules(_))), "{refused:?}");
        let _ = other_admin;
        // Once the terms are accepted there is nothing to remind of.
        crate::owner::accept_terms(&ops, &Actor::Operator, &customer.id)
            .await
            .expect("accepted");
        let refused = remind_terms(&ops, &viewer, &customer.id).await;
        assert_eq!(
            refused.err().map(|e| e.violations()[0].kind),
            Some(RuleErrorKind::ConditionNotMet)
        );
        assert_eq!(
            ops.store
                .mail_page(None, i64::MAX, 10)
                .await
                .expect("outbox")
                .len(),
            2,
            "refusals queue nothing"
        );
    }
}
