//! Attribute names and values: `AttributeType {Name, Value}` validation against a schema, with
//! Cognito's messages, and per-client read/write permissions.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result, constraint};
use crate::schema::{AttributeDataType, MAX_ATTRIBUTE_VALUE_LEN, Schema};

/// One `AttributeType` as it travels on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Attribute {
    /// `Name` (1..32 characters).
    pub name: String,
    /// `Value` (at most 2048 characters).
    #[serde(default)]
    pub value: String,
}

impl Attribute {
    /// An attribute.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            value: value.into(),
        }
    }
}

/// Whether `email` is an address Cognito accepts: one `@`, a non-empty local part, a domain with
/// a dot, no whitespace.
pub fn is_valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && !local.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !email.chars().any(char::is_whitespace)
        && email.len() <= MAX_ATTRIBUTE_VALUE_LEN
}

/// Whether `phone` is E.164 as Cognito wants it: `+` then 2..15 digits.
pub fn is_valid_phone(phone: &str) -> bool {
    phone
        .strip_prefix('+')
        .is_some_and(|d| (2..=15).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()))
}

/// Checks one attribute against the schema: the name exists, the value fits its type and
/// constraints, and email / phone / verified flags are well-formed.
pub fn validate_attribute(schema: &Schema, attr: &Attribute) -> Result<()> {
    if attr.name.is_empty() || attr.name.chars().count() > 32 {
        return Err(constraint(
            "userAttributes.member.name",
            Some(&attr.name),
            "Member must have length less than or equal to 32",
        ));
    }
    if attr.value.chars().count() > MAX_ATTRIBUTE_VALUE_LEN {
        return Err(constraint(
            "userAttributes.member.value",
            None,
            "Member must have length less than or equal to 2048",
        ));
    }
    let Some(def) = schema.get(&attr.name) else {
        return Err(Error::InvalidParameter(format!(
            "Attribute does not exist in the schema: {}",
            attr.name
        )));
    };
    match attr.name.as_str() {
        "email" if !is_valid_email(&attr.value) => {
            return Err(Error::InvalidParameter(
                "Invalid email address format.".into(),
            ));
        }
        "phone_number" if !is_valid_phone(&attr.value) => {
            return Err(Error::InvalidParameter(
                "Invalid phone number format.".into(),
            ));
        }
        "sub" => {
            return Err(Error::InvalidParameter(
                "Cannot modify the non-mutable attribute sub".into(),
            ));
        }
        _ => {}
    }
    match def.attribute_data_type {
        AttributeDataType::Boolean if attr.value != "true" && attr.value != "false" => {
            return Err(Error::InvalidParameter(format!(
                "Invalid value for attribute {}: must be true or false",
                attr.name
            )));
        }
        AttributeDataType::Number => {
            let n: f64 = attr
                .value
                .parse()
                .map_err(|_| Error::InvalidParameter(format!("{} must be a number", attr.name)))?;
            if let Some(c) = &def.number_attribute_constraints {
                let below = c
                    .min_value
                    .as_deref()
                    .and_then(|m| m.parse::<f64>().ok())
                    .is_some_and(|m| n < m);
                let above = c
                    .max_value
                    .as_deref()
                    .and_then(|m| m.parse::<f64>().ok())
                    .is_some_and(|m| n > m);
                if below || above {
                    return Err(Error::InvalidParameter(format!(
                        "{} is out of range",
                        attr.name
                    )));
                }
            }
        }
        _ => {
            if let Some(c) = &def.string_attribute_constraints {
                let len = attr.value.chars().count();
                let short = c
                    .min_length
                    .as_deref()
                    .and_then(|m| m.parse::<usize>().ok())
                    .is_some_and(|m| len < m);
                let long = c
                    .max_length
                    .as_deref()
                    .and_then(|m| m.parse::<usize>().ok())
                    .is_some_and(|m| len > m);
                if (short || long) && !attr.value.is_empty() {
                    return Err(Error::InvalidParameter(format!(
                        "{} length is out of range",
                        attr.name
                    )));
                }
            }
        }
    }
    Ok(())
}

/// An app client's `ReadAttributes` / `WriteAttributes`. `None` means Cognito's default: every
/// attribute may be read; every non-developer-only attribute except the verified flags may be
/// written.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AttributePermissions {
    /// `ReadAttributes`, if set.
    pub read: Option<Vec<String>>,
    /// `WriteAttributes`, if set.
    pub write: Option<Vec<String>>,
}

