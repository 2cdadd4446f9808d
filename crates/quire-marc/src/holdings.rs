//! Item candidates from embedded holdings/item fields (852, Koha 952, the
//! local 949), through a configurable [`HoldingsMapping`].
//!
//! The mapping says, per item attribute, which subfield(s) of the item tag
//! carry it. Several codes may feed one attribute: their values are joined
//! with a space in the order given (852 `$h $i` -> call number).
//!
//! The 949 preset is a *documented default*, not a standard (949 meanings
//! are site/vendor specific): `$a` call number, `$b` barcode, `$c` copy,
//! `$l` location, `$m` branch, `$t` item type, `$s` status, `$p` price.
//! Build your own [`HoldingsMapping`] for other layouts.

use crate::record::{Field, Record};

/// One item found in a bibliographic record, before any validation.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ItemCandidate {
    /// Item barcode.
    pub barcode: Option<String>,
    /// Call number as recorded.
    pub call_number: Option<String>,
    /// Owning branch/library code.
    pub branch: Option<String>,
    /// Current (holding) branch, when the format distinguishes it.
    pub holding_branch: Option<String>,
    /// Shelving location / collection code.
    pub location: Option<String>,
    /// Item type code.
    pub item_type: Option<String>,
    /// Copy number.
    pub copy: Option<String>,
    /// Raw status hints, e.g. `notforloan=1`, `lost=2`, `withdrawn=1`, or a
    /// free status code from 949; empty when the item looks available.
    pub status_hint: Vec<String>,
    /// Price as recorded (no currency parsing here).
    pub price: Option<String>,
    /// Tag the item came from (`852`, `952`, `949`, ...).
    pub raw_tag: String,
}

/// Which subfield codes carry each attribute. Empty string = not mapped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HoldingsMapping {
    /// Item field tag.
    pub tag: String,
    /// Barcode codes.
    pub barcode: String,
    /// Call number codes (joined in this order).
    pub call_number: String,
    /// Owning branch codes.
    pub branch: String,
    /// Holding (current) branch codes.
    pub holding_branch: String,
    /// Location codes.
    pub location: String,
    /// Item type codes.
    pub item_type: String,
    /// Copy number codes.
    pub copy: String,
    /// Price codes.
    pub price: String,
    /// Status subfields: `(code, label)`; a non-empty value other than `0`
    /// produces a hint `label=value`.
    pub status: Vec<(char, String)>,
}

impl HoldingsMapping {
    /// Koha's default MARC 21 item field 952: `$a` homebranch, `$b`
    /// holdingbranch, `$c` location, `$o` call number, `$p` barcode, `$y`
    /// item type, `$t` copy, `$g` price, `$7` not for loan, `$1` lost,
    /// `$0` withdrawn, `$4` damaged.
    pub fn koha_952() -> Self {
        HoldingsMapping {
            tag: "952".into(),
            barcode: "p".into(),
            call_number: "o".into(),
            branch: "a".into(),
            holding_branch: "b".into(),
            location: "c".into(),
            item_type: "y".into(),
            copy: "t".into(),
            price: "g".into(),
            status: vec![
                ('7', "notforloan".into()),
                ('1', "lost".into()),
                ('0', "withdrawn".into()),
                ('4', "damaged".into()),
            ],
        }
    }

    /// MARC 21 holdings 852: `$a` institution (branch), `$b` sublocation
    /// (location), `$k $h $i $m` call number (prefix, class, item, suffix),
    /// `$p` barcode (piece designation), `$t` copy.
    pub fn marc_852() -> Self {
        HoldingsMapping {
            tag: "852".into(),
            barcode: "p".into(),
            call_number: "khim".into(),
            branch: "a".into(),
            holding_branch: String::new(),
            location: "bc".into(),
            item_type: String::new(),
            copy: "t".into(),
            price: String::new(),
            status: Vec::new(),
        }
    }

    /// Documented default for the local 949 (see module docs).
    pub fn local_949() -> Self {
        HoldingsMapping {
            tag: "949".into(),
            barcode: "b".into(),
            call_number: "a".into(),
            branch: "m".into(),
            holding_branch: String::new(),
            location: "l".into(),
            item_type: "t".into(),
            copy: "c".into(),
            price: "p".into(),
            status: vec![('s', "status".into())],
        }
    }

    /// Extracts one candidate per field with this mapping's tag.
    pub fn extract(&self, rec: &Record) -> Vec<ItemCandidate> {
        rec.fields(&self.tag).map(|f| self.item(f)).collect()
    }

    /// Maps one item field.
    pub fn item(&self, f: &Field) -> ItemCandidate {
        let get = |codes: &str| -> Option<String> {
            if codes.is_empty() {
                return None;
            }
            let mut parts: Vec<&str> = Vec::new();
            for c in codes.chars() {
                parts.extend(f.subfields(c).map(str::trim).filter(|s| !s.is_empty()));
            }
            (!parts.is_empty()).then(|| parts.join(" "))
        };
        let mut status_hint = Vec::new();
        for (code, label) in &self.status {
            for v in f.subfields(*code) {
                let v = v.trim();
                if !v.is_empty() && v != "0" {
                    status_hint.push(format!("{label}={v}"));
                }
            }
        }
        ItemCandidate {
            barcode: get(&self.barcode),
            call_number: get(&self.call_number),
            branch: get(&self.branch),
            holding_branch: get(&self.holding_branch),
            location: get(&self.location),
            item_type: get(&self.item_type),
            copy: get(&self.copy),
            status_hint,
            price: get(&self.price),
            raw_tag: f.tag().as_str().to_owned(),
        }
    }
}

