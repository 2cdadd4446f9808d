//! Type-1 (RPN) queries: types, BER codec, and conversion to and from PQF.

use quire_cql::pqf;

use crate::ber::{Class, Element, Tag, Writer, universal as u};
use crate::error::{DecodeError, DecodeErrorKind};
use crate::external::External;
use crate::oid::{Oid, known};

/// `Query ::= CHOICE` (SearchRequest `query [21]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    /// `type-1 [1] IMPLICIT RPNQuery` — the one servers must implement.
    Type1(RpnQuery),
    /// `type-101 [101] IMPLICIT RPNQuery` (RPN with v3 extras).
    Type101(RpnQuery),
    /// `type-104 [104] IMPLICIT EXTERNAL` (e.g. CQL, OID 1.2.840.10003.16.2).
    Type104(External),
    /// Any other query type, kept as raw BER of the CHOICE alternative
    /// (`tag` is its context tag number). Answer with Bib-1 107.
    Other {
        /// Context tag number of the alternative (0, 2, 100, 102 ...).
        tag: u32,
        /// The alternative's complete encoding.
        raw: Vec<u8>,
    },
}

impl Query {
    /// A type-104 CQL query (OID 1.2.840.10003.16.2, InternationalString
    /// in single-ASN1-type, as YAZ sends it).
    pub fn cql(text: &str) -> Query {
        let mut w = Writer::new();
        w.primitive(Tag::univ(u::GENERAL_STRING), text.as_bytes());
        Query::Type104(External {
            direct_reference: Some(known::cql_query()),
            indirect_reference: None,
            descriptor: None,
            encoding: crate::external::ExternalEncoding::SingleAsn1Type(w.into_bytes()),
        })
    }

    /// The CQL text of a type-104 query with the CQL OID (single-ASN1-type
    /// string or octet-aligned), `None` for anything else. Parse it with
    /// `quire_cql::parse_cql`.
    pub fn as_cql(&self) -> Option<String> {
        let Query::Type104(e) = self else {
            return None;
        };
        if e.direct_reference.as_ref() != Some(&known::cql_query()) {
            return None;
        }
        e.sutrs_text().ok()
    }
}

/// `RPNQuery ::= SEQUENCE { attributeSet, rpn }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RpnQuery {
    /// Default attribute set (normally Bib-1).
    pub attribute_set: Oid,
    /// The tree.
    pub rpn: RpnStructure,
}

/// `RPNStructure`: a leaf operand or a binary operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RpnStructure {
    /// `op [0] Operand`
    Op(Operand),
    /// `rpnRpnOp [1] { rpn1, rpn2, op }`
    RpnRpnOp {
        /// Left operand.
        rpn1: Box<RpnStructure>,
        /// Right operand.
        rpn2: Box<RpnStructure>,
        /// Operator.
        op: Operator,
    },
}

/// `Operand`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operand {
    /// `attrTerm AttributesPlusTerm`
    AttrTerm(AttributesPlusTerm),
    /// `resultSet ResultSetId`
    ResultSet(String),
    /// `resultAttr ResultSetPlusAttributes` (type-101 only).
    ResultAttr {
        /// Result set name.
        result_set: String,
        /// Attributes.
        attributes: Vec<AttributeElement>,
    },
}

/// `AttributesPlusTerm ::= [102] IMPLICIT SEQUENCE { attributes, term }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributesPlusTerm {
    /// `AttributeList`.
    pub attributes: Vec<AttributeElement>,
    /// The term.
    pub term: Term,
}

impl AttributesPlusTerm {
    /// The numeric value of the last attribute of `attr_type` (e.g. 1 =
    /// Use), ignoring complex values.
    pub fn numeric(&self, attr_type: i64) -> Option<i64> {
        self.attributes
            .iter()
            .rev()
            .find(|a| a.attribute_type == attr_type)
            .and_then(|a| match a.value {
                AttributeValue::Numeric(n) => Some(n),
                AttributeValue::Complex { .. } => None,
            })
    }
}

/// `AttributeElement`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeElement {
    /// `attributeSet [1]` override (v3 only).
    pub attribute_set: Option<Oid>,
    /// `attributeType [120]`.
    pub attribute_type: i64,
    /// `attributeValue`.
    pub value: AttributeValue,
}

