//! Tests over the registry itself: naming, ordering, docs that run, shapes that hold.

use super::{testing, ALL};
use crate::testgen;

#[test]
fn ids_are_unique_kebab_case_and_sorted() {
    let ids: Vec<&str> = ALL.iter().map(|r| r.meta().id).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(ids, sorted, "ALL must be sorted by id, without duplicates");
    for id in ids {
        assert!(
            id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "{id} is not kebab-case"
        );
    }
}

#[test]
fn every_rule_file_is_registered() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/rules");
    let helpers = ["mod", "shapes", "context", "testing", "meta_tests"];
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        if path.extension().is_some_and(|e| e == "rs") && !helpers.contains(&stem) {
            let id = stem.replace('_', "-");
            assert!(
                ALL.iter().any(|r| r.meta().id == id),
                "rules/{stem}.rs is not in ALL as \"{id}\""
            );
        }
    }
}

/// Fenced blocks of the docs tagged `<lang>,<tag>` (`js,flags`, `sh,clean`, …).
fn doc_blocks(docs: &str, lang: &str, tag: &str) -> Vec<String> {
    let fence = format!("```{lang},{tag}");
    let mut blocks = Vec::new();
    let mut lines = docs.lines().map(|l| l.strip_prefix(' ').unwrap_or(l));
    while let Some(line) = lines.next() {
        if line.trim() == fence {
            let body: Vec<&str> = lines.by_ref().take_while(|l| l.trim() != "```").collect();
            blocks.push(body.join("\n"));
        }
    }
    blocks
}

#[test]
fn docs_have_summary_and_examples_that_run() {
    for rule in ALL {
        let meta = rule.meta();
        assert!(!meta.summary().is_empty(), "{} has no summary", meta.id);
        for section in [
            "## What it flags",
            "## Why it matters in a Flex plugin",
            "## How to fix",
        ] {
            assert!(
                meta.docs.contains(section),
                "{} docs lack '{section}'",
                meta.id
            );
        }
        if meta.kind.judges_facts() {
            // Their examples are the facts a host hands over (json blocks, judged here); a js
            // block would be source text, which these rules never see.
            for (tag, expected) in [("flags", 1), ("clean", 0)] {
                let blocks = doc_blocks(meta.docs, "json", tag);
                assert!(!blocks.is_empty(), "{} needs a json,{tag} example", meta.id);
                assert!(
                    doc_blocks(meta.docs, "js", tag).is_empty(),
                    "{}: no js,{tag}",
                    meta.id
                );
                for block in blocks {
                    let facts: Vec<crate::facts::Fact> = serde_json::from_str(&block)
                        .unwrap_or_else(|e| panic!("{}: {e}: {block}", meta.id));
                    let report = crate::facts::judge(&facts, &Default::default());
                    let found = report
                        .findings
                        .iter()
                        .filter(|f| f.rule_id == meta.id)
                        .count();
                    assert_eq!(found, expected, "{} json,{tag}: {block}", meta.id);
                }
            }
            continue;
        }
        let flags = doc_blocks(meta.docs, "js", "flags");
        let clean = doc_blocks(meta.docs, "js", "clean");
        assert!(
            !flags.is_empty() && !clean.is_empty(),
            "{} needs js,flags and js,clean examples",
            meta.id
        );
        let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
        let clean: Vec<&str> = clean.iter().map(String::as_str).collect();
        testing::assert_flags(meta.id, &flags);
        testing::assert_clean(meta.id, &clean);
    }
}

#[test]
fn fact_rules_are_never_reported_from_source_text() {
    let source = testgen::fill(
        "const env = require('./.env');\nconst sid = 'AC{hex32}';\n",
        1,
    );
    let report = crate::scan(&source, &Default::default());
    assert!(
        !report.findings.is_empty(),
        "the source should flag something"
    );
    for finding in &report.findings {
        let rule = super::find(&finding.rule_id).unwrap();
        assert!(!rule.meta().kind.judges_facts(), "{finding:?}");
    }
}

#[test]
fn credential_shapes_match_examples_and_reject_negatives() {
    for rule in ALL {
        let Some(shape) = rule.meta().shape else {
            continue;
        };
        for (i, example) in shape.examples.iter().enumerate() {
            let value = testgen::fill(example, i as u64 + 1);
            assert_eq!(
                shape.find_in(&value).len(),
                1,
                "{}: example should match: {value}",
                rule.meta().id
            );
        }
        for (i, (negative, why)) in shape.negative_examples.iter().enumerate() {
            let value = testgen::fill(negative, i as u64 + 1);
            assert_eq!(
                shape.find_in(&value).len(),
                0,
                "{}: should not match ({why}): {value}",
                rule.meta().id
            );
        }
    }
}
