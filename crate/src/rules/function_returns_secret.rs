use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use swc_atoms::Atom;
use swc_ecma_ast::{
    AssignExpr, AssignTarget, CallExpr, Callee, Expr, Lit, MemberExpr, MemberProp, OptChainBase,
    Pat, Prop, PropOrSpread, SimpleAssignTarget, VarDeclarator,
};
use swc_ecma_visit::{Visit, VisitWith};

use super::declare_rule;
use crate::engine::Ctx;
use crate::finding::Span;
use crate::http::key_name;
use crate::names;
use crate::Runtime;

declare_rule! {
    /// A Twilio Function that sends a secret from its environment back in its response.
    ///
    /// ## What it flags
    /// A call that answers the caller of a Function handler (`exports.handler = …`, or a
    /// TypeScript `handler`) whose value holds a secret read from the Function's environment:
    /// `callback(null, X)`, `response.setBody(X)` (reported there, not again at
    /// `callback(null, response)`) or `response.appendHeader(name, X)`, where `X` is
    /// `context.NAME` (or `process.env.NAME`), an object literal or array that holds it (nested,
    /// `{ NAME }`, `{ ...other }`), a template or `+` concatenation of it, `JSON.stringify(…)` of
    /// any of these, or a local bound to them in the handler (`const s = context.NAME`,
    /// `const { NAME } = context`, `const { NAME: s } = context`, `body.key = s`, through any
    /// number of locals). `context` itself (`callback(null, context)`, `{ ...context }`) is
    /// flagged too: it holds every variable. So is the error of a failed axios request whose
    /// URL, headers, params or body held a secret (`.catch((error) => callback(null, error))`,
    /// or a `catch (error)` around it): axios keeps the request's config in the error
    /// (`error.config`, `error.response.config`) and sends it along when the error is
    /// serialised; its `message` and the answer's `data` are not flagged. A name is a secret when a word of it says so:
    /// `SECRET`, `PASSWORD`, `PASSWD`, `PWD`, `TOKEN` (`AUTH_TOKEN`, `FEED_TOKEN`),
    /// `PRIVATE_KEY`, or a third party's `API_KEY` (`SHOP_API_KEY`), in snake_case or camelCase
    /// (`crmClientSecret`). Not secrets: `ACCOUNT_SID` and other `…_SID`, `…_URL`, `…_DOMAIN`,
    /// `TOKEN_URL`, `TOKEN_TTL`, and Twilio's own `API_KEY` / `TWILIO_API_KEY`, which by
    /// Twilio's convention hold an API key SID (`SK…`) whose secret is `API_SECRET`.
    ///
    /// Not flagged: a secret used inside the Function only (a Twilio client, an outgoing
    /// `fetch` or axios request's headers, `new AccessToken(…, context.API_SECRET, …)`), and
    /// what is made from it and returned (`token.toJwt()`, the body of that request's answer);
    /// a check of a secret rather than its value (`Boolean(context.X_SECRET)`, `!!…`,
    /// `context.X_SECRET ? "set" : "missing"`); `*.private.*` Functions, and in `flexguard
    /// audit` Functions deployed as private, which no URL reaches;
    /// and code that is not a Function (plugin code, tests). A value that leaves through a
    /// helper function (`callback(null, buildConfig(context))`) is not followed. The rule is of
    /// kind `api-call`: it judges a code pattern in first-party code, never a credential value,
    /// which a Function's source does not hold.
    ///
    /// ## Why it matters in a Flex plugin
    /// A Flex plugin calls its Functions from every agent's browser, and the Flex token
    /// validator lets any signed-in agent call them: whatever a Function returns ends up in
    /// their browsers, developer tools and proxies. A secret sent back that way is as public as
    /// if the plugin bundle held it, which is what keeping it in the Function was meant to
    /// avoid. Twilio's guidance is that no key or token should be in anything the browser can
    /// read.
    ///
    /// ## How to fix
    /// Make the call that needs the secret from the Function, and return only its result; or,
    /// when the browser must talk to a service itself, mint a short-lived token in the Function
    /// (a Twilio Access Token's `toJwt()`, the vendor's session token) and return that. Rotate
    /// the secret if the Function was deployed.
    ///
    /// ```js,flags
    /// // @file functions/crm-config.js
    /// const { functionValidator } = require("twilio-flex-token-validator");
    /// exports.handler = functionValidator(async (context, event, callback) => {
    ///   const clientSecret = context.CRM_CLIENT_SECRET;
    ///   const response = new Twilio.Response();
    ///   response.setBody({ clientId: context.CRM_CLIENT_ID, clientSecret, baseUrl: context.CRM_URL });
    ///   return callback(null, response);
    /// });
    /// ```
    ///
    /// ```js,flags
    /// // @file functions/orders.js
    /// exports.handler = (context, event, callback) => {
    ///   const { SHOP_API_KEY: key } = context;
    ///   callback(null, { endpoint: context.SHOP_URL, headers: { "X-Shop-Key": key } });
    /// };
    /// ```
    ///
    /// ```js,flags
    /// // @file functions/feed-url.js
    /// exports.handler = (context, event, callback) => {
    ///   callback(null, `wss://feed.example.invalid/live?token=${context.FEED_TOKEN}`);
    /// };
    /// ```
    ///
    /// ```js,clean
    /// // @file functions/sync-token.js
    /// const { functionValidator } = require("twilio-flex-token-validator");
    /// exports.handler = functionValidator((context, event, callback) => {
    ///   const { AccessToken } = Twilio.jwt;
    ///   const token = new AccessToken(context.ACCOUNT_SID, context.API_KEY, context.API_SECRET, { identity: event.identity });
    ///   token.addGrant(new AccessToken.SyncGrant({ serviceSid: context.SYNC_SERVICE_SID }));
    ///   callback(null, { token: token.toJwt(), serviceSid: context.SYNC_SERVICE_SID });
    /// });
    /// ```
    ///
    /// ```js,clean
    /// // @file functions/customer.js
    /// const { functionValidator } = require("twilio-flex-token-validator");
    /// exports.handler = functionValidator(async (context, event, callback) => {
    ///   const answer = await fetch(`${context.CRM_URL}/customers/${event.id}`, {
    ///     headers: { Authorization: `Bearer ${context.CRM_API_TOKEN}` },
    ///   });
    ///   callback(null, { crm: context.CRM_API_TOKEN ? "configured" : "missing", customer: await answer.json() });
    /// });
    /// ```
    ///
    /// ```js,clean
    /// // @file src/components/Config.js
    /// exports.handler = (context, event, callback) => callback(null, { secret: context.API_SECRET });
    /// ```
    pub struct FunctionReturnsSecret {
        id: "function-returns-secret",
        severity: Error,
        kind: ApiCall,
        shape: None,
        runtimes: &[Runtime::Function],
    }
}

