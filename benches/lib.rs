//! Shared support for the benches: reading criterion's medians back and printing ratio tables.
//!
//! Each bench runs our implementation and its references in one criterion run, then prints
//! medians and `ours / reference` ratios from what criterion wrote:
//!
//! ```
//! use userpool_benches::{human, ratio};
//! assert_eq!(human(1_450_000.0), "1.450 ms");
//! assert_eq!(human(157_000.0), "157.0 µs");
//! assert_eq!(ratio(2.166e6, 1.699e6), "1.27×");
//! ```

use std::path::{Path, PathBuf};

pub mod facade;
pub mod load_client;
pub mod load_report;
pub mod load_run;
pub mod sigv4;
pub mod statements;

/// Where the benches tell criterion to write, so the summary can read it back.
pub fn criterion_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/criterion")
}

/// The median (ns) criterion measured for `group/function` in this run, if any.
pub fn median_ns(group: &str, function: &str) -> Option<f64> {
    let path = criterion_dir()
        .join(group)
        .join(function)
        .join("new/estimates.json");
    let text = std::fs::read_to_string(path).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json.get("median")?.get("point_estimate")?.as_f64()
}

/// Formats nanoseconds for a table.
pub fn human(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.3} ms", ns / 1e6)
    } else {
        format!("{:.1} µs", ns / 1e3)
    }
}

/// `ours / reference`, as printed in the tables.
pub fn ratio(ours: f64, reference: f64) -> String {
    format!("{:.2}×", ours / reference)
}

/// Prints one table: a row per group, a column per implementation, then `ours / reference`
/// ratios against each reference.
pub fn print_table(title: &str, groups: &[&str], ours: &str, references: &[&str]) {
    println!("\n{title} (criterion medians, same run)");
    let mut header = format!("{:<22} {:>12}", "step", ours);
    for r in references {
        header.push_str(&format!(" {r:>12}"));
    }
    for r in references {
        header.push_str(&format!(" {:>14}", format!("ours/{r}")));
    }
    println!("{header}");
    for g in groups {
        let Some(o) = median_ns(g, ours) else {
            continue;
        };
        let mut line = format!("{:<22} {:>12}", g, human(o));
        let refs: Vec<Option<f64>> = references.iter().map(|r| median_ns(g, r)).collect();
        for r in &refs {
            line.push_str(&format!(" {:>12}", r.map_or_else(|| "—".to_owned(), human)));
        }
        for r in &refs {
            line.push_str(&format!(
                " {:>14}",
                r.map_or_else(|| "—".to_owned(), |r| ratio(o, r))
            ));
        }
        println!("{line}");
    }
}

/// User number `i` of the benches' large pools: 8 attributes, a unique `sub`.
pub fn population_user(i: u64) -> user_pool_model::User {
    // Bytes 6 and 8 carry the UUID version and variant; keep the counter clear of them.
    let mut bytes = [0u8; 16];
    bytes[10..].copy_from_slice(&i.to_be_bytes()[2..]);
    let mut u = user_pool_model::User::new(
        &format!("user{i}"),
        user_pool_model::Sub::from_bytes(bytes),
        user_pool_model::UserStatus::Confirmed,
        1_700_000_000,
    );
    for (k, v) in [
        ("email", format!("user{i}@example.com")),
        ("email_verified", "true".to_owned()),
        ("name", format!("User Number {i}")),
        ("given_name", "User".to_owned()),
        ("family_name", format!("Number{i}")),
        ("phone_number", format!("+1555{i:07}")),
        ("locale", "en-US".to_owned()),
        ("custom:tier", "gold".to_owned()),
    ] {
        u.attributes.insert(k.to_owned(), v);
    }
    u
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_are_read_from_criterion_estimates() {
        let group = "userpool-benches-selftest";
        let dir = criterion_dir().join(group).join("f/new");
        std::fs::create_dir_all(&dir).expect("dir");
        std::fs::write(
            dir.join("estimates.json"),
            r#"{"median":{"point_estimate":1234.5}}"#,
        )
        .expect("write");
        assert_eq!(median_ns(group, "f"), Some(1234.5));
        assert_eq!(median_ns(group, "missing"), None);
        std::fs::remove_dir_all(criterion_dir().join(group)).expect("cleanup");
    }
}
