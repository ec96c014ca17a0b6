//! The action table: every facade operation by its `X-Amz-Target` name, whether Cognito signs
//! it with SigV4, its quota category, and the dispatch that decodes the body into the
//! operation's request type and encodes its response.

use std::future::Future;
use std::pin::Pin;

use serde::Serialize;
use serde::de::DeserializeOwned;
use userpool::Service;
use userpool::wire::*;
use userpool::{Error as FacadeError, UserPoolMfaConfig};

use crate::limits::Category;
use crate::protocol::Failure;

/// Decodes `body` as `Req` (strictly: [`userpool::wire::decode`]), runs the operation,
/// encodes its answer.
async fn call<Req, Resp, Fut>(body: &[u8], op: impl FnOnce(Req) -> Fut) -> Result<Vec<u8>, Failure>
where
    Req: DeserializeOwned,
    Resp: Serialize,
    Fut: Future<Output = Result<Resp, FacadeError>>,
{
    let request: Req = decode(body).map_err(|e| Failure::serialization(&e))?;
    let response = op(request).await.map_err(Failure::from)?;
    serde_json::to_vec(&response).map_err(|_| Failure::internal())
}

/// An action's answer, on its way.
pub(crate) type Answer<'a> = Pin<Box<dyn Future<Output = Result<Vec<u8>, Failure>> + Send + 'a>>;

macro_rules! operations {
    ($($name:literal => $component:ident.$method:ident($req:ty), $signed:literal, $category:ident;)*) => {
        /// Every action the adapter serves, by `X-Amz-Target` name.
        pub const OPERATIONS: &[&str] = &[$($name),*];

        /// Whether Cognito signs `action` with SigV4, and its quota category.
        pub(crate) fn describe(action: &str) -> Option<(bool, Category)> {
            match action {
                $($name => Some(($signed, Category::$category)),)*
                _ => None,
            }
        }

        /// Runs `action` on `service` with the JSON `body`.
        ///
        /// Each action's future is boxed where it is made, in a closure of its own: an `async`
        /// match over every action would reserve stack for all of them at once in a debug
        /// build (about 800 KB, enough, under axum's own frames, to overflow a 2 MiB worker
        /// thread), and so would a match that builds each future in its own frame (about
        /// 390 KB). An unoptimized closure is a call, so only the chosen action's future is
        /// ever on the stack.
        pub(crate) fn dispatch<'a>(service: &'a Service, action: &str, body: &'a [u8]) -> Answer<'a> {
            match action {
                $($name => (|service: &'a Service, body: &'a [u8]| -> Answer<'a> {
                    Box::pin(call(body, move |r: $req| service.$component().$method(r)))
                })(service, body),)*
                _ => Box::pin(std::future::ready(Err(Failure::unknown_operation()))),
            }
        }
    };
}

