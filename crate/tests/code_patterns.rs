//! Whole-file cases for the code-pattern rules: the correct Flex plugin ↔ Function pattern in its
//! common forms yields nothing, and the anti-patterns each yield the expected rule.

use flexguard::{scan, testgen, Options};

fn rule_ids(file: &str, template: &str) -> Vec<String> {
    let source = testgen::fill(template, 42);
    let report = scan(
        &source,
        &Options {
            filename: Some(file.to_string()),
            ..Default::default()
        },
    );
    assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
    report.findings.into_iter().map(|f| f.rule_id).collect()
}

const CORRECT_PLUGIN: &str = r#"
import React from "react";
import { Actions, Manager, withTaskContext } from "@twilio/flex-ui";
import axios from "axios";

const BASE = process.env.FLEX_APP_FUNCTIONS_BASE || "https://example-1234.twil.io";

export async function sendSms(to, body) {
  const manager = Manager.getInstance();
  // JSON body
  await fetch(`${BASE}/send-sms`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ to, body, Token: manager.user.token }),
  });
  // form body
  await fetch(`${BASE}/send-sms`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ to, body, Token: manager.user.token }),
  });
  // axios JSON body, query string, Bearer header
  await axios.post(`${BASE}/send-sms`, { to, body, Token: manager.user.token });
  await axios.get(`${BASE}/lookup?phone=${to}&Token=${manager.user.token}`);
  await fetch(`${BASE}/lookup`, { headers: { Authorization: `Bearer ${manager.user.token}` } });
  // Flex API as the agent, with the user token.
  const ssoToken = manager.store.getState().flex.session.ssoTokenPayload.token;
  await fetch("https://taskrouter.twilio.com/v1/Workspaces", {
    headers: { Authorization: "Basic " + btoa(`token:${ssoToken}`) },
  });
  Actions.invokeAction("SetActivity", { activityAvailable: true });
}

export const Help = () => (
  <a href="https://www.twilio.com/docs/flex/developer/plugins">Twilio docs</a>
);
"#;

const CORRECT_FUNCTION: &str = r#"
const TokenValidator = require("twilio-flex-token-validator").functionValidator;

exports.handler = TokenValidator(async (context, event, callback) => {
  const client = context.getTwilioClient();
  const message = await client.messages.create({ to: event.to, from: context.FROM, body: event.body });
  const response = new Twilio.Response();
  response.appendHeader("Access-Control-Allow-Origin", "*");
  response.setBody({ sid: message.sid });
  callback(null, response);
});
"#;

#[test]
fn correct_pattern_is_clean() {
    assert_eq!(
        rule_ids("src/SmsPlugin.jsx", CORRECT_PLUGIN),
        Vec::<String>::new()
    );
    assert_eq!(
        rule_ids("serverless/functions/send-sms.js", CORRECT_FUNCTION),
        Vec::<String>::new()
    );
}

const BAD_PLUGIN: &str = r#"
import twilio from "twilio";

const accountSid = process.env.FLEX_APP_ACCOUNT_SID;
const authToken = process.env.FLEX_APP_AUTH_TOKEN;

export async function sendSms(to, body) {
  await fetch(`https://api.twilio.com/2010-04-01/Accounts/${accountSid}/Messages.json`, {
    method: "POST",
    headers: { Authorization: "Basic " + btoa(`${accountSid}:${authToken}`) },
    body: new URLSearchParams({ To: to, Body: body }),
  });
  await fetch("https://example-1234.twil.io/send-sms", { method: "POST", body: JSON.stringify({ to }) });
}
"#;

const BAD_FUNCTION: &str = r#"
exports.handler = async (context, event, callback) => {
  const client = context.getTwilioClient();
  callback(null, await client.messages.create({ to: event.to, from: context.FROM, body: event.body }));
};
"#;

#[test]
fn anti_patterns_are_flagged() {
    let mut ids = rule_ids("src/SmsPlugin.js", BAD_PLUGIN);
    ids.sort();
    assert_eq!(
        ids,
        [
            "basic-auth-header",
            "direct-api-call",
            "function-call-without-token",
            "public-env-secret",
            "server-sdk-import",
        ]
    );
    assert_eq!(
        rule_ids("functions/send-sms.js", BAD_FUNCTION),
        ["function-without-token-validator"]
    );
    // Outside a `functions/` folder, the runtime API marks it as Function code.
    assert_eq!(
        rule_ids("send-sms.js", BAD_FUNCTION),
        ["function-without-token-validator"]
    );
}

/// Many requests and long URL expressions: every request is judged on its own, in one walk.
#[test]
fn many_requests_stay_linear() {
    let mut source = String::new();
    for i in 0..4000 {
        source.push_str(&format!(
            "fetch(\"https://example-1234.twil.io/f{i}\", {{ method: \"POST\", body: JSON.stringify({{ i: {i}{} }}) }});\n",
            if i % 2 == 0 { ", Token: manager.user.token" } else { "" }
        ));
    }
    source.push_str("fetch(\"https://api.twilio.com/\"");
    // Long enough to matter, short enough to parse: deeper chains are scanned as text with a
    // `limit` diagnostic (see engine::nesting_estimate and tests/adversarial.rs).
    for _ in 0..1_000 {
        source.push_str(" + part");
    }
    source.push_str(");\n");
    let start = std::time::Instant::now();
    let ids = rule_ids("src/Big.js", &source);
    let without_token = ids
        .iter()
        .filter(|id| *id == "function-call-without-token")
        .count();
    assert_eq!(without_token, 2000);
    assert_eq!(ids.iter().filter(|id| *id == "direct-api-call").count(), 1);
    eprintln!("scanned {} bytes in {:?}", source.len(), start.elapsed());
}
