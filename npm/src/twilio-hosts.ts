/**
 * Where requests to Twilio go: the real host (`api.twilio.com`, or with `TWILIO_REGION` /
 * `TWILIO_EDGE` `api.<edge>.<region>.twilio.com`), or, for tests, the local server that
 * `FLEXGUARD_TWILIO_API_BASE` names. `--verify` and `flexguard audit` share this.
 *
 * `FLEXGUARD_TWILIO_API_BASE` is either one URL for every host, or a JSON object from host name
 * to URL (`{"api.twilio.com": "http://127.0.0.1:2010", "iam.twilio.com": "…"}`). With a map,
 * a host it does not name is refused, so a test can never reach a real host. The override itself
 * may only name localhost or an HTTPS `*.twilio.com` host: credentials never go anywhere else.
 */

export const OVERRIDE_VARIABLE = "FLEXGUARD_TWILIO_API_BASE";

/** A URL flexguard refuses to send a request to (the message names the host, never a credential). */
export class RefusedUrl extends Error {}

export interface TwilioHosts {
  /** `TWILIO_REGION` (`us1`, `ie1`, `au1`, …), if set. */
  region?: string;
  /** `TWILIO_EDGE` (`ashburn`, `dublin`, `sydney`, …), if set. */
  edge?: string;
  /** The override's text (default: the `FLEXGUARD_TWILIO_API_BASE` environment variable). */
  override?: string;
}

const LOCALHOST = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);
const TWILIO_API_HOST = /^[a-z0-9-]+(\.[a-z0-9-]+)*\.twilio\.com$/;

function parseOverride(text: string | undefined): { all?: URL; map?: Map<string, URL> } {
  if (!text) return {};
  const base = (value: unknown, what: string): URL => {
    let url: URL;
    try {
      url = new URL(String(value));
    } catch {
      throw new RefusedUrl(`${OVERRIDE_VARIABLE}: ${what} is not a URL`);
    }
    // The override receives the credentials: a local test server, or another Twilio host.
    const local = LOCALHOST.has(url.hostname) && (url.protocol === "http:" || url.protocol === "https:");
    const twilio = url.protocol === "https:" && TWILIO_API_HOST.test(url.hostname.toLowerCase());
    if (!local && !twilio) throw new RefusedUrl(`${OVERRIDE_VARIABLE}: ${what} must be localhost (http or https) or an https *.twilio.com host`);
    return url;
  };
  if (text.trim().startsWith("{")) {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new RefusedUrl(`${OVERRIDE_VARIABLE}: not valid JSON`);
    }
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new RefusedUrl(`${OVERRIDE_VARIABLE}: must map host names to URLs`);
    return { map: new Map(Object.entries(raw).map(([host, url]) => [host.toLowerCase(), base(url, `"${host}"`)])) };
  }
  return { all: base(text, "the value") };
}

/**
 * Resolves Twilio hosts and URLs. `product` is the first label of the default host: `api`,
 * `iam`, `voice`, `flex-api`, `serverless`.
 */
export class TwilioUrls {
  readonly region?: string;
  readonly edge?: string;
  readonly #override: { all?: URL; map?: Map<string, URL> };

  constructor(options: TwilioHosts = {}) {
    this.region = options.region || undefined;
    this.edge = options.edge || undefined;
    this.#override = parseOverride(options.override ?? process.env[OVERRIDE_VARIABLE]);
  }

  /** True when requests go to a local test server rather than to Twilio. */
  get overridden(): boolean {
    return this.#override.all !== undefined || this.#override.map !== undefined;
  }

  /** The real host of a product, as twilio-node builds it: `<product>[.<edge>][.<region>].twilio.com`. */
  host(product: string): string {
    const region = this.region ?? (this.edge ? "us1" : undefined);
    return [product, this.edge, region, "twilio.com"].filter(Boolean).join(".");
  }

  /** The URL of a path on a product's API (`/v1/Keys`). */
  api(product: string, pathAndQuery: string): URL {
    return this.resolve(new URL(pathAndQuery, `https://${this.host(product)}`));
  }

  /**
   * Where a real Twilio URL (an API URL, a next page, a plugin bundle) is actually requested.
   * Without an override: the URL itself, which must be HTTPS. With one: the same path on the
   * override's server; with a map, a host it does not name is refused.
   */
  resolve(real: URL | string): URL {
    const url = typeof real === "string" ? new URL(real) : real;
    const { all, map } = this.#override;
    const target = all ?? map?.get(url.hostname.toLowerCase()) ?? map?.get(this.#defaultHost(url.hostname));
    if (target) {
      const local = new URL(url.pathname + url.search, target);
      // Keep a base path the override carries (`http://127.0.0.1:9/prefix`).
      if (target.pathname !== "/") local.pathname = target.pathname.replace(/\/+$/, "") + url.pathname;
      return local;
    }
    if (map) throw new RefusedUrl(`${url.hostname} is not in ${OVERRIDE_VARIABLE}`);
    if (url.protocol !== "https:") throw new RefusedUrl(`refusing plain HTTP to ${url.hostname}`);
    return url;
  }

  /** True when credentials may go to this (real) URL: HTTPS to a `*.twilio.com` host. */
  static isTwilioApi(real: URL): boolean {
    return real.protocol === "https:" && TWILIO_API_HOST.test(real.hostname.toLowerCase());
  }

  /** `api.dublin.ie1.twilio.com` → `api.twilio.com`, so a map keyed by default hosts still applies. */
  #defaultHost(host: string): string {
    const match = /^([a-z0-9-]+)\.(?:[a-z0-9-]+\.)+twilio\.com$/i.exec(host);
    return match ? `${match[1].toLowerCase()}.twilio.com` : host.toLowerCase();
  }
}
