/**
 * The audit's checks. Each reads one part of the account with GET requests and returns facts;
 * the engine's `account` rules judge them (thresholds included), and deployed code is linted
 * by the engine's rules for where it runs. A check never builds a finding, and a check that
 * cannot read what it needs returns a `notChecked` fact naming the credential that would work.
 */
import type { Diagnostic, Fact } from "../core";
import type { Credentials } from "./credentials";
import type { Failure, TwilioClient } from "./client";

type AccountResource = { accountSid: string; kind: string; id: string };

export interface CheckContext {
  client: TwilioClient;
  credentials: Credentials;
  /** Today, for key ages (tests pin it). */
  now: Date;
  /** Notes that are not findings (no Flex on the account, no active plugin release). */
  notes: Diagnostic[];
  /** What the Serverless services deploy, read once for the Function and asset checks. */
  deployed?: Promise<DeployedOutcome>;
}

/** One check: what it reads, and the facts it hands the engine (docs/audit.md lists them). */
export interface Check {
  /** The name `--only` takes. */
  name: string;
  run(context: CheckContext): Promise<Fact[]>;
}

/** Where Twilio serves deployed files: Serverless domains and Twilio's own hosts. */
const TWILIO_FILE_HOST = /^(?:[a-z0-9-]+\.)+(?:twil\.io|twilio\.com)$/;
const AUTH_TOKEN_OR_MAIN_KEY = "the auth token (TWILIO_AUTH_TOKEN) or a Main API key";
const PAGE = "PageSize=100";

const resource = (context: CheckContext, kind: string, id: string): AccountResource => ({ accountSid: context.credentials.accountSid, kind, id });

function notChecked(context: CheckContext, rule: string, kind: string, id: string, failure: Failure | string, needs: string): Fact {
  const reason = typeof failure === "string" ? failure : failure.reason;
  return { kind: "notChecked", rule, resource: resource(context, kind, id), reason, needs };
}

/** A 401/403 means the credential may not read this; anything else is worth a retry later. */
function needsFor(failure: Failure, stronger: string): string {
  return failure.status === 401 || failure.status === 403 ? stronger : `the same credentials, once Twilio answers (${stronger} if it keeps failing)`;
}

function note(context: CheckContext, kind: string, id: string, message: string): void {
  context.notes.push({ code: "audit", message, file: `twilio://${context.credentials.accountSid}/${kind}/${id}`, line: 1, column: 1 });
}

const ageInDays = (created: string | null | undefined, now: Date): number | undefined => {
  const at = created ? Date.parse(created) : NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, Math.floor((now.getTime() - at) / 86_400_000));
};

interface KeyItem {
  sid?: string | null;
  friendly_name?: string | null;
  date_created?: string | null;
}

