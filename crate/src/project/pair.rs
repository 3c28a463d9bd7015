//! The project stage's last step: pair browser requests with the repository's Functions they
//! reach (by the path twilio-run serves each Function at), and judge each pair as one problem.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::packages::Packages;
use crate::finding::Related;
use crate::http::UNKNOWN;
use crate::summary::PackageKind;
use crate::{Finding, FunctionCall, Runtime};

/// One file's part in pairing: where it runs, what its `package.json` says (for a manifest),
/// its requests that may reach a Function, its findings (pairing judges those of
/// `function-without-token-validator` and `function-call-without-token` and passes the others
/// through), and for a Function the engine's verdict on its handler (`Report::open_handler`).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
pub struct PairFile {
    pub path: String,
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub runtime: Option<Runtime>,
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub package: Option<PackageKind>,
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub function_calls: Vec<FunctionCall>,
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub findings: Vec<Finding>,
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub open_handler: Option<bool>,
    /// For a Function taken for a webhook, its finding if the plugin calls it (`Report::held`).
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub held: Vec<Finding>,
    /// False for a file that is context only (pre-commit: a file the commit does not touch):
    /// its findings are not shown, so none is merged into them.
    #[serde(default = "reported_by_default")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub reported: bool,
}

fn reported_by_default() -> bool {
    true
}

const UNVALIDATED_FUNCTION: &str = "function-without-token-validator";
const CALL_WITHOUT_TOKEN: &str = "function-call-without-token";

/// Who calls a Function: the Flex plugin (agents, who hold the Flex user token) or another
/// browser page (a customer-facing app or a public asset, which holds none).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Caller {
    Plugin,
    OtherPage,
}

/// One request that reaches a Function: the calling file, where the call starts, and who calls.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Call {
    file: usize,
    line: u32,
    column: u32,
    caller: Caller,
}

