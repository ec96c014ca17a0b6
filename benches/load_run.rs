//! The load bench's runner: N concurrent clients looping one operation for a window
//! (closed loop), the same paced at a fixed total rate (open loop, latencies from the
//! scheduled start so queueing counts), and a soak that samples resident memory.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use tokio::time::Instant;

use crate::load_client::{BenchPool, Op, Session, Transport, run};

/// What one cell measured.
#[derive(Debug, Clone, Default)]
pub struct CellStats {
    /// Operations completed inside the window.
    pub ops: usize,
    /// Failed operations (warm-up included).
    pub errors: usize,
    /// The first failure, for the report.
    pub first_error: Option<String>,
    /// The measured window.
    pub window: Duration,
    /// Per-operation latencies, sorted.
    pub latencies: Vec<Duration>,
    /// The server time of all counted operations.
    pub server_total: Duration,
    /// The client SRP math of all counted operations.
    pub client_math: Duration,
    /// CPU time of this process (client and in-process server) over the window.
    pub cpu: Option<Duration>,
    /// Busy CPU time of the whole machine over the window (all processes).
    pub machine_cpu: Option<Duration>,
}

impl CellStats {
    /// Operations per second over the window.
    pub fn rate(&self) -> f64 {
        self.ops as f64 / self.window.as_secs_f64().max(1e-9)
    }

    /// The `q` quantile (0..=1) of the latencies (nearest rank).
    pub fn quantile(&self, q: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let rank = ((self.latencies.len() as f64) * q).ceil() as usize;
        let index = rank.clamp(1, self.latencies.len()) - 1;
        self.latencies.get(index).copied().unwrap_or_default()
    }

    /// Operations per second one client would reach with only the server's time: 1 / mean
    /// server time.
    pub fn server_rate(&self) -> f64 {
        if self.ops == 0 {
            return 0.0;
        }
        self.ops as f64 / self.server_total.as_secs_f64().max(1e-9)
    }

    /// The share of one core other processes used during the window.
    pub fn others_share(&self) -> f64 {
        match (self.machine_cpu, self.cpu) {
            (Some(m), Some(c)) => {
                m.saturating_sub(c).as_secs_f64() / self.window.as_secs_f64().max(1e-9)
            }
            _ => 0.0,
        }
    }

    /// Mean client SRP math per operation.
    pub fn client_math_per_op(&self) -> Duration {
        if self.ops == 0 {
            return Duration::ZERO;
        }
        self.client_math / u32::try_from(self.ops).unwrap_or(u32::MAX)
    }
}

/// One cell: `clients` clients running `op`, after `warmup`, for `window`; with `pace`, the
/// clients together start `pace` operations per second at scheduled times.
#[derive(Debug, Clone, Copy)]
pub struct Cell {
    /// The operation.
    pub op: Op,
    /// Concurrent clients.
    pub clients: usize,
    /// Unmeasured lead-in.
    pub warmup: Duration,
    /// Measured window.
    pub window: Duration,
    /// Total scheduled rate (open loop), or `None` (closed loop: each client starts its next
    /// operation when the last one ends).
    pub pace: Option<f64>,
}

/// The resident set of this process in KiB (`VmRSS` of /proc/self/status).
pub fn vm_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Busy CPU time of the machine, all cores (/proc/stat: everything but idle and iowait).
pub fn machine_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let line = stat.lines().next()?.strip_prefix("cpu ")?;
    let ticks: Vec<u64> = line
        .split_whitespace()
        .filter_map(|v| v.parse().ok())
        .collect();
    let total: u64 = ticks.iter().take(8).sum();
    let idle = ticks.get(3)? + ticks.get(4)?;
    Some(Duration::from_millis((total - idle) * 10))
}

/// Waits (up to `max`) until other processes leave the cores alone: the machine's busy time
/// less this process's stays under a fifth of one core over half a second. Returns the
/// last share of one core seen busy with others.
pub fn wait_quiet(max: Duration) -> f64 {
    let deadline = std::time::Instant::now() + max;
    loop {
        let (m0, c0) = (machine_cpu(), process_cpu());
        std::thread::sleep(Duration::from_millis(500));
        let (m1, c1) = (machine_cpu(), process_cpu());
        let others = match (m0, m1, c0, c1) {
            (Some(m0), Some(m1), Some(c0), Some(c1)) => {
                (m1.saturating_sub(m0)).saturating_sub(c1.saturating_sub(c0))
            }
            _ => return 0.0,
        };
        let share = others.as_secs_f64() / 0.5;
        if share < 0.2 || std::time::Instant::now() >= deadline {
            return share;
        }
    }
}

