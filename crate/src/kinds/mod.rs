//! File kinds. The file name (and for `.twilioserverlessrc` the first character) decides how a
//! file is read; every kind ends as a program the one walk judges, with spans in the file:
//!
//! - code (`.js`, `.ts`, …) is parsed by swc;
//! - JSON is parsed by swc as the object literal it is ([`json`]);
//! - `.env`-style `KEY=value` files and YAML become a program built from their entries
//!   ([`dotenv`], [`yaml`], through [`synth`]): a name or key is context for its value;
//! - HTML and Markdown are composites ([`html`], [`markdown`]): their code (inline scripts,
//!   fenced blocks) is linted part by part, with positions in the file, and the reports are
//!   merged;
//! - other text is searched for credential shapes only.
//!
//! Which files a host hands over is the host's decision, and it is where git's view enters:
//! the CLI's walk skips what `.gitignore` ignores unless git tracks it, `--staged` lints what
//! the commit holds, and a file named explicitly is linted. So a `.env` that git ignores (the
//! design Twilio recommends) is not reported, and a tracked, staged or unignored one is.

pub mod dotenv;
pub mod html;
pub mod json;
pub mod markdown;
pub mod synth;
pub mod yaml;

use crate::finding::{sort_and_dedup_diagnostics, sort_and_dedup_findings, Report};
use crate::parse::{LineIndex, ParseError, Parsed};
use crate::Options;

/// How a file is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// JavaScript, TypeScript and anything without a known data extension.
    Script,
    Json,
    /// `KEY=value` lines: `.env`, `.env.*`, `.env-*`, `*.env`, `.envrc`, `.dev.vars`, `.properties`,
    /// `.ini`, `.toml`, a non-JSON `.twilioserverlessrc`, shell scripts and Dockerfiles.
    DotEnv,
    Yaml,
    Html,
    Markdown,
    /// Searched for credential shapes only.
    Text,
    /// The `<meta>` and `data-*` attributes of an HTML page (one part of [`Kind::Html`]).
    HtmlAttributes,
}

const CODE: &[&str] = &["js", "jsx", "mjs", "cjs", "ts", "tsx", "mts", "cts", "map"];
const TEXT: &[&str] = &[
    "txt", "text", "css", "svg", "xml", "csv", "tsv", "log", "cfg", "conf", "lock",
];
/// Shell and batch scripts: their `export KEY=value` / `set KEY=value` lines name their values.
const SCRIPTS: &[&str] = &["sh", "bash", "zsh", "ksh", "ps1", "bat", "cmd"];

impl Kind {
    /// The kind a file name gives (a JS/TS extension always wins: `.env.config.js` is code).
    pub fn of(filename: &str, source: &str) -> Kind {
        let base = filename
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(filename)
            .to_ascii_lowercase();
        let ext = base.rsplit_once('.').map_or("", |(_, ext)| ext);
        if CODE.contains(&ext) {
            return Kind::Script;
        }
        if base == ".twilioserverlessrc" || base == ".twiliorc" {
            return match source.trim_start().starts_with(['{', '[']) {
                true => Kind::Json,
                false => Kind::DotEnv,
            };
        }
        // `.env`, `.env.local`, `.env-example`, `.envrc`, `prod.env`.
        let env_like = base.starts_with(".env")
            || base.ends_with(".env")
            || base == ".envrc"
            || base == ".dev.vars"
            || base.starts_with(".dev.vars.");
        // `Dockerfile`, `Dockerfile.prod`, `api.dockerfile`, `Containerfile`: `ENV`/`ARG` lines.
        let dockerfile = base == "dockerfile"
            || base.starts_with("dockerfile.")
            || base == "containerfile"
            || ext == "dockerfile";
        // A data extension wins over an env-like name (`.env.schema.json` is JSON).
        match ext {
            "json" | "jsonc" | "json5" | "webmanifest" => Kind::Json,
            "yml" | "yaml" => Kind::Yaml,
            "html" | "htm" => Kind::Html,
            "md" | "mdx" | "markdown" => Kind::Markdown,
            _ if env_like || dockerfile => Kind::DotEnv,
            "properties" | "ini" | "toml" => Kind::DotEnv,
            _ if SCRIPTS.contains(&ext) => Kind::DotEnv,
            _ if TEXT.contains(&ext) => Kind::Text,
            _ => Kind::Script,
        }
    }

    /// Data whose names are context but that has no comments of its own in the tree: the whole
    /// text is searched for shapes, and directives are read line by line.
    pub fn is_synthetic(self) -> bool {
        matches!(self, Kind::DotEnv | Kind::Yaml | Kind::HtmlAttributes)
    }
}

/// Something a front end could not read, reported as a diagnostic at `offset`.
pub struct Note {
    pub code: &'static str,
    pub message: String,
    pub offset: usize,
}

