use super::declare_rule;

declare_rule! {
    /// A Flex plugin repository whose `.gitignore` does not ignore `.env`.
    ///
    /// ## What it flags
    /// A repository (or package directory) whose `package.json` depends on `@twilio/flex-plugin`
    /// or `@twilio/flex-plugin-scripts`, where `git check-ignore` says a `.env` file next to that
    /// `package.json` would not be ignored. Personal global ignore files do not count: they do not
    /// protect your teammates. This is a repository rule: `flexguard --staged` reports it from git.
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
    pub struct EnvFileNotIgnored {
        id: "env-file-not-ignored",
        severity: Warning,
        kind: Repository,
        shape: None,
    }
}

impl super::Rule for EnvFileNotIgnored {
    fn meta(&self) -> &'static super::RuleMeta {
        &Self::META
    }
}
