/**
 * `flexguard/eslint`: flexguard's rules as an ESLint plugin (ESLint 8, 9 and 10; flat config and
 * `.eslintrc`), so editors with ESLint support show findings as you type. A thin host over the
 * Node API: the engine lints each file's text once (whatever parser ESLint uses), and every
 * `flexguard/<id>` rule reports its share of those findings. Files on disk are judged inside
 * their project (config, runtimes, and URLs, helpers and env values of other files).
 */
import * as fs from "fs";
import * as path from "path";
import type { Finding, LintOptions, Report, RuleInfo } from "./core";
import { ReportCache } from "./cache";
import { expandPaths } from "./files";
import { envFiles, flexguard, lintFileReport, Project, resolveProject, withRelatedFrom } from "./node";

/** The parts of ESLint's rule context this plugin uses (8.x to 10.x). */
interface SourceCode {
  text: string;
  getIndexFromLoc(loc: { line: number; column: number }): number;
}
interface RuleContext {
  filename?: string;
  sourceCode?: SourceCode;
  getFilename?(): string;
  getSourceCode?(): SourceCode;
  report(descriptor: { loc: Loc; message: string; suggest?: { desc: string; fix: (fixer: Fixer) => unknown }[] }): void;
}
interface Loc {
  start: { line: number; column: number };
  end: { line: number; column: number };
}
interface Fixer {
  replaceTextRange(range: [number, number], text: string): unknown;
}

/** An ESLint rule: `meta` and `create`, as both config systems load it. */
interface EslintRule {
  meta: {
    type: "problem";
    docs: { description: string; url: string; recommended: boolean };
    schema: [];
    hasSuggestions: boolean;
  };
  create(context: RuleContext): Record<string, () => void>;
}

/**
 * Rules that judge one file's text. Repository rules (what is staged, what git ignores) and build
 * rules (what webpack defines) need facts only the CLI, pre-commit and the build observe.
 */
const TEXT_KINDS = new Set<RuleInfo["kind"]>(["credential", "api-call"]);

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8")) as { version: string; repository?: { url?: string } };

/** Where each rule's page lives: the repository named in the package's manifest. */
const REPOSITORY = (manifest.repository?.url ?? "").replace(/^git\+/, "").replace(/\.git$/, "");
const docsUrl = (id: string) => `${REPOSITORY}/blob/main/docs/rules/${id}.md`;

const ESLINT_LEVEL = { error: "error", warning: "warn", info: "warn" } as const;

/** Text kept per file: the last text ESLint gave us and what the engine made of it. */
interface Analysed {
  text: string;
  optionsKey: string;
  /** The project generation the findings used (cross-file findings), else undefined. */
  generation?: number;
  state?: ProjectState;
  findings: Finding[];
  /** What is not a finding but must be seen: the engine's diagnostics (a suppression without a reason, a part of the file not scanned), an invalid config. */
  notes: { line: number; column: number; message: string }[];
}

/** Recently linted files: every rule of one file's lint reads the same entry. */
const analysed = new Map<string, Analysed>();
const ANALYSED_MAX = 256;

/**
 * The findings for one file's text. The engine runs once per (file, text, options): the first
 * rule that asks pays, the others (and later runs over an unchanged file) reuse the result.
 * Cross-file findings are reused only while the project around the file is unchanged.
 */
function findingsFor(filename: string, text: string): Analysed {
  const { project, options, problem } = optionsFor(filename);
  const optionsKey = JSON.stringify(options);
  const hit = analysed.get(filename);
  if (hit && hit.text === text && hit.optionsKey === optionsKey && (hit.state === undefined || hit.state.refresh() === hit.generation)) {
    analysed.delete(filename);
    analysed.set(filename, hit);
    return hit;
  }
  const entry = analyse(text, options, optionsKey, project, filename);
  if (problem) entry.notes.unshift({ line: 1, column: 1, message: problem });
  analysed.delete(filename);
  analysed.set(filename, entry);
  if (analysed.size > ANALYSED_MAX) analysed.delete(analysed.keys().next().value as string);
  return entry;
}

