//! Facts that hosts observe outside source text, judged by the rules that own them. Git says
//! what a commit stages and what it ignores; the build says what it defines on `process.env`;
//! `flexguard audit` says what a live Twilio account holds (see `account`).
//! Hosts hand the facts over and receive `Finding`s: they never build a finding themselves.

use serde::{Deserialize, Serialize};

use crate::account::{AccountResource, ApiKeyInfo, DialingCountry, UsageTrigger, Visibility};
use crate::finding::{Finding, Report, Span};
use crate::redact::fingerprint;
use crate::Options;

/// One observed fact. Paths are relative to the project root, with forward slashes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(from_wasm_abi))]
pub enum Fact {
    /// A file that the next commit adds or changes.
    StagedFile { path: String },
    /// A Flex plugin package, or with `functions` a Twilio Functions service (`dir`, empty for
    /// the root), whose `.env` git would not ignore.
    EnvNotIgnored {
        dir: String,
        #[serde(default)]
        #[cfg_attr(target_arch = "wasm32", tsify(optional))]
        functions: bool,
    },
    /// What a build defines on `process.env` for the bundle (webpack's DefinePlugin), reported
    /// in the pseudo-file [`DEFINED_ENV_FILE`], one line per entry.
    DefinedEnv { entries: Vec<EnvEntry> },
    /// A live account's API keys, from one key list (`list`: `api-v2010` or `iam-v1`).
    ApiKeys {
        account_sid: String,
        list: String,
        keys: Vec<ApiKeyInfo>,
    },
    /// A live account's voice dialling permissions per country, and whether its subaccounts
    /// inherit them (`None`: the setting could not be read).
    VoiceDialing {
        account_sid: String,
        countries: Vec<DialingCountry>,
        #[cfg_attr(target_arch = "wasm32", tsify(optional))]
        inheritance: Option<bool>,
    },
    /// A live account's usage triggers.
    UsageTriggers {
        account_sid: String,
        triggers: Vec<UsageTrigger>,
    },
    /// Code or attributes deployed to a live account (a plugin bundle, a Function's content,
    /// a public asset, Flex `ui_attributes`), linted as a file of `runtime` named by the resource.
    DeployedText {
        resource: AccountResource,
        runtime: crate::Runtime,
        #[cfg_attr(target_arch = "wasm32", tsify(optional))]
        visibility: Option<Visibility>,
        text: String,
    },
    /// A check (`rule`) that could not run on a resource: why, and what credential would let it.
    NotChecked {
        rule: String,
        resource: AccountResource,
        reason: String,
        needs: String,
    },
    /// An audited account: the settings no public API shows are listed for a manual check.
    ManualChecks { account_sid: String },
}

/// One `process.env` key a build defines, with its value as a string.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
pub struct EnvEntry {
    pub name: String,
    pub value: String,
}

/// The pseudo-file that findings about a build's `process.env` are reported in.
pub const DEFINED_ENV_FILE: &str = "<DefinePlugin process.env>";

/// What a rule reports about a fact. `value` identifies the finding (it is hashed into the
/// fingerprint, never shown); `excerpt` must already be safe to show.
pub struct FactFinding {
    pub file: String,
    pub line: u32,
    pub end_column: u32,
    pub message: String,
    pub help: String,
    pub excerpt: String,
    pub value: String,
    /// The fingerprint an older host gave this finding, when it differs.
    pub legacy_fingerprint: Option<String>,
}

/// The line a `DefinedEnv` entry is shown as. Values are linted through this text, so the
/// engine finds and redacts any credential in them like in code.
pub fn defined_env_line(entry: &EnvEntry) -> String {
    let value = serde_json::to_string(&entry.value).unwrap_or_else(|_| "\"\"".into());
    format!("process.env.{} = {value};", entry.name)
}

