//! Structured JS from `flexguard::jsgen` (nesting, escapes, concatenations, templates,
//! `atob`/`fromCharCode`/`join`, JSX, comments, credential-shaped values from the input) →
//! `scan` with every rule; every report must satisfy `flexguard::invariants`.
#![no_main]

use flexguard::{invariants, jsgen, scan, Options};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let source = jsgen::program(data);
    let file = ["plugin.js", "plugin.ts", "Plugin.tsx"][data.last().map_or(0, |b| *b as usize % 3)];
    let report = scan(&source, &Options { filename: Some(file.into()), ..Default::default() });
    // `scan` turns a panic into an `internal-error` report (and libFuzzer's hook aborts on it).
    assert!(
        report.diagnostics.iter().all(|d| d.code != "internal-error"),
        "{file}: internal error"
    );
    if let Err(violation) = invariants::check(&source, file, &report) {
        panic!("{file}: {violation}");
    }
});
