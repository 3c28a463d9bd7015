/**
 * Pre-commit mode: lint what a commit will contain — the blobs in the git index, not the work
 * tree — plus the repository rules (`env-file-committed`, `env-file-not-ignored`); and install or
 * uninstall a plain `.git/hooks/pre-commit`. A thin client of node.ts: git plumbing in, findings
 * from the one JS core out, printed with the CLI's stylish formatter.
 */
import type { spawnSync as SpawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { formatters } from "./format";
import { envFiles, flexguard, isLintable, ProjectOptions, resolveProject, withRelatedFrom } from "./node";
import type { Baseline } from "./baseline";
import type { Fact, Report } from "./core";
import { summarize } from "./core";
import { baselineOption, formatOption, maxWarningsOption, OptionSpecs, parseArgs, REPORT_OPTIONS, UsageError } from "./args";
import { clip } from "./config";
import { envNotIgnoredFact, envPackageKind } from "./repository";
import { ReportCache } from "./cache";

/** `child_process` (with net, dgram, …) loads on first use: only `--staged` runs git. */
const spawnSync = ((...args: unknown[]) => require("child_process").spawnSync(...args)) as typeof SpawnSync;

/** Thrown for anything git refuses (not a repository, a bad path): the CLI exits 2. */
export class GitError extends Error {}

/** Run git and return its stdout; throw `GitError` when it fails. Pathspecs are literal (names with `*`). */
function git(cwd: string, args: string[], input?: string | Buffer): Buffer {
  const result = spawnSync("git", args, {
    cwd,
    input,
    maxBuffer: 1 << 30,
    env: { ...process.env, GIT_LITERAL_PATHSPECS: "1", GIT_OPTIONAL_LOCKS: "0" },
  });
  if (result.error) throw new GitError(`cannot run git: ${result.error.message}`);
  if (result.status !== 0) {
    const reason = result.stderr.toString().trim().split("\n").pop() || `exit ${result.status}`;
    throw new GitError(`git ${args[0]} failed: ${reason}`);
  }
  return result.stdout;
}

/** One staged file: its path in the repository, its index mode and blob id. */
interface IndexEntry {
  mode: string;
  oid: string;
  path: string;
}

const SUBMODULE = "160000";
const SYMLINK = "120000";

/**
 * Entries the commit adds or changes: `git diff --cached`, added/copied/modified/renamed.
 * `--raw` rather than `--name-only`: the same list plus each file's mode (to skip submodules and
 * symlinks) and index blob id (read directly, no path lookup). `--no-renames`: a rename is then
 * an addition of the new path, which is what needs scanning. Works before the first commit.
 */
function stagedChanges(root: string): IndexEntry[] {
  const out = git(root, ["diff", "--cached", "--raw", "-z", "--no-abbrev", "--no-renames", "--diff-filter=ACMR", "--no-ext-diff"]).toString("utf8");
  const fields = out.split("\0");
  const entries: IndexEntry[] = [];
  // Each entry is ":<old mode> <new mode> <old oid> <new oid> <status>" NUL "<path>" NUL.
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const [, mode, , oid] = fields[i].slice(1).split(" ");
    entries.push({ mode, oid, path: fields[i + 1] });
  }
  return entries;
}

/** Larger tracked files (committed bundles, data) are not read as context for a commit. */
const MAX_CONTEXT_BYTES = 1 << 20;

/**
 * The index's other lintable files (not in `staged`, not submodules, symlinks or ignored by the
 * config): the context a commit is judged in.
 */
function unchangedFiles(root: string, staged: Set<string>, isIgnored: (file: string) => boolean): IndexEntry[] {
  return indexEntries(root).filter(({ mode, path: file }) => mode !== SUBMODULE && mode !== SYMLINK && !staged.has(file) && isLintable(file) && !isIgnored(file));
}

/**
 * The index's entries (stage 0 only), all of them or those of the given paths (what lint-staged
 * and the pre-commit framework pass).
 */
