//! The wasm boundary: JS values in, `scan`, JS values out. Conversion only.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::rules::RuleInfo;

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}

/// Lint one source. `options` is `{ filename?, rules? }`; returns `{ findings, diagnostics }`.
#[wasm_bindgen]
pub fn lint(source: &str, options: JsValue) -> Result<JsValue, JsError> {
    let options: crate::Options = if options.is_undefined() || options.is_null() {
        crate::Options::default()
    } else {
        serde_wasm_bindgen::from_value(options)
            .map_err(|e| JsError::new(&format!("invalid options: {e}")))?
    };
    options.validate().map_err(|e| JsError::new(&e))?;
    to_js(&crate::scan(source, &options))
}

/// Every rule: id, default severity, kind, summary and docs.
#[wasm_bindgen]
pub fn rules() -> Result<JsValue, JsError> {
    to_js(&RuleInfo::all())
}

/// The engine's version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
