//! Role resolution for GetCredentialsForIdentity: which role an identity's credentials are for.

use serde_json::Value;

use crate::arn::RoleArn;
use crate::claims::{ClaimsMap, string_list};
use crate::error::{Error, Result};
use crate::login::{Login, Principal};
use crate::roles::{
    AmbiguousRoleResolution, IdentityPoolRoles, MappingRule, MatchType, RoleMapping, RoleMappings,
};

/// The role for `principal`, as Cognito decides it (Developer Guide, "Role-based access
/// control"):
///
/// * A guest gets the `unauthenticated` role.
/// * A login with a role mapping (see [`mapped_login`] for which login when there are
///   several) gets what the mapping decides: `Token` — `CustomRoleArn` if it is one of
///   `cognito:roles` (else refused), then `cognito:preferred_role`, then the only
///   `cognito:roles` entry; `Rules` — `CustomRoleArn` if it is the role of a matching rule
///   (else refused), then the first matching rule. When the mapping decides nothing, its
///   `AmbiguousRoleResolution` applies: the default `authenticated` role, or `Deny`.
/// * Any other login gets the `authenticated` role.
///
/// Outside a mapping, a `CustomRoleArn` must be the role that would be chosen anyway.
///
/// # Errors
/// [`Error::NoRoleConfigured`] when the role to use is not set;
/// [`Error::AmbiguousRoleDenied`]; [`Error::CustomRoleRefused`]; [`Error::InvalidClaim`] for
/// role claims that are not role ARNs.
pub fn resolve_role(
    roles: &IdentityPoolRoles,
    mappings: &RoleMappings,
    principal: &Principal,
    custom_role_arn: Option<&RoleArn>,
) -> Result<RoleArn> {
    if !principal.is_authenticated() {
        let role = roles
            .unauthenticated
            .clone()
            .ok_or(Error::NoRoleConfigured)?;
        return only_if_chosen(role, custom_role_arn);
    }
    let Some((login, mapping)) = mapped_login(principal.logins(), mappings) else {
        let role = roles.authenticated.clone().ok_or(Error::NoRoleConfigured)?;
        return only_if_chosen(role, custom_role_arn);
    };
    let decided = match mapping {
        RoleMapping::Token { .. } => from_token(login.claims(), custom_role_arn)?,
        RoleMapping::Rules { rules, .. } => from_rules(rules, login.claims(), custom_role_arn)?,
    };
    if let Some(role) = decided {
        return Ok(role);
    }
    match mapping.ambiguous_role_resolution() {
        AmbiguousRoleResolution::AuthenticatedRole => {
            let role = roles.authenticated.clone().ok_or(Error::NoRoleConfigured)?;
            only_if_chosen(role, custom_role_arn)
        }
        AmbiguousRoleResolution::Deny => Err(Error::AmbiguousRoleDenied {
            provider: login.provider().name().to_owned(),
        }),
    }
}

/// Which login's mapping decides when several logins are presented. Cognito does not document
/// it; we take the first login, in provider-name order, that has a mapping (its most specific
/// key first: `<userpool>:<clientId>` before `<userpool>`). Deterministic, and a login
/// without a mapping never hides one that has it.
pub fn mapped_login<'a>(
    logins: &'a [Login],
    mappings: &'a RoleMappings,
) -> Option<(&'a Login, &'a RoleMapping)> {
    logins.iter().find_map(|login| {
        login
            .role_mapping_keys()
            .iter()
            .find_map(|key| mappings.get(key))
            .map(|mapping| (login, mapping))
    })
}

/// The first rule that matches `claims`, in order.
pub fn first_matching_rule<'a>(
    rules: &'a [MappingRule],
    claims: &ClaimsMap,
) -> Option<&'a MappingRule> {
    rules.iter().find(|rule| rule_matches(rule, claims))
}

