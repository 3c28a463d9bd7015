/**
 * The audit's only way to the network: GET, nothing else. Credentials go only to Twilio's API
 * hosts over HTTPS (or to the local test server `FLEXGUARD_TWILIO_API_BASE` names); lists are
 * followed to their last page; 429 and 5xx are retried with backoff, honouring `Retry-After`;
 * every request has a timeout. Nothing here throws for a network problem: a failed request
 * is a `Failure` the checks turn into "not checked".
 */
import type * as http from "http";
import type { Credentials } from "./credentials";
import { RefusedUrl, TwilioUrls } from "../twilio-hosts";

/** The one method this client sends. */
const METHOD = "GET";
/** A response larger than this is cut off (a plugin bundle is a few MB). */
const MAX_BODY = 32 << 20;
const MAX_PAGES = 1000;

export interface Success {
  ok: true;
  status: number;
  text: string;
}

export interface Failure {
  ok: false;
  /** The HTTP status, when there was one. */
  status?: number;
  /** Why, in words (`403 Forbidden`, `timed out after 15 s`). Never a credential. */
  reason: string;
}

export type Outcome = Success | Failure;

export interface ClientOptions {
  /** Per-attempt timeout in milliseconds (default 15 000). */
  timeoutMs?: number;
  /** Attempts after the first for 429, 5xx, timeouts and network errors (default 3). */
  retries?: number;
  /** Longest wait between attempts, `Retry-After` included, in milliseconds (default 30 000). */
  maxDelayMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `Retry-After`: seconds, or an HTTP date. */
function retryAfterMs(value: string | string[] | undefined): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

export class TwilioClient {
  readonly urls: TwilioUrls;
  /** Every request sent, as (method, real URL without query): for `--verbose`-style accounting and tests. */
  readonly sent: { method: string; url: string }[] = [];
  readonly #credentials: Credentials;
  readonly #timeoutMs: number;
  readonly #retries: number;
  readonly #maxDelayMs: number;

  constructor(credentials: Credentials, urls: TwilioUrls, options: ClientOptions = {}) {
    this.#credentials = credentials;
    this.urls = urls;
    this.#timeoutMs = options.timeoutMs ?? 15_000;
    this.#retries = options.retries ?? 3;
    this.#maxDelayMs = options.maxDelayMs ?? 30_000;
  }

  /** GET a Twilio API path (`/v1/Keys?…`) on a product's host (`iam`). */
  api(product: string, pathAndQuery: string): Promise<Outcome> {
    return this.get(new URL(pathAndQuery, `https://${this.urls.host(product)}`));
  }

  /** GET a JSON resource. */
  async json<T>(product: string, pathAndQuery: string): Promise<{ ok: true; value: T } | Failure> {
    const outcome = await this.api(product, pathAndQuery);
    return outcome.ok ? parse<T>(outcome) : outcome;
  }

  /**
   * Every item of a list, following `next_page_uri` (2010 API, relative) or `meta.next_page_url`
   * (v1 APIs, absolute, rewritten through the override) to the last page.
   */
  async list<T>(product: string, pathAndQuery: string, key: string): Promise<{ ok: true; value: T[] } | Failure> {
    const items: T[] = [];
    let next: URL | undefined = new URL(pathAndQuery, `https://${this.urls.host(product)}`);
    for (let page = 0; next && page < MAX_PAGES; page++) {
      const outcome = await this.get(next);
      if (!outcome.ok) return outcome;
      const parsed = parse<Record<string, unknown>>(outcome);
      if (!parsed.ok) return parsed;
      const body = parsed.value;
      const pageItems = body?.[key];
      if (!Array.isArray(pageItems)) return { ok: false, reason: `the response has no "${key}" list` };
      items.push(...(pageItems as T[]));
      const meta = body.meta as { next_page_url?: string | null } | undefined;
      const link = meta?.next_page_url ?? (body.next_page_uri as string | null | undefined);
      const following: URL | undefined = link ? new URL(link, `https://${this.urls.host(product)}`) : undefined;
      // A next page that is this page again would loop forever.
      if (following && following.href === next.href) return { ok: false, reason: "the list's next page is the same page" };
      next = following;
    }
    // A list cut short is not a list read to the end.
    if (next) return { ok: false, reason: `the list has more than ${MAX_PAGES} pages` };
    return { ok: true, value: items };
  }

