//! Fuzzing-only shortcuts, compiled only with `--cfg fuzzing` (which cargo-fuzz passes to every
//! crate of a fuzz build; a normal build has no such module, see the
//! `normal_build_draws_ephemerals_and_computes` test).
//!
//! A fuzz target that drives a state machine (sessions, steps, replays) wants thousands of
//! inputs a second, but each SRP step costs several 3072-bit exponentiations. With
//! [`set_fast_arithmetic`]`(true)` the arithmetic stays the real 3072-bit group's, but:
//!
//! * the ephemeral secrets `a` and `b` are fixed (the RNG is still drawn from, so the caller's
//!   random stream is unchanged), so `SRP_A` and, per verifier, `SRP_B` are always the same;
//! * every exponentiation is memoised by its base and exponent, so a value is computed once
//!   per process and then looked up.
//!
//! Results are bit-for-bit the real ones (a memoised value is the value), so a wrong password
//! still fails and a right one still verifies. Off by default: a target that wants the real
//! cost end to end (`flow_driver_real`) leaves it off.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use crypto_bigint::Word;

use crate::modexp::Elem;

static FAST: AtomicBool = AtomicBool::new(false);

/// Memoised results: `(operation, base words, exponent words)` → value.
type Memo = HashMap<(u8, Vec<Word>, Vec<Word>), Elem>;
static MEMO: Mutex<Option<Memo>> = Mutex::new(None);

/// Bounds the memo; it is emptied when full.
const MEMO_ENTRIES: usize = 1 << 16;

/// The value of both fixed ephemeral secrets' bytes.
const FIXED_EPHEMERAL_BYTE: u8 = 0x5a;

/// Turns fixed ephemerals and memoised exponentiations on or off, for the whole process.
pub fn set_fast_arithmetic(on: bool) {
    FAST.store(on, Ordering::Relaxed);
}

/// Whether fast arithmetic is on.
pub fn fast_arithmetic() -> bool {
    FAST.load(Ordering::Relaxed)
}

/// Overwrites a freshly drawn ephemeral secret with the fixed one when fast arithmetic is on.
pub(crate) fn fix_ephemeral(bytes: &mut [u8]) {
    if fast_arithmetic() {
        bytes.fill(FIXED_EPHEMERAL_BYTE);
    }
}

/// `compute()`, or its memoised value for `(op, base, exponent)` when fast arithmetic is on.
pub(crate) fn memo(
    op: u8,
    base: &[Word],
    exponent: &[Word],
    compute: impl FnOnce() -> Elem,
) -> Elem {
    if !fast_arithmetic() {
        return compute();
    }
    let key = (op, base.to_vec(), exponent.to_vec());
    if let Some(found) = MEMO
        .lock()
        .ok()
        .and_then(|memo| memo.as_ref().and_then(|m| m.get(&key).copied()))
    {
        return found;
    }
    let value = compute();
    if let Ok(mut memo) = MEMO.lock() {
        let memo = memo.get_or_insert_with(HashMap::new);
        if memo.len() >= MEMO_ENTRIES {
            memo.clear();
        }
        memo.insert(key, value);
    }
    value
}