/// Whether a rule matches: a missing (or `null`, or object) claim never matches — not even
/// `NotEqual` ("If the match type is NotEqual and the claim doesn't exist, the rule is not
/// evaluated"). Strings compare as they are, numbers and booleans as their JSON text. For an
/// array claim (`cognito:groups`) a rule matches if any element does, and `NotEqual` if no
/// element equals the value.
pub fn rule_matches(rule: &MappingRule, claims: &ClaimsMap) -> bool {
    let Some(value) = claims.get(&rule.claim) else {
        return false;
    };
    match value {
        Value::Array(items) => {
            let mut texts = items.iter().filter_map(scalar_text);
            match rule.match_type {
                MatchType::NotEqual => !texts.any(|t| t == rule.value),
                m => texts.any(|t| m.test(&t, &rule.value)),
            }
        }
        other => scalar_text(other).is_some_and(|t| rule.match_type.test(&t, &rule.value)),
    }
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(_) | Value::Bool(_) => Some(v.to_string()),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

/// `Type: Token`.
fn from_token(claims: &ClaimsMap, custom: Option<&RoleArn>) -> Result<Option<RoleArn>> {
    let roles = string_list(claims, "cognito:roles")?
        .iter()
        .map(|r| RoleArn::parse(r).map_err(|_| Error::InvalidClaim("cognito:roles")))
        .collect::<Result<Vec<_>>>()?;
    let preferred = match claims.get("cognito:preferred_role") {
        None => None,
        Some(Value::String(s)) => {
            Some(RoleArn::parse(s).map_err(|_| Error::InvalidClaim("cognito:preferred_role"))?)
        }
        Some(_) => return Err(Error::InvalidClaim("cognito:preferred_role")),
    };
    if let Some(custom) = custom {
        return if roles.contains(custom) || preferred.as_ref() == Some(custom) {
            Ok(Some(custom.clone()))
        } else {
            Err(Error::CustomRoleRefused(custom.as_str().to_owned()))
        };
    }
    if let Some(preferred) = preferred {
        return Ok(Some(preferred));
    }
    match roles.as_slice() {
        [only] => Ok(Some(only.clone())),
        _ => Ok(None),
    }
}

/// `Type: Rules`.
fn from_rules(
    rules: &[MappingRule],
    claims: &ClaimsMap,
    custom: Option<&RoleArn>,
) -> Result<Option<RoleArn>> {
    match custom {
        Some(custom) => {
            let mut matching = rules.iter().filter(|r| rule_matches(r, claims)).peekable();
            if matching.peek().is_none() {
                // Nothing matches: the ambiguous resolution decides, and checks `custom`.
                return Ok(None);
            }
            if matching.any(|r| &r.role_arn == custom) {
                Ok(Some(custom.clone()))
            } else {
                Err(Error::CustomRoleRefused(custom.as_str().to_owned()))
            }
        }
        None => Ok(first_matching_rule(rules, claims).map(|r| r.role_arn.clone())),
    }
}

fn only_if_chosen(role: RoleArn, custom: Option<&RoleArn>) -> Result<RoleArn> {
    match custom {
        Some(c) if *c != role => Err(Error::CustomRoleRefused(c.as_str().to_owned())),
        _ => Ok(role),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn rule(claim: &str, match_type: MatchType, value: &str, role: &str) -> MappingRule {
        MappingRule {
            claim: claim.into(),
            match_type,
            value: value.into(),
            role_arn: RoleArn::parse(&format!("arn:aws:iam::123456789012:role/{role}")).unwrap(),
        }
    }

    fn claims(v: Value) -> ClaimsMap {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn match_types_on_strings() {
        let c = claims(json!({"dept": "Sales-EU"}));
        assert!(rule_matches(
            &rule("dept", MatchType::Equals, "Sales-EU", "r"),
            &c
        ));
        assert!(!rule_matches(
            &rule("dept", MatchType::Equals, "Sales", "r"),
            &c
        ));
        assert!(rule_matches(
            &rule("dept", MatchType::Contains, "s-E", "r"),
            &c
        ));
        assert!(rule_matches(
            &rule("dept", MatchType::StartsWith, "Sales", "r"),
            &c
        ));
        assert!(!rule_matches(
            &rule("dept", MatchType::StartsWith, "EU", "r"),
            &c
        ));
        assert!(rule_matches(
            &rule("dept", MatchType::NotEqual, "HR", "r"),
            &c
        ));
        assert!(!rule_matches(
            &rule("dept", MatchType::NotEqual, "Sales-EU", "r"),
            &c
        ));
        assert!(
            !rule_matches(&rule("dept", MatchType::Equals, "sales-eu", "r"), &c),
            "case-sensitive"
        );
    }

    #[test]
    fn missing_claims_never_match_not_even_not_equal() {
        let c = claims(json!({"n": null, "o": {"a": 1}}));
        for claim in ["absent", "n", "o"] {
            assert!(
                !rule_matches(&rule(claim, MatchType::NotEqual, "x", "r"), &c),
                "{claim}"
            );
        }
    }

    #[test]
    fn scalars_and_arrays() {
        let c = claims(json!({"paid": true, "level": 3, "cognito:groups": ["admins", "users"]}));
        assert!(rule_matches(
            &rule("paid", MatchType::Equals, "true", "r"),
            &c
        ));
        assert!(rule_matches(
            &rule("level", MatchType::Equals, "3", "r"),
            &c
        ));
        assert!(rule_matches(
            &rule("cognito:groups", MatchType::Equals, "admins", "r"),
            &c
        ));
        assert!(rule_matches(
            &rule("cognito:groups", MatchType::StartsWith, "us", "r"),
            &c
        ));
        assert!(!rule_matches(
            &rule("cognito:groups", MatchType::NotEqual, "users", "r"),
            &c
        ));
        assert!(rule_matches(
            &rule("cognito:groups", MatchType::NotEqual, "guests", "r"),
            &c
        ));
    }

    #[test]
    fn first_match_wins() {
        let rules = [
            rule("dept", MatchType::Equals, "HR", "A"),
            rule("dept", MatchType::StartsWith, "Sa", "B"),
            rule("dept", MatchType::Contains, "les", "C"),
        ];
        let c = claims(json!({"dept": "Sales"}));
        assert_eq!(
            first_matching_rule(&rules, &c).unwrap().role_arn.as_str(),
            "arn:aws:iam::123456789012:role/B"
        );
        assert!(first_matching_rule(&rules, &claims(json!({"dept": "IT"}))).is_none());
    }

    #[test]
    fn token_role_claims() {
        let a = RoleArn::parse("arn:aws:iam::123456789012:role/A").unwrap();
        let b = RoleArn::parse("arn:aws:iam::123456789012:role/B").unwrap();
        let two = claims(json!({"cognito:roles": [a.as_str(), b.as_str()]}));
        assert_eq!(from_token(&two, None), Ok(None));
        assert_eq!(from_token(&two, Some(&b)), Ok(Some(b.clone())));
        let one = claims(json!({"cognito:roles": a.as_str()}));
        assert_eq!(from_token(&one, None), Ok(Some(a.clone())));
        assert_eq!(
            from_token(&one, Some(&b)),
            Err(Error::CustomRoleRefused(b.as_str().into()))
        );
        let preferred = claims(
            json!({"cognito:roles": [a.as_str(), b.as_str()], "cognito:preferred_role": b.as_str()}),
        );
        assert_eq!(from_token(&preferred, None), Ok(Some(b)));
        assert_eq!(from_token(&claims(json!({})), None), Ok(None));
        assert_eq!(
            from_token(&claims(json!({"cognito:roles": ["admin"]})), None),
            Err(Error::InvalidClaim("cognito:roles"))
        );
        assert_eq!(
            from_token(&claims(json!({"cognito:preferred_role": 1})), None),
            Err(Error::InvalidClaim("cognito:preferred_role"))
        );
    }
}
