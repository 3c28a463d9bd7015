//! flexguard: a security linter for Twilio Flex plugins.
//!
//! `scan(source, &options)` reads a file by its kind (code, JSON, `.env`, YAML, HTML, Markdown:
//! see `kinds`), folds constant strings, walks the syntax tree once, and returns every finding
//! of every enabled rule, redacted and fingerprinted.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub mod account;
pub mod bundle;
pub mod docs;
pub mod engine;
pub mod facts;
pub mod finding;
pub mod first_party;
pub mod fold;
pub mod glob;
pub(crate) mod http;
#[doc(hidden)]
pub mod invariants;
#[doc(hidden)]
pub mod jsgen;
pub mod kinds;
pub(crate) mod names;
pub mod parse;
pub mod project;
pub mod redact;
pub mod rules;
pub mod runtime;
pub mod sourcemap;
pub mod split;
pub mod summary;
pub mod suppress;
#[doc(hidden)]
pub mod testgen;
#[cfg(target_arch = "wasm32")]
mod wasm;

pub use finding::{Diagnostic, Finding, Fix, FunctionCall, Report, Severity, Span};
pub use runtime::Runtime;

/// A rule's configured level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
pub enum RuleSetting {
    Off,
    Info,
    Warning,
    Error,
}

/// How to scan one source.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(from_wasm_abi))]
pub struct Options {
    /// Reported as `file`, and picks how the file is read (`kinds::Kind::of`): `.env`-style,
    /// JSON, YAML, HTML, Markdown, plain text, or code: `.ts`/`.mts`/`.cts` TypeScript, `.tsx`
    /// TSX, anything else JavaScript with JSX.
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub filename: Option<String>,
    /// The file's path relative to the project root (the git root, else the config file's
    /// directory), with forward slashes. Fingerprints and `firstParty` globs use it, so they do
    /// not depend on the directory a host runs in. Default: `filename`.
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub project_path: Option<String>,
    /// Per-rule overrides by rule id; rules not named keep their default severity.
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(optional, type = "Record<string, RuleSetting>")
    )]
    pub rules: BTreeMap<String, RuleSetting>,
    /// The text of the scanned bundle's source map (an external `.map`, read by the caller):
    /// findings then carry their `original` position. Without it, an inline
    /// `//# sourceMappingURL=data:` map is used. Ignored when the file itself is a `.map`.
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub source_map: Option<String>,
    /// Host names of the team's Twilio Functions beyond `*.twil.io` (custom domains): requests
    /// to them must carry the Flex user token too (`function-call-without-token`).
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub function_domains: Vec<String>,
    /// Globs (relative to the project root) of the team's own code. When set, code-pattern rules
    /// report only there; `node_modules` is never first party. Credentials are reported everywhere.
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub first_party: Vec<String>,
    /// Where the file runs, when the host knows better than the conventions (see `runtime`).
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub runtime: Option<Runtime>,
    /// Globs per runtime (relative to the project root) for layouts the conventions miss.
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(optional, type = "Partial<Record<Runtime, string[]>>")
    )]
    pub runtimes: BTreeMap<Runtime, Vec<String>>,
    /// Also return the file's summary (`Report.summary`) for the project stage.
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub summarize: bool,
    /// With `summarize`: keep every import in the summary, so that the project stage can list
    /// those that lead nowhere (`--print-project`). Otherwise a file that needs no context keeps
    /// only the imports its exports pass on: the project stage reads no others.
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub all_imports: bool,
    /// What names in this file stand for across the project (from `project::resolve`): imported
    /// URLs and handler wrappers, and `process.env.*` values documented by `.env` files.
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(optional, type = "Record<string, Resolved>")
    )]
    pub context: BTreeMap<String, project::Resolved>,
    /// Scan the text for credential shapes only, without parsing: the fallback for a file the
    /// engine failed on (after a wasm trap), which cannot itself recurse or fold.
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub text_only: bool,
    /// Thresholds of the `account` rules (`flexguard audit`).
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub audit: Option<account::AuditSettings>,
}

