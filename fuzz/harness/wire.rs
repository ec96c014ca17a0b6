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
