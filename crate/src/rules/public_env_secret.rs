use swc_ecma_ast::{
    AssignExpr, AssignTarget, Expr, Lit, MemberExpr, MemberProp, ObjectPatProp, Pat, PropName,
    SimpleAssignTarget, VarDeclarator,
};

use super::declare_rule;
use crate::engine::Ctx;
use crate::finding::Span;
use crate::names;

declare_rule! {
    /// A credential read from a `FLEX_APP_*` or `REACT_APP_*` environment variable in plugin code.
    ///
    /// ## What it flags
    /// `process.env.FLEX_APP_…` / `process.env.REACT_APP_…` (also `process.env["…"]` and
    /// `const { FLEX_APP_… } = process.env`) when the variable's name says it holds a
    /// credential: `TOKEN`, `SECRET`, `PASSWORD`, `API_KEY`, `AUTH`, `PRIVATE`, `CREDENTIAL`, ….
    /// Names of non-secret settings (`FLEX_APP_FUNCTIONS_BASE_URL`, `FLEX_APP_ACCOUNT_SID`,
    /// `FLEX_APP_AUTH_URL`) are not flagged, nor keys that are made for the browser and
    /// restricted by referrer (`FLEX_APP_GOOGLE_MAPS_API_KEY`, `FLEX_APP_RECAPTCHA_SITE_KEY`,
    /// `FLEX_APP_STRIPE_PUBLISHABLE_KEY`). In a `.env` file, such a variable with a value
    /// (`FLEX_APP_AUTH_TOKEN=…`, not empty and not a placeholder) is flagged where it is
    /// defined, whatever the file's runtime or `firstParty` say: the bundle is what ships.
    ///
    /// ## Why it matters in a Flex plugin
    /// The Flex build inlines every `FLEX_APP_*` and `REACT_APP_*` variable into the plugin
    /// bundle, which every agent's browser downloads: the value is public as soon as the
    /// plugin is deployed, whatever `.env` file or CI secret it came from.
    ///
    /// ## How to fix
    /// Keep the credential in the Twilio Function's environment (read it from `context`), call
    /// that Function from the plugin with `Token: manager.user.token`, and rotate the value if
    /// a bundle with it was ever deployed.
    ///
    /// ```js,flags
    /// const authToken = process.env.FLEX_APP_AUTH_TOKEN;
    /// ```
    ///
    /// ```js,clean
    /// const baseUrl = process.env.FLEX_APP_FUNCTIONS_BASE_URL;
    /// ```
    pub struct PublicEnvSecret {
        id: "public-env-secret",
        severity: Error,
        kind: ApiCall,
        shape: None,
    }
}

fn finding(name: &str) -> (String, &'static str) {
    (
        format!("process.env.{name} looks like a credential, and the Flex build inlines it into the public plugin bundle"),
        "Keep the credential in a Twilio Function's environment (read it from `context`), call the Function with the Flex user token, and rotate the value if it was ever deployed.",
    )
}

/// Words of a variable name that say it holds a credential.
const SECRET_WORDS: &[&str] = &[
    "TOKEN",
    "AUTHTOKEN",
    "SECRET",
    "PASSWORD",
    "PASSWD",
    "PWD",
    "PASS",
    "AUTH",
    "PRIVATE",
    "CREDENTIAL",
    "CREDENTIALS",
    "APIKEY",
];
/// `…_KEY` is a credential after one of these words (`API_KEY`, `SECRET_KEY`).
const KEY_QUALIFIERS: &[&str] = &["API", "SECRET", "PRIVATE", "ACCESS", "SIGNING", "AUTH"];
/// Words naming keys that are made for the browser: maps, analytics and captcha site keys are
/// restricted by referrer, not kept secret, and their vendors tell you to ship them.
const BROWSER_KEY_WORDS: &[&str] = &[
    "MAPS",
    "MAPBOX",
    "PUBLISHABLE",
    "PUBLIC",
    "SITE",
    "RECAPTCHA",
    "FIREBASE",
    "SEGMENT",
    "SENTRY",
    "DSN",
    "ALGOLIA",
    "ANALYTICS",
    "GTM",
];

