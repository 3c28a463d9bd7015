//! The file-facts stage: what one file offers other files and what it takes from them, as a
//! serialisable summary. The project stage (`project.rs`) resolves the summaries of a whole
//! repository and hands each file the values its imports resolve to.
//!
//! A summary holds no credential: exported strings are kept only when they read as a URL or
//! a path (what cross-file checks need), and a summary is never printed.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};
use swc_ecma_ast::{
    AssignExpr, AssignTarget, CallExpr, Callee, Decl, DefaultDecl, ExportSpecifier, Expr,
    ImportDecl, ImportSpecifier, Lit, MemberExpr, MemberProp, ModuleDecl, ModuleExportName,
    ObjectLit, ObjectPatProp, Pat, Prop, PropOrSpread, SimpleAssignTarget, VarDeclarator,
};
use swc_ecma_visit::{Visit, VisitWith};

use crate::fold::Folder;
use crate::parse::LineIndex;

/// A value one file gives another.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
pub enum Value {
    /// A constant URL or path.
    Url { value: String },
    /// An object of such values (`ENDPOINTS`, a config module's exports).
    Object {
        #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, Value>"))]
        fields: BTreeMap<String, Value>,
    },
    /// A function that Function handlers are wrapped with, and whether it applies the Flex
    /// token validator (directly, or through a wrapper it imports: `through`, local names).
    Wrapper {
        validates: bool,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        through: Vec<String>,
        /// It reaches the account: the Twilio client, `context` credentials, `process.env`,
        /// Sync (see [`reaches_account`]), directly or through a function it imports.
        #[serde(default)]
        account: bool,
    },
    /// A client instance or request helper that sends requests for its callers.
    Requester(crate::http::Requester),
}

/// One thing a file exports, and the line it is defined on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
pub struct Export {
    pub value: Value,
    pub line: u32,
}

/// What an import binds.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
pub enum Imported {
    /// One export by name.
    Named { name: String },
    /// The default export (`import x from`), or `module.exports` as a whole for CommonJS.
    Default,
    /// All exports as an object (`import * as ns`, `const ns = require(…)`).
    Namespace,
}

/// One import: the local name, where from, and what it binds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
pub struct Import {
    pub local: String,
    /// As written (`./config`, `@/utils/http`), or `functions:<key>` for a Twilio Runtime
    /// require (`Runtime.getFunctions()['<key>'].path`).
    pub specifier: String,
    pub imported: Imported,
    pub line: u32,
    /// The only members the file reads of it (`ENDPOINTS.op7`), when it is used in no other
    /// way: the project hands the file those fields of an object, not the whole of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub members: Option<Vec<String>>,
}

/// `export { a as b } from "./m"`, `export * from "./m"`, and an import exported again
/// (`import a from "./m"; export { a }`): names this file exports from another.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
pub struct Reexport {
    pub specifier: String,
    /// What is taken from the other file (`Namespace` for `export * as ns from`).
    pub imported: Imported,
    /// The name this file exports it under; `None` for `export * from`, which passes on every
    /// name but `default`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub exported: Option<String>,
    pub line: u32,
}

/// The facts of one file that other files can use.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
pub struct FileSummary {
    /// Where the file runs.
    pub runtime: Option<crate::Runtime>,
    /// Exports by name; `default` is the default export (or `module.exports = …`).
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, Export>"))]
    pub exports: BTreeMap<String, Export>,
    pub imports: Vec<Import>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub reexports: Vec<Reexport>,
    /// `compilerOptions.baseUrl` and `paths` of a `tsconfig.json`/`jsconfig.json`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub aliases: Option<Aliases>,
    /// A check met what only the project can resolve (a request URL without a host in this
    /// file, a handler wrapper defined elsewhere): linting the file again with its context may
    /// change its findings. Files without it keep their first report.
    #[serde(default)]
    pub needs_context: bool,
    /// Neither the user's `runtimes` globs nor a path convention decided `runtime`: the file
    /// is plugin code only by default, and the package around it may say otherwise.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub runtime_by_default: bool,
    /// What a `package.json` makes its directory: a Flex plugin, a Functions service, another
    /// web app (whose pages hold no Flex user token), or a Node backend.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub package: Option<PackageKind>,
}

impl FileSummary {
    /// Drop the imports no other file can need: those of a file that needs no context matter to
    /// the project stage only where an export passes them on (a wrapper's `through`, a client's
    /// `base_from`). Most imports of a repository are packages and components.
    pub fn keep_imports_exports_use(&mut self) {
        fn roots<'v>(value: &'v Value, out: &mut HashSet<&'v str>) {
            let root = |name: &'v str| name.split('.').next().unwrap_or(name);
            match value {
                Value::Url { .. } => {}
                Value::Object { fields } => fields.values().for_each(|v| roots(v, out)),
                Value::Wrapper { through, .. } => out.extend(through.iter().map(|n| root(n))),
                Value::Requester(requester) => out.extend(requester.base_from.as_deref().map(root)),
            }
        }
        let mut used = HashSet::new();
        self.exports
            .values()
            .for_each(|e| roots(&e.value, &mut used));
        let used: HashSet<String> = used.into_iter().map(str::to_string).collect();
        self.imports.retain(|import| used.contains(&import.local));
    }
}

/// What a package is, by its manifest's dependencies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
pub enum PackageKind {
    /// Bundled by the Flex plugin builder and served to agents' browsers.
    FlexPlugin,
    /// A Twilio Serverless service: `twilio-run deploy` uploads it.
    Functions,
    /// A browser app of another framework (a customer-facing page): it has no Flex user token.
    WebApp,
    /// A Node backend (Express, Koa, Fastify, the `twilio` server SDK) and no browser app: its
    /// code runs on a server.
    NodeServer,
}

