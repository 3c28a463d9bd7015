/**
 * Optional live check (`--verify`): is a leaked credential pair still accepted by Twilio?
 *
 * For each Account SID + auth token, or API key SID + secret (with an Account SID), one
 * read-only `GET /2010-04-01/Accounts/{AccountSid}.json` with HTTP Basic auth. Nothing is ever
 * created or modified. 200 → `live`; 401/403 → `rejected`; anything else (network errors,
 * timeouts, 429, 5xx, other statuses) → `unknown`, never `rejected`.
 *
 * Secrets are read back from the source at the findings' spans (findings themselves only hold
 * redacted excerpts), used for the request, and never stored or printed.
 */
import type * as https from "https";
import type { Finding } from "./core";
import type { Verification } from "./format";
import { TwilioUrls } from "./twilio-hosts";

export const DEFAULT_TWILIO_API_BASE = "https://api.twilio.com";

/** Rule ids whose value is the secret half of a pair, and what it pairs with. */
const SECRET_RULES: Record<string, "auth-token" | "api-key-secret"> = {
  "auth-token": "auth-token",
  "api-key-secret": "api-key-secret",
};
const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/;
const KEY_SID = /^SK[0-9a-fA-F]{32}$/;

export interface CredentialPair {
  accountSid: string;
  /** The Basic-auth user: the Account SID (auth token) or the API key SID (key secret). */
  username: string;
  password: string;
  /** Fingerprints of the findings this pair came from; they get the verification result. */
  fingerprints: string[];
}

export interface VerifyOptions {
  /** Base URL of the REST API, or a JSON map of host → URL (default: `FLEXGUARD_TWILIO_API_BASE`, else https://api.twilio.com). */
  baseUrl?: string;
  /** Per-request timeout in milliseconds (default 10 000). */
  timeoutMs?: number;
}

/** A finding's exact source text (spans are UTF-8 byte offsets). */
function valueAt(source: Buffer, finding: Finding): string {
  return source.subarray(finding.span.start, finding.span.end).toString("utf8");
}

/**
 * The credential pairs of one file: each secret is paired with the Account SID (and, for API key
 * secrets, the key SID) found closest before it in the same file, falling back to the first
 * one after it. Findings whose span does not hold the plain value (folded strings) are skipped.
 */
export function credentialPairs(sourceText: string, findings: Finding[]): CredentialPair[] {
  const source = Buffer.from(sourceText, "utf8");
  const located = findings.map((f) => ({ f, value: valueAt(source, f) }));
  const accounts = located.filter(({ value }) => ACCOUNT_SID.test(value));
  const keys = located.filter(({ value }) => KEY_SID.test(value));
  const nearest = <T extends { f: Finding }>(candidates: T[], at: number): T | undefined =>
    [...candidates].reverse().find((c) => c.f.span.start <= at) ?? candidates.find((c) => c.f.span.start > at);
  const pairs: CredentialPair[] = [];
  for (const { f, value } of located) {
    const kind = SECRET_RULES[f.ruleId];
    if (!kind || !/^[A-Za-z0-9]{32}$/.test(value)) continue;
    const account = nearest(accounts, f.span.start);
    if (!account) continue;
    if (kind === "auth-token") {
      pairs.push({ accountSid: account.value, username: account.value, password: value, fingerprints: [account.f.fingerprint, f.fingerprint] });
    } else {
      const key = nearest(keys, f.span.start);
      if (key) pairs.push({ accountSid: account.value, username: key.value, password: value, fingerprints: [key.f.fingerprint, f.fingerprint] });
    }
  }
  return pairs;
}

/** One read-only GET of the account resource. Never throws; never rejects on doubt. */
export function verifyPair(pair: CredentialPair, options: VerifyOptions = {}): Promise<Verification> {
  let url: URL;
  try {
    // The shared override (one URL, or a host → URL map); HTTPS to Twilio otherwise.
    url = new TwilioUrls(options.baseUrl === undefined ? {} : { override: options.baseUrl }).api("api", `/2010-04-01/Accounts/${encodeURIComponent(pair.accountSid)}.json`);
  } catch {
    return Promise.resolve("unknown");
  }
  // Loaded on use: http/https/tls cost every CLI run ~15 ms of start-up, and only --verify needs them.
  const client: typeof https = url.protocol === "http:" ? require("http") : require("https");
  const auth = Buffer.from(`${pair.username}:${pair.password}`).toString("base64");
  return new Promise((resolve) => {
    const request = client.request(url, { method: "GET", headers: { Authorization: `Basic ${auth}`, Accept: "application/json", "User-Agent": "flexguard-verify" }, timeout: options.timeoutMs ?? 10_000 }, (response) => {
      response.resume();
      const status = response.statusCode ?? 0;
      resolve(status === 200 ? "live" : status === 401 || status === 403 ? "rejected" : "unknown");
    });
    request.on("timeout", () => request.destroy());
    request.on("error", () => resolve("unknown"));
    request.end();
  });
}

/**
 * Verify every pair in the given files' findings. Returns fingerprint → verification; a
 * fingerprint in several pairs keeps the strongest result (live > unknown > rejected).
 */
export async function verifyCredentials(files: { source: string; findings: Finding[] }[], options: VerifyOptions = {}): Promise<Map<string, Verification>> {
  const rank: Record<Verification, number> = { rejected: 0, unknown: 1, live: 2 };
  const results = new Map<string, Verification>();
  for (const { source, findings } of files) {
    for (const pair of credentialPairs(source, findings)) {
      const outcome = await verifyPair(pair, options);
      for (const fp of pair.fingerprints) {
        const previous = results.get(fp);
        if (!previous || rank[outcome] > rank[previous]) results.set(fp, outcome);
      }
    }
  }
  return results;
}