/// `attributeValue CHOICE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttributeValue {
    /// `numeric [121]`
    Numeric(i64),
    /// `complex [224] { list [1], semanticAction [2] OPTIONAL }`
    Complex {
        /// Values.
        list: Vec<StringOrNumeric>,
        /// Semantic actions.
        semantic_action: Option<Vec<i64>>,
    },
}

/// `StringOrNumeric`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StringOrNumeric {
    /// `string [1]`
    String(String),
    /// `numeric [2]`
    Numeric(i64),
}

/// `Term ::= CHOICE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// `general [45] OCTET STRING` (the usual one; bytes in the negotiated
    /// character set, normally UTF-8 or Latin-1 for YAZ clients).
    General(Vec<u8>),
    /// `numeric [215]`
    Numeric(i64),
    /// `characterString [216]`
    CharacterString(String),
    /// `oid [217]`
    Oid(Oid),
    /// `dateTime [218] GeneralizedTime` (text as sent).
    DateTime(String),
    /// `external [219]`
    External(External),
    /// `integerAndUnit [220]` (content octets, undecoded).
    IntegerAndUnit(Vec<u8>),
    /// `null [221]`
    Null,
}

/// `Operator ::= [46] CHOICE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operator {
    /// `and [0]`
    And,
    /// `or [1]`
    Or,
    /// `and-not [2]`
    AndNot,
    /// `prox [3]`
    Prox(ProximityOperator),
}

/// `ProximityOperator`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProximityOperator {
    /// `exclusion [1]`
    pub exclusion: Option<bool>,
    /// `distance [2]`
    pub distance: i64,
    /// `ordered [3]`
    pub ordered: bool,
    /// `relationType [4]` (1 < ... 6 <>).
    pub relation_type: i64,
    /// `proximityUnitCode [5]`
    pub unit: ProximityUnit,
}

/// `proximityUnitCode CHOICE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProximityUnit {
    /// `known [1]` (2 = word ...)
    Known(i64),
    /// `private [2]`
    Private(i64),
}

// ------------------------------------------------------------------ encode

pub(crate) fn encode_query(w: &mut Writer, q: &Query) {
    match q {
        Query::Type1(r) => w.constructed(Tag::ctx_c(1), |w| encode_rpn_query_body(w, r)),
        Query::Type101(r) => w.constructed(Tag::ctx_c(101), |w| encode_rpn_query_body(w, r)),
        Query::Type104(e) => crate::external::encode_external_as(w, Tag::ctx_c(104), e),
        Query::Other { raw, .. } => w.raw(raw),
    }
}

fn encode_rpn_query_body(w: &mut Writer, r: &RpnQuery) {
    w.oid(Tag::univ(u::OID), &r.attribute_set);
    encode_rpn(w, &r.rpn);
}

fn encode_rpn(w: &mut Writer, s: &RpnStructure) {
    match s {
        RpnStructure::Op(op) => w.constructed(Tag::ctx_c(0), |w| encode_operand(w, op)),
        RpnStructure::RpnRpnOp { rpn1, rpn2, op } => w.constructed(Tag::ctx_c(1), |w| {
            encode_rpn(w, rpn1);
            encode_rpn(w, rpn2);
            w.constructed(Tag::ctx_c(46), |w| match op {
                Operator::And => w.null(Tag::ctx(0)),
                Operator::Or => w.null(Tag::ctx(1)),
                Operator::AndNot => w.null(Tag::ctx(2)),
                Operator::Prox(p) => w.constructed(Tag::ctx_c(3), |w| {
                    if let Some(x) = p.exclusion {
                        w.boolean(Tag::ctx(1), x);
                    }
                    w.integer(Tag::ctx(2), p.distance);
                    w.boolean(Tag::ctx(3), p.ordered);
                    w.integer(Tag::ctx(4), p.relation_type);
                    w.constructed(Tag::ctx_c(5), |w| match p.unit {
                        ProximityUnit::Known(n) => w.integer(Tag::ctx(1), n),
                        ProximityUnit::Private(n) => w.integer(Tag::ctx(2), n),
                    });
                }),
            });
        }),
    }
}

fn encode_operand(w: &mut Writer, op: &Operand) {
    match op {
        Operand::AttrTerm(apt) => encode_apt(w, apt),
        Operand::ResultSet(name) => w.primitive(Tag::ctx(31), name.as_bytes()),
        Operand::ResultAttr {
            result_set,
            attributes,
        } => w.constructed(Tag::ctx_c(214), |w| {
            w.primitive(Tag::ctx(31), result_set.as_bytes());
            encode_attribute_list(w, attributes);
        }),
    }
}