/// Dependencies that make a package a Flex plugin (`flex-plugin-scripts` unscoped is version 4,
/// `flex-plugin` versions 1 to 3).
const FLEX_PLUGIN_PACKAGES: &[&str] = &[
    "@twilio/flex-plugin",
    "@twilio/flex-plugin-scripts",
    "@twilio/flex-ui",
    "flex-plugin-scripts",
    "flex-plugin",
];
/// Dependencies of a Twilio Functions service.
const FUNCTIONS_PACKAGES: &[&str] = &["twilio-run", "@twilio/runtime-handler"];
/// Dependencies that make a package a Node backend when it is no browser app.
const NODE_SERVER_PACKAGES: &[&str] = &[
    "express",
    "koa",
    "fastify",
    "@hapi/hapi",
    "restify",
    "@nestjs/core",
    "twilio",
];
/// Dependencies that make a package a browser app when it is no Flex plugin.
const WEB_APP_PACKAGES: &[&str] = &[
    "next",
    "react-scripts",
    "react-dom",
    "vite",
    "vue",
    "nuxt",
    "@angular/core",
    "svelte",
    "gatsby",
    "preact",
];
/// Twilio's browser SDKs: a package with one and no server is a browser app.
const BROWSER_SDK_PACKAGES: &[&str] = &[
    "@twilio/voice-sdk",
    "twilio-client",
    "twilio-video",
    "@twilio/conversations",
    "twilio-sync",
    "twilio-chat",
];

/// The kind of package a `package.json` text describes; `None` when it is none of these (a
/// package of build tools only says nothing about where its code runs) or does not parse.
pub fn package_kind(manifest: &str) -> Option<PackageKind> {
    let json: serde_json::Value =
        serde_json::from_str(manifest.trim_start_matches('\u{feff}')).ok()?;
    json.as_object()?;
    let depends_on = |names: &[&str]| {
        ["dependencies", "devDependencies", "peerDependencies"]
            .iter()
            .filter_map(|field| json.get(field)?.as_object())
            .any(|deps| names.iter().any(|name| deps.contains_key(*name)))
    };
    // A browser app that also deploys Functions (`twilio-run` among its tools) is a browser
    // app: its `src/` is what browsers run. A server that hands Twilio's browser SDKs to its
    // pages is a server: what it serves sits in `public/` (see `Packages::runtime_of`).
    if depends_on(FLEX_PLUGIN_PACKAGES) {
        Some(PackageKind::FlexPlugin)
    } else if depends_on(WEB_APP_PACKAGES) {
        Some(PackageKind::WebApp)
    } else if depends_on(FUNCTIONS_PACKAGES) {
        Some(PackageKind::Functions)
    } else if depends_on(NODE_SERVER_PACKAGES) {
        Some(PackageKind::NodeServer)
    } else if depends_on(BROWSER_SDK_PACKAGES) {
        Some(PackageKind::WebApp)
    } else {
        None
    }
}

/// How a `tsconfig.json`/`jsconfig.json` maps import specifiers to files, relative to its own
/// directory.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(target_arch = "wasm32", derive(tsify_next::Tsify))]
pub struct Aliases {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub base_url: Option<String>,
    /// Patterns (`@/*`) and their targets (`src/*`), relative to `baseUrl` when set.
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, string[]>"))]
    pub paths: BTreeMap<String, Vec<String>>,
}

/// Most `paths` patterns kept, and targets per pattern.
const MAX_ALIASES: usize = 64;

/// The aliases of a `tsconfig.json`/`jsconfig.json` text (JSON with comments and trailing
/// commas); `None` when it sets neither `baseUrl` nor `paths` or is not JSON.
pub fn aliases(text: &str) -> Option<Aliases> {
    let json: serde_json::Value = serde_json::from_str(&strip_json_comments(text)).ok()?;
    let options = json.get("compilerOptions")?;
    let base_url = options
        .get("baseUrl")
        .and_then(|b| b.as_str())
        .map(str::to_string);
    let mut paths = BTreeMap::new();
    if let Some(map) = options.get("paths").and_then(|p| p.as_object()) {
        for (pattern, targets) in map.iter().take(MAX_ALIASES) {
            let targets: Vec<String> = targets
                .as_array()
                .map(|t| {
                    t.iter()
                        .take(MAX_ALIASES)
                        .filter_map(|t| Some(t.as_str()?.to_string()))
                        .collect()
                })
                .unwrap_or_default();
            paths.insert(pattern.clone(), targets);
        }
    }
    (base_url.is_some() || !paths.is_empty()).then_some(Aliases { base_url, paths })
}

/// JSON with `//` and `/* */` comments and trailing commas, as TypeScript reads it, made JSON.
fn strip_json_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            if c == '\\' {
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match (c, chars.peek()) {
            ('"', _) => {
                in_string = true;
                out.push(c);
            }
            ('/', Some('/')) => {
                for next in chars.by_ref() {
                    if next == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            ('/', Some('*')) => {
                chars.next();
                let mut last = ' ';
                for next in chars.by_ref() {
                    if last == '*' && next == '/' {
                        break;
                    }
                    last = next;
                }
                out.push(' ');
            }
            _ => out.push(c),
        }
    }
    // Trailing commas: `,` followed by only whitespace up to `}` or `]`.
    let mut cleaned = String::with_capacity(out.len());
    let bytes: Vec<char> = out.chars().collect();
    let mut in_string = false;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if in_string {
            if c == '\\' && i + 1 < bytes.len() {
                cleaned.push(c);
                cleaned.push(bytes[i + 1]);
                i += 2;
                continue;
            }
            if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
        } else if c == ',' {
            let next = bytes[i + 1..].iter().find(|c| !c.is_whitespace());
            if matches!(next, Some('}' | ']') | None) {
                i += 1;
                continue;
            }
        }
        cleaned.push(c);
        i += 1;
    }
    cleaned
}

const VALIDATOR_MODULE: &str = "twilio-flex-token-validator";
/// Packages whose calls `http::from_call` recognises by name.
const HTTP_LIBRARIES: &[&str] = &[
    "axios",
    "ky",
    "superagent",
    "jquery",
    "node-fetch",
    "cross-fetch",
    "isomorphic-fetch",
];
/// Longest URL kept in a summary.
const MAX_URL: usize = 2048;
/// Most fields kept of one exported object, and deepest nesting.
const MAX_FIELDS: usize = 256;
const MAX_OBJECT_DEPTH: u32 = 4;

