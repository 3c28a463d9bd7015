/**
 * Which files a walk of a directory lints, by name alone: shared by the CLI's walk, pre-commit
 * mode and the playground's folder and `.zip` drops (no Node APIs here).
 */

/** JavaScript-family extensions the engine parses (source maps are scanned as well). */
export const SOURCE_EXTENSIONS = [".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts", ".map"];
/**
 * Files that commonly hold credentials, which the engine reads by their kind (docs/file-kinds.md):
 * `.env`-style settings, shell scripts, JSON, YAML, HTML (inline scripts as code) and Markdown
 * (fenced code).
 */
export const TEXT_EXTENSIONS = [".json", ".jsonc", ".json5", ".yml", ".yaml", ".html", ".htm", ".env", ".md", ".mdx", ".markdown", ".properties", ".ini", ".toml", ".sh", ".bash", ".zsh", ".ksh", ".ps1", ".bat", ".cmd", ".dockerfile"];
/** Settings files known by name: `.env`, `.env.*` (by prefix, below) and these. */
const SETTINGS_FILES = new Set([".envrc", ".dev.vars", ".twilioserverlessrc", ".twiliorc", "dockerfile", "containerfile"]);
/** Dependencies, VCS data and build caches: never useful to walk into, and often huge. */
export const SKIPPED_DIRECTORIES = new Set([
  "node_modules",
  ".git",
  ".hg",
  ".svn",
  ".cache",
  ".parcel-cache",
  ".turbo",
  ".next",
  ".nuxt",
  ".yarn",
  ".pnpm-store",
  ".nyc_output",
  ".flexguard-cache",
]);
/** Generated lock files: large, full of hashes, never hand-written credentials. */
const SKIPPED_FILES = new Set(["package-lock.json", "npm-shrinkwrap.json", "pnpm-lock.yaml"]);

/** Whether a directory walk picks this file up. */
export function isLintable(file: string): boolean {
  const base = (file.split(/[\\/]/).pop() ?? file).toLowerCase();
  if (SKIPPED_FILES.has(base)) return false;
  if (base.startsWith(".env") || base.startsWith(".dev.vars") || base.startsWith("dockerfile.") || SETTINGS_FILES.has(base)) return true;
  const dot = base.lastIndexOf(".");
  const ext = dot > 0 ? base.slice(dot) : "";
  return SOURCE_EXTENSIONS.includes(ext) || TEXT_EXTENSIONS.includes(ext);
}

/** A path below a walked folder (forward slashes) that the walk lints: not in a skipped directory, of a lintable kind. */
export function isWalked(relativePath: string): boolean {
  const parts = relativePath.split("/");
  return !parts.slice(0, -1).some((part) => SKIPPED_DIRECTORIES.has(part)) && isLintable(relativePath);
}
