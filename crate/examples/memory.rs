//! Peak resident memory of one file natively, by stage (see docs/performance.md):
//! `cargo run --release --example memory -- FILE parse|run|summarize|scan|split|plan|compare`.
//! - `parse`: the whole-file parse, AST held until the end;
//! - `run`, `summarize`: the whole engine on the whole file, without and with the file summary;
//! - `scan`: as hosts lint it (a large bundle module by module, see `split`);
//! - `split`: each webpack module of the bundle parsed on its own and dropped before the next
//!   (the module spans come from a child process, so that their whole parse is not counted);
//! - `plan`: the split's plan alone;
//! - `compare`: the bundle linted whole and module by module, and any finding that differs.
//! - `spans`: the module spans of the whole-file parse, one `start end` per line.
//!
//! Prints the peak (VmHWM, Linux) after reading the file and after the stage, and its time.

fn peak() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let line = status.lines().find(|l| l.starts_with("VmHWM:"));
    line.unwrap_or("VmHWM: ?")
        .split_whitespace()
        .skip(1)
        .collect::<Vec<_>>()
        .join(" ")
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(file), Some(stage)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: memory FILE parse|run|summarize|scan|split|plan|compare|spans");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(file).expect("readable UTF-8 file");
    if stage == "spans" {
        let parsed = flexguard::parse::parse(&text, "main.js")
            .ok()
            .expect("parses");
        for m in flexguard::bundle::modules(&parsed.program, parsed.base, &text).modules() {
            println!("{} {}", m.span.start, m.span.end);
        }
        return;
    }
    let spans: Vec<(usize, usize)> = if stage == "split" {
        let out = std::process::Command::new(&args[0])
            .args([file, "spans"])
            .output()
            .expect("child runs");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| l.split_once(' '))
            .map(|(a, b)| (a.parse().unwrap_or(0), b.parse().unwrap_or(0)))
            .collect()
    } else {
        Vec::new()
    };
    println!("read: peak {}", peak());
    let start = std::time::Instant::now();
    match stage.as_str() {
        "parse" => assert!(flexguard::parse::parse(&text, "main.js").is_ok()),
        "run" | "summarize" => {
            let options = flexguard::Options {
                filename: Some("dist/main.js".into()),
                summarize: stage == "summarize",
                ..Default::default()
            };
            let report = flexguard::engine::run(&text, &options);
            println!("{} findings", report.findings.len());
        }
        "scan" => {
            let options = flexguard::Options {
                filename: Some("dist/main.js".into()),
                ..Default::default()
            };
            let report = flexguard::scan(&text, &options);
            println!("{} findings", report.findings.len());
        }
        "plan" => {
            let plan = flexguard::split::plan(&text).expect("a plan");
            println!("{} modules planned", plan.parts.len());
        }
        "compare" => {
            let options = flexguard::Options {
                filename: Some("dist/main.js".into()),
                ..Default::default()
            };
            let whole = flexguard::engine::run(&text, &options);
            let t = std::time::Instant::now();
            let plan = flexguard::split::plan(&text).expect("a plan");
            println!("plan: {:?}, {} parts", t.elapsed(), plan.parts.len());
            let split = flexguard::split::lint_all(&text, &options, &plan).expect("split");
            println!("split: {:?}", t.elapsed());
            let show = |r: &flexguard::Report| {
                r.findings
                    .iter()
                    .map(|f| serde_json::to_string(f).unwrap())
                    .collect::<Vec<_>>()
            };
            let (a, b) = (show(&whole), show(&split));
            println!("whole {} split {}", a.len(), b.len());
            for x in &a {
                if !b.contains(x) {
                    println!("only whole: {}", &x[..x.len().min(400)]);
                }
            }
            for x in &b {
                if !a.contains(x) {
                    println!("only split: {}", &x[..x.len().min(400)]);
                }
            }
            println!(
                "diagnostics {:?} / {:?}",
                whole.diagnostics, split.diagnostics
            );
        }
        "split" => {
            for &(start, end) in &spans {
                // A module is a function expression: parenthesised, it parses as a statement.
                let module = format!("({})", &text[start..end]);
                assert!(flexguard::parse::parse(&module, "module.js").is_ok());
            }
            let largest = spans.iter().map(|(a, b)| b - a).max().unwrap_or(0);
            println!("{} modules, the largest {largest} bytes", spans.len());
        }
        _ => panic!("unknown stage {stage}"),
    }
    println!("{stage}: {:?}, peak {}", start.elapsed(), peak());
}
