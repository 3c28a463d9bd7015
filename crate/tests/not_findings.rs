//! Values that look like credentials but are not: each case must yield no credential finding.
//! Sources are templates filled by `testgen::fill`.

use flexguard::rules::{self, RuleKind};
use flexguard::testgen::fill;
use flexguard::{scan, Options};

const NOT_FINDINGS: &[(&str, &str)] = &[
    // Hashes.
    (r#"const md5 = "{hex32}";"#, "MD5 hash"),
    (
        r#"const etag = { md5: "{hex32}", size: 12 };"#,
        "MD5 in an object without a SID",
    ),
    (r#"const sha1 = "{hex40}";"#, "SHA-1 hash"),
    (r#"const sha256 = "{hex64}";"#, "SHA-256 hash"),
    (
        r#"const build = { commit: "{hex40}", short: "{hex7}" };"#,
        "git hashes",
    ),
    // UUIDs.
    (
        r#"const id = "{hex8}-{hex4}-4{hex3}-a{hex3}-{hex12}";"#,
        "UUID v4",
    ),
    (
        r#"const ids = ["{hex8}{hex4}4{hex3}a{hex3}{hex12}"];"#,
        "UUID without dashes",
    ),
    // Webpack and bundler content hashes.
    (
        r#"__webpack_require__.h = () => "{hex20}";"#,
        "webpack full hash",
    ),
    (
        r#"const chunks = {1: "{hex20}", 2: "{hex20}"};"#,
        "webpack chunk hashes",
    ),
    (
        r#"import("./main.{hex32}.chunk.js");"#,
        "32-hex contenthash in a file name",
    ),
    (
        r#"const url = "static/js/main.{hex8}.js";"#,
        "short content hash",
    ),
    // Subresource integrity.
    (
        r#"const s = '<script integrity="sha512-{alnum86}==" src="x.js">';"#,
        "SRI sha512",
    ),
    (r#"link.integrity = "sha384-{alnum64}";"#, "SRI sha384"),
    // SendGrid dynamic template ids.
    (r#"const templateId = "d-{hex32}";"#, "SendGrid template id"),
    (
        r#"sgMail.send({ templateId: "d-{hex32}", to });"#,
        "template id in a send call",
    ),
    // Documentation placeholders.
    (
        r#"const accountSid = "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX";"#,
        "SID placeholder",
    ),
    (
        r#"const accountSid = "ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";"#,
        "lowercase placeholder",
    ),
    (
        r#"const authToken = "your_auth_token";"#,
        "named placeholder",
    ),
    (
        r#"const authToken = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";"#,
        "x placeholder",
    ),
    (
        r#"const authToken = "00000000000000000000000000000000";"#,
        "all-zero",
    ),
    (
        r#"const authToken = "12345678901234567890123456789012";"#,
        "repeating digits",
    ),
    (
        r#"const sid = "AC0123456789abcdef0123456789abcdef";"#,
        "repeating SID",
    ),
    (
        r#"const apiKey = "SKabcdabcdabcdabcdabcdabcdabcdabcd";"#,
        "repeating key SID",
    ),
    (
        r#"const client = twilio("ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", "your_auth_token");"#,
        "docs snippet",
    ),
    // Identifiers of non-secret Twilio resources.
    (
        r#"const workspaceSid = "WS{hex32}";"#,
        "TaskRouter workspace",
    ),
    (r#"const workflowSid = "WW{hex32}";"#, "TaskRouter workflow"),
    (r#"const activitySid = "WA{hex32}";"#, "TaskRouter activity"),
    (r#"const queueSid = "WQ{hex32}";"#, "TaskRouter queue"),
    (r#"const taskSid = "WT{hex32}";"#, "TaskRouter task"),
    (
        r#"const serviceSid = "IS{hex32}";"#,
        "Sync/Conversations service",
    ),
    (r#"const conversationSid = "CH{hex32}";"#, "conversation"),
    (r#"const flowSid = "FO{hex32}";"#, "Flex flow"),
    (
        r#"const messagingServiceSid = "MG{hex32}";"#,
        "messaging service",
    ),
    (r#"const callSid = "CA{hex32}";"#, "call"),
    (r#"const workerSid = "WK{hex32}";"#, "worker"),
    (r#"const numberSid = "PN{hex32}";"#, "phone number"),
    // 32 hex or 32 alphanumerics without credential context.
    (r#"const value = "{hex32}";"#, "bare 32 hex"),
    (
        r#"track("{hex32}", { plan: "pro" });"#,
        "32 hex as an argument",
    ),
    (
        r#"const csrfToken = "{hex32}";"#,
        "a token name, but no Account SID in scope",
    ),
    (
        r#"const password = "{alnum32}";"#,
        "a password name, but no API key SID in scope",
    ),
    (r#"const nonce = "{alnum32}";"#, "bare 32 alphanumerics"),
    (
        r#"const t = manager.user.token; const sid = process.env.ACCOUNT_SID;"#,
        "runtime values",
    ),
    (
        r#"// see https://www.twilio.com/docs/iam/api-keys"#,
        "documentation link",
    ),
    (
        r#"const jwt = [btoa('{"alg":"HS256","typ":"JWT"}'), btoa('{"sub":"1234567890"}'), "{b64url43}"].join(".");"#,
        "a JWT that is not Twilio's (built by folding, never stored encoded)",
    ),
];

#[test]
fn look_alikes_are_not_findings() {
    let mut failures = Vec::new();
    for (i, (template, why)) in NOT_FINDINGS.iter().enumerate() {
        let source = fill(template, i as u64 + 1);
        let report = scan(
            &source,
            &Options {
                filename: Some("plugin.js".into()),
                ..Default::default()
            },
        );
        for f in report.findings {
            if rules::find(&f.rule_id).map(|r| r.meta().kind) == Some(RuleKind::Credential) {
                failures.push(format!(
                    "{why}: {} {} | {}",
                    f.rule_id, f.message, f.excerpt
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
