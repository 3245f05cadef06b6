//! Versioned schema migrations, embedded in the binary and run at start.
//!
//! One file per version, shared by both databases; the dialect differences (the
//! auto-numbered key, reading a field of stored JSON) are written as `{{PLACEHOLDERS}}`
//! and filled in per database.

pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    sql: &'static str,
}

pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "init",
        sql: include_str!("../migrations/0001_init.sql"),
    },
    Migration {
        version: 2,
        name: "subscriptions",
        sql: include_str!("../migrations/0002_subscriptions.sql"),
    },
    Migration {
        version: 3,
        name: "directory",
        sql: include_str!("../migrations/0003_directory.sql"),
    },
    Migration {
        version: 4,
        name: "roles",
        sql: include_str!("../migrations/0004_roles.sql"),
    },
    Migration {
        version: 5,
        name: "licenses",
        sql: include_str!("../migrations/0005_licenses.sql"),
    },
    Migration {
        version: 6,
        name: "push_leases",
        sql: include_str!("../migrations/0006_push_leases.sql"),
    },
    Migration {
        version: 7,
        name: "revocations",
        sql: include_str!("../migrations/0007_revocations.sql"),
    },
    Migration {
        version: 8,
        name: "console_reads",
        sql: include_str!("../migrations/0008_console_reads.sql"),
    },
    Migration {
        version: 9,
        name: "outbox_kinds",
        sql: include_str!("../migrations/0009_outbox_kinds.sql"),
    },
    Migration {
        version: 10,
        name: "sessions",
        sql: include_str!("../migrations/0010_sessions.sql"),
    },
    Migration {
        version: 11,
        name: "blobs",
        sql: include_str!("../migrations/0011_blobs.sql"),
    },
    Migration {
        version: 12,
        name: "mail_delivery",
        sql: include_str!("../migrations/0012_mail_delivery.sql"),
    },
    Migration {
        version: 13,
        name: "lean_account_indexes",
        sql: include_str!("../migrations/0013_lean_account_indexes.sql"),
    },
    Migration {
        version: 14,
        name: "customer_education",
        sql: include_str!("../migrations/0014_customer_education.sql"),
    },
    Migration {
        version: 15,
        name: "subscription_facts",
        sql: include_str!("../migrations/0015_subscription_facts.sql"),
    },
    Migration {
        version: 16,
        name: "search_indexes",
        sql: include_str!("../migrations/0016_search_indexes.sql"),
    },
    Migration {
        version: 17,
        name: "transfer_consent",
        sql: include_str!("../migrations/0017_transfer_consent.sql"),
    },
    Migration {
        version: 18,
        name: "service_account_key_owner",
        sql: include_str!("../migrations/0018_service_account_key_owner.sql"),
    },
    Migration {
        version: 19,
        name: "oauth_clients",
        sql: include_str!("../migrations/0019_oauth_clients.sql"),
    },
    Migration {
        version: 20,
        name: "groups",
        sql: include_str!("../migrations/0020_groups.sql"),
    },
    Migration {
        version: 21,
        name: "user_aliases",
        sql: include_str!("../migrations/0021_user_aliases.sql"),
    },
    Migration {
        version: 22,
        name: "site_verification",
        sql: include_str!("../migrations/0022_site_verification.sql"),
    },
    Migration {
        version: 23,
        name: "sign_ins",
        sql: include_str!("../migrations/0023_sign_ins.sql"),
    },
    Migration {
        version: 24,
        name: "site_verifiers",
        sql: include_str!("../migrations/0024_site_verifiers.sql"),
    },
    Migration {
        version: 25,
        name: "standing_indexes",
        sql: include_str!("../migrations/0025_standing_indexes.sql"),
    },
];

