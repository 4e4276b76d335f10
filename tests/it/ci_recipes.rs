//! The CI recipes of `examples/ci/` and `.pre-commit-hooks.yaml`: the shell
//! steps of the GitHub workflow run on a temporary repository whose
//! submissions have Chinese names, spaces, renames and every format; JUnit
//! counts add up; the pre-commit `rev` is the release the README names.

use std::path::Path;
use std::process::Command;

/// The `run: |` block of the workflow step named `step`, dedented.
fn run_block(workflow: &str, step: &str) -> String {
    let lines: Vec<&str> = workflow.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.trim() == format!("- name: {step}"))
        .unwrap_or_else(|| panic!("no step {step}"));
    let run = lines[at..]
        .iter()
        .position(|l| l.trim() == "run: |")
        .map(|i| at + i)
        .unwrap_or_else(|| panic!("step {step} has no run block"));
    let indent = lines[run].len() - lines[run].trim_start().len();
    let mut body = Vec::new();
    for l in &lines[run + 1..] {
        let i = l.len() - l.trim_start().len();
        if !l.trim().is_empty() && i <= indent {
            break;
        }
        body.push(l.get(indent + 2..).unwrap_or(""));
    }
    body.join("\n")
}

fn git(dir: &Path, args: &[&str]) {
    let ok = Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.org",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .status()
        .unwrap()
        .success();
    assert!(ok, "git {args:?}");
}

/// Runs `script` with bash in `dir`, plancheck first on the PATH.
fn bash(dir: &Path, script: &str, env: &[(&str, &str)]) -> (i32, String, String) {
    let bin = Path::new(env!("CARGO_BIN_EXE_plancheck")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cmd = Command::new("bash");
    cmd.args(["-e", "-c", script])
        .current_dir(dir)
        .env("PATH", path);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_github_workflow_checks_every_changed_submission_whatever_its_name() {
    let workflow =
        std::fs::read_to_string(super::root().join("examples/ci/github-actions.yml")).unwrap();
    let changed = run_block(&workflow, "Changed submissions");
    let annotate = run_block(&workflow, "Annotate the pull request");
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path();
    let samples = super::root().join("seeds/samples");
    let fixtures = super::root().join("tests/fixtures");
    git(repo, &["init", "-q"]);
    std::fs::copy(
        samples.join("project-pass-all.json"),
        repo.join("old name.json"),
    )
    .unwrap();
    std::fs::copy(
        samples.join("project-low-plot-ratio.json"),
        repo.join("unchanged.json"),
    )
    .unwrap();
    std::fs::copy(
        samples.join("county-2018-off-track.json"),
        repo.join("冠县 报告.json"),
    )
    .unwrap();
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-q", "-m", "base"]);
    git(repo, &["update-ref", "refs/remotes/origin/main", "HEAD"]);
    // The pull request: a rename, an edit, new files in every format, a non-submission.
    git(repo, &["mv", "old name.json", "改名 后.json"]);
    let edited = std::fs::read_to_string(repo.join("冠县 报告.json"))
        .unwrap()
        .replace("68", "30");
    std::fs::write(repo.join("冠县 报告.json"), edited).unwrap();
    std::fs::create_dir(repo.join("新 文件夹")).unwrap();
    std::fs::copy(
        samples.join("project-low-tax-per-mu.json"),
        repo.join("新 文件夹/项目 申请.json"),
    )
    .unwrap();
    std::fs::copy(
        fixtures.join("office/project-register-office.xlsx"),
        repo.join("项目 台账.xlsx"),
    )
    .unwrap();
    std::fs::copy(
        fixtures.join("office/project-register-office.xls"),
        repo.join("项目 台账.xls"),
    )
    .unwrap();
    std::fs::copy(
        fixtures.join("office/county-report-office-gb18030.csv"),
        repo.join("指标 报表.csv"),
    )
    .unwrap();
    std::fs::write(repo.join("notes.md"), "not a submission").unwrap();
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-q", "-m", "pull request"]);

    let output = repo.join("github-output");
    let output_s = output.to_string_lossy().into_owned();
    let env = [("BASE_REF", "main"), ("GITHUB_OUTPUT", output_s.as_str())];
    let (code, _, err) = bash(repo, &changed, &env);
    assert_eq!(code, 0, "{err}");
    let listed = std::fs::read(repo.join("changed.bin")).unwrap();
    let mut names: Vec<String> = listed
        .split(|b| *b == 0)
        .filter(|n| !n.is_empty())
        .map(|n| String::from_utf8(n.to_vec()).unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "冠县 报告.json",
            "指标 报表.csv",
            "改名 后.json",
            "新 文件夹/项目 申请.json",
            "项目 台账.xls",
            "项目 台账.xlsx"
        ]
    );
    assert!(std::fs::read_to_string(&output)
        .unwrap()
        .contains("count=6"));

    let (code, stdout, err) = bash(repo, &annotate, &env);
    // A changed submission fails (the low tax per 亩): the step fails the job
    // (xargs passes plancheck's exit 1 on as 123).
    assert_ne!(code, 0, "{stdout}\n{err}");
    for name in [
        "新 文件夹/项目 申请.json",
        "项目 台账.xlsx",
        "项目 台账.xls",
        "指标 报表.csv",
    ] {
        assert!(
            stdout.contains(&format!("file={name},")),
            "{name} is annotated: {stdout}"
        );
    }
    assert!(!stdout.contains("unchanged.json"));
}

#[test]
fn junit_counts_add_up() {
    let run = super::plancheck(&[
        "check",
        "seeds/samples",
        "tests/fixtures/office",
        "--format",
        "junit",
    ]);
    let xml = run.stdout;
    let attr = |tag: &str, name: &str| -> Vec<usize> {
        xml.match_indices(&format!("<{tag} "))
            .map(|(i, _)| {
                let rest = &xml[i..];
                let key = format!("{name}=\"");
                let at = rest.find(&key).unwrap() + key.len();
                rest[at..rest[at..].find('"').unwrap() + at]
                    .parse()
                    .unwrap()
            })
            .collect()
    };
    let failures = xml.matches("<failure ").count();
    let cases = xml.matches("<testcase ").count();
    assert!(failures > 10 && cases > 30);
    assert_eq!(attr("testsuites", "failures"), [failures]);
    assert_eq!(attr("testsuites", "tests"), [cases]);
    assert_eq!(
        attr("testsuite", "failures").iter().sum::<usize>(),
        failures
    );
    assert_eq!(attr("testsuite", "tests").iter().sum::<usize>(), cases);
}

#[test]
fn the_pre_commit_rev_is_the_release_the_readme_names() {
    let readme = std::fs::read_to_string(super::root().join("README.md")).unwrap();
    let tag = format!("v{}", env!("CARGO_PKG_VERSION"));
    assert!(
        readme.contains(&format!("rev: {tag}")),
        "README names rev {tag}"
    );
    let hooks = std::fs::read_to_string(super::root().join(".pre-commit-hooks.yaml")).unwrap();
    assert!(hooks.contains("id: plancheck"));
    for ext in ["json", "jsonl", "csv", "xlsx", "xls"] {
        assert!(hooks.contains(ext), "the hook checks .{ext}");
    }
    for recipe in ["github-actions.yml", "gitlab-ci.yml"] {
        let text = std::fs::read_to_string(super::root().join("examples/ci").join(recipe)).unwrap();
        assert!(
            text.contains(&format!("--tag {tag}")),
            "{recipe} installs {tag}"
        );
    }
}
