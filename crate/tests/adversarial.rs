//! Adversarial inputs through `scan`: every one finishes in bounded time, satisfies
//! `flexguard::invariants`, says so with a `limit` diagnostic when the engine gives up on the
//! AST, and still finds a credential planted in it (the raw-text shape scan always runs).
//! Runs with every rule in the registry, so rules added later are covered too.

use std::time::{Duration, Instant};

use flexguard::{invariants, scan, testgen, Options, Report};

const N: usize = 100_000;

fn sid(seed: u64) -> String {
    testgen::fill("AC{hex32}", seed)
}

/// Scan `source` as `file`; check the invariants, the time bound (generous: tests run unoptimised
/// on a shared machine) and that the planted `sid` is found where it is written.
fn scan_planted(source: &str, file: &str, sid: &str) -> Report {
    let started = Instant::now();
    let report = scan(
        source,
        &Options {
            filename: Some(file.into()),
            ..Default::default()
        },
    );
    let elapsed = started.elapsed();
    let bound = Duration::from_secs(20 + 2 * (source.len() as u64 >> 20));
    assert!(
        elapsed < bound,
        "{file}: {elapsed:?} for {} bytes",
        source.len()
    );
    invariants::check(source, file, &report).unwrap_or_else(|e| panic!("{file}: {e}"));
    assert!(
        report
            .diagnostics
            .iter()
            .all(|d| d.code != "internal-error"),
        "{file}: {:?}",
        report.diagnostics
    );
    let at = source.find(sid).expect("planted") as u32;
    assert!(
        report.findings.iter().any(|f| f.rule_id == "account-sid"
            && f.span.start <= at
            && at < f.span.end.max(at + 1)),
        "{file}: planted credential not found; diagnostics {:?}",
        report.diagnostics
    );
    report
}

fn codes(report: &Report) -> Vec<&str> {
    report.diagnostics.iter().map(|d| d.code.as_str()).collect()
}

/// 100k levels of every construct that nests (brackets, templates, JSX, TypeScript assertions,
/// operator and call chains): the engine gives up on the AST with a `limit` diagnostic.
#[test]
fn hundred_thousand_levels_of_nesting_are_a_limit_not_a_crash() {
    let cases: Vec<(&str, &str, String)> = vec![
        (
            "[",
            "a.js",
            format!("x={}1{}", "[".repeat(N), "]".repeat(N)),
        ),
        (
            "(",
            "a.js",
            format!("x={}1{}", "(".repeat(N), ")".repeat(N)),
        ),
        ("{", "a.js", format!("{}1{}", "{".repeat(N), "}".repeat(N))),
        (
            "template",
            "a.js",
            format!("x={}1{}", "`${".repeat(N), "}`".repeat(N)),
        ),
        (
            "jsx",
            "a.jsx",
            format!("x=<i>{}1{}</i>", "<b>".repeat(N), "</b>".repeat(N)),
        ),
        (
            "tsx",
            "a.tsx",
            format!("x=<i>{}1{}</i>", "<b>".repeat(N), "</b>".repeat(N)),
        ),
        ("ts assertion", "a.ts", format!("x={}1", "<b>".repeat(N))),
        (
            "fragment",
            "a.jsx",
            format!("x={}1{}", "<>".repeat(N), "</>".repeat(N)),
        ),
        ("not", "a.js", format!("x={}1", "!".repeat(N))),
        ("arrow", "a.js", format!("x={}1", "a=>".repeat(N))),
        ("conditional", "a.js", format!("x={}1", "a?b:".repeat(N))),
        ("assignment", "a.js", format!("{}1", "a=".repeat(N))),
        ("minus", "a.js", format!("x=1{}", "-1".repeat(N))),
        ("power", "a.js", format!("x=1{}", "**1".repeat(N))),
        (
            "concatenation",
            "a.js",
            format!("x='a'{}", "+'a'".repeat(N)),
        ),
        ("member", "a.js", format!("x=a{}", ".b".repeat(N))),
        ("call", "a.js", format!("x=a{}", "()".repeat(N))),
        ("typeof", "a.js", format!("x={}1", "typeof ".repeat(N))),
        ("new", "a.js", format!("x={}a", "new ".repeat(N))),
        ("await", "a.js", format!("x={}1", "await ".repeat(N))),
        ("else if", "a.js", format!("{}c", "if(a)b;else ".repeat(N))),
        (
            "braced else if",
            "a.js",
            format!("{}{{c}}", "if(a){b}else ".repeat(N)),
        ),
        ("braceless if", "a.js", format!("{}c", "if(a)".repeat(N))),
        ("braceless for", "a.js", format!("{}c", "for(;;)".repeat(N))),
        (
            "braceless while",
            "a.js",
            format!("{}c", "while(a)".repeat(N)),
        ),
    ];
    for (name, file, body) in cases {
        let sid = sid(100);
        let source = format!("const planted = '{sid}';\n{body};\n");
        let report = scan_planted(&source, file, &sid);
        assert!(
            codes(&report).contains(&"limit"),
            "{name}: {:?}",
            report.diagnostics
        );
    }
}

