//! Direct (no `serde_json::Value`) deserialisation of one MARC-in-JSON
//! record, with the same leniency and warnings as [`crate::json::from_value`].

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::read::{Warning, WarningKind};
use crate::record::{Field, Leader, Record, Subfield, Tag};

/// Parses one record; `Err` carries the reason (JSON syntax or shape).
pub(crate) fn parse(raw: &[u8]) -> Result<(Record, Vec<Warning>), String> {
    let mut w = Vec::new();
    let mut de = serde_json::Deserializer::from_slice(raw);
    let (leader, fields) = RecordSeed { w: &mut w }
        .deserialize(&mut de)
        .map_err(|e| e.to_string())?;
    de.end().map_err(|e| format!("invalid JSON: {e}"))?;
    let Some(fields) = fields else {
        return Err("no \"fields\" array".to_owned());
    };
    let leader = match leader {
        Some(s) => {
            let (mut l, fixed) = Leader::from_bytes_lossy(s.as_bytes());
            if s.len() != 24 || !fixed.is_empty() {
                w.push(Warning::new(
                    WarningKind::Leader,
                    format!("leader {s:?} is not 24 ASCII characters; padded/repaired"),
                ));
            }
            l.0[9] = b'a';
            l
        }
        None => {
            w.push(Warning::new(
                WarningKind::Leader,
                "no \"leader\" string; default leader used",
            ));
            Leader::default()
        }
    };
    Ok((Record { leader, fields }, w))
}

fn tag_of(k: &str, w: &mut Vec<Warning>) -> Tag {
    match Tag::parse(k) {
        Some(t) => t,
        None => {
            let (t, _) = Tag::from_bytes_lossy(k.as_bytes());
            w.push(
                Warning::new(
                    WarningKind::Tag,
                    format!("tag {k:?} is not three ASCII characters; read as {t}"),
                )
                .tag(t),
            );
            t
        }
    }
}

/// A JSON scalar or container rendered as text (for lenient conversions).
struct Lenient(Option<String>, &'static str);

impl<'de> de::Deserialize<'de> for Lenient {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        Ok(match v {
            serde_json::Value::String(s) => Lenient(Some(s), "string"),
            serde_json::Value::Null => Lenient(None, "null"),
            other => Lenient(Some(other.to_string()), "non-string"),
        })
    }
}

struct RecordSeed<'w> {
    w: &'w mut Vec<Warning>,
}

impl<'de> DeserializeSeed<'de> for RecordSeed<'_> {
    type Value = (Option<String>, Option<Vec<Field>>);
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for RecordSeed<'_> {
    type Value = (Option<String>, Option<Vec<Field>>);
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a MARC-in-JSON record (a JSON object)")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut leader = None;
        let mut fields = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match key.as_ref() {
                "leader" => {
                    let Lenient(v, kind) = map.next_value()?;
                    leader = v.filter(|_| kind == "string");
                }
                "fields" => fields = map.next_value_seed(FieldsSeed { w: &mut *self.w })?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok((leader, fields))
    }
}

struct FieldsSeed<'w> {
    w: &'w mut Vec<Warning>,
}

impl<'de> DeserializeSeed<'de> for FieldsSeed<'_> {
    type Value = Option<Vec<Field>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for FieldsSeed<'_> {
    type Value = Option<Vec<Field>>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"fields\" as an array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(32));
        let mut i = 0;
        while seq
            .next_element_seed(FieldSeed {
                w: &mut *self.w,
                out: &mut out,
                i,
            })?
            .is_some()
        {
            i += 1;
        }
        Ok(Some(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Err(de::Error::custom("\"fields\" is not an array"))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Err(E::custom("\"fields\" is not an array"))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Err(E::custom("\"fields\" is not an array"))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Err(E::custom("\"fields\" is not an array"))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Err(E::custom("\"fields\" is not an array"))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Err(E::custom("\"fields\" is not an array"))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Err(E::custom("\"fields\" is not an array"))
    }
}

