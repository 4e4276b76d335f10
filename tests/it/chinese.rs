//! With `--lang zh`, every line plancheck prints is Chinese: the catalogue's
//! Chinese side, and the output of every kind of diagnostic, usage error
//! and help text, hold no English sentence.

use super::{plancheck, plancheck_in, root};
use std::path::Path;

/// The English sentences in `text`: three or more English words in a row,
/// outside code (`…`), quotes, source snippets, paths and identifiers.
fn english_sentences(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines() {
        // Source snippets show the submission or rule file as written; a
        // usage line is the command's syntax.
        if ["│", "·", "╭", "╰", "├"].iter().any(|m| line.contains(m)) || line.starts_with("用法：")
        {
            continue;
        }
        let mut clean = String::new();
        let mut skip: Option<char> = None;
        for c in line.chars() {
            match (skip, c) {
                (Some(end), c) if c == end => skip = None,
                (Some(_), _) => {}
                (None, '`') => skip = Some('`'),
                (None, '"') => skip = Some('"'),
                (None, '「') => skip = Some('」'),
                (None, '<') => skip = Some('>'),
                (None, c) => clean.push(c),
            }
        }
        let mut run: Vec<&str> = Vec::new();
        let words = clean
            .split(|c: char| !(c.is_ascii_alphanumeric() || "._-/:@#~$%".contains(c)) && c != ' ');
        for chunk in words {
            run.clear();
            for w in chunk.split(' ') {
                let word = w.trim_matches(|c: char| ",;".contains(c));
                let plain = word.len() >= 2 && word.chars().all(|c| c.is_ascii_alphabetic());
                if plain {
                    run.push(word);
                    if run.len() >= 3 {
                        found.push(format!("{}  ← {line}", run.join(" ")));
                        break;
                    }
                } else {
                    run.clear();
                }
            }
        }
    }
    found
}

#[test]
fn the_detector_finds_english_and_spares_code() {
    assert!(!english_sentences("× not valid JSON: EOF while parsing").is_empty());
    assert!(english_sentences("缺少 `land.area`（用地面积），无法判断").is_empty());
    assert!(english_sentences("规则 land.plot-ratio 的效力为约束性").is_empty());
    assert!(english_sentences(" 30 │ \"floor_area\": 26000, the quick brown").is_empty());
}

#[test]
fn the_catalogue_speaks_chinese() {
    let mut leaks = Vec::new();
    for (part, name, zh, _) in plancheck::i18n::msg::entries() {
        for s in english_sentences(zh) {
            leaks.push(format!("{part}::{name}: {s}"));
        }
    }
    assert!(
        leaks.is_empty(),
        "English in the Chinese catalogue:\n{}",
        leaks.join("\n")
    );
}

fn assert_chinese(what: &str, out: &str) {
    let leaks = english_sentences(out);
    assert!(
        leaks.is_empty(),
        "{what} prints English with --lang zh:\n{}\n\n{out}",
        leaks.join("\n")
    );
}

fn zh(args: &[&str]) -> String {
    zh_in(&root(), args)
}

fn zh_in(dir: &Path, args: &[&str]) -> String {
    let mut all = args.to_vec();
    all.extend(["--lang", "zh"]);
    let run = plancheck_in(dir, &all);
    format!("{}{}", run.stdout, run.stderr)
}

