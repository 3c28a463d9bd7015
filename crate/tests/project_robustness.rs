//! The project stage on hostile repositories: cycles, very long and very wide chains of
//! wrappers, imports that leave the project, broken env files, many files. Each must end
//! quickly with a result, never a panic or a hang.

use flexguard::project::{lint, EnvFile};
use flexguard::{Options, Report};

fn findings_of(reports: &[Report], rule: &str) -> usize {
    reports
        .iter()
        .flat_map(|r| &r.findings)
        .filter(|f| f.rule_id == rule)
        .count()
}

fn no_internal_errors(reports: &[Report]) {
    reports
        .iter()
        .for_each(flexguard::invariants::assert_no_internal_error);
}

#[test]
fn a_ten_thousand_deep_chain_of_wrappers_ends() {
    // functions/w0 wraps w1, which wraps w2, … ; the last applies the validator.
    let depth = 10_000;
    let mut files: Vec<(String, String)> = (0..depth)
        .map(|i| {
            (
                format!("svc/functions/w{i}.private.js"),
                format!(
                    "const {{ wrap }} = require(Runtime.getFunctions()['w{}'].path);\nexports.wrap = (fn) => wrap(fn);\n",
                    i + 1
                ),
            )
        })
        .collect();
    files.push((
        format!("svc/functions/w{depth}.private.js"),
        "const v = require('twilio-flex-token-validator').functionValidator;\nexports.wrap = (fn) => v(fn);\n".into(),
    ));
    files.push((
        "svc/functions/api.js".into(),
        "const { wrap } = require(Runtime.getFunctions()['w0'].path);\nexports.handler = wrap((context, event, callback) => callback(null, context.getTwilioClient()));\n".into(),
    ));
    let started = std::time::Instant::now();
    let reports = lint(&files, vec![], &Options::default());
    no_internal_errors(&reports);
    // The validator is further away than the project follows: the handler is reported, which
    // is the safe answer, and the run ends in reasonable time.
    assert_eq!(findings_of(&reports, "function-without-token-validator"), 1);
    assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
}

#[test]
fn wide_wrappers_and_cycles_are_followed_once() {
    // Each helper calls two others (a diamond lattice 30 levels deep, with a cycle at the
    // bottom): following every path would take 2^30 steps.
    let levels = 30;
    let mut files = Vec::new();
    for level in 0..levels {
        let next = (level + 1) % levels;
        files.push((
            format!("svc/functions/h{level}.private.js"),
            format!(
                "const {{ a: a1, b: b1 }} = require(Runtime.getFunctions()['h{next}'].path);\nexports.a = (fn) => a1(b1(fn));\nexports.b = (fn) => b1(a1(fn));\n"
            ),
        ));
    }
    files.push((
        "svc/functions/api.js".into(),
        "const { a } = require(Runtime.getFunctions()['h0'].path);\nexports.handler = a((context, event, callback) => callback(null, context.getTwilioClient()));\n".into(),
    ));
    let started = std::time::Instant::now();
    let reports = lint(&files, vec![], &Options::default());
    no_internal_errors(&reports);
    assert_eq!(findings_of(&reports, "function-without-token-validator"), 1);
    assert!(started.elapsed().as_secs() < 30, "{:?}", started.elapsed());
}

