//! The CSV user-import format: `GetCSVHeader` columns, row parsing and per-row validation.
//!
//! Files are read with the `csv` crate: RFC 4180 quoting (`"a, b"`, `""` for a quote, line
//! breaks inside quotes), LF or CRLF line ends, and a UTF-8 byte order mark at the start is
//! skipped. A backslash before a comma (`Smith\, Ann`) also keeps the comma in the value, as
//! files written for Cognito do. Fields are trimmed.
//!
//! Beyond Cognito, a file may carry one more column, [`PASSWORD_HASH_COLUMN`]
//! (`password_hash`): a password hash from the system being left (PHC string or bcrypt's
//! `$2b$…`). It is not an attribute: `GetCSVHeader` does not list it, and the facade checks
//! and seals it (see `userpool`'s import jobs).

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::io;

use serde::{Deserialize, Serialize};

use crate::attributes::{Attribute, validate_attribute};
use crate::schema::Schema;
use crate::standard_attribute::StandardAttribute;
use crate::username::validate_username;

/// The standard columns, in `GetCSVHeader`'s order.
#[allow(
    clippy::indexing_slicing,
    reason = "built at compile time: an index out of range fails the build"
)]
pub const STANDARD_COLUMNS: [&str; 21] = {
    // Every standard attribute but `sub` (Cognito makes it), then Cognito's two columns.
    let standard = StandardAttribute::names(StandardAttribute::ALL);
    let mut out = [""; 21];
    let mut i = 1;
    while i < standard.len() {
        out[i - 1] = standard[i];
        i += 1;
    }
    out[19] = "cognito:mfa_enabled";
    out[20] = "cognito:username";
    out
};
/// The optional column of an imported password hash. Not `custom:…` (that is the pool's own
/// attribute namespace, validated against its schema and returned by GetUser), not
/// `cognito:…` (Cognito's reserved namespace, which it may fill one day) and no OIDC standard
/// claim: a plain name no attribute can have.
pub const PASSWORD_HASH_COLUMN: &str = "password_hash";
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
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedUser {
    /// `cognito:username`.
    pub username: String,
    /// Non-empty attributes, normalized (booleans lowercase, `birthdate` as `YYYY-MM-DD`).
    pub attributes: BTreeMap<String, String>,
    /// `cognito:mfa_enabled`.
    pub mfa_enabled: bool,
    /// The file line the row starts on (0 when parsed alone).
    #[serde(default)]
    pub line: usize,
    /// The [`PASSWORD_HASH_COLUMN`] value, unchecked, if the file has one for this row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_hash: Option<String>,
}

impl fmt::Debug for ImportedUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImportedUser")
            .field("username", &self.username)
            .field("attributes", &self.attributes)
            .field("mfa_enabled", &self.mfa_enabled)
            .field("line", &self.line)
            .field(
                "password_hash",
                &self.password_hash.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// Why one row was refused (line numbers count the header as line 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    /// The file line the row starts on.
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
    /// Not UTF-8.
    #[error("The CSV file must be UTF-8.")]
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

fn reader<R: io::Read>(source: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::None)
        .from_reader(source)
}

/// A record's fields: a field ending in a backslash keeps the comma after it (`a\,b` is one
/// field `a,b`), then each is trimmed.
fn fields_of(record: &csv::StringRecord) -> Vec<String> {
    let mut fields = Vec::with_capacity(record.len());
    let mut pending: Option<String> = None;
    for field in record {
        let joined = match pending.take() {
            Some(mut head) => {
                head.push(',');
                head.push_str(field);
                head
            }
            None => field.to_owned(),
        };
        match joined.strip_suffix('\\') {
            Some(head) => pending = Some(head.to_owned()),
            None => fields.push(joined.trim().to_owned()),
        }
    }
    if let Some(rest) = pending {
        fields.push(format!("{rest}\\").trim().to_owned());
    }
    fields
}

/// Splits one row (CSV quoting; `\,` is a literal comma) and trims each field.
pub fn split_row(line: &str) -> Vec<String> {
    let mut record = csv::StringRecord::new();
    match reader(line.as_bytes()).read_record(&mut record) {
        Ok(true) => fields_of(&record),
        _ => vec![String::new()],
    }
}

/// A file being read row by row (what an import job does, a batch at a time).
pub struct CsvImport<'a> {
    bytes: &'a [u8],
    /// A byte offset and the line it is on (line numbers are counted here: the `csv`
    /// crate's count leaves out blank lines and breaks inside quotes).
    counted: (usize, usize),
    reader: csv::Reader<io::Cursor<&'a [u8]>>,
    header: Vec<String>,
    rules: ImportRules<'a>,
    usernames: HashSet<String>,
    record: csv::StringRecord,
}

impl fmt::Debug for CsvImport<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CsvImport")
            .field("header", &self.header)
            .finish_non_exhaustive()
    }
}

