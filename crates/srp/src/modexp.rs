//! Constant-time arithmetic in the 3072-bit group.
//!
//! Multiplication, conversion and modular reduction come from `crypto-bigint` (RustCrypto's
//! constant-time big integers). Two things are ours because they dominate a sign-in:
//!
//! * [`square`]: a product-scanning Montgomery squaring that computes each cross product once
//!   (≈15 % faster than `crypto-bigint`'s squaring, which is a multiplication of `a` by itself);
//! * [`FixedBaseTable`]: a comb for powers of the fixed generator `g`, so `g^b`, `g^a` and `g^x`
//!   need 43 multiplications and no squarings.
//!
//! Nothing here branches on or indexes memory by a secret: loop bounds depend only on public
//! sizes, table entries are selected by masking every entry, and the final subtraction is masked.

use crypto_bigint::modular::{FixedMontyForm, FixedMontyParams};
use crypto_bigint::{U3072, Uint, WideWord, Word};

/// Limbs of a group element.
pub(crate) const LIMBS: usize = U3072::LIMBS;
/// A group element in Montgomery form.
pub(crate) type Elem = FixedMontyForm<LIMBS>;
type Words = [Word; LIMBS];

const WORD_BITS: usize = Word::BITS as usize;

/// The Montgomery context: `crypto-bigint`'s parameters plus what [`square`] needs.
pub(crate) struct Montgomery {
    pub(crate) params: FixedMontyParams<LIMBS>,
    modulus: Words,
    /// `-N⁻¹ mod 2^WORD_BITS`.
    neg_inv: Word,
}

impl Montgomery {
    pub(crate) fn new(params: FixedMontyParams<LIMBS>) -> Self {
        let modulus = params.modulus().as_ref().to_words();
        let n0 = modulus[0];
        // Newton's iteration doubles the number of correct low bits; n0 is odd, so 1 is
        // correct to one bit.
        let mut inv: Word = 1;
        let mut bits = 1;
        while bits < WORD_BITS {
            inv = inv.wrapping_mul(Word::wrapping_sub(2, n0.wrapping_mul(inv)));
            bits *= 2;
        }
        Self {
            params,
            modulus,
            neg_inv: inv.wrapping_neg(),
        }
    }

    pub(crate) fn one(&self) -> Elem {
        Elem::one(&self.params)
    }

    pub(crate) fn elem(&self, value: &U3072) -> Elem {
        Elem::new(value, &self.params)
    }

    /// Montgomery squaring, `a² · R⁻¹ mod N`, in constant time.
    pub(crate) fn square(&self, a: &Elem) -> Elem {
        let words = a.as_montgomery().to_words();
        let out = self.square_words(&words);
        Elem::from_montgomery(Uint::from_words(out), &self.params)
    }

