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

#[test]
fn the_plan_is_shipped_unchanged() {
    let shipped =
        std::fs::read(super::root().join("seeds/liaocheng-13th-five-year-plan.txt")).unwrap();
    let original = super::root().join("../shared/plan/liaocheng-13th-five-year-plan.txt");
    if let Ok(orig) = std::fs::read(original) {
        assert_eq!(shipped, orig);
    }
}
