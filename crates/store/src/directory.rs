//! The directory of each account: users, organizational units, custom roles, role
//! assignments and licences. Read here, written once over `Db` for both databases (the
//! same query each backend would run on its own path: a pooled connection inline on
//! SQLite, a pooled client on PostgreSQL, both with prepared-statement caching); changed
//! only through write sets (`Write::InsertUser`, …).

use async_trait::async_trait;
use partnerd_domain::directory::OrgUnit;
use partnerd_domain::licensing::License;
use partnerd_domain::roles::{Role, RoleAssignment};
use partnerd_domain::user::User;

use crate::db::{Db, OwnedRow};
use crate::rows::{Row, Value};
use crate::{Result, sql};

#[async_trait]
pub trait DirectoryStore {
    /// A user by primary e-mail address, in any case.
    async fn user_by_email(&self, email: &str) -> Result<Option<User>>;

    async fn user_by_id(&self, id: &str) -> Result<Option<User>>;

    /// Every user of an account, deleted ones included, by e-mail address.
    async fn users_of(&self, account_id: &str) -> Result<Vec<User>>;

    /// Whether the account has an active (not suspended) super admin.
    async fn has_super_admin(&self, account_id: &str) -> Result<bool>;

    /// Every organizational unit of an account below its root, by path.
    async fn org_units(&self, account_id: &str) -> Result<Vec<OrgUnit>>;

    /// The custom roles of an account.
    async fn roles(&self, account_id: &str) -> Result<Vec<Role>>;

    async fn role_assignments(&self, account_id: &str) -> Result<Vec<RoleAssignment>>;

    /// Every paid licence of an account.
    async fn licenses(&self, account_id: &str) -> Result<Vec<License>>;
}

fn all<T>(rows: Vec<OwnedRow>, map: impl Fn(&OwnedRow) -> Result<T>) -> Result<Vec<T>> {
    rows.iter().map(map).collect()
}

#[async_trait]
impl<T: Db + ?Sized> DirectoryStore for T {
    async fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        let key = Value::Text(email.to_ascii_lowercase());
        let rows = self.rows(&sql::select_user_by_email(), vec![key]).await?;
        rows.first().map(sql::user_from_row).transpose()
    }

    async fn user_by_id(&self, id: &str) -> Result<Option<User>> {
        let rows = self
            .rows(&sql::select_user_by_id(), vec![id.into()])
            .await?;
        rows.first().map(sql::user_from_row).transpose()
    }

    async fn users_of(&self, account_id: &str) -> Result<Vec<User>> {
        let rows = self
            .rows(&sql::select_users_of_account(), vec![account_id.into()])
            .await?;
        all(rows, sql::user_from_row)
    }

    async fn has_super_admin(&self, account_id: &str) -> Result<bool> {
        let params = vec![
            Value::from(account_id),
            Value::Bool(true),
            Value::Bool(false),
        ];
        let rows = self.rows(sql::COUNT_SUPER_ADMINS, params).await?;
        Ok(rows.first().map(|r| r.int(0)).transpose()?.unwrap_or(0) > 0)
    }

    async fn org_units(&self, account_id: &str) -> Result<Vec<OrgUnit>> {
        let rows = self
            .rows(sql::SELECT_ORG_UNITS, vec![account_id.into()])
            .await?;
        all(rows, sql::org_unit_from_row)
    }

    async fn roles(&self, account_id: &str) -> Result<Vec<Role>> {
        let rows = self
            .rows(sql::SELECT_ROLES, vec![account_id.into()])
            .await?;
        all(rows, sql::role_from_row)
    }

    async fn role_assignments(&self, account_id: &str) -> Result<Vec<RoleAssignment>> {
        let rows = self
            .rows(sql::SELECT_ASSIGNMENTS, vec![account_id.into()])
            .await?;
        all(rows, sql::assignment_from_row)
    }

    async fn licenses(&self, account_id: &str) -> Result<Vec<License>> {
        let rows = self
            .rows(sql::SELECT_LICENSES, vec![account_id.into()])
            .await?;
        all(rows, sql::license_from_row)
    }
}