impl<'a> CsvImport<'a> {
    /// Checks the file as a whole (size, encoding, number of rows, header) and positions the
    /// reader on the first row. The header holds every `GetCSVHeader` column once, in any
    /// order, and may add [`PASSWORD_HASH_COLUMN`].
    pub fn new(bytes: &'a [u8], rules: ImportRules<'a>) -> Result<Self, FileError> {
        if bytes.len() > MAX_FILE_BYTES {
            return Err(FileError::TooLarge);
        }
        let bytes = bytes.strip_prefix(&[0xef, 0xbb, 0xbf]).unwrap_or(bytes);
        std::str::from_utf8(bytes).map_err(|_| FileError::Encoding)?;
        // One reader counts the rows, then goes back to the start to read them (building a
        // reader builds its parser's tables, so it is done once per file).
        let mut reader = reader(io::Cursor::new(bytes));
        let mut raw = csv::ByteRecord::new();
        let mut rows = 0usize;
        while reader.read_byte_record(&mut raw).unwrap_or(false) {
            rows += 1;
            if rows > MAX_USERS + 1 {
                return Err(FileError::TooLarge);
            }
        }
        if reader.seek(csv::Position::new()).is_err() {
            reader = self::reader(io::Cursor::new(bytes));
        }
        let mut record = csv::StringRecord::new();
        if !reader.read_record(&mut record).unwrap_or(false) {
            return Err(FileError::Header("empty file".into()));
        }
        let header = fields_of(&record);
        let expected = csv_header(rules.schema);
        let mut seen_columns = HashSet::new();
        for column in &header {
            if !expected.contains(column) && column != PASSWORD_HASH_COLUMN {
                return Err(FileError::Header(format!("unknown column {column}")));
            }
            if !seen_columns.insert(column.clone()) {
                return Err(FileError::Header(format!("repeated column {column}")));
            }
        }
        if let Some(missing) = expected.iter().find(|c| !seen_columns.contains(*c)) {
            return Err(FileError::Header(format!("missing column {missing}")));
        }
        Ok(Self {
            bytes,
            counted: (0, 1),
            reader,
            header,
            rules,
            usernames: HashSet::new(),
            record,
        })
    }

    /// The next row that is not blank: a user, or why the row was refused (a username seen
    /// earlier in the file is refused as a duplicate). `None` at the end of the file.
    pub fn next_row(&mut self) -> Option<Result<ImportedUser, RowError>> {
        loop {
            let at = usize::try_from(self.reader.position().byte()).unwrap_or(usize::MAX);
            let read = self.reader.read_record(&mut self.record);
            let start = self
                .record
                .position()
                .and_then(|p| usize::try_from(p.byte()).ok())
                .filter(|_| read.is_ok())
                .unwrap_or(at);
            // The crate's offset is where the previous row's line end (and any blank lines
            // after it) begins: the row starts after them.
            let start = self
                .bytes
                .get(start..)
                .and_then(|rest| rest.iter().position(|b| *b != b'\r' && *b != b'\n'))
                .map_or(start, |skip| start + skip);
            let line = self.line_of(start);
            match read {
                Ok(false) => return None,
                Err(_) => {
                    return Some(Err(RowError {
                        line,
                        message: "Row is not valid CSV.".into(),
                    }));
                }
                Ok(true) => {}
            }
            if self.record.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            let length = self
                .record
                .iter()
                .map(|f| f.chars().count() + 1)
                .sum::<usize>();
            let result = if length > MAX_ROW_LEN + 1 {
                Err("Row is longer than 16,000 characters.".to_owned())
            } else {
                parse_row(&self.header, &fields_of(&self.record), &self.rules)
            };
            return Some(match result {
                Ok(user) if !self.usernames.insert(user.username.clone()) => Err(RowError {
                    line,
                    message: format!("Duplicate cognito:username {}", user.username),
                }),
                Ok(user) => Ok(ImportedUser { line, ..user }),
                Err(message) => Err(RowError { line, message }),
            });
        }
    }
}

impl CsvImport<'_> {
    /// The line byte offset `at` is on (offsets only grow from one row to the next).
    fn line_of(&mut self, at: usize) -> usize {
        let (from, line) = self.counted;
        if at <= from {
            return line;
        }
        let newlines = self
            .bytes
            .get(from..at)
            .map_or(0, |b| b.iter().filter(|c| **c == b'\n').count());
        self.counted = (at, line + newlines);
        line + newlines
    }
}

/// Parses a whole file: header, then each row; bad rows are reported, not fatal.
pub fn parse_file(bytes: &[u8], rules: &ImportRules<'_>) -> Result<ImportReport, FileError> {
    let mut file = CsvImport::new(bytes, *rules)?;
    let mut report = ImportReport::default();
    while let Some(row) = file.next_row() {
        match row {
            Ok(user) => report.users.push(user),
            Err(e) => report.errors.push(e),
        }
    }
    Ok(report)
}

/// Validates one row's (trimmed) `fields` against `header`.
pub fn parse_row(
    header: &[String],
    fields: &[String],
    rules: &ImportRules<'_>,
) -> Result<ImportedUser, String> {
    if fields.len() != header.len() {
        return Err(format!(
            "Row has {} fields, the header has {}.",
            fields.len(),
            header.len()
        ));
    }
    let mut username = None;
    let mut mfa_enabled = None;
    let mut password_hash = None;
    let mut attributes = BTreeMap::new();
    for (column, value) in header.iter().zip(fields.iter().cloned()) {
        if value.is_empty() {
            continue;
        }
        match column.as_str() {
            PASSWORD_HASH_COLUMN => password_hash = Some(value),
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
        line: 0,
        password_hash,
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
#[path = "csv_import_tests.rs"]
mod tests;
