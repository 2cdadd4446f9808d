//! EXTERNAL, and the record syntaxes carried in it: octet-aligned records
//! (MARC, XML), SUTRS and the OPAC record (holdings + circulation).

use crate::ber::{Class, Element, Tag, Writer, read_element, to_definite, universal as u};
use crate::error::{DecodeError, DecodeErrorKind};
use crate::oid::{Oid, known};

/// `EXTERNAL` (X.208): an OID-labelled value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct External {
    /// `direct-reference`: the record syntax / type OID.
    pub direct_reference: Option<Oid>,
    /// `indirect-reference`.
    pub indirect_reference: Option<i64>,
    /// `data-value-descriptor`.
    pub descriptor: Option<String>,
    /// `encoding`.
    pub encoding: ExternalEncoding,
}

/// `encoding CHOICE` of EXTERNAL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExternalEncoding {
    /// `single-ASN1-type [0]`: the complete BER encoding of the inner value.
    SingleAsn1Type(Vec<u8>),
    /// `octet-aligned [1] IMPLICIT OCTET STRING` (ISO 2709 MARC, XML text).
    OctetAligned(Vec<u8>),
    /// `arbitrary [2] IMPLICIT BIT STRING` (content octets incl. the
    /// unused-bits octet).
    Arbitrary(Vec<u8>),
}

impl External {
    /// An octet-aligned record of syntax `oid` (MARC 21 = [`known::usmarc`],
    /// MARCXML = [`known::xml`]).
    pub fn octets(oid: Oid, data: Vec<u8>) -> External {
        External {
            direct_reference: Some(oid),
            indirect_reference: None,
            descriptor: None,
            encoding: ExternalEncoding::OctetAligned(data),
        }
    }

    /// A SUTRS record (plain text), `single-ASN1-type` holding a
    /// GeneralString, as YAZ sends it.
    pub fn sutrs(text: &str) -> External {
        let mut w = Writer::new();
        w.primitive(Tag::univ(u::GENERAL_STRING), text.as_bytes());
        External {
            direct_reference: Some(known::sutrs()),
            indirect_reference: None,
            descriptor: None,
            encoding: ExternalEncoding::SingleAsn1Type(w.into_bytes()),
        }
    }

    /// An OPAC record (syntax 1.2.840.10003.5.102).
    pub fn opac(record: &OpacRecord) -> External {
        let mut w = Writer::new();
        encode_opac(&mut w, record);
        External {
            direct_reference: Some(known::opac()),
            indirect_reference: None,
            descriptor: None,
            encoding: ExternalEncoding::SingleAsn1Type(w.into_bytes()),
        }
    }

    /// The octet-aligned payload, if that is the encoding.
    pub fn as_octets(&self) -> Option<&[u8]> {
        match &self.encoding {
            ExternalEncoding::OctetAligned(b) => Some(b),
            _ => None,
        }
    }

    /// The SUTRS text: a GeneralString/VisibleString in single-ASN1-type,
    /// or octet-aligned text.
    pub fn sutrs_text(&self) -> Result<String, DecodeError> {
        match &self.encoding {
            ExternalEncoding::OctetAligned(b) => Ok(String::from_utf8_lossy(b).into_owned()),
            ExternalEncoding::SingleAsn1Type(raw) => {
                let (el, _) = read_element(raw, 0)?;
                el.string("SUTRS")
            }
            ExternalEncoding::Arbitrary(_) => Err(DecodeError::new(
                DecodeErrorKind::Unsupported("SUTRS in arbitrary encoding"),
                0,
                "SUTRS",
            )),
        }
    }

    /// Decode the OPAC record in a single-ASN1-type encoding.
    pub fn opac_record(&self) -> Result<OpacRecord, DecodeError> {
        match &self.encoding {
            ExternalEncoding::SingleAsn1Type(raw) => {
                let (el, _) = read_element(raw, 0)?;
                decode_opac(&el)
            }
            _ => Err(DecodeError::new(
                DecodeErrorKind::InvalidValue("OPAC record must be single-ASN1-type"),
                0,
                "OPACRecord",
            )),
        }
    }
}

/// Encode an EXTERNAL with its universal tag.
pub(crate) fn encode_external(w: &mut Writer, e: &External) {
    encode_external_as(w, Tag::univ_c(u::EXTERNAL), e);
}

