//! `AttributeMapping`: pool attribute → provider attribute, applied to the provider's claims.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::error::{Result, invalid};
use crate::provider::ProviderType;

/// A provider's attribute mapping (`{"email": "email", "custom:dept": "department"}`).
/// The key `username` names the provider attribute the federated username is made of.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AttributeMapping(BTreeMap<String, String>);

impl AttributeMapping {
    /// Checks a wire mapping: at most 50 entries (Cognito's limit), names 1–32 / values
    /// 1–131072 characters; whether each key is a pool attribute is the caller's to check
    /// (it knows the schema). An absent `username` maps to the type's subject attribute.
    pub fn parse(provider_type: ProviderType, map: &BTreeMap<String, String>) -> Result<Self> {
        if map.len() > 50 {
            return Err(invalid(
                "1 validation error detected: Value at 'attributeMapping' failed to satisfy constraint: Member must have length less than or equal to 50",
            ));
        }
        for (k, v) in map {
            if k.is_empty() || k.chars().count() > 32 || v.is_empty() || v.len() > 131_072 {
                return Err(invalid(format!("Invalid AttributeMapping entry {k}.")));
            }
        }
        let mut out = map.clone();
        out.entry("username".to_owned())
            .or_insert_with(|| provider_type.subject_attribute().to_owned());
        Ok(Self(out))
    }

    /// The mapping as the wire carries it (`username` included).
    pub fn as_map(&self) -> &BTreeMap<String, String> {
        &self.0
    }

    /// The provider attribute the username is made of.
    pub fn username_attribute(&self) -> Option<&str> {
        self.0.get("username").map(String::as_str)
    }

    /// The provider attributes the mapping reads (for `attributes_url_add_attributes`).
    pub fn provider_attributes(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.0.values().map(String::as_str).collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// The pool attributes to set from `claims`: every mapped attribute the provider sent
    /// (`username` excluded; it names the user). Strings verbatim, booleans and numbers as
    /// text, objects and arrays as JSON.
    pub fn apply(&self, claims: &Map<String, Value>) -> Vec<(String, String)> {
        self.0
            .iter()
            .filter(|(pool_attr, _)| pool_attr.as_str() != "username")
            .filter_map(|(pool_attr, idp_attr)| {
                claim_text(claims.get(idp_attr)?).map(|v| (pool_attr.clone(), v))
            })
            .collect()
    }
}

/// A claim as attribute text; `None` for `null`.
pub fn claim_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        other => Some(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn mapping_applies_what_the_provider_sent() {
        let m = AttributeMapping::parse(
            ProviderType::Oidc,
            &[
                ("email".to_owned(), "email".to_owned()),
                ("email_verified".to_owned(), "email_verified".to_owned()),
                ("custom:age".to_owned(), "age".to_owned()),
                ("name".to_owned(), "missing".to_owned()),
            ]
            .into_iter()
            .collect(),
        )
        .unwrap();
        assert_eq!(m.username_attribute(), Some("sub"));
        let claims = json!({"sub": "1", "email": "a@b.c", "email_verified": true, "age": 42});
        let applied = m.apply(claims.as_object().unwrap());
        assert_eq!(
            applied,
            vec![
                ("custom:age".to_owned(), "42".to_owned()),
                ("email".to_owned(), "a@b.c".to_owned()),
                ("email_verified".to_owned(), "true".to_owned()),
            ]
        );
    }

    #[test]
    fn facebook_users_are_named_by_id() {
        let m = AttributeMapping::parse(ProviderType::Facebook, &BTreeMap::new()).unwrap();
        assert_eq!(m.username_attribute(), Some("id"));
    }
}
