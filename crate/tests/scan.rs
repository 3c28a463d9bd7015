//! End-to-end behaviour of `scan`: parse errors, positions, redaction.

use flexguard::{scan, testgen, Options};

fn options(filename: &str) -> Options {
    Options {
        filename: Some(filename.into()),
        ..Default::default()
    }
}

#[test]
fn parse_error_is_a_diagnostic_and_the_file_is_still_scanned_by_shape() {
    let sid = testgen::fill("AC{hex32}", 11);
    let source = format!("const a = ;\nconst sid = '{sid}';\n");
    let report = scan(&source, &options("broken.js"));
    let diagnostic = report
        .diagnostics
        .iter()
        .find(|d| d.code == "parse-error")
        .expect("parse-error diagnostic");
    assert_eq!((diagnostic.line, diagnostic.column), (1, 11));
    assert_eq!(diagnostic.file, "broken.js");
    let finding = report
        .findings
        .iter()
        .find(|f| f.rule_id == "account-sid")
        .expect("shape scan still runs");
    assert_eq!((finding.line, finding.column), (2, 14));
}

#[test]
fn env_files_are_scanned_as_text_without_a_parse_error() {
    let sid = testgen::fill("AC{hex32}", 13);
    let source = format!("# Twilio\nTWILIO_ACCOUNT_SID={sid}\nURL=https://example.invalid/x\n");
    for name in [".env.example", "plugin/.env.sample", "prod.env", ".env"] {
        let report = scan(&source, &options(name));
        assert!(
            report.diagnostics.is_empty(),
            "{name}: {:?}",
            report.diagnostics
        );
        let finding = report
            .findings
            .iter()
            .find(|f| f.rule_id == "account-sid")
            .unwrap_or_else(|| panic!("{name}: the SID is found by shape"));
        assert_eq!((finding.line, finding.column), (2, 20), "{name}");
        assert!(!finding.excerpt.contains(&sid));
    }
    // A JS file that merely starts with `.env.` is code, and a bare `KEY=value` is not valid JS.
    assert_eq!(
        flexguard::kinds::Kind::of(".env.config.js", ""),
        flexguard::kinds::Kind::Script
    );
    assert!(!scan(&source, &options("env.js")).diagnostics.is_empty());
}

#[test]
fn columns_are_utf16_after_multibyte_characters() {
    let sid = testgen::fill("AC{hex32}", 12);
    // "é" is one UTF-16 unit (2 bytes), "😀" two units (4 bytes).
    let source = format!("// é😀\nconst label = 'é😀'; const sid = '{sid}';\n");
    let report = scan(&source, &options("a.js"));
    let finding = &report.findings[0];
    assert_eq!(finding.line, 2);
    let utf16_prefix = "const label = 'é😀'; const sid = '".encode_utf16().count() as u32;
    assert_eq!(finding.column, utf16_prefix + 1);
    assert_eq!(finding.end_column, finding.column + 34);
    assert_eq!(
        &source[finding.span.start as usize..finding.span.end as usize],
        sid
    );
}

#[test]
fn the_full_value_never_appears_in_any_field() {
    let sid = testgen::fill("AC{hex32}", 13);
    let sources = [
        format!("const sid = '{sid}';"),
        format!("fetch('https://api.twilio.com/2010-04-01/Accounts/{sid}/Calls.json');"),
        format!("const a = '{}' + '{}';", &sid[..10], &sid[10..]),
        format!("// {sid}"),
        format!("const = '{sid}'"),
        format!("{} {sid}", "x".repeat(5000)),
    ];
    for source in &sources {
        let report = scan(source, &options("a.js"));
        assert!(
            !report.findings.is_empty(),
            "expected a finding in a {}-byte source",
            source.len()
        );
        let json = serde_json::to_string(&report).unwrap();
        assert!(!json.contains(&sid), "full SID leaked: {json}");
        assert!(!json.contains(&sid[2..]), "SID body leaked: {json}");
    }
}

#[test]
fn excerpts_of_long_lines_are_bounded() {
    let sid = testgen::fill("AC{hex32}", 14);
    let source = format!(
        "var a=\"{}\";var s=\"{sid}\";var b=\"{}\";",
        "y".repeat(100_000),
        "z".repeat(100_000)
    );
    let report = scan(&source, &options("bundle.js"));
    assert_eq!(report.findings.len(), 1);
    assert!(
        report.findings[0].excerpt.chars().count() < 300,
        "excerpt too long"
    );
}

