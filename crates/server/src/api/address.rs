//! A postal address as the Reseller API (`Address`) and the Directory API
//! (`CustomerPostalAddress`) send it; both describe one domain `PostalAddress`.

use partnerd_domain::customer::PostalAddress;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AddressBody {
    /// `customers#address` in the Reseller API; read-only.
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    contact_name: Option<String>,
    #[serde(default)]
    organization_name: Option<String>,
    #[serde(default)]
    address_line1: Option<String>,
    #[serde(default)]
    address_line2: Option<String>,
    #[serde(default)]
    address_line3: Option<String>,
    #[serde(default)]
    locality: Option<String>,
    #[serde(default)]
    region: Option<String>,
    #[serde(default)]
    postal_code: Option<String>,
    #[serde(default)]
    country_code: Option<String>,
}

impl AddressBody {
    pub fn into_domain(self) -> PostalAddress {
        let _ = self.kind;
        PostalAddress {
            contact_name: self.contact_name,
            organization_name: self.organization_name,
            address_line1: self.address_line1,
            address_line2: self.address_line2,
            address_line3: self.address_line3,
            locality: self.locality,
            region: self.region,
            postal_code: self.postal_code,
            country_code: self.country_code,
        }
    }
}
