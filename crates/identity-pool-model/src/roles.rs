//! An identity pool's roles (Set/GetIdentityPoolRoles): the default `authenticated` and
//! `unauthenticated` roles and the per-provider `RoleMappings` (Token or Rules).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::arn::RoleArn;
use crate::error::{Error, Result, constraint, length};
use crate::login::LoginChecker;
use crate::pool::IdentityPool;
use crate::provider::{Provider, Settings};

/// Most role mappings per pool (`RoleMappingMap`, `max` 10).
pub const MAX_ROLE_MAPPINGS: usize = 10;
/// Most rules per provider ("You can specify up to 25 rules per identity provider").
pub const MAX_RULES: usize = 25;

/// The pool's default roles (`Roles`: `authenticated`, `unauthenticated`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdentityPoolRoles {
    /// The role of authenticated identities no mapping decides for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authenticated: Option<RoleArn>,
    /// The role of guests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unauthenticated: Option<RoleArn>,
}

impl IdentityPoolRoles {
    /// Reads the wire's `Roles` map (keys `authenticated` / `unauthenticated`, ≤ 2).
    ///
    /// # Errors
    /// `InvalidParameter` for another key or a value that is not a role ARN.
    pub fn parse<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Self> {
        let mut roles = Self::default();
        for (key, arn) in pairs {
            let slot = match key {
                "authenticated" => &mut roles.authenticated,
                "unauthenticated" => &mut roles.unauthenticated,
                _ => {
                    return Err(constraint(
                        "roles",
                        Some(key),
                        "Map keys must satisfy constraint: [Member must satisfy regular expression pattern: (un)?authenticated]",
                    ));
                }
            };
            *slot = Some(RoleArn::parse_member(arn, &format!("roles.{key}"))?);
        }
        Ok(roles)
    }
}

/// `AmbiguousRoleResolution`: what happens when a mapping decides nothing.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AmbiguousRoleResolution {
    /// Use the pool's default authenticated role.
    AuthenticatedRole,
    /// Refuse (`NotAuthorizedException`).
    Deny,
}

/// `MatchType` of a rule.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MatchType {
    /// The claim equals the value.
    Equals,
    /// The claim contains the value.
    Contains,
    /// The claim starts with the value.
    StartsWith,
    /// The claim is present and differs from the value.
    NotEqual,
}

impl MatchType {
    /// Whether one claim value (text) satisfies this match against `value`.
    pub fn test(self, claim: &str, value: &str) -> bool {
        match self {
            Self::Equals => claim == value,
            Self::Contains => claim.contains(value),
            Self::StartsWith => claim.starts_with(value),
            Self::NotEqual => claim != value,
        }
    }
}

/// A rule: if the token's `Claim` matches `Value` by `MatchType`, the user gets `RoleARN`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MappingRule {
    /// The claim name (1..=64, letters, marks, symbols, digits, punctuation).
    pub claim: String,
    /// How to compare.
    pub match_type: MatchType,
    /// The value (1..=128 characters).
    pub value: String,
    /// The role.
    #[serde(rename = "RoleARN")]
    pub role_arn: RoleArn,
}

impl MappingRule {
    fn validate(&self) -> Result<()> {
        let n = self.claim.chars().count();
        if !(1..=64).contains(&n) {
            return Err(length(
                "rulesConfiguration.rules.member.claim",
                Some(&self.claim),
                1,
                64,
                n,
            ));
        }
        // [\p{L}\p{M}\p{S}\p{N}\p{P}]+: no separators (spaces) and no control characters.
        if self
            .claim
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(constraint(
                "rulesConfiguration.rules.member.claim",
                Some(&self.claim),
                "Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
            ));
        }
        let n = self.value.chars().count();
        if !(1..=128).contains(&n) {
            return Err(length(
                "rulesConfiguration.rules.member.value",
                Some(&self.value),
                1,
                128,
                n,
            ));
        }
        Ok(())
    }
}

/// A `RoleMapping`: decide the role from the token's role claims, or from rules.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RoleMappingWire", into = "RoleMappingWire")]
pub enum RoleMapping {
    /// `Type: Token`: `cognito:preferred_role`, else the only `cognito:roles` entry.
    Token {
        /// When the token names no single role.
        ambiguous_role_resolution: AmbiguousRoleResolution,
    },
    /// `Type: Rules`: the first matching rule, in order.
    Rules {
        /// When no rule matches.
        ambiguous_role_resolution: AmbiguousRoleResolution,
        /// 1..=25 rules.
        rules: Vec<MappingRule>,
    },
}

impl RoleMapping {
    /// What happens when the mapping decides nothing.
    pub fn ambiguous_role_resolution(&self) -> AmbiguousRoleResolution {
        match self {
            Self::Token {
                ambiguous_role_resolution,
            }
            | Self::Rules {
                ambiguous_role_resolution,
                ..
            } => *ambiguous_role_resolution,
        }
    }

    fn validate(&self) -> Result<()> {
        if let Self::Rules { rules, .. } = self {
            if rules.is_empty() || rules.len() > MAX_RULES {
                return Err(length(
                    "rulesConfiguration.rules",
                    None,
                    1,
                    MAX_RULES,
                    rules.len(),
                ));
            }
            for rule in rules {
                rule.validate()?;
            }
        }
        Ok(())
    }
}

