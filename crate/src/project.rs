//! The project stage: resolve the file summaries of a repository against each other, and give
//! each file the values its imports stand for (a Function URL defined in a config module, a
//! handler wrapper that applies the Flex token validator in a shared helper, a `FLEX_APP_*`
//! variable that the repository's `.env` files document as a Functions host). The rules then
//! judge the file with those values, as if they were written in it.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;

use serde::{Deserialize, Serialize};

use crate::http::Requester;
use crate::summary::{Aliases, FileSummary, Imported, Value};

mod packages;
mod pair;

use packages::Packages;
pub use pair::{pair, PairFile};

/// One file of the project: its path relative to the project root, and its summary.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
pub struct ProjectFile {
    pub path: String,
    pub summary: FileSummary,
}

/// A `.env`-style file of the project (`.env.example`, `.env.sample`, `.env`), by path and text.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
pub struct EnvFile {
    pub path: String,
    pub text: String,
}

/// What the project phase is given.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
pub struct ProjectInput {
    pub files: Vec<ProjectFile>,
    pub env_files: Vec<EnvFile>,
    /// Resolve contexts only for the files whose summary says they need one (the others keep
    /// their first report, so their contexts would be built for nothing).
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub only_needed: bool,
}

/// What a name in a file stands for, and where that was defined (`path:line`), so a finding can
/// say where its parts came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
pub struct Resolved {
    pub value: Value,
    pub from: String,
}

/// An import the project could not follow to a file of the repository.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
pub struct Unresolved {
    pub file: String,
    pub line: u32,
    pub specifier: String,
}

/// The project phase's result: per file, the values of its resolved names (only files that
/// have any), and the imports of repository files that lead nowhere.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
pub struct Project {
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(type = "Record<string, Record<string, Resolved>>")
    )]
    pub contexts: BTreeMap<String, BTreeMap<String, Resolved>>,
    pub unresolved: Vec<Unresolved>,
    /// Files that are plugin code only by default, whose package says they are not: code of a
    /// Functions service outside `functions/` and `assets/`, and of a Node backend (a package
    /// that depends on Express or the `twilio` server SDK and is no browser app), is `tooling`.
    /// Lint them again with `options.runtime`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(optional, type = "Record<string, Runtime>")
    )]
    pub runtimes: BTreeMap<String, crate::Runtime>,
}

/// File extensions tried for an import without one, in the order bundlers try them.
const EXTENSIONS: &[&str] = &[".js", ".jsx", ".ts", ".tsx", ".mjs", ".cjs"];
/// Deepest chain of wrappers (a helper wrapping a helper) followed to a validator.
const MAX_WRAPPER_DEPTH: u32 = 16;
/// Deepest chain of re-exports (`export * from` an index that re-exports another) followed.
const MAX_REEXPORT_DEPTH: u32 = 32;
/// Re-export steps followed in one project, in all: cycles of `export *` that fan out would
/// otherwise take exponential time within the depth limit.
const MAX_REEXPORT_STEPS: u32 = 1 << 18;

/// Resolve a project. Never panics; cycles and long chains stop at fixed depths.
pub fn resolve(input: &ProjectInput) -> Project {
    let by_path: HashMap<&str, &FileSummary> = input
        .files
        .iter()
        .map(|f| (f.path.as_str(), &f.summary))
        .collect();
    let mut aliases: Vec<(String, &Aliases)> = input
        .files
        .iter()
        .filter_map(|f| Some((parent(&f.path).to_string(), f.summary.aliases.as_ref()?)))
        .collect();
    // The nearest configuration applies: deepest directory first.
    aliases.sort_by_key(|(dir, _)| std::cmp::Reverse(dir.len()));
    let resolver = Resolver {
        by_path,
        aliases,
        validates: RefCell::new(HashMap::default()),
        reexport_budget: Cell::new(MAX_REEXPORT_STEPS),
    };
    let env = env_values(&input.env_files);
    let mut project = Project::default();
    let packages = Packages::new(
        input
            .files
            .iter()
            .map(|f| (f.path.as_str(), f.summary.package)),
    );
    for file in input.files.iter().filter(|f| f.summary.runtime_by_default) {
        if let Some(runtime) = packages.runtime_of(&file.path) {
            project.runtimes.insert(file.path.clone(), runtime);
        }
    }
    // What an import or an export resolves to, once per target: many files import the same.
    let mut imported: HashMap<(&str, &Imported), Option<Resolved>> = HashMap::default();
    let mut exports: HashMap<(String, String), Option<Resolved>> = HashMap::default();
    let mut exported = |target: &str, name: &str| -> Option<Resolved> {
        let key = (target.to_string(), name.to_string());
        if let Some(known) = exports.get(&key) {
            return known.clone();
        }
        let found = resolver.export(target, name, 0);
        exports.insert(key, found.clone());
        found
    };
    for file in &input.files {
        let wanted = !input.only_needed || file.summary.needs_context;
        let mut context = BTreeMap::new();
        for import in &file.summary.imports {
            let Some(target) = resolver.target(&file.path, &import.specifier) else {
                // Stylesheets, images and JSON are not code the project follows.
                let code = match import
                    .specifier
                    .rsplit('/')
                    .next()
                    .and_then(|n| n.rsplit_once('.'))
                {
                    Some((stem, ext)) => {
                        stem.is_empty() || EXTENSIONS.contains(&format!(".{ext}").as_str())
                    }
                    None => true,
                };
                let relative = import.specifier.starts_with('.') || import.specifier.contains(':');
                if relative && code {
                    project.unresolved.push(Unresolved {
                        file: file.path.clone(),
                        line: import.line,
                        specifier: import.specifier.clone(),
                    });
                }
                continue;
            };
            if !wanted {
                continue;
            }
            // A base class's URL fields, for `this.x` in a subclass.
            for name in resolver.field_names(target) {
                if let Some(field) = exported(target, &name) {
                    context.entry(name).or_insert(field);
                }
            }
            let Some(whole) = imported
                .entry((target, &import.imported))
                .or_insert_with(|| resolver.imported(target, &import.imported, 0))
            else {
                continue;
            };
            // Only the fields the file reads, when it reads nothing else of the object: copied
            // field by field, since every module of a repository may import one large config.
            let resolved = match (&import.members, &whole.value) {
                (Some(members), Value::Object { fields }) => Resolved {
                    value: Value::Object {
                        fields: members
                            .iter()
                            .filter_map(|name| Some((name.clone(), fields.get(name)?.clone())))
                            .collect(),
                    },
                    from: whole.from.clone(),
                },
                _ => whole.clone(),
            };
            // A namespace's members by their dotted name too, each with its own line.
            if let Value::Object { fields } = &resolved.value {
                for name in fields.keys() {
                    if let Some(member) = exported(target, name) {
                        context.insert(format!("{}.{name}", import.local), member);
                    }
                }
            }
            context.insert(import.local.clone(), resolved);
        }
        if !wanted {
            continue;
        }
        for (name, resolved) in &env {
            context.insert(format!("process.env.{name}"), resolved.clone());
        }
        if !context.is_empty() {
            project.contexts.insert(file.path.clone(), context);
        }
    }
    project
}