/// A string worth carrying across files: a URL or a path, never anything else.
fn url_like(value: &str) -> bool {
    let lower = value.get(..8).unwrap_or(value).to_ascii_lowercase();
    value.len() <= MAX_URL
        && !value.chars().any(char::is_whitespace)
        && (lower.starts_with("https://")
            || lower.starts_with("http://")
            || value.starts_with('/')
            || value.ends_with(".twil.io")
            || value.contains(".twil.io/"))
        && !value.contains('@')
}

/// Summarise a parsed file. `folder` folds constants as the rules saw them. Handler wrappers are
/// recorded only for Function code (`functions`): only Function handlers are wrapped.
pub fn summarize(
    program: &swc_ecma_ast::Program,
    ctx: &crate::engine::Ctx,
    base: u32,
    index: &LineIndex,
    functions: bool,
) -> FileSummary {
    let folder = ctx.folder();
    let mut collector = Collector {
        folder,
        requesters: ctx.requesters(),
        request_calls: Vec::new(),
        superclasses: Vec::new(),
        base,
        index,
        summary: FileSummary::default(),
        validator_names: HashSet::new(),
        functions: BTreeMap::new(),
        local_values: BTreeMap::new(),
        exported_functions: Vec::new(),
        calls: Vec::new(),
        account_at: Vec::new(),
    };
    program.visit_with(&mut collector);
    collector.reexport_imports();
    if !functions {
        collector.exported_functions.clear();
    }
    // Class fields that hold a URL (`this.functionsBase = "https://…"`): a subclass in another
    // module reads them as `this.functionsBase`.
    for (name, init) in folder.consts.fields() {
        if let Some(value) = collector.value_of(init, 0) {
            let line = 1;
            collector
                .summary
                .exports
                .insert(format!("this.{name}"), Export { value, line });
        }
    }
    // Request methods of a class (`this.fetchJson(url, init)`), which its subclasses call.
    for (name, (requester, line)) in &ctx.requesters().by_name {
        if name.starts_with("this.") {
            let value = Value::Requester(requester.clone());
            let line = *line;
            collector
                .summary
                .exports
                .insert(name.clone(), Export { value, line });
        }
    }
    let mut summary = collector.finish();
    if !summary.imports.is_empty() {
        let mut uses = ImportUses {
            locals: summary.imports.iter().map(|i| i.local.clone()).collect(),
            members: BTreeMap::new(),
            whole: HashSet::new(),
        };
        program.visit_with(&mut uses);
        for import in &mut summary.imports {
            if !uses.whole.contains(&import.local) {
                let members = uses.members.remove(&import.local).unwrap_or_default();
                import.members = Some(members.into_iter().collect());
            }
        }
    }
    summary
}

/// How a file uses the names it imports: only through members written out
/// (`ENDPOINTS.op7`, `ENDPOINTS["op7"]`), or otherwise (passed on, spread, destructured,
/// indexed by a variable), which needs the whole value. A binding of the same name counts
/// neither way: at worst a shadowing local adds members, which never hides a field.
struct ImportUses {
    locals: HashSet<String>,
    members: BTreeMap<String, std::collections::BTreeSet<String>>,
    whole: HashSet<String>,
}

impl Visit for ImportUses {
    fn visit_import_decl(&mut self, _import: &ImportDecl) {}

    fn visit_binding_ident(&mut self, _binding: &swc_ecma_ast::BindingIdent) {}

    fn visit_ident(&mut self, ident: &swc_ecma_ast::Ident) {
        if self.locals.contains(&*ident.sym) {
            self.whole.insert(ident.sym.to_string());
        }
    }

    fn visit_member_expr(&mut self, member: &MemberExpr) {
        let Expr::Ident(object) = unparen(&member.obj) else {
            return member.visit_children_with(self);
        };
        if !self.locals.contains(&*object.sym) {
            return member.visit_children_with(self);
        }
        let name = match &member.prop {
            MemberProp::Ident(prop) => Some(prop.sym.to_string()),
            MemberProp::Computed(computed) => match unparen(&computed.expr) {
                Expr::Lit(Lit::Str(s)) => Some(s.value.to_string_lossy().into_owned()),
                _ => None,
            },
            MemberProp::PrivateName(_) => None,
        };
        match name {
            Some(name) => {
                self.members
                    .entry(object.sym.to_string())
                    .or_default()
                    .insert(name);
            }
            None => {
                self.whole.insert(object.sym.to_string());
                member.prop.visit_with(self);
            }
        }
    }
}

struct Collector<'a, 'f> {
    folder: &'a Folder<'f>,
    /// Client instances and request helpers of the file (see `http::requesters`).
    requesters: &'a crate::http::Requesters,
    /// Local names called the way a request helper is (`api.get(…)`, `request("/x")`): when
    /// one is imported, the file needs its context.
    request_calls: Vec<String>,
    /// The superclass of each class the walk is in, innermost last (`None`: no superclass, or
    /// not a name): `this.fetchJson(url)` in a subclass may call a request method it inherits.
    superclasses: Vec<Option<String>>,
    base: u32,
    index: &'a LineIndex<'a>,
    summary: FileSummary,
    /// Local names bound to the validator (`functionValidator`, `TokenValidator`, …).
    validator_names: HashSet<String>,
    /// Local functions by name: their byte range.
    functions: BTreeMap<String, (u32, u32)>,
    /// Local objects of URLs (`const ENDPOINTS = {…}`), which the folder does not hold.
    local_values: BTreeMap<String, Value>,
    /// Exported names whose value is a function, with its byte range or local name.
    exported_functions: Vec<(String, FunctionRef, u32)>,
    /// Every call: callee (a local name, or `.functionValidator` for a member call) and position.
    calls: Vec<(String, u32)>,
    /// Where the file reaches the account (see [`reaches_account`]).
    account_at: Vec<u32>,
}

enum FunctionRef {
    Range(u32, u32),
    Local(String),
}

impl Collector<'_, '_> {
    fn line(&self, pos: swc_common::BytePos) -> u32 {
        let offset = pos.0.saturating_sub(self.base) as usize;
        self.index.position(offset).0
    }

    fn range(&self, span: swc_common::Span) -> (u32, u32) {
        (
            span.lo.0.saturating_sub(self.base),
            span.hi.0.saturating_sub(self.base),
        )
    }