    /// Product scanning ("FIPS" Montgomery): column `k` sums the cross products `aᵢ·aⱼ`
    /// (`i + j = k`, each once, then doubled), the square `aₖ/₂²`, and the reduction products
    /// `mᵢ·Nⱼ`; for `k < LIMBS` it then picks `mₖ` so the column's low word vanishes.
    /// Two independent accumulators per column keep the carry chains short.
    #[expect(
        clippy::indexing_slicing,
        reason = "every index is a loop counter bounded by the compile-time LIMBS"
    )]
    fn square_words(&self, a: &Words) -> Words {
        let n = &self.modulus;
        let mut m: Words = [0; LIMBS];
        let mut r: Words = [0; LIMBS];
        let mut carry = Acc::default();
        for k in 0..2 * LIMBS {
            let lo = k.saturating_sub(LIMBS - 1);
            let hi = if k >= LIMBS { LIMBS - 1 } else { k };
            // Cross products i < j with i + j = k.
            let mut cross = Acc::default();
            let mut cross2 = Acc::default();
            let (mut i, mut j) = (lo, hi);
            while i + 2 < j {
                cross.mul_add(a[i], a[j]);
                cross2.mul_add(a[i + 1], a[j - 1]);
                i += 2;
                j -= 2;
            }
            if i < j {
                cross.mul_add(a[i], a[j]);
            }
            cross.add(&cross2);
            let mut x = cross.doubled();
            let mut y = Acc::default();
            if k % 2 == 0 {
                let d = a[k / 2];
                y.mul_add(d, d);
            }
            // Reduction products mᵢ·N_{k-i} for the mᵢ already chosen.
            let top = if k >= LIMBS {
                LIMBS - 1
            } else {
                k.wrapping_sub(1)
            };
            if k > 0 {
                let mut i = lo;
                while i < top {
                    x.mul_add(m[i], n[k - i]);
                    y.mul_add(m[i + 1], n[k - i - 1]);
                    i += 2;
                }
                if i == top {
                    x.mul_add(m[i], n[k - i]);
                }
            }
            x.add(&y);
            x.add(&carry);
            if k < LIMBS {
                let mk = x.low_word().wrapping_mul(self.neg_inv);
                m[k] = mk;
                x.mul_add(mk, n[0]);
            } else {
                r[k - LIMBS] = x.low_word();
            }
            carry = x.shifted_word();
        }
        // The value is r + carry·R < 2N: subtract N once, masked.
        let overflow = carry.low_word();
        let mut diff: Words = [0; LIMBS];
        let mut borrow: Word = 0;
        for ((d, &rv), &nv) in diff.iter_mut().zip(r.iter()).zip(n.iter()) {
            let (v, b1) = rv.overflowing_sub(nv);
            let (v, b2) = v.overflowing_sub(borrow);
            *d = v;
            borrow = Word::from(b1 | b2);
        }
        // Keep r only when r < N (borrow) and nothing overflowed past R.
        let keep_r = (borrow & (overflow ^ 1)).wrapping_neg();
        for (d, &rv) in diff.iter_mut().zip(r.iter()) {
            *d = (rv & keep_r) | (*d & !keep_r);
        }
        diff
    }

    /// `a^(2^64)`: 64 squarings.
    pub(crate) fn square_64(&self, a: &Elem) -> Elem {
        let computed = || {
            let mut p = *a;
            for _ in 0..64 {
                p = self.square(&p);
            }
            p
        };
        #[cfg(fuzzing)]
        {
            crate::fuzzing::memo(4, &a.as_montgomery().to_words(), &[], computed)
        }
        #[cfg(not(fuzzing))]
        computed()
    }

    /// `base^exponent` in constant time for a secret exponent of at most `exponent_bits` bits
    /// (a public bound), given as little-endian words. Fixed 4-bit windows.
    pub(crate) fn pow(&self, base: &Elem, exponent: &[Word], exponent_bits: usize) -> Elem {
        #[cfg(fuzzing)]
        {
            let words = base.as_montgomery().to_words();
            let mut key = exponent.to_vec();
            key.push(exponent_bits as Word);
            crate::fuzzing::memo(1, &words, &key, || {
                self.pow_computed(base, exponent, exponent_bits)
            })
        }
        #[cfg(not(fuzzing))]
        self.pow_computed(base, exponent, exponent_bits)
    }

    fn pow_computed(&self, base: &Elem, exponent: &[Word], exponent_bits: usize) -> Elem {
        const WINDOW: usize = 4;
        let mut table = [self.one(); 1 << WINDOW];
        let mut prev = self.one();
        for entry in table.iter_mut().skip(1) {
            prev = prev.mul(base);
            *entry = prev;
        }
        let table: Vec<Words> = table.iter().map(|e| e.as_montgomery().to_words()).collect();
        let windows = exponent_bits.div_ceil(WINDOW);
        let mut acc = self.one();
        for w in (0..windows).rev() {
            if w + 1 != windows {
                for _ in 0..WINDOW {
                    acc = self.square(&acc);
                }
            }
            let digit = window_digit(exponent, w * WINDOW, WINDOW);
            acc = acc.mul(&self.select(&table, digit));
        }
        acc
    }

    /// `v^e` for a **public** 256-bit exponent `e` (the scrambling parameter `u`), given
    /// `bases = [v, v^(2^64), v^(2^128), v^(2^192)]`: a 4-tooth comb, 64 squarings and at most
    /// 64 multiplications plus 11 for the table. It branches and indexes on the bits of `e`
    /// only; every operation on the (secret) bases is the constant-time arithmetic.
    pub(crate) fn pow_comb4_public(&self, bases: &[Elem; 4], exponent: &[Word]) -> Elem {
        #[cfg(fuzzing)]
        {
            let words: Vec<Word> = bases
                .iter()
                .flat_map(|b| b.as_montgomery().to_words())
                .collect();
            crate::fuzzing::memo(2, &words, exponent, || {
                self.pow_comb4_computed(bases, exponent)
            })
        }
        #[cfg(not(fuzzing))]
        self.pow_comb4_computed(bases, exponent)
    }

    #[expect(
        clippy::indexing_slicing,
        reason = "indices are below 16 (table) and 4 (bases) by construction: 4-bit digits"
    )]
    fn pow_comb4_computed(&self, bases: &[Elem; 4], exponent: &[Word]) -> Elem {
        let mut table = [self.one(); 16];
        for j in 1..16usize {
            let low = j & j.wrapping_sub(1);
            let tooth = j.trailing_zeros() as usize;
            table[j] = if low == 0 {
                bases[tooth]
            } else {
                table[low].mul(&bases[tooth])
            };
        }
        let bit = |i: usize| window_digit(exponent, i, 1) as usize;
        let mut acc: Option<Elem> = None;
        for i in (0..64).rev() {
            if let Some(a) = acc.as_mut() {
                *a = self.square(a);
            }
            let digit = bit(i) | bit(64 + i) << 1 | bit(128 + i) << 2 | bit(192 + i) << 3;
            if digit != 0 {
                acc = Some(match acc {
                    Some(a) => a.mul(&table[digit]),
                    None => table[digit],
                });
            }
        }
        acc.unwrap_or_else(|| self.one())
    }

    /// Masked table lookup: reads every entry, keeps the one at `index`.
    fn select(&self, table: &[Words], index: Word) -> Elem {
        let mut out: Words = [0; LIMBS];
        for (i, entry) in (0..).zip(table.iter()) {
            let diff: Word = i ^ index;
            // All ones iff diff == 0.
            let mask = ((diff | diff.wrapping_neg()) >> (WORD_BITS - 1)).wrapping_sub(1);
            for (o, &e) in out.iter_mut().zip(entry.iter()) {
                *o |= e & mask;
            }
        }
        Elem::from_montgomery(Uint::from_words(out), &self.params)
    }
}

