//! Broken rule files: each fixture in tests/fixtures/lint is a one-file pack
//! whose rendered diagnostics are snapshotted.

use plancheck::i18n::Lang;
use plancheck::load::load_texts;
use plancheck::report::{render_pack_errors, RenderOptions};
use std::sync::Arc;

fn lint(name: &str, text: &str, lang: Lang) -> String {
    let plan = super::root().join("seeds/liaocheng-13th-five-year-plan.txt");
    let result = load_texts(vec![(name.to_string(), text.to_string())], |source| {
        if source.ends_with("liaocheng-13th-five-year-plan.txt") {
            std::fs::read_to_string(&plan)
                .map(Arc::from)
                .map_err(|e| plancheck::load::io_reason(&e))
        } else {
            Err(plancheck::i18n::both(|_| "no such file".to_string()))
        }
    });
    match result {
        // Every fixture here is broken: one that loads would snapshot nothing useful.
        Ok(pack) => panic!(
            "{name} loads ({} rules): a lint fixture must be broken",
            pack.rules.len()
        ),
        Err(e) => render_pack_errors(
            &e.reports(lang),
            &RenderOptions {
                lang,
                color: false,
                width: 100,
                quiet: false,
                deny_warnings: false,
            },
        ),
    }
}

#[test]
fn broken_rule_files_are_reported_at_the_exact_span() {
    super::settings().bind(|| {
        insta::glob!("../fixtures/lint", "*.rules", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let name = format!(
                "fixtures/lint/{}",
                path.file_name().unwrap().to_string_lossy()
            );
            let out = lint(&name, &text, Lang::En);
            assert!(
                !out.starts_with("ok:") || name.contains("valid"),
                "{name} should fail"
            );
            insta::assert_snapshot!("lint", out);
            // Pack diagnostics speak Chinese too.
            insta::assert_snapshot!("lint_zh", lint(&name, &text, Lang::Zh));
        });
    });
}