fn finding(reads: &BTreeSet<String>) -> (String, &'static str) {
    let mut shown: Vec<String> = reads.iter().map(|r| describe(r)).collect();
    let last = shown.pop().unwrap_or_default();
    let list = if shown.is_empty() {
        last
    } else {
        format!("{} and {last}", shown.join(", "))
    };
    (
        format!("The Function's response sends {list} to the browser that called it"),
        "Keep the secret in the Function: make the call that needs it from the Function and return only its result, or mint a short-lived token from it (a Twilio Access Token's `toJwt()`) and return that. Rotate the secret if this was deployed.",
    )
}

/// `context.API_SECRET` as is; `context` alone (the whole environment) with a word on what it holds.
fn describe(read: &str) -> String {
    if read.ends_with(".env") || !read.contains('.') {
        format!("{read} itself (every environment variable)")
    } else {
        read.to_string()
    }
}

/// `API_SECRET`, `crmClientSecret`, `DB_PASSWORD`, `SHOP_API_KEY` → true; `ACCOUNT_SID`,
/// `TOKEN_URL`, `API_KEY` (Twilio's key SID) → false.
fn names_a_secret(name: &str) -> bool {
    let words = names::words(name);
    if names::names_a_setting(&words) {
        return false;
    }
    let pair = |a: &str, b: &str| words.windows(2).any(|w| w[0] == a && w[1] == b);
    let secret_word = words.iter().any(|w| {
        w.contains("SECRET")
            || w.contains("PASSWORD")
            || w.contains("PASSWD")
            || w == "PWD"
            // `TOKEN`, `AUTH_TOKEN`, `AUTHTOKEN`, `accessToken`.
            || w.ends_with("TOKEN")
            || w == "PRIVATEKEY"
    });
    // Twilio's `API_KEY` is a key SID (`SK…`); another vendor's API key is the secret.
    let twilio_key = matches!(
        words.iter().map(String::as_str).collect::<Vec<_>>()[..],
        ["API", "KEY"] | ["APIKEY"] | ["TWILIO", "API", "KEY"] | ["TWILIO", "APIKEY"]
    );
    let api_key = pair("API", "KEY") || words.iter().any(|w| w == "APIKEY");
    secret_word || pair("PRIVATE", "KEY") || (api_key && !twilio_key)
}

/// What a value in the handler carries of the Function's environment.
#[derive(Clone, Debug, Default)]
struct Value {
    /// The value is the environment object itself, read under this name (`context`,
    /// `process.env`).
    env: Option<String>,
    /// What each known property of an object holds.
    fields: BTreeMap<String, Value>,
    /// Secrets held elsewhere in the value (a string, an array, a spread object), by how they
    /// were read (`context.API_SECRET`).
    other: BTreeSet<String>,
}

/// Objects nest this deep in a [`Value`]; deeper properties count as the value's `other`.
const MAX_FIELD_DEPTH: u32 = 3;

impl Value {
    fn env(name: &str) -> Value {
        Value {
            env: Some(name.to_string()),
            ..Value::default()
        }
    }

    fn opaque(secrets: BTreeSet<String>) -> Value {
        Value {
            other: secrets,
            ..Value::default()
        }
    }

    /// Every secret the value holds, `context` itself included.
    fn secrets(&self) -> BTreeSet<String> {
        let mut out = self.other.clone();
        out.extend(self.env.clone());
        for field in self.fields.values() {
            out.extend(field.secrets());
        }
        out
    }

    /// What `value.key` reads.
    fn property(&self, key: &str) -> Value {
        if let Some(env) = &self.env {
            let read = names_a_secret(key).then(|| format!("{env}.{key}"));
            return Value::opaque(read.into_iter().collect());
        }
        self.fields
            .get(key)
            .cloned()
            .unwrap_or_else(|| Value::opaque(self.other.clone()))
    }

    /// Either value (`a || b`, `c ? a : b`, a name assigned twice).
    fn merge(mut self, other: Value) -> Value {
        self.env = self.env.or(other.env);
        self.other.extend(other.other);
        for (key, value) in other.fields {
            let merged = match self.fields.remove(&key) {
                Some(mine) => mine.merge(value),
                None => value,
            };
            self.fields.insert(key, merged);
        }
        self
    }