    fn value_of(&self, expr: &Expr, depth: u32) -> Option<Value> {
        match expr {
            Expr::Paren(p) => self.value_of(&p.expr, depth),
            Expr::Object(object) if depth < MAX_OBJECT_DEPTH => self.object_value(object, depth),
            Expr::Ident(ident) => match self.folder.binding(&ident.sym) {
                Some(init) => self.value_of(init, depth + 1),
                None => self.local_values.get(&*ident.sym).cloned(),
            },
            _ => match self.folder.fold(expr) {
                Some(value) => url_like(&value).then_some(Value::Url { value }),
                None => self.env_url(expr).map(|value| Value::Url { value }),
            },
        }
    }

    /// A URL assembled from constants and env variables (`` `${process.env.FLEX_APP_X}/tasks` ``,
    /// through `const`s too), with each variable written as `${process.env.NAME}`: the project
    /// stage's reader puts in what the repository's env files say of it.
    fn env_url(&self, expr: &Expr) -> Option<String> {
        let mut out = String::new();
        let mut reads_env = false;
        self.env_url_into(expr, 0, &mut out, &mut reads_env)?;
        // The constant text around the variables: a bare variable is the variable itself, which
        // the reader already looks up by name.
        let mut literal = String::new();
        let mut rest = out.as_str();
        while let Some(at) = rest.find(crate::http::ENV_OPEN) {
            literal.push_str(&rest[..at]);
            rest = rest[at..].find('}').map_or("", |end| &rest[at + end + 1..]);
        }
        literal.push_str(rest);
        let shape = if out.starts_with(crate::http::ENV_OPEN) {
            format!("https://x{literal}")
        } else {
            literal.clone()
        };
        (reads_env && !literal.is_empty() && url_like(&shape) && out.len() <= MAX_URL)
            .then_some(out)
    }

    fn env_url_into(
        &self,
        expr: &Expr,
        depth: u32,
        out: &mut String,
        reads_env: &mut bool,
    ) -> Option<()> {
        if depth > MAX_OBJECT_DEPTH * 2 || out.len() > MAX_URL {
            return None;
        }
        if let Some(value) = self.folder.fold(expr) {
            out.push_str(&value);
            return Some(());
        }
        match expr {
            Expr::Paren(p) => self.env_url_into(&p.expr, depth + 1, out, reads_env),
            Expr::Tpl(tpl) => {
                for (i, quasi) in tpl.quasis.iter().enumerate() {
                    out.push_str(&quasi.cooked.as_ref()?.to_string_lossy());
                    if let Some(part) = tpl.exprs.get(i) {
                        self.env_url_into(part, depth + 1, out, reads_env)?;
                    }
                }
                Some(())
            }
            Expr::Bin(bin) if bin.op == swc_ecma_ast::BinaryOp::Add => {
                for operand in crate::fold::add_operands(expr) {
                    self.env_url_into(operand, depth + 1, out, reads_env)?;
                }
                Some(())
            }
            Expr::Ident(ident) => {
                let init = match self.folder.consts.url_declarations(&ident.sym) {
                    [only] => only,
                    _ => self.folder.binding(&ident.sym)?,
                };
                self.env_url_into(init, depth + 1, out, reads_env)
            }
            Expr::Member(member) => {
                let name = crate::http::env_variable(member)?;
                *reads_env = true;
                out.push_str(crate::http::ENV_OPEN);
                out.push_str(name);
                out.push('}');
                Some(())
            }
            _ => None,
        }
    }

    fn object_value(&self, object: &ObjectLit, depth: u32) -> Option<Value> {
        let mut fields = BTreeMap::new();
        for prop in object.props.iter().take(MAX_FIELDS) {
            let PropOrSpread::Prop(prop) = prop else {
                continue;
            };
            match &**prop {
                Prop::KeyValue(kv) => {
                    let Some(key) = crate::http::key_name(&kv.key) else {
                        continue;
                    };
                    if let Some(value) = self.value_of(&kv.value, depth + 1) {
                        fields.insert(key.into_owned(), value);
                    }
                }
                Prop::Shorthand(ident) => {
                    if let Some(value) = self.value_of(&Expr::Ident(ident.clone()), depth + 1) {
                        fields.insert(ident.sym.to_string(), value);
                    }
                }
                _ => {}
            }
        }
        (!fields.is_empty()).then_some(Value::Object { fields })
    }

    fn requester(&self, value: &Expr) -> Option<crate::http::Requester> {
        match unparen(value) {
            Expr::Ident(ident) => self
                .requesters
                .by_name
                .get(&*ident.sym)
                .map(|(r, _)| r.clone()),
            Expr::Arrow(arrow) => self
                .requesters
                .by_function
                .get(&self.range(arrow.span).0)
                .cloned(),
            Expr::Fn(function) => self
                .requesters
                .by_function
                .get(&self.range(function.function.span).0)
                .cloned(),
            Expr::Call(call) => self
                .requesters
                .by_function
                .get(&self.range(call.span).0)
                .cloned(),
            _ => None,
        }
    }

    fn export(&mut self, name: String, value: &Expr, line: u32) {
        if let Some(requester) = self.requester(value) {
            let value = Value::Requester(requester);
            self.summary.exports.insert(name, Export { value, line });
            return;
        }
        match unparen(value) {
            Expr::Arrow(arrow) => {
                let (start, end) = self.range(arrow.span);
                self.exported_functions
                    .push((name, FunctionRef::Range(start, end), line));
            }
            Expr::Fn(function) => {
                let (start, end) = self.range(function.function.span);
                self.exported_functions
                    .push((name, FunctionRef::Range(start, end), line));
            }
            Expr::Ident(ident)
                if self.folder.binding(&ident.sym).is_none()
                    && !self.local_values.contains_key(&*ident.sym) =>
            {
                self.exported_functions.push((
                    name,
                    FunctionRef::Local(ident.sym.to_string()),
                    line,
                ));
            }
            Expr::Object(object) if name == "default" => {
                // `module.exports = { a, b: … }`: each field is an export too.
                for prop in &object.props {
                    let PropOrSpread::Prop(prop) = prop else {
                        continue;
                    };
                    match &**prop {
                        Prop::KeyValue(kv) => {
                            if let Some(key) = crate::http::key_name(&kv.key) {
                                self.export(key.into_owned(), &kv.value, line);
                            }
                        }
                        Prop::Shorthand(ident) => {
                            self.export(ident.sym.to_string(), &Expr::Ident(ident.clone()), line)
                        }
                        _ => {}
                    }
                }
                if let Some(value) = self.value_of(value, 0) {
                    self.summary.exports.insert(name, Export { value, line });
                }
            }
            other => {
                if let Some(value) = self.value_of(other, 0) {
                    self.summary.exports.insert(name, Export { value, line });
                }
            }
        }
    }

