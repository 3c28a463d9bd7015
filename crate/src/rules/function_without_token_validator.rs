use swc_ecma_ast::{
    AssignExpr, AssignTarget, CallExpr, Callee, Expr, MemberExpr, MemberProp, Pat,
    SimpleAssignTarget, VarDeclarator,
};

use swc_common::Spanned;

use super::declare_rule;
use crate::engine::{Ctx, ModuleSource, When};
use crate::summary::{passes_context, reaches_account, Value};
use crate::Runtime;

declare_rule! {
    /// A Twilio Function handler that does not validate the Flex user token.
    ///
    /// ## What it flags
    /// `exports.handler = …` in Twilio Function code (a file under a `functions/` folder, or a
    /// file that uses the Functions runtime: `Runtime.getFunctions()`,
    /// `context.getTwilioClient()`) when the handler is not wrapped by
    /// `twilio-flex-token-validator`'s `functionValidator`, or by a helper whose name says it
    /// validates (`withTokenValidation(…)`), and the file does not load the validator at all.
    /// `*.protected.js` (Twilio-signature) and `*.private.js` files are not flagged, nor handlers
    /// that answer Twilio webhooks (TwiML, `new Twilio.twiml.VoiceResponse()`, or parameters only
    /// Twilio sends: `event.StatusCallbackEvent`, `event.AccountSid`, …): Twilio calls those, not
    /// an agent's browser, so they need Twilio's request signature (`.protected`), not the Flex
    /// token. Linted as a project, such a handler is reported after all when the plugin of the
    /// same repository calls it, or when its package deploys it with twilio-run, which makes
    /// every Function public unless it is `*.protected`: then anyone can forge Twilio's
    /// request, and the help says to make it `.protected`. Nor are Functions named `*.public.js` (marked public on purpose: a login page),
    /// handlers that validate the token by hand through Twilio's IAM API (a request to
    /// `https://iam.twilio.com/v1/Accounts/…/Tokens/validate`, which the validator calls),
    /// handlers that call a shared helper which validates the token (`await isSupervisor(event,
    /// context)`, resolved across files), liveness checks (`health.js`, `ping.js`), handlers that authenticate
    /// the caller by the caller's own Twilio credentials (`twilio(event.apiKey, event.apiSecret)`),
    /// and Functions that never reach the account: no `context` value but `PATH`,
    /// `DOMAIN_NAME`, `SERVICE_SID` and `ENVIRONMENT_SID`, no `context.getTwilioClient()` or
    /// other client (a `const client = context.getTwilioClient()` that nothing reads again
    /// does not count), no `process.env`, no `Runtime.getSync()`, `context` handed to no function,
    /// and no helper (in this file, or another the project resolves) that does. Anyone may
    /// call such a Function, but it can act on nothing the account holds (an open/closed
    /// check that reads a schedule from an asset).
    ///
    /// When the repository also holds the code that calls the Function (the path twilio-run
    /// serves it at, `/calls/hold` for `functions/calls/hold.js`, named in a request), the call
    /// and the Function are one problem: the finding names every call site of the plugin, and
    /// those calls' own `function-call-without-token` findings are part of it. A Function that
    /// only another web app of the repository calls (a customer-facing Next.js or React app,
    /// a page among the service's assets) is not flagged: those pages hold no Flex user token.
    ///
    /// ## Why it matters in a Flex plugin
    /// A Flex plugin calls its Functions from every agent's browser, so they are public URLs.
    /// Without the validator anyone on the internet can call them and use the account
    /// credentials the Function holds in `context`.
    ///
    /// ## How to fix
    /// Wrap the handler: `exports.handler = require("twilio-flex-token-validator").functionValidator(async (context, event, callback) => { … })`,
    /// and have the plugin send `Token: manager.user.token` with every request.
    ///
    /// ```js,flags
    /// // @file functions/send-sms.js
    /// exports.handler = async (context, event, callback) => {
    ///   const client = context.getTwilioClient();
    ///   callback(null, await client.messages.create({ to: event.To, from: context.FROM, body: event.Body }));
    /// };
    /// ```
    ///
    /// ```js,clean
    /// // @file functions/send-sms.js
    /// const { functionValidator: TokenValidator } = require("twilio-flex-token-validator");
    /// exports.handler = TokenValidator(async (context, event, callback) => {
    ///   callback(null, { ok: true });
    /// });
    /// ```
    pub struct FunctionWithoutTokenValidator {
        id: "function-without-token-validator",
        severity: Warning,
        kind: ApiCall,
        shape: None,
        runtimes: &[Runtime::Function, Runtime::Plugin],
    }
}

