//! Cognito's quota categories: every action belongs to one (default rates from Cognito's
//! quotas page, per account and region).

/// Cognito's quota categories.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// Sign-in and challenge answers.
    UserAuthentication,
    /// SignUp, AdminCreateUser, confirmation.
    UserCreation,
    /// ForgotPassword, ConfirmForgotPassword, ResendConfirmationCode.
    UserAccountRecovery,
    /// GetUser, AdminGetUser, device and group reads of one user.
    UserRead,
    /// Attribute, password, MFA, device and status changes.
    UserUpdate,
    /// ListUsers, ListUsersInGroup.
    UserList,
    /// Group management.
    UserGroup,
    /// Pools, clients, resource servers, import jobs.
    UserPoolResource,
    /// Token refresh and revocation.
    UserToken,
}

impl Category {
    /// Every category.
    pub const ALL: [Self; 9] = [
        Self::UserAuthentication,
        Self::UserCreation,
        Self::UserAccountRecovery,
        Self::UserRead,
        Self::UserUpdate,
        Self::UserList,
        Self::UserGroup,
        Self::UserPoolResource,
        Self::UserToken,
    ];

    /// Cognito's default requests per second.
    pub fn default_quota(self) -> u32 {
        match self {
            Self::UserAuthentication => 120,
            Self::UserCreation => 50,
            Self::UserAccountRecovery => 30,
            Self::UserRead => 120,
            Self::UserUpdate => 25,
            Self::UserList => 30,
            Self::UserGroup => 25,
            Self::UserPoolResource => 15,
            Self::UserToken => 120,
        }
    }
}
