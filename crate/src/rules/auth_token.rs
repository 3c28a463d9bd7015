use swc_ecma_ast::{
    AssignExpr, CallExpr, Callee, ClassProp, Expr, ExprOrSpread, NewExpr, ObjectLit, VarDeclarator,
};

use super::context::{
    classify, is_account_sid, is_api_key_sid, is_hex32, may_fold_to_credential, pairs_in, pat_name,
    properties, target_name, values_named_by, Name, SECRET_HELP,
};
use super::declare_rule;
use crate::engine::{Ctx, StringSite};
use crate::finding::Span;
use crate::redact::redact;

declare_rule! {
    /// A Twilio auth token (32 hex digits used as the account's password) in plugin code.
    ///
    /// ## What it flags
    /// A 32-hex-digit value that the code uses *as* an auth token: bound to a name such as
    /// `authToken`, `auth_token` or `TWILIO_AUTH_TOKEN` (or `token` / `secret` / `password` when an
    /// Account SID is in the same scope); the second argument of `twilio(…)`, `new Twilio(…)`,
    /// `Twilio.Client` or `require("twilio")(…)`; the password of `auth: { username, password }`;
    /// the part after `:` of a Basic-auth pair `"AC…:…"` (also base64-encoded after `Basic `); a
    /// property of an `{ accountSid, authToken }`-shaped object. Values are folded first, so
    /// `"ab12" + "…"`, `atob("…")` and `[…].join("")` count. A 32-hex value with no such context
    /// (a hash, a content id) is not a finding. In `.env`, JSON, YAML and HTML files the variable
    /// name, key or attribute is the context in the same way (`TWILIO_AUTH_TOKEN=…`,
    /// `"authToken": "…"`); see [file kinds](../file-kinds.md).
    ///
    /// ## Why it matters in a Flex plugin
    /// The auth token is the master password of the Twilio account: with the Account SID it can
    /// read every call, message and recording, buy numbers and create new credentials. A plugin
    /// bundle is served to every agent's browser, so anything in it is public.
    ///
    /// ## How to fix
    /// Rotate the token now (it has shipped). Move the call that needs it into a Twilio Function,
    /// where the credentials live in the Function's environment and `context.getTwilioClient()`
    /// returns a ready client; the plugin calls the Function with the agent's Flex token. Where a
    /// credential must be configured, prefer an API key (revocable, per use) over the auth token.
    ///
    /// ```js,flags
    /// const client = twilio(process.env.ACCOUNT_SID, "{hex32}");
    /// ```
    ///
    /// ```js,clean
    /// const bundleHash = "{hex32}";
    /// ```
    pub struct AuthToken {
        id: "auth-token",
        severity: Error,
        kind: Credential,
        shape: None,
    }
}

fn finding(value: &str, how: &str) -> String {
    format!("Twilio auth token {} {how}", redact(value))
}

fn report(ctx: &mut Ctx, span: Span, value: &str, how: &str) {
    ctx.report(span, finding(value, how), SECRET_HELP, value, true);
}

/// `name = value`: a strong name flags alone, a weak one when an Account SID is in scope.
fn named(ctx: &mut Ctx, name: &str, value: &Expr) {
    if let Expr::Array(_) = value {
        for element in values_named_by(value) {
            named(ctx, name, element);
        }
        return;
    }
    // The value test first: it rejects nearly every binding of a bundle, the name test few.
    if !may_fold_to_credential(ctx, value) {
        return;
    }
    let kind = classify(name);
    if !matches!(kind, Name::AuthToken | Name::Weak) {
        return;
    }
    let Some((value, span)) = ctx.fold_at(value) else {
        return;
    };
    if !is_hex32(&value) {
        return;
    }
    let message = finding(&value, &format!("bound to `{name}`"));
    let with: &'static [&'static str] = if kind == Name::AuthToken {
        &[]
    } else {
        &["account-sid"]
    };
    ctx.report_if_paired(span, message, SECRET_HELP, &value, true, with);
}

fn client_args(ctx: &mut Ctx, args: &[ExprOrSpread]) {
    let (Some(sid), Some(secret)) = (args.first(), args.get(1)) else {
        return;
    };
    if ctx.fold(&sid.expr).is_some_and(|s| is_api_key_sid(&s)) {
        return; // `twilio(apiKeySid, apiKeySecret, { accountSid })`: api-key-secret's case
    }
    if let Some((value, span)) = ctx.fold_at(&secret.expr) {
        if is_hex32(&value) {
            report(ctx, span, &value, "passed to the Twilio client");
        }
    }
}

