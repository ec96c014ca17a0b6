//! CreateResourceServer, DescribeResourceServer, ListResourceServers, UpdateResourceServer,
//! DeleteResourceServer.

use user_pool_model::{PoolConfig, ResourceServer};
use userpool_store::StoreError;

use crate::admin::Admin;
use crate::admin::pools::page_limit;
use crate::error::{Error, ErrorKind, Result};
use crate::wire::*;

fn server_type(pool: &PoolConfig, s: &ResourceServer) -> ResourceServerType {
    ResourceServerType {
        user_pool_id: pool.id.as_str().to_owned(),
        identifier: s.identifier.clone(),
        name: s.name.clone(),
        scopes: s.scopes.clone(),
    }
}

impl Admin {
    fn resource_error(&self, e: StoreError) -> Error {
        match e {
            StoreError::ResourceServerNotFound => {
                Error::new(ErrorKind::ResourceNotFound, "Resource server not found.")
            }
            StoreError::ResourceServerExists => Error::new(
                ErrorKind::InvalidParameter,
                "A resource server with this identifier already exists.",
            ),
            other => Error::from(other),
        }
    }

    fn resource_server_of(req: &ResourceServerRequest) -> Result<ResourceServer> {
        let server = ResourceServer {
            identifier: req.identifier.clone(),
            name: req.name.clone().unwrap_or_default(),
            scopes: req.scopes.clone(),
        };
        server.validate()?;
        Ok(server)
    }

    /// CreateResourceServer.
    pub async fn create_resource_server(
        &self,
        req: ResourceServerRequest,
    ) -> Result<ResourceServerResponse> {
        crate::audit::event("CreateResourceServer");
        let pool = self.core.pool(&req.user_pool_id).await?;
        let server = Self::resource_server_of(&req)?;
        let existing = self
            .core
            .store()
            .list_resource_servers(&pool.id, 26, None)
            .await
            .map_err(|e| self.resource_error(e))?;
        if existing.items.len() >= 25 {
            return Err(Error::new(
                ErrorKind::LimitExceeded,
                "A user pool can have at most 25 resource servers.",
            ));
        }
        self.core
            .store()
            .create_resource_server(&pool.id, server.clone())
            .await
            .map_err(|e| self.resource_error(e))?;
        Ok(ResourceServerResponse {
            resource_server: server_type(&pool, &server),
        })
    }

    /// DescribeResourceServer.
    pub async fn describe_resource_server(
        &self,
        req: ResourceServerRequest,
    ) -> Result<ResourceServerResponse> {
        crate::audit::event("DescribeResourceServer");
        let pool = self.core.pool(&req.user_pool_id).await?;
        let server = self
            .core
            .store()
            .get_resource_server(&pool.id, &req.identifier)
            .await
            .map_err(|e| self.resource_error(e))?;
        Ok(ResourceServerResponse {
            resource_server: server_type(&pool, &server),
        })
    }

    /// UpdateResourceServer (name and scopes replaced).
    pub async fn update_resource_server(
        &self,
        req: ResourceServerRequest,
    ) -> Result<ResourceServerResponse> {
        crate::audit::event("UpdateResourceServer");
        let pool = self.core.pool(&req.user_pool_id).await?;
        let server = Self::resource_server_of(&req)?;
        self.core
            .store()
            .put_resource_server(&pool.id, server.clone())
            .await
            .map_err(|e| self.resource_error(e))?;
        Ok(ResourceServerResponse {
            resource_server: server_type(&pool, &server),
        })
    }

    /// DeleteResourceServer.
    pub async fn delete_resource_server(&self, req: ResourceServerRequest) -> Result<Empty> {
        crate::audit::event("DeleteResourceServer");
        let pool = self.core.pool(&req.user_pool_id).await?;
        self.core
            .store()
            .delete_resource_server(&pool.id, &req.identifier)
            .await
            .map_err(|e| self.resource_error(e))?;
        Ok(Empty {})
    }

    /// ListResourceServers (`MaxResults` 1..50).
    pub async fn list_resource_servers(
        &self,
        req: ListRequest,
    ) -> Result<ListResourceServersResponse> {
        crate::audit::event("ListResourceServers");
        let pool = self
            .core
            .pool(req.user_pool_id.as_deref().unwrap_or_default())
            .await?;
        let limit = page_limit(req.max_results, "maxResults", true)?;
        let page = self
            .core
            .store()
            .list_resource_servers(&pool.id, limit, req.next_token.as_deref())
            .await
            .map_err(|e| self.resource_error(e))?;
        Ok(ListResourceServersResponse {
            resource_servers: page.items.iter().map(|s| server_type(&pool, s)).collect(),
            next_token: page.next,
        })
    }
}