/// Encode `AttributesPlusTerm` (`[102]`).
pub(crate) fn encode_apt(w: &mut Writer, apt: &AttributesPlusTerm) {
    w.constructed(Tag::ctx_c(102), |w| {
        encode_attribute_list(w, &apt.attributes);
        encode_term(w, &apt.term);
    });
}

/// Encode `AttributeList` (`[44]`).
pub(crate) fn encode_attribute_list(w: &mut Writer, attrs: &[AttributeElement]) {
    w.constructed(Tag::ctx_c(44), |w| {
        for a in attrs {
            w.constructed(Tag::univ_c(u::SEQUENCE), |w| {
                if let Some(set) = &a.attribute_set {
                    w.oid(Tag::ctx(1), set);
                }
                w.integer(Tag::ctx(120), a.attribute_type);
                match &a.value {
                    AttributeValue::Numeric(n) => w.integer(Tag::ctx(121), *n),
                    AttributeValue::Complex {
                        list,
                        semantic_action,
                    } => w.constructed(Tag::ctx_c(224), |w| {
                        w.constructed(Tag::ctx_c(1), |w| {
                            for v in list {
                                match v {
                                    StringOrNumeric::String(s) => {
                                        w.primitive(Tag::ctx(1), s.as_bytes())
                                    }
                                    StringOrNumeric::Numeric(n) => w.integer(Tag::ctx(2), *n),
                                }
                            }
                        });
                        if let Some(sa) = semantic_action {
                            w.constructed(Tag::ctx_c(2), |w| {
                                for n in sa {
                                    w.integer(Tag::univ(u::INTEGER), *n);
                                }
                            });
                        }
                    }),
                }
            });
        }
    });
}

/// Encode a `Term` CHOICE.
pub(crate) fn encode_term(w: &mut Writer, t: &Term) {
    match t {
        Term::General(b) => w.primitive(Tag::ctx(45), b),
        Term::Numeric(n) => w.integer(Tag::ctx(215), *n),
        Term::CharacterString(s) => w.primitive(Tag::ctx(216), s.as_bytes()),
        Term::Oid(o) => w.oid(Tag::ctx(217), o),
        Term::DateTime(s) => w.primitive(Tag::ctx(218), s.as_bytes()),
        Term::External(e) => crate::external::encode_external_as(w, Tag::ctx_c(219), e),
        Term::IntegerAndUnit(c) => {
            w.constructed(Tag::ctx_c(220), |w| w.raw(c));
        }
        Term::Null => w.null(Tag::ctx(221)),
    }
}

// ------------------------------------------------------------------ decode

/// Decode the `query [21]` explicit wrapper's inner CHOICE element.
pub(crate) fn decode_query(el: &Element<'_>) -> Result<Query, DecodeError> {
    if el.tag.class != Class::Context {
        return Err(el.err(DecodeErrorKind::UnexpectedTag(el.tag), "Query"));
    }
    match el.tag.number {
        1 => Ok(Query::Type1(decode_rpn_query(el)?)),
        101 => Ok(Query::Type101(decode_rpn_query(el)?)),
        104 => Ok(Query::Type104(crate::external::decode_external_body(el)?)),
        n => Ok(Query::Other {
            tag: n,
            raw: crate::ber::to_definite(el)?,
        }),
    }
}

fn decode_rpn_query(el: &Element<'_>) -> Result<RpnQuery, DecodeError> {
    let mut set = None;
    let mut rpn = None;
    for c in el.children("RPNQuery")? {
        let c = c?;
        if c.tag.is(Class::Universal, u::OID) {
            set = Some(c.oid("RPNQuery.attributeSet")?);
        } else if c.tag.is_ctx(0) || c.tag.is_ctx(1) {
            rpn = Some(decode_rpn(&c)?);
        } else {
            return Err(c.err(DecodeErrorKind::UnexpectedTag(c.tag), "RPNQuery"));
        }
    }
    Ok(RpnQuery {
        attribute_set: set
            .ok_or_else(|| el.err(DecodeErrorKind::MissingField, "RPNQuery.attributeSet"))?,
        rpn: rpn.ok_or_else(|| el.err(DecodeErrorKind::MissingField, "RPNQuery.rpn"))?,
    })
}

