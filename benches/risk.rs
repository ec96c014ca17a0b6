//! What threat protection adds to a sign-in: the same USER_SRP_AUTH sign-in through the
//! facade on `MemoryStore`, with threat protection `OFF` and `ENFORCED` (every account-takeover
//! level configured, IP exception lists set, compromised-credentials checks on), measured in
//! the same run. With `ENFORCED` each sign-in checks the store's newest event against the
//! facade's cache of the user's parsed history (last 200 events), scores them, notes the
//! address and stores a new event (the history is at its 200-event cap after warm-up, the
//! steady state of an active user).
//!
//! ```sh
//! cargo bench -p userpool-benches --bench risk
//! ```
//!
//! Besides criterion's two medians, a paired run (sign-ins alternating between the two
//! services, so drift hits both alike) prints the median of the per-pair differences: the
//! issue's target is that the risk check adds under 50 µs to a sign-in.

use std::sync::Arc;
use std::time::Duration;

use criterion::Criterion;
use userpool::userpool_risk::{
    AccountTakeoverAction, AccountTakeoverActions, AccountTakeoverRiskConfiguration,
    AdvancedSecurityMode, CompromisedCredentialsActions, CompromisedCredentialsEventAction,
    CompromisedCredentialsRiskConfiguration, EventAction, RiskExceptionConfiguration,
};
use userpool::wire::*;
use userpool_benches::facade::Fixture;
use userpool_benches::{criterion_dir, human, median_ns, ratio};

fn fixture(mode: AdvancedSecurityMode) -> Fixture {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let f = Fixture::with_pool(
        runtime,
        Arc::new(userpool_store::MemoryStore::new()),
        |pool| {
            pool.user_pool_add_ons = Some(UserPoolAddOns {
                advanced_security_mode: mode,
                advanced_security_additional_flows: None,
            });
        },
    );
    if mode != AdvancedSecurityMode::Off {
        let no_action = Some(AccountTakeoverAction {
            notify: false,
            event_action: EventAction::NoAction,
        });
        let request = SetRiskConfigurationRequest {
            user_pool_id: f.pool.clone(),
            compromised_credentials_risk_configuration: Some(
                CompromisedCredentialsRiskConfiguration {
                    event_filter: None,
                    actions: CompromisedCredentialsActions {
                        event_action: CompromisedCredentialsEventAction::Block,
                    },
                },
            ),
            account_takeover_risk_configuration: Some(AccountTakeoverRiskConfiguration {
                notify_configuration: None,
                actions: AccountTakeoverActions {
                    low_action: no_action,
                    medium_action: no_action,
                    high_action: no_action,
                },
            }),
            risk_exception_configuration: Some(
                RiskExceptionConfiguration::parse(
                    &["192.0.2.0/24", "2001:db8::/32"],
                    &["10.0.0.0/8"],
                )
                .expect("ranges"),
            ),
            ..Default::default()
        };
        f.runtime
            .block_on(
                f.service
                    .threat_protection()
                    .set_risk_configuration(request),
            )
            .expect("risk configuration");
    }
    f
}

/// `n` alternating sign-ins on `off` and `on`; the median of `on − off` per pair. With
/// `cold`, both clocks move on by more than the history cache's 60 s before each pair, so
/// every ENFORCED sign-in re-reads and re-parses the user's 200 events (a user who has not
/// signed in for a minute, or one the cache forgot).
fn paired(off: &mut Fixture, on: &mut Fixture, n: usize, cold: bool) -> f64 {
    let mut differences: Vec<f64> = (0..n)
        .map(|_| {
            if cold {
                off.clock.advance(61);
                on.clock.advance(61);
            }
            let a = off.sign_in().as_nanos() as f64;
            let b = on.sign_in().as_nanos() as f64;
            b - a
        })
        .collect();
    differences.sort_by(f64::total_cmp);
    differences.get(n / 2).copied().unwrap_or(f64::NAN)
}

fn main() {
    let mut c = Criterion::default()
        .output_directory(&criterion_dir())
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .configure_from_args();
    let mut off = fixture(AdvancedSecurityMode::Off);
    let mut on = fixture(AdvancedSecurityMode::Enforced);
    // Fill the history to its cap first: the steady state.
    for _ in 0..220 {
        on.sign_in();
    }
    c.benchmark_group("risk").bench_function("off", |bench| {
        bench.iter_custom(|iterations| (0..iterations).map(|_| off.sign_in()).sum())
    });
    c.benchmark_group("risk")
        .bench_function("enforced", |bench| {
            bench.iter_custom(|iterations| (0..iterations).map(|_| on.sign_in()).sum())
        });
    c.final_summary();
    let pairs = 400;
    let added = paired(&mut off, &mut on, pairs, false);
    let cold = paired(&mut off, &mut on, pairs, true);

    println!("\nUSER_SRP_AUTH sign-in with threat protection (criterion medians, same run)");
    let (o, e) = (median_ns("risk", "off"), median_ns("risk", "enforced"));
    if let (Some(o), Some(e)) = (o, e) {
        println!("OFF       {:>12}", human(o));
        println!("ENFORCED  {:>12}  ({} of OFF)", human(e), ratio(e, o));
        println!("difference of medians: {}", human(e - o));
    }
    println!(
        "paired median of (ENFORCED − OFF) over {pairs} alternating sign-ins: {} (target < 50 µs)",
        human(added)
    );
    println!(
        "the same with the history cache cold (clocks moved 61 s before each pair): {}",
        human(cold)
    );
}
