use super::declare_rule;
use super::shapes::{is_placeholder, Part, Shape};

declare_rule! {
    /// A SendGrid API key (`SG.` + 22 + `.` + 43 key characters) in plugin code.
    ///
    /// ## What it flags
    /// String literals (folded), template literals and comments that contain a SendGrid API key.
    /// Dynamic template ids (`d-…`) and placeholders are not findings.
    ///
    /// ## Why it matters in a Flex plugin
    /// SendGrid is part of Twilio; a key sends mail as the account (phishing from a trusted
    /// domain) and can read contacts and stats. A plugin bundle is served to every agent's browser.
    ///
    /// ## How to fix
    /// Delete the key in the SendGrid console and create a new one. Send mail from a Twilio
    /// Function that reads the key from its environment (`context.SENDGRID_API_KEY`); the plugin
    /// calls the Function.
    ///
    /// ```js,flags
    /// const key = "SG.{b64url22}.{b64url43}";
    /// ```
    ///
    /// ```js,clean
    /// const templateId = "d-{hex32}";
    /// ```
    pub struct SendgridKey {
        id: "sendgrid-key",
        severity: Error,
        kind: Credential,
        shape: Some(&SHAPE),
    }
}

pub static SHAPE: Shape = Shape {
    // The last part is matched greedily and then required to be exactly 43 long, so a longer run
    // of key characters (which `\b` cannot bound, `-` being a non-word character) is rejected.
    pattern: r"(?-u:\b)SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43,}",
    parts: &[
        Part::Boundary,
        Part::Literal("SG."),
        Part::Run(is_key_char, 22, 22),
        Part::Literal("."),
        Part::Run(is_key_char, 43, usize::MAX),
    ],
    is_credential: |key| key.len() == 69 && !is_placeholder(&key[3..]),
    examples: &[
        "SG.{b64url22}.{b64url43}",
        "apiKey: 'SG.{alnum22}.{alnum43}'",
    ],
    negative_examples: &[
        ("SG.{b64url22}.{b64url42}", "one character short"),
        ("SG.{b64url22}.{b64url44}", "one character long"),
        (
            "SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "placeholder",
        ),
        ("d-{hex32}", "a dynamic template id"),
        ("XSG.{b64url22}.{b64url43}", "inside a longer word"),
    ],
};

fn is_key_char(b: &u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-')
}

impl super::Rule for SendgridKey {
    fn meta(&self) -> &'static super::RuleMeta {
        &Self::META
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_flags, snapshot};

    const FLAGS: &[&str] = &[
        r#"const key = "SG.{b64url22}.{b64url43}";"#,
        "headers.Authorization = `Bearer SG.{b64url22}.{b64url43}`;",
        "// SENDGRID_API_KEY=SG.{b64url22}.{b64url43}",
        r#"const key = "SG." + "{b64url22}" + "." + "{b64url43}";"#,
    ];

    const CLEAN: &[&str] = &[
        r#"const templateId = "d-{hex32}";"#,
        r#"const key = process.env.SENDGRID_API_KEY;"#,
        r#"const key = "SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";"#,
        r#"const v = "SG.{b64url22}.{b64url43}{b64url4}";"#,
    ];

    #[test]
    fn flags() {
        assert_flags("sendgrid-key", FLAGS);
    }

    #[test]
    fn clean() {
        assert_clean("sendgrid-key", CLEAN);
    }

    #[test]
    fn snapshot_findings() {
        insta::assert_snapshot!(snapshot("sendgrid-key", FLAGS));
    }
}
