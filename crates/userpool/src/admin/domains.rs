//! CreateUserPoolDomain, DescribeUserPoolDomain, UpdateUserPoolDomain, DeleteUserPoolDomain:
//! a prefix or a custom domain names one pool (a pool has at most one of each).

use user_pool_model::PoolConfig;
use userpool_store::{DomainRecord, StoreError};

use crate::admin::Admin;
use crate::error::{Error, ErrorKind, Result};
use crate::service::Issuer;
use crate::wire::*;

/// Words Cognito does not allow in a prefix domain.
const RESERVED: [&str; 3] = ["aws", "amazon", "cognito"];

fn invalid(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidParameter, message)
}

/// A DNS label: `[a-z0-9]`, inner `-`, 1..63 characters.
fn is_label(label: &str) -> bool {
    let bytes = label.as_bytes();
    (1..=63).contains(&bytes.len())
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
        && bytes.first() != Some(&b'-')
        && bytes.last() != Some(&b'-')
}

/// Checks a domain and its configuration: a prefix is one label without a reserved word; a
/// custom domain is a lower-case host name of at least two labels with a certificate.
fn validate(domain: &str, config: Option<&CustomDomainConfigType>) -> Result<()> {
    if domain.contains('.') {
        if domain.len() > 253 || !domain.split('.').all(is_label) {
            return Err(invalid(format!(
                "1 validation error detected: Value '{domain}' at 'domain' failed to satisfy constraint: Member must be a valid domain name"
            )));
        }
        if config.is_none_or(|c| c.certificate_arn.is_empty()) {
            return Err(invalid(
                "A custom domain needs CustomDomainConfig with a CertificateArn.",
            ));
        }
        return Ok(());
    }
    if !is_label(domain) {
        return Err(invalid(format!(
            "1 validation error detected: Value '{domain}' at 'domain' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-z0-9](?:[a-z0-9\\-]{{0,61}}[a-z0-9])?$"
        )));
    }
    if let Some(word) = RESERVED.iter().find(|w| domain.contains(*w)) {
        return Err(invalid(format!(
            "Domain cannot contain reserved word: {word}"
        )));
    }
    if config.is_some() {
        return Err(invalid(
            "CustomDomainConfig is only for custom domains, not for a prefix.",
        ));
    }
    Ok(())
}

impl Admin {
    /// The host a custom domain's DNS alias should point to: this service's own.
    fn serving_host(&self) -> Option<String> {
        match &self.core.issuer {
            Issuer::SelfHosted { base_url } => base_url
                .split_once("://")
                .map(|(_, rest)| rest.split(['/', ':']).next().unwrap_or_default().to_owned())
                .filter(|h| !h.is_empty()),
            _ => None,
        }
    }

    fn domain_error(&self, e: &StoreError) -> Error {
        match e {
            StoreError::DomainExists => {
                invalid("Domain already associated with another user pool.")
            }
            StoreError::DomainNotFound => invalid("No such domain or user pool exists."),
            other => Error::from(other.clone()),
        }
    }

    /// The pool's domain `req.domain`, which must belong to it.
    async fn owned_domain(&self, pool: &PoolConfig, domain: &str) -> Result<DomainRecord> {
        match self
            .core
            .store()
            .get_domain(domain)
            .await
            .map_err(|e| self.domain_error(&e))?
        {
            Some(d) if d.pool == pool.id => Ok(d),
            _ => Err(invalid("No such domain or user pool exists.")),
        }
    }

    fn domain_response(&self, record: &DomainRecord) -> UserPoolDomainResponse {
        UserPoolDomainResponse {
            cloud_front_domain: if record.is_custom() {
                self.serving_host()
            } else {
                None
            },
            managed_login_version: Some(record.managed_login_version),
        }
    }

