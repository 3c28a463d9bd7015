//! HTTP requests as the code-pattern rules see them: which calls send a request (`fetch`, axios,
//! ky, jQuery, superagent, `XMLHttpRequest#open`, `new Request`), the constant prefix of the URL
//! they request, and what kind of host that URL names. Shared by `direct-api-call` and
//! `function-call-without-token`; it only looks at the call node it is given (no walking).

use std::borrow::Cow;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use swc_ecma_visit::{Visit, VisitWith};

use swc_ecma_ast::{
    BinaryOp, CallExpr, Callee, Expr, ExprOrSpread, Lit, MemberExpr, MemberProp, NewExpr,
    ObjectLit, Prop, PropName, PropOrSpread,
};

use crate::engine::Ctx;
use crate::summary::Value;

/// Deepest chain of `const`/template/concat indirections followed to find a URL prefix.
const MAX_DEPTH: u32 = 16;
/// Most expressions one URL is assembled from (see `prefix_into`).
const MAX_STEPS: u32 = 4096;
/// Longest URL text assembled; the host and path prefix are all the rules need.
const MAX_URL_LEN: usize = 4096;

/// The library a request goes through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lib {
    Fetch,
    Axios,
    Ky,
    JQuery,
    Superagent,
    Xhr,
    /// `new Request(url, init)`.
    RequestCtor,
}

impl Lib {
    /// Requests whose headers and body are set by later calls (`xhr.setRequestHeader`,
    /// superagent's `.set()`/`.send()`), so nothing about them is visible at the call itself.
    pub fn configured_elsewhere(self) -> bool {
        matches!(self, Lib::Xhr | Lib::Superagent)
    }
}

/// Where a request's URL comes from.
#[derive(Clone, Copy)]
pub enum UrlSrc<'a> {
    Expr(&'a Expr),
    /// A base URL and a path (`axios({ baseURL, url })`, `ky.create({ prefixUrl })`).
    Joined(Option<&'a Expr>, Option<&'a Expr>),
    /// A requester's base URL, then the caller's path (`api.get(path)`, see [`Requester`]).
    Based(&'a str, Option<&'a Expr>),
}

/// One request call.
pub struct Request<'a> {
    pub lib: Lib,
    pub url: UrlSrc<'a>,
    /// Arguments that carry the body, headers, auth or config (everything after the URL).
    pub options: Vec<&'a Expr>,
    /// `axios.create(...)` / `ky.create(...)`: a client whose base URL applies to later calls.
    pub factory: bool,
}

const HTTP_METHODS: &[&str] = &[
    "get", "post", "put", "patch", "delete", "del", "head", "options",
];

fn ident_name(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Ident(ident) => Some(&ident.sym),
        Expr::Paren(p) => ident_name(&p.expr),
        _ => None,
    }
}

fn prop_name(prop: &MemberProp) -> Option<&str> {
    match prop {
        MemberProp::Ident(ident) => Some(&ident.sym),
        _ => None,
    }
}

fn args(args: &[ExprOrSpread]) -> Vec<&Expr> {
    args.iter()
        .take_while(|a| a.spread.is_none())
        .map(|a| &*a.expr)
        .collect()
}

/// The request a call makes, if it is one.
pub fn from_call(call: &CallExpr) -> Option<Request<'_>> {
    let Callee::Expr(callee) = &call.callee else {
        return None;
    };
    // Collected only for a request-shaped callee: this runs for every call of a bundle.
    let args = || args(&call.args);
    let url_first = |lib: Lib| {
        let args = args();
        let (url, rest) = args.split_first()?;
        Some(Request {
            lib,
            url: UrlSrc::Expr(url),
            options: rest.to_vec(),
            factory: false,
        })
    };
    // `axios(config)`, `$.ajax(settings)`: the URL is a property of the object.
    let config_or_url = |lib: Lib| {
        let args = args();
        match args.first() {
            Some(Expr::Object(object)) => Some(from_config(lib, object, &args, false)),
            _ => url_first(lib),
        }
    };
    let factory = |lib: Lib| {
        let args = args();
        match args.first() {
            Some(Expr::Object(object)) => Some(from_config(lib, object, &args, true)),
            _ => None,
        }
    };
    match &**callee {
        Expr::Ident(ident) => match &*ident.sym {
            "fetch" => url_first(Lib::Fetch),
            "axios" | "Axios" => config_or_url(Lib::Axios),
            "ky" => url_first(Lib::Ky),
            "superagent" => match args()[..] {
                [_, url, ref options @ ..] => Some(Request {
                    lib: Lib::Superagent,
                    url: UrlSrc::Expr(url),
                    options: options.to_vec(),
                    factory: false,
                }),
                _ => url_first(Lib::Superagent),
            },
            _ => None,
        },
        Expr::Member(member) => {
            let method = prop_name(&member.prop)?;
            // `import Axios from 'axios'` is as common as the lower-case name.
            let object = ident_name(&member.obj).map(|o| if o == "Axios" { "axios" } else { o });
            match (object, method) {
                (_, "fetch") if matches!(object, Some("window" | "globalThis" | "self") | None) => {
                    url_first(Lib::Fetch)
                }
                (Some("axios"), "create") => factory(Lib::Axios),
                (Some("axios"), "request") => config_or_url(Lib::Axios),
                (Some("axios"), m) if HTTP_METHODS.contains(&m) => url_first(Lib::Axios),
                (Some("ky"), "create" | "extend") => factory(Lib::Ky),
                (Some("ky"), m) if HTTP_METHODS.contains(&m) => url_first(Lib::Ky),
                (Some("$" | "jQuery"), "ajax") => config_or_url(Lib::JQuery),
                (Some("$" | "jQuery"), "get" | "post" | "getJSON") => url_first(Lib::JQuery),
                (Some("superagent" | "request" | "agent"), m) if HTTP_METHODS.contains(&m) => {
                    url_first(Lib::Superagent)
                }
                // `xhr.open(method, url)`: any receiver; a literal method must be an HTTP verb
                // (so `window.open(url, "_blank")` is not a request).
                (receiver, "open")
                    if !matches!(
                        receiver,
                        Some("window" | "document" | "self" | "globalThis")
                    ) =>
                {
                    let args = args();
                    if args.len() < 2 {
                        return None;
                    }
                    let verb = match args[0] {
                        Expr::Lit(Lit::Str(s)) => {
                            HTTP_METHODS.contains(&&*s.value.to_string_lossy().to_lowercase())
                        }
                        Expr::Lit(_) => false,
                        _ => true,
                    };
                    verb.then(|| Request {
                        lib: Lib::Xhr,
                        url: UrlSrc::Expr(args[1]),
                        options: Vec::new(),
                        factory: false,
                    })
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// `new Request(url, init)`.
pub fn from_new(new: &NewExpr) -> Option<Request<'_>> {
    if ident_name(&new.callee)? != "Request" {
        return None;
    }
    let args = args(new.args.as_deref().unwrap_or_default());
    let (url, rest) = args.split_first()?;
    Some(Request {
        lib: Lib::RequestCtor,
        url: UrlSrc::Expr(url),
        options: rest.to_vec(),
        factory: false,
    })
}

fn from_config<'a>(
    lib: Lib,
    object: &'a ObjectLit,
    args: &[&'a Expr],
    factory: bool,
) -> Request<'a> {
    let base = object_value(object, &["baseURL", "prefixUrl"]);
    let path = object_value(object, &["url"]);
    let mut options = vec![args[0]];
    options.extend_from_slice(&args[1..]);
    Request {
        lib,
        url: UrlSrc::Joined(base, path),
        options,
        factory,
    }
}

/// The key of an object property, when it is a plain name or string.
pub fn key_name(key: &PropName) -> Option<Cow<'_, str>> {
    match key {
        PropName::Ident(ident) => Some(Cow::Borrowed(&ident.sym)),
        PropName::Str(s) => Some(s.value.to_string_lossy()),
        _ => None,
    }
}

/// The value of the first property named one of `keys`.
pub fn object_value<'a>(object: &'a ObjectLit, keys: &[&str]) -> Option<&'a Expr> {
    object.props.iter().find_map(|prop| match prop {
        PropOrSpread::Prop(prop) => match &**prop {
            Prop::KeyValue(kv) => key_name(&kv.key)
                .filter(|k| keys.contains(&&**k))
                .map(|_| &*kv.value),
            _ => None,
        },
        PropOrSpread::Spread(_) => None,
    })
}