impl Options {
    /// Unknown rule ids are a configuration error, named in the message.
    pub fn validate(&self) -> Result<(), String> {
        match self.rules.keys().find(|id| rules::find(id).is_none()) {
            Some(id) => Err(format!("unknown rule id in options.rules: \"{id}\"")),
            None => Ok(()),
        }
    }

    /// The path that fingerprints and `firstParty` globs use.
    pub fn project_path(&self) -> &str {
        self.project_path
            .as_deref()
            .or(self.filename.as_deref())
            .unwrap_or("<input>")
    }

    /// Where the file runs: the host's word, else the configured globs, else the conventions.
    pub fn runtime(&self) -> Runtime {
        self.placement().0
    }

    /// [`Options::runtime`], and whether the file is plugin code only by default (see
    /// [`Options::runtime_by_default`]): one decision, for a lint to make once per file.
    pub fn placement(&self) -> (Runtime, bool) {
        match self
            .runtime
            .or_else(|| runtime::decided(self.project_path(), &self.runtimes))
        {
            Some(runtime) => (runtime, false),
            None => (Runtime::Plugin, true),
        }
    }

    /// The file is linted for the project stage: a first pass (`summarize`), or a second with
    /// what the stage found for it (a context, a runtime). Only then are its facts for pairing
    /// (`Report::function_calls`, `Report::open_handler`) collected.
    pub fn for_project(&self) -> bool {
        self.summarize || !self.context.is_empty() || self.runtime.is_some()
    }

    /// True when neither the host, the configured globs nor a convention decided the runtime:
    /// the file is plugin code by default only.
    pub fn runtime_by_default(&self) -> bool {
        self.placement().1
    }

    /// The effective severity of a rule, or `None` when it is off.
    pub fn severity_of(&self, meta: &rules::RuleMeta) -> Option<Severity> {
        match self.rules.get(meta.id) {
            None => Some(meta.default_severity),
            Some(RuleSetting::Off) => None,
            Some(RuleSetting::Info) => Some(Severity::Info),
            Some(RuleSetting::Warning) => Some(Severity::Warning),
            Some(RuleSetting::Error) => Some(Severity::Error),
        }
    }
}

/// Scan one source text. Never panics: natively the scan runs on a thread with a large stack,
/// and anything that still goes wrong becomes an `internal-error` diagnostic without source text.
pub fn scan(source: &str, options: &Options) -> Report {
    guarded(source, options, true)
}

/// [`scan`] without linting a large bundle module by module: for a host that asked for its
/// plan ([`bundle_plan`]) and got none, so that the plan is not looked for twice.
pub fn scan_whole(source: &str, options: &Options) -> Report {
    guarded(source, options, false)
}

fn guarded(source: &str, options: &Options, split: bool) -> Report {
    #[cfg(target_arch = "wasm32")]
    {
        reserve_memory(source.len());
        dispatch(source, options, split)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        const STACK: usize = 256 << 20;
        let outcome = std::thread::scope(|scope| {
            std::thread::Builder::new()
                .name("flexguard-scan".into())
                .stack_size(STACK)
                .spawn_scoped(scope, || dispatch(source, options, split))
                .map(|handle| handle.join())
        });
        match outcome {
            Ok(Ok(report)) => report,
            // A panic (an swc bug) must not cost the file its credential scan.
            _ => scan_after_failure(source, options, "panic"),
        }
    }
}

/// In wasm, grow linear memory for a scan in one step rather than page by page: V8 follows each
/// `memory.grow` with a garbage-collection check, and a 10 MB bundle otherwise grows it about
/// 2,500 times (~500 full collections, over a second). The block is freed at once and reused by
/// the scan; pages that are never written cost no resident memory. The first scans grow memory
/// to a working size of 32 MiB at least; later small files do not ask for 32 MiB in one piece
/// again, which a few long-lived allocations in the free space would otherwise turn into a
/// 32 MiB growth at some later file.
#[cfg(target_arch = "wasm32")]
fn reserve_memory(source_len: usize) {
    const WORKING_SIZE: usize = 32 << 20;
    const PAGE: usize = 64 << 10;
    let wanted = source_len.saturating_mul(16);
    let size = core::arch::wasm32::memory_size::<0>().saturating_mul(PAGE);
    let reserve = match size < WORKING_SIZE {
        true => wanted.max(WORKING_SIZE),
        false => wanted,
    };
    drop(Vec::<u8>::with_capacity(reserve));
}

