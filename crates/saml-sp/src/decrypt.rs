//! `EncryptedAssertion` (XML Encryption, `EncryptedResponses`): the shape and algorithms
//! checked here, the decryption itself by `bergshamra` with the pool's encryption key as the
//! only key (no `CipherReference`, no key derivation).
//!
//! Accepted: the session key by RSA-OAEP key transport (`rsa-oaep-mgf1p`, XML Encryption
//! 1.1 `rsa-oaep`; never PKCS#1 v1.5, whose padding oracle gives the key away), the content
//! by AES-CBC or AES-GCM (128, 192 or 256 bits).

use uppsala::{Document, NodeId};

use crate::error::{Error, Result};
use crate::request::SpKey;
use crate::xml::{self, ASSERTION_NS, DSIG_NS, attr};

/// XML Encryption namespace (`xenc:`).
pub const XENC_NS: &str = "http://www.w3.org/2001/04/xmlenc#";
/// XML Encryption 1.1 namespace (`xenc11:`: key derivation, refused).
const XENC11_NS: &str = "http://www.w3.org/2009/xmlenc11#";

/// Key-transport algorithms accepted for the `EncryptedKey`.
pub const KEY_TRANSPORT_ALGORITHMS: [&str; 2] = [
    "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p",
    "http://www.w3.org/2009/xmlenc11#rsa-oaep",
];

/// Content-encryption algorithms accepted for the `EncryptedData`.
pub const CONTENT_ALGORITHMS: [&str; 6] = [
    "http://www.w3.org/2001/04/xmlenc#aes128-cbc",
    "http://www.w3.org/2001/04/xmlenc#aes192-cbc",
    "http://www.w3.org/2001/04/xmlenc#aes256-cbc",
    "http://www.w3.org/2009/xmlenc11#aes128-gcm",
    "http://www.w3.org/2009/xmlenc11#aes192-gcm",
    "http://www.w3.org/2009/xmlenc11#aes256-gcm",
];

const ELEMENT_TYPE: &str = "http://www.w3.org/2001/04/xmlenc#Element";

fn method<'d>(doc: &'d Document<'_>, node: NodeId) -> Result<&'d str> {
    xml::child(
        doc,
        node,
        XENC_NS,
        "EncryptionMethod",
        "two EncryptionMethod",
    )?
    .and_then(|m| attr(doc, m, "Algorithm"))
    .ok_or(Error::Structure("no EncryptionMethod"))
}

/// The one `EncryptedAssertion`, a direct child of the response, holding one `EncryptedData`
/// (of an element) as its direct child, with no plain assertion anywhere, every algorithm
/// from the allow-lists, and nothing that reaches outside the document or derives keys.
pub(crate) fn check_encrypted(doc: &Document<'_>, response: NodeId) -> Result<NodeId> {
    if !xml::all(doc, ASSERTION_NS, "Assertion").is_empty() {
        return Err(Error::Wrapping("an assertion beside an encrypted one"));
    }
    let everywhere = xml::all(doc, ASSERTION_NS, "EncryptedAssertion");
    let direct = xml::children(doc, response, ASSERTION_NS, "EncryptedAssertion");
    let encrypted = match (everywhere.as_slice(), direct.as_slice()) {
        ([one], [direct]) if one == direct => *one,
        ([_], _) => {
            return Err(Error::Wrapping(
                "the assertion is not a child of the response",
            ));
        }
        _ => return Err(Error::Wrapping("more than one assertion")),
    };
    let data = xml::all(doc, XENC_NS, "EncryptedData");
    let [data] = data.as_slice() else {
        return Err(Error::Structure("exactly one EncryptedData is required"));
    };
    if doc.parent(*data) != Some(encrypted) {
        return Err(Error::Structure(
            "the EncryptedData is not in the EncryptedAssertion",
        ));
    }
    if attr(doc, *data, "Type").is_some_and(|t| t != ELEMENT_TYPE) {
        return Err(Error::Structure("the EncryptedData is not an element"));
    }
    let content = method(doc, *data)?;
    if !CONTENT_ALGORITHMS.contains(&content) {
        return Err(Error::EncryptionAlgorithm(content.to_owned()));
    }
    let keys = xml::all(doc, XENC_NS, "EncryptedKey");
    if keys.is_empty() {
        return Err(Error::Structure("no EncryptedKey"));
    }
    for key in keys {
        if !doc.ancestors(key).contains(&encrypted) {
            return Err(Error::Structure(
                "an EncryptedKey outside the EncryptedAssertion",
            ));
        }
        let transport = method(doc, key)?;
        if !KEY_TRANSPORT_ALGORITHMS.contains(&transport) {
            return Err(Error::EncryptionAlgorithm(transport.to_owned()));
        }
    }
    for node in doc.descendants(encrypted) {
        let Some(element) = doc.element(node) else {
            continue;
        };
        let ns = element.name.namespace_uri.as_deref().unwrap_or_default();
        let local = &*element.name.local_name;
        if ns == XENC11_NS
            || (ns == XENC_NS && matches!(local, "CipherReference" | "AgreementMethod"))
            || (ns == DSIG_NS && local == "Signature")
        {
            return Err(Error::Structure(
                "a reference, key agreement or signature inside the encrypted assertion",
            ));
        }
    }
    Ok(encrypted)
}

/// The document with its `EncryptedData` replaced by the plaintext, decrypted with `key`
/// alone.
pub(crate) fn decrypt(text: &str, key: &SpKey) -> Result<String> {
    let mut keys = bergshamra::KeysManager::new();
    keys.add_key(key.key().clone());
    let ctx = bergshamra::EncContext::new(keys)
        .with_disable_cipher_reference(true)
        .with_max_pbkdf2_iterations(0);
    bergshamra::decrypt(&ctx, text).map_err(|e| Error::Decryption(e.to_string()))
}

/// In the decrypted document: the one assertion, the direct (and only element) child of the
/// `EncryptedAssertion`, itself the response's direct child.
pub(crate) fn the_decrypted_assertion(doc: &Document<'_>, response: NodeId) -> Result<NodeId> {
    let assertions = xml::all(doc, ASSERTION_NS, "Assertion");
    let [assertion] = assertions.as_slice() else {
        return Err(Error::Wrapping(
            "the encrypted assertion is not exactly one assertion",
        ));
    };
    let holder = doc
        .parent(*assertion)
        .filter(|h| xml::is(doc, *h, ASSERTION_NS, "EncryptedAssertion"))
        .filter(|h| doc.parent(*h) == Some(response))
        .ok_or(Error::Wrapping(
            "the assertion is not a child of the response",
        ))?;
    // Besides the assertion, only the EncryptedKeys some IdPs put beside the EncryptedData.
    let others = doc
        .children_iter(holder)
        .filter(|c| doc.element(*c).is_some() && *c != *assertion)
        .any(|c| !xml::is(doc, c, XENC_NS, "EncryptedKey"));
    if others || !xml::all(doc, XENC_NS, "EncryptedData").is_empty() {
        return Err(Error::Wrapping(
            "the encrypted assertion is not exactly one assertion",
        ));
    }
    Ok(*assertion)
}

#[cfg(test)]
#[path = "decrypt_tests.rs"]
mod tests;
