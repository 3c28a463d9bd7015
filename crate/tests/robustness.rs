//! Adversarial inputs: folding and pairing stay bounded and never panic.

use std::time::Instant;

use flexguard::testgen::fill;
use flexguard::{invariants, scan, Options};

fn timed_scan(source: &str) -> flexguard::Report {
    let started = Instant::now();
    let report = scan(source, &Options::default());
    assert!(
        started.elapsed().as_secs() < 20,
        "took {:?} on {} bytes",
        started.elapsed(),
        source.len()
    );
    invariants::assert_no_internal_error(&report);
    report
}

#[test]
fn adversarial_folding_stays_linear() {
    // Repeated atob, nested deeper than folding follows.
    let mut nested = String::from("'QUJD'");
    for _ in 0..300 {
        nested = format!("atob({nested})");
    }
    timed_scan(&format!("const v = {nested};"));

    // A huge fromCharCode list and a 100k-long concatenation, each still folded once.
    let codes = vec!["65"; 300_000].join(",");
    timed_scan(&format!("const v = String.fromCharCode({codes});"));
    let sid = fill("AC{hex32}", 1);
    let chain = vec!["'a'"; 100_000].join(" + ");
    let report = timed_scan(&format!("const v = {chain} + ' {sid}';"));
    assert_eq!(report.findings.len(), 1);

    // Exponential const doubling, referenced many times.
    let mut source = String::from("const a0 = 'xxxxxxxxxxxxxxxx';\n");
    for i in 1..40 {
        source.push_str(&format!("const a{i} = a{} + a{};\n", i - 1, i - 1));
    }
    for _ in 0..2000 {
        source.push_str("use(a39 + 'b', [a39, a39].join(''), a39.concat(a39));\n");
    }
    let report = timed_scan(&source);
    assert!(
        report.diagnostics.iter().any(|d| d.code == "limit"),
        "the spent folding budget is reported"
    );

    // Many objects, calls and candidate secrets: pairing stays quadratic-free in practice.
    let mut many = String::new();
    for i in 0..3000 {
        many.push_str(&fill(
            "function f{hex4}() { const token = \"{hex32}\"; twilio(\"AC{hex32}\", token); }\n",
            i,
        ));
    }
    timed_scan(&many);
}

#[test]
fn malformed_encodings_do_not_panic() {
    for source in [
        "atob('%%%')",
        "atob('QQ')",
        "decodeURIComponent('%E0%A4%A')",
        "decodeURIComponent('%C0%80')",
        "Buffer.from('zz', 'hex').toString()",
        "Buffer.from('4', 'hex').toString()",
        "String.fromCharCode(55296)",
        "String.fromCharCode(-1, 1.5, NaN)",
        "[,,,].join()",
        "''.split('').reverse().join('')",
        "btoa('\u{10000}')",
        "'Basic ' + btoa('\u{ff}\u{fe}')",
        "const t = 'eyJhbGciOiJub25lIn0.eyJleHAiOjF9.xxxxxxxxxxxxxxxxxxxx';",
        "const x = { ...a, [b]: 'c', 'd': e, f };",
    ] {
        timed_scan(source);
    }
}
