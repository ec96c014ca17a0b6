//! The RFC 5054 3072-bit group, `g = 2`, and Cognito's multiplier `k`.

use std::sync::OnceLock;

use crypto_bigint::{Odd, U256, U3072};
use sha2::{Digest, Sha256};

use crate::modexp::{Elem, FixedBaseTable, Montgomery};
use crate::pad_hex::pad_hex;

/// `N`, the RFC 3526 / RFC 5054 3072-bit safe prime, as Cognito's clients spell it.
pub const N_HEX: &str = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD",
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F",
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B",
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510",
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7",
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C",
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);

/// The generator, `g = 2`.
pub const G: u8 = 2;

/// Size of a group element in bytes.
pub(crate) const ELEMENT_BYTES: usize = 384;

/// `N` as a constant.
pub(crate) const N: U3072 = U3072::from_be_hex(N_HEX);

/// Everything derived from the group once per process: Montgomery parameters, `g` and `k` in
/// Montgomery form and the fixed-base table for `g`.
pub(crate) struct Group {
    pub(crate) mont: Montgomery,
    pub(crate) generator: Elem,
    /// `k` in Montgomery form.
    pub(crate) k: Elem,
    pub(crate) comb: FixedBaseTable,
}

/// The group, built on first use (≈10 ms, mostly the fixed-base table).
pub(crate) fn group() -> &'static Group {
    static GROUP: OnceLock<Group> = OnceLock::new();
    GROUP.get_or_init(|| {
        let params =
            crypto_bigint::modular::FixedMontyParams::new_vartime(Odd::<U3072>::from_be_hex(N_HEX));
        let mont = Montgomery::new(params);
        let generator = mont.elem(&U3072::from_u8(G));
        let k = mont.elem(&k().resize());
        let comb = FixedBaseTable::new(&mont, &generator);
        Group {
            mont,
            generator,
            k,
            comb,
        }
    })
}

/// `k = H(padHex(N) ‖ padHex(g))`, as Cognito computes it (not RFC 5054's `PAD`).
///
/// ```
/// assert_eq!(
///     cognito_srp6a::pad_hex::to_hex(&cognito_srp6a::k().to_be_bytes()),
///     "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6"
/// );
/// ```
pub fn k() -> U256 {
    let mut h = Sha256::new();
    h.update(pad_hex(&N.to_be_bytes()));
    h.update(pad_hex(&[G]));
    U256::from_be_slice(&h.finalize())
}

/// Big-endian bytes of a group element, 384 bytes with leading zeros.
pub(crate) fn element_bytes(v: &U3072) -> Vec<u8> {
    v.to_be_bytes().to_vec()
}
