//! A small, strict XML reader for STS answers: one root, elements with either text or
//! children, bounded depth and element count. No DTDs, no processing instructions, no
//! entities beyond XML's five and character references.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// Deepest nesting accepted (STS answers are four levels deep).
const MAX_DEPTH: usize = 8;
/// Most elements accepted.
const MAX_ELEMENTS: usize = 256;

/// An element: its local name (namespace prefix dropped), its text, its children, and the
/// default namespace it declares, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Element {
    pub(crate) name: String,
    pub(crate) text: String,
    pub(crate) children: Vec<Self>,
    pub(crate) xmlns: Option<String>,
}

impl Element {
    /// The only child called `name`, if any.
    pub(crate) fn child(&self, name: &str) -> Result<Option<&Self>, &'static str> {
        let mut found = self.children.iter().filter(|c| c.name == name);
        let first = found.next();
        if found.next().is_some() {
            return Err("an element appears twice");
        }
        Ok(first)
    }

    /// The only child called `name`, required.
    pub(crate) fn required(&self, name: &str) -> Result<&Self, &'static str> {
        self.child(name)?.ok_or("a required element is missing")
    }

    /// The text of a leaf child, if present.
    pub(crate) fn text_of(&self, name: &str) -> Result<Option<String>, &'static str> {
        match self.child(name)? {
            None => Ok(None),
            Some(e) if !e.children.is_empty() => Err("a text element has children"),
            Some(e) => Ok(Some(e.text.clone())),
        }
    }

    /// The text of a required leaf child.
    pub(crate) fn required_text(&self, name: &str) -> Result<String, &'static str> {
        self.text_of(name)?.ok_or("a required element is missing")
    }
}

/// Parses a document into its root element.
pub(crate) fn parse(body: &str) -> Result<Element, &'static str> {
    let mut reader = Reader::from_str(body);
    let config = reader.config_mut();
    config.check_end_names = true;
    config.check_comments = true;
    config.allow_unmatched_ends = false;
    config.allow_dangling_amp = false;

    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut elements = 0usize;
    let mut seen_markup = false;
    loop {
        let event = reader.read_event().map_err(|_| "not well-formed XML")?;
        match event {
            Event::Decl(_) if !seen_markup => {}
            Event::Decl(_) => return Err("misplaced XML declaration"),
            Event::Comment(_) => {}
            Event::PI(_) => return Err("processing instructions are not accepted"),
            Event::DocType(_) => return Err("DTDs are not accepted"),
            Event::Start(_) | Event::Empty(_) if root.is_some() => {
                return Err("content after the root element");
            }
            Event::Start(start) => {
                elements += 1;
                if elements > MAX_ELEMENTS || stack.len() >= MAX_DEPTH {
                    return Err("the document is too deep or too large");
                }
                stack.push(open(&start)?);
            }
            Event::Empty(start) => {
                elements += 1;
                if elements > MAX_ELEMENTS || stack.len() >= MAX_DEPTH {
                    return Err("the document is too deep or too large");
                }
                close(open(&start)?, &mut stack, &mut root)?;
            }
            Event::End(_) => {
                let element = stack.pop().ok_or("unbalanced end tag")?;
                close(element, &mut stack, &mut root)?;
            }
            Event::Text(text) => {
                let content = text.xml10_content();
                append_text(&mut stack, &content)?;
            }
            Event::CData(data) => {
                let content = data.xml10_content();
                if stack.is_empty() {
                    return Err("text outside the root element");
                }
                append_text(&mut stack, &content)?;
            }
            Event::GeneralRef(reference) => {
                let c = match reference.resolve_char_ref() {
                    Ok(Some(c)) => c,
                    Ok(None) => match &*reference {
                        "lt" => '<',
                        "gt" => '>',
                        "amp" => '&',
                        "apos" => '\'',
                        "quot" => '"',
                        _ => return Err("unknown entity"),
                    },
                    Err(_) => return Err("bad character reference"),
                };
                let mut buf = [0u8; 4];
                if stack.is_empty() {
                    return Err("text outside the root element");
                }
                append_text(&mut stack, c.encode_utf8(&mut buf))?;
            }
            Event::Eof => break,
        }
        seen_markup = true;
    }
    if !stack.is_empty() {
        return Err("unclosed element");
    }
    root.ok_or("no root element")
}

