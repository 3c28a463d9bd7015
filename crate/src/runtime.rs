//! Where a file's code runs. The same request is a leak in an agent's browser and the
//! recommended design in a Twilio Function, and neither matters in a test or a build script,
//! which never ship. Credentials matter everywhere: a secret in a test is still committed.

use serde::{Deserialize, Serialize};

use crate::glob::{matches_any, Glob};

/// A file's runtime.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
pub enum Runtime {
    /// Flex plugin code: bundled and served to every agent's browser.
    Plugin,
    /// A Twilio Serverless Function: runs on Twilio with the account's credentials in `context`.
    Function,
    /// A Twilio Serverless asset: a public file that anyone can fetch.
    Asset,
    /// Tests, mocks and fixtures: run by a test runner, never shipped.
    Test,
    /// Build, deploy and setup scripts, tool configs, and a Node backend's code: run on a
    /// developer's machine, a server or in CI.
    Tooling,
}

impl Runtime {
    pub const ALL: &'static [Runtime] = &[
        Runtime::Plugin,
        Runtime::Function,
        Runtime::Asset,
        Runtime::Test,
        Runtime::Tooling,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Runtime::Plugin => "plugin",
            Runtime::Function => "function",
            Runtime::Asset => "asset",
            Runtime::Test => "test",
            Runtime::Tooling => "tooling",
        }
    }
}

/// Directories whose code is Twilio Functions: a Serverless service's `functions/`, and Console
/// Functions kept for copy-paste in `twilio-functions/` or `twilioFunctions/` (lower-cased).
pub const FUNCTION_DIRECTORIES: &[&str] = &["functions", "twilio-functions", "twiliofunctions"];

/// Directories whose files are tests.
const TEST_DIRECTORIES: &[&str] = &[
    "__tests__",
    "__mocks__",
    "__fixtures__",
    "test",
    "tests",
    "e2e",
    "cypress",
];
/// Directories whose files are tooling: scripts, CI, provisioning and infrastructure code, and
/// the Flex configuration deploy step of Twilio's project template.
const TOOLING_DIRECTORIES: &[&str] = &[
    "scripts",
    ".github",
    ".circleci",
    ".husky",
    "flex-config",
    "provision",
    "provisioning",
    "infra",
    "infra-as-code",
    "terraform",
    "deploy",
    "installer",
];
/// Base-name stems of tool configs (`webpack.config.js`, `jest.config.ts`, `.eslintrc.js`).
const TOOL_CONFIG_STEMS: &[&str] = &[
    "webpack.config",
    "webpack.dev",
    "webpack.prod",
    "jest.config",
    "babel.config",
    "craco.config",
    "eslint.config",
    ".eslintrc",
    "prettier.config",
    ".prettierrc",
    "rollup.config",
    "vite.config",
    "vitest.config",
    "postcss.config",
    "tailwind.config",
    "gulpfile",
    "gruntfile",
    "commitlint.config",
    "lint-staged.config",
    "playwright.config",
    "cypress.config",
];

/// The runtime the repository's conventions give a file, from its project path: plugin code
/// when no convention says otherwise.
pub fn infer(path: &str) -> Runtime {
    convention(path).unwrap_or(Runtime::Plugin)
}

/// The runtime a path convention gives a file (a test, tooling, a Function, an asset), if any.
fn convention(path: &str) -> Option<Runtime> {
    // Called once per linted file: no allocation but the lower-cased file name.
    let slashed;
    let path = match path.contains('\\') {
        true => {
            slashed = path.replace('\\', "/");
            slashed.as_str()
        }
        false => path,
    };
    let mut directories: Vec<&str> = path
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect();
    let name = directories.pop().unwrap_or("").to_ascii_lowercase();
    let has_directory = |names: &[&str]| {
        directories
            .iter()
            .any(|d| names.iter().any(|n| d.eq_ignore_ascii_case(n)))
    };

    let is_test_file = [".test.", ".spec.", ".stories."]
        .iter()
        .any(|m| name.contains(m))
        || ["setuptests.", "jest.setup.", "test-utils.", "testutils."]
            .iter()
            .any(|p| name.starts_with(p));
    if is_test_file || has_directory(TEST_DIRECTORIES) {
        return Some(Runtime::Test);
    }
    let is_tool_config = TOOL_CONFIG_STEMS.iter().any(|stem| {
        name.strip_prefix(stem)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
    });
    // `setup.js`, `deploy-functions.sh`: scripts at the top of a repository or package, not in source.
    let in_source = has_directory(&["src", "functions", "assets", "public"]);
    let is_script = !in_source
        && ["setup", "deploy", "postinstall", "preinstall"]
            .iter()
            .any(|p| name.starts_with(p));
    if is_tool_config || is_script || has_directory(TOOLING_DIRECTORIES) {
        return Some(Runtime::Tooling);
    }
    if has_directory(FUNCTION_DIRECTORIES) {
        return Some(Runtime::Function);
    }
    // Serverless assets sit beside `functions/`; a plugin's `src/assets/` is plugin code.
    if let Some(at) = directories
        .iter()
        .position(|d| d.eq_ignore_ascii_case("assets"))
    {
        let service = &directories[..at];
        if service.iter().any(|d| {
            let d = d.to_ascii_lowercase();
            d.contains("serverless") || d.contains("functions")
        }) {
            return Some(Runtime::Asset);
        }
    }
    None
}