operations! {
    // Pools, clients, resource servers, import jobs (signed).
    "CreateUserPool" => admin.create_user_pool(UserPoolRequest), true, UserPoolResource;
    "DescribeUserPool" => admin.describe_user_pool(UserPoolIdRequest), true, UserPoolResource;
    "UpdateUserPool" => admin.update_user_pool(UserPoolRequest), true, UserPoolResource;
    "DeleteUserPool" => admin.delete_user_pool(UserPoolIdRequest), true, UserPoolResource;
    "ListUserPools" => admin.list_user_pools(ListRequest), true, UserPoolResource;
    "CreateUserPoolClient" => admin.create_user_pool_client(UserPoolClientRequest), true, UserPoolResource;
    "DescribeUserPoolClient" => admin.describe_user_pool_client(UserPoolClientIdRequest), true, UserPoolResource;
    "UpdateUserPoolClient" => admin.update_user_pool_client(UserPoolClientRequest), true, UserPoolResource;
    "DeleteUserPoolClient" => admin.delete_user_pool_client(UserPoolClientIdRequest), true, UserPoolResource;
    "ListUserPoolClients" => admin.list_user_pool_clients(ListRequest), true, UserPoolResource;
    "SetUserPoolMfaConfig" => admin.set_user_pool_mfa_config(UserPoolMfaConfig), true, UserPoolResource;
    "GetUserPoolMfaConfig" => admin.get_user_pool_mfa_config(UserPoolIdRequest), true, UserPoolResource;
    "GetCSVHeader" => admin.get_csv_header(UserPoolIdRequest), true, UserPoolResource;
    "CreateUserPoolDomain" => admin.create_user_pool_domain(UserPoolDomainRequest), true, UserPoolResource;
    "DescribeUserPoolDomain" => admin.describe_user_pool_domain(DescribeUserPoolDomainRequest), true, UserPoolResource;
    "UpdateUserPoolDomain" => admin.update_user_pool_domain(UserPoolDomainRequest), true, UserPoolResource;
    "DeleteUserPoolDomain" => admin.delete_user_pool_domain(UserPoolDomainRequest), true, UserPoolResource;
    "SetUICustomization" => admin.set_ui_customization(SetUiCustomizationRequest), true, UserPoolResource;
    "GetUICustomization" => admin.get_ui_customization(GetUiCustomizationRequest), true, UserPoolResource;
    "CreateResourceServer" => admin.create_resource_server(ResourceServerRequest), true, UserPoolResource;
    "DescribeResourceServer" => admin.describe_resource_server(ResourceServerRequest), true, UserPoolResource;
    "UpdateResourceServer" => admin.update_resource_server(ResourceServerRequest), true, UserPoolResource;
    "DeleteResourceServer" => admin.delete_resource_server(ResourceServerRequest), true, UserPoolResource;
    "ListResourceServers" => admin.list_resource_servers(ListRequest), true, UserPoolResource;
    "CreateUserImportJob" => admin.create_user_import_job(UserImportJobRequest), true, UserPoolResource;
    "StartUserImportJob" => admin.start_user_import_job(UserImportJobRequest), true, UserPoolResource;
    "DescribeUserImportJob" => admin.describe_user_import_job(UserImportJobRequest), true, UserPoolResource;
    "ListUserImportJobs" => admin.list_user_import_jobs(ListUserImportJobsRequest), true, UserPoolResource;
    "StopUserImportJob" => admin.stop_user_import_job(UserImportJobRequest), true, UserPoolResource;
    // A userpool extension (Cognito logs refused rows to CloudWatch): a job's refused rows.
    "ListUserImportJobErrors" => admin.list_user_import_job_errors(UserImportJobRequest), true, UserPoolResource;
    // Self-service (unsigned: the client id, SECRET_HASH or an access token authorizes).
    "SignUp" => accounts.sign_up(SignUpRequest), false, UserCreation;
    "ConfirmSignUp" => accounts.confirm_sign_up(ConfirmSignUpRequest), false, UserCreation;
    "ResendConfirmationCode" => accounts.resend_confirmation_code(ClientUserRequest), false, UserAccountRecovery;
    "InitiateAuth" => sign_in.initiate_auth(InitiateAuthRequest), false, UserAuthentication;
    "RespondToAuthChallenge" => sign_in.respond_to_auth_challenge(RespondToAuthChallengeRequest), false, UserAuthentication;
    "GetTokensFromRefreshToken" => tokens.get_tokens_from_refresh_token(GetTokensFromRefreshTokenRequest), false, UserToken;
    "RevokeToken" => tokens.revoke_token(RevokeTokenRequest), false, UserToken;
    "GlobalSignOut" => tokens.global_sign_out(AccessTokenRequest), false, UserToken;
    "ForgotPassword" => accounts.forgot_password(ClientUserRequest), false, UserAccountRecovery;
    "ConfirmForgotPassword" => accounts.confirm_forgot_password(ConfirmForgotPasswordRequest), false, UserAccountRecovery;
    "ChangePassword" => accounts.change_password(ChangePasswordRequest), false, UserUpdate;
    "GetUser" => accounts.get_user(AccessTokenRequest), false, UserRead;
    "UpdateUserAttributes" => accounts.update_user_attributes(UpdateUserAttributesRequest), false, UserUpdate;
    "DeleteUserAttributes" => accounts.delete_user_attributes(DeleteUserAttributesRequest), false, UserUpdate;
    "GetUserAttributeVerificationCode" => accounts.get_user_attribute_verification_code(GetUserAttributeVerificationCodeRequest), false, UserUpdate;
    "VerifyUserAttribute" => accounts.verify_user_attribute(VerifyUserAttributeRequest), false, UserUpdate;
    "DeleteUser" => accounts.delete_user(AccessTokenRequest), false, UserUpdate;
    "StartWebAuthnRegistration" => passkeys.start_web_authn_registration(AccessTokenRequest), false, UserUpdate;
    "CompleteWebAuthnRegistration" => passkeys.complete_web_authn_registration(CompleteWebAuthnRegistrationRequest), false, UserUpdate;
    "ListWebAuthnCredentials" => passkeys.list_web_authn_credentials(ListWebAuthnCredentialsRequest), false, UserRead;
    "DeleteWebAuthnCredential" => passkeys.delete_web_authn_credential(DeleteWebAuthnCredentialRequest), false, UserUpdate;
    "GetUserAuthFactors" => passkeys.get_user_auth_factors(AccessTokenRequest), false, UserRead;
    "AssociateSoftwareToken" => sign_in.associate_software_token(AssociateSoftwareTokenRequest), false, UserUpdate;
    "VerifySoftwareToken" => sign_in.verify_software_token(VerifySoftwareTokenRequest), false, UserUpdate;
    "SetUserMFAPreference" => sign_in.set_user_mfa_preference(SetUserMfaPreferenceRequest), false, UserUpdate;
    "ConfirmDevice" => accounts.confirm_device(ConfirmDeviceRequest), false, UserUpdate;
    "GetDevice" => accounts.get_device(DeviceRequest), false, UserRead;
    "ListDevices" => accounts.list_devices(ListDevicesRequest), false, UserRead;
    "UpdateDeviceStatus" => accounts.update_device_status(DeviceRequest), false, UserUpdate;
    "ForgetDevice" => accounts.forget_device(DeviceRequest), false, UserUpdate;
    // Administration of users and groups (signed).
    "AdminCreateUser" => accounts.admin_create_user(AdminCreateUserRequest), true, UserCreation;
    "AdminConfirmSignUp" => accounts.admin_confirm_sign_up(AdminUserRequest), true, UserCreation;
    "AdminInitiateAuth" => sign_in.admin_initiate_auth(InitiateAuthRequest), true, UserAuthentication;
    "AdminRespondToAuthChallenge" => sign_in.admin_respond_to_auth_challenge(RespondToAuthChallengeRequest), true, UserAuthentication;
    "AdminGetUser" => accounts.admin_get_user(AdminUserRequest), true, UserRead;
    "AdminUpdateUserAttributes" => accounts.admin_update_user_attributes(AdminUpdateUserAttributesRequest), true, UserUpdate;
    "AdminDeleteUserAttributes" => accounts.admin_delete_user_attributes(AdminDeleteUserAttributesRequest), true, UserUpdate;
    "AdminDeleteUser" => accounts.admin_delete_user(AdminUserRequest), true, UserUpdate;
    "AdminDisableUser" => accounts.admin_disable_user(AdminUserRequest), true, UserUpdate;
    "AdminEnableUser" => accounts.admin_enable_user(AdminUserRequest), true, UserUpdate;
    "AdminSetUserPassword" => accounts.admin_set_user_password(AdminSetUserPasswordRequest), true, UserUpdate;
    "AdminResetUserPassword" => accounts.admin_reset_user_password(AdminUserRequest), true, UserAccountRecovery;
    "AdminUserGlobalSignOut" => tokens.admin_user_global_sign_out(AdminUserRequest), true, UserToken;
    "AdminSetUserMFAPreference" => sign_in.admin_set_user_mfa_preference(SetUserMfaPreferenceRequest), true, UserUpdate;
    "AdminGetDevice" => accounts.admin_get_device(DeviceRequest), true, UserRead;
    "AdminListDevices" => accounts.admin_list_devices(ListDevicesRequest), true, UserRead;
    "AdminUpdateDeviceStatus" => accounts.admin_update_device_status(DeviceRequest), true, UserUpdate;
    "AdminForgetDevice" => accounts.admin_forget_device(DeviceRequest), true, UserUpdate;
    "ListUsers" => accounts.list_users(ListUsersRequest), true, UserList;
    "CreateGroup" => admin.create_group(GroupRequest), true, UserGroup;
    "GetGroup" => admin.get_group(GroupRequest), true, UserGroup;
    "UpdateGroup" => admin.update_group(GroupRequest), true, UserGroup;
    "DeleteGroup" => admin.delete_group(GroupRequest), true, UserGroup;
    "ListGroups" => admin.list_groups(ListRequest), true, UserGroup;
    "AdminAddUserToGroup" => admin.admin_add_user_to_group(GroupMemberRequest), true, UserGroup;
    "AdminRemoveUserFromGroup" => admin.admin_remove_user_from_group(GroupMemberRequest), true, UserGroup;
    "AdminListGroupsForUser" => admin.admin_list_groups_for_user(ListRequest), true, UserRead;
    "ListUsersInGroup" => admin.list_users_in_group(ListRequest), true, UserList;
    // Threat protection.
    "SetRiskConfiguration" => threat_protection.set_risk_configuration(SetRiskConfigurationRequest), true, UserPoolResource;
    "DescribeRiskConfiguration" => threat_protection.describe_risk_configuration(DescribeRiskConfigurationRequest), true, UserPoolResource;
    "AdminListUserAuthEvents" => threat_protection.admin_list_user_auth_events(AdminListUserAuthEventsRequest), true, UserRead;
    "AdminUpdateAuthEventFeedback" => threat_protection.admin_update_auth_event_feedback(AuthEventFeedbackRequest), true, UserUpdate;
    "UpdateAuthEventFeedback" => threat_protection.update_auth_event_feedback(UpdateAuthEventFeedbackRequest), false, UserUpdate;
    // Identity providers and provider links (signed).
    "CreateIdentityProvider" => federation.create_identity_provider(IdentityProviderRequest), true, UserPoolResource;
    "DescribeIdentityProvider" => federation.describe_identity_provider(IdentityProviderRequest), true, UserPoolResource;
    "UpdateIdentityProvider" => federation.update_identity_provider(IdentityProviderRequest), true, UserPoolResource;
    "DeleteIdentityProvider" => federation.delete_identity_provider(IdentityProviderRequest), true, UserPoolResource;
    "ListIdentityProviders" => federation.list_identity_providers(ListIdentityProvidersRequest), true, UserPoolResource;
    "GetIdentityProviderByIdentifier" => federation.get_identity_provider_by_identifier(GetIdentityProviderByIdentifierRequest), true, UserPoolResource;
    "GetSigningCertificate" => federation.get_signing_certificate(GetSigningCertificateRequest), true, UserPoolResource;
    "AdminLinkProviderForUser" => federation.admin_link_provider_for_user(AdminLinkProviderForUserRequest), true, UserUpdate;
    "AdminDisableProviderForUser" => federation.admin_disable_provider_for_user(AdminDisableProviderForUserRequest), true, UserUpdate;
}
