//! The wasm boundary: JS values in, `scan`, JS values out. Conversion only; the TypeScript
//! types of `Options`, `Report` and `RuleInfo` are generated from the Rust types (tsify).

use wasm_bindgen::prelude::*;

use crate::rules::RuleInfo;
use crate::{Options, Report};

/// Lint one source. Unknown rule ids in `options.rules` throw.
#[wasm_bindgen]
pub fn lint(source: &str, options: Option<Options>) -> Result<Report, JsError> {
    let options = options.unwrap_or_default();
    options.validate().map_err(|e| JsError::new(&e))?;
    Ok(crate::scan(source, &options))
}

/// Every rule: id, default severity, kind, summary and docs.
#[wasm_bindgen]
pub fn rules() -> Vec<RuleInfo> {
    RuleInfo::all()
}

/// The engine's version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
