//! Canonical JSON (RFC 8785, the JSON Canonicalization Scheme) written
//! straight from `Serialize` into one buffer, without building a
//! `serde_json::Value` (which copied every string of a report and allocated
//! a tree node per member).
//!
//! Object members are written in the order serde gives them, each one's
//! bytes recorded; an object whose keys came out of order is rewritten once,
//! sorted, at its end (structs with their fields declared in key order cost
//! nothing). Strings are escaped by serde_json, whose escapes are RFC 8785's.
//! Where this writer cannot be sure of RFC 8785's bytes it stops with
//! [`Error::Unsupported`], and the caller uses the general canonicaliser:
//! a float (RFC 8785 prints numbers as JavaScript does), an integer beyond
//! 2^53 (a double does not hold it exactly), a key that is not ASCII
//! (RFC 8785 sorts keys by UTF-16 code units, which for ASCII is byte
//! order), a key given twice, a map key that is not a string or an integer.
//!
//! Kept under the simplicity rule (README, Contributing): without it,
//! `stet diff --format json` of a 1 MB pair takes 25% more CPU (32.8 →
//! 41.0 ms; BENCHMARKS.md).

use std::borrow::Cow;
use std::fmt::Display;
use std::io::Write as _;
use std::ops::Range;

use serde::ser::{self, Serialize};

/// Why a value was not written.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    /// The value holds something this writer leaves to the general
    /// canonicaliser.
    #[error("not for the fast canonical writer: {0}")]
    Unsupported(&'static str),
    /// The value's own `Serialize` failed.
    #[error("{0}")]
    Custom(String),
}

impl ser::Error for Error {
    fn custom<T: Display>(msg: T) -> Self {
        Error::Custom(msg.to_string())
    }
}

/// The RFC 8785 bytes of `value`, or why this writer cannot give them.
pub(crate) fn to_vec<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, Error> {
    let mut w = Writer {
        out: Vec::new(),
        scratch: Vec::new(),
    };
    value.serialize(&mut w)?;
    Ok(w.out)
}

/// Integers up to this magnitude print the same in RFC 8785 (as a double,
/// by JavaScript's rules) and in serde_json: plain digits.
const EXACT: u64 = 1 << 53;

struct Writer {
    out: Vec<u8>,
    /// Where an object's members wait while it is rewritten in key order
    /// (objects end one at a time: one buffer serves them all).
    scratch: Vec<u8>,
}

impl Writer {
    fn string(&mut self, s: &str) -> Result<(), Error> {
        // Most strings need no escape (only controls, `"` and `\` do, in
        // serde_json as in RFC 8785): copied whole, after a test of 32
        // bytes at a time.
        let plain = s.as_bytes().chunks(32).all(|chunk| {
            !chunk.iter().fold(false, |any, &c| {
                any | (c < 0x20) | (c == b'"') | (c == b'\\')
            })
        });
        if plain {
            self.out.reserve(s.len() + 2);
            self.out.push(b'"');
            self.out.extend_from_slice(s.as_bytes());
            self.out.push(b'"');
            return Ok(());
        }
        serde_json::to_writer(&mut self.out, s).map_err(|e| Error::Custom(e.to_string()))
    }

    fn unsigned(&mut self, v: u64) -> Result<(), Error> {
        if v > EXACT {
            return Err(Error::Unsupported("an integer beyond 2^53"));
        }
        // Writing to a `Vec` cannot fail.
        let _ = write!(self.out, "{v}");
        Ok(())
    }

    fn signed(&mut self, v: i64) -> Result<(), Error> {
        if v.unsigned_abs() > EXACT {
            return Err(Error::Unsupported("an integer beyond 2^53"));
        }
        let _ = write!(self.out, "{v}");
        Ok(())
    }

