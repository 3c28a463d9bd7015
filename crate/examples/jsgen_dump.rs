//! Print the JS program a `scan_js` fuzz input stands for (and, on stderr, the file name the
//! target scans it as): `cargo run --release --example jsgen_dump -- fuzz/artifacts/scan_js/<file>`.
fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: jsgen_dump <fuzz input>");
    let data = std::fs::read(path).expect("readable fuzz input");
    let file = ["plugin.js", "plugin.ts", "Plugin.tsx"][data.last().map_or(0, |b| *b as usize % 3)];
    eprintln!("{file}");
    print!("{}", flexguard::jsgen::program(&data));
}
