//! The social providers' well-known endpoints, as Cognito fills them into `ProviderDetails`
//! (DescribeIdentityProvider shows them); every one may be overridden in the details.

use crate::provider::ProviderType;

/// Facebook Graph API version used when `api_version` is not given. (?) Cognito's default
/// moves with Facebook's releases; this is the version current when this was written.
pub const DEFAULT_FACEBOOK_API_VERSION: &str = "v17.0";

/// The details Cognito adds for a social provider: `(key, value)` pairs
/// (`authorize_url`, `token_url`, `attributes_url`, `attributes_url_add_attributes`,
/// `oidc_issuer`, `token_request_method`). Empty for OIDC providers.
pub fn preset(
    provider_type: ProviderType,
    api_version: Option<&str>,
) -> Vec<(&'static str, String)> {
    let owned = |pairs: &[(&'static str, &str)]| -> Vec<(&'static str, String)> {
        pairs.iter().map(|(k, v)| (*k, (*v).to_owned())).collect()
    };
    match provider_type {
        ProviderType::Google => owned(&[
            (
                "authorize_url",
                "https://accounts.google.com/o/oauth2/v2/auth",
            ),
            ("token_url", "https://www.googleapis.com/oauth2/v4/token"),
            (
                "attributes_url",
                "https://people.googleapis.com/v1/people/me?personFields=",
            ),
            ("attributes_url_add_attributes", "true"),
            ("oidc_issuer", "https://accounts.google.com"),
            ("token_request_method", "POST"),
        ]),
        ProviderType::Facebook => {
            let v = api_version.unwrap_or(DEFAULT_FACEBOOK_API_VERSION);
            vec![
                (
                    "authorize_url",
                    format!("https://www.facebook.com/{v}/dialog/oauth"),
                ),
                (
                    "token_url",
                    format!("https://graph.facebook.com/{v}/oauth/access_token"),
                ),
                (
                    "attributes_url",
                    format!("https://graph.facebook.com/{v}/me?fields="),
                ),
                ("attributes_url_add_attributes", "true".to_owned()),
                ("token_request_method", "GET".to_owned()),
            ]
        }
        ProviderType::LoginWithAmazon => owned(&[
            ("authorize_url", "https://www.amazon.com/ap/oa"),
            ("token_url", "https://api.amazon.com/auth/o2/token"),
            ("attributes_url", "https://api.amazon.com/user/profile"),
            ("attributes_url_add_attributes", "false"),
            ("token_request_method", "POST"),
        ]),
        ProviderType::SignInWithApple => owned(&[
            ("authorize_url", "https://appleid.apple.com/auth/authorize"),
            ("token_url", "https://appleid.apple.com/auth/token"),
            ("oidc_issuer", "https://appleid.apple.com"),
            ("token_request_method", "POST"),
        ]),
        ProviderType::Oidc | ProviderType::Saml => Vec::new(),
    }
}

/// The key set of a social provider that signs ID tokens (not a Cognito detail key; the
/// `jwks_uri` detail overrides it).
pub fn default_jwks_uri(provider_type: ProviderType) -> Option<&'static str> {
    match provider_type {
        ProviderType::Google => Some("https://www.googleapis.com/oauth2/v3/certs"),
        ProviderType::SignInWithApple => Some("https://appleid.apple.com/auth/keys"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facebook_endpoints_carry_the_api_version() {
        let p = preset(ProviderType::Facebook, Some("v19.0"));
        assert!(p.contains(&(
            "token_url",
            "https://graph.facebook.com/v19.0/oauth/access_token".to_owned()
        )));
        assert!(preset(ProviderType::Oidc, None).is_empty());
        assert_eq!(
            default_jwks_uri(ProviderType::Google),
            Some("https://www.googleapis.com/oauth2/v3/certs")
        );
    }
}
