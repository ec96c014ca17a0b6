//! Provider types, provider names and IdP identifiers as Cognito validates them.

use crate::error::{Result, invalid};

/// Cognito's `ProviderType`.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProviderType {
    /// `OIDC`: any OpenID Connect provider.
    Oidc,
    /// `Google`.
    Google,
    /// `Facebook`.
    Facebook,
    /// `LoginWithAmazon`.
    LoginWithAmazon,
    /// `SignInWithApple`.
    SignInWithApple,
    /// `SAML`: a SAML 2.0 identity provider (its protocol is `userpool-saml`'s).
    Saml,
}

impl ProviderType {
    /// Every supported type.
    pub const ALL: [Self; 6] = [
        Self::Saml,
        Self::Oidc,
        Self::Google,
        Self::Facebook,
        Self::LoginWithAmazon,
        Self::SignInWithApple,
    ];

    /// Parses the wire name; anything that is not a type is
    /// [`Error::InvalidParameter`](crate::Error::InvalidParameter).
    pub fn parse(name: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str() == name)
            .ok_or_else(|| {
                invalid(format!(
                    "1 validation error detected: Value '{name}' at 'providerType' failed to satisfy constraint: Member must satisfy enum value set: [SAML, Facebook, Google, LoginWithAmazon, SignInWithApple, OIDC]"
                ))
            })
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Oidc => "OIDC",
            Self::Google => "Google",
            Self::Facebook => "Facebook",
            Self::LoginWithAmazon => "LoginWithAmazon",
            Self::SignInWithApple => "SignInWithApple",
            Self::Saml => "SAML",
        }
    }

    /// Social providers: their provider name must be their type's name.
    pub fn is_social(self) -> bool {
        !matches!(self, Self::Oidc | Self::Saml)
    }

    /// The provider attribute that names a user there (what `Cognito_Subject` stands for):
    /// `sub` for OIDC, Google and Apple, Facebook's `id`, Login with Amazon's `user_id`, and
    /// for SAML the assertion's `NameID` ([`SAML_NAME_ID`]).
    pub fn subject_attribute(self) -> &'static str {
        match self {
            Self::Facebook => "id",
            Self::LoginWithAmazon => "user_id",
            Self::Saml => SAML_NAME_ID,
            _ => "sub",
        }
    }

    /// Whether the provider signs in with an ID token (OIDC, Google, Apple) rather than a
    /// profile call alone (Facebook, Login with Amazon).
    pub fn uses_id_token(self) -> bool {
        matches!(self, Self::Oidc | Self::Google | Self::SignInWithApple)
    }
}

/// The claim a SAML assertion's `Subject/NameID` is given under, beside its attributes.
pub const SAML_NAME_ID: &str = "NameID";

/// The name every link names the pool's own users by (`DestinationUser.ProviderName`).
pub const COGNITO_PROVIDER: &str = "Cognito";

/// The attribute name that stands for the provider's subject in links
/// (`SourceUser.ProviderAttributeName`).
pub const COGNITO_SUBJECT: &str = "Cognito_Subject";

/// Checks a `ProviderName` for `provider_type`: 1–32 characters, no leading or trailing
/// underscore or whitespace, not `Cognito`/`COGNITO`; a social provider's name is its type's.
pub fn validate_provider_name(name: &str, provider_type: ProviderType) -> Result<()> {
    let chars = name.chars().count();
    let edge_bad = |c: Option<char>| c.is_none_or(|c| c == '_' || c.is_whitespace());
    if !(1..=32).contains(&chars)
        || edge_bad(name.chars().next())
        || edge_bad(name.chars().last())
        || name.chars().any(char::is_control)
    {
        return Err(invalid(format!(
            "1 validation error detected: Value '{name}' at 'providerName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^_\\p{{Z}}][\\p{{L}}\\p{{M}}\\p{{S}}\\p{{N}}\\p{{P}}][^_\\p{{Z}}]+"
        )));
    }
    if name.eq_ignore_ascii_case("cognito") {
        return Err(invalid(format!("Provider name {name} is reserved.")));
    }
    if provider_type.is_social() && name != provider_type.as_str() {
        return Err(invalid(format!(
            "Provider name must be {} for provider type {}.",
            provider_type.as_str(),
            provider_type.as_str()
        )));
    }
    Ok(())
}

/// Checks one `IdpIdentifiers` entry: 1–40 characters of `[\w\s+=.@-]`.
pub fn validate_idp_identifier(identifier: &str) -> Result<()> {
    let ok = (1..=40).contains(&identifier.chars().count())
        && identifier
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c.is_whitespace() || "+=.@-".contains(c));
    if ok {
        Ok(())
    } else {
        Err(invalid(format!(
            "1 validation error detected: Value '{identifier}' at 'idpIdentifiers' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w\\s+=.@-]+"
        )))
    }
}

/// Checks a whole `IdpIdentifiers` list: at most 50, each valid, no duplicates.
pub fn validate_idp_identifiers(identifiers: &[String]) -> Result<()> {
    if identifiers.len() > 50 {
        return Err(invalid(
            "1 validation error detected: Value at 'idpIdentifiers' failed to satisfy constraint: Member must have length less than or equal to 50",
        ));
    }
    for (i, id) in identifiers.iter().enumerate() {
        validate_idp_identifier(id)?;
        if identifiers.iter().take(i).any(|o| o == id) {
            return Err(invalid(format!("Duplicate IdpIdentifier {id}.")));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    #[test]
    fn types_round_trip() {
        for t in ProviderType::ALL {
            assert_eq!(ProviderType::parse(t.as_str()), Ok(t));
        }
        assert_eq!(ProviderType::parse("SAML"), Ok(ProviderType::Saml));
        assert!(!ProviderType::Saml.is_social());
        assert_eq!(ProviderType::Saml.subject_attribute(), SAML_NAME_ID);
        assert!(matches!(
            ProviderType::parse("google"),
            Err(Error::InvalidParameter(_))
        ));
    }

    #[test]
    fn social_names_are_their_types() {
        assert!(validate_provider_name("Google", ProviderType::Google).is_ok());
        assert!(validate_provider_name("MyGoogle", ProviderType::Google).is_err());
        assert!(validate_provider_name("corp-idp", ProviderType::Oidc).is_ok());
        assert!(validate_provider_name("_corp", ProviderType::Oidc).is_err());
        assert!(validate_provider_name("corp_", ProviderType::Oidc).is_err());
        assert!(validate_provider_name("Cognito", ProviderType::Oidc).is_err());
        assert!(validate_provider_name(&"a".repeat(33), ProviderType::Oidc).is_err());
    }

    #[test]
    fn identifiers_follow_the_pattern() {
        assert!(validate_idp_identifier("example.com").is_ok());
        assert!(validate_idp_identifier("a+b=c@d-e_f g").is_ok());
        assert!(validate_idp_identifier("").is_err());
        assert!(validate_idp_identifier("a/b").is_err());
        assert!(validate_idp_identifier(&"x".repeat(41)).is_err());
        assert!(validate_idp_identifiers(&["a".into(), "a".into()]).is_err());
    }
}