/// The `width` bits of `exponent` starting at bit `bit` (little-endian words); windows never
/// straddle a word because `width` divides the word size. Bits past the end read as zero.
fn window_digit(exponent: &[Word], bit: usize, width: usize) -> Word {
    let word = exponent.get(bit / WORD_BITS).copied().unwrap_or(0);
    (word >> (bit % WORD_BITS)) & ((1 << width) - 1)
}

/// A 2·WORD_BITS + WORD_BITS accumulator: `lo` wide word plus an overflow word.
#[derive(Clone, Copy, Default)]
struct Acc {
    lo: WideWord,
    over: Word,
}

impl Acc {
    #[inline(always)]
    fn mul_add(&mut self, a: Word, b: Word) {
        let p = WideWord::from(a) * WideWord::from(b);
        let (s, o) = self.lo.overflowing_add(p);
        self.lo = s;
        self.over = self.over.wrapping_add(Word::from(o));
    }

    #[inline(always)]
    fn add(&mut self, other: &Self) {
        let (s, o) = self.lo.overflowing_add(other.lo);
        self.lo = s;
        self.over = self
            .over
            .wrapping_add(other.over)
            .wrapping_add(Word::from(o));
    }

    #[inline(always)]
    fn doubled(&self) -> Self {
        Self {
            lo: self.lo << 1,
            over: (self.over << 1) | ((self.lo >> (2 * WORD_BITS - 1)) as Word),
        }
    }

    #[inline(always)]
    fn low_word(&self) -> Word {
        self.lo as Word
    }

    /// The accumulator shifted right by one word.
    #[inline(always)]
    fn shifted_word(&self) -> Self {
        Self {
            lo: (self.lo >> WORD_BITS) | (WideWord::from(self.over) << WORD_BITS),
            over: 0,
        }
    }
}

/// Fixed-base comb for `g^e` with `e` of at most [`FixedBaseTable::EXPONENT_BITS`] bits:
/// row `i` holds `g^(d · 2^(6i))` for every 6-bit digit `d`.
pub(crate) struct FixedBaseTable {
    rows: Vec<Vec<Words>>,
}

impl FixedBaseTable {
    const WINDOW: usize = 6;
    /// Largest exponent the table covers.
    pub(crate) const EXPONENT_BITS: usize = 256;

