//! A tiny XML text builder (escaping through quire-marc's escaper).

pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    quire_marc::xml::escape_into(&mut out, s);
    out
}

/// Appends `<name>text</name>`.
pub(crate) fn elem(out: &mut String, name: &str, text: &str) {
    out.push('<');
    out.push_str(name);
    out.push('>');
    quire_marc::xml::escape_into(out, text);
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

pub(crate) const DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
