/**
 * Repository facts the engine judges, found without git: packages whose `.env` no `.gitignore`
 * covers (`env-file-not-ignored`). Pre-commit mode asks git itself; a lint of a directory reads
 * the `.gitignore` files from the repository's root down to each package.
 */
import * as fs from "fs";
import * as path from "path";
import type { Fact } from "./core";
import { flexguard } from "./engine";
import { directoriesFrom, gitRoot, GitignoreStack } from "./glob";

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
  const kind = manifest === undefined ? undefined : flexguard.packageKind(manifest.toString());
  if (kind === "flex-plugin") return "plugin";
  if (serverlessRc || kind === "functions") return "functions";
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