function indexEntries(root: string, paths?: string[]): IndexEntry[] {
  if (paths?.length === 0) return [];
  const out = git(root, ["ls-files", "--stage", "-z", ...(paths ? ["--", ...paths] : [])]).toString("utf8");
  const entries: IndexEntry[] = [];
  for (const record of out.split("\0")) {
    if (!record) continue;
    const tab = record.indexOf("\t");
    const [mode, oid, stage] = record.slice(0, tab).split(" ");
    // Stages 1-3 are an unresolved merge conflict: git refuses that commit anyway.
    if (stage === "0") entries.push({ mode, oid, path: record.slice(tab + 1) });
  }
  return entries;
}

/**
 * Read objects with ONE `git cat-file --batch` (one process, not one `git show` per file).
 * Each request is an object id or `:<path>` (the index); a missing object yields `undefined`.
 */
function readObjects(root: string, requests: string[]): (Buffer | undefined)[] {
  if (requests.length === 0) return [];
  const out = git(root, ["cat-file", "--batch"], requests.join("\n") + "\n");
  const objects: (Buffer | undefined)[] = [];
  let at = 0;
  for (let i = 0; i < requests.length; i++) {
    const eol = out.indexOf(10, at);
    const header = out.subarray(at, eol).toString("utf8");
    at = eol + 1;
    if (header.endsWith(" missing") || header.endsWith(" ambiguous")) {
      objects.push(undefined);
      continue;
    }
    const size = Number(header.slice(header.lastIndexOf(" ") + 1));
    objects.push(out.subarray(at, at + size));
    at += size + 1; // the content is followed by a newline
  }
  return objects;
}

/** Git's own test: a NUL byte in the first 8000 bytes means binary. */
function isBinary(content: Buffer): boolean {
  return content.subarray(0, 8000).includes(0);
}

/** Options of `lintStaged`. */
export interface StagedOptions extends Pick<ProjectOptions, "config" | "rules"> {
  /** Any directory inside the repository (default: the process's cwd); the config is searched upward from it. */
  cwd?: string;
  /**
   * Lint these paths as they are in the index (what lint-staged and the pre-commit framework pass;
   * absolute or relative to `cwd`) instead of every file the commit adds or changes.
   */
  paths?: string[];
  /** Report only findings not in this baseline. */
  baseline?: Baseline;
  /** Judge the staged files with the index's other files as context (default true). */
  project?: boolean;
  /** Reuse first-pass reports from `node_modules/.cache/flexguard` (default true), as `lintFiles` does. */
  cache?: boolean;
}

export interface StagedResult {
  /** The repository's top level; report paths are relative to it, with forward slashes. */
  root: string;
  /** One report per scanned file and per repository finding or note, sorted by path. */
  reports: Report[];
  /** How many staged files were scanned. */
  scanned: number;
}

/**
 * Lint what is staged: every file the commit adds or changes (or the given paths), read from the
 * git index, never from the work tree, with the config (searched from `cwd`) and the baseline
 * applied as `lintFiles` does. Submodules and symlinks are skipped; binary files are skipped with
 * a note; `.env` files are `env-file-committed`; in a Flex plugin package whose `.env` git would
 * not ignore, `env-file-not-ignored`. Throws `GitError` outside a repository.
 */
