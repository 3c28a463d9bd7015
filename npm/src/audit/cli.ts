/**
 * `flexguard audit [options]`: the CLI of the account audit. The same formats, config, baseline
 * and exit codes as linting: 0 no error-severity findings, 1 error-severity findings (or more
 * warnings than --max-warnings), 2 usage, config, credential or connection error.
 */
import * as fs from "fs";
import * as path from "path";
import { baselineOption, formatOption, maxWarningsOption, parseArgs, REPORT_OPTIONS, UsageError } from "../args";
import { createBaseline } from "../baseline";
import { summarize } from "../core";
import { formatters } from "../format";
import { flexguard, resolveProject, rules } from "../node";
import { audit, AuditError, CHECKS, checkNames, CredentialError, resolveCredentials } from "./index";

export const AUDIT_USAGE = `Usage: flexguard audit [options]

Checks a live Twilio account against Twilio's Flex security advice. Read-only: it only ever
sends GET requests. Credentials, as twilio-cli reads them: --profile, else TWILIO_ACCOUNT_SID
with TWILIO_API_KEY/TWILIO_API_SECRET (or TWILIO_AUTH_TOKEN), else the active twilio-cli
profile; TWILIO_REGION and TWILIO_EDGE are honoured.

Options:
  -f, --format <name>          stylish (default), json, sarif or github
  -o, --output <file>          write the report to a file instead of stdout
  --only <check>,...           run only these checks: ${CHECKS.map((c) => c.name).join(", ")}
  --profile <name>             use this twilio-cli profile
  -c, --config <file>          use this config (rules, allow, audit thresholds)
  --no-config                  use no config file
  --baseline <file>            report only findings that are not in this baseline
  --write-baseline <file>      record the current findings (fingerprints only) and exit 0
  --max-warnings <n>           also exit 1 when there are more than n warnings
  -h, --help                   print this help
`;

const AUDIT_OPTIONS = {
  ...REPORT_OPTIONS,
  output: { long: "output", short: "o", value: true },
  only: { long: "only", value: true, repeatable: true },
  profile: { long: "profile", short: "p", value: true },
  config: { long: "config", short: "c", value: true },
  writeBaseline: { long: "write-baseline", value: true },
} as const;

export async function runAudit(argv: string[], stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): Promise<number> {
  try {
    return await run(argv.slice(1), stdout, stderr);
  } catch (error) {
    if (error instanceof UsageError) {
      stderr.write(`flexguard audit: ${error.message}\n\n${AUDIT_USAGE}`);
      return 2;
    }
    // Credential, connection, config and I/O errors: messages name variables, files and hosts, never secrets.
    stderr.write(`flexguard audit: ${(error as Error).message}\n`);
    return 2;
  }
}

async function run(argv: string[], stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): Promise<number> {
  const { options, paths } = parseArgs(argv, AUDIT_OPTIONS);
  if (options.help) return stdout.write(AUDIT_USAGE), 0;
  if (paths.length > 0) throw new UsageError("audit takes no paths");
  if (options.config && options.noConfig) throw new UsageError("--config and --no-config exclude each other");
  const format = formatOption(options.format);
  const maxWarnings = maxWarningsOption(options.maxWarnings);
  let only: string[] | undefined;
  try {
    only = options.only ? checkNames(options.only.flatMap((value) => value.split(",")).map((name) => name.trim()).filter(Boolean)) : undefined;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const project = resolveProject({ cwd: process.cwd(), config: options.noConfig ? false : options.config || undefined });
  const baseline = baselineOption(options.baseline);
  let credentials;
  try {
    credentials = resolveCredentials(options.profile);
  } catch (error) {
    if (error instanceof CredentialError) throw new AuditError(error.message);
    throw error;
  }
  const timeoutMs = Number(process.env.FLEXGUARD_AUDIT_TIMEOUT_MS) || undefined;
  const { reports: found, sent } = await audit({ credentials, only, rules: project.loaded.config.rules, audit: project.loaded.config.audit, timeoutMs });
  // What was read, and as whom (on stderr: stdout stays the report).
  const checks = only ?? CHECKS.map((c) => c.name);
  stderr.write(`flexguard audit: ${credentials.accountSid} as the ${credentials.source} (${credentials.kind === "api-key" ? "API key" : "auth token"}): ${checks.join(", ")}; ${sent.length} GET request${sent.length === 1 ? "" : "s"}\n`);
  const reports = project.applyConfig(found, options.writeBaseline ? undefined : baseline);

  if (options.writeBaseline) {
    const written = createBaseline(reports);
    fs.writeFileSync(options.writeBaseline, JSON.stringify(written, null, 2) + "\n");
    stderr.write(`flexguard audit: wrote ${written.findings.length} finding${written.findings.length === 1 ? "" : "s"} to ${options.writeBaseline}\n`);
    return 0;
  }
  const toFile = options.output !== undefined;
  const text = formatters[format](reports, { color: !toFile && format === "stylish" && (stdout as NodeJS.WriteStream).isTTY === true, rules: rules(), version: flexguard.version() });
  if (toFile) {
    fs.mkdirSync(path.dirname(path.resolve(options.output!)), { recursive: true });
    fs.writeFileSync(options.output!, text);
  } else stdout.write(text);
  const { errors, warnings } = summarize(reports);
  return errors > 0 || warnings > maxWarnings ? 1 : 0;
}
