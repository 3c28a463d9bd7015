//! Random small projects from generated files (`flexguard::jsgen`), with imports, re-exports,
//! Twilio Runtime requires and env files drawn from the input → `project::lint`; every report
//! must satisfy `flexguard::invariants`, and nothing may panic or hang.
#![no_main]

use flexguard::project::{lint, EnvFile};
use flexguard::{invariants, jsgen, Options};
use libfuzzer_sys::fuzz_target;

const PATHS: &[&str] = &[
    "src/index.js",
    "src/config.js",
    "src/api/index.ts",
    "src/__tests__/a.test.js",
    "functions/common/helper.private.js",
    "functions/flex/op.js",
    "functions/hook.protected.js",
    "scripts/deploy.js",
];

/// One import line per byte: which file imports which, and in which form.
fn import_line(byte: u8) -> String {
    let target = PATHS[(byte as usize >> 3) % PATHS.len()];
    let stem = target.trim_end_matches(".js").trim_end_matches(".ts");
    let key = stem
        .strip_prefix("functions/")
        .unwrap_or(stem)
        .trim_end_matches(".private");
    match byte % 11 {
        0 => format!("import {{ ENDPOINTS, wrap }} from '../{stem}';\n"),
        1 => format!("import * as ns from './{stem}';\n"),
        2 => format!("const {{ wrap }} = require(Runtime.getFunctions()['{key}'].path);\n"),
        3 => format!("export {{ wrap }} from '../../{stem}';\n"),
        4 => "exports.handler = wrap(async (context, event, callback) => callback(null, context.getTwilioClient()));\n".into(),
        5 => format!("export * from '@/{stem}';\n"),
        6 => format!("import {{ api, send }} from '{stem}';\napi.get('/Calls.json'); send(ENDPOINTS.a, {{ body }});\n"),
        7 => "export const api = axios.create({ baseURL: 'https://api.twilio.com/2010-04-01' });\nexport const send = (url, body) => fetch(url, { method: 'POST', body: JSON.stringify(body) });\n".into(),
        8 => format!("const {{ wrap }} = require(Runtime.getAssets()['/{key}.js'].path);\n"),
        9 => "function f(extra) { const body = { a: 1, ...extra }; return fetch(ENDPOINTS.a, { method: 'POST', body: JSON.stringify(body) }); }\n".into(),
        // A call that pairs with a Function of the project (or with none).
        10 if byte & 0x80 != 0 => format!("fetch(`${{process.env.FLEX_APP_FUNCTIONS}}/{key}`, {{ method: 'POST', body: JSON.stringify({{ a: 1 }}) }});\n"),
        _ => "export const ENDPOINTS = { a: `${process.env.FLEX_APP_FUNCTIONS}/a` };\n".into(),
    }
}

fuzz_target!(|data: &[u8]| {
    let chunks: Vec<&[u8]> = data.chunks(data.len() / PATHS.len() + 1).collect();
    let sources: Vec<(String, String)> = chunks
        .iter()
        .enumerate()
        .map(|(i, chunk)| {
            let header: String = chunk.iter().take(4).map(|b| import_line(*b)).collect();
            (
                PATHS[i % PATHS.len()].to_string(),
                header + &jsgen::program(chunk),
            )
        })
        .collect();
    // Aliases drawn from the input too (`@/*` and a baseUrl, or garbage).
    let mut sources = sources;
    let alias: String = String::from_utf8_lossy(data.get(..16).unwrap_or(data))
        .chars()
        .filter(|c| !matches!(c, '"' | '\\'))
        .collect();
    sources.push((
        "tsconfig.json".into(),
        format!("{{ // aliases\n \"compilerOptions\": {{ \"baseUrl\": \"src\", \"paths\": {{ \"@/*\": [\"*\", \"{alias}*\"], }} }} }}"),
    ));
    // Manifests drawn from the input: what each package is decides runtimes and callers.
    let manifest = |at: usize| match data.get(at).copied().unwrap_or(0) % 5 {
        0 => r#"{"dependencies":{"@twilio/flex-ui":"^2"}}"#.to_string(),
        1 => r#"{"devDependencies":{"twilio-run":"^3"}}"#.to_string(),
        2 => r#"{"dependencies":{"next":"^14","react-dom":"^18"}}"#.to_string(),
        3 => r#"{"dependencies":{"express":"^4"}}"#.to_string(),
        _ => String::from_utf8_lossy(data.get(at..at + 24).unwrap_or_default()).into_owned(),
    };
    sources.push(("package.json".into(), manifest(0)));
    sources.push(("src/package.json".into(), manifest(1)));
    sources.push(("functions/.twilioserverlessrc".into(), "{}".into()));
    let env = EnvFile {
        path: ".env.example".into(),
        text: String::from_utf8_lossy(data.get(..64).unwrap_or(data)).into_owned(),
    };
    let reports = lint(&sources, vec![env], &Options::default());
    for ((path, source), report) in sources.iter().zip(&reports) {
        assert!(
            report
                .diagnostics
                .iter()
                .all(|d| d.code != "internal-error"),
            "{path}: internal error"
        );
        if let Err(violation) = invariants::check(source, path, report) {
            panic!("{path}: {violation}");
        }
    }
});
