/**
 * The command line's one parser, shared by the CLI and pre-commit mode. Options are declared as
 * data; the syntax is the usual one: `--name value`, `--name=value`, `-n value`, and `-` is a
 * path, not an option. Each host reads its values; those of the options both share are read here.
 */
import * as fs from "fs";
import { Baseline, parseBaseline } from "./baseline";
import { clip, ConfigError } from "./config";
import { formatters, FormatterName } from "./format";

/** A mistake on the command line: the host prints it with its usage and exits 2. */
export class UsageError extends Error {}

export interface OptionSpec {
  /** The long name, without `--`. */
  long: string;
  /** A one-letter alias, without `-`. */
  short?: string;
  /** Takes a value (`--name value`, `--name=value`); otherwise it is a flag. */
  value?: boolean;
  /** May be given more than once: the values are collected in order. Otherwise the last one wins. */
  repeatable?: boolean;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** What each declared option was given: `true` for a flag, the value, or every value if repeatable. */
export type ParsedOptions<S extends OptionSpecs> = {
  -readonly [K in keyof S]?: S[K] extends { value: true } ? (S[K] extends { repeatable: true } ? string[] : string) : true;
};

export interface ParsedArgs<S extends OptionSpecs> {
  options: ParsedOptions<S>;
  /** The arguments that are not options, in order. */
  paths: string[];
}

/**
 * Parse `argv` against `specs`. Throws `UsageError` for an option that is not declared (named
 * by `unknown`, after `clip`: a mistyped argument could be a pasted credential), a missing
 * value, or a value given to a flag.
 */
export function parseArgs<S extends OptionSpecs>(argv: readonly string[], specs: S, unknown = (option: string) => `unknown option ${option}`): ParsedArgs<S> {
  const byName = new Map<string, [key: string, spec: OptionSpec]>();
  for (const [key, spec] of Object.entries(specs)) {
    byName.set(`--${spec.long}`, [key, spec]);
    if (spec.short) byName.set(`-${spec.short}`, [key, spec]);
  }
  const options: Record<string, true | string | string[]> = {};
  const paths: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("-") || arg === "-") {
      paths.push(arg);
      continue;
    }
    // Only long options take `=value`: `-f=json` is not an option this parser knows.
    const equals = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const name = equals < 0 ? arg : arg.slice(0, equals);
    const declared = byName.get(name);
    if (!declared) throw new UsageError(unknown(clip(name)));
    const [key, spec] = declared;
    if (!spec.value) {
      if (equals >= 0) throw new UsageError(`${name} takes no value`);
      options[key] = true;
      continue;
    }
    const value = equals < 0 ? argv[++i] : arg.slice(equals + 1);
    if (value === undefined) throw new UsageError(`${name} needs a value`);
    if (spec.repeatable) options[key] = [...((options[key] as string[] | undefined) ?? []), value];
    else options[key] = value;
  }
  return { options: options as ParsedOptions<S>, paths };
}

// The options the CLI and `--staged` share, and what their values mean.

export const REPORT_OPTIONS = {
  format: { long: "format", short: "f", value: true },
  maxWarnings: { long: "max-warnings", value: true },
  baseline: { long: "baseline", value: true },
  noConfig: { long: "no-config" },
  help: { long: "help", short: "h" },
} as const;

/** `--format`: one of the reporters' names (default `stylish`). */
export function formatOption(value: string | undefined): FormatterName {
  if (value === undefined) return "stylish";
  if (!(value in formatters)) throw new UsageError(`unknown format "${clip(value)}" (expected ${Object.keys(formatters).join(", ")})`);
  return value as FormatterName;
}

/** `--max-warnings`: a non-negative integer (default: no limit). */
export function maxWarningsOption(value: string | undefined): number {
  if (value === undefined) return Infinity;
  if (!/^\d+$/.test(value)) throw new UsageError(`--max-warnings needs a non-negative integer, got "${clip(value)}"`);
  return Number(value);
}

/** `--baseline <file>`: the baseline it holds (a config error, exit 2, when unreadable or invalid). */
export function baselineOption(file: string | undefined): Baseline | undefined {
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError(`cannot read baseline ${file} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  return parseBaseline(text, file);
}