/// `FLEX_APP_AUTH_TOKEN` → true; `FLEX_APP_FUNCTIONS_BASE_URL` → false.
pub fn is_public_secret_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    let Some(prefix) = ["FLEX_APP_", "REACT_APP_"]
        .into_iter()
        .find(|prefix| upper.starts_with(prefix))
    else {
        return false;
    };
    let words = names::words(&name[prefix.len()..]);
    if names::names_a_setting(&words) {
        return false;
    }
    if words
        .iter()
        .any(|w| BROWSER_KEY_WORDS.contains(&w.as_str()))
    {
        return false;
    }
    words.iter().enumerate().any(|(i, word)| {
        SECRET_WORDS.contains(&word.as_str())
            || (word == "KEY" && i > 0 && KEY_QUALIFIERS.contains(&words[i - 1].as_str()))
    })
}

/// `process.env`.
fn is_process_env(expr: &Expr) -> bool {
    match expr {
        Expr::Member(m) => {
            matches!(&*m.obj, Expr::Ident(i) if i.sym == *"process")
                && matches!(&m.prop, MemberProp::Ident(p) if p.sym == *"env")
        }
        Expr::Paren(p) => is_process_env(&p.expr),
        _ => false,
    }
}

fn check_name(ctx: &mut Ctx, name: &str, span: Span) {
    if is_public_secret_name(name) {
        let (message, help) = finding(name);
        ctx.report(span, message, help, name, false);
    }
}

