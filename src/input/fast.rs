//! The fast path: a record read straight from its JSON text against the
//! schema tree, without building a `serde_json::Value`.

use super::typing::{finish, Settings, Typed, Walk};
use crate::i18n::Lang;
use crate::model::{Finding, Slot, WaiverEntry};
use crate::pack::{KindId, Pack, RecordDef};
use crate::units::Date;
use serde_json::Value as Json;

/// Reads a record straight from its JSON text against the schema, without
/// building a `serde_json::Value` tree: the common case of a large batch.
///
/// Returns `None` whenever the record is not plain (no `kind` before the
/// other members and no kind from the file name, broken JSON, a record that
/// is invalid as a whole); the caller then takes the general path through
/// [`type_record`], which gives the same findings for plain records.
pub fn read_record(
    pack: &Pack,
    text: &str,
    kind_hint: Option<&str>,
    date_override: Option<Date>,
    lang: Lang,
) -> Option<Typed> {
    use serde::de::DeserializeSeed;
    let mut state = Fast {
        pack,
        kind_hint,
        lang,
        def: None,
        slots: Vec::new(),
        waivers: Vec::new(),
        findings: Vec::new(),
    };
    let mut de = serde_json::Deserializer::from_str(text);
    RecordSeed { state: &mut state }.deserialize(&mut de).ok()?;
    de.end().ok()?;
    let (kind_id, def) = state.def?;
    let typed = finish(
        def,
        kind_id,
        state.slots,
        state.waivers,
        state.findings,
        Settings {
            date_override,
            lang,
            names: None,
        },
    );
    typed.record.is_some().then_some(typed)
}

/// The state of one fast read.
struct Fast<'a> {
    pack: &'a Pack,
    kind_hint: Option<&'a str>,
    lang: Lang,
    def: Option<(KindId, &'a RecordDef)>,
    slots: Vec<Slot>,
    waivers: Vec<WaiverEntry>,
    findings: Vec<Finding>,
}

impl<'a> Fast<'a> {
    fn choose(&mut self, kind: &str) -> bool {
        match self.pack.record(kind) {
            Some((id, def)) => {
                self.slots = vec![Slot::Absent; def.fields.len()];
                self.def = Some((id, def));
                true
            }
            None => false,
        }
    }

    fn walk(&mut self) -> Option<Walk<'_>> {
        let (_, def) = self.def?;
        Some(Walk {
            pack: self.pack,
            def,
            lang: self.lang,
            slots: &mut self.slots,
            waivers: &mut self.waivers,
            findings: &mut self.findings,
            names: None,
        })
    }
}

/// A member name, borrowed from the text where it has no escapes.
struct Key<'de>(std::borrow::Cow<'de, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(v.to_string())))
            }
        }
        d.deserialize_str(V)
    }
}

/// Reads the record object.
struct RecordSeed<'s, 'a> {
    state: &'s mut Fast<'a>,
}

/// A private error: the fast path gives up and the general path decides.
fn give_up<E: serde::de::Error>() -> E {
    E::custom("not a plain record")
}

impl<'de> serde::de::DeserializeSeed<'de> for RecordSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for RecordSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a record object")
    }
    fn visit_map<M: serde::de::MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
        let state = self.state;
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            if key == "kind" {
                let kind: Key<'de> = map.next_value()?;
                // A second `kind`, or one that is not known, is for the general path.
                if state.def.is_some() || !state.choose(&kind.0) {
                    return Err(give_up());
                }
                continue;
            }
            if state.def.is_none() {
                let Some(hint) = state.kind_hint else {
                    return Err(give_up());
                };
                if !state.choose(hint) {
                    return Err(give_up());
                }
            }
            member(state, 0, &key, &mut map)?;
        }
        if state.def.is_none() {
            let Some(hint) = state.kind_hint else {
                return Err(give_up());
            };
            if !state.choose(hint) {
                return Err(give_up());
            }
        }
        Ok(())
    }
}

/// Reads the value of member `key` of schema node `node`.
fn member<'de, M: serde::de::MapAccess<'de>>(
    state: &mut Fast<'_>,
    node: usize,
    key: &str,
    map: &mut M,
) -> Result<(), M::Error> {
    let Some((_, def)) = state.def else {
        return Err(give_up());
    };
    let Some(child) = def.tree.member(node, key) else {
        map.next_value::<serde::de::IgnoredAny>()?;
        if let Some(mut w) = state.walk() {
            w.unknown(node, key);
        }
        return Ok(());
    };
    match def.tree.nodes.get(child).and_then(|n| n.field) {
        Some(fid) => {
            let value: Scalar<'de> = map.next_value()?;
            if let Some(mut w) = state.walk() {
                match value {
                    Scalar::Str(s) => w.field_str(fid, &s),
                    Scalar::Other(Json::Null) => {}
                    Scalar::Other(json) => w.field(fid, &json),
                }
            }
            Ok(())
        }
        None => map.next_value_seed(GroupSeed { state, node: child }),
    }
}

/// Reads a group of fields (a nested object).
struct GroupSeed<'s, 'a> {
    state: &'s mut Fast<'a>,
    node: usize,
}

impl<'de> serde::de::DeserializeSeed<'de> for GroupSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for GroupSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<M: serde::de::MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            member(self.state, self.node, &key, &mut map)?;
        }
        Ok(())
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        // `null` is an absent group.
        Ok(())
    }
    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
        self.scalar()
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<(), E> {
        self.scalar()
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<(), E> {
        self.scalar()
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<(), E> {
        self.scalar()
    }
    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<(), E> {
        self.scalar()
    }
    fn visit_seq<S: serde::de::SeqAccess<'de>>(self, mut seq: S) -> Result<(), S::Error> {
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        self.scalar()
    }
}

impl GroupSeed<'_, '_> {
    fn scalar<E>(self) -> Result<(), E> {
        if let Some(mut w) = self.state.walk() {
            w.not_object(self.node);
        }
        Ok(())
    }
}

/// A member's value: a string borrowed from the text where possible, else a JSON value.
enum Scalar<'de> {
    Str(std::borrow::Cow<'de, str>),
    Other(Json),
}

impl<'de> serde::Deserialize<'de> for Scalar<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Scalar<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Str(std::borrow::Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Str(std::borrow::Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Str(std::borrow::Cow::Owned(v)))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Other(Json::Bool(v)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Other(Json::Number(v.into())))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Other(Json::Number(v.into())))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Other(
                    serde_json::Number::from_f64(v).map_or(Json::Null, Json::Number),
                ))
            }
            fn visit_unit<E>(self) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Other(Json::Null))
            }
            fn visit_seq<S: serde::de::SeqAccess<'de>>(
                self,
                mut seq: S,
            ) -> Result<Scalar<'de>, S::Error> {
                let mut items = Vec::new();
                while let Some(x) = seq.next_element::<Json>()? {
                    items.push(x);
                }
                Ok(Scalar::Other(Json::Array(items)))
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(
                self,
                mut map: M,
            ) -> Result<Scalar<'de>, M::Error> {
                let mut obj = serde_json::Map::new();
                while let Some((k, v)) = map.next_entry::<String, Json>()? {
                    obj.insert(k, v);
                }
                Ok(Scalar::Other(Json::Object(obj)))
            }
        }
        d.deserialize_any(V)
    }
}