export function lintStaged(options: StagedOptions = {}): StagedResult {
  const cwd = options.cwd ?? process.cwd();
  const root = git(cwd, ["rev-parse", "--show-toplevel"]).toString("utf8").replace(/\n$/, "");
  // Index paths are repository paths: findings show them as they are.
  const project = resolveProject({ cwd, config: options.config, rules: options.rules, displayRoot: root });
  const optionsFor = (repoPath: string) => project.optionsFor(path.join(root, repoPath));
  const realRoot = fs.realpathSync(root);
  const entries = options.paths
    ? indexEntries(
        root,
        options.paths.map((p) => {
          const absolute = path.resolve(cwd, p);
          const real = fs.existsSync(absolute) ? fs.realpathSync(absolute) : absolute;
          const relative = path.relative(realRoot, real);
          if (relative.startsWith("..") || path.isAbsolute(relative)) throw new GitError(`${p} is outside the repository ${root}`);
          return relative.split(path.sep).join("/") || ".";
        }),
      )
    : stagedChanges(root);

  // Notes and the engine's findings about repository facts get a report each, sorted in with
  // the files' reports below.
  const reports: Report[] = [];
  const note = (file: string, code: string, message: string) => reports.push({ findings: [], diagnostics: [{ code, message, file, line: 1, column: 1 }] });
  const facts: Fact[] = [];

  const toScan: IndexEntry[] = [];
  for (const entry of entries) {
    if (entry.mode === SUBMODULE || entry.mode === SYMLINK || project.isIgnored(path.join(root, entry.path))) continue;
    facts.push({ kind: "stagedFile", path: entry.path });
    // A staged `.env` is linted too: the commit holds its values (and `env-file-committed` reports it).
    if (isLintable(entry.path)) toScan.push(entry);
  }

  // Manifests that may mark a Flex plugin or a Functions service: the root one and any staged one, read in the same batch.
  // (`cat-file --batch` reads one request per line: a name with a newline cannot be asked for.)
  const manifests = ["package.json", ...entries.map((e) => e.path).filter((p) => p !== "package.json" && path.posix.basename(p) === "package.json" && !p.includes("\n"))];
  const objects = readObjects(root, [...toScan.map((e) => e.oid), ...manifests.map((m) => `:${m}`)]);

  // The staged files are judged with the rest of the repository as context: URLs, helpers and
  // env values defined in a file the commit does not touch are followed. Every file comes from
  // the index (staged content wins), env files from the work tree (git ignores them). First-pass
  // reports are cached by content, so a commit re-reads only what changed.
  const cache = options.cache === false ? undefined : ReportCache.open(project.root, flexguard.version());
  const firstPass = (repoPath: string, content: Buffer): Report => {
    const lintOptions = { ...optionsFor(repoPath), summarize: true };
    const lint = () => flexguard.lint(content, lintOptions);
    return cache ? cache.report(content, lintOptions, lint) : lint();
  };
  const staged: { path: string; content: Buffer; report: Report }[] = [];
  toScan.forEach((entry, i) => {
    const content = objects[i];
    if (!content) return note(entry.path, "unreadable", "the staged content could not be read from the index; not scanned");
    if (isBinary(content)) return note(entry.path, "binary", "binary content; not scanned");
    staged.push({ path: entry.path, content, report: firstPass(entry.path, content) });
  });
  const context = options.project === false || staged.length === 0 ? [] : unchangedFiles(root, new Set(toScan.map((e) => e.path)), (file) => project.isIgnored(path.join(root, file)));
  const contextObjects = readObjects(root, context.map((e) => e.oid));
  const others = context.flatMap((entry, i) => {
    const content = contextObjects[i];
    return content && content.length <= MAX_CONTEXT_BYTES && !isBinary(content) ? [{ path: entry.path, content, report: firstPass(entry.path, content) }] : [];
  });
  const projectPath = (repoPath: string) => optionsFor(repoPath).projectPath ?? repoPath;
  cache?.save();
  // Calls and the Functions they reach are judged together; the files the commit does not
  // touch take part as context only. The untouched Functions the staged calls may reach, and
  // the untouched callers of staged Functions, are judged as the CLI judges them, with their
  // context: the pairs depend on it. Other untouched files keep their first pass.
  let stagedCalls = staged.some(({ report }) => report.functionCalls?.length);
  const stagedFunctions = staged.some(({ report }) => report.summary?.runtime === "function");
  const finals = flexguard.judgeProject(
    // Staged files come first, so their second passes are done before any context file's.
    [...staged.map((entry) => ({ ...entry, reported: true })), ...others.map((entry) => ({ ...entry, reported: false }))].map((entry) => ({ ...entry, repoPath: entry.path, path: projectPath(entry.path) })),
    envFiles([], root),
    ({ repoPath, content, report, reported }, again) => {
      if (reported) {
        const second = flexguard.lint(content, { ...optionsFor(repoPath), ...again });
        if (second.functionCalls?.length) stagedCalls = true;
        return second;
      }
      const runtime = again.runtime ?? report.summary?.runtime;
      const needed = runtime === "function" ? stagedCalls : (runtime === "plugin" || runtime === "asset") && stagedFunctions;
      return needed ? flexguard.lint(content, { ...optionsFor(repoPath), ...again }) : report;
    },
  );
  for (const final of finals.slice(0, staged.length)) reports.push({ ...withRelatedFrom(final, project.root, root), summary: undefined });

  const packages = manifests.flatMap((m, i) => {
    const kind = envPackageKind(objects[toScan.length + i]);
    return kind ? [{ dir: path.posix.dirname(m).replace(/^\.$/, ""), kind }] : [];
  });
  if (packages.length > 0) {
    const envPaths = packages.map(({ dir }) => (dir ? `${dir}/.env` : ".env"));
    // --no-index: judge the ignore rules, even for a tracked .env. No global excludes file: a
    // personal ignore does not protect teammates. Exit 1 means "none ignored", not an error.
    const result = spawnSync("git", ["-c", `core.excludesFile=${os.devNull}`, "check-ignore", "--no-index", "-z", "--stdin"], { cwd: root, input: envPaths.join("\0") + "\0" });
    if (result.status !== 0 && result.status !== 1) throw new GitError(`git check-ignore failed: ${result.stderr.toString().trim()}`);
    const ignored = new Set(result.stdout.toString("utf8").split("\0"));
    packages.forEach(({ dir, kind }, i) => {
      if (!ignored.has(envPaths[i])) facts.push(envNotIgnoredFact(dir, kind));
    });
  }
  for (const finding of flexguard.judgeFacts(facts, optionsFor(".")).findings) reports.push({ findings: [finding], diagnostics: [] });

  const fileOf = (r: Report) => r.findings[0]?.file ?? r.diagnostics[0]?.file ?? "";
  reports.sort((a, b) => (fileOf(a) < fileOf(b) ? -1 : fileOf(a) > fileOf(b) ? 1 : 0));
  return { root, reports: project.applyConfig(reports, options.baseline), scanned: toScan.length };
}