struct Resolver<'a> {
    by_path: HashMap<&'a str, &'a FileSummary>,
    /// `tsconfig.json`/`jsconfig.json` aliases by the directory they apply to.
    aliases: Vec<(String, &'a Aliases)>,
    /// Re-export steps left for the whole project: `export *` chains can fan out.
    reexport_budget: Cell<u32>,
    /// Whether an export (file, name) applies the validator and whether it reaches the account,
    /// once known: wrappers that call several wrappers each would otherwise be followed
    /// exponentially often.
    validates: RefCell<HashMap<(String, String), (bool, bool)>>,
}

impl<'a> Resolver<'a> {
    /// The repository file an import specifier names, if it is one.
    fn target(&self, importer: &str, specifier: &str) -> Option<&'a str> {
        if let Some(key) = specifier.strip_prefix("functions:") {
            // Twilio Runtime: keys are paths below the service's `functions/`, without the
            // `.private`/`.protected` visibility suffix and the extension.
            let root = functions_root(importer)?;
            let key = key.trim_start_matches('/');
            let mut candidate = String::new();
            for visibility in [".private", ".protected", ""] {
                for ext in EXTENSIONS {
                    candidate.clear();
                    candidate.extend([root.as_str(), key, visibility, ext]);
                    if let Some(found) = self.existing(&candidate) {
                        return Some(found);
                    }
                }
            }
            None
        } else if let Some(key) = specifier.strip_prefix("assets:") {
            // Assets keep their extension in the key (`/helpers.js`); a private asset's file
            // is `helpers.private.js`.
            let root = assets_root(importer)?;
            let key = key.trim_start_matches('/');
            let (stem, ext) = key.rsplit_once('.').unwrap_or((key, ""));
            self.existing(&format!("{root}{key}")).or_else(|| {
                let visibilities = if ext.is_empty() {
                    &[][..]
                } else {
                    &[".private", ".protected"][..]
                };
                visibilities.iter().find_map(|visibility| {
                    self.existing(&format!("{root}{stem}{visibility}.{ext}"))
                })
            })
        } else if specifier.starts_with("./") || specifier.starts_with("../") {
            self.with_extensions(join(parent(importer), specifier)?)
        } else {
            self.aliased(importer, specifier)
        }
    }

    fn existing(&self, path: &str) -> Option<&'a str> {
        self.by_path.get_key_value(path).map(|(k, _)| *k)
    }

    /// The file a module path names as bundlers find it: as written, with an extension, or as
    /// a folder's index.
    fn with_extensions(&self, mut path: String) -> Option<&'a str> {
        if let Some(found) = self.existing(&path) {
            return Some(found);
        }
        let stem = path.len();
        for suffix in ["", "/index"] {
            for ext in EXTENSIONS {
                path.truncate(stem);
                path.extend([suffix, ext]);
                if let Some(found) = self.existing(&path) {
                    return Some(found);
                }
            }
        }
        None
    }

    /// Where the nearest `tsconfig.json`/`jsconfig.json` above the importer maps a specifier:
    /// through `paths` (`@/*` → `src/*`), then below `baseUrl`.
    fn aliased(&self, importer: &str, specifier: &str) -> Option<&'a str> {
        let (dir, aliases) = self.aliases.iter().find(|(dir, _)| {
            dir.is_empty()
                || importer
                    .strip_prefix(dir.as_str())
                    .is_some_and(|rest| rest.starts_with('/'))
        })?;
        let base = match &aliases.base_url {
            Some(base_url) => join(dir, base_url)?,
            None => dir.clone(),
        };
        for (pattern, targets) in &aliases.paths {
            let matched = match pattern.split_once('*') {
                Some((prefix, suffix)) => specifier
                    .strip_prefix(prefix)
                    .and_then(|rest| rest.strip_suffix(suffix)),
                None => (pattern == specifier).then_some(""),
            };
            let Some(matched) = matched else {
                continue;
            };
            for target in targets {
                if let Some(path) = join(&base, &target.replacen('*', matched, 1)) {
                    if let Some(found) = self.with_extensions(path) {
                        return Some(found);
                    }
                }
            }
        }
        if aliases.base_url.is_some() {
            return self.with_extensions(join(&base, specifier)?);
        }
        None
    }

    /// The value an import of `target` binds.
    fn imported(&self, target: &str, imported: &Imported, depth: u32) -> Option<Resolved> {
        let summary = self.by_path.get(target)?;
        match imported {
            Imported::Named { name } => self.export(target, name, depth),
            Imported::Default => self
                .export(target, "default", depth)
                .or_else(|| self.namespace(target, depth)),
            Imported::Namespace => {
                let _ = summary;
                self.namespace(target, depth)
            }
        }
    }

    /// The `this.*` fields a module's classes give their subclasses.
    fn field_names(&self, target: &str) -> Vec<String> {
        self.by_path.get(target).map_or(Vec::new(), |summary| {
            summary
                .exports
                .keys()
                .filter(|name| name.starts_with("this."))
                .cloned()
                .collect()
        })
    }

    fn namespace(&self, target: &str, depth: u32) -> Option<Resolved> {
        let mut names = Vec::new();
        self.export_names(target, depth, &mut names);
        names.sort();
        names.dedup();
        let fields: BTreeMap<String, Value> = names
            .iter()
            .filter(|name| *name != "default" && !name.starts_with("this."))
            .filter_map(|name| Some((name.clone(), self.export(target, name, depth)?.value)))
            .collect();
        (!fields.is_empty()).then(|| Resolved {
            value: Value::Object { fields },
            from: format!("{target}:1"),
        })
    }

    /// One export, with wrappers resolved to whether they validate.
    fn export(&self, target: &str, name: &str, depth: u32) -> Option<Resolved> {
        let summary = self.by_path.get(target)?;
        let Some(export) = summary.exports.get(name) else {
            return self.reexported(target, name, depth);
        };
        let value = match &export.value {
            Value::Wrapper {
                validates,
                through,
                account,
            } => {
                let key = (target.to_string(), name.to_string());
                let known = self.validates.borrow().get(&key).copied();
                let (validates, account) = match known {
                    Some(known) => known,
                    None => {
                        // Provisionally false, so a cycle back to this export ends here.
                        self.validates
                            .borrow_mut()
                            .insert(key.clone(), (false, false));
                        let validates = *validates
                            || self.through_any(target, through, depth, &|v| {
                                matches!(
                                    v,
                                    Value::Wrapper {
                                        validates: true,
                                        ..
                                    }
                                )
                            });
                        let account = *account
                            || self.through_any(target, through, depth, &|v| {
                                matches!(v, Value::Wrapper { account: true, .. })
                            });
                        self.validates
                            .borrow_mut()
                            .insert(key, (validates, account));
                        (validates, account)
                    }
                };
                Value::Wrapper {
                    validates,
                    through: Vec::new(),
                    account,
                }
            }
            Value::Requester(requester) => {
                Value::Requester(self.requester_base(target, requester, depth))
            }
            other => other.clone(),
        };
        Some(Resolved {
            value,
            from: format!("{target}:{}", export.line),
        })
    }

    /// A client whose base URL starts with an imported name: that name's value in front.
    fn requester_base(&self, file: &str, requester: &Requester, depth: u32) -> Requester {
        let mut resolved = requester.clone();
        let Some(name) = &requester.base_from else {
            return resolved;
        };
        // A field of `this`: the class that calls the method sets it (see `http::via_requester`).
        if name.starts_with("this.") {
            return resolved;
        }
        resolved.base_from = None;
        if depth >= MAX_WRAPPER_DEPTH {
            return resolved;
        }
        let mut path = name.split('.');
        let root = path.next().unwrap_or_default();
        let summary = self.by_path.get(file);
        let import = summary.and_then(|s| s.imports.iter().find(|i| i.local == root));
        let value = import.and_then(|import| {
            let target = self.target(file, &import.specifier)?;
            let mut value = self.imported(target, &import.imported, depth + 1)?.value;
            for key in path {
                let Value::Object { mut fields } = value else {
                    return None;
                };
                value = fields.remove(key)?;
            }
            Some(value)
        });
        if let Some(Value::Url { value }) = value {
            resolved.base = format!("{value}{}", requester.base);
        }
        resolved
    }

    /// A name a module passes on from another (`export { a } from`, `export * from`).
    fn reexported(&self, target: &str, name: &str, depth: u32) -> Option<Resolved> {
        if depth >= MAX_REEXPORT_DEPTH || !self.spend_reexport_step() {
            return None;
        }
        let summary = self.by_path.get(target)?;
        // Named re-exports first: they win over `export *`, as in ES modules.
        let named = summary
            .reexports
            .iter()
            .filter(|r| r.exported.as_deref() == Some(name));
        let star = summary
            .reexports
            .iter()
            .filter(|r| r.exported.is_none() && name != "default");
        named.chain(star).find_map(|reexport| {
            let from = self.target(target, &reexport.specifier)?;
            match reexport.exported {
                Some(_) => self.imported(from, &reexport.imported, depth + 1),
                None => self.export(from, name, depth + 1),
            }
        })
    }

    fn spend_reexport_step(&self) -> bool {
        let left = self.reexport_budget.get();
        self.reexport_budget.set(left.saturating_sub(1));
        left > 0
    }

    /// The names a module exports, its re-exports included.
    fn export_names(&self, target: &str, depth: u32, out: &mut Vec<String>) {
        let Some(summary) = self.by_path.get(target) else {
            return;
        };
        if !self.spend_reexport_step() {
            return;
        }
        out.extend(summary.exports.keys().cloned());
        for reexport in &summary.reexports {
            match &reexport.exported {
                Some(name) => out.push(name.clone()),
                None if depth < MAX_REEXPORT_DEPTH => {
                    if let Some(from) = self.target(target, &reexport.specifier) {
                        self.export_names(from, depth + 1, out);
                    }
                }
                None => {}
            }
        }
    }

    /// Whether any of the wrappers a function calls (local names of `file`'s imports, or
    /// `ns.name` through a namespace) is one `wanted` holds for (applies the validator, reaches
    /// the account).
    fn through_any(
        &self,
        file: &str,
        through: &[String],
        depth: u32,
        wanted: &dyn Fn(&Value) -> bool,
    ) -> bool {
        if depth >= MAX_WRAPPER_DEPTH || through.is_empty() {
            return false;
        }
        let Some(summary) = self.by_path.get(file) else {
            return false;
        };
        through.iter().any(|callee| {
            let (local, member) = match callee.split_once('.') {
                Some((ns, name)) => (ns, Some(name)),
                None => (callee.as_str(), None),
            };
            summary
                .imports
                .iter()
                .filter(|import| import.local == local)
                .any(|import| {
                    let Some(target) = self.target(file, &import.specifier) else {
                        return false;
                    };
                    let imported = match (member, &import.imported) {
                        (Some(name), Imported::Namespace | Imported::Default) => Imported::Named {
                            name: name.to_string(),
                        },
                        (_, imported) => imported.clone(),
                    };
                    self.imported(target, &imported, depth + 1)
                        .is_some_and(|r| wanted(&r.value))
                })
        })
    }
}

