//! Inline suppressions, applied by the engine so every client (CLI, webpack, pre-commit,
//! playground) honours the same comments:
//!
//! ```text
//! // flexguard-ignore-next-line <rule-id>[, <rule-id>…] -- <reason>
//! const sid = "AC…";  /* flexguard-ignore <rule-id> -- <reason> */
//! ```
//!
//! `flexguard-ignore-next-line` covers findings that start on the line after the comment;
//! `flexguard-ignore` covers findings that start on the comment's own line. A missing reason
//! still suppresses but is reported; an unknown rule id is reported and suppresses nothing.
//! Both are `suppression` diagnostics. In plain-text files (`.env`, YAML, HTML) and in files
//! that did not parse, the directive is found in any line (`# …`, `<!-- … -->`).

use crate::finding::{Diagnostic, Finding};
use crate::parse::LineIndex;

const NEXT_LINE: &str = "flexguard-ignore-next-line";
const SAME_LINE: &str = "flexguard-ignore";

/// One parsed directive: the line it covers and the rules it names.
#[derive(Debug, PartialEq, Eq)]
pub struct Suppression {
    pub line: u32,
    pub rule_ids: Vec<String>,
}

/// Directives in a comment's text (without its `//`, `/*`, `*/`), at a byte offset of the source.
/// `end` is the offset just past the comment (for the next-line form).
pub fn parse_directive(
    text: &str,
    start: usize,
    end: usize,
    index: &LineIndex,
    file: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Suppression> {
    let trimmed = text.trim_start_matches(|c: char| c.is_whitespace() || c == '*');
    let (rest, line) = if let Some(rest) = trimmed.strip_prefix(NEXT_LINE) {
        (rest, index.position(end).0 + 1)
    } else if let Some(rest) = trimmed.strip_prefix(SAME_LINE) {
        (rest, index.position(start).0)
    } else {
        return None;
    };
    // `flexguard-ignored` or `flexguard-ignore-file` are not this directive.
    if rest.starts_with(|c: char| c.is_alphanumeric() || c == '-' || c == '_') {
        return None;
    }
    let (ids, reason) = match rest.split_once("--") {
        Some((ids, reason)) => (ids, Some(reason.trim())),
        None => (rest, None),
    };
    let (at_line, at_column) = index.position(start);
    let mut diagnostic = |message: String| {
        diagnostics.push(Diagnostic {
            code: "suppression".into(),
            message,
            file: file.to_string(),
            line: at_line,
            column: at_column,
        })
    };
    let mut rule_ids = Vec::new();
    let mut named = false;
    for id in ids
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|id| !id.is_empty())
    {
        named = true;
        if crate::rules::find(id).is_some() {
            rule_ids.push(id.to_string());
        } else {
            // Never echo comment text at length: a long "id" could be a pasted credential.
            let shown: String = if id.chars().count() > 24 {
                id.chars().take(4).chain(['…']).collect()
            } else {
                id.to_string()
            };
            diagnostic(format!(
                "unknown rule id \"{shown}\" in a flexguard suppression; it suppresses nothing"
            ));
        }
    }
    if !named {
        diagnostic("flexguard suppression names no rule id; nothing is suppressed".into());
    }
    if rule_ids.is_empty() {
        return None;
    }
    if reason.is_none_or(str::is_empty) {
        diagnostic(format!(
            "flexguard suppression of {} has no reason; add `-- <why this is safe>`",
            rule_ids.join(", ")
        ));
    }
    Some(Suppression { line, rule_ids })
}