fn decode_rpn(el: &Element<'_>) -> Result<RpnStructure, DecodeError> {
    if el.tag.is_ctx(0) {
        let inner = el.explicit_inner("RPNStructure.op")?;
        return Ok(RpnStructure::Op(decode_operand(&inner)?));
    }
    if !el.tag.is_ctx(1) {
        return Err(el.err(DecodeErrorKind::UnexpectedTag(el.tag), "RPNStructure"));
    }
    let mut parts = Vec::with_capacity(2);
    let mut op = None;
    for c in el.children("rpnRpnOp")? {
        let c = c?;
        if c.tag.is_ctx(46) {
            op = Some(decode_operator(&c.explicit_inner("Operator")?)?);
        } else if parts.len() < 2 {
            parts.push(decode_rpn(&c)?);
        } else {
            return Err(c.err(DecodeErrorKind::UnexpectedTag(c.tag), "rpnRpnOp"));
        }
    }
    let op = op.ok_or_else(|| el.err(DecodeErrorKind::MissingField, "rpnRpnOp.op"))?;
    let mut it = parts.into_iter();
    match (it.next(), it.next()) {
        (Some(a), Some(b)) => Ok(RpnStructure::RpnRpnOp {
            rpn1: Box::new(a),
            rpn2: Box::new(b),
            op,
        }),
        _ => Err(el.err(DecodeErrorKind::MissingField, "rpnRpnOp.rpn2")),
    }
}

fn decode_operator(el: &Element<'_>) -> Result<Operator, DecodeError> {
    if el.tag.class != Class::Context {
        return Err(el.err(DecodeErrorKind::UnexpectedTag(el.tag), "Operator"));
    }
    match el.tag.number {
        0 => Ok(Operator::And),
        1 => Ok(Operator::Or),
        2 => Ok(Operator::AndNot),
        3 => {
            let (mut excl, mut dist, mut ord, mut rel, mut unit) = (None, None, None, None, None);
            for c in el.children("ProximityOperator")? {
                let c = c?;
                match (c.tag.class, c.tag.number) {
                    (Class::Context, 1) => excl = Some(c.boolean("prox.exclusion")?),
                    (Class::Context, 2) => dist = Some(c.integer("prox.distance")?),
                    (Class::Context, 3) => ord = Some(c.boolean("prox.ordered")?),
                    (Class::Context, 4) => rel = Some(c.integer("prox.relationType")?),
                    (Class::Context, 5) => {
                        let i = c.explicit_inner("prox.proximityUnitCode")?;
                        unit = Some(match i.tag.number {
                            1 if i.tag.class == Class::Context => {
                                ProximityUnit::Known(i.integer("prox.known")?)
                            }
                            2 if i.tag.class == Class::Context => {
                                ProximityUnit::Private(i.integer("prox.private")?)
                            }
                            _ => {
                                return Err(i.err(
                                    DecodeErrorKind::UnexpectedTag(i.tag),
                                    "prox.proximityUnitCode",
                                ));
                            }
                        });
                    }
                    _ => {}
                }
            }
            let miss = |f| el.err(DecodeErrorKind::MissingField, f);
            Ok(Operator::Prox(ProximityOperator {
                exclusion: excl,
                distance: dist.ok_or_else(|| miss("prox.distance"))?,
                ordered: ord.ok_or_else(|| miss("prox.ordered"))?,
                relation_type: rel.ok_or_else(|| miss("prox.relationType"))?,
                unit: unit.ok_or_else(|| miss("prox.proximityUnitCode"))?,
            }))
        }
        _ => Err(el.err(DecodeErrorKind::UnexpectedTag(el.tag), "Operator")),
    }
}

fn decode_operand(el: &Element<'_>) -> Result<Operand, DecodeError> {
    if el.tag.is_ctx(102) {
        Ok(Operand::AttrTerm(decode_apt(el)?))
    } else if el.tag.is_ctx(31) {
        Ok(Operand::ResultSet(el.string("Operand.resultSet")?))
    } else if el.tag.is_ctx(214) {
        let mut rs = None;
        let mut attrs = None;
        for c in el.children("ResultSetPlusAttributes")? {
            let c = c?;
            if c.tag.is_ctx(31) {
                rs = Some(c.string("resultAttr.resultSet")?);
            } else if c.tag.is_ctx(44) {
                attrs = Some(decode_attribute_list(&c)?);
            }
        }
        Ok(Operand::ResultAttr {
            result_set: rs
                .ok_or_else(|| el.err(DecodeErrorKind::MissingField, "resultAttr.resultSet"))?,
            attributes: attrs
                .ok_or_else(|| el.err(DecodeErrorKind::MissingField, "resultAttr.attributes"))?,
        })
    } else {
        Err(el.err(DecodeErrorKind::UnexpectedTag(el.tag), "Operand"))
    }
}

