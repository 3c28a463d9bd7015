//! Runs every project fixture of `tests/fixtures/projects/<case>/`: a small Flex repository
//! (plugin, Serverless Functions, tests, tooling, `.env.example`), linted as a whole with
//! `project::lint`, whose findings are compared with the case's `expected.json` (see
//! `tests/fixtures/projects/README.md`). `FLEXGUARD_BLESS=1` rewrites the expected files of the
//! cases that are not known gaps from the current output (review the diff before committing).

use std::path::{Path, PathBuf};

use flexguard::project::{lint, EnvFile};
use flexguard::testgen::fill;
use flexguard::{Options, Report};
use serde::{Deserialize, Serialize};

/// The seed every template is filled with (the same as `corpus.rs`).
const SEED: u64 = 1;

/// Cases whose `expected.json` states what flexguard should report but does not yet, each with
/// the reason. The test fails when one of them starts to match: then remove it from this list.
const KNOWN_GAPS: &[(&str, &str)] = &[];

/// Source files, by extension, `tsconfig.json`/`jsconfig.json` (their import aliases) and
/// `package.json` (what each package is); everything else in a case (a README) is ignored.
const SOURCE_EXTENSIONS: &[&str] = &["js", "jsx", "ts", "tsx", "mjs", "cjs"];
/// Env files read first: the committed templates (as hosts do, see `project::env_values`).
const ENV_TEMPLATES: &[&str] = &[".env.example", ".env.sample"];

/// One expected finding. Field order is the sort order: file, then line, then rule id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Expected {
    file: String,
    line: u32,
    rule_id: String,
}

/// A case's inputs, as a host would collect them from the repository.
struct Case {
    sources: Vec<(String, String)>,
    env_files: Vec<EnvFile>,
}

fn projects_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/projects")
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Walk a case: sources by path relative to the case (templates filled, `.template` dropped),
/// and `.env*` files, the templates first.
fn read_case(dir: &Path) -> Case {
    let mut paths = Vec::new();
    files_under(dir, &mut paths);
    paths.sort();
    let mut sources = Vec::new();
    let mut env_files = Vec::new();
    for path in paths {
        let relative = path
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if relative == "expected.json" {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        if name.starts_with(".env") {
            env_files.push(EnvFile {
                path: relative,
                text,
            });
            continue;
        }
        let extension = name.rsplit('.').next().unwrap_or("");
        let ts_config = name == "tsconfig.json" || name == "jsconfig.json";
        // Manifests say what a package is (a Flex plugin, a Functions service, another web app).
        let manifest = name == "package.json";
        if !SOURCE_EXTENSIONS.contains(&extension) && !ts_config && !manifest {
            continue;
        }
        // The repository itself must stay clean: stored text holds holes, not credentials.
        let stored = flexguard::invariants::stored_credentials(&text, &relative);
        assert!(
            stored.is_empty(),
            "{relative}: the stored file contains a credential ({stored:?}); use a \
             `*.template.*` file with holes"
        );
        match relative.split_once(".template.") {
            Some((stem, ext)) => sources.push((format!("{stem}.{ext}"), fill(&text, SEED))),
            None => sources.push((relative, text)),
        }
    }
    let is_template = |file: &EnvFile| {
        let name = file.path.rsplit('/').next().unwrap_or(&file.path);
        ENV_TEMPLATES.contains(&name)
    };
    env_files.sort_by_key(|file| (!is_template(file), file.path.clone()));
    Case { sources, env_files }
}

fn actual_of(reports: &[Report]) -> Vec<Expected> {
    let mut actual: Vec<Expected> = reports
        .iter()
        .flat_map(|r| &r.findings)
        .map(|f| Expected {
            file: f.file.clone(),
            line: f.line,
            rule_id: f.rule_id.clone(),
        })
        .collect();
    actual.sort();
    actual
}

/// Everything a reviewer needs to judge a difference: each finding with its message and where
/// its parts came from, and any diagnostic.
fn describe(reports: &[Report]) -> String {
    let mut lines = Vec::new();
    for report in reports {
        for f in &report.findings {
            let related: Vec<String> = f
                .related
                .iter()
                .map(|r| format!("{}:{}", r.file, r.line))
                .collect();
            lines.push(format!(
                "    {}:{} {} — {} {related:?}",
                f.file, f.line, f.rule_id, f.message
            ));
        }
        for d in &report.diagnostics {
            lines.push(format!(
                "    {}:{} [{}] {}",
                d.file, d.line, d.code, d.message
            ));
        }
    }
    lines.join("\n")
}

fn format_list(list: &[Expected]) -> String {
    if list.is_empty() {
        return "    (none)".into();
    }
    list.iter()
        .map(|e| format!("    {}:{} {}", e.file, e.line, e.rule_id))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn project_fixtures() {
    let bless = std::env::var_os("FLEXGUARD_BLESS").is_some();
    let mut cases: Vec<PathBuf> = std::fs::read_dir(projects_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 8, "project fixtures missing");
    let names: Vec<String> = cases
        .iter()
        .map(|c| c.file_name().unwrap().to_string_lossy().to_string())
        .collect();
    for (gap, _) in KNOWN_GAPS {
        assert!(
            names.iter().any(|n| n == gap),
            "KNOWN_GAPS names `{gap}`, which is not a case"
        );
    }
    let mut failures = Vec::new();
    for (case, name) in cases.iter().zip(&names) {
        let gap = KNOWN_GAPS.iter().find(|(g, _)| g == name).map(|(_, r)| *r);
        let input = read_case(case);
        assert!(!input.sources.is_empty(), "{name}: no source files");
        let reports = lint(&input.sources, input.env_files, &Options::default());
        let actual = actual_of(&reports);
        let diagnostics: Vec<_> = reports.iter().flat_map(|r| &r.diagnostics).collect();
        let expected_path = case.join("expected.json");
        if bless && gap.is_none() {
            let json = serde_json::to_string_pretty(&actual).unwrap() + "\n";
            std::fs::write(&expected_path, json).unwrap();
            continue;
        }
        let text = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|_| panic!("{name}: expected.json missing"));
        let expected: Vec<Expected> =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: expected.json: {e}"));
        let mut sorted = expected.clone();
        sorted.sort();
        assert_eq!(
            expected, sorted,
            "{name}: expected.json must be sorted by file, line, ruleId"
        );
        if !diagnostics.is_empty() {
            failures.push(format!(
                "{name}: the engine reported diagnostics (a case must parse):\n{}",
                describe(&reports)
            ));
            continue;
        }
        match (gap, actual == expected) {
            (None, true) => {}
            (None, false) => {
                let missing: Vec<Expected> = expected
                    .iter()
                    .filter(|e| !actual.contains(e))
                    .cloned()
                    .collect();
                let extra: Vec<Expected> = actual
                    .iter()
                    .filter(|a| !expected.contains(a))
                    .cloned()
                    .collect();
                failures.push(format!(
                    "{name}:\n  expected:\n{}\n  actual:\n{}\n  missing:\n{}\n  unexpected:\n{}\n  findings:\n{}",
                    format_list(&expected),
                    format_list(&actual),
                    format_list(&missing),
                    format_list(&extra),
                    describe(&reports)
                ));
            }
            (Some(reason), true) => failures.push(format!(
                "{name}: listed in KNOWN_GAPS ({reason}) but now matches expected.json: \
                 remove it from the list"
            )),
            (Some(_), false) => {}
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}