/// The program of a data kind (not `Script`, which the engine parses itself with its guards).
/// `file`: the file's name, or a snippet's (`snippet.properties`), for the settings dialect.
pub(crate) fn front_end(
    kind: Kind,
    source: &str,
    file: &str,
) -> (Result<Parsed, ParseError>, Vec<Note>) {
    let silent = || ParseError {
        message: String::new(),
        offset: 0,
    };
    match kind {
        Kind::Json => match json::parse(source) {
            Ok(parsed) => (Ok(parsed), Vec::new()),
            Err(error) => {
                let note = Note {
                    code: "parse-error",
                    message: format!(
                        "{}; the file was scanned for credential shapes only",
                        error.message
                    ),
                    offset: error.offset,
                };
                (Err(silent()), vec![note])
            }
        },
        Kind::DotEnv => {
            let properties = file
                .rsplit_once('.')
                .is_some_and(|(_, ext)| ext.eq_ignore_ascii_case("properties"));
            (Ok(dotenv::parse(source, properties)), Vec::new())
        }
        Kind::Yaml => {
            let (parsed, notes) = yaml::parse(source);
            (Ok(parsed), notes)
        }
        Kind::HtmlAttributes => {
            let page = html::read(source);
            let objects = html::attribute_objects(source, &page);
            (Ok(synth::program(objects, source.len())), Vec::new())
        }
        Kind::Script | Kind::Html | Kind::Markdown | Kind::Text => (Err(silent()), Vec::new()),
    }
}

/// `source` with every byte blanked to a space except line breaks (`\n`, `\r`, U+2028/9),
/// so that a line index over it is the file's.
pub fn blank(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    for c in source.chars() {
        match c {
            '\n' | '\r' | '\u{2028}' | '\u{2029}' => out.push(c),
            _ => out.extend(std::iter::repeat_n(' ', c.len_utf8())),
        }
    }
    out
}

/// `source` with only `ranges` kept (see [`blank`]).
pub fn keep(source: &str, ranges: impl IntoIterator<Item = std::ops::Range<usize>>) -> String {
    let mut text = blank(source);
    for range in ranges {
        text.replace_range(range.clone(), &source[range]);
    }
    text
}

/// How to lint a file, or a part of a composite one.
pub(crate) struct Part {
    pub kind: Kind,
    /// A file name whose extension picks the JavaScript dialect of a `Script` part.
    pub syntax_of: Option<&'static str>,
    /// Only credential rules (Markdown: code in documentation does not run).
    pub credentials_only: bool,
    /// Drop parse errors (snippets in documentation need not be complete programs).
    pub quiet: bool,
}

impl Part {
    /// A whole file of one kind.
    pub fn whole(kind: Kind) -> Part {
        Part {
            kind,
            syntax_of: None,
            credentials_only: false,
            quiet: false,
        }
    }
}

/// An HTML page or a Markdown file: its parts linted one by one, then merged. A part is either
/// a copy of the file with the rest blanked (the page's scripts, which share one scope) or a
/// slice of it (a JSON script, a fence), whose positions are moved to where the slice starts:
/// so the work stays linear in the file, however many fences it has.
pub(crate) fn run_composite(kind: Kind, source: &str, options: &Options) -> Report {
    let index = LineIndex::new(source);
    let lint = |text: &str, part: Part| crate::engine::run_part(text, options, &part);
    // A part of the file as long as `range` (the part's text, or its code with markers
    // blanked), its positions moved to where it sits.
    let lint_slice = |range: std::ops::Range<usize>, text: &str, part: Part| {
        let mut report = crate::engine::run_part(text, options, &part);
        // A fence in a README is an example, not a page that calls a Function.
        if part.credentials_only {
            report.function_calls.clear();
        }
        let (line, column) = index.position(range.start);
        for call in &mut report.function_calls {
            if call.line == 1 {
                call.column += column - 1;
            }
            call.line += line - 1;
        }
        for finding in &mut report.findings {
            finding.span.start += range.start as u32;
            finding.span.end += range.start as u32;
        }
        for diagnostic in &mut report.diagnostics {
            if diagnostic.line == 1 {
                diagnostic.column += column - 1;
            }
            diagnostic.line += line - 1;
        }
        report
    };
    let mut reports = Vec::new();
    match kind {
        Kind::Html => {
            let page = html::read(source);
            reports.push(lint(
                source,
                Part {
                    kind: Kind::HtmlAttributes,
                    syntax_of: None,
                    credentials_only: false,
                    quiet: false,
                },
            ));
            if let Some(code) = html::code_text(source, &page.scripts) {
                reports.push(lint(
                    &code,
                    Part {
                        kind: Kind::Script,
                        syntax_of: Some("page.js"),
                        credentials_only: false,
                        quiet: false,
                    },
                ));
            }
            for (range, script) in &page.scripts {
                if *script == html::ScriptKind::Json {
                    reports.push(lint_slice(
                        range.clone(),
                        &source[range.clone()],
                        Part {
                            kind: Kind::Json,
                            syntax_of: None,
                            credentials_only: false,
                            quiet: false,
                        },
                    ));
                }
            }
        }
        _ => {
            reports.push(lint(
                source,
                Part {
                    kind: Kind::Text,
                    syntax_of: None,
                    credentials_only: true,
                    quiet: true,
                },
            ));
            for fence in markdown::fences(source) {
                reports.push(lint_slice(
                    fence.body.clone(),
                    &fence.code(source),
                    Part {
                        kind: fence.kind,
                        syntax_of: Some(fence.syntax_of),
                        credentials_only: true,
                        quiet: true,
                    },
                ));
            }
        }
    }
    // In Markdown, a directive is one in an HTML comment or in a code block's comment; prose
    // that mentions `flexguard-ignore` in passing is not one.
    let directives = match kind {
        Kind::Markdown => markdown::directive_text(source),
        _ => source.to_string(),
    };
    merge(reports, &index, &directives, options)
}