    fn import(&mut self, local: &str, specifier: String, imported: Imported, line: u32) {
        if specifier != VALIDATOR_MODULE && !followed(&specifier) {
            return;
        }
        if specifier == VALIDATOR_MODULE {
            let is_validator = match &imported {
                Imported::Named { name } => name == "functionValidator" || name == "validator",
                _ => false,
            };
            if is_validator {
                self.validator_names.insert(local.to_string());
            }
            return;
        }
        self.summary.imports.push(Import {
            local: local.to_string(),
            specifier,
            imported,
            line,
            members: None,
        });
    }

    /// Binding patterns of `const … = require(…)` and friends.
    fn require_binding(&mut self, pat: &Pat, specifier: String, member: Option<String>, line: u32) {
        match (pat, member) {
            (Pat::Ident(ident), Some(name)) => {
                self.import(&ident.id.sym, specifier, Imported::Named { name }, line)
            }
            (Pat::Ident(ident), None) => {
                self.import(&ident.id.sym, specifier, Imported::Namespace, line)
            }
            (Pat::Object(object), None) => {
                for prop in &object.props {
                    match prop {
                        ObjectPatProp::Assign(assign) => {
                            let name = assign.key.sym.to_string();
                            self.import(
                                &assign.key.sym,
                                specifier.clone(),
                                Imported::Named { name },
                                line,
                            );
                        }
                        ObjectPatProp::KeyValue(kv) => {
                            let (Some(name), Pat::Ident(local)) =
                                (crate::http::key_name(&kv.key), &*kv.value)
                            else {
                                continue;
                            };
                            let name = name.into_owned();
                            self.import(
                                &local.id.sym,
                                specifier.clone(),
                                Imported::Named { name },
                                line,
                            );
                        }
                        ObjectPatProp::Rest(_) => {}
                    }
                }
            }
            _ => {}
        }
    }

    /// Exported names that are imports (`import a from "./m"; export default a`) pass on what
    /// the other file exports.
    fn reexport_imports(&mut self) {
        for (name, function, line) in &self.exported_functions {
            let FunctionRef::Local(local) = function else {
                continue;
            };
            if self.functions.contains_key(local) {
                continue;
            }
            if let Some(import) = self.summary.imports.iter().find(|i| &i.local == local) {
                self.summary.reexports.push(Reexport {
                    specifier: import.specifier.clone(),
                    imported: import.imported.clone(),
                    exported: Some(name.clone()),
                    line: *line,
                });
            }
        }
    }

    fn finish(mut self) -> FileSummary {
        // HTTP libraries are recognised where they are called; any other import may be a helper.
        let http_library = |specifier: &str| {
            let package = specifier.split('/').next().unwrap_or(specifier);
            HTTP_LIBRARIES.contains(&package)
        };
        let imported_names: HashSet<&str> = self
            .summary
            .imports
            .iter()
            .filter(|i| !http_library(&i.specifier))
            .map(|i| i.local.as_str())
            .collect();
        if self
            .request_calls
            .iter()
            .any(|name| imported_names.contains(name.as_str()))
        {
            self.summary.needs_context = true;
        }
        let validates = |range: (u32, u32), calls: &[(String, u32)], names: &HashSet<String>| {
            calls.iter().any(|(callee, at)| {
                (range.0..range.1).contains(at)
                    && (names.contains(callee) || callee == ".functionValidator")
            })
        };
        let imported: HashSet<&str> = self
            .summary
            .imports
            .iter()
            .map(|i| i.local.as_str())
            .collect();
        for (name, function, line) in &self.exported_functions {
            let range = match function {
                FunctionRef::Range(start, end) => (*start, *end),
                FunctionRef::Local(local) => match self.functions.get(local) {
                    Some(range) => *range,
                    None => {
                        // An imported wrapper re-exported: it validates when its source does.
                        if imported.contains(local.as_str()) {
                            let value = Value::Wrapper {
                                validates: false,
                                through: vec![local.clone()],
                                account: false,
                            };
                            self.summary
                                .exports
                                .insert(name.clone(), Export { value, line: *line });
                        }
                        continue;
                    }
                },
            };
            let mut through: Vec<String> = self
                .calls
                .iter()
                .filter(|(callee, at)| {
                    (range.0..range.1).contains(at) && imported.contains(callee.as_str())
                })
                .map(|(callee, _)| callee.clone())
                .collect();
            through.sort();
            through.dedup();
            let account = self
                .account_at
                .iter()
                .any(|at| (range.0..range.1).contains(at));
            let value = Value::Wrapper {
                validates: validates(range, &self.calls, &self.validator_names),
                through,
                account,
            };
            self.summary
                .exports
                .insert(name.clone(), Export { value, line: *line });
        }
        self.summary
    }
}

/// A specifier that may name a file of the project: a path, a Twilio Runtime require, or an
/// alias (`@/utils/http`, `utils/http` under a `baseUrl`); the project stage resolves aliases
/// against the repository's `tsconfig.json`/`jsconfig.json` and drops what names no file.
fn followed(specifier: &str) -> bool {
    !specifier.is_empty() && !specifier.contains("://") && !specifier.starts_with("node:")
}

fn unparen(expr: &Expr) -> &Expr {
    match expr {
        Expr::Paren(p) => unparen(&p.expr),
        Expr::TsAs(e) => unparen(&e.expr),
        // `<typeof Helpers>require(…)`.
        Expr::TsTypeAssertion(e) => unparen(&e.expr),
        Expr::TsNonNull(e) => unparen(&e.expr),
        _ => expr,
    }
}

/// `context` properties that hold no credential and reach nothing of the account.
const HARMLESS_CONTEXT: &[&str] = &["PATH", "DOMAIN_NAME", "SERVICE_SID", "ENVIRONMENT_SID"];