/// User + system CPU time of this process (/proc/self/stat, 100 ticks a second).
pub fn process_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    let rest = stat.rsplit_once(')')?.1;
    let mut fields = rest.split_whitespace().skip(11);
    let utime: u64 = fields.next()?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some(Duration::from_millis((utime + stime) * 10))
}

#[derive(Default)]
struct ClientResult {
    latencies: Vec<Duration>,
    server_total: Duration,
    client_math: Duration,
    errors: usize,
    first_error: Option<String>,
}

/// Runs `cell` on the current runtime with `sessions[i]` for client `i` (there must be at
/// least `cell.clients`; their tokens are updated).
pub async fn run_cell(
    transport: Arc<Transport>,
    pool: Arc<BenchPool>,
    sessions: &mut [Session],
    cell: Cell,
    seed: u64,
) -> CellStats {
    let clients = cell.clients.min(sessions.len()).max(1);
    let start = Instant::now() + Duration::from_millis(20);
    let measure_from = start + cell.warmup;
    let end = measure_from + cell.window;
    let mut tasks = Vec::with_capacity(clients);
    for (i, session) in sessions.iter().take(clients).enumerate() {
        let transport = transport.clone();
        let pool = pool.clone();
        let mut session = session.clone();
        let mut rng = ChaCha20Rng::seed_from_u64(seed.wrapping_mul(1000) + i as u64);
        // Open loop: client i starts at offset i/pace, then every clients/pace.
        let schedule = cell.pace.filter(|p| *p > 0.0).map(|pace| {
            let every = Duration::from_secs_f64(clients as f64 / pace);
            let offset = Duration::from_secs_f64(i as f64 / pace);
            (every, offset)
        });
        tasks.push(tokio::spawn(async move {
            let mut out = ClientResult::default();
            let mut k: u32 = 0;
            loop {
                let began = match schedule {
                    Some((every, offset)) => {
                        let at = start + offset + every * k;
                        tokio::time::sleep_until(at).await;
                        at
                    }
                    None => {
                        tokio::time::sleep_until(start).await;
                        Instant::now()
                    }
                };
                k += 1;
                if began >= end {
                    break;
                }
                let result = run(&transport, &pool, &mut session, cell.op, Some(&mut rng)).await;
                let done = Instant::now();
                match result {
                    Ok(sample) if done >= measure_from && done < end => {
                        let latency = match schedule {
                            // From the scheduled start, less the client's own math.
                            Some(_) => (done - began).saturating_sub(sample.client_math),
                            None => sample.server,
                        };
                        out.latencies.push(latency);
                        out.server_total += sample.server;
                        out.client_math += sample.client_math;
                    }
                    Ok(_) => {}
                    Err(e) => {
                        out.errors += 1;
                        out.first_error.get_or_insert_with(|| e.to_string());
                    }
                }
                if done >= end {
                    break;
                }
            }
            (out, session)
        }));
    }
    tokio::time::sleep_until(measure_from).await;
    let (cpu0, machine0) = (process_cpu(), machine_cpu());
    tokio::time::sleep_until(end).await;
    let (cpu1, machine1) = (process_cpu(), machine_cpu());
    let mut stats = CellStats {
        window: cell.window,
        cpu: cpu0.zip(cpu1).map(|(a, b)| b.saturating_sub(a)),
        machine_cpu: machine0.zip(machine1).map(|(a, b)| b.saturating_sub(a)),
        ..Default::default()
    };
    for (i, task) in tasks.into_iter().enumerate() {
        match task.await {
            Ok((out, session)) => {
                stats.latencies.extend(out.latencies);
                stats.server_total += out.server_total;
                stats.client_math += out.client_math;
                stats.errors += out.errors;
                if stats.first_error.is_none() {
                    stats.first_error = out.first_error;
                }
                if let Some(slot) = sessions.get_mut(i) {
                    *slot = session;
                }
            }
            Err(e) => {
                stats.errors += 1;
                stats.first_error.get_or_insert_with(|| e.to_string());
            }
        }
    }
    stats.ops = stats.latencies.len();
    stats.latencies.sort_unstable();
    stats
}