#[derive(Debug, Clone, Copy)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Migration {
    pub fn sql_for(&self, dialect: Dialect) -> String {
        let bytes = match dialect {
            Dialect::Sqlite => "BLOB",
            Dialect::Postgres => "BYTEA",
        };
        let (id, organization_key, event_customer) = match dialect {
            Dialect::Sqlite => (
                "INTEGER PRIMARY KEY AUTOINCREMENT",
                "lower(coalesce(json_extract(postal_address, '$.organizationName'), ''))",
                "CASE WHEN resource_type = 'customer' THEN resource_id \
                 ELSE json_extract(coalesce(after_state, before_state), '$.customerId') END",
            ),
            Dialect::Postgres => (
                "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
                "lower(coalesce(postal_address::json->>'organizationName', ''))",
                "CASE WHEN resource_type = 'customer' THEN resource_id \
                 ELSE coalesce(after_state, before_state)::json->>'customerId' END",
            ),
        };
        let (plan, reasons, renews_at) = match dialect {
            Dialect::Sqlite => (
                "coalesce(json_extract(state, '$.plan'), '')",
                "coalesce((SELECT ',' || group_concat(value, ',') || ',' \
                 FROM json_each(state, '$.suspensionReasons')), '')",
                "CASE WHEN live_sku IS NOT NULL AND json_extract(state, '$.inTrial') = 0 \
                 AND json_extract(state, '$.plan') LIKE 'ANNUAL%' \
                 THEN json_extract(state, '$.commitment[1]') END",
            ),
            Dialect::Postgres => (
                "coalesce(state::json->>'plan', '')",
                "coalesce((SELECT ',' || string_agg(value, ',') || ',' \
                 FROM json_array_elements_text(state::json->'suspensionReasons')), '')",
                "CASE WHEN live_sku IS NOT NULL AND (state::json->>'inTrial')::boolean = false \
                 AND state::json->>'plan' LIKE 'ANNUAL%' \
                 THEN (state::json->'commitment'->>1)::bigint END",
            ),
        };
        self.sql
            .replace("{{SUBSCRIPTION_PLAN}}", plan)
            .replace("{{SUBSCRIPTION_REASONS}}", reasons)
            .replace("{{SUBSCRIPTION_RENEWS_AT}}", renews_at)
            .replace("{{ID}}", id)
            .replace("{{ORGANIZATION_KEY}}", organization_key)
            .replace("{{EVENT_CUSTOMER}}", event_customer)
            .replace("{{BYTES}}", bytes)
    }
}

pub const CREATE_VERSION_TABLE: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_ascend_and_placeholders_are_filled() {
        for pair in MIGRATIONS.windows(2) {
            assert!(pair[0].version < pair[1].version);
        }
        for m in MIGRATIONS {
            assert!(!m.sql_for(Dialect::Sqlite).contains("{{"));
            assert!(!m.sql_for(Dialect::Postgres).contains("{{"));
        }
    }

    #[test]
    fn default_delegations_gain_the_group_scopes_once() {
        let conn = rusqlite::Connection::open_in_memory().expect("open");
        let (before, after): (Vec<_>, Vec<_>) = MIGRATIONS.iter().partition(|m| m.version < 20);
        for m in before {
            conn.execute_batch(&m.sql_for(Dialect::Sqlite))
                .expect("older migration");
        }
        // What `key create` delegated before groups: today's defaults without them.
        let defaults: Vec<&str> = partnerd_domain::scopes::DELEGATED_BY_DEFAULT
            .iter()
            .copied()
            .filter(|s| {
                !s.contains("directory.group")
                    && !s.contains("user.alias")
                    && !s.contains("auth/siteverification")
            })
            .collect();
        let defaults = defaults.join(" ");
        conn.execute_batch(&format!(
            "INSERT INTO accounts (id, domain, customer_type, postal_address, domain_verified, \
             created_at, version) VALUES ('C0a', 'a.example', 'domain', '{{}}', TRUE, 0, 1); \
             INSERT INTO delegations VALUES ('C0a', 'default', '{defaults}'); \
             INSERT INTO delegations VALUES ('C0a', 'narrow', 'https://www.googleapis.com/auth/apps.order');"
        ))
        .expect("rows of an older version");
        for m in after {
            conn.execute_batch(&m.sql_for(Dialect::Sqlite))
                .expect("newer migration");
        }
        let scopes = |client: &str| -> String {
            conn.query_row(
                "SELECT scopes FROM delegations WHERE client_id = ?1",
                [client],
                |r| r.get(0),
            )
            .expect("delegation")
        };
        let widened = scopes("default");
        let mut expected: Vec<&str> = partnerd_domain::scopes::DELEGATED_BY_DEFAULT.to_vec();
        let mut got: Vec<&str> = widened.split(' ').collect();
        expected.sort_unstable();
        got.sort_unstable();
        assert_eq!(got, expected, "the defaults of today, each once");
        assert_eq!(
            scopes("narrow"),
            "https://www.googleapis.com/auth/apps.order"
        );
    }
}
