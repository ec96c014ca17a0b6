//! SetUICustomization and GetUICustomization: CSS and a logo for the hosted pages, for the
//! whole pool (`ALL`) or one client. As on Cognito, the pool needs a domain first; the
//! customizations are kept with the pool's domain records (read only by the hosted pages,
//! never on the API's sign-in path).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use userpool_store::{DomainRecord, UiCustomization};

use crate::admin::Admin;
use crate::error::{Error, ErrorKind, Result};
use crate::wire::*;

/// Largest logo accepted (Cognito: 100 KB).
pub const MAX_LOGO_BYTES: usize = 100 * 1024;
/// Largest CSS accepted.
pub const MAX_CSS_BYTES: usize = 128 * 1024;

fn invalid(message: &str) -> Error {
    Error::new(ErrorKind::InvalidParameter, message)
}

/// The media type of a PNG or JPEG file, from its first bytes.
fn image_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a]) {
        Some("image/png")
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("image/jpeg")
    } else {
        None
    }
}

/// The customization for `client` among a pool's domain records: its own, else `ALL`.
pub(crate) fn ui_for<'a>(
    domains: &'a [DomainRecord],
    client: &str,
) -> Option<(&'a str, &'a UiCustomization)> {
    let find = |key: &str| {
        domains
            .iter()
            .find_map(|d| d.ui.get_key_value(key))
            .map(|(k, v)| (k.as_str(), v))
    };
    find(client).or_else(|| find("ALL"))
}

/// The path the hosted pages load a logo from.
pub(crate) fn logo_path(pool: &str, key: &str, modified: i64) -> String {
    format!("/logo/{pool}/{key}?v={modified}")
}

impl Admin {
    /// The pool's domains, or Cognito's error when it has none.
    async fn customizable(
        &self,
        pool_id: &str,
        client_id: Option<&str>,
    ) -> Result<(String, Vec<DomainRecord>)> {
        let pool = self.core.pool(pool_id).await?;
        let key = match client_id.filter(|c| *c != "ALL") {
            Some(c) => self
                .core
                .pool_client(&pool, c)
                .await?
                .id
                .as_str()
                .to_owned(),
            None => "ALL".to_owned(),
        };
        let domains = self.core.store().pool_domains(&pool.id).await?;
        if domains.is_empty() {
            return Err(invalid(
                "There has to be an existing domain associated with this user pool",
            ));
        }
        Ok((key, domains))
    }

    async fn ui_response(
        &self,
        pool_id: &str,
        key: &str,
        ui: Option<&UiCustomization>,
    ) -> UiCustomizationResponse {
        let base = self
            .core
            .hosted_base_url(pool_id)
            .await
            .ok()
            .flatten()
            .unwrap_or_default();
        UiCustomizationResponse {
            ui_customization: UiCustomizationType {
                user_pool_id: pool_id.to_owned(),
                client_id: key.to_owned(),
                image_url: ui
                    .filter(|u| u.image_base64.is_some())
                    .map(|u| format!("{base}{}", logo_path(pool_id, key, u.modified))),
                css: ui.and_then(|u| u.css.clone()),
                css_version: ui.map(|u| u.modified.to_string()),
                creation_date: ui.map(|u| u.created),
                last_modified_date: ui.map(|u| u.modified),
            },
        }
    }

    /// SetUICustomization.
    pub async fn set_ui_customization(
        &self,
        req: SetUiCustomizationRequest,
    ) -> Result<UiCustomizationResponse> {
        let (key, domains) = self
            .customizable(&req.user_pool_id, req.client_id.as_deref())
            .await?;
        if let Some(css) = &req.css
            && (css.len() > MAX_CSS_BYTES || css.contains('<'))
        {
            return Err(invalid(
                "CSS must be at most 128 KB of style rules, without markup.",
            ));
        }
        let image = match &req.image_file {
            Some(b64) => {
                let bytes = STANDARD
                    .decode(b64.trim())
                    .map_err(|_| invalid("ImageFile is not valid base64."))?;
                if bytes.len() > MAX_LOGO_BYTES {
                    return Err(invalid("ImageFile must be at most 100 KB."));
                }
                let kind = image_type(&bytes)
                    .ok_or_else(|| invalid("ImageFile must be a PNG or JPEG image."))?;
                Some((STANDARD.encode(&bytes), kind))
            }
            None => None,
        };
        let now = self.core.now();
        let created = ui_for(&domains, &key)
            .filter(|(k, _)| *k == key)
            .map_or(now, |(_, u)| u.created);
        let ui = UiCustomization {
            css: req.css.clone(),
            image_type: image.as_ref().map(|(_, t)| (*t).to_owned()),
            image_base64: image.map(|(b, _)| b),
            created,
            modified: now,
        };
        for mut domain in domains {
            domain.ui.insert(key.clone(), ui.clone());
            self.core.store().put_domain(domain).await?;
        }
        crate::audit!(operation = "SetUICustomization", pool = %req.user_pool_id, client = %key);
        Ok(self.ui_response(&req.user_pool_id, &key, Some(&ui)).await)
    }

    /// GetUICustomization: the client's own, else the pool's.
    pub async fn get_ui_customization(
        &self,
        req: GetUiCustomizationRequest,
    ) -> Result<UiCustomizationResponse> {
        let (key, domains) = self
            .customizable(&req.user_pool_id, req.client_id.as_deref())
            .await?;
        let found = ui_for(&domains, &key);
        Ok(self
            .ui_response(
                &req.user_pool_id,
                found.map_or(key.as_str(), |(k, _)| k),
                found.map(|(_, u)| u),
            )
            .await)
    }

    /// A logo for the hosted pages: its media type and bytes.
    pub async fn ui_logo(&self, pool_id: &str, key: &str) -> Option<(String, Vec<u8>)> {
        let pool = self.core.pool(pool_id).await.ok()?;
        let domains = self.core.store().pool_domains(&pool.id).await.ok()?;
        let ui = domains.iter().find_map(|d| d.ui.get(key))?;
        let bytes = STANDARD.decode(ui.image_base64.as_ref()?).ok()?;
        Some((ui.image_type.clone()?, bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_png_and_jpeg_are_logos() {
        assert_eq!(image_type(b"\x89PNG\r\n\x1a\nrest"), Some("image/png"));
        assert_eq!(image_type(b"\xff\xd8\xff\xe0"), Some("image/jpeg"));
        assert_eq!(image_type(b"<svg"), None);
        assert_eq!(image_type(b""), None);
    }
}
