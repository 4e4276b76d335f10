//! `--format html`, the review report: snapshots of the samples' pages,
//! escaping of hostile text, every finding of the JSON output shown with its
//! figures, and (where Chromium is installed, as `.ci/run` installs it) the
//! pages opened, screenshotted and printed.

use super::{plancheck, plancheck_in, settings};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// The report of `paths` in `lang`, as text.
fn report(paths: &[&str], lang: &str) -> String {
    let mut args = vec!["check"];
    args.extend_from_slice(paths);
    args.extend_from_slice(&["--format", "html", "--lang", lang]);
    let run = plancheck(&args);
    assert!(run.stdout.starts_with("<!DOCTYPE html>"), "{}", run.stderr);
    run.stdout
}

/// A page laid out one element per line, the date of the check masked, for snapshots.
fn readable(html: &str) -> String {
    let date = regex_lite_date(html);
    html.replace("><", ">\n<").replace(&date, "YYYY-MM-DD")
}

/// The date of the check as it appears in the header line.
fn regex_lite_date(html: &str) -> String {
    let today = jiff::Zoned::now().date().to_string();
    assert!(
        html.contains(&today),
        "the header names the date of the check"
    );
    today
}

#[test]
fn the_samples_review_pages() {
    let cases = [
        (
            "sheet_project",
            vec!["seeds/samples/project-low-plot-ratio.json"],
            "zh",
        ),
        (
            "sheet_project_en",
            vec!["seeds/samples/project-waiver-min-scale.json"],
            "en",
        ),
        (
            "dashboard_county",
            vec!["seeds/samples/county-2018-off-track.json"],
            "zh",
        ),
        ("dashboard_city", vec!["seeds/samples/city-2019.json"], "en"),
        (
            "batch",
            vec![
                "seeds/samples/projects-batch.json",
                "seeds/samples/county-2020-missing-targets.json",
            ],
            "zh",
        ),
    ];
    for (name, paths, lang) in cases {
        let html = report(&paths, lang);
        settings().bind(|| insta::assert_snapshot!(format!("html_{name}"), readable(&html)));
    }
}

#[test]
fn a_page_loads_nothing_and_runs_nothing() {
    let html = report(&["seeds/samples"], "zh");
    assert!(html.contains("Content-Security-Policy"));
    assert!(html.contains("default-src 'none'"));
    for forbidden in [
        "<script", "<link", "<img", "<iframe", "http://", "https://", "url(",
    ] {
        assert!(!html.contains(forbidden), "the page holds {forbidden}");
    }
}

#[cfg(unix)]
#[test]
fn hostile_text_is_escaped_everywhere() {
    let tmp = tempfile::tempdir().unwrap();
    let evil = r#"<script>alert(1)</script>\" onmouseover=\"x\" </style><img src=x>\u202e"#;
    let record = format!(
        r#"{{"kind": "project", "id": "{evil}", "name": "{evil}", "submitted": "2017-06-15", "category": "industrial",
 "construction": "new", "location": {{"county": "临清市", "town": "{evil}"}}, "land": {{"area": "{evil}"}}}}"#
    );
    let name = "<img src=x onerror=alert(1)>.json";
    std::fs::write(tmp.path().join(name), record).unwrap();
    let run = plancheck_in(tmp.path(), &["check", ".", "--format", "html"]);
    let html = run.stdout;
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    for forbidden in ["<script", "<img", "onmouseover=\""] {
        assert!(!html.contains(forbidden), "{forbidden} in the page");
    }
    // The file name is shown, as text.
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;.json"));
    assert_eq!(
        html.matches("</style>").count(),
        1,
        "one stylesheet, closed once"
    );
    assert!(!html.contains('\u{202e}'), "bidi controls are escaped");
}