/// `RoleMapping` as it travels: `{Type, AmbiguousRoleResolution, RulesConfiguration{Rules}}`.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RoleMappingWire {
    r#type: RoleMappingType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ambiguous_role_resolution: Option<AmbiguousRoleResolution>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    rules_configuration: Option<RulesConfiguration>,
}

#[derive(Serialize, Deserialize)]
enum RoleMappingType {
    Token,
    Rules,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RulesConfiguration {
    rules: Vec<MappingRule>,
}

impl TryFrom<RoleMappingWire> for RoleMapping {
    type Error = Error;

    fn try_from(w: RoleMappingWire) -> Result<Self> {
        let ambiguous_role_resolution = w.ambiguous_role_resolution.ok_or_else(|| {
            Error::InvalidParameter(
                "AmbiguousRoleResolution must be specified for Token or Rules role mappings."
                    .to_owned(),
            )
        })?;
        let mapping = match w.r#type {
            RoleMappingType::Token => Self::Token {
                ambiguous_role_resolution,
            },
            RoleMappingType::Rules => Self::Rules {
                ambiguous_role_resolution,
                rules: w
                    .rules_configuration
                    .ok_or_else(|| {
                        Error::InvalidParameter(
                            "RulesConfiguration must be specified for Rules role mappings."
                                .to_owned(),
                        )
                    })?
                    .rules,
            },
        };
        mapping.validate()?;
        Ok(mapping)
    }
}

impl From<RoleMapping> for RoleMappingWire {
    fn from(m: RoleMapping) -> Self {
        match m {
            RoleMapping::Token {
                ambiguous_role_resolution,
            } => Self {
                r#type: RoleMappingType::Token,
                ambiguous_role_resolution: Some(ambiguous_role_resolution),
                rules_configuration: None,
            },
            RoleMapping::Rules {
                ambiguous_role_resolution,
                rules,
            } => Self {
                r#type: RoleMappingType::Rules,
                ambiguous_role_resolution: Some(ambiguous_role_resolution),
                rules_configuration: Some(RulesConfiguration { rules }),
            },
        }
    }
}

/// `RoleMappings`: provider key (`graph.facebook.com`,
/// `cognito-idp.<region>.amazonaws.com/<poolId>:<clientId>`, an OIDC provider name…) →
/// mapping, at most 10.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RoleMappings(BTreeMap<String, RoleMapping>);

impl RoleMappings {
    /// Mappings from pairs.
    ///
    /// # Errors
    /// `InvalidParameter` for more than 10 mappings, a key outside 1..=128 characters, or a
    /// mapping that breaks its own rules.
    pub fn new(mappings: impl IntoIterator<Item = (String, RoleMapping)>) -> Result<Self> {
        let mut map = BTreeMap::new();
        for (key, mapping) in mappings {
            if map.len() == MAX_ROLE_MAPPINGS {
                return Err(length(
                    "roleMappings",
                    None,
                    0,
                    MAX_ROLE_MAPPINGS,
                    MAX_ROLE_MAPPINGS + 1,
                ));
            }
            mapping.validate()?;
            map.insert(key, mapping);
        }
        let mappings = Self(map);
        mappings.check_shape()?;
        Ok(mappings)
    }

    fn check_shape(&self) -> Result<()> {
        if self.0.len() > MAX_ROLE_MAPPINGS {
            return Err(length(
                "roleMappings",
                None,
                0,
                MAX_ROLE_MAPPINGS,
                self.0.len(),
            ));
        }
        for (key, mapping) in &self.0 {
            if !(1..=128).contains(&key.len()) {
                return Err(length("roleMappings", Some(key), 1, 128, key.len()));
            }
            mapping.validate()?;
        }
        Ok(())
    }

    /// SetIdentityPoolRoles' check: every key names one of the pool's providers — a user pool
    /// with one of its configured clients (`<provider>:<clientId>`) or alone, a social, OIDC
    /// or SAML provider.
    ///
    /// # Errors
    /// `InvalidParameter`: `<key> is not a valid RoleMapping ProviderName or is not a
    /// configured provider.`
    pub fn validate_for(&self, pool: &IdentityPool, settings: &Settings) -> Result<()> {
        self.check_shape()?;
        let checker = LoginChecker::new(pool, settings);
        for key in self.0.keys() {
            let whole = matches!(
                checker.classify(key),
                Ok(Provider::UserPool(_)
                    | Provider::Social { .. }
                    | Provider::Oidc(_)
                    | Provider::Saml(_))
            );
            let with_client = key.rsplit_once(':').is_some_and(|(name, client)| {
                matches!(checker.classify(name), Ok(Provider::UserPool(_)))
                    && pool.user_pool_clients(name).any(|c| c == client)
            });
            if !whole && !with_client {
                return Err(Error::InvalidParameter(format!(
                    "{key} is not a valid RoleMapping ProviderName or is not a configured provider."
                )));
            }
        }
        Ok(())
    }

    /// The mapping for a key.
    pub fn get(&self, key: &str) -> Option<&RoleMapping> {
        self.0.get(key)
    }

    /// The mappings in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &RoleMapping)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// No mappings.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests;
