//! Facts about a live Twilio account (`flexguard audit`), judged by the `account` rules. The
//! host reads the account with GET requests only and hands over what it saw; the engine judges
//! it and returns `Finding`s that name account resources (`twilio://<AccountSid>/<kind>/<id>`)
//! instead of files. Deployed code and browser-visible attributes are scanned like source.

use serde::{Deserialize, Serialize};

use crate::finding::{Finding, Report, Span};
use crate::redact::fingerprint;
use crate::{Options, RuleSetting, Runtime};

/// An account resource a finding is about: `kind` is `key`, `country`, `usage-triggers`,
/// `flex-configuration`, `plugin`, `function`, `asset`, `account`; `id` the key SID, the
/// country's ISO code, `plugin@version`, the Function's path (`service/environment/path`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
pub struct AccountResource {
    pub account_sid: String,
    pub kind: String,
    pub id: String,
}

impl AccountResource {
    /// `twilio://<AccountSid>/<kind>/<id>`: what text formats show in place of a file.
    pub fn uri(&self) -> String {
        format!("twilio://{}/{}/{}", self.account_sid, self.kind, self.id)
    }
}

/// The audit's thresholds (`audit` in the config file).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
pub struct AuditSettings {
    /// API keys older than this many days are reported (default 180: Twilio's six months).
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub key_max_age_days: Option<u32>,
    /// ISO codes of the countries the team calls. Low-risk dialling enabled elsewhere is
    /// reported; without a list, more than [`MAX_COUNTRIES_WITHOUT_LIST`] countries are.
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub voice_countries: Option<Vec<String>>,
}

pub const DEFAULT_KEY_MAX_AGE_DAYS: u32 = 180;
pub const MAX_COUNTRIES_WITHOUT_LIST: usize = 5;

impl AuditSettings {
    pub fn key_max_age_days(&self) -> u32 {
        self.key_max_age_days.unwrap_or(DEFAULT_KEY_MAX_AGE_DAYS)
    }
}

/// One API key as a key list shows it; the host computes its age from `date_created`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
pub struct ApiKeyInfo {
    pub sid: String,
    #[serde(default)]
    pub friendly_name: String,
    pub age_days: u32,
}

/// One country's voice dialling permissions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
pub struct DialingCountry {
    pub iso_code: String,
    #[serde(default)]
    pub name: String,
    pub low_risk_numbers_enabled: bool,
    pub high_risk_special_numbers_enabled: bool,
    pub high_risk_tollfraud_numbers_enabled: bool,
}

/// One usage trigger.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
pub struct UsageTrigger {
    pub sid: String,
    #[serde(default)]
    pub friendly_name: String,
    pub usage_category: String,
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub callback_url: Option<String>,
}

/// Who can reach a deployed Serverless Function or asset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
pub enum Visibility {
    Public,
    Protected,
    Private,
}

/// Judge one account fact: the account rules' findings, and for deployed text the findings of
/// every rule that applies to where it runs. Appends to `report`.
pub(crate) fn judge(fact: &crate::facts::Fact, options: &Options, report: &mut Report) {
    use crate::facts::Fact;
    if let Fact::DeployedText {
        resource,
        runtime,
        visibility,
        text,
    } = fact
    {
        scan_deployed(resource, *runtime, *visibility, text, options, report);
    }
    let settings = options.audit.clone().unwrap_or_default();
    for rule in crate::rules::ALL {
        let meta = rule.meta();
        let Some(severity) = options.severity_of(meta) else {
            continue;
        };
        for found in rule.check_account(fact, &settings) {
            let file = found.resource.uri();
            report.findings.push(Finding {
                rule_id: meta.id.to_string(),
                // A level the user set wins over a finding's own (a check that could not run).
                severity: match options.rules.contains_key(meta.id) {
                    true => severity,
                    false => found.severity.unwrap_or(severity),
                },
                message: found.message,
                help: found.help,
                span: Span::default(),
                line: 1,
                column: 1,
                end_line: 1,
                end_column: 1,
                excerpt: String::new(),
                fingerprint: fingerprint(meta.id, &file, &found.value),
                legacy_fingerprints: Vec::new(),
                value_hash: fingerprint(meta.id, "", &found.value),
                file,
                runtime: None,
                related: Vec::new(),
                module: None,
                original: None,
                via_map: None,
                resource: Some(found.resource),
                fix: None,
            });
        }
    }
}

/// Deployed code and attributes are linted like files of their runtime, under the resource's
/// URI. A Function only Twilio can call (`protected`: signed requests) or nobody outside the
/// service can (`private`) needs no Flex token validator, and a `private` one answers no browser.
fn scan_deployed(
    resource: &AccountResource,
    runtime: Runtime,
    visibility: Option<Visibility>,
    text: &str,
    options: &Options,
    report: &mut Report,
) {
    let mut rules = options.rules.clone();
    if runtime == Runtime::Function && visibility != Some(Visibility::Public) {
        rules.insert("function-without-token-validator".into(), RuleSetting::Off);
    }
    if runtime == Runtime::Function && visibility == Some(Visibility::Private) {
        rules.insert("function-returns-secret".into(), RuleSetting::Off);
    }
    let uri = resource.uri();
    let scanned = crate::scan(
        text,
        &Options {
            filename: Some(uri),
            project_path: None,
            source_map: None,
            runtime: Some(runtime),
            rules,
            summarize: false,
            text_only: false,
            ..options.clone()
        },
    );
    report
        .findings
        .extend(scanned.findings.into_iter().map(|finding| Finding {
            resource: Some(resource.clone()),
            ..finding
        }));
    report.suppressed.extend(scanned.suppressed);
    report.diagnostics.extend(scanned.diagnostics);
}

