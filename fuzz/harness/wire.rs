//! Fuzz harness for the JSON 1.1 request decoding of every operation (`userpool::wire::decode`
//! into each operation's request type, user pools and identity pools), shared by the
//! `wire_decode` target and the `userpool` corpus replay.
//!
//! The first byte picks the operation (the table below is the adapter's action table), the rest
//! is the body. Properties: no panic for any body and type; the error is typed and exact — a
//! body that is not one strict JSON object (duplicated members at any depth, nesting past
//! `MAX_DEPTH`, trailing data, a BOM) is `Syntax`, a strict object of the wrong shape is `Shape`,
//! and nothing else.

use serde::de::DeserializeOwned;
use userpool::wire::{DecodeError, decode};

fn check<T: DeserializeOwned>(body: &[u8]) {
    let blank = body.iter().all(u8::is_ascii_whitespace);
    let strict = blank || jwt_tokens::strict_json::parse_object(body).is_some();
    match decode::<T>(body) {
        Ok(_) | Err(DecodeError::Shape) => {
            assert!(strict, "a body the strict reader refuses decoded")
        }
        Err(DecodeError::Syntax) => assert!(!strict, "a strict object was a syntax error"),
        Err(e) => panic!("an untyped decode error: {e:?}"),
    }
}

/// An action's name and the check of a body against its request type.
type Operation = (&'static str, fn(&[u8]));

/// Every action with its request type, as `userpool-http`'s action tables dispatch them.
pub(crate) const OPERATIONS: &[Operation] = &[
    ("CreateUserPool", check::<userpool::wire::UserPoolRequest>),
    (
        "DescribeUserPool",
        check::<userpool::wire::UserPoolIdRequest>,
    ),
    ("UpdateUserPool", check::<userpool::wire::UserPoolRequest>),
    ("DeleteUserPool", check::<userpool::wire::UserPoolIdRequest>),
    ("ListUserPools", check::<userpool::wire::ListRequest>),
    (
        "CreateUserPoolClient",
        check::<userpool::wire::UserPoolClientRequest>,
    ),
    (
        "DescribeUserPoolClient",
        check::<userpool::wire::UserPoolClientIdRequest>,
    ),
    (
        "UpdateUserPoolClient",
        check::<userpool::wire::UserPoolClientRequest>,
    ),
    (
        "DeleteUserPoolClient",
        check::<userpool::wire::UserPoolClientIdRequest>,
    ),
    ("ListUserPoolClients", check::<userpool::wire::ListRequest>),
    ("SetUserPoolMfaConfig", check::<userpool::UserPoolMfaConfig>),
    (
        "GetUserPoolMfaConfig",
        check::<userpool::wire::UserPoolIdRequest>,
    ),
    ("GetCSVHeader", check::<userpool::wire::UserPoolIdRequest>),
    (
        "CreateUserPoolDomain",
        check::<userpool::wire::UserPoolDomainRequest>,
    ),
    (
        "DescribeUserPoolDomain",
        check::<userpool::wire::DescribeUserPoolDomainRequest>,
    ),
    (
        "UpdateUserPoolDomain",
        check::<userpool::wire::UserPoolDomainRequest>,
    ),
    (
        "DeleteUserPoolDomain",
        check::<userpool::wire::UserPoolDomainRequest>,
    ),
    (
        "SetUICustomization",
        check::<userpool::wire::SetUiCustomizationRequest>,
    ),
    (
        "GetUICustomization",
        check::<userpool::wire::GetUiCustomizationRequest>,
    ),
    (
        "CreateResourceServer",
        check::<userpool::wire::ResourceServerRequest>,
    ),
    (
        "DescribeResourceServer",
        check::<userpool::wire::ResourceServerRequest>,
    ),
    (
        "UpdateResourceServer",
        check::<userpool::wire::ResourceServerRequest>,
    ),
    (
        "DeleteResourceServer",
        check::<userpool::wire::ResourceServerRequest>,
    ),
    ("ListResourceServers", check::<userpool::wire::ListRequest>),
    (
        "CreateUserImportJob",
        check::<userpool::wire::UserImportJobRequest>,
    ),
    (
        "StartUserImportJob",
        check::<userpool::wire::UserImportJobRequest>,
    ),
    (
        "DescribeUserImportJob",
        check::<userpool::wire::UserImportJobRequest>,
    ),
    (
        "ListUserImportJobs",
        check::<userpool::wire::ListUserImportJobsRequest>,
    ),
    (
        "StopUserImportJob",
        check::<userpool::wire::UserImportJobRequest>,
    ),
    (
        "ListUserImportJobErrors",
        check::<userpool::wire::UserImportJobRequest>,
    ),
    ("SignUp", check::<userpool::wire::SignUpRequest>),
    (
        "ConfirmSignUp",
        check::<userpool::wire::ConfirmSignUpRequest>,
    ),
    (
        "ResendConfirmationCode",
        check::<userpool::wire::ClientUserRequest>,
    ),
    ("InitiateAuth", check::<userpool::wire::InitiateAuthRequest>),
    (
        "RespondToAuthChallenge",
        check::<userpool::wire::RespondToAuthChallengeRequest>,
    ),
    (
        "GetTokensFromRefreshToken",
        check::<userpool::wire::GetTokensFromRefreshTokenRequest>,
    ),
    ("RevokeToken", check::<userpool::wire::RevokeTokenRequest>),
    ("GlobalSignOut", check::<userpool::wire::AccessTokenRequest>),
    ("ForgotPassword", check::<userpool::wire::ClientUserRequest>),
    (
        "ConfirmForgotPassword",
        check::<userpool::wire::ConfirmForgotPasswordRequest>,
    ),
    (
        "ChangePassword",
        check::<userpool::wire::ChangePasswordRequest>,
    ),
    ("GetUser", check::<userpool::wire::AccessTokenRequest>),
    (
        "UpdateUserAttributes",
        check::<userpool::wire::UpdateUserAttributesRequest>,
    ),
    (
        "DeleteUserAttributes",
        check::<userpool::wire::DeleteUserAttributesRequest>,
    ),
    (
        "GetUserAttributeVerificationCode",
        check::<userpool::wire::GetUserAttributeVerificationCodeRequest>,
    ),
    (
        "VerifyUserAttribute",
        check::<userpool::wire::VerifyUserAttributeRequest>,
    ),
    ("DeleteUser", check::<userpool::wire::AccessTokenRequest>),
    (
        "StartWebAuthnRegistration",
        check::<userpool::wire::AccessTokenRequest>,
    ),
    (
        "CompleteWebAuthnRegistration",
        check::<userpool::wire::CompleteWebAuthnRegistrationRequest>,
    ),
    (
        "ListWebAuthnCredentials",
        check::<userpool::wire::ListWebAuthnCredentialsRequest>,
    ),
    (
        "DeleteWebAuthnCredential",
        check::<userpool::wire::DeleteWebAuthnCredentialRequest>,
    ),
    (
        "GetUserAuthFactors",
        check::<userpool::wire::AccessTokenRequest>,
    ),
    (
        "AssociateSoftwareToken",
        check::<userpool::wire::AssociateSoftwareTokenRequest>,
    ),
    (
        "VerifySoftwareToken",
        check::<userpool::wire::VerifySoftwareTokenRequest>,
    ),
    (
        "SetUserMFAPreference",
        check::<userpool::wire::SetUserMfaPreferenceRequest>,
    ),
    (
        "ConfirmDevice",
        check::<userpool::wire::ConfirmDeviceRequest>,
    ),
    ("GetDevice", check::<userpool::wire::DeviceRequest>),
    ("ListDevices", check::<userpool::wire::ListDevicesRequest>),
    ("UpdateDeviceStatus", check::<userpool::wire::DeviceRequest>),
    ("ForgetDevice", check::<userpool::wire::DeviceRequest>),
    (
        "AdminCreateUser",
        check::<userpool::wire::AdminCreateUserRequest>,
    ),
    (
        "AdminConfirmSignUp",
        check::<userpool::wire::AdminUserRequest>,
    ),
    (
        "AdminInitiateAuth",
        check::<userpool::wire::InitiateAuthRequest>,
    ),
    (
        "AdminRespondToAuthChallenge",
        check::<userpool::wire::RespondToAuthChallengeRequest>,
    ),
    ("AdminGetUser", check::<userpool::wire::AdminUserRequest>),
    (
        "AdminUpdateUserAttributes",
        check::<userpool::wire::AdminUpdateUserAttributesRequest>,
    ),
    (
        "AdminDeleteUserAttributes",
        check::<userpool::wire::AdminDeleteUserAttributesRequest>,
    ),
    ("AdminDeleteUser", check::<userpool::wire::AdminUserRequest>),
    (
        "AdminDisableUser",
        check::<userpool::wire::AdminUserRequest>,
    ),
    ("AdminEnableUser", check::<userpool::wire::AdminUserRequest>),
    (
        "AdminSetUserPassword",
        check::<userpool::wire::AdminSetUserPasswordRequest>,
    ),
    (
        "AdminResetUserPassword",
        check::<userpool::wire::AdminUserRequest>,
    ),
    (
        "AdminUserGlobalSignOut",
        check::<userpool::wire::AdminUserRequest>,
    ),
    (
        "AdminSetUserMFAPreference",
        check::<userpool::wire::SetUserMfaPreferenceRequest>,
    ),
    ("AdminGetDevice", check::<userpool::wire::DeviceRequest>),
    (
        "AdminListDevices",
        check::<userpool::wire::ListDevicesRequest>,
    ),
    (
        "AdminUpdateDeviceStatus",
        check::<userpool::wire::DeviceRequest>,
    ),
    ("AdminForgetDevice", check::<userpool::wire::DeviceRequest>),
    ("ListUsers", check::<userpool::wire::ListUsersRequest>),
    ("CreateGroup", check::<userpool::wire::GroupRequest>),
    ("GetGroup", check::<userpool::wire::GroupRequest>),
    ("UpdateGroup", check::<userpool::wire::GroupRequest>),
    ("DeleteGroup", check::<userpool::wire::GroupRequest>),
    ("ListGroups", check::<userpool::wire::ListRequest>),
    (
        "AdminAddUserToGroup",
        check::<userpool::wire::GroupMemberRequest>,
    ),
    (
        "AdminRemoveUserFromGroup",
        check::<userpool::wire::GroupMemberRequest>,
    ),
    (
        "AdminListGroupsForUser",
        check::<userpool::wire::ListRequest>,
    ),
    ("ListUsersInGroup", check::<userpool::wire::ListRequest>),
    (
        "SetRiskConfiguration",
        check::<userpool::wire::SetRiskConfigurationRequest>,
    ),
    (
        "DescribeRiskConfiguration",
        check::<userpool::wire::DescribeRiskConfigurationRequest>,
    ),
    (
        "AdminListUserAuthEvents",
        check::<userpool::wire::AdminListUserAuthEventsRequest>,
    ),
    (
        "AdminUpdateAuthEventFeedback",
        check::<userpool::wire::AuthEventFeedbackRequest>,
    ),
    (
        "CreateIdentityProvider",
        check::<userpool::wire::IdentityProviderRequest>,
    ),
    (
        "DescribeIdentityProvider",
        check::<userpool::wire::IdentityProviderRequest>,
    ),
    (
        "UpdateIdentityProvider",
        check::<userpool::wire::IdentityProviderRequest>,
    ),
    (
        "DeleteIdentityProvider",
        check::<userpool::wire::IdentityProviderRequest>,
    ),
    (
        "ListIdentityProviders",
        check::<userpool::wire::ListIdentityProvidersRequest>,
    ),
    (
        "GetIdentityProviderByIdentifier",
        check::<userpool::wire::GetIdentityProviderByIdentifierRequest>,
    ),
    (
        "AdminLinkProviderForUser",
        check::<userpool::wire::AdminLinkProviderForUserRequest>,
    ),
    (
        "AdminDisableProviderForUser",
        check::<userpool::wire::AdminDisableProviderForUserRequest>,
    ),
    (
        "CreateIdentityPool",
        check::<userpool::identity::wire::IdentityPoolRequest>,
    ),
    (
        "DescribeIdentityPool",
        check::<userpool::identity::wire::IdentityPoolIdRequest>,
    ),
    (
        "UpdateIdentityPool",
        check::<userpool::identity::wire::IdentityPoolRequest>,
    ),
    (
        "DeleteIdentityPool",
        check::<userpool::identity::wire::IdentityPoolIdRequest>,
    ),
    (
        "ListIdentityPools",
        check::<userpool::identity::wire::ListIdentityPoolsRequest>,
    ),
    (
        "SetIdentityPoolRoles",
        check::<userpool::identity::wire::SetIdentityPoolRolesRequest>,
    ),
    (
        "GetIdentityPoolRoles",
        check::<userpool::identity::wire::IdentityPoolIdRequest>,
    ),
    ("GetId", check::<userpool::identity::wire::GetIdRequest>),
    (
        "GetOpenIdToken",
        check::<userpool::identity::wire::GetOpenIdTokenRequest>,
    ),
    (
        "GetCredentialsForIdentity",
        check::<userpool::identity::wire::GetCredentialsForIdentityRequest>,
    ),
    (
        "UnlinkIdentity",
        check::<userpool::identity::wire::UnlinkIdentityRequest>,
    ),
    (
        "GetOpenIdTokenForDeveloperIdentity",
        check::<userpool::identity::wire::GetOpenIdTokenForDeveloperIdentityRequest>,
    ),
    (
        "LookupDeveloperIdentity",
        check::<userpool::identity::wire::LookupDeveloperIdentityRequest>,
    ),
    (
        "UnlinkDeveloperIdentity",
        check::<userpool::identity::wire::UnlinkDeveloperIdentityRequest>,
    ),
    (
        "DescribeIdentity",
        check::<userpool::identity::wire::IdentityIdRequest>,
    ),
    (
        "ListIdentities",
        check::<userpool::identity::wire::ListIdentitiesRequest>,
    ),
    (
        "DeleteIdentities",
        check::<userpool::identity::wire::DeleteIdentitiesRequest>,
    ),
];

/// One body for one operation.
pub(crate) fn decode_request(data: &[u8]) {
    let Some((&which, body)) = data.split_first() else {
        return;
    };
    if let Some((_, check)) = OPERATIONS.get(usize::from(which) % OPERATIONS.len()) {
        check(body);
    }
}

/// Member names of Cognito's requests that the structured generator prefers as keys.
const MEMBERS: &[&str] = &[
    "UserPoolId",
    "ClientId",
    "ClientSecret",
    "SecretHash",
    "Username",
    "Password",
    "AuthFlow",
    "AuthParameters",
    "ChallengeName",
    "ChallengeResponses",
    "Session",
    "UserAttributes",
    "Name",
    "Value",
    "AccessToken",
    "RefreshToken",
    "Token",
    "MaxResults",
    "NextToken",
    "PaginationToken",
    "Limit",
    "Filter",
    "AttributesToGet",
    "GroupName",
    "Description",
    "Precedence",
    "RoleArn",
    "PoolName",
    "Policies",
    "PasswordPolicy",
    "MinimumLength",
    "Schema",
    "AttributeDataType",
    "Mutable",
    "Required",
    "LambdaConfig",
    "ExplicitAuthFlows",
    "AllowedOAuthFlows",
    "AllowedOAuthScopes",
    "CallbackURLs",
    "TokenValidityUnits",
    "AccessTokenValidity",
    "RefreshTokenValidity",
    "Enabled",
    "DeviceKey",
    "ConfirmationCode",
    "ClientMetadata",
    "MessageAction",
    "DesiredDeliveryMediums",
    "TemporaryPassword",
    "Permanent",
    "JobName",
    "JobId",
    "IdentityPoolId",
    "Logins",
    "IdentityId",
    "Domain",
    "ProviderName",
    "ProviderType",
    "ProviderDetails",
    "AttributeMapping",
    "MfaConfiguration",
    "SoftwareTokenMfaSettings",
    "UserContextData",
    "AnalyticsMetadata",
    "EncodedData",
    "IpAddress",
    "ResourceArn",
    "Tags",
    "UserPoolAddOns",
    "AdvancedSecurityMode",
    "ChallengeResponsesHidden",
];

/// Strings the structured generator prefers as values.
const VALUES: &[&str] = &[
    "",
    "USER_SRP_AUTH",
    "USER_PASSWORD_AUTH",
    "REFRESH_TOKEN_AUTH",
    "CUSTOM_AUTH",
    "ADMIN_USER_PASSWORD_AUTH",
    "USER_AUTH",
    "PASSWORD_VERIFIER",
    "SMS_MFA",
    "SOFTWARE_TOKEN_MFA",
    "NEW_PASSWORD_REQUIRED",
    "EMAIL",
    "SMS",
    "SUPPRESS",
    "RESEND",
    "us-east-1_AbCdEf123",
    "1example23456789abcdefghij",
    "alice",
    "Corr3ct-Horse!",
    "String",
    "Number",
    "Boolean",
    "DateTime",
    "ON",
    "OFF",
    "OPTIONAL",
    "true",
    "0",
];

/// Writes one JSON value drawn from `u` (depth up to 24: past `MAX_DEPTH` on purpose).
fn json_value(u: &mut arbitrary::Unstructured<'_>, depth: u32, out: &mut String) {
    let pick = |u: &mut arbitrary::Unstructured<'_>, list: &[&str]| -> String {
        match u.arbitrary::<bool>() {
            Ok(true) => u.choose(list).map(|s| (*s).to_owned()).unwrap_or_default(),
            _ => u.arbitrary::<String>().unwrap_or_default(),
        }
    };
    let kinds = if depth >= 24 { 4 } else { 6 };
    match u.int_in_range(0..=kinds).unwrap_or(0) {
        0 => out.push_str("null"),
        1 => out.push_str(if u.arbitrary().unwrap_or(false) {
            "true"
        } else {
            "false"
        }),
        2 => out.push_str(&u.arbitrary::<i64>().unwrap_or(0).to_string()),
        3 => out.push_str(&format!("{:?}", u.arbitrary::<f64>().unwrap_or(0.5))),
        4 => out.push_str(&serde_json::to_string(&pick(u, VALUES)).unwrap_or_default()),
        5 => {
            out.push('[');
            for i in 0..u.int_in_range(0..=4u8).unwrap_or(0) {
                if i > 0 {
                    out.push(',');
                }
                json_value(u, depth + 1, out);
            }
            out.push(']');
        }
        _ => json_object(u, depth + 1, out),
    }
}

