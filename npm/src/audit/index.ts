/**
 * `flexguard audit`: check a live Twilio account against Twilio's Flex security advice, with GET
 * requests only. The checks read the account and hand facts to the engine; the engine's rules
 * judge them and return findings, which the CLI's formats, baselines and exit codes handle as
 * they handle `lint`'s.
 */
import type { AuditSettings, Diagnostic, Fact, Report, RuleSetting } from "../core";
import { flexguard } from "../node";
import { TwilioUrls } from "../twilio-hosts";
import { CHECKS, CheckContext } from "./checks";
import { TwilioClient, ClientOptions } from "./client";
import { Credentials } from "./credentials";

export { CHECKS } from "./checks";
export type { Check } from "./checks";
export { resolveCredentials, CredentialError } from "./credentials";
export type { Credentials } from "./credentials";

/** The audit cannot start: the credentials are refused, or Twilio cannot be reached. */
export class AuditError extends Error {}

export interface AuditOptions extends ClientOptions {
  credentials: Credentials;
  /** Check names to run (default: all). */
  only?: string[];
  /** Rule levels (the config's `rules`, `--rule`). */
  rules?: Record<string, RuleSetting>;
  /** Thresholds (the config's `audit`). */
  audit?: AuditSettings;
  /** Today, for key ages (default: now). */
  now?: Date;
  /** The override of Twilio's hosts (default: `FLEXGUARD_TWILIO_API_BASE`). */
  override?: string;
}

export interface AuditResult {
  /** One report: every finding, and notes that are not findings. */
  reports: Report[];
  /** Every request sent: method and URL without query. */
  sent: { method: string; url: string }[];
}

/** Check names for `--only`, and a clear error for one that does not exist. */
export function checkNames(only: string[] | undefined): string[] {
  const known = CHECKS.map((c) => c.name);
  if (!only) return known;
  for (const name of only) if (!known.includes(name)) throw new AuditError(`unknown check "${name.length > 24 ? name.slice(0, 4) + "…" : name}" (expected ${known.join(", ")})`);
  return known.filter((name) => only.includes(name));
}

export async function audit(options: AuditOptions): Promise<AuditResult> {
  const { credentials } = options;
  const names = checkNames(options.only);
  const urls = new TwilioUrls({ region: credentials.region, edge: credentials.edge, ...(options.override === undefined ? {} : { override: options.override }) });
  const client = new TwilioClient(credentials, urls, options);
  // One request first, so refused credentials are one clear error rather than a finding per check.
  const account = await client.json<{ status?: string }>("api", `/2010-04-01/Accounts/${credentials.accountSid}.json`);
  if (!account.ok) {
    // A Standard API key may be refused the account resource itself yet read the rest: a list
    // under the account tells refused credentials from a refused resource.
    const probe = async () => {
      const outcome = await client.json("api", `/2010-04-01/Accounts/${credentials.accountSid}/Usage/Triggers.json?PageSize=1`);
      return !outcome.ok && outcome.status === 401;
    };
    const refused = account.status === 401 && (credentials.kind === "auth-token" || (await probe()));
    if (refused) throw new AuditError(`Twilio refused the credentials from the ${credentials.source} (401)`);
    if (account.status === undefined || account.status === 429 || account.status >= 500) throw new AuditError(`cannot reach Twilio's API at ${urls.host("api")}: ${account.reason}`);
    // 403 and the like: a restricted key may not read the account, yet pass other checks.
  }
  const notes: Diagnostic[] = [];
  const context: CheckContext = { client, credentials, now: options.now ?? new Date(), notes };
  const facts: Fact[] = [];
  for (const check of CHECKS) {
    if (!names.includes(check.name)) continue;
    try {
      facts.push(...(await check.run(context)));
    } catch (error) {
      // A response shaped unlike Twilio's (or a bug of ours) costs one check, never the audit.
      const reason = error instanceof Error ? error.name : "error";
      facts.push({ kind: "notChecked", rule: "account-not-checked", resource: { accountSid: credentials.accountSid, kind: "check", id: check.name }, reason: `the ${check.name} check failed on an unexpected response (${reason})`, needs: "the same credentials; please report this" });
    }
  }
  // Checks that share a read (Functions and assets) may report the same unread resource.
  const unique = [...new Map(facts.map((fact) => [JSON.stringify(fact), fact])).values()];
  const report = flexguard.judgeFacts(unique, { rules: options.rules ?? {}, ...(options.audit ? { audit: options.audit } : {}) });
  report.diagnostics.push(...notes);
  return { reports: [report], sent: client.sent };
}
