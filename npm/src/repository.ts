/**
 * Repository facts the engine judges, found without git: packages whose `.env` no `.gitignore`
 * covers (`env-file-not-ignored`). Pre-commit mode asks git itself; a lint of a directory reads
 * the `.gitignore` files from the repository's root down to each package.
 */
import * as fs from "fs";
import * as path from "path";
import type { Fact } from "./core";
import { directoriesFrom, gitRoot, GitignoreStack } from "./glob";

/** Dependencies that make a package a Flex plugin (`flex-plugin-scripts` unscoped is version 4). */
const FLEX_PLUGIN_PACKAGES = ["@twilio/flex-plugin", "@twilio/flex-plugin-scripts", "@twilio/flex-ui", "flex-plugin-scripts"];
/** Dependencies of a Twilio Functions service: `twilio-run deploy` uploads its `.env`. */
const FUNCTIONS_PACKAGES = ["twilio-run", "@twilio/runtime-handler"];
const DEPENDENCY_FIELDS = ["dependencies", "devDependencies", "peerDependencies"];
/** The files whose presence marks a package directory. */
export const PACKAGE_MARKERS = ["package.json", ".twilioserverlessrc"];

/** What a package keeps credentials in a `.env` for: a Flex plugin or a Functions service. */
export type EnvPackage = "plugin" | "functions";

/**
 * The kind of package a `package.json` describes, or undefined when it is neither a Flex plugin
 * nor a Functions service (or does not parse: not ours to judge). `serverlessRc` says whether a
 * `.twilioserverlessrc` sits beside it.
 */
export function envPackageKind(manifest: Buffer | string | undefined, serverlessRc = false): EnvPackage | undefined {
  let parsed: Record<string, Record<string, unknown> | undefined> | undefined;
  try {
    parsed = manifest === undefined ? undefined : JSON.parse(manifest.toString());
  } catch {
    parsed = undefined;
  }
  const dependsOn = (names: string[]) => DEPENDENCY_FIELDS.some((field) => names.some((name) => parsed?.[field]?.[name] !== undefined));
  if (parsed && dependsOn(FLEX_PLUGIN_PACKAGES)) return "plugin";
  if (serverlessRc || (parsed && dependsOn(FUNCTIONS_PACKAGES))) return "functions";
  return undefined;
}

/** The fact for a package in `dir` (relative to the repository root, `""` for the root). */
export function envNotIgnoredFact(dir: string, kind: EnvPackage): Fact {
  return kind === "functions" ? { kind: "envNotIgnored", dir, functions: true } : { kind: "envNotIgnored", dir };
}

/** A repository fact, with the directory its paths are relative to. */
export interface RepositoryFact {
  fact: Fact;
  base: string;
}

/**
 * `envNotIgnored` facts for the packages among `files` (absolute paths of linted files: their
 * `package.json` and `.twilioserverlessrc` files mark packages) whose `.env` the `.gitignore`
 * files from the git root (else `root`) down to the package do not ignore. A fact's `dir` is
 * relative to its `base`, with forward slashes: `root` for a package inside it, else the
 * package's git root, else the outermost package directory linted above it.
 */
export function unignoredEnvFacts(files: string[], root: string): RepositoryFact[] {
  const dirs = new Set<string>();
  for (const file of files) {
    if (PACKAGE_MARKERS.includes(path.basename(file))) dirs.add(path.dirname(file));
  }
  const sorted = [...dirs].sort();
  const inside = (dir: string, top: string) => dir === top || dir.startsWith(top + path.sep);
  const facts: RepositoryFact[] = [];
  for (const dir of sorted) {
    const manifest = readOrUndefined(path.join(dir, "package.json"));
    const kind = envPackageKind(manifest, fs.existsSync(path.join(dir, ".twilioserverlessrc")));
    if (!kind) continue;
    if (ignoresEnv(dir, gitRoot(dir) ?? root)) continue;
    const base = inside(dir, root) ? root : (gitRoot(dir) ?? sorted.find((d) => inside(dir, d)) ?? dir);
    facts.push({ fact: envNotIgnoredFact(path.relative(base, dir).split(path.sep).join("/"), kind), base });
  }
  return facts;
}

/** Whether the `.gitignore` files from `top` (when `dir` is inside it) down to `dir` ignore `dir/.env`. */
function ignoresEnv(dir: string, top: string): boolean {
  const chain = directoriesFrom(top, dir);
  const stack = new GitignoreStack();
  for (const d of chain) {
    // An ignored directory on the way down ignores everything in it.
    if (d !== chain[0] && stack.ignores(d, true)) return true;
    stack.push(d);
  }
  return stack.ignores(path.join(dir, ".env"), false);
}

function readOrUndefined(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}
