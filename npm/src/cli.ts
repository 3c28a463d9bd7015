/**
 * `flexguard [options] <file|directory|glob>...`: a thin client of the Node API.
 * Exit codes: 0 clean, 1 error-severity findings (or more warnings than --max-warnings),
 * 2 usage, config or I/O error.
 */
import * as fs from "fs";
import * as path from "path";
import { formatters, FormatterName, ReportedFinding } from "./format";
import { flexguard, lint, lintFiles, ProjectOverview, resolveProject, rules } from "./node";
import type { Report, RuleSetting } from "./core";
import { isRuleSetting, RULE_SETTINGS, summarize } from "./core";
import { createBaseline } from "./baseline";
import { clip } from "./config";
import { baselineOption, formatOption, maxWarningsOption, parseArgs, REPORT_OPTIONS, UsageError } from "./args";
import { verifyCredentials } from "./verify";
import { isPreCommitCommand, runPreCommit, PRE_COMMIT_USAGE } from "./pre-commit";

const USAGE = `Usage: flexguard [options] <file|directory|glob>...
       flexguard --stdin [--stdin-filename <name>] [options]

Lints Flex plugin code for leaked Twilio credentials and direct Twilio REST calls.
Directories are walked for JS/TS sources, source maps and files that hold credentials (.env*,
.json, .yml/.yaml, .html, .md, .properties/.ini/.toml, shell scripts, Dockerfiles), honouring
.gitignore and skipping node_modules, .git and build caches (name such a path explicitly to lint
it anyway).

Options:
  -f, --format <name>          stylish (default), json, sarif, github or gitlab
  -o, --output <file>          write the report to a file instead of stdout
  --max-warnings <n>           also exit 1 when there are more than n warnings
  --rule <id>=<level>          set a rule's level: off, info, warning or error (repeatable)
  -c, --config <file>          use this config instead of searching for flexguard.config.json
  --no-config                  use no config file
  --baseline <file>            report only findings that are not in this baseline
  --write-baseline <file>      record the current findings (fingerprints only) and exit 0
  --stdin                      lint standard input
  --stdin-filename <name>      file name for --stdin (reported, and picks the syntax)
  --no-gitignore               do not honour .gitignore files when walking directories
  --no-cache                   do not read or write node_modules/.cache/flexguard
  --verify                     check found credential pairs against Twilio's API (read-only GET)
  --list-rules                 print every rule and exit (--format json: the registry as JSON)
  --print-project              print where each file runs and the imports that lead nowhere
  -v, --version                print the version
  -h, --help                   print this help

${PRE_COMMIT_USAGE}
Account audit:
  flexguard audit [options]                check a live Twilio account against Twilio's Flex
                                           security advice, with GET requests only (--help)

Exit codes: 0 no error-severity findings; 1 error-severity findings (or more warnings than
--max-warnings); 2 usage, config or I/O error.
`;

const CLI_OPTIONS = {
  ...REPORT_OPTIONS,
  output: { long: "output", short: "o", value: true },
  rule: { long: "rule", value: true, repeatable: true },
  config: { long: "config", short: "c", value: true },
  writeBaseline: { long: "write-baseline", value: true },
  stdin: { long: "stdin" },
  stdinFilename: { long: "stdin-filename", value: true },
  noGitignore: { long: "no-gitignore" },
  noCache: { long: "no-cache" },
  verify: { long: "verify" },
  listRules: { long: "list-rules" },
  printProject: { long: "print-project" },
  version: { long: "version", short: "v" },
} as const;

interface CliArgs {
  paths: string[];
  format: FormatterName;
  output?: string;
  maxWarnings: number;
  rules: Record<string, RuleSetting>;
  config?: string;
  noConfig: boolean;
  baseline?: string;
  writeBaseline?: string;
  stdin: boolean;
  stdinFilename?: string;
  gitignore: boolean;
  cache: boolean;
  verify: boolean;
  listRules: boolean;
  printProject: boolean;
  help: boolean;
  version: boolean;
}

