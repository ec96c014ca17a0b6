//! The load bench's tables: one line per cell as it finishes, then per store × operation the
//! ratios issue 27 asks for.

use crate::load_client::Op;
use crate::load_run::{CellStats, ms};

/// How a cell was driven.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mode {
    /// The `Service` called directly by one client.
    Facade,
    /// N HTTP clients, closed loop.
    Http(usize),
    /// N HTTP clients paced at a total rate (ops/s).
    Paced(usize, f64),
}

impl Mode {
    fn label(self) -> String {
        match self {
            Self::Facade => "facade ×1".into(),
            Self::Http(n) => format!("http ×{n}"),
            Self::Paced(n, rate) => format!("paced ×{n} @{rate:.0}/s"),
        }
    }
}

/// One measured cell.
#[derive(Debug, Clone)]
pub struct Row {
    /// The store (or external target) name.
    pub store: String,
    /// The operation.
    pub op: Op,
    /// How it was driven.
    pub mode: Mode,
    /// What it measured.
    pub stats: CellStats,
}

/// The column header of [`print_row`].
pub fn print_header() {
    println!(
        "{:<10} {:<9} {:<20} {:>9} {:>10} {:>10} {:>8} {:>6} {:>11} {:>6} {:>7} {:>7}",
        "store",
        "op",
        "mode",
        "ops/s",
        "p50",
        "p99",
        "p99/p50",
        "errors",
        "client/op",
        "cpu%",
        "client%",
        "others%"
    );
}

/// One line for `row`. `cpu%` is the process's CPU over the window (client and in-process
/// server; 200 % = both cores); `client%` is the share of that CPU spent on client SRP math;
/// `others%` is the CPU other processes used meanwhile (the machine's busy time less ours).
pub fn print_row(row: &Row) {
    let s = &row.stats;
    let p50 = s.quantile(0.5);
    let p99 = s.quantile(0.99);
    let spread = if p50.is_zero() {
        0.0
    } else {
        p99.as_secs_f64() / p50.as_secs_f64()
    };
    let window = s.window.as_secs_f64().max(1e-9);
    let cpu = s.cpu.map_or_else(
        || "—".to_owned(),
        |c| format!("{:.0}", c.as_secs_f64() / window * 100.0),
    );
    let client_share = match s.cpu {
        Some(c) if !c.is_zero() && !s.client_math.is_zero() => {
            format!(
                "{:.0}",
                (s.client_math.as_secs_f64() / c.as_secs_f64() * 100.0).min(100.0)
            )
        }
        _ => "—".to_owned(),
    };
    let others = match (s.machine_cpu, s.cpu) {
        (Some(m), Some(c)) => format!("{:.0}", m.saturating_sub(c).as_secs_f64() / window * 100.0),
        _ => "—".to_owned(),
    };
    let client = if s.client_math.is_zero() {
        "—".to_owned()
    } else {
        ms(s.client_math_per_op())
    };
    println!(
        "{:<10} {:<9} {:<20} {:>9.0} {:>10} {:>10} {:>7.2}× {:>6} {:>11} {:>6} {:>7} {:>7}",
        row.store,
        row.op.name(),
        row.mode.label(),
        s.rate(),
        ms(p50),
        ms(p99),
        spread,
        s.errors,
        client,
        cpu,
        client_share,
        others
    );
    if let Some(e) = &s.first_error {
        println!("    first error: {e}");
    }
}

fn find<'a>(rows: &'a [Row], store: &str, op: Op, mode: Mode) -> Option<&'a CellStats> {
    rows.iter()
        .find(|r| r.store == store && r.op == op && r.mode == mode)
        .map(|r| &r.stats)
}

