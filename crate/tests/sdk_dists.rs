//! Zero findings (credential and code-pattern rules) on the real dist files of Twilio's browser SDKs and two large
//! common libraries. They are installed once from npm by `tests/sdk-dists/install.sh` into a
//! cache (`$FLEXGUARD_SDK_DISTS`, else `$HOME/.cache/flexguard/sdk-dists`). The test is skipped,
//! with a printed reason, only when the cache is missing and the install fails (registry
//! unreachable or npm absent).

use std::path::{Path, PathBuf};
use std::process::Command;

use flexguard::{scan, Options};

/// The main dist files: bundled (unminified and minified) builds, about 10 MB in all.
const DISTS: &[&str] = &[
    "twilio-video/dist/twilio-video.js",
    "twilio-video/dist/twilio-video.min.js",
    "@twilio/conversations/builds/twilio-conversations.js",
    "@twilio/conversations/builds/twilio-conversations.min.js",
    "twilio-sync/builds/twilio-sync.js",
    "twilio-sync/builds/twilio-sync.min.js",
    "@twilio/voice-sdk/dist/twilio.js",
    "@twilio/voice-sdk/dist/twilio.min.js",
    "twilio-taskrouter/dist/index.window.js",
    "twilio-taskrouter/dist/index.commonjs2.js",
    "react-dom/cjs/react-dom-client.development.js",
    "react-dom/cjs/react-dom-client.production.js",
    "lodash/lodash.js",
    "lodash/lodash.min.js",
];

fn cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("FLEXGUARD_SDK_DISTS") {
        return PathBuf::from(dir);
    }
    let home = std::env::var_os("HOME").unwrap_or_else(|| ".".into());
    Path::new(&home).join(".cache/flexguard/sdk-dists")
}

/// Install (idempotent) and return the `node_modules` dir, or why the test cannot run.
fn node_modules() -> Result<PathBuf, String> {
    let dir = cache_dir();
    let modules = dir.join("node_modules");
    let complete = || DISTS.iter().all(|f| modules.join(f).is_file());
    if complete() {
        return Ok(modules);
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/sdk-dists/install.sh");
    let status = Command::new("sh")
        .arg(&script)
        .env("FLEXGUARD_SDK_DISTS", &dir)
        .status()
        .map_err(|e| format!("could not run {}: {e}", script.display()))?;
    if !status.success() {
        return Err(format!(
            "{} failed ({status}); is the npm registry reachable?",
            script.display()
        ));
    }
    if complete() {
        Ok(modules)
    } else {
        Err(format!(
            "installed, but dist files are missing under {}",
            modules.display()
        ))
    }
}

#[test]
fn no_findings_in_real_sdk_dists() {
    let modules = match node_modules() {
        Ok(modules) => modules,
        Err(why) => {
            println!("SKIPPED no_findings_in_real_sdk_dists: {why}");
            return;
        }
    };
    let mut failures = Vec::new();
    let mut bytes = 0;
    for file in DISTS {
        let source = std::fs::read_to_string(modules.join(file)).expect("readable dist");
        bytes += source.len();
        let report = scan(
            &source,
            &Options {
                filename: Some(file.to_string()),
                ..Default::default()
            },
        );
        for diagnostic in &report.diagnostics {
            failures.push(format!(
                "{file}: diagnostic {}: {}",
                diagnostic.code, diagnostic.message
            ));
        }
        // Neither credential nor code-pattern rules may fire on Twilio's own SDK code.
        for finding in report.findings {
            failures.push(format!(
                "{file}:{}:{} {} {} | {}",
                finding.line, finding.column, finding.rule_id, finding.message, finding.excerpt
            ));
        }
    }
    assert!(bytes > 5_000_000, "scanned only {bytes} bytes");

    // Not vacuous: the same dist with one planted credential yields exactly that finding.
    let mut planted = std::fs::read_to_string(modules.join(DISTS[0])).unwrap();
    planted.push_str(&flexguard::testgen::fill(
        "\n;var cfg = { accountSid: \"AC{hex32}\", authToken: \"{hex32}\" };\n",
        7,
    ));
    let rules: Vec<String> = scan(&planted, &Options::default())
        .findings
        .into_iter()
        .map(|f| f.rule_id)
        .collect();
    assert_eq!(rules, ["account-sid", "auth-token"], "planted credential");
    assert!(
        failures.is_empty(),
        "findings in SDK dists:\n{}",
        failures.join("\n")
    );
}

/// Every file of the installed packages that is not code (package.json, READMEs and
/// changelogs with code blocks, YAML, HTML): read by its kind, none holds a finding.
#[test]
fn no_findings_in_the_packages_data_files() {
    let modules = match node_modules() {
        Ok(modules) => modules,
        Err(why) => {
            println!("SKIPPED no_findings_in_the_packages_data_files: {why}");
            return;
        }
    };
    let mut files = Vec::new();
    let mut pending = vec![modules.clone()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            let name = path.to_string_lossy().to_string();
            let data = !matches!(
                flexguard::kinds::Kind::of(&name, ""),
                flexguard::kinds::Kind::Script | flexguard::kinds::Kind::Text
            );
            if data && !name.ends_with(".map") {
                files.push(path);
            }
        }
    }
    files.sort();
    let kinds: std::collections::BTreeSet<String> = files
        .iter()
        .filter_map(|f| f.extension().map(|e| e.to_string_lossy().to_string()))
        .collect();
    assert!(files.len() > 100, "only {} data files", files.len());
    assert!(
        kinds.contains("json") && kinds.contains("md"),
        "kinds: {kinds:?}"
    );
    let mut failures = Vec::new();
    for file in &files {
        let Ok(source) = std::fs::read_to_string(file) else {
            continue;
        };
        let name = file
            .strip_prefix(&modules)
            .unwrap()
            .to_string_lossy()
            .to_string();
        let report = scan(
            &source,
            &Options {
                filename: Some(name.clone()),
                ..Default::default()
            },
        );
        for finding in report.findings {
            failures.push(format!(
                "{name}:{}:{} {} | {}",
                finding.line, finding.column, finding.rule_id, finding.excerpt
            ));
        }
        for diagnostic in report.diagnostics {
            failures.push(format!(
                "{name}: {} {}",
                diagnostic.code, diagnostic.message
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "in data files:\n{}",
        failures.join("\n")
    );
}
