//! The action table: every facade operation by its `X-Amz-Target` name, whether Cognito signs
//! it with SigV4, its quota category, and the dispatch that decodes the body into the
//! operation's request type and encodes its response.

use std::future::Future;

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

macro_rules! operations {
    ($($name:literal => $method:ident($req:ty), $signed:literal, $category:ident;)*) => {
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
        pub(crate) async fn dispatch(service: &Service, action: &str, body: &[u8]) -> Result<Vec<u8>, Failure> {
            match action {
                $($name => call(body, |r: $req| service.$method(r)).await,)*
                _ => Err(Failure::unknown_operation()),
            }
        }
    };
}

operations! {
    // Pools, clients, resource servers, import jobs (signed).
    "CreateUserPool" => create_user_pool(UserPoolRequest), true, UserPoolResource;
    "DescribeUserPool" => describe_user_pool(UserPoolIdRequest), true, UserPoolResource;
    "UpdateUserPool" => update_user_pool(UserPoolRequest), true, UserPoolResource;
    "DeleteUserPool" => delete_user_pool(UserPoolIdRequest), true, UserPoolResource;
    "ListUserPools" => list_user_pools(ListRequest), true, UserPoolResource;
    "CreateUserPoolClient" => create_user_pool_client(UserPoolClientRequest), true, UserPoolResource;
    "DescribeUserPoolClient" => describe_user_pool_client(UserPoolClientIdRequest), true, UserPoolResource;
    "UpdateUserPoolClient" => update_user_pool_client(UserPoolClientRequest), true, UserPoolResource;
    "DeleteUserPoolClient" => delete_user_pool_client(UserPoolClientIdRequest), true, UserPoolResource;
    "ListUserPoolClients" => list_user_pool_clients(ListRequest), true, UserPoolResource;
    "SetUserPoolMfaConfig" => set_user_pool_mfa_config(UserPoolMfaConfig), true, UserPoolResource;
    "GetUserPoolMfaConfig" => get_user_pool_mfa_config(UserPoolIdRequest), true, UserPoolResource;
    "GetCSVHeader" => get_csv_header(UserPoolIdRequest), true, UserPoolResource;
    "CreateUserPoolDomain" => create_user_pool_domain(UserPoolDomainRequest), true, UserPoolResource;
    "DescribeUserPoolDomain" => describe_user_pool_domain(DescribeUserPoolDomainRequest), true, UserPoolResource;
    "UpdateUserPoolDomain" => update_user_pool_domain(UserPoolDomainRequest), true, UserPoolResource;
    "DeleteUserPoolDomain" => delete_user_pool_domain(UserPoolDomainRequest), true, UserPoolResource;
    "SetUICustomization" => set_ui_customization(SetUiCustomizationRequest), true, UserPoolResource;
    "GetUICustomization" => get_ui_customization(GetUiCustomizationRequest), true, UserPoolResource;
    "CreateResourceServer" => create_resource_server(ResourceServerRequest), true, UserPoolResource;
    "DescribeResourceServer" => describe_resource_server(ResourceServerRequest), true, UserPoolResource;
    "UpdateResourceServer" => update_resource_server(ResourceServerRequest), true, UserPoolResource;
    "DeleteResourceServer" => delete_resource_server(ResourceServerRequest), true, UserPoolResource;
    "ListResourceServers" => list_resource_servers(ListRequest), true, UserPoolResource;
    "CreateUserImportJob" => create_user_import_job(UserImportJobRequest), true, UserPoolResource;
    "StartUserImportJob" => start_user_import_job(UserImportJobRequest), true, UserPoolResource;
    "DescribeUserImportJob" => describe_user_import_job(UserImportJobRequest), true, UserPoolResource;
    "ListUserImportJobs" => list_user_import_jobs(ListUserImportJobsRequest), true, UserPoolResource;
    // Self-service (unsigned: the client id, SECRET_HASH or an access token authorizes).
    "SignUp" => sign_up(SignUpRequest), false, UserCreation;
    "ConfirmSignUp" => confirm_sign_up(ConfirmSignUpRequest), false, UserCreation;
    "ResendConfirmationCode" => resend_confirmation_code(ClientUserRequest), false, UserAccountRecovery;
    "InitiateAuth" => initiate_auth(InitiateAuthRequest), false, UserAuthentication;
    "RespondToAuthChallenge" => respond_to_auth_challenge(RespondToAuthChallengeRequest), false, UserAuthentication;
    "GetTokensFromRefreshToken" => get_tokens_from_refresh_token(GetTokensFromRefreshTokenRequest), false, UserToken;
    "RevokeToken" => revoke_token(RevokeTokenRequest), false, UserToken;
    "GlobalSignOut" => global_sign_out(AccessTokenRequest), false, UserToken;
    "ForgotPassword" => forgot_password(ClientUserRequest), false, UserAccountRecovery;
    "ConfirmForgotPassword" => confirm_forgot_password(ConfirmForgotPasswordRequest), false, UserAccountRecovery;
    "ChangePassword" => change_password(ChangePasswordRequest), false, UserUpdate;
    "GetUser" => get_user(AccessTokenRequest), false, UserRead;
    "UpdateUserAttributes" => update_user_attributes(UpdateUserAttributesRequest), false, UserUpdate;
    "DeleteUserAttributes" => delete_user_attributes(DeleteUserAttributesRequest), false, UserUpdate;
    "GetUserAttributeVerificationCode" => get_user_attribute_verification_code(GetUserAttributeVerificationCodeRequest), false, UserUpdate;
    "VerifyUserAttribute" => verify_user_attribute(VerifyUserAttributeRequest), false, UserUpdate;
    "DeleteUser" => delete_user(AccessTokenRequest), false, UserUpdate;
    "AssociateSoftwareToken" => associate_software_token(AssociateSoftwareTokenRequest), false, UserUpdate;
    "VerifySoftwareToken" => verify_software_token(VerifySoftwareTokenRequest), false, UserUpdate;
    "SetUserMFAPreference" => set_user_mfa_preference(SetUserMfaPreferenceRequest), false, UserUpdate;
    "ConfirmDevice" => confirm_device(ConfirmDeviceRequest), false, UserUpdate;
    "GetDevice" => get_device(DeviceRequest), false, UserRead;
    "ListDevices" => list_devices(ListDevicesRequest), false, UserRead;
    "UpdateDeviceStatus" => update_device_status(DeviceRequest), false, UserUpdate;
    "ForgetDevice" => forget_device(DeviceRequest), false, UserUpdate;
    // Administration of users and groups (signed).
    "AdminCreateUser" => admin_create_user(AdminCreateUserRequest), true, UserCreation;
    "AdminConfirmSignUp" => admin_confirm_sign_up(AdminUserRequest), true, UserCreation;
    "AdminInitiateAuth" => admin_initiate_auth(InitiateAuthRequest), true, UserAuthentication;
    "AdminRespondToAuthChallenge" => admin_respond_to_auth_challenge(RespondToAuthChallengeRequest), true, UserAuthentication;
    "AdminGetUser" => admin_get_user(AdminUserRequest), true, UserRead;
    "AdminUpdateUserAttributes" => admin_update_user_attributes(AdminUpdateUserAttributesRequest), true, UserUpdate;
    "AdminDeleteUserAttributes" => admin_delete_user_attributes(AdminDeleteUserAttributesRequest), true, UserUpdate;
    "AdminDeleteUser" => admin_delete_user(AdminUserRequest), true, UserUpdate;
    "AdminDisableUser" => admin_disable_user(AdminUserRequest), true, UserUpdate;
    "AdminEnableUser" => admin_enable_user(AdminUserRequest), true, UserUpdate;
    "AdminSetUserPassword" => admin_set_user_password(AdminSetUserPasswordRequest), true, UserUpdate;
    "AdminResetUserPassword" => admin_reset_user_password(AdminUserRequest), true, UserAccountRecovery;
    "AdminUserGlobalSignOut" => admin_user_global_sign_out(AdminUserRequest), true, UserToken;
    "AdminSetUserMFAPreference" => admin_set_user_mfa_preference(SetUserMfaPreferenceRequest), true, UserUpdate;
    "AdminGetDevice" => admin_get_device(DeviceRequest), true, UserRead;
    "AdminListDevices" => admin_list_devices(ListDevicesRequest), true, UserRead;
    "AdminUpdateDeviceStatus" => admin_update_device_status(DeviceRequest), true, UserUpdate;
    "AdminForgetDevice" => admin_forget_device(DeviceRequest), true, UserUpdate;
    "ListUsers" => list_users(ListUsersRequest), true, UserList;
    "CreateGroup" => create_group(GroupRequest), true, UserGroup;
    "GetGroup" => get_group(GroupRequest), true, UserGroup;
    "UpdateGroup" => update_group(GroupRequest), true, UserGroup;
    "DeleteGroup" => delete_group(GroupRequest), true, UserGroup;
    "ListGroups" => list_groups(ListRequest), true, UserGroup;
    "AdminAddUserToGroup" => admin_add_user_to_group(GroupMemberRequest), true, UserGroup;
    "AdminRemoveUserFromGroup" => admin_remove_user_from_group(GroupMemberRequest), true, UserGroup;
    "AdminListGroupsForUser" => admin_list_groups_for_user(ListRequest), true, UserRead;
    "ListUsersInGroup" => list_users_in_group(ListRequest), true, UserList;
}
