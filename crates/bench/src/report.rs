//! The Markdown report: set-up, seeding, server, one row per phase and operation, and
//! the targets with pass or miss.

use std::fmt::Write;

use crate::Run;
use crate::load::{Op, PhaseResult};

/// The mixed phase: a read-mostly reseller integration. Reads 65 %, writes 30 %, token
/// exchanges 5 % (relative weights, out of 100).
pub const MIXED: [(Op, u32); 8] = [
    (Op::SubscriptionGet, 30),
    (Op::CustomerGet, 25),
    (Op::ListDeep, 8),
    (Op::ListFirst, 2),
    (Op::ChangeSeats, 15),
    (Op::SubscriptionInsert, 10),
    (Op::CustomerInsert, 5),
    (Op::Token, 5),
];

pub fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |p| p.get());
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|v| v.trim_start_matches([' ', '\t', ':']).trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or_else(String::new, |kib| {
            format!(", {:.0} GiB RAM", kib as f64 / 1024.0 / 1024.0)
        });
    format!("{cores} cores, {cpu}{memory}")
}

fn ms(micros: u64) -> String {
    format!("{:.2}", micros as f64 / 1000.0)
}

fn mark(pass: bool) -> &'static str {
    if pass { "pass" } else { "**miss**" }
}

fn phase<'a>(run: &'a Run, name: &str) -> Option<&'a PhaseResult> {
    run.phases.iter().find(|p| p.name == name)
}

