use base64::Engine as _;
use swc_ecma_ast::{CallExpr, Callee, Expr, Lit, MemberProp, ObjectLit};

use super::declare_rule;
use super::shapes::is_placeholder;
use crate::engine::{Ctx, StringSite};
use crate::finding::Span;
use crate::http;
use crate::http::is_user_token;

declare_rule! {
    /// An HTTP Basic `Authorization` header or `auth` option built from a Twilio SID and a secret.
    ///
    /// ## What it flags
    /// `btoa(…)`, `Buffer.from(…)` and `base64.encode(…)` of `sid:secret` (template,
    /// concatenation or `[sid, secret].join(":")`), `auth: { username, password }` options,
    /// superagent's `.auth(sid, secret)` and constant `"Basic …"` values, when the user part is
    /// an Account SID or API key SID (a literal `AC…`/`SK…`, or a variable, property or
    /// environment variable named like one) and the password part is a token or secret. The
    /// Flex user token form (`token:${manager.user.token}`) is not flagged. The credential
    /// values themselves are reported by the credential rules.
    ///
    /// ## Why it matters in a Flex plugin
    /// Basic auth with an Account SID and auth token (or API key and secret) is full API access
    /// to the account. Built in plugin code, both halves are in the bundle every agent's browser
    /// downloads.
    ///
    /// ## How to fix
    /// Make the request from a Twilio Function that reads its credentials from `context`
    /// (`context.getTwilioClient()`), validate the caller with `twilio-flex-token-validator`,
    /// and send `Token: manager.user.token` from the plugin. To call a Flex API as the agent,
    /// authenticate with `token:${manager.user.token}` instead.
    ///
    /// ```js,flags
    /// const headers = { Authorization: "Basic " + btoa(`${accountSid}:${authToken}`) };
    /// ```
    ///
    /// ```js,clean
    /// const headers = { Authorization: "Basic " + btoa(`token:${manager.user.token}`) };
    /// ```
    pub struct BasicAuthHeader {
        id: "basic-auth-header",
        severity: Error,
        kind: ApiCall,
        shape: None,
    }
}

fn finding() -> (String, &'static str) {
    (
        "Basic auth built from a Twilio SID and a secret in plugin code".to_string(),
        "Make this request from a Twilio Function that reads credentials from `context` and validates the Flex user token with `twilio-flex-token-validator`; to act as the agent, use `token:${manager.user.token}`.",
    )
}

/// Deepest `const` indirection followed when taking a `sid:secret` value apart.
const MAX_DEPTH: u32 = 8;

/// What one half of a `user:password` pair is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Side {
    Sid,
    Secret,
    Other,
}

/// A piece of a string being assembled: constant text or an expression.
enum Part<'a> {
    Const(String),
    Dyn(&'a Expr),
}

/// Most parts one expression is split into (a Basic header has a handful).
const MAX_PARTS: usize = 256;

fn parts<'a>(ctx: &'a Ctx, expr: &'a Expr, depth: u32, out: &mut Vec<Part<'a>>) {
    if let Some(value) = ctx.fold(expr) {
        out.push(Part::Const(value));
        return;
    }
    // Bounded in parts too: a binding that refers to itself (`var a = a + a + a`) would
    // otherwise be followed exponentially often within MAX_DEPTH (found by fuzzing).
    if depth > MAX_DEPTH || out.len() > MAX_PARTS {
        out.push(Part::Dyn(expr));
        return;
    }
    match expr {
        Expr::Paren(p) => parts(ctx, &p.expr, depth + 1, out),
        Expr::Tpl(tpl) => {
            for (i, quasi) in tpl.quasis.iter().enumerate() {
                let text = quasi
                    .cooked
                    .as_ref()
                    .map(|c| c.to_string_lossy().into_owned())
                    .unwrap_or_default();
                out.push(Part::Const(text));
                if let Some(e) = tpl.exprs.get(i) {
                    parts(ctx, e, depth + 1, out);
                }
            }
        }
        Expr::Bin(bin) if bin.op == swc_ecma_ast::BinaryOp::Add => {
            parts(ctx, &bin.left, depth + 1, out);
            parts(ctx, &bin.right, depth + 1, out);
        }
        Expr::Ident(ident) => match ctx.binding(&ident.sym) {
            Some(init) if matches!(init, Expr::Tpl(_) | Expr::Bin(_)) => {
                parts(ctx, init, depth + 1, out)
            }
            _ => out.push(Part::Dyn(expr)),
        },
        // `[sid, secret].join(":")`.
        Expr::Call(call) => match join_pair(ctx, call) {
            Some((array, sep)) => {
                for (i, element) in array.iter().enumerate() {
                    if i > 0 {
                        out.push(Part::Const(sep.clone()));
                    }
                    parts(ctx, element, depth + 1, out);
                }
            }
            None => out.push(Part::Dyn(expr)),
        },
        _ => out.push(Part::Dyn(expr)),
    }
}