function analyse(text: string, options: LintOptions, optionsKey: string, project: Project | undefined, filename: string): Analysed {
  if (project?.isIgnored(filename)) return { text, optionsKey, findings: [], notes: [] };
  let report = flexguard.lint(text, { ...options, summarize: project !== undefined });
  let state: ProjectState | undefined;
  let generation: number | undefined;
  // The first pass says whether the project can change its findings (a URL without a host, a
  // handler wrapper from another module, a finding in code whose package may say it is not
  // plugin code): only then is the project around the file consulted.
  const packageMayDecide = report.summary?.runtimeByDefault && report.findings.length > 0;
  if (project && (report.summary?.needsContext || packageMayDecide)) {
    state = projectState(project);
    generation = state.refresh();
    const self = options.projectPath ?? filename;
    // The env files are read each time: an ignored `.env` is not among the walked files.
    const env = envFiles([], project.root);
    const again = state.secondPass(`${self}\0${JSON.stringify(report.summary)}\0${JSON.stringify(env)}`, () => {
      const others = state!.reports().filter((file) => file.path !== self);
      const { secondPasses } = flexguard.contextsFor([...others, { path: self, report }], env);
      return secondPasses[others.length];
    });
    if (again) report = withRelatedFrom(flexguard.lint(text, { ...options, ...again }), project.root, project.root);
  }
  const [kept] = project ? project.applyConfig([report]) : [report];
  const notes = kept.diagnostics.map((d) => ({ line: d.line, column: d.column, message: `flexguard ${d.code}: ${d.message}` }));
  return { text, optionsKey, state, generation, findings: kept.findings, notes };
}

// ---------------------------------------------------------------------------------------------
// Projects: the config around a file, and the first-pass reports of the project's other files.

interface Located {
  project?: Project;
  options: LintOptions;
  problem?: string;
}

/** Projects by directory, re-resolved after a few seconds so an edited config takes effect. */
const projects = new Map<string, { at: number; located: Omit<Located, "options"> }>();
const PROJECT_TTL_MS = 2000;