const keys: Check = {
  name: "keys",
  async run(context) {
    const sid = context.credentials.accountSid;
    const lists = [
      { list: "api-v2010", read: () => context.client.list<KeyItem>("api", `/2010-04-01/Accounts/${sid}/Keys.json?${PAGE}`, "keys") },
      // IAM v1 also lists Restricted keys.
      { list: "iam-v1", read: () => context.client.list<KeyItem>("iam", `/v1/Keys?AccountSid=${sid}&${PAGE}`, "keys") },
    ];
    const facts: Fact[] = [];
    const failures: (Failure & { list: string })[] = [];
    const seen = new Set<string>();
    for (const { list, read } of lists) {
      const outcome = await read();
      if (!outcome.ok) {
        failures.push({ ...outcome, list });
        continue;
      }
      const listed = [];
      for (const key of outcome.value) {
        if (!key.sid || seen.has(key.sid)) continue;
        seen.add(key.sid);
        const ageDays = ageInDays(key.date_created, context.now);
        // A key whose age is unknown is not a key that passed.
        if (ageDays === undefined) facts.push(notChecked(context, "account-api-key-age", "key", key.sid, "its creation date could not be read", "nothing: check the key's age in the Console"));
        else listed.push({ sid: key.sid, friendlyName: key.friendly_name ?? "", ageDays });
      }
      facts.push({ kind: "apiKeys", accountSid: sid, list, keys: listed });
    }
    if (failures.length === 1 && lists.length > 1) {
      // One list read: the keys only the other lists (Restricted keys are in IAM v1 only) are unchecked.
      const [failure] = failures;
      facts.push(notChecked(context, "account-api-key-age", "key", failure.list, `the ${failure.list} key list could not be read (${failure.reason}): keys only it lists were not checked`, needsFor(failure, AUTH_TOKEN_OR_MAIN_KEY)));
    }
    if (failures.length === lists.length) {
      const failure = failures[0];
      const why = failure.status === 403 ? `the ${context.credentials.kind === "api-key" ? "API key (a Standard key, as twilio-cli profiles hold)" : "credential"} may not list keys (${failure.reason})` : `the key lists could not be read (${failure.reason})`;
      facts.push(notChecked(context, "account-api-key-age", "key", "*", why, needsFor(failure, AUTH_TOKEN_OR_MAIN_KEY)));
    }
    return facts;
  },
};

interface CountryItem {
  iso_code?: string | null;
  name?: string | null;
  low_risk_numbers_enabled?: boolean | null;
  high_risk_special_numbers_enabled?: boolean | null;
  high_risk_tollfraud_numbers_enabled?: boolean | null;
}

const voice: Check = {
  name: "voice",
  async run(context) {
    const countries = await context.client.list<CountryItem>("voice", `/v1/DialingPermissions/Countries?${PAGE}`, "content");
    if (!countries.ok) {
      return ["account-voice-high-risk-dialing", "account-voice-dialing-countries"].map((rule) => notChecked(context, rule, "voice-dialing", "countries", `the dialling permissions could not be read (${countries.reason})`, needsFor(countries, AUTH_TOKEN_OR_MAIN_KEY)));
    }
    const settings = await context.client.json<{ dialing_permissions_inheritance?: boolean | null }>("voice", "/v1/Settings");
    const inheritance = settings.ok && typeof settings.value.dialing_permissions_inheritance === "boolean" ? settings.value.dialing_permissions_inheritance : undefined;
    // Unknown inheritance is not inheritance that passed: subaccounts may dial their own countries.
    const unread =
      inheritance === undefined
        ? [notChecked(context, "account-voice-dialing-countries", "voice-dialing", "inheritance", `the subaccount inheritance setting could not be read (${settings.ok ? "the response has no dialing_permissions_inheritance" : settings.reason})`, settings.ok ? "nothing: check Voice > Settings > Geo permissions in the Console" : needsFor(settings, AUTH_TOKEN_OR_MAIN_KEY))]
        : [];
    return [
      ...unread,
      {
        kind: "voiceDialing",
        accountSid: context.credentials.accountSid,
        ...(inheritance === undefined ? {} : { inheritance }),
        countries: countries.value
          .filter((c) => c.iso_code)
          .map((c) => ({
            isoCode: c.iso_code!,
            name: c.name ?? "",
            lowRiskNumbersEnabled: c.low_risk_numbers_enabled === true,
            highRiskSpecialNumbersEnabled: c.high_risk_special_numbers_enabled === true,
            highRiskTollfraudNumbersEnabled: c.high_risk_tollfraud_numbers_enabled === true,
          })),
      },
    ];
  },
};

interface TriggerItem {
  sid?: string | null;
  friendly_name?: string | null;
  usage_category?: string | null;
  callback_url?: string | null;
}

