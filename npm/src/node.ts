/**
 * Node entry: the core over the `nodejs` wasm-bindgen build, plus file helpers.
 * `require('flexguard')` and `import 'flexguard'` both land here.
 */
import * as fs from "fs";
import * as path from "path";
import { Engine, Flexguard, LintOptions, Report } from "./core";

export * from "./core";
export { formatters } from "./format";
export { lintFiles } from "./parallel";
export type { FileResult } from "./parallel";

const GLUE = path.join(__dirname, "..", "wasm", "nodejs", "flexguard.js");

/** Load a fresh instance: the glue instantiates at require time, so drop it from the cache. */
function instantiate(): Engine {
  delete require.cache[require.resolve(GLUE)];
  return require(GLUE) as Engine;
}

/** The process-wide engine. */
export const flexguard = new Flexguard(instantiate);

/** Lint one source text. See `Flexguard#lint`. */
export function lint(source: string, options: LintOptions = {}): Report {
  return flexguard.lint(source, options);
}

/** Every rule of the registry. */
export function rules() {
  return flexguard.rules();
}

/** Extensions the CLI lints when it walks a directory. */
export const SOURCE_EXTENSIONS = [".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts", ".map"];
const SKIPPED_DIRECTORIES = new Set(["node_modules", ".git"]);

/** Files under `paths` (files as given; directories recursively, sorted, skipping node_modules and .git). */
export function expandPaths(paths: string[]): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) walk(full);
      } else if (entry.isFile() && SOURCE_EXTENSIONS.includes(path.extname(entry.name).toLowerCase())) {
        files.push(full);
      }
    }
  };
  for (const p of paths) {
    if (fs.statSync(p).isDirectory()) walk(p);
    else files.push(p);
  }
  return files;
}

/** A path as findings report it: relative to the cwd when inside it, with forward slashes. */
export function displayPath(file: string, cwd = process.cwd()): string {
  const relative = path.relative(cwd, file);
  const shown = relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
  return shown.split(path.sep).join("/");
}

/**
 * The external source map of a bundle, as text: the file its `//# sourceMappingURL=` comment
 * names, else `<file>.map` next to it (Flex builds use `hidden-source-map`: no comment). Inline
 * `data:` maps are left to the engine; `.map` files themselves have none. Unreadable → undefined.
 */
export function readSourceMap(file: string, source: string): string | undefined {
  if (file.toLowerCase().endsWith(".map")) return undefined;
  // The comment is the last line of a bundle; look only at the tail (bundles are megabytes).
  const tail = source.slice(-2048);
  const url = /\/\/[#@] sourceMappingURL=([^\s'"*]+)\s*(?:\*\/)?\s*$/.exec(tail)?.[1];
  if (url?.startsWith("data:")) return undefined;
  const candidate = url && !/^[a-z][a-z0-9+.-]*:/i.test(url) ? path.resolve(path.dirname(file), decodeURIComponent(url.split(/[?#]/)[0])) : `${file}.map`;
  try {
    return fs.readFileSync(candidate, "utf8");
  } catch {
    return undefined;
  }
}

/**
 * Read and lint one file (invalid UTF-8 is replaced, the rest still scanned). A bundle's external
 * source map is read too (see `readSourceMap`), so findings carry their original position.
 */
export function lintFile(file: string, options: LintOptions = {}): Report {
  const source = fs.readFileSync(file, "utf8");
  const sourceMap = options.sourceMap ?? readSourceMap(file, source);
  return lint(source, { ...options, filename: options.filename ?? displayPath(file), ...(sourceMap === undefined ? {} : { sourceMap }) });
}