fn open(start: &BytesStart<'_>) -> Result<Element, &'static str> {
    let name = start.local_name().into_inner().to_owned();
    let mut xmlns = None;
    for attr in start.attributes().with_checks(true) {
        let attr = attr.map_err(|_| "malformed attribute")?;
        if attr.key.as_ref() == "xmlns" {
            xmlns = Some(attr.value.into_owned());
        }
    }
    Ok(Element {
        name,
        text: String::new(),
        children: Vec::new(),
        xmlns,
    })
}

fn close(
    element: Element,
    stack: &mut [Element],
    root: &mut Option<Element>,
) -> Result<(), &'static str> {
    if !element.children.is_empty() && !element.text.trim().is_empty() {
        return Err("mixed content");
    }
    match stack.last_mut() {
        Some(parent) => parent.children.push(element),
        None => *root = Some(element),
    }
    Ok(())
}

fn append_text(stack: &mut [Element], text: &str) -> Result<(), &'static str> {
    match stack.last_mut() {
        Some(e) => {
            e.text.push_str(text);
            Ok(())
        }
        None if text.trim().is_empty() => Ok(()),
        None => Err("text outside the root element"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_small_tree() {
        let root = parse(
            "<?xml version=\"1.0\"?>\n<!-- c --><R xmlns=\"urn:x\"><A>1 &amp; &#x32;</A><B><C/></B><D><![CDATA[<x>]]></D></R>\n",
        )
        .unwrap();
        assert_eq!(root.name, "R");
        assert_eq!(root.xmlns.as_deref(), Some("urn:x"));
        assert_eq!(root.required_text("A").unwrap(), "1 & 2");
        assert_eq!(root.required_text("D").unwrap(), "<x>");
        assert_eq!(root.required("B").unwrap().required_text("C").unwrap(), "");
        assert_eq!(root.text_of("Z"), Ok(None));
        assert_eq!(root.text_of("B"), Err("a text element has children"));
    }

    #[test]
    fn prefixes_are_dropped() {
        let root = parse("<s:R xmlns:s=\"urn:x\"><s:A>v</s:A></s:R>").unwrap();
        assert_eq!(root.required_text("A").unwrap(), "v");
    }

    #[test]
    fn refusals() {
        for (doc, why) in [
            (
                "<!DOCTYPE r [<!ENTITY x \"y\">]><r>&x;</r>",
                "DTDs are not accepted",
            ),
            ("<r>&x;</r>", "unknown entity"),
            ("<?pi x?><r/>", "processing instructions are not accepted"),
            ("<r/><r/>", "content after the root element"),
            ("<r>", "unclosed element"),
            ("<r></s>", "not well-formed XML"),
            ("x<r/>", "text outside the root element"),
            ("<r>t<a/></r>", "mixed content"),
            ("", "no root element"),
            ("<r><a>1</a><a>2</a></r>", "an element appears twice"),
        ] {
            let got = parse(doc).and_then(|r| r.text_of("a").map(|_| r));
            assert_eq!(got.unwrap_err(), why, "{doc}");
        }
        let deep = format!("{}{}", "<a>".repeat(9), "</a>".repeat(9));
        assert_eq!(
            parse(&deep).unwrap_err(),
            "the document is too deep or too large"
        );
        let wide = format!("<r>{}</r>", "<a/>".repeat(300));
        assert_eq!(
            parse(&wide).unwrap_err(),
            "the document is too deep or too large"
        );
    }
}