/// Encode an EXTERNAL under an implicit tag.
pub(crate) fn encode_external_as(w: &mut Writer, tag: Tag, e: &External) {
    w.constructed(tag, |w| {
        if let Some(o) = &e.direct_reference {
            w.oid(Tag::univ(u::OID), o);
        }
        if let Some(i) = e.indirect_reference {
            w.integer(Tag::univ(u::INTEGER), i);
        }
        if let Some(d) = &e.descriptor {
            w.primitive(Tag::univ(u::OBJECT_DESCRIPTOR), d.as_bytes());
        }
        match &e.encoding {
            ExternalEncoding::SingleAsn1Type(raw) => w.constructed(Tag::ctx_c(0), |w| w.raw(raw)),
            ExternalEncoding::OctetAligned(b) => w.primitive(Tag::ctx(1), b),
            ExternalEncoding::Arbitrary(b) => w.primitive(Tag::ctx(2), b),
        }
    });
}

/// Decode an element that must be `EXTERNAL` (universal tag 8).
pub(crate) fn decode_external(el: &Element<'_>) -> Result<External, DecodeError> {
    el.expect(Class::Universal, u::EXTERNAL, "EXTERNAL")?;
    decode_external_body(el)
}

/// Decode EXTERNAL content under any (implicit) tag.
pub(crate) fn decode_external_body(el: &Element<'_>) -> Result<External, DecodeError> {
    let mut e = External {
        direct_reference: None,
        indirect_reference: None,
        descriptor: None,
        encoding: ExternalEncoding::OctetAligned(Vec::new()),
    };
    let mut have_encoding = false;
    for c in el.children("EXTERNAL")? {
        let c = c?;
        match (c.tag.class, c.tag.number) {
            (Class::Universal, u::OID) => {
                e.direct_reference = Some(c.oid("EXTERNAL.direct-reference")?)
            }
            (Class::Universal, u::INTEGER) => {
                e.indirect_reference = Some(c.integer("EXTERNAL.indirect-reference")?)
            }
            (Class::Universal, u::OBJECT_DESCRIPTOR) => {
                e.descriptor = Some(c.string("EXTERNAL.data-value-descriptor")?)
            }
            (Class::Context, 0) => {
                let inner = c.explicit_inner("EXTERNAL.single-ASN1-type")?;
                e.encoding = ExternalEncoding::SingleAsn1Type(to_definite(&inner)?);
                have_encoding = true;
            }
            (Class::Context, 1) => {
                e.encoding = ExternalEncoding::OctetAligned(c.octets("EXTERNAL.octet-aligned")?);
                have_encoding = true;
            }
            (Class::Context, 2) => {
                e.encoding = ExternalEncoding::Arbitrary(c.octets("EXTERNAL.arbitrary")?);
                have_encoding = true;
            }
            _ => return Err(c.err(DecodeErrorKind::UnexpectedTag(c.tag), "EXTERNAL")),
        }
    }
    if !have_encoding {
        return Err(el.err(DecodeErrorKind::MissingField, "EXTERNAL.encoding"));
    }
    Ok(e)
}

// ------------------------------------------------------------------ OPAC

/// `OPACRecord` (1.2.840.10003.5.102): a bibliographic record plus holdings
/// and circulation data.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OpacRecord {
    /// `bibliographicRecord [1] IMPLICIT EXTERNAL` (normally MARC 21).
    pub bibliographic_record: Option<External>,
    /// `holdingsData [2] IMPLICIT SEQUENCE OF HoldingsRecord`.
    pub holdings: Option<Vec<HoldingsRecord>>,
}

/// `HoldingsRecord ::= CHOICE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HoldingsRecord {
    /// `marcHoldingsRecord [1] IMPLICIT EXTERNAL`.
    Marc(External),
    /// `holdingsAndCirc [2] IMPLICIT HoldingsAndCircData`.
    HoldingsAndCirc(Box<HoldingsAndCirc>),
}

