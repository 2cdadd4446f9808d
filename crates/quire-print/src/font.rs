//! The TrueType fonts embedded in every PDF: DejaVu Sans and DejaVu Sans
//! Bold, reduced to Latin + Vietnamese (see `fonts/README.md`), written as
//! CID fonts (Type0 / CIDFontType2, Identity-H) holding only the glyphs a
//! document uses (subset with `subsetter`), with a ToUnicode map so that
//! the text can be searched and extracted (`pdftotext`).

use std::collections::BTreeMap;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Finish, Name, Rect, Ref, Str};
use subsetter::GlyphRemapper;
use unicode_normalization::UnicodeNormalization;

use crate::{Out, PrintError, err};

const REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans-Latin.ttf");
const BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold-Latin.ttf");

/// One embedded font and the glyphs a document used so far.
pub(crate) struct EmbeddedFont {
    postscript_name: &'static str,
    data: &'static [u8],
    face: ttf_parser::Face<'static>,
    /// Font glyph id → glyph id in the subset (= the CID in the content).
    remapper: GlyphRemapper,
    /// CID → the text it stands for (ToUnicode).
    unicode: BTreeMap<u16, char>,
    /// CID → advance width in 1/1000 em.
    widths: BTreeMap<u16, f32>,
}

impl EmbeddedFont {
    fn new(postscript_name: &'static str, data: &'static [u8]) -> Result<Self, PrintError> {
        let face = ttf_parser::Face::parse(data, 0).map_err(|_| err("font", "invalid-font"))?;
        Ok(EmbeddedFont {
            postscript_name,
            data,
            face,
            remapper: GlyphRemapper::new(),
            unicode: BTreeMap::new(),
            widths: BTreeMap::new(),
        })
    }

    pub(crate) fn regular() -> Result<Self, PrintError> {
        Self::new("DejaVuSans", REGULAR)
    }

    pub(crate) fn bold() -> Result<Self, PrintError> {
        Self::new("DejaVuSans-Bold", BOLD)
    }

    /// The glyph printed for `c` and the character it shows: the letter
    /// itself, else its base letter without marks, else `?` (letters
    /// outside Latin and Vietnamese, e.g. CJK). Control characters print
    /// as spaces.
    fn glyph(&self, c: char) -> (ttf_parser::GlyphId, char) {
        let c = if c.is_control() { ' ' } else { c };
        if let Some(g) = self.face.glyph_index(c) {
            return (g, c);
        }
        if let Some(base) = c.nfd().next()
            && let Some(g) = self.face.glyph_index(base)
        {
            return (g, base);
        }
        (
            self.face.glyph_index('?').unwrap_or(ttf_parser::GlyphId(0)),
            '?',
        )
    }

    fn advance(&self, g: ttf_parser::GlyphId) -> f32 {
        let upem = f32::from(self.face.units_per_em().max(1));
        f32::from(self.face.glyph_hor_advance(g).unwrap_or(0)) * 1000.0 / upem
    }

    /// Width of `s` at `size` points.
    pub(crate) fn width(&self, s: &str, size: f32) -> f32 {
        s.nfc().map(|c| self.advance(self.glyph(c).0)).sum::<f32>() * size / 1000.0
    }

    /// `s` as two-byte CIDs for a `Tj` (Identity-H), recording each glyph
    /// for the subset, its width and its text. Text is NFC-normalised
    /// first, so decomposed Vietnamese (`e` + U+0302 + U+0301) prints the
    /// precomposed letter (`ế`).
    pub(crate) fn encode(&mut self, s: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(2 * s.len());
        for c in s.nfc() {
            let (g, shown) = self.glyph(c);
            let cid = self.remapper.remap(g.0);
            if !self.widths.contains_key(&cid) {
                self.widths.insert(cid, self.advance(g));
                self.unicode.insert(cid, shown);
            }
            out.extend_from_slice(&cid.to_be_bytes());
        }
        out
    }

    /// Writes the Type0 font at `type0` and its parts at the next four
    /// refs from `next` (returned: the first free ref after them).
    pub(crate) fn write(&self, out: &mut Out, type0: Ref, next: Ref) -> Result<Ref, PrintError> {
        let cid_ref = next;
        let descriptor_ref = Ref::new(next.get() + 1);
        let file_ref = Ref::new(next.get() + 2);
        let cmap_ref = Ref::new(next.get() + 3);
        // A subset's name starts with a tag of six capitals taken from its
        // glyphs, so that two different subsets get different names.
        let mut h: u32 = 2166136261;
        for g in self.remapper.remapped_gids() {
            for b in g.to_be_bytes() {
                h = (h ^ u32::from(b)).wrapping_mul(16777619);
            }
        }
        let tag: String = (0..6)
            .map(|i| char::from(b'A' + ((h >> (i * 5)) % 26) as u8))
            .collect();
        let base = format!("{tag}+{}", self.postscript_name);
        let system = SystemInfo {
            registry: Str(b"Adobe"),
            ordering: Str(b"Identity"),
            supplement: 0,
        };
        out.obj(|pdf| {
            pdf.type0_font(type0)
                .base_font(Name(base.as_bytes()))
                .encoding_predefined(Name(b"Identity-H"))
                .descendant_font(cid_ref)
                .to_unicode(cmap_ref);
        });
        out.obj(|pdf| {
            let mut cid = pdf.cid_font(cid_ref);
            cid.subtype(CidFontType::Type2)
                .base_font(Name(base.as_bytes()))
                .system_info(system)
                .font_descriptor(descriptor_ref)
                .default_width(0.0)
                .cid_to_gid_map_predefined(Name(b"Identity"));
            {
                let mut w = cid.widths();
                for (c, width) in &self.widths {
                    w.consecutive(*c, [*width]);
                }
            }
            cid.finish();
        });
        let upem = f32::from(self.face.units_per_em().max(1));
        let scale = |v: i16| f32::from(v) * 1000.0 / upem;
        let bbox = self.face.global_bounding_box();
        out.obj(|pdf| {
            pdf.font_descriptor(descriptor_ref)
                .name(Name(base.as_bytes()))
                .flags(FontFlags::NON_SYMBOLIC)
                .bbox(Rect::new(
                    scale(bbox.x_min),
                    scale(bbox.y_min),
                    scale(bbox.x_max),
                    scale(bbox.y_max),
                ))
                .italic_angle(0.0)
                .ascent(scale(self.face.ascender()))
                .descent(scale(self.face.descender()))
                .cap_height(scale(
                    self.face.capital_height().unwrap_or(self.face.ascender()),
                ))
                .stem_v(if self.postscript_name.ends_with("Bold") {
                    140.0
                } else {
                    80.0
                })
                .font_file2(file_ref);
        });
        let subset = subsetter::subset(self.data, 0, &self.remapper)
            .map_err(|_| err("font", "invalid-font"))?;
        out.obj(|pdf| {
            pdf.stream(file_ref, &subset);
        });
        let mut cmap = UnicodeCmap::new(Name(b"Custom"), system);
        for (c, ch) in &self.unicode {
            cmap.pair(*c, *ch);
        }
        let cmap = cmap.finish();
        out.obj(|pdf| {
            pdf.cmap(cmap_ref, &cmap);
        });
        Ok(Ref::new(next.get() + 4))
    }
}
