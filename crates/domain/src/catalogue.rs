//! The product catalogue, read from `data/catalogue.tsv`.

use std::sync::LazyLock;

use crate::plan::PlanName;

const TABLE: &str = include_str!("../data/catalogue.tsv");

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sku {
    pub product_id: &'static str,
    pub sku_id: &'static str,
    pub sku_name: &'static str,
    pub plans: Vec<PlanName>,
    pub max_seats: u32,
    pub needs_verified_domain: bool,
    pub team_customers_may_buy: bool,
    pub group: Group,
    /// Position on the upgrade ladder of its group (higher is an upgrade).
    pub rank: u32,
    pub purchasable: bool,
    pub trial_days: u32,
    /// Whether the edition includes Gmail: a user holding it has a mailbox.
    pub gmail: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Group {
    /// Google Workspace editions: one per customer, switched by upgrade or downgrade.
    Workspace,
    /// Another family with one SKU per customer and its own ladder (Essentials, Frontline).
    Family(&'static str),
    /// Bought on top of the Workspace subscription; moves with it in transfers.
    AddOn(&'static str),
    Standalone,
}

impl Group {
    fn parse(s: &'static str) -> Group {
        match s {
            "workspace" => Group::Workspace,
            "standalone" => Group::Standalone,
            other => match other.strip_prefix("addon:") {
                Some(kind) => Group::AddOn(kind),
                None => Group::Family(other),
            },
        }
    }

    /// SKUs of a switchable group replace each other instead of coexisting.
    pub fn is_switchable(&self) -> bool {
        matches!(self, Group::Workspace | Group::Family(_))
    }
}

static SKUS: LazyLock<Vec<Sku>> = LazyLock::new(|| {
    TABLE
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(parse_row)
        .collect()
});

fn parse_row(line: &'static str) -> Option<Sku> {
    let c: Vec<&'static str> = line.split('\t').collect();
    if c.len() != 12 {
        return None;
    }
    let plans = c[3]
        .chars()
        .filter_map(|p| match p {
            'A' => Some(PlanName::AnnualMonthlyPay),
            'Y' => Some(PlanName::AnnualYearlyPay),
            'F' => Some(PlanName::Flexible),
            'T' => Some(PlanName::Trial),
            'R' => Some(PlanName::Free),
            _ => None,
        })
        .collect();
    Some(Sku {
        product_id: c[0],
        sku_id: c[1],
        sku_name: c[2],
        plans,
        max_seats: c[4].parse().ok()?,
        needs_verified_domain: c[5] == "yes",
        team_customers_may_buy: c[6] == "yes",
        group: Group::parse(c[7]),
        rank: c[8].parse().ok()?,
        purchasable: c[9] == "yes",
        trial_days: c[10].parse().ok()?,
        gmail: c[11] == "yes",
    })
}

pub fn all() -> &'static [Sku] {
    &SKUS
}

pub fn sku(sku_id: &str) -> Option<&'static Sku> {
    SKUS.iter().find(|s| s.sku_id == sku_id)
}

impl Sku {
    pub fn allows(&self, plan: PlanName) -> bool {
        self.plans.contains(&plan)
    }

    /// Whether two SKUs are editions of one family, so a customer holds only one of them.
    pub fn same_family(&self, other: &Sku) -> bool {
        self.group.is_switchable() && self.group == other.group
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_parses() {
        let rows = TABLE
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .count();
        assert_eq!(all().len(), rows);
        for s in all() {
            assert!(!s.plans.is_empty(), "{}", s.sku_id);
        }
    }

    #[test]
    fn editions_with_gmail_give_a_mailbox() {
        let gmail = |id: &str| sku(id).map(|s| s.gmail);
        assert_eq!(gmail("1010020027"), Some(true), "Business Starter");
        assert_eq!(gmail("1010020030"), Some(true), "Frontline Starter");
        assert_eq!(gmail("1010070001"), Some(true), "Education Fundamentals");
        assert_eq!(gmail("1010010001"), Some(false), "Cloud Identity");
        assert_eq!(gmail("1010060001"), Some(false), "Essentials");
        assert_eq!(gmail("Google-Vault"), Some(false));
    }

    #[test]
    fn known_skus() {
        let starter = sku("1010020027").expect("Business Starter");
        assert_eq!(starter.product_id, "Google-Apps");
        assert!(starter.allows(PlanName::AnnualMonthlyPay));
        assert!(!starter.allows(PlanName::Free));
        assert!(!starter.team_customers_may_buy);
        let essentials = sku("1010060001").expect("Essentials");
        assert!(essentials.team_customers_may_buy);
        assert!(!essentials.allows(PlanName::AnnualMonthlyPay));
        let ci = sku("1010010001").expect("Cloud Identity Free");
        assert_eq!(ci.max_seats, 50);
        assert_eq!(ci.plans, vec![PlanName::Free]);
        assert!(sku("Google-Vault").expect("vault").needs_verified_domain);
        assert_eq!(
            sku("Google-Chrome-Device-Management")
                .expect("chrome")
                .trial_days,
            60
        );
        assert!(sku("nope").is_none());
        assert!(starter.same_family(sku("1010020020").expect("ent plus")));
        assert!(!starter.same_family(essentials));
    }
}