fn finding() -> (String, &'static str) {
    (
        "Twilio Function handler is not wrapped by twilio-flex-token-validator: anyone can call it".to_string(),
        "Wrap the handler with `require('twilio-flex-token-validator').functionValidator(...)` and send `Token: manager.user.token` from the plugin.",
    )
}

/// Noted when the file uses the Twilio Functions runtime.
const RUNTIME: &str = "runtime";
/// Noted when the file answers with TwiML (`Twilio.twiml.VoiceResponse`) or reads parameters
/// only Twilio sends: a webhook that Twilio calls, which the Flex token cannot protect (Twilio's
/// request signature does).
const WEBHOOK: &str = "webhook";
/// Noted when the file checks the caller's own Twilio credentials.
const CALLER_CREDENTIALS: &str = "caller-credentials";
/// Noted at calls of something named like a validator (`functionValidator(…)`,
/// `TokenValidator(…)`, `validator(event.Token, …)`): loading the package is not enough.
const VALIDATOR_CALL: &str = "validator-call";
/// Noted where the file reaches the account (`summary::reaches_account`, `context` handed to a
/// function, a helper that does): a Function that never does can act on nothing the account
/// holds, so anyone may call it.
const ACCOUNT: &str = "account";
/// Noted at `context.getTwilioClient` in `const client = context.getTwilioClient()` when the
/// file never names `client` again: a client made and never used reaches nothing.
const IDLE_CLIENT: &str = "idle-client";
/// Noted when the file loads `twilio-flex-token-validator`.
const VALIDATOR: &str = "validator-module";
const VALIDATOR_MODULE: &str = "twilio-flex-token-validator";

/// `*.protected.js` runs behind Twilio request signing; `*.private.js` is not reachable.
fn not_public(file: &str) -> bool {
    let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
    name.contains(".protected.") || name.contains(".private.")
}

/// `*.public.js`: the author marked the Function public on purpose (a login or a landing page).
fn declared_public(file: &str) -> bool {
    let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
    name.contains(".public.")
}

/// Liveness endpoints (`health.js`, `ping.js`) are public by design and hold nothing.
fn is_liveness_check(file: &str) -> bool {
    let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
    let stem = name.split('.').next().unwrap_or(name).to_ascii_lowercase();
    matches!(
        stem.as_str(),
        "health" | "healthz" | "healthcheck" | "health-check" | "ping" | "liveness"
    )
}

/// Parameters only Twilio sends to a webhook (status callbacks, TaskRouter and Studio events):
/// a handler that reads one answers Twilio, not an agent's browser.
const WEBHOOK_PARAMETERS: &[&str] = &[
    "AccountSid",
    "StatusCallbackEvent",
    "CallStatus",
    "EventType",
    "FlowSid",
    "ExecutionSid",
    "MessageStatus",
    "SmsStatus",
];

/// `twilio(apiKey, apiSecret, …)` with credentials the caller sent: the Function authenticates
/// its caller by their own Twilio credentials, which is what the Flex token would do.
fn authenticates_with_caller_credentials(call: &CallExpr) -> bool {
    let Callee::Expr(callee) = &call.callee else {
        return false;
    };
    let is_client = matches!(&**callee, Expr::Ident(i) if i.sym == *"twilio" || i.sym == *"Twilio");
    let from_caller = |expr: &Expr| match expr {
        Expr::Ident(i) => {
            let lower = i.sym.to_ascii_lowercase();
            lower.contains("key") || lower.contains("secret") || lower.contains("password")
        }
        Expr::Member(m) => matches!(&*m.obj, Expr::Ident(o) if o.sym == *"event"),
        _ => false,
    };
    is_client && call.args.len() >= 2 && call.args[..2].iter().all(|a| from_caller(&a.expr))
}