const usageTriggers: Check = {
  name: "usage-triggers",
  async run(context) {
    const sid = context.credentials.accountSid;
    const triggers = await context.client.list<TriggerItem>("api", `/2010-04-01/Accounts/${sid}/Usage/Triggers.json?${PAGE}`, "usage_triggers");
    if (!triggers.ok) return [notChecked(context, "account-usage-triggers", "usage-triggers", "all", `the usage triggers could not be read (${triggers.reason})`, needsFor(triggers, AUTH_TOKEN_OR_MAIN_KEY))];
    return [
      {
        kind: "usageTriggers",
        accountSid: sid,
        triggers: triggers.value.filter((t) => t.sid).map((t) => ({ sid: t.sid!, friendlyName: t.friendly_name ?? "", usageCategory: t.usage_category ?? "", ...(t.callback_url ? { callbackUrl: t.callback_url } : {}) })),
      },
    ];
  },
};

/** Flex Configuration fields that Flex UI hands to every agent's browser. */
const BROWSER_VISIBLE = ["ui_attributes", "public_attributes", "ui_dependencies", "attributes", "crm_attributes", "plugin_service_attributes", "markdown"];

const flexConfiguration: Check = {
  name: "flex-configuration",
  async run(context) {
    const configuration = await context.client.json<Record<string, unknown>>("flex-api", "/v1/Configuration");
    if (!configuration.ok) {
      if (configuration.status === 404) return note(context, "flex-configuration", "*", "the account has no Flex configuration (404): nothing to scan"), [];
      return [notChecked(context, "account-not-checked", "flex-configuration", "*", `the Flex configuration could not be read (${configuration.reason})`, needsFor(configuration, AUTH_TOKEN_OR_MAIN_KEY))];
    }
    return BROWSER_VISIBLE.flatMap((field): Fact[] => {
      const value = configuration.value[field];
      if (value === null || value === undefined || (typeof value === "object" && Object.keys(value).length === 0)) return [];
      // As a JS object literal, so the credential rules see keys and values as in code.
      return [{ kind: "deployedText", resource: resource(context, "flex-configuration", field), runtime: "plugin", text: `const ${field} = ${JSON.stringify(value, null, 2)};\n` }];
    });
  },
};

interface ConfiguredPlugin {
  unique_name?: string | null;
  version?: string | null;
  plugin_url?: string | null;
  private?: boolean | null;
}

/** Run `work` over `items`, at most `limit` at a time. */
async function pooled<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const plugins: Check = {
  name: "plugins",
  async run(context) {
    const release = await context.client.json<{ configuration_sid?: string | null }>("flex-api", "/v1/PluginService/Releases/Active");
    if (!release.ok) {
      if (release.status === 404) return note(context, "plugin", "*", "no active plugin release (404): no plugin to check"), [];
      return [notChecked(context, "account-not-checked", "plugin", "*", `the active plugin release could not be read (${release.reason})`, needsFor(release, AUTH_TOKEN_OR_MAIN_KEY))];
    }
    const configuration = release.value.configuration_sid;
    if (!configuration) return note(context, "plugin", "*", "the active release names no configuration"), [];
    const listed = await context.client.list<ConfiguredPlugin>("flex-api", `/v1/PluginService/Configurations/${encodeURIComponent(configuration)}/Plugins?${PAGE}`, "plugins");
    if (!listed.ok) return [notChecked(context, "account-not-checked", "plugin", "*", `the active release's plugins could not be read (${listed.reason})`, needsFor(listed, AUTH_TOKEN_OR_MAIN_KEY))];
    const facts = await pooled(listed.value, 4, async (plugin): Promise<Fact> => {
      const id = `${plugin.unique_name ?? "?"}@${plugin.version ?? "?"}`;
      if (!plugin.plugin_url) return notChecked(context, "account-not-checked", "plugin", id, "the plugin version has no plugin_url", "nothing: the bundle is not deployed");
      let url: URL;
      try {
        url = new URL(plugin.plugin_url);
      } catch {
        return notChecked(context, "account-not-checked", "plugin", id, "its plugin_url is not a URL", "nothing: the bundle is not deployed");
      }
      const headers: Record<string, string> = {};
      if (plugin.private) {
        const sign = context.credentials.sign;
        if (!sign) return notChecked(context, "account-not-checked", "plugin", id, "the bundle is private: downloading it needs an X-Twilio-Signature, which only the auth token can make", "the auth token (TWILIO_AUTH_TOKEN)");
        // A signature made with the auth token goes to Twilio's hosts only.
        if (url.protocol !== "https:" || !TWILIO_FILE_HOST.test(url.hostname.toLowerCase())) return notChecked(context, "account-not-checked", "plugin", id, `the bundle is private but hosted outside Twilio (${url.hostname}): flexguard signs requests to Twilio's hosts only`, "nothing: check the bundle where it is hosted");
        headers["X-Twilio-Signature"] = sign(url.href);
      }
      const bundle = await context.client.get(url, { auth: false, headers });
      if (!bundle.ok) return notChecked(context, "account-not-checked", "plugin", id, `the bundle could not be downloaded (${bundle.reason})`, plugin.private ? "the auth token (TWILIO_AUTH_TOKEN)" : "the same credentials, once the host answers");
      return { kind: "deployedText", resource: resource(context, "plugin", id), runtime: "plugin", text: bundle.text };
    });
    return facts;
  },
};