/// Keys of request options that carry what the server sees besides the URL.
const PAYLOAD_KEYS: &[&str] = &[
    "body",
    "data",
    "json",
    "form",
    "params",
    "searchParams",
    "headers",
    "auth",
    "username",
    "password",
];

/// What a request's body, query and headers show of the Flex user token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Payload {
    /// Everything is visible here, and carries no token (a key that does is noted by the rule).
    Visible,
    /// Everything is visible except an object a caller passes in and this function spreads
    /// into the payload.
    FromCaller,
    /// Part of it is not visible here (a variable of unknown content, a member, an import).
    Hidden,
    /// A local object the request sends carries a `Token` or `Authorization` key.
    Token,
}

/// `Token` (what `functionValidator` reads), `token` in any case (what a Function that calls
/// `validator(event.token, …)` itself reads), or an `Authorization` header: a key that can
/// carry the Flex user token.
pub fn carries_token(key: &str) -> bool {
    key.eq_ignore_ascii_case("token") || key.eq_ignore_ascii_case("authorization")
}

/// A body value that is the Flex user token itself (`{ jwe: manager.user.token }`), whatever
/// its key: the Function it is sent to reads it from there.
pub fn is_user_token_value(value: &Expr) -> bool {
    match unparen(value) {
        Expr::Member(member) => is_user_token(member),
        Expr::OptChain(chain) => chain.base.as_member().is_some_and(is_user_token),
        _ => false,
    }
}

/// The whole query string is a `URLSearchParams` (or `qs.stringify`) local:
/// `` `${url}?${params}` `` or `url + "?" + params.toString()`. What the query sends is then
/// written where that local is filled.
pub fn query_is_local(ctx: &Ctx, url: UrlSrc) -> bool {
    query_local(url).is_some_and(|name| is_query_builder(ctx, name))
}

