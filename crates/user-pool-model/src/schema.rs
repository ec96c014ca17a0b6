//! The attribute schema: the standard OIDC attributes, `custom:` attributes, their types and
//! constraints, as `DescribeUserPool` returns them.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::standard_attribute::StandardAttribute;

/// Most custom attributes a pool may define.
pub const MAX_CUSTOM_ATTRIBUTES: usize = 50;
/// Longest attribute value, in characters.
pub const MAX_ATTRIBUTE_VALUE_LEN: usize = 2048;

/// `AttributeDataType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AttributeDataType {
    /// Any string.
    String,
    /// A decimal number, stored as a string.
    Number,
    /// A date-time, stored as a string.
    DateTime,
    /// `true` / `false`.
    Boolean,
}

/// `StringAttributeConstraints`; bounds are strings on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StringConstraints {
    /// Minimum length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<String>,
    /// Maximum length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<String>,
}

/// `NumberAttributeConstraints`; bounds are strings on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NumberConstraints {
    /// Smallest value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_value: Option<String>,
    /// Largest value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_value: Option<String>,
}

/// `SchemaAttributeType`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SchemaAttribute {
    /// The name: a standard attribute, or `custom:<name>` / `dev:<name>` once stored.
    pub name: String,
    /// The type.
    pub attribute_data_type: AttributeDataType,
    /// Only admin APIs may write it (legacy `dev:` attributes).
    #[serde(default)]
    pub developer_only_attribute: bool,
    /// Can change after creation.
    #[serde(default = "yes")]
    pub mutable: bool,
    /// Must be supplied at sign-up.
    #[serde(default)]
    pub required: bool,
    /// Number bounds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number_attribute_constraints: Option<NumberConstraints>,
    /// String length bounds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub string_attribute_constraints: Option<StringConstraints>,
}

fn yes() -> bool {
    true
}

/// The standard attributes (OIDC standard claims) in the order Cognito lists them.
pub const STANDARD_ATTRIBUTES: [&str; 20] = StandardAttribute::names(StandardAttribute::ALL);

fn standard(attribute: StandardAttribute) -> SchemaAttribute {
    use StandardAttribute as A;
    let (data_type, strings, numbers) = match attribute {
        A::EmailVerified | A::PhoneNumberVerified => (AttributeDataType::Boolean, None, None),
        A::UpdatedAt => (
            AttributeDataType::Number,
            None,
            Some(NumberConstraints {
                min_value: Some("0".into()),
                max_value: None,
            }),
        ),
        A::Birthdate => (
            AttributeDataType::String,
            Some(StringConstraints {
                min_length: Some("10".into()),
                max_length: Some("10".into()),
            }),
            None,
        ),
        A::Sub => (
            AttributeDataType::String,
            Some(StringConstraints {
                min_length: Some("1".into()),
                max_length: Some("2048".into()),
            }),
            None,
        ),
        _ => (
            AttributeDataType::String,
            Some(StringConstraints {
                min_length: Some("0".into()),
                max_length: Some("2048".into()),
            }),
            None,
        ),
    };
    SchemaAttribute {
        name: attribute.name().to_owned(),
        attribute_data_type: data_type,
        developer_only_attribute: false,
        mutable: attribute != A::Sub,
        required: attribute == A::Sub,
        number_attribute_constraints: numbers,
        string_attribute_constraints: strings,
    }
}

/// A pool's schema: every standard attribute plus its custom ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schema {
    attributes: Vec<SchemaAttribute>,
}

impl Default for Schema {
    fn default() -> Self {
        Self {
            attributes: StandardAttribute::ALL.into_iter().map(standard).collect(),
        }
    }
}

impl Schema {
    /// The schema of a new pool: the defaults, changed by `declared` (CreateUserPool `Schema`):
    /// standard attributes may change `Mutable`, `Required` and constraints; other names become
    /// `custom:<name>` (or `dev:<name>` when developer-only), which may not be required.
    pub fn new(declared: &[SchemaAttribute]) -> Result<Self> {
        let mut schema = Self::default();
        for a in declared {
            schema.declare(a.clone(), true)?;
        }
        Ok(schema)
    }

    /// `AddCustomAttributes`: only new custom attributes.
    pub fn add_custom_attributes(&mut self, declared: &[SchemaAttribute]) -> Result<()> {
        for a in declared {
            if STANDARD_ATTRIBUTES.contains(&a.name.as_str()) {
                return Err(Error::InvalidParameter(format!(
                    "Existing attribute already has name {}.",
                    a.name
                )));
            }
            self.declare(a.clone(), false)?;
        }
        Ok(())
    }