    fn object(&mut self, close: &'static [u8]) -> Object<'_> {
        self.out.push(b'{');
        let start = self.out.len();
        Object {
            w: self,
            start,
            members: Vec::new(),
            sorted: true,
            key: None,
            close,
        }
    }

    fn seq(&mut self, close: &'static [u8]) -> Seq<'_> {
        self.out.push(b'[');
        Seq {
            w: self,
            first: true,
            close,
        }
    }
}

/// An object being written.
struct Object<'w> {
    w: &'w mut Writer,
    /// Where its members start in the buffer (after the `{`).
    start: usize,
    /// Each member's key and bytes (`"key":value`, without the comma).
    members: Vec<(Cow<'static, str>, Range<usize>)>,
    /// Whether the keys so far came in strictly increasing order.
    sorted: bool,
    /// A map's key, waiting for its value.
    key: Option<String>,
    /// What ends it: `}`, or `}}` inside an enum variant's object.
    close: &'static [u8],
}

impl Object<'_> {
    fn member<T: Serialize + ?Sized>(
        &mut self,
        key: Cow<'static, str>,
        value: &T,
    ) -> Result<(), Error> {
        if !key.is_ascii() {
            return Err(Error::Unsupported("a key that is not ASCII"));
        }
        if let Some((last, _)) = self.members.last() {
            self.sorted &= **last < *key;
            self.w.out.push(b',');
        }
        let from = self.w.out.len();
        self.w.string(&key)?;
        self.w.out.push(b':');
        value.serialize(&mut *self.w)?;
        self.members.push((key, from..self.w.out.len()));
        Ok(())
    }

    fn end(mut self) -> Result<(), Error> {
        if !self.sorted {
            self.members.sort_by(|a, b| a.0.cmp(&b.0));
            if self.members.windows(2).any(|p| p[0].0 == p[1].0) {
                return Err(Error::Unsupported("a key given twice"));
            }
            let mut body = std::mem::take(&mut self.w.scratch);
            body.clear();
            body.extend_from_slice(self.w.out.get(self.start..).unwrap_or_default());
            self.w.out.truncate(self.start);
            for (k, (_, range)) in self.members.iter().enumerate() {
                if k > 0 {
                    self.w.out.push(b',');
                }
                let at = range.start - self.start..range.end - self.start;
                self.w
                    .out
                    .extend_from_slice(body.get(at).unwrap_or_default());
            }
            self.w.scratch = body;
        }
        self.w.out.extend_from_slice(self.close);
        Ok(())
    }
}

/// An array being written.
struct Seq<'w> {
    w: &'w mut Writer,
    first: bool,
    /// What ends it: `]`, or `]}` inside an enum variant's object.
    close: &'static [u8],
}

impl Seq<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        if !self.first {
            self.w.out.push(b',');
        }
        self.first = false;
        value.serialize(&mut *self.w)
    }

    fn end(self) -> Result<(), Error> {
        self.w.out.extend_from_slice(self.close);
        Ok(())
    }
}

impl<'w> ser::Serializer for &'w mut Writer {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Seq<'w>;
    type SerializeTuple = Seq<'w>;
    type SerializeTupleStruct = Seq<'w>;
    type SerializeTupleVariant = Seq<'w>;
    type SerializeMap = Object<'w>;
    type SerializeStruct = Object<'w>;
    type SerializeStructVariant = Object<'w>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.out
            .extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }

    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.signed(v.into())
    }

    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.signed(v.into())
    }

    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.signed(v.into())
    }

    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.signed(v)
    }

    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        let v = i64::try_from(v).map_err(|_| Error::Unsupported("an integer beyond 2^53"))?;
        self.signed(v)
    }

    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.unsigned(v.into())
    }

    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.unsigned(v.into())
    }

    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.unsigned(v.into())
    }

    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.unsigned(v)
    }

    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        let v = u64::try_from(v).map_err(|_| Error::Unsupported("an integer beyond 2^53"))?;
        self.unsigned(v)
    }

    fn serialize_f32(self, _: f32) -> Result<(), Error> {
        Err(Error::Unsupported("a float"))
    }

    fn serialize_f64(self, _: f64) -> Result<(), Error> {
        Err(Error::Unsupported("a float"))
    }

    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.string(v.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.string(v)
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        // As serde_json: an array of numbers.
        let mut seq = self.seq(b"]");
        for b in v {
            seq.element(b)?;
        }
        seq.end()
    }

    fn serialize_none(self) -> Result<(), Error> {
        self.serialize_unit()
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Error> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.string(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        let mut object = self.object(b"}");
        object.member(Cow::Borrowed(variant), value)?;
        object.end()
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Seq<'w>, Error> {
        Ok(self.seq(b"]"))
    }

    fn serialize_tuple(self, _: usize) -> Result<Seq<'w>, Error> {
        Ok(self.seq(b"]"))
    }

    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Seq<'w>, Error> {
        Ok(self.seq(b"]"))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Seq<'w>, Error> {
        // {"variant":[...]}: one key, so no sorting.
        self.out.push(b'{');
        self.string(variant)?;
        self.out.push(b':');
        Ok(self.seq(b"]}"))
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Object<'w>, Error> {
        Ok(self.object(b"}"))
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Object<'w>, Error> {
        Ok(self.object(b"}"))
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Object<'w>, Error> {
        // {"variant":{...}}: one key outside, the fields sorted inside.
        self.out.push(b'{');
        self.string(variant)?;
        self.out.push(b':');
        Ok(self.object(b"}}"))
    }
}

