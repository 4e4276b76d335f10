//! JSON Schema (draft 2020-12) of a record kind, generated from the pack's
//! record declarations (`plancheck schema KIND`).

use super::{Pack, Type};
use serde_json::{json, Map, Value};

/// The JSON Schema of a record kind.
pub fn schema(pack: &Pack, kind: &str) -> Option<Value> {
    let (_, def) = pack.record(kind)?;
    let mut root = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": def.labels.as_ref().map(|l| format!("{} / {}", l.zh, l.en)).unwrap_or_else(|| kind.to_string()),
        "type": "object",
        "properties": { "kind": { "const": kind, "description": "记录类型 / record kind" } },
        "required": ["kind"],
    });
    for f in &def.fields {
        let mut prop = type_schema(pack, &f.ty, f.unit.map(|u| u.symbol.as_str()), f.is_year);
        if let Value::Object(m) = &mut prop {
            let unit = f
                .unit
                .as_ref()
                .filter(|u| !u.symbol.is_empty())
                .map(|u| format!(" [{}]", u.symbol))
                .unwrap_or_default();
            if let Some(l) = &f.labels {
                m.insert("title".into(), json!(l.zh));
                m.insert(
                    "description".into(),
                    json!(format!("{} / {}{unit}", l.zh, l.en)),
                );
            }
            if let (Some((b, inclusive)), Some(u)) = (&f.bound, &f.unit) {
                let shown = u.from_base(b).to_f64();
                m.insert(
                    "x-minimum".into(),
                    json!({ "value": shown, "inclusive": inclusive }),
                );
            }
        }
        insert_path(&mut root, &f.path, prop, f.required);
    }
    Some(root)
}

fn type_schema(pack: &Pack, ty: &Type, unit: Option<&str>, is_year: bool) -> Value {
    match ty {
        Type::Bool => json!({ "type": "boolean" }),
        Type::Text => json!({ "type": "string" }),
        Type::Date => json!({ "type": "string", "format": "date" }),
        Type::Num(_) if is_year => json!({ "type": "integer" }),
        Type::Num(_) => {
            let pattern = "^\\s*[-+]?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?\\s*\\S*\\s*$";
            json!({ "anyOf": [ { "type": "number" }, { "type": "string", "pattern": pattern } ], "x-unit": unit.unwrap_or("") })
        }
        Type::Enum(id) => {
            let e = pack.enums.get(id.0);
            let values: Vec<Value> = e
                .map(|e| e.values.iter().map(|(v, _)| json!(v)).collect())
                .unwrap_or_default();
            let labels: Vec<String> = e
                .map(|e| {
                    e.values
                        .iter()
                        .filter_map(|(v, l)| {
                            l.as_ref().map(|l| format!("{v}: {} / {}", l.zh, l.en))
                        })
                        .collect()
                })
                .unwrap_or_default();
            let mut s = json!({ "enum": values });
            if !labels.is_empty() {
                s["x-labels"] = json!(labels);
            }
            s
        }
        Type::List(inner) => {
            json!({ "type": "array", "items": type_schema(pack, inner, unit, false) })
        }
        Type::Waivers => json!({
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "rule": { "type": "string", "description": "豁免的原则上规则 / the in-principle rule waived" },
                    "approval": { "type": "string", "minLength": 1, "description": "批准文号 / approval document number" },
                    "reason": { "type": "string" },
                    "expires": { "type": "string", "format": "date", "description": "有效期最后一天 / last valid day" }
                },
                "required": ["rule", "approval"]
            }
        }),
    }
}

fn insert_path(root: &mut Value, path: &str, prop: Value, required: bool) {
    let mut node = root;
    let segs: Vec<&str> = path.split('.').collect();
    for (i, seg) in segs.iter().enumerate() {
        let last = i + 1 == segs.len();
        if node.get("properties").is_none() {
            node["type"] = json!("object");
            node["properties"] = Value::Object(Map::new());
        }
        if last {
            node["properties"][*seg] = prop;
            if required {
                match node.get_mut("required").and_then(Value::as_array_mut) {
                    Some(a) => a.push(json!(seg)),
                    None => node["required"] = json!([seg]),
                }
            }
            return;
        }
        if node["properties"].get(*seg).is_none() {
            node["properties"][*seg] = json!({ "type": "object", "properties": {} });
        }
        node = &mut node["properties"][*seg];
    }
}
