//! The one diagnostic type that crosses Rust → wasm → JS unchanged.

use serde::{Deserialize, Serialize};

/// A byte range into the scanned source: UTF-8 offsets, `start` inclusive, `end` exclusive.
/// The only span type in the crate (swc's `Span` is converted at the parse boundary).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start: start as u32,
            end: end as u32,
        }
    }
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One finding of one rule.
///
/// Positions: `span` is in UTF-8 bytes of the scanned source; `line`/`column` and
/// `endLine`/`endColumn` are **1-based**, and columns count **UTF-16 code units**, as editors,
/// the LSP and source maps do. `excerpt` is the finding's line (a bounded window of it) with every
/// credential redacted to at most its first 4 and last 2 characters. `fingerprint` is a hash of
/// rule id, the file's path relative to the project root and matched value (see
/// `redact::fingerprint`; never the value itself); it does not depend on the line or on the
/// directory a host runs in, so a baselined finding stays baselined when code moves. `valueHash` is the same kind of hash without
/// the file (rule id and matched value only): it recognises one finding seen in two places, such
/// as a credential in a module's source and again in the emitted bundle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
pub struct Finding {
    pub rule_id: String,
    pub severity: Severity,
    pub message: String,
    pub help: String,
    pub file: String,
    pub span: Span,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub excerpt: String,
    pub fingerprint: String,
    /// Fingerprints that earlier versions gave this finding (hashed from another path base, or
    /// with another hash): baselines and `allow` lists that hold one of them still match it.
    /// New baselines record `fingerprint` only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub legacy_fingerprints: Vec<String>,
    pub value_hash: String,
    /// Where the finding's file runs (`plugin`, `function`, `asset`, `test`, `tooling`); absent
    /// for findings about the repository or the build rather than a file's code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub runtime: Option<crate::Runtime>,
    /// Where parts of a cross-file finding were defined: the URL in a config module, the value
    /// of a `FLEX_APP_*` variable in `.env.example`, the wrapper in a shared helper.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub related: Vec<Related>,
    /// In a webpack bundle: the id of the module the finding is in (`./src/x.js` in development
    /// builds, a number in production builds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub module: Option<String>,
    /// In a bundle with a usable source map: where the finding is in the original source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub original: Option<OriginalPosition>,
    /// For a finding in a `.map` file's `sourcesContent`: the map's file name (`file` is then the
    /// original source's path, and positions are in that source).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub via_map: Option<String>,
    /// For a finding about a live Twilio account (`flexguard audit`): the resource it names.
    /// `file` is then its `twilio://<AccountSid>/<kind>/<id>` URI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub resource: Option<crate::account::AccountResource>,
    /// A mechanical edit that resolves the finding, where one exists (see [`Fix`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub fix: Option<Fix>,
}

/// A mechanical edit that resolves a finding, for a host to offer as a quick fix (an ESLint
/// suggestion): replace `span` (UTF-8 bytes; empty to insert at `span.start`) with `text`.
/// `line`/`column` and `endLine`/`endColumn` are the span's positions, as in [`Finding`]. A fix
/// is a suggestion, never applied without asking: it can change behaviour (a Function that does
/// not yet validate the token receives one).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
pub struct Fix {
    /// What the edit does, for the host's menu ("Add `Token: manager.user.token` to the body").
    pub description: String,
    pub span: Span,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub text: String,
}

/// A place in another file that a finding depends on (1-based line).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
pub struct Related {
    pub message: String,
    pub file: String,
    pub line: u32,
}

/// A position in an original source, decoded from a source map: `line` and `column` 1-based,
/// the column in UTF-16 code units as the map counts them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
pub struct OriginalPosition {
    pub source: String,
    pub line: u32,
    pub column: u32,
}

/// Something the engine wants the user to know about a file that is not a finding:
/// `parse-error` (the file was still scanned by credential shape), `limit` (the engine gave up
/// on part of the file), `internal-error` (the engine failed on the file, which was then scanned as text),
/// `source-map` (a bundle's source map could not be read; positions stay in the bundle).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
pub struct Diagnostic {
    pub code: String,
    pub message: String,
    pub file: String,
    pub line: u32,
    pub column: u32,
}

/// The result of scanning one source.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(from_wasm_abi))]
pub struct Report {
    pub findings: Vec<Finding>,
    pub diagnostics: Vec<Diagnostic>,
    /// `valueHash` of each finding an inline `flexguard-ignore` comment suppressed, so a client
    /// that meets the same value elsewhere (the webpack plugin, in the emitted bundle, where
    /// the comment is gone) treats it as suppressed too. Never the value itself.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub suppressed: Vec<String>,
    /// The file's facts for the project stage, when `options.summarize` asked for them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub summary: Option<crate::summary::FileSummary>,
    /// Requests of browser code that may reach a Twilio Function of the repository, when the
    /// file was linted for a project (`summarize`, or with a context): the project pairs them
    /// with the Functions they call.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub function_calls: Vec<FunctionCall>,
    /// For a Twilio Function, once the engine judged its handler: `true` when anyone may call
    /// it and it acts on the account (whether or not the finding is shown: a suppression or a
    /// baseline hides findings, not facts), `false` when it is safe to call
    /// without the Flex user token (it validates it, only Twilio can call it, or it reaches
    /// nothing of the account).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub open_handler: Option<bool>,
    /// For a Twilio Function taken for a webhook (it reads parameters only Twilio sends), when
    /// linted for a project: the finding that its handler is open to anyone, which stands only
    /// if the plugin calls it after all (pairing decides; see `project::pair`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub held: Vec<Finding>,
}

/// A request to what may be a Twilio Function (its host is a Functions host, or not known in
/// the file): its URL path, with `*` where the file does not determine it, and where the call
/// starts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
pub struct FunctionCall {
    pub path: String,
    pub line: u32,
    pub column: u32,
    /// The env variable the whole URL comes from, when no file gives its value (the path is
    /// then empty): its name may say which Function it is (see `project::pair`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub variable: Option<String>,
}

/// Findings of a file's parts as one list: in file order, one per rule and place; of two, the
/// more severe (the part that knew more, such as a pairing, raised it).
pub(crate) fn sort_and_dedup_findings(findings: &mut Vec<Finding>) {
    findings.sort_by(|a, b| {
        (a.span.start, &a.rule_id, a.span.end).cmp(&(b.span.start, &b.rule_id, b.span.end))
    });
    findings.dedup_by(|later, kept| {
        let same = later.rule_id == kept.rule_id && later.span == kept.span;
        if same && later.severity > kept.severity {
            std::mem::swap(later, kept);
        }
        same
    });
}

/// Diagnostics of a file's parts as one list: each once, in file order.
pub(crate) fn sort_and_dedup_diagnostics(diagnostics: &mut Vec<Diagnostic>) {
    let mut seen = std::collections::HashSet::new();
    diagnostics.retain(|d| seen.insert((d.code.clone(), d.line, d.column, d.message.clone())));
    diagnostics.sort_by(|a, b| (a.line, a.column, &a.code).cmp(&(b.line, b.column, &b.code)));
}
