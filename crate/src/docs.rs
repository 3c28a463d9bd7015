//! Reference docs generated from the rule registry: the README's rule table and one page per
//! rule under `docs/rules/`. `crate/tests/generated_docs.rs` fails when the files are stale.

use crate::rules::{RuleMeta, ALL};

/// The README's rule table: one row per rule, linking to its page.
pub fn rule_table() -> String {
    let mut out = String::from(
        "| rule | default | kind | runs on | what it flags |\n|---|---|---|---|---|\n",
    );
    for rule in ALL {
        let meta = rule.meta();
        out.push_str(&format!(
            "| [`{id}`](docs/rules/{id}.md) | {} | {} | {} | {} |\n",
            meta.default_severity.as_str(),
            meta.kind.as_str(),
            runtimes(meta),
            meta.summary().replace('|', "\\|"),
            id = meta.id,
        ));
    }
    out
}

/// `docs/rules/<id>.md`: the rule's doc comment with its facts first, and its examples labelled.
pub fn rule_page(meta: &RuleMeta) -> String {
    let mut out = format!(
        "<!-- Generated from crate/src/rules/{}.rs by `make docs`; edit the doc comment there. -->\n\n# `{}`\n\n",
        meta.id.replace('-', "_"),
        meta.id
    );
    out.push_str(&format!(
        "| default severity | kind | runs on |\n|---|---|---|\n| {} | {} | {} |\n\n",
        meta.default_severity.as_str(),
        meta.kind.as_str(),
        runtimes(meta)
    ));
    for line in meta.docs().lines() {
        match example_fence(line) {
            Some((lang, flagged)) => {
                out.push_str(if flagged {
                    "Flagged:\n\n"
                } else {
                    "Not flagged:\n\n"
                });
                out.push_str(&format!("```{lang}\n"));
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

/// `docs/rules/README.md`: the index of rule pages.
pub fn rules_index() -> String {
    let mut out =
        String::from("<!-- Generated from the rule registry by `make docs`. -->\n\n# Rules\n\n");
    out.push_str(&rule_table().replace("](docs/rules/", "]("));
    out.push_str(
        "\n`credential` rules report a secret wherever it is; `api-call` rules judge the team's own code \
         (see `firstParty` in [configuration](../configuration.md)); `repository` and `build` rules \
         judge what git and the build report, not source text; `account` rules judge a live Twilio \
         account, read by [`flexguard audit`](../audit.md).\n\n\
         Runs on: where a file's code runs decides which rules check it. `plugin` is code bundled \
         for the agent's browser; `function` a Twilio Serverless Function; `asset` a public \
         Serverless asset; `test` tests, mocks and fixtures; `tooling` build, deploy and setup \
         scripts and tool configs. flexguard infers it from the repository's layout; the \
         `runtimes` setting overrides it (see [configuration](../configuration.md)).\n",
    );
    out
}

/// Every generated file, as (path relative to the repository root, content).
pub fn generated_files() -> Vec<(String, String)> {
    let mut files = vec![("docs/rules/README.md".to_string(), rules_index())];
    for rule in ALL {
        let meta = rule.meta();
        files.push((format!("docs/rules/{}.md", meta.id), rule_page(meta)));
    }
    files
}

/// The runtimes a rule checks, or "every file" when it checks them all.
fn runtimes(meta: &RuleMeta) -> String {
    if meta.kind == crate::rules::RuleKind::Account {
        return "the Twilio account".into();
    }
    if meta.kind.judges_facts() {
        return "the repository".into();
    }
    if meta.runtimes.len() == crate::Runtime::ALL.len() {
        return "every file".into();
    }
    let names: Vec<&str> = meta.runtimes.iter().map(|r| r.as_str()).collect();
    names.join(", ")
}

/// A fence line of a tagged example: ```` ```js,flags ```` → ("js", true).
fn example_fence(line: &str) -> Option<(&str, bool)> {
    let (lang, tag) = line.trim().strip_prefix("```")?.split_once(',')?;
    match tag {
        "flags" => Some((lang, true)),
        "clean" => Some((lang, false)),
        _ => None,
    }
}