/// One element of `fields`: `{"TAG": value}` (normally one key).
struct FieldSeed<'w> {
    w: &'w mut Vec<Warning>,
    out: &'w mut Vec<Field>,
    i: usize,
}

impl<'de> DeserializeSeed<'de> for FieldSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl FieldSeed<'_> {
    fn not_object(self) {
        self.w.push(Warning::new(
            WarningKind::Structure,
            format!("fields[{}] is not an object; dropped", self.i),
        ));
    }
}

impl<'de> Visitor<'de> for FieldSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut keys = 0;
        while let Some(k) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            keys += 1;
            let tag = tag_of(&k, self.w);
            if let Some(f) = map.next_value_seed(FieldValueSeed {
                w: &mut *self.w,
                tag,
            })? {
                self.out.push(f);
            }
        }
        if keys != 1 {
            self.w.push(Warning::new(
                WarningKind::Structure,
                format!(
                    "fields[{}] has {keys} keys (expected 1); each key read as a field",
                    self.i
                ),
            ));
        }
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        self.not_object();
        Ok(())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        self.not_object();
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.not_object();
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.not_object();
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.not_object();
        Ok(())
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.not_object();
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.not_object();
        Ok(())
    }
}

/// The value of `{"TAG": value}`: a string (control field) or an object
/// with `ind1`, `ind2`, `subfields` (data field).
struct FieldValueSeed<'w> {
    w: &'w mut Vec<Warning>,
    tag: Tag,
}

impl<'de> DeserializeSeed<'de> for FieldValueSeed<'_> {
    type Value = Option<Field>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

fn one_char(v: Option<Lenient>, what: &str, tag: Tag, w: &mut Vec<Warning>) -> char {
    match v {
        Some(Lenient(Some(s), "string")) => {
            let mut it = s.chars();
            match (it.next(), it.next()) {
                (Some(c), None) => c,
                (None, _) => {
                    w.push(
                        Warning::new(
                            WarningKind::Structure,
                            format!("{what} is empty; using blank"),
                        )
                        .tag(tag),
                    );
                    ' '
                }
                (Some(c), Some(_)) => {
                    w.push(
                        Warning::new(
                            WarningKind::Structure,
                            format!("{what} {s:?} longer than one character; using {c:?}"),
                        )
                        .tag(tag),
                    );
                    c
                }
            }
        }
        _ => {
            w.push(
                Warning::new(
                    WarningKind::Structure,
                    format!("{what} missing or not a string; using blank"),
                )
                .tag(tag),
            );
            ' '
        }
    }
}

impl FieldValueSeed<'_> {
    fn scalar(self, text: String) -> Option<Field> {
        self.w.push(
            Warning::new(
                WarningKind::Structure,
                format!("field value {text} is neither a string nor an object; converted to a control field"),
            )
            .tag(self.tag),
        );
        Some(Field::Control {
            tag: self.tag,
            value: text,
        })
    }
}

