/**
 * `flexguard.config.json` (or the `"flexguard"` key of package.json), searched upward from the
 * cwd. Loaded and validated here for every Node client (CLI, webpack plugin, pre-commit).
 *
 * ```json
 * {
 *   "rules": { "account-sid": "error", "direct-api-call": "off" },
 *   "ignore": ["examples/**", "**\/*.test.js"],
 *   "allow": ["3f1c0e5a9b7d2c4e6f8a0b1c"],
 *   "functionDomains": ["my-service-1234.twil.io"],
 *   "firstParty": ["src/**"],
 *   "audit": { "keyMaxAgeDays": 180, "voiceCountries": ["US", "CA"] }
 * }
 * ```
 */
import * as fs from "fs";
import * as path from "path";
import type { AuditSettings, RuleInfo, RuleSetting, Runtime } from "./core";
import { isRuleSetting, RULE_SETTINGS } from "./core";
import { globToRegExp } from "./glob";

export interface FlexguardConfig {
  /** Severity per rule id: `off`, `info`, `warning` or `error`. */
  rules?: Record<string, RuleSetting>;
  /** Globs (relative to the config file's directory) of files never linted. */
  ignore?: string[];
  /** Fingerprints of accepted findings. Never secrets: a finding's `fingerprint` is a one-way hash. */
  allow?: string[];
  /**
   * Extra hosts that are the team's own Twilio Functions (custom domains besides `*.twil.io`):
   * requests to them must send the Flex user token too (`function-call-without-token`).
   */
  functionDomains?: string[];
  /** Globs of first-party code; when set, `api-call` rules report only in these files. */
  firstParty?: string[];
  /**
   * Globs per runtime (`plugin`, `function`, `asset`, `test`, `tooling`) for files the layout
   * conventions classify wrongly; the engine checks each file by where it runs.
   */
  runtimes?: Partial<Record<Runtime, string[]>>;
  /** Thresholds of `flexguard audit` (the `account` rules). */
  audit?: AuditSettings;
}

/** A loaded config and where it came from (`undefined` when none was found). */
export interface LoadedConfig {
  config: FlexguardConfig;
  /** The file it was read from, or undefined. */
  path?: string;
  /** Directory that `ignore` and `firstParty` globs are relative to. */
  baseDir: string;
}

/** An invalid config or baseline: the CLI exits 2 with this message, which names the key. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/**
 * A user-supplied word as it may appear in an error message: long values are cut to 4
 * characters, because a mistyped id or option value could be a pasted credential.
 */
export function clip(text: string): string {
  return text.length > 24 ? `${text.slice(0, 4)}…` : text;
}

const KEYS: readonly string[] = ["rules", "ignore", "allow", "functionDomains", "firstParty", "runtimes", "audit"];
const AUDIT_KEYS: readonly string[] = ["keyMaxAgeDays", "voiceCountries"];
const ISO_COUNTRY = /^[A-Z]{2}$/i;
const RUNTIMES: readonly Runtime[] = ["plugin", "function", "asset", "test", "tooling"];
/** Fingerprints are 24 hex digits (96 bits of SHA-256). Anything else is refused, never echoed. */
const FINGERPRINT = /^[0-9a-f]{24}$/;
const HOSTNAME = /^(?:\*\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

function stringList(value: unknown, key: string, check?: (item: string, at: string) => void): string[] {
  if (!Array.isArray(value)) throw new ConfigError(`"${key}" must be an array of strings`);
  return value.map((item, i) => {
    if (typeof item !== "string" || item === "") throw new ConfigError(`"${key}[${i}]" must be a non-empty string`);
    check?.(item, `${key}[${i}]`);
    return item;
  });
}

/**
 * Check a parsed config object. `rules` are the engine's rules (unknown ids are errors).
 * Messages name the offending key, and never repeat a value that could be a secret.
 */
export function validateConfig(raw: unknown, rules: RuleInfo[], source = "config"): FlexguardConfig {
  const where = (key: string) => `${source}: ${key}`;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new ConfigError(`${source}: must be a JSON object`);
  const input = raw as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!KEYS.includes(key)) throw new ConfigError(where(`unknown key "${clip(key)}" (expected one of ${KEYS.join(", ")})`));
  }
  const config: FlexguardConfig = {};
  try {
    if (input.rules !== undefined) {
      if (typeof input.rules !== "object" || input.rules === null || Array.isArray(input.rules)) throw new ConfigError(`"rules" must be an object of rule id → severity`);
      const ids = new Set(rules.map((r) => r.id));
      config.rules = {};
      for (const [id, setting] of Object.entries(input.rules as Record<string, unknown>)) {
        if (!ids.has(id)) throw new ConfigError(`"rules.${clip(id)}" is not a flexguard rule (see flexguard --list-rules)`);
        if (!isRuleSetting(setting)) throw new ConfigError(`"rules.${clip(id)}" must be one of ${RULE_SETTINGS.join(", ")}`);
        config.rules[id] = setting;
      }
    }
    if (input.ignore !== undefined) config.ignore = stringList(input.ignore, "ignore");
    if (input.firstParty !== undefined) config.firstParty = stringList(input.firstParty, "firstParty");
    if (input.runtimes !== undefined) {
      if (typeof input.runtimes !== "object" || input.runtimes === null || Array.isArray(input.runtimes)) throw new ConfigError(`"runtimes" must be an object of runtime → globs`);
      config.runtimes = {};
      for (const [runtime, globs] of Object.entries(input.runtimes as Record<string, unknown>)) {
        if (!(RUNTIMES as readonly string[]).includes(runtime)) throw new ConfigError(`"runtimes.${clip(runtime)}" is not a runtime (expected one of ${RUNTIMES.join(", ")})`);
        config.runtimes[runtime as Runtime] = stringList(globs, `runtimes.${runtime}`);
      }
    }
    if (input.allow !== undefined)
      config.allow = stringList(input.allow, "allow", (item, at) => {
        if (!FINGERPRINT.test(item)) throw new ConfigError(`"${at}" is not a finding fingerprint (24 hex digits from the JSON or SARIF output); allowlist by fingerprint, never by the secret`);
      });
    if (input.functionDomains !== undefined)
      config.functionDomains = stringList(input.functionDomains, "functionDomains", (item, at) => {
        if (!HOSTNAME.test(item)) throw new ConfigError(`"${at}" must be a host name such as my-service-1234.twil.io`);
      });
    if (input.audit !== undefined) config.audit = auditSettings(input.audit);
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(where(error.message));
    throw error;
  }
  return config;
}

