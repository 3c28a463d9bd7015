use super::declare_rule;
use super::shapes::{is_hex, is_placeholder, Part, Shape};

declare_rule! {
    /// A Twilio Account SID (`AC` followed by 32 hex digits) in plugin code.
    ///
    /// ## What it flags
    /// String literals, template literals and comments that contain an Account SID. Documentation
    /// placeholders such as `ACXXXXXXXX…` or all-zero values are not findings. A warning on its
    /// own; an error when an auth token or API key secret is in the same scope. Only in code that
    /// ships to the browser (plugin code, public Serverless assets): in a Function, a test or a
    /// script a SID is an identifier, and the secrets beside it are reported on their own.
    ///
    /// ## Why it matters in a Flex plugin
    /// Everything in a plugin bundle is served to every agent's browser. A SID alone is not a
    /// secret, but it is half of every credential pair and it is almost always next to the other
    /// half; it also tells an attacker which account to target.
    ///
    /// ## How to fix
    /// Keep account identifiers and credentials in a Twilio Function's environment and read them
    /// with `context.ACCOUNT_SID` or `context.getTwilioClient()`; let the plugin call the Function.
    ///
    /// ```js,flags
    /// const accountSid = "AC{hex32}";
    /// ```
    ///
    /// ```js,clean
    /// const accountSid = "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX";
    /// ```
    pub struct AccountSid {
        id: "account-sid",
        severity: Warning,
        kind: Credential,
        shape: Some(&SHAPE),
        runtimes: &[crate::Runtime::Plugin, crate::Runtime::Asset],
        error_when_paired_with: &["api-key-secret", "auth-token"],
    }
}

pub static SHAPE: Shape = Shape {
    pattern: r"(?-u:\b)AC[0-9a-fA-F]{32}(?-u:\b)",
    parts: &[
        Part::Boundary,
        Part::Literal("AC"),
        Part::Run(is_hex, 32, 32),
        Part::Boundary,
    ],
    is_credential: |sid| !is_placeholder(&sid[2..]),
    examples: &[
        "AC{hex32}",
        "https://api.twilio.com/2010-04-01/Accounts/AC{hex32}/Calls.json",
    ],
    negative_examples: &[
        (
            "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
            "documentation placeholder",
        ),
        ("AC00000000000000000000000000000000", "all-zero filler"),
        ("AC{hex31}", "one digit short"),
        ("AC{hex33}", "one digit long: part of a longer hash"),
        ("XAC{hex32}", "inside a longer word"),
    ],
};

impl super::Rule for AccountSid {
    fn meta(&self) -> &'static super::RuleMeta {
        &Self::META
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_flags, snapshot};

    const FLAGS: &[&str] = &[
        r#"const sid = "AC{hex32}";"#,
        "const sid = `AC{hex32}`;",
        "// account AC{hex32}\nlet x = 1;",
        "/* AC{hex32} */",
        r#"const url = "https://api.twilio.com/2010-04-01/Accounts/AC{hex32}/Calls.json";"#,
        r#"const c = { sid: 'AC{hex32}' };"#,
        r#"const sid = "AC{hex16}" + "{hex16}";"#,
        r#"const el = <Config sid="AC{hex32}" />;"#,
        "const sid = 'AC{hex32}'; const url = `/Accounts/${sid}/Calls.json`; fetch(base + sid);",
        "const P = 'AC{hex16}', Q = '{hex16}'; const a = P + Q; const b = `${P}${Q}`; use(a, P + Q);",
    ];

    const CLEAN: &[&str] = &[
        r#"const sid = "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX";"#,
        r#"const sid = "AC00000000000000000000000000000000";"#,
        r#"const sid = "AC0123456789abcdef0123456789abcdef";"#,
        r#"const hash = "{hex40}";"#,
        r#"const sid = process.env.FLEX_APP_ACCOUNT_SID;"#,
    ];

    #[test]
    fn flags() {
        assert_flags("account-sid", FLAGS);
    }

    #[test]
    fn clean() {
        assert_clean("account-sid", CLEAN);
    }

    fn severity(source: &str, options: &crate::Options) -> Vec<crate::Severity> {
        crate::scan(&crate::testgen::fill(source, 1), options)
            .findings
            .into_iter()
            .filter(|f| f.rule_id == "account-sid")
            .map(|f| f.severity)
            .collect()
    }

    #[test]
    fn error_when_its_secret_is_in_a_visible_scope() {
        use crate::{Options, RuleSetting, Severity};
        let default = Options::default();
        let cases = [
            (r#"const sid = "AC{hex32}";"#, Severity::Warning),
            (
                r#"const sid = "AC{hex32}"; const authToken = "{hex32}";"#,
                Severity::Error,
            ),
            (
                r#"const sid = "AC{hex32}"; function f() { return twilio(sid, "{hex32}"); }"#,
                Severity::Error,
            ),
            (
                r#"const c = twilio("SK{hex32}", "{alnum32}", { accountSid: "AC{hex32}" });"#,
                Severity::Error,
            ),
            (
                r#"function a() { return "AC{hex32}"; } function b() { const authToken = "{hex32}"; }"#,
                Severity::Warning,
            ),
        ];
        for (source, expected) in cases {
            assert_eq!(severity(source, &default), vec![expected], "{source}");
        }
        // A level the user chose is kept.
        let mut options = Options::default();
        options
            .rules
            .insert("account-sid".into(), RuleSetting::Info);
        assert_eq!(severity(cases[1].0, &options), vec![Severity::Info]);
    }

    #[test]
    fn snapshot_findings() {
        insta::assert_snapshot!(snapshot("account-sid", FLAGS));
    }
}