fn join_pair<'a>(ctx: &Ctx, call: &'a CallExpr) -> Option<(Vec<&'a Expr>, String)> {
    let Callee::Expr(callee) = &call.callee else {
        return None;
    };
    let Expr::Member(member) = &**callee else {
        return None;
    };
    if !matches!(&member.prop, MemberProp::Ident(p) if p.sym == *"join") {
        return None;
    }
    let Expr::Array(array) = &*member.obj else {
        return None;
    };
    let sep = ctx.fold(&call.args.first()?.expr)?;
    let elements = array
        .elems
        .iter()
        .map(|e| e.as_ref().filter(|e| e.spread.is_none()).map(|e| &*e.expr))
        .collect::<Option<Vec<_>>>()?;
    Some((elements, sep))
}

fn is_sid(value: &str) -> bool {
    let value = value.trim();
    value.len() == 34
        && (value.starts_with("AC") || value.starts_with("SK"))
        && value[2..].bytes().all(|b| b.is_ascii_hexdigit())
        && !is_placeholder(&value[2..])
}

fn is_secret_literal(value: &str) -> bool {
    let value = value.trim();
    value.len() >= 16 && value.bytes().all(|b| b.is_ascii_alphanumeric()) && !is_placeholder(value)
}

/// The name an expression is read through: `authToken`, `config.authToken`,
/// `process.env.FLEX_APP_AUTH_TOKEN`, `context["ACCOUNT_SID"]`.
fn name_of(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Ident(i) => Some(i.sym.to_string()),
        Expr::Paren(p) => name_of(&p.expr),
        Expr::Member(m) => match &m.prop {
            MemberProp::Ident(p) => Some(p.sym.to_string()),
            MemberProp::Computed(c) => match &*c.expr {
                Expr::Lit(Lit::Str(s)) => Some(s.value.to_string_lossy().into_owned()),
                _ => None,
            },
            MemberProp::PrivateName(_) => None,
        },
        _ => None,
    }
}

fn classify_name(name: &str) -> Side {
    let lower: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    if ["token", "secret", "password", "passwd"]
        .iter()
        .any(|w| lower.contains(w))
    {
        Side::Secret
    } else if lower.ends_with("sid") || lower.contains("accountsid") || lower.contains("apikey") {
        Side::Sid
    } else {
        Side::Other
    }
}

fn classify_expr(expr: &Expr) -> Side {
    if let Expr::Member(m) = expr {
        if is_user_token(m) {
            return Side::Other;
        }
    }
    name_of(expr).map_or(Side::Other, |n| classify_name(&n))
}

fn classify_const(value: &str, user: bool) -> Side {
    if is_sid(value) {
        Side::Sid
    } else if !user && is_secret_literal(value) {
        Side::Secret
    } else {
        Side::Other
    }
}

/// One half of the pair: a single constant or a single expression (empty text around it).
fn classify_side(parts: &[Part], user: bool) -> Side {
    let mut side = None;
    for part in parts {
        match part {
            Part::Const(text) if text.trim().is_empty() => {}
            Part::Const(text) if side.is_none() => side = Some(classify_const(text, user)),
            Part::Dyn(expr) if side.is_none() => side = Some(classify_expr(expr)),
            _ => return Side::Other,
        }
    }
    side.unwrap_or(Side::Other)
}