impl HoldingsMapping {
    /// The inverse of [`item`](Self::item): one item field with this
    /// mapping's tag, each attribute in the first code mapped for it (for a
    /// call number mapped to several codes, such as 852 `$k $h $i $m`, the
    /// whole call number goes into `$h` when it is one of them). Status
    /// hints `label=value` go into the status subfield with that label.
    /// `None` when the tag is not a data-field tag.
    pub fn field_for(&self, c: &ItemCandidate) -> Option<Field> {
        let tag = crate::record::Tag::parse(&self.tag).filter(|t| !t.is_control())?;
        let mut subs: Vec<crate::record::Subfield> = Vec::new();
        let mut put = |codes: &str, value: &Option<String>, prefer: Option<char>| {
            let code = match prefer {
                Some(p) if codes.contains(p) => Some(p),
                _ => codes.chars().next(),
            };
            if let (Some(code), Some(v)) = (code, value.as_deref().map(str::trim))
                && !v.is_empty()
            {
                subs.push(crate::record::Subfield::new(code, v));
            }
        };
        put(&self.branch, &c.branch, None);
        put(&self.holding_branch, &c.holding_branch, None);
        put(&self.location, &c.location, None);
        put(&self.call_number, &c.call_number, Some('h'));
        put(&self.barcode, &c.barcode, None);
        put(&self.item_type, &c.item_type, None);
        put(&self.copy, &c.copy, None);
        put(&self.price, &c.price, None);
        for (code, label) in &self.status {
            for h in &c.status_hint {
                if let Some(v) = h
                    .strip_prefix(label.as_str())
                    .and_then(|r| r.strip_prefix('='))
                {
                    subs.push(crate::record::Subfield::new(*code, v));
                }
            }
        }
        (!subs.is_empty()).then(|| Field::data(tag, ' ', ' ', subs))
    }
}

/// Items from every preset (852, 952, 949), in that order.
pub fn all_items(rec: &Record) -> Vec<ItemCandidate> {
    [
        HoldingsMapping::marc_852(),
        HoldingsMapping::koha_952(),
        HoldingsMapping::local_949(),
    ]
    .iter()
    .flat_map(|m| m.extract(rec))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Subfield, Tag};

    fn df(tag: &str, subs: &[(char, &str)]) -> Field {
        Field::data(
            Tag::parse(tag).unwrap(),
            ' ',
            ' ',
            subs.iter().map(|(c, v)| Subfield::new(*c, *v)).collect(),
        )
    }

    #[test]
    fn field_for_inverts_item() {
        for m in [
            HoldingsMapping::koha_952(),
            HoldingsMapping::marc_852(),
            HoldingsMapping::local_949(),
        ] {
            let c = ItemCandidate {
                barcode: Some("3100".into()),
                call_number: Some("QA76 .K5".into()),
                branch: Some("MAIN".into()),
                location: Some("STACKS".into()),
                copy: Some("2".into()),
                raw_tag: m.tag.clone(),
                ..Default::default()
            };
            let f = m.field_for(&c).unwrap();
            let back = m.item(&f);
            assert_eq!(back.barcode, c.barcode, "{}", m.tag);
            assert_eq!(back.call_number, c.call_number, "{}", m.tag);
            assert_eq!(back.branch, c.branch, "{}", m.tag);
            assert_eq!(back.location, c.location, "{}", m.tag);
        }
        let m = HoldingsMapping::koha_952();
        let f = m
            .field_for(&ItemCandidate {
                barcode: Some("1".into()),
                status_hint: vec!["withdrawn=1".into()],
                ..Default::default()
            })
            .unwrap();
        assert_eq!(f.subfield('0'), Some("1"));
    }

    #[test]
    fn koha_952() {
        let mut r = Record::new();
        r.push(df(
            "952",
            &[
                ('a', "CPL"),
                ('b', "MPL"),
                ('c', "GEN"),
                ('o', "E SEU"),
                ('p', "2200001741"),
                ('y', "BK"),
                ('7', "0"),
                ('1', "2"),
                ('t', "1"),
                ('g', "7.99"),
            ],
        ));
        let items = HoldingsMapping::koha_952().extract(&r);
        assert_eq!(items.len(), 1);
        let i = &items[0];
        assert_eq!(i.barcode.as_deref(), Some("2200001741"));
        assert_eq!(i.branch.as_deref(), Some("CPL"));
        assert_eq!(i.holding_branch.as_deref(), Some("MPL"));
        assert_eq!(i.location.as_deref(), Some("GEN"));
        assert_eq!(i.call_number.as_deref(), Some("E SEU"));
        assert_eq!(i.item_type.as_deref(), Some("BK"));
        assert_eq!(i.copy.as_deref(), Some("1"));
        assert_eq!(i.price.as_deref(), Some("7.99"));
        assert_eq!(i.status_hint, vec!["lost=2"]);
        assert_eq!(i.raw_tag, "952");
    }

    #[test]
    fn marc_852_and_949() {
        let mut r = Record::new();
        r.push(df(
            "852",
            &[
                ('a', "CT"),
                ('b', "GEN"),
                ('h', "E"),
                ('i', "SEU"),
                ('p', "2200001741"),
                ('t', "2"),
            ],
        ));
        r.push(df(
            "949",
            &[
                ('a', "QA76 .K5"),
                ('b', "3100"),
                ('m', "MAIN"),
                ('l', "REF"),
                ('t', "BOOK"),
                ('s', "m"),
            ],
        ));
        let all = all_items(&r);
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].call_number.as_deref(), Some("E SEU"));
        assert_eq!(all[0].location.as_deref(), Some("GEN"));
        assert_eq!(all[0].copy.as_deref(), Some("2"));
        assert_eq!(all[1].barcode.as_deref(), Some("3100"));
        assert_eq!(all[1].branch.as_deref(), Some("MAIN"));
        assert_eq!(all[1].status_hint, vec!["status=m"]);
    }
}