impl<'de> Visitor<'de> for FieldValueSeed<'_> {
    type Value = Option<Field>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or a data field object")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(Field::Control {
            tag: self.tag,
            value: v.to_owned(),
        }))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(Field::Control {
            tag: self.tag,
            value: v,
        }))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let tag = self.tag;
        let (mut i1, mut i2) = (None, None);
        let mut subfields = None;
        while let Some(k) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match k.as_ref() {
                "ind1" => i1 = Some(map.next_value::<Lenient>()?),
                "ind2" => i2 = Some(map.next_value::<Lenient>()?),
                "subfields" => {
                    subfields = map.next_value_seed(SubfieldsSeed {
                        w: &mut *self.w,
                        tag,
                    })?
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let ind1 = one_char(i1, "ind1", tag, self.w);
        let ind2 = one_char(i2, "ind2", tag, self.w);
        let subfields = subfields.unwrap_or_else(|| {
            self.w.push(
                Warning::new(
                    WarningKind::Subfield,
                    "data field without a \"subfields\" array",
                )
                .tag(tag),
            );
            Vec::new()
        });
        Ok(Some(Field::Data {
            tag,
            ind1,
            ind2,
            subfields,
        }))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut parts = Vec::new();
        while let Some(v) = seq.next_element::<serde_json::Value>()? {
            parts.push(v);
        }
        Ok(self.scalar(serde_json::Value::Array(parts).to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(self.scalar(v.to_string()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(self.scalar(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(self.scalar(serde_json::Value::from(v).to_string()))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(self.scalar(v.to_string()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(self.scalar("null".to_owned()))
    }
}

struct SubfieldsSeed<'w> {
    w: &'w mut Vec<Warning>,
    tag: Tag,
}

impl<'de> DeserializeSeed<'de> for SubfieldsSeed<'_> {
    type Value = Option<Vec<Subfield>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl SubfieldsSeed<'_> {
    fn not_array(self) -> Option<Vec<Subfield>> {
        None
    }
}

impl<'de> Visitor<'de> for SubfieldsSeed<'_> {
    type Value = Option<Vec<Subfield>>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of subfield objects")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(4));
        while let Some(v) = seq.next_element::<SubfieldObj>()? {
            match v {
                SubfieldObj::Pairs(pairs) => {
                    for (code, Lenient(val, kind)) in pairs {
                        let mut it = code.chars();
                        let c = match (it.next(), it.next()) {
                            (Some(c), None) => c,
                            _ => {
                                self.w.push(
                                    Warning::new(
                                        WarningKind::Subfield,
                                        format!(
                                            "subfield code {code:?} is not one character; using '?'"
                                        ),
                                    )
                                    .tag(self.tag),
                                );
                                '?'
                            }
                        };
                        let value = match (val, kind) {
                            (Some(s), "string") => s,
                            (other, _) => {
                                self.w.push(
                                    Warning::new(
                                        WarningKind::Subfield,
                                        format!("subfield {c} value is not a string; converted"),
                                    )
                                    .tag(self.tag),
                                );
                                other.unwrap_or_else(|| "null".to_owned())
                            }
                        };
                        out.push(Subfield { code: c, value });
                    }
                }
                SubfieldObj::NotObject => self.w.push(
                    Warning::new(WarningKind::Subfield, "subfield is not an object; dropped")
                        .tag(self.tag),
                ),
            }
        }
        Ok(Some(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(self.not_array())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(self.not_array())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(self.not_array())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(self.not_array())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(self.not_array())
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(self.not_array())
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(self.not_array())
    }
}

/// `{"a": "value"}` (pairs in document order), or anything else.
enum SubfieldObj {
    Pairs(Vec<(String, Lenient)>),
    NotObject,
}

impl<'de> de::Deserialize<'de> for SubfieldObj {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = SubfieldObj;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a subfield object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<SubfieldObj, A::Error> {
                let mut pairs = Vec::with_capacity(1);
                while let Some(k) = map.next_key::<String>()? {
                    let v: Lenient = map.next_value()?;
                    pairs.push((k, v));
                }
                Ok(SubfieldObj::Pairs(pairs))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<SubfieldObj, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(SubfieldObj::NotObject)
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<SubfieldObj, E> {
                Ok(SubfieldObj::NotObject)
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<SubfieldObj, E> {
                Ok(SubfieldObj::NotObject)
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<SubfieldObj, E> {
                Ok(SubfieldObj::NotObject)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<SubfieldObj, E> {
                Ok(SubfieldObj::NotObject)
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<SubfieldObj, E> {
                Ok(SubfieldObj::NotObject)
            }
            fn visit_unit<E: de::Error>(self) -> Result<SubfieldObj, E> {
                Ok(SubfieldObj::NotObject)
            }
        }
        d.deserialize_any(V)
    }
}