    /// The value, with objects below `depth` levels flattened into `other`.
    fn limited(self, depth: u32) -> Value {
        if depth == 0 {
            return Value::opaque(self.secrets());
        }
        Value {
            fields: self
                .fields
                .into_iter()
                .map(|(k, v)| (k, v.limited(depth - 1)))
                .collect(),
            ..self
        }
    }
}

/// One handler: its locals as they are declared and assigned, in source order, and what its
/// responses send.
struct Handler {
    /// The handler's first parameter (`context`), when it is a name.
    context: Option<Atom>,
    /// The handler's third parameter (`callback`).
    callback: Atom,
    locals: HashMap<Atom, Value>,
    /// Responses that hold secrets: where, and which.
    leaks: Vec<(swc_common::Span, BTreeSet<String>)>,
    /// The error a rejection handler (`.catch(function (error) {…})`, starting at this
    /// offset) receives, when it holds secrets.
    rejections: HashMap<u32, Value>,
}

impl Handler {
    fn new(params: &[&Pat]) -> Handler {
        let mut handler = Handler {
            context: None,
            callback: Atom::from("callback"),
            locals: HashMap::new(),
            leaks: Vec::new(),
            rejections: HashMap::new(),
        };
        match params.first() {
            Some(Pat::Ident(context)) => handler.context = Some(context.id.sym.clone()),
            // `({ API_SECRET }, event, callback) =>`.
            Some(pattern) => handler.bind(pattern, Value::env("context")),
            None => {}
        }
        if let Some(Pat::Ident(callback)) = params.get(2) {
            handler.callback = callback.id.sym.clone();
        }
        handler
    }

    fn value(&self, expr: &Expr) -> Value {
        match expr {
            Expr::Ident(ident) if Some(&ident.sym) == self.context.as_ref() => {
                Value::env(&ident.sym)
            }
            Expr::Ident(ident) => self.locals.get(&ident.sym).cloned().unwrap_or_default(),
            Expr::Member(member) => self.member(member),
            Expr::OptChain(chain) => match &*chain.base {
                OptChainBase::Member(member) => self.member(member),
                OptChainBase::Call(_) => Value::default(),
            },
            Expr::Object(object) => {
                let mut value = Value::default();
                for prop in &object.props {
                    match prop {
                        PropOrSpread::Spread(spread) => {
                            let spread = self.value(&spread.expr);
                            value.other.extend(spread.env.clone());
                            value = value.merge(Value {
                                env: None,
                                ..spread
                            });
                        }
                        PropOrSpread::Prop(prop) => match &**prop {
                            Prop::KeyValue(kv) => {
                                let field = self.value(&kv.value).limited(MAX_FIELD_DEPTH);
                                match key_name(&kv.key) {
                                    Some(key) => {
                                        value.fields.insert(key.into_owned(), field);
                                    }
                                    None => value.other.extend(field.secrets()),
                                }
                            }
                            Prop::Shorthand(ident) => {
                                let field = self
                                    .value(&Expr::Ident(ident.clone()))
                                    .limited(MAX_FIELD_DEPTH);
                                value.fields.insert(ident.sym.to_string(), field);
                            }
                            _ => {}
                        },
                    }
                }
                value
            }
            Expr::Array(array) => Value::opaque(
                array
                    .elems
                    .iter()
                    .flatten()
                    .flat_map(|e| self.value(&e.expr).secrets())
                    .collect(),
            ),
            Expr::Tpl(tpl) => Value::opaque(
                tpl.exprs
                    .iter()
                    .flat_map(|e| self.value(e).secrets())
                    .collect(),
            ),
            Expr::Bin(bin) => {
                use swc_ecma_ast::BinaryOp::*;
                match bin.op {
                    Add => {
                        let mut secrets = self.value(&bin.left).secrets();
                        secrets.extend(self.value(&bin.right).secrets());
                        Value::opaque(secrets)
                    }
                    LogicalOr | NullishCoalescing => {
                        self.value(&bin.left).merge(self.value(&bin.right))
                    }
                    LogicalAnd => self.value(&bin.right),
                    // Comparisons and arithmetic: a check, not the value.
                    _ => Value::default(),
                }
            }
            // The test is a check; either branch is the value.
            Expr::Cond(cond) => self.value(&cond.cons).merge(self.value(&cond.alt)),
            Expr::Paren(e) => self.value(&e.expr),
            Expr::Await(e) => self.value(&e.arg),
            Expr::TsAs(e) => self.value(&e.expr),
            Expr::TsNonNull(e) => self.value(&e.expr),
            Expr::TsSatisfies(e) => self.value(&e.expr),
            Expr::TsConstAssertion(e) => self.value(&e.expr),
            Expr::TsTypeAssertion(e) => self.value(&e.expr),
            Expr::Seq(seq) => seq.exprs.last().map(|e| self.value(e)).unwrap_or_default(),
            Expr::Assign(assign) => self.value(&assign.right),
            Expr::Call(call) => self.call(call),
            // `!x`, `typeof x`, `new C(x)`, functions, literals: nothing of `x` itself.
            _ => Value::default(),
        }
    }

