//! One walk over the AST that dispatches to every rule, then findings are positioned,
//! redacted, fingerprinted, sorted and deduplicated.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap, HashSet};

use swc_common::Spanned;
use swc_ecma_ast::{
    ArrowExpr, AssignExpr, BinaryOp, CallExpr, ClassProp, Constructor, ExportAll, Expr, Function,
    ImportDecl, JSXText, Lit, MemberExpr, NamedExport, NewExpr, ObjectLit, Str, TplElement,
    TsImportEqualsDecl, TsModuleRef, VarDeclarator,
};
use swc_ecma_visit::{Visit, VisitWith};

use crate::finding::{Diagnostic, Finding, Fix, Related, Report, Severity, Span};
use crate::fold::{folding_call, str_value, Consts, Folder};
use crate::kinds::{Kind, Part};
use crate::parse::{self, LineIndex};
use crate::redact::{fingerprint, legacy_fingerprints, mask_token_like, redact};
use crate::rules::RuleKind;
use crate::rules::{Rule, RuleMeta};
use crate::suppress::{self, Suppression};
use crate::Options;

/// Nesting deeper than this is not parsed (swc recurses per level); the file is scanned as text.
/// Measured in wasm on node's default ~1 MB native stack (wasm frames live there, not in the
/// 16 MiB shadow stack): nested `function(){return …}` trap at ~400 levels, arrows at ~700,
/// `(`, templates and JSX at ~1,100; 200 leaves room for the caller's own stack (webpack).
pub const MAX_NESTING: usize = 200;
/// Operator characters of one expression that count as one level of [`MAX_NESTING`]
/// (`!!!…` traps at ~4,700 levels; `a?b:…`, `typeof …` cost two characters a level).
const OPERATORS_PER_LEVEL: usize = 10;
/// Excerpt window: characters kept on each side of a finding on a long line.
const EXCERPT_CONTEXT: usize = 60;

/// A constant string the walk found: its value and where it was assembled.
pub struct StringSite<'a> {
    pub value: &'a str,
    pub span: Span,
    /// Source offset of `value[0]` when the value is spelled verbatim in the source (no escapes,
    /// no folding), so a match inside it can be located exactly.
    pub verbatim_at: Option<usize>,
}

impl StringSite<'_> {
    /// Where a part of the value sits in the source: exact when verbatim, else the whole site.
    pub fn span_of(&self, range: std::ops::Range<usize>) -> Span {
        match self.verbatim_at {
            Some(at) => Span::new(at + range.start, at + range.end),
            None => self.span,
        }
    }
}

struct Hit {
    rule: &'static RuleMeta,
    span: Span,
    message: String,
    help: String,
    /// The matched value: fingerprinted, and redacted in excerpts when `secret`.
    value: String,
    secret: bool,
    /// Not a finding: a credential the rule knows by its name alone, redacted in excerpts.
    mask_only: bool,
    /// The function scope the hit was reported in (see [`Ctx::report_if_paired`]).
    scope: u32,
    /// Kept only when a hit of one of these rules is in a visible scope.
    requires: &'static [&'static str],
    /// Found in a value folded from other expressions (a `+` run, a template with
    /// substitutions, a decoding call) rather than in a literal as written.
    derived: bool,
    /// Where parts of the finding were defined in other files.
    related: Vec<Related>,
    /// An edit that resolves it (see [`Ctx::report_when_with_fix`]).
    fix: Option<Edit>,
}

/// An edit a rule proposes for its finding: replace `span` (empty: insert) with `text`.
pub struct Edit {
    pub description: String,
    pub span: Span,
    pub text: String,
}

/// A static dependency on a module (see `Rule::check_module_source`).
pub struct ModuleSource<'a> {
    /// The module specifier as written (`"twilio"`, `"./util"`).
    pub specifier: std::borrow::Cow<'a, str>,
    /// The whole declaration.
    pub span: Span,
}