  /**
   * GET a real URL (resolved through the override). `auth` sends the credentials, and only to a
   * Twilio API host over HTTPS; `headers` adds others (a request signature).
   */
  async get(real: URL, options: { auth?: boolean; headers?: Record<string, string> } = {}): Promise<Outcome> {
    const auth = options.auth ?? true;
    let target: URL;
    try {
      if (auth && !TwilioUrls.isTwilioApi(real)) throw new RefusedUrl(`refusing to send credentials to ${real.hostname}`);
      target = this.urls.resolve(real);
    } catch (error) {
      if (error instanceof RefusedUrl) return { ok: false, reason: error.message };
      throw error;
    }
    const headers: Record<string, string> = { Accept: "application/json, */*", "User-Agent": "flexguard-audit", ...options.headers };
    if (auth) headers.Authorization = this.#credentials.authorization();
    let last: Failure = { ok: false, reason: "not sent" };
    for (let attempt = 0; attempt <= this.#retries; attempt++) {
      this.sent.push({ method: METHOD, url: `${real.origin}${real.pathname}` });
      const outcome = await this.#once(target, headers);
      if (outcome.kind === "done") return outcome.result;
      last = outcome.result;
      if (attempt === this.#retries) break;
      const backoff = Math.min(500 * 2 ** attempt, 8_000);
      await sleep(Math.min(outcome.retryAfterMs ?? backoff, this.#maxDelayMs));
    }
    return { ...last, reason: `${last.reason}, after ${this.#retries + 1} attempts` };
  }

  #once(url: URL, headers: Record<string, string>): Promise<{ kind: "done"; result: Outcome } | { kind: "retry"; result: Failure; retryAfterMs?: number }> {
    // Loaded on use: the lint CLI never needs them.
    const client: typeof http = url.protocol === "http:" ? require("http") : require("https");
    return new Promise((resolve) => {
      let settled = false;
      const settle = (value: Parameters<typeof resolve>[0]) => {
        if (!settled) (settled = true), clearTimeout(timer), resolve(value);
      };
      const request = client.request(url, { method: METHOD, headers }, (response) => {
        const status = response.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY) return request.destroy(new Error(`the response is larger than ${MAX_BODY >> 20} MB`));
          chunks.push(chunk);
        });
        response.on("error", (error) => settle({ kind: "retry", result: { ok: false, reason: error.message } }));
        response.on("end", () => {
          if (status >= 200 && status < 300) return settle({ kind: "done", result: { ok: true, status, text: Buffer.concat(chunks).toString("utf8") } });
          const reason = `${status} ${response.statusMessage ?? ""}`.trim();
          if (status === 429 || status >= 500) return settle({ kind: "retry", result: { ok: false, status, reason }, retryAfterMs: retryAfterMs(response.headers["retry-after"]) });
          settle({ kind: "done", result: { ok: false, status, reason } });
        });
      });
      const timer = setTimeout(() => {
        request.destroy();
        settle({ kind: "retry", result: { ok: false, reason: `timed out after ${this.#timeoutMs / 1000} s` } });
      }, this.#timeoutMs);
      request.on("error", (error: NodeJS.ErrnoException) => settle({ kind: "retry", result: { ok: false, reason: error.code ?? error.message } }));
      request.end();
    });
  }
}

function parse<T>(outcome: Success): { ok: true; value: T } | Failure {
  try {
    return { ok: true, value: JSON.parse(outcome.text) as T };
  } catch {
    return { ok: false, status: outcome.status, reason: "the response is not JSON" };
  }
}
