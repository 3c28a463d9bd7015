use super::declare_rule;
use crate::facts::{defined_env_line, Fact, FactFinding, DEFINED_ENV_FILE};

declare_rule! {
    /// A `process.env` key whose name marks a credential, defined for the plugin bundle by the build.
    ///
    /// ## What it flags
    /// A key that the build's DefinePlugin defines on `process.env` (every `FLEX_APP_*` variable
    /// of the build shell, CI and `.env` files, in a Flex build) when a word of its name says it
    /// holds a credential: `TOKEN`, `SECRET`, `PASSWORD`, `PASSWD`, `PWD`, `KEY`, `APIKEY`,
    /// `AUTH`, `PRIVATE`, `CREDENTIAL(S)`. Keys with an empty value are not flagged. The webpack
    /// plugin reports it in the pseudo-file `<DefinePlugin process.env>`, one line per key; the
    /// values themselves are also scanned for credentials, like code.
    ///
    /// ## Why it matters in a Flex plugin
    /// Flex defines all of these for the bundle. The code inlines the ones it reads, and webpack
    /// inlines the whole `process.env` object as soon as the code reads a key that is not
    /// defined: the value is then in the bundle that every agent's browser downloads, whether or
    /// not this build happens to contain it today.
    ///
    /// ## How to fix
    /// Keep the credential in a Twilio Function's environment (read it from `context`), call the
    /// Function from the plugin with the Flex user token, and unset the variable wherever the
    /// plugin is built. Rotate it if a bundle was ever deployed with it.
    ///
    /// ```json,flags
    /// [{ "kind": "definedEnv", "entries": [{ "name": "FLEX_APP_TWILIO_AUTH_TOKEN", "value": "set-in-ci" }] }]
    /// ```
    ///
    /// ```json,clean
    /// [{ "kind": "definedEnv", "entries": [{ "name": "FLEX_APP_SERVERLESS_DOMAIN", "value": "example.invalid" }, { "name": "FLEX_APP_API_KEY", "value": "" }] }]
    /// ```
    pub struct FlexEnvCredential {
        id: "flex-env-credential",
        severity: Error,
        kind: Build,
        shape: None,
    }
}

/// Words of a key name that mark a credential.
const CREDENTIAL_WORDS: &[&str] = &[
    "TOKEN",
    "SECRET",
    "PASSWORD",
    "PASSWD",
    "PWD",
    "KEY",
    "APIKEY",
    "AUTH",
    "PRIVATE",
    "CREDENTIAL",
    "CREDENTIALS",
];

/// `FLEX_APP_TWILIO_AUTH_TOKEN` → true, `FLEX_APP_SERVERLESS_DOMAIN` → false.
fn names_a_credential(name: &str) -> bool {
    name.split('_')
        .any(|word| CREDENTIAL_WORDS.contains(&word.to_ascii_uppercase().as_str()))
}

impl super::Rule for FlexEnvCredential {
    fn meta(&self) -> &'static super::RuleMeta {
        &Self::META
    }

    fn check_fact(&self, fact: &Fact) -> Vec<FactFinding> {
        let Fact::DefinedEnv { entries } = fact else {
            return Vec::new();
        };
        entries
            .iter()
            .enumerate()
            .filter(|(_, entry)| !entry.value.is_empty() && names_a_credential(&entry.name))
            .map(|(index, entry)| FactFinding {
                file: DEFINED_ENV_FILE.into(),
                line: index as u32 + 1,
                end_column: defined_env_line(entry).encode_utf16().count() as u32 + 1,
                message: format!("process.env.{} is inlined into the public bundle by DefinePlugin, and its name marks a credential", entry.name),
                help: "Flex defines every FLEX_APP_* variable of the build shell, CI and .env files for the bundle: the code inlines the ones it reads, and all of them once it reads a key that is not set. Keep the credential in a Twilio Function's environment and unset it where the plugin is built.".into(),
                // Never the value: only how long it is.
                excerpt: format!("process.env.{} = <{} characters, not shown>", entry.name, entry.value.encode_utf16().count()),
                value: entry.name.clone(),
                legacy_fingerprint: None,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::names_a_credential;

    #[test]
    fn names_are_judged_by_their_words() {
        for name in [
            "FLEX_APP_TWILIO_AUTH_TOKEN",
            "FLEX_APP_API_KEY",
            "REACT_APP_apikey",
            "FLEX_APP_DB_PWD",
            "FLEX_APP_PRIVATE",
        ] {
            assert!(names_a_credential(name), "{name}");
        }
        for name in [
            "FLEX_APP_SERVERLESS_DOMAIN",
            "FLEX_APP_KEYBOARD_LAYOUT",
            "FLEX_APP_TOKENIZER_URL",
            "NODE_ENV",
        ] {
            assert!(!names_a_credential(name), "{name}");
        }
    }
}
