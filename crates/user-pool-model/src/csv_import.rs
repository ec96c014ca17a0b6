//! The CSV user-import format: `GetCSVHeader` columns, row parsing and per-row validation.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::attributes::{Attribute, validate_attribute};
use crate::schema::Schema;
use crate::username::validate_username;

/// The standard columns, in `GetCSVHeader`'s order.
pub const STANDARD_COLUMNS: [&str; 21] = [
    "name",
    "given_name",
    "family_name",
    "middle_name",
    "nickname",
    "preferred_username",
    "profile",
    "picture",
    "website",
    "email",
    "email_verified",
    "gender",
    "birthdate",
    "zoneinfo",
    "locale",
    "phone_number",
    "phone_number_verified",
    "address",
    "updated_at",
    "cognito:mfa_enabled",
    "cognito:username",
];
/// Longest row, in characters.
pub const MAX_ROW_LEN: usize = 16_000;
/// Most users in one file.
pub const MAX_USERS: usize = 500_000;
/// Largest file, in bytes.
pub const MAX_FILE_BYTES: usize = 100 * 1024 * 1024;

/// `GetCSVHeader`: the standard columns, then the pool's `custom:` attributes.
pub fn csv_header(schema: &Schema) -> Vec<String> {
    STANDARD_COLUMNS
        .iter()
        .map(|c| (*c).to_owned())
        .chain(
            schema
                .custom_attributes()
                .filter(|a| a.name.starts_with("custom:"))
                .map(|a| a.name.clone()),
        )
        .collect()
}

/// A user read from one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedUser {
    /// `cognito:username`.
    pub username: String,
    /// Non-empty attributes, normalized (booleans lowercase, `birthdate` as `YYYY-MM-DD`).
    pub attributes: BTreeMap<String, String>,
    /// `cognito:mfa_enabled`.
    pub mfa_enabled: bool,
}

/// Why one row was refused (line numbers count the header as line 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    /// The file line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// What a whole file gave.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ImportReport {
    /// Users that passed.
    pub users: Vec<ImportedUser>,
    /// Rows that failed.
    pub errors: Vec<RowError>,
}

/// Why a whole file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FileError {
    /// Not UTF-8, or starts with a BOM.
    #[error("The CSV file must be UTF-8 without a byte order mark.")]
    Encoding,
    /// Larger than 100 MB or more than 500,000 users.
    #[error("The CSV file is too large.")]
    TooLarge,
    /// The header is missing a column, has an unknown or repeated one.
    #[error("The CSV header is invalid: {0}")]
    Header(String),
}

/// The pool settings a row is checked against.
#[derive(Debug, Clone, Copy)]
pub struct ImportRules<'a> {
    /// The schema.
    pub schema: &'a Schema,
    /// MFA is `ON` (every row must say `cognito:mfa_enabled=true`) or `OFF` (must say false);
    /// `None` for `OPTIONAL`.
    pub mfa_required: Option<bool>,
    /// `AutoVerifiedAttributes`: each row needs one of them present and marked verified.
    pub auto_verified: &'a [String],
}

/// Splits one row on unescaped commas (`\,` is a literal comma) and trims each field.
pub fn split_row(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&',') => {
                field.push(',');
                chars.next();
            }
            ',' => fields.push(std::mem::take(&mut field).trim().to_owned()),
            other => field.push(other),
        }
    }
    fields.push(field.trim().to_owned());
    fields
}

/// Parses a whole file: header, then each row; bad rows are reported, not fatal.
pub fn parse_file(bytes: &[u8], rules: &ImportRules<'_>) -> Result<ImportReport, FileError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(FileError::TooLarge);
    }
    if bytes.starts_with(&[0xef, 0xbb, 0xbf]) {
        return Err(FileError::Encoding);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| FileError::Encoding)?;
    let mut lines = text.lines();
    let header = split_row(
        lines
            .next()
            .ok_or_else(|| FileError::Header("empty file".into()))?,
    );
    let expected = csv_header(rules.schema);
    let mut seen_columns = HashSet::new();
    for column in &header {
        if !expected.contains(column) {
            return Err(FileError::Header(format!("unknown column {column}")));
        }
        if !seen_columns.insert(column.clone()) {
            return Err(FileError::Header(format!("repeated column {column}")));
        }
    }
    if let Some(missing) = expected.iter().find(|c| !seen_columns.contains(*c)) {
        return Err(FileError::Header(format!("missing column {missing}")));
    }
    let mut report = ImportReport::default();
    let mut usernames = HashSet::new();
    for (i, line) in lines.enumerate() {
        let line_no = i + 2;
        if line.trim().is_empty() {
            continue;
        }
        if report.users.len() + report.errors.len() >= MAX_USERS {
            return Err(FileError::TooLarge);
        }
        match parse_row(&header, line, rules) {
            Ok(user) if !usernames.insert(user.username.clone()) => {
                report.errors.push(RowError {
                    line: line_no,
                    message: format!("Duplicate cognito:username {}", user.username),
                });
            }
            Ok(user) => report.users.push(user),
            Err(message) => report.errors.push(RowError {
                line: line_no,
                message,
            }),
        }
    }
    Ok(report)
}