impl super::Rule for PublicEnvSecret {
    fn meta(&self) -> &'static super::RuleMeta {
        &Self::META
    }

    fn check_member(&self, ctx: &mut Ctx, member: &MemberExpr) {
        if !is_process_env(&member.obj) {
            return;
        }
        let name = match &member.prop {
            MemberProp::Ident(p) => p.sym.to_string(),
            MemberProp::Computed(c) => match &*c.expr {
                Expr::Lit(Lit::Str(s)) => s.value.to_string_lossy().into_owned(),
                _ => return,
            },
            MemberProp::PrivateName(_) => return,
        };
        let span = ctx.span(member.span);
        check_name(ctx, &name, span);
    }

    /// `process.env.FLEX_APP_AUTH_TOKEN = "…"` (how a `.env` line reads): the name says the
    /// value is a credential, however short, so excerpts never show it.
    fn check_assign(&self, ctx: &mut Ctx, assign: &AssignExpr) {
        let AssignTarget::Simple(SimpleAssignTarget::Member(member)) = &assign.left else {
            return;
        };
        let Expr::Lit(Lit::Str(value)) = &*assign.right else {
            return;
        };
        if !is_process_env(&member.obj) {
            return;
        }
        let name = match &member.prop {
            MemberProp::Ident(p) => p.sym.to_string(),
            MemberProp::Computed(c) => match &*c.expr {
                Expr::Lit(Lit::Str(s)) => s.value.to_string_lossy().into_owned(),
                _ => return,
            },
            MemberProp::PrivateName(_) => return,
        };
        let text = value.value.to_string_lossy();
        if text.is_empty() || !is_public_secret_name(&name) {
            return;
        }
        let mut span = ctx.span(value.span);
        let written = ctx.text(span);
        let quoted = written.len() >= 2
            && matches!(written.as_bytes()[0], b'"' | b'\'' | b'`')
            && written.as_bytes()[written.len() - 1] == written.as_bytes()[0];
        if quoted {
            span = Span {
                start: span.start + 1,
                end: span.end - 1,
            };
        }
        ctx.mask(span, &text);
    }

    fn check_var_declarator(&self, ctx: &mut Ctx, declarator: &VarDeclarator) {
        let (Pat::Object(pattern), Some(init)) = (&declarator.name, &declarator.init) else {
            return;
        };
        if !is_process_env(init) {
            return;
        }
        for prop in &pattern.props {
            let (name, span) = match prop {
                ObjectPatProp::Assign(a) => (a.key.sym.to_string(), a.span),
                ObjectPatProp::KeyValue(kv) => match &kv.key {
                    PropName::Ident(i) => (i.sym.to_string(), i.span),
                    PropName::Str(s) => (s.value.to_string_lossy().into_owned(), s.span),
                    _ => continue,
                },
                ObjectPatProp::Rest(_) => continue,
            };
            let span = ctx.span(span);
            check_name(ctx, &name, span);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_public_secret_name;
    use crate::rules::testing::{assert_clean, assert_flags, snapshot};

    const FLAGS: &[&str] = &[
        "const authToken = process.env.FLEX_APP_AUTH_TOKEN;",
        "const t = process.env.FLEX_APP_TWILIO_AUTH_TOKEN;",
        "const s = process.env.FLEX_APP_API_SECRET;",
        "const k = process.env.FLEX_APP_API_KEY;",
        "const k = process.env.REACT_APP_TWILIO_API_KEY_SECRET;",
        "const p = process.env.REACT_APP_ADMIN_PASSWORD;",
        "const p = process.env.FLEX_APP_PRIVATE_KEY;",
        "const c = process.env.FLEX_APP_SERVICE_CREDENTIALS;",
        "const t = process.env['FLEX_APP_AUTH_TOKEN'];",
        "const { FLEX_APP_AUTH_TOKEN } = process.env;",
        "const { FLEX_APP_ACCOUNT_SID, FLEX_APP_AUTH_TOKEN: token } = process.env;",
        "const { REACT_APP_SECRET = '' } = process.env;",
        "client(process.env.FLEX_APP_ACCOUNT_SID, process.env.FLEX_APP_AUTHTOKEN);",
    ];

    const CLEAN: &[&str] = &[
        "const baseUrl = process.env.FLEX_APP_FUNCTIONS_BASE_URL;",
        "const sid = process.env.FLEX_APP_ACCOUNT_SID;",
        "const url = process.env.FLEX_APP_AUTH_URL;",
        "const url = process.env.REACT_APP_TOKEN_ENDPOINT;",
        "const ws = process.env.FLEX_APP_WORKSPACE_SID;",
        "const keyboard = process.env.FLEX_APP_KEYBOARD_LAYOUT;",
        // Keys made for the browser, restricted by referrer.
        "const maps = process.env.FLEX_APP_GOOGLE_MAPS_API_KEY;",
        "const site = process.env.REACT_APP_RECAPTCHA_SITE_KEY;",
        "const token = process.env.TWILIO_AUTH_TOKEN;",
        "const mode = process.env.NODE_ENV;",
        "const { FLEX_APP_FUNCTIONS_BASE_URL } = process.env;",
        "const { AUTH_TOKEN } = context;",
        "const t = manager.user.token;",
        // Function code runs on the server; its environment is not inlined.
        "// @file functions/x.js\nconst t = process.env.FLEX_APP_AUTH_TOKEN;",
    ];

    #[test]
    fn excerpts_never_show_the_value_its_name_calls_a_credential() {
        // Short values and values of no known shape: only the name says what they are.
        for (source, value) in [
            ("FLEX_APP_AUTH_TOKEN=a8Kd93jQ\n", "a8Kd93jQ"),
            ("FLEX_APP_AUTH_TOKEN=\"q7Zr2Lm9xw\"\n", "q7Zr2Lm9xw"),
            (
                "export REACT_APP_ADMIN_PASSWORD='Hunter2-Flex!'\n",
                "Hunter2-Flex!",
            ),
        ] {
            let report = crate::scan(
                source,
                &crate::Options {
                    filename: Some(".env".into()),
                    ..Default::default()
                },
            );
            let finding = report
                .findings
                .iter()
                .find(|f| f.rule_id == "public-env-secret")
                .expect(source);
            let excerpt = finding.excerpt.as_str();
            assert!(!excerpt.contains(value), "{excerpt}");
            // The name stays readable: it is what the finding is about.
            assert!(excerpt.contains("_APP_"), "{excerpt}");
        }
        let js = "// @file src/Panel.js\nprocess.env.FLEX_APP_API_SECRET = 'p4ssw0rd-x';\n";
        let findings = crate::rules::testing::lint(js);
        let excerpt = findings[0].excerpt.as_str();
        assert!(
            !excerpt.contains("p4ssw0rd-x") && excerpt.contains("FLEX_APP_API_SECRET"),
            "{excerpt}"
        );
    }

    #[test]
    fn names() {
        assert!(is_public_secret_name("flex_app_auth_token"));
        assert!(is_public_secret_name("FLEX_APP_SIGNING_KEY"));
        // camelCase names read by their words too.
        assert!(is_public_secret_name("FLEX_APP_twilioAuthToken"));
        assert!(!is_public_secret_name("REACT_APP_authTokenUrl"));
        assert!(!is_public_secret_name("FLEX_APP_AUTH_TOKEN_URL"));
        assert!(!is_public_secret_name("FLEX_APP_PASSAGE"));
        assert!(!is_public_secret_name("FLEX_APP_MAPS_KEY_NAME"));
        assert!(!is_public_secret_name("FLEX_APP_"));
    }

    #[test]
    fn flags() {
        assert_flags("public-env-secret", FLAGS);
    }

    #[test]
    fn clean() {
        assert_clean("public-env-secret", CLEAN);
    }

    #[test]
    fn snapshot_findings() {
        insta::assert_snapshot!(snapshot("public-env-secret", FLAGS));
    }
}