/// Decode `AttributesPlusTerm` (`[102]` element).
pub(crate) fn decode_apt(el: &Element<'_>) -> Result<AttributesPlusTerm, DecodeError> {
    let mut attrs = None;
    let mut term = None;
    for c in el.children("AttributesPlusTerm")? {
        let c = c?;
        if c.tag.is_ctx(44) {
            attrs = Some(decode_attribute_list(&c)?);
        } else {
            term = Some(decode_term(&c)?);
        }
    }
    Ok(AttributesPlusTerm {
        attributes: attrs.ok_or_else(|| {
            el.err(
                DecodeErrorKind::MissingField,
                "AttributesPlusTerm.attributes",
            )
        })?,
        term: term
            .ok_or_else(|| el.err(DecodeErrorKind::MissingField, "AttributesPlusTerm.term"))?,
    })
}

/// Decode an `AttributeList` (`[44]` element).
pub(crate) fn decode_attribute_list(
    el: &Element<'_>,
) -> Result<Vec<AttributeElement>, DecodeError> {
    let mut out = Vec::new();
    for a in el.children("AttributeList")? {
        let a = a?;
        a.expect(Class::Universal, u::SEQUENCE, "AttributeElement")?;
        let (mut set, mut ty, mut value) = (None, None, None);
        for c in a.children("AttributeElement")? {
            let c = c?;
            match (c.tag.class, c.tag.number) {
                (Class::Context, 1) => set = Some(c.oid("AttributeElement.attributeSet")?),
                (Class::Context, 120) => ty = Some(c.integer("AttributeElement.attributeType")?),
                (Class::Context, 121) => {
                    value = Some(AttributeValue::Numeric(
                        c.integer("AttributeElement.numeric")?,
                    ))
                }
                (Class::Context, 224) => {
                    let mut list = Vec::new();
                    let mut sa = None;
                    for x in c.children("complex")? {
                        let x = x?;
                        if x.tag.is_ctx(1) {
                            for v in x.children("complex.list")? {
                                let v = v?;
                                list.push(match (v.tag.class, v.tag.number) {
                                    (Class::Context, 1) => {
                                        StringOrNumeric::String(v.string("StringOrNumeric.string")?)
                                    }
                                    (Class::Context, 2) => StringOrNumeric::Numeric(
                                        v.integer("StringOrNumeric.numeric")?,
                                    ),
                                    _ => {
                                        return Err(v.err(
                                            DecodeErrorKind::UnexpectedTag(v.tag),
                                            "StringOrNumeric",
                                        ));
                                    }
                                });
                            }
                        } else if x.tag.is_ctx(2) {
                            let mut acts = Vec::new();
                            for v in x.children("complex.semanticAction")? {
                                acts.push(v?.integer("semanticAction")?);
                            }
                            sa = Some(acts);
                        }
                    }
                    value = Some(AttributeValue::Complex {
                        list,
                        semantic_action: sa,
                    });
                }
                _ => return Err(c.err(DecodeErrorKind::UnexpectedTag(c.tag), "AttributeElement")),
            }
        }
        out.push(AttributeElement {
            attribute_set: set,
            attribute_type: ty.ok_or_else(|| {
                a.err(
                    DecodeErrorKind::MissingField,
                    "AttributeElement.attributeType",
                )
            })?,
            value: value.ok_or_else(|| {
                a.err(
                    DecodeErrorKind::MissingField,
                    "AttributeElement.attributeValue",
                )
            })?,
        });
    }
    Ok(out)
}