function optionsFor(filename: string): Located {
  // `lintText` without a path, and virtual files of processors (`README.md/0.js`): no project.
  if (!path.isAbsolute(filename)) return { options: { filename } };
  let dir = path.dirname(filename);
  while (!isDirectory(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  let cached = projects.get(dir);
  if (!cached || Date.now() - cached.at > PROJECT_TTL_MS) {
    let located: Omit<Located, "options">;
    try {
      located = { project: resolveProject({ cwd: dir }) };
    } catch (error) {
      // An invalid config is shown on the file (once per file), which is then linted without it.
      located = { problem: `flexguard: ${(error as Error).message}; linting without the config` };
      try {
        located.project = resolveProject({ cwd: dir, config: false });
      } catch {
        // No project at all: the file alone.
      }
    }
    cached = { at: Date.now(), located };
    projects.set(dir, cached);
  }
  const { project, problem } = cached.located;
  return { project, problem, options: project ? project.optionsFor(filename) : { filename } };
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The project's other files, each with its first-pass report (summary included): walked again
 * at most every `PROJECT_TTL_MS`, each changed file linted again, through the CLI's report cache
 * (`node_modules/.cache/flexguard`) so an editor starts from what the last CLI run stored.
 */
class ProjectState {
  #walkedAt = 0;
  #generation = 0;
  #files = new Map<string, { stamp: string; path: string; report: Report }>();
  #secondPasses = new Map<string, LintOptions | undefined>();
  #secondPassesOf = -1;

  constructor(
    public project: Project,
    readonly configKey: string,
  ) {}

  /** Bring the files up to date; returns the generation, which changes when any file did. */
  refresh(): number {
    if (Date.now() - this.#walkedAt < PROJECT_TTL_MS) return this.#generation;
    const { project } = this;
    let files: string[];
    try {
      files = expandPaths([project.root], { cwd: project.root, isIgnored: project.isIgnored });
    } catch {
      files = [];
    }
    const cache = ReportCache.open(project.root, flexguard.version());
    const next = new Map<string, { stamp: string; path: string; report: Report }>();
    let changed = files.length !== this.#files.size;
    for (const file of files) {
      let stamp: string;
      try {
        const stat = fs.statSync(file);
        stamp = `${stat.mtimeMs}:${stat.size}`;
      } catch {
        continue;
      }
      const known = this.#files.get(file);
      if (known?.stamp === stamp) {
        next.set(file, known);
        continue;
      }
      changed = true;
      const options: LintOptions = { ...project.optionsFor(file), summarize: true };
      let bytes: Buffer | undefined;
      try {
        bytes = fs.readFileSync(file);
      } catch {
        // Unreadable now: linted below, which reports it.
      }
      const lint = () => lintFileReport(file, options);
      const report = cache && bytes ? cache.report(bytes, options, lint) : lint();
      next.set(file, { stamp, path: options.projectPath ?? file, report });
    }
    cache?.save();
    this.#files = next;
    this.#walkedAt = Date.now();
    if (changed) this.#generation++;
    return this.#generation;
  }

  reports(): { path: string; report: Report }[] {
    return [...this.#files.values()];
  }

  /**
   * The options of a file's second pass, resolved against the project once per generation and
   * `key` (the file, its summary and the env files): keystrokes that change neither the project nor what the file imports and exports
   * (most of them) do not resolve a thousand summaries again.
   */
  secondPass(key: string, resolve: () => LintOptions | undefined): LintOptions | undefined {
    if (this.#secondPassesOf !== this.#generation) {
      this.#secondPasses.clear();
      this.#secondPassesOf = this.#generation;
    }
    if (this.#secondPasses.has(key)) return this.#secondPasses.get(key);
    const again = resolve();
    if (this.#secondPasses.size >= 64) this.#secondPasses.delete(this.#secondPasses.keys().next().value!);
    this.#secondPasses.set(key, again);
    return again;
  }
}

const states = new Map<string, ProjectState>();
function projectState(project: Project): ProjectState {
  // Re-resolved projects of an unchanged config keep their files; a changed config starts over.
  const configKey = JSON.stringify(project.loaded.config);
  // Seen from the root, as a CLI run there sees it: the same options, so the same cache keys.
  const fromRoot = resolveProject({ cwd: project.root, config: project.loaded });
  let state = states.get(project.root);
  if (state?.configKey === configKey) state.project = fromRoot;
  else states.set(project.root, (state = new ProjectState(fromRoot, configKey)));
  return state;
}

// ---------------------------------------------------------------------------------------------
// The plugin object.

/** ESLint's `loc`: lines 1-based, columns 0-based; the engine's columns are 1-based UTF-16. */
function locOf(f: Finding): Loc {
  return { start: { line: f.line, column: f.column - 1 }, end: { line: f.endLine, column: f.endColumn - 1 } };
}

/** The message ESLint shows: what is wrong (redacted by the engine), where its parts came from, what to do. */
function messageOf(f: Finding): string {
  const related = f.related?.length ? ` (see ${f.related.map((r) => `${r.file}:${r.line}`).join(", ")})` : "";
  return `${f.message}${related}. ${f.help}`;
}

/**
 * Notes are reported once per lint of a file, by whichever flexguard rule runs first: ESLint
 * makes a new source-code object for every lint, which all its rules share.
 */
const notesShown = new WeakSet<object>();

function ruleFor(info: RuleInfo): EslintRule {
  return {
    meta: {
      type: "problem",
      docs: { description: info.summary, url: docsUrl(info.id), recommended: true },
      schema: [],
      // Any finding may carry the engine's mechanical fix, offered as a suggestion (never applied by --fix).
      hasSuggestions: true,
    },
    create(context) {
      return {
        Program() {
          // ESLint 10 removed the accessors; before 8.40 only they exist.
          const sourceCode = context.sourceCode ?? context.getSourceCode!();
          const filename = context.filename ?? context.getFilename!();
          const result = findingsFor(filename, sourceCode.text);
          if (!notesShown.has(sourceCode)) {
            notesShown.add(sourceCode);
            for (const note of result.notes) context.report({ loc: { start: { line: note.line, column: note.column - 1 }, end: { line: note.line, column: note.column - 1 } }, message: note.message });
          }
          for (const finding of result.findings) {
            if (finding.ruleId !== info.id) continue;
            const fix = finding.fix;
            const suggest = fix && [
              {
                desc: fix.description,
                fix: (fixer: Fixer) => {
                  const at = (line: number, column: number) => sourceCode.getIndexFromLoc({ line, column: column - 1 });
                  return fixer.replaceTextRange([at(fix.line, fix.column), at(fix.endLine, fix.endColumn)], fix.text);
                },
              },
            ];
            context.report({ loc: locOf(finding), message: messageOf(finding), ...(suggest ? { suggest } : {}) });
          }
        },
      };
    },
  };
}

const textRules = flexguard.rules().filter((r) => TEXT_KINDS.has(r.kind));

const rules: Record<string, EslintRule> = Object.fromEntries(textRules.map((r) => [r.id, ruleFor(r)]));
const recommendedRules = Object.fromEntries(textRules.map((r) => [`flexguard/${r.id}`, ESLINT_LEVEL[r.defaultSeverity]]));

interface Plugin {
  meta: { name: string; version: string };
  rules: Record<string, EslintRule>;
  configs: {
    /** Flat config (ESLint 9, 10, and 8 with eslint.config.js): `plugins` as an object. */
    recommended: { name: string; plugins: Record<string, unknown>; rules: Record<string, string> };
    /** `.eslintrc` (ESLint 8, or 9 with ESLINT_USE_FLAT_CONFIG=false): `plugins` as names. */
    "recommended-legacy": { plugins: string[]; rules: Record<string, string> };
  };
}

const plugin: Plugin = {
  meta: { name: "flexguard", version: manifest.version },
  rules,
  configs: {
    recommended: { name: "flexguard/recommended", plugins: {}, rules: recommendedRules },
    "recommended-legacy": { plugins: ["flexguard"], rules: recommendedRules },
  },
};
// The flat config refers to the plugin object itself, which is defined by then.
plugin.configs.recommended.plugins.flexguard = plugin;

export = plugin;