/// A condition on a deferred report, resolved after the walk against the rule's notes.
#[derive(Clone, Copy, Debug)]
pub enum When {
    /// The rule did not note `fact` at a position inside the span.
    NotNotedWithin(&'static str, Span),
    /// The rule did not note `fact` anywhere in the file.
    NotNoted(&'static str),
    /// The rule noted `fact` somewhere in the file.
    Noted(&'static str),
    /// The rule did not note both facts in the file (one, or neither, is fine).
    NotBoth(&'static str, &'static str),
}

/// Scope of hits that pair with nothing (comments).
const NO_SCOPE: u32 = u32::MAX;

/// What a rule sees of the file while it is being walked, and where it reports.
pub struct Ctx<'a> {
    folder: Folder<'a>,
    /// The scanned text (spans index it).
    source: &'a str,
    base: u32,
    rule: &'static RuleMeta,
    hits: Vec<Hit>,
    /// Parent of each function scope; scope 0 is the file.
    scopes: Vec<u32>,
    scope: u32,
    /// Set while the walk reports a folded (derived) string site.
    derived: bool,
    file: &'a str,
    /// Facts rules noted during the walk, per rule, with the start offsets where they were seen.
    notes: BTreeMap<(&'static str, &'static str), Vec<u32>>,
    /// Reports whose conditions are resolved once the whole file has been walked.
    deferred: Vec<(Vec<When>, Hit)>,
    options: &'a Options,
    /// Set by a hook's default (empty) implementation: the walk stops calling it.
    hook_unused: bool,
    /// Spans of the functions the walk is inside, innermost last.
    functions: Vec<Span>,
    /// Project values the current hook looked up, for the `related` of what it reports.
    used: RefCell<Vec<Related>>,
    /// Set when a check met a name only the project can resolve (an imported wrapper, a URL
    /// without a host here): the file is worth linting again with its context.
    needs_context: Cell<bool>,
    /// The env variable the current hook read a project value of: messages name it, never
    /// show its value.
    env_used: RefCell<Option<String>>,
    /// Where the file runs (resolved once: configured globs are matched per call otherwise).
    runtime: crate::Runtime,
    /// Client instances and request helpers the file defines (plugin code only).
    requesters: crate::http::Requesters,
    /// Requests that may reach a Twilio Function, by URL path, at the call's span: noted in
    /// browser code linted for a project, which pairs them with the Functions they call.
    function_calls: Option<Vec<(Span, CallTarget)>>,
    /// Whether the file's Function handler is open to anyone, once a rule judged it (see
    /// `Report::open_handler`), and the deferred reports whose outcome decides it.
    open_handler: Option<bool>,
    handler_reports: Vec<(usize, &'static str)>,
    /// Deferred reports that go to `held` when their conditions hold (see `hold_last_report`).
    held_reports: Vec<usize>,
    /// Handler reports that failed only on their `undecided` fact, and held reports whose
    /// conditions hold (see `Report::held`).
    held: Vec<Hit>,
}

/// Where a request may reach a Function: a URL path, or (with an empty path) the env variable
/// that holds the whole URL.
type CallTarget = (String, Option<String>);

impl<'a> Ctx<'a> {
    fn new(
        folder: Folder<'a>,
        source: &'a str,
        base: u32,
        file: &'a str,
        options: &'a Options,
        runtime: crate::Runtime,
    ) -> Self {
        Ctx {
            options,
            folder,
            source,
            base,
            rule: crate::rules::ALL[0].meta(),
            hits: Vec::new(),
            scopes: vec![0],
            scope: 0,
            derived: false,
            file,
            notes: BTreeMap::new(),
            deferred: Vec::new(),
            hook_unused: false,
            functions: Vec::new(),
            used: RefCell::new(Vec::new()),
            needs_context: Cell::new(false),
            env_used: RefCell::new(None),
            runtime,
            requesters: crate::http::Requesters::default(),
            function_calls: (matches!(runtime, crate::Runtime::Plugin | crate::Runtime::Asset)
                && options.for_project())
            .then(Vec::new),
            open_handler: None,
            handler_reports: Vec::new(),
            held_reports: Vec::new(),
            held: Vec::new(),
        }
    }

    /// Where a request may reach a Function of the repository: its URL's path, or else the env
    /// variable its whole URL comes from.
    fn function_call_target(
        &self,
        request: &crate::http::Request,
    ) -> Option<(String, Option<String>)> {
        match crate::http::function_target(self, request) {
            Some(path) => Some((path, None)),
            None => crate::http::url_variable(self, request).map(|v| (String::new(), Some(v))),
        }
    }

    fn note_function_call(
        &mut self,
        span: swc_common::Span,
        target: Option<(String, Option<String>)>,
    ) {
        let span = self.span(span);
        if let (Some(calls), Some(target)) = (&mut self.function_calls, target) {
            calls.push((span, target));
        }
    }

    /// True when the file's requests that may reach a Function are noted for pairing (browser
    /// code linted for a project).
    pub fn pairs_function_calls(&self) -> bool {
        self.function_calls.is_some()
    }

    /// The client instances and request helpers this file defines.
    pub fn requesters(&self) -> &crate::http::Requesters {
        &self.requesters
    }

    /// The innermost function around the node being checked (the whole file at top level).
    pub fn enclosing_function(&self) -> Span {
        self.functions.last().copied().unwrap_or(Span {
            start: 0,
            end: u32::MAX,
        })
    }

    /// Called by the `Rule` trait's default hooks only.
    pub fn hook_unused(&mut self) {
        self.hook_unused = true;
    }

    /// The configured Twilio Function host names beyond `*.twil.io`.
    pub fn function_domains(&self) -> &[String] {
        &self.options.function_domains
    }

    /// The file name being scanned (`<input>` when none was given).
    /// What a name of this file stands for across the project (see `project`).
    /// A finding reported by the same hook names it as related.
    pub fn imported(&self, name: &str) -> Option<&crate::project::Resolved> {
        let resolved = self.options.context.get(name)?;
        let what = match &resolved.value {
            crate::summary::Value::Url { .. } => format!("URL `{name}` is defined here"),
            crate::summary::Value::Object { .. } => format!("`{name}` is defined here"),
            crate::summary::Value::Wrapper {
                validates: true, ..
            } => {
                format!("`{name}` is defined here, and applies the Flex token validator")
            }
            crate::summary::Value::Wrapper { .. } => {
                format!("`{name}` is defined here, and does not validate the Flex token")
            }
            crate::summary::Value::Requester(requester) if requester.auth => {
                format!("`{name}` is defined here, and adds the credentials to its requests")
            }
            crate::summary::Value::Requester(_) => {
                format!("`{name}` is defined here, and sends the request")
            }
        };
        let (file, line) = resolved
            .from
            .rsplit_once(':')
            .unwrap_or((&resolved.from, "1"));
        let related = Related {
            message: what,
            file: file.to_string(),
            line: line.parse().unwrap_or(1),
        };
        let mut used = self.used.borrow_mut();
        if !used.contains(&related) {
            used.push(related);
        }
        if name.starts_with("process.env.") {
            *self.env_used.borrow_mut() = Some(name.to_string());
        }
        Some(resolved)
    }

    /// How a message names a host: by the env variable it came from when the current hook read
    /// one from the project's `.env` files (values from there are never shown), else as is.
    pub fn shown_host(&self, host: &str) -> String {
        if let Some(name) = self.env_used.borrow().clone() {
            return name;
        }
        // A Functions host known only by its variable's name (`https://${process.env.X}`) reads
        // as that variable.
        match crate::http::functions_variable(host) {
            Some(name) => format!("process.env.{name}"),
            None => host.to_string(),
        }
    }

    /// Record that a check could not finish without the project (see `FileSummary::needs_context`).
    pub fn needs_context(&self) {
        self.needs_context.set(true);
    }

    /// Where the scanned file runs.
    pub fn runtime(&self) -> crate::Runtime {
        self.runtime
    }

    pub fn file(&self) -> &str {
        self.file
    }

    /// The object literal a local name holds where it is used at `at`: its last declaration
    /// in the innermost enclosing function, before `at` (see `Consts::local_object`).
    pub fn local_object(
        &self,
        name: &swc_atoms::Atom,
        at: swc_common::BytePos,
    ) -> Option<&crate::fold::LocalObject> {
        let from = self.functions.last().map_or(0, |f| f.start + self.base);
        self.folder.consts.local_object(name, from, at.0)
    }

    /// Whether `name` is a function parameter somewhere in the file.
    pub fn is_param(&self, name: &swc_atoms::Atom) -> bool {
        self.folder.consts.is_param(name)
    }

    /// The folder of this file.
    pub fn folder(&self) -> &Folder<'a> {
        &self.folder
    }

    /// The initialiser of an unambiguous binding that may fold, if any.
    pub fn binding(&self, name: &swc_atoms::Atom) -> Option<&Expr> {
        self.folder.binding(name)
    }

    /// Every initialiser of a name that may hold a URL (see `Consts::url_declarations`).
    pub fn url_declarations(&self, name: &swc_atoms::Atom) -> &[Expr] {
        self.folder.consts.url_declarations(name)
    }

    /// The initialiser of the class field `name` (`this.name`, `Class.name`), if one class has it.
    pub fn field(&self, name: &swc_atoms::Atom) -> Option<&Expr> {
        self.folder.consts.field(name)
    }

    /// Record that the current rule saw `fact` at `span` (queried by deferred reports).
    pub fn note(&mut self, fact: &'static str, span: Span) {
        self.notes
            .entry((self.rule.id, fact))
            .or_default()
            .push(span.start);
    }

    /// True when the current rule noted `fact` at `span`'s start.
    pub fn noted_at(&self, fact: &'static str, span: Span) -> bool {
        self.notes
            .get(&(self.rule.id, fact))
            .is_some_and(|starts| starts.contains(&span.start))
    }

    /// Report a finding of the current rule once the walk is over, if every condition holds
    /// (for facts that may be seen before or after the reporting node).
    pub fn report_when(
        &mut self,
        when: Vec<When>,
        span: Span,
        message: String,
        help: &str,
        value: &str,
        secret: bool,
    ) {
        let start = self.hits.len();
        self.report(span, message, help, value, secret);
        if let Some(hit) = self.hits.pop() {
            debug_assert_eq!(self.hits.len(), start);
            self.deferred.push((when, hit));
        }
    }

    /// The file's Function handler is safe to call without the Flex user token (it validates
    /// it, or only Twilio can call it): the project pairs the handler's callers with that.
    pub fn judge_handler_safe(&mut self) {
        self.open_handler.get_or_insert(false);
    }

    /// Like [`Ctx::report_when`], for the finding that says the file's Function handler is open
    /// to anyone: whether its conditions hold is also the handler's verdict, unless the rule
    /// noted `undecided` (a reason not to flag that says nothing about who may call it).
    pub fn report_open_handler_when(
        &mut self,
        when: Vec<When>,
        span: Span,
        message: String,
        help: &str,
        value: &str,
        undecided: &'static str,
    ) {
        let at = self.deferred.len();
        self.report_when(when, span, message, help, value, false);
        if self.deferred.len() > at {
            self.handler_reports.push((at, undecided));
        }
    }

    /// Make the report just deferred a held one: when its conditions hold it goes to
    /// `Report::held`, where the project stage's pairing may release it (a request to a host
    /// the file does not name as a Functions host, which reaches a Function of the repository).
    /// Outside a project it is dropped.
    pub fn hold_last_report(&mut self) {
        if let Some(last) = self.deferred.len().checked_sub(1) {
            self.held_reports.push(last);
        }
    }

    /// Like [`Ctx::report_when`], with an edit that resolves the finding (see `Finding::fix`).
    #[allow(clippy::too_many_arguments)]
    pub fn report_when_with_fix(
        &mut self,
        when: Vec<When>,
        span: Span,
        message: String,
        help: &str,
        value: &str,
        secret: bool,
        fix: Option<Edit>,
    ) {
        self.report_when(when, span, message, help, value, secret);
        if let Some((_, hit)) = self.deferred.last_mut() {
            hit.fix = fix;
        }
    }

    /// The scanned text of `span` (empty when the span is outside it).
    pub fn text(&self, span: Span) -> &str {
        self.source.get(span.range()).unwrap_or("")
    }

    /// The outermost function around the node being checked (the whole file at top level):
    /// the names visible to its closures are declared or used there.
    pub fn outermost_function(&self) -> Span {
        self.functions
            .first()
            .copied()
            .unwrap_or(Span::new(0, self.source.len()))
    }

    /// Move the deferred reports whose conditions hold into the hits.
    fn resolve_deferred(&mut self) {
        for starts in self.notes.values_mut() {
            starts.sort_unstable();
        }
        for (index, (when, hit)) in std::mem::take(&mut self.deferred).into_iter().enumerate() {
            let noted = |fact: &'static str| self.notes.get(&(hit.rule.id, fact));
            let condition_holds = |w: &When| match *w {
                When::NotNotedWithin(fact, scope) => noted(fact).is_none_or(|starts| {
                    let i = starts.partition_point(|&s| s < scope.start);
                    starts.get(i).is_none_or(|&s| s >= scope.end)
                }),
                When::NotNoted(fact) => noted(fact).is_none(),
                When::Noted(fact) => noted(fact).is_some(),
                When::NotBoth(a, b) => noted(a).is_none() || noted(b).is_none(),
            };
            let holds = when.iter().all(condition_holds);
            if let Some(&(_, undecided)) = self.handler_reports.iter().find(|(i, _)| *i == index) {
                if noted(undecided).is_none() {
                    self.open_handler = Some(holds || self.open_handler == Some(true));
                } else if when
                    .iter()
                    .filter(|w| !matches!(w, When::NotNoted(fact) if *fact == undecided))
                    .all(condition_holds)
                {
                    self.held.push(hit);
                    continue;
                }
            }
            if holds && self.held_reports.contains(&index) {
                self.held.push(hit);
            } else if holds {
                self.hits.push(hit);
            }
        }
    }

    /// The constant string `expr` evaluates to, if the file determines it.
    pub fn fold(&self, expr: &Expr) -> Option<String> {
        self.folder.fold(expr)
    }

    /// The constant string `expr` evaluates to and where it is assembled: through `const`
    /// names to the initialiser, so one constant used in several places is reported once.
    pub fn fold_at(&self, expr: &Expr) -> Option<(String, Span)> {
        let value = self.folder.fold(expr)?;
        Some((value, self.span(self.folder.origin(expr).span())))
    }

    /// Convert an swc span.
    pub fn span(&self, span: swc_common::Span) -> Span {
        Span {
            start: span.lo.0.saturating_sub(self.base),
            end: span.hi.0.saturating_sub(self.base),
        }
    }

    /// Report a finding of the current rule. `value` identifies it (fingerprint); when `secret`,
    /// it is a credential and is redacted wherever it would appear.
    pub fn report(&mut self, span: Span, message: String, help: &str, value: &str, secret: bool) {
        self.report_if_paired(span, message, help, value, secret, &[]);
    }

    /// Like [`Ctx::report`], but the finding is kept only when the file also has a finding of
    /// one of the `with` rules in a visible scope: the same function, or one enclosing the
    /// other (the file's top level encloses everything). `&[]` means unconditionally.
    pub fn report_if_paired(
        &mut self,
        span: Span,
        message: String,
        help: &str,
        value: &str,
        secret: bool,
        with: &'static [&'static str],
    ) {
        self.hits.push(Hit {
            rule: self.rule,
            span,
            message,
            help: help.to_string(),
            value: value.to_string(),
            secret,
            mask_only: false,
            scope: self.scope,
            requires: with,
            derived: self.derived,
            related: self.used.take(),
            fix: None,
        });
    }

    /// A value that is a credential by its name (`process.env.FLEX_APP_AUTH_TOKEN = "…"`) but
    /// is no finding of its own: every excerpt that shows it shows it redacted.
    pub fn mask(&mut self, span: Span, value: &str) {
        self.hits.push(Hit {
            rule: self.rule,
            span,
            message: String::new(),
            help: String::new(),
            value: value.to_string(),
            secret: true,
            mask_only: true,
            scope: self.scope,
            requires: &[],
            derived: false,
            related: Vec::new(),
            fix: None,
        });
    }

    fn report_shape(&mut self, rule: &'static dyn Rule, span: Span, value: &str) {
        let meta = rule.meta();
        let message = rule.describe_shape(value).unwrap_or_else(|| {
            let what = meta.summary();
            format!("{}: {}", what.trim_end_matches('.'), redact(value))
        });
        self.hits.push(Hit {
            rule: meta,
            span,
            message,
            help: "Remove it from plugin code and rotate it if it was ever committed or shipped; keep credentials in a Twilio Function's environment.".to_string(),
            value: value.to_string(),
            secret: true,
            mask_only: false,
            scope: self.scope,
            requires: &[],
            derived: self.derived,
            related: Vec::new(),
            fix: None,
        });
    }

    /// Search the whole text for shapes (text-only scans, and data kinds whose comments and
    /// values are not all in the tree).
    fn scan_whole_text(&mut self, shapes: &[ShapeRule]) {
        let source = self.source;
        self.scan_shapes(
            shapes,
            &StringSite {
                value: source,
                span: Span::new(0, source.len()),
                verbatim_at: Some(0),
            },
        );
    }

    fn scan_shapes(&mut self, shapes: &[ShapeRule], site: &StringSite) {
        for (rule, shape) in shapes {
            for (range, value) in shape.find_in(site.value) {
                self.report_shape(*rule, site.span_of(range), value);
            }
        }
    }
}

/// A rule with a credential shape, and that shape's matcher (built once per file).
type ShapeRule = (&'static dyn Rule, crate::rules::shapes::Matcher<'static>);

/// The rule hooks the walk calls, one list of rules per hook.
#[derive(Clone, Copy)]
enum Hook {
    String,
    Call,
    New,
    ModuleSource,
    Member,
    VarDeclarator,
    Object,
    Assign,
    ClassProp,
}
const HOOKS: usize = Hook::ClassProp as usize + 1;

struct Walker<'c, 'a> {
    ctx: &'c mut Ctx<'a>,
    /// Per hook, the rules that implement it (as far as the walk has found out: all rules at
    /// first, then a rule is dropped the first time its default hook runs).
    hooks: [Vec<&'static dyn Rule>; HOOKS],
    shapes: &'c [ShapeRule],
}

impl<'c, 'a> Walker<'c, 'a> {
    fn new(ctx: &'c mut Ctx<'a>, rules: &[&'static dyn Rule], shapes: &'c [ShapeRule]) -> Self {
        Walker {
            ctx,
            hooks: std::array::from_fn(|_| rules.to_vec()),
            shapes,
        }
    }

    /// Call `hook` of every rule that implements it.
    fn dispatch(&mut self, hook: Hook, mut call: impl FnMut(&dyn Rule, &mut Ctx)) {
        let rules = &mut self.hooks[hook as usize];
        let mut i = 0;
        while let Some(&rule) = rules.get(i) {
            self.ctx.rule = rule.meta();
            self.ctx.hook_unused = false;
            self.ctx.used.borrow_mut().clear();
            self.ctx.env_used.borrow_mut().take();
            call(rule, self.ctx);
            if self.ctx.hook_unused {
                rules.remove(i);
            } else {
                i += 1;
            }
        }
    }

    fn string(&mut self, site: StringSite) {
        self.ctx.scan_shapes(self.shapes, &site);
        self.dispatch(Hook::String, |rule, ctx| rule.check_string(ctx, &site));
    }

    /// `a + b + c`: each maximal run of constant operands is one string site; the rest is walked.
    fn concat_chain(&mut self, expr: &Expr) {
        let operands = crate::fold::add_operands(expr);

        let mut run: Option<(String, Span)> = None;
        for operand in operands {
            match self.ctx.fold(operand) {
                Some(value) => {
                    self.visit_encoder_input(operand);
                    let span = self.ctx.span(operand.span());
                    match &mut run {
                        Some((text, run_span)) => {
                            text.push_str(&value);
                            run_span.end = span.end;
                        }
                        None => run = Some((value, span)),
                    }
                }
                None => {
                    self.flush_run(run.take());
                    operand.visit_with(self);
                }
            }
        }
        self.flush_run(run);
    }

    /// Walk `f` inside a new function scope.
    fn in_scope(&mut self, span: swc_common::Span, f: impl FnOnce(&mut Self)) {
        let outer = self.ctx.scope;
        self.ctx.scope = self.ctx.scopes.len() as u32;
        self.ctx.scopes.push(outer);
        let span = self.ctx.span(span);
        self.ctx.functions.push(span);
        f(self);
        self.ctx.functions.pop();
        self.ctx.scope = outer;
    }

    /// `btoa(x)` folds to base64, but `x` is the readable value: walk it too. (A secret seen
    /// both ways is reported once: `finish` keeps the innermost of nested same-value hits.)
    fn visit_encoder_input(&mut self, expr: &Expr) {
        if let Expr::Call(call) = expr {
            if folding_call(call) == Some("btoa") {
                call.args.visit_with(self);
            }
        }
    }

    fn module_source(&mut self, src: &Str, span: swc_common::Span) {
        let source = ModuleSource {
            specifier: str_value(src),
            span: self.ctx.span(span),
        };
        self.dispatch(Hook::ModuleSource, |rule, ctx| {
            rule.check_module_source(ctx, &source)
        });
    }

    fn call_hooks(&mut self, call: &CallExpr) {
        self.dispatch(Hook::Call, |rule, ctx| rule.check_call(ctx, call));
        if self.ctx.function_calls.is_some() {
            let target = match crate::http::from_call(call) {
                Some(request) => self.ctx.function_call_target(&request),
                None => crate::http::via_requester(self.ctx, call)
                    .and_then(|via| self.ctx.function_call_target(&via.request())),
            };
            self.ctx.note_function_call(call.span, target);
        }
    }

    /// A string site assembled from other expressions.
    fn derived_string(&mut self, site: StringSite) {
        self.ctx.derived = true;
        self.string(site);
        self.ctx.derived = false;
    }

    fn flush_run(&mut self, run: Option<(String, Span)>) {
        if let Some((value, span)) = run {
            self.derived_string(StringSite {
                value: &value,
                span,
                verbatim_at: None,
            });
        }
    }
}

impl Visit for Walker<'_, '_> {
    fn visit_expr(&mut self, expr: &Expr) {
        match expr {
            Expr::Bin(bin) if bin.op == BinaryOp::Add => self.concat_chain(expr),
            Expr::Tpl(tpl) if !tpl.exprs.is_empty() => match self.ctx.fold(expr) {
                Some(value) => self.derived_string(StringSite {
                    value: &value,
                    span: self.ctx.span(tpl.span),
                    verbatim_at: None,
                }),
                None => expr.visit_children_with(self),
            },
            // `atob(…)`, `[…].join("")`, `String.fromCharCode(…)`…: one site for the whole call;
            // its parts are not reported again.
            Expr::Call(call) if folding_call(call).is_some() => match self.ctx.fold(expr) {
                Some(value) => {
                    self.derived_string(StringSite {
                        value: &value,
                        span: self.ctx.span(call.span),
                        verbatim_at: None,
                    });
                    self.call_hooks(call);
                    self.visit_encoder_input(expr);
                }
                None => expr.visit_children_with(self),
            },
            _ => expr.visit_children_with(self),
        }
    }

