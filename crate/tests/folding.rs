//! Every folding form × every credential kind it applies to: each assembled value is found
//! exactly once, by the right rule. Values are generated at test time (`testgen`), JWTs are
//! encoded here; nothing credential-shaped is stored in the repository.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use flexguard::testgen::fill;
use flexguard::{scan, Options};

/// A credential kind: rule id, a generated value, and a statement that gives it its meaning,
/// with `$E` where the expression goes.
struct Kind {
    rule: &'static str,
    value: String,
    context: &'static str,
}

fn jwt() -> String {
    let header = r#"{"alg":"HS256","typ":"JWT","cty":"twilio-fpa;v=1"}"#;
    let payload = fill(
        r#"{"iss":"SK{hex32}","sub":"AC{hex32}","exp":1600000000,"grants":{"identity":"a","chat":{}}}"#,
        3,
    );
    format!(
        "{}.{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(payload),
        fill("{b64url43}", 4)
    )
}

fn kinds() -> Vec<Kind> {
    vec![
        Kind {
            rule: "account-sid",
            value: fill("AC{hex32}", 1),
            context: "const sid = $E;",
        },
        Kind {
            rule: "api-key-sid",
            value: fill("SK{hex32}", 1),
            context: "const key = $E;",
        },
        Kind {
            rule: "auth-token",
            value: fill("{hex32}", 2),
            context: "const authToken = $E;",
        },
        Kind {
            rule: "auth-token",
            value: fill("{hex32}", 2),
            context: "const client = twilio(process.env.SID, $E);",
        },
        Kind {
            rule: "api-key-secret",
            value: fill("{alnum32}", 2),
            context: "const apiKeySecret = $E;",
        },
        Kind {
            rule: "api-key-secret",
            value: fill("{alnum32}", 2),
            context: "const client = twilio(KEY, $E, { accountSid });",
        },
        Kind {
            rule: "sendgrid-key",
            value: fill("SG.{b64url22}.{b64url43}", 5),
            context: "sgMail.setApiKey($E);",
        },
        Kind {
            rule: "access-token-jwt",
            value: jwt(),
            context: "const token = $E;",
        },
    ]
}

fn quote(s: &str) -> String {
    format!("{s:?}")
}

/// A folding form: the expression (plus statements before it) that evaluates to `v`,
/// or `None` where the form does not apply to the value.
type Form = (&'static str, fn(&str) -> Option<(String, String)>);

fn expr(e: String) -> Option<(String, String)> {
    Some((String::new(), e))
}

const FORMS: &[Form] = &[
    ("escapes", |v| {
        let b = v.as_bytes();
        expr(format!(
            "\"\\x{:02x}\\u{:04x}\\u{{{:x}}}{}\"",
            b[0],
            b[1],
            b[2],
            &v[3..]
        ))
    }),
    ("template escapes", |v| {
        expr(format!("`\\x{:02x}{}`", v.as_bytes()[0], &v[1..]))
    }),
    ("plus", |v| {
        expr(format!("{} + {}", quote(&v[..9]), quote(&v[9..])))
    }),
    ("concat()", |v| {
        expr(format!(
            "{}.concat({}, {})",
            quote(&v[..5]),
            quote(&v[5..11]),
            quote(&v[11..])
        ))
    }),
    ("template", |v| {
        expr(format!(
            "`{}${{{}}}{}`",
            &v[..4],
            quote(&v[4..10]),
            &v[10..]
        ))
    }),
    ("const chain", |v| {
        Some((
            format!(
                "const P1 = {}; const P2 = P1; const P3 = `${{P2}}{}`;\n",
                quote(&v[..10]),
                &v[10..]
            ),
            "P3".into(),
        ))
    }),
    ("join('')", |v| {
        let parts: Vec<String> = v
            .as_bytes()
            .chunks(7)
            .map(|c| quote(std::str::from_utf8(c).unwrap()))
            .collect();
        expr(format!("[{}].join('')", parts.join(", ")))
    }),
    ("join(sep)", |v| {
        let sep = [".", ":"].into_iter().find(|s| v.contains(s))?;
        let parts: Vec<String> = v.split(sep).map(quote).collect();
        expr(format!("[{}].join({})", parts.join(", "), quote(sep)))
    }),
    ("split/reverse/join", |v| {
        let reversed: String = v.chars().rev().collect();
        expr(format!("{}.split('').reverse().join('')", quote(&reversed)))
    }),
    ("String.fromCharCode", |v| {
        let codes: Vec<String> = v.chars().map(|c| (c as u32).to_string()).collect();
        expr(format!("String.fromCharCode({})", codes.join(", ")))
    }),
    ("atob", |v| {
        expr(format!("atob({})", quote(&STANDARD.encode(v))))
    }),
    ("Buffer base64", |v| {
        expr(format!(
            "Buffer.from({}, 'base64').toString()",
            quote(&STANDARD.encode(v))
        ))
    }),
    ("Buffer base64 utf8", |v| {
        expr(format!(
            "Buffer.from({}, \"base64\").toString('utf8')",
            quote(&STANDARD.encode(v))
        ))
    }),
    ("decodeURIComponent", |v| {
        let encoded: String = v.bytes().map(|b| format!("%{b:02X}")).collect();
        expr(format!("decodeURIComponent({})", quote(&encoded)))
    }),
    ("env || literal", |v| {
        expr(format!("process.env.FLEX_APP_VALUE || {}", quote(v)))
    }),
    ("env ?? literal", |v| {
        expr(format!("process.env.FLEX_APP_VALUE ?? {}", quote(v)))
    }),
];

#[test]
fn every_folding_form_finds_every_kind_once() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for kind in kinds() {
        for (form, build) in FORMS {
            let Some((before, e)) = build(&kind.value) else {
                continue;
            };
            let prelude = if kind.context.contains("KEY") {
                format!("const KEY = \"{}\";\n", fill("SK{hex32}", 9))
            } else {
                String::new()
            };
            let source = format!("{prelude}{before}{}\n", kind.context.replace("$E", &e));
            let report = scan(
                &source,
                &Options {
                    filename: Some("plugin.js".into()),
                    ..Default::default()
                },
            );
            let found = report
                .findings
                .iter()
                .filter(|f| f.rule_id == kind.rule)
                .count();
            checked += 1;
            if found != 1 {
                failures.push(format!(
                    "{} via {form}: {found} findings in\n{source}",
                    kind.rule
                ));
            }
            for f in &report.findings {
                assert!(
                    !f.message.contains(&kind.value) && !f.excerpt.contains(&kind.value),
                    "secret leaked in {f:?}"
                );
            }
        }
    }
    assert!(checked > 100, "only {checked} cases");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
