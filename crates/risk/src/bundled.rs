//! The bundled list of common (breached) passwords. Provenance and licence: `data/README.md`.

/// The list as shipped: one lower-case password per line, most common first.
const LIST: &str = include_str!("../data/common-passwords.txt");

/// How many passwords the shipped list has.
pub const BUNDLED_LIST_LEN: usize = 49_233;

/// Every bundled password, as shipped.
pub(crate) fn passwords() -> impl Iterator<Item = &'static str> {
    LIST.lines().filter(|line| !line.is_empty())
}

/// Every bundled password, and each again with its first letter capitalised (`password` →
/// `Password`): the list is lower-cased by its source, and a capital first letter is the most
/// common way users meet a "must contain an upper-case letter" policy.
pub(crate) fn passwords_with_variants() -> impl Iterator<Item = String> {
    passwords().flat_map(|p| {
        let capital = capitalised(p);
        std::iter::once(p.to_owned()).chain(capital)
    })
}

/// `p` with its first character upper-cased, when that is an ASCII lower-case letter.
pub(crate) fn capitalised(p: &str) -> Option<String> {
    let mut chars = p.chars();
    let first = chars.next()?;
    first
        .is_ascii_lowercase()
        .then(|| format!("{}{}", first.to_ascii_uppercase(), chars.as_str()))
}

/// The bundled passwords as shipped (lower case, most common first). The bundled filter also
/// holds each with its first letter capitalised (see [`BreachFilter::bundled`]).
///
/// [`BreachFilter::bundled`]: crate::BreachFilter::bundled
pub fn bundled_passwords() -> impl Iterator<Item = &'static str> {
    passwords()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_list_is_whole() {
        assert_eq!(passwords().count(), BUNDLED_LIST_LEN);
        assert_eq!(passwords().next(), Some("123456"));
        assert!(passwords().all(|p| p.is_ascii() && !p.contains([' ', '\r'])));
    }

    #[test]
    fn variants_capitalise_the_first_letter_only() {
        assert_eq!(capitalised("password1").as_deref(), Some("Password1"));
        assert_eq!(capitalised("1qaz2wsx"), None);
        assert_eq!(capitalised(""), None);
        assert_eq!(passwords_with_variants().count(), 92_856);
    }
}