/// `HoldingsAndCircData` — every field optional (852 subfields noted).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HoldingsAndCirc {
    /// `[1]` leader/06.
    pub type_of_record: Option<String>,
    /// `[2]` leader/17.
    pub encoding_level: Option<String>,
    /// `[3]` 007/00-01.
    pub format: Option<String>,
    /// `[4]` 008/06.
    pub receipt_acq_status: Option<String>,
    /// `[5]` 008/12.
    pub general_retention: Option<String>,
    /// `[6]` 008/16.
    pub completeness: Option<String>,
    /// `[7]` 008/26-31.
    pub date_of_report: Option<String>,
    /// `[8]` 852 $a.
    pub nuc_code: Option<String>,
    /// `[9]` 852 $b.
    pub local_location: Option<String>,
    /// `[10]` 852 $c.
    pub shelving_location: Option<String>,
    /// `[11]` 852 $h $i.
    pub call_number: Option<String>,
    /// `[12]` 852 $j-$m.
    pub shelving_data: Option<String>,
    /// `[13]` 852 $t.
    pub copy_number: Option<String>,
    /// `[14]` 852 $z.
    pub public_note: Option<String>,
    /// `[15]` 843.
    pub reproduction_note: Option<String>,
    /// `[16]` 845.
    pub terms_use_repro: Option<String>,
    /// `[17]` 85x/86x.
    pub enum_and_chron: Option<String>,
    /// `[18]` volumes.
    pub volumes: Option<Vec<Volume>>,
    /// `[19]` one entry per circulating item.
    pub circulation: Option<Vec<CircRecord>>,
}

/// `Volume`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Volume {
    /// `[1]`
    pub enumeration: Option<String>,
    /// `[2]`
    pub chronology: Option<String>,
    /// `[3]`
    pub enum_and_chron: Option<String>,
}

/// `CircRecord`: one item's status.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CircRecord {
    /// `[1]` available now.
    pub available_now: bool,
    /// `[2]` `availablityDate` (sic).
    pub availability_date: Option<String>,
    /// `[3]`
    pub available_thru: Option<String>,
    /// `[4]`
    pub restrictions: Option<String>,
    /// `[5]` item id (barcode).
    pub item_id: Option<String>,
    /// `[6]`
    pub renewable: bool,
    /// `[7]`
    pub on_hold: bool,
    /// `[8]`
    pub enum_and_chron: Option<String>,
    /// `[9]`
    pub midspine: Option<String>,
    /// `[10]`
    pub temporary_location: Option<String>,
}

fn s(w: &mut Writer, n: u32, v: &Option<String>) {
    w.opt_string(Tag::ctx(n), v.as_deref());
}

pub(crate) fn encode_opac(w: &mut Writer, r: &OpacRecord) {
    w.constructed(Tag::univ_c(u::SEQUENCE), |w| {
        if let Some(b) = &r.bibliographic_record {
            encode_external_as(w, Tag::ctx_c(1), b);
        }
        if let Some(hs) = &r.holdings {
            w.constructed(Tag::ctx_c(2), |w| {
                for h in hs {
                    match h {
                        HoldingsRecord::Marc(e) => encode_external_as(w, Tag::ctx_c(1), e),
                        HoldingsRecord::HoldingsAndCirc(d) => {
                            w.constructed(Tag::ctx_c(2), |w| encode_hac(w, d))
                        }
                    }
                }
            });
        }
    });
}

fn encode_hac(w: &mut Writer, d: &HoldingsAndCirc) {
    s(w, 1, &d.type_of_record);
    s(w, 2, &d.encoding_level);
    s(w, 3, &d.format);
    s(w, 4, &d.receipt_acq_status);
    s(w, 5, &d.general_retention);
    s(w, 6, &d.completeness);
    s(w, 7, &d.date_of_report);
    s(w, 8, &d.nuc_code);
    s(w, 9, &d.local_location);
    s(w, 10, &d.shelving_location);
    s(w, 11, &d.call_number);
    s(w, 12, &d.shelving_data);
    s(w, 13, &d.copy_number);
    s(w, 14, &d.public_note);
    s(w, 15, &d.reproduction_note);
    s(w, 16, &d.terms_use_repro);
    s(w, 17, &d.enum_and_chron);
    if let Some(vs) = &d.volumes {
        w.constructed(Tag::ctx_c(18), |w| {
            for v in vs {
                w.constructed(Tag::univ_c(u::SEQUENCE), |w| {
                    s(w, 1, &v.enumeration);
                    s(w, 2, &v.chronology);
                    s(w, 3, &v.enum_and_chron);
                });
            }
        });
    }
    if let Some(cs) = &d.circulation {
        w.constructed(Tag::ctx_c(19), |w| {
            for c in cs {
                w.constructed(Tag::univ_c(u::SEQUENCE), |w| {
                    w.boolean(Tag::ctx(1), c.available_now);
                    s(w, 2, &c.availability_date);
                    s(w, 3, &c.available_thru);
                    s(w, 4, &c.restrictions);
                    s(w, 5, &c.item_id);
                    w.boolean(Tag::ctx(6), c.renewable);
                    w.boolean(Tag::ctx(7), c.on_hold);
                    s(w, 8, &c.enum_and_chron);
                    s(w, 9, &c.midspine);
                    s(w, 10, &c.temporary_location);
                });
            }
        });
    }
}

