//! Federated users: their username, their group, the subject a provider names them by, and
//! the `identities` attribute/claim.

use serde_json::{Map, Value, json};

use crate::error::{Error, Result};
use crate::mapping::{AttributeMapping, claim_text};
use crate::provider::ProviderType;

/// The username of a user first signed in through `provider_name`: `<ProviderName>_<subject>`.
/// (?) Trigger fixtures show it lowercased (`google_…`); pools fold usernames for lookups,
/// so the stored name keeps the provider name's case.
pub fn federated_username(provider_name: &str, subject: &str) -> String {
    format!("{provider_name}_{subject}")
}

/// The group federated users of `provider_name` join: `<UserPoolId>_<ProviderName>`.
pub fn provider_group(pool_id: &str, provider_name: &str) -> String {
    format!("{pool_id}_{provider_name}")
}

/// The provider's subject for a user: the claim the mapping's `username` names (the type's
/// subject attribute by default), as text; at most 128 characters (Cognito's username length
/// with the prefix fits in 128 only for shorter subjects; longer ones are refused).
pub fn subject(mapping: &AttributeMapping, claims: &Map<String, Value>) -> Result<String> {
    let attr = mapping.username_attribute().unwrap_or("sub");
    let s = claims
        .get(attr)
        .and_then(claim_text)
        .filter(|s| !s.is_empty() && s.len() <= 128 && !s.chars().any(char::is_control))
        .ok_or(Error::MissingSubject)?;
    Ok(s)
}

/// One entry of the `identities` attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The provider's subject (`userId`).
    pub user_id: String,
    /// `providerName`.
    pub provider_name: String,
    /// `providerType`.
    pub provider_type: ProviderType,
    /// `issuer`: a SAML IdP's entity id (the assertion's `Issuer`); (?) `null` for OIDC and
    /// social providers, as in AWS's token examples.
    pub issuer: Option<String>,
    /// `primary`: the identity the user was created by.
    pub primary: bool,
    /// `dateCreated`, unix milliseconds.
    pub date_created_ms: i64,
}

impl Identity {
    /// The JSON object Cognito writes: strings throughout (`"primary":"true"`,
    /// `"dateCreated":"1642699117273"`).
    pub fn to_json(&self) -> Value {
        json!({
            "userId": self.user_id,
            "providerName": self.provider_name,
            "providerType": self.provider_type.as_str(),
            "issuer": self.issuer,
            "primary": if self.primary { "true" } else { "false" },
            "dateCreated": self.date_created_ms.to_string(),
        })
    }
}

/// The `identities` attribute value: a JSON array as a string (what triggers and
/// AdminGetUser show; the ID token carries the array itself).
pub fn identities_attribute(identities: &[Identity]) -> String {
    Value::Array(identities.iter().map(Identity::to_json).collect()).to_string()
}

/// Adds `identity` to an `identities` attribute value (replacing an entry for the same
/// provider and user); the first entry is primary.
pub fn add_identity(current: Option<&str>, identity: &Identity) -> String {
    let mut list: Vec<Value> = current
        .and_then(|c| serde_json::from_str::<Vec<Value>>(c).ok())
        .unwrap_or_default();
    list.retain(|e| {
        !(e.get("providerName").and_then(Value::as_str) == Some(identity.provider_name.as_str())
            && e.get("userId").and_then(Value::as_str) == Some(identity.user_id.as_str()))
    });
    let mut entry = identity.to_json();
    if !list.is_empty()
        && let Some(o) = entry.as_object_mut()
    {
        o.insert("primary".into(), "false".into());
    }
    list.push(entry);
    Value::Array(list).to_string()
}

/// Removes every entry of `provider_name` from an `identities` value; `None` when none is left.
pub fn remove_identity(current: &str, provider_name: &str, user_id: &str) -> Option<String> {
    let mut list: Vec<Value> = serde_json::from_str(current).ok()?;
    list.retain(|e| {
        !(e.get("providerName").and_then(Value::as_str) == Some(provider_name)
            && e.get("userId").and_then(Value::as_str) == Some(user_id))
    });
    (!list.is_empty()).then(|| Value::Array(list).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn google(id: &str) -> Identity {
        Identity {
            user_id: id.into(),
            provider_name: "Google".into(),
            provider_type: ProviderType::Google,
            issuer: None,
            primary: true,
            date_created_ms: 1_642_699_117_273,
        }
    }

    #[test]
    fn the_identities_attribute_has_cognitos_shape() {
        // AWS's ID-token example: userId, providerName, providerType, issuer null,
        // primary "true", dateCreated as a string of milliseconds.
        assert_eq!(
            identities_attribute(&[google("1029")]),
            r#"[{"dateCreated":"1642699117273","issuer":null,"primary":"true","providerName":"Google","providerType":"Google","userId":"1029"}]"#
        );
        assert_eq!(federated_username("Google", "1029"), "Google_1029");
        assert_eq!(
            provider_group("us-east-1_Ab", "Google"),
            "us-east-1_Ab_Google"
        );
    }

    #[test]
    fn identities_are_added_and_removed() {
        let one = add_identity(None, &google("1"));
        let two = add_identity(Some(&one), &google("2"));
        let parsed: Vec<Value> = serde_json::from_str(&two).unwrap();
        assert_eq!(parsed.len(), 2);
        assert_eq!(parsed[1]["primary"], "false");
        let back = remove_identity(&two, "Google", "2").unwrap();
        assert_eq!(back, one);
        assert_eq!(remove_identity(&one, "Google", "1"), None);
    }

    #[test]
    fn subjects_come_from_the_mapped_attribute() {
        let m = AttributeMapping::parse(ProviderType::Facebook, &Default::default()).unwrap();
        let claims = json!({"id": 12345, "name": "x"});
        assert_eq!(subject(&m, claims.as_object().unwrap()), Ok("12345".into()));
        let none = json!({"name": "x"});
        assert_eq!(
            subject(&m, none.as_object().unwrap()),
            Err(Error::MissingSubject)
        );
    }
}