#[test]
fn every_finding_of_the_json_output_is_in_the_page_with_its_figures() {
    for (sample, lang) in [
        ("seeds/samples/project-low-plot-ratio.json", "en"),
        ("seeds/samples/project-pass-all.json", "zh"),
        ("seeds/samples/county-2018-off-track.json", "en"),
        ("seeds/samples/project-missing-data.json", "zh"),
    ] {
        let json = plancheck(&["check", sample, "--format", "json", "--all", "--lang", lang]);
        let doc: Value = serde_json::from_str(&json.stdout).unwrap();
        let html = report(&[sample], lang);
        for f in doc["records"][0]["findings"].as_array().unwrap() {
            let rule = f["rule"].as_str().unwrap();
            assert!(html.contains(rule), "{sample}: {rule} is in the page");
            if let Some(actual) = f["actual"].as_f64() {
                // Shown to four decimals at most.
                let shown = format!("{actual:.4}");
                let shown = shown.trim_end_matches('0').trim_end_matches('.');
                assert!(
                    html.contains(shown),
                    "{sample}: {rule} shows its actual value {shown}"
                );
            }
        }
    }
}

/// Chromium, where installed (`.ci/run` installs it and sets
/// `PLANCHECK_REQUIRE_CHROMIUM=1`, so CI never skips this silently).
pub(super) fn chromium() -> Option<String> {
    for bin in ["chromium", "chromium-browser", "google-chrome"] {
        if Command::new(bin)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
        {
            return Some(bin.to_string());
        }
    }
    assert!(
        std::env::var_os("PLANCHECK_REQUIRE_CHROMIUM").is_none(),
        "Chromium is required here but not installed"
    );
    eprintln!("skipped: Chromium is not installed");
    None
}

/// How the tests run Chromium: headless, logging to stderr.
pub(super) const HEADLESS: [&str; 7] = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--hide-scrollbars",
    "--enable-logging=stderr",
    "--v=0",
    "--no-first-run",
];

/// Opens `url` in Chromium at `size` ("W,H"), writes a screenshot to `shot`
/// and asserts that the page loaded without console messages, refused
/// loads or network errors.
pub(super) fn screenshot(bin: &str, url: &str, shot: &Path, size: &str, name: &str) {
    let _ = std::fs::remove_file(shot);
    let run = Command::new(bin)
        .args(HEADLESS)
        .args([
            &format!("--window-size={size}"),
            &format!("--screenshot={}", shot.display()),
            url,
        ])
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&run.stderr);
    assert!(shot.exists(), "{name}: a screenshot: {log}");
    for bad in ["CONSOLE", "Refused to", "ERR_"] {
        assert!(
            !log.lines().any(|l| l.contains(bad) && !l.contains("dbus")),
            "{name}: {bad} in the browser's log:\n{log}"
        );
    }
}

/// Pages of a PDF.
fn pdf_pages(pdf: &Path) -> usize {
    let bytes = std::fs::read(pdf).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    text.matches("/Type /Page").count() - text.matches("/Type /Pages").count()
}

#[test]
fn chromium_opens_screenshots_and_prints_every_sample_page() {
    let Some(bin) = chromium() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let out = super::root().join("target/html-screenshots");
    std::fs::create_dir_all(&out).unwrap();
    for (name, sample, lang, pages) in [
        (
            "project-zh",
            "seeds/samples/project-low-plot-ratio.json",
            "zh",
            1,
        ),
        (
            "project-en",
            "seeds/samples/project-waiver-min-scale.json",
            "en",
            1,
        ),
        (
            "county-zh",
            "seeds/samples/county-2018-off-track.json",
            "zh",
            0,
        ),
        ("city-en", "seeds/samples/city-2019.json", "en", 0),
    ] {
        let page = tmp.path().join(format!("{name}.html"));
        std::fs::write(&page, report(&[sample], lang)).unwrap();
        let url = format!("file://{}", page.display());
        let shot = out.join(format!("{name}.png"));
        let pdf = tmp.path().join(format!("{name}.pdf"));
        screenshot(&bin, &url, &shot, "900,1400", name);
        let run = Command::new(&bin)
            .args(HEADLESS)
            .arg("--no-pdf-header-footer")
            .args([&format!("--print-to-pdf={}", pdf.display()), url.as_str()])
            .output()
            .unwrap();
        assert!(
            pdf.exists(),
            "{name}: printed: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        let n = pdf_pages(&pdf);
        if pages > 0 {
            assert_eq!(n, pages, "{name}: a short application fits one A4 page");
        } else {
            assert!((1..=4).contains(&n), "{name}: {n} pages");
        }
    }
}
