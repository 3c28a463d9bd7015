use super::declare_rule;
use crate::facts::{Fact, FactFinding};
use crate::redact::legacy_file_fingerprint;

const ID: &str = "env-file-committed";

/// Templates are meant to be committed, with placeholders.
const TEMPLATES: &[&str] = &[".env.example", ".env.sample", ".env.template", ".env.dist"];
/// `.env.config.js` and the like are code that reads the environment, not an env file.
const CODE_EXTENSIONS: &[&str] = &[
    ".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts", ".map",
];

/// `.env` or `.env.<anything>`, in any directory, except templates and code.
pub fn is_env_file(path: &str) -> bool {
    let base = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    base == ".env"
        || (base.starts_with(".env.")
            && !TEMPLATES.contains(&base.as_str())
            && !CODE_EXTENSIONS.iter().any(|ext| base.ends_with(ext)))
}

fn finding(path: &str) -> FactFinding {
    FactFinding {
        file: path.to_string(),
        line: 1,
        end_column: 1,
        message: "This .env file is staged for commit; committed credentials must be rotated".into(),
        help: "Unstage it (git restore --staged <file>), add .env and .env.* to .gitignore, and commit a .env.example with placeholders instead.".into(),
        excerpt: String::new(),
        value: String::new(),
        legacy_fingerprint: Some(legacy_file_fingerprint(ID, path)),
    }
}

declare_rule! {
    /// A `.env` file (`.env`, `.env.local`, `.env.production`, …) staged for commit.
    ///
    /// ## What it flags
    /// A staged file named `.env` or `.env.<anything>`, in any directory. Templates named
    /// `.env.example` or `.env.sample` are not findings: they are meant to be committed, and
    /// their values are scanned for real-looking credentials instead (so are `.env.template` and
    /// `.env.dist`). Code named like one (`.env.config.js`) is code. This is a repository rule:
    /// `flexguard --staged` reports it from the git index, not from plugin source.
    ///
    /// ## Why it matters in a Flex plugin
    /// Flex plugins read `FLEX_APP_*` variables from `.env` files at build time, and Twilio's
    /// advice is to keep credentials in environment variables and out of git. A `.env` file in a
    /// commit puts every value in it into the repository's history for good: once pushed, each
    /// credential in it must be rotated.
    ///
    /// ## How to fix
    /// Unstage the file (`git restore --staged .env`), add `.env` and `.env.*` to `.gitignore`, and
    /// commit a `.env.example` with placeholder values instead. If the file was ever pushed,
    /// rotate every credential in it.
    ///
    /// ```sh,flags
    /// printf 'FLEX_APP_SERVICE_URL=https://example.invalid\n' > .env
    /// git add .env
    /// ```
    ///
    /// ```sh,clean
    /// printf 'FLEX_APP_SERVICE_URL=https://example.invalid\n' > .env.example
    /// git add .env.example
    /// ```
    ///
    /// The fact a host hands the engine for the first example:
    ///
    /// ```json,flags
    /// [{ "kind": "stagedFile", "path": "plugin/.env.production" }]
    /// ```
    ///
    /// ```json,clean
    /// [{ "kind": "stagedFile", "path": "plugin/.env.example" }, { "kind": "stagedFile", "path": ".env.config.js" }]
    /// ```
    pub struct EnvFileCommitted {
        id: ID,
        severity: Error,
        kind: Repository,
        shape: None,
    }
}

impl super::Rule for EnvFileCommitted {
    fn meta(&self) -> &'static super::RuleMeta {
        &Self::META
    }

    fn check_fact(&self, fact: &Fact) -> Vec<FactFinding> {
        match fact {
            Fact::StagedFile { path } if is_env_file(path) => vec![finding(path)],
            _ => Vec::new(),
        }
    }
}
