//! The fuzzing shortcuts (`cognito_srp6a::fuzzing`: fixed ephemerals and memoised exponentiations) exist
//! only in a build with `--cfg fuzzing`. This is a normal build: ephemerals are drawn from the
//! RNG and every value is computed in the RFC 5054 3072-bit group.

use cognito_srp6a::{ClientHandshake, Password, ServerHandshake};
use num_bigint::BigUint;
use rand_chacha::ChaCha20Rng;
use rand_core::{Rng, SeedableRng};

#[cfg(fuzzing)]
compile_error!("the test build must not be a fuzzing build");

#[test]
fn normal_build_draws_ephemerals_and_computes_in_the_3072_bit_group() {
    let modulus = BigUint::parse_bytes(cognito_srp6a::N_HEX.as_bytes(), 16).expect("N");
    assert_eq!(modulus.bits(), 3072);

    // SRP_A = g^a mod N for the `a` the RNG gave (the same stream, drawn by hand).
    let mut drawn = [0u8; cognito_srp6a::CLIENT_EPHEMERAL_SECRET_BYTES];
    ChaCha20Rng::seed_from_u64(3).fill_bytes(&mut drawn);
    let client = ClientHandshake::start(&mut ChaCha20Rng::seed_from_u64(3)).expect("client");
    let expected =
        BigUint::from(cognito_srp6a::G).modpow(&BigUint::from_bytes_be(&drawn), &modulus);
    assert_eq!(client.srp_a(), expected.to_str_radix(16));

    // Other seeds, other ephemerals: nothing is fixed.
    let other = ClientHandshake::start(&mut ChaCha20Rng::seed_from_u64(4)).expect("client");
    assert_ne!(client.srp_a(), other.srp_a());
    let mut rng = ChaCha20Rng::seed_from_u64(5);
    let (_, verifier) = cognito_srp6a::generate_verifier(
        "AbCdEf123",
        "alice",
        &Password::new("Passw0rd!"),
        &mut rng,
    );
    let b1 = ServerHandshake::start(&verifier, &client.srp_a(), &mut rng).expect("server");
    let b2 = ServerHandshake::start(&verifier, &client.srp_a(), &mut rng).expect("server");
    assert_ne!(b1.srp_b(), b2.srp_b());
}