interface ServiceItem {
  sid?: string | null;
  unique_name?: string | null;
}
interface EnvironmentItem {
  sid?: string | null;
  unique_name?: string | null;
  build_sid?: string | null;
  domain_name?: string | null;
}
interface VersionItem {
  sid?: string;
  function_sid?: string;
  asset_sid?: string;
  path?: string;
  visibility?: "public" | "protected" | "private";
}

/** What is deployed: one entry per (environment, build), with the build's versions. */
interface Deployed {
  service: ServiceItem;
  environment: EnvironmentItem;
  functions: VersionItem[];
  assets: VersionItem[];
}

type DeployedOutcome = { ok: true; value: Deployed[]; facts: Fact[] } | Failure;

/** Services → environments → their deployed builds, read once for the Function and asset checks. */
function deployed(context: CheckContext): Promise<DeployedOutcome> {
  context.deployed ??= readDeployed(context);
  return context.deployed;
}

async function readDeployed(context: CheckContext): Promise<DeployedOutcome> {
  const services = await context.client.list<ServiceItem>("serverless", `/v1/Services?${PAGE}`, "services");
  if (!services.ok) return services;
  const out: Deployed[] = [];
  const facts: Fact[] = [];
  for (const service of services.value) {
    if (!service.sid) continue;
    const name = service.unique_name ?? service.sid;
    const environments = await context.client.list<EnvironmentItem>("serverless", `/v1/Services/${service.sid}/Environments?${PAGE}`, "environments");
    if (!environments.ok) {
      facts.push(notChecked(context, "account-not-checked", "serverless", name, `the service's environments could not be read (${environments.reason})`, needsFor(environments, AUTH_TOKEN_OR_MAIN_KEY)));
      continue;
    }
    for (const environment of environments.value) {
      if (!environment.build_sid) continue;
      const build = await context.client.json<{ function_versions?: VersionItem[] | null; asset_versions?: VersionItem[] | null }>("serverless", `/v1/Services/${service.sid}/Builds/${environment.build_sid}`);
      if (!build.ok) {
        facts.push(notChecked(context, "account-not-checked", "serverless", `${name}/${environment.unique_name ?? environment.sid}`, `the deployed build could not be read (${build.reason})`, needsFor(build, AUTH_TOKEN_OR_MAIN_KEY)));
        continue;
      }
      out.push({ service, environment, functions: build.value.function_versions ?? [], assets: build.value.asset_versions ?? [] });
    }
  }
  return { ok: true, value: out, facts };
}

