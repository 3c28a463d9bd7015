//! The rule registry: a small `Rule` trait, the credential `Shape` data type, and `ALL`.

use swc_ecma_ast::{
    AssignExpr, CallExpr, ClassProp, MemberExpr, NewExpr, ObjectLit, VarDeclarator,
};

use crate::engine::{Ctx, ModuleSource, StringSite};
use crate::facts::{Fact, FactFinding};
use crate::finding::Severity;

mod access_token_jwt;
mod account_api_key_age;
mod account_manual_checks;
mod account_not_checked;
mod account_sid;
mod account_usage_triggers;
mod account_voice_dialing_countries;
mod account_voice_high_risk_dialing;
mod api_key_secret;
mod api_key_sid;
mod auth_token;
mod basic_auth_header;
pub(crate) mod context;
mod direct_api_call;
mod env_file_committed;
mod env_file_not_ignored;
mod flex_env_credential;
mod function_call_without_token;
mod function_returns_secret;
mod function_without_token_validator;
mod public_env_secret;
mod sendgrid_key;
mod server_sdk_import;
pub mod shapes;

/// What a rule is about; the CLI and webpack plugin group and filter by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
pub enum RuleKind {
    /// A credential value: reported wherever it sits, bundled `node_modules` included.
    Credential,
    /// A code pattern (a request, an import): reported in first-party code only.
    ApiCall,
    /// A fact about the git repository (a staged `.env`, a missing ignore rule), which a host
    /// observes with git and hands to the engine (`facts::judge`). Never found in source text.
    Repository,
    /// A fact about a build (what it defines on `process.env`), which the webpack plugin hands
    /// to the engine. Never found in source text.
    Build,
    /// A fact about a live Twilio account (keys, dialling permissions, usage triggers), which
    /// `flexguard audit` reads with GET requests and hands to the engine. Never found in source text.
    Account,
}

impl RuleKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::Credential => "credential",
            RuleKind::ApiCall => "api-call",
            RuleKind::Repository => "repository",
            RuleKind::Build => "build",
            RuleKind::Account => "account",
        }
    }

    /// Where rules of this kind apply unless they say otherwise: code patterns in plugin code,
    /// which ships to the browser; credentials everywhere, because they are committed anyway.
    pub const fn default_runtimes(self) -> &'static [crate::Runtime] {
        match self {
            RuleKind::ApiCall => &[crate::Runtime::Plugin],
            _ => crate::Runtime::ALL,
        }
    }

    /// Rules of these kinds judge facts that hosts hand over, never source text.
    pub fn judges_facts(self) -> bool {
        matches!(
            self,
            RuleKind::Repository | RuleKind::Build | RuleKind::Account
        )
    }
}

/// A rule's identity and documentation. `docs` is the rule's doc comment, captured by
/// [`declare_rule!`], so the code, the README table, `--list-rules` and the playground share one text.
pub struct RuleMeta {
    pub id: &'static str,
    pub default_severity: Severity,
    pub kind: RuleKind,
    pub docs: &'static str,
    /// Credential shape that is a finding on its own, in strings, comments and raw text.
    pub shape: Option<&'static shapes::Shape>,
    /// Where the rule applies: files of other runtimes are not checked by it.
    pub runtimes: &'static [crate::Runtime],
    /// Rule ids whose findings, in a visible scope of the same file, raise this rule's findings
    /// to error (unless the user configured the rule's level).
    pub error_when_paired_with: &'static [&'static str],
}