/// What an account rule reports about a fact. `value` identifies the finding (hashed into the
/// fingerprint, never shown). `severity` overrides the rule's level for one finding (a check
/// that could not run is a warning, whatever the rule's level), unless the user set a level.
pub struct AccountFinding {
    pub resource: AccountResource,
    pub message: String,
    pub help: String,
    pub value: String,
    pub severity: Option<crate::Severity>,
}

impl AccountFinding {
    pub fn new(resource: AccountResource, message: String, help: &str, value: String) -> Self {
        AccountFinding {
            resource,
            message,
            help: help.to_string(),
            value,
            severity: None,
        }
    }
}

/// The finding of a check that could not run: it names what would let it run, and is never a pass.
pub fn not_checked(rule_id: &str, fact: &crate::facts::Fact) -> Option<AccountFinding> {
    let crate::facts::Fact::NotChecked {
        rule,
        resource,
        reason,
        needs,
    } = fact
    else {
        return None;
    };
    if rule != rule_id {
        return None;
    }
    Some(AccountFinding {
        resource: resource.clone(),
        message: format!("not checked: {reason}"),
        help: format!("Run the audit with {needs} to check this."),
        value: format!("not-checked:{}", resource.id),
        severity: Some(crate::Severity::Warning),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{judge, Fact};

    fn resource(kind: &str, id: &str) -> AccountResource {
        AccountResource {
            account_sid: crate::testgen::fill("AC{hex32}", 1),
            kind: kind.into(),
            id: id.into(),
        }
    }

    #[test]
    fn deployed_text_is_scanned_under_the_resource_and_never_shown() {
        let token = crate::testgen::fill("{hex32}", 7);
        let text = format!("const ui_attributes = {{\n  \"authToken\": \"{token}\"\n}};\n");
        let fact = Fact::DeployedText {
            resource: resource("flex-configuration", "ui_attributes"),
            runtime: Runtime::Plugin,
            visibility: None,
            text,
        };
        let report = judge(&[fact], &Options::default());
        assert!(!report.findings.is_empty());
        for finding in &report.findings {
            assert!(finding.file.starts_with("twilio://AC"), "{}", finding.file);
            assert_eq!(
                finding.resource.as_ref().unwrap().kind,
                "flex-configuration"
            );
        }
        assert!(!serde_json::to_string(&report).unwrap().contains(&token));
    }

    /// How many `rule` findings the audit reports for a deployed Function of `code` at `visibility`.
    fn deployed_function_findings(rule: &str, code: &str, visibility: Visibility) -> usize {
        let fact = Fact::DeployedText {
            resource: resource("function", "svc/production/fn"),
            runtime: Runtime::Function,
            visibility: Some(visibility),
            text: code.into(),
        };
        judge(&[fact], &Options::default())
            .findings
            .iter()
            .filter(|f| f.rule_id == rule)
            .count()
    }

    #[test]
    fn only_public_functions_need_the_token_validator() {
        let code = "exports.handler = async (context, event, callback) => {\n  const client = context.getTwilioClient();\n  callback(null, await client.messages.list());\n};\n";
        let validator = |visibility| {
            deployed_function_findings("function-without-token-validator", code, visibility)
        };
        assert_eq!(validator(Visibility::Public), 1);
        assert_eq!(validator(Visibility::Protected), 0);
        assert_eq!(validator(Visibility::Private), 0);
    }

    #[test]
    fn only_functions_with_a_url_send_their_response_to_a_browser() {
        let code = "exports.handler = (context, event, callback) => callback(null, { secret: context.API_SECRET });\n";
        let returned =
            |visibility| deployed_function_findings("function-returns-secret", code, visibility);
        assert_eq!(returned(Visibility::Public), 1);
        assert_eq!(returned(Visibility::Protected), 1);
        assert_eq!(returned(Visibility::Private), 0);
    }

    #[test]
    fn a_check_that_cannot_run_is_a_warning_that_names_the_credential() {
        let fact = Fact::NotChecked {
            rule: "account-api-key-age".into(),
            resource: resource("key", "*"),
            reason: "the API key may not list keys (403)".into(),
            needs: "the auth token or a Main API key".into(),
        };
        let report = judge(&[fact], &Options::default());
        assert_eq!(report.findings.len(), 1);
        let finding = &report.findings[0];
        assert_eq!(finding.rule_id, "account-api-key-age");
        assert_eq!(finding.severity, crate::Severity::Warning);
        assert!(finding.help.contains("auth token"));
    }
}