/// Code in a Function that reaches the account: `context.getTwilioClient()` and every other
/// `context` value but a few harmless ones (credentials and configuration live there),
/// `process.env` (the same values), `Runtime.getSync()`, and any `…client.x` (a Twilio client
/// handed over by a wrapper or a helper).
pub fn reaches_account(member: &MemberExpr) -> bool {
    let MemberProp::Ident(prop) = &member.prop else {
        return false;
    };
    match unparen(&member.obj) {
        Expr::Ident(object) if object.sym == *"context" => !HARMLESS_CONTEXT.contains(&&*prop.sym),
        Expr::Ident(object) if object.sym == *"Runtime" => prop.sym == *"getSync",
        Expr::Ident(object) if object.sym == *"process" => prop.sym == *"env",
        Expr::Ident(object) => object.sym.to_ascii_lowercase().ends_with("client"),
        _ => false,
    }
}

/// A call that hands `context` (and so the account) to a function: `twilioExecute(context, …)`.
pub fn passes_context(call: &CallExpr) -> bool {
    call.args
        .iter()
        .any(|a| matches!(&*a.expr, Expr::Ident(i) if i.sym == *"context"))
}

/// The local name a call may send a request through: `x.get(…)` and other HTTP verbs, or
/// `x(…)`/`x.y(…)` with an argument that reads as a URL or path (`"/x"`, `` `${BASE}/x` ``,
/// `ENDPOINTS.x`).
/// `this.method(url, …)`, with a first argument that reads as a URL.
fn calls_this_with_url(call: &CallExpr) -> bool {
    let Callee::Expr(callee) = &call.callee else {
        return false;
    };
    let Expr::Member(member) = unparen(callee) else {
        return false;
    };
    // Not a member read (`this.setState(prev.value)` in a React component): a URL written here.
    matches!(unparen(&member.obj), Expr::This(_))
        && call
            .args
            .first()
            .is_some_and(|arg| match unparen(&arg.expr) {
                Expr::Bin(bin) => bin.op == swc_ecma_ast::BinaryOp::Add,
                Expr::Member(_) => false,
                other => urlish(other),
            })
}

/// A string, template or concatenation that starts like a URL or a path, or a member read.
fn urlish(expr: &Expr) -> bool {
    match unparen(expr) {
        Expr::Lit(Lit::Str(s)) => {
            let v = s.value.to_string_lossy();
            v.starts_with('/') || v.starts_with("http")
        }
        Expr::Tpl(tpl) => tpl.quasis.first().is_some_and(|q| {
            let raw = q.raw.as_str();
            raw.is_empty() || raw.starts_with('/') || raw.starts_with("http")
        }),
        Expr::Bin(_) | Expr::Member(_) => true,
        _ => false,
    }
}

fn request_like(call: &CallExpr) -> Option<String> {
    let Callee::Expr(callee) = &call.callee else {
        return None;
    };
    let urlish = || call.args.iter().take(2).any(|arg| urlish(&arg.expr));
    match unparen(callee) {
        Expr::Ident(ident) => urlish().then(|| ident.sym.to_string()),
        Expr::Member(member) => {
            let Expr::Ident(object) = unparen(&member.obj) else {
                return None;
            };
            let verb = matches!(&member.prop, MemberProp::Ident(p)
                if ["get", "post", "put", "patch", "delete", "head", "options", "request"].contains(&&*p.sym));
            (verb || urlish()).then(|| object.sym.to_string())
        }
        _ => None,
    }
}

/// `require("x")`, `require(Runtime.getFunctions()["key"].path)`: the specifier.
fn required(expr: &Expr, folder: &Folder) -> Option<String> {
    let Expr::Call(call) = unparen(expr) else {
        return None;
    };
    let Callee::Expr(callee) = &call.callee else {
        return None;
    };
    if !matches!(&**callee, Expr::Ident(i) if i.sym == *"require") {
        return None;
    }
    let arg = &call.args.first()?.expr;
    if let Some(text) = folder.fold(arg) {
        return Some(text);
    }
    runtime_path(arg, folder)
}

/// `Runtime.getFunctions()["key"].path` → `functions:key`; `Runtime.getAssets()["/x.js"].path`
/// → `assets:/x.js`.
fn runtime_path(expr: &Expr, folder: &Folder) -> Option<String> {
    let Expr::Member(path) = unparen(expr) else {
        return None;
    };
    if !matches!(&path.prop, MemberProp::Ident(p) if p.sym == *"path") {
        return None;
    }
    let Expr::Member(entry) = unparen(&path.obj) else {
        return None;
    };
    let MemberProp::Computed(key) = &entry.prop else {
        return None;
    };
    let key = folder.fold(&key.expr)?;
    let Expr::Call(call) = unparen(&entry.obj) else {
        return None;
    };
    let Callee::Expr(callee) = &call.callee else {
        return None;
    };
    let Expr::Member(getter) = &**callee else {
        return None;
    };
    let is_runtime = matches!(&*getter.obj, Expr::Ident(i) if i.sym == *"Runtime");
    match &getter.prop {
        MemberProp::Ident(p) if is_runtime && p.sym == *"getFunctions" => {
            Some(format!("functions:{key}"))
        }
        MemberProp::Ident(p) if is_runtime && p.sym == *"getAssets" => {
            Some(format!("assets:{key}"))
        }
        _ => None,
    }
}

fn export_name(name: &ModuleExportName) -> String {
    match name {
        ModuleExportName::Ident(i) => i.sym.to_string(),
        ModuleExportName::Str(s) => s.value.to_string_lossy().into_owned(),
    }
}

/// `exports.x`, `module.exports.x` → `x`; `module.exports` → `default`.
fn exports_target(member: &MemberExpr) -> Option<String> {
    let is_module_exports = |e: &Expr| {
        matches!(e, Expr::Member(m)
            if matches!(&*m.obj, Expr::Ident(i) if i.sym == *"module")
            && matches!(&m.prop, MemberProp::Ident(p) if p.sym == *"exports"))
    };
    let prop = match &member.prop {
        MemberProp::Ident(p) => p.sym.to_string(),
        _ => return None,
    };
    match &*member.obj {
        Expr::Ident(i) if i.sym == *"exports" => Some(prop),
        Expr::Ident(i) if i.sym == *"module" && prop == "exports" => Some("default".into()),
        obj if is_module_exports(obj) => Some(prop),
        _ => None,
    }
}

