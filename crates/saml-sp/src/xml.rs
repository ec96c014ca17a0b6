//! Parsing untrusted XML once, safely, and reading SAML elements out of it.

use uppsala::{Document, NodeId, NodeKind};

use crate::error::{Error, Result};

/// SAML 2.0 protocol namespace (`samlp:`).
pub const PROTOCOL_NS: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
/// SAML 2.0 assertion namespace (`saml:`).
pub const ASSERTION_NS: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
/// SAML 2.0 metadata namespace (`md:`).
pub const METADATA_NS: &str = "urn:oasis:names:tc:SAML:2.0:metadata";
/// XML-DSig namespace (`ds:`).
pub const DSIG_NS: &str = "http://www.w3.org/2000/09/xmldsig#";

/// Parses `text` with DTDs refused (no entity is ever declared, so none is expanded or
/// fetched) and the parser's depth limits.
pub(crate) fn parse(text: &str) -> Result<Document<'_>> {
    // Refused before the parser sees it, whatever the parser's own policy.
    if text.contains("<!DOCTYPE") || text.contains("<!ENTITY") {
        return Err(Error::Dtd);
    }
    uppsala::Parser::new()
        .with_forbid_dtd(true)
        .with_forbid_entities(true)
        .parse(text)
        .map_err(|e| Error::Xml(e.to_string()))
}

/// Whether `node` is the element `{ns}local`.
pub(crate) fn is(doc: &Document<'_>, node: NodeId, ns: &str, local: &str) -> bool {
    doc.element(node)
        .is_some_and(|e| e.matches_name_ns(ns, local))
}

/// The direct child elements `{ns}local` of `parent`.
pub(crate) fn children(doc: &Document<'_>, parent: NodeId, ns: &str, local: &str) -> Vec<NodeId> {
    doc.child_elements_by_name_ns(parent, ns, local)
}

/// The one direct child `{ns}local` of `parent`, if there is exactly one; more than one is
/// [`Error::Structure`] with `what`.
pub(crate) fn child(
    doc: &Document<'_>,
    parent: NodeId,
    ns: &str,
    local: &str,
    what: &'static str,
) -> Result<Option<NodeId>> {
    let found = children(doc, parent, ns, local);
    match found.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(*one)),
        _ => Err(Error::Structure(what)),
    }
}

/// Every element `{ns}local` in the document.
pub(crate) fn all(doc: &Document<'_>, ns: &str, local: &str) -> Vec<NodeId> {
    doc.get_elements_by_tag_name_ns(ns, local)
}

/// An attribute of `node` (no namespace).
pub(crate) fn attr<'d>(doc: &'d Document<'_>, node: NodeId, name: &str) -> Option<&'d str> {
    doc.element(node).and_then(|e| {
        e.attributes
            .iter()
            .find(|a| a.name.namespace_uri.is_none() && *a.name.local_name == *name)
            .map(|a| &*a.value)
    })
}

/// The text of a value element (`NameID`, `AttributeValue`, `Issuer`, `Audience`): all its
/// text, trimmed. A comment anywhere inside is [`Error::CommentInValue`] (the
/// comment-truncation attack: canonicalization drops comments, so the signature covers the
/// whole text, and a reader that stops at the comment reads another user's name); a child
/// element is [`Error::Structure`].
pub(crate) fn value(doc: &Document<'_>, node: NodeId) -> Result<String> {
    let mut text = String::new();
    for c in doc.children_iter(node) {
        match doc.node_kind(c) {
            Some(NodeKind::Text(t) | NodeKind::CData(t)) => text.push_str(t),
            Some(NodeKind::Comment(_)) => return Err(Error::CommentInValue),
            Some(NodeKind::ProcessingInstruction(_)) => {
                return Err(Error::Structure("a processing instruction inside a value"));
            }
            Some(NodeKind::Element(_)) => {
                return Err(Error::Structure("an element inside a value"));
            }
            _ => {}
        }
    }
    Ok(text.trim().to_owned())
}

/// Seconds since the epoch of an `xs:dateTime` in UTC (`2026-12-02T18:16:19Z`, fractions
/// allowed). `what` names the attribute in the error.
pub(crate) fn instant(text: &str, what: &'static str) -> Result<i64> {
    let parsed = time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .map_err(|_| Error::Timestamp(what))?;
    Ok(parsed.unix_timestamp())
}

/// `xs:dateTime` of `unix` seconds, UTC, without fractions.
pub(crate) fn format_instant(unix: i64) -> Result<String> {
    let t = time::OffsetDateTime::from_unix_timestamp(unix)
        .map_err(|_| Error::InvalidParameter("the time is out of range".into()))?;
    let f = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    t.format(&f)
        .map_err(|_| Error::InvalidParameter("the time is out of range".into()))
}

/// `text` escaped for an XML attribute value or text node.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dtds_and_entities_are_refused() {
        let laughs = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><a>&lol2;</a>"#;
        assert_eq!(parse(laughs).err(), Some(Error::Dtd));
        let xxe = r#"<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>"#;
        assert_eq!(parse(xxe).err(), Some(Error::Dtd));
        assert!(matches!(parse("<a>&undeclared;</a>"), Err(Error::Xml(_))));
    }

    #[test]
    fn values_refuse_comments_and_elements() {
        let doc = parse("<r><a> x@y.com </a><b>x@y.com<!---->.evil</b><c>x<i/></c></r>").unwrap();
        let root = doc.document_element().unwrap();
        let kids: Vec<_> = doc.children_iter(root).collect();
        assert_eq!(value(&doc, kids[0]).unwrap(), "x@y.com");
        assert_eq!(value(&doc, kids[1]), Err(Error::CommentInValue));
        assert!(matches!(value(&doc, kids[2]), Err(Error::Structure(_))));
    }

    #[test]
    fn instants_round_trip() {
        assert_eq!(instant("2026-12-02T18:16:19Z", "t").unwrap(), 1_796_235_379);
        assert_eq!(
            instant("2026-12-02T18:16:19.250Z", "t").unwrap(),
            1_796_235_379
        );
        assert_eq!(
            format_instant(1_796_235_379).unwrap(),
            "2026-12-02T18:16:19Z"
        );
        assert_eq!(instant("yesterday", "t"), Err(Error::Timestamp("t")));
    }
}