pub fn markdown(run: &Run) -> String {
    let a = &run.args;
    let per = a.subscriptions_per_customer as u64;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "### {} — {} customers, {} subscriptions, {} server{}\n",
        run.backend,
        a.customers,
        a.customers * per,
        a.servers,
        if a.servers > 1 { "s" } else { "" }
    );
    let _ = writeln!(s, "Machine: {}.", run.machine);
    let _ = writeln!(
        s,
        "Load: {} connections per phase (closed loop, one request in flight each), {} s per phase; the load generator runs on the same machine.\n",
        a.connections, a.duration
    );

    let seed_s = run.seed_time.as_secs_f64();
    let seed_rate = run.seed_rows as f64 / seed_s;
    let startup_max = run.startup.iter().max().copied().unwrap_or_default();
    let rss_max = run.rss_kib.iter().max().copied().unwrap_or(0);
    let _ = writeln!(s, "| Set-up | Value |\n|---|---|");
    let _ = writeln!(
        s,
        "| Bulk seed ({} rows: customers + subscriptions) | {:.1} s, {:.0} rows/s |",
        run.seed_rows, seed_s, seed_rate
    );
    let _ = writeln!(
        s,
        "| After seeding ({}) | {:.1} s |",
        if run.backend == "SQLite" {
            "WAL checkpoint"
        } else {
            "VACUUM ANALYZE, CHECKPOINT"
        },
        run.finalize_time.as_secs_f64()
    );
    let _ = writeln!(s, "| Database size | {:.1} MB |", run.db_bytes as f64 / 1e6);
    let startups: Vec<String> = run
        .startup
        .iter()
        .map(|d| format!("{} ms", d.as_millis()))
        .collect();
    let _ = writeln!(
        s,
        "| Start-up (spawn to first 200 on /healthz) | {} |",
        startups.join(", ")
    );
    let rss: Vec<String> = run
        .rss_kib
        .iter()
        .map(|k| format!("{:.1} MB", *k as f64 / 1024.0))
        .collect();
    let _ = writeln!(
        s,
        "| Server peak RSS (VmHWM, at the end) | {} |",
        rss.join(", ")
    );
    let walk_rate = run.walk_pages as f64 / run.walk_time.as_secs_f64();
    let _ = writeln!(
        s,
        "| List walk, 100 per page, one client | {} pages (expected {}) in {:.1} s: {:.0} pages/s |",
        run.walk_pages,
        run.walk_expected_pages,
        run.walk_time.as_secs_f64(),
        walk_rate
    );

    let trivial = phase(run, "trivial endpoint")
        .map(|p| p.rate(Op::Healthz))
        .unwrap_or(0.0);
    let _ = writeln!(
        s,
        "\n| Phase | Operation | Conns | Requests | Req/s | p50 ms | p99 ms | p99.9 ms | Errors | vs trivial |"
    );
    let _ = writeln!(s, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for p in &run.phases {
        let secs = p.elapsed.as_secs_f64();
        let mut rows: Vec<(String, &hdrhistogram::Histogram<u64>, u64)> = p
            .ops
            .iter()
            .map(|(op, st)| (op.name().to_string(), &st.hist, st.errors))
            .collect();
        let mut all = None;
        if p.ops.len() > 1 {
            let mut h = p.ops[0].1.hist.clone();
            for (_, st) in &p.ops[1..] {
                h.add(&st.hist).expect("same bounds");
            }
            all = Some(h);
        }
        let errors_total: u64 = p.ops.iter().map(|(_, st)| st.errors).sum();
        if let Some(h) = &all {
            rows.push(("**all operations**".into(), h, errors_total));
        }
        let several = p.ops.len() > 1;
        for (name, h, errors) in rows {
            let rate = h.len() as f64 / secs;
            // In a mixed phase only the total compares with the trivial endpoint.
            let versus = if trivial <= 0.0 || (several && !name.starts_with("**")) {
                "—".to_string()
            } else {
                format!("{:.0} %", 100.0 * rate / trivial)
            };
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {:.0} | {} | {} | {} | {} | {} |",
                p.name,
                name,
                p.connections,
                h.len(),
                rate,
                ms(h.value_at_quantile(0.5)),
                ms(h.value_at_quantile(0.99)),
                ms(h.value_at_quantile(0.999)),
                errors,
                versus
            );
        }
    }

    let _ = writeln!(s, "\n| Target | Measured | Result |\n|---|---|---|");
    let rate_of = |name: &str, op: Op| phase(run, name).map(|p| p.rate(op)).unwrap_or(0.0);
    for (name, op) in [
        ("customers.get", Op::CustomerGet),
        ("subscriptions.get", Op::SubscriptionGet),
    ] {
        let r = rate_of(name, op);
        let ratio = if trivial > 0.0 { r / trivial } else { 0.0 };
        let _ = writeln!(
            s,
            "| {name} ≥ 50 % of the trivial endpoint's req/s | {:.0} % ({r:.0} vs {trivial:.0} req/s) | {} |",
            100.0 * ratio,
            mark(ratio >= 0.5)
        );
    }
    let durable_note = if run.backend == "SQLite" {
        ""
    } else {
        " (a SQLite target; shown for comparison)"
    };
    for (name, op) in [
        ("customers.insert", Op::CustomerInsert),
        ("subscriptions.insert", Op::SubscriptionInsert),
        ("subscriptions.changeSeats", Op::ChangeSeats),
    ] {
        let r = rate_of(name, op);
        let _ = writeln!(
            s,
            "| durable writes ≥ 20,000/s: {name}{durable_note} | {r:.0}/s | {} |",
            mark(r >= 20_000.0)
        );
    }
    if let Some(p) = phase(run, "list, deep pages, single client")
        && let Some((_, st)) = p.ops.first()
    {
        let p99 = st.hist.value_at_quantile(0.99);
        let _ = writeln!(
            s,
            "| 100-row deep page, one client, p99 < 1 ms | p99 {} ms (p50 {} ms) | {} |",
            ms(p99),
            ms(st.hist.value_at_quantile(0.5)),
            mark(p99 < 1000 && st.errors == 0)
        );
    }
    for p in run
        .phases
        .iter()
        .filter(|p| p.name.starts_with("console list"))
    {
        if let Some((op, st)) = p.ops.first() {
            let p99 = st.hist.value_at_quantile(0.99);
            let _ = writeln!(
                s,
                "| console page, one client, p99 < 20 ms: {} | p99 {} ms (p50 {} ms) | {} |",
                op.name(),
                ms(p99),
                ms(st.hist.value_at_quantile(0.5)),
                mark(p99 < 20_000 && st.errors == 0)
            );
        }
    }
    let deep = rate_of("list, deep pages", Op::ListDeep);
    let _ = writeln!(
        s,
        "| 100-row deep pages ≥ 3,000 pages/s with {} connections | {deep:.0} pages/s | {} |",
        a.connections,
        mark(deep >= 3000.0)
    );
    let _ = writeln!(
        s,
        "| seeding ≥ 66,667 rows/s (1 M customers + 3 M subscriptions in < 60 s) | {seed_rate:.0} rows/s ({seed_s:.1} s for {} rows) | {} |",
        run.seed_rows,
        mark(seed_rate >= 4_000_000.0 / 60.0)
    );
    let _ = writeln!(
        s,
        "| server RSS < 200 MB | {:.1} MB | {} |",
        rss_max as f64 / 1024.0,
        mark(rss_max < 200 * 1024)
    );
    let _ = writeln!(
        s,
        "| start-up < 1 s | {} ms | {} |",
        startup_max.as_millis(),
        mark(startup_max.as_millis() < 1000)
    );
    let token = rate_of("token endpoint", Op::Token);
    let _ = writeln!(
        s,
        "| token endpoint ≥ 2,000 assertions/s | {token:.0}/s | {} |",
        mark(token >= 2000.0)
    );
    let errors: u64 = run
        .phases
        .iter()
        .flat_map(|p| p.ops.iter().map(|(_, st)| st.errors))
        .sum();
    let _ = writeln!(
        s,
        "\nNon-2xx responses and transport errors, all phases: {errors}."
    );
    let firsts: Vec<String> = run
        .phases
        .iter()
        .flat_map(|p| {
            p.ops.iter().filter_map(move |(op, st)| {
                st.first_error
                    .as_ref()
                    .map(|e| format!("- {} / {}: {}", p.name, op.name(), e.replace('|', "\\|")))
            })
        })
        .collect();
    if !firsts.is_empty() {
        let _ = writeln!(s, "First error of each failing operation:\n");
        for f in firsts {
            let _ = writeln!(s, "{f}");
        }
    }
    let mixed: Vec<String> = MIXED
        .iter()
        .map(|(op, w)| format!("{} {w} %", op.name()))
        .collect();
    let _ = writeln!(s, "\nMixed phase weights: {}.", mixed.join(", "));
    s
}