impl Visit for Collector<'_, '_> {
    fn visit_import_decl(&mut self, import: &ImportDecl) {
        if import.type_only {
            return;
        }
        let specifier = import.src.value.to_string_lossy().into_owned();
        let line = self.line(import.span.lo);
        for spec in &import.specifiers {
            match spec {
                ImportSpecifier::Named(named) => {
                    let name = named
                        .imported
                        .as_ref()
                        .map(export_name)
                        .unwrap_or_else(|| named.local.sym.to_string());
                    self.import(
                        &named.local.sym,
                        specifier.clone(),
                        Imported::Named { name },
                        line,
                    );
                }
                ImportSpecifier::Default(default) => self.import(
                    &default.local.sym,
                    specifier.clone(),
                    Imported::Default,
                    line,
                ),
                ImportSpecifier::Namespace(ns) => {
                    self.import(&ns.local.sym, specifier.clone(), Imported::Namespace, line)
                }
            }
        }
    }

    fn visit_module_decl(&mut self, decl: &ModuleDecl) {
        let line = self.line(swc_common::Spanned::span(decl).lo);
        match decl {
            ModuleDecl::ExportDecl(export) => match &export.decl {
                Decl::Var(var) => {
                    for declarator in &var.decls {
                        if let (Pat::Ident(name), Some(init)) = (&declarator.name, &declarator.init)
                        {
                            let ident = Expr::Ident(name.id.clone());
                            let init = if self.requester(&ident).is_some() {
                                &ident
                            } else {
                                &**init
                            };
                            self.export(name.id.sym.to_string(), init, line);
                        }
                    }
                }
                Decl::Fn(function) => {
                    let range = self.range(function.function.span);
                    self.functions.insert(function.ident.sym.to_string(), range);
                    let name = function.ident.sym.to_string();
                    if let Some((requester, _)) = self.requesters.by_name.get(&name) {
                        let value = Value::Requester(requester.clone());
                        self.summary.exports.insert(name, Export { value, line });
                        decl.visit_children_with(self);
                        return;
                    }
                    self.exported_functions
                        .push((name.clone(), FunctionRef::Local(name), line));
                }
                _ => {}
            },
            ModuleDecl::ExportDefaultExpr(export) => {
                self.export("default".into(), &export.expr, line)
            }
            ModuleDecl::ExportDefaultDecl(export) => {
                if let DefaultDecl::Fn(function) = &export.decl {
                    let range = self.range(function.function.span);
                    self.exported_functions.push((
                        "default".into(),
                        FunctionRef::Range(range.0, range.1),
                        line,
                    ));
                }
            }
            ModuleDecl::ExportNamed(named) if named.src.is_none() => {
                for spec in &named.specifiers {
                    if let ExportSpecifier::Named(spec) = spec {
                        let local = export_name(&spec.orig);
                        let exported = spec
                            .exported
                            .as_ref()
                            .map(export_name)
                            .unwrap_or(local.clone());
                        let ident =
                            swc_ecma_ast::Ident::new_no_ctxt(local.into(), Default::default());
                        self.export(exported, &Expr::Ident(ident), line);
                    }
                }
            }
            ModuleDecl::ExportNamed(named) => {
                let Some(src) = &named.src else {
                    return;
                };
                let specifier = src.value.to_string_lossy().into_owned();
                if !followed(&specifier) {
                    return;
                }
                for spec in &named.specifiers {
                    let (imported, exported) = match spec {
                        ExportSpecifier::Named(spec) => {
                            let orig = export_name(&spec.orig);
                            let exported = spec.exported.as_ref().map(export_name);
                            let exported = exported.unwrap_or_else(|| orig.clone());
                            let imported = if orig == "default" {
                                Imported::Default
                            } else {
                                Imported::Named { name: orig }
                            };
                            (imported, exported)
                        }
                        ExportSpecifier::Namespace(ns) => {
                            (Imported::Namespace, export_name(&ns.name))
                        }
                        ExportSpecifier::Default(default) => {
                            (Imported::Default, default.exported.sym.to_string())
                        }
                    };
                    self.summary.reexports.push(Reexport {
                        specifier: specifier.clone(),
                        imported,
                        exported: Some(exported),
                        line,
                    });
                }
            }
            ModuleDecl::ExportAll(all) => {
                let specifier = all.src.value.to_string_lossy().into_owned();
                if followed(&specifier) {
                    self.summary.reexports.push(Reexport {
                        specifier,
                        imported: Imported::Namespace,
                        exported: None,
                        line,
                    });
                }
            }
            _ => {}
        }
        decl.visit_children_with(self);
    }

    fn visit_fn_decl(&mut self, function: &swc_ecma_ast::FnDecl) {
        let range = self.range(function.function.span);
        self.functions.insert(function.ident.sym.to_string(), range);
        function.visit_children_with(self);
    }

    fn visit_var_declarator(&mut self, declarator: &VarDeclarator) {
        if let Some(init) = &declarator.init {
            let line = self.line(declarator.span.lo);
            let init = unparen(init);
            // `const x = require("m")`, `const { a } = require("m")`, `const a = require("m").a`.
            if let Some(specifier) = required(init, self.folder) {
                self.require_binding(&declarator.name, specifier, None, line);
            } else if let Expr::Member(member) = init {
                if let (Some(specifier), MemberProp::Ident(prop)) =
                    (required(&member.obj, self.folder), &member.prop)
                {
                    let name = prop.sym.to_string();
                    self.require_binding(&declarator.name, specifier, Some(name), line);
                }
            }
            match (&declarator.name, init) {
                (Pat::Ident(name), Expr::Arrow(_) | Expr::Fn(_)) => {
                    let range = self.range(swc_common::Spanned::span(init));
                    self.functions.insert(name.id.sym.to_string(), range);
                }
                (Pat::Ident(name), Expr::Object(object)) => {
                    if let Some(value) = self.object_value(object, 0) {
                        self.local_values.insert(name.id.sym.to_string(), value);
                    }
                }
                _ => {}
            }
        }
        declarator.visit_children_with(self);
    }