    fn member(&self, member: &MemberExpr) -> Value {
        if matches!(&*member.obj, Expr::Ident(o) if o.sym == *"process")
            && matches!(&member.prop, MemberProp::Ident(p) if p.sym == *"env")
        {
            return Value::env("process.env");
        }
        let object = self.value(&member.obj);
        match &member.prop {
            MemberProp::Ident(key) => object.property(&key.sym),
            MemberProp::Computed(computed) => match &*computed.expr {
                Expr::Lit(Lit::Str(key)) => object.property(&key.value.to_string_lossy()),
                // `context[name]`: which variable is unknown.
                _ if object.env.is_some() => Value::default(),
                _ => Value::opaque(object.secrets()),
            },
            MemberProp::PrivateName(_) => Value::default(),
        }
    }

    /// Calls return what the called code makes, which is not followed, except for a few
    /// that hand their argument on: `JSON.stringify(x)`, `String(x)`, `Object.assign(a, b)`.
    fn call(&self, call: &CallExpr) -> Value {
        let Callee::Expr(callee) = &call.callee else {
            return Value::default();
        };
        let args = || call.args.iter().map(|a| self.value(&a.expr));
        match callee_path(callee).as_deref() {
            Some("JSON.stringify" | "String") => {
                Value::opaque(args().take(1).flat_map(|v| v.secrets()).collect())
            }
            Some("Object.assign") => args().fold(Value::default(), Value::merge),
            _ => Value::default(),
        }
    }

    /// What a failed request's error holds: an axios error keeps the request's config (its
    /// URL, headers, params and body) under `config`, `request` and `response.config`, and
    /// serialises them with the error. `chain` is the request, or promise calls on it.
    fn request_error(&self, chain: &Expr) -> Value {
        let secrets: BTreeSet<String> = match unparen(chain) {
            Expr::Await(e) => return self.request_error(&e.arg),
            Expr::Call(call) => match crate::http::from_call(call) {
                Some(request) if request.lib == crate::http::Lib::Axios && !request.factory => call
                    .args
                    .iter()
                    .flat_map(|a| self.value(&a.expr).secrets())
                    .collect(),
                Some(_) => BTreeSet::new(),
                None => match &call.callee {
                    Callee::Expr(callee) => match unparen(callee) {
                        Expr::Member(m)
                            if matches!(&m.prop, MemberProp::Ident(p)
                                if matches!(&*p.sym, "then" | "catch" | "finally")) =>
                        {
                            return self.request_error(&m.obj);
                        }
                        _ => BTreeSet::new(),
                    },
                    _ => BTreeSet::new(),
                },
            },
            _ => BTreeSet::new(),
        };
        error_holding(secrets)
    }

    /// Give the names of `pattern` what `value` holds.
    fn bind(&mut self, pattern: &Pat, value: Value) {
        match pattern {
            Pat::Ident(name) => {
                self.locals.insert(name.id.sym.clone(), value);
            }
            Pat::Object(object) => {
                use swc_ecma_ast::ObjectPatProp;
                for prop in &object.props {
                    match prop {
                        ObjectPatProp::KeyValue(kv) => {
                            let field = key_name(&kv.key)
                                .map(|key| value.property(&key))
                                .unwrap_or_else(|| Value::opaque(value.secrets()));
                            self.bind(&kv.value, field);
                        }
                        ObjectPatProp::Assign(assign) => {
                            let mut field = value.property(&assign.key.sym);
                            if let Some(default) = &assign.value {
                                field = field.merge(self.value(default));
                            }
                            self.locals.insert(assign.key.sym.clone(), field);
                        }
                        // `const { a, ...rest } = context`: the rest is the environment still.
                        ObjectPatProp::Rest(rest) => self.bind(&rest.arg, value.clone()),
                    }
                }
            }
            Pat::Array(array) => {
                let element = Value::opaque(value.secrets());
                for pattern in array.elems.iter().flatten() {
                    self.bind(pattern, element.clone());
                }
            }
            Pat::Assign(assign) => {
                let value = value.merge(self.value(&assign.right));
                self.bind(&assign.left, value);
            }
            Pat::Rest(rest) => self.bind(&rest.arg, value),
            _ => {}
        }
    }

    /// The argument of a call that becomes the response, if the call answers the caller.
    fn response<'c>(&self, call: &'c CallExpr) -> Option<&'c Expr> {
        let Callee::Expr(callee) = &call.callee else {
            return None;
        };
        let arg = |i: usize| call.args.get(i).map(|a| &*a.expr);
        match &**callee {
            // `callback(null, X)`: the first argument is the error.
            Expr::Ident(name) if name.sym == self.callback => {
                let no_error = match arg(0)? {
                    Expr::Lit(Lit::Null(_)) => true,
                    Expr::Ident(i) => i.sym == *"undefined",
                    _ => false,
                };
                no_error.then(|| arg(1)).flatten()
            }
            Expr::Member(member) => match &member.prop {
                MemberProp::Ident(method) if method.sym == *"setBody" => arg(0),
                MemberProp::Ident(method) if method.sym == *"appendHeader" => arg(1),
                _ => None,
            },
            _ => None,
        }
    }

    /// A nested function: its parameters shadow the handler's locals while it is walked, and
    /// what it declares is its own.
    fn nested(&mut self, params: &[&Pat], walk: impl FnOnce(&mut Self)) {
        let outer: HashSet<Atom> = self.locals.keys().cloned().collect();
        let context = self.context.clone();
        let mut shadowed = Vec::new();
        for param in params {
            collect_names(param, &mut shadowed);
        }
        let saved: Vec<(Atom, Option<Value>)> = shadowed
            .into_iter()
            .map(|name| {
                if Some(&name) == self.context.as_ref() {
                    self.context = None;
                }
                let value = self.locals.remove(&name);
                (name, value)
            })
            .collect();
        walk(self);
        self.context = context;
        // Assignments to the handler's locals stay; the nested function's own names go.
        self.locals.retain(|name, _| outer.contains(name));
        for (name, value) in saved {
            match value {
                Some(value) => self.locals.insert(name, value),
                None => self.locals.remove(&name),
            };
        }
    }
}

