use swc_ecma_ast::{CallExpr, MemberExpr, NewExpr};

use super::declare_rule;
use crate::engine::{Ctx, StringSite, When};
use crate::finding::Span;
use crate::http::{self, is_user_token, Request};

declare_rule! {
    /// A request from plugin code straight to a Twilio REST API host.
    ///
    /// ## What it flags
    /// `fetch`, `axios` (`axios(...)`, `axios.get/post/...`, `axios.create({ baseURL })`), `ky`,
    /// jQuery (`$.ajax`, `$.get`, `$.post`), superagent, `XMLHttpRequest#open` and
    /// `new Request(url)` calls whose URL is, or starts with, a Twilio REST host:
    /// `<product>.twilio.com` for every REST product (`api`, `taskrouter`, `conversations`,
    /// `flex-api`, `sync`, `verify`, …) and the regional `<product>.<edge>.<region>.twilio.com`.
    /// The URL may be a literal, a template, a concatenation, a `const` of the file or a
    /// `new URL(path, base)`. A call authenticated with the Flex user token
    /// (`Basic token:${manager.user.token}`) is legitimate and not flagged; neither are
    /// documentation links or URLs that are never requested.
    ///
    /// ## Why it matters in a Flex plugin
    /// A browser can only call the REST API with a credential, so a direct call means the
    /// plugin ships an Account SID with an auth token or API key secret to every agent, and
    /// anyone who opens the plugin bundle can use them.
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
    /// ```js,flags
    /// axios.post(`https://taskrouter.twilio.com/v1/Workspaces/${workspace}/Tasks`, form);
    /// ```
    ///
    /// ```js,clean
    /// fetch("https://example-1234.twil.io/send-sms", { method: "POST" });
    /// ```
    ///
    /// ```js,clean
    /// fetch(`https://taskrouter.twilio.com/v1/Workspaces/${ws}/Workers`, {
    ///   headers: { Authorization: "Basic " + btoa(`token:${manager.user.token}`) },
    /// });
    /// ```
    pub struct DirectApiCall {
        id: "direct-api-call",
        severity: Error,
        kind: ApiCall,
        shape: None,
    }
}

fn finding(host: &str) -> (String, &'static str) {
    (
        format!("Direct request to Twilio's REST API ({host}) from plugin code"),
        "Move this call behind a Twilio Function that reads credentials from `context` and validates the Flex user token with `twilio-flex-token-validator`; never call the REST API with account credentials from the browser.",
    )
}

/// Noted wherever the Flex user token is used: such a request is authenticated as the agent.
const USER_TOKEN: &str = "user-token";

fn check_request(ctx: &mut Ctx, request: &Request, span: Span) {
    let Some(url) = http::url_prefix(ctx, request.url) else {
        return;
    };
    let Some(host) = http::host(&url) else {
        return;
    };
    if !http::is_twilio_rest_host(&host) {
        return;
    }
    let mut when = vec![When::NotNotedWithin(USER_TOKEN, span)];
    if http::opaque_auth(request) {
        // Headers set elsewhere: trust a user-token construction anywhere in the file.
        when.push(When::NotNoted(USER_TOKEN));
    }
    let (message, help) = finding(&ctx.shown_host(&host));
    ctx.report_when(when, span, message, help, &url, false);
}