    fn visit_str(&mut self, s: &Str) {
        let value = str_value(s);
        let span = self.ctx.span(s.span);
        // Verbatim when the literal's raw text is the value between its quotes.
        let verbatim_at = s
            .raw
            .as_ref()
            .filter(|raw| raw.len() == value.len() + 2 && raw[1..raw.len() - 1] == *value)
            .map(|_| span.start as usize + 1);
        self.string(StringSite {
            value: &value,
            span,
            verbatim_at,
        });
    }

    fn visit_tpl_element(&mut self, element: &TplElement) {
        let span = self.ctx.span(element.span);
        if let Some(cooked) = &element.cooked {
            let value = cooked.to_string_lossy();
            let verbatim_at = (element.raw.as_str() == &*value).then_some(span.start as usize);
            self.string(StringSite {
                value: &value,
                span,
                verbatim_at,
            });
        }
    }

    fn visit_jsx_text(&mut self, text: &JSXText) {
        let span = self.ctx.span(text.span);
        let value = text.value.to_string_lossy();
        self.string(StringSite {
            value: &value,
            span,
            verbatim_at: Some(span.start as usize),
        });
    }

    fn visit_call_expr(&mut self, call: &CallExpr) {
        self.call_hooks(call);
        call.visit_children_with(self);
    }