impl AttributePermissions {
    /// Whether the client may read `name`.
    pub fn can_read(&self, name: &str) -> bool {
        name == "sub"
            || self
                .read
                .as_ref()
                .is_none_or(|r| r.iter().any(|a| a == name))
    }

    /// Whether the client may write `name` (required attributes are always writable).
    pub fn can_write(&self, schema: &Schema, name: &str) -> bool {
        let Some(def) = schema.get(name) else {
            return false;
        };
        if def.developer_only_attribute || name == "sub" {
            return false;
        }
        if def.required {
            return true;
        }
        match &self.write {
            Some(w) => w.iter().any(|a| a == name),
            None => !matches!(name, "email_verified" | "phone_number_verified"),
        }
    }

    /// Checks a whole update from this client: each attribute valid, mutable and writable.
    /// `at_creation` allows immutable attributes (SignUp).
    pub fn check_write(
        &self,
        schema: &Schema,
        attrs: &[Attribute],
        at_creation: bool,
    ) -> Result<()> {
        for a in attrs {
            validate_attribute(schema, a)?;
            if !self.can_write(schema, &a.name) {
                return Err(Error::NotAuthorized(format!(
                    "A client attempted to write unauthorized attribute {}",
                    a.name
                )));
            }
            if !at_creation && schema.get(&a.name).is_some_and(|d| !d.mutable) {
                return Err(Error::InvalidParameter(format!(
                    "Cannot modify the non-mutable attribute {}",
                    a.name
                )));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_and_phones() {
        for ok in [
            "a@b.co",
            "first.last+tag@example.com",
            "x@sub.domain.example",
        ] {
            assert!(is_valid_email(ok), "{ok}");
        }
        for bad in [
            "", "a", "a@", "@b.co", "a@b", "a b@c.de", "a@@b.co", "a@b..co", "a@.b.co",
        ] {
            assert!(!is_valid_email(bad), "{bad}");
        }
        assert!(is_valid_phone("+14325551212"));
        for bad in [
            "14325551212",
            "+",
            "+1",
            "+1 432",
            "+1234567890123456",
            "+12a",
        ] {
            assert!(!is_valid_phone(bad), "{bad}");
        }
    }

    #[test]
    fn values_against_the_schema() {
        let s = Schema::default();
        assert!(validate_attribute(&s, &Attribute::new("email", "a@b.co")).is_ok());
        assert_eq!(
            validate_attribute(&s, &Attribute::new("email", "nope")),
            Err(Error::InvalidParameter(
                "Invalid email address format.".into()
            ))
        );
        assert_eq!(
            validate_attribute(&s, &Attribute::new("phone_number", "555")),
            Err(Error::InvalidParameter(
                "Invalid phone number format.".into()
            ))
        );
        assert!(validate_attribute(&s, &Attribute::new("email_verified", "yes")).is_err());
        assert!(validate_attribute(&s, &Attribute::new("updated_at", "-1")).is_err());
        assert!(validate_attribute(&s, &Attribute::new("birthdate", "1990-01-01")).is_ok());
        assert!(validate_attribute(&s, &Attribute::new("birthdate", "1990-1-1")).is_err());
        assert!(validate_attribute(&s, &Attribute::new("custom:nope", "x")).is_err());
        assert!(validate_attribute(&s, &Attribute::new("name", "x".repeat(2049))).is_err());
        assert!(
            validate_attribute(&s, &Attribute::new("name", "é".repeat(2048))).is_ok(),
            "characters, not bytes"
        );
    }

    #[test]
    fn permissions() {
        let s = Schema::default();
        let default = AttributePermissions::default();
        assert!(default.can_write(&s, "email"));
        assert!(!default.can_write(&s, "email_verified"));
        assert!(!default.can_write(&s, "sub"));
        let narrow = AttributePermissions {
            read: Some(vec!["email".into()]),
            write: Some(vec!["name".into()]),
        };
        assert!(narrow.can_read("email") && narrow.can_read("sub") && !narrow.can_read("name"));
        assert_eq!(
            narrow.check_write(&s, &[Attribute::new("email", "a@b.co")], false),
            Err(Error::NotAuthorized(
                "A client attempted to write unauthorized attribute email".into()
            ))
        );
        assert!(
            narrow
                .check_write(&s, &[Attribute::new("name", "Ann")], false)
                .is_ok()
        );
    }
}
