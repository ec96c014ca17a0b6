//! Groups and resource servers (custom OAuth scopes).

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result, constraint};

/// Most groups a user may belong to.
pub const MAX_GROUPS_PER_USER: usize = 100;

/// A group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    /// `GroupName` (1..128, no whitespace).
    pub name: String,
    /// `Description` (≤ 2048).
    pub description: Option<String>,
    /// `RoleArn`.
    pub role_arn: Option<String>,
    /// `Precedence` (lower wins for `cognito:preferred_role`).
    pub precedence: Option<u32>,
    /// Created (unix seconds).
    pub created: i64,
    /// Last modified (unix seconds).
    pub modified: i64,
}

impl Group {
    /// A group, validated.
    pub fn new(
        name: &str,
        description: Option<String>,
        role_arn: Option<String>,
        precedence: Option<u32>,
        now: i64,
    ) -> Result<Self> {
        let ok = (1..=128).contains(&name.chars().count())
            && !name.chars().any(|c| c.is_whitespace() || c.is_control());
        if !ok {
            return Err(constraint(
                "groupName",
                Some(name),
                "Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
            ));
        }
        if description
            .as_ref()
            .is_some_and(|d| d.chars().count() > 2048)
        {
            return Err(constraint(
                "description",
                None,
                "Member must have length less than or equal to 2048",
            ));
        }
        if role_arn.as_ref().is_some_and(|a| !a.starts_with("arn:")) {
            return Err(constraint(
                "roleArn",
                role_arn.as_deref(),
                "Member must satisfy regular expression pattern: arn:[\\w+=/,.@-]+:[\\w+=/,.@-]+:([\\w+=/,.@-]*)?:[0-9]+:[\\w+=/,.@-]+(:[\\w+=/,.@-]+)?(:[\\w+=/,.@-]+)?",
            ));
        }
        Ok(Self {
            name: name.to_owned(),
            description,
            role_arn,
            precedence,
            created: now,
            modified: now,
        })
    }
}

/// The role claims for a user's groups: `cognito:roles` (every role) and
/// `cognito:preferred_role` (the role of the group with the lowest precedence).
pub fn role_claims(groups: &[Group]) -> (Vec<String>, Option<String>) {
    let roles: Vec<String> = groups.iter().filter_map(|g| g.role_arn.clone()).collect();
    let preferred = groups
        .iter()
        .filter(|g| g.role_arn.is_some())
        .min_by_key(|g| g.precedence.unwrap_or(u32::MAX))
        .and_then(|g| g.role_arn.clone());
    (roles, preferred)
}

/// A custom scope of a resource server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceServerScope {
    /// `ScopeName`.
    pub scope_name: String,
    /// `ScopeDescription`.
    pub scope_description: String,
}

/// A resource server: an identifier and its scopes (`<identifier>/<scope>` in tokens).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceServer {
    /// `Identifier` (1..256, e.g. `https://api.example.com`).
    pub identifier: String,
    /// `Name`.
    pub name: String,
    /// `Scopes` (≤ 100).
    pub scopes: Vec<ResourceServerScope>,
}

impl ResourceServer {
    /// Checks identifier, name and scopes.
    pub fn validate(&self) -> Result<()> {
        if !(1..=256).contains(&self.identifier.len())
            || self.identifier.chars().any(char::is_whitespace)
        {
            return Err(constraint(
                "identifier",
                Some(&self.identifier),
                "Member must satisfy regular expression pattern: [\\x21\\x23-\\x5B\\x5D-\\x7E]+",
            ));
        }
        if !(1..=256).contains(&self.name.chars().count()) {
            return Err(constraint(
                "name",
                Some(&self.name),
                "Member must have length between 1 and 256",
            ));
        }
        if self.scopes.len() > 100 {
            return Err(Error::InvalidParameter(
                "A resource server can have at most 100 scopes.".into(),
            ));
        }
        for s in &self.scopes {
            let ok = (1..=256).contains(&s.scope_name.len())
                && s.scope_name
                    .bytes()
                    .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\' && b != b'/');
            if !ok {
                return Err(constraint(
                    "scopes.member.scopeName",
                    Some(&s.scope_name),
                    "Member must satisfy regular expression pattern: [\\x21\\x23-\\x2E\\x30-\\x5B\\x5D-\\x7E]+",
                ));
            }
        }
        Ok(())
    }

    /// The full scope strings, `<identifier>/<scope>`.
    pub fn full_scopes(&self) -> Vec<String> {
        self.scopes
            .iter()
            .map(|s| format!("{}/{}", self.identifier, s.scope_name))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_and_roles() {
        assert!(Group::new("a b", None, None, None, 0).is_err());
        assert!(Group::new("admins", None, Some("not-an-arn".into()), None, 0).is_err());
        let a = Group::new(
            "admins",
            None,
            Some("arn:aws:iam::1:role/a".into()),
            Some(5),
            0,
        )
        .expect("g");
        let b = Group::new(
            "users",
            None,
            Some("arn:aws:iam::1:role/b".into()),
            Some(1),
            0,
        )
        .expect("g");
        let c = Group::new("plain", None, None, Some(0), 0).expect("g");
        let (roles, preferred) = role_claims(&[a, b, c]);
        assert_eq!(roles.len(), 2);
        assert_eq!(preferred.as_deref(), Some("arn:aws:iam::1:role/b"));
    }

    #[test]
    fn resource_servers() {
        let rs = ResourceServer {
            identifier: "https://api.example.com".into(),
            name: "api".into(),
            scopes: vec![ResourceServerScope {
                scope_name: "read".into(),
                scope_description: "r".into(),
            }],
        };
        assert!(rs.validate().is_ok());
        assert_eq!(rs.full_scopes(), ["https://api.example.com/read"]);
        let mut bad = rs;
        bad.scopes[0].scope_name = "a/b".into();
        assert!(bad.validate().is_err());
    }
}