    fn visit_import_decl(&mut self, import: &ImportDecl) {
        if !import.type_only {
            self.module_source(&import.src, import.span);
        }
        import.visit_children_with(self);
    }

    fn visit_named_export(&mut self, export: &NamedExport) {
        if let Some(src) = export.src.as_deref().filter(|_| !export.type_only) {
            self.module_source(src, export.span);
        }
        export.visit_children_with(self);
    }

    fn visit_export_all(&mut self, export: &ExportAll) {
        if !export.type_only {
            self.module_source(&export.src, export.span);
        }
        export.visit_children_with(self);
    }

    fn visit_ts_import_equals_decl(&mut self, import: &TsImportEqualsDecl) {
        if let TsModuleRef::TsExternalModuleRef(external) = &import.module_ref {
            if !import.is_type_only {
                self.module_source(&external.expr, import.span);
            }
        }
        import.visit_children_with(self);
    }

    fn visit_member_expr(&mut self, member: &MemberExpr) {
        self.dispatch(Hook::Member, |rule, ctx| rule.check_member(ctx, member));
        member.visit_children_with(self);
    }

    fn visit_var_declarator(&mut self, declarator: &VarDeclarator) {
        self.dispatch(Hook::VarDeclarator, |rule, ctx| {
            rule.check_var_declarator(ctx, declarator)
        });
        declarator.visit_children_with(self);
    }

    fn visit_object_lit(&mut self, object: &ObjectLit) {
        self.dispatch(Hook::Object, |rule, ctx| rule.check_object(ctx, object));
        object.visit_children_with(self);
    }

    fn visit_assign_expr(&mut self, assign: &AssignExpr) {
        self.dispatch(Hook::Assign, |rule, ctx| rule.check_assign(ctx, assign));
        assign.visit_children_with(self);
    }

    fn visit_class_prop(&mut self, prop: &ClassProp) {
        self.dispatch(Hook::ClassProp, |rule, ctx| {
            rule.check_class_prop(ctx, prop)
        });
        prop.visit_children_with(self);
    }

