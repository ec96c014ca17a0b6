//! Fuzz harnesses for `user-pool-model`, shared by the cargo-fuzz targets and by the crate's
//! integration test that replays the committed corpus.

use user_pool_model::csv_import::{ImportRules, csv_header, parse_file, split_row};
use user_pool_model::{Filter, FilterOp, Schema};

fn render(f: &Filter) -> String {
    let name = match f.attribute {
        user_pool_model::FilterAttribute::Username => "username",
        user_pool_model::FilterAttribute::Email => "email",
        user_pool_model::FilterAttribute::PhoneNumber => "phone_number",
        user_pool_model::FilterAttribute::Name => "name",
        user_pool_model::FilterAttribute::GivenName => "given_name",
        user_pool_model::FilterAttribute::FamilyName => "family_name",
        user_pool_model::FilterAttribute::PreferredUsername => "preferred_username",
        user_pool_model::FilterAttribute::UserStatus => "cognito:user_status",
        user_pool_model::FilterAttribute::Status => "status",
        user_pool_model::FilterAttribute::Sub => "sub",
    };
    let op = if f.op == FilterOp::Equals { "=" } else { "^=" };
    format!(
        "{name} {op} \"{}\"",
        f.value.replace('\\', "\\\\").replace('"', "\\\"")
    )
}

/// The ListUsers filter parser: whatever parses re-renders to a filter that parses the same.
pub(crate) fn filter(data: &[u8]) {
    let s = String::from_utf8_lossy(data);
    if let Ok(Some(f)) = Filter::parse(&s) {
        let again = render(&f);
        if again.chars().count() <= user_pool_model::MAX_FILTER_LEN {
            assert_eq!(Filter::parse(&again), Ok(Some(f)));
        }
    }
}

/// The CSV row and file parsers: never panic; a row splits into the fields it was joined from.
pub(crate) fn csv(data: &[u8]) {
    let schema = Schema::default();
    let rules = ImportRules {
        schema: &schema,
        mfa_required: None,
        auto_verified: &[],
    };
    let text = String::from_utf8_lossy(data);
    let fields = split_row(&text);
    assert!(!fields.is_empty());
    let file = format!("{}\n{text}", csv_header(&schema).join(","));
    if let Ok(report) = parse_file(file.as_bytes(), &rules) {
        for user in &report.users {
            assert!(!user.username.is_empty());
        }
    }
    let _ = parse_file(data, &rules);
}
