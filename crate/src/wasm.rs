//! The wasm boundary: JS values in, engine calls, JS values out. Conversion only; the TypeScript
//! types of `Options`, `Fact`, `Report`, `Project` and `RuleInfo` are generated from the Rust
//! types (tsify). Results are serialised with maps as plain objects, as their types say.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::facts::Fact;
use crate::project::ProjectInput;
use crate::rules::RuleInfo;
use crate::Options;

fn valid(options: Option<Options>) -> Result<Options, JsError> {
    let options = options.unwrap_or_default();
    options.validate().map_err(|e| JsError::new(&e))?;
    Ok(options)
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);
    value
        .serialize(&serializer)
        .map_err(|e| JsError::new(&e.to_string()))
}

/// Lint one source. Unknown rule ids in `options.rules` throw.
#[wasm_bindgen(unchecked_return_type = "Report")]
pub fn lint(source: &str, options: Option<Options>) -> Result<JsValue, JsError> {
    to_js(&crate::scan(source, &valid(options)?))
}

/// Lint one source given as UTF-8 bytes, as a host reads a file: no decode to a JS string and
/// re-encode on the way in. Invalid UTF-8 is replaced (U+FFFD), as `lint` of the decoded text.
#[wasm_bindgen(js_name = lintBytes, unchecked_return_type = "Report")]
pub fn lint_bytes(source: &[u8], options: Option<Options>) -> Result<JsValue, JsError> {
    lint(&String::from_utf8_lossy(source), options)
}

/// A large webpack bundle's plan for linting it on several threads, or, for any other file, its
/// report (`lintBytes`, without looking for a plan again).
#[wasm_bindgen(
    js_name = lintOrPlan,
    unchecked_return_type = "{ plan: Plan } | { report: Report }"
)]
pub fn lint_or_plan(source: &[u8], options: Option<Options>) -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    enum PlanOrReport {
        Plan(crate::split::Plan),
        Report(crate::Report),
    }
    let options = valid(options)?;
    let source = String::from_utf8_lossy(source);
    to_js(&match crate::bundle_plan(&source, &options) {
        Some(plan) => PlanOrReport::Plan(plan),
        None => PlanOrReport::Report(crate::scan_whole(&source, &options)),
    })
}

/// Lint some modules of a bundle's plan (indices into `plan.parts`), and its skeleton when
/// `withSkeleton`; `undefined` when a module does not parse on its own (lint the whole file).
#[wasm_bindgen(js_name = lintBundleModules, unchecked_return_type = "Report | undefined")]
pub fn lint_bundle_modules(
    source: &[u8],
    options: Option<Options>,
    plan: crate::split::Plan,
    which: Vec<u32>,
    with_skeleton: bool,
) -> Result<JsValue, JsError> {
    let which: Vec<usize> = which.into_iter().map(|i| i as usize).collect();
    let source = String::from_utf8_lossy(source);
    let report =
        crate::scan_bundle_modules(&source, &valid(options)?, &plan, &which, with_skeleton);
    to_js(&report)
}

/// The reports of one bundle's parts (`lintBundleModules`) as one.
#[wasm_bindgen(js_name = combineBundleReports, unchecked_return_type = "Report")]
pub fn combine_bundle_reports(reports: Vec<crate::Report>) -> Result<JsValue, JsError> {
    to_js(&crate::combine_bundle_reports(reports))
}

/// Lint a source that another instance failed on (`reason`: "stack overflow", "wasm trap"):
/// a text-only scan behind an `internal-error` diagnostic.
#[wasm_bindgen(js_name = lintAfterFailure, unchecked_return_type = "Report")]
pub fn lint_after_failure(
    source: &str,
    options: Option<Options>,
    reason: &str,
) -> Result<JsValue, JsError> {
    to_js(&crate::scan_after_failure(source, &valid(options)?, reason))
}

/// The `internal-error` report of a file that could not be scanned at all.
#[wasm_bindgen(js_name = failureReport, unchecked_return_type = "Report")]
pub fn failure_report(options: Option<Options>, reason: &str) -> Result<JsValue, JsError> {
    to_js(&crate::failure_report(
        &options.unwrap_or_default(),
        reason,
        false,
    ))
}

/// Judge facts a host observed outside source text (staged files, ignore rules, build env).
#[wasm_bindgen(js_name = judgeFacts, unchecked_return_type = "Report")]
pub fn judge_facts(facts: Vec<Fact>, options: Option<Options>) -> Result<JsValue, JsError> {
    to_js(&crate::facts::judge(&facts, &valid(options)?))
}

/// The project stage: resolve file summaries (from `lint` with `summarize`) against each other;
/// each file with a context is then linted again with `options.context`. In and out as JSON
/// text (`ProjectInput`, `Project`): a thousand summaries convert far faster that way than
/// object by object.
#[wasm_bindgen(js_name = resolveProjectJson)]
pub fn resolve_project_json(input: &str) -> Result<String, JsError> {
    let input: ProjectInput =
        serde_json::from_str(input).map_err(|e| JsError::new(&format!("project input: {e}")))?;
    serde_json::to_string(&crate::project::resolve(&input))
        .map_err(|e| JsError::new(&e.to_string()))
}

/// Pair browser calls with the Functions they reach (see `project::pair`): `PairFile[]` in,
/// each file's findings out (`Finding[][]`), as JSON text.
#[wasm_bindgen(js_name = pairFunctionsJson)]
pub fn pair_functions_json(input: &str) -> Result<String, JsError> {
    let files: Vec<crate::project::PairFile> =
        serde_json::from_str(input).map_err(|e| JsError::new(&format!("pair input: {e}")))?;
    serde_json::to_string(&crate::project::pair(&files)).map_err(|e| JsError::new(&e.to_string()))
}

/// Every rule: id, default severity, kind, runtimes, summary and docs.
#[wasm_bindgen(unchecked_return_type = "RuleInfo[]")]
pub fn rules() -> Result<JsValue, JsError> {
    to_js(&RuleInfo::all())
}

/// What a `package.json` text makes its directory (`flex-plugin`, `web-app`, `functions`,
/// `node-server`), or undefined.
#[wasm_bindgen(js_name = packageKind, unchecked_return_type = "PackageKind | undefined")]
pub fn package_kind(manifest: &str) -> Result<JsValue, JsError> {
    to_js(&crate::summary::package_kind(manifest))
}

/// The sources a `.map` file embeds, named as the findings in them are (`MapSource[]`).
#[wasm_bindgen(js_name = mapSources, unchecked_return_type = "MapSource[]")]
pub fn map_sources(text: &str, map_file: &str) -> Result<JsValue, JsError> {
    to_js(&crate::sourcemap::map_sources(text, map_file))
}

/// The engine's version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