    /// CreateUserPoolDomain.
    pub async fn create_user_pool_domain(
        &self,
        req: UserPoolDomainRequest,
    ) -> Result<UserPoolDomainResponse> {
        crate::audit::event("CreateUserPoolDomain");
        let pool = self.core.pool(&req.user_pool_id).await?;
        validate(&req.domain, req.custom_domain_config.as_ref())?;
        let version = req.managed_login_version.unwrap_or(1);
        if !(1..=2).contains(&version) {
            return Err(invalid("ManagedLoginVersion must be 1 or 2."));
        }
        let record = DomainRecord {
            domain: req.domain.clone(),
            pool: pool.id.clone(),
            certificate_arn: req.custom_domain_config.map(|c| c.certificate_arn),
            managed_login_version: version,
            created: self.core.now(),
            ui: std::collections::BTreeMap::new(),
        };
        let existing = self
            .core
            .store()
            .pool_domains(&pool.id)
            .await
            .map_err(|e| self.domain_error(&e))?;
        if existing.iter().any(|d| d.is_custom() == record.is_custom()) {
            return Err(invalid(if record.is_custom() {
                "User pool already has a custom domain configured."
            } else {
                "User pool already has a domain configured."
            }));
        }
        self.core
            .store()
            .create_domain(record.clone())
            .await
            .map_err(|e| self.domain_error(&e))?;
        Ok(self.domain_response(&record))
    }

    /// DescribeUserPoolDomain (an unknown domain is an empty description, not an error).
    pub async fn describe_user_pool_domain(
        &self,
        req: DescribeUserPoolDomainRequest,
    ) -> Result<DescribeUserPoolDomainResponse> {
        crate::audit::event("DescribeUserPoolDomain");
        let found = self
            .core
            .store()
            .get_domain(&req.domain)
            .await
            .map_err(|e| self.domain_error(&e))?;
        let Some(d) = found else {
            return Ok(DescribeUserPoolDomainResponse::default());
        };
        Ok(DescribeUserPoolDomainResponse {
            domain_description: DomainDescriptionType {
                user_pool_id: Some(d.pool.as_str().to_owned()),
                aws_account_id: Some(self.core.account_id.clone()),
                domain: Some(d.domain.clone()),
                cloud_front_distribution: self.serving_host(),
                status: Some("ACTIVE".into()),
                custom_domain_config: d
                    .certificate_arn
                    .clone()
                    .map(|certificate_arn| CustomDomainConfigType { certificate_arn }),
                managed_login_version: Some(d.managed_login_version),
            },
        })
    }

    /// UpdateUserPoolDomain: a custom domain's certificate and the managed-login version.
    pub async fn update_user_pool_domain(
        &self,
        req: UserPoolDomainRequest,
    ) -> Result<UserPoolDomainResponse> {
        crate::audit::event("UpdateUserPoolDomain");
        let pool = self.core.pool(&req.user_pool_id).await?;
        let mut record = self.owned_domain(&pool, &req.domain).await?;
        if let Some(config) = &req.custom_domain_config {
            validate(&req.domain, Some(config))?;
            record.certificate_arn = Some(config.certificate_arn.clone());
        }
        if let Some(version) = req.managed_login_version {
            if !(1..=2).contains(&version) {
                return Err(invalid("ManagedLoginVersion must be 1 or 2."));
            }
            record.managed_login_version = version;
        }
        self.core
            .store()
            .put_domain(record.clone())
            .await
            .map_err(|e| self.domain_error(&e))?;
        Ok(self.domain_response(&record))
    }

    /// DeleteUserPoolDomain.
    pub async fn delete_user_pool_domain(&self, req: UserPoolDomainRequest) -> Result<Empty> {
        crate::audit::event("DeleteUserPoolDomain");
        let pool = self.core.pool(&req.user_pool_id).await?;
        let record = self.owned_domain(&pool, &req.domain).await?;
        self.core
            .store()
            .delete_domain(&record.domain)
            .await
            .map_err(|e| self.domain_error(&e))?;
        Ok(Empty {})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_are_validated_as_cognito_does() {
        assert!(validate("my-app-1", None).is_ok());
        assert!(
            validate(
                "auth.example.com",
                Some(&CustomDomainConfigType {
                    certificate_arn: "arn:aws:acm:us-east-1:1:certificate/x".into()
                })
            )
            .is_ok()
        );
        for bad in ["", "-a", "a-", "Upper", "under_score", &"x".repeat(64)] {
            assert!(validate(bad, None).is_err(), "{bad:?}");
        }
        for reserved in ["myaws", "amazonapp", "cognito1"] {
            assert!(validate(reserved, None).is_err(), "{reserved}");
        }
        assert!(
            validate("auth.example.com", None).is_err(),
            "no certificate"
        );
        assert!(validate("auth..example.com", None).is_err());
    }
}
