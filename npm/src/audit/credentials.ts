/**
 * The credentials `flexguard audit` runs with, read the way Twilio's own tools read them:
 * `--profile` names a twilio-cli profile; otherwise `TWILIO_ACCOUNT_SID` with
 * `TWILIO_API_KEY`/`TWILIO_API_SECRET` (preferred) or `TWILIO_AUTH_TOKEN`; otherwise the
 * twilio-cli's active profile. twilio-cli keeps profiles in `~/.twilio-cli/config.json`
 * (`profiles: { <id>: { accountSid, apiKey, apiSecret, region } }`, `activeProject`); older
 * versions kept the secret in the system keychain (`projects: [...]`), which is not read here.
 *
 * A secret never leaves this module except as the Basic-auth header and, for the auth token,
 * the request signatures of private plugin bundles. Messages name variables and files only.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export class CredentialError extends Error {}

export interface Credentials {
  accountSid: string;
  /** The Basic-auth user: an API key SID, or the Account SID with the auth token. */
  username: string;
  /** What authenticates: an API key (key SID + secret) or the auth token. */
  readonly kind: "api-key" | "auth-token";
  /** Where they came from, for messages: `environment` or `twilio-cli profile "<id>"`. */
  source: string;
  region?: string;
  edge?: string;
  /** The `Authorization` header value. The secret lives in this closure only, so neither
   * `JSON.stringify` nor `util.inspect` of the object can show it. */
  authorization(): string;
  /** HMAC-SHA1 request signature (`X-Twilio-Signature`) of a URL, when the auth token is known. */
  sign?(url: string): string;
}

const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/;
const KEY_SID = /^SK[0-9a-fA-F]{32}$/;

function make(accountSid: string, username: string, secret: string, kind: Credentials["kind"], source: string, region?: string, edge?: string): Credentials {
  if (!ACCOUNT_SID.test(accountSid)) throw new CredentialError(`${source}: the Account SID is not AC followed by 32 hex digits`);
  if (kind === "api-key" && !KEY_SID.test(username)) throw new CredentialError(`${source}: the API key is not SK followed by 32 hex digits`);
  if (!secret) throw new CredentialError(`${source}: the secret is empty`);
  const header = `Basic ${Buffer.from(`${username}:${secret}`).toString("base64")}`;
  const credentials: Credentials = {
    accountSid,
    username,
    kind,
    source,
    ...(region ? { region } : {}),
    ...(edge ? { edge } : {}),
    authorization: () => header,
  };
  if (kind === "auth-token") {
    credentials.sign = (url: string) => (require("crypto") as typeof import("crypto")).createHmac("sha1", secret).update(url).digest("base64");
  }
  return credentials;
}

/** twilio-cli's config file, under `HOME` (which the tests point elsewhere). */
function twilioCliConfig(env: NodeJS.ProcessEnv): string {
  return path.join(env.HOME || os.homedir(), ".twilio-cli", "config.json");
}

function fromProfile(id: string | undefined, env: NodeJS.ProcessEnv): Credentials {
  const file = twilioCliConfig(env);
  let config: { profiles?: Record<string, { accountSid?: string; apiKey?: string; apiSecret?: string; region?: string }>; projects?: { id?: string }[]; activeProject?: string; edge?: string };
  try {
    config = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CredentialError(code === "ENOENT" ? `no credentials: set TWILIO_ACCOUNT_SID with TWILIO_API_KEY/TWILIO_API_SECRET (or TWILIO_AUTH_TOKEN), or log in with twilio-cli (${file} does not exist)` : `${file} ${code ? `cannot be read (${code})` : "is not valid JSON"}`);
  }
  const profiles = config.profiles ?? {};
  const name = id ?? (config.activeProject && profiles[config.activeProject] ? config.activeProject : Object.keys(profiles)[0]);
  const profile = name === undefined ? undefined : profiles[name];
  if (!profile) {
    const legacy = (config.projects ?? []).some((p) => p.id === (id ?? config.activeProject));
    if (legacy) throw new CredentialError(`twilio-cli profile "${id ?? config.activeProject}" keeps its secret in the system keychain, which flexguard does not read: run \`twilio profiles:create\` again, or set TWILIO_ACCOUNT_SID with TWILIO_API_KEY/TWILIO_API_SECRET`);
    throw new CredentialError(id ? `no twilio-cli profile "${id}" in ${file}` : `no twilio-cli profile in ${file}`);
  }
  const source = `twilio-cli profile "${name}"`;
  if (!profile.accountSid || !profile.apiKey || !profile.apiSecret) throw new CredentialError(`${source} lacks accountSid, apiKey or apiSecret`);
  // twilio-cli stores an API key (a Standard key, made by `twilio login`).
  const credentials = make(profile.accountSid, profile.apiKey, profile.apiSecret, "api-key", source, profile.region ?? env.TWILIO_REGION, config.edge ?? env.TWILIO_EDGE);
  // The profile's account's auth token, when also set, signs private plugin bundles (only
  // Twilio's auth token can); a token set for another account is not this one's.
  const token = env.TWILIO_AUTH_TOKEN;
  if (token && (!env.TWILIO_ACCOUNT_SID || env.TWILIO_ACCOUNT_SID === profile.accountSid)) {
    credentials.sign = make(profile.accountSid, profile.accountSid, token, "auth-token", source).sign;
  }
  return credentials;
}

/** The audit's credentials, in twilio-cli's order: `--profile`, then the environment, then the active profile. */
export function resolveCredentials(profile: string | undefined, env: NodeJS.ProcessEnv = process.env): Credentials {
  if (profile !== undefined) return fromProfile(profile, env);
  const { TWILIO_ACCOUNT_SID: sid, TWILIO_API_KEY: key, TWILIO_API_SECRET: secret, TWILIO_AUTH_TOKEN: token, TWILIO_REGION: region, TWILIO_EDGE: edge } = env;
  if (sid) {
    if (key && secret) {
      const credentials = make(sid, key, secret, "api-key", "environment", region, edge);
      // With the auth token also set, private plugin bundles can be signed.
      if (token) credentials.sign = make(sid, sid, token, "auth-token", "environment").sign;
      return credentials;
    }
    if (token) return make(sid, sid, token, "auth-token", "environment", region, edge);
    throw new CredentialError("TWILIO_ACCOUNT_SID is set, but neither TWILIO_API_KEY/TWILIO_API_SECRET nor TWILIO_AUTH_TOKEN");
  }
  return fromProfile(undefined, env);
}