    fn visit_function(&mut self, function: &Function) {
        self.in_scope(function.span, |walker| function.visit_children_with(walker));
    }

    fn visit_arrow_expr(&mut self, arrow: &ArrowExpr) {
        self.in_scope(arrow.span, |walker| arrow.visit_children_with(walker));
    }

    fn visit_constructor(&mut self, constructor: &Constructor) {
        self.in_scope(constructor.span, |walker| {
            constructor.visit_children_with(walker)
        });
    }

    fn visit_new_expr(&mut self, new: &NewExpr) {
        self.dispatch(Hook::New, |rule, ctx| rule.check_new(ctx, new));
        if self.ctx.function_calls.is_some() {
            let target = crate::http::from_new(new)
                .and_then(|request| self.ctx.function_call_target(&request));
            self.ctx.note_function_call(new.span, target);
        }
        new.visit_children_with(self);
    }

    fn visit_lit(&mut self, lit: &Lit) {
        // Numbers, regexes and the like hold no strings worth scanning; `Str` is visited above.
        if let Lit::Str(s) = lit {
            self.visit_str(s);
        }
    }
}

/// How deeply swc would recurse on this text, estimated without parsing (an over-estimate for
/// ordinary code). swc's parser, our walk and the AST's drop recurse once per level, and not only
/// for brackets: JSX elements and TypeScript `<T>` assertions nest without one (and the latter
/// back-track: quadratic), and so do operator chains (`!!!…`, `a=>a=>…`, `a?b:a?b:…`,
/// `"a"+"a"+…`). The estimate is the largest of
/// - bracket depth (`(`, `[`, `{`, and `${` in templates) plus angle depth (`<` before a name or
///   `>`, closed by `</` or `/>`, reset at `;` so that comparisons do not add up) plus the arrows
///   of one expression (`a=>b=>…`; since the last `;`, `,`, `{` or `}`) plus statement nesting:
///   the `else` branches of an if/else-if chain (each `else if` is a level) and braceless
///   bodies (`if(a)for(;;)while(b)…`, since the last `;`, `{` or `}`);
/// - the operator characters, `.`, `(` and `[` of one expression (since the last `;`, `,`, `{`
///   or `}`), keyword operators (`typeof`, `new`, `await`, …) counting two, divided by
///   [`OPERATORS_PER_LEVEL`]: chains like `a.b.b…`, `f()()…`, `new new …` nest as well.
///
/// String and comment contents count for nothing, so inline data (base64 images) is not depth.
pub fn nesting_estimate(source: &str) -> usize {
    let bytes = source.as_bytes();
    let (mut brackets, mut angles, mut operators, mut arrows, mut max) = (0usize, 0usize, 0, 0, 0);
    // Statement nesting: `else` branches of one if/else-if chain, by bracket depth (each
    // `else if` is a level deeper), and braceless bodies (`if(a)for(;;)while(b)…`).
    let mut else_chains: Vec<usize> = Vec::new();
    let (mut elses, mut bodies, mut parens, mut after_else) = (0usize, 0usize, 0usize, usize::MAX);
    // Bracket depths at which a template's `${` was opened: its `}` resumes the template text.
    let mut templates: Vec<usize> = Vec::new();
    let mut i = 0;
    // Skip a template's text from `i` (after the opening backtick or the `}` of a `${…}`).
    let skip_template = |mut i: usize, templates: &mut Vec<usize>, brackets: &mut usize| {
        while i < bytes.len() {
            match bytes[i] {
                b'\\' => i += 1,
                b'`' => return i + 1,
                b'$' if bytes.get(i + 1) == Some(&b'{') => {
                    *brackets += 1;
                    templates.push(*brackets);
                    return i + 2;
                }
                _ => {}
            }
            i += 1;
        }
        i
    };
    while i < bytes.len() {
        let b = bytes[i];
        i += 1;
        match b {
            // To the closing quote, skipping escapes; a line break ends it too.
            b'\'' | b'"' => {
                loop {
                    let Some(found) = memchr::memchr3(b, b'\\', b'\n', &bytes[i..]) else {
                        i = bytes.len();
                        break;
                    };
                    if let Some(cr) = memchr::memchr(b'\r', &bytes[i..i + found]) {
                        i += cr + 1;
                        break;
                    }
                    i += found;
                    if bytes[i] == b'\\' {
                        i = (i + 2).min(bytes.len());
                        continue;
                    }
                    i += 1;
                    break;
                }
                continue;
            }
            b'/' if bytes.get(i) == Some(&b'/') => {
                i += memchr::memchr2(b'\n', b'\r', &bytes[i..]).unwrap_or(bytes.len() - i);
                continue;
            }
            b'/' if bytes.get(i) == Some(&b'*') => {
                i = memchr::memmem::find(&bytes[i + 1..], b"*/")
                    .map_or(bytes.len(), |end| i + 1 + end + 2);
                continue;
            }
            b'`' => i = skip_template(i, &mut templates, &mut brackets),
            b'(' | b'[' => {
                brackets += 1;
                operators += 1;
                parens += 1;
            }
            b'{' => {
                brackets += 1;
                operators = 0;
                arrows = 0;
                bodies = 0;
                parens = 0;
            }
            b'}' if templates.last() == Some(&brackets) => {
                templates.pop();
                brackets -= 1;
                i = skip_template(i, &mut templates, &mut brackets);
            }
            b')' | b']' => {
                brackets = brackets.saturating_sub(1);
                parens = parens.saturating_sub(1);
            }
            b'}' => {
                brackets = brackets.saturating_sub(1);
                operators = 0;
                arrows = 0;
                bodies = 0;
                parens = 0;
                // Chains inside the closed block are over.
                while else_chains.len() > brackets + 1 {
                    elses -= else_chains.pop().unwrap_or(0);
                }
            }
            b';' => {
                angles = 0;
                operators = 0;
                arrows = 0;
                if parens == 0 {
                    bodies = 0;
                }
            }
            b',' => {
                operators = 0;
                arrows = 0;
            }
            b'=' if bytes.get(i) == Some(&b'>') => {
                arrows += 1;
                operators += 2;
                i += 1;
            }
            b'<' if bytes.get(i) == Some(&b'/') => angles = angles.saturating_sub(1),
            b'<' if bytes.get(i).is_some_and(|&c| {
                c == b'>' || c == b'_' || c == b'$' || c.is_ascii_alphabetic()
            }) =>
            {
                angles += 1;
                operators += 1;
            }
            b'/' if bytes.get(i) == Some(&b'>') => angles = angles.saturating_sub(1),
            b'a'..=b'z' | b'A'..=b'Z' | b'_' | b'$' => {
                let word = i - 1;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                match &bytes[word..i] {
                    // Keyword operators nest like `!`: `typeof typeof …`, `new new …`.
                    b"typeof" | b"void" | b"delete" | b"await" | b"new" | b"yield" => {
                        operators += 2
                    }
                    b"else" => {
                        if else_chains.len() <= brackets {
                            else_chains.resize(brackets + 1, 0);
                        }
                        else_chains[brackets] += 1;
                        elses += 1;
                        bodies += 1;
                        after_else = i;
                    }
                    b"if" => {
                        // An `if` that is not an `else if` starts a new chain at this depth.
                        let chained = after_else <= word
                            && bytes[after_else..word].iter().all(u8::is_ascii_whitespace);
                        if !chained && brackets < else_chains.len() {
                            elses -= std::mem::take(&mut else_chains[brackets]);
                        }
                        bodies += 1;
                    }
                    b"for" | b"while" | b"with" | b"do" => bodies += 1,
                    _ => continue,
                }
            }
            b'!' | b'~' | b'?' | b':' | b'=' | b'+' | b'-' | b'*' | b'/' | b'%' | b'&' | b'|'
            | b'^' | b'<' | b'>' | b'.' => operators += 1,
            // Whitespace, digits, the rest: no level changes (and no maximum to update).
            _ => continue,
        }
        max = max
            .max(brackets + angles + arrows + elses + bodies)
            .max(operators / OPERATORS_PER_LEVEL);
    }
    max
}

/// Where the text may hold a JSX namespaced name followed by a member (`<a:b.c`, `</a:b.c`),
/// on which swc_ecma_parser 47 panics (`unreachable!` in `parser/jsx.rs`: a wasm trap, found by
/// fuzzing). Deliberately loose (minified `c?e<t:n.length` matches too): such a file is parsed
/// with JSX off, which cannot reach that panic and is right for every bundle. One pass over the
/// `<` bytes; a regex here cost a third of the engine's time on minified code.
fn jsx_namespaced_member(source: &str) -> Option<usize> {
    let bytes = source.as_bytes();
    // Whitespace (Unicode too) and comments: swc allows both between the parts of a tag name.
    let skip_space = |mut i: usize| loop {
        match bytes.get(i) {
            Some(b) if b.is_ascii_whitespace() => i += 1,
            Some(b'/') if bytes.get(i + 1) == Some(&b'/') => {
                i += memchr::memchr2(b'\n', b'\r', &bytes[i..]).unwrap_or(bytes.len() - i);
            }
            Some(b'/') if bytes.get(i + 1) == Some(&b'*') => {
                i = memchr::memmem::find(&bytes[i + 2..], b"*/")
                    .map_or(bytes.len(), |end| i + 4 + end);
            }
            Some(b) if !b.is_ascii() => {
                match source.get(i..).and_then(|rest| rest.chars().next()) {
                    Some(c) if c.is_whitespace() || c == '\u{feff}' => i += c.len_utf8(),
                    _ => return i,
                }
            }
            _ => return i,
        }
    };
    let name = |i: usize| {
        let starts = bytes
            .get(i)
            .is_some_and(|b| b.is_ascii_alphabetic() || matches!(b, b'_' | b'$'));
        if !starts {
            return None;
        }
        let mut end = i + 1;
        while end < bytes.len()
            && (bytes[end].is_ascii_alphanumeric() || matches!(bytes[end], b'_' | b'$' | b'-'))
        {
            end += 1;
        }
        Some(end)
    };
    let mut from = 0;
    while let Some(found) = memchr::memchr(b'<', &bytes[from..]) {
        let at = from + found;
        from = at + 1;
        let mut i = skip_space(at + 1);
        if bytes.get(i) == Some(&b'/') {
            i = skip_space(i + 1);
        }
        let Some(i) = name(i).map(skip_space) else {
            continue;
        };
        if bytes.get(i) != Some(&b':') {
            continue;
        }
        let Some(i) = name(skip_space(i + 1)).map(skip_space) else {
            continue;
        };
        if bytes.get(i) == Some(&b'.') {
            return Some(at);
        }
    }
    None
}

/// `tsconfig.json`, `jsconfig.json` (and `tsconfig.app.json`-style variants): their
/// `baseUrl` and `paths` tell the project stage how imports resolve.
fn is_ts_config(file: &str) -> bool {
    let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
    (name.starts_with("tsconfig") || name.starts_with("jsconfig")) && name.ends_with(".json")
}

fn is_package_manifest(file: &str) -> bool {
    file.rsplit(['/', '\\']).next() == Some("package.json")
}

/// Scan one source. Never panics on any input.
pub fn run(source: &str, options: &Options) -> Report {
    let file = options.filename.as_deref().unwrap_or("<input>");
    let kind = match options.text_only {
        true => Kind::Text,
        false => Kind::of(file, source),
    };
    match kind {
        Kind::Html | Kind::Markdown => crate::kinds::run_composite(kind, source, options),
        _ => run_part(source, options, &Part::whole(kind)),
    }
}

/// Scan a text the length of the file (the file itself, or a part of a composite file with
/// the rest blanked) as `part` says.
pub(crate) fn run_part(source: &str, options: &Options, part: &Part) -> Report {
    run_part_keeping_secrets(source, options, part).0
}

/// [`run_part`], and the secrets its excerpts redact (for a caller that places the part's
/// findings in a larger text and writes their excerpts again).
pub(crate) fn run_part_keeping_secrets(
    source: &str,
    options: &Options,
    part: &Part,
) -> (Report, Secrets) {
    let file = options.filename.as_deref().unwrap_or("<input>");
    let kind = part.kind;
    let (runtime, runtime_by_default) = options.placement();
    let rules: Vec<&'static dyn Rule> = crate::rules::ALL
        .iter()
        .copied()
        .filter(|rule| {
            let meta = rule.meta();
            // A `.env` holds what the build inlines into the plugin bundle, wherever it sits.
            let applies = meta.runtimes.contains(&runtime)
                || kind == Kind::DotEnv && meta.kind == RuleKind::ApiCall;
            applies
                && options.severity_of(meta).is_some()
                && (!part.credentials_only || meta.kind == RuleKind::Credential)
        })
        .collect();
    let shapes: Vec<ShapeRule> = rules
        .iter()
        .filter_map(|&rule| Some((rule, rule.meta().shape?.matcher())))
        .collect();
    let index = LineIndex::new(source);
    let mut diagnostics = Vec::new();
    let no_consts = Consts::default();

    // Code and JSON nest; the data kinds are built without recursion and bounded by their
    // front ends; plain text is scanned by shape only, without a parse-error diagnostic.
    let nesting = match kind {
        Kind::Script | Kind::Json => nesting_estimate(source),
        _ => 0,
    };
    let syntax_of = part.syntax_of.unwrap_or(file);
    let mut suppressions: Vec<Suppression> = Vec::new();
    let mut notes = Vec::new();
    let parsed = if nesting > MAX_NESTING {
        Err(parse::ParseError {
            message: format!("nesting deeper than {MAX_NESTING} levels; scanned as plain text"),
            offset: 0,
        })
    } else if kind != Kind::Script {
        let (parsed, front_notes) = crate::kinds::front_end(kind, source, syntax_of);
        notes = front_notes;
        parsed
    } else if let Some(offset) = jsx_namespaced_member(source) {
        parse::parse_without_jsx(source, syntax_of).map_err(|_| parse::ParseError {
            message: "JSX name `<a:b.c>` is not supported by the parser".to_string(),
            offset,
        })
    } else {
        parse::parse(source, syntax_of)
    };
    for note in notes {
        let (line, column) = index.position(note.offset);
        diagnostics.push(Diagnostic {
            code: note.code.to_string(),
            message: note.message,
            file: file.to_string(),
            line,
            column,
        });
    }
    // Findings of a whole code file are placed in its bundle's modules and source map.
    let whole_code_file = kind == Kind::Script && part.syntax_of.is_none();

    let mut modules = crate::bundle::ModuleMap::default();
    let mut summary = None;
    let mut function_calls = Vec::new();
    let mut open_handler = None;
    let mut held_hits = Vec::new();
    let hits: (Vec<Hit>, Vec<u32>) = match &parsed {
        Ok(parsed) => {
            if whole_code_file {
                modules = crate::bundle::modules(&parsed.program, parsed.base, source);
            }
            let consts = Consts::collect(&parsed.program);
            let mut ctx = Ctx::new(
                Folder::new(&consts, source.len()),
                source,
                parsed.base,
                file,
                options,
                runtime,
            );
            if runtime == crate::Runtime::Plugin {
                ctx.requesters = crate::http::requesters(&parsed.program, &ctx, &index);
            }
            parsed
                .program
                .visit_with(&mut Walker::new(&mut ctx, &rules, &shapes));
            ctx.resolve_deferred();
            // A fact for the project stage, like the calls: only when linting for one.
            if options.for_project() {
                open_handler = ctx.open_handler;
                held_hits = std::mem::take(&mut ctx.held);
            }
            for (span, (path, variable)) in ctx.function_calls.take().unwrap_or_default() {
                let (line, column) = index.position(span.start as usize);
                function_calls.push(crate::FunctionCall {
                    path,
                    line,
                    column,
                    variable,
                });
            }
            if options.summarize && kind == Kind::Script {
                let mut facts = crate::summary::summarize(
                    &parsed.program,
                    &ctx,
                    parsed.base,
                    &index,
                    matches!(runtime, crate::Runtime::Function | crate::Runtime::Asset),
                );
                facts.needs_context |= ctx.needs_context.get();
                if !options.all_imports && !facts.needs_context {
                    facts.keep_imports_exports_use();
                }
                summary = Some(facts);
            }
            if ctx.folder.exhausted() {
                diagnostics.push(Diagnostic {
                    code: "limit".to_string(),
                    message: "constant folding reached its work limit; strings assembled later in the file were scanned only as written".to_string(),
                    file: file.to_string(),
                    line: 1,
                    column: 1,
                });
            }
            ctx.scope = NO_SCOPE;
            if kind.is_synthetic() {
                // Built from data: comments are not in the tree, so the whole text is searched
                // (its values again too: the same finding at the same place counts once).
                suppressions = suppress::scan_text(source, &index, file, &mut diagnostics);
                ctx.scan_whole_text(&shapes);
                (ctx.hits, ctx.scopes)
            } else {
                let (leading, trailing) = parsed.comments.borrow_all();
                // Shapes in comments: one search of the whole text per shape anchor, instead of one
                // per comment (a development build has tens of thousands of comments).
                let mut anchors: Vec<usize> = shapes
                    .iter()
                    .flat_map(|(_, shape)| shape.anchor_positions(source))
                    .collect();
                anchors.sort_unstable();
                let holds_anchor = |range: std::ops::Range<usize>| {
                    let first = anchors.partition_point(|&at| at < range.start);
                    anchors.get(first).is_some_and(|&at| at < range.end)
                };
                for comment in leading.values().chain(trailing.values()).flatten() {
                    let span = ctx.span(comment.span);
                    suppressions.extend(suppress::parse_directive(
                        &comment.text,
                        span.start as usize,
                        span.end as usize,
                        &index,
                        file,
                        &mut diagnostics,
                    ));
                    let text = source
                        .get(span.range())
                        .filter(|_| holds_anchor(span.range()));
                    if let Some(text) = text {
                        ctx.scan_shapes(
                            &shapes,
                            &StringSite {
                                value: text,
                                span,
                                verbatim_at: Some(span.start as usize),
                            },
                        );
                    }
                }
                (ctx.hits, ctx.scopes)
            }
        }
        Err(error) => {
            suppressions = suppress::scan_text(source, &index, file, &mut diagnostics);
            let (line, column) = index.position(error.offset);
            if kind == Kind::Script || nesting > MAX_NESTING {
                diagnostics.push(Diagnostic {
                    code: if nesting > MAX_NESTING {
                        "limit"
                    } else {
                        "parse-error"
                    }
                    .to_string(),
                    message: format!(
                        "{}; the file was scanned for credential shapes only",
                        error.message
                    ),
                    file: file.to_string(),
                    line,
                    column,
                });
            }
            let mut ctx = Ctx::new(
                Folder::new(&no_consts, 0),
                source,
                0,
                file,
                options,
                runtime,
            );
            ctx.scan_whole_text(&shapes);
            (ctx.hits, ctx.scopes)
        }
    };

    let (mut hits, scopes) = hits;
    narrow_to_values(&mut hits, source);
    let hits = pair(hits, &scopes);
    let (mut findings, mut secrets) = finish(hits, source, file, &index, options, runtime);
    let suppressed = suppress::apply(&mut findings, &suppressions);
    let (mut held, held_secrets) = finish(
        pair(held_hits, &scopes),
        source,
        file,
        &index,
        options,
        runtime,
    );
    secrets.extend(held_secrets);
    suppress::apply(&mut held, &suppressions);
    // Comments come out of swc's maps in no particular order.
    diagnostics.sort_by(|a, b| (a.line, a.column, &a.code).cmp(&(b.line, b.column, &b.code)));
    let mut report = Report {
        findings,
        diagnostics,
        suppressed,
        function_calls,
        open_handler,
        held,
        summary: options.summarize.then(|| crate::summary::FileSummary {
            runtime: Some(runtime),
            runtime_by_default,
            aliases: is_ts_config(file)
                .then(|| crate::summary::aliases(source))
                .flatten(),
            package: is_package_manifest(file)
                .then(|| crate::summary::package_kind(source))
                .flatten(),
            ..summary.unwrap_or_default()
        }),
    };
    if part.quiet {
        report.diagnostics.retain(|d| d.code != "parse-error");
    }
    // Bundles: which webpack module each finding is in, and where it was before the build.
    if whole_code_file {
        crate::sourcemap::annotate_bundle(source, options, &mut report);
        crate::bundle::annotate(&mut report.findings, &modules);
    }
    (report, secrets)
}

/// A credential reported at the literal (or expression) that holds it is located at the value
/// itself when the value is written there verbatim: editors underline the secret, and clients
/// (`--verify`, the webpack plugin) can rely on the span holding exactly the value.
fn narrow_to_values(hits: &mut [Hit], source: &str) {
    for hit in hits.iter_mut().filter(|h| h.secret) {
        let Some(text) = source.get(hit.span.range()) else {
            continue;
        };
        if text.len() > hit.value.len() {
            if let Some(at) = text.find(hit.value.as_str()) {
                let start = hit.span.start as usize + at;
                hit.span = Span::new(start, start + hit.value.len());
            }
        }
    }
}

/// Where the findings of some rules are, by scope: `at` the scopes that hold one, `below` those
/// that hold one themselves or in a nested scope. Built once per rule set, so pairing stays
/// linear in the number of hits times the nesting depth.
struct Presence {
    at: HashSet<u32>,
    below: HashSet<u32>,
}

impl Presence {
    fn of<'h>(hits: impl Iterator<Item = &'h Hit>, scopes: &[u32]) -> Self {
        let mut presence = Presence {
            at: HashSet::new(),
            below: HashSet::new(),
        };
        for hit in hits {
            if hit.scope == NO_SCOPE || !presence.at.insert(hit.scope) {
                continue;
            }
            let mut scope = hit.scope;
            while presence.below.insert(scope) {
                match scopes.get(scope as usize) {
                    Some(&parent) if parent != scope => scope = parent,
                    _ => break,
                }
            }
        }
        presence
    }