/// Pair browser calls with the repository's Functions, and judge each pair as one problem:
/// - an open Function (the engine's verdict) that the plugin calls keeps its finding, which
///   names every call site as related; the call sites' own `function-call-without-token`
///   findings become part of it;
/// - a Function that is safe to call without the token (it validates it, so the plugin must
///   send it in a way the call does not show; only Twilio may call it; it reaches nothing of
///   the account) settles its calls: they are not findings;
/// - an open Function whose finding is not shown here (context only, a suppression comment)
///   leaves its calls' findings, each naming it;
/// - a Function that only pages other than the plugin call (and no plugin request whose path
///   is not constant may reach) is not the Flex token's business: its finding is dropped;
/// - a page that is not the plugin has no Flex token to send: its calls are not findings.
///
/// Returns each file's findings, in `files` order.
pub fn pair(files: &[PairFile]) -> Vec<Vec<Finding>> {
    let paths: Vec<String> = files.iter().map(|f| f.path.replace('\\', "/")).collect();
    let packages = Packages::new(
        paths
            .iter()
            .map(String::as_str)
            .zip(files.iter().map(|f| f.package)),
    );
    let callers: Vec<Option<Caller>> = files
        .iter()
        .zip(&paths)
        .map(|(file, path)| caller_of(file.runtime, packages.kind_of(path)))
        .collect();
    let mut functions: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (index, file) in files.iter().enumerate() {
        if file.runtime == Some(Runtime::Function) {
            if let Some(url) = function_url_path(&paths[index]) {
                functions.entry(url).or_default().push(index);
            }
        }
    }
    // Per Function, the calls that name its path, each once; and the Functions a plugin request
    // with a partly unknown path may reach.
    let mut calls_of: BTreeMap<usize, BTreeSet<Call>> = BTreeMap::new();
    let mut maybe_calls_of: BTreeMap<usize, BTreeSet<Call>> = BTreeMap::new();
    for (index, file) in files.iter().enumerate() {
        let Some(caller) = callers[index] else {
            continue;
        };
        for call in &file.function_calls {
            if let Some(variable) = call.variable.as_deref().filter(|_| call.path.is_empty()) {
                for (url, targets) in &functions {
                    if variable_names_function(variable, url) {
                        for &function in targets {
                            calls_of.entry(function).or_default().insert(Call {
                                file: index,
                                line: call.line,
                                column: call.column,
                                caller,
                            });
                        }
                    }
                }
                continue;
            }
            if call.path.contains(UNKNOWN) {
                if caller == Caller::Plugin {
                    for (url, targets) in &functions {
                        if matches_pattern(&call.path, url) {
                            for &function in targets {
                                maybe_calls_of.entry(function).or_default().insert(Call {
                                    file: index,
                                    line: call.line,
                                    column: call.column,
                                    caller,
                                });
                            }
                        }
                    }
                }
                continue;
            }
            for &function in functions.get(&call.path).into_iter().flatten() {
                calls_of.entry(function).or_default().insert(Call {
                    file: index,
                    line: call.line,
                    column: call.column,
                    caller,
                });
            }
        }
    }

    let mut out: Vec<Vec<Finding>> = files.iter().map(|f| f.findings.clone()).collect();
    // A held call finding (a request to a host the file did not name as a Functions host)
    // stands when the request reaches a Function of the repository: its host is one after all.
    let paired_sites: BTreeSet<(usize, u32, u32)> = calls_of
        .values()
        .flatten()
        .map(|call| (call.file, call.line, call.column))
        .collect();
    for &(file, line, column) in &paired_sites {
        let released = files[file]
            .held
            .iter()
            .filter(|f| f.rule_id == CALL_WITHOUT_TOKEN && f.line == line && f.column == column);
        for finding in released {
            insert_sorted(&mut out[file], finding.clone());
        }
    }
    for (index, caller) in callers.iter().enumerate() {
        if *caller == Some(Caller::OtherPage) {
            out[index].retain(|f| f.rule_id != CALL_WITHOUT_TOKEN);
        }
    }
    // Call sites whose finding is settled or part of their Function's, and those that stay
    // because an open Function they call is not shown here.
    let mut merged: BTreeSet<(usize, u32, u32)> = BTreeSet::new();
    let mut kept: BTreeSet<(usize, u32, u32)> = BTreeSet::new();
    let site = |call: &Call| (call.file, call.line, call.column);
    let mut held_shown: BTreeSet<usize> = BTreeSet::new();
    for (&function, calls) in &calls_of {
        let file = &files[function];
        let held = file.held.iter().find(|f| f.rule_id == UNVALIDATED_FUNCTION);
        match (file.open_handler, held) {
            (Some(false), _) => {
                merged.extend(calls.iter().map(site));
                continue;
            }
            // Taken for a webhook, but the plugin calls it: it is open to the plugin's users
            // and to anyone else.
            (None, Some(held)) if calls.iter().any(|c| c.caller == Caller::Plugin) => {
                let mut finding = held.clone();
                finding.message = format!(
                    "{}, though it reads parameters only Twilio's webhooks send",
                    finding.message
                );
                insert_sorted(&mut out[function], finding);
                held_shown.insert(function);
            }
            (None, _) => continue,
            (Some(true), _) => {}
        }
        let shown = out[function]
            .iter()
            .position(|f| f.rule_id == UNVALIDATED_FUNCTION)
            .filter(|_| file.reported);
        let Some(position) = shown else {
            let line = file
                .findings
                .iter()
                .chain(&file.held)
                .find(|f| f.rule_id == UNVALIDATED_FUNCTION)
                .map_or(1, |f| f.line);
            for call in calls {
                kept.insert(site(call));
                for finding in out[call.file].iter_mut().filter(|f| at_call(f, call)) {
                    finding.related.push(Related {
                        message:
                            "the Function it calls, which does not validate the Flex user token"
                                .to_string(),
                        file: paths[function].clone(),
                        line,
                    });
                }
            }
            continue;
        };
        // Places, not files: the same file given twice is one caller.
        let plugin_calls = calls
            .iter()
            .filter(|c| c.caller == Caller::Plugin)
            .map(|c| (&paths[c.file], c.line, c.column))
            .collect::<BTreeSet<_>>()
            .len();
        let maybe_calls = maybe_calls_of.get(&function);
        if plugin_calls == 0 && maybe_calls.is_none() {
            out[function].remove(position);
            continue;
        }
        let mut related = Vec::new();
        for call in calls {
            let without_token = out[call.file].iter().any(|f| at_call(f, call));
            if without_token {
                merged.insert(site(call));
            }
            let message = match (call.caller, without_token) {
                (Caller::Plugin, true) => "called from the plugin without the Flex user token",
                (Caller::Plugin, false) => "called from the plugin",
                (Caller::OtherPage, _) => "called from a page that holds no Flex user token",
            };
            related.push(Related {
                message: message.to_string(),
                file: paths[call.file].clone(),
                line: call.line,
            });
        }
        for call in maybe_calls.into_iter().flatten() {
            related.push(Related {
                message: "may be called from the plugin (a request whose path is not constant)"
                    .to_string(),
                file: paths[call.file].clone(),
                line: call.line,
            });
        }
        related.sort_by(|a, b| (&a.file, a.line, &a.message).cmp(&(&b.file, b.line, &b.message)));
        related.dedup();
        let finding = &mut out[function][position];
        finding.message = match plugin_calls {
            0 => format!("{}; the plugin may call it", finding.message),
            1 => format!("{}; the plugin calls it from 1 place", finding.message),
            n => format!("{}; the plugin calls it from {n} places", finding.message),
        };
        finding.related.extend(related);
    }
    // A webhook that twilio-run deploys public: anyone can forge Twilio's request to it.
    for (index, file) in files.iter().enumerate() {
        let held = file.held.iter().find(|f| f.rule_id == UNVALIDATED_FUNCTION);
        let deployed_public = packages.kind_of(&paths[index]) == Some(PackageKind::Functions);
        if let (Some(held), true, None, true, false) = (
            held,
            deployed_public,
            file.open_handler,
            file.reported,
            held_shown.contains(&index),
        ) {
            let mut finding = held.clone();
            finding.message = format!(
                "{}: it reads parameters only Twilio's webhooks send, but twilio-run deploys it public, so nothing checks that Twilio sent the request",
                finding.message
            );
            finding.help = "Name the file `*.protected.js` (or `.ts`), so that Twilio's request signature is checked, and point the webhook at it; validate the Flex token instead if the plugin calls it.".to_string();
            insert_sorted(&mut out[index], finding);
        }
    }
    for (file, line, column) in merged.difference(&kept) {
        out[*file].retain(|f| {
            !(f.rule_id == CALL_WITHOUT_TOKEN && f.line == *line && f.column == *column)
        });
    }
    out
}

