//! Invariants over arbitrary input.

use proptest::prelude::*;
use user_pool_model::csv_import::split_row;
use user_pool_model::{
    Attribute, Error, Filter, FilterOp, PasswordPolicy, Schema, validate_attribute,
    validate_username,
};

proptest! {
    #[test]
    fn any_value_round_trips_through_filter_escaping(value in "[^\u{0}]{0,60}", prefix in any::<bool>()) {
        let escaped = value.replace('\\', "\\\\").replace('"', "\\\"");
        let op = if prefix { "^=" } else { "=" };
        let f = Filter::parse(&format!("email {op} \"{escaped}\"")).expect("parses").expect("not empty");
        prop_assert_eq!(f.value, value);
        prop_assert_eq!(f.op, if prefix { FilterOp::StartsWith } else { FilterOp::Equals });
    }

    #[test]
    fn parsers_never_panic(s in ".{0,300}") {
        let _ = Filter::parse(&s);
        let _ = split_row(&s);
        let _ = PasswordPolicy::default().check(&s);
        let _ = validate_username(&s);
        let _ = validate_attribute(&Schema::default(), &Attribute::new("email", s.clone()));
        let _ = user_pool_model::UserPoolId::parse(&s);
    }

    #[test]
    fn csv_fields_round_trip(fields in proptest::collection::vec("[^,\\\\\n\r\"\u{feff}]{0,12}", 1..8)) {
        let trimmed: Vec<String> = fields.iter().map(|f| f.trim().to_owned()).collect();
        prop_assert_eq!(split_row(&fields.join(",")), trimmed);
        let with_commas: Vec<String> = fields.iter().map(|f| format!("a,{}", f.trim())).collect();
        let joined = with_commas.iter().map(|f| f.replace(',', "\\,")).collect::<Vec<_>>().join(",");
        prop_assert_eq!(split_row(&joined), with_commas.iter().map(|f| f.trim().to_owned()).collect::<Vec<_>>());
    }

    #[test]
    fn passwords_meeting_every_class_pass(core in "[a-z]{2}[A-Z]{2}[0-9]{2}[!@#]{2}") {
        prop_assert_eq!(PasswordPolicy::default().check(&core), Ok(()));
        let lower = core.to_lowercase();
        prop_assert_eq!(PasswordPolicy::default().check(&lower), Err(Error::InvalidPassword("Password must have uppercase characters")));
    }
}