    /// A finding is in `scope`, in a scope nested in it, or in a scope enclosing it.
    fn visible_from(&self, mut scope: u32, scopes: &[u32]) -> bool {
        if scope == NO_SCOPE {
            return false;
        }
        if self.below.contains(&scope) {
            return true;
        }
        loop {
            if self.at.contains(&scope) {
                return true;
            }
            match scopes.get(scope as usize) {
                Some(&parent) if parent != scope => scope = parent,
                _ => return false,
            }
        }
    }
}

/// A hit with its pairing resolved: conditional hits without a partner are dropped, and hits of
/// rules with `error_when_paired_with` learn whether a partner is visible.
struct Paired {
    hit: Hit,
    paired: bool,
}

fn pair(hits: Vec<Hit>, scopes: &[u32]) -> Vec<Paired> {
    let mut cache: HashMap<&'static [&'static str], Presence> = HashMap::new();
    let keep: Vec<bool> = hits
        .iter()
        .map(|hit| {
            hit.requires.is_empty()
                || cache
                    .entry(hit.requires)
                    .or_insert_with(|| {
                        let partners = hits.iter().filter(|other| {
                            other.requires.is_empty() && hit.requires.contains(&other.rule.id)
                        });
                        Presence::of(partners, scopes)
                    })
                    .visible_from(hit.scope, scopes)
        })
        .collect();
    let mut keep = keep.into_iter();
    let hits: Vec<Hit> = hits
        .into_iter()
        .filter(|_| keep.next().unwrap_or(false))
        .collect();
    let mut cache: HashMap<&'static [&'static str], Presence> = HashMap::new();
    let paired: Vec<bool> = hits
        .iter()
        .map(|hit| {
            let with = hit.rule.error_when_paired_with;
            !with.is_empty()
                && cache
                    .entry(with)
                    .or_insert_with(|| {
                        let partners = hits.iter().filter(|o| with.contains(&o.rule.id));
                        Presence::of(partners, scopes)
                    })
                    .visible_from(hit.scope, scopes)
        })
        .collect();
    hits.into_iter()
        .zip(paired)
        .map(|(hit, paired)| Paired { hit, paired })
        .collect()
}

