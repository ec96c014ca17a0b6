//! Remembered devices: the key issued at sign-in (`NewDeviceMetadata`), ConfirmDevice,
//! GetDevice, ListDevices, UpdateDeviceStatus, ForgetDevice and their admin forms.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use user_pool_model::{Device, PoolConfig, User};

use crate::accounts::Accounts;
use crate::admin::pools::page_limit;
use crate::core::Core;
use crate::core::missing;
use crate::error::{Error, ErrorKind, Result};
use crate::wire::*;

/// The fields a device request names its user with: the access token (user actions), or the
/// pool and username (admin actions).
trait NamesOwner {
    fn access_token(&self) -> Option<&SecretString>;
    fn pool_and_username(&self) -> (Option<&str>, Option<&str>);
}

macro_rules! names_owner {
    ($($request:ty),*) => {$(
        impl NamesOwner for $request {
            fn access_token(&self) -> Option<&SecretString> {
                self.access_token.as_ref()
            }
            fn pool_and_username(&self) -> (Option<&str>, Option<&str>) {
                (self.user_pool_id.as_deref(), self.username.as_deref())
            }
        }
    )*};
}

names_owner!(DeviceRequest, ListDevicesRequest);

fn device_not_found() -> Error {
    Error::new(ErrorKind::ResourceNotFound, "Device does not exist.")
}

impl Accounts {
    /// The user a device request is about: the access token's (user actions, which never
    /// fall back to naming a user), or the admin-named one (`admin`).
    async fn device_owner(&self, admin: bool, req: &impl NamesOwner) -> Result<(PoolConfig, User)> {
        if admin {
            let (pool_id, username) = req.pool_and_username();
            let pool = self.core.pool(pool_id.unwrap_or_default()).await?;
            let user = self
                .core
                .require_user(&pool, username.unwrap_or_default())
                .await?;
            return Ok((pool, user));
        }
        let auth = self
            .tokens
            .authorize(req.access_token().ok_or_else(|| missing("accessToken"))?)
            .await?;
        Ok((auth.pool, auth.user))
    }

