use super::declare_rule;
use super::shapes::{Part, Shape};
use crate::redact::redact;

declare_rule! {
    /// A Twilio access token (a JWT whose header has `cty: "twilio-fpa;v=1"`) in plugin code.
    ///
    /// ## What it flags
    /// String literals (folded), template literals and comments that contain a JSON Web Token
    /// whose header declares Twilio's content type. The token is decoded: the message names the
    /// API key that signed it (`iss`, redacted), the account (`sub`, redacted), the grants (names
    /// only) and whether it has expired. Other JWTs are not findings.
    ///
    /// ## Why it matters in a Flex plugin
    /// An access token lets anyone who holds it act as its identity on Voice, Conversations, Sync,
    /// Video or TaskRouter until it expires. A token baked into a bundle is shared by every agent
    /// and every visitor, and long-lived ones are common. Its presence also suggests the API key
    /// secret that signed it is somewhere in the build.
    ///
    /// ## How to fix
    /// Mint tokens at run time in a Twilio Function (it reads the API key from its environment,
    /// or uses `context.getTwilioClient()`), validate the Flex user token there, and return a
    /// short-lived token to the plugin. If the token was long-lived, revoke the API key that signed
    /// it; prefer API keys over the auth token for signing.
    ///
    /// ```js,flags
    /// const token = [
    ///   btoa('{"alg":"HS256","typ":"JWT","cty":"twilio-fpa;v=1"}'),
    ///   btoa('{"iss":"SK{hex32}","sub":"AC{hex32}","exp":4102444800,"grants":{"identity":"alice","voice":{}}}'),
    ///   "{b64url43}",
    /// ].join(".");
    /// ```
    ///
    /// ```js,clean
    /// const token = [
    ///   btoa('{"alg":"HS256","typ":"JWT"}'),
    ///   btoa('{"sub":"1234567890","name":"Jane"}'),
    ///   "{b64url43}",
    /// ].join(".");
    /// ```
    pub struct AccessTokenJwt {
        id: "access-token-jwt",
        severity: Error,
        kind: Credential,
        shape: Some(&SHAPE),
    }
}

/// Header, payload and signature; `+`, `/` and `=` are accepted too, as hand-built tokens
/// (`btoa`) carry them. No `examples` here: an encoded token cannot be a hole template, so the
/// positive and negative examples are built at test time (see the tests below and the docs).
pub static SHAPE: Shape = Shape {
    pattern: r"(?-u:\b)eyJ[A-Za-z0-9_+/-]{8,}={0,2}\.eyJ[A-Za-z0-9_+/-]{8,}={0,2}\.[A-Za-z0-9_+/-]{16,}={0,2}",
    parts: &[
        Part::Boundary,
        Part::Literal("eyJ"),
        Part::Run(is_token_char, 8, usize::MAX),
        Part::Run(is_padding, 0, 2),
        Part::Literal(".eyJ"),
        Part::Run(is_token_char, 8, usize::MAX),
        Part::Run(is_padding, 0, 2),
        Part::Literal("."),
        Part::Run(is_token_char, 16, usize::MAX),
        Part::Run(is_padding, 0, 2),
    ],
    is_credential: is_twilio_token,
    examples: &[],
    negative_examples: &[],
};

fn is_token_char(b: &u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'+' | b'/' | b'-')
}

fn is_padding(b: &u8) -> bool {
    *b == b'='
}

fn part(token: &str, index: usize) -> Option<serde_json::Value> {
    let segment = token.split('.').nth(index)?;
    let bytes = crate::fold::base64_decode(segment)?;
    serde_json::from_slice(&bytes).ok()
}

fn is_twilio_token(token: &str) -> bool {
    part(token, 0)
        .and_then(|header| header.get("cty")?.as_str().map(|c| c == "twilio-fpa;v=1"))
        .unwrap_or(false)
}

/// Seconds since the epoch, when the platform has a clock.
fn now() -> Option<i64> {
    #[cfg(target_arch = "wasm32")]
    {
        Some((js_sys::Date::now() / 1000.0) as i64)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .ok()
            .map(|d| d.as_secs() as i64)
    }
}

/// `YYYY-MM-DD HH:MM UTC` for a Unix time (civil-from-days, proleptic Gregorian).
pub fn utc(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let secs = seconds.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        secs / 3600,
        secs % 3600 / 60
    )
}

