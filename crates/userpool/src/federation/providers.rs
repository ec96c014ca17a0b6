//! CreateIdentityProvider, DescribeIdentityProvider, UpdateIdentityProvider,
//! DeleteIdentityProvider, ListIdentityProviders, GetIdentityProviderByIdentifier.

use std::collections::BTreeMap;

use user_pool_model::PoolConfig;
use userpool_federation::{
    AttributeMapping, ProviderDetails, ProviderType, validate_idp_identifiers,
    validate_provider_name,
};
use userpool_store::{ProviderRecord, StoreError};

use crate::core::{Core, missing};
use crate::error::{Error, ErrorKind, Result};
use crate::federation::Federation;
use crate::wire::*;

/// A federation-crate error as Cognito's.
pub(crate) fn from_federation(e: &userpool_federation::Error) -> Error {
    match e {
        userpool_federation::Error::UnsupportedProviderType(t) => Error::new(
            ErrorKind::UnsupportedIdentityProvider,
            format!("Identity provider type {t} is not supported."),
        ),
        other => Error::new(ErrorKind::InvalidParameter, other.to_string()),
    }
}

fn not_found(name: &str) -> Error {
    // (?) Cognito's exact message is unconfirmed.
    Error::new(
        ErrorKind::ResourceNotFound,
        format!("Identity provider {name} does not exist."),
    )
}

/// A provider, opened: its record, type, details (secrets in the clear) and mapping.
pub(crate) struct Provider {
    pub(crate) record: ProviderRecord,
    pub(crate) provider_type: ProviderType,
    pub(crate) details: ProviderDetails,
    pub(crate) mapping: AttributeMapping,
}

impl Core {
    fn secret_context(pool: &PoolConfig, provider: &str, key: &str) -> String {
        crate::reseal::provider_secret_context(pool.id.as_str(), provider, key)
    }

    /// The store record of `details`: secrets sealed, each bound to pool, provider and key.
    fn provider_record(
        &self,
        pool: &PoolConfig,
        name: &str,
        details: &ProviderDetails,
        mapping: &AttributeMapping,
        identifiers: Vec<String>,
        created: i64,
    ) -> Result<ProviderRecord> {
        let mut sealed_secrets = BTreeMap::new();
        for (key, secret) in details.secrets() {
            let context = Self::secret_context(pool, name, key);
            sealed_secrets.insert(
                key.clone(),
                self.seal_at_rest(
                    &pool.id,
                    context.as_bytes(),
                    secret.expose_secret().as_bytes(),
                )?,
            );
        }
        Ok(ProviderRecord {
            name: name.to_owned(),
            provider_type: details.provider_type().as_str().to_owned(),
            details: details.public().clone(),
            sealed_secrets,
            attribute_mapping: mapping.as_map().clone(),
            idp_identifiers: identifiers,
            created,
            last_modified: self.now(),
        })
    }

    /// Opens a stored provider.
    pub(crate) fn open_provider(
        &self,
        pool: &PoolConfig,
        record: ProviderRecord,
    ) -> Result<Provider> {
        let provider_type =
            ProviderType::parse(&record.provider_type).map_err(|e| from_federation(&e))?;
        let mut map = record.details.clone();
        for (key, sealed) in &record.sealed_secrets {
            let context = Self::secret_context(pool, &record.name, key);
            let plain = self.open_at_rest(&pool.id, context.as_bytes(), sealed)?;
            let text = String::from_utf8(plain.to_vec()).map_err(|_| crate::core::internal())?;
            map.insert(key.clone(), text);
        }
        let details =
            ProviderDetails::parse(provider_type, &map).map_err(|e| from_federation(&e))?;
        let mapping = AttributeMapping::parse(provider_type, &record.attribute_mapping)
            .map_err(|e| from_federation(&e))?;
        Ok(Provider {
            record,
            provider_type,
            details,
            mapping,
        })
    }