    fn declare(&mut self, mut a: SchemaAttribute, at_creation: bool) -> Result<()> {
        if let Some(existing) = self
            .attributes
            .iter_mut()
            .find(|e| e.name == a.name && STANDARD_ATTRIBUTES.contains(&e.name.as_str()))
        {
            if !at_creation
                || a.attribute_data_type != existing.attribute_data_type
                || a.developer_only_attribute
            {
                return Err(Error::InvalidParameter(format!(
                    "You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute {}",
                    a.name
                )));
            }
            existing.mutable = a.mutable;
            existing.required = a.required;
            if a.string_attribute_constraints.is_some() {
                existing.string_attribute_constraints = a.string_attribute_constraints;
            }
            if a.number_attribute_constraints.is_some() {
                existing.number_attribute_constraints = a.number_attribute_constraints;
            }
            return Ok(());
        }
        let bare = a
            .name
            .strip_prefix("custom:")
            .or_else(|| a.name.strip_prefix("dev:"))
            .unwrap_or(&a.name)
            .to_owned();
        if bare.is_empty() || bare.chars().count() > 20 || bare.chars().any(char::is_whitespace) {
            return Err(crate::error::constraint(
                "schema.name",
                Some(&bare),
                "Member must have length less than or equal to 20",
            ));
        }
        if a.required {
            return Err(Error::InvalidParameter(
                "Required custom attributes are not supported currently.".into(),
            ));
        }
        a.name = if a.developer_only_attribute {
            format!("dev:{bare}")
        } else {
            format!("custom:{bare}")
        };
        if self.attributes.iter().any(|e| e.name == a.name) {
            return Err(Error::InvalidParameter(format!(
                "Existing attribute already has name {}.",
                a.name
            )));
        }
        if self.custom_attributes().count() >= MAX_CUSTOM_ATTRIBUTES {
            return Err(Error::InvalidParameter(
                "Cannot add more than 50 custom attributes.".into(),
            ));
        }
        if let Some(c) = &a.string_attribute_constraints {
            let max = c
                .max_length
                .as_deref()
                .map(str::parse::<usize>)
                .transpose()
                .map_err(|_| Error::InvalidParameter("Invalid MaxLength".into()))?;
            if max.is_some_and(|m| m > MAX_ATTRIBUTE_VALUE_LEN) {
                return Err(Error::InvalidParameter(
                    "StringAttributeConstraints MaxLength cannot exceed 2048".into(),
                ));
            }
        }
        self.attributes.push(a);
        Ok(())
    }

    /// The attribute named `name` (`custom:`/`dev:` prefixes included).
    pub fn get(&self, name: &str) -> Option<&SchemaAttribute> {
        self.attributes.iter().find(|a| a.name == name)
    }

    /// Every attribute, standard first.
    pub fn attributes(&self) -> &[SchemaAttribute] {
        &self.attributes
    }

    /// The custom (and developer-only) attributes.
    pub fn custom_attributes(&self) -> impl Iterator<Item = &SchemaAttribute> {
        self.attributes
            .iter()
            .filter(|a| a.name.starts_with("custom:") || a.name.starts_with("dev:"))
    }

    /// The attributes that must be supplied at sign-up.
    pub fn required(&self) -> impl Iterator<Item = &SchemaAttribute> {
        self.attributes
            .iter()
            .filter(|a| a.required && a.name != "sub")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn custom(name: &str) -> SchemaAttribute {
        SchemaAttribute {
            name: name.into(),
            attribute_data_type: AttributeDataType::String,
            developer_only_attribute: false,
            mutable: true,
            required: false,
            number_attribute_constraints: None,
            string_attribute_constraints: None,
        }
    }

    #[test]
    fn defaults_match_describe_user_pool() {
        let s = Schema::default();
        assert_eq!(s.attributes().len(), 20);
        assert!(s.get("sub").is_some_and(|a| a.required && !a.mutable));
        assert_eq!(
            s.get("email_verified").map(|a| a.attribute_data_type),
            Some(AttributeDataType::Boolean)
        );
        assert_eq!(
            s.get("birthdate")
                .and_then(|a| a.string_attribute_constraints.clone())
                .and_then(|c| c.max_length),
            Some("10".into())
        );
    }

    #[test]
    fn custom_attributes() {
        let mut s = Schema::new(&[custom("tier")]).expect("schema");
        assert!(s.get("custom:tier").is_some());
        assert_eq!(
            s.add_custom_attributes(&[custom("tier")]),
            Err(Error::InvalidParameter(
                "Existing attribute already has name custom:tier.".into()
            ))
        );
        let mut req = custom("x");
        req.required = true;
        assert_eq!(
            Schema::new(&[req]),
            Err(Error::InvalidParameter(
                "Required custom attributes are not supported currently.".into()
            ))
        );
        assert!(
            Schema::new(&[custom("abcdefghijklmnopqrstu")]).is_err(),
            "21 characters"
        );
        for i in 0..49 {
            s.add_custom_attributes(&[custom(&format!("a{i}"))])
                .expect("add");
        }
        assert_eq!(
            s.add_custom_attributes(&[custom("one_more")]),
            Err(Error::InvalidParameter(
                "Cannot add more than 50 custom attributes.".into()
            ))
        );
        let mut email = custom("email");
        email.required = true;
        let s = Schema::new(&[email]).expect("standard re-declared");
        assert_eq!(
            s.required().map(|a| a.name.as_str()).collect::<Vec<_>>(),
            ["email"]
        );
        let mut bad = custom("email");
        bad.attribute_data_type = AttributeDataType::Number;
        assert!(Schema::new(&[bad]).is_err());
    }
}
