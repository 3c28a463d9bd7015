use std::borrow::Cow;

use swc_ecma_ast::{CallExpr, Callee, Expr, MemberProp, NewExpr, ObjectLit, Prop, PropOrSpread};

use swc_common::Spanned;

use super::declare_rule;
use crate::engine::{Ctx, Edit, StringSite, When};
use crate::finding::Span;
use crate::http::{self, carries_token, Payload, Request};

declare_rule! {
    /// A request to a Twilio Function that does not send the Flex user token.
    ///
    /// ## What it flags
    /// `fetch`, `axios`, `ky`, jQuery and `new Request` calls to a Twilio Functions URL
    /// (`https://<service>.twil.io/…`, literal, template, `const`, or the fallback of
    /// `process.env.FLEX_APP_… || "https://….twil.io"`) whose body, query string and headers,
    /// all visible at the call, carry no token and no `Authorization` header. A token is a
    /// `Token` key (what `functionValidator` reads), a `token` key in any case (what a Function
    /// that calls `validator(event.token, …)` itself reads), or the Flex user token
    /// (`manager.user.token`) under any key. A call whose
    /// body or options are a variable defined elsewhere is not flagged, nor is a request for a
    /// public Asset (a path ending in a file extension, such as `/config.json`). A query string
    /// built in a local (`` `${url}?${params}` ``) is looked for in the whole function, with
    /// `params.append("Token", …)` as a token too.
    /// `XMLHttpRequest#open` and superagent requests set their body and headers in later calls,
    /// so for them the token is looked for in the whole function that makes the request.
    /// When the called Function is in the repository and does not validate the token either,
    /// the call is reported as part of that Function's `function-without-token-validator`
    /// finding. A request to a host the file does not name as a Functions host (a placeholder
    /// such as `https://your-runtime-domain/x`, a host the file does not determine, a whole URL
    /// from an env variable) is flagged only when linted as part of a project, and only when
    /// it reaches a Function of the repository (by its path, or by the variable's name). When it is safe to call without the token (it validates it, so the plugin sends
    /// it in a way the call does not show; it is `.protected`; it reaches nothing of the
    /// account), the call is not flagged. Pages that are not the plugin (another web app of the
    /// repository, a service's assets) hold no Flex token and are not flagged.
    ///
    /// ## Why it matters in a Flex plugin
    /// `twilio-flex-token-validator` rejects requests without `Token`, so either the call
    /// fails, or the Function does not validate at all and anyone on the internet can call it
    /// with the account credentials it holds.
    ///
    /// ## How to fix
    /// Send the Flex user token with every request: `Token: manager.user.token` in the JSON or
    /// form body (`new URLSearchParams({ ...body, Token: token })`), `?Token=` in the query
    /// string, or an `Authorization: Bearer` header the Function checks; wrap the Function with
    /// `functionValidator`.
    ///
    /// ```js,flags
    /// fetch("https://example-1234.twil.io/send-sms", {
    ///   method: "POST",
    ///   body: JSON.stringify({ to: "+15555550100" }),
    /// });
    /// ```
    ///
    /// ```js,clean
    /// fetch("https://example-1234.twil.io/send-sms", {
    ///   method: "POST",
    ///   body: JSON.stringify({ to: "+15555550100", Token: manager.user.token }),
    /// });
    /// ```
    ///
    /// A Function that validates `event.token` by hand gets it under that name:
    ///
    /// ```js,clean
    /// fetch("https://example-1234.twil.io/pause", {
    ///   method: "POST",
    ///   body: JSON.stringify({ taskSid: "WTxxxxxxxx", token: manager.user.token }),
    /// });
    /// ```
    pub struct FunctionCallWithoutToken {
        id: "function-call-without-token",
        severity: Warning,
        kind: ApiCall,
        shape: None,
    }
}

fn finding(host: &str) -> (String, &'static str) {
    (
        format!("Request to a Twilio Function ({host}) without the Flex user token"),
        "Send `Token: manager.user.token` in the body or query string (or an Authorization header the Function checks), and wrap the Function with `twilio-flex-token-validator`'s `functionValidator`.",
    )
}