    /// A pool's provider by name, opened; `ResourceNotFoundException` if there is none.
    pub(crate) async fn provider(&self, pool: &PoolConfig, name: &str) -> Result<Provider> {
        let record = self
            .store()
            .get_provider(&pool.id, name)
            .await?
            .ok_or_else(|| not_found(name))?;
        self.open_provider(pool, record)
    }
}

/// A SAML provider's details this build can honour: a usable `MetadataFile` (a
/// `MetadataURL` is fetched at sign-in).
fn check_saml(details: &ProviderDetails) -> Result<()> {
    if details.provider_type() != ProviderType::Saml {
        return Ok(());
    }
    let invalid = |m: String| Error::new(ErrorKind::InvalidParameter, m);
    if let Some(file) = details.get("MetadataFile") {
        userpool_saml::IdpMetadata::parse(file).map_err(|e| invalid(e.to_string()))?;
    }
    Ok(())
}

/// Checks a mapping's keys against the pool's attributes.
fn check_mapping(pool: &PoolConfig, mapping: &AttributeMapping) -> Result<()> {
    for attribute in mapping.as_map().keys() {
        if attribute != "username" && pool.schema.get(attribute).is_none() {
            return Err(Error::new(
                ErrorKind::InvalidParameter,
                format!("Invalid attribute mapping. {attribute} is not a user pool attribute."),
            ));
        }
    }
    Ok(())
}

fn describe(pool: &PoolConfig, p: &Provider) -> IdentityProviderType {
    IdentityProviderType {
        user_pool_id: pool.id.as_str().to_owned(),
        provider_name: p.record.name.clone(),
        provider_type: p.record.provider_type.clone(),
        provider_details: p.details.described(),
        attribute_mapping: p.mapping.as_map().clone(),
        idp_identifiers: p.record.idp_identifiers.clone(),
        last_modified_date: p.record.last_modified as f64,
        creation_date: p.record.created as f64,
    }
}

/// The `ProviderDetails` Cognito computes for a SAML provider and shows in its answers:
/// refused by nothing, ignored when sent back (a describe → update round trip).
const SAML_COMPUTED: [&str; 3] = [
    "ActiveEncryptionCertificate",
    "SSORedirectBindingURI",
    "SLORedirectBindingURI",
];

/// A request's details without the computed SAML keys.
fn without_computed(map: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let mut map = map.clone();
    for key in SAML_COMPUTED {
        map.remove(key);
    }
    map
}

fn store_conflict(e: &StoreError, name: &str) -> Error {
    match e {
        StoreError::ProviderExists => Error::new(
            ErrorKind::DuplicateProvider,
            format!("A provider with the name {name} already exists in this user pool."),
        ),
        StoreError::IdpIdentifierExists => Error::new(
            ErrorKind::DuplicateProvider,
            "One or more IdpIdentifiers is already in use by another provider.",
        ),
        StoreError::ProviderNotFound => not_found(name),
        other => Error::from(other.clone()),
    }
}

impl Federation {
    /// A provider as Create/Describe/UpdateIdentityProvider show it. A SAML provider's details
    /// gain what Cognito computes: `SSORedirectBindingURI` and `SLORedirectBindingURI` from
    /// its metadata (when it can be read now: a `MetadataURL` is fetched, cached an hour),
    /// and `ActiveEncryptionCertificate` (the pool's, base64 DER) with `EncryptedResponses`.
    async fn described(&self, pool: &PoolConfig, p: &Provider) -> IdentityProviderType {
        let mut out = describe(pool, p);
        if p.provider_type != ProviderType::Saml {
            return out;
        }
        let details = &mut out.provider_details;
        if let Ok(metadata) = self.idp_metadata(p, self.core.now()).await {
            if let Some(uri) = &metadata.sso_redirect {
                details.insert("SSORedirectBindingURI".into(), uri.clone());
            }
            if let Some(uri) = &metadata.slo_redirect {
                details.insert("SLORedirectBindingURI".into(), uri.clone());
            }
        }
        if p.details.flag("EncryptedResponses")
            && let Ok(keys) = self.core.saml_signing(&pool.id).await
        {
            use base64::Engine as _;
            details.insert(
                "ActiveEncryptionCertificate".into(),
                base64::engine::general_purpose::STANDARD.encode(&keys.encryption_certificate),
            );
        }
        out
    }

