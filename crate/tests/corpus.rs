//! Runs every fixture of `tests/fixtures/<case>/`: scans the input and compares the findings
//! with `findings.json` (see `tests/fixtures/README.md`). `FLEXGUARD_BLESS=1` rewrites the
//! expected files from the current output (review the diff before committing).

use std::path::{Path, PathBuf};

use flexguard::testgen::fill;
use flexguard::{invariants, scan, Options};
use serde::{Deserialize, Serialize};

/// The seed every fixture template is filled with (the npm tests use the same).
const SEED: u64 = 1;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Expected {
    rule_id: String,
    line: u32,
    column: u32,
}

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

/// The case's input file: `input.<ext>` or `input.template.<ext>`.
fn input_of(case: &Path) -> PathBuf {
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(case)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("input."))
        })
        .collect();
    assert_eq!(
        inputs.len(),
        1,
        "{}: exactly one input.* file",
        case.display()
    );
    inputs.pop().unwrap()
}

#[test]
fn fixtures() {
    let bless = std::env::var_os("FLEXGUARD_BLESS").is_some();
    let mut cases: Vec<PathBuf> = std::fs::read_dir(fixtures_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() && p.file_name() != Some("projects".as_ref()))
        .collect();
    cases.sort();
    assert!(cases.len() >= 5, "fixtures missing");
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let input = input_of(case);
        let file_name = input.file_name().unwrap().to_string_lossy().to_string();
        let raw = std::fs::read_to_string(&input).unwrap();
        // The repository itself must stay clean: the stored text holds holes, not credentials.
        assert_eq!(
            invariants::stored_credentials(&raw, &file_name).len(),
            0,
            "{name}: the stored input contains a credential; use a template with holes"
        );
        let (source, filename) = match file_name.split_once(".template") {
            Some((stem, ext)) => (fill(&raw, SEED), format!("{stem}{ext}")),
            None => (raw, file_name.clone()),
        };
        let report = scan(
            &source,
            &Options {
                filename: Some(filename),
                ..Default::default()
            },
        );
        let mut actual: Vec<Expected> = report
            .findings
            .iter()
            .map(|f| Expected {
                rule_id: f.rule_id.clone(),
                line: f.line,
                column: f.column,
            })
            .collect();
        actual.sort();
        let expected_path = case.join("findings.json");
        if bless {
            let json = serde_json::to_string_pretty(&actual).unwrap() + "\n";
            std::fs::write(&expected_path, json).unwrap();
            continue;
        }
        let text = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|_| panic!("{name}: findings.json missing"));
        let mut expected: Vec<Expected> =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: findings.json: {e}"));
        expected.sort();
        if actual != expected {
            failures.push(format!(
                "{name}:\n  expected {expected:?}\n  actual   {actual:?}\n  messages: {:#?}",
                report
                    .findings
                    .iter()
                    .map(|f| format!("{}:{} {} {}", f.line, f.column, f.rule_id, f.message))
                    .collect::<Vec<_>>()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
