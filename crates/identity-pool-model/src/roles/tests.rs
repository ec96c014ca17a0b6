use serde_json::json;

use super::*;
use crate::arn::OidcProviderArn;
use crate::ids::IdentityPoolId;
use crate::pool::CognitoIdentityProvider;

const UP: &str = "cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123";

fn pool() -> IdentityPool {
    let mut p = IdentityPool::new(
        IdentityPoolId::parse("us-east-1:4a1c8bd2-3f57-4a3e-9b0b-5d8c1c7e2f10").unwrap(),
        "pool",
        false,
    )
    .unwrap();
    p.cognito_identity_providers.push(CognitoIdentityProvider {
        provider_name: UP.into(),
        client_id: "client1".into(),
        server_side_token_check: false,
    });
    p.supported_login_providers
        .insert("graph.facebook.com".into(), "app".into());
    p.open_id_connect_provider_arns.push(
        OidcProviderArn::parse("arn:aws:iam::123456789012:oidc-provider/localhost:8443/realms/x")
            .unwrap(),
    );
    p.developer_provider_name = Some("login.dev".into());
    p
}

#[test]
fn roles_map() {
    let roles = IdentityPoolRoles::parse([
        ("authenticated", "arn:aws:iam::123456789012:role/A"),
        ("unauthenticated", "arn:aws:iam::123456789012:role/U"),
    ])
    .unwrap();
    assert_eq!(
        serde_json::to_value(&roles).unwrap(),
        json!({"authenticated": "arn:aws:iam::123456789012:role/A", "unauthenticated": "arn:aws:iam::123456789012:role/U"})
    );
    assert_eq!(
        IdentityPoolRoles::parse([("admin", "arn:aws:iam::123456789012:role/A")])
            .unwrap_err()
            .to_string(),
        "1 validation error detected: Value 'admin' at 'roles' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: (un)?authenticated]"
    );
    assert!(IdentityPoolRoles::parse([("authenticated", "A")]).is_err());
    assert!(serde_json::from_value::<IdentityPoolRoles>(json!({"admin": "x"})).is_err());
}

#[test]
fn wire_shape_round_trips() {
    let wire = json!({
        "Type": "Rules",
        "AmbiguousRoleResolution": "Deny",
        "RulesConfiguration": {"Rules": [
            {"Claim": "custom:dept", "MatchType": "StartsWith", "Value": "Sal", "RoleARN": "arn:aws:iam::123456789012:role/S"}
        ]}
    });
    let m: RoleMapping = serde_json::from_value(wire.clone()).unwrap();
    assert_eq!(m.ambiguous_role_resolution(), AmbiguousRoleResolution::Deny);
    assert_eq!(serde_json::to_value(&m).unwrap(), wire);

    let token = json!({"Type": "Token", "AmbiguousRoleResolution": "AuthenticatedRole"});
    let m: RoleMapping = serde_json::from_value(token.clone()).unwrap();
    assert_eq!(
        m,
        RoleMapping::Token {
            ambiguous_role_resolution: AmbiguousRoleResolution::AuthenticatedRole
        }
    );
    assert_eq!(serde_json::to_value(&m).unwrap(), token);
}

#[test]
fn wire_refusals() {
    for bad in [
        json!({"Type": "Token"}),
        json!({"Type": "Rules", "AmbiguousRoleResolution": "Deny"}),
        json!({"Type": "Rules", "AmbiguousRoleResolution": "Deny", "RulesConfiguration": {"Rules": []}}),
        json!({"Type": "Magic", "AmbiguousRoleResolution": "Deny"}),
        json!({"Type": "Token", "AmbiguousRoleResolution": "Maybe"}),
        json!({"Type": "Rules", "AmbiguousRoleResolution": "Deny", "RulesConfiguration": {"Rules": [
            {"Claim": "has space", "MatchType": "Equals", "Value": "v", "RoleARN": "arn:aws:iam::123456789012:role/S"}]}}),
        json!({"Type": "Rules", "AmbiguousRoleResolution": "Deny", "RulesConfiguration": {"Rules": [
            {"Claim": "c", "MatchType": "Equals", "Value": "", "RoleARN": "arn:aws:iam::123456789012:role/S"}]}}),
        json!({"Type": "Rules", "AmbiguousRoleResolution": "Deny", "RulesConfiguration": {"Rules": [
            {"Claim": "c", "MatchType": "Equals", "Value": "v", "RoleARN": "not-an-arn"}]}}),
    ] {
        assert!(
            serde_json::from_value::<RoleMapping>(bad.clone()).is_err(),
            "{bad}"
        );
    }
}

fn rules(n: usize) -> RoleMapping {
    RoleMapping::Rules {
        ambiguous_role_resolution: AmbiguousRoleResolution::Deny,
        rules: (0..n)
            .map(|i| MappingRule {
                claim: "c".into(),
                match_type: MatchType::Equals,
                value: i.to_string(),
                role_arn: RoleArn::parse("arn:aws:iam::123456789012:role/R").unwrap(),
            })
            .collect(),
    }
}

#[test]
fn rule_and_mapping_counts() {
    assert!(RoleMappings::new([("graph.facebook.com".to_owned(), rules(25))]).is_ok());
    assert_eq!(
        RoleMappings::new([("graph.facebook.com".to_owned(), rules(26))])
            .unwrap_err()
            .to_string(),
        "1 validation error detected: Value at 'rulesConfiguration.rules' failed to satisfy constraint: Member must have length less than or equal to 25"
    );
    let token = RoleMapping::Token {
        ambiguous_role_resolution: AmbiguousRoleResolution::Deny,
    };
    assert!(RoleMappings::new((0..10).map(|i| (format!("p{i}"), token.clone()))).is_ok());
    assert!(RoleMappings::new((0..11).map(|i| (format!("p{i}"), token.clone()))).is_err());
    assert!(RoleMappings::new([(String::new(), token)]).is_err());
}

#[test]
fn keys_must_name_configured_providers() {
    let (pool, settings) = (pool(), Settings::new());
    let token = RoleMapping::Token {
        ambiguous_role_resolution: AmbiguousRoleResolution::Deny,
    };
    for ok in [
        format!("{UP}:client1"),
        UP.to_owned(),
        "graph.facebook.com".to_owned(),
        "localhost:8443/realms/x".to_owned(),
    ] {
        let m = RoleMappings::new([(ok.clone(), token.clone())]).unwrap();
        assert_eq!(m.validate_for(&pool, &settings), Ok(()), "{ok}");
    }
    for bad in [
        format!("{UP}:client2"),
        "accounts.google.com".to_owned(),
        "login.dev".to_owned(),
        "cognito-identity.amazonaws.com".to_owned(),
        "localhost:8443/realms/x:client1".to_owned(),
    ] {
        let m = RoleMappings::new([(bad.clone(), token.clone())]).unwrap();
        assert_eq!(
            m.validate_for(&pool, &settings).unwrap_err().to_string(),
            format!(
                "{bad} is not a valid RoleMapping ProviderName or is not a configured provider."
            )
        );
    }
}
