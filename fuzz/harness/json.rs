//! Fuzz harness for the strict JSON reader every attacker-facing JSON goes through (request
//! bodies of the JSON 1.1 protocol via `userpool::wire::decode`, JWS headers and payloads,
//! JWKS, identity providers' answers), shared by the `json_strict` target and the
//! `jwt-tokens` corpus replay.
//!
//! Differential against serde_json plus an independent count of members and depth: the
//! strict reader accepts exactly the JSON objects serde_json accepts that have no duplicated
//! member at any depth, nest at most `MAX_DEPTH` containers and start without a BOM, and then
//! yields serde_json's value.

use core::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// Members seen (duplicates included) and the deepest container, counted while reading.
#[derive(Clone, Copy, Default)]
struct Count {
    members: usize,
    depth: usize,
}

struct Counter(usize);

impl<'de> DeserializeSeed<'de> for Counter {
    type Value = Count;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Count, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Counter {
    type Value = Count;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JSON")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Count, E> {
        Ok(Count::default())
    }
    fn visit_i64<E>(self, _: i64) -> Result<Count, E> {
        Ok(Count::default())
    }
    fn visit_u64<E>(self, _: u64) -> Result<Count, E> {
        Ok(Count::default())
    }
    fn visit_f64<E>(self, _: f64) -> Result<Count, E> {
        Ok(Count::default())
    }
    fn visit_str<E>(self, _: &str) -> Result<Count, E> {
        Ok(Count::default())
    }
    fn visit_unit<E>(self) -> Result<Count, E> {
        Ok(Count::default())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Count, A::Error> {
        let mut total = Count {
            members: 0,
            depth: self.0 + 1,
        };
        while let Some(c) = seq.next_element_seed(Self(self.0 + 1))? {
            total.members += c.members;
            total.depth = total.depth.max(c.depth);
        }
        Ok(total)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Count, A::Error> {
        let mut total = Count {
            members: 0,
            depth: self.0 + 1,
        };
        while map.next_key::<String>()?.is_some() {
            let c = map.next_value_seed(Self(self.0 + 1))?;
            total.members += 1 + c.members;
            total.depth = total.depth.max(c.depth);
        }
        Ok(total)
    }
}

fn members(v: &Value) -> usize {
    match v {
        Value::Object(m) => m.values().map(|v| 1 + members(v)).sum(),
        Value::Array(a) => a.iter().map(members).sum(),
        _ => 0,
    }
}

/// The differential (see the module docs).
pub(crate) fn strict(data: &[u8]) {
    let strict = jwt_tokens::strict_json::parse_object(data);
    // serde_json's own recursion limit is 128; past it both refuse.
    let loose: Option<Value> = serde_json::from_slice(data).ok();
    let mut de = serde_json::Deserializer::from_slice(data);
    let count = Counter(0)
        .deserialize(&mut de)
        .ok()
        .filter(|_| de.end().is_ok());
    match (&strict, &loose, count) {
        (Some(map), Some(value), Some(count)) => {
            assert_eq!(
                value.as_object(),
                Some(map),
                "the readers disagree on a value"
            );
            assert!(
                count.depth <= jwt_tokens::MAX_DEPTH,
                "too deep: {}",
                count.depth
            );
            assert_eq!(count.members, members(value), "a duplicate was accepted");
        }
        (Some(_), _, _) => panic!("the strict reader accepted what serde_json refuses"),
        (None, Some(Value::Object(_)), Some(count)) => {
            let bom = data.starts_with(&[0xef, 0xbb, 0xbf]);
            let duplicate = loose.as_ref().is_some_and(|v| count.members != members(v));
            assert!(
                bom || duplicate || count.depth > jwt_tokens::MAX_DEPTH,
                "the strict reader refused a plain object"
            );
        }
        _ => {}
    }
    // Whatever serde_json reads, written back without duplicates, reads strictly when shallow.
    if let Some(Value::Object(map)) = &loose
        && let Some(count) = count
        && count.depth <= jwt_tokens::MAX_DEPTH
    {
        let text = serde_json::to_vec(map).expect("a map serialises");
        assert_eq!(
            jwt_tokens::strict_json::parse_object(&text).as_ref(),
            Some(map),
            "a rewritten object was refused"
        );
    }
}