/// Decode a `Term` CHOICE element.
pub(crate) fn decode_term(el: &Element<'_>) -> Result<Term, DecodeError> {
    if el.tag.class != Class::Context {
        return Err(el.err(DecodeErrorKind::UnexpectedTag(el.tag), "Term"));
    }
    Ok(match el.tag.number {
        45 => Term::General(el.octets("Term.general")?),
        215 => Term::Numeric(el.integer("Term.numeric")?),
        216 => Term::CharacterString(el.string("Term.characterString")?),
        217 => Term::Oid(el.oid("Term.oid")?),
        218 => Term::DateTime(el.string("Term.dateTime")?),
        219 => Term::External(crate::external::decode_external_body(el)?),
        220 => {
            let def = crate::ber::to_definite(el)?;
            let (d, _) = crate::ber::read_element(&def, el.offset)?;
            Term::IntegerAndUnit(d.content.to_vec())
        }
        221 => {
            el.null("Term.null")?;
            Term::Null
        }
        _ => return Err(el.err(DecodeErrorKind::UnexpectedTag(el.tag), "Term")),
    })
}

// ------------------------------------------------------------ PQF bridge

/// Why a PQF query cannot become a Z39.50 type-1 query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PqfConversionError {
    /// `@attrset` / `@attr set` name that is neither a known short name
    /// nor a dotted OID.
    UnknownAttributeSet(String),
    /// `@term oid` text that is not a dotted OID.
    BadOidTerm(String),
    /// `@term numeric` text that is not an integer.
    BadNumericTerm(String),
}

impl std::fmt::Display for PqfConversionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::UnknownAttributeSet(s) => write!(f, "unknown attribute set '{s}'"),
            Self::BadOidTerm(s) => write!(f, "'{s}' is not an OID"),
            Self::BadNumericTerm(s) => write!(f, "'{s}' is not an integer"),
        }
    }
}

impl std::error::Error for PqfConversionError {}

impl RpnQuery {
    /// Convert a parsed PQF query (default attribute set Bib-1). General
    /// terms are sent as UTF-8 bytes.
    ///
    /// ```
    /// let pqf = quire_cql::pqf::parse_pqf("@attr 1=7 9780306406157").unwrap();
    /// let rpn = quire_z3950::RpnQuery::from_pqf(&pqf).unwrap();
    /// assert_eq!(rpn.to_pqf().to_string(), "@attrset bib-1 @attr 1=7 9780306406157");
    /// ```
    pub fn from_pqf(q: &pqf::PqfQuery) -> Result<RpnQuery, PqfConversionError> {
        let attribute_set = match &q.attribute_set {
            None => known::bib1_attributes(),
            Some(name) => known::attribute_set(name)
                .ok_or_else(|| PqfConversionError::UnknownAttributeSet(name.clone()))?,
        };
        Ok(RpnQuery {
            attribute_set,
            rpn: rpn_from_pqf(&q.root)?,
        })
    }

    /// Convert to PQF (e.g. for logs, or for the copy-cataloguing client's
    /// configuration). General terms are decoded as UTF-8 (lossy); the
    /// attribute set is written with its YAZ short name when it has one.
    pub fn to_pqf(&self) -> pqf::PqfQuery {
        pqf::PqfQuery {
            attribute_set: Some(set_name(&self.attribute_set)),
            root: rpn_to_pqf(&self.rpn),
        }
    }
}

fn set_name(oid: &Oid) -> String {
    known::attribute_set_name(oid).map_or_else(|| oid.to_string(), str::to_string)
}