pub(crate) fn decode_opac(el: &Element<'_>) -> Result<OpacRecord, DecodeError> {
    el.expect(Class::Universal, u::SEQUENCE, "OPACRecord")?;
    let mut r = OpacRecord::default();
    for c in el.children("OPACRecord")? {
        let c = c?;
        if c.tag.is_ctx(1) {
            r.bibliographic_record = Some(decode_external_body(&c)?);
        } else if c.tag.is_ctx(2) {
            let mut hs = Vec::new();
            for h in c.children("OPACRecord.holdingsData")? {
                let h = h?;
                if h.tag.is_ctx(1) {
                    hs.push(HoldingsRecord::Marc(decode_external_body(&h)?));
                } else if h.tag.is_ctx(2) {
                    hs.push(HoldingsRecord::HoldingsAndCirc(Box::new(decode_hac(&h)?)));
                } else {
                    return Err(h.err(DecodeErrorKind::UnexpectedTag(h.tag), "HoldingsRecord"));
                }
            }
            r.holdings = Some(hs);
        }
    }
    Ok(r)
}

fn decode_hac(el: &Element<'_>) -> Result<HoldingsAndCirc, DecodeError> {
    const F: &str = "HoldingsAndCircData";
    let mut d = HoldingsAndCirc::default();
    for c in el.children(F)? {
        let c = c?;
        if c.tag.class != Class::Context {
            continue;
        }
        match c.tag.number {
            1 => d.type_of_record = Some(c.string(F)?),
            2 => d.encoding_level = Some(c.string(F)?),
            3 => d.format = Some(c.string(F)?),
            4 => d.receipt_acq_status = Some(c.string(F)?),
            5 => d.general_retention = Some(c.string(F)?),
            6 => d.completeness = Some(c.string(F)?),
            7 => d.date_of_report = Some(c.string(F)?),
            8 => d.nuc_code = Some(c.string(F)?),
            9 => d.local_location = Some(c.string(F)?),
            10 => d.shelving_location = Some(c.string(F)?),
            11 => d.call_number = Some(c.string(F)?),
            12 => d.shelving_data = Some(c.string(F)?),
            13 => d.copy_number = Some(c.string(F)?),
            14 => d.public_note = Some(c.string(F)?),
            15 => d.reproduction_note = Some(c.string(F)?),
            16 => d.terms_use_repro = Some(c.string(F)?),
            17 => d.enum_and_chron = Some(c.string(F)?),
            18 => {
                let mut vs = Vec::new();
                for v in c.children("volumes")? {
                    let v = v?;
                    let mut vol = Volume::default();
                    for x in v.children("Volume")? {
                        let x = x?;
                        match x.tag.number {
                            1 => vol.enumeration = Some(x.string("Volume")?),
                            2 => vol.chronology = Some(x.string("Volume")?),
                            3 => vol.enum_and_chron = Some(x.string("Volume")?),
                            _ => {}
                        }
                    }
                    vs.push(vol);
                }
                d.volumes = Some(vs);
            }
            19 => {
                let mut cs = Vec::new();
                for r in c.children("circulationData")? {
                    let r = r?;
                    const C: &str = "CircRecord";
                    let mut cr = CircRecord::default();
                    for x in r.children(C)? {
                        let x = x?;
                        match x.tag.number {
                            1 => cr.available_now = x.boolean(C)?,
                            2 => cr.availability_date = Some(x.string(C)?),
                            3 => cr.available_thru = Some(x.string(C)?),
                            4 => cr.restrictions = Some(x.string(C)?),
                            5 => cr.item_id = Some(x.string(C)?),
                            6 => cr.renewable = x.boolean(C)?,
                            7 => cr.on_hold = x.boolean(C)?,
                            8 => cr.enum_and_chron = Some(x.string(C)?),
                            9 => cr.midspine = Some(x.string(C)?),
                            10 => cr.temporary_location = Some(x.string(C)?),
                            _ => {}
                        }
                    }
                    cs.push(cr);
                }
                d.circulation = Some(cs);
            }
            _ => {}
        }
    }
    Ok(d)
}