/// The local a URL's whole query string is, if it is one.
fn query_local<'a>(url: UrlSrc<'a>) -> Option<&'a str> {
    let local = |expr: &'a Expr| -> Option<&'a str> {
        match unparen(expr) {
            Expr::Ident(ident) => Some(&ident.sym),
            Expr::Call(call) if call.args.is_empty() => match &call.callee {
                Callee::Expr(callee) => match unparen(callee) {
                    Expr::Member(m) => ident_name(&m.obj),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        }
    };
    let UrlSrc::Expr(expr) = url else {
        return None;
    };
    match unparen(expr) {
        Expr::Tpl(tpl) => {
            // `…?${params}` with nothing after it.
            let [.., before, last] = tpl.quasis.as_slice() else {
                return None;
            };
            if !(before.raw.ends_with('?') && last.raw.is_empty()) {
                return None;
            }
            local(tpl.exprs.last()?)
        }
        Expr::Bin(bin) if bin.op == BinaryOp::Add => {
            let operands = crate::fold::add_operands(expr);
            let [.., before, last] = operands.as_slice() else {
                return None;
            };
            let ends_query = matches!(unparen(before), Expr::Lit(Lit::Str(s)) if s.value.to_string_lossy().ends_with('?'));
            if !ends_query {
                return None;
            }
            local(last)
        }
        _ => None,
    }
}

/// `name` is bound, in the function being walked, to `new URLSearchParams(…)` or a
/// `stringify(…)` of a query-string library.
pub fn is_query_builder(ctx: &Ctx, name: &str) -> bool {
    let text = ctx.text(ctx.enclosing_function());
    [
        "new URLSearchParams",
        "qs.stringify",
        "querystring.stringify",
    ]
    .iter()
    .any(|builder| {
        text.match_indices(name).any(|(at, _)| {
            let after = text[at + name.len()..].trim_start();
            let before_ok = !text[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == '.');
            before_ok
                && after.strip_prefix('=').is_some_and(|rest| {
                    !rest.starts_with('=') && rest.trim_start().starts_with(builder)
                })
        })
    })
}

/// Deepest chain of local objects spread into each other that is followed.
const MAX_PAYLOAD_DEPTH: u32 = 4;

/// What the request at `at` sends, looking through local objects declared in the same function
/// (`const body = { a, b }; fetch(url, { body: JSON.stringify(body) })`).
pub fn payload(ctx: &Ctx, request: &Request, at: swc_common::BytePos) -> Payload {
    if request.lib.configured_elsewhere() {
        return Payload::Hidden;
    }
    request
        .options
        .iter()
        .map(|o| match o {
            Expr::Object(object) => object_payload(ctx, object, at, 0, true),
            // Options in a local (`const options = { method, body: … }`): only their keys are
            // kept, so a payload key there hides its value.
            Expr::Ident(ident) => match ctx.local_object(&ident.sym, at) {
                Some(local) if local.keys.iter().any(|k| PAYLOAD_KEYS.contains(&&**k)) => {
                    Payload::Hidden
                }
                _ => value_payload(ctx, o, at, 0),
            },
            other => value_payload(ctx, other, at, 0),
        })
        .max()
        .unwrap_or(Payload::Visible)
}

/// An options object: only its payload keys matter (`options`), or every key of a body.
fn object_payload(
    ctx: &Ctx,
    object: &ObjectLit,
    at: swc_common::BytePos,
    depth: u32,
    options: bool,
) -> Payload {
    object
        .props
        .iter()
        .map(|prop| match prop {
            PropOrSpread::Spread(spread) => spread_payload(ctx, &spread.expr, at, depth),
            PropOrSpread::Prop(prop) => match &**prop {
                Prop::KeyValue(kv) => match key_name(&kv.key) {
                    Some(key) if options && PAYLOAD_KEYS.contains(&&*key) => {
                        value_payload(ctx, &kv.value, at, depth)
                    }
                    Some(key) if !options && carries_token(&key) => Payload::Token,
                    _ if !options && is_user_token_value(&kv.value) => Payload::Token,
                    _ => Payload::Visible,
                },
                Prop::Shorthand(ident) if !options && carries_token(&ident.sym) => Payload::Token,
                Prop::Shorthand(ident) if options && PAYLOAD_KEYS.contains(&&*ident.sym) => {
                    value_payload(ctx, &Expr::Ident(ident.clone()), at, depth)
                }
                _ => Payload::Visible,
            },
        })
        .max()
        .unwrap_or(Payload::Visible)
}

fn value_payload(ctx: &Ctx, expr: &Expr, at: swc_common::BytePos, depth: u32) -> Payload {
    if depth > MAX_PAYLOAD_DEPTH {
        return Payload::Hidden;
    }
    match expr {
        Expr::Ident(ident) => local_payload(ctx, &ident.sym, at, depth).unwrap_or(Payload::Hidden),
        Expr::Paren(p) => value_payload(ctx, &p.expr, at, depth),
        Expr::Call(call) => call.args.first().map_or(Payload::Visible, |a| {
            value_payload(ctx, &a.expr, at, depth + 1)
        }),
        Expr::New(new) => new
            .args
            .as_deref()
            .and_then(<[ExprOrSpread]>::first)
            .map_or(Payload::Visible, |a| {
                value_payload(ctx, &a.expr, at, depth + 1)
            }),
        Expr::Object(object) => object_payload(ctx, object, at, depth + 1, false),
        Expr::Member(_) | Expr::OptChain(_) => Payload::Hidden,
        _ => Payload::Visible,
    }
}

fn spread_payload(ctx: &Ctx, expr: &Expr, at: swc_common::BytePos, depth: u32) -> Payload {
    let Expr::Ident(ident) = expr else {
        return Payload::Hidden;
    };
    if let Some(payload) = local_payload(ctx, &ident.sym, at, depth) {
        return payload;
    }
    if ctx.is_param(&ident.sym) {
        Payload::FromCaller
    } else {
        Payload::Hidden
    }
}

/// The payload of a local object, if the name is one here.
fn local_payload(
    ctx: &Ctx,
    name: &swc_atoms::Atom,
    at: swc_common::BytePos,
    depth: u32,
) -> Option<Payload> {
    let object = ctx.local_object(name, at)?;
    if depth >= MAX_PAYLOAD_DEPTH || object.partial {
        return Some(Payload::Hidden);
    }
    if object.keys.iter().any(|k| carries_token(k)) {
        return Some(Payload::Token);
    }
    let spreads = object.spreads.iter().map(|spread| match spread {
        Some(name) => spread_payload(
            ctx,
            &Expr::Ident(swc_ecma_ast::Ident::new_no_ctxt(
                name.clone(),
                swc_common::DUMMY_SP,
            )),
            at,
            depth + 1,
        ),
        None => Payload::Hidden,
    });
    Some(spreads.max().unwrap_or(Payload::Visible))
}

/// Keys of request options that can carry credentials (the Flex user token included).
const AUTH_KEYS: &[&str] = &["headers", "auth", "username", "password"];

/// Like [`opaque`], but only for what can authenticate the request: a body held in a variable
/// does not hide an `Authorization` header.
pub fn opaque_auth(request: &Request) -> bool {
    request.lib.configured_elsewhere()
        || request.options.iter().any(|o| opaque_options(o, AUTH_KEYS))
}

fn opaque_options(expr: &Expr, keys: &[&str]) -> bool {
    match expr {
        Expr::Object(object) => object.props.iter().any(|prop| match prop {
            PropOrSpread::Spread(_) => true,
            PropOrSpread::Prop(prop) => match &**prop {
                Prop::KeyValue(kv) => {
                    key_name(&kv.key).is_some_and(|k| keys.contains(&&*k))
                        && opaque_value(&kv.value)
                }
                Prop::Shorthand(ident) => keys.contains(&&*ident.sym),
                _ => false,
            },
        }),
        other => opaque_value(other),
    }
}

/// A value whose content is not visible here: a variable, or a call/constructor of one
/// (`JSON.stringify(body)`, `new URLSearchParams(form)`), or an object with a spread.
fn opaque_value(expr: &Expr) -> bool {
    match expr {
        Expr::Ident(_) | Expr::Member(_) | Expr::OptChain(_) => true,
        Expr::Paren(p) => opaque_value(&p.expr),
        Expr::Call(call) => call.args.first().is_some_and(|a| opaque_value(&a.expr)),
        Expr::New(new) => new
            .args
            .as_deref()
            .and_then(<[ExprOrSpread]>::first)
            .is_some_and(|a| opaque_value(&a.expr)),
        Expr::Object(object) => object
            .props
            .iter()
            .any(|p| matches!(p, PropOrSpread::Spread(_))),
        _ => false,
    }
}

/// The constant start of the URL a request names, if any: the whole URL when the file
/// determines it, else the part before the first unknown expression (the host is usually
/// constant). `process.env.X || "https://…"` yields the fallback.
pub fn url_prefix(ctx: &Ctx, src: UrlSrc) -> Option<String> {
    let mut out = String::new();
    let mut budget = MAX_STEPS;
    let steps = &mut budget;
    match src {
        UrlSrc::Expr(expr) => {
            prefix_into(ctx, expr, 0, steps, &mut out);
        }
        UrlSrc::Based(base, path) => {
            out.push_str(base);
            if let Some(path) = path {
                let mut p = String::new();
                prefix_into(ctx, path, 0, steps, &mut p);
                if is_absolute(&p) || base.is_empty() {
                    out = p;
                } else {
                    out.push_str(&p);
                }
            }
        }
        UrlSrc::Joined(base, path) => {
            let complete = base.is_none_or(|b| prefix_into(ctx, b, 0, steps, &mut out));
            if let Some(path) = path {
                let mut p = String::new();
                prefix_into(ctx, path, 0, steps, &mut p);
                if is_absolute(&p) {
                    out = p;
                } else if complete {
                    out.push_str(&p);
                }
            }
        }
    }
    if host(&out).is_none() {
        ctx.needs_context();
    }
    (!out.is_empty()).then_some(out)
}

/// Where a request may reach a Twilio Function of the repository: the URL's path
/// (`/features/video/get-token`, without query or trailing slash; [`UNKNOWN`] where the file
/// does not determine it). `None` when the URL names a host that is no Functions host, or no
/// path follows it.
pub fn function_target(ctx: &Ctx, request: &Request) -> Option<String> {
    if request.factory {
        return None;
    }
    let mut url = url_prefix(ctx, request.url)?;
    // A placeholder sentence around the URL (`'Replace with your domain https://…/x'`).
    if !is_absolute(&url) && url.contains(char::is_whitespace) {
        if let Some(at) = url.find("https://").or_else(|| url.find("http://")) {
            url.drain(..at);
        }
    }
    let after_authority = |url: &str| -> Option<usize> {
        let start = url.find("://")? + 3;
        Some(start + url[start..].find('/')?)
    };
    let rest = match host(&url) {
        // A host the file does not determine (`https://${domain}/x`) may be a Functions host.
        Some(named) if named.contains(UNKNOWN) && !is_twilio_rest_host(&named) => {
            &url[after_authority(&url)?..]
        }
        // `https://your-ngrok-domain/x`: to be filled in, so possibly a Functions host.
        Some(named) if is_placeholder_host(&named) => &url[after_authority(&url)?..],
        Some(named) => {
            let functions = is_functions_host(&named)
                || ctx
                    .function_domains()
                    .iter()
                    .any(|d| d.eq_ignore_ascii_case(&named));
            if !functions {
                return None;
            }
            &url[after_authority(&url)?..]
        }
        // `http${secure ? "s" : ""}://${domain}/x`: a scheme the file does not determine.
        None if url
            .find("://")
            .is_some_and(|at| !url[..at].contains(['/', '?', '#'])) =>
        {
            let start = url.find("://")? + 3;
            let authority = &url[start..after_authority(&url)?];
            if !(authority.contains(UNKNOWN) || is_functions_host(authority)) {
                return None;
            }
            &url[after_authority(&url)?..]
        }
        None => url.trim_start_matches(UNKNOWN),
    };
    let path = rest.split(['?', '#']).next()?.trim_end_matches('/');
    (path.starts_with('/') && path.len() > 1).then(|| path.to_string())
}

/// The env variable a request's whole URL comes from, when nothing in the repository gives its
/// value (`fetch(process.env.FLEX_APP_PARK_URL, …)`, `` `${process.env.X}?sid=${sid}` ``, a
/// `const` holding either): its name may still say which Function of the repository it is.
pub fn url_variable(ctx: &Ctx, request: &Request) -> Option<String> {
    let UrlSrc::Expr(mut expr) = request.url else {
        return None;
    };
    if request.factory || url_prefix(ctx, request.url).is_some_and(|url| host(&url).is_some()) {
        return None;
    }
    for _ in 0..MAX_DEPTH {
        expr = match unparen(expr) {
            // Only a query may follow the variable: a path after it is paired by the path.
            Expr::Tpl(tpl) => {
                let first = tpl.quasis.first()?.cooked.as_ref()?;
                let after = tpl.quasis.get(1)?.cooked.as_ref()?.to_string_lossy();
                if !first.is_empty() || !(after.is_empty() || after.starts_with('?')) {
                    return None;
                }
                tpl.exprs.first()?
            }
            Expr::Bin(bin) if bin.op == BinaryOp::Add => {
                let mut operands = crate::fold::add_operands(unparen(expr)).into_iter();
                let first = operands.next()?;
                let after = operands.next().map(|e| ctx.fold(e));
                if after.is_some_and(|a| !a.is_some_and(|a| a.is_empty() || a.starts_with('?'))) {
                    return None;
                }
                first
            }
            Expr::Ident(ident) => match ctx.url_declarations(&ident.sym) {
                [only] => only,
                _ => ctx.binding(&ident.sym)?,
            },
            Expr::Member(member) => return env_variable(member).map(str::to_string),
            _ => return None,
        };
    }
    None
}

/// A host written to be replaced: one label only (`some-domain`, `your-ngrok-domain`; not
/// `localhost`), a label starting with `your`, or an example domain.
fn is_placeholder_host(host: &str) -> bool {
    let host = host.split(':').next().unwrap_or(host);
    (!host.contains('.') && host != "localhost")
        || host.split('.').any(|label| label.starts_with("your"))
        || ["example.com", "example.org", "example.net"]
            .iter()
            .any(|domain| host == *domain || host.ends_with(&format!(".{domain}")))
}

fn is_absolute(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// Marks a part of a URL the file does not determine, so that `https://api.${edge}.ie1.twilio.com`
/// still names its product. It cannot occur in a real host name.
pub const UNKNOWN: char = '*';

/// A part of a template or concatenation: its text, or [`UNKNOWN`] when it is not constant.
fn part_into(ctx: &Ctx, expr: &Expr, depth: u32, steps: &mut u32, out: &mut String) -> bool {
    let complete = prefix_into(ctx, expr, depth + 1, steps, out);
    if !complete && !out.ends_with(UNKNOWN) {
        out.push(UNKNOWN);
    }
    complete
}

/// Appends the text of `expr`, with [`UNKNOWN`] for the parts the file does not determine;
/// true when the whole expression was constant.
fn prefix_into(ctx: &Ctx, expr: &Expr, depth: u32, steps: &mut u32, out: &mut String) -> bool {
    // Steps as well as depth: a binding that refers to itself (`var a = a + a + a`) is
    // followed exponentially often within MAX_DEPTH (found by fuzzing: 28 s for 1 KB).
    if depth > MAX_DEPTH || *steps == 0 {
        return false;
    }
    *steps -= 1;
    if let Some(value) = ctx.fold(expr) {
        out.push_str(&value);
        return true;
    }
    match expr {
        Expr::Paren(p) => prefix_into(ctx, &p.expr, depth + 1, steps, out),
        Expr::Tpl(tpl) => {
            let mut complete = true;
            for (i, quasi) in tpl.quasis.iter().enumerate() {
                let Some(cooked) = &quasi.cooked else {
                    return false;
                };
                out.push_str(&cooked.to_string_lossy());
                if let Some(e) = tpl.exprs.get(i) {
                    complete &= part_into(ctx, e, depth, steps, out);
                }
            }
            complete
        }
        Expr::Bin(bin) if bin.op == BinaryOp::Add => {
            let mut complete = true;
            for operand in crate::fold::add_operands(expr) {
                complete &= part_into(ctx, operand, depth, steps, out);
                if out.len() > MAX_URL_LEN {
                    return false;
                }
            }
            complete
        }
        Expr::Bin(bin)
            if out.is_empty()
                && matches!(bin.op, BinaryOp::LogicalOr | BinaryOp::NullishCoalescing) =>
        {
            // An env var with a literal fallback: the fallback says where it points.
            let mut fallback = String::new();
            let complete = prefix_into(ctx, &bin.right, depth + 1, steps, &mut fallback);
            if is_absolute(&fallback) {
                out.push_str(&fallback);
                return complete;
            }
            // `` `${base}/x` ?? '' ``: an empty fallback leaves the URL on the left.
            if complete && fallback.trim().is_empty() {
                return prefix_into(ctx, &bin.left, depth + 1, steps, out);
            }
            false
        }
        Expr::Ident(ident) => match ctx.binding(&ident.sym) {
            Some(init) => prefix_into(ctx, init, depth + 1, steps, out),
            None => match ctx.imported(&ident.sym).map(|r| &r.value) {
                Some(Value::Url { value }) => push_project_url(ctx, value, out),
                _ => same_host_everywhere(ctx, &ident.sym, depth, steps, out),
            },
        },
        Expr::Member(member) => {
            if let Some(value) = project_url(ctx, expr) {
                if value.contains(ENV_OPEN) {
                    return push_project_url(ctx, value, out);
                }
                // `https://${process.env.DOMAIN}` where the env file gives the host with a scheme.
                let value = match value.find("://") {
                    Some(at) if out.ends_with("://") => &value[at + 3..],
                    _ => value,
                };
                out.push_str(value);
                return true;
            }
            // `this.baseUrl` / `Service.baseUrl`: a class field's initialiser.
            let is_class_ref = matches!(&*member.obj, Expr::This(_) | Expr::Ident(_));
            if let (true, MemberProp::Ident(prop)) = (is_class_ref, &member.prop) {
                if let Some(init) = ctx.field(&prop.sym) {
                    return prefix_into(ctx, init, depth + 1, steps, out);
                }
                // A field a base class in another module sets.
                if let Some(Value::Url { value }) = ctx
                    .imported(&format!("this.{}", prop.sym))
                    .map(|r| &r.value)
                {
                    return push_project_url(ctx, value, out);
                }
            }
            if let Some(host) = functions_host_by_name(expr) {
                // The repository's env files may give the variable's real value, path included.
                ctx.needs_context();
                if out.is_empty() {
                    out.push_str("https://");
                }
                out.push_str(&host);
                return true;
            }
            false
        }
        // `new URL(path, base)`.
        Expr::New(new) if ident_name(&new.callee) == Some("URL") => {
            let args = args(new.args.as_deref().unwrap_or_default());
            resolved_into(ctx, args.first(), args.get(1), depth, steps, out)
        }
        // Node's `url.resolve(base, path)`.
        Expr::Call(call) if is_url_resolve(call) => {
            let args = args(&call.args);
            resolved_into(ctx, args.get(1), args.first(), depth, steps, out)
        }
        _ => false,
    }
}

/// `path` resolved against `base`, as `new URL(path, base)` and `url.resolve(base, path)` do,
/// taking the base for an origin. A base the file does not determine still leaves the path:
/// `url.resolve(props.domain, 'list')` requests `…/list`.
fn resolved_into(
    ctx: &Ctx,
    path: Option<&&Expr>,
    base: Option<&&Expr>,
    depth: u32,
    steps: &mut u32,
    out: &mut String,
) -> bool {
    let mut resolved = String::new();
    let path_complete = path.is_some_and(|p| prefix_into(ctx, p, depth + 1, steps, &mut resolved));
    if is_absolute(&resolved) {
        out.push_str(&resolved);
        return path_complete;
    }
    let mut origin = String::new();
    let base_complete = base.is_some_and(|b| prefix_into(ctx, b, depth + 1, steps, &mut origin));
    if !base_complete && !path_complete {
        out.push_str(&origin);
        return false;
    }
    if !base_complete && !origin.ends_with(UNKNOWN) {
        origin.push(UNKNOWN);
    }
    out.push_str(origin.trim_end_matches('/'));
    if !resolved.starts_with('/') {
        out.push('/');
    }
    out.push_str(&resolved);
    path_complete && base_complete
}

/// `url.resolve(base, path)` (Node's `url` module, imported under any casing of its name).
fn is_url_resolve(call: &CallExpr) -> bool {
    let Callee::Expr(callee) = &call.callee else {
        return false;
    };
    let Expr::Member(member) = unparen(callee) else {
        return false;
    };
    call.args.len() == 2
        && prop_name(&member.prop) == Some("resolve")
        && ident_name(&member.obj).is_some_and(|o| o.eq_ignore_ascii_case("url"))
}

/// A name the folder cannot fold: its one declaration (`const url = `${this.base}/x``), or the
/// one in the function being walked, or, when
/// several functions declare it (`/a` in one method, `/b` in the next) and every declaration
/// names the same host, that host.
fn same_host_everywhere(
    ctx: &Ctx,
    name: &swc_atoms::Atom,
    depth: u32,
    steps: &mut u32,
    out: &mut String,
) -> bool {
    let inits = ctx.url_declarations(name);
    if let [only] = inits {
        return prefix_into(ctx, only, depth + 1, steps, out);
    }
    // The declaration in the function being walked, when it has its own.
    let within = ctx.enclosing_function();
    let mut local = inits.iter().filter(|init| {
        let span = ctx.span(swc_common::Spanned::span(init));
        span.start >= within.start && span.end <= within.end
    });
    if let (Some(only), None) = (local.next(), local.next()) {
        return prefix_into(ctx, only, depth + 1, steps, out);
    }
    let mut first: Option<String> = None;
    for init in inits {
        let mut candidate = out.clone();
        prefix_into(ctx, init, depth + 1, steps, &mut candidate);
        let Some(found) = host(&candidate) else {
            return false;
        };
        match &first {
            None => first = Some(candidate),
            Some(seen) if host(seen).as_deref() == Some(found.as_str()) => {}
            Some(_) => return false,
        }
    }
    match first {
        Some(url) => {
            // The host is certain; the rest of the URL is not.
            let at = url.find("://").map_or(0, |i| i + 3);
            let end = url[at..].find('/').map_or(url.len(), |i| at + i);
            out.clear();
            out.push_str(&url[..end]);
            out.push('/');
            out.push(UNKNOWN);
            false
        }
        None => false,
    }
}

/// A URL the project defines elsewhere: `ENDPOINTS.tasks`, `config.api.base` (an imported
/// object) or `process.env.FLEX_APP_X` (documented by the repository's `.env` files).
fn project_url<'c>(ctx: &'c Ctx, expr: &Expr) -> Option<&'c str> {
    let mut path = Vec::new();
    let mut current = expr;
    while let Expr::Member(member) = current {
        path.push(match &member.prop {
            MemberProp::Ident(p) => Cow::Borrowed(&*p.sym),
            MemberProp::Computed(c) => Cow::Owned(ctx.fold(&c.expr)?),
            MemberProp::PrivateName(_) => return None,
        });
        current = &member.obj;
        if path.len() > 8 {
            return None;
        }
    }
    let Expr::Ident(root) = current else {
        return None;
    };
    path.reverse();
    if root.sym == *"process" && path.len() == 2 && path[0] == "env" {
        return match &ctx.imported(&format!("process.env.{}", path[1]))?.value {
            Value::Url { value } => Some(value),
            _ => None,
        };
    }
    let mut value = &ctx.imported(&root.sym)?.value;
    for key in &path {
        let Value::Object { fields } = value else {
            return None;
        };
        value = fields.get(key.as_ref())?;
    }
    match value {
        Value::Url { value } => Some(value),
        _ => None,
    }
}

