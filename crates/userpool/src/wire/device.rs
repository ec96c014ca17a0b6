//! Request and response shapes of the device operations.

use serde::{Deserialize, Serialize};
use user_pool_model::{Attribute, Device};

use super::secret::SecretString;

/// `DeviceSecretVerifierConfigType`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DeviceSecretVerifierConfig {
    /// `PasswordVerifier`: standard Base64 of `padHex(v)`.
    pub password_verifier: String,
    /// `Salt`: standard Base64.
    pub salt: String,
}

/// `ConfirmDevice`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ConfirmDeviceRequest {
    /// `AccessToken` (from the sign-in that issued the device key).
    pub access_token: SecretString,
    /// `DeviceKey`.
    pub device_key: String,
    /// `DeviceSecretVerifierConfig`.
    pub device_secret_verifier_config: Option<DeviceSecretVerifierConfig>,
    /// `DeviceName`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_name: Option<String>,
}

/// `ConfirmDevice` response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfirmDeviceResponse {
    /// Whether the app must ask the user to remember the device (UpdateDeviceStatus).
    pub user_confirmation_necessary: bool,
}

/// Requests naming one device: GetDevice, ForgetDevice, UpdateDeviceStatus (with
/// `AccessToken`) and their admin forms (with `UserPoolId`, `Username`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct DeviceRequest {
    /// `AccessToken`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token: Option<SecretString>,
    /// `UserPoolId` (admin).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_pool_id: Option<String>,
    /// `Username` (admin).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// `DeviceKey`.
    pub device_key: String,
    /// `DeviceRememberedStatus`: `remembered` or `not_remembered` (UpdateDeviceStatus).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_remembered_status: Option<String>,
}

/// `ListDevices` / `AdminListDevices`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ListDevicesRequest {
    /// `AccessToken`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token: Option<SecretString>,
    /// `UserPoolId` (admin).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_pool_id: Option<String>,
    /// `Username` (admin).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// `Limit` (1..60).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// `PaginationToken`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pagination_token: Option<String>,
}

/// `DeviceType`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeviceType {
    /// `DeviceKey`.
    pub device_key: String,
    /// `DeviceAttributes` (`device_name`, `device_status`).
    pub device_attributes: Vec<Attribute>,
    /// `DeviceCreateDate`.
    pub device_create_date: f64,
    /// `DeviceLastModifiedDate`.
    pub device_last_modified_date: f64,
    /// `DeviceLastAuthenticatedDate`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_last_authenticated_date: Option<f64>,
}

impl DeviceType {
    /// The wire shape of `device`.
    pub fn of(device: &Device) -> Self {
        let mut attributes = vec![Attribute::new(
            "device_status",
            if device.remembered {
                "valid"
            } else {
                "not_remembered"
            },
        )];
        if let Some(name) = &device.name {
            attributes.push(Attribute::new("device_name", name.clone()));
        }
        Self {
            device_key: device.key.clone(),
            device_attributes: attributes,
            device_create_date: device.created as f64,
            device_last_modified_date: device.modified as f64,
            device_last_authenticated_date: device.last_authenticated.map(|t| t as f64),
        }
    }
}

/// `GetDevice` response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetDeviceResponse {
    /// The device.
    pub device: DeviceType,
}

/// `ListDevices` response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListDevicesResponse {
    /// The page.
    pub devices: Vec<DeviceType>,
    /// The next page's token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pagination_token: Option<String>,
}