/// Just under the limit the file is parsed and walked as usual (no `limit`, no crash).
#[test]
fn nesting_under_the_limit_is_parsed() {
    let n = 150;
    let cases: Vec<(&str, String)> = vec![
        ("a.js", format!("x={}1{}", "(".repeat(n), ")".repeat(n))),
        ("a.js", format!("x={}1{}", "`${".repeat(n), "}`".repeat(n))),
        (
            "a.jsx",
            format!("x=<i>{}1{}</i>", "<b>".repeat(n), "</b>".repeat(n)),
        ),
        ("a.ts", format!("x={}1", "<b>".repeat(n))),
        ("a.js", format!("x={}1", "a=>".repeat(n))),
        ("a.js", format!("x='a'{}", "+'a'".repeat(n))),
        ("a.js", format!("{}c", "if(a)b;else ".repeat(n))),
        ("a.js", format!("{}c", "for(;;)".repeat(n))),
    ];
    for (file, body) in cases {
        let sid = sid(101);
        let source = format!("const planted = '{sid}';\n{body};\n");
        let report = scan_planted(&source, file, &sid);
        assert!(
            report.diagnostics.is_empty(),
            "{file}: {:?}",
            report.diagnostics
        );
    }
}

/// The nesting estimate does not mistake flat code for depth: thousands of comparisons,
/// generics, long `&&` chains split by commas, and inline base64 data full of `+` and `/`.
#[test]
fn flat_code_is_not_a_limit() {
    let sid = sid(109);
    let comparisons: String = (0..5000)
        .map(|i| format!("for(i=0;i<n{i};i++)if(a<b&&c>d)x=a<b?1:2;"))
        .collect();
    let data = "iVBORw0KGgo+/AAAANSUhEUgAAAAEAAAAB/CAYAAAAfFcSJ+==".repeat(20_000);
    let chain: String = (0..5000).map(|i| format!("a{i}&&b{i}||c,")).collect();
    for (file, body) in [
        ("a.js", comparisons.clone()),
        (
            "a.ts",
            format!("let m: Map<string, Array<number>> = new Map();{comparisons}"),
        ),
        (
            "a.js",
            format!("const img = \"data:image/png;base64,{data}\";"),
        ),
        ("a.js", format!("x=({chain}0);")),
    ] {
        let source = format!("const planted = '{sid}';\n{body}\n");
        let report = scan_planted(&source, file, &sid);
        assert!(
            report.diagnostics.is_empty(),
            "{file}: {:?}",
            report.diagnostics
        );
    }
}

