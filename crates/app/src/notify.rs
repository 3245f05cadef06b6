//! A reseller's push notifications (the Reseller API's `resellernotify`): which service
//! accounts may read its topic.

use partnerd_domain::customer::email_valid;
use partnerd_domain::event::NewEvent;
use partnerd_domain::{Clock, RuleError};

use crate::change::topic_name;
use crate::privileges::{self, ResellerNeed};
use crate::subscriptions::reseller_of;
use crate::{Actor, OpError, Ops};

/// The field naming the service account.
pub const SERVICE_ACCOUNT: &str = "serviceAccountEmailAddress";

/// Who may read a reseller's notifications, and where they are published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchDetails {
    pub service_accounts: Vec<String>,
    pub topic_name: String,
}

/// Lets the service account `email` read the notifications of the actor's reseller;
/// returns the reseller's topic name.
pub async fn register(ops: &Ops, actor: &Actor, email: Option<&str>) -> Result<String, OpError> {
    set(ops, actor, email, true).await
}

/// Stops the service account `email` reading them; returns the reseller's topic name.
pub async fn unregister(ops: &Ops, actor: &Actor, email: Option<&str>) -> Result<String, OpError> {
    set(ops, actor, email, false).await
}

async fn set(
    ops: &Ops,
    actor: &Actor,
    email: Option<&str>,
    registered: bool,
) -> Result<String, OpError> {
    privileges::reseller(ops, actor, ResellerNeed::Edit).await?;
    let reseller = reseller_of(actor)?;
    let email = email
        .map(|e| e.trim().to_ascii_lowercase())
        .filter(|e| !e.is_empty())
        .ok_or_else(|| RuleError::required(SERVICE_ACCOUNT))?;
    if !email_valid(&email) {
        return Err(RuleError::invalid(SERVICE_ACCOUNT, "not an e-mail address").into());
    }
    let topic = topic_name(reseller);
    let event = NewEvent {
        at: ops.clock.now(),
        actor: actor.name().to_string(),
        account_id: Some(reseller.to_string()),
        action: if registered {
            "resellernotify.register"
        } else {
            "resellernotify.unregister"
        }
        .into(),
        resource_type: "topic".into(),
        resource_id: topic.clone(),
        before: None,
        after: Some(serde_json::json!({"serviceAccountEmailAddress": email})),
        event_type: None,
    };
    ops.store
        .set_registration(reseller, &email, registered, event)
        .await?;
    Ok(topic)
}

/// The service accounts registered for the actor's reseller, and its topic.
pub async fn watch_details(ops: &Ops, actor: &Actor) -> Result<WatchDetails, OpError> {
    privileges::reseller(ops, actor, ResellerNeed::View).await?;
    let reseller = reseller_of(actor)?;
    Ok(WatchDetails {
        service_accounts: ops.store.registrations(reseller).await?,
        topic_name: topic_name(reseller),
    })
}

#[cfg(test)]
mod tests {
    use partnerd_domain::RuleErrorKind;

    use super::*;
    use crate::testing::{actor, events_of, ops, staff, world};

    #[tokio::test]
    async fn registering_needs_edit_and_reading_needs_view() {
        let ops = ops().await;
        let (admin, _, _) = world(&ops).await;
        let viewer = staff(&ops, &admin, &["RESELLER_VIEW_CUSTOMERS"]).await;
        let editor = staff(&ops, &admin, &["RESELLER_EDIT_CUSTOMERS"]).await;
        let nobody = staff(&ops, &admin, &["USERS_RETRIEVE"]).await;
        let refused = register(&ops, &viewer, Some("push@sa.example")).await;
        assert_eq!(refused.err(), Some(OpError::NotAuthorized));
        assert_eq!(
            watch_details(&ops, &nobody).await.err(),
            Some(OpError::NotAuthorized)
        );

        let topic = register(&ops, &editor, Some(" Push@SA.example "))
            .await
            .expect("registered");
        assert_eq!(
            topic,
            format!("projects/partner-watch/topics/{}", admin.account_id)
        );
        let details = watch_details(&ops, &viewer).await.expect("details");
        assert_eq!(
            details.service_accounts,
            vec!["push@sa.example".to_string()]
        );
        assert_eq!(details.topic_name, topic);
        unregister(&ops, &actor(&admin), Some("push@sa.example"))
            .await
            .expect("unregistered");
        let details = watch_details(&ops, &viewer).await.expect("details");
        assert!(details.service_accounts.is_empty());

        let events = events_of(&ops, &admin.account_id, "resellernotify.register").await;
        assert_eq!(events[0].actor, editor.name());
    }

    #[tokio::test]
    async fn the_address_is_required_and_must_be_one() {
        let ops = ops().await;
        let (admin, _, _) = world(&ops).await;
        let admin = actor(&admin);
        let missing = register(&ops, &admin, Some("  "))
            .await
            .expect_err("missing");
        assert_eq!(missing.violations()[0].kind, RuleErrorKind::Required);
        let bad = register(&ops, &admin, Some("nobody"))
            .await
            .expect_err("bad");
        assert_eq!(
            bad.violations()[0].message,
            "Invalid value for serviceAccountEmailAddress: not an e-mail address"
        );
    }
}