/// Position, redact, fingerprint, sort and deduplicate.
fn finish(
    hits: Vec<Paired>,
    source: &str,
    file: &str,
    index: &LineIndex,
    options: &Options,
    runtime: crate::Runtime,
) -> (Vec<Finding>, Secrets) {
    let mut hits = hits;
    hits.sort_by(|a, b| {
        let (a, b) = (&a.hit, &b.hit);
        (a.span.start, a.rule.id, a.span.end).cmp(&(b.span.start, b.rule.id, b.span.end))
    });
    // Keep the paired one of duplicates: sort puts equal spans together; prefer `paired`.
    hits.dedup_by(|a, b| {
        let same = a.hit.rule.id == b.hit.rule.id && a.hit.span == b.hit.span;
        if same && a.paired {
            b.paired = true;
        }
        same
    });
    // A value found again in a string folded from it (`const sid = "AC…"; `${sid}/Calls``)
    // is the same leak: reported where it is written, or where it is first assembled.
    let mut first_at: HashMap<(&str, &str), (bool, u32)> = HashMap::new();
    for p in &hits {
        let key = (p.hit.rule.id, p.hit.value.as_str());
        let rank = (p.hit.derived, p.hit.span.start);
        first_at
            .entry(key)
            .and_modify(|best| *best = (*best).min(rank))
            .or_insert(rank);
    }
    let redundant: Vec<bool> = hits
        .iter()
        .map(|p| {
            p.hit.derived
                && first_at[&(p.hit.rule.id, p.hit.value.as_str())]
                    < (p.hit.derived, p.hit.span.start)
        })
        .collect();
    let mut redundant = redundant.into_iter();
    let hits: Vec<Paired> = hits
        .into_iter()
        .filter(|_| !redundant.next().unwrap_or(false))
        .collect();

    // One value of one rule found at nested places (a literal inside the expression that
    // assembles it) counts once, at the innermost place.
    let mut by_value: HashMap<(&str, &str), Vec<Span>> = HashMap::new();
    for p in &hits {
        by_value
            .entry((p.hit.rule.id, p.hit.value.as_str()))
            .or_default()
            .push(p.hit.span);
    }
    let outer: Vec<bool> = hits
        .iter()
        .map(|p| {
            let spans = &by_value[&(p.hit.rule.id, p.hit.value.as_str())];
            let s = p.hit.span;
            spans.len() > 1
                && spans
                    .iter()
                    .any(|o| *o != s && s.start <= o.start && o.end <= s.end)
        })
        .collect();
    let hits: Vec<(Hit, bool)> = hits
        .into_iter()
        .zip(outer)
        .filter(|(_, outer)| !outer)
        .map(|(p, _)| (p.hit, p.paired))
        .collect();

    let secrets: Secrets = hits
        .iter()
        .map(|(h, _)| h)
        .filter(|h| h.secret)
        .map(|h| (h.span, redact(&h.value)))
        .collect();
    let project_path = options.project_path();
    let mut seen = HashMap::new();
    let findings = hits
        .iter()
        .filter_map(|(hit, paired)| {
            if hit.mask_only {
                return None;
            }
            let mut severity: Severity = options.severity_of(hit.rule)?;
            let mut message = hit.message.clone();
            // A rule that the user configured keeps their level; otherwise pairing escalates.
            if *paired && !options.rules.contains_key(hit.rule.id) {
                severity = Severity::Error;
                message.push_str("; the credential it pairs with is in the same scope");
            }
            // The same value reported twice on one span by different paths counts once.
            if seen.insert((hit.rule.id, hit.span), ()).is_some() {
                return None;
            }
            let (line, column) = index.position(hit.span.start as usize);
            let (end_line, end_column) = index.position(hit.span.end as usize);
            Some(Finding {
                rule_id: hit.rule.id.to_string(),
                severity,
                message,
                help: hit.help.clone(),
                file: file.to_string(),
                span: hit.span,
                line,
                column,
                end_line,
                end_column,
                excerpt: excerpt(source, index, hit.span, &secrets),
                fingerprint: fingerprint(hit.rule.id, project_path, &hit.value),
                legacy_fingerprints: legacy_fingerprints(
                    hit.rule.id,
                    file,
                    project_path,
                    &hit.value,
                ),
                value_hash: fingerprint(hit.rule.id, "", &hit.value),
                runtime: Some(runtime),
                related: hit.related.clone(),
                module: None,
                original: None,
                via_map: None,
                resource: None,
                fix: hit.fix.as_ref().map(|edit| {
                    let (line, column) = index.position(edit.span.start as usize);
                    let (end_line, end_column) = index.position(edit.span.end as usize);
                    Fix {
                        description: edit.description.clone(),
                        span: edit.span,
                        line,
                        column,
                        end_line,
                        end_column,
                        text: edit.text.clone(),
                    }
                }),
            })
        })
        .collect();
    (findings, secrets)
}

