//! The pool's SAML signing certificate: self-signed over its RSA key, for the IdP to check
//! signed requests with (SP metadata, `GetSigningCertificate`).

use crate::error::{Error, Result};

/// How long a pool's certificate is valid: ten years, as Cognito's.
pub const CERTIFICATE_SECONDS: i64 = 10 * 365 * 24 * 3600;

/// A self-signed X.509 certificate (DER) for the RSA key `key_pem` (PKCS#8), named
/// `CN=<common_name>`, valid from `not_before` for [`CERTIFICATE_SECONDS`], with `serial`
/// (positive; from the caller's randomness). Signed with RSA-SHA256; deterministic.
///
/// # Errors
/// [`Error::InvalidParameter`] when the key is not an RSA PKCS#8 key or a time is out of
/// range.
pub fn sp_certificate(
    key_pem: &str,
    common_name: &str,
    not_before: i64,
    serial: [u8; 16],
) -> Result<Vec<u8>> {
    let bad = |m: &str| Error::InvalidParameter(format!("SAML signing certificate: {m}"));
    let pair = rcgen::KeyPair::from_pem_and_sign_algo(key_pem, &rcgen::PKCS_RSA_SHA256)
        .map_err(|_| bad("not an RSA PKCS#8 key"))?;
    let mut params = rcgen::CertificateParams::default();
    let mut name = rcgen::DistinguishedName::new();
    name.push(rcgen::DnType::CommonName, common_name);
    params.distinguished_name = name;
    params.not_before =
        time::OffsetDateTime::from_unix_timestamp(not_before).map_err(|_| bad("time"))?;
    params.not_after =
        time::OffsetDateTime::from_unix_timestamp(not_before.saturating_add(CERTIFICATE_SECONDS))
            .map_err(|_| bad("time"))?;
    let mut serial = serial;
    if let Some(first) = serial.first_mut() {
        // Positive and without a leading zero byte.
        *first = (*first & 0x7f) | 0x01;
    }
    params.serial_number = Some(rcgen::SerialNumber::from_slice(&serial));
    let cert = params.self_signed(&pair).map_err(|_| bad("signing"))?;
    Ok(cert.der().to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::SP_KEY;

    #[test]
    fn the_certificate_carries_the_key_and_is_deterministic() {
        let a = sp_certificate(
            SP_KEY,
            "urn:amazon:cognito:sp:us-east-1_Test",
            1_796_235_379,
            [7; 16],
        )
        .unwrap();
        let b = sp_certificate(
            SP_KEY,
            "urn:amazon:cognito:sp:us-east-1_Test",
            1_796_235_379,
            [7; 16],
        )
        .unwrap();
        assert_eq!(a, b);
        // bergshamra reads it, and a request signed by the key verifies with it.
        let cert = bergshamra::keys::loader::load_x509_cert_der(&a).unwrap();
        let key = crate::SpKey::from_pem(SP_KEY).unwrap();
        let signature = key.sign(b"data").unwrap();
        let alg = bergshamra::crypto::sign::from_uri(crate::RSA_SHA256).unwrap();
        assert!(
            alg.verify(
                &cert.to_signing_key().unwrap().unwrap(),
                b"data",
                &signature
            )
            .unwrap()
        );
        assert!(matches!(
            sp_certificate("junk", "x", 0, [1; 16]),
            Err(Error::InvalidParameter(_))
        ));
    }
}