fn rpn_from_pqf(n: &pqf::RpnNode) -> Result<RpnStructure, PqfConversionError> {
    Ok(match n {
        pqf::RpnNode::Op { op, left, right } => RpnStructure::RpnRpnOp {
            rpn1: Box::new(rpn_from_pqf(left)?),
            rpn2: Box::new(rpn_from_pqf(right)?),
            op: match op {
                pqf::RpnOp::And => Operator::And,
                pqf::RpnOp::Or => Operator::Or,
                pqf::RpnOp::AndNot => Operator::AndNot,
                pqf::RpnOp::Prox(p) => Operator::Prox(ProximityOperator {
                    exclusion: Some(p.exclusion),
                    distance: p.distance,
                    ordered: p.ordered,
                    relation_type: p.relation,
                    unit: match p.unit {
                        pqf::ProxUnit::Known(u) => ProximityUnit::Known(u),
                        pqf::ProxUnit::Private(u) => ProximityUnit::Private(u),
                    },
                }),
            },
        },
        pqf::RpnNode::Operand(pqf::Operand::ResultSet(name)) => {
            RpnStructure::Op(Operand::ResultSet(name.clone()))
        }
        pqf::RpnNode::Operand(pqf::Operand::Term(apt)) => {
            let mut attributes = Vec::with_capacity(apt.attributes.len());
            for a in &apt.attributes {
                let attribute_set = match &a.set {
                    None => None,
                    Some(s) => Some(
                        known::attribute_set(s)
                            .ok_or_else(|| PqfConversionError::UnknownAttributeSet(s.clone()))?,
                    ),
                };
                attributes.push(AttributeElement {
                    attribute_set,
                    attribute_type: a.attr_type,
                    value: match &a.value {
                        pqf::AttrValue::Numeric(n) => AttributeValue::Numeric(*n),
                        pqf::AttrValue::Text(t) => AttributeValue::Complex {
                            list: vec![StringOrNumeric::String(t.clone())],
                            semantic_action: None,
                        },
                    },
                });
            }
            let text = &apt.term.text;
            let term = match apt.term.kind {
                pqf::TermKind::General => Term::General(text.as_bytes().to_vec()),
                pqf::TermKind::String => Term::CharacterString(text.clone()),
                pqf::TermKind::Numeric => Term::Numeric(
                    text.parse()
                        .map_err(|_| PqfConversionError::BadNumericTerm(text.clone()))?,
                ),
                pqf::TermKind::Oid => Term::Oid(
                    text.parse()
                        .map_err(|_| PqfConversionError::BadOidTerm(text.clone()))?,
                ),
                pqf::TermKind::DateTime => Term::DateTime(text.clone()),
                pqf::TermKind::Null => Term::Null,
            };
            RpnStructure::Op(Operand::AttrTerm(AttributesPlusTerm { attributes, term }))
        }
    })
}

fn rpn_to_pqf(s: &RpnStructure) -> pqf::RpnNode {
    match s {
        RpnStructure::RpnRpnOp { rpn1, rpn2, op } => pqf::RpnNode::Op {
            op: match op {
                Operator::And => pqf::RpnOp::And,
                Operator::Or => pqf::RpnOp::Or,
                Operator::AndNot => pqf::RpnOp::AndNot,
                Operator::Prox(p) => pqf::RpnOp::Prox(pqf::Proximity {
                    exclusion: p.exclusion.unwrap_or(false),
                    distance: p.distance,
                    ordered: p.ordered,
                    relation: p.relation_type,
                    unit: match p.unit {
                        ProximityUnit::Known(u) => pqf::ProxUnit::Known(u),
                        ProximityUnit::Private(u) => pqf::ProxUnit::Private(u),
                    },
                }),
            },
            left: Box::new(rpn_to_pqf(rpn1)),
            right: Box::new(rpn_to_pqf(rpn2)),
        },
        RpnStructure::Op(Operand::ResultSet(n))
        | RpnStructure::Op(Operand::ResultAttr { result_set: n, .. }) => {
            pqf::RpnNode::Operand(pqf::Operand::ResultSet(n.clone()))
        }
        RpnStructure::Op(Operand::AttrTerm(apt)) => {
            let attributes = apt
                .attributes
                .iter()
                .map(|a| pqf::Attribute {
                    set: a.attribute_set.as_ref().map(set_name),
                    attr_type: a.attribute_type,
                    value: match &a.value {
                        AttributeValue::Numeric(n) => pqf::AttrValue::Numeric(*n),
                        AttributeValue::Complex { list, .. } => match list.first() {
                            Some(StringOrNumeric::String(s)) => pqf::AttrValue::from_text(s),
                            Some(StringOrNumeric::Numeric(n)) => pqf::AttrValue::Numeric(*n),
                            None => pqf::AttrValue::Text(String::from("?")),
                        },
                    },
                })
                .collect();
            let (kind, text) = match &apt.term {
                Term::General(b) => (
                    pqf::TermKind::General,
                    String::from_utf8_lossy(b).into_owned(),
                ),
                Term::Numeric(n) => (pqf::TermKind::Numeric, n.to_string()),
                Term::CharacterString(s) => (pqf::TermKind::String, s.clone()),
                Term::Oid(o) => (pqf::TermKind::Oid, o.to_string()),
                Term::DateTime(s) => (pqf::TermKind::DateTime, s.clone()),
                Term::Null => (pqf::TermKind::Null, String::new()),
                Term::External(_) | Term::IntegerAndUnit(_) => {
                    (pqf::TermKind::General, String::new())
                }
            };
            pqf::RpnNode::Operand(pqf::Operand::Term(pqf::AttributesPlusTerm {
                attributes,
                term: pqf::PqfTerm { kind, text },
            }))
        }
    }
}
