//! The default pack through the library API.

use plancheck::load;

#[test]
fn the_embedded_pack_loads_and_cites_verbatim() {
    let pack = load::embedded().unwrap_or_else(|e| panic!("{:?}", e.errors));
    let (_, doc) = pack.source_doc.as_ref().expect("the plan is embedded");
    for rule in &pack.rules {
        assert!(!rule.cites.is_empty(), "{} cites nothing", rule.id);
        for c in &rule.cites {
            for (q, line) in &c.quotes {
                assert!(doc.contains(q.as_str()), "{}: {q}", rule.id);
                assert!(*line > 0);
            }
        }
    }
}

/// The plan as published (`../shared/plan/`): its length and FNV-1a hash,
/// kept here so the check runs on any clone, with or without that folder.
const PLAN_BYTES: usize = 198_333;
const PLAN_FNV1A: u64 = 0xb720_a8ef_0f6e_9a55;

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[test]
fn the_plan_is_shipped_unchanged() {
    let shipped =
        std::fs::read(super::root().join("seeds/liaocheng-13th-five-year-plan.txt")).unwrap();
    assert_eq!(shipped.len(), PLAN_BYTES);
    assert_eq!(
        fnv1a(&shipped),
        PLAN_FNV1A,
        "seeds/ holds the plan byte for byte"
    );
    // Where the original is at hand, compare with it too.
    let original = super::root().join("../shared/plan/liaocheng-13th-five-year-plan.txt");
    if let Ok(orig) = std::fs::read(original) {
        assert_eq!(shipped, orig);
    }
}

#[test]
fn the_hash_tells_texts_apart() {
    assert_ne!(fnv1a(b"plan"), fnv1a(b"plam"));
    assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
}

/// The embedded pack is loaded from `rules/pack.prechecked`, made by
/// parsing and checking `rules/` afresh. It must be current (else the
/// binary quietly falls back to the slow path), and what it loads must be
/// the fresh pack exactly. `PLANCHECK_UPDATE_PACK=1 cargo test prechecked`
/// rewrites it after a change to the rules, the plan or the pack's types.
#[test]
fn the_prechecked_pack_is_current_and_loads_as_the_fresh_pack() {
    use plancheck::load;
    let fresh = load::embedded_fresh().unwrap();
    let bytes = load::prechecked(&fresh).unwrap();
    let path = super::root().join("rules").join(load::PRECHECKED_FILE);
    if std::env::var_os("PLANCHECK_UPDATE_PACK").is_some() {
        std::fs::write(&path, &bytes).unwrap();
    }
    let committed = std::fs::read(&path).unwrap_or_default();
    assert!(
        committed == bytes,
        "rules/{} is stale: run PLANCHECK_UPDATE_PACK=1 cargo test prechecked",
        load::PRECHECKED_FILE
    );
    // Loaded from it (not from the rules again: `embedded` would fall back
    // quietly), the pack writes back to the same bytes and has the same
    // indexes and answers as the fresh one.
    let loaded = load::from_prechecked().expect("the pre-checked form reads back");
    assert_eq!(load::prechecked(&loaded).unwrap(), bytes);
    assert_eq!(format!("{fresh:?}").len(), format!("{loaded:?}").len());
    for (a, b) in fresh.records.iter().zip(&loaded.records) {
        assert_eq!(a.index, b.index, "{}", a.kind);
    }
    for (a, b) in fresh.enums.iter().zip(&loaded.enums) {
        for (code, labels) in &a.values {
            assert_eq!(a.resolve(code), b.resolve(code));
            if let Some(l) = labels {
                assert_eq!(a.resolve(&l.zh), b.resolve(&l.zh), "{}", l.zh);
            }
        }
    }
    // A sample checked with either pack gives the same JSON.
    let text: std::sync::Arc<str> =
        std::fs::read_to_string(super::root().join("seeds/samples/projects-batch.json"))
            .unwrap()
            .into();
    let opts = plancheck::model::Options::default();
    let json = |p: &plancheck::pack::Pack| {
        let reports = plancheck::run::check_text(
            p,
            "projects-batch.json",
            text.clone(),
            plancheck::input::Format::Json,
            &opts,
        );
        format!("{reports:?}")
    };
    assert_eq!(json(&fresh), json(&loaded));
}
