//! An account's own record as its administrators see it (the Directory API's
//! `customers`, and the Admin console's account settings): the same record as the
//! Reseller API's customer, plus the default language of its new users.

use partnerd_domain::customer::{self, Customer, CustomerFields};
use partnerd_domain::directory::check_language;
use partnerd_domain::{Clock, RuleError, RuleErrorKind};

use crate::access;
use crate::customers::Edit;
use crate::privileges::AdminNeed;
use crate::{Actor, Change, OpError, Ops, Prepared};

/// The account `key` (an id, a primary domain or `my_customer`) names.
pub async fn get(ops: &Ops, actor: &Actor, key: &str) -> Result<Customer, OpError> {
    access::administered(ops, actor, key, AdminNeed::CustomerRead).await
}

/// Changes the account's record and its default language; re-read and re-judged if
/// someone changed it meanwhile. `fields` is `None` when the request touches none of
/// the customer's fields.
pub async fn change(
    ops: &Ops,
    actor: &Actor,
    key: &str,
    fields: Option<CustomerFields>,
    language: Option<&str>,
    edit: Edit,
) -> Result<Customer, OpError> {
    // A language is judged before the account: it is a property of the request alone.
    let language = match language {
        Some(l) => Some(check_language("language", l)?),
        None => None,
    };
    let apply = match edit {
        Edit::Patch => customer::patched,
        Edit::Replace => customer::replaced,
    };
    let (fields, language) = (&fields, &language);
    ops.write(|| async move {
        let before = access::administered(ops, actor, key, AdminNeed::CustomerWrite).await?;
        // The customer rules apply to what the request changes; a language alone
        // doesn't re-check (a reseller's own account has no postal address, say).
        let mut after = match fields {
            Some(f) => apply(&before, f.clone())?,
            None => {
                let mut same = before.clone();
                same.version += 1;
                same
            }
        };
        if let Some(l) = language {
            after.language = l.clone();
        }
        let mut change = Change::new();
        change.customer(
            actor.name(),
            "customer.directoryUpdate",
            ops.clock.now(),
            &before,
            &after,
        );
        let conflict = RuleError {
            kind: RuleErrorKind::Duplicate,
            field: "customerDomain".into(),
            message: format!("The domain {} is already in use.", after.domain),
        };
        Ok(Prepared::new(change.into_set(), after).conflict_means(conflict.into()))
    })
    .await
}

#[cfg(test)]
mod tests {
    use partnerd_domain::customer::PostalAddress;

    use super::*;
    use crate::testing::{actor, holding, ops, world};

    fn domain(d: &str) -> Option<CustomerFields> {
        Some(CustomerFields {
            domain: Some(d.into()),
            alternate_email: Some("it@elsewhere.example".into()),
            postal_address: Some(PostalAddress {
                contact_name: Some("Ana Lima".into()),
                organization_name: Some("Example".into()),
                postal_code: Some("94043".into()),
                country_code: Some("US".into()),
                ..Default::default()
            }),
            ..Default::default()
        })
    }

    #[tokio::test]
    async fn reading_and_changing_need_their_privileges() {
        let ops = ops().await;
        let (_, customer, _) = world(&ops).await;
        let reader = holding(&ops, &customer, "reader", &["USERS_RETRIEVE"]).await;
        let reader = actor(&reader);
        let seen = get(&ops, &reader, "my_customer").await.expect("read");
        assert_eq!(seen.id, customer.id);
        let refused = change(&ops, &reader, "my_customer", None, Some("fr"), Edit::Patch).await;
        assert_eq!(refused.err(), Some(OpError::not_administrable()));
        let groups = holding(&ops, &customer, "groups", &["GROUPS_ALL"]).await;
        let refused = get(&ops, &actor(&groups), &customer.id).await;
        assert_eq!(refused.err(), Some(OpError::not_administrable()));
        let stored = ops.store.account(&customer.id).await.expect("read");
        assert_eq!(stored.map(|c| c.language), Some("en".to_string()));
    }

    #[tokio::test]
    async fn a_bad_language_is_refused_before_the_account_is_judged() {
        let ops = ops().await;
        let (_, customer, _) = world(&ops).await;
        let nobody = holding(&ops, &customer, "nobody", &["GROUPS_ALL"]).await;
        let refused = change(
            &ops,
            &actor(&nobody),
            &customer.id,
            None,
            Some("xx-nope"),
            Edit::Patch,
        )
        .await;
        assert_eq!(refused.expect_err("bad").violations()[0].field, "language");
    }

    #[tokio::test]
    async fn changes_record_the_actor_and_a_taken_domain_is_a_duplicate() {
        let ops = ops().await;
        let (reseller_admin, customer, boss) = world(&ops).await;
        let changed = change(
            &ops,
            &actor(&boss),
            "my_customer",
            None,
            Some("fr"),
            Edit::Patch,
        )
        .await
        .expect("changed");
        assert_eq!(changed.language, "fr");
        assert_eq!(changed.version, customer.version + 1);
        let events = ops
            .store
            .events(Some(&reseller_admin.account_id), 0, 100)
            .await
            .expect("events");
        let update = events
            .iter()
            .find(|e| e.event.action == "customer.directoryUpdate")
            .expect("event");
        assert_eq!(update.event.actor, boss.primary_email);

        let taken = change(
            &ops,
            &actor(&boss),
            &customer.id,
            domain("reseller.example"),
            None,
            Edit::Patch,
        )
        .await;
        let err = taken.expect_err("taken");
        assert_eq!(err.violations()[0].kind, RuleErrorKind::Duplicate);
        assert_eq!(
            err.violations()[0].message,
            "The domain reseller.example is already in use."
        );
    }

    #[tokio::test]
    async fn changes_that_race_are_each_judged_again() {
        let ops = ops().await;
        let (_, customer, boss) = world(&ops).await;
        let boss = actor(&boss);
        let speak = |language: &'static str| {
            change(&ops, &boss, &customer.id, None, Some(language), Edit::Patch)
        };
        let (a, b, c) = tokio::join!(speak("fr"), speak("ja"), speak("id"));
        for result in [a, b, c] {
            result.expect("every change commits");
        }
        let stored = ops.store.account(&customer.id).await.expect("read");
        assert_eq!(stored.map(|c| c.version), Some(customer.version + 3));
    }
}
