/**
 * `flexguard [paths...]`: lint files and directories; exit 0 when clean, 1 when an
 * error-severity finding exists, 2 on usage or I/O errors.
 */
import * as fs from "fs";
import { formatters, FormatterName } from "./format";
import { expandPaths, lintFile, rules, flexguard } from "./node";
import type { Report } from "./core";
import { summarize } from "./core";
import { isPreCommitCommand, runPreCommit, PRE_COMMIT_USAGE } from "./pre-commit";

const USAGE = `Usage: flexguard [options] <file|directory>...

Lints Flex plugin code for leaked Twilio credentials and direct Twilio REST calls.
Directories are searched for .js .jsx .mjs .cjs .ts .tsx .map files (node_modules and .git skipped).

Options:
  -f, --format <stylish|json>  output format (default: stylish)
  --max-warnings <n>           also exit 1 when there are more than n warnings
  --list-rules                 print every rule and exit
  -v, --version                print the version
  -h, --help                   print this help

${PRE_COMMIT_USAGE}
Exit codes: 0 no error-severity findings, 1 error-severity findings (or more warnings than
--max-warnings), 2 usage or I/O error.
`;

class UsageError extends Error {}

interface CliArgs {
  paths: string[];
  format: FormatterName;
  maxWarnings: number;
  listRules: boolean;
  help: boolean;
  version: boolean;
}

function parseArgs(argv: string[]): CliArgs {
  const args: CliArgs = { paths: [], format: "stylish", maxWarnings: Infinity, listRules: false, help: false, version: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "-f":
      case "--format": {
        const format = value();
        if (!(format in formatters)) throw new UsageError(`unknown format "${format}" (expected ${Object.keys(formatters).join(", ")})`);
        args.format = format as FormatterName;
        break;
      }
      case "--max-warnings": {
        const raw = value();
        if (!/^\d+$/.test(raw)) throw new UsageError(`--max-warnings needs a non-negative integer, got "${raw}"`);
        args.maxWarnings = Number(raw);
        break;
      }
      case "--list-rules":
        args.listRules = true;
        break;
      case "-h":
      case "--help":
        args.help = true;
        break;
      case "-v":
      case "--version":
        args.version = true;
        break;
      default:
        if (flag.startsWith("-") && flag !== "-") throw new UsageError(`unknown option ${flag}`);
        args.paths.push(arg);
    }
  }
  return args;
}

function listRules(): string {
  return rules().map((r) => `${r.id.padEnd(34)} ${r.defaultSeverity.padEnd(8)} ${r.summary}`).join("\n") + "\n";
}

/** Run the CLI; resolves to the exit code. Output goes to the given streams. */
export async function main(argv: string[], stdout: NodeJS.WritableStream = process.stdout, stderr: NodeJS.WritableStream = process.stderr): Promise<number> {
  // Pre-commit mode (--staged, install-hook, uninstall-hook) lives in pre-commit.ts.
  if (isPreCommitCommand(argv)) return runPreCommit(argv, stdout, stderr);
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (error) {
    stderr.write(`flexguard: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) return stdout.write(USAGE), 0;
  if (args.version) return stdout.write(`flexguard ${flexguard.version()}\n`), 0;
  if (args.listRules) return stdout.write(listRules()), 0;
  if (args.paths.length === 0) {
    stderr.write(`flexguard: no paths given\n\n${USAGE}`);
    return 2;
  }

  let files: string[];
  try {
    files = expandPaths(args.paths);
  } catch (error) {
    stderr.write(`flexguard: ${(error as Error).message}\n`);
    return 2;
  }
  const reports: Report[] = [];
  let ioError = false;
  for (const file of files) {
    try {
      reports.push(lintFile(file));
    } catch (error) {
      stderr.write(`flexguard: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`);
      ioError = true;
    }
  }
  stdout.write(formatters[args.format](reports, { color: args.format === "stylish" && (stdout as NodeJS.WriteStream).isTTY === true }));
  if (ioError) return 2;
  const { errors, warnings } = summarize(reports);
  return errors > 0 || warnings > args.maxWarnings ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