/// serde's four array traits: each an element at a time.
macro_rules! array_traits {
    ($($name:ident::$method:ident),*) => {
        $(impl ser::$name for Seq<'_> {
            type Ok = ();
            type Error = Error;

            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                self.element(value)
            }

            fn end(self) -> Result<(), Error> {
                Seq::end(self)
            }
        })*
    };
}

array_traits!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for Object<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.key = Some(key.serialize(KeyWriter)?);
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let key = self
            .key
            .take()
            .ok_or(Error::Custom("a map value without its key".to_string()))?;
        self.member(Cow::Owned(key), value)
    }

    fn end(self) -> Result<(), Error> {
        Object::end(self)
    }
}

/// serde's two struct traits: each field a member.
macro_rules! struct_traits {
    ($($name:ident),*) => {
        $(impl ser::$name for Object<'_> {
            type Ok = ();
            type Error = Error;

            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Error> {
                self.member(Cow::Borrowed(key), value)
            }

            fn end(self) -> Result<(), Error> {
                Object::end(self)
            }
        })*
    };
}

struct_traits!(SerializeStruct, SerializeStructVariant);

/// `fn $method(self, v: $type) -> Result<String, Error>`: `v` in digits.
macro_rules! integer_keys {
    ($($method:ident: $t:ty),*) => {
        $(fn $method(self, v: $t) -> Result<String, Error> {
            Ok(v.to_string())
        })*
    };
}

/// A map key as the string JSON gives it: a string as it is, an integer in
/// digits (as serde_json writes it); anything else is left to the general
/// canonicaliser.
struct KeyWriter;

impl KeyWriter {
    fn not_a_string<T>() -> Result<T, Error> {
        Err(Error::Unsupported("a map key that is not a string"))
    }
}

impl ser::Serializer for KeyWriter {
    type Ok = String;
    type Error = Error;
    type SerializeSeq = ser::Impossible<String, Error>;
    type SerializeTuple = ser::Impossible<String, Error>;
    type SerializeTupleStruct = ser::Impossible<String, Error>;
    type SerializeTupleVariant = ser::Impossible<String, Error>;
    type SerializeMap = ser::Impossible<String, Error>;
    type SerializeStruct = ser::Impossible<String, Error>;
    type SerializeStructVariant = ser::Impossible<String, Error>;

    fn serialize_str(self, v: &str) -> Result<String, Error> {
        Ok(v.to_string())
    }

