//! The directory of each account: users and their aliases, organizational units, custom
//! roles, role assignments and licences. Read here, written once over `Db` for both
//! databases (`Db::fetch` is each backend's own read path); changed only through write
//! sets (`Write::InsertUser`, …).

use async_trait::async_trait;
use partnerd_domain::directory::{OrgUnit, UserAlias};
use partnerd_domain::licensing::License;
use partnerd_domain::roles::{Role, RoleAssignment};
use partnerd_domain::user::{SignIns, User};

use crate::db::Db;
use crate::rows::Value;
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

    /// The live users of an account that makeAdmin made super admins.
    async fn super_admins_of(&self, account_id: &str) -> Result<Vec<User>>;

    /// Every organizational unit of an account below its root, by path.
    async fn org_units(&self, account_id: &str) -> Result<Vec<OrgUnit>>;

    /// The custom roles of an account.
    async fn roles(&self, account_id: &str) -> Result<Vec<Role>>;

    async fn role_assignments(&self, account_id: &str) -> Result<Vec<RoleAssignment>>;

    /// The role assignments one user of an account holds.
    async fn role_assignments_of(
        &self,
        account_id: &str,
        user_id: &str,
    ) -> Result<Vec<RoleAssignment>>;

    /// Every paid licence of an account.
    async fn licenses(&self, account_id: &str) -> Result<Vec<License>>;

    /// The paid licences one user holds.
    async fn licenses_of(&self, user_id: &str) -> Result<Vec<License>>;

    /// The alias `alias` (lower-case), whoever holds it.
    async fn alias(&self, alias: &str) -> Result<Option<UserAlias>>;

    /// Every alias of an account's users, by address.
    async fn aliases_in(&self, account_id: &str) -> Result<Vec<UserAlias>>;

    /// One user's aliases, by address.
    async fn aliases_of(&self, user_id: &str) -> Result<Vec<UserAlias>>;

    /// When the users of an account that ever signed in did so first and last.
    async fn sign_ins_in(&self, account_id: &str) -> Result<Vec<SignIns>>;

    /// When one user first and last signed in, if it ever did.
    async fn sign_ins_of(&self, user_id: &str) -> Result<Option<SignIns>>;
}

#[async_trait]
impl<T: Db + ?Sized> DirectoryStore for T {
    async fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        let key = Value::Text(email.to_ascii_lowercase());
        let users = self.fetch(sql::select_user_by_email(), vec![key]).await?;
        Ok(users.into_iter().next())
    }

    async fn user_by_id(&self, id: &str) -> Result<Option<User>> {
        let users = self
            .fetch(sql::select_user_by_id(), vec![id.into()])
            .await?;
        Ok(users.into_iter().next())
    }

    async fn users_of(&self, account_id: &str) -> Result<Vec<User>> {
        self.fetch(sql::select_users_of_account(), vec![account_id.into()])
            .await
    }

    async fn has_super_admin(&self, account_id: &str) -> Result<bool> {
        let params = vec![
            Value::from(account_id),
            Value::Bool(true),
            Value::Bool(false),
        ];
        let counts: Vec<i64> = self.fetch(sql::COUNT_SUPER_ADMINS, params).await?;
        Ok(counts.first().is_some_and(|n| *n > 0))
    }

    async fn super_admins_of(&self, account_id: &str) -> Result<Vec<User>> {
        let params = vec![Value::from(account_id), Value::Bool(true)];
        self.fetch(sql::select_super_admins_of_account(), params)
            .await
    }

    async fn org_units(&self, account_id: &str) -> Result<Vec<OrgUnit>> {
        self.fetch(sql::SELECT_ORG_UNITS, vec![account_id.into()])
            .await
    }

    async fn roles(&self, account_id: &str) -> Result<Vec<Role>> {
        self.fetch(sql::SELECT_ROLES, vec![account_id.into()]).await
    }

    async fn role_assignments(&self, account_id: &str) -> Result<Vec<RoleAssignment>> {
        self.fetch(sql::SELECT_ASSIGNMENTS, vec![account_id.into()])
            .await
    }

    async fn role_assignments_of(
        &self,
        account_id: &str,
        user_id: &str,
    ) -> Result<Vec<RoleAssignment>> {
        let params = vec![user_id.into(), account_id.into()];
        self.fetch(sql::SELECT_ASSIGNMENTS_OF_USER, params).await
    }

    async fn licenses(&self, account_id: &str) -> Result<Vec<License>> {
        self.fetch(sql::SELECT_LICENSES, vec![account_id.into()])
            .await
    }

    async fn licenses_of(&self, user_id: &str) -> Result<Vec<License>> {
        self.fetch(sql::SELECT_LICENSES_OF_USER, vec![user_id.into()])
            .await
    }

    async fn alias(&self, alias: &str) -> Result<Option<UserAlias>> {
        let key = Value::Text(alias.trim().to_ascii_lowercase());
        let found = self.fetch(sql::SELECT_ALIAS, vec![key]).await?;
        Ok(found.into_iter().next())
    }

    async fn aliases_in(&self, account_id: &str) -> Result<Vec<UserAlias>> {
        self.fetch(sql::SELECT_ALIASES_OF_ACCOUNT, vec![account_id.into()])
            .await
    }

    async fn aliases_of(&self, user_id: &str) -> Result<Vec<UserAlias>> {
        self.fetch(sql::SELECT_ALIASES_OF_USER, vec![user_id.into()])
            .await
    }

    async fn sign_ins_in(&self, account_id: &str) -> Result<Vec<SignIns>> {
        self.fetch(sql::SELECT_SIGN_INS_OF_ACCOUNT, vec![account_id.into()])
            .await
    }

    async fn sign_ins_of(&self, user_id: &str) -> Result<Option<SignIns>> {
        let found = self
            .fetch(sql::SELECT_SIGN_INS_OF_USER, vec![user_id.into()])
            .await?;
        Ok(found.into_iter().next())
    }
}