/** `--rule <id>=<level>`, repeatable: the later one wins for the same id. */
function ruleOptions(values: string[] = []): Record<string, RuleSetting> {
  const settings: Record<string, RuleSetting> = {};
  for (const value of values) {
    const match = /^([a-z0-9-]+)=([a-z]+)$/.exec(value);
    if (!match) throw new UsageError(`--rule needs <id>=<level>, got "${clip(value)}"`);
    const [, id, level] = match;
    if (!rules().some((r) => r.id === id)) throw new UsageError(`--rule: unknown rule id "${clip(id)}" (see --list-rules)`);
    if (!isRuleSetting(level)) throw new UsageError(`--rule ${id}: level must be one of ${RULE_SETTINGS.join(", ")}`);
    settings[id] = level;
  }
  return settings;
}

function parseCliArgs(argv: string[]): CliArgs {
  const { options, paths } = parseArgs(argv, CLI_OPTIONS);
  const args: CliArgs = {
    paths,
    format: formatOption(options.format),
    output: options.output,
    maxWarnings: maxWarningsOption(options.maxWarnings),
    rules: ruleOptions(options.rule),
    config: options.config,
    noConfig: options.noConfig === true,
    baseline: options.baseline,
    writeBaseline: options.writeBaseline,
    stdin: options.stdin === true,
    stdinFilename: options.stdinFilename,
    gitignore: options.noGitignore !== true,
    cache: options.noCache !== true,
    verify: options.verify === true,
    listRules: options.listRules === true,
    printProject: options.printProject === true,
    help: options.help === true,
    version: options.version === true,
  };
  if (args.stdin && args.paths.length > 0) throw new UsageError("--stdin takes no paths");
  if (args.stdinFilename !== undefined && !args.stdin) throw new UsageError("--stdin-filename needs --stdin");
  if (args.config && args.noConfig) throw new UsageError("--config and --no-config exclude each other");
  return args;
}

/** The registry as a table (or JSON): generated from the engine, never hand-kept. */
function listRules(format: FormatterName): string {
  if (format === "json") return JSON.stringify(rules(), null, 2) + "\n";
  return rules().map((r) => `${r.id.padEnd(34)} ${r.defaultSeverity.padEnd(8)} ${r.kind.padEnd(11)} ${r.summary}`).join("\n") + "\n";
}

/** `--print-project`: each file's runtime, and imports of repository files that lead nowhere. */
function printProject(overview: ProjectOverview, format: FormatterName): string {
  if (format === "json") return JSON.stringify(overview, null, 2) + "\n";
  const width = Math.max(8, ...overview.files.map((f) => f.runtime.length));
  let out = overview.files.map((f) => `${f.runtime.padEnd(width)}  ${f.file}`).join("\n") + "\n";
  if (overview.unresolved.length > 0) {
    out += `\nunresolved imports:\n`;
    out += overview.unresolved.map((u) => `  ${u.file}:${u.line}  ${u.specifier}`).join("\n") + "\n";
  }
  return out;
}

function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk) => chunks.push(Buffer.from(chunk)));
    stream.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    stream.on("error", reject);
  });
}

/** Progress on a TTY only, and only when there is enough to wait for. */
function progress(stderr: NodeJS.WritableStream) {
  const tty = (stderr as NodeJS.WriteStream).isTTY === true;
  let shown = false;
  return {
    update(done: number, total: number) {
      if (!tty || total < 20) return;
      shown = true;
      stderr.write(`\rflexguard: ${done}/${total} files`);
    },
    clear() {
      if (shown) stderr.write("\r\u001b[K");
    },
  };
}

interface Streams {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
}

