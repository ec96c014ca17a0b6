//! The Node.js clients and providers the tests run (`tests/<dir>`, dependencies pinned by
//! `package-lock.json`): `npm ci` the first time, one install at a time.

use std::path::Path;
use std::process::Command;
use std::sync::{Mutex, PoisonError};

/// Installs `dir`'s pinned dependencies unless `node_modules/<marker>` is there already.
/// Tests run in parallel in this process: one lock keeps two `npm ci` from writing the same
/// `node_modules` (or npm's cache) at once, and the others wait for it.
pub(crate) fn install(dir: &Path, marker: &str) {
    static INSTALLING: Mutex<()> = Mutex::new(());
    let _one_at_a_time = INSTALLING.lock().unwrap_or_else(PoisonError::into_inner);
    if dir.join("node_modules").join(marker).is_dir() {
        return;
    }
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(dir)
        .status()
        .expect("npm (Node.js) is needed for the tests that run real JavaScript clients");
    assert!(status.success(), "npm ci failed in {}", dir.display());
}