impl Handler {
    /// A rejection handler's or catch clause's error parameter receives `error`.
    fn receive(&mut self, param: Option<&&Pat>, error: Option<Value>) {
        if let (Some(Pat::Ident(name)), Some(error)) = (param, error) {
            self.locals.insert(name.id.sym.clone(), error);
        }
    }
}

/// An axios error of a request whose config holds `secrets`: in `config`, `request` and
/// `response.config`, not in `message` or the answer's `data`.
fn error_holding(secrets: BTreeSet<String>) -> Value {
    if secrets.is_empty() {
        return Value::default();
    }
    let held = Value::opaque(secrets);
    let mut response = Value::default();
    response.fields.insert("config".into(), held.clone());
    response.fields.insert("request".into(), held.clone());
    let mut error = Value::default();
    error.fields.insert("config".into(), held.clone());
    error.fields.insert("request".into(), held);
    error.fields.insert("response".into(), response);
    error
}

/// The axios requests in a `try` block.
struct Requests(Vec<CallExpr>);

impl Visit for Requests {
    fn visit_call_expr(&mut self, call: &CallExpr) {
        if crate::http::from_call(call).is_some_and(|r| r.lib == crate::http::Lib::Axios) {
            self.0.push(call.clone());
        }
        call.visit_children_with(self);
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

/// `JSON.stringify` → "JSON.stringify", `String` → "String".
fn callee_path(callee: &Expr) -> Option<String> {
    match callee {
        Expr::Ident(ident) => Some(ident.sym.to_string()),
        Expr::Member(member) => match (&*member.obj, &member.prop) {
            (Expr::Ident(object), MemberProp::Ident(prop)) => {
                Some(format!("{}.{}", object.sym, prop.sym))
            }
            _ => None,
        },
        _ => None,
    }
}

/// The names a parameter pattern binds.
fn collect_names(pattern: &Pat, out: &mut Vec<Atom>) {
    use swc_ecma_ast::ObjectPatProp;
    match pattern {
        Pat::Ident(name) => out.push(name.id.sym.clone()),
        Pat::Object(object) => {
            for prop in &object.props {
                match prop {
                    ObjectPatProp::KeyValue(kv) => collect_names(&kv.value, out),
                    ObjectPatProp::Assign(assign) => out.push(assign.key.sym.clone()),
                    ObjectPatProp::Rest(rest) => collect_names(&rest.arg, out),
                }
            }
        }
        Pat::Array(array) => array
            .elems
            .iter()
            .flatten()
            .for_each(|p| collect_names(p, out)),
        Pat::Assign(assign) => collect_names(&assign.left, out),
        Pat::Rest(rest) => collect_names(&rest.arg, out),
        _ => {}
    }
}

/// The handler walks its own body: a local's value depends on declarations and assignments
/// before its use, which the engine's hooks see one node at a time and a rule cannot keep
/// between them. The walk covers one handler of a Function file, which is small.
impl Visit for Handler {
    fn visit_var_declarator(&mut self, declarator: &VarDeclarator) {
        declarator.visit_children_with(self);
        if let Some(init) = &declarator.init {
            let value = self.value(init);
            self.bind(&declarator.name, value);
        }
    }

    fn visit_assign_expr(&mut self, assign: &AssignExpr) {
        assign.visit_children_with(self);
        let value = self.value(&assign.right);
        match &assign.left {
            // `x = value` (in one branch, perhaps: both values stay possible).
            AssignTarget::Simple(SimpleAssignTarget::Ident(name)) => {
                let old = self.locals.remove(&name.id.sym).unwrap_or_default();
                self.locals.insert(name.id.sym.clone(), old.merge(value));
            }
            // `body.key = value`.
            AssignTarget::Simple(SimpleAssignTarget::Member(member)) => {
                let Expr::Ident(object) = &*member.obj else {
                    return;
                };
                let Some(local) = self.locals.get_mut(&object.sym) else {
                    return;
                };
                match &member.prop {
                    MemberProp::Ident(key) => {
                        let old = local.fields.remove(&*key.sym).unwrap_or_default();
                        let new = old.merge(value).limited(MAX_FIELD_DEPTH);
                        local.fields.insert(key.sym.to_string(), new);
                    }
                    _ => local.other.extend(value.secrets()),
                }
            }
            _ => {}
        }
    }

    fn visit_call_expr(&mut self, call: &CallExpr) {
        // `request.catch(function (error) {…})`, `request.then(ok, function (error) {…})`.
        if let Callee::Expr(callee) = &call.callee {
            if let Expr::Member(member) = unparen(callee) {
                let handler = match &member.prop {
                    MemberProp::Ident(p) if p.sym == *"catch" => call.args.first(),
                    MemberProp::Ident(p) if p.sym == *"then" => call.args.get(1),
                    _ => None,
                };
                let start = handler.and_then(|h| match unparen(&h.expr) {
                    Expr::Arrow(arrow) => Some(arrow.span.lo.0),
                    Expr::Fn(function) => Some(function.function.span.lo.0),
                    _ => None,
                });
                if let Some(start) = start {
                    let error = self.request_error(&member.obj);
                    if !error.secrets().is_empty() {
                        self.rejections.insert(start, error);
                    }
                }
            }
        }
        call.visit_children_with(self);
        if let Some(body) = self.response(call) {
            let secrets = self.value(body).secrets();
            if !secrets.is_empty() {
                self.leaks.push((call.span, secrets));
            }
        }
        // `Object.assign(body, extra)` adds to `body`.
        let Callee::Expr(callee) = &call.callee else {
            return;
        };
        if callee_path(callee).as_deref() == Some("Object.assign") {
            if let Some(Expr::Ident(target)) = call.args.first().map(|a| &*a.expr) {
                let added = self.call(call);
                if let Some(local) = self.locals.remove(&target.sym) {
                    self.locals.insert(target.sym.clone(), local.merge(added));
                }
            }
        }
    }

    fn visit_arrow_expr(&mut self, arrow: &swc_ecma_ast::ArrowExpr) {
        let params: Vec<&Pat> = arrow.params.iter().collect();
        let error = self.rejections.remove(&arrow.span.lo.0);
        self.nested(&params, |handler| {
            handler.receive(params.first(), error);
            arrow.body.visit_with(handler)
        });
    }

    fn visit_function(&mut self, function: &swc_ecma_ast::Function) {
        let params: Vec<&Pat> = function.params.iter().map(|p| &p.pat).collect();
        let error = self.rejections.remove(&function.span.lo.0);
        self.nested(&params, |handler| {
            handler.receive(params.first(), error);
            function.body.visit_with(handler)
        });
    }

    /// `try { await axios(…) } catch (error) { callback(null, error) }`.
    fn visit_try_stmt(&mut self, stmt: &swc_ecma_ast::TryStmt) {
        stmt.block.visit_with(self);
        if let Some(clause) = &stmt.handler {
            let mut requests = Requests(Vec::new());
            stmt.block.visit_with(&mut requests);
            let secrets: BTreeSet<String> = requests
                .0
                .iter()
                .flat_map(|call| self.request_error(&Expr::Call(call.clone())).secrets())
                .collect();
            let params: Vec<&Pat> = clause.param.iter().collect();
            self.nested(&params, |handler| {
                handler.receive(params.first(), Some(error_holding(secrets)));
                clause.body.visit_with(handler)
            });
        }
        stmt.finalizer.visit_with(self);
    }
}

/// The handler function in what `exports.handler` is set to: the function itself, or the one
/// passed to a wrapper (`functionValidator(async (context, event, callback) => …)`).
fn check_handler(ctx: &mut Ctx, value: &Expr) {
    let name = ctx.file().rsplit(['/', '\\']).next().unwrap_or("");
    // A private Function has no URL: nothing answers a browser.
    if name.contains(".private.") {
        return;
    }
    let leaks = match value {
        Expr::Paren(e) => return check_handler(ctx, &e.expr),
        Expr::TsAs(e) => return check_handler(ctx, &e.expr),
        Expr::TsSatisfies(e) => return check_handler(ctx, &e.expr),
        Expr::Call(call) => {
            // The wrapped handler is the last function argument.
            if let Some(arg) = call
                .args
                .iter()
                .rev()
                .find(|a| matches!(&*a.expr, Expr::Arrow(_) | Expr::Fn(_) | Expr::Call(_)))
            {
                check_handler(ctx, &arg.expr);
            }
            return;
        }
        Expr::Arrow(arrow) => {
            let params: Vec<&Pat> = arrow.params.iter().collect();
            let mut handler = Handler::new(&params);
            arrow.body.visit_with(&mut handler);
            handler.leaks
        }
        Expr::Fn(function) => {
            let params: Vec<&Pat> = function.function.params.iter().map(|p| &p.pat).collect();
            let mut handler = Handler::new(&params);
            function.function.body.visit_with(&mut handler);
            handler.leaks
        }
        _ => return,
    };
    for (span, secrets) in leaks {
        let (message, help) = finding(&secrets);
        let span: Span = ctx.span(span);
        let value = secrets.into_iter().collect::<Vec<_>>().join(",");
        ctx.report(span, message, help, &value, false);
    }
}

/// `exports.handler = …` or `module.exports.handler = …`.
fn is_handler_export(assign: &AssignExpr) -> bool {
    let AssignTarget::Simple(SimpleAssignTarget::Member(member)) = &assign.left else {
        return false;
    };
    let on_exports = match &*member.obj {
        Expr::Ident(i) => i.sym == *"exports",
        Expr::Member(m) => {
            matches!(&*m.obj, Expr::Ident(i) if i.sym == *"module")
                && matches!(&m.prop, MemberProp::Ident(p) if p.sym == *"exports")
        }
        _ => false,
    };
    on_exports && matches!(&member.prop, MemberProp::Ident(p) if p.sym == *"handler")
}

impl super::Rule for FunctionReturnsSecret {
    fn meta(&self) -> &'static super::RuleMeta {
        &Self::META
    }

    fn check_assign(&self, ctx: &mut Ctx, assign: &AssignExpr) {
        if is_handler_export(assign) {
            check_handler(ctx, &assign.right);
        }
    }

    /// TypeScript Functions: `export const handler = …`.
    fn check_var_declarator(&self, ctx: &mut Ctx, declarator: &VarDeclarator) {
        if let (Pat::Ident(name), Some(init)) = (&declarator.name, &declarator.init) {
            if name.id.sym == *"handler" {
                check_handler(ctx, init);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::names_a_secret;
    use crate::rules::testing::{assert_clean, assert_flags, snapshot};

    #[test]
    fn names() {
        for name in [
            "API_SECRET",
            "AUTH_TOKEN",
            "TWILIO_AUTH_TOKEN",
            "authToken",
            "gfAccountSecret",
            "CRM_CLIENT_SECRET",
            "DB_PASSWORD",
            "smtpPasswd",
            "FEED_TOKEN",
            "accessToken",
            "SHOP_API_KEY",
            "openaiApiKey",
            "PRIVATE_KEY",
            "jwtPrivateKey",
            "API_KEY_SECRET",
        ] {
            assert!(names_a_secret(name), "{name}");
        }
        for name in [
            "ACCOUNT_SID",
            "SYNC_SERVICE_SID",
            "API_KEY",
            "apiKey",
            "TWILIO_API_KEY",
            "TWILIO_API_KEY_SID",
            "TOKEN_URL",
            "TOKEN_TTL",
            "AUTH_TOKEN_URL",
            "CRM_URL",
            "DOMAIN_NAME",
            "SERVERLESS_DOMAIN",
            "TOKENIZER",
            "KEYBOARD",
            "gfAccountKey",
        ] {
            assert!(!names_a_secret(name), "{name}");
        }
    }

    const FLAGS: &[&str] = &[
        // The shape found in the wild: key and secret read into locals, set as the body.
        "// @file functions/vendor-config.js\nexports.handler = TokenValidator(function (context, event, callback) {\n  const vendorKey = context.vendorAccountKey;\n  const vendorSecret = context.vendorAccountSecret;\n  const response = new Twilio.Response();\n  const data = { vendorAccountKey: vendorKey, vendorAccountSecret: vendorSecret, vendorApiUrl: context.vendorApiUrl };\n  response.setBody(data);\n  return callback(null, response);\n});",
        // Directly.
        "// @file functions/x.js\nexports.handler = (context, event, callback) => callback(null, context.AUTH_TOKEN);",
        "// @file functions/x.js\nexports.handler = (context, event, callback) => callback(null, process.env.DB_PASSWORD);",
        // Nested, shorthand, spread, array.
        "// @file functions/x.js\nexports.handler = (context, event, callback) => callback(null, { vendor: { auth: { secret: context.VENDOR_SECRET } } });",
        "// @file functions/x.js\nexports.handler = (context, event, callback) => { const { API_SECRET } = context; callback(null, { API_SECRET }); };",
        "// @file functions/x.js\nexports.handler = (context, event, callback) => { const creds = { key: context.MAPS_SERVER_API_KEY }; callback(null, { ...creds, ok: true }); };",
        "// @file functions/x.js\nexports.handler = (context, event, callback) => callback(null, [context.ACCOUNT_SID, context.API_SECRET]);",
        // Concatenated, stringified.
        "// @file functions/x.js\nexports.handler = (context, event, callback) => { const header = 'Basic ' + context.ZENDESK_PASSWORD; callback(null, { header }); };",
        "// @file functions/x.js\nexports.handler = (context, event, callback) => { const r = new Twilio.Response(); r.setBody(JSON.stringify({ t: context.SLACK_BOT_TOKEN })); callback(null, r); };",
        // Renamed in a destructuring, then aliased twice.
        "// @file functions/x.js\nexports.handler = async (context, event, callback) => { const { CRM_API_TOKEN: t } = context; const u = t; let body = {}; body.token = u; callback(null, body); };",
        // Destructured in the parameters, another parameter name for the callback.
        "// @file functions/x.js\nexports.handler = ({ STRIPE_SECRET_KEY }, event, done) => { done(null, { key: STRIPE_SECRET_KEY }); };",
        // From a nested callback.
        "// @file functions/x.js\nexports.handler = (context, event, callback) => { const secret = context.WEBHOOK_SECRET; lookup(event.id).then((row) => callback(null, { row, secret })); };",
        // `||`, `??`, the branches of a conditional.
        "// @file functions/x.js\nexports.handler = (context, event, callback) => callback(null, { k: context.VENDOR_API_KEY || '' });",
        // Set in one branch of an `if`, or added with `Object.assign`.
        "// @file functions/x.js\nexports.handler = (context, event, callback) => { let key = ''; if (event.admin) { key = context.ADMIN_TOKEN; } callback(null, { key }); };",
        "// @file functions/x.js\nexports.handler = (context, event, callback) => { const out = { ok: true }; Object.assign(out, { pw: context.MAIL_PASSWORD }); callback(null, out); };",
        // The whole environment.
        "// @file functions/x.js\nexports.handler = (context, event, callback) => { const env = process.env; callback(null, env); };",
        "// @file functions/x.js\nexports.handler = (context, event, callback) => callback(null, { ...context, extra: 1 });",
        // A header of the response.
        "// @file functions/x.js\nexports.handler = (context, event, callback) => { const r = new Twilio.Response(); r.appendHeader('X-Key', context.PARTNER_API_KEY); callback(null, r); };",
        // TypeScript.
        "// @file functions/x.ts\nexport const handler: ServerlessFunctionSignature = functionValidator(async (context: Context<Env>, event: {}, callback: ServerlessCallback) => {\n  const response = new Twilio.Response();\n  response.setBody({ password: context.SFTP_PASSWORD as string });\n  callback(null, response);\n});",
        // Several secrets: one finding, naming each.
        "// @file functions/x.js\nexports.handler = (context, event, callback) => callback(null, { host: context.SFTP_HOST, user: context.SFTP_USER, password: context.SFTP_PASSWORD, key: context.SFTP_PRIVATE_KEY, token: context.SFTP_TOKEN });",
        "// @file functions/x.js\nmodule.exports.handler = async function (ctx, event, callback) { callback(null, `${ctx.PRIVATE_KEY}`); };",
        // A failed axios request's error, whose config holds the key in the URL.
        "// @file functions/x.js\nconst axios = require('axios');\nexports.handler = function (context, event, callback) {\n  const url = 'https://crm.example.com/search?q=' + event.q + '&key=' + context.CRM_API_KEY;\n  axios({ url: url }).then((r) => callback(null, r.data)).catch(function (error) { callback(null, error); });\n};",
        // ... in a header, caught around an await, and returned inside an object.
        "// @file functions/x.js\nconst axios = require('axios');\nexports.handler = async (context, event, callback) => {\n  try {\n    const { data } = await axios.get(context.CRM_URL, { headers: { Authorization: `Bearer ${context.CRM_TOKEN}` } });\n    callback(null, data);\n  } catch (err) {\n    callback(null, { failed: true, err });\n  }\n};",
    ];

    const CLEAN: &[&str] = &[
        // A minted token, from secrets used in the Function.
        "// @file functions/token.js\nexports.handler = (context, event, callback) => { const token = new Twilio.jwt.AccessToken(context.ACCOUNT_SID, context.API_KEY, context.API_SECRET, { identity: 'a' }); callback(null, { token: token.toJwt() }); };",
        // The Twilio client; SIDs and Twilio's API key SID.
        "// @file functions/x.js\nexports.handler = async (context, event, callback) => { const client = context.getTwilioClient(); const list = await client.sync.v1.services(context.SYNC_SERVICE_SID).documents.list(); callback(null, { list, accountSid: context.ACCOUNT_SID, key: context.API_KEY, sid: context.TWILIO_API_KEY_SID }); };",
        // Checks of a secret, not its value.
        "// @file functions/x.js\nexports.handler = (context, event, callback) => callback(null, { set: context.SOME_SECRET ? 'configured' : 'missing', a: Boolean(context.X_SECRET), b: !!context.Y_SECRET, c: context.Z_SECRET === event.guess, n: context.API_SECRET.length > 0 && 'yes' });",
        // Sent to a third party, and the answer returned.
        "// @file functions/x.js\nexports.handler = async (context, event, callback) => { const res = await fetch(context.CRM_URL, { headers: { Authorization: `Bearer ${context.CRM_API_TOKEN}` } }); callback(null, await res.json()); };",
        "// @file functions/x.js\nconst axios = require('axios');\nexports.handler = async (context, event, callback) => { const options = { headers: { 'X-Api-Key': context.SHOP_API_KEY } }; const { data } = await axios.get(context.SHOP_URL, options); callback(null, { data, url: options.url }); };",
        // A failed request's message and the answer's body hold no config.
        "// @file functions/x.js\nconst axios = require('axios');\nexports.handler = async (context, event, callback) => {\n  try {\n    await axios.get(context.CRM_URL, { headers: { 'X-Key': context.CRM_API_KEY } });\n  } catch (err) {\n    callback(null, { message: err.message, body: err.response.data });\n  }\n  axios.get(context.CRM_URL, { params: { key: context.CRM_API_KEY } }).catch((e) => callback(null, e.message));\n};",
        // The error of a request that holds no secret.
        "// @file functions/x.js\nconst axios = require('axios');\nexports.handler = (context, event, callback) => { axios.get(context.CRM_URL).catch((error) => callback(null, error)); };",
        // A local that holds a secret, of which only another property is returned.
        "// @file functions/x.js\nexports.handler = (context, event, callback) => { const cfg = { url: context.CRM_URL, secret: context.CRM_SECRET }; callback(null, { url: cfg.url }); };",
        // A parameter of a nested function shadows the secret's local.
        "// @file functions/x.js\nexports.handler = (context, event, callback) => { const secret = context.APP_SECRET; sign(secret).then((secret) => callback(null, { secret })); };",
        // A nested function's own locals do not leak into the handler's.
        "// @file functions/x.js\nconst data = require('./data');\nexports.handler = (context, event, callback) => { items.forEach(() => { const data = context.API_SECRET; use(data); }); callback(null, data); };",
        // An error is not the response.
        "// @file functions/x.js\nexports.handler = (context, event, callback) => callback(new Error(`bad ${context.API_SECRET}`));",
        // Settings named like secrets.
        "// @file functions/x.js\nexports.handler = (context, event, callback) => callback(null, { tokenUrl: context.TOKEN_URL, ttl: context.TOKEN_TTL, domain: context.SERVERLESS_DOMAIN });",
        // Not a Function: plugin code, a test, a private Function.
        "// @file src/plugin.js\nexports.handler = (context, event, callback) => callback(null, context.API_SECRET);",
        "// @file functions/__tests__/x.test.js\nexports.handler = (context, event, callback) => callback(null, context.API_SECRET);",
        "// @file functions/helpers.private.js\nexports.handler = (context, event, callback) => callback(null, context.API_SECRET);",
    ];

    #[test]
    fn flags() {
        assert_flags("function-returns-secret", FLAGS);
    }

    #[test]
    fn clean() {
        assert_clean("function-returns-secret", CLEAN);
    }

    #[test]
    fn snapshot_findings() {
        insta::assert_snapshot!(snapshot("function-returns-secret", FLAGS));
    }
}