/// Noted wherever a request sends something that carries the user token.
const TOKEN: &str = "token";

fn check_request(ctx: &mut Ctx, request: &Request, span: Span, at: swc_common::BytePos) {
    // XMLHttpRequest and superagent get the token from later calls (`setRequestHeader`, `send`,
    // `.set()`), in the same function as a rule: look for it there instead of at the call.
    let mut when = Vec::new();
    let within = if request.lib.configured_elsewhere() {
        ctx.enclosing_function()
    } else if request.factory {
        return;
    } else {
        match http::payload(ctx, request, at) {
            Payload::Visible => {}
            // An object the caller passes is spread into the body: fine when the file never
            // names a token anywhere, so no caller here adds one.
            Payload::FromCaller => when.push(When::NotNoted(TOKEN)),
            Payload::Hidden | Payload::Token => return,
        }
        // A query string that is a `URLSearchParams` local (`?${params}`) is filled where the
        // local is, in the same function (never the whole file: at top level it stays the call).
        let in_function = ctx.enclosing_function().end != u32::MAX;
        if in_function && http::query_is_local(ctx, request.url) {
            ctx.enclosing_function()
        } else {
            span
        }
    };
    let url = http::url_prefix(ctx, request.url).unwrap_or_default();
    let host = http::host(&url);
    let named_functions_host = host.as_deref().is_some_and(|host| {
        http::is_functions_host(host)
            || ctx
                .function_domains()
                .iter()
                .any(|d| d.eq_ignore_ascii_case(host))
    });
    // A host the file does not name as a Functions host (a placeholder, a name the file does
    // not determine, an env variable) may still be one: the finding is held, and pairing
    // releases it if the request reaches a Function of the repository.
    let shown = if named_functions_host {
        ctx.shown_host(host.as_deref().unwrap_or_default())
    } else if !ctx.pairs_function_calls() {
        return;
    } else if let Some(variable) = http::url_variable(ctx, request) {
        format!("process.env.{variable}")
    } else if let Some(path) = http::function_target(ctx, request) {
        match host.as_deref() {
            Some(host) if !host.contains(http::UNKNOWN) => format!("{host}{path}"),
            _ => path,
        }
    } else {
        return;
    };
    if is_asset(&url) {
        return;
    }
    let (message, help) = finding(&shown);
    when.push(When::NotNotedWithin(TOKEN, within));
    let fix = token_fix(ctx, request);
    let value = if url.is_empty() {
        shown.as_str()
    } else {
        url.as_str()
    };
    ctx.report_when_with_fix(when, span, message, help, value, false, fix);
    if !named_functions_host {
        ctx.hold_last_report();
    }
}

/// The object a `fetch`/`new Request` body is built from: `body: JSON.stringify({ … })` or
/// `body: new URLSearchParams({ … })` in the options literal.
fn body_object<'a>(request: &Request<'a>) -> Option<&'a ObjectLit> {
    if !matches!(request.lib, http::Lib::Fetch | http::Lib::RequestCtor) {
        return None;
    }
    let Some(Expr::Object(options)) = request.options.first().map(|e| unparen(e)) else {
        return None;
    };
    let (callee, args) = match unparen(http::object_value(options, &["body"])?) {
        Expr::Call(call) => match &call.callee {
            Callee::Expr(callee) => (&**callee, &call.args),
            _ => return None,
        },
        Expr::New(new) => (&*new.callee, new.args.as_ref()?),
        _ => return None,
    };
    let builds_body = match unparen(callee) {
        Expr::Member(member) => {
            matches!((&*member.obj, &member.prop), (Expr::Ident(o), MemberProp::Ident(p)) if &*o.sym == "JSON" && &*p.sym == "stringify")
        }
        Expr::Ident(ident) => &*ident.sym == "URLSearchParams",
        _ => false,
    };
    match args.first() {
        Some(arg) if builds_body && arg.spread.is_none() => match unparen(&arg.expr) {
            Expr::Object(object) => Some(object),
            _ => None,
        },
        _ => None,
    }
}

