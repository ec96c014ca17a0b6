//! Replaying a committed fuzz corpus through a harness, for the crates' ordinary tests.

/// Runs every file of `fuzz/corpus/<target>` through `run`; returns how many there were.
/// `manifest_dir` is the calling crate's `CARGO_MANIFEST_DIR` (a crate under `crates/`).
pub(crate) fn replay(manifest_dir: &str, target: &str, run: fn(&[u8])) -> usize {
    let dir = format!("{manifest_dir}/../../fuzz/corpus/{target}");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{dir}: {e}")) {
        let path = entry.expect("corpus entry").path();
        run(&std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())));
        count += 1;
    }
    count
}
