//! Identity kinds as the API takes them. Each kind maps to the `network` column of
//! `customer_identities`: a handle keeps its network (`x`), a network's numeric user id gets
//! `<network>:id`, and e-mail, phone and CRM ids use `email`, `phone` and `crm`.

use serde::Deserialize;

use crate::domain::Identity;
use crate::domain::normalize_phone;

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentityInput {
    /// `handle`, `user_id`, `email`, `phone` or `crm`.
    #[schema(pattern = "^(handle|user_id|email|phone|crm)$")]
    pub kind: String,
    /// The network, for `handle` and `user_id` (e.g. `x`, `mastodon`, `instagram`).
    pub network: Option<String>,
    /// The handle, id, address or number (not only white space, U+0085 included).
    #[schema(pattern = r"[^\s\u0085]", max_length = 320)]
    pub value: String,
}

impl IdentityInput {
    /// The stored identity, or what is wrong with the input.
    pub fn to_identity(&self) -> Result<Identity, String> {
        let value = self.value.trim();
        if value.is_empty() || value.chars().count() > 320 {
            return Err("value must have 1 to 320 characters".into());
        }
        let network = || {
            self.network
                .as_deref()
                .map(str::trim)
                .filter(|n| valid_network(n))
                .ok_or_else(|| {
                    format!(
                        "kind '{}' needs a network (letters, digits, _; or webhook:<feed>)",
                        self.kind
                    )
                })
        };
        match self.kind.as_str() {
            "handle" => Ok(Identity::new(network()?, value)),
            "user_id" => Ok(Identity::new(&format!("{}:id", network()?), value)),
            "email" if value.contains('@') => Ok(Identity::new("email", value)),
            "email" => Err(format!("'{value}' is not an e-mail address")),
            "phone" => normalize_phone(value)
                .map(|p| Identity::new("phone", &p))
                .ok_or_else(|| format!("'{value}' is not a phone number (9–15 digits)")),
            "crm" => Ok(Identity {
                network: "crm".into(),
                value: value.to_owned(),
            }),
            other => Err(format!(
                "kind '{other}' is not one of handle, user_id, email, phone, crm"
            )),
        }
    }
}

/// A network name: letters, digits and `_` (`x`, `mastodon`), or `webhook:<feed>` — the
/// source of mentions pushed to a webhook feed, so their authors can be linked to a profile.
fn valid_network(n: &str) -> bool {
    let word = |w: &str| {
        !w.is_empty()
            && w.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    };
    match n.strip_prefix("webhook:") {
        Some(feed) => word(feed),
        None => !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
    }
}

/// The kind of a stored identity (see the module doc).
pub fn kind_of(identity: &Identity) -> &'static str {
    match identity.network.as_str() {
        "email" => "email",
        "phone" => "phone",
        "crm" => "crm",
        n if n.ends_with(":id") => "user_id",
        _ => "handle",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(kind: &str, network: Option<&str>, value: &str) -> IdentityInput {
        IdentityInput {
            kind: kind.into(),
            network: network.map(str::to_owned),
            value: value.into(),
        }
    }

    #[test]
    fn webhook_feeds_are_networks() {
        let id = input("handle", Some("webhook:tienda-web"), "@Cliente_1")
            .to_identity()
            .unwrap();
        assert_eq!(id.network, "webhook:tienda-web");
        assert_eq!(id.value, "cliente_1");
        assert!(
            input("handle", Some("webhook:"), "a")
                .to_identity()
                .is_err()
        );
        assert!(input("handle", Some("x:y"), "a").to_identity().is_err());
    }

    #[test]
    fn kinds_map_to_networks() {
        let h = input("handle", Some("x"), "@Luz_Mtz")
            .to_identity()
            .unwrap();
        assert_eq!((h.network.as_str(), h.value.as_str()), ("x", "luz_mtz"));
        let u = input("user_id", Some("x"), "12345").to_identity().unwrap();
        assert_eq!((u.network.as_str(), kind_of(&u)), ("x:id", "user_id"));
        let p = input("phone", None, "+52 55 4182 7730")
            .to_identity()
            .unwrap();
        assert_eq!(p.value, "+525541827730");
        let c = input("crm", None, "SF-00A1").to_identity().unwrap();
        assert_eq!(c.value, "SF-00A1");
        assert!(input("email", None, "nope").to_identity().is_err());
        assert!(input("handle", None, "x").to_identity().is_err());
        assert!(input("fax", None, "1").to_identity().is_err());
    }
}
