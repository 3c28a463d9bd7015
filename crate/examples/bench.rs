//! Native engine benchmark (run by `make bench`, see bench/run.js): for the files given, the time of
//! a bare swc parse (our `parse::parse`, AST dropped) and of the whole engine (`scan`), best of
//! `FLEXGUARD_BENCH_RUNS` (default 3) runs taken in turns (CPU time, see `cpu_time`), once for the files and once for each file doubled.
//! Prints one JSON object on stdout.

use std::time::{Duration, Instant};

/// CPU time of this process (all threads), from /proc: on a shared machine wall time measures
/// the neighbours too. Linux only; elsewhere wall time is used.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// The time `work` takes: CPU time when available, else wall time.
fn timed(work: impl FnOnce()) -> Duration {
    let (start, cpu_start) = (Instant::now(), cpu_time());
    work();
    match (cpu_start, cpu_time()) {
        (Some(a), Some(b)) => b - a,
        _ => start.elapsed(),
    }
}

/// Best of `runs` for the bare parse and for the engine, taken in turns so that a noisy
/// neighbour on a shared machine slows both sides alike.
fn measure(inputs: &[(String, String)], runs: usize) -> (usize, Duration, Duration, usize) {
    let bytes = inputs.iter().map(|(_, text)| text.len()).sum();
    // `FLEXGUARD_BENCH_ONLY=parse|scan` runs one side only, for `perf stat` / `perf record`.
    let only = std::env::var("FLEXGUARD_BENCH_ONLY").unwrap_or_default();
    let (mut parse, mut scan, mut findings) = (Duration::MAX, Duration::MAX, 0);
    for _ in 0..runs {
        if only != "scan" {
            parse = parse.min(timed(|| {
                for (name, text) in inputs {
                    let parsed = flexguard::parse::parse(text, name);
                    assert!(parsed.is_ok(), "{name} does not parse");
                }
            }));
        }
        if only != "parse" {
            findings = 0;
            scan = scan.min(timed(|| {
                for (name, text) in inputs {
                    let options = flexguard::Options {
                        filename: Some(name.clone()),
                        ..Default::default()
                    };
                    let report = flexguard::scan(text, &options);
                    assert!(
                        report.diagnostics.is_empty(),
                        "{name}: {:?}",
                        report.diagnostics
                    );
                    findings += report.findings.len();
                }
            }));
        }
    }
    let unmeasured = |d: Duration| {
        if d == Duration::MAX {
            Duration::ZERO
        } else {
            d
        }
    };
    (bytes, unmeasured(parse), unmeasured(scan), findings)
}

fn main() {
    let runs = std::env::var("FLEXGUARD_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let inputs: Vec<(String, String)> = std::env::args()
        .skip(1)
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("readable corpus file");
            (path, text)
        })
        .collect();
    let doubled: Vec<(String, String)> = inputs
        .iter()
        .map(|(name, text)| (name.clone(), format!("{text}\n;\n{text}")))
        .collect();
    let (bytes, parse, scan, findings) = measure(&inputs, runs);
    let (bytes2, _, scan2, findings2) = measure(&doubled, runs);
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "{{\"bytes\":{bytes},\"parseMs\":{:.1},\"scanMs\":{:.1},\"findings\":{findings},\"bytes2x\":{bytes2},\"scan2xMs\":{:.1},\"findings2x\":{findings2}}}",
        ms(parse),
        ms(scan),
        ms(scan2)
    );
}