fn unparen(expr: &Expr) -> &Expr {
    match expr {
        Expr::Paren(paren) => unparen(&paren.expr),
        _ => expr,
    }
}

/// `Token: manager.user.token` added to the body object, where the plugin's `manager` is at
/// hand: named in the function around the request (a plugin's `init(flex, manager)`, a
/// component given `manager`). Elsewhere the help says what to send.
fn token_fix(ctx: &Ctx, request: &Request) -> Option<Edit> {
    let body = body_object(request)?;
    if crate::names::identifier_occurrences(ctx.text(ctx.outermost_function()), "manager") == 0 {
        return None;
    }
    let (at, text) = match body.props.last() {
        Some(last) => (ctx.span(last.span()).end, ", Token: manager.user.token"),
        None => (ctx.span(body.span).start + 1, " Token: manager.user.token "),
    };
    Some(Edit {
        description: "Send the Flex user token: add `Token: manager.user.token` to the body"
            .to_string(),
        span: Span { start: at, end: at },
        text: text.to_string(),
    })
}

/// Twilio Assets (`/logo.png`, `/config.json`) are public files served from the same domain.
fn is_asset(url: &str) -> bool {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let last = path.rsplit('/').next().unwrap_or("");
    path.matches('/').count() > 2
        && last.rsplit_once('.').is_some_and(|(name, ext)| {
            !name.is_empty() && !ext.is_empty() && !ext.contains(http::UNKNOWN)
        })
}