/** The last lines of a blocked (or warned) commit: how to fix, and what to do about a false positive. */
export const NEXT_STEPS = `To fix: follow each finding's help, \`git add\` the change and commit again. A credential that
was ever pushed or shipped must be rotated, not only removed.
False positive? Put \`// flexguard-ignore-next-line <rule> -- <reason>\` on the line above it, or
record it in a baseline (see "Pre-commit" in flexguard's README).
`;

// ---------------------------------------------------------------------------------------------
// The plain git hook: `flexguard install-hook [--force]`, `flexguard uninstall-hook`.

/** The line that marks a hook as ours: uninstall removes only files that carry it. */
export const HOOK_MARKER = "# flexguard-hook: installed by `flexguard install-hook`";

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * The hook prefers the repository's own flexguard (`node_modules/.bin`) and falls back to the
 * one that installed it. Git runs hooks at the top of the work tree.
 */
function hookScript(): string {
  const bin = path.resolve(__dirname, "..", "bin", "flexguard.js");
  return `#!/bin/sh
${HOOK_MARKER}; \`flexguard uninstall-hook\` removes it.
# Blocks a commit whose staged content has error-severity findings.
if [ -x node_modules/.bin/flexguard ]; then
  exec node_modules/.bin/flexguard --staged
fi
if [ -f ${shellQuote(bin)} ]; then
  exec ${shellQuote(process.execPath)} ${shellQuote(bin)} --staged
fi
echo "flexguard: not found; run 'npx flexguard install-hook' again, or remove ${"$"}0" >&2
exit 1
`;
}

/** Where git looks for the pre-commit hook (honours worktrees and core.hooksPath). */
function hookPath(cwd: string): string {
  const relative = git(cwd, ["rev-parse", "--git-path", "hooks/pre-commit"]).toString("utf8").replace(/\n$/, "");
  return path.resolve(cwd, relative);
}

function isOurs(file: string): boolean {
  return fs.readFileSync(file, "utf8").includes(HOOK_MARKER);
}

/** Install the hook. Refuses to replace a hook flexguard did not write unless `force` (which keeps a `.bak`). */
export function installHook(options: { cwd?: string; force?: boolean } = {}): { path: string; backup?: string } {
  const file = hookPath(options.cwd ?? process.cwd());
  let backup: string | undefined;
  if (fs.existsSync(file) && !isOurs(file)) {
    if (!options.force) throw new GitError(`${file} exists and was not installed by flexguard; call flexguard from it, or pass --force to replace it (it is kept as pre-commit.bak)`);
    backup = `${file}.bak`;
    fs.renameSync(file, backup);
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, hookScript(), { mode: 0o755 });
  fs.chmodSync(file, 0o755);
  return { path: file, backup };
}