    /// CreateIdentityProvider.
    pub async fn create_identity_provider(
        &self,
        req: IdentityProviderRequest,
    ) -> Result<IdentityProviderResponse> {
        let pool = self.core.pool(&req.user_pool_id).await?;
        let provider_type = ProviderType::parse(
            req.provider_type
                .as_deref()
                .ok_or_else(|| missing("providerType"))?,
        )
        .map_err(|e| from_federation(&e))?;
        validate_provider_name(&req.provider_name, provider_type)
            .map_err(|e| from_federation(&e))?;
        let details = ProviderDetails::parse(
            provider_type,
            &without_computed(
                req.provider_details
                    .as_ref()
                    .ok_or_else(|| missing("providerDetails"))?,
            ),
        )
        .map_err(|e| from_federation(&e))?;
        check_saml(&details)?;
        let mapping = AttributeMapping::parse(
            provider_type,
            &req.attribute_mapping.clone().unwrap_or_default(),
        )
        .map_err(|e| from_federation(&e))?;
        check_mapping(&pool, &mapping)?;
        let identifiers = req.idp_identifiers.clone().unwrap_or_default();
        validate_idp_identifiers(&identifiers).map_err(|e| from_federation(&e))?;
        let now = self.core.now();
        let record = self.core.provider_record(
            &pool,
            &req.provider_name,
            &details,
            &mapping,
            identifiers,
            now,
        )?;
        self.core
            .store()
            .create_provider(&pool.id, record.clone())
            .await
            .map_err(|e| store_conflict(&e, &req.provider_name))?;
        crate::audit!(operation = "CreateIdentityProvider", pool = %pool.id.as_str(), provider = %req.provider_name, provider_details = "HIDDEN_DUE_TO_SECURITY_REASONS");
        let provider = self.core.open_provider(&pool, record)?;
        Ok(IdentityProviderResponse {
            identity_provider: self.described(&pool, &provider).await,
        })
    }

    /// DescribeIdentityProvider (secrets masked).
    pub async fn describe_identity_provider(
        &self,
        req: IdentityProviderRequest,
    ) -> Result<IdentityProviderResponse> {
        let pool = self.core.pool(&req.user_pool_id).await?;
        let provider = self.core.provider(&pool, &req.provider_name).await?;
        Ok(IdentityProviderResponse {
            identity_provider: self.described(&pool, &provider).await,
        })
    }

    /// UpdateIdentityProvider: details (a secret omitted or sent back masked keeps its
    /// value), mapping and identifiers, each replaced when given.
    pub async fn update_identity_provider(
        &self,
        req: IdentityProviderRequest,
    ) -> Result<IdentityProviderResponse> {
        let pool = self.core.pool(&req.user_pool_id).await?;
        let current = self.core.provider(&pool, &req.provider_name).await?;
        let details = match &req.provider_details {
            Some(map) => ProviderDetails::parse_update(
                current.provider_type,
                &without_computed(map),
                &current.details,
            )
            .map_err(|e| from_federation(&e))?,
            None => current.details.clone(),
        };
        check_saml(&details)?;
        let mapping = match &req.attribute_mapping {
            Some(map) => AttributeMapping::parse(current.provider_type, map)
                .map_err(|e| from_federation(&e))?,
            None => current.mapping.clone(),
        };
        check_mapping(&pool, &mapping)?;
        let identifiers = req
            .idp_identifiers
            .clone()
            .unwrap_or_else(|| current.record.idp_identifiers.clone());
        validate_idp_identifiers(&identifiers).map_err(|e| from_federation(&e))?;
        let record = self.core.provider_record(
            &pool,
            &req.provider_name,
            &details,
            &mapping,
            identifiers,
            current.record.created,
        )?;
        self.core
            .store()
            .put_provider(&pool.id, record.clone())
            .await
            .map_err(|e| store_conflict(&e, &req.provider_name))?;
        crate::audit!(operation = "UpdateIdentityProvider", pool = %pool.id.as_str(), provider = %req.provider_name, provider_details = "HIDDEN_DUE_TO_SECURITY_REASONS");
        let provider = self.core.open_provider(&pool, record)?;
        Ok(IdentityProviderResponse {
            identity_provider: self.described(&pool, &provider).await,
        })
    }