/** `audit`: `{ "keyMaxAgeDays": 180, "voiceCountries": ["US", "CA"] }`. */
function auditSettings(raw: unknown): AuditSettings {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new ConfigError(`"audit" must be an object`);
  const input = raw as Record<string, unknown>;
  for (const key of Object.keys(input)) if (!AUDIT_KEYS.includes(key)) throw new ConfigError(`unknown key "audit.${clip(key)}" (expected one of ${AUDIT_KEYS.join(", ")})`);
  const settings: AuditSettings = {};
  if (input.keyMaxAgeDays !== undefined) {
    const days = input.keyMaxAgeDays;
    if (typeof days !== "number" || !Number.isInteger(days) || days < 1 || days > 36_500) throw new ConfigError(`"audit.keyMaxAgeDays" must be a whole number of days (1 to 36500)`);
    settings.keyMaxAgeDays = days;
  }
  if (input.voiceCountries !== undefined)
    settings.voiceCountries = stringList(input.voiceCountries, "audit.voiceCountries", (item, at) => {
      if (!ISO_COUNTRY.test(item)) throw new ConfigError(`"${at}" must be a two-letter ISO country code such as US`);
    }).map((code) => code.toUpperCase());
  return settings;
}

/** Read and validate one config file (`flexguard.config.json`, or package.json's `flexguard` key). */
export function readConfigFile(file: string, rules: RuleInfo[]): FlexguardConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    const reason = error instanceof SyntaxError ? "is not valid JSON" : `cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`;
    throw new ConfigError(`${file}: ${reason}`);
  }
  if (path.basename(file) === "package.json") return validateConfig((parsed as Record<string, unknown>).flexguard, rules, `${file}: "flexguard"`);
  return validateConfig(parsed, rules, file);
}

/**
 * The nearest config at or above `cwd`: in each directory `flexguard.config.json` first, then a
 * package.json with a `"flexguard"` key. No config is an empty one. `rules` may be a function:
 * the registry is then read only when there is a config to validate.
 */
export function loadConfig(cwd: string, rules: RuleInfo[] | (() => RuleInfo[])): LoadedConfig {
  const known = typeof rules === "function" ? rules : () => rules;
  let dir = path.resolve(cwd);
  for (;;) {
    const own = path.join(dir, "flexguard.config.json");
    if (fs.existsSync(own)) return { config: readConfigFile(own, known()), path: own, baseDir: dir };
    const pkg = path.join(dir, "package.json");
    if (fs.existsSync(pkg)) {
      let hasKey = false;
      try {
        hasKey = typeof JSON.parse(fs.readFileSync(pkg, "utf8")).flexguard !== "undefined";
      } catch {
        // A broken package.json that is not ours to judge: keep searching.
      }
      if (hasKey) return { config: readConfigFile(pkg, known()), path: pkg, baseDir: dir };
    }
    const parent = path.dirname(dir);
    if (parent === dir) return { config: {}, baseDir: path.resolve(cwd) };
    dir = parent;
  }
}

const relativeTo = (baseDir: string, file: string) => path.relative(baseDir, path.resolve(file)).split(path.sep).join("/");

/** A predicate for absolute or cwd-relative paths: true when the config's `ignore` globs match; undefined without globs. */
export function ignoreMatcher(loaded: LoadedConfig): ((file: string) => boolean) | undefined {
  const globs = (loaded.config.ignore ?? []).map((g) => globToRegExp(g.replace(/^\.\//, "").replace(/\/$/, "/**"), { matchBase: true }));
  if (globs.length === 0) return undefined;
  return (file) => {
    const relative = relativeTo(loaded.baseDir, file);
    return globs.some((re) => re.test(relative));
  };
}

/**
 * Globs written relative to the config file's directory, made relative to the project root
 * (what the engine matches `firstParty` and `runtimes` against).
 */
export function globsFromRoot(globs: string[], loaded: LoadedConfig, root: string): string[] {
  const prefix = path.relative(root, loaded.baseDir).split(path.sep).join("/");
  if (!prefix) return globs;
  return globs.map((glob) => {
    const bare = glob.replace(/^\.\//, "");
    // A pattern without `/` matches a base name anywhere below the config's directory.
    return bare.includes("/") ? `${prefix}/${bare}` : `${prefix}/**/${bare}`;
  });
}
