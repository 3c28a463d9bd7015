use swc_ecma_ast::{CallExpr, Callee, Expr, MemberProp};

use super::declare_rule;
use crate::engine::Ctx;
use crate::finding::Span;

declare_rule! {
    /// A request from plugin code straight to Twilio's REST API.
    ///
    /// ## What it flags
    /// `fetch(url)` where `url` is, or folds to, an `https://api.twilio.com` address.
    ///
    /// ## Why it matters in a Flex plugin
    /// A browser can only call the REST API with a credential, so a direct call means the
    /// plugin ships an Account SID with an auth token or API key secret to every agent.
    ///
    /// ## How to fix
    /// Move this call behind a Twilio Function: the Function reads its credentials from
    /// `context`, validates the Flex user token with `twilio-flex-token-validator`, and the
    /// plugin sends `Token: manager.user.token` with the request.
    ///
    /// ```js,flags
    /// fetch("https://api.twilio.com/2010-04-01/Accounts.json");
    /// ```
    ///
    /// ```js,clean
    /// fetch("https://example-1234.twil.io/send-sms", { method: "POST" });
    /// ```
    pub struct DirectApiCall {
        id: "direct-api-call",
        severity: Error,
        kind: ApiCall,
        shape: None,
    }
}

fn finding(url: &str) -> (String, &'static str) {
    let host = url.split('/').nth(2).unwrap_or("api.twilio.com");
    (
        format!("Direct request to Twilio's REST API ({host}) from plugin code"),
        "Move this call behind a Twilio Function that validates the Flex user token; never call the REST API from the browser.",
    )
}

const REST_PREFIX: &str = "https://api.twilio.com";

fn is_fetch(callee: &Callee) -> bool {
    let Callee::Expr(expr) = callee else {
        return false;
    };
    match &**expr {
        Expr::Ident(ident) => ident.sym == *"fetch",
        Expr::Member(member) => matches!(&member.prop, MemberProp::Ident(p) if p.sym == *"fetch"),
        _ => false,
    }
}

impl super::Rule for DirectApiCall {
    fn meta(&self) -> &'static super::RuleMeta {
        &Self::META
    }

    fn check_call(&self, ctx: &mut Ctx, call: &CallExpr) {
        if !is_fetch(&call.callee) {
            return;
        }
        let Some(url_arg) = call.args.first() else {
            return;
        };
        let Some(url) = ctx.fold(&url_arg.expr) else {
            return;
        };
        if url.starts_with(REST_PREFIX)
            && matches!(
                url.as_bytes().get(REST_PREFIX.len()),
                None | Some(b'/' | b':' | b'?')
            )
        {
            let (message, help) = finding(&url);
            let span: Span = ctx.span(call.span);
            ctx.report(span, message, help, &url, false);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_flags, snapshot};

    const FLAGS: &[&str] = &[
        r#"fetch("https://api.twilio.com/2010-04-01/Accounts.json");"#,
        "fetch(`https://api.twilio.com/2010-04-01/Accounts/${'AC'}/Calls.json`, { method: 'POST' });",
        r#"const BASE = "https://api.twilio.com"; window.fetch(BASE + "/2010-04-01/Accounts.json");"#,
        r#"async function f() { const r = await fetch('https://api.twilio.com'); }"#,
    ];

    const CLEAN: &[&str] = &[
        r#"fetch("https://example-1234.twil.io/send-sms", { method: "POST" });"#,
        r#"const docs = "https://api.twilio.com/2010-04-01/Accounts.json";"#,
        r#"fetch("https://api.twilio.com.evil.example/x");"#,
        r#"fetch(url);"#,
    ];

    #[test]
    fn flags() {
        assert_flags("direct-api-call", FLAGS);
    }

    #[test]
    fn clean() {
        assert_clean("direct-api-call", CLEAN);
    }

    #[test]
    fn snapshot_findings() {
        insta::assert_snapshot!(snapshot("direct-api-call", FLAGS));
    }
}