fn json_object(u: &mut arbitrary::Unstructured<'_>, depth: u32, out: &mut String) {
    out.push('{');
    for i in 0..u.int_in_range(0..=6u8).unwrap_or(0) {
        if i > 0 {
            out.push(',');
        }
        let key = match u.int_in_range(0..=3u8).unwrap_or(0) {
            0 => u.arbitrary::<String>().unwrap_or_default(),
            _ => u
                .choose(MEMBERS)
                .map(|s| (*s).to_owned())
                .unwrap_or_default(),
        };
        out.push_str(&serde_json::to_string(&key).unwrap_or_default());
        out.push(':');
        json_value(u, depth, out);
    }
    out.push('}');
}

/// The structure-aware variant of [`decode_request`] (target `wire_structured`): the first
/// byte picks the operation, the rest drives a generator of JSON objects whose keys are mostly
/// Cognito's member names and whose values are mostly its enum strings, so the decoders' type
/// and shape checks are reached far more often than by raw bytes. Same properties.
pub(crate) fn decode_structured(data: &[u8]) {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let mut u = arbitrary::Unstructured::new(rest);
    let mut body = String::new();
    json_object(&mut u, 0, &mut body);
    if let Some((_, check)) = OPERATIONS.get(usize::from(which) % OPERATIONS.len()) {
        check(body.as_bytes());
    }
}