impl super::Rule for FunctionCallWithoutToken {
    fn meta(&self) -> &'static super::RuleMeta {
        &Self::META
    }

    fn check_call(&self, ctx: &mut Ctx, call: &CallExpr) {
        let span = ctx.span(call.span);
        // `params.append("Token", token)` on a `URLSearchParams` local: its query gets one.
        if let Callee::Expr(callee) = &call.callee {
            let params = match &**callee {
                Expr::Member(m) if matches!(&m.prop, MemberProp::Ident(p) if &*p.sym == "append" || &*p.sym == "set") => {
                    match &*m.obj {
                        Expr::Ident(object) => Some(object.sym.clone()),
                        _ => None,
                    }
                }
                _ => None,
            };
            let key = call.args.first().and_then(|a| ctx.fold(&a.expr));
            if key.is_some_and(|k| http::carries_token(&k))
                && params.is_some_and(|p| http::is_query_builder(ctx, &p))
            {
                ctx.note(TOKEN, span);
            }
        }
        if let Some(request) = http::from_call(call) {
            check_request(ctx, &request, span, call.span.lo);
        } else if let Some(via) = http::via_requester(ctx, call) {
            // A helper that sets an Authorization header may be the one that sends the token.
            if !(via.requester.auth || via.requester.user_token) {
                check_request(ctx, &via.request(), span, call.span.lo);
            }
        }
    }

    fn check_new(&self, ctx: &mut Ctx, new: &NewExpr) {
        if let Some(request) = http::from_new(new) {
            let span = ctx.span(new.span);
            check_request(ctx, &request, span, new.span.lo);
        }
    }

    fn check_object(&self, ctx: &mut Ctx, object: &ObjectLit) {
        for prop in &object.props {
            let PropOrSpread::Prop(prop) = prop else {
                continue;
            };
            let (key, span) = match &**prop {
                Prop::KeyValue(kv) if http::is_user_token_value(&kv.value) => {
                    (Some(Cow::Borrowed("Token")), ctx.span(kv.key.span()))
                }
                Prop::KeyValue(kv) => (http::key_name(&kv.key), ctx.span(kv.key.span())),
                Prop::Shorthand(ident) => (Some(Cow::Borrowed(&*ident.sym)), ctx.span(ident.span)),
                _ => continue,
            };
            if key.is_some_and(|k| carries_token(&k)) {
                ctx.note(TOKEN, span);
            }
        }
    }

    fn check_string(&self, ctx: &mut Ctx, site: &StringSite) {
        // `?Token=…`, `token=…&…` form bodies, `params.append("Token", …)`, `Bearer ${…}`.
        let bytes = site.value.as_bytes();
        let names_token = bytes.windows(6).any(|w| w.eq_ignore_ascii_case(b"token="));
        if names_token
            || site.value.eq_ignore_ascii_case("token")
            || site.value.eq_ignore_ascii_case("authorization")
            || site.value.starts_with("Bearer ")
        {
            ctx.note(TOKEN, site.span);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_flags, snapshot};

    /// Each send form, without the token.
    const FLAGS: &[&str] = &[
        // A plain value in the query, and a token sent by another request of the function.
        "function f(s) { fetch(`https://svc-1234.twil.io/a?taskSid=${s}`, { method: 'POST' }); fetch('https://svc-1234.twil.io/b', { method: 'POST', body: JSON.stringify({ Token: manager.user.token }) }); }",
        // A token appended to another object is not the query's.
        "function g(q) { const params = new URLSearchParams({ q }); headers.append(name, manager.user.token); return fetch(`https://svc-1234.twil.io/lookup?${params}`); }",
        // A query string from a local that holds no token.
        "function load(taskSid) { const params = new URLSearchParams({ taskSid }); return fetch(`https://svc-1234.twil.io/lookup?${params}`); }",
        // A URL with an empty fallback (`?? ''`) is still the URL.
        "const endpoint = `https://bots-4321.twil.io/answer?q=${q}` ?? ''; axios.get(endpoint);",
        // The body is a local object declared in the same method (each method declares its own).
        "class Calls { static base = 'https://svc-1234.twil.io'; static hold = async (sid) => { const payload = { sid }; return fetch(`${this.base}/hold`, { method: 'POST', body: JSON.stringify(payload) }); }; static log = (sid, Token) => { const payload = { sid, Token }; console.log(payload); }; }",
        // ... with the caller's options spread in, in a file that never names a token.
        "const BASE = 'https://svc-1234.twil.io'; async function resume(sid, extra) { const payload = { sid, ...extra }; return fetch(`${BASE}/resume`, { method: 'POST', body: JSON.stringify(payload) }); }",
        // Through a request method of the class, which passes on the options it is given.
        "class Api { constructor() { this.base = 'https://svc-1234.twil.io'; } async send(url, init) { const r = await fetch(url, init); return r.json(); } save(sid) { return this.send(`${this.base}/save`, { method: 'POST', body: JSON.stringify({ sid }) }); } }",
        // Headers from a local object.
        "function go() { const headers = { 'Content-Type': 'application/json' }; return fetch('https://svc-1234.twil.io/go', { method: 'POST', headers, body: '{}' }); }",
        // The host in a static class field, from an env var named for the Serverless service.
        "class Conference { static base = `https://${process.env.REACT_APP_SERVERLESS_BASE_DOMAIN}`; static remove = (sid) => fetch(`${this.base}/conference/remove`, { method: 'POST', body: JSON.stringify({ sid }) }); }",
        // A URL built in a local that other functions declare too, all on the same host.
        "const BASE = 'https://svc-1234.twil.io'; function a() { const url = `${BASE}/a`; return fetch(url, { method: 'POST', body: '{}' }); } function b() { const url = `${BASE}/b`; return url; }",
        // Flex's own runtime domain.
        "fetch(`https://${manager.serviceConfiguration.runtime_domain}/list`, { method: 'POST', body: '{}' });",
        // fetch, JSON body.
        r#"fetch("https://example-1234.twil.io/send-sms", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ to: "+15555550100" }) });"#,
        // fetch, form body.
        r#"fetch("https://example-1234.twil.io/send-sms", { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "to=%2B15555550100" });"#,
        // fetch, URLSearchParams body.
        r#"fetch("https://example-1234.twil.io/send-sms", { method: "POST", body: new URLSearchParams({ to: "+15555550100" }) });"#,
        // fetch, query string (GET without a body).
        "fetch(`https://example-1234.twil.io/lookup?phone=${encodeURIComponent(phone)}`);",
        // fetch, a header that is not Authorization.
        r#"fetch("https://example-1234.twil.io/x", { headers: { "X-Agent": worker } });"#,
        // axios, JSON body.
        r#"axios.post("https://example-1234.twil.io/send-sms", { to: "+15555550100" });"#,
        // axios imported as `Axios`.
        r#"import Axios from "axios"; Axios.post("https://example-1234.twil.io/send-sms", { to: "+15555550100" });"#,
        // axios, URLSearchParams body.
        r#"axios.post("https://example-1234.twil.io/send-sms", new URLSearchParams({ to }));"#,
        // axios, query params.
        r#"axios.get("https://example-1234.twil.io/lookup", { params: { phone } });"#,
        r#"axios({ method: "post", url: "https://example-1234.twil.io/x", data: { a: 1 } });"#,
        // Folded URLs: const, template, env var fallback.
        r#"const BASE = "https://example-1234.twil.io"; fetch(`${BASE}/send-sms`, { method: "POST" });"#,
        r#"const BASE = process.env.FLEX_APP_FUNCTIONS_BASE || "https://example-1234.twil.io"; fetch(BASE + "/x");"#,
        r#"fetch((process.env.FLEX_APP_SERVERLESS_URL ?? "https://example-1234.twil.io") + "/x", { method: "POST" });"#,
        // The service name is not constant, the domain is.
        "fetch(`https://${serviceName}-${suffix}.twil.io/update-task`, { method: 'POST' });",
        // Other clients.
        r#"$.post("https://example-1234.twil.io/x", { a: 1 });"#,
        r#"ky.post("https://example-1234.twil.io/x", { json: { a: 1 } });"#,
        r#"const r = new Request("https://example-1234.twil.io/x", { method: "POST" });"#,
        // XMLHttpRequest and superagent: nothing in the function that makes the request sends
        // the token (one sent in another function does not count).
        "function send(to) {\n  const xhr = new XMLHttpRequest();\n  xhr.open('POST', 'https://example-1234.twil.io/send-sms');\n  xhr.setRequestHeader('Content-Type', 'application/json');\n  xhr.send(JSON.stringify({ to }));\n}",
        "function a() { const xhr = new XMLHttpRequest(); xhr.open('GET', 'https://example-1234.twil.io/x'); xhr.send(); }\nfunction b() { return { Token: manager.user.token }; }",
        r#"superagent.post("https://example-1234.twil.io/x").send({ to: "+15555550100" }).end(done);"#,
    ];

    /// The same forms, sending the token: the correct Function-with-token pattern.
    const CLEAN: &[&str] = &[
        "function load(taskSid) { const params = new URLSearchParams({ taskSid }); params.append('Token', manager.user.token); return fetch(`https://svc-1234.twil.io/lookup?${params}`); }",
        // The token in a query string built in a local.
        "function load(taskSid) { const params = new URLSearchParams({ taskSid, Token: manager.user.token }); return fetch(`https://svc-1234.twil.io/lookup?${params}`); }",
        "function load(taskSid) { const query = new URLSearchParams({ taskSid, Token: token }); return fetch('https://svc-1234.twil.io/lookup?' + query.toString()); }",
        // A lowercase `token` (a Function that validates `event.token` by hand reads it), in a
        // body, a local body, a shorthand and the query string; the user token under any key.
        "fetch('https://svc-1234.twil.io/pause', { method: 'POST', body: JSON.stringify({ sid, token: manager.user.token }) });",
        "function hold(sid, token) { const payload = { sid, token }; return fetch('https://svc-1234.twil.io/hold', { method: 'POST', body: JSON.stringify(payload) }); }",
        "fetch(`https://svc-1234.twil.io/lookup?phone=${phone}&token=${token}`);",
        "axios.post('https://svc-1234.twil.io/x', { sid, jwe: manager.user.token });",
        "fetch('https://svc-1234.twil.io/x', { method: 'POST', body: JSON.stringify({ sid, flexToken: manager?.user?.token }) });",
        // A local body that carries the token, set in the literal or after it.
        "function hold(sid) { const payload = { sid, Token: manager.user.token }; return fetch('https://svc-1234.twil.io/hold', { method: 'POST', body: JSON.stringify(payload) }); }",
        "function hold(sid, token) { const payload = { sid }; payload.Token = token; return fetch('https://svc-1234.twil.io/hold', { method: 'POST', body: JSON.stringify(payload) }); }",
        // The caller's spread may add the token: this file does.
        "function resume(sid, extra) { const payload = { sid, ...extra }; return fetch('https://svc-1234.twil.io/resume', { method: 'POST', body: JSON.stringify(payload) }); }\nresume('CA1', { Token: manager.user.token });",
        // A spread of something not visible here.
        "function hold(sid) { const payload = { sid, ...defaults }; return fetch('https://svc-1234.twil.io/hold', { method: 'POST', body: JSON.stringify(payload) }); }",
        // fetch, JSON body.
        r#"fetch("https://example-1234.twil.io/send-sms", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ to: "+15555550100", Token: manager.user.token }) });"#,
        // fetch, form body (string and URLSearchParams).
        "fetch('https://example-1234.twil.io/send-sms', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `to=${to}&Token=${token}` });",
        r#"fetch("https://example-1234.twil.io/send-sms", { method: "POST", body: new URLSearchParams({ ...body, Token: token }) });"#,
        "const token = manager.store.getState().flex.session.ssoTokenPayload.token;\nfetch('https://example-1234.twil.io/x', { method: 'POST', body: new URLSearchParams({ Token: token, to }) });",
        // fetch, query string.
        "fetch(`https://example-1234.twil.io/lookup?phone=${phone}&Token=${manager.user.token}`);",
        // fetch, Bearer header.
        "fetch('https://example-1234.twil.io/x', { headers: { Authorization: `Bearer ${manager.user.token}` } });",
        // axios, JSON body, form body, query params, header.
        r#"axios.post("https://example-1234.twil.io/send-sms", { to: "+15555550100", Token: manager.user.token });"#,
        r#"axios.post("https://example-1234.twil.io/send-sms", new URLSearchParams({ to, Token }));"#,
        r#"axios.get("https://example-1234.twil.io/lookup", { params: { phone, Token: manager.user.token } });"#,
        "axios.post('https://example-1234.twil.io/x', data, { headers: { Authorization: 'Bearer ' + token } });",
        // Sent from a variable built elsewhere: not visible here, not flagged.
        r#"fetch("https://example-1234.twil.io/x", options);"#,
        r#"fetch("https://example-1234.twil.io/x", { method: "POST", body });"#,
        r#"axios.post("https://example-1234.twil.io/x", payload);"#,
        // Other clients.
        r#"$.post("https://example-1234.twil.io/x", { a: 1, Token: manager.user.token });"#,
        r#"ky.post("https://example-1234.twil.io/x", { json: { a: 1, Token: token } });"#,
        "function send(to) {\n  const xhr = new XMLHttpRequest();\n  xhr.open('POST', 'https://example-1234.twil.io/send-sms');\n  xhr.setRequestHeader('Content-Type', 'application/json');\n  xhr.send(JSON.stringify({ to, Token: manager.user.token }));\n}",
        "const xhr = new XMLHttpRequest();\nxhr.open('POST', 'https://example-1234.twil.io/x');\nxhr.send('to=' + to + '&Token=' + token);",
        "const send = () => { const xhr = new XMLHttpRequest(); xhr.open('GET', 'https://example-1234.twil.io/x'); xhr.setRequestHeader('Authorization', `Bearer ${token}`); xhr.send(); };",
        r#"superagent.post("https://example-1234.twil.io/x").send({ to, Token: manager.user.token }).end(done);"#,
        r#"superagent.post("https://example-1234.twil.io/x").set("Authorization", "Bearer " + token).end(done);"#,
        // Public Assets on the same domain.
        r#"fetch("https://example-1234.twil.io/config.json");"#,
        "const img = await fetch(`https://example-1234.twil.io/images/${name}.png`);",
        // Not a Function URL, or not a request.
        r#"fetch("https://example.com/x");"#,
        r#"const url = "https://example-1234.twil.io/x";"#,
        r#"const Help = () => <a href="https://example-1234.twil.io/index.html">Open</a>;"#,
        r#"Actions.invokeAction("NavigateToView", { viewName: "admin" });"#,
    ];

    #[test]
    fn flags() {
        assert_flags("function-call-without-token", FLAGS);
    }

    #[test]
    fn clean() {
        assert_clean("function-call-without-token", CLEAN);
    }

    #[test]
    fn snapshot_findings() {
        insta::assert_snapshot!(snapshot("function-call-without-token", FLAGS));
    }

    #[test]
    fn configured_function_domains_count_as_functions() {
        let source = r#"fetch("https://functions.example.com/send-sms", { method: "POST", body: JSON.stringify({ to: "+15555550100" }) });"#;
        let scan = |domains: Vec<String>| {
            crate::scan(
                source,
                &crate::Options {
                    filename: Some("src/a.js".into()),
                    function_domains: domains,
                    ..Default::default()
                },
            )
            .findings
            .into_iter()
            .filter(|f| f.rule_id == "function-call-without-token")
            .count()
        };
        assert_eq!(scan(vec![]), 0);
        assert_eq!(scan(vec!["FUNCTIONS.example.com".into()]), 1);
    }

    /// The fix, where the body is an object literal and `manager` is at hand: applied, the
    /// finding is gone; elsewhere there is none.
    #[test]
    fn fix_adds_the_token_to_the_body() {
        let scan = |source: &str| {
            crate::scan(
                source,
                &crate::Options {
                    filename: Some("src/Plugin.js".into()),
                    ..Default::default()
                },
            )
            .findings
            .into_iter()
            .filter(|f| f.rule_id == "function-call-without-token")
            .collect::<Vec<_>>()
        };
        let apply = |source: &str, fix: &crate::Fix| {
            let mut out = source.to_string();
            out.replace_range(fix.span.range(), &fix.text);
            out
        };
        let fixable = [
            (
                "export default class P { init(flex, manager) { flex.Actions.addListener('x', () => fetch('https://example-1234.twil.io/sms', { method: 'POST', body: JSON.stringify({ to: '+15555550100' }) })); } }",
                "JSON.stringify({ to: '+15555550100', Token: manager.user.token })",
            ),
            (
                "const Panel = ({ manager }) => { const send = () => fetch('https://example-1234.twil.io/sms', { method: 'POST', body: new URLSearchParams({ to, }) }); return send; };",
                "new URLSearchParams({ to, Token: manager.user.token, })",
            ),
            (
                "function send(manager) { return fetch('https://example-1234.twil.io/sms', { method: 'POST', body: JSON.stringify({}) }); }",
                "JSON.stringify({ Token: manager.user.token })",
            ),
        ];
        for (source, expected) in fixable {
            let found = scan(source);
            assert_eq!(found.len(), 1, "{source}");
            let fix = found[0].fix.as_ref().expect("a fix");
            assert_eq!((fix.line, fix.column), (1, fix.span.start + 1), "{source}");
            let fixed = apply(source, fix);
            assert!(fixed.contains(expected), "{fixed}");
            assert!(scan(&fixed).is_empty(), "fixed code is clean: {fixed}");
        }
        let unfixable = [
            // No `manager` in reach: the help text only.
            "export const send = (to) => fetch('https://example-1234.twil.io/sms', { method: 'POST', body: JSON.stringify({ to }) });",
            // `x.manager` is a property, not the plugin's manager.
            "export const send = (x) => fetch('https://example-1234.twil.io/sms', { method: 'POST', body: JSON.stringify({ to: x.manager }) });",
            // A body that is not built from an object literal.
            "function send(manager) { return fetch('https://example-1234.twil.io/sms', { method: 'POST', body: 'to=1' }); }",
            // A query string request.
            "function send(manager) { return fetch('https://example-1234.twil.io/lookup?phone=1'); }",
        ];
        for source in unfixable {
            let found = scan(source);
            assert_eq!(found.len(), 1, "{source}");
            assert_eq!(found[0].fix, None, "{source}");
        }
    }
}