fn is_name(expr: &Expr, object: &str, prop: &str) -> bool {
    match expr {
        Expr::Member(m) => {
            matches!(&*m.obj, Expr::Ident(i) if i.sym == *object)
                && matches!(&m.prop, MemberProp::Ident(p) if p.sym == *prop)
        }
        _ => false,
    }
}

/// `exports.handler = …` or `module.exports.handler = …`.
pub fn is_handler_export(assign: &AssignExpr) -> bool {
    let AssignTarget::Simple(SimpleAssignTarget::Member(member)) = &assign.left else {
        return false;
    };
    matches!(&member.prop, MemberProp::Ident(p) if p.sym == *"handler")
        && match &*member.obj {
            Expr::Ident(i) => i.sym == *"exports",
            other => is_name(other, "module", "exports"),
        }
}

/// `Runtime.getFunctions`, `Runtime.getAssets`, `Runtime.getSync`, `context.getTwilioClient`.
pub fn is_runtime_api(member: &MemberExpr) -> bool {
    let MemberProp::Ident(prop) = &member.prop else {
        return false;
    };
    match &*member.obj {
        Expr::Ident(obj) if obj.sym == *"Runtime" => {
            matches!(&*prop.sym, "getFunctions" | "getAssets" | "getSync")
        }
        Expr::Ident(obj) if obj.sym == *"context" => prop.sym == *"getTwilioClient",
        _ => false,
    }
}

/// The name a wrapper call is made through: `f(…)` → `f`, `a.b.f(…)` → `f`.
fn callee_name(call: &CallExpr) -> Option<&str> {
    let Callee::Expr(callee) = &call.callee else {
        return None;
    };
    match &**callee {
        Expr::Ident(i) => Some(&i.sym),
        Expr::Member(m) => match &m.prop {
            MemberProp::Ident(p) => Some(&p.sym),
            _ => None,
        },
        _ => None,
    }
}

/// A wrapper that validates the caller: one the project resolved to a helper that applies the
/// validator (`prepareFlexFunction` in a shared helper; its non-validating sibling is not), else
/// one whose name says so (`functionValidator`, `TokenValidator`, `withTokenValidation`,
/// `validateFlexToken`, `withAuth`).
fn is_validating_wrapper(ctx: &Ctx, value: &Expr) -> bool {
    let Expr::Call(call) = value else {
        return false;
    };
    if let Some(Value::Wrapper { validates, .. }) = resolved_callee(ctx, call) {
        return *validates;
    }
    callee_name(call).is_some_and(|name| {
        let lower = name.to_ascii_lowercase();
        ["valid", "token", "auth", "protect"]
            .iter()
            .any(|w| lower.contains(w))
    })
}

/// A call whose first argument is (or names a local built as) the Flex token validation URL
/// of Twilio's IAM API, which `twilio-flex-token-validator` itself calls.
fn calls_token_validation_api(ctx: &Ctx, call: &CallExpr) -> bool {
    let Some(url) = call.args.first() else {
        return false;
    };
    let names_api = |expr: &Expr| {
        let text = ctx.text(ctx.span(expr.span()));
        text.contains("iam.twilio.com") && text.contains("/Tokens/validate")
    };
    match &*url.expr {
        Expr::Ident(name) => ctx.url_declarations(&name.sym).iter().any(names_api),
        other => names_api(other),
    }
}

/// A Function's handler (`value`, exported at `span`): reported unless something validates it.
fn check_handler(ctx: &mut Ctx, value: &Expr, span: crate::finding::Span) {
    if not_public(ctx.file()) {
        ctx.judge_handler_safe();
        return;
    }
    // Public on purpose, or a liveness check: not flagged, but not safe to settle a call by.
    if declared_public(ctx.file()) || is_liveness_check(ctx.file()) {
        return;
    }
    // A wrapper, or a helper the handler calls, that this file does not define may validate:
    // the project can tell.
    ctx.needs_context();
    if is_validating_wrapper(ctx, value) {
        ctx.judge_handler_safe();
        return;
    }
    let mut when = vec![
        When::NotBoth(VALIDATOR, VALIDATOR_CALL),
        When::NotNoted(WEBHOOK),
        When::NotNoted(CALLER_CREDENTIALS),
        When::Noted(ACCOUNT),
    ];
    // Outside a Functions folder, only a file that uses the Functions runtime is one.
    if ctx.runtime() != Runtime::Function {
        when.push(When::Noted(RUNTIME));
    }
    let (message, help) = finding();
    // A webhook is judged by Twilio's parameters it reads: a guess about its callers, not a
    // verdict that it is safe to call (the plugin may call it too).
    ctx.report_open_handler_when(when, span, message, help, "exports.handler", WEBHOOK);
}