fn insert_sorted(findings: &mut Vec<Finding>, finding: Finding) {
    let at = findings.partition_point(|f| (f.line, f.column) <= (finding.line, finding.column));
    findings.insert(at, finding);
}

/// A `function-call-without-token` finding at `call`.
fn at_call(finding: &Finding, call: &Call) -> bool {
    finding.rule_id == CALL_WITHOUT_TOKEN
        && finding.line == call.line
        && finding.column == call.column
}

/// Who a file's requests come from: the plugin, another page, or neither (a Function, a test,
/// tooling).
fn caller_of(runtime: Option<Runtime>, package: Option<PackageKind>) -> Option<Caller> {
    match runtime? {
        Runtime::Asset => Some(Caller::OtherPage),
        Runtime::Plugin if package == Some(PackageKind::WebApp) => Some(Caller::OtherPage),
        Runtime::Plugin => Some(Caller::Plugin),
        _ => None,
    }
}

/// `/video/*` (a path with parts the file does not determine) against a Function's path.
fn matches_pattern(pattern: &str, path: &str) -> bool {
    let mut parts = pattern.split(UNKNOWN);
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = path.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    for (i, part) in parts.iter().enumerate() {
        if i + 1 == parts.len() {
            return rest.ends_with(part);
        }
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.is_empty()
}

/// Whether an env variable's name says it holds the URL of the Function at `path`: with the
/// build's prefix and the words for a URL left out, its words are those of the Function's name
/// (`FLEX_APP_URL_PARK_AN_INTERACTION`, `REACT_APP_PARK_AN_INTERACTION_URL` → `/park-an-interaction`)
/// or of its whole path (`FLEX_APP_TASKS_LIST_ENDPOINT` → `/tasks/list`).
fn variable_names_function(variable: &str, path: &str) -> bool {
    const URL_WORDS: &[&str] = &[
        "URL",
        "URI",
        "ENDPOINT",
        "ENDPOINTS",
        "FUNCTION",
        "FN",
        "PATH",
        "HREF",
        "LINK",
    ];
    let mut words = words_of(variable);
    for prefix in [
        &["FLEX", "APP"][..],
        &["REACT", "APP"],
        &["VITE"],
        &["NEXT", "PUBLIC"],
    ] {
        if words.len() > prefix.len() && words.iter().zip(prefix).all(|(w, p)| w == p) {
            words.drain(..prefix.len());
            break;
        }
    }
    while words
        .first()
        .is_some_and(|w| URL_WORDS.contains(&w.as_str()))
    {
        words.remove(0);
    }
    while words
        .last()
        .is_some_and(|w| URL_WORDS.contains(&w.as_str()))
    {
        words.pop();
    }
    let name_of_function = path.rsplit('/').next().unwrap_or(path);
    !words.is_empty() && (words == words_of(name_of_function) || words == words_of(path))
}

/// The words of a name, upper-cased: split at anything not a letter or digit, and where a
/// capital follows a lower-case letter (`getContacts`, `get-contacts`, `GET_CONTACTS`).
fn words_of(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut previous_lower = false;
    for c in text.chars() {
        let boundary = !c.is_ascii_alphanumeric() || (c.is_ascii_uppercase() && previous_lower);
        if boundary && !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        if c.is_ascii_alphanumeric() {
            word.push(c.to_ascii_uppercase());
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// The URL path twilio-run gives a Function: its path below the service's `functions/`
/// directory, without the extension and a `.protected` suffix; `None` for a `.private` one,
/// which is not served.
fn function_url_path(path: &str) -> Option<String> {
    let root = super::functions_root(path)?;
    let relative = path.strip_prefix(&root)?;
    let (stem, extension) = relative.rsplit_once('.')?;
    if !matches!(extension, "js" | "ts" | "mjs" | "cjs") {
        return None;
    }
    // twilio-run serves no `.private` Function at all.
    if stem.ends_with(".private") {
        return None;
    }
    let stem = stem.strip_suffix(".protected").unwrap_or(stem);
    Some(format!("/{stem}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::lint;
    use crate::{scan, Options};

    fn lint_project(files: &[(&str, &str)]) -> Vec<crate::Finding> {
        let sources: Vec<(String, String)> = files
            .iter()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect();
        lint(&sources, Vec::new(), &Options::default())
            .into_iter()
            .flat_map(|r| r.findings)
            .collect()
    }

    const OPEN_FUNCTION: &str = "exports.handler = async (context, event, callback) => {\n\
         const client = context.getTwilioClient();\n\
         callback(null, await client.calls(event.callSid).fetch());\n};\n";

    #[test]
    fn a_function_taken_for_a_webhook_is_open_when_the_plugin_calls_it() {
        // It reads Studio's FlowSid, so alone it passes for a webhook; the plugin's request to
        // its path says browsers call it too.
        let webhook_reader = "exports.handler = async (context, event, callback) => {\n\
             const client = context.getTwilioClient();\n\
             await client.studio.v2.flows(event.FlowSid).executions.list();\n\
             callback(null, { ok: true });\n};\n";
        let plugin = (
            "plugin/src/track.js",
            "export const track = (base, data) => fetch(`${base}/events/track`, { method: 'POST', body: JSON.stringify(data) });\n",
        );
        let called = lint_project(&[
            (
                "plugin/package.json",
                r#"{"dependencies":{"@twilio/flex-ui":"^2"}}"#,
            ),
            plugin,
            ("svc/functions/events/track.js", webhook_reader),
        ]);
        let ids: Vec<(&str, &str, u32)> = called
            .iter()
            .map(|f| (f.file.as_str(), f.rule_id.as_str(), f.line))
            .collect();
        assert_eq!(
            ids,
            [("svc/functions/events/track.js", UNVALIDATED_FUNCTION, 1)],
            "{called:#?}"
        );
        assert!(
            called[0].message.ends_with(
                "though it reads parameters only Twilio's webhooks send; the plugin calls it from 1 place"
            ),
            "{}",
            called[0].message
        );
        let related = &called[0].related;
        assert_eq!(related.len(), 1);
        assert_eq!(related[0].file, "plugin/src/track.js");
        assert_eq!(related[0].message, "called from the plugin");
        // Called by nothing in the repository: a webhook, as before.
        let alone = lint_project(&[
            (
                "plugin/package.json",
                r#"{"dependencies":{"@twilio/flex-ui":"^2"}}"#,
            ),
            ("svc/functions/events/track.js", webhook_reader),
        ]);
        assert_eq!(alone, [], "{alone:#?}");
        // Deployed by twilio-run, it is public unless it is `.protected`: anyone can forge
        // Twilio's request.
        let deployed = lint_project(&[
            (
                "svc/package.json",
                r#"{"devDependencies":{"twilio-run":"^3"}}"#,
            ),
            ("svc/functions/events/track.js", webhook_reader),
            ("svc/functions/events/status.protected.js", webhook_reader),
        ]);
        let ids: Vec<(&str, &str)> = deployed
            .iter()
            .map(|f| (f.file.as_str(), f.rule_id.as_str()))
            .collect();
        assert_eq!(
            ids,
            [("svc/functions/events/track.js", UNVALIDATED_FUNCTION)]
        );
        assert!(deployed[0].message.contains("twilio-run deploys it public"));
        assert!(deployed[0].help.contains(".protected.js"));
    }

    #[test]
    fn calls_to_placeholder_hosts_and_resolved_paths_are_paired_by_path() {
        let findings = lint_project(&[
            ("plugin/package.json", r#"{"dependencies":{"@twilio/flex-ui":"^2"}}"#),
            (
                "plugin/src/Redirect.js",
                "export const redirect = (sid) => {\n\
                   const base = 'Replace with your domain https://some-domain/redirect-call';\n\
                   return axios.get(`${base}?sid=${sid}`);\n};\n",
            ),
            (
                "plugin/src/Transfer.js",
                "const CREATE_URL = 'https://your-tunnel-host/create-task';\n\
                 export const transfer = (task) => fetch(CREATE_URL, { method: 'POST', body: JSON.stringify(task) });\n",
            ),
            (
                "plugin/src/Directory.js",
                "import Url from 'url';\n\
                 export async function load(props) {\n\
                   const url = Url.resolve(props.runtimeDomain, 'team-members');\n\
                   return axios.post(url, { lead: props.lead });\n}\n",
            ),
            ("svc/functions/redirect-call.js", OPEN_FUNCTION),
            ("svc/functions/create-task.js", OPEN_FUNCTION),
            ("svc/functions/team-members.js", OPEN_FUNCTION),
            ("svc/functions/unused.js", OPEN_FUNCTION),
        ]);
        let paired = findings
            .iter()
            .filter(|f| f.message.ends_with("the plugin calls it from 1 place"))
            .map(|f| (f.file.as_str(), f.related[0].file.as_str()))
            .collect::<BTreeSet<_>>();
        assert_eq!(
            paired.into_iter().collect::<Vec<_>>(),
            [
                ("svc/functions/create-task.js", "plugin/src/Transfer.js"),
                ("svc/functions/redirect-call.js", "plugin/src/Redirect.js"),
                ("svc/functions/team-members.js", "plugin/src/Directory.js"),
            ],
            "{findings:#?}"
        );
        // The Function nothing calls keeps its finding, alone.
        assert!(findings
            .iter()
            .any(|f| f.file == "svc/functions/unused.js" && f.related.is_empty()));
    }

    /// Requests whose host the file does not name as a Functions host: a placeholder, a whole
    /// URL from an env variable named for the Function. Each is a problem only when it reaches
    /// a Function of the repository, and then it says whether it sends the token.
    #[test]
    fn calls_whose_host_is_not_named_are_judged_when_they_reach_a_function() {
        let plugin = "plugin/src/actions.js";
        let findings = lint_project(&[
            ("plugin/package.json", r#"{"dependencies":{"@twilio/flex-ui":"^2"}}"#),
            (
                plugin,
                "export const contacts = () => fetch('https://[your-service-url]/get-contacts', { method: 'POST', body: JSON.stringify({ q: 1 }) });\n\
                 const PARK = process.env.FLEX_APP_URL_PARK_AN_INTERACTION;\n\
                 export const park = async (sid) => { const body = { sid }; await fetch(PARK, { method: 'POST', body: JSON.stringify(body) }); };\n\
                 export const skip = (sid) => axios.post(`${process.env.FLEX_APP_SKIP_WRAPPING_URL}?sid=${sid}`);\n\
                 export const hold = (sid) => fetch(process.env.FLEX_APP_HOLD_URL, { method: 'POST', body: JSON.stringify({ sid }) });\n\
                 export const other = (sid) => fetch('https://your-backend/not-a-function', { method: 'POST', body: JSON.stringify({ sid }) });\n\
                 export const api = (sid) => fetch(process.env.FLEX_APP_API_URL, { method: 'POST', body: JSON.stringify({ sid }) });\n\
                 export const sent = (sid, manager) => fetch(process.env.FLEX_APP_GET_CONTACTS_URL, { method: 'POST', body: JSON.stringify({ sid, Token: manager.user.token }) });\n",
            ),
            ("svc/functions/get-contacts.js", OPEN_FUNCTION),
            ("svc/functions/park-an-interaction.js", OPEN_FUNCTION),
            ("svc/functions/wrap/skip-wrapping.js", OPEN_FUNCTION),
            (
                "svc/functions/hold.js",
                "const { functionValidator: validate } = require('twilio-flex-token-validator');\n\
                 exports.handler = validate(async (context, event, callback) => {\n\
                   const client = context.getTwilioClient();\n\
                   callback(null, await client.calls(event.callSid).fetch());\n});\n",
            ),
        ]);
        let related_of = |file: &str| -> Vec<(String, u32)> {
            let finding = findings
                .iter()
                .find(|f| f.file == file && f.rule_id == UNVALIDATED_FUNCTION)
                .unwrap_or_else(|| panic!("{file}: {findings:#?}"));
            finding
                .related
                .iter()
                .map(|r| (r.message.clone(), r.line))
                .collect()
        };
        let without = "called from the plugin without the Flex user token".to_string();
        assert_eq!(
            related_of("svc/functions/get-contacts.js"),
            [
                (without.clone(), 1),
                ("called from the plugin".to_string(), 8)
            ]
        );
        assert_eq!(
            related_of("svc/functions/park-an-interaction.js"),
            [(without.clone(), 3)]
        );
        assert_eq!(
            related_of("svc/functions/wrap/skip-wrapping.js"),
            [(without, 4)]
        );
        // The calls are part of their Functions' findings; the validated one, the one that
        // reaches no Function and the one whose variable names none are not findings.
        let in_plugin: Vec<_> = findings.iter().filter(|f| f.file == plugin).collect();
        assert_eq!(in_plugin, Vec::<&crate::Finding>::new());
        assert!(!findings.iter().any(|f| f.file == "svc/functions/hold.js"));
    }

    #[test]
    fn a_held_call_stands_with_the_function_it_calls_when_that_function_is_not_shown() {
        let function =
            format!("// flexguard-ignore-next-line function-without-token-validator -- a test\n{OPEN_FUNCTION}");
        let findings = lint_project(&[
            ("plugin/package.json", r#"{"dependencies":{"@twilio/flex-ui":"^2"}}"#),
            (
                "plugin/src/park.js",
                "export const park = (sid) => fetch(process.env.FLEX_APP_PARK_URL, { method: 'POST', body: JSON.stringify({ sid }) });\n",
            ),
            ("svc/functions/park.js", function.as_str()),
        ]);
        assert_eq!(findings.len(), 1, "{findings:#?}");
        assert_eq!(findings[0].rule_id, CALL_WITHOUT_TOKEN);
        assert_eq!(findings[0].file, "plugin/src/park.js");
        assert!(
            findings[0]
                .message
                .contains("(process.env.FLEX_APP_PARK_URL)"),
            "{}",
            findings[0].message
        );
        assert_eq!(findings[0].related[0].file, "svc/functions/park.js");
    }

    /// Console Functions kept for copy-paste in `twilio-functions/` are served at their path
    /// below it, like a service's `functions/`.
    #[test]
    fn console_functions_kept_in_the_repository_pair_with_their_calls() {
        let findings = lint_project(&[
            ("package.json", r#"{"dependencies":{"@twilio/flex-ui":"^1"}}"#),
            (
                "src/api.js",
                "export const hang = (sid) => fetch('https://calls-1234.twil.io/calls/hang', { method: 'POST', body: JSON.stringify({ sid }) });\n",
            ),
            ("twilio-functions/calls/hang.js", OPEN_FUNCTION),
        ]);
        assert_eq!(findings.len(), 1, "{findings:#?}");
        assert_eq!(findings[0].file, "twilio-functions/calls/hang.js");
        assert_eq!(findings[0].related[0].file, "src/api.js");
        assert_eq!(
            findings[0].related[0].message,
            "called from the plugin without the Flex user token"
        );
    }

    #[test]
    fn variable_names_say_which_function() {
        for (variable, path) in [
            ("FLEX_APP_URL_PARK_AN_INTERACTION", "/park-an-interaction"),
            (
                "REACT_APP_PARK_AN_INTERACTION_URL",
                "/features/park/park-an-interaction",
            ),
            ("FLEX_APP_TASKS_LIST_ENDPOINT", "/tasks/list"),
            ("FLEX_APP_GET_CONTACTS_FUNCTION_URL", "/getContacts"),
            ("skipWrappingUrl", "/skip_wrapping"),
        ] {
            assert!(variable_names_function(variable, path), "{variable} {path}");
        }
        for (variable, path) in [
            ("FLEX_APP_API_URL", "/send-sms"),
            ("FLEX_APP_FUNCTION_URL", "/function"),
            ("FLEX_APP_PARK_URL", "/park-an-interaction"),
            ("FLEX_APP_LIST_URL", "/tasks/list-all"),
        ] {
            assert!(
                !variable_names_function(variable, path),
                "{variable} {path}"
            );
        }
    }

    #[test]
    fn an_open_function_and_its_plugin_calls_are_one_problem() {
        let findings = lint_project(&[
            ("plugin-a/package.json", r#"{"dependencies":{"@twilio/flex-ui":"^2"}}"#),
            (
                "plugin-a/src/calls.js",
                "fetch('https://svc-1234.twil.io/calls/peek', { method: 'POST', body: JSON.stringify({ a: 1 }) });\n\
                 fetch('https://svc-1234.twil.io/calls/peek?x=1', { method: 'POST', body: JSON.stringify({ b: 2 }) });\n",
            ),
            ("svc/functions/calls/peek.protected.js", OPEN_FUNCTION),
            ("svc/functions/calls/peek.js", OPEN_FUNCTION),
        ]);
        let ids: Vec<(&str, &str)> = findings
            .iter()
            .map(|f| (f.file.as_str(), f.rule_id.as_str()))
            .collect();
        assert_eq!(
            ids,
            [("svc/functions/calls/peek.js", UNVALIDATED_FUNCTION)],
            "{findings:#?}"
        );
        let function = &findings[0];
        assert!(function
            .message
            .ends_with("the plugin calls it from 2 places"));
        let related: Vec<(&str, u32, &str)> = function
            .related
            .iter()
            .map(|r| (r.file.as_str(), r.line, r.message.as_str()))
            .collect();
        assert_eq!(
            related,
            [
                (
                    "plugin-a/src/calls.js",
                    1,
                    "called from the plugin without the Flex user token"
                ),
                (
                    "plugin-a/src/calls.js",
                    2,
                    "called from the plugin without the Flex user token"
                ),
            ]
        );
    }

    #[test]
    fn a_function_only_other_pages_call_is_not_the_flex_tokens_business() {
        let findings = lint_project(&[
            (
                "guest-app/package.json",
                r#"{"dependencies":{"next":"^14","react-dom":"^18"}}"#,
            ),
            (
                "guest-app/lib/api.js",
                "const base = `https://${process.env.NEXT_PUBLIC_FUNCTIONS_DOMAIN}`;\n\
                 fetch(`${base}/video/token?room=${room}`);\n",
            ),
            ("svc/functions/video/token.js", OPEN_FUNCTION),
        ]);
        assert!(findings.is_empty(), "{findings:#?}");
        // The same call from the plugin leaves both findings as one.
        let findings = lint_project(&[
            ("src/api.js", "fetch(`https://${process.env.FLEX_APP_FUNCTIONS_DOMAIN}/video/token?room=${room}`);\n"),
            ("svc/functions/video/token.js", OPEN_FUNCTION),
        ]);
        assert_eq!(findings.len(), 1, "{findings:#?}");
        assert_eq!(findings[0].related[0].file, "src/api.js");
    }

    #[test]
    fn a_call_to_a_function_that_validates_is_settled_by_it() {
        // The Function refuses a call without the token, and the plugin works: it sends the
        // token in a way this call does not show (an interceptor, a wrapper).
        let findings = lint_project(&[
            ("src/api.js", "fetch('https://svc-1234.twil.io/pause', { method: 'POST', body: JSON.stringify({ a: 1 }) });\n"),
            (
                "functions/pause.js",
                "const { functionValidator } = require('twilio-flex-token-validator');\n\
                 exports.handler = functionValidator(async (context, event, callback) => callback(null, {}));\n",
            ),
        ]);
        assert!(findings.is_empty(), "{findings:#?}");
        // Without the Function in the repository, the call is judged alone.
        let findings = lint_project(&[(
            "src/api.js",
            "fetch('https://svc-1234.twil.io/pause', { method: 'POST', body: JSON.stringify({ a: 1 }) });\n",
        )]);
        assert_eq!(findings.len(), 1, "{findings:#?}");
        assert_eq!(findings[0].rule_id, CALL_WITHOUT_TOKEN);
    }

    #[test]
    fn a_function_given_as_context_only_absorbs_nothing() {
        let call = first_pass(
            "src/a.js",
            "fetch('https://svc-1234.twil.io/peek', { method: 'POST', body: JSON.stringify({ a: 1 }) });\n",
        );
        let function = first_pass("functions/peek.js", OPEN_FUNCTION);
        let out = pair(&[
            PairFile {
                path: "src/a.js".into(),
                runtime: Some(Runtime::Plugin),
                function_calls: call.function_calls,
                findings: call.findings,
                reported: true,
                ..Default::default()
            },
            PairFile {
                path: "functions/peek.js".into(),
                runtime: Some(Runtime::Function),
                findings: function.findings,
                open_handler: function.open_handler,
                reported: false,
                ..Default::default()
            },
        ]);
        assert_eq!(out[0].len(), 1, "{out:#?}");
        assert_eq!(out[0][0].rule_id, CALL_WITHOUT_TOKEN);
        assert_eq!(out[0][0].related[0].file, "functions/peek.js");
        assert_eq!(out[0][0].related[0].line, 1);
        assert_eq!(
            out[1].len(),
            1,
            "the Function's own finding is left as it was"
        );
        assert!(out[1][0].related.is_empty());
    }

    #[test]
    fn function_paths_as_twilio_run_serves_them() {
        let cases = [
            ("svc/functions/a/b.js", Some("/a/b")),
            (
                "svc/src/functions/flex/pause.protected.ts",
                Some("/flex/pause"),
            ),
            ("functions/x.private.js", None),
            ("functions/readme.md", None),
            ("src/a.js", None),
        ];
        for (path, expected) in cases {
            assert_eq!(function_url_path(path).as_deref(), expected, "{path}");
        }
    }

    const PLUGIN_CALL: &str =
        "fetch('https://svc-1234.twil.io/calls/peek', { method: 'POST', body: JSON.stringify({ a: 1 }) });\n";

    #[test]
    fn an_open_function_whose_finding_is_hidden_leaves_its_calls_reported() {
        let rule_off = Options {
            rules: [(UNVALIDATED_FUNCTION.to_string(), crate::RuleSetting::Off)].into(),
            ..Default::default()
        };
        let sources = |function: &str| {
            vec![
                ("src/calls.js".to_string(), PLUGIN_CALL.to_string()),
                (
                    "svc/functions/calls/peek.js".to_string(),
                    function.to_string(),
                ),
            ]
        };
        // The rule is off: nothing judged the handler, so nothing settles the call.
        let off = lint(&sources(OPEN_FUNCTION), Vec::new(), &rule_off);
        assert_eq!(ids(&off), [("src/calls.js", CALL_WITHOUT_TOKEN)]);
        // The Function's finding is suppressed: the handler is still open.
        let suppressed = format!("// flexguard-ignore-next-line {UNVALIDATED_FUNCTION} -- only Studio calls it\n{OPEN_FUNCTION}");
        let reports = lint(&sources(&suppressed), Vec::new(), &Options::default());
        assert_eq!(ids(&reports), [("src/calls.js", CALL_WITHOUT_TOKEN)]);
        let call = &reports[0].findings[0];
        assert_eq!(call.related[0].file, "svc/functions/calls/peek.js");
        // The Function does not parse: no verdict, the call is judged alone.
        let broken = lint(
            &sources("exports.handler = async (context, event) => {"),
            Vec::new(),
            &Options::default(),
        );
        assert!(
            ids(&broken).contains(&("src/calls.js", CALL_WITHOUT_TOKEN)),
            "{broken:#?}"
        );
    }

    #[test]
    fn a_plugin_request_with_an_unknown_path_may_be_a_caller() {
        let findings = lint_project(&[
            ("guest-app/package.json", r#"{"dependencies":{"next":"^14","react-dom":"^18"}}"#),
            ("guest-app/lib/api.js", "fetch(`https://svc-1234.twil.io/video/token?room=${room}`);\n"),
            ("src/video.js", "fetch(`https://svc-1234.twil.io/video/${action}`, { method: 'POST', body: JSON.stringify({ a: 1 }) });\n"),
            ("svc/functions/video/token.js", OPEN_FUNCTION),
        ]);
        let function = findings
            .iter()
            .find(|f| f.rule_id == UNVALIDATED_FUNCTION)
            .expect("the Function stays reported");
        assert!(
            function.message.ends_with("the plugin may call it"),
            "{}",
            function.message
        );
        assert!(
            function.related.iter().any(|r| r.file == "src/video.js"),
            "{function:#?}"
        );
        assert!(matches_pattern("/video/*", "/video/token"));
        assert!(matches_pattern("/*/token", "/video/token"));
        assert!(!matches_pattern("/calls/*", "/video/token"));
    }

    #[test]
    fn a_file_given_twice_counts_its_calls_once() {
        let call = first_pass("src/a.js", "fetch('https://svc-1234.twil.io/peek', { method: 'POST', body: JSON.stringify({ a: 1 }) });\n");
        let function = first_pass("functions/peek.js", OPEN_FUNCTION);
        let caller = PairFile {
            path: "src/a.js".into(),
            runtime: Some(Runtime::Plugin),
            function_calls: call.function_calls.clone(),
            findings: call.findings.clone(),
            ..Default::default()
        };
        let out = pair(&[
            caller.clone(),
            caller,
            PairFile {
                path: "functions\\peek.js".into(),
                runtime: Some(Runtime::Function),
                findings: function.findings,
                open_handler: function.open_handler,
                reported: true,
                ..Default::default()
            },
        ]);
        assert!(
            out[2][0].message.ends_with("from 1 place"),
            "{:?}",
            out[2][0].message
        );
        assert_eq!(out[2][0].related.len(), 1);
        assert_eq!(out[2][0].related[0].file, "src/a.js");
        assert!(out[0].is_empty() && out[1].is_empty());
    }

    #[test]
    fn an_example_in_a_readme_calls_nothing() {
        let findings = lint_project(&[
            (
                "README.md",
                "# Setup\n\nCall it like this:\n\n```js\nfetch('https://svc-1234.twil.io/calls/peek', { method: 'POST', body: JSON.stringify({ a: 1 }) });\n```\n",
            ),
            ("svc/functions/calls/peek.js", OPEN_FUNCTION),
        ]);
        let function = findings
            .iter()
            .find(|f| f.rule_id == UNVALIDATED_FUNCTION)
            .expect("the open Function is still reported");
        assert!(function.related.is_empty(), "{function:#?}");
    }

    /// One file's first pass, as hosts run it for the project stage.
    fn first_pass(path: &str, text: &str) -> crate::Report {
        scan(
            text,
            &Options {
                filename: Some(path.into()),
                summarize: true,
                ..Default::default()
            },
        )
    }

    fn ids(reports: &[crate::Report]) -> Vec<(&str, &str)> {
        reports
            .iter()
            .flat_map(|r| &r.findings)
            .map(|f| (f.file.as_str(), f.rule_id.as_str()))
            .collect()
    }
}