    /// DeleteIdentityProvider (its links go with it).
    pub async fn delete_identity_provider(&self, req: IdentityProviderRequest) -> Result<Empty> {
        let pool = self.core.pool(&req.user_pool_id).await?;
        self.core
            .store()
            .delete_provider(&pool.id, &req.provider_name)
            .await
            .map_err(|e| store_conflict(&e, &req.provider_name))?;
        crate::audit!(operation = "DeleteIdentityProvider", pool = %pool.id.as_str(), provider = %req.provider_name);
        Ok(Empty {})
    }

    /// ListIdentityProviders.
    pub async fn list_identity_providers(
        &self,
        req: ListIdentityProvidersRequest,
    ) -> Result<ListIdentityProvidersResponse> {
        let pool = self.core.pool(&req.user_pool_id).await?;
        let limit = match req.max_results {
            None => 60,
            Some(n @ 1..=60) => n,
            Some(n) => {
                return Err(Error::new(
                    ErrorKind::InvalidParameter,
                    format!(
                        "1 validation error detected: Value '{n}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60"
                    ),
                ));
            }
        };
        let page = self
            .core
            .store()
            .list_providers(
                &pool.id,
                usize::try_from(limit).unwrap_or(60),
                req.next_token.as_deref(),
            )
            .await
            .map_err(|e| match e {
                StoreError::InvalidPaginationToken => {
                    Error::new(ErrorKind::InvalidParameter, "Invalid pagination token.")
                }
                other => Error::from(other),
            })?;
        Ok(ListIdentityProvidersResponse {
            providers: page
                .items
                .iter()
                .map(|r| ProviderDescription {
                    provider_name: r.name.clone(),
                    provider_type: r.provider_type.clone(),
                    last_modified_date: r.last_modified as f64,
                    creation_date: r.created as f64,
                })
                .collect(),
            next_token: page.next,
        })
    }

    /// GetIdentityProviderByIdentifier.
    pub async fn get_identity_provider_by_identifier(
        &self,
        req: GetIdentityProviderByIdentifierRequest,
    ) -> Result<IdentityProviderResponse> {
        let pool = self.core.pool(&req.user_pool_id).await?;
        let record = self
            .core
            .store()
            .provider_by_identifier(&pool.id, &req.idp_identifier)
            .await?
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::ResourceNotFound,
                    format!(
                        "Identity provider with identifier {} does not exist.",
                        req.idp_identifier
                    ),
                )
            })?;
        let provider = self.core.open_provider(&pool, record)?;
        Ok(IdentityProviderResponse {
            identity_provider: self.described(&pool, &provider).await,
        })
    }
}

impl Core {
    /// `InvalidParameterException` unless every name of `SupportedIdentityProviders` is
    /// `COGNITO` or one of the pool's providers.
    pub(crate) async fn check_providers_exist(
        &self,
        pool: &PoolConfig,
        names: &[String],
    ) -> Result<()> {
        for name in names.iter().filter(|n| n.as_str() != "COGNITO") {
            let found = self.store().get_provider(&pool.id, name).await?;
            if found.is_none() {
                return Err(Error::new(
                    ErrorKind::InvalidParameter,
                    format!(
                        "The provider {name} does not exist for User Pool {}",
                        pool.id.as_str()
                    ),
                ));
            }
        }
        Ok(())
    }
}
