//! A strict JSON object reader for attacker-controlled headers, payloads and JWKS.
//!
//! `serde_json::Value` silently keeps the last of duplicate members, and two parsers that
//! disagree on which duplicate wins are a classic bypass (CouchDB CVE-2017-12635). This reader
//! rejects duplicates and nesting deeper than [`MAX_DEPTH`]; serde_json already rejects invalid
//! UTF-8, lone surrogates and trailing data, and we reject a leading BOM.

use core::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// Deepest nesting accepted (the top-level object is depth 1).
pub const MAX_DEPTH: usize = 16;

/// Parses `bytes` as one JSON object with unique member names and bounded depth: `None` for
/// anything else (duplicates at any depth, nesting past [`MAX_DEPTH`], a BOM, invalid UTF-8,
/// trailing data). Other attacker-facing JSON (request bodies) uses it too.
///
/// ```
/// assert!(jwt_tokens::strict_json::parse_object(br#"{"a":{"b":1}}"#).is_some());
/// assert!(jwt_tokens::strict_json::parse_object(br#"{"a":1,"a":2}"#).is_none());
/// ```
pub fn parse_object(bytes: &[u8]) -> Option<Map<String, Value>> {
    if bytes.starts_with(&[0xef, 0xbb, 0xbf]) {
        return None;
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = Strict { depth: 1 }.deserialize(&mut de).ok()?;
    de.end().ok()?;
    match value {
        Value::Object(map) => Some(map),
        _ => None,
    }
}

#[derive(Clone, Copy)]
struct Strict {
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for Strict {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strict {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("non-finite number"))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let inner = self.nested::<A::Error>()?;
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(inner)? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let inner = self.nested::<A::Error>()?;
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(de::Error::custom("duplicate member"));
            }
            let value = map.next_value_seed(inner)?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

impl Strict {
    /// Entering a container at `self.depth`: fails past [`MAX_DEPTH`], else the seed for its
    /// members.
    fn nested<E: de::Error>(self) -> Result<Self, E> {
        if self.depth > MAX_DEPTH {
            return Err(E::custom("nesting too deep"));
        }
        Ok(Self {
            depth: self.depth + 1,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_plain_objects() {
        let m = parse_object(br#"{"a":1,"b":[true,null,"x",{"c":2.5}],"d":{}}"#).expect("object");
        assert_eq!(m.len(), 3);
    }

    /// Found by the `json_strict` and `jwt_differential` fuzz targets: without serde_json's
    /// `float_roundtrip`, a number written by serde_json read back one ulp off, so a signed
    /// payload's claims were not the claims that were signed.
    #[test]
    fn numbers_read_back_exactly_as_written() {
        for text in ["4.999999999999999e49", "1.2345678901234547e31", "-0.0"] {
            let expected: f64 = text.parse().expect("a float");
            let written = serde_json::to_vec(&serde_json::json!({ "n": expected })).expect("json");
            let read = parse_object(&written).expect("an object");
            assert_eq!(
                read["n"].as_f64().map(f64::to_bits),
                Some(expected.to_bits())
            );
        }
    }

    #[test]
    fn rejects_duplicates_at_any_depth() {
        assert!(parse_object(br#"{"alg":"RS256","alg":"none"}"#).is_none());
        assert!(parse_object(br#"{"a":{"b":1,"b":2}}"#).is_none());
        assert!(parse_object(br#"{"a":[{"b":1,"b":1}]}"#).is_none());
        // Escaped spellings of the same name are the same name.
        assert!(parse_object(br#"{"alg":1,"\u0061lg":2}"#).is_none());
    }

    #[test]
    fn rejects_deep_nesting_non_objects_and_junk() {
        let deep = format!(
            "{{\"a\":{}1{}}}",
            "[".repeat(MAX_DEPTH),
            "]".repeat(MAX_DEPTH)
        );
        assert!(parse_object(deep.as_bytes()).is_none());
        let ok = format!(
            "{{\"a\":{}1{}}}",
            "[".repeat(MAX_DEPTH - 1),
            "]".repeat(MAX_DEPTH - 1)
        );
        assert!(parse_object(ok.as_bytes()).is_some());
        for bad in [
            &b"[]"[..],
            b"1",
            b"\"x\"",
            b"{} {}",
            b"{",
            b"\xef\xbb\xbf{}",
            b"{\"a\":\"\xff\"}",
            b"{\"a\":\"\\ud800\"}",
        ] {
            assert!(parse_object(bad).is_none(), "{bad:?}");
        }
    }
}