/// How a summary writes an env variable inside a URL it exports (`${process.env.NAME}`): the
/// project's value of the variable goes there when the URL is read.
pub const ENV_OPEN: &str = "${process.env.";

/// `process.env.NAME` → `NAME`.
pub fn env_variable(member: &MemberExpr) -> Option<&str> {
    let is_env = matches!(&*member.obj, Expr::Member(env)
        if matches!(&*env.obj, Expr::Ident(p) if p.sym == *"process")
        && matches!(&env.prop, MemberProp::Ident(e) if e.sym == *"env"));
    match &member.prop {
        MemberProp::Ident(name) if is_env => Some(&name.sym),
        _ => None,
    }
}

/// A URL from another module, with each env variable it reads (see [`ENV_OPEN`]) replaced by
/// what the project knows of it: its value in the repository's env files (the message then
/// names the variable), a Functions host named by the variable, or [`UNKNOWN`]. True when
/// every part is known.
fn push_project_url(ctx: &Ctx, value: &str, out: &mut String) -> bool {
    let mut rest = value;
    let mut complete = true;
    while let Some(at) = rest.find(ENV_OPEN) {
        out.push_str(&rest[..at]);
        let after = &rest[at + ENV_OPEN.len()..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[at..]);
            return complete;
        };
        let name = &after[..end];
        match ctx
            .imported(&format!("process.env.{name}"))
            .map(|r| &r.value)
        {
            Some(Value::Url { value }) => {
                let value = match value.find("://") {
                    Some(at) if out.ends_with("://") => &value[at + 3..],
                    _ => value,
                };
                out.push_str(value);
            }
            _ if names_functions_host(name) => {
                if out.is_empty() {
                    out.push_str("https://");
                }
                out.push_str(&format!("process.env.{name}{FUNCTIONS_BY_NAME}"));
            }
            _ => {
                if !out.ends_with(UNKNOWN) {
                    out.push(UNKNOWN);
                }
                complete = false;
            }
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    complete
}

/// A Functions host that a name gives away when no file defines its value: Flex's own runtime
/// domain (`serviceBaseUrl`, `runtime_domain`), or an env var named for the Serverless service
/// (`REACT_APP_SERVERLESS_BASE_DOMAIN`, `FLEX_APP_FUNCTIONS_URL`). Shown by that name.
fn functions_host_by_name(expr: &Expr) -> Option<String> {
    let Expr::Member(member) = expr else {
        return None;
    };
    let MemberProp::Ident(prop) = &member.prop else {
        return None;
    };
    if matches!(
        &*prop.sym,
        "serviceBaseUrl" | "runtime_domain" | "runtimeDomain"
    ) {
        return Some(format!("{}{}", prop.sym, FUNCTIONS_BY_NAME));
    }
    let name = env_variable(member)?;
    names_functions_host(name).then(|| format!("process.env.{name}{FUNCTIONS_BY_NAME}"))
}

/// An env variable named for the Serverless service (`FLEX_APP_FUNCTIONS_URL`).
fn names_functions_host(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    [
        "SERVERLESS",
        "FUNCTIONS",
        "FUNCTION_URL",
        "FUNCTION_DOMAIN",
        "RUNTIME_DOMAIN",
        "SERVICE_BASE_URL",
    ]
    .iter()
    .any(|word| upper.contains(word))
}

/// Appended to a Functions host known only by name, so that it reads as one (`*.twil.io`).
const FUNCTIONS_BY_NAME: &str = ".twil.io";

/// The variable a Functions host known only by name stands for (`process.env.x.twil.io` → `x`).
pub fn functions_variable(host: &str) -> Option<&str> {
    host.strip_prefix("process.env.")?
        .strip_suffix(FUNCTIONS_BY_NAME)
        .filter(|name| !name.contains('.'))
}

/// The host of an absolute http(s) URL, lower-cased (a `*.twil.io` host keeps the spelling of its
/// service part).
pub fn host(url: &str) -> Option<String> {
    let rest = url.trim_start();
    let scheme_end = rest.find("://")?;
    let scheme = rest[..scheme_end].to_ascii_lowercase();
    if scheme != "https" && scheme != "http" {
        return None;
    }
    let rest = &rest[scheme_end + 3..];
    let end = rest.find(['/', '?', '#', '\\']).unwrap_or(rest.len());
    // `user:pass@host:port`: the host is after the credentials and before the port.
    let authority = rest[..end].rsplit('@').next().unwrap_or("");
    let host = authority.split(':').next().unwrap_or("");
    // A Functions host keeps the spelling of its service part: one known only by a name
    // (`process.env.REACT_APP_serverlessUrl.twil.io`) reads as that name.
    let lower = host.to_ascii_lowercase();
    let host = match lower.strip_suffix(FUNCTIONS_BY_NAME) {
        Some(service) => format!("{}{FUNCTIONS_BY_NAME}", &host[..service.len()]),
        None => lower,
    };
    (!host.is_empty()).then_some(host)
}

/// Twilio REST API products, each served at `<product>.twilio.com`.
pub const REST_PRODUCTS: &[&str] = &[
    "accounts",
    "api",
    "assistants",
    "bulkexports",
    "chat",
    "content",
    "conversations",
    "events",
    "fax",
    "flex-api",
    "frontline-api",
    "iam",
    "insights",
    "intelligence",
    "ip-messaging",
    "lookups",
    "marketplace",
    "messaging",
    "microvisor",
    "monitor",
    "notify",
    "numbers",
    "oauth",
    "preview",
    "pricing",
    "proxy",
    "routes",
    "serverless",
    "studio",
    "supersim",
    "sync",
    "taskrouter",
    "trunking",
    "trusthub",
    "verify",
    "video",
    "voice",
    "wireless",
];

fn is_region(label: &str) -> bool {
    let letters = label.trim_end_matches(|c: char| c.is_ascii_digit());
    letters.len() == 2
        && letters.len() < label.len()
        && letters.chars().all(|c| c.is_ascii_lowercase())
}

/// `<product>.twilio.com`, `<product>.<region>.twilio.com` or
/// `<product>.<edge>.<region>.twilio.com` for a REST product.
pub fn is_twilio_rest_host(host: &str) -> bool {
    let Some(sub) = host.strip_suffix(".twilio.com") else {
        return false;
    };
    let labels: Vec<&str> = sub.split('.').collect();
    let product_ok = REST_PRODUCTS.contains(&labels[0]);
    let region = |label: &str| is_region(label) || label.contains(UNKNOWN);
    product_ok
        && match labels.len() {
            1 => true,
            2 => region(labels[1]),
            3 => {
                labels[1]
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c == UNKNOWN)
                    && region(labels[2])
            }
            _ => false,
        }
}