#[test]
fn every_diagnostic_kind_speaks_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write("broken.json", "{\"kind\": \"project\", \"id\": ");
    write(
        "lines.jsonl",
        "{\"kind\": \"project\"}\n[1, 2\n\"text\"\n{\"kind\": \"report\"}\n",
    );
    write(
        "values.json",
        r#"[
      {"kind": "project", "id": "a", "submitted": "2018-01-02", "category": "industrail",
       "construction": "新建", "land": {"area": "30 万元", "floor_area": "10 坨", "footprint": -5, "aera": 1},
       "location": {"county": "临青市", "zone_level": 3},
       "waivers": [{"rule": "land.plot-ratio", "approval": "x"}, {"rule": "land.min-scale"},
                   {"rule": "land.nope", "approval": "x"}, {"rule": "land.min-scale", "approval": "x", "expires": "soon"},
                   {"rule": "land.min-scale", "approval": "x", "expires": "2017-01-01"}, 5, {"rule": 3}, {"rul": "x"}]},
      {"kind": "project", "submitted": "2030-01-01", "id": "b"},
      {"kind": "project", "id": "c"},
      {"id": "d"},
      7,
      {"kind": "county", "county": "冠县", "year": 2018, "baseline": {"year": 2019}, "indicators": {"pm25": "x"}}
    ]"#,
    );
    write("rows.csv", "id,submitted,kind,用地面积（万元）,不存在的列\na,2018-01-01,project,30,1\nb,2018-01-01,project,1,2,3\n");
    write("bad.xlsx", "PK not a zip");
    write("notes.csv", "会议纪要\n");
    for file in [
        "broken.json",
        "lines.jsonl",
        "values.json",
        "rows.csv",
        "bad.xlsx",
        "notes.csv",
    ] {
        assert_chinese(file, &zh_in(dir.path(), &["check", file]));
    }
    assert_chinese("office workbooks", &zh(&["check", "tests/fixtures/office"]));
    assert_chinese("samples", &zh(&["check", "seeds/samples", "--all"]));
    assert_chinese("a missing path", &zh(&["check", "no/such/file.json"]));
    assert_chinese("an unsupported file", &zh(&["check", "README.md"]));
    let empty = tempfile::tempdir().unwrap();
    assert_chinese("an empty folder", &zh_in(empty.path(), &["check", "."]));
    assert_chinese(
        "an unknown rule",
        &zh(&["check", "seeds/samples", "--select", "land.nope"]),
    );
}

#[test]
fn pack_diagnostics_speak_chinese() {
    let fixtures = root().join("tests/fixtures/lint");
    for entry in std::fs::read_dir(&fixtures).unwrap() {
        let path = entry.unwrap().path();
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(&path, dir.path().join("pack.rules")).unwrap();
        let out = zh(&["rules", "lint", dir.path().to_str().unwrap()]);
        assert_chinese(&path.display().to_string(), &out);
    }
    assert_chinese(
        "a missing pack folder",
        &zh(&["rules", "lint", "no/such/dir"]),
    );
}

#[test]
fn commands_and_their_help_speak_chinese() {
    for args in [
        vec!["--help"],
        vec!["check", "--help"],
        vec!["watch", "--help"],
        vec!["rules", "--help"],
        vec!["rules", "list", "--help"],
        vec!["rules", "explain", "--help"],
        vec!["rules", "lint", "--help"],
        vec!["rules", "test", "--help"],
        vec!["schema", "--help"],
        vec!["template", "--help"],
        vec!["chek"],
        vec!["check"],
        vec!["check", "--format", "xml", "x"],
        vec!["check", "--date", "2018-13-01", "x"],
        vec!["check", "--bogus", "x"],
        vec!["rules", "list"],
        vec!["rules", "explain", "land.min-scale"],
        vec!["rules", "explain", "land.nope"],
        vec!["rules", "test"],
        vec!["rules", "lint"],
        vec!["schema", "bogus"],
        vec!["template", "bogus"],
        vec!["watch", "README.md"],
    ] {
        assert_chinese(&args.join(" "), &zh(&args));
    }
    // The environment decides where `--lang` is not given.
    let run = super::plancheck_env(
        &["check", "seeds/samples/malformed.json"],
        &[("LANG", "zh_CN.UTF-8")],
    );
    assert!(run.stdout.contains("不是有效的 JSON"), "{}", run.stdout);
    let run = super::plancheck_env(
        &["--help"],
        &[("LC_ALL", "zh_CN.UTF-8"), ("LANG", "en_US.UTF-8")],
    );
    assert!(run.stdout.contains("用法"), "{}", run.stdout);
    let run = plancheck(&["--help"]);
    assert!(
        run.stdout.contains("Usage"),
        "English stays complete: {}",
        run.stdout
    );
}