/// Parses and validates one row against `header`.
pub fn parse_row(
    header: &[String],
    line: &str,
    rules: &ImportRules<'_>,
) -> Result<ImportedUser, String> {
    if line.chars().count() > MAX_ROW_LEN {
        return Err("Row is longer than 16,000 characters.".into());
    }
    let fields = split_row(line);
    if fields.len() != header.len() {
        return Err(format!(
            "Row has {} fields, the header has {}.",
            fields.len(),
            header.len()
        ));
    }
    let mut username = None;
    let mut mfa_enabled = None;
    let mut attributes = BTreeMap::new();
    for (column, value) in header.iter().zip(fields) {
        if value.is_empty() {
            continue;
        }
        match column.as_str() {
            "cognito:username" => {
                validate_username(&value).map_err(|_| {
                    "cognito:username must be 1-128 characters without spaces or tabs.".to_owned()
                })?;
                username = Some(value);
            }
            "cognito:mfa_enabled" => {
                mfa_enabled =
                    Some(boolean(&value).ok_or("cognito:mfa_enabled must be TRUE or FALSE.")?)
            }
            "email_verified" | "phone_number_verified" => {
                let b =
                    boolean(&value).ok_or_else(|| format!("{column} must be TRUE or FALSE."))?;
                attributes.insert(column.clone(), b.to_string());
            }
            "birthdate" => {
                attributes.insert(
                    column.clone(),
                    birthdate(&value).ok_or("birthdate must be mm/dd/yyyy.")?,
                );
            }
            "updated_at" if !value.bytes().all(|b| b.is_ascii_digit()) => {
                return Err("updated_at must be epoch seconds.".into());
            }
            _ => {
                attributes.insert(column.clone(), value);
            }
        }
    }
    let username = username.ok_or("cognito:username is required.")?;
    let mfa_enabled = mfa_enabled.ok_or("cognito:mfa_enabled is required.")?;
    if let Some(required) = rules.mfa_required
        && mfa_enabled != required
    {
        return Err(format!(
            "cognito:mfa_enabled must be {required} for this user pool."
        ));
    }
    for (name, value) in &attributes {
        validate_attribute(rules.schema, &Attribute::new(name.clone(), value.clone()))
            .map_err(|e| e.to_string())?;
    }
    if !rules.auto_verified.is_empty() {
        let verified = rules.auto_verified.iter().any(|a| {
            attributes.contains_key(a)
                && attributes
                    .get(&format!("{a}_verified"))
                    .is_some_and(|v| v == "true")
        });
        if !verified {
            return Err(
                "At least one auto-verified attribute must be present and verified.".into(),
            );
        }
    }
    for required in rules.schema.required() {
        if !attributes.contains_key(&required.name) {
            return Err(format!("Required attribute {} is missing.", required.name));
        }
    }
    Ok(ImportedUser {
        username,
        attributes,
        mfa_enabled,
    })
}