/// A Twilio Functions / Assets domain (`*.twil.io`).
pub fn is_functions_host(host: &str) -> bool {
    host.ends_with(".twil.io")
}

/// `manager.user.token`, `….ssoTokenPayload.token`, `getTokenInfo().token`: the Flex user token,
/// also read optionally (`manager?.user?.token`).
pub fn is_user_token(member: &MemberExpr) -> bool {
    if !matches!(&member.prop, MemberProp::Ident(p) if p.sym == *"token") {
        return false;
    }
    let holder = |inner: &MemberExpr| matches!(&inner.prop, MemberProp::Ident(p) if p.sym == *"user" || p.sym == *"ssoTokenPayload");
    match &*member.obj {
        Expr::Member(inner) => holder(inner),
        Expr::OptChain(chain) => chain.base.as_member().is_some_and(holder),
        Expr::Ident(ident) => ident.sym == *"ssoTokenPayload",
        Expr::Call(call) => call.callee.as_expr().is_some_and(|callee| match &**callee {
            Expr::Ident(ident) => ident.sym == *"getTokenInfo",
            Expr::Member(m) => {
                matches!(&m.prop, MemberProp::Ident(p) if p.sym == *"getTokenInfo")
            }
            _ => false,
        }),
        _ => false,
    }
}