/// Judge facts: the findings of every enabled rule about them, sorted by file and position.
/// A `DefinedEnv` fact's values are scanned by the engine too.
pub fn judge(facts: &[Fact], options: &Options) -> Report {
    let mut report = Report::default();
    for fact in facts {
        if let Fact::DefinedEnv { entries } = fact {
            let text: String = entries
                .iter()
                .map(|entry| defined_env_line(entry) + "\n")
                .collect();
            let scanned = crate::scan(
                &text,
                &Options {
                    filename: Some(DEFINED_ENV_FILE.into()),
                    project_path: None,
                    source_map: None,
                    text_only: false,
                    ..options.clone()
                },
            );
            report.findings.extend(scanned.findings);
            report.suppressed.extend(scanned.suppressed);
            // The pseudo-file is not code anyone wrote: a parse error there means nothing.
            report.diagnostics.extend(
                scanned
                    .diagnostics
                    .into_iter()
                    .filter(|d| d.code != "parse-error"),
            );
        }
        crate::account::judge(fact, options, &mut report);
        for rule in crate::rules::ALL {
            let meta = rule.meta();
            let Some(severity) = options.severity_of(meta) else {
                continue;
            };
            for found in rule.check_fact(fact) {
                report.findings.push(Finding {
                    rule_id: meta.id.to_string(),
                    severity,
                    message: found.message,
                    help: found.help,
                    span: Span::default(),
                    line: found.line,
                    column: 1,
                    end_line: found.line,
                    end_column: found.end_column,
                    excerpt: found.excerpt,
                    fingerprint: fingerprint(meta.id, &found.file, &found.value),
                    legacy_fingerprints: found.legacy_fingerprint.into_iter().collect(),
                    value_hash: fingerprint(meta.id, "", &found.value),
                    file: found.file,
                    runtime: None,
                    related: Vec::new(),
                    module: None,
                    original: None,
                    via_map: None,
                    resource: None,
                    fix: None,
                });
            }
        }
    }
    report.findings.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.rule_id).cmp(&(&b.file, b.line, b.column, &b.rule_id))
    });
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_read_the_hosts_wire_format() {
        let facts: Vec<Fact> = serde_json::from_str(
            r#"[{"kind":"stagedFile","path":".env"},{"kind":"envNotIgnored","dir":"plugin"},
                {"kind":"definedEnv","entries":[{"name":"FLEX_APP_X","value":"1"}]}]"#,
        )
        .unwrap();
        assert_eq!(facts.len(), 3);
        assert_eq!(
            facts[1],
            Fact::EnvNotIgnored {
                dir: "plugin".into(),
                functions: false
            }
        );
    }

    #[test]
    fn a_rule_turned_off_reports_no_fact() {
        let fact = Fact::StagedFile {
            path: ".env".into(),
        };
        let on = judge(std::slice::from_ref(&fact), &Options::default());
        assert_eq!(on.findings.len(), 1);
        let off = Options {
            rules: [("env-file-committed".to_string(), crate::RuleSetting::Off)].into(),
            ..Options::default()
        };
        assert!(judge(&[fact], &off).findings.is_empty());
    }

    #[test]
    fn defined_env_values_are_scanned_and_never_shown() {
        let sid = crate::testgen::fill("AC{hex32}", 3);
        let token = crate::testgen::fill("{hex32}", 4);
        let entries = vec![
            EnvEntry {
                name: "FLEX_APP_ACCOUNT_SID".into(),
                value: sid.clone(),
            },
            EnvEntry {
                name: "FLEX_APP_TWILIO_AUTH_TOKEN".into(),
                value: token.clone(),
            },
        ];
        let report = judge(&[Fact::DefinedEnv { entries }], &Options::default());
        let rules: Vec<&str> = report.findings.iter().map(|f| f.rule_id.as_str()).collect();
        assert!(rules.contains(&"account-sid"), "{rules:?}");
        assert!(rules.contains(&"flex-env-credential"), "{rules:?}");
        let text = serde_json::to_string(&report).unwrap();
        assert!(!text.contains(&sid) && !text.contains(&token));
    }
}