/// What the project says a call's callee is: `wrap(…)` or `helpers.wrap(…)` for an import.
fn resolved_callee<'c>(ctx: &'c Ctx, call: &CallExpr) -> Option<&'c Value> {
    let Callee::Expr(callee) = &call.callee else {
        return None;
    };
    match &**callee {
        Expr::Ident(ident) => ctx.imported(&ident.sym).map(|r| &r.value),
        Expr::Member(member) => {
            let (Expr::Ident(object), MemberProp::Ident(prop)) = (&*member.obj, &member.prop)
            else {
                return None;
            };
            let dotted = format!("{}.{}", object.sym, prop.sym);
            ctx.imported(&dotted).map(|r| &r.value)
        }
        _ => None,
    }
}

impl super::Rule for FunctionWithoutTokenValidator {
    fn meta(&self) -> &'static super::RuleMeta {
        &Self::META
    }

    fn check_assign(&self, ctx: &mut Ctx, assign: &AssignExpr) {
        if is_handler_export(assign) {
            check_handler(ctx, &assign.right, ctx.span(assign.left.span()));
        }
    }

    /// TypeScript Functions: `export const handler = …` (any top-level `handler` in Function
    /// code; twilio-run loads the module's `handler` export).
    fn check_var_declarator(&self, ctx: &mut Ctx, declarator: &VarDeclarator) {
        let Some(init) = &declarator.init else {
            return;
        };
        // `const { AUTH_TOKEN } = context`.
        if matches!(&**init, Expr::Ident(i) if i.sym == *"context") {
            let span = ctx.span(declarator.span);
            ctx.note(ACCOUNT, span);
        }
        if let (Pat::Ident(name), Expr::Call(call)) = (&declarator.name, &**init) {
            if let Callee::Expr(callee) = &call.callee {
                let is_client = matches!(&**callee, Expr::Member(m) if is_runtime_api(m));
                let text = ctx.text(ctx.outermost_function());
                if is_client && crate::names::identifier_occurrences(text, &name.id.sym) == 1 {
                    let span = ctx.span(callee.span());
                    ctx.note(IDLE_CLIENT, span);
                }
            }
        }
        let Pat::Ident(name) = &declarator.name else {
            return;
        };
        if name.id.sym == *"handler" && ctx.runtime() == Runtime::Function {
            check_handler(ctx, init, ctx.span(name.span));
        }
    }

    fn check_member(&self, ctx: &mut Ctx, member: &MemberExpr) {
        if reaches_account(member) {
            let span = ctx.span(member.span);
            if !ctx.noted_at(IDLE_CLIENT, span) {
                ctx.note(ACCOUNT, span);
            }
        }
        if is_runtime_api(member) {
            let span = ctx.span(member.span);
            ctx.note(RUNTIME, span);
        }
        let webhook = match (&*member.obj, &member.prop) {
            (_, MemberProp::Ident(p)) if p.sym == *"twiml" => true,
            (Expr::Ident(o), MemberProp::Ident(p)) if o.sym == *"event" => {
                WEBHOOK_PARAMETERS.contains(&&*p.sym)
            }
            _ => false,
        };
        if webhook {
            let span = ctx.span(member.span);
            ctx.note(WEBHOOK, span);
        }
    }

    fn check_call(&self, ctx: &mut Ctx, call: &CallExpr) {
        // A wrapper a handler is passed to (`prepareStudioFunction(params, async (context…) =>
        // …)`) hands the handler its own `context`; what the handler does is judged by itself.
        let wraps_a_handler = call
            .args
            .iter()
            .any(|a| matches!(&*a.expr, Expr::Arrow(_) | Expr::Fn(_)));
        let helper_reaches_account = !wraps_a_handler
            && matches!(
                resolved_callee(ctx, call),
                Some(Value::Wrapper { account: true, .. })
            );
        if passes_context(call) || helper_reaches_account {
            let span = ctx.span(call.span);
            ctx.note(ACCOUNT, span);
        }
        if callee_name(call).is_some_and(|name| name.to_ascii_lowercase().contains("valid")) {
            let span = ctx.span(call.span);
            ctx.note(VALIDATOR_CALL, span);
        }
        // A shared helper that validates (`await isSupervisor(event, context)`), called here.
        if let Some(Value::Wrapper {
            validates: true, ..
        }) = resolved_callee(ctx, call)
        {
            let span = ctx.span(call.span);
            ctx.note(VALIDATOR, span);
            ctx.note(VALIDATOR_CALL, span);
        }
        // Validation by hand through the API the validator wraps: a request to
        // `https://iam.twilio.com/v1/Accounts/…/Tokens/validate` (its answer's `valid` checked).
        if calls_token_validation_api(ctx, call) {
            let span = ctx.span(call.span);
            ctx.note(VALIDATOR, span);
            ctx.note(VALIDATOR_CALL, span);
        }
        if authenticates_with_caller_credentials(call) {
            let span = ctx.span(call.span);
            ctx.note(CALLER_CREDENTIALS, span);
        }
        if matches!(&call.callee, Callee::Expr(e) if matches!(&**e, Expr::Ident(i) if i.sym == *"require"))
        {
            let specifier = call.args.first().and_then(|a| ctx.fold(&a.expr));
            if specifier.as_deref() == Some(VALIDATOR_MODULE) {
                let span = ctx.span(call.span);
                ctx.note(VALIDATOR, span);
            }
        }
    }

    fn check_module_source(&self, ctx: &mut Ctx, source: &ModuleSource) {
        if source.specifier == VALIDATOR_MODULE {
            ctx.note(VALIDATOR, source.span);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_flags, snapshot};

    const FLAGS: &[&str] = &[
        // A TypeScript Function's handler.
        "// @file functions/op.ts\nexport const handler = async (context: any, event: any, callback: any) => callback(null, await context.getTwilioClient().calls.list());",
        // The validator is loaded, but nothing calls it.
        "// @file functions/reassign.js\nconst TokenValidator = require('twilio-flex-token-validator').functionValidator;\nexports.handler = async (context, event, callback) => callback(null, context.API_SECRET);",
        "// @file functions/send-sms.js\nexports.handler = async (context, event, callback) => {\n  const client = context.getTwilioClient();\n  callback(null, await client.messages.create({ to: event.to, from: context.FROM, body: 'hi' }));\n};",
        "// @file serverless/functions/hangup.js\nexports.handler = function (context, event, callback) { twilioClient.calls(event.CallSid).update({ status: 'completed' }); callback(null, 'ok'); };",
        "// @file functions/x.js\nmodule.exports.handler = (context, event, callback) => callback(null, process.env.SYNC_SERVICE_SID);",
        "// @file functions/x.ts\nfunction handle(context, event, callback) { run(context, event).then(callback); }\nexports.handler = handle;",
        // The client is used, in a nested function.
        "// @file functions/list.js\nexports.handler = async (context, event, callback) => {\n  const client = context.getTwilioClient();\n  const recent = () => client.calls.list({ limit: 5 });\n  callback(null, await recent());\n};",
        // Wrapped, but not by anything that validates.
        "// @file functions/x.js\nexports.handler = middy(async (context, event, callback) => { const { AUTH_TOKEN } = context; });",
        // Outside `functions/`, the runtime gives it away.
        "// @file src/update-task.js\nexports.handler = async (context, event, callback) => {\n  const client = context.getTwilioClient();\n  await client.taskrouter.v1.workspaces(context.WORKSPACE_SID).tasks(event.taskSid).update({ assignmentStatus: 'completed' });\n};",
        "// @file lib/handler.js\nconst { path } = Runtime.getFunctions()['utils'];\nexports.handler = (context, event, callback) => { Runtime.getSync().documents('d').fetch(); };",
        "// @file functions\\windows\\x.js\nexports.handler = (context, event, callback) => { context.getTwilioClient(); };",
    ];

    const CLEAN: &[&str] = &[
        // Validated by hand through Twilio's IAM API, which the validator package calls.
        "// @file functions/hold.js\nconst fetch = require('node-fetch');\nexports.handler = async (context, event, callback) => {\n  const api = `https://iam.twilio.com/v1/Accounts/${context.ACCOUNT_SID}/Tokens/validate`;\n  const answer = await fetch(api, { method: 'POST', body: JSON.stringify({ token: event.token }) });\n  if (!(await answer.json()).valid) return callback(null, { status: 401 });\n  await context.getTwilioClient().calls(event.callSid).update({ status: 'completed' });\n  callback(null, {});\n};",
        // A client made and never used: an event sink that only logs.
        "// @file functions/event-sink.js\nexports.handler = function (context, event, callback) {\n  const client = context.getTwilioClient();\n  console.log('event', event.type);\n  callback(null, {});\n};",
        // Reaches nothing of the account: an open/closed check from a schedule kept in code.
        "// @file functions/check-hours.js\nconst HOURS = { mon: [9, 17] };\nexports.handler = (context, event, callback) => { const open = isOpen(HOURS, event.day, context.PATH); callback(null, { open }); };",
        // The validator, in each common form.
        "// @file functions/x.js\nexports.handler = require('twilio-flex-token-validator').functionValidator(async (context, event, callback) => {});",
        "// @file functions/x.js\nconst TokenValidator = require('twilio-flex-token-validator').functionValidator;\nexports.handler = TokenValidator(async (context, event, callback) => {});",
        "// @file functions/x.js\nconst { functionValidator } = require('twilio-flex-token-validator');\nexports.handler = functionValidator(async function (context, event, callback) {});",
        "// @file functions/x.ts\nimport { functionValidator as validate } from 'twilio-flex-token-validator';\nexports.handler = validate(async (context, event, callback) => {});",
        // A shared helper that returns the validator.
        "// @file functions/x.js\nconst { withTokenValidation } = require(Runtime.getFunctions()['auth'].path);\nexports.handler = withTokenValidation(async (context, event, callback) => {});",
        // Manual validation with the package's promise API.
        "// @file functions/x.js\nconst { validator } = require('twilio-flex-token-validator');\nexports.handler = async (context, event, callback) => {\n  await validator(event.Token, context.ACCOUNT_SID, context.AUTH_TOKEN);\n};",
        // A TypeScript Function's handler, wrapped.
        "// @file functions/op.ts\nimport { functionValidator } from 'twilio-flex-token-validator';\nexport const handler = functionValidator(async (context, event, callback) => callback(null, {}));",
        // A webhook answering Twilio with TwiML.
        "// @file functions/join-conference.js\nexports.handler = (context, event, callback) => { const twiml = new Twilio.twiml.VoiceResponse(); callback(null, twiml); };",
        // A status callback.
        "// @file functions/conference-events.js\nexports.handler = (context, event, callback) => { console.log(event.StatusCallbackEvent); callback(null, {}); };",
        // A liveness check.
        "// @file functions/health.js\nexports.handler = (context, event, callback) => callback(null, { ok: true });",
        // The caller's own credentials, checked.
        "// @file functions/admin/config.js\nconst twilio = require('twilio');\nexports.handler = async (context, event, callback) => { const { apiKey, apiSecret } = event; await twilio(apiKey, apiSecret, { accountSid: context.ACCOUNT_SID }).serverless.v1.services(context.SERVICE_SID).fetch(); callback(null, {}); };",
        // Signed webhooks and private helpers.
        "// @file functions/incoming-call.protected.js\nexports.handler = (context, event, callback) => {};",
        "// @file functions/helpers.private.js\nexports.handler = (context, event, callback) => {};",
        // Not Function code.
        "// @file src/plugin.js\nexports.handler = (a, b, c) => {};",
        "// @file functions/util.js\nmodule.exports = { format: (s) => s.trim() };",
        r#"const manager = Manager.getInstance(); Actions.invokeAction("SetActivity", {});"#,
    ];

    #[test]
    fn flags() {
        assert_flags("function-without-token-validator", FLAGS);
    }

    #[test]
    fn clean() {
        assert_clean("function-without-token-validator", CLEAN);
    }

    #[test]
    fn snapshot_findings() {
        insta::assert_snapshot!(snapshot("function-without-token-validator", FLAGS));
    }
}
