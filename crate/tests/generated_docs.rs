//! The README's rule table and `docs/rules/` are generated from the registry. This test fails
//! when they are stale; `make docs` (`UPDATE_DOCS=1 cargo test --test generated_docs`) rewrites them.

use std::path::Path;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

fn updating() -> bool {
    std::env::var_os("UPDATE_DOCS").is_some()
}

#[test]
fn readme_rule_table_is_generated_from_the_registry() {
    let readme_path = root().join("README.md");
    let readme = std::fs::read_to_string(&readme_path).unwrap();
    let (start, end) = ("<!-- rules:start -->\n", "<!-- rules:end -->");
    let from = readme.find(start).expect("README has <!-- rules:start -->") + start.len();
    let to = readme.find(end).expect("README has <!-- rules:end -->");
    let table = flexguard::docs::rule_table();
    if updating() {
        let updated = format!("{}{table}{}", &readme[..from], &readme[to..]);
        std::fs::write(&readme_path, updated).unwrap();
        return;
    }
    assert_eq!(
        &readme[from..to],
        table,
        "README rule table is stale: run `make docs`"
    );
}

#[test]
fn rule_pages_are_generated_from_the_registry() {
    let dir = root().join("docs/rules");
    let files = flexguard::docs::generated_files();
    if updating() {
        std::fs::create_dir_all(&dir).unwrap();
        for entry in std::fs::read_dir(&dir).unwrap() {
            std::fs::remove_file(entry.unwrap().path()).unwrap();
        }
        for (path, text) in &files {
            std::fs::write(root().join(path), text).unwrap();
        }
        return;
    }
    for (path, text) in &files {
        let on_disk = std::fs::read_to_string(root().join(path))
            .unwrap_or_else(|_| panic!("{path} is missing: run `make docs`"));
        assert_eq!(&on_disk, text, "{path} is stale: run `make docs`");
    }
    let pages = std::fs::read_dir(&dir).unwrap().count();
    assert_eq!(
        pages,
        files.len(),
        "docs/rules/ has pages of no rule: run `make docs`"
    );
}