    fn visit_assign_expr(&mut self, assign: &AssignExpr) {
        if let AssignTarget::Simple(SimpleAssignTarget::Member(member)) = &assign.left {
            if let Some(name) = exports_target(member) {
                let line = self.line(assign.span.lo);
                self.export(name, &assign.right, line);
            }
        }
        assign.visit_children_with(self);
    }

    fn visit_member_expr(&mut self, member: &MemberExpr) {
        if reaches_account(member) {
            self.account_at
                .push(member.span.lo.0.saturating_sub(self.base));
        }
        member.visit_children_with(self);
    }

    fn visit_call_expr(&mut self, call: &CallExpr) {
        if passes_context(call) {
            self.account_at
                .push(call.span.lo.0.saturating_sub(self.base));
        }
        if let Some(name) = request_like(call) {
            self.request_calls.push(name);
        } else if let (Some(Some(superclass)), true) =
            (self.superclasses.last(), calls_this_with_url(call))
        {
            self.request_calls.push(superclass.clone());
        }
        if let Callee::Expr(callee) = &call.callee {
            let at = call.span.lo.0.saturating_sub(self.base);
            match unparen(callee) {
                Expr::Ident(ident) => self.calls.push((ident.sym.to_string(), at)),
                Expr::Member(member) => {
                    if let MemberProp::Ident(prop) = &member.prop {
                        if prop.sym == *"functionValidator" {
                            self.calls.push((".functionValidator".into(), at));
                        } else if let Expr::Ident(obj) = &*member.obj {
                            // `helpers.prepareFlexFunction(…)`: through a namespace import.
                            self.calls.push((format!("{}.{}", obj.sym, prop.sym), at));
                            self.calls.push((obj.sym.to_string(), at));
                        }
                    }
                }
                _ => {}
            }
        }
        call.visit_children_with(self);
    }

    fn visit_lit(&mut self, _lit: &Lit) {}

    fn visit_class(&mut self, class: &swc_ecma_ast::Class) {
        let superclass = class.super_class.as_deref().and_then(|e| match unparen(e) {
            Expr::Ident(ident) => Some(ident.sym.to_string()),
            _ => None,
        });
        self.superclasses.push(superclass);
        class.visit_children_with(self);
        self.superclasses.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::{package_kind, PackageKind};

    fn imports_of(path: &str, source: &str, all_imports: bool) -> Vec<String> {
        let options = crate::Options {
            filename: Some(path.into()),
            summarize: true,
            all_imports,
            ..Default::default()
        };
        let summary = crate::scan(source, &options).summary.expect("asked for");
        summary.imports.into_iter().map(|i| i.local).collect()
    }

    fn needs_context(path: &str, source: &str) -> bool {
        let options = crate::Options {
            filename: Some(path.into()),
            summarize: true,
            ..Default::default()
        };
        crate::scan(source, &options)
            .summary
            .expect("asked for")
            .needs_context
    }

    #[test]
    fn a_subclass_that_requests_through_an_inherited_method_needs_its_context() {
        let service = "import ApiService from './ApiService';\n\
                       export class Notes extends ApiService { list() { return this.fetchJson(`${this.base}/notes/list`, {}); } }\n";
        assert!(needs_context("src/Notes.js", service));
        // A React component's own calls are no requests.
        let component = "import { Component } from 'react';\n\
                         export class Panel extends Component { toggle(prev) { this.setState(prev.open); this.select(a === b); } }\n";
        assert!(!needs_context("src/Panel.js", component));
    }

    #[test]
    fn a_file_that_needs_no_context_keeps_only_the_imports_its_exports_pass_on() {
        // A Functions helper: its wrapper validates through `validate`, imported; React is
        // nothing the project stage reads.
        let helper = "const { validate } = require(Runtime.getFunctions()['auth'].path);\n\
                      const React = require('react');\n\
                      exports.wrap = (fn) => (context, event, callback) => validate(fn)(context, event, callback);\n";
        assert_eq!(
            imports_of("functions/helper.js", helper, false),
            ["validate"]
        );
        assert_eq!(
            imports_of("functions/helper.js", helper, true),
            ["validate", "React"]
        );
        // A module whose request URL is imported needs its context: every import stays.
        let caller = "import { BASE } from './config';\nimport React from 'react';\nexport const load = () => fetch(`${BASE}/tasks`);\n";
        assert_eq!(imports_of("src/load.js", caller, false), ["BASE", "React"]);
    }

    #[test]
    fn package_kinds_by_dependencies() {
        let cases = [
            (
                r#"{"devDependencies":{"@twilio/flex-ui":"^2"},"dependencies":{"twilio-run":"^3"}}"#,
                Some(PackageKind::FlexPlugin),
            ),
            // A browser app that deploys Functions too is a browser app.
            (
                r#"{"dependencies":{"react-dom":"^18","react-scripts":"5"},"devDependencies":{"twilio-run":"^3"}}"#,
                Some(PackageKind::WebApp),
            ),
            // Twilio's voice quickstart: a server that serves the browser SDK to its pages.
            (
                r#"{"dependencies":{"express":"^4","twilio":"^5","@twilio/voice-sdk":"^2"}}"#,
                Some(PackageKind::NodeServer),
            ),
            (
                r#"{"dependencies":{"twilio-video":"^2"}}"#,
                Some(PackageKind::WebApp),
            ),
            (
                r#"{"devDependencies":{"twilio-run":"^3"}}"#,
                Some(PackageKind::Functions),
            ),
            (
                r#"{"dependencies":{"express":"^4","twilio":"^5"}}"#,
                Some(PackageKind::NodeServer),
            ),
            (
                r#"{"devDependencies":{"husky":"^9","prettier":"^3"}}"#,
                None,
            ),
            (
                "\u{feff}{\"dependencies\":{\"twilio\":\"^5\"}}",
                Some(PackageKind::NodeServer),
            ),
            ("[1, 2]", None),
            ("{ not json", None),
        ];
        for (manifest, expected) in cases {
            assert_eq!(package_kind(manifest), expected, "{manifest}");
        }
    }
}
