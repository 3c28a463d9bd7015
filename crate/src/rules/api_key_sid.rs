use super::declare_rule;
use super::shapes::{is_hex, is_placeholder, Part, Shape};

declare_rule! {
    /// A Twilio API key SID (`SK` followed by 32 hex digits) in plugin code.
    ///
    /// ## What it flags
    /// String literals (folded), template literals and comments that contain an API key SID. It is
    /// a warning on its own and an error when the key's secret is in the same scope.
    /// Placeholders such as `SKXXXXXXXX…` are not findings.
    ///
    /// Only in code that ships to the browser (plugin code, public Serverless assets): elsewhere
    /// a key SID is an identifier, and its secret is reported on its own.
    ///
    /// ## Why it matters in a Flex plugin
    /// The SID names the key; with its secret it is a full credential for the account's REST API.
    /// A SID in a plugin bundle almost always means the secret is shipped next to it, to every
    /// agent's browser.
    ///
    /// ## How to fix
    /// Keep API keys in a Twilio Function's environment and use them there (or use
    /// `context.getTwilioClient()`); the plugin calls the Function. If the secret shipped too,
    /// revoke the key.
    ///
    /// ```js,flags
    /// const apiKey = "SK{hex32}";
    /// ```
    ///
    /// ```js,clean
    /// const apiKey = "SKXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX";
    /// ```
    pub struct ApiKeySid {
        id: "api-key-sid",
        severity: Warning,
        kind: Credential,
        shape: Some(&SHAPE),
        runtimes: &[crate::Runtime::Plugin, crate::Runtime::Asset],
        error_when_paired_with: &["api-key-secret"],
    }
}

pub static SHAPE: Shape = Shape {
    pattern: r"(?-u:\b)SK[0-9a-fA-F]{32}(?-u:\b)",
    parts: &[
        Part::Boundary,
        Part::Literal("SK"),
        Part::Run(is_hex, 32, 32),
        Part::Boundary,
    ],
    is_credential: |sid| !is_placeholder(&sid[2..]),
    examples: &["SK{hex32}", "apiKey=SK{hex32}&x=1"],
    negative_examples: &[
        (
            "SKXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
            "documentation placeholder",
        ),
        ("SK00000000000000000000000000000000", "all-zero filler"),
        ("SK{hex31}", "one digit short"),
        ("ASK{hex32}", "inside a longer word"),
        ("WS{hex32}", "a TaskRouter workspace SID: not a credential"),
    ],
};

impl super::Rule for ApiKeySid {
    fn meta(&self) -> &'static super::RuleMeta {
        &Self::META
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_flags, lint, snapshot};
    use crate::Severity;

    const FLAGS: &[&str] = &[
        r#"const apiKey = "SK{hex32}";"#,
        "// key SK{hex32}",
        r#"const k = "SK" + "{hex32}";"#,
        r#"const k = ["SK", "{hex16}", "{hex16}"].join("");"#,
        r#"const k = { sid: "SK{hex32}", secret: "{alnum32}" };"#,
    ];

    const CLEAN: &[&str] = &[
        r#"const apiKey = "SKXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX";"#,
        r#"const apiKey = process.env.TWILIO_API_KEY;"#,
        r#"const workspace = "WS{hex32}";"#,
    ];

    #[test]
    fn flags() {
        assert_flags("api-key-sid", FLAGS);
    }

    #[test]
    fn clean() {
        assert_clean("api-key-sid", CLEAN);
    }

    #[test]
    fn error_only_when_paired_with_its_secret() {
        let severity = |src| {
            lint(src)
                .into_iter()
                .find(|f| f.rule_id == "api-key-sid")
                .map(|f| f.severity)
        };
        assert_eq!(severity(FLAGS[0]), Some(Severity::Warning));
        assert_eq!(severity(FLAGS[4]), Some(Severity::Error));
    }

    #[test]
    fn snapshot_findings() {
        insta::assert_snapshot!(snapshot("api-key-sid", FLAGS));
    }
}
