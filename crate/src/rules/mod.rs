//! The rule registry: a small `Rule` trait, the credential `Shape` data type, and `ALL`.

use swc_ecma_ast::{CallExpr, NewExpr};

use crate::engine::{Ctx, StringSite};
use crate::finding::Severity;

mod account_sid;
mod direct_api_call;
mod env_file_committed;
mod env_file_not_ignored;
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
    /// A fact about the git repository (a staged `.env`, a missing ignore rule). The engine never
    /// reports these; the JS pre-commit layer does (`npm/src/pre-commit.ts`), so they are
    /// registered here only for their id, severity and docs.
    Repository,
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

/// One rule. Every hook has an empty default; a rule implements only what it needs.
/// Rules never walk the AST themselves: the engine walks once and calls them.
pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    /// A constant string value (folded), at the outermost expression that assembles it.
    fn check_string(&self, _ctx: &mut Ctx, _site: &StringSite) {}
    fn check_call(&self, _ctx: &mut Ctx, _call: &CallExpr) {}
    fn check_new(&self, _ctx: &mut Ctx, _new: &NewExpr) {}
}

/// Declares a rule struct whose doc comment becomes its `META.docs`.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident {
            id: $id:literal,
            severity: $severity:ident,
            kind: $kind:ident,
            shape: $shape:expr $(,)?
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
            };
        }
    };
}
pub(crate) use declare_rule;

/// Every rule, sorted by id.
pub static ALL: &[&dyn Rule] = &[
    &account_sid::AccountSid,
    &direct_api_call::DirectApiCall,
    &env_file_committed::EnvFileCommitted,
    &env_file_not_ignored::EnvFileNotIgnored,
];

/// A rule as the JS side and the docs see it.
#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(into_wasm_abi))]
pub struct RuleInfo {
    pub id: &'static str,
    pub default_severity: Severity,
    pub kind: RuleKind,
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
                    summary: meta.summary(),
                    docs: meta.docs(),
                }
            })
            .collect()
    }
}

/// The README's rule table, generated from `ALL` (a test keeps the README in sync).
pub fn markdown_table() -> String {
    let mut out = String::from("| rule | default | kind | what it flags |\n|---|---|---|---|\n");
    for rule in ALL {
        let meta = rule.meta();
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            meta.id,
            meta.default_severity.as_str(),
            match meta.kind {
                RuleKind::Credential => "credential",
                RuleKind::ApiCall => "api-call",
                RuleKind::Repository => "repository",
            },
            meta.summary().replace('|', "\\|")
        ));
    }
    out
}

pub fn find(id: &str) -> Option<&'static dyn Rule> {
    ALL.iter().copied().find(|rule| rule.meta().id == id)
}

#[cfg(test)]
pub(crate) mod testing;

#[cfg(test)]
mod meta_tests;
