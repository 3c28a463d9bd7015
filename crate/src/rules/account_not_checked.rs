use super::declare_rule;
use crate::account::{not_checked, AccountFinding, AuditSettings};
use crate::facts::Fact;

declare_rule! {
    /// Deployed code or attributes the audit could not fetch, so could not scan.
    ///
    /// ## What it flags
    /// A resource `flexguard audit` scans with the engine's rules (Flex `ui_attributes`, a plugin
    /// version's bundle, a Function version's content, a public asset) that it could not read: a
    /// private plugin bundle without the auth token (only the auth token can sign its
    /// `X-Twilio-Signature`), a request refused (401/403), a host that timed out or kept failing.
    /// The finding names the resource, the reason, and the credential that would let it be read.
    /// A check that did not run is never a pass.
    ///
    /// ## Why it matters in a Flex plugin
    /// What is deployed can differ from git: a bundle uploaded by hand, a Function edited in the
    /// Console. An unread resource is exactly where such a difference hides.
    ///
    /// ## How to fix
    /// Run the audit again with the credential the finding names (for private plugin bundles,
    /// `TWILIO_AUTH_TOKEN`), or when the host answers again.
    ///
    /// ```json,flags
    /// [{ "kind": "notChecked", "rule": "account-not-checked", "resource": { "accountSid": "ACexample", "kind": "plugin", "id": "plugin-crm@1.2.0" }, "reason": "the bundle is private", "needs": "TWILIO_AUTH_TOKEN" }]
    /// ```
    ///
    /// ```json,clean
    /// [{ "kind": "notChecked", "rule": "account-api-key-age", "resource": { "accountSid": "ACexample", "kind": "key", "id": "*" }, "reason": "403", "needs": "the auth token" }]
    /// ```
    pub struct AccountNotChecked {
        id: "account-not-checked",
        severity: Warning,
        kind: Account,
        shape: None,
    }
}

impl super::Rule for AccountNotChecked {
    fn meta(&self) -> &'static super::RuleMeta {
        &Self::META
    }

    fn check_account(&self, fact: &Fact, _settings: &AuditSettings) -> Vec<AccountFinding> {
        not_checked(Self::META.id, fact).into_iter().collect()
    }
}
