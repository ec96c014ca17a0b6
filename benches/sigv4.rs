//! A minimal AWS Signature Version 4 signer for the load bench's admin calls (CreateUserPool,
//! AdminCreateUser, …): `POST /` with a JSON 1.1 body, service `cognito-idp`. Our server
//! verifies it; moto accepts any signature; cognito-local ignores it.
//!
//! ```
//! use userpool_benches::sigv4::{Signer, hex};
//! let signer = Signer::parse("AKIDEXAMPLE:secret", "us-east-1").expect("KEY:SECRET");
//! let headers = signer.sign("127.0.0.1:9229", "AWSCognitoIdentityProviderService.ListUserPools", b"{}", 1_793_000_000);
//! assert_eq!(headers[0], ("x-amz-date", "20261026T073320Z".to_owned()));
//! assert!(headers[1].1.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261026/us-east-1/cognito-idp/aws4_request"));
//! assert_eq!(hex(&[0x0f, 0xa0]), "0fa0");
//! ```

use aws_lc_rs::{digest, hmac};

/// The JSON 1.1 content type Cognito speaks.
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

/// An access key pair and the region its signatures are scoped to.
#[derive(Clone)]
pub struct Signer {
    access_key_id: String,
    secret_access_key: String,
    region: String,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("access_key_id", &self.access_key_id)
            .field("region", &self.region)
            .finish_non_exhaustive()
    }
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sha256_hex(data: &[u8]) -> String {
    hex(digest::digest(&digest::SHA256, data).as_ref())
}

fn mac(key: &[u8], data: &[u8]) -> Vec<u8> {
    hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), data)
        .as_ref()
        .to_vec()
}

/// `YYYYMMDDTHHMMSSZ` of Unix time `now` (UTC).
fn amz_date(now: i64) -> String {
    let t =
        time::OffsetDateTime::from_unix_timestamp(now).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

impl Signer {
    /// A signer from `KEY:SECRET` for `region`; `None` when there is no `:`.
    pub fn parse(pair: &str, region: &str) -> Option<Self> {
        let (key, secret) = pair.trim().split_once(':')?;
        Some(Self {
            access_key_id: key.to_owned(),
            secret_access_key: secret.to_owned(),
            region: region.to_owned(),
        })
    }

    /// The `x-amz-date` and `authorization` headers for a `POST /` to `host` with
    /// `x-amz-target: target` and `body`, signed at Unix time `now`. The request must also
    /// carry `content-type: application/x-amz-json-1.1` and `host: host` (both signed).
    pub fn sign(
        &self,
        host: &str,
        target: &str,
        body: &[u8],
        now: i64,
    ) -> [(&'static str, String); 2] {
        let date_time = amz_date(now);
        let date = date_time.get(..8).unwrap_or_default();
        let scope = format!("{date}/{}/cognito-idp/aws4_request", self.region);
        let signed_headers = "content-type;host;x-amz-date;x-amz-target";
        let canonical = format!(
            "POST\n/\n\ncontent-type:{CONTENT_TYPE}\nhost:{host}\nx-amz-date:{date_time}\nx-amz-target:{target}\n\n{signed_headers}\n{}",
            sha256_hex(body)
        );
        let to_sign = format!(
            "AWS4-HMAC-SHA256\n{date_time}\n{scope}\n{}",
            sha256_hex(canonical.as_bytes())
        );
        let k_date = mac(
            format!("AWS4{}", self.secret_access_key).as_bytes(),
            date.as_bytes(),
        );
        let k_region = mac(&k_date, self.region.as_bytes());
        let k_service = mac(&k_region, b"cognito-idp");
        let k_signing = mac(&k_service, b"aws4_request");
        let signature = hex(&mac(&k_signing, to_sign.as_bytes()));
        [
            ("x-amz-date", date_time),
            (
                "authorization",
                format!(
                    "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed_headers}, Signature={signature}",
                    self.access_key_id
                ),
            ),
        ]
    }
}