/// A single-line minified bundle of `megabytes`: parsed, walked, bounded.
fn single_line_bundle(megabytes: usize) {
    let sid = sid(102);
    let module = |i: usize| {
        format!("function m{i}(e,t){{var n=t(\"./x{i}\");return e.exports=n.a+\"k{i}\",n}}")
    };
    let mut source = String::with_capacity((megabytes << 20) + 1024);
    let mut i = 0;
    while source.len() < megabytes << 19 {
        source.push_str(&module(i));
        i += 1;
    }
    source.push_str(&format!("var planted=\"{sid}\";"));
    while source.len() < megabytes << 20 {
        source.push_str(&module(i));
        i += 1;
    }
    assert!(!source.contains('\n'));
    let report = scan_planted(&source, "bundle.js", &sid);
    assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
}

#[test]
fn eight_megabyte_single_line_bundle() {
    single_line_bundle(8);
}

/// 50 MB takes ~1.5 min unoptimised: `make test-hardening-release` runs it optimised.
#[test]
#[ignore]
fn fifty_megabyte_single_line_bundle() {
    single_line_bundle(50);
}

#[test]
fn one_megabyte_string_literal() {
    let sid = sid(103);
    let filler = "x".repeat(1 << 20);
    let source =
        format!("const s = \"{filler} {sid} {filler}\";\nconst t = `{filler}${{s}}{sid}`;\n");
    let report = scan_planted(&source, "a.js", &sid);
    assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
}

/// Folding bombs: each would build huge strings or expand exponentially without the bounds.
#[test]
fn folding_bombs_stay_bounded() {
    let doubling_empty: String = (1..200)
        .map(|i| format!("const a{i} = a{p} + a{p};\n", p = i - 1))
        .collect();
    let doubling_text: String = (1..200)
        .map(|i| format!("const b{i} = `${{b{p}}}${{b{p}}}`;\n", p = i - 1))
        .collect();
    let big = "y".repeat(1 << 20);
    let reuse: String = (0..2000).map(|i| format!("f(big + '{i}');\n")).collect();
    let codes_list: Vec<String> = (0..N).map(|i| (65 + i % 26).to_string()).collect();
    let parts: Vec<String> = (0..N).map(|_| "'ab'".to_string()).collect();
    let bombs = vec![
        format!("const a0 = '';\n{doubling_empty}use(a199);"),
        format!("const b0 = 'xy';\n{doubling_text}use(b199);"),
        format!("const big = '{big}';\n{reuse}"),
        format!("x = String.fromCharCode({});", codes_list.join(",")),
        format!("x = [{}].join('');", parts.join(",")),
        format!("x = {}'QUM='{};", "atob(".repeat(2000), ")".repeat(2000)),
        format!("x = {}'a'{};", "`${".repeat(2000), "}`".repeat(2000)),
    ];
    for bomb in bombs {
        let sid = sid(104);
        let source = format!("// {sid}\n{bomb}\n");
        scan_planted(&source, "bomb.js", &sid);
    }
}

/// Bytes that are not UTF-8 (a PNG header, random bytes, lone surrogates as WTF-8), read lossily
/// as the JS layer does: still scanned, positions still consistent.
#[test]
fn invalid_utf8_and_binary_files() {
    let sid = sid(105);
    let mut noise = 0x2545_f491_4f6c_dd1du64;
    let mut random: Vec<u8> = (0..200_000)
        .map(|_| {
            noise ^= noise << 13;
            noise ^= noise >> 7;
            noise ^= noise << 17;
            noise as u8
        })
        .collect();
    random.splice(100_000..100_000, format!(" {sid} ").bytes());
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\xff\xfe\xed\xa0\x80".to_vec();
    png.extend(format!("\0'{sid}'\0").bytes());
    png.extend(b"\xc0\xaf");
    let mut wtf8 = b"const s = '\xed\xa0\x80 \xf4\x90\x80\x80';\n".to_vec();
    wtf8.extend(format!("const t = '{sid}';").bytes());
    for (name, bytes) in [("random.js", random), ("image.js", png), ("wtf8.js", wtf8)] {
        let source = String::from_utf8_lossy(&bytes);
        scan_planted(&source, name, &sid);
    }
}