const where = (d: Deployed, version: VersionItem) => `${d.service.unique_name ?? d.service.sid}/${d.environment.unique_name ?? d.environment.sid}${(version.path ?? "").startsWith("/") ? "" : "/"}${version.path ?? "?"}`;

const functions: Check = {
  name: "functions",
  async run(context) {
    const all = await deployed(context);
    if (!all.ok) return [notChecked(context, "account-not-checked", "function", "*", `the Serverless services could not be read (${all.reason})`, needsFor(all, AUTH_TOKEN_OR_MAIN_KEY))];
    // A version deployed to several environments is read and reported once.
    const versions = new Map<string, { d: Deployed; version: VersionItem }>();
    for (const d of all.value) for (const version of d.functions) if (version.sid && version.function_sid && !versions.has(version.sid)) versions.set(version.sid, { d, version });
    const facts = await pooled([...versions.values()], 4, async ({ d, version }): Promise<Fact> => {
      const id = where(d, version);
      const content = await context.client.json<{ content?: string | null }>("serverless", `/v1/Services/${d.service.sid}/Functions/${version.function_sid}/Versions/${version.sid}/Content`);
      if (!content.ok) return notChecked(context, "account-not-checked", "function", id, `the Function's content could not be read (${content.reason})`, needsFor(content, AUTH_TOKEN_OR_MAIN_KEY));
      return { kind: "deployedText", resource: resource(context, "function", id), runtime: "function", visibility: version.visibility ?? "public", text: content.value.content ?? "" };
    });
    return [...all.facts, ...facts];
  },
};

/** Public assets worth scanning: scripts, JSON and text. */
const SCANNED_ASSET = /\.(?:m?js|cjs|json|txt|map|html?|env|ya?ml|xml|csv)$/i;

const assets: Check = {
  name: "assets",
  async run(context) {
    const all = await deployed(context);
    if (!all.ok) return [notChecked(context, "account-not-checked", "asset", "*", `the Serverless services could not be read (${all.reason})`, needsFor(all, AUTH_TOKEN_OR_MAIN_KEY))];
    const seen = new Set<string>();
    const picked: { d: Deployed; version: VersionItem }[] = [];
    for (const d of all.value) {
      for (const version of d.assets) {
        if (version.visibility !== "public" || !version.path || !SCANNED_ASSET.test(version.path) || !version.sid || seen.has(version.sid)) continue;
        seen.add(version.sid);
        picked.push({ d, version });
      }
    }
    // Services whose builds could not be read: the Function check reports them too (deduplicated).
    return [...all.facts, ...(await pooled(picked, 4, async ({ d, version }): Promise<Fact> => {
      const id = where(d, version);
      if (!d.environment.domain_name) return notChecked(context, "account-not-checked", "asset", id, "its environment has no domain, so the public asset could not be downloaded", "nothing: check the asset in the Console");
      let url: URL;
      try {
        url = new URL(`https://${d.environment.domain_name}${version.path!.startsWith("/") ? "" : "/"}${version.path}`);
      } catch {
        return notChecked(context, "account-not-checked", "asset", id, "the environment's domain is not a host name", "nothing: the asset is not reachable");
      }
      // Public: anyone can fetch it, so the audit does too, without credentials.
      const body = await context.client.get(url, { auth: false });
      if (!body.ok) return notChecked(context, "account-not-checked", "asset", id, `the asset could not be downloaded (${body.reason})`, "the same credentials, once the host answers");
      return { kind: "deployedText", resource: resource(context, "asset", id), runtime: "asset", visibility: "public", text: body.text };
    }))];
  },
};

const manual: Check = {
  name: "manual",
  async run(context) {
    return [{ kind: "manualChecks", accountSid: context.credentials.accountSid }];
  },
};

/** Every check, in the order the report lists them. */
export const CHECKS: readonly Check[] = [keys, voice, usageTriggers, flexConfiguration, plugins, functions, assets, manual];