/// True when `expr` assembles `<SID>:<secret>`.
fn is_sid_secret_pair(ctx: &Ctx, expr: &Expr) -> bool {
    let mut pieces = Vec::new();
    parts(ctx, expr, 0, &mut pieces);
    let Some((at, colon)) = pieces.iter().enumerate().find_map(|(i, p)| match p {
        Part::Const(text) => text.find(':').map(|c| (i, c)),
        Part::Dyn(_) => None,
    }) else {
        return false;
    };
    let Part::Const(text) = &pieces[at] else {
        return false;
    };
    let (before, after) = (text[..colon].to_string(), text[colon + 1..].to_string());
    let mut user: Vec<Part> = pieces.drain(..at).collect();
    user.push(Part::Const(before));
    let mut password = vec![Part::Const(after)];
    password.extend(pieces.drain(1..));
    classify_side(&user, true) == Side::Sid && classify_side(&password, false) == Side::Secret
}

fn user_password_pair(user: &Expr, password: &Expr, ctx: &Ctx) -> bool {
    let side = |expr: &Expr, is_user: bool| match ctx.fold(expr) {
        Some(value) => classify_const(&value, is_user),
        None => classify_expr(expr),
    };
    side(user, true) == Side::Sid && side(password, false) == Side::Secret
}

/// `btoa(x)`, `window.btoa(x)`, `Buffer.from(x)`, `base64.encode(x)`, `Base64.encode(x)`.
fn is_base64_encoder(call: &CallExpr) -> bool {
    let Callee::Expr(callee) = &call.callee else {
        return false;
    };
    match &**callee {
        Expr::Ident(i) => i.sym == *"btoa",
        Expr::Member(m) => {
            let prop = match &m.prop {
                MemberProp::Ident(p) => &*p.sym,
                _ => return false,
            };
            let obj = match &*m.obj {
                Expr::Ident(i) => &*i.sym,
                _ => return false,
            };
            matches!(
                (obj, prop),
                ("window" | "globalThis" | "self", "btoa")
                    | ("Buffer", "from")
                    | ("base64" | "Base64" | "base64js", "encode")
            )
        }
        _ => false,
    }
}

/// superagent's `.auth(user, password)`.
fn is_auth_method(call: &CallExpr) -> bool {
    call.args.len() >= 2
        && matches!(&call.callee, Callee::Expr(e) if matches!(&**e, Expr::Member(m)
            if matches!(&m.prop, MemberProp::Ident(p) if p.sym == *"auth")))
}

fn report(ctx: &mut Ctx, span: Span) {
    let (message, help) = finding();
    ctx.report(span, message, help, "basic-auth", false);
}

