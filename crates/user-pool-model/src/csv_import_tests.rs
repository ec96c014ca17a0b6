//! Tests of the CSV import format.

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
    let with_bom = format!("\u{feff}{}", header_line(&s));
    assert_eq!(
        parse_file(with_bom.as_bytes(), &rules(&s)),
        Ok(ImportReport::default())
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

#[test]
fn quoted_fields_crlf_and_backslash_commas() {
    assert_eq!(
        split_row(r#" a ,"b, ""c""",d\,e , "#),
        vec!["a", "b, \"c\"", "d,e", ""]
    );
    let s = Schema::default();
    let mut header = csv_header(&s);
    header.push(PASSWORD_HASH_COLUMN.to_owned());
    let name_at = header.iter().position(|c| c == "name").expect("name");
    let row = |username: &str, name: &str, hash: &str| {
        header
            .iter()
            .enumerate()
            .map(|(i, c)| match c.as_str() {
                "cognito:username" => username.to_owned(),
                "cognito:mfa_enabled" => "false".to_owned(),
                PASSWORD_HASH_COLUMN => hash.to_owned(),
                _ if i == name_at => name.to_owned(),
                _ => String::new(),
            })
            .collect::<Vec<_>>()
            .join(",")
    };
    let file = format!(
        "\u{feff}{}\r\n{}\r\n{}\r\n\r\n{}\r\n",
        header.join(","),
        row("ann", "\"Smith, Ann\nthe second\"", "$2b$04$abc"),
        row("bob", "Bob", ""),
        row("ann", "again", ""),
    );
    let report = parse_file(file.as_bytes(), &rules(&s)).expect("file");
    assert_eq!(report.users.len(), 2);
    let ann = &report.users[0];
    assert_eq!(ann.attributes["name"], "Smith, Ann\nthe second");
    assert_eq!(ann.password_hash.as_deref(), Some("$2b$04$abc"));
    assert!(!format!("{ann:?}").contains("$2b$"), "the hash is redacted");
    assert_eq!(report.users[1].password_hash, None);
    assert_eq!(
        report.errors,
        vec![RowError {
            line: 6,
            message: "Duplicate cognito:username ann".into()
        }],
        "the quoted line break counts: ann's row spans lines 2 and 3"
    );
    let twice = format!("{},{PASSWORD_HASH_COLUMN}", header.join(","));
    assert_eq!(
        parse_file(twice.as_bytes(), &rules(&s)),
        Err(FileError::Header(format!(
            "repeated column {PASSWORD_HASH_COLUMN}"
        )))
    );
}