/// Per store × operation: the facade and HTTP rates at one client (server time only, and
/// wall), throughput at each concurrency against one client, the saturation rate, and the
/// paced cell's p99/p50.
pub fn print_summary(rows: &[Row]) {
    let mut keys: Vec<(String, Op)> = Vec::new();
    for r in rows {
        if !keys.iter().any(|(s, o)| *s == r.store && *o == r.op) {
            keys.push((r.store.clone(), r.op));
        }
    }
    println!(
        "\nSummary. fac p50 / http p50 = median server time at 1 client (client math excluded);\n\
         http/fac = HTTP rate / facade rate at 1 client, from the medians (and from the means);\n\
         ×N = closed-loop ops/s with N clients / ops/s with 1; sat = highest ops/s;\n\
         paced = open loop at 80 % of sat (latency from the scheduled start)."
    );
    println!(
        "{:<10} {:<9} {:>9} {:>9} {:>13} {:>9} {:>6} {:>6} {:>6} {:>6} {:>7} {:>10} {:>10} {:>8}",
        "store",
        "op",
        "fac p50",
        "http p50",
        "http/fac",
        "wall×1/s",
        "×2",
        "×4",
        "×16",
        "×64",
        "sat/s",
        "paced p50",
        "paced p99",
        "p99/p50"
    );
    for (store, op) in keys {
        let facade = find(rows, &store, op, Mode::Facade);
        let one = find(rows, &store, op, Mode::Http(1));
        let fac_rate = facade.map(CellStats::server_rate);
        let http_rate = one.map(CellStats::server_rate);
        let fac_p50 = facade.map(|s| s.quantile(0.5)).filter(|d| !d.is_zero());
        let http_p50 = one.map(|s| s.quantile(0.5)).filter(|d| !d.is_zero());
        let by_median = fac_p50
            .zip(http_p50)
            .map(|(f, h)| f.as_secs_f64() / h.as_secs_f64());
        let by_mean = fac_rate.zip(http_rate).map(|(f, h)| h / f);
        let cell = |v: Option<f64>, f: &dyn Fn(f64) -> String| v.map_or_else(|| "—".into(), f);
        let scale = |n: usize| {
            let base = one.map(CellStats::rate).filter(|b| *b > 0.0);
            let at = find(rows, &store, op, Mode::Http(n)).map(CellStats::rate);
            cell(base.zip(at).map(|(b, a)| a / b), &|x| format!("{x:.2}"))
        };
        let saturation = rows
            .iter()
            .filter(|r| r.store == store && r.op == op && matches!(r.mode, Mode::Http(_)))
            .map(|r| r.stats.rate())
            .fold(0.0, f64::max);
        let paced = rows
            .iter()
            .find(|r| r.store == store && r.op == op && matches!(r.mode, Mode::Paced(..)))
            .map(|r| &r.stats);
        let (pp50, pp99) = paced.map_or((None, None), |p| {
            (Some(p.quantile(0.5)), Some(p.quantile(0.99)))
        });
        println!(
            "{:<10} {:<9} {:>9} {:>9} {:>13} {:>9} {:>6} {:>6} {:>6} {:>6} {:>7.0} {:>10} {:>10} {:>8}",
            store,
            op.name(),
            fac_p50.map_or_else(|| "—".into(), ms),
            http_p50.map_or_else(|| "—".into(), ms),
            match (by_median, by_mean) {
                (Some(a), Some(b)) => format!("{:.0}% ({:.0}%)", a * 100.0, b * 100.0),
                _ => "—".into(),
            },
            cell(one.map(CellStats::rate), &|x| format!("{x:.0}")),
            scale(2),
            scale(4),
            scale(16),
            scale(64),
            saturation,
            pp50.map_or_else(|| "—".into(), ms),
            pp99.map_or_else(|| "—".into(), ms),
            pp50.zip(pp99).filter(|(a, _)| !a.is_zero()).map_or_else(
                || "—".into(),
                |(a, b)| format!("{:.2}×", b.as_secs_f64() / a.as_secs_f64())
            ),
        );
    }
}

/// The client's SRP math per sign-in at one client, and its share of that client's wall time.
pub fn print_client_math(rows: &[Row]) {
    for r in rows {
        if r.op != Op::Srp || r.mode != Mode::Http(1) || r.stats.ops == 0 {
            continue;
        }
        let per_op_wall = r.stats.window.as_secs_f64() / r.stats.ops as f64;
        let math = r.stats.client_math_per_op().as_secs_f64();
        println!(
            "{}: client SRP math {:.2} ms per sign-in (SrpSignIn::start + answer), {:.0} % of the \
             1-client wall time per sign-in ({:.2} ms)",
            r.store,
            math * 1e3,
            math / per_op_wall * 100.0,
            per_op_wall * 1e3
        );
    }
}