/** Remove the hook if flexguard installed it; a foreign hook is left alone (and reported). */
export function uninstallHook(options: { cwd?: string } = {}): { path: string; removed: boolean } {
  const file = hookPath(options.cwd ?? process.cwd());
  if (!fs.existsSync(file)) return { path: file, removed: false };
  if (!isOurs(file)) throw new GitError(`${file} was not installed by flexguard; left alone`);
  fs.unlinkSync(file);
  return { path: file, removed: true };
}

// ---------------------------------------------------------------------------------------------
// CLI entry (cli.ts dispatches here).

export const PRE_COMMIT_USAGE = `Pre-commit:
  flexguard --staged [options] [paths...]  lint what is staged in git (the index, not the work
                                           tree); with paths, only those paths' staged content
  flexguard install-hook [--force]         write .git/hooks/pre-commit running \`flexguard --staged\`
  flexguard uninstall-hook                 remove that hook (only if flexguard wrote it)
  (--staged takes -f/--format, --max-warnings, --baseline <file>, --no-config and --no-cache as
   the CLI does, and applies flexguard.config.json: rule levels, ignore, allow, firstParty; the
   staged files are judged with the index's other files as context)
`;

/** True when argv asks for pre-commit mode. */
export function isPreCommitCommand(argv: string[]): boolean {
  return argv[0] === "install-hook" || argv[0] === "uninstall-hook" || argv.includes("--staged");
}

const STAGED_OPTIONS = { ...REPORT_OPTIONS, staged: { long: "staged" }, noCache: { long: "no-cache" } } as const;
const INSTALL_OPTIONS = { force: { long: "force" } } as const;

/** Run `--staged`, `install-hook` or `uninstall-hook`; resolves to the exit code (0, 1, 2 as the CLI). */
export async function runPreCommit(argv: string[], stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): Promise<number> {
  const fail = (message: string, code = 2) => (stderr.write(`flexguard: ${message}\n`), code);
  const hookCommand = argv[0] === "install-hook" || argv[0] === "uninstall-hook";
  try {
    if (hookCommand) {
      const unexpected = (what: string) => `unexpected ${what}`;
      const specs: OptionSpecs = argv[0] === "install-hook" ? INSTALL_OPTIONS : {};
      const { options, paths } = parseArgs(argv.slice(1), specs, unexpected);
      if (paths.length) throw new UsageError(unexpected(paths.map(clip).join(" ")));
      if (argv[0] === "install-hook") {
        const { path: file, backup } = installHook({ force: options.force === true });
        stdout.write(`flexguard: installed ${file}${backup ? ` (the previous hook is ${backup})` : ""}\n`);
      } else {
        const { path: file, removed } = uninstallHook();
        stdout.write(removed ? `flexguard: removed ${file}\n` : `flexguard: no hook at ${file}\n`);
      }
      return 0;
    }

    const { options, paths } = parseArgs(argv, STAGED_OPTIONS, (option) => `${option} is not supported with --staged`);
    if (options.help) return stdout.write(PRE_COMMIT_USAGE), 0;
    const format = formatOption(options.format);
    const maxWarnings = maxWarningsOption(options.maxWarnings);
    const baseline = baselineOption(options.baseline);
    // The same config (flexguard.config.json / package.json, searched upward) as the CLI.
    const { reports } = lintStaged({ paths: paths.length ? paths : undefined, config: options.noConfig ? false : undefined, baseline, cache: options.noCache !== true });
    const color = format === "stylish" && (stdout as NodeJS.WriteStream).isTTY === true;
    const { errors, warnings, infos } = summarize(reports);
    let out = formatters[format](reports, { color });
    if (format === "stylish" && errors + warnings + infos > 0) out += `\n${NEXT_STEPS}`;
    stdout.write(out);
    return errors > 0 || warnings > maxWarnings ? 1 : 0;
  } catch (error) {
    if (error instanceof UsageError) return fail(`${error.message}\n\n${PRE_COMMIT_USAGE}`);
    if (error instanceof GitError) return fail(error.message, hookCommand ? 1 : 2);
    // Config and baseline errors name the file and key, never file content.
    return fail((error as Error).message);
  }
}