/// Line terminators and BOM: findings land on the right line and UTF-16 column (checked by
/// `invariants`, which counts independently).
#[test]
fn bom_crlf_lone_cr_and_line_separators() {
    let sid = sid(106);
    for (name, prefix) in [
        ("bom", "\u{feff}const a = 1;\n"),
        ("crlf", "const a = 1;\r\nconst b = 2;\r\n"),
        ("lone cr", "const a = 1;\rconst b = 2;\r"),
        ("u2028", "const a = '\u{2028}';\u{2028}const b = 2;\u{2029}"),
        ("mixed", "\u{feff}a;\r\n\rb;\n\u{2028}\r"),
    ] {
        let source = format!("{prefix}const planted = '{sid}';\r\n");
        let report = scan_planted(&source, "a.js", &sid);
        assert!(
            report.diagnostics.is_empty(),
            "{name}: {:?}",
            report.diagnostics
        );
    }
}

/// Modern and typed syntax parses (no parse-error): TypeScript, TSX, Flow annotations,
/// decorators, import attributes, top-level await, hashbang.
#[test]
fn modern_and_typed_syntax() {
    let sid = sid(107);
    let cases = [
        ("a.ts", "enum E { A = 'a' }\ninterface I<T> { x?: T }\nlet v = <any>window as unknown as I<string>;\nabstract class K { private constructor(readonly p: number) { super(); } }\n"),
        ("a.tsx", "const C = <T,>(p: { x: T }) => <div title={p.x as string}>{`${p.x!}`}</div>;\n"),
        ("a.js", "// @flow\nfunction f(x: number, y?: string): Array<string> { return []; }\ntype T = {| a: number |};\n"),
        ("a.js", "@decorator class A { @observable x = 1; @action.bound m() {} }\n"),
        ("a.js", "import json from './data.json' with { type: 'json' };\nexport { json };\n"),
        ("a.js", "const response = await fetch('/x');\nfor await (const chunk of response.body) {}\n"),
        ("a.js", "#!/usr/bin/env node\n'use strict';\n"),
    ];
    for (file, body) in cases {
        let source = format!("{body}const planted = '{sid}';\n");
        let report = scan_planted(&source, file, &sid);
        // Flow is not TypeScript: swc rejects it, so it is scanned as text with a parse-error.
        if !body.starts_with("// @flow") {
            assert!(
                report.diagnostics.is_empty(),
                "{file}: {:?}",
                report.diagnostics
            );
        }
    }
}

/// Parse-error messages quote tokens: one on a line that holds a credential must not quote it.
#[test]
fn parse_error_messages_never_quote_a_credential() {
    let sid = sid(108);
    for source in [
        format!("const x = {sid} = ;"),
        format!("let {sid}x = ;"),
        format!("import {{ {sid} }} from"),
        format!("x = <{sid}></y>;"),
        format!("const a = 1 {sid}"),
    ] {
        let report = scan(
            &source,
            &Options {
                filename: Some("broken.js".into()),
                ..Default::default()
            },
        );
        invariants::check(&source, "broken.js", &report).unwrap();
        let json = serde_json::to_string(&report).unwrap();
        assert!(!json.contains(&sid[2..]), "credential quoted: {json}");
    }
}

/// The structured generator's programs over many seeds: the fuzz target's property, in
/// `cargo test` so it runs everywhere (a fixed sample; `make fuzz` explores).
#[test]
fn generated_programs_satisfy_the_invariants() {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    for round in 0..200 {
        let data: Vec<u8> = (0..64 + round * 8)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect();
        let source = flexguard::jsgen::program(&data);
        for file in ["a.js", "a.ts", "a.tsx"] {
            let report = scan(
                &source,
                &Options {
                    filename: Some(file.into()),
                    ..Default::default()
                },
            );
            invariants::check(&source, file, &report)
                .unwrap_or_else(|e| panic!("round {round} {file}: {e}"));
        }
    }
}
