//! The groups of each account and their members. Read here, written once over `Db` for
//! both databases; changed only through write sets (`Write::InsertGroup`, …).

use async_trait::async_trait;
use partnerd_domain::groups::{Group, Member};

use crate::db::Db;
use crate::rows::Value;
use crate::{Result, sql};

#[async_trait]
pub trait GroupStore {
    async fn group_by_id(&self, id: &str) -> Result<Option<Group>>;

    /// A group by address, in any case.
    async fn group_by_email(&self, email: &str) -> Result<Option<Group>>;

    /// Every group of an account, by address.
    async fn groups_of(&self, account_id: &str) -> Result<Vec<Group>>;

    /// The groups `member_id` (a user's or a group's id) is a direct member of, by address.
    async fn groups_of_member(&self, member_id: &str) -> Result<Vec<Group>>;

    /// The direct members of a group, by address.
    async fn members_of(&self, group_id: &str) -> Result<Vec<Member>>;

    /// Every membership in the groups of an account (to follow nested groups).
    async fn memberships_in(&self, account_id: &str) -> Result<Vec<Member>>;
}

#[async_trait]
impl<T: Db + ?Sized> GroupStore for T {
    async fn group_by_id(&self, id: &str) -> Result<Option<Group>> {
        let groups = self.fetch(sql::SELECT_GROUP_BY_ID, vec![id.into()]).await?;
        Ok(groups.into_iter().next())
    }

    async fn group_by_email(&self, email: &str) -> Result<Option<Group>> {
        let key = Value::Text(email.trim().to_ascii_lowercase());
        let groups = self.fetch(sql::SELECT_GROUP_BY_EMAIL, vec![key]).await?;
        Ok(groups.into_iter().next())
    }

    async fn groups_of(&self, account_id: &str) -> Result<Vec<Group>> {
        self.fetch(sql::SELECT_GROUPS_OF_ACCOUNT, vec![account_id.into()])
            .await
    }

    async fn groups_of_member(&self, member_id: &str) -> Result<Vec<Group>> {
        self.fetch(sql::SELECT_GROUPS_OF_MEMBER, vec![member_id.into()])
            .await
    }

    async fn members_of(&self, group_id: &str) -> Result<Vec<Member>> {
        self.fetch(sql::SELECT_MEMBERS_OF_GROUP, vec![group_id.into()])
            .await
    }

    async fn memberships_in(&self, account_id: &str) -> Result<Vec<Member>> {
        self.fetch(sql::SELECT_MEMBERS_OF_ACCOUNT, vec![account_id.into()])
            .await
    }
}
