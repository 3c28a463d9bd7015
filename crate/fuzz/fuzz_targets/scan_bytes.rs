//! Arbitrary bytes → UTF-8-lossy source → `scan` as JS, TS, TSX and every data kind (`.env`,
//! JSON, YAML, HTML, Markdown); every report must satisfy
//! `flexguard::invariants` (spans, positions, bounded excerpts, no leaked credential).
#![no_main]

use flexguard::{invariants, scan, Options};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let source = String::from_utf8_lossy(data);
    // The first byte picks the file kind, so one input explores them all.
    const FILES: [&str; 8] = ["plugin.js", "plugin.ts", "Plugin.tsx", ".env", "config.json", "deploy.yml", "index.html", "README.md"];
    let file = FILES[data.first().map_or(0, |b| *b as usize % FILES.len())];
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