    /// ConfirmDevice: stores the device's verifier (sealed) under the key issued at sign-in.
    pub async fn confirm_device(&self, req: ConfirmDeviceRequest) -> Result<ConfirmDeviceResponse> {
        crate::audit::event("ConfirmDevice");
        let auth = self.tokens.authorize(&req.access_token).await?;
        if req.device_key.is_empty() {
            return Err(missing("deviceKey"));
        }
        let config = req
            .device_secret_verifier_config
            .as_ref()
            .ok_or_else(|| missing("deviceSecretVerifierConfig"))?;
        if auth.claims.get("device_key").and_then(|v| v.as_str()) != Some(req.device_key.as_str()) {
            return Err(Error::new(
                ErrorKind::NotAuthorized,
                "Invalid device key given.",
            ));
        }
        let settings = auth.pool.devices.ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidParameter,
                "Device tracking is not enabled for this user pool.",
            )
        })?;
        let (salt, verifier) = srp::DeviceSecretVerifierConfig {
            password_verifier: config.password_verifier.clone(),
            salt: config.salt.clone(),
        }
        .decode()
        .map_err(|_| {
            Error::new(
                ErrorKind::InvalidParameter,
                "Invalid DeviceSecretVerifierConfig.",
            )
        })?;
        let now = self.core.now();
        let device = Device {
            key: req.device_key.clone(),
            group_key: self.core.device_group_key(&req.device_key),
            salt: salt.as_bytes().to_vec(),
            verifier: self
                .core
                .seal_device_verifier(&auth.pool.id, &req.device_key, &verifier)?,
            name: req.device_name.clone(),
            remembered: !settings.device_only_remembered_on_user_prompt,
            created: now,
            modified: now,
            last_authenticated: Some(now),
            last_ip: None,
        };
        let mut user = auth.user.clone();
        user.devices.retain(|d| d.key != device.key);
        user.devices.push(device);
        self.core.save_user(&auth.pool, user).await?;
        Ok(ConfirmDeviceResponse {
            user_confirmation_necessary: settings.device_only_remembered_on_user_prompt,
        })
    }

    /// GetDevice (the access token's user).
    pub async fn get_device(&self, req: DeviceRequest) -> Result<GetDeviceResponse> {
        crate::audit::event("GetDevice");
        self.device_get(false, req).await
    }

    async fn device_get(&self, admin: bool, req: DeviceRequest) -> Result<GetDeviceResponse> {
        let (_, user) = self.device_owner(admin, &req).await?;
        let device = user
            .devices
            .iter()
            .find(|d| d.key == req.device_key)
            .ok_or_else(device_not_found)?;
        Ok(GetDeviceResponse {
            device: DeviceType::of(device),
        })
    }

    /// ListDevices (the access token's user).
    pub async fn list_devices(&self, req: ListDevicesRequest) -> Result<ListDevicesResponse> {
        crate::audit::event("ListDevices");
        self.device_list(false, req).await
    }

    async fn device_list(
        &self,
        admin: bool,
        req: ListDevicesRequest,
    ) -> Result<ListDevicesResponse> {
        let (_, user) = self.device_owner(admin, &req).await?;
        let limit = page_limit(req.limit, "limit", false)?;
        let mut devices: Vec<&Device> = user.devices.iter().collect();
        devices.sort_by(|a, b| a.key.cmp(&b.key));
        let start = match &req.pagination_token {
            Some(token) => devices
                .iter()
                .position(|d| &d.key > token)
                .unwrap_or(devices.len()),
            None => 0,
        };
        let page: Vec<&Device> = devices.iter().skip(start).take(limit).copied().collect();
        let next = (start + page.len() < devices.len())
            .then(|| page.last().map(|d| d.key.clone()))
            .flatten();
        Ok(ListDevicesResponse {
            devices: page.into_iter().map(DeviceType::of).collect(),
            pagination_token: next,
        })
    }

    /// UpdateDeviceStatus (the access token's user).
    pub async fn update_device_status(&self, req: DeviceRequest) -> Result<Empty> {
        crate::audit::event("UpdateDeviceStatus");
        self.device_status(false, req).await
    }

    async fn device_status(&self, admin: bool, req: DeviceRequest) -> Result<Empty> {
        let (pool, mut user) = self.device_owner(admin, &req).await?;
        let remembered = match req.device_remembered_status.as_deref() {
            Some("remembered") => true,
            Some("not_remembered") => false,
            _ => {
                return Err(Error::new(
                    ErrorKind::InvalidParameter,
                    "DeviceRememberedStatus must be remembered or not_remembered.",
                ));
            }
        };
        let now = self.core.now();
        let device = user
            .devices
            .iter_mut()
            .find(|d| d.key == req.device_key)
            .ok_or_else(device_not_found)?;
        device.remembered = remembered;
        device.modified = now;
        self.core.save_user(&pool, user).await?;
        Ok(Empty {})
    }

    /// ForgetDevice (the access token's user).
    pub async fn forget_device(&self, req: DeviceRequest) -> Result<Empty> {
        crate::audit::event("ForgetDevice");
        self.device_forget(false, req).await
    }

    async fn device_forget(&self, admin: bool, req: DeviceRequest) -> Result<Empty> {
        let (pool, mut user) = self.device_owner(admin, &req).await?;
        let before = user.devices.len();
        user.devices.retain(|d| d.key != req.device_key);
        if user.devices.len() == before {
            return Err(device_not_found());
        }
        self.core.save_user(&pool, user).await?;
        Ok(Empty {})
    }
}

impl Accounts {
    /// AdminGetDevice.
    pub async fn admin_get_device(&self, req: DeviceRequest) -> Result<GetDeviceResponse> {
        crate::audit::event("AdminGetDevice");
        self.device_get(true, req).await
    }

    /// AdminListDevices.
    pub async fn admin_list_devices(&self, req: ListDevicesRequest) -> Result<ListDevicesResponse> {
        crate::audit::event("AdminListDevices");
        self.device_list(true, req).await
    }

    /// AdminUpdateDeviceStatus.
    pub async fn admin_update_device_status(&self, req: DeviceRequest) -> Result<Empty> {
        crate::audit::event("AdminUpdateDeviceStatus");
        self.device_status(true, req).await
    }

    /// AdminForgetDevice.
    pub async fn admin_forget_device(&self, req: DeviceRequest) -> Result<Empty> {
        crate::audit::event("AdminForgetDevice");
        self.device_forget(true, req).await
    }
}

impl Core {
    /// A new device key for `pool` (`<region>_<uuid>`, as Cognito's).
    pub(crate) fn new_device_key(&self, pool: &PoolConfig) -> Result<String> {
        Ok(format!("{}_{}", pool.id.region(), self.entropy.uuid()?))
    }

    /// The device group key of `device_key`: derived, so ConfirmDevice needs no pending
    /// record (the access token of the sign-in carries the key).
    pub(crate) fn device_group_key(&self, device_key: &str) -> String {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(self.code_key.as_ref())
            .unwrap_or_else(|_| <Hmac<Sha256> as KeyInit>::new(&Default::default()));
        mac.update(b"device-group\0");
        mac.update(device_key.as_bytes());
        let digest = mac.finalize().into_bytes();
        let mut text = URL_SAFE_NO_PAD.encode(digest);
        text.truncate(9);
        text
    }
}