impl super::Rule for DirectApiCall {
    fn meta(&self) -> &'static super::RuleMeta {
        &Self::META
    }

    fn check_call(&self, ctx: &mut Ctx, call: &CallExpr) {
        let span = ctx.span(call.span);
        if let Some(request) = http::from_call(call) {
            check_request(ctx, &request, span);
        } else if let Some(via) = http::via_requester(ctx, call) {
            // Through a client instance or helper: its credentials are the request's.
            if !via.requester.user_token {
                check_request(ctx, &via.request(), span);
            }
        }
    }

    fn check_new(&self, ctx: &mut Ctx, new: &NewExpr) {
        if let Some(request) = http::from_new(new) {
            let span = ctx.span(new.span);
            check_request(ctx, &request, span);
        }
    }

    fn check_member(&self, ctx: &mut Ctx, member: &MemberExpr) {
        if is_user_token(member) {
            let span = ctx.span(member.span);
            ctx.note(USER_TOKEN, span);
        }
    }

    fn check_string(&self, ctx: &mut Ctx, site: &StringSite) {
        // `Basic ${btoa(`token:${…}`)}` and superagent/axios `auth` with username "token".
        if site.value.starts_with("token:") || site.value == "token" {
            ctx.note(USER_TOKEN, site.span);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_flags, snapshot};

    const FLAGS: &[&str] = &[
        // Through a module-level request helper of the same file.
        "const requestJson = (url, init) => fetch(url, init).then((r) => r.json());\nrequestJson('https://api.twilio.com/2010-04-01/Accounts.json');",
        // The body is a variable, but nothing that could authenticate as the agent is hidden.
        r#"const s = "x"; fetch("https://api.twilio.com/2010-04-01/Accounts.json", { body: s }); const t = "token";"#,
        // fetch: literal, template, const concat, window.fetch, bare host.
        r#"fetch("https://api.twilio.com/2010-04-01/Accounts.json");"#,
        "fetch(`https://api.twilio.com/2010-04-01/Accounts/${'AC'}/Calls.json`, { method: 'POST' });",
        r#"const BASE = "https://api.twilio.com"; window.fetch(BASE + "/2010-04-01/Accounts.json");"#,
        r#"async function f() { const r = await fetch('https://api.twilio.com'); }"#,
        // Template with a non-constant expression: the constant prefix names the host.
        "fetch(`https://api.twilio.com/2010-04-01/Accounts/${sid}/Messages.json`, { method: 'POST', body });",
        "const ACCOUNT = `https://api.twilio.com/2010-04-01/Accounts/${sid}`; fetch(`${ACCOUNT}/Calls.json`);",
        // Other products and regional hosts.
        r#"fetch("https://taskrouter.twilio.com/v1/Workspaces");"#,
        r#"fetch("https://conversations.twilio.com/v1/Conversations", { method: "POST", headers });"#,
        r#"fetch("https://flex-api.twilio.com/v1/Configuration");"#,
        r#"fetch("https://verify.twilio.com/v2/Services");"#,
        r#"fetch("https://api.dublin.ie1.twilio.com/2010-04-01/Accounts.json");"#,
        r#"fetch("https://api.sydney.au1.twilio.com/2010-04-01/Accounts.json");"#,
        // Regional host with unknown edge/region: the product is still known.
        "fetch(`https://api.${edge}.${region}.twilio.com/2010-04-01/Accounts.json`);",
        "fetch('https://taskrouter.' + region + '.twilio.com/v1/Workspaces');",
        // axios.
        r#"axios("https://api.twilio.com/2010-04-01/Accounts.json");"#,
        r#"import Axios from "axios"; Axios.get("https://api.twilio.com/2010-04-01/Accounts.json");"#,
        r#"axios.get("https://sync.twilio.com/v1/Services");"#,
        r#"axios.post("https://api.twilio.com/2010-04-01/Accounts/x/Messages.json", data, { auth });"#,
        r#"axios({ method: "post", url: "https://studio.twilio.com/v2/Flows" });"#,
        r#"axios.request({ baseURL: "https://api.twilio.com", url: "/2010-04-01/Accounts.json" });"#,
        r#"const client = axios.create({ baseURL: "https://taskrouter.twilio.com/v1" });"#,
        // XMLHttpRequest.
        r#"const xhr = new XMLHttpRequest(); xhr.open("POST", "https://api.twilio.com/2010-04-01/Accounts/x/Calls.json");"#,
        "const req = new XMLHttpRequest(); req.open(method, `https://api.twilio.com/2010-04-01/Accounts/${sid}/Calls.json`, true);",
        // jQuery.
        r#"$.ajax({ url: "https://lookups.twilio.com/v2/PhoneNumbers/x", type: "GET" });"#,
        r#"$.get("https://chat.twilio.com/v2/Services");"#,
        r#"jQuery.post("https://notify.twilio.com/v1/Services", payload);"#,
        // superagent, ky, Request, URL.
        r#"superagent.post("https://api.twilio.com/2010-04-01/Accounts/x/Messages.json").send(form);"#,
        r#"request.get("https://monitor.twilio.com/v1/Events").end(cb);"#,
        r#"ky.post("https://messaging.twilio.com/v1/Services", { json });"#,
        r#"ky("https://video.twilio.com/v1/Rooms");"#,
        r#"const req = new Request("https://voice.twilio.com/v1/Calls", { method: "POST" });"#,
        r#"fetch(new URL("/2010-04-01/Accounts.json", "https://api.twilio.com"));"#,
        r#"fetch(new URL("https://serverless.twilio.com/v1/Services"));"#,
        // Env var with a REST fallback.
        r#"fetch(process.env.FLEX_APP_TWILIO_API || "https://api.twilio.com/2010-04-01/Accounts.json");"#,
    ];

    const CLEAN: &[&str] = &[
        // A name that requests in one scope is another function elsewhere (a bundle's `e`).
        "function a() { const e = (t) => fetch(t); return e; }\nfunction b() { const e = (u) => u.toUpperCase(); return e('https://api.twilio.com/2010-04-01'); }",
        r#"fetch("https://example-1234.twil.io/send-sms", { method: "POST" });"#,
        // Strings that are never requested.
        r#"const docs = "https://api.twilio.com/2010-04-01/Accounts.json";"#,
        r#"console.log("https://api.twilio.com/2010-04-01/Accounts.json");"#,
        // Not a Twilio REST host.
        r#"fetch("https://api.twilio.com.evil.example/x");"#,
        r#"fetch("https://www.twilio.com/docs/flex");"#,
        r#"fetch("https://console.twilio.com/");"#,
        r#"fetch("https://eventgw.twilio.com/v4/EndpointEvents", { method: "POST", body });"#,
        r#"new WebSocket("wss://chunderw-vpc-gll.twilio.com/signal");"#,
        r#"fetch(url);"#,
        // SDK internals: telemetry and signalling hosts, products the file does not name.
        "xhr.open('POST', `https://sdkgw.${realm}.twilio.com/v1/EndpointMetrics`);",
        "fetch(`https://${product}.twilio.com/v1/Configuration`);",
        "fetch(`https://${host}/v1/registrations`, { method: 'POST', body });",
        "const ws = new WebSocket(`wss://voice-js.${edge}.twilio.com/signal`);",
        // Authenticated with the Flex user token: legitimate.
        "fetch(`https://taskrouter.twilio.com/v1/Workspaces/${ws}/Workers`, { headers: { Authorization: 'Basic ' + btoa(`token:${manager.user.token}`) } });",
        "const token = manager.user.token;\nfetch(`https://taskrouter.twilio.com/v1/Workspaces/${ws}/Tasks`, { headers: { Authorization: `Basic ${btoa('token:' + token)}` } });",
        "axios.get('https://flex-api.twilio.com/v1/Configuration', { auth: { username: 'token', password: manager.store.getState().flex.session.ssoTokenPayload.token } });",
        "const headers = { Authorization: 'Basic ' + btoa('token:' + Manager.getInstance().user.token) };\nfetch('https://taskrouter.twilio.com/v1/Workspaces', { headers });",
        "const xhr = new XMLHttpRequest();\nxhr.open('GET', 'https://flex-api.twilio.com/v1/Configuration');\nxhr.setRequestHeader('Authorization', 'Basic ' + btoa('token:' + getTokenInfo().token));",
        // Flex UI API usage and help links.
        r#"Actions.invokeAction("StartOutboundCall", { destination: "+15555550100" });"#,
        r#"const manager = Manager.getInstance(); manager.workerClient.update({});"#,
        r#"const Help = () => <a href="https://www.twilio.com/docs/flex/developer/plugins">Docs</a>;"#,
        r#"const L = () => <a href="https://api.twilio.com/2010-04-01">API</a>;"#,
        // A window opened on a link is not an API request; `open` needs an HTTP verb.
        r#"window.open("https://console.twilio.com/us1/develop/flex", "_blank");"#,
        r#"window.open(link, "https://api.twilio.com/2010-04-01");"#,
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
