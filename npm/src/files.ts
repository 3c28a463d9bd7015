/**
 * From CLI arguments (files, directories, globs) to the sorted list of files to lint.
 * Directories honour .gitignore and skip dependency and cache directories; anything named
 * explicitly is linted even if it would be skipped by a walk.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { directoriesFrom, GitignoreStack, gitRoot, globToRegExp, isGlob, relativeBelow } from "./glob";
import { isLintable, SKIPPED_DIRECTORIES } from "./lintable";

export { SOURCE_EXTENSIONS, TEXT_EXTENSIONS, SKIPPED_DIRECTORIES, isLintable } from "./lintable";

export interface ExpandOptions {
  /** Paths are resolved against this directory (default: process.cwd()). */
  cwd?: string;
  /** Files for which this returns true are dropped (config `ignore`). Gets absolute paths. */
  isIgnored?: (file: string) => boolean;
  /** Honour .gitignore files while walking (default true). */
  gitignore?: boolean;
}

function inSkippedDirectory(file: string, root: string): boolean {
  return path.relative(root, path.dirname(file)).split(path.sep).some((part) => SKIPPED_DIRECTORIES.has(part));
}

/**
 * Files under `dir` that git tracks although a .gitignore matches them (added before the ignore
 * rule, or with `git add -f`), sorted. One `git ls-files` per walked root; nothing outside a git
 * repository or without git.
 */
function trackedButIgnored(dir: string): string[] {
  if (!gitRoot(dir)) return [];
  // Paths come relative to `cwd`, unquoted with -z.
  const result = spawnSync("git", ["ls-files", "-z", "--cached", "--ignored", "--exclude-standard", "--", "."], {
    cwd: dir,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
    maxBuffer: 64 << 20,
  });
  if (result.status !== 0 || typeof result.stdout !== "string") return [];
  return result.stdout
    .split("\0")
    .filter(Boolean)
    .map((name) => path.resolve(dir, name))
    .filter((file) => fs.statSync(file, { throwIfNoEntry: false })?.isFile())
    .sort();
}

/** The literal directory prefix of a glob (`src/**\/*.js` → `src`). */
function globBase(glob: string): string {
  const parts = glob.split("/");
  const literal: string[] = [];
  for (const part of parts) {
    if (isGlob(part)) break;
    literal.push(part);
  }
  return literal.join("/") || ".";
}

/**
 * Files under `paths`, returned as absolute paths in a stable order: each argument in turn, a
 * directory's files sorted by name. Throws for an argument that is neither a file, a directory
 * nor a glob (the CLI exits 2).
 */
export function expandPaths(paths: string[], options: ExpandOptions = {}): string[] {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const configIgnored = options.isIgnored ?? (() => false);
  // A path named on the command line wins over the config's `ignore` (as node_modules does when
  // named): `flexguard examples` lints the examples even when a walk of `.` skips them.
  let isIgnored = configIgnored;
  const useGitignore = options.gitignore ?? true;
  const seen = new Set<string>();
  const files: string[] = [];
  const add = (file: string) => {
    if (!seen.has(file) && !isIgnored(file)) {
      seen.add(file);
      files.push(file);
    }
  };

  /** Walk `dir`, with the .gitignore files of its ancestors (up to the git root) in effect. */
  const walkRoot = (dir: string, accept: (file: string) => boolean) => {
    const stack = new GitignoreStack();
    if (useGitignore) {
      // The ignore files above `dir`, from the git root down (the walk pushes `dir`'s own).
      const root = gitRoot(dir);
      if (root && root !== dir) for (const d of directoriesFrom(root, path.dirname(dir))) stack.push(d);
    }
    const walk = (current: string) => {
      const entries = fs.readdirSync(current, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      // Read a .gitignore only where the listing has one: a failed read per directory costs more.
      const pushed = useGitignore && entries.some((entry) => entry.name === ".gitignore") && stack.push(current);
      for (const entry of entries) {
        const full = path.join(current, entry.name);
        if (entry.isDirectory()) {
          if (SKIPPED_DIRECTORIES.has(entry.name) || stack.ignores(full, true) || isIgnored(full)) continue;
          walk(full);
        } else if (entry.isFile() && isLintable(full) && accept(full) && !stack.ignores(full, false)) {
          add(full);
        }
      }
      if (pushed) stack.pop();
    };
    walk(dir);
    // .gitignore does not apply to files git already tracks: they are committed all the same.
    if (useGitignore) for (const file of trackedButIgnored(dir)) if (isLintable(file) && accept(file) && !isIgnored(file) && !inSkippedDirectory(file, dir)) add(file);
  };

  for (const arg of paths) {
    const full = path.resolve(cwd, arg);
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(full);
    } catch {
      // A dangling symlink is still a named file: linting it reports an io-error.
      stat = fs.lstatSync(full, { throwIfNoEntry: false });
    }
    const named = configIgnored(full) || configIgnored(path.join(full, "file.js"));
    isIgnored = named ? () => false : configIgnored;
    if (stat?.isDirectory()) walkRoot(full, () => true);
    else if (stat) add(full);
    else if (isGlob(arg)) {
      const pattern = arg.split(path.sep).join("/").replace(/^\.\//, "");
      const base = path.resolve(cwd, globBase(pattern));
      const re = globToRegExp(path.isAbsolute(pattern) ? pattern : path.posix.join(path.resolve(cwd).split(path.sep).join("/"), pattern));
      if (fs.existsSync(base)) walkRoot(base, (file) => re.test(file.split(path.sep).join("/")));
    } else {
      throw new Error(`no such file or directory: ${arg}`);
    }
  }
  return files;
}

/** A path as findings report it: relative to the cwd when inside it, with forward slashes. */
export function displayPath(file: string, cwd = process.cwd()): string {
  return relativeBelow(cwd, file) ?? file.split(path.sep).join("/");
}