impl super::Rule for BasicAuthHeader {
    fn meta(&self) -> &'static super::RuleMeta {
        &Self::META
    }

    fn check_call(&self, ctx: &mut Ctx, call: &CallExpr) {
        let hit = if is_base64_encoder(call) {
            call.args
                .first()
                .is_some_and(|a| a.spread.is_none() && is_sid_secret_pair(ctx, &a.expr))
        } else if is_auth_method(call) {
            user_password_pair(&call.args[0].expr, &call.args[1].expr, ctx)
        } else {
            false
        };
        if hit {
            let span = ctx.span(call.span);
            report(ctx, span);
        }
    }

    fn check_object(&self, ctx: &mut Ctx, object: &ObjectLit) {
        let user = http::object_value(object, &["username", "user"]);
        let password = http::object_value(object, &["password", "pass"]);
        if let (Some(user), Some(password)) = (user, password) {
            if user_password_pair(user, password, ctx) {
                let span = ctx.span(object.span);
                report(ctx, span);
            }
        }
    }

    fn check_string(&self, ctx: &mut Ctx, site: &StringSite) {
        // A constant `Basic <base64 of SID:secret>` header value.
        let Some(encoded) = site.value.trim().strip_prefix("Basic ") else {
            return;
        };
        let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(encoded.trim()) else {
            return;
        };
        let Ok(decoded) = std::str::from_utf8(&decoded) else {
            return;
        };
        if let Some((user, password)) = decoded.split_once(':') {
            if is_sid(user) && is_secret_literal(password) {
                let (message, help) = finding();
                ctx.report(site.span, message, help, site.value, true);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;

    use crate::rules::testing::{assert_clean, assert_flags, lint, snapshot};
    use crate::testgen;

    const FLAGS: &[&str] = &[
        // btoa of a template, a concatenation, a join; variables, properties, env, literals.
        "const h = { Authorization: 'Basic ' + btoa(`${accountSid}:${authToken}`) };",
        "const h = { Authorization: `Basic ${btoa(ACCOUNT_SID + ':' + AUTH_TOKEN)}` };",
        "const h = { Authorization: 'Basic ' + window.btoa([config.apiKeySid, config.apiKeySecret].join(':')) };",
        "const h = 'Basic ' + btoa(`${process.env.FLEX_APP_ACCOUNT_SID}:${process.env.FLEX_APP_AUTH_TOKEN}`);",
        "const h = 'Basic ' + btoa(`AC{hex32}:${token}`);",
        "const h = 'Basic ' + btoa('AC{hex32}:' + '{hex32}');",
        "const h = 'Basic ' + btoa(`${sid}:{alnum32}`);",
        "const CREDS = `${accountSid}:${authToken}`; const h = 'Basic ' + btoa(CREDS);",
        // Buffer (Node-style code bundled for the browser).
        "const h = 'Basic ' + Buffer.from(accountSid + ':' + authToken).toString('base64');",
        "const h = 'Basic ' + Buffer.from(`SK{hex32}:${secret}`).toString('base64');",
        // `auth` options: axios, jQuery, superagent.
        "axios.get(url, { auth: { username: accountSid, password: authToken } });",
        "axios.get(url, { auth: { username: 'AC{hex32}', password: process.env.FLEX_APP_TOKEN } });",
        "$.ajax({ url, username: TWILIO_ACCOUNT_SID, password: TWILIO_AUTH_TOKEN });",
        "superagent.get(url).auth(apiKeySid, apiKeySecret);",
    ];

    const CLEAN: &[&str] = &[
        // The Flex user token form.
        "const h = { Authorization: 'Basic ' + btoa(`token:${manager.user.token}`) };",
        "const h = { Authorization: 'Basic ' + btoa('token:' + token) };",
        "axios.get(url, { auth: { username: 'token', password: manager.user.token } });",
        "const h = 'Basic ' + btoa(`${accountSid}:${manager.user.token}`);",
        // Basic auth that is not Twilio's: nothing says SID.
        "const h = 'Basic ' + btoa(`${username}:${password}`);",
        "axios.get(url, { auth: { username, password } });",
        "const h = 'Basic ' + btoa(user + ':' + pass);",
        // Not a pair, or a placeholder.
        "const h = 'Basic ' + btoa(accountSid);",
        "const h = 'Basic ' + btoa(`ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX:${token}`);",
        "const s = `${accountSid}:${authToken}`;",
        // Bearer with the user token.
        "const h = { Authorization: `Bearer ${manager.user.token}` };",
    ];

    #[test]
    fn flags() {
        assert_flags("basic-auth-header", FLAGS);
    }

    #[test]
    fn clean() {
        assert_clean("basic-auth-header", CLEAN);
    }

    #[test]
    fn constant_basic_value() {
        let pair = testgen::fill("AC{hex32}:{hex32}", 11);
        let encoded = base64::engine::general_purpose::STANDARD.encode(&pair);
        let source = format!("const headers = {{ Authorization: \"Basic {encoded}\" }};");
        let found: Vec<_> = lint(&source)
            .into_iter()
            .filter(|f| f.rule_id == "basic-auth-header")
            .collect();
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(!found[0].excerpt.contains(&encoded), "{}", found[0].excerpt);
        let token_form =
            base64::engine::general_purpose::STANDARD.encode(testgen::fill("token:{hex32}", 3));
        let clean = format!("const h = {{ Authorization: \"Basic {token_form}\" }};");
        assert!(lint(&clean)
            .iter()
            .all(|f| f.rule_id != "basic-auth-header"));
    }

    #[test]
    fn snapshot_findings() {
        insta::assert_snapshot!(snapshot("basic-auth-header", FLAGS));
    }
}