    fn serialize_char(self, v: char) -> Result<String, Error> {
        Ok(v.to_string())
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<String, Error> {
        Ok(variant.to_string())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<String, Error> {
        value.serialize(self)
    }

    // Integers are written in digits, as serde_json writes integer keys.
    integer_keys!(
        serialize_i8: i8,
        serialize_i16: i16,
        serialize_i32: i32,
        serialize_i64: i64,
        serialize_u8: u8,
        serialize_u16: u16,
        serialize_u32: u32,
        serialize_u64: u64
    );

    fn serialize_bool(self, _: bool) -> Result<String, Error> {
        Self::not_a_string()
    }

    fn serialize_f32(self, _: f32) -> Result<String, Error> {
        Self::not_a_string()
    }

    fn serialize_f64(self, _: f64) -> Result<String, Error> {
        Self::not_a_string()
    }

    fn serialize_bytes(self, _: &[u8]) -> Result<String, Error> {
        Self::not_a_string()
    }

    fn serialize_none(self) -> Result<String, Error> {
        Self::not_a_string()
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<String, Error> {
        Self::not_a_string()
    }

    fn serialize_unit(self) -> Result<String, Error> {
        Self::not_a_string()
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<String, Error> {
        Self::not_a_string()
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<String, Error> {
        Self::not_a_string()
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Self::not_a_string()
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        Self::not_a_string()
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Self::not_a_string()
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Self::not_a_string()
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Self::not_a_string()
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Error> {
        Self::not_a_string()
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Self::not_a_string()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, HashMap};

    use proptest::prelude::*;
    use serde::Serialize;

    /// Members declared out of key order, at several depths, and every
    /// shape of the serde data model that reports and manifests use.
    #[derive(Debug, Clone, Serialize)]
    struct Doc {
        zeta: Option<String>,
        alpha: u64,
        #[serde(skip_serializing_if = "Option::is_none")]
        middle: Option<i64>,
        items: Vec<Item>,
        map: HashMap<String, u32>,
        sorted: BTreeMap<u32, bool>,
        #[serde(flatten)]
        extra: Flat,
        pair: (u8, String),
        unit: (),
        bytes: Vec<u8>,
    }

    #[derive(Debug, Clone, Serialize)]
    struct Flat {
        mid: String,
        aa: bool,
    }

    #[derive(Debug, Clone, Serialize)]
    #[serde(rename_all = "snake_case")]
    enum Item {
        Plain,
        Newtype(String),
        Tuple(u32, String),
        Record { z: u32, a: String },
    }

    fn text() -> impl Strategy<Value = String> {
        "[a-zé\u{0}-\u{1f}\u{7f}\u{2028}\u{1f600}\\\\\"/ ]{0,8}"
    }

    fn doc() -> impl Strategy<Value = Doc> {
        let item = prop_oneof![
            Just(Item::Plain),
            text().prop_map(Item::Newtype),
            (any::<u32>(), text()).prop_map(|(n, s)| Item::Tuple(n, s)),
            (any::<u32>(), text()).prop_map(|(z, a)| Item::Record { z, a }),
        ];
        (
            (
                proptest::option::of(text()),
                prop_oneof![0u64..100, (1u64 << 53) - 2..(1 << 53) + 2],
                proptest::option::of(any::<i64>()),
                proptest::collection::vec(item, 0..4),
                proptest::collection::hash_map("[a-zA-Z_]{0,3}|[é\u{1f600}]", any::<u32>(), 0..4),
            ),
            (
                proptest::collection::btree_map(any::<u32>(), any::<bool>(), 0..4),
                text(),
                any::<bool>(),
                any::<u8>(),
                text(),
                proptest::collection::vec(any::<u8>(), 0..3),
            ),
        )
            .prop_map(
                |((zeta, alpha, middle, items, map), (sorted, mid, aa, n, s, bytes))| Doc {
                    zeta,
                    alpha,
                    middle,
                    items,
                    map,
                    sorted,
                    extra: Flat { mid, aa },
                    pair: (n, s),
                    unit: (),
                    bytes,
                },
            )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, .. ProptestConfig::default() })]
        /// The writer gives the general canonicaliser's bytes, and leaves
        /// to it exactly the documents with an integer beyond 2^53 or a
        /// key that is not ASCII.
        #[test]
        fn writes_what_the_general_canonicaliser_writes(d in doc()) {
            let general = serde_json_canonicalizer::to_vec(&d).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let left_out = d.alpha > 1 << 53
                || d.middle.is_some_and(|m| m.unsigned_abs() > 1 << 53)
                || d.map.keys().any(|k| !k.is_ascii());
            match super::to_vec(&d) {
                Ok(bytes) => {
                    prop_assert!(!left_out);
                    prop_assert_eq!(String::from_utf8_lossy(&bytes), String::from_utf8_lossy(&general));
                }
                Err(super::Error::Unsupported(_)) => prop_assert!(left_out),
                Err(e) => return Err(TestCaseError::fail(e.to_string())),
            }
            prop_assert_eq!(crate::digest::canonical_json(&d).ok(), Some(general));
        }
    }

    #[test]
    fn leaves_floats_and_repeated_keys_to_the_general_canonicaliser() {
        assert!(matches!(
            super::to_vec(&1.5f64),
            Err(super::Error::Unsupported(_))
        ));
        #[derive(Serialize)]
        struct Twice {
            b: u8,
            #[serde(flatten)]
            inner: BTreeMap<&'static str, u8>,
        }
        let twice = Twice {
            b: 1,
            inner: BTreeMap::from([("a", 2), ("b", 3)]),
        };
        assert!(matches!(
            super::to_vec(&twice),
            Err(super::Error::Unsupported(_))
        ));
    }
}