/** Run the CLI; resolves to the exit code. Output goes to the given streams. */
export async function main(argv: string[], stdout: NodeJS.WritableStream = process.stdout, stderr: NodeJS.WritableStream = process.stderr, stdin: NodeJS.ReadableStream = process.stdin): Promise<number> {
  // Pre-commit mode (--staged, install-hook, uninstall-hook) lives in pre-commit.ts.
  if (isPreCommitCommand(argv)) return runPreCommit(argv, stdout, stderr);
  // `flexguard audit` (a live Twilio account) lives in audit/cli.ts, loaded only for it.
  if (argv[0] === "audit") return (require("./audit/cli") as typeof import("./audit/cli")).runAudit(argv, stdout, stderr);
  const streams: Streams = { stdout, stderr, stdin };
  try {
    return await run(argv, streams);
  } catch (error) {
    if (error instanceof UsageError) {
      stderr.write(`flexguard: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    // Config, baseline and I/O errors: messages name files and keys, never file content.
    stderr.write(`flexguard: ${(error as Error).message}\n`);
    return 2;
  }
}

async function run(argv: string[], { stdout, stderr, stdin }: Streams): Promise<number> {
  const args = parseCliArgs(argv);
  if (args.help) return stdout.write(USAGE), 0;
  if (args.version) return stdout.write(`flexguard ${flexguard.version()}\n`), 0;
  if (args.listRules) return stdout.write(listRules(args.format)), 0;
  if (args.paths.length === 0 && !args.stdin) throw new UsageError("no paths given");

  const cwd = process.cwd();
  const project = resolveProject({ cwd, config: args.noConfig ? false : args.config || undefined, rules: args.rules });
  const baseline = baselineOption(args.baseline);
  // A baseline being rewritten records everything, not only what is new relative to the old one.
  const accepted = args.writeBaseline ? undefined : baseline;

  let reports: Report[];
  const sources = new Map<string, string>();
  if (args.stdin) {
    const source = await readStream(stdin);
    const options = project.optionsFor(args.stdinFilename ?? "<stdin>");
    sources.set(options.filename!, source);
    reports = project.applyConfig([lint(source, options)], accepted);
  } else {
    const bar = progress(stderr);
    try {
      let overview: ProjectOverview | undefined;
      reports = await lintFiles(args.paths, { cwd, config: project.loaded, rules: args.rules, baseline: accepted, gitignore: args.gitignore, cache: args.cache, onProgress: bar.update, ...(args.printProject ? { onProject: (o: ProjectOverview) => (overview = o) } : {}) });
      if (args.printProject && overview) return stdout.write(printProject(overview, args.format)), 0;
    } finally {
      bar.clear();
    }
  }

  if (args.writeBaseline) {
    const written = createBaseline(reports);
    fs.writeFileSync(args.writeBaseline, JSON.stringify(written, null, 2) + "\n");
    stderr.write(`flexguard: wrote ${written.findings.length} finding${written.findings.length === 1 ? "" : "s"} to ${args.writeBaseline}\n`);
    return reports.some((r) => r.diagnostics.some((d) => d.code === "io-error")) ? 2 : 0;
  }

  if (args.verify) await attachVerification(reports, sources, cwd);

  const toFile = args.output !== undefined;
  const text = formatters[args.format](reports, { color: !toFile && args.format === "stylish" && (stdout as NodeJS.WriteStream).isTTY === true, rules: rules(), version: flexguard.version() });
  if (toFile) {
    fs.mkdirSync(path.dirname(path.resolve(args.output!)), { recursive: true });
    fs.writeFileSync(args.output!, text);
  } else stdout.write(text);

  if (reports.some((r) => r.diagnostics.some((d) => d.code === "io-error"))) return 2;
  const { errors, warnings } = summarize(reports);
  return errors > 0 || warnings > args.maxWarnings ? 1 : 0;
}

/** `--verify`: read each file with findings back, check its credential pairs, mark the findings. */
async function attachVerification(reports: Report[], sources: Map<string, string>, cwd: string): Promise<void> {
  const files = reports
    .filter((r) => r.findings.length > 0)
    .map((r) => {
      const file = r.findings[0].file;
      const source = sources.get(file) ?? fs.readFileSync(path.resolve(cwd, file), "utf8");
      return { source, findings: r.findings };
    });
  const results = await verifyCredentials(files);
  for (const report of reports) {
    for (const finding of report.findings as ReportedFinding[]) {
      const outcome = results.get(finding.fingerprint);
      if (outcome) finding.verification = outcome;
    }
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
