//! The TOTP setup page's QR code: an `otpauth://` URI (Google Authenticator's key-URI format)
//! drawn as inline SVG by the `qrcode` crate.

use qrcode::QrCode;
use qrcode::render::svg;

fn encode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

/// `otpauth://totp/<issuer>:<account>?secret=<base32>&issuer=<issuer>`.
pub(crate) fn otpauth_uri(issuer: &str, account: &str, secret: &str) -> String {
    let issuer = if issuer.is_empty() {
        "userpool"
    } else {
        issuer
    };
    format!(
        "otpauth://totp/{}:{}?secret={}&issuer={}",
        encode(issuer),
        encode(account),
        encode(secret),
        encode(issuer)
    )
}

/// The QR code of `data` as an SVG element (empty if it does not fit a QR code).
pub(crate) fn svg(data: &str) -> String {
    match QrCode::new(data.as_bytes()) {
        Ok(code) => code
            .render::<svg::Color<'_>>()
            .min_dimensions(200, 200)
            .quiet_zone(true)
            .build(),
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_uri_names_issuer_account_and_secret_encoded() {
        assert_eq!(
            otpauth_uri("My App", "alice@example.com", "JBSWY3DPEHPK3PXP"),
            "otpauth://totp/My%20App:alice%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=My%20App"
        );
    }

    #[test]
    fn the_svg_is_an_svg() {
        let s = svg("otpauth://totp/a:b?secret=JBSWY3DPEHPK3PXP");
        assert!(s.contains("<svg"), "{s}");
    }
}