fn boolean(s: &str) -> Option<bool> {
    if s.eq_ignore_ascii_case("true") {
        Some(true)
    } else if s.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// `mm/dd/yyyy` → `yyyy-mm-dd`.
fn birthdate(s: &str) -> Option<String> {
    let mut parts = s.split('/');
    let (m, d, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some()
        || m.len() != 2
        || d.len() != 2
        || y.len() != 4
        || !(m.to_owned() + d + y).bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let (mo, da): (u8, u8) = (m.parse().ok()?, d.parse().ok()?);
    ((1..=12).contains(&mo) && (1..=31).contains(&da)).then(|| format!("{y}-{m}-{d}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(schema: &Schema) -> ImportRules<'_> {
        ImportRules {
            schema,
            mfa_required: Some(false),
            auto_verified: &[],
        }
    }

    fn header_line(schema: &Schema) -> String {
        csv_header(schema).join(",")
    }

    fn row(values: &[(&str, &str)], schema: &Schema) -> String {
        csv_header(schema)
            .iter()
            .map(|c| {
                values
                    .iter()
                    .find(|(k, _)| k == c)
                    .map_or("", |(_, v)| v)
                    .to_owned()
            })
            .collect::<Vec<_>>()
            .join(",")
    }

    #[test]
    fn header_is_gets_csv_header() {
        let s = Schema::default();
        let h = csv_header(&s);
        assert_eq!(h.len(), 21);
        assert_eq!(h.last().map(String::as_str), Some("cognito:username"));
    }

    #[test]
    fn rows() {
        let s = Schema::default();
        let good = row(
            &[
                ("cognito:username", "alice"),
                ("cognito:mfa_enabled", "FALSE"),
                ("email", "a@b.co"),
                ("email_verified", "TRUE"),
                ("birthdate", "02/29/2000"),
                ("name", "Smith\\, Ann"),
            ],
            &s,
        );
        let file = format!("{}\n{good}\n", header_line(&s));
        let report = parse_file(file.as_bytes(), &rules(&s)).expect("file");
        assert_eq!(report.errors, vec![]);
        let u = &report.users[0];
        assert_eq!(u.attributes["email_verified"], "true");
        assert_eq!(u.attributes["birthdate"], "2000-02-29");
        assert_eq!(u.attributes["name"], "Smith, Ann");
        let bad_rows = [
            row(&[("cognito:mfa_enabled", "false")], &s),
            row(
                &[
                    ("cognito:username", "a b"),
                    ("cognito:mfa_enabled", "false"),
                ],
                &s,
            ),
            row(
                &[
                    ("cognito:username", "bob"),
                    ("cognito:mfa_enabled", "maybe"),
                ],
                &s,
            ),
            row(
                &[("cognito:username", "bob"), ("cognito:mfa_enabled", "true")],
                &s,
            ),
            row(
                &[
                    ("cognito:username", "bob"),
                    ("cognito:mfa_enabled", "false"),
                    ("email", "nope"),
                ],
                &s,
            ),
            row(
                &[
                    ("cognito:username", "bob"),
                    ("cognito:mfa_enabled", "false"),
                    ("birthdate", "2000-01-01"),
                ],
                &s,
            ),
            "too,few".to_owned(),
            good.clone(),
        ];
        let file = format!("{}\n{good}\n{}\n", header_line(&s), bad_rows.join("\n"));
        let report = parse_file(file.as_bytes(), &rules(&s)).expect("file");
        assert_eq!(report.users.len(), 1);
        assert_eq!(
            report.errors.iter().map(|e| e.line).collect::<Vec<_>>(),
            (3..=10).collect::<Vec<_>>()
        );
        assert!(
            report
                .errors
                .last()
                .is_some_and(|e| e.message.starts_with("Duplicate"))
        );
    }

    #[test]
    fn files() {
        let s = Schema::default();
        assert_eq!(
            parse_file(b"\xef\xbb\xbfname", &rules(&s)),
            Err(FileError::Encoding)
        );
        assert_eq!(parse_file(b"\xff", &rules(&s)), Err(FileError::Encoding));
        assert!(matches!(
            parse_file(b"name,email", &rules(&s)),
            Err(FileError::Header(_))
        ));
        let extra = format!("{},bogus", header_line(&s));
        assert!(matches!(
            parse_file(extra.as_bytes(), &rules(&s)),
            Err(FileError::Header(_))
        ));
        let reordered: Vec<String> = csv_header(&s).into_iter().rev().collect();
        assert!(
            parse_file(reordered.join(",").as_bytes(), &rules(&s)).is_ok(),
            "column order does not matter"
        );
        let verified = ImportRules {
            schema: &s,
            mfa_required: None,
            auto_verified: &["email".to_owned()],
        };
        let unverified = format!(
            "{}\n{}",
            header_line(&s),
            row(
                &[
                    ("cognito:username", "a"),
                    ("cognito:mfa_enabled", "false"),
                    ("email", "a@b.co")
                ],
                &s
            )
        );
        assert_eq!(
            parse_file(unverified.as_bytes(), &verified)
                .expect("file")
                .errors
                .len(),
            1
        );
    }
}