#[test]
fn rule_settings_turn_rules_off_and_change_severity() {
    let source = testgen::fill("const sid = 'AC{hex32}';", 15);
    let mut opts = options("a.js");
    opts.rules
        .insert("account-sid".into(), flexguard::RuleSetting::Error);
    assert_eq!(
        scan(&source, &opts).findings[0].severity,
        flexguard::Severity::Error
    );
    opts.rules
        .insert("account-sid".into(), flexguard::RuleSetting::Off);
    assert!(scan(&source, &opts).findings.is_empty());
    opts.rules
        .insert("no-such-rule".into(), flexguard::RuleSetting::Off);
    assert!(opts.validate().unwrap_err().contains("no-such-rule"));
}

#[test]
fn value_hash_identifies_a_value_across_files_and_forms() {
    // The webpack plugin reports a credential once when it is in a module's source and again in
    // the minified bundle: same rule and value, different file and surroundings.
    let sid = testgen::fill("AC{hex32}", 13);
    let other = testgen::fill("AC{hex32}", 14);
    let in_source = scan(&format!("const SID = '{sid}';\n"), &options("src/a.js"));
    let in_bundle = scan(
        &format!("!function(){{var e=\"{sid}\";f(e)}}();"),
        &options("build/a.js"),
    );
    let different = scan(&format!("const SID = '{other}';\n"), &options("src/a.js"));
    let (a, b, c) = (
        &in_source.findings[0],
        &in_bundle.findings[0],
        &different.findings[0],
    );
    assert_eq!(a.value_hash, b.value_hash);
    assert_ne!(a.fingerprint, b.fingerprint);
    assert_ne!(a.value_hash, c.value_hash);
    assert!(!a.value_hash.contains(&sid[2..]));
}

#[test]
fn fingerprints_hash_the_project_path_whatever_the_displayed_path() {
    let sid = testgen::fill("AC{hex32}", 21);
    let source = format!("const sid = '{sid}';\n");
    let from_root = &scan(&source, &options("plugin/src/a.js")).findings[0];
    let from_subdir = &scan(
        &source,
        &Options {
            filename: Some("src/a.js".into()),
            project_path: Some("plugin/src/a.js".into()),
            ..Default::default()
        },
    )
    .findings[0];
    assert_eq!(from_subdir.file, "src/a.js");
    assert_eq!(from_root.fingerprint, from_subdir.fingerprint);
    assert!(from_root.legacy_fingerprints.is_empty());
    // What an older version wrote from the subdirectory still matches.
    let old = &scan(&source, &options("src/a.js")).findings[0];
    assert_eq!(
        from_subdir.legacy_fingerprints,
        vec![old.fingerprint.clone()]
    );
}

#[test]
fn first_party_globs_narrow_code_patterns_but_never_credentials() {
    let sid = testgen::fill("AC{hex32}", 22);
    let source = format!(
        "const sid = '{sid}';\nfetch('https://api.twilio.com/2010-04-01/Accounts.json');\n"
    );
    let rules_in = |path: &str| -> Vec<String> {
        let report = scan(
            &source,
            &Options {
                filename: Some(path.into()),
                first_party: vec!["src/**".into()],
                ..Default::default()
            },
        );
        report.findings.into_iter().map(|f| f.rule_id).collect()
    };
    assert_eq!(rules_in("src/a.js"), ["account-sid", "direct-api-call"]);
    assert_eq!(rules_in("vendor/a.js"), ["account-sid"]);
    assert_eq!(rules_in("node_modules/x/a.js"), ["account-sid"]);
}

#[test]
fn code_patterns_are_judged_by_where_the_file_runs_and_credentials_everywhere() {
    let token = testgen::fill("{hex32}", 23);
    let source = format!(
        "const authToken = '{token}';\nconst twilio = require('twilio');\nfetch('https://api.twilio.com/2010-04-01/Accounts.json');\n"
    );
    let rules_in = |path: &str| -> Vec<(String, Option<flexguard::Runtime>)> {
        let report = scan(&source, &options(path));
        report
            .findings
            .into_iter()
            .map(|f| (f.rule_id, f.runtime))
            .collect()
    };
    let rules = |path: &str| -> Vec<String> { rules_in(path).into_iter().map(|r| r.0).collect() };
    assert_eq!(
        rules("src/api.js"),
        ["auth-token", "server-sdk-import", "direct-api-call"]
    );
    assert_eq!(
        rules_in("src/api.js")[0].1,
        Some(flexguard::Runtime::Plugin)
    );
    for elsewhere in [
        "functions/api.js",
        "src/__tests__/api.test.js",
        "scripts/deploy.js",
    ] {
        assert_eq!(rules(elsewhere), ["auth-token"], "{elsewhere}");
    }
    let configured = Options {
        filename: Some("backend/api.js".into()),
        runtimes: [(flexguard::Runtime::Function, vec!["backend/**".into()])].into(),
        ..Default::default()
    };
    let report = scan(&source, &configured);
    assert_eq!(report.findings.len(), 1);
    assert_eq!(
        report.findings[0].runtime,
        Some(flexguard::Runtime::Function)
    );
}
