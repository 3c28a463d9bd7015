//! Which code is the team's own. Code-pattern rules (kind `api-call`) judge the team's code: a
//! request inside a library is the library's business. Credentials are reported wherever they
//! are, because a secret in vendored code ships all the same. This is the one place that decides.

use crate::finding::Finding;
use crate::glob::{matches_any, Glob};
use crate::rules::RuleKind;

/// The user's `firstParty` globs, relative to the project root. Without any, all code outside
/// `node_modules` is first party.
pub struct FirstParty {
    globs: Vec<Glob>,
}

impl FirstParty {
    pub fn new(patterns: &[String]) -> FirstParty {
        FirstParty {
            globs: patterns.iter().map(|p| Glob::new(p)).collect(),
        }
    }

    /// Whether the code at `path` (a project path, a bundle's module id or a source map's
    /// source) is the team's own.
    pub fn contains(&self, path: &str) -> bool {
        let path = normalize(path);
        if path.split('/').any(|part| part == "node_modules") {
            return false;
        }
        self.globs.is_empty() || matches_any(&self.globs, &path)
    }

    /// Drop code-pattern findings in code that is not first party. A finding's code is where
    /// the source map says it was written, else its bundle module when the id is a path, else
    /// the map source it was found in, else the scanned file itself (`file_path`).
    pub fn retain(&self, findings: &mut Vec<Finding>, file_path: &str) {
        findings.retain(|finding| {
            let judged = crate::rules::find(&finding.rule_id)
                .is_some_and(|rule| rule.meta().kind == RuleKind::ApiCall);
            !judged || self.contains(origin(finding, file_path))
        });
    }
}

fn origin<'f>(finding: &'f Finding, file_path: &'f str) -> &'f str {
    if let Some(original) = &finding.original {
        return &original.source;
    }
    if let Some(module) = finding
        .module
        .as_deref()
        .filter(|m| m.contains(['/', '\\']))
    {
        return module;
    }
    if finding.via_map.is_some() {
        return &finding.file;
    }
    file_path
}

/// Forward slashes, without `./` or a bundler's `webpack://<name>/` prefix.
fn normalize(path: &str) -> String {
    let mut path = path.replace('\\', "/");
    if let Some(at) = path.find("://") {
        let after = &path[at + 3..];
        // `webpack://<namespace>/./src/x.js`: the namespace is not part of the path.
        path = after
            .split_once('/')
            .map_or(after, |(_, rest)| rest)
            .to_string();
    }
    let trimmed = path.trim_start_matches("./").trim_start_matches('/');
    trimmed.to_string()
}

#[cfg(test)]
mod tests {
    use super::FirstParty;

    #[test]
    fn node_modules_is_never_first_party() {
        let all = FirstParty::new(&[]);
        assert!(all.contains("src/a.js"));
        assert!(!all.contains("./node_modules/sdk/index.js"));
        assert!(!all.contains("webpack://plugin/./node_modules/x/y.js"));
        assert!(!all.contains("C:\\app\\node_modules\\x.js"));
    }

    #[test]
    fn globs_narrow_first_party_code() {
        let src = FirstParty::new(&["src/**".to_string()]);
        assert!(src.contains("src/a.js"));
        assert!(src.contains("./src/components/b.tsx"));
        assert!(src.contains("webpack://plugin-sample/./src/a.js"));
        assert!(!src.contains("build/plugin.js"));
        assert!(!src.contains("vendor/lib.js"));
    }
}