    pub(crate) fn new(mont: &Montgomery, g: &Elem) -> Self {
        let windows = Self::EXPONENT_BITS.div_ceil(Self::WINDOW);
        let mut rows = Vec::with_capacity(windows);
        let mut base = *g;
        for _ in 0..windows {
            let mut row = Vec::with_capacity(1 << Self::WINDOW);
            let mut power = mont.one();
            for _ in 0..(1 << Self::WINDOW) {
                row.push(power.as_montgomery().to_words());
                power = power.mul(&base);
            }
            rows.push(row);
            for _ in 0..Self::WINDOW {
                base = mont.square(&base);
            }
        }
        Self { rows }
    }

    /// `g^exponent` for a secret exponent of at most 256 bits, in constant time.
    pub(crate) fn pow(&self, mont: &Montgomery, exponent: &[Word]) -> Elem {
        #[cfg(fuzzing)]
        {
            crate::fuzzing::memo(3, &[], exponent, || self.pow_computed(mont, exponent))
        }
        #[cfg(not(fuzzing))]
        self.pow_computed(mont, exponent)
    }

    fn pow_computed(&self, mont: &Montgomery, exponent: &[Word]) -> Elem {
        let mut acc = mont.one();
        for (w, row) in self.rows.iter().enumerate() {
            let digit = window_digit_straddling(exponent, w * Self::WINDOW, Self::WINDOW);
            acc = acc.mul(&mont.select(row, digit));
        }
        acc
    }
}

/// Like [`window_digit`] but for widths that do not divide the word size.
fn window_digit_straddling(exponent: &[Word], bit: usize, width: usize) -> Word {
    let mut digit: Word = 0;
    for k in 0..width {
        let b = bit + k;
        let word = exponent.get(b / WORD_BITS).copied().unwrap_or(0);
        digit |= ((word >> (b % WORD_BITS)) & 1) << k;
    }
    digit
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::group::group;
    use crypto_bigint::{NonZero, U256};
    use proptest::prelude::*;

    fn reduce(words: [Word; LIMBS]) -> U3072 {
        let n = group().mont.params.modulus().as_ref();
        Uint::from_words(words).rem_vartime(&NonZero::new(*n).expect("N is non-zero"))
    }

    fn words_strategy() -> impl Strategy<Value = [Word; LIMBS]> {
        proptest::array::uniform::<_, LIMBS>(any::<Word>())
    }

    #[test]
    fn square_handles_the_extremes() {
        let g = group();
        let n = *g.mont.params.modulus().as_ref();
        for v in [
            U3072::ZERO,
            U3072::ONE,
            n.wrapping_sub(&U3072::ONE),
            n.wrapping_sub(&U3072::from_u8(2)),
        ] {
            let e = g.mont.elem(&v);
            assert_eq!(g.mont.square(&e), e.square(), "{v}");
        }
        // Montgomery words at their maximum, N − 1.
        let top = Elem::from_montgomery(n.wrapping_sub(&U3072::ONE), &g.mont.params);
        assert_eq!(g.mont.square(&top), top.square());
    }

    proptest! {
        #[test]
        fn square_agrees_with_crypto_bigint(w in words_strategy()) {
            let g = group();
            let e = g.mont.elem(&reduce(w));
            prop_assert_eq!(g.mont.square(&e), e.square());
        }

        #[test]
        fn pow_agrees_with_crypto_bigint(w in words_strategy(), e in any::<[u8; 32]>(), bits in 1usize..=256) {
            let g = group();
            let base = g.mont.elem(&reduce(w));
            let exp = U256::from_be_slice(&e).shr_vartime((256 - bits) as u32);
            let ours = g.mont.pow(&base, &exp.to_words(), bits);
            prop_assert_eq!(ours, base.pow(&exp));
        }

        #[test]
        fn comb4_of_a_public_exponent_agrees_with_pow(w in words_strategy(), e in any::<[u8; 32]>()) {
            let g = group();
            let v = g.mont.elem(&reduce(w));
            let mut bases = [v; 4];
            for t in 1..4 {
                let mut p = bases[t - 1];
                for _ in 0..64 {
                    p = g.mont.square(&p);
                }
                bases[t] = p;
            }
            let exp = U256::from_be_slice(&e);
            prop_assert_eq!(g.mont.pow_comb4_public(&bases, &exp.to_words()), v.pow(&exp));
        }

        #[test]
        fn comb_agrees_with_generic_pow(e in any::<[u8; 32]>()) {
            let g = group();
            let exp = U256::from_be_slice(&e);
            prop_assert_eq!(g.comb.pow(&g.mont, &exp.to_words()), g.generator.pow(&exp));
        }
    }
}