/// Something that sends requests for its callers: a client instance
/// (`const api = axios.create({ baseURL })`, then `api.get(path)`), or a function that passes one
/// of its parameters on as the request URL (`requestJson(url, options)`, `twilioFetch(path)`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
pub struct Requester {
    /// The constant start of every URL it requests; empty when the caller gives the whole URL.
    pub base: String,
    /// For a function, the argument that becomes (the rest of) the URL; `None` for a client
    /// instance, whose methods take the path first (`get(path, config)`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub url_arg: Option<u32>,
    /// It sets credentials on its requests (an `Authorization` header, an `auth` option), or
    /// headers this file does not show.
    #[serde(default)]
    pub auth: bool,
    /// It sends the Flex user token.
    #[serde(default)]
    pub user_token: bool,
    /// An imported name (`TASKROUTER_BASE`, `hosts.REST.api`) the base URL starts with, when the
    /// file alone does not determine it: `base` is then what follows that name, and the project
    /// stage puts the name's value in front.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub base_from: Option<String>,
}

/// The requesters a file defines: by name for module-level declarations (with the line each is
/// defined on), and by the offset where the function or `create` call starts, for one written
/// inline in an export.
#[derive(Default)]
pub struct Requesters {
    pub by_name: HashMap<String, (Requester, u32)>,
    pub by_function: HashMap<u32, Requester>,
}

/// Most requesters kept per file (a bundle has thousands of functions).
const MAX_REQUESTERS: usize = 256;

/// Find the requesters of a file: client instances with a base URL, and functions whose
/// parameter becomes a request's URL.
pub fn requesters(
    program: &swc_ecma_ast::Program,
    ctx: &Ctx,
    index: &crate::parse::LineIndex,
) -> Requesters {
    let mut finder = RequesterFinder {
        ctx,
        index,
        frames: Vec::new(),
        pending_name: None,
        found: Requesters::default(),
    };
    program.visit_with(&mut finder);
    finder.found
}

struct Frame {
    start: u32,
    name: Option<String>,
    params: Vec<String>,
    /// The request whose URL takes a parameter: (base, parameter index, the field the base
    /// starts with when the file does not determine it).
    url: Option<(String, u32, Option<String>)>,
    auth: bool,
    user_token: bool,
}

struct RequesterFinder<'c, 'a> {
    ctx: &'c Ctx<'a>,
    index: &'c crate::parse::LineIndex<'c>,
    frames: Vec<Frame>,
    /// The name a function expression is bound to (`const f = () => …`), for the next frame.
    pending_name: Option<String>,
    found: Requesters,
}

impl RequesterFinder<'_, '_> {
    fn line(&self, offset: u32) -> u32 {
        self.index.position(offset as usize).0
    }

    fn in_frame(&mut self, start: u32, params: Vec<String>, visit: impl FnOnce(&mut Self)) {
        let name = self.pending_name.take();
        self.frames.push(Frame {
            start,
            name,
            params,
            url: None,
            auth: false,
            user_token: false,
        });
        visit(self);
        let Some(frame) = self.frames.pop() else {
            return;
        };
        if let Some(outer) = self.frames.last_mut() {
            outer.auth |= frame.auth;
            outer.user_token |= frame.user_token;
        }
        let Some((base, arg, base_from)) = frame.url else {
            return;
        };
        if self.found.by_function.len() >= MAX_REQUESTERS {
            return;
        }
        let requester = Requester {
            base,
            url_arg: Some(arg),
            auth: frame.auth,
            user_token: frame.user_token,
            base_from,
        };
        if let Some(name) = frame.name {
            let line = self.line(frame.start);
            self.found.by_name.insert(name, (requester.clone(), line));
        }
        self.found.by_function.insert(frame.start, requester);
    }