/// Sustained closed-loop load: `clients` clients each cycling through `ops` for `total`,
/// printing every `every`: elapsed time, resident memory, rate, p50, p99 and errors of the
/// interval. Returns the (seconds, KiB) memory curve.
pub async fn soak(
    transport: Arc<Transport>,
    pool: Arc<BenchPool>,
    sessions: &[Session],
    ops: &[Op],
    clients: usize,
    total: Duration,
    every: Duration,
) -> Vec<(u64, u64)> {
    let latencies: Arc<Mutex<Vec<Duration>>> = Arc::default();
    let errors = Arc::new(AtomicUsize::new(0));
    let first_error: Arc<Mutex<Option<String>>> = Arc::default();
    let start = Instant::now();
    let end = start + total;
    let ops: Arc<[Op]> = ops.to_vec().into();
    let mut tasks = Vec::new();
    for (i, session) in sessions.iter().take(clients.max(1)).enumerate() {
        let (transport, pool, ops) = (transport.clone(), pool.clone(), ops.clone());
        let (latencies, errors, first_error) =
            (latencies.clone(), errors.clone(), first_error.clone());
        let mut session = session.clone();
        let mut rng = ChaCha20Rng::seed_from_u64(9000 + i as u64);
        tasks.push(tokio::spawn(async move {
            let mut k = i;
            while Instant::now() < end {
                let Some(op) = ops.get(k % ops.len().max(1)).copied() else {
                    break;
                };
                k += 1;
                match run(&transport, &pool, &mut session, op, Some(&mut rng)).await {
                    Ok(sample) => {
                        if let Ok(mut l) = latencies.lock() {
                            l.push(sample.server);
                        }
                    }
                    Err(e) => {
                        errors.fetch_add(1, Ordering::Relaxed);
                        if let Ok(mut f) = first_error.lock() {
                            f.get_or_insert_with(|| e.to_string());
                        }
                    }
                }
            }
        }));
    }
    let mut curve = vec![(0, vm_rss_kib().unwrap_or(0))];
    println!(
        "{:>8} {:>10} {:>10} {:>10} {:>10} {:>7} {:>6} {:>8}",
        "t (s)", "VmRSS MiB", "ops/s", "p50", "p99", "errors", "cpu%", "others%"
    );
    println!(
        "{:>8} {:>10.1} {:>10} {:>10} {:>10} {:>7} {:>6} {:>8}",
        0,
        curve[0].1 as f64 / 1024.0,
        "—",
        "—",
        "—",
        0,
        "—",
        "—"
    );
    let mut tick = start;
    let (mut cpu0, mut machine0) = (process_cpu(), machine_cpu());
    while tick < end {
        tick += every;
        tokio::time::sleep_until(tick.min(end)).await;
        let mut batch = latencies
            .lock()
            .map(|mut l| std::mem::take(&mut *l))
            .unwrap_or_default();
        batch.sort_unstable();
        let (cpu1, machine1) = (process_cpu(), machine_cpu());
        let stats = CellStats {
            ops: batch.len(),
            window: every,
            latencies: batch,
            cpu: cpu0.zip(cpu1).map(|(a, b)| b.saturating_sub(a)),
            machine_cpu: machine0.zip(machine1).map(|(a, b)| b.saturating_sub(a)),
            ..Default::default()
        };
        (cpu0, machine0) = (cpu1, machine1);
        let cpu = stats
            .cpu
            .map_or(0.0, |c| c.as_secs_f64() / every.as_secs_f64());
        let rss = vm_rss_kib().unwrap_or(0);
        let seconds = (tick.min(end) - start).as_secs();
        curve.push((seconds, rss));
        println!(
            "{:>8} {:>10.1} {:>10.0} {:>10} {:>10} {:>7} {:>6.0} {:>8.0}",
            seconds,
            rss as f64 / 1024.0,
            stats.rate(),
            ms(stats.quantile(0.5)),
            ms(stats.quantile(0.99)),
            errors.load(Ordering::Relaxed),
            cpu * 100.0,
            stats.others_share() * 100.0
        );
    }
    for task in tasks {
        let _ = task.await;
    }
    if let Ok(Some(e)) = first_error.lock().map(|f| f.clone()) {
        println!("first error: {e}");
    }
    curve
}

/// Milliseconds with two decimals.
pub fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}
