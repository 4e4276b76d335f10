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
