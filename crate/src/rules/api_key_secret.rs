use swc_ecma_ast::{
    AssignExpr, CallExpr, ClassProp, Expr, ExprOrSpread, NewExpr, ObjectLit, VarDeclarator,
};

use super::context::{
    classify, fold_credential_sized, is_api_key_sid, is_hex32, is_secret32, may_fold_to_credential,
    pairs_in, pat_name, properties, target_name, values_named_by, Name, SECRET_HELP,
};
use super::declare_rule;
use crate::engine::{Ctx, StringSite};
use crate::finding::Span;
use crate::redact::redact;

declare_rule! {
    /// A Twilio API key secret (32 letters and digits, the password of an `SK…` API key) in plugin code.
    ///
    /// ## What it flags
    /// A 32-character alphanumeric value used with an API key SID (`SK…`) in the same object, the
    /// same call (`twilio(keySid, secret, …)`, `new AccessToken(accountSid, keySid, secret)`) or the
    /// same Basic-auth pair `"SK…:…"`; or bound to a name such as `apiKeySecret`, `API_SECRET` or
    /// `keySecret` (or `secret` / `password` when an API key SID is in the same scope). Values are
    /// folded first. A random-looking value with no such context is not a finding. In `.env`,
    /// JSON, YAML and HTML files the variable name, key or attribute is the context in the same
    /// way (`TWILIO_API_SECRET=…`); see [file kinds](../file-kinds.md).
    ///
    /// ## Why it matters in a Flex plugin
    /// With its SID, an API key secret calls the REST API and mints access tokens for the whole
    /// account. A plugin bundle is served to every agent's browser, so anything in it is public.
    ///
    /// ## How to fix
    /// Revoke the key now and create a new one. Keep the key in a Twilio Function's environment and
    /// call the Function from the plugin; in the Function use `context.getTwilioClient()` or build
    /// the client from `context`. API keys are the right credential for server code (prefer them over
    /// the auth token); they just never belong in the browser.
    ///
    /// ```js,flags
    /// const apiKeySecret = "{alnum32}";
    /// ```
    ///
    /// ```js,clean
    /// const apiKeySecret = process.env.TWILIO_API_SECRET;
    /// ```
    pub struct ApiKeySecret {
        id: "api-key-secret",
        severity: Error,
        kind: Credential,
        shape: None,
    }
}

fn finding(value: &str, how: &str) -> String {
    format!("Twilio API key secret {} {how}", redact(value))
}

fn report(ctx: &mut Ctx, span: Span, value: &str, how: &str) {
    ctx.report(span, finding(value, how), SECRET_HELP, value, true);
}

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
    if !matches!(kind, Name::ApiKeySecret | Name::Weak) {
        return;
    }
    let Some((value, span)) = ctx.fold_at(value) else {
        return;
    };
    // A weakly named all-hex value is far more likely an auth token (auth-token's case).
    if !is_secret32(&value) || (kind == Name::Weak && is_hex32(&value)) {
        return;
    }
    let message = finding(&value, &format!("bound to `{name}`"));
    let with: &'static [&'static str] = if kind == Name::ApiKeySecret {
        &[]
    } else {
        &["api-key-sid"]
    };
    ctx.report_if_paired(span, message, SECRET_HELP, &value, true, with);
}

/// Any call whose argument after an `SK…` SID is a secret.
fn args(ctx: &mut Ctx, args: &[ExprOrSpread]) {
    let mut after_key = false;
    for arg in args.iter().take(8) {
        let folded = fold_credential_sized(ctx, &arg.expr);
        if let Some((value, span)) = folded.as_ref().filter(|_| after_key) {
            if is_secret32(value) {
                report(ctx, *span, value, "passed with its API key SID");
            }
        }
        after_key = folded.is_some_and(|(value, _)| is_api_key_sid(&value));
    }
}

impl super::Rule for ApiKeySecret {
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
        let has_key_sid = props
            .iter()
            .any(|p| p.value.as_ref().is_some_and(|(v, _)| is_api_key_sid(v)));
        for prop in &props {
            let (Some(name), Some((value, span))) = (&prop.name, &prop.value) else {
                continue;
            };
            if !is_secret32(value) {
                continue;
            }
            let kind = classify(name);
            if kind == Name::ApiKeySecret {
                report(ctx, *span, value, &format!("in property `{name}`"));
            } else if has_key_sid && kind != Name::AuthToken {
                report(ctx, *span, value, "in an object with an API key SID");
            } else if kind == Name::Weak && !is_hex32(value) {
                let message = finding(value, &format!("in property `{name}`"));
                ctx.report_if_paired(*span, message, SECRET_HELP, value, true, &["api-key-sid"]);
            }
        }
    }

    fn check_call(&self, ctx: &mut Ctx, call: &CallExpr) {
        args(ctx, &call.args);
    }

    fn check_new(&self, ctx: &mut Ctx, new: &NewExpr) {
        if let Some(list) = &new.args {
            args(ctx, list);
        }
    }

    fn check_string(&self, ctx: &mut Ctx, site: &StringSite) {
        for pair in pairs_in(site.value) {
            if pair.sid_prefix == "SK" && is_secret32(&pair.secret) {
                let how = if pair.encoded {
                    "in a base64 Basic-auth header"
                } else {
                    "after an API key SID in a Basic-auth pair"
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
        r#"class Plugin { static API_SECRET = "{alnum32}"; }"#,
        r#"const apiKeySecret = "{alnum32}";"#,
        r#"const TWILIO_API_SECRET = '{alnum32}';"#,
        r#"config.keySecret = "{alnum32}";"#,
        r#"const key = "SK{hex32}"; const secret = "{alnum32}";"#,
        r#"const cfg = { key: "SK{hex32}", value: "{alnum32}" };"#,
        r#"const cfg = { apiSecret: "{alnum32}" };"#,
        r#"const cfg = { apiSecrets: ["{alnum32}", process.env.OTHER] };"#,
        r#"const client = twilio("SK{hex32}", "{alnum32}", { accountSid: sid });"#,
        r#"const t = new AccessToken(sid, "SK{hex32}", "{alnum32}", { identity });"#,
        r#"const basic = "SK{hex32}:{alnum32}";"#,
        r#"const S = "{alnum16}" + "{alnum16}"; twilio("SK{hex32}", S, {}); const o = { apiSecret: S };"#,
    ];

    const CLEAN: &[&str] = &[
        r#"const secret = "{alnum32}";"#,
        r#"const apiKeySecret = process.env.TWILIO_API_SECRET;"#,
        r#"const apiKeySecret = "your_api_key_secret_goes_here_00";"#,
        r#"const apiKeySecret = "abcdefghijklmnopqrstuvwxyzabcdef";"#,
        r#"const id = "{alnum32}"; const key = "SK{hex32}";"#,
        r#"const cfg = { key: "SK{hex32}", name: "a-friendly-key-name" };"#,
        r#"function a() { const k = "SK{hex32}"; } function b() { const secret = "{alnum32}"; }"#,
    ];

    #[test]
    fn flags() {
        assert_flags("api-key-secret", FLAGS);
    }

    #[test]
    fn clean() {
        assert_clean("api-key-secret", CLEAN);
    }

    #[test]
    fn snapshot_findings() {
        insta::assert_snapshot!(snapshot("api-key-secret", FLAGS));
    }
}