/// Lint a whole project in one process: every file once with its summary, the project phase,
/// then again, with its context, each file that has one and needs it, and last the pairing of
/// browser calls with the Functions they reach. Hosts with worker threads run the
/// same steps themselves. `sources` are (project path, text); `options` apply to all.
pub fn lint(
    sources: &[(String, String)],
    env_files: Vec<EnvFile>,
    options: &crate::Options,
) -> Vec<crate::Report> {
    let options_for = |path: &str| crate::Options {
        filename: Some(path.to_string()),
        summarize: true,
        ..options.clone()
    };
    let mut reports: Vec<crate::Report> = sources
        .iter()
        .map(|(path, text)| crate::scan(text, &options_for(path)))
        .collect();
    let files: Vec<ProjectFile> = sources
        .iter()
        .zip(&mut reports)
        .map(|((path, _), report)| ProjectFile {
            path: path.clone(),
            summary: report.summary.take().unwrap_or_default(),
        })
        .collect();
    let needs: Vec<bool> = files.iter().map(|f| f.summary.needs_context).collect();
    let kinds: Vec<_> = files
        .iter()
        .map(|f| (f.summary.runtime, f.summary.package))
        .collect();
    let project = resolve(&ProjectInput {
        files,
        env_files,
        only_needed: true,
    });
    for (((path, text), report), needed) in sources.iter().zip(&mut reports).zip(needs) {
        let context = project.contexts.get(path).filter(|_| needed);
        let runtime = project.runtimes.get(path).copied();
        if context.is_some() || runtime.is_some() {
            let options = crate::Options {
                context: context.cloned().unwrap_or_default(),
                runtime: runtime.or(options.runtime),
                summarize: false,
                ..options_for(path)
            };
            *report = crate::scan(text, &options);
        }
    }
    let paired = pair(
        &sources
            .iter()
            .zip(&reports)
            .zip(kinds)
            .map(|(((path, _), report), (runtime, package))| PairFile {
                path: path.clone(),
                runtime: project.runtimes.get(path).copied().or(runtime),
                package,
                function_calls: report.function_calls.clone(),
                findings: report.findings.clone(),
                open_handler: report.open_handler,
                held: report.held.clone(),
                reported: true,
            })
            .collect::<Vec<_>>(),
    );
    for (report, findings) in reports.iter_mut().zip(paired) {
        report.findings = findings;
        report.function_calls.clear();
        report.held.clear();
    }
    reports
}