#[test]
fn re_export_chains_and_cycles_end() {
    // index0 re-exports everything of index1, … 10,000 deep; the URL is at the far end. Two
    // more modules re-export each other and themselves (`export *` cycles that fan out), and a
    // tsconfig's aliases point into them.
    let depth = 10_000;
    let mut files: Vec<(String, String)> = (0..depth)
        .map(|i| {
            (
                format!("src/chain/index{i}.js"),
                format!(
                    "export * from './index{}';
export {{ default as D{i} }} from './index{}';
",
                    i + 1,
                    i + 1
                ),
            )
        })
        .collect();
    files.push((
        format!("src/chain/index{depth}.js"),
        "export const URL = 'https://svc-1234.twil.io/x';
"
        .into(),
    ));
    files.push((
        "src/loop/a.js".into(),
        "export * from './b';
export * from './a';
export * from '@/loop/b';
"
        .into(),
    ));
    files.push((
        "src/loop/b.js".into(),
        "export * from './a';
export * from './b';
export * from 'loop/a';
"
        .into(),
    ));
    files.push((
        "tsconfig.json".into(),
        "{ \"compilerOptions\": { \"baseUrl\": \"src\", \"paths\": { \"@/*\": [\"*\", \"*\"] } } }"
            .into(),
    ));
    files.push((
        "src/api.js".into(),
        "import { URL } from './chain/index0';
import * as loop from '@/loop/a';
import { X } from 'loop/b';
export const go = () => fetch(URL, { method: 'POST', body: '{}' });
export const again = () => fetch(loop.X || X, { method: 'POST', body: '{}' });
"
        .into(),
    ));
    let started = std::time::Instant::now();
    let reports = lint(&files, vec![], &Options::default());
    no_internal_errors(&reports);
    // The URL is further away than the project follows: nothing is reported, and the run ends.
    assert_eq!(findings_of(&reports, "function-call-without-token"), 0);
    assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());

    // A short chain is followed.
    let short: Vec<(String, String)> = vec![
        (
            "src/config/urls.js".into(),
            "export const URL = 'https://svc-1234.twil.io/x';
"
            .into(),
        ),
        (
            "src/config/index.js".into(),
            "export * from './urls';
"
            .into(),
        ),
        (
            "src/api.js".into(),
            "import { URL } from './config';
export const go = () => fetch(URL, { method: 'POST', body: '{}' });
"
            .into(),
        ),
    ];
    let reports = lint(&short, vec![], &Options::default());
    assert_eq!(findings_of(&reports, "function-call-without-token"), 1);
}

#[test]
fn imports_outside_the_project_and_broken_env_files_are_not_errors() {
    let files = vec![
        (
            "src/a.js".to_string(),
            "import { URL } from '../../../../etc/passwd';\nimport x from '../../outside';\nexport const go = () => fetch(URL, { method: 'POST' });\n"
                .to_string(),
        ),
        ("src/b.js".to_string(), "export const BASE = 'https://svc-1.twil.io';\n".to_string()),
    ];
    let env_files = vec![EnvFile {
        path: ".env.example".into(),
        text: "=\nFLEX_APP_=\n\u{0}\u{feff}FLEX_APP_X\n'FLEX_APP_Y'='https://y.twil.io'\nexport FLEX_APP_Z = \"https://z-1.twil.io\" # comment\n"
            .into(),
    }];
    let reports = lint(&files, env_files, &Options::default());
    no_internal_errors(&reports);
    let project = flexguard::project::resolve(&flexguard::project::ProjectInput {
        files: vec![],
        env_files: vec![],
        only_needed: true,
    });
    assert!(project.contexts.is_empty());
}

#[test]
fn many_files_stay_linear() {
    let files = |n: usize| -> Vec<(String, String)> {
        let mut files = vec![(
            "src/config.js".to_string(),
            "export const ENDPOINTS = { a: 'https://svc-1234.twil.io/a' };\n".to_string(),
        )];
        files.extend((0..n).map(|i| {
            (
                format!("src/m{i}.js"),
                format!("import {{ ENDPOINTS }} from './config';\nexport const f{i} = () => fetch(ENDPOINTS.a, {{ method: 'POST', body: '{{}}' }});\n"),
            )
        }));
        files
    };
    let time = |n: usize| {
        let started = std::time::Instant::now();
        let reports = lint(&files(n), vec![], &Options::default());
        assert_eq!(findings_of(&reports, "function-call-without-token"), n);
        started.elapsed()
    };
    time(200);
    let (small, large) = (time(1_000), time(4_000));
    // Four times the files, well under sixteen times the time (quadratic would be 16x).
    assert!(
        large < small * 8,
        "1,000 files: {small:?}, 4,000 files: {large:?}"
    );
}