    fn offset(&self, span: swc_common::Span) -> u32 {
        self.ctx.span(span).start
    }

    /// A request inside a function: when its URL takes one of the parameters of an enclosing
    /// function, that function is a requester.
    fn request(&mut self, request: &Request) {
        let UrlSrc::Expr(url) = request.url else {
            return;
        };
        let mut names = Vec::new();
        url_names(url, 0, &mut names);
        let hit = names.iter().find_map(|name| {
            self.frames
                .iter()
                .enumerate()
                .rev()
                .find_map(|(at, frame)| {
                    let arg = frame.params.iter().position(|p| p == name)?;
                    Some((at, arg as u32))
                })
        });
        let Some((at, arg)) = hit else {
            return;
        };
        if self.frames[at].url.is_some() {
            return;
        }
        let mut base = url_prefix(self.ctx, request.url).unwrap_or_default();
        // `${this.baseUrl}${path}` in a method, where no class of the file sets the field: a
        // subclass in another module may, and the call through it (`this.request(path)`) puts
        // the subclass's value in front.
        let mut base_from = None;
        if let (Some(field), Some(rest)) = (leading_this_field(url), base.strip_prefix(UNKNOWN)) {
            base_from = Some(field);
            base = rest.to_string();
        }
        if let Some(cut) = base.find(UNKNOWN) {
            base.truncate(cut);
        }
        // Options the function is given and passes on are its caller's: the caller's call
        // shows what they hold.
        let forwarded = |o: &Expr| matches!(unparen(o), Expr::Ident(ident) if self.frames[at].params.iter().any(|p| *p == *ident.sym));
        if request
            .options
            .iter()
            .any(|o| !forwarded(o) && opaque_options(o, AUTH_KEYS))
        {
            self.frames[at].auth = true;
        }
        self.frames[at].url = Some((base, arg, base_from));
    }

    /// A client instance (`axios.create({ baseURL })`) whose base URL names a host.
    fn client(&self, request: &Request) -> Option<Requester> {
        let mut base = url_prefix(self.ctx, request.url).unwrap_or_default();
        let mut base_from = None;
        if host(&base).is_none() {
            // `${TASKROUTER_BASE}/Workspaces`: the host is in another module.
            let UrlSrc::Joined(Some(expr), _) = request.url else {
                return None;
            };
            base_from = Some(leading_name(expr)?);
            base = base.strip_prefix(UNKNOWN)?.to_string();
            if let Some(cut) = base.find(UNKNOWN) {
                base.truncate(cut);
            }
        }
        let auth = request
            .options
            .iter()
            .any(|o| opaque_options(o, AUTH_KEYS) || has_auth_key(o));
        Some(Requester {
            base,
            url_arg: None,
            auth,
            user_token: false,
            base_from,
        })
    }

    fn mark(&mut self, auth: bool, user_token: bool) {
        if let Some(frame) = self.frames.last_mut() {
            frame.auth |= auth;
            frame.user_token |= user_token;
        }
    }
}

/// The field of `this` a URL starts with: `this.baseUrl`, `` `${this.baseUrl}/x` ``,
/// `this.baseUrl + path`.
fn leading_this_field(expr: &Expr) -> Option<String> {
    match unparen(expr) {
        Expr::Member(member) if matches!(unparen(&member.obj), Expr::This(_)) => {
            Some(format!("this.{}", prop_name(&member.prop)?))
        }
        Expr::Tpl(tpl) if tpl.quasis.first()?.raw.is_empty() => {
            leading_this_field(tpl.exprs.first()?)
        }
        Expr::Bin(bin) if bin.op == BinaryOp::Add => leading_this_field(add_operands(expr)[0]),
        _ => None,
    }
}

/// The name a URL starts with: `BASE`, `hosts.REST.api`, `` `${BASE}/x` ``, `BASE + "/x"`.
fn leading_name(expr: &Expr) -> Option<String> {
    match unparen(expr) {
        Expr::Ident(ident) => Some(ident.sym.to_string()),
        Expr::Member(member) => {
            let MemberProp::Ident(prop) = &member.prop else {
                return None;
            };
            let object = leading_name(&member.obj)?;
            Some(format!("{object}.{}", prop.sym))
        }
        Expr::Tpl(tpl) => {
            let first = tpl.quasis.first()?;
            if !first.raw.is_empty() {
                return None;
            }
            leading_name(tpl.exprs.first()?)
        }
        Expr::Bin(bin) if bin.op == BinaryOp::Add => leading_name(add_operands(expr)[0]),
        _ => None,
    }
}

fn add_operands(expr: &Expr) -> Vec<&Expr> {
    crate::fold::add_operands(expr)
}

/// The names a URL expression is built from (`url`, `${BASE}${path}`, `base + path`).
fn url_names(expr: &Expr, depth: u32, out: &mut Vec<String>) {
    if depth > 4 {
        return;
    }
    match expr {
        Expr::Ident(ident) => out.push(ident.sym.to_string()),
        Expr::Paren(p) => url_names(&p.expr, depth + 1, out),
        Expr::Tpl(tpl) => tpl.exprs.iter().for_each(|e| url_names(e, depth + 1, out)),
        Expr::Bin(bin) if bin.op == BinaryOp::Add => {
            url_names(&bin.left, depth + 1, out);
            url_names(&bin.right, depth + 1, out);
        }
        _ => {}
    }
}

fn param_names(params: impl Iterator<Item = Option<String>>) -> Vec<String> {
    params.map(Option::unwrap_or_default).collect()
}

fn pat_name(pat: &swc_ecma_ast::Pat) -> Option<String> {
    match pat {
        swc_ecma_ast::Pat::Ident(ident) => Some(ident.id.sym.to_string()),
        swc_ecma_ast::Pat::Assign(assign) => pat_name(&assign.left),
        _ => None,
    }
}

impl Visit for RequesterFinder<'_, '_> {
    fn visit_var_declarator(&mut self, declarator: &swc_ecma_ast::VarDeclarator) {
        // Names are looked up file-wide, so only module-level ones are requesters by name (a
        // bundle reuses one minified name in every scope).
        let name = pat_name(&declarator.name).filter(|_| self.frames.is_empty());
        match declarator.init.as_deref().map(unparen) {
            Some(Expr::Arrow(_) | Expr::Fn(_)) => self.pending_name = name,
            Some(Expr::Call(call)) => {
                if let (Some(name), Some(request)) = (name, from_call(call)) {
                    if request.factory && self.found.by_name.len() < MAX_REQUESTERS {
                        if let Some(requester) = self.client(&request) {
                            let line = self.line(self.offset(declarator.span));
                            self.found.by_name.insert(name, (requester, line));
                        }
                    }
                }
            }
            _ => {}
        }
        declarator.visit_children_with(self);
    }

    fn visit_fn_decl(&mut self, function: &swc_ecma_ast::FnDecl) {
        self.pending_name = self
            .frames
            .is_empty()
            .then(|| function.ident.sym.to_string());
        function.function.visit_with(self);
    }

    fn visit_function(&mut self, function: &swc_ecma_ast::Function) {
        let start = self.offset(function.span);
        let params = param_names(function.params.iter().map(|p| pat_name(&p.pat)));
        self.in_frame(start, params, |this| function.visit_children_with(this));
    }

    fn visit_arrow_expr(&mut self, arrow: &swc_ecma_ast::ArrowExpr) {
        let start = self.offset(arrow.span);
        let params = param_names(arrow.params.iter().map(pat_name));
        self.in_frame(start, params, |this| arrow.visit_children_with(this));
    }

