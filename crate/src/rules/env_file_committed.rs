use super::declare_rule;

declare_rule! {
    /// A `.env` file (`.env`, `.env.local`, `.env.production`, …) staged for commit.
    ///
    /// ## What it flags
    /// A staged file named `.env` or `.env.<anything>`, in any directory. Templates named
    /// `.env.example` or `.env.sample` are not findings: they are meant to be committed, and
    /// their values are scanned for real-looking credentials instead. This is a repository rule:
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
    pub struct EnvFileCommitted {
        id: "env-file-committed",
        severity: Error,
        kind: Repository,
        shape: None,
    }
}

impl super::Rule for EnvFileCommitted {
    fn meta(&self) -> &'static super::RuleMeta {
        &Self::META
    }
}