/// The report for a file the engine failed on (`reason`: "panic", "stack overflow", …): an
/// `internal-error` that names the file, never its content, in front of the findings of a
/// text-only scan, which neither parses nor recurses. Hosts whose engine instance trapped call
/// this on a fresh instance.
pub fn scan_after_failure(source: &str, options: &Options, reason: &str) -> Report {
    let text_only = Options {
        text_only: true,
        ..options.clone()
    };
    let scan = std::panic::AssertUnwindSafe(|| dispatch(source, &text_only, false));
    let mut report = match std::panic::catch_unwind(scan) {
        Ok(report) => report,
        Err(_) => return failure_report(options, reason, false),
    };
    let failure = failure_report(options, reason, true);
    report.diagnostics.splice(0..0, failure.diagnostics);
    report
}

/// A report holding only the `internal-error` diagnostic of a file the engine failed on.
pub fn failure_report(options: &Options, reason: &str, text_scanned: bool) -> Report {
    let outcome = if text_scanned {
        "it was scanned for credential shapes only"
    } else {
        "it was not scanned"
    };
    Report {
        diagnostics: vec![Diagnostic {
            code: "internal-error".into(),
            message: format!("the engine failed on this file ({reason}); {outcome}"),
            file: options.filename.clone().unwrap_or_else(|| "<input>".into()),
            line: 1,
            column: 1,
        }],
        ..Report::default()
    }
}

/// `.map` files are scanned through their `sourcesContent`; a large bundle module by module
/// when `split` allows (its whole syntax tree is most of a scan's memory); anything else by its
/// kind (see `kinds`).
/// Code-pattern findings outside first-party code are dropped here, once, for every kind of input.
fn dispatch(source: &str, options: &Options, split: bool) -> Report {
    let mut report = match &options.filename {
        Some(name) if sourcemap::is_map_file(name) && !options.text_only => {
            sourcemap::scan_map(source, options)
        }
        _ => split
            .then(|| bundle_plan(source, options))
            .flatten()
            .and_then(|plan| split::lint_all(source, options, &plan))
            .unwrap_or_else(|| engine::run(source, options)),
    };
    first_party_only(&mut report, source, options);
    report
}

/// Code-pattern findings outside first-party code are dropped here, once, for every kind of
/// input. What a `.env` defines ships in the plugin bundle whoever wrote the file.
fn first_party_only(report: &mut Report, source: &str, options: &Options) {
    let file = options.filename.as_deref().unwrap_or("");
    if kinds::Kind::of(file, source) != kinds::Kind::DotEnv {
        first_party::FirstParty::new(&options.first_party)
            .retain(&mut report.findings, options.project_path());
    }
}

/// How a host may lint a large webpack bundle on several threads: `None` when the file takes
/// the whole-file path (`scan`). See `split`.
pub fn bundle_plan(source: &str, options: &Options) -> Option<split::Plan> {
    split::eligible(source, options)
        .then(|| split::plan(source))
        .flatten()
}

/// Some of a bundle's planned modules (`which`, indices into `plan.parts`), and its skeleton
/// when `with_skeleton`, as `scan` would report them. Each part of a plan linted exactly once,
/// by any number of calls, then `combine_bundle_reports`, is the bundle's report. `None` when a
/// module does not parse on its own: the host then scans the whole file.
pub fn scan_bundle_modules(
    source: &str,
    options: &Options,
    plan: &split::Plan,
    which: &[usize],
    with_skeleton: bool,
) -> Option<Report> {
    #[cfg(target_arch = "wasm32")]
    reserve_memory(
        which
            .iter()
            .filter_map(|&i| plan.parts.get(i))
            .map(|p| (p.function.end - p.function.start) as usize)
            .max()
            .unwrap_or(0),
    );
    let mut report = split::lint(source, options, plan, which, with_skeleton)?;
    first_party_only(&mut report, source, options);
    Some(report)
}

/// The reports of one bundle's parts (from `scan_bundle_modules`) as one.
pub fn combine_bundle_reports(reports: Vec<Report>) -> Report {
    split::combine(reports)
}