/// The runtime the user's globs or a path convention give a file; `None` when neither does
/// and the file is plugin code only by default (the project may know better: its package).
/// The first runtime (in `Runtime::ALL` order) whose globs match wins over the conventions.
pub fn decided(
    path: &str,
    configured: &std::collections::BTreeMap<Runtime, Vec<String>>,
) -> Option<Runtime> {
    for runtime in Runtime::ALL {
        if let Some(patterns) = configured.get(runtime) {
            let globs: Vec<Glob> = patterns.iter().map(|p| Glob::new(p)).collect();
            if matches_any(&globs, path) {
                return Some(*runtime);
            }
        }
    }
    convention(path)
}

#[cfg(test)]
mod tests {
    use super::{decided, infer, Runtime};

    #[test]
    fn conventions_ignore_case_and_read_backslashes() {
        for (path, runtime) in [
            ("Serverless\\Assets\\x.js", Runtime::Asset),
            ("SRC\\Setup.js", Runtime::Plugin),
            ("Setup.JS", Runtime::Tooling),
            ("Functions\\Send.js", Runtime::Function),
            ("Scripts/Deploy.JS", Runtime::Tooling),
            ("src/__TESTS__/a.js", Runtime::Test),
            ("src/Panel.Test.tsx", Runtime::Test),
            ("Webpack.Config.js", Runtime::Tooling),
            ("plugin/SRC/Assets/logo.js", Runtime::Plugin),
        ] {
            assert_eq!(infer(path), runtime, "{path}");
        }
    }

    #[test]
    fn conventions_of_flex_repositories() {
        let cases = [
            ("src/components/Panel.tsx", Runtime::Plugin),
            ("plugin-supervisor/src/index.js", Runtime::Plugin),
            ("src/assets/logo.js", Runtime::Plugin),
            ("build/plugin-sample.js", Runtime::Plugin),
            ("functions/send-sms.js", Runtime::Function),
            ("twilio-functions/send-call.js", Runtime::Function),
            (
                "src/resources/twilioFunctions/eventStream.js",
                Runtime::Function,
            ),
            (
                "serverless-functions/src/functions/common/helpers.private.js",
                Runtime::Function,
            ),
            ("serverless/assets/widget.js", Runtime::Asset),
            ("src/__tests__/Panel.test.tsx", Runtime::Test),
            ("src/utils/http.spec.ts", Runtime::Test),
            ("functions/__mocks__/twilio.js", Runtime::Test),
            ("test/setup.js", Runtime::Test),
            ("scripts/deploy.js", Runtime::Tooling),
            ("webpack.config.js", Runtime::Tooling),
            ("plugin-a/jest.config.js", Runtime::Tooling),
            ("setup-environment.js", Runtime::Tooling),
            ("src/setupProxy.js", Runtime::Plugin),
            ("flex-config/index.mjs", Runtime::Tooling),
            ("infra-as-code/state/verify-signature.js", Runtime::Tooling),
        ];
        for (path, expected) in cases {
            assert_eq!(infer(path), expected, "{path}");
        }
    }

    #[test]
    fn configured_globs_win() {
        let configured = [(Runtime::Function, vec!["backend/**".to_string()])].into();
        assert_eq!(
            decided("backend/api/token.js", &configured),
            Some(Runtime::Function)
        );
        assert_eq!(decided("src/a.js", &configured), None);
    }
}