/// The parts' reports as one: each finding once, positioned in the file (UTF-16 columns
/// count the file's characters, not the blanks), the file's suppression directives applied.
fn merge(reports: Vec<Report>, index: &LineIndex, directives: &str, options: &Options) -> Report {
    let file = options.filename.as_deref().unwrap_or("<input>");
    let mut findings = Vec::new();
    let mut diagnostics = Vec::new();
    let mut suppressed = Vec::new();
    let mut function_calls = Vec::new();
    let mut open_handler = None;
    for report in reports {
        findings.extend(report.findings);
        function_calls.extend(report.function_calls);
        open_handler = open_handler.or(report.open_handler);
        suppressed.extend(report.suppressed);
        diagnostics.extend(
            report
                .diagnostics
                .into_iter()
                .filter(|d| d.code != "suppression"),
        );
    }
    sort_and_dedup_findings(&mut findings);
    for finding in &mut findings {
        (finding.line, finding.column) = index.position(finding.span.start as usize);
        (finding.end_line, finding.end_column) = index.position(finding.span.end as usize);
    }
    let directives = crate::suppress::scan_text(directives, index, file, &mut diagnostics);
    suppressed.extend(crate::suppress::apply(&mut findings, &directives));
    sort_and_dedup_diagnostics(&mut diagnostics);
    suppressed.sort();
    suppressed.dedup();
    Report {
        findings,
        diagnostics,
        suppressed,
        function_calls,
        open_handler,
        // Parts of a page or a document are never a Function's handler.
        held: Vec::new(),
        summary: options.summarize.then(|| crate::summary::FileSummary {
            runtime: Some(options.runtime()),
            runtime_by_default: options.runtime_by_default(),
            ..Default::default()
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_file_name() {
        let cases = [
            ("src/a.tsx", "", Kind::Script),
            (".env.config.js", "", Kind::Script),
            (".env.schema.json", "", Kind::Json),
            ("unknown.vue", "", Kind::Script),
            (".env", "", Kind::DotEnv),
            ("serverless/.env.production", "", Kind::DotEnv),
            ("functions/.env-template", "", Kind::DotEnv),
            ("prod.env", "", Kind::DotEnv),
            (".envrc", "", Kind::DotEnv),
            (".dev.vars", "", Kind::DotEnv),
            ("app.properties", "", Kind::DotEnv),
            ("wrangler.toml", "", Kind::DotEnv),
            ("setup.ini", "", Kind::DotEnv),
            (".twilioserverlessrc", "{\"x\":1}", Kind::Json),
            (".twilioserverlessrc", "ACCOUNT_SID=x", Kind::DotEnv),
            ("public/appConfig.json", "", Kind::Json),
            ("tsconfig.jsonc", "", Kind::Json),
            ("deploy/config.yml", "", Kind::Yaml),
            ("public/debug.HTML", "", Kind::Html),
            ("README.md", "", Kind::Markdown),
            ("docs/page.mdx", "", Kind::Markdown),
            ("notes.txt", "", Kind::Text),
            ("scripts/deploy.sh", "", Kind::DotEnv),
            ("setup.PS1", "", Kind::DotEnv),
            ("Dockerfile", "", Kind::DotEnv),
            ("docker/Dockerfile.prod", "", Kind::DotEnv),
            ("api.dockerfile", "", Kind::DotEnv),
            ("Containerfile", "", Kind::DotEnv),
            ("dockerfile.js", "", Kind::Script),
        ];
        for (name, source, kind) in cases {
            assert_eq!(Kind::of(name, source), kind, "{name}");
        }
    }

    #[test]
    fn blank_keeps_length_and_lines() {
        let source = "a\u{e9}\r\nb\u{2028}c\n";
        let text = blank(source);
        assert_eq!(text.len(), source.len());
        let line = |text: &str| LineIndex::new(text).position(source.len() - 1).0;
        assert_eq!(line(&text), line(source));
    }
}