    fn visit_class_method(&mut self, method: &swc_ecma_ast::ClassMethod) {
        // A method of a module-level class is called as `this.name(…)`, by the class and by
        // its subclasses in other modules.
        self.pending_name = self
            .frames
            .is_empty()
            .then(|| key_name(&method.key).map(|key| format!("this.{key}")))
            .flatten();
        method.function.visit_with(self);
    }

    fn visit_class_prop(&mut self, prop: &swc_ecma_ast::ClassProp) {
        let method = matches!(
            prop.value.as_deref().map(unparen),
            Some(Expr::Arrow(_) | Expr::Fn(_))
        );
        self.pending_name = (method && self.frames.is_empty())
            .then(|| key_name(&prop.key).map(|key| format!("this.{key}")))
            .flatten();
        prop.value.visit_with(self);
        self.pending_name = None;
    }

    fn visit_call_expr(&mut self, call: &CallExpr) {
        if let Some(request) = from_call(call) {
            if request.factory {
                // `export default axios.create(…)`: found by where the call starts.
                if let Some(requester) = self.client(&request) {
                    if self.found.by_function.len() < MAX_REQUESTERS {
                        let start = self.offset(call.span);
                        self.found.by_function.insert(start, requester);
                    }
                }
            } else if !self.frames.is_empty() {
                self.request(&request);
            }
        }
        self.pending_name = None;
        call.visit_children_with(self);
    }

    fn visit_new_expr(&mut self, new: &NewExpr) {
        if !self.frames.is_empty() {
            if let Some(request) = from_new(new) {
                self.request(&request);
            }
        }
        new.visit_children_with(self);
    }

    fn visit_prop_name(&mut self, name: &PropName) {
        if key_name(name).is_some_and(|k| k.eq_ignore_ascii_case("authorization") || k == "auth") {
            self.mark(true, false);
        }
    }

    fn visit_str(&mut self, s: &swc_ecma_ast::Str) {
        let value = s.value.to_string_lossy();
        self.mark(
            value.starts_with("Basic ") || value.starts_with("Bearer "),
            value.starts_with("token:"),
        );
    }

    fn visit_tpl_element(&mut self, element: &swc_ecma_ast::TplElement) {
        let value = element.raw.as_str();
        self.mark(
            value.starts_with("Basic ") || value.starts_with("Bearer "),
            value.starts_with("token:"),
        );
    }

    fn visit_member_expr(&mut self, member: &MemberExpr) {
        if is_user_token(member) {
            self.mark(true, true);
        }
        member.visit_children_with(self);
    }
}

fn has_auth_key(expr: &Expr) -> bool {
    match expr {
        Expr::Object(object) => {
            object_value(object, &["auth"]).is_some()
                || object_value(object, &["headers"]).is_some_and(|h| match h {
                    Expr::Object(headers) => headers.props.iter().any(|p| match p {
                        PropOrSpread::Prop(p) => match &**p {
                            Prop::KeyValue(kv) => key_name(&kv.key)
                                .is_some_and(|k| k.eq_ignore_ascii_case("authorization")),
                            _ => false,
                        },
                        PropOrSpread::Spread(_) => true,
                    }),
                    _ => true,
                })
        }
        _ => false,
    }
}

fn unparen(expr: &Expr) -> &Expr {
    match expr {
        Expr::Paren(p) => unparen(&p.expr),
        Expr::TsAs(e) => unparen(&e.expr),
        Expr::TsNonNull(e) => unparen(&e.expr),
        _ => expr,
    }
}

/// A call through a requester: what it requests, and through which requester.
pub struct Via<'a> {
    pub requester: Requester,
    pub path: Option<&'a Expr>,
    pub options: Vec<&'a Expr>,
}

impl Via<'_> {
    /// The call as a request: the requester's base URL followed by the caller's path.
    pub fn request(&self) -> Request<'_> {
        Request {
            lib: Lib::Fetch,
            url: UrlSrc::Based(&self.requester.base, self.path),
            options: self.options.clone(),
            factory: false,
        }
    }
}

/// `api.get(path, …)` through a client instance, `requestJson(url, …)` through a function that
/// requests its argument, and `http.requestJson(url)` through a namespace: the requester is
/// defined in this file or, through the project, in another. A call whose callee is imported
/// but not yet known marks the file as needing its context.
pub fn via_requester<'a>(ctx: &Ctx, call: &'a CallExpr) -> Option<Via<'a>> {
    let Callee::Expr(callee) = &call.callee else {
        return None;
    };
    let args = args(&call.args);
    let lookup = |name: &str| -> Option<Requester> {
        if let Some((requester, _)) = ctx.requesters().by_name.get(name) {
            return Some(requester.clone());
        }
        match &ctx.imported(name)?.value {
            Value::Requester(requester) => Some(requester.clone()),
            _ => None,
        }
    };
    let mut requester = match unparen(callee) {
        Expr::Ident(ident) => lookup(&ident.sym)?,
        Expr::Member(member) if matches!(unparen(&member.obj), Expr::This(_)) => {
            lookup(&format!("this.{}", prop_name(&member.prop)?))?
        }
        Expr::Member(member) => {
            let object = ident_name(&member.obj)?;
            let method = prop_name(&member.prop)?;
            if HTTP_METHODS.contains(&method) {
                if let Some(requester) = lookup(object).filter(|r| r.url_arg.is_none()) {
                    return Some(Via {
                        requester,
                        path: args.first().copied(),
                        options: args.get(1..).unwrap_or_default().to_vec(),
                    });
                }
            }
            lookup(&format!("{object}.{method}"))?
        }
        _ => return None,
    };
    // A method that starts its URLs with a field its own class does not set: this class's
    // value of the field, where it has one.
    let field = requester
        .base_from
        .as_deref()
        .and_then(|name| name.strip_prefix("this."));
    if let Some(init) = field.and_then(|field| ctx.field(&field.into())) {
        let prefix = url_prefix(ctx, UrlSrc::Expr(init)).unwrap_or_default();
        requester.base = format!("{prefix}{}", requester.base);
        requester.base_from = None;
    }
    let at = requester.url_arg? as usize;
    let path = *args.get(at)?;
    let options = args
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != at)
        .map(|(_, a)| *a)
        .collect();
    Some(Via {
        requester,
        path: Some(path),
        options,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rest_hosts() {
        for host in [
            "api.twilio.com",
            "taskrouter.twilio.com",
            "flex-api.twilio.com",
            "api.dublin.ie1.twilio.com",
            "api.ie1.twilio.com",
            "conversations.sydney.au1.twilio.com",
            "api.*.*.twilio.com",
            "api.*.twilio.com",
        ] {
            assert!(is_twilio_rest_host(host), "{host}");
        }
        for host in [
            "www.twilio.com",
            "console.twilio.com",
            "twilio.com",
            "eventgw.twilio.com",
            "mcs.us1.twilio.com",
            "api.twilio.com.evil.example",
            "api.a.b.c.twilio.com",
            "myapi.twilio.com",
            "*.twilio.com",
            "sdkgw.*.twilio.com",
        ] {
            assert!(!is_twilio_rest_host(host), "{host}");
        }
    }

    #[test]
    fn hosts() {
        assert_eq!(
            host("https://API.twilio.com/x").as_deref(),
            Some("api.twilio.com")
        );
        assert_eq!(
            host("https://api.twilio.com:443").as_deref(),
            Some("api.twilio.com")
        );
        assert_eq!(
            host("https://u:p@api.twilio.com/").as_deref(),
            Some("api.twilio.com")
        );
        assert_eq!(host("wss://chunderw.twilio.com/signal"), None);
        assert_eq!(host("/relative"), None);
        assert!(is_functions_host("example-1234.twil.io"));
        assert!(!is_functions_host("twil.io.evil.example"));
    }
}