/// `serverless/src/functions/a/b.js` → `serverless/src/functions/`. The innermost directory of
/// Functions (`functions/`, or `twilio-functions/` for Console Functions): a service kept in a
/// `functions/` folder has its own `src/functions/`.
fn functions_root(path: &str) -> Option<String> {
    let directory = parent(path);
    let segments: Vec<&str> = directory.split('/').collect();
    let at = segments.iter().rposition(|s| {
        crate::runtime::FUNCTION_DIRECTORIES.contains(&s.to_ascii_lowercase().as_str())
    })?;
    Some(format!("{}/", segments[..=at].join("/")))
}

/// The service's `assets/` directory for a file below its `functions/` (or `assets/`).
fn assets_root(path: &str) -> Option<String> {
    let directory = parent(path);
    let segments: Vec<&str> = directory.split('/').collect();
    let at = segments
        .iter()
        .rposition(|s| *s == "functions" || *s == "assets")?;
    let service = segments[..at].join("/");
    Some(if service.is_empty() {
        "assets/".to_string()
    } else {
        format!("{service}/assets/")
    })
}

/// A path as written, with each extension, and as a directory's `index` file.
fn parent(path: &str) -> &str {
    path.rfind('/').map_or("", |at| &path[..at])
}

/// `a/b` + `../c/d` → `a/c/d`; `None` when it climbs out of the project.
fn join(dir: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// `FLEX_APP_*`/`REACT_APP_*` variables that the repository's env files set to a URL or a
/// Functions host. The first file that sets one wins (templates are read before `.env`).
fn env_values(files: &[EnvFile]) -> BTreeMap<String, Resolved> {
    let mut values = BTreeMap::new();
    for file in files {
        for (number, line) in file.text.lines().enumerate() {
            let line = line.trim();
            let line = line.strip_prefix("export ").unwrap_or(line);
            let Some((name, value)) = line.split_once('=') else {
                continue;
            };
            let name = name.trim();
            if !(name.starts_with("FLEX_APP_") || name.starts_with("REACT_APP_")) {
                continue;
            }
            let value = value.split(" #").next().unwrap_or("").trim();
            let value = value.trim_matches(|c| c == '"' || c == '\'');
            let url = if value.ends_with(".twil.io") && !value.contains("://") {
                format!("https://{value}")
            } else {
                value.to_string()
            };
            let lower = url.to_ascii_lowercase();
            let is_url = (lower.starts_with("https://") || lower.starts_with("http://"))
                && !url.contains('@')
                && !url.chars().any(char::is_whitespace);
            if is_url && !values.contains_key(name) {
                values.insert(
                    name.to_string(),
                    Resolved {
                        value: Value::Url { value: url },
                        from: format!("{}:{}", file.path, number + 1),
                    },
                );
            }
        }
    }
    values
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{scan, Options};

    fn summary(path: &str, source: &str) -> ProjectFile {
        let report = scan(
            source,
            &Options {
                filename: Some(path.into()),
                summarize: true,
                all_imports: true,
                ..Default::default()
            },
        );
        ProjectFile {
            path: path.into(),
            summary: report.summary.expect("a summary was asked for"),
        }
    }

    #[test]
    fn manifests_decide_the_runtime_of_code_no_convention_placed() {
        let summaries = |files: &[(&str, &str)]| -> Vec<ProjectFile> {
            files.iter().map(|(p, t)| summary(p, t)).collect()
        };
        let project = resolve(&ProjectInput {
            files: summaries(&[
                (
                    "package.json",
                    r#"{"devDependencies":{"@twilio/flex-ui":"^2"}}"#,
                ),
                // A plugin that keeps its Functions' deploy settings at its root stays a plugin.
                (".twilioserverlessrc", "{}"),
                ("src/api.js", "export const a = 1;"),
                (
                    "server/package.json",
                    r#"{"dependencies":{"express":"^4","twilio":"^5"}}"#,
                ),
                ("server/index.js", "require('twilio');"),
                ("svc/.twilioserverlessrc", "{}"),
                ("svc/provision.js", "require('twilio');"),
                ("svc/functions/a.js", "exports.handler = () => {};"),
                ("server/scripts/seed.js", "require('twilio');"),
            ]),
            ..Default::default()
        });
        let runtimes: Vec<(&str, crate::Runtime)> = project
            .runtimes
            .iter()
            .map(|(p, r)| (p.as_str(), *r))
            .collect();
        assert_eq!(
            runtimes,
            [
                ("server/index.js", crate::Runtime::Tooling),
                ("server/package.json", crate::Runtime::Tooling),
                ("svc/.twilioserverlessrc", crate::Runtime::Tooling),
                ("svc/provision.js", crate::Runtime::Tooling),
            ]
        );
    }

    #[test]
    fn runtime_helpers_that_validate_are_followed() {
        let helper = summary(
            "svc/functions/common/helper.private.js",
            "const TokenValidator = require('twilio-flex-token-validator').functionValidator;\n\
             exports.prepareFlexFunction = (params, fn) => TokenValidator((c, e, cb) => fn(c, e, cb));\n\
             exports.prepareStudioFunction = (params, fn) => (c, e, cb) => fn(c, e, cb);\n",
        );
        let handler = summary(
            "svc/functions/flex/pause.js",
            "const { prepareFlexFunction, prepareStudioFunction } = require(Runtime.getFunctions()['common/helper'].path);\n\
             exports.handler = prepareFlexFunction([], async () => {});\n",
        );
        let project = resolve(&ProjectInput {
            files: vec![helper, handler],
            env_files: vec![],
            only_needed: false,
        });
        let context = &project.contexts["svc/functions/flex/pause.js"];
        assert!(matches!(
            context["prepareFlexFunction"].value,
            Value::Wrapper {
                validates: true,
                ..
            }
        ));
        assert!(matches!(
            context["prepareStudioFunction"].value,
            Value::Wrapper {
                validates: false,
                ..
            }
        ));
        assert_eq!(
            context["prepareFlexFunction"].from,
            "svc/functions/common/helper.private.js:2"
        );
    }

    #[test]
    fn a_file_gets_only_the_fields_it_reads_of_an_imported_object() {
        let config = summary(
            "src/config.js",
            "export const ENDPOINTS = { tasks: 'https://svc-1234.twil.io/tasks', notes: '/notes', chat: '/chat' };\n",
        );
        let members = summary(
            "src/a.js",
            "import { ENDPOINTS } from './config';\nfetch(ENDPOINTS.tasks);\nfetch(ENDPOINTS['notes']);\nfunction f(ENDPOINTS) { return ENDPOINTS.notes; }\n",
        );
        let whole = summary(
            "src/b.js",
            "import { ENDPOINTS } from './config';\nconst { tasks } = ENDPOINTS;\nfetch(tasks);\n",
        );
        let indexed = summary(
            "src/c.js",
            "import { ENDPOINTS } from './config';\nexport const at = (k) => fetch(ENDPOINTS[k]);\n",
        );
        let project = resolve(&ProjectInput {
            files: vec![config, members, whole, indexed],
            env_files: vec![],
            only_needed: false,
        });
        let fields_of = |path: &str| match &project.contexts[path]["ENDPOINTS"].value {
            Value::Object { fields } => fields.keys().cloned().collect::<Vec<_>>(),
            other => panic!("{other:?}"),
        };
        assert_eq!(fields_of("src/a.js"), ["notes", "tasks"]);
        // Destructured or indexed by a variable: the whole object.
        assert_eq!(fields_of("src/b.js"), ["chat", "notes", "tasks"]);
        assert_eq!(fields_of("src/c.js"), ["chat", "notes", "tasks"]);
    }

    #[test]
    fn urls_in_config_modules_and_env_files_are_followed() {
        let config = summary(
            "src/config.js",
            "const BASE = 'https://svc-1234.twil.io';\nexport const ENDPOINTS = { tasks: `${BASE}/tasks` };\nexport default BASE;\n",
        );
        let user = summary(
            "src/api/tasks.js",
            "import BASE, { ENDPOINTS } from '../config';\nimport * as config from '../config.js';\nfetch(ENDPOINTS.tasks, { base: BASE, all: config.ENDPOINTS });\n",
        );
        let project = resolve(&ProjectInput {
            files: vec![config, user],
            env_files: vec![EnvFile {
                path: ".env.example".into(),
                text: "# where the functions are\nFLEX_APP_SERVERLESS_DOMAIN=svc-1234-dev.twil.io\nFLEX_APP_TOKEN=xyz\n".into(),
            }],
            only_needed: false,
        });
        let context = &project.contexts["src/api/tasks.js"];
        let Value::Object { fields } = &context["ENDPOINTS"].value else {
            panic!("{context:?}")
        };
        assert_eq!(
            fields["tasks"],
            Value::Url {
                value: "https://svc-1234.twil.io/tasks".into()
            }
        );
        assert_eq!(
            context["BASE"].value,
            Value::Url {
                value: "https://svc-1234.twil.io".into()
            }
        );
        assert!(matches!(context["config"].value, Value::Object { .. }));
        let domain = &context["process.env.FLEX_APP_SERVERLESS_DOMAIN"];
        assert_eq!(
            domain.value,
            Value::Url {
                value: "https://svc-1234-dev.twil.io".into()
            }
        );
        assert_eq!(domain.from, ".env.example:2");
        assert!(!context.contains_key("process.env.FLEX_APP_TOKEN"));
    }

    fn rules_per_file(files: &[(&str, &str)], env: &str) -> Vec<(String, String, Vec<String>)> {
        let sources: Vec<(String, String)> = files
            .iter()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect();
        let env_files = vec![EnvFile {
            path: ".env.example".into(),
            text: env.into(),
        }];
        lint(&sources, env_files, &Options::default())
            .into_iter()
            .flat_map(|r| r.findings)
            .map(|f| {
                let related = f
                    .related
                    .iter()
                    .map(|r| format!("{}:{}", r.file, r.line))
                    .collect();
                (f.file, f.rule_id, related)
            })
            .collect()
    }

    #[test]
    fn checks_follow_helpers_urls_and_env_across_files() {
        let found = rules_per_file(
            &[
                (
                    "svc/functions/common/helper.private.js",
                    "const TokenValidator = require('twilio-flex-token-validator').functionValidator;\n\
                     exports.prepareFlexFunction = (p, fn) => TokenValidator((c, e, cb) => fn(c, e, cb));\n\
                     exports.prepareOpenFunction = (p, fn) => (c, e, cb) => fn(c, e, cb);\n",
                ),
                (
                    "svc/functions/common/auth.private.ts",
                    "import { validator } from 'twilio-flex-token-validator';\n\
                     export const isAgent = async (event: any, context: any) => validator(event.Token, context.ACCOUNT_SID, context.AUTH_TOKEN);\n",
                ),
                (
                    "svc/functions/flex/checked.ts",
                    "const { isAgent } = <any>require(Runtime.getFunctions()['common/auth'].path);\n\
                     export const handler = async (context: any, event: any, callback: any) => { await isAgent(event, context); callback(null, {}); };\n",
                ),
                (
                    "svc/functions/flex/validated.js",
                    "const { prepareFlexFunction } = require(Runtime.getFunctions()['common/helper'].path);\n\
                     exports.handler = prepareFlexFunction([], async (context, event, callback) => callback(null, {}));\n",
                ),
                (
                    "svc/functions/flex/open.js",
                    "const helper = require(Runtime.getFunctions()['common/helper'].path);\n\
                     exports.handler = helper.prepareOpenFunction([], async (context, event, callback) => callback(null, await context.getTwilioClient().calls.list()));\n",
                ),
                ("plugin/src/config.js", "export const ENDPOINTS = { tasks: 'https://svc-1234.twil.io/tasks' };\n"),
                (
                    "plugin/src/api.js",
                    "import { ENDPOINTS } from './config';\n\
                     export const a = () => fetch(ENDPOINTS.tasks, { method: 'POST', body: '{}' });\n\
                     export const b = () => fetch(`${process.env.FLEX_APP_FUNCTIONS}/tasks`, { method: 'POST' });\n",
                ),
            ],
            "FLEX_APP_FUNCTIONS=https://svc-1234.twil.io\n",
        );
        let of = |file: &str| -> Vec<&str> {
            found
                .iter()
                .filter(|(f, ..)| f == file)
                .map(|(_, r, _)| r.as_str())
                .collect()
        };
        assert_eq!(of("svc/functions/flex/validated.js"), Vec::<&str>::new());
        assert_eq!(of("svc/functions/flex/checked.ts"), Vec::<&str>::new());
        assert_eq!(
            of("svc/functions/flex/open.js"),
            ["function-without-token-validator"]
        );
        assert_eq!(
            of("plugin/src/api.js"),
            ["function-call-without-token", "function-call-without-token"]
        );
        // Each says where its URL came from.
        let related: Vec<&Vec<String>> = found
            .iter()
            .filter(|(f, ..)| f == "plugin/src/api.js")
            .map(|(.., r)| r)
            .collect();
        assert_eq!(
            related,
            [
                &vec!["plugin/src/config.js:1".to_string()],
                &vec![".env.example:1".to_string()]
            ]
        );
        let open = found
            .iter()
            .find(|(f, ..)| f == "svc/functions/flex/open.js")
            .unwrap();
        assert_eq!(open.2, ["svc/functions/common/helper.private.js:3"]);
    }

    /// A config module exports URLs built from an env variable and a path; the requests that
    /// use them in another module read the variable's value from the env file, and name it.
    #[test]
    fn urls_built_from_env_variables_in_another_module_are_followed() {
        let sources: Vec<(String, String)> = [
            (
                "plugin/src/config.js",
                "const BASE = process.env.FLEX_APP_CALLBACKS_DOMAIN;\n\
                 export const CREATE_URL = `${process.env.FLEX_APP_CALLBACKS_DOMAIN}/cb/create`;\n\
                 export const ENDPOINTS = { list: `${BASE}/cb/list`, purge: BASE + '/cb/purge' };\n\
                 export const REPORTS_URL = `${process.env.FLEX_APP_REPORTS_HOST}/reports`;\n",
            ),
            (
                "plugin/src/api.js",
                "import { CREATE_URL, ENDPOINTS, REPORTS_URL } from './config';\n\
                 export const create = (to) => fetch(CREATE_URL, { method: 'POST', body: JSON.stringify({ to }) });\n\
                 export const list = () => fetch(ENDPOINTS.list, { method: 'POST', body: '{}' });\n\
                 export const purge = () => axios.post(ENDPOINTS.purge, { all: true });\n\
                 export const report = () => fetch(REPORTS_URL, { method: 'POST', body: '{}' });\n",
            ),
        ]
        .iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect();
        let env_files = vec![EnvFile {
            path: "plugin/.env.example".into(),
            text: "FLEX_APP_CALLBACKS_DOMAIN=https://callbacks-4321-dev.twil.io\n".into(),
        }];
        let reports = lint(&sources, env_files, &Options::default());
        let found: Vec<&crate::Finding> = reports.iter().flat_map(|r| &r.findings).collect();
        let lines: Vec<(&str, u32)> = found.iter().map(|f| (f.rule_id.as_str(), f.line)).collect();
        // The request to a host no env file documents is not a Functions host.
        assert_eq!(
            lines,
            [
                ("function-call-without-token", 2),
                ("function-call-without-token", 3),
                ("function-call-without-token", 4)
            ],
            "{found:#?}"
        );
        for finding in &found {
            assert!(
                finding
                    .message
                    .contains("process.env.FLEX_APP_CALLBACKS_DOMAIN"),
                "{}",
                finding.message
            );
            let text = serde_json::to_string(finding).unwrap();
            assert!(!text.contains("callbacks-4321-dev"), "{text}");
            assert!(
                finding
                    .related
                    .iter()
                    .any(|r| r.file == "plugin/src/config.js"),
                "{finding:#?}"
            );
        }
    }

    /// A base class's request method starts its URLs with a field that only its subclasses,
    /// in other modules, set: each subclass's call is a request to its own host.
    #[test]
    fn a_field_a_subclass_sets_is_the_base_of_its_calls_through_the_base_class() {
        let found = rules_per_file(
            &[
                (
                    "plugin/src/http/Http.js",
                    "export class Http {\n\
                       request(path, init) {\n\
                         return fetch(`${this.baseUrl}${path}`, init);\n  }\n}\n",
                ),
                (
                    "plugin/src/http/Rest.js",
                    "import { Http } from './Http';\n\
                     export class Rest extends Http {\n\
                       baseUrl = 'https://api.twilio.com/2010-04-01';\n\
                       calls() { return this.request('/Accounts/AC123/Calls.json'); }\n}\n",
                ),
                (
                    "plugin/src/http/Tasks.js",
                    "import { Http } from './Http';\n\
                     export class Tasks extends Http {\n\
                       constructor() { super(); this.baseUrl = 'https://tasks-1234-dev.twil.io'; }\n\
                       pause(taskSid) { return this.request('/tasks/pause', { method: 'POST', body: JSON.stringify({ taskSid }) }); }\n\
                       resume(taskSid, token) { return this.request('/tasks/resume', { method: 'POST', body: JSON.stringify({ taskSid, Token: token }) }); }\n}\n",
                ),
                (
                    "plugin/src/http/Crm.js",
                    "import { Http } from './Http';\n\
                     export class Crm extends Http {\n\
                       baseUrl = 'https://crm.example.com/api';\n\
                       contact(id) { return this.request(`/contacts/${id}`); }\n}\n",
                ),
            ],
            "",
        );
        let ids: Vec<(&str, &str)> = found
            .iter()
            .map(|(file, rule, _)| (file.as_str(), rule.as_str()))
            .collect();
        assert_eq!(
            ids,
            [
                ("plugin/src/http/Rest.js", "direct-api-call"),
                ("plugin/src/http/Tasks.js", "function-call-without-token")
            ],
            "{found:#?}"
        );
        // Each names the method that sends the request.
        for (_, _, related) in &found {
            assert_eq!(
                related,
                &["plugin/src/http/Http.js:2".to_string()],
                "{found:#?}"
            );
        }
    }

    #[test]
    fn requests_through_helpers_name_the_helper() {
        let found = rules_per_file(
            &[
                (
                    "src/http.js",
                    "export const twilio = axios.create({ baseURL: 'https://api.twilio.com/2010-04-01', auth: { username: u, password: p } });\n\
                     export function getJson(url, opts) { return fetch(url, { ...opts, headers: { Authorization: 'Basic ' + key } }); }\n",
                ),
                (
                    "src/calls.js",
                    "import { twilio, getJson } from './http';\n\
                     export const a = () => twilio.get('/Accounts.json');\n\
                     export const b = () => getJson('https://sync.twilio.com/v1/Services');\n\
                     export const c = () => getJson('https://example.com/x');\n",
                ),
            ],
            "",
        );
        let calls: Vec<_> = found.iter().filter(|(f, ..)| f == "src/calls.js").collect();
        assert_eq!(calls.len(), 2, "{found:?}");
        for (_, rule, related) in calls {
            assert_eq!(rule, "direct-api-call");
            assert_eq!(related.len(), 1, "{related:?}");
        }
        assert_eq!(
            found.iter().filter(|(f, ..)| f == "src/http.js").count(),
            1,
            "{found:?}"
        );
    }

    #[test]
    fn values_from_env_files_are_named_never_shown() {
        let sources = vec![(
            "src/api.js".to_string(),
            "export const go = () => fetch(`${process.env.FLEX_APP_BACKEND}/tasks`, { method: 'POST' });\n".to_string(),
        )];
        let env_files = vec![EnvFile {
            path: ".env".into(),
            text: "FLEX_APP_BACKEND=https://hidden-host-4321.twil.io\n".into(),
        }];
        let reports = lint(&sources, env_files, &Options::default());
        let text = serde_json::to_string(&reports).unwrap();
        assert!(text.contains("function-call-without-token"), "{text}");
        assert!(text.contains("process.env.FLEX_APP_BACKEND"), "{text}");
        assert!(!text.contains("hidden-host-4321"), "{text}");
    }

    #[test]
    fn cycles_and_missing_files_end() {
        let a = summary("functions/a.js", "const { f } = require('./b');\nexports.f = (x) => f(x);\nconst m = require('./missing');\n");
        let b = summary(
            "functions/b.js",
            "const { f } = require('./a');\nexports.f = (x) => f(x);\n",
        );
        let project = resolve(&ProjectInput {
            files: vec![a, b],
            env_files: vec![],
            only_needed: false,
        });
        assert!(matches!(
            project.contexts["functions/a.js"]["f"].value,
            Value::Wrapper {
                validates: false,
                ..
            }
        ));
        assert_eq!(project.unresolved.len(), 1);
        assert_eq!(project.unresolved[0].specifier, "./missing");
    }
}
