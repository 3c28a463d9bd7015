use swc_ecma_ast::{AssignExpr, CallExpr, Callee, Expr, MemberExpr};

use super::declare_rule;
use super::function_without_token_validator::{is_handler_export, is_runtime_api};
use crate::engine::{Ctx, ModuleSource, When};
use crate::finding::Span;

declare_rule! {
    /// The server-side `twilio` Node.js SDK imported into plugin code.
    ///
    /// ## What it flags
    /// `import … from "twilio"`, `require("twilio")`, `import("twilio")`, re-exports
    /// (`export … from "twilio"`), TypeScript's `import twilio = require("twilio")`, and sub-paths
    /// such as `twilio/lib/rest/Twilio`. Browser packages (`@twilio/flex-ui`, `@twilio/conversations`,
    /// `twilio-video`, `twilio-sync`, …) and Twilio Function code (files in a `functions/`
    /// folder or exporting a `handler`) are not flagged.
    ///
    /// ## Why it matters in a Flex plugin
    /// The `twilio` package is a server SDK: it authenticates with an Account SID and auth token
    /// or API key secret. Bundled into a plugin, those credentials travel to every agent's
    /// browser, and the SDK adds hundreds of kilobytes of Node-only code to the bundle.
    ///
    /// ## How to fix
    /// Use the SDK in a Twilio Function instead (`context.getTwilioClient()`), wrap the handler
    /// with `twilio-flex-token-validator`'s `functionValidator`, and call the Function from the
    /// plugin with `Token: manager.user.token`.
    ///
    /// ```js,flags
    /// import twilio from "twilio";
    /// ```
    ///
    /// ```js,clean
    /// import { Actions, Manager } from "@twilio/flex-ui";
    /// ```
    pub struct ServerSdkImport {
        id: "server-sdk-import",
        severity: Error,
        kind: ApiCall,
        shape: None,
    }
}

fn finding(specifier: &str) -> (String, &'static str) {
    (
        format!("The server-side Twilio SDK (\"{specifier}\") is imported into plugin code"),
        "Use the SDK in a Twilio Function (`context.getTwilioClient()`) wrapped with `twilio-flex-token-validator`, and call that Function from the plugin; never ship account credentials to the browser.",
    )
}

/// Noted when the file is Twilio Function code, where the server SDK belongs.
const FUNCTION_CODE: &str = "function-code";

fn is_server_sdk(specifier: &str) -> bool {
    specifier == "twilio" || specifier.starts_with("twilio/")
}

fn check_specifier(ctx: &mut Ctx, specifier: &str, span: Span) {
    if !is_server_sdk(specifier) {
        return;
    }
    let (message, help) = finding(specifier);
    ctx.report_when(
        vec![When::NotNoted(FUNCTION_CODE)],
        span,
        message,
        help,
        specifier,
        false,
    );
}

impl super::Rule for ServerSdkImport {
    fn meta(&self) -> &'static super::RuleMeta {
        &Self::META
    }

    fn check_module_source(&self, ctx: &mut Ctx, source: &ModuleSource) {
        check_specifier(ctx, &source.specifier, source.span);
    }

    fn check_call(&self, ctx: &mut Ctx, call: &CallExpr) {
        let is_loader = match &call.callee {
            Callee::Import(_) => true,
            Callee::Expr(callee) => matches!(&**callee, Expr::Ident(i) if i.sym == *"require"),
            Callee::Super(_) => false,
        };
        if !is_loader {
            return;
        }
        let Some(specifier) = call.args.first().and_then(|a| ctx.fold(&a.expr)) else {
            return;
        };
        let span = ctx.span(call.span);
        check_specifier(ctx, &specifier, span);
    }

    fn check_assign(&self, ctx: &mut Ctx, assign: &AssignExpr) {
        if is_handler_export(assign) {
            let span = ctx.span(assign.span);
            ctx.note(FUNCTION_CODE, span);
        }
    }

    fn check_member(&self, ctx: &mut Ctx, member: &MemberExpr) {
        if is_runtime_api(member) {
            let span = ctx.span(member.span);
            ctx.note(FUNCTION_CODE, span);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_flags, snapshot};

    const FLAGS: &[&str] = &[
        r#"import twilio from "twilio";"#,
        r#"import { Twilio } from 'twilio';"#,
        r#"import * as Twilio from "twilio";"#,
        r#"import "twilio";"#,
        r#"const twilio = require("twilio");"#,
        r#"const client = require("twilio")(accountSid, authToken);"#,
        r#"const { jwt } = require("twilio");"#,
        r#"const Twilio = require("twilio/lib/rest/Twilio");"#,
        r#"import AccessToken from "twilio/lib/jwt/AccessToken";"#,
        r#"const mod = await import("twilio");"#,
        r#"const PKG = "twilio"; const t = require(PKG);"#,
        "// @file src/twilio.ts\nimport twilio = require(\"twilio\");",
        r#"export { Twilio } from "twilio";"#,
        r#"export * from "twilio/lib/rest/Twilio";"#,
        "// @file src/components/Sms.tsx\nimport twilio from 'twilio';",
    ];

    const CLEAN: &[&str] = &[
        r#"import { Actions, Manager } from "@twilio/flex-ui";"#,
        r#"import { Client } from "@twilio/conversations";"#,
        r#"import { Device } from "@twilio/voice-sdk";"#,
        r#"import Video from "twilio-video";"#,
        r#"import SyncClient from "twilio-sync";"#,
        r#"import { TaskRouter } from "twilio-taskrouter";"#,
        r#"const validator = require("twilio-flex-token-validator");"#,
        r#"import type { Twilio } from "twilio";"#,
        r#"export type { Twilio } from "twilio";"#,
        "// @file src/twilio.ts\nimport type twilio = require(\"twilio\");",
        r#"const name = "twilio";"#,
        r#"const twilio = require(name);"#,
        // Twilio Function code: the server SDK belongs there.
        "// @file functions/send-sms.js\nconst twilio = require('twilio');\nexports.handler = (context, event, callback) => {};",
        "// @file serverless/functions/lib/client.js\nconst twilio = require('twilio');",
        "const twilio = require('twilio');\nexports.handler = (context, event, callback) => { callback(null, {}); };",
        "const twilio = require('twilio');\nconst client = context.getTwilioClient();",
    ];

    #[test]
    fn flags() {
        assert_flags("server-sdk-import", FLAGS);
    }

    #[test]
    fn clean() {
        assert_clean("server-sdk-import", CLEAN);
    }

    #[test]
    fn snapshot_findings() {
        insta::assert_snapshot!(snapshot("server-sdk-import", FLAGS));
    }
}