/// Each secret a file's findings hold, by where it is written: its redacted form stands in for
/// it in every excerpt that shows that place.
pub(crate) type Secrets = Vec<(Span, String)>;

/// The finding's line, windowed around the finding on long lines, with every known secret on it
/// replaced by its redacted form and anything else token-like masked.
pub(crate) fn excerpt(
    source: &str,
    index: &LineIndex,
    span: Span,
    secrets: &[(Span, String)],
) -> String {
    let line = index.line_range(span.start as usize);
    let start = index.floor_char_boundary(
        (span.start as usize)
            .saturating_sub(EXCERPT_CONTEXT)
            .max(line.start),
    );
    let end_goal =
        (span.end as usize).min(span.start as usize + 2 * EXCERPT_CONTEXT) + EXCERPT_CONTEXT;
    let end = index.floor_char_boundary(end_goal.min(line.end).max(start));

    let mut out = String::new();
    if start > line.start {
        out.push('…');
    }
    let mut cursor = start;
    for (secret_span, redacted) in secrets {
        let range = secret_span.range();
        if range.end <= cursor || range.start >= end {
            continue;
        }
        let from = index.floor_char_boundary(range.start.max(cursor));
        out.push_str(&mask_token_like(&source[cursor..from]));
        out.push_str(redacted);
        cursor = index.floor_char_boundary(range.end.min(end).max(from));
        if range.end > end {
            cursor = end;
        }
    }
    out.push_str(&mask_token_like(&source[cursor..end]));
    if end < line.end {
        out.push('…');
    }
    out.trim().to_string()
}