impl super::Rule for AuthToken {
    fn meta(&self) -> &'static super::RuleMeta {
        &Self::META
    }

    fn check_var_declarator(&self, ctx: &mut Ctx, declarator: &VarDeclarator) {
        if let (Some(name), Some(init)) = (pat_name(&declarator.name), &declarator.init) {
            named(ctx, name, init);
        }
    }

    fn check_class_prop(&self, ctx: &mut Ctx, prop: &ClassProp) {
        if let (Some(name), Some(value)) = (crate::http::key_name(&prop.key), &prop.value) {
            named(ctx, &name, value);
        }
    }

    fn check_assign(&self, ctx: &mut Ctx, assign: &AssignExpr) {
        if let Some(name) = target_name(&assign.left) {
            named(ctx, &name, &assign.right);
        }
    }

    fn check_object(&self, ctx: &mut Ctx, object: &ObjectLit) {
        let props = properties(ctx, object);
        let value_is = |test: fn(&str) -> bool| {
            props
                .iter()
                .any(|p| p.value.as_ref().is_some_and(|(v, _)| test(v)))
        };
        let has_sid = value_is(is_account_sid);
        let has_key_sid = value_is(is_api_key_sid);
        let has_username = props
            .iter()
            .any(|p| p.name.as_deref().map(classify) == Some(Name::Username));
        for prop in &props {
            let (Some(name), Some((value, span))) = (&prop.name, &prop.value) else {
                continue;
            };
            if !is_hex32(value) {
                continue;
            }
            let kind = classify(name);
            let is_password = name.eq_ignore_ascii_case("password");
            if kind == Name::AuthToken {
                report(ctx, *span, value, &format!("in property `{name}`"));
            } else if is_password && has_username && !has_key_sid {
                report(
                    ctx,
                    *span,
                    value,
                    "as the password of `{ username, password }`",
                );
            } else if has_sid && !has_key_sid && kind != Name::ApiKeySecret {
                report(ctx, *span, value, "in an object with an Account SID");
            } else if kind == Name::Weak {
                let message = finding(value, &format!("in property `{name}`"));
                ctx.report_if_paired(*span, message, SECRET_HELP, value, true, &["account-sid"]);
            }
        }
    }

    fn check_call(&self, ctx: &mut Ctx, call: &CallExpr) {
        if let Callee::Expr(callee) = &call.callee {
            if super::context::is_twilio_client(callee) {
                client_args(ctx, &call.args);
            }
        }
    }

    fn check_new(&self, ctx: &mut Ctx, new: &NewExpr) {
        if let Some(args) = &new.args {
            if super::context::is_twilio_client(&new.callee) {
                client_args(ctx, args);
            }
        }
    }

    fn check_string(&self, ctx: &mut Ctx, site: &StringSite) {
        for pair in pairs_in(site.value) {
            if pair.sid_prefix == "AC" && is_hex32(&pair.secret) {
                let how = if pair.encoded {
                    "in a base64 Basic-auth header"
                } else {
                    "after an Account SID in a Basic-auth pair"
                };
                let span = site.span_of(pair.range.clone());
                report(ctx, span, &pair.secret, how);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_flags, snapshot};

    const FLAGS: &[&str] = &[
        r#"class Plugin { authToken = "{hex32}"; }"#,
        r#"const authTokens = ["{hex32}"];"#,
        "// @file public/appConfig.json\n{ \"twilio\": { \"authTokens\": [\"{hex32}\"] } }",
        r#"const authToken = "{hex32}";"#,
        r#"const TWILIO_AUTH_TOKEN = '{hex32}';"#,
        r#"let auth_token; auth_token = "{hex32}";"#,
        r#"process.env.TWILIO_AUTH_TOKEN = "{hex32}";"#,
        r#"const sid = "AC{hex32}"; const token = "{hex32}";"#,
        r#"const cfg = { accountSid: "AC{hex32}", secret: "{hex32}" };"#,
        r#"const cfg = { accountSid: process.env.SID, authToken: "{hex32}" };"#,
        r#"const client = twilio(process.env.SID, "{hex32}");"#,
        r#"const client = new Twilio(sid, "{hex32}");"#,
        r#"const client = new twilio.Twilio(sid, "{hex32}");"#,
        r#"const client = require("twilio")(sid, "{hex32}");"#,
        r#"const client = Twilio.Client(sid, "{hex32}");"#,
        r#"axios.get(url, { auth: { username: sid, password: "{hex32}" } });"#,
        r#"const basic = "AC{hex32}:{hex32}";"#,
        r#"fetch(`https://AC{hex32}:{hex32}@api.twilio.com/x`);"#,
        r#"const T = "{hex32}"; const client = twilio(SID, T); twilio(SID, T);"#,
    ];

    const CLEAN: &[&str] = &[
        r#"const hash = "{hex32}";"#,
        r#"const token = "{hex32}";"#,
        r#"const authToken = process.env.TWILIO_AUTH_TOKEN;"#,
        r#"const authToken = "your_auth_token";"#,
        r#"const authToken = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";"#,
        r#"const authToken = "00000000000000000000000000000000";"#,
        r#"const authToken = "{hex31}";"#,
        r#"const client = twilio("SK{hex32}", "{hex32}", { accountSid: sid });"#,
        r#"const cfg = { sid: "AC{hex32}", apiSecret: "{alnum32}" };"#,
        r#"const md5 = { file: "a.js", md5: "{hex32}" };"#,
        r#"const c = { templateId: "d-{hex32}" };"#,
        r#"function a() { const sid = "AC{hex32}"; } function b() { const token = "{hex32}"; }"#,
    ];

    #[test]
    fn flags() {
        assert_flags("auth-token", FLAGS);
    }

    #[test]
    fn clean() {
        assert_clean("auth-token", CLEAN);
    }

    #[test]
    fn snapshot_findings() {
        insta::assert_snapshot!(snapshot("auth-token", FLAGS));
    }
}