/// The message: who signed it, for which account, what it grants, and when it expires.
pub fn describe(token: &str) -> String {
    let payload = part(token, 1).unwrap_or(serde_json::Value::Null);
    let field = |name: &str| payload.get(name).and_then(|v| v.as_str()).map(redact);
    let mut parts = Vec::new();
    if let Some(iss) = field("iss") {
        parts.push(format!("signed by API key {iss}"));
    }
    if let Some(sub) = field("sub") {
        parts.push(format!("for account {sub}"));
    }
    if let Some(grants) = payload.get("grants").and_then(|g| g.as_object()) {
        let names: Vec<&str> = grants.keys().map(String::as_str).take(12).collect();
        if !names.is_empty() {
            parts.push(format!("grants: {}", names.join(", ")));
        }
    }
    if let Some(exp) = payload
        .get("exp")
        .and_then(|e| e.as_i64())
        .filter(|e| (0..253_402_300_800).contains(e))
    {
        match now() {
            Some(now) if exp <= now => parts.push(format!("expired on {}", utc(exp))),
            _ => parts.push(format!("valid until {}", utc(exp))),
        }
    }
    let mut message = String::from("Twilio access token");
    if !parts.is_empty() {
        message.push_str(&format!(" ({})", parts.join("; ")));
    }
    message
}

impl super::Rule for AccessTokenJwt {
    fn meta(&self) -> &'static super::RuleMeta {
        &Self::META
    }

    fn describe_shape(&self, value: &str) -> Option<String> {
        Some(describe(value))
    }
}

#[cfg(test)]
mod tests {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine as _;

    use crate::rules::testing::{assert_clean, assert_flags, lint, snapshot};
    use crate::testgen::fill;

    const TWILIO_HEADER: &str = r#"{"alg":"HS256","typ":"JWT","cty":"twilio-fpa;v=1"}"#;

    /// A token built at test time: the repository never stores an encoded JWT.
    fn jwt(header: &str, payload: &str) -> String {
        let payload = fill(payload, 11);
        format!(
            "{}.{}.{}",
            URL_SAFE_NO_PAD.encode(header),
            URL_SAFE_NO_PAD.encode(payload),
            fill("{b64url43}", 12)
        )
    }

    fn twilio_token(exp: i64) -> String {
        jwt(
            TWILIO_HEADER,
            &format!(
                r#"{{"jti":"SK{{hex32}}-1","iss":"SK{{hex32}}","sub":"AC{{hex32}}","exp":{exp},"grants":{{"identity":"alice","voice":{{"incoming":{{"allow":true}}}},"chat":{{}}}}}}"#
            ),
        )
    }

    fn flags() -> Vec<String> {
        let expired = twilio_token(1_600_000_000);
        let valid = twilio_token(4_102_444_800);
        let (head, tail) = valid.split_at(40);
        vec![
            format!(r#"const token = "{expired}";"#),
            format!("const t = `{valid}`;"),
            format!("// token: {expired}"),
            format!(r#"const t = "{head}" + "{tail}";"#),
            format!(
                r#"const t = atob("{}");"#,
                base64::engine::general_purpose::STANDARD.encode(&valid)
            ),
            format!("headers.Authorization = 'Bearer {valid}';"),
        ]
    }

    #[test]
    fn flags_twilio_tokens() {
        let cases = flags();
        let cases: Vec<&str> = cases.iter().map(String::as_str).collect();
        assert_flags("access-token-jwt", &cases);
    }

    #[test]
    fn clean() {
        let other = jwt(r#"{"alg":"HS256","typ":"JWT"}"#, r#"{"sub":"1234567890"}"#);
        let wrong_cty = jwt(r#"{"alg":"HS256","cty":"JWT"}"#, r#"{"iss":"SK{hex32}"}"#);
        let cases = [
            format!(r#"const t = "{other}";"#),
            format!(r#"const t = "{wrong_cty}";"#),
            format!(r#"const t = "{}";"#, other.replace('.', "")),
            "const t = manager.user.token;".to_string(),
        ];
        let cases: Vec<&str> = cases.iter().map(String::as_str).collect();
        assert_clean("access-token-jwt", &cases);
    }

    #[test]
    fn message_names_iss_sub_grants_and_expiry_without_secrets() {
        let findings = lint(&format!(r#"const t = "{}";"#, twilio_token(1_600_000_000)));
        let message = &findings
            .iter()
            .find(|f| f.rule_id == "access-token-jwt")
            .expect("a finding")
            .message;
        assert!(message.contains("signed by API key SK"), "{message}");
        assert!(message.contains("for account AC"), "{message}");
        assert!(
            message.contains("grants: identity, voice, chat")
                || message.contains("grants: chat, identity, voice"),
            "{message}"
        );
        assert!(
            message.contains("expired on 2020-09-13 12:26 UTC"),
            "{message}"
        );
        assert!(!message.contains(&fill("{hex32}", 11)[..8]), "{message}");
        let valid = lint(&format!(r#"const t = "{}";"#, twilio_token(4_102_444_800)));
        assert!(valid[0]
            .message
            .contains("valid until 2100-01-01 00:00 UTC"));
    }

    #[test]
    fn utc_dates() {
        assert_eq!(super::utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(super::utc(951_782_400), "2000-02-29 00:00 UTC");
    }

    #[test]
    fn snapshot_findings() {
        let cases = flags();
        let cases: Vec<&str> = cases.iter().map(String::as_str).collect();
        insta::assert_snapshot!(snapshot("access-token-jwt", &cases));
    }
}