/// Directives anywhere in the text, line by line: for files without a syntax tree.
pub fn scan_text(
    source: &str,
    index: &LineIndex,
    file: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Suppression> {
    let mut out = Vec::new();
    let mut offset = 0;
    for raw_line in source.split_inclusive('\n') {
        if let Some(at) = raw_line.find(SAME_LINE) {
            let line = raw_line.trim_end_matches(['\n', '\r']);
            // Closing comment delimiters are not part of the reason.
            let text = line[at..]
                .trim_end()
                .trim_end_matches("*/")
                .trim_end_matches("-->");
            let end = offset + line.len();
            if let Some(s) = parse_directive(text, offset + at, end, index, file, diagnostics) {
                out.push(s);
            }
        }
        offset += raw_line.len();
    }
    out
}

/// Drop the findings a directive covers.
/// Drop suppressed findings; returns their `value_hash`es (see `Report::suppressed`).
pub fn apply(findings: &mut Vec<Finding>, suppressions: &[Suppression]) -> Vec<String> {
    let mut suppressed = Vec::new();
    findings.retain(|finding| {
        let hit = suppressions
            .iter()
            .any(|s| s.line == finding.line && s.rule_ids.contains(&finding.rule_id));
        if hit {
            suppressed.push(finding.value_hash.clone());
        }
        !hit
    });
    suppressed
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::SEED;
    use crate::{scan, testgen, Options, Report};

    fn run(template: &str, filename: &str) -> Report {
        let source = testgen::fill(template, SEED);
        scan(
            &source,
            &Options {
                filename: Some(filename.into()),
                ..Default::default()
            },
        )
    }

    fn ids(report: &Report) -> Vec<(&str, u32)> {
        report
            .findings
            .iter()
            .map(|f| (f.rule_id.as_str(), f.line))
            .collect()
    }

    fn codes(report: &Report) -> Vec<&str> {
        report.diagnostics.iter().map(|d| d.code.as_str()).collect()
    }

    #[test]
    fn next_line_suppresses_only_the_next_line() {
        let report = run(
            "// flexguard-ignore-next-line account-sid -- public demo account\n\
             const a = 'AC{hex32}';\n\
             const b = 'AC{hex32}';\n",
            "a.js",
        );
        assert_eq!(ids(&report), vec![("account-sid", 3)]);
        assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
    }

    #[test]
    fn same_line_block_comment_suppresses_its_line() {
        let report = run(
            "const a = 'AC{hex32}'; /* flexguard-ignore account-sid -- test fixture */\n\
             const b = 'AC{hex32}';\n",
            "a.js",
        );
        assert_eq!(ids(&report), vec![("account-sid", 2)]);
        assert!(report.diagnostics.is_empty());
    }

    #[test]
    fn only_the_named_rule_is_suppressed() {
        let report = run(
            "// flexguard-ignore-next-line account-sid -- sid is public\n\
             fetch('https://api.twilio.com/2010-04-01/Accounts/AC{hex32}.json');\n",
            "a.js",
        );
        assert_eq!(ids(&report), vec![("direct-api-call", 2)]);
        let report = run(
            "// flexguard-ignore-next-line account-sid, direct-api-call -- migration in progress\n\
             fetch('https://api.twilio.com/2010-04-01/Accounts/AC{hex32}.json');\n",
            "a.js",
        );
        assert_eq!(ids(&report), Vec::<(&str, u32)>::new());
    }

    #[test]
    fn missing_reason_still_suppresses_but_warns() {
        let report = run(
            "// flexguard-ignore-next-line account-sid\nconst a = 'AC{hex32}';\n",
            "a.js",
        );
        assert!(report.findings.is_empty());
        assert_eq!(codes(&report), vec!["suppression"]);
        assert!(report.diagnostics[0].message.contains("no reason"));
        assert_eq!(report.diagnostics[0].line, 1);
    }

    #[test]
    fn unknown_rule_id_warns_and_suppresses_nothing() {
        let report = run(
            "// flexguard-ignore-next-line acount-sid -- typo\nconst a = 'AC{hex32}';\n",
            "a.js",
        );
        assert_eq!(ids(&report), vec![("account-sid", 2)]);
        assert_eq!(codes(&report), vec!["suppression"]);
        assert!(report.diagnostics[0].message.contains("acount-sid"));
        let report = run(
            "// flexguard-ignore-next-line -- no id\nconst a = 'AC{hex32}';\n",
            "a.js",
        );
        assert_eq!(ids(&report), vec![("account-sid", 2)]);
        assert!(report.diagnostics[0].message.contains("names no rule id"));
    }

    #[test]
    fn directive_inside_a_string_is_not_a_comment() {
        let report = run(
            "const s = '// flexguard-ignore-next-line account-sid -- no';\nconst a = 'AC{hex32}';\n",
            "a.js",
        );
        assert_eq!(ids(&report), vec![("account-sid", 2)]);
    }

    #[test]
    fn lookalike_words_are_not_directives() {
        let report = run(
            "// flexguard-ignored account-sid -- not a directive\nconst a = 'AC{hex32}'; // flexguard-ignore-file account-sid\n",
            "a.js",
        );
        assert_eq!(ids(&report), vec![("account-sid", 2)]);
        assert!(report.diagnostics.is_empty());
    }

    #[test]
    fn plain_text_files_use_hash_and_html_comments() {
        let report = run(
            "# flexguard-ignore-next-line account-sid -- sandbox account\n\
             TWILIO_ACCOUNT_SID=AC{hex32}\n\
             OTHER=AC{hex32}\n",
            ".env.local",
        );
        assert_eq!(ids(&report), vec![("account-sid", 3)]);
        let report = run(
            "<p>AC{hex32}</p> <!-- flexguard-ignore account-sid -- docs page -->\n",
            "index.html",
        );
        assert!(report.findings.is_empty(), "{:?}", report.findings);
        assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
    }

    #[test]
    fn unparsable_js_falls_back_to_line_directives() {
        let report = run(
            "let x = ;\n// flexguard-ignore-next-line account-sid -- broken file\nconst a = 'AC{hex32}';\n",
            "a.js",
        );
        assert!(report.findings.is_empty());
        assert_eq!(codes(&report), vec!["parse-error"]);
    }
}
