//! Test helpers shared by every rule's tests: sources are templates whose `{hexN}`-style holes
//! are filled with generated fake values (see `testgen`).

use crate::{scan, testgen, Finding, Options};

pub const SEED: u64 = 0x5eed;

/// Scan a template as `test.jsx` (or the file name a case asks for with a `// @file x.ts` line).
pub fn lint(template: &str) -> Vec<Finding> {
    let source = testgen::fill(template, SEED);
    let filename = source
        .lines()
        .next()
        .and_then(|line| line.strip_prefix("// @file "))
        .unwrap_or("test.jsx")
        .trim()
        .to_string();
    let report = scan(
        &source,
        &Options {
            filename: Some(filename),
            ..Default::default()
        },
    );
    report.findings
}

fn of_rule(findings: Vec<Finding>, rule_id: &str) -> Vec<Finding> {
    findings
        .into_iter()
        .filter(|f| f.rule_id == rule_id)
        .collect()
}

/// Each case yields exactly one finding of `rule_id`.
pub fn assert_flags(rule_id: &str, cases: &[&str]) {
    for case in cases {
        let found = of_rule(lint(case), rule_id);
        assert_eq!(
            found.len(),
            1,
            "{rule_id} should flag once:\n{case}\nfound: {found:#?}"
        );
    }
}

/// No case yields a finding of `rule_id`.
pub fn assert_clean(rule_id: &str, cases: &[&str]) {
    for case in cases {
        let found = of_rule(lint(case), rule_id);
        assert!(
            found.is_empty(),
            "{rule_id} should not flag:\n{case}\nfound: {found:#?}"
        );
    }
}

/// Every finding of `rule_id` over the cases, one line each, for an insta snapshot.
pub fn snapshot(rule_id: &str, cases: &[&str]) -> String {
    let mut out = String::new();
    for (i, case) in cases.iter().enumerate() {
        for f in of_rule(lint(case), rule_id) {
            out.push_str(&format!(
                "#{i} {}:{}-{}:{} {} {}\n    {}\n    > {}\n",
                f.line,
                f.column,
                f.end_line,
                f.end_column,
                f.severity.as_str(),
                f.message,
                f.help,
                f.excerpt
            ));
        }
    }
    out
}
