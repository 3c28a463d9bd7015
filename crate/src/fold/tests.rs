//! Folding forms, one row each: the last statement `const v = <expr>` folds to the value.

use super::{Consts, Folder};
use swc_ecma_ast::{Decl, ModuleItem, Program, Stmt};

/// On a big stack, as `scan` does: swc recurses per nesting level (and so does dropping).
fn fold_last(source: &str) -> Option<String> {
    let source = source.to_string();
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || fold_last_here(&source))
        .unwrap()
        .join()
        .unwrap()
}

fn fold_last_here(source: &str) -> Option<String> {
    let parsed = crate::parse::parse(source, "t.js").ok().expect("parses");
    let consts = Consts::collect(&parsed.program);
    let folder = Folder::new(&consts, source.len());
    let Program::Module(module) = &parsed.program else {
        panic!("module")
    };
    let Some(ModuleItem::Stmt(Stmt::Decl(Decl::Var(var)))) = module.body.last() else {
        panic!("last item is a declaration")
    };
    folder.fold(var.decls[0].init.as_deref().expect("init"))
}

const FOLDS: &[(&str, &str)] = &[
    (r#"const v = "a" + 'b' + `c`;"#, "abc"),
    (r#"const v = "\x41\u0042\u{43}\t";"#, "ABC\t"),
    ("const v = `\\x41${'B'}\\u{43}`;", "ABC"),
    (r#"const v = "a".concat("b", `c`, 1);"#, "abc1"),
    (r#"const v = ["a", "b", "c"].join("");"#, "abc"),
    (r#"const v = ["a", "b"].join();"#, "a,b"),
    (
        r#"const v = ["a", null, "b", , undefined].join("-");"#,
        "a--b--",
    ),
    (r#"const p = ["x", "y"]; const v = p.join(":");"#, "x:y"),
    (r#"const v = "cba".split("").reverse().join("");"#, "abc"),
    (r#"const v = "a.b".split(".").join("");"#, "ab"),
    ("const v = String.fromCharCode(65, 0x42, 67);", "ABC"),
    (r#"const v = atob("QUJD");"#, "ABC"),
    (r#"const v = window.atob("QUJD");"#, "ABC"),
    (r#"const v = atob(atob("UVVKRA=="));"#, "ABC"),
    (r#"const v = btoa("ABC");"#, "QUJD"),
    (
        r#"const v = Buffer.from("QUJD", "base64").toString();"#,
        "ABC",
    ),
    (
        r#"const v = Buffer.from("QUJD", "base64").toString("utf8");"#,
        "ABC",
    ),
    (
        r#"const v = Buffer.from("414243", "hex").toString('utf-8');"#,
        "ABC",
    ),
    (
        r#"const v = Buffer.from("ABC").toString("base64");"#,
        "QUJD",
    ),
    (r#"const v = decodeURIComponent("%41%42C");"#, "ABC"),
    (r#"const v = process.env.X || "lit";"#, "lit"),
    (r#"const v = process.env["X"] ?? "lit";"#, "lit"),
    (r#"const v = import.meta.env.VITE_X || "lit";"#, "lit"),
    (
        r#"const a = "A"; const b = a + "B"; const c = `${b}C`; const v = c;"#,
        "ABC",
    ),
    (r#"const v = String("A") + "B".toString();"#, "AB"),
    (r#"const v = ("A" + "B");"#, "AB"),
    (r#"var a = "A"; let b = a + "B"; const v = b;"#, "AB"),
];

const NO_FOLDS: &[&str] = &[
    "const v = x + 'a';",
    "const v = process.env.X;",
    "const v = y || 'lit';",
    r#"const v = atob("not base64!");"#,
    r#"const v = decodeURIComponent("%zz");"#,
    "const v = String.fromCharCode(x);",
    "const v = String.fromCharCode(1e9);",
    "const v = [a, 'b'].join('');",
    r#"const v = Buffer.from("QUJD", "base64").toString("ucs9");"#,
    "let a = 'A'; a = 'B'; const v = a;",
    "var a = 'A'; a++; const v = a;",
    "var a = 'A'; function f(a) {} const v = a;",
    "const a = 'A'; { const a = 'B'; } const v = a;",
];

#[test]
fn folds_every_form() {
    for (source, expected) in FOLDS {
        assert_eq!(
            fold_last(source).as_deref(),
            Some(*expected),
            "folding {source}"
        );
    }
}

#[test]
fn leaves_undetermined_values_alone() {
    for source in NO_FOLDS {
        assert_eq!(fold_last(source), None, "should not fold: {source}");
    }
}

#[test]
fn adversarial_input_stays_bounded() {
    // Exponential const doubling: bounded by length and the work budget.
    let mut source = String::from("const a0 = 'xxxxxxxxxxxxxxxx';\n");
    for i in 1..64 {
        source.push_str(&format!("const a{i} = a{} + a{};\n", i - 1, i - 1));
    }
    source.push_str("const v = a63;\n");
    let started = std::time::Instant::now();
    assert_eq!(fold_last(&source), None);
    // Nested atob and a huge fromCharCode list.
    let mut nested = String::from("'QUJD'");
    for _ in 0..200 {
        nested = format!("atob({nested})");
    }
    assert_eq!(fold_last(&format!("const v = {nested};")), None);
    let codes = vec!["65"; 200_000].join(",");
    let folded = fold_last(&format!("const v = String.fromCharCode({codes});"));
    assert_eq!(folded.map(|s| s.len()), Some(200_000));
    let chain = vec!["'a'"; 100_000].join(" + ");
    assert_eq!(
        fold_last(&format!("const v = {chain};")).map(|s| s.len()),
        Some(100_000)
    );
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
}
