/**
 * Globs and .gitignore, without runtime dependencies.
 *
 * Why not `git check-ignore`: flexguard also runs outside git repositories (unpacked bundles, CI
 * artifacts, the webpack plugin), a subprocess per walk is slow on Windows, and parsing
 * .gitignore ourselves keeps walks deterministic. We implement the documented gitignore pattern
 * rules (negation, anchoring, trailing `/` for directories, `**`); what we do not read is
 * `.git/info/exclude` and the global excludes file, which are per-clone settings.
 */
import * as fs from "fs";
import * as path from "path";

/**
 * A glob as a RegExp over forward-slash paths: `*` and `?` stay within a segment, `**` spans
 * segments, `{a,b}` alternates, `[...]` is a class. A pattern without `/` matches a basename
 * anywhere (as in .gitignore and ESLint's `ignorePatterns`) only when `matchBase` is set.
 */
export function globToRegExp(glob: string, { matchBase = false } = {}): RegExp {
  let source = "";
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*") {
      if (glob[i + 1] === "*") {
        // `**/` matches zero or more directories; a trailing `**` matches everything below.
        const slashAfter = glob[i + 2] === "/";
        const atSegmentStart = i === 0 || glob[i - 1] === "/";
        if (atSegmentStart && slashAfter) {
          source += "(?:[^/]*(?:/|$))*";
          i += 2;
        } else {
          source += ".*";
          i += 1;
        }
      } else {
        source += "[^/]*";
      }
    } else if (c === "?") source += "[^/]";
    else if (c === "[") {
      const close = glob.indexOf("]", i + 2);
      if (close < 0) source += "\\[";
      else {
        const body = glob.slice(i + 1, close).replace(/^!/, "^").replace(/\\/g, "\\\\");
        source += `[${body}]`;
        i = close;
      }
    } else if (c === "{") {
      braces++;
      source += "(?:";
    } else if (c === "}" && braces > 0) {
      braces--;
      source += ")";
    } else if (c === "," && braces > 0) source += "|";
    else if (c === "\\" && i + 1 < glob.length) source += "\\" + glob[++i];
    else source += /[.+^$()|\\]/.test(c) ? "\\" + c : c;
  }
  const anywhere = matchBase && !glob.includes("/");
  return new RegExp(`^${anywhere ? "(?:.*/)?" : ""}${source}$`);
}

/** True when the path (forward slashes) matches any of the globs. */
export function matchesAny(file: string, globs: RegExp[]): boolean {
  return globs.some((re) => re.test(file));
}

/** True when a string has glob syntax (so a CLI argument is a pattern, not a path). */
export function isGlob(arg: string): boolean {
  return /[*?[\]{}]/.test(arg);
}

interface IgnoreRule {
  /** Whether the rule matches a path relative to its .gitignore's directory, whose last segment is `name`. */
  matches: (relative: string, name: string) => boolean;
  negate: boolean;
  directoryOnly: boolean;
}

const GLOB_SYNTAX = /[*?[\]{}\\]/;

/**
 * How one pattern matches. A pattern without a slash matches a file or directory of that name at
 * any depth, so only the last segment is compared: by equality for a plain name (`node_modules`),
 * by suffix for `*.log`, else by a RegExp over the name. A root .gitignore from a template holds
 * a hundred or more such patterns, each tested against every path of the walk.
 */
function matcherOf(line: string, anchored: boolean): IgnoreRule["matches"] {
  if (anchored) {
    const re = globToRegExp(line);
    return (relative) => re.test(relative);
  }
  if (!GLOB_SYNTAX.test(line)) return (_, name) => name === line;
  const suffix = line.slice(1);
  if (line.startsWith("*") && suffix && !GLOB_SYNTAX.test(suffix)) return (_, name) => name.endsWith(suffix);
  const re = globToRegExp(line);
  return (_, name) => re.test(name);
}

/** The rules of one .gitignore file, relative to its directory. */
export function parseGitignore(text: string): IgnoreRule[] {
  const out: IgnoreRule[] = [];
  for (let line of text.split(/\r?\n/)) {
    if (!line || line.startsWith("#")) continue;
    line = line.replace(/(?<!\\)\s+$/, "");
    let negate = false;
    if (line.startsWith("!")) {
      negate = true;
      line = line.slice(1);
    } else if (line.startsWith("\\!") || line.startsWith("\\#")) line = line.slice(1);
    const directoryOnly = line.endsWith("/");
    if (directoryOnly) line = line.slice(0, -1);
    if (!line) continue;
    // A slash at the start or in the middle anchors the pattern to the .gitignore's directory.
    const anchored = line.includes("/");
    if (line.startsWith("/")) line = line.slice(1);
    out.push({ matches: matcherOf(line, anchored), negate, directoryOnly });
  }
  return out;
}

/**
 * Every .gitignore in effect while walking: a stack of (directory, rules). The last matching
 * rule wins, and a deeper .gitignore is consulted after a shallower one, as git does.
 */
export class GitignoreStack {
  private readonly layers: { dir: string; rules: IgnoreRule[] }[] = [];

  /** Load `dir/.gitignore` (if any) as the innermost layer. Returns whether one was loaded. */
  push(dir: string): boolean {
    let text: string;
    try {
      text = fs.readFileSync(path.join(dir, ".gitignore"), "utf8");
    } catch {
      return false;
    }
    this.layers.push({ dir, rules: parseGitignore(text) });
    return true;
  }

  pop(): void {
    this.layers.pop();
  }

  ignores(file: string, isDirectory: boolean): boolean {
    let ignored = false;
    for (const { dir, rules } of this.layers) {
      const relative = relativeBelow(dir, file);
      if (!relative) continue;
      const name = relative.slice(relative.lastIndexOf("/") + 1);
      for (const rule of rules) {
        if (rule.directoryOnly && !isDirectory) continue;
        if (rule.matches(relative, name)) ignored = !rule.negate;
      }
    }
    return ignored;
  }
}

/**
 * `file` relative to `dir` with forward slashes, or undefined when it is not below `dir`. Paths
 * from the walk are absolute and normalised: their prefix is sliced off, where `path.relative`
 * would resolve both again (a cost per file and per use).
 */
export function relativeBelow(dir: string, file: string): string | undefined {
  const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
  if (file.startsWith(prefix) && file.length > prefix.length) {
    const rest = file.slice(prefix.length);
    if (!NOT_NORMALISED.test(rest)) return path.sep === "/" ? rest : rest.split(path.sep).join("/");
  }
  const relative = path.relative(dir, file).split(path.sep).join("/");
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : undefined;
}

/** A `.` or `..` segment, or an empty one: a path `path.relative` would normalise first. */
const NOT_NORMALISED = /(^|[\\/])\.{1,2}([\\/]|$)|[\\/][\\/]/;

/**
 * `top` and each directory below it down to `dir`, outermost first (the `.gitignore` and `.env`
 * files in effect there); only `[dir]` when `dir` is not inside `top`.
 */
export function directoriesFrom(top: string, dir: string): string[] {
  const relative = path.relative(top, dir);
  if (relative === ".." || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) return [dir];
  const out = [top];
  for (const part of relative ? relative.split(path.sep) : []) out.push(path.join(out[out.length - 1], part));
  return out;
}

/** The enclosing git work tree's root (a directory holding `.git`), or undefined. */
export function gitRoot(start: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    if (fs.existsSync(path.join(dir, ".git"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
