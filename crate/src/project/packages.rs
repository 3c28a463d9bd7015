//! The packages of a project and what each is, from its `package.json` (and a
//! `.twilioserverlessrc`): which runtime a file no path convention placed has, and whether a
//! page that calls a Function belongs to the Flex plugin.

use crate::summary::PackageKind;
use crate::Runtime;

/// Each directory with a manifest, and what the manifest says it is.
pub struct Packages<'a> {
    dirs: Vec<(&'a str, Option<PackageKind>)>,
}

/// Which word wins where one directory has both a `package.json` and a `.twilioserverlessrc`:
/// a Flex plugin (or another browser app) keeps its Functions' deploy settings at its root too,
/// so what its dependencies say wins over the file, which wins over a Node backend.
fn manifest_precedence(kind: Option<PackageKind>) -> u8 {
    match kind {
        Some(PackageKind::FlexPlugin | PackageKind::WebApp) => 3,
        Some(PackageKind::Functions) => 2,
        Some(PackageKind::NodeServer) => 1,
        None => 0,
    }
}

/// Directories of a Node backend that hold what it serves to browsers, not what it runs.
const SERVED_DIRECTORIES: &[&str] = &["public", "static", "client", "www", "views"];

impl<'a> Packages<'a> {
    /// From each file's project path (forward slashes) and, for a `package.json`, the kind its
    /// summary found.
    pub fn new(files: impl Iterator<Item = (&'a str, Option<PackageKind>)>) -> Self {
        let mut dirs: Vec<(&str, Option<PackageKind>)> = Vec::new();
        for (path, kind) in files {
            let (dir, kind) = if let Some(dir) = path.strip_suffix("package.json") {
                (dir, kind)
            } else if let Some(dir) = path.strip_suffix(".twilioserverlessrc") {
                (dir, Some(PackageKind::Functions))
            } else {
                continue;
            };
            if !(dir.is_empty() || dir.ends_with('/')) {
                continue;
            }
            match dirs.iter_mut().find(|(d, _)| *d == dir) {
                Some(entry) if manifest_precedence(kind) > manifest_precedence(entry.1) => {
                    entry.1 = kind
                }
                Some(_) => {}
                None => dirs.push((dir, kind)),
            }
        }
        Packages { dirs }
    }

    /// The nearest package around `path` and what it is (`None` when its manifest says nothing
    /// or does not parse).
    fn nearest(&self, path: &str) -> Option<(&'a str, Option<PackageKind>)> {
        self.dirs
            .iter()
            .filter(|(dir, _)| path.starts_with(dir))
            .max_by_key(|(dir, _)| dir.len())
            .copied()
    }

    /// What the nearest package around `path` is.
    pub fn kind_of(&self, path: &str) -> Option<PackageKind> {
        self.nearest(path).and_then(|(_, kind)| kind)
    }

    /// The runtime the package gives a file that no convention placed: twilio-run serves a
    /// Functions service's `assets/` and deploys nothing else outside `functions/`, so the rest
    /// is its developers' tooling; a Node backend's code runs on a server, except what it
    /// serves to browsers; a Flex plugin's files beside its manifest are tooling.
    pub fn runtime_of(&self, path: &str) -> Option<Runtime> {
        let (dir, kind) = self.nearest(path)?;
        let relative = &path[dir.len()..];
        let mut directories = relative.split('/').rev().skip(1);
        match kind? {
            PackageKind::Functions if relative.starts_with("assets/") => Some(Runtime::Asset),
            PackageKind::Functions => Some(Runtime::Tooling),
            PackageKind::NodeServer
                if directories
                    .any(|d| SERVED_DIRECTORIES.contains(&d.to_ascii_lowercase().as_str())) =>
            {
                None
            }
            PackageKind::NodeServer => Some(Runtime::Tooling),
            // The Flex build bundles `src/`: a script beside the manifest (`create-task.ts`,
            // run with ts-node) is its developers' tooling.
            PackageKind::FlexPlugin if !relative.contains('/') && is_script(relative) => {
                Some(Runtime::Tooling)
            }
            PackageKind::FlexPlugin | PackageKind::WebApp => None,
        }
    }
}

fn is_script(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| matches!(ext, "js" | "jsx" | "ts" | "tsx" | "mjs" | "cjs"))
}

#[cfg(test)]
mod tests {
    use super::Packages;
    use crate::summary::PackageKind;
    use crate::Runtime;

    #[test]
    fn runtimes_by_package() {
        let packages = Packages::new(
            [
                ("package.json", Some(PackageKind::FlexPlugin)),
                (".twilioserverlessrc", None),
                ("svc/package.json", Some(PackageKind::Functions)),
                ("api/package.json", Some(PackageKind::NodeServer)),
                ("tools/package.json", None),
            ]
            .into_iter(),
        );
        let cases = [
            ("src/a.js", None),
            ("create-task.ts", Some(Runtime::Tooling)),
            ("svc/provision.js", Some(Runtime::Tooling)),
            ("svc/assets/page.js", Some(Runtime::Asset)),
            ("api/index.js", Some(Runtime::Tooling)),
            ("api/public/app.js", None),
            ("api/src/static/widget.js", None),
            ("tools/build.js", None),
        ];
        for (path, expected) in cases {
            assert_eq!(packages.runtime_of(path), expected, "{path}");
        }
        assert_eq!(packages.kind_of("src/a.js"), Some(PackageKind::FlexPlugin));
    }
}
