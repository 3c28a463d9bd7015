use super::declare_rule;
use crate::facts::{Fact, FactFinding};
use crate::redact::legacy_file_fingerprint;

const ID: &str = "env-file-not-ignored";

/// Reported at the `.gitignore` that should ignore the package's `.env`.
fn finding(dir: &str, functions: bool) -> FactFinding {
    let prefix = if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    };
    let file = format!("{prefix}.gitignore");
    let package = if functions {
        "Twilio Functions service (its .env holds the values `twilio-run deploy` uploads)"
    } else {
        "Flex plugin"
    };
    FactFinding {
        message: format!(
            "git does not ignore {prefix}.env in this {package}, so `git add .` would commit it"
        ),
        help: format!("Add .env, .env.* and !.env.example to {file}."),
        line: 1,
        end_column: 1,
        excerpt: String::new(),
        value: String::new(),
        legacy_fingerprint: Some(legacy_file_fingerprint(ID, &file)),
        file,
    }
}

declare_rule! {
    /// A Flex plugin or Twilio Functions service whose `.gitignore` does not ignore `.env`.
    ///
    /// ## What it flags
    /// A package directory where a `.env` file next to its `package.json` would not be ignored
    /// by git, when the package is
    /// - a Flex plugin: its `package.json` depends on `@twilio/flex-plugin`,
    ///   `@twilio/flex-plugin-scripts`, `@twilio/flex-ui` or (version 4) `flex-plugin-scripts`;
    /// - a Twilio Functions service: its `package.json` depends on `twilio-run` or
    ///   `@twilio/runtime-handler`, or a `.twilioserverlessrc` sits beside it. `twilio-run deploy`
    ///   uploads that `.env`, so it holds the account's credentials.
    ///
    /// Personal global ignore files do not count: they do not protect your teammates. This is a
    /// repository rule: `flexguard --staged` asks git (`git check-ignore`), and a lint of a
    /// directory reads the `.gitignore` files from the repository's root down to the package
    /// for each `package.json` it walks.
    ///
    /// ## Why it matters in a Flex plugin
    /// The Flex plugin tooling reads `.env` files, so sooner or later one holds a credential.
    /// If git does not ignore it, `git add .` or `git commit -a` puts it into the repository's
    /// history, where it has to be treated as leaked.
    ///
    /// ## How to fix
    /// Add these lines to the `.gitignore` next to the plugin's `package.json`:
    /// `.env`, `.env.*` and `!.env.example`.
    ///
    /// ```sh,flags
    /// printf '{"dependencies":{"@twilio/flex-plugin":"^7"}}\n' > package.json
    /// git add package.json
    /// ```
    ///
    /// ```sh,clean
    /// printf '{"dependencies":{"@twilio/flex-plugin":"^7"}}\n' > package.json
    /// printf '.env\n.env.*\n!.env.example\n' > .gitignore
    /// git add package.json .gitignore
    /// ```
    ///
    /// The fact a host hands the engine for the first example:
    ///
    /// ```json,flags
    /// [{ "kind": "envNotIgnored", "dir": "" }]
    /// ```
    ///
    /// A Functions service in `serverless/`:
    ///
    /// ```json,flags
    /// [{ "kind": "envNotIgnored", "dir": "serverless", "functions": true }]
    /// ```
    ///
    /// ```json,clean
    /// [{ "kind": "stagedFile", "path": ".env" }]
    /// ```
    pub struct EnvFileNotIgnored {
        id: ID,
        severity: Warning,
        kind: Repository,
        shape: None,
    }
}

impl super::Rule for EnvFileNotIgnored {
    fn meta(&self) -> &'static super::RuleMeta {
        &Self::META
    }

    fn check_fact(&self, fact: &Fact) -> Vec<FactFinding> {
        match fact {
            Fact::EnvNotIgnored { dir, functions } => vec![finding(dir, *functions)],
            _ => Vec::new(),
        }
    }
}