impl RuleMeta {
    /// The docs as Markdown (doc comments carry one leading space per line).
    pub fn docs(&self) -> String {
        self.docs
            .lines()
            .map(|line| line.strip_prefix(' ').unwrap_or(line))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The first paragraph of the docs.
    pub fn summary(&self) -> String {
        self.docs
            .trim()
            .split("\n\n")
            .next()
            .unwrap_or("")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// One rule. Every hook has a default that does nothing; a rule implements only what it needs.
/// Rules never walk the AST themselves: the engine walks once and calls them. (The defaults
/// tell the engine they are unused, so a file's walk stops calling them after the first node.)
pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    /// A constant string value (folded), at the outermost expression that assembles it.
    fn check_string(&self, ctx: &mut Ctx, _site: &StringSite) {
        ctx.hook_unused();
    }
    fn check_call(&self, ctx: &mut Ctx, _call: &CallExpr) {
        ctx.hook_unused();
    }
    fn check_new(&self, ctx: &mut Ctx, _new: &NewExpr) {
        ctx.hook_unused();
    }
    /// A static dependency on a module: `import … from "m"`, `export … from "m"`, TypeScript's
    /// `import x = require("m")` (type-only ones are erased by the compiler and not reported).
    fn check_module_source(&self, ctx: &mut Ctx, _source: &ModuleSource) {
        ctx.hook_unused();
    }
    /// Every member expression (`a.b`, `a["b"]`), outermost first.
    fn check_member(&self, ctx: &mut Ctx, _member: &MemberExpr) {
        ctx.hook_unused();
    }
    /// `const name = init` (any declaration kind), before its children are walked.
    fn check_var_declarator(&self, ctx: &mut Ctx, _declarator: &VarDeclarator) {
        ctx.hook_unused();
    }
    /// An object literal, before its properties are walked.
    fn check_object(&self, ctx: &mut Ctx, _object: &ObjectLit) {
        ctx.hook_unused();
    }
    /// `target = value` (and compound assignments), e.g. `exports.handler = …`.
    fn check_assign(&self, ctx: &mut Ctx, _assign: &AssignExpr) {
        ctx.hook_unused();
    }
    /// A class field (`authToken = "…"`, `static SECRET = "…"`).
    fn check_class_prop(&self, ctx: &mut Ctx, _prop: &ClassProp) {
        ctx.hook_unused();
    }
    /// A fact a host observed outside source text (see `facts`). Only repository and build
    /// rules implement it.
    fn check_fact(&self, _fact: &Fact) -> Vec<FactFinding> {
        Vec::new()
    }
    /// A fact about a live account (see `account`), judged with the audit's thresholds. Only
    /// account rules implement it.
    fn check_account(
        &self,
        _fact: &Fact,
        _settings: &crate::account::AuditSettings,
    ) -> Vec<crate::account::AccountFinding> {
        Vec::new()
    }
    /// The message for a match of the rule's shape (default: the summary and the redacted value).
    /// Must not contain the value itself.
    fn describe_shape(&self, _value: &str) -> Option<String> {
        None
    }
}

/// Declares a rule struct whose doc comment becomes its `META.docs`.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident {
            id: $id:expr,
            severity: $severity:ident,
            kind: $kind:ident,
            shape: $shape:expr
            $(, runtimes: $runtimes:expr)?
            $(, error_when_paired_with: $paired:expr)? $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub struct $name;
        impl $name {
            pub const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                id: $id,
                default_severity: $crate::finding::Severity::$severity,
                kind: $crate::rules::RuleKind::$kind,
                docs: concat!($($doc, "\n"),*),
                shape: $shape,
                runtimes: {
                    #[allow(unused_variables)]
                    let runtimes = $crate::rules::RuleKind::$kind.default_runtimes();
                    $(let runtimes: &[$crate::Runtime] = $runtimes;)?
                    runtimes
                },
                error_when_paired_with: {
                    #[allow(unused_variables)]
                    let paired: &[&str] = &[];
                    $(let paired: &[&str] = $paired;)?
                    paired
                },
            };
        }
    };
}
pub(crate) use declare_rule;

/// Every rule, sorted by id.
pub static ALL: &[&dyn Rule] = &[
    &access_token_jwt::AccessTokenJwt,
    &account_api_key_age::AccountApiKeyAge,
    &account_manual_checks::AccountManualChecks,
    &account_not_checked::AccountNotChecked,
    &account_sid::AccountSid,
    &account_usage_triggers::AccountUsageTriggers,
    &account_voice_dialing_countries::AccountVoiceDialingCountries,
    &account_voice_high_risk_dialing::AccountVoiceHighRiskDialing,
    &api_key_secret::ApiKeySecret,
    &api_key_sid::ApiKeySid,
    &auth_token::AuthToken,
    &basic_auth_header::BasicAuthHeader,
    &direct_api_call::DirectApiCall,
    &env_file_committed::EnvFileCommitted,
    &env_file_not_ignored::EnvFileNotIgnored,
    &flex_env_credential::FlexEnvCredential,
    &function_call_without_token::FunctionCallWithoutToken,
    &function_returns_secret::FunctionReturnsSecret,
    &function_without_token_validator::FunctionWithoutTokenValidator,
    &public_env_secret::PublicEnvSecret,
    &sendgrid_key::SendgridKey,
    &server_sdk_import::ServerSdkImport,
];

/// A rule as the JS side and the docs see it.
#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
pub struct RuleInfo {
    pub id: &'static str,
    pub default_severity: Severity,
    pub kind: RuleKind,
    pub runtimes: Vec<crate::Runtime>,
    pub summary: String,
    pub docs: String,
}

impl RuleInfo {
    pub fn all() -> Vec<RuleInfo> {
        ALL.iter()
            .map(|rule| {
                let meta = rule.meta();
                RuleInfo {
                    id: meta.id,
                    default_severity: meta.default_severity,
                    kind: meta.kind,
                    runtimes: meta.runtimes.to_vec(),
                    summary: meta.summary(),
                    docs: meta.docs(),
                }
            })
            .collect()
    }
}

pub fn find(id: &str) -> Option<&'static dyn Rule> {
    ALL.iter().copied().find(|rule| rule.meta().id == id)
}

#[cfg(test)]
pub(crate) mod testing;

#[cfg(test)]
mod meta_tests;
