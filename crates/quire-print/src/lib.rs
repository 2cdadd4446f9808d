//! Quire's printed matter as PDF, as a pure library (values in, bytes out):
//!
//! * spine labels with the call number broken over lines the way libraries
//!   print them ([`spine_lines`]),
//! * item barcode labels (Code 128 bars, the digits, a short title and the
//!   call number),
//! * library cards (library name, patron name, the card number as Codabar
//!   bars with the human-readable digits), one card or a sheet of cards,
//!
//! laid out on label sheets described by a [`SheetLayout`] (page size,
//! rows × columns, margins, label size, gaps; presets for common Avery-style
//! sheets). Text is set in DejaVu Sans (regular and bold), embedded as a
//! subset with a ToUnicode map (module `font`): every Latin and Vietnamese
//! letter prints as written (`Trần`, `Đức`, `Ñ`) and can be copied or
//! extracted from the PDF; letters of other scripts print as `?`.

use pdf_writer::{Chunk, Content, Finish, Name, Rect, Ref, Str};
use quire_domain::callnumber::{self, Scheme};

mod font;
use font::EmbeddedFont;

const MM: f32 = 72.0 / 25.4;

/// A sheet of labels (or cards). All lengths in millimetres.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SheetLayout {
    pub page_width: f32,
    pub page_height: f32,
    pub columns: u32,
    pub rows: u32,
    /// From the left edge of the page to the first label.
    pub margin_left: f32,
    /// From the top edge of the page to the first label.
    pub margin_top: f32,
    pub label_width: f32,
    pub label_height: f32,
    /// Horizontal space between two labels.
    pub gap_x: f32,
    /// Vertical space between two labels.
    pub gap_y: f32,
}

/// Why a layout or an input cannot be printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintError {
    /// The offending field (`columns`, `label_width`, `barcode`, …).
    pub field: &'static str,
    /// Stable reason code (`out-of-range`, `does-not-fit`, `invalid-barcode`).
    pub code: &'static str,
}

impl std::fmt::Display for PrintError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.code)
    }
}

impl std::error::Error for PrintError {}

fn err(field: &'static str, code: &'static str) -> PrintError {
    PrintError { field, code }
}

/// US Letter and A4, in millimetres.
const LETTER: (f32, f32) = (215.9, 279.4);
const A4: (f32, f32) = (210.0, 297.0);

impl SheetLayout {
    /// Named presets (Avery-compatible sheets and card sizes).
    pub const PRESETS: &'static [(&'static str, SheetLayout)] = &[
        // Avery 5167 / Demco-style spine labels: 4 × 20 of 44.5 × 12.7 mm, Letter.
        (
            "avery-5167",
            SheetLayout {
                page_width: LETTER.0,
                page_height: LETTER.1,
                columns: 4,
                rows: 20,
                margin_left: 7.6,
                margin_top: 12.7,
                label_width: 44.5,
                label_height: 12.7,
                gap_x: 7.9,
                gap_y: 0.0,
            },
        ),
        // Avery 5160 address labels: 3 × 10 of 66.7 × 25.4 mm, Letter.
        (
            "avery-5160",
            SheetLayout {
                page_width: LETTER.0,
                page_height: LETTER.1,
                columns: 3,
                rows: 10,
                margin_left: 4.8,
                margin_top: 12.7,
                label_width: 66.7,
                label_height: 25.4,
                gap_x: 3.2,
                gap_y: 0.0,
            },
        ),
        // Avery L7160: 3 × 7 of 63.5 × 38.1 mm, A4.
        (
            "avery-l7160",
            SheetLayout {
                page_width: A4.0,
                page_height: A4.1,
                columns: 3,
                rows: 7,
                margin_left: 7.2,
                margin_top: 15.1,
                label_width: 63.5,
                label_height: 38.1,
                gap_x: 2.5,
                gap_y: 0.0,
            },
        ),
        // Avery L7651 mini labels (spine labels on A4): 5 × 13 of 38.1 × 21.2 mm.
        (
            "avery-l7651",
            SheetLayout {
                page_width: A4.0,
                page_height: A4.1,
                columns: 5,
                rows: 13,
                margin_left: 4.7,
                margin_top: 10.7,
                label_width: 38.1,
                label_height: 21.2,
                gap_x: 2.5,
                gap_y: 0.0,
            },
        ),
        // One ID-1 (credit card size) card on a card-sized page.
        (
            "card",
            SheetLayout {
                page_width: 85.6,
                page_height: 54.0,
                columns: 1,
                rows: 1,
                margin_left: 0.0,
                margin_top: 0.0,
                label_width: 85.6,
                label_height: 54.0,
                gap_x: 0.0,
                gap_y: 0.0,
            },
        ),
        // Ten ID-1 cards on A4 (2 × 5), for card stock with perforations.
        (
            "cards-a4",
            SheetLayout {
                page_width: A4.0,
                page_height: A4.1,
                columns: 2,
                rows: 5,
                margin_left: 14.4,
                margin_top: 13.5,
                label_width: 85.6,
                label_height: 54.0,
                gap_x: 10.0,
                gap_y: 0.0,
            },
        ),
    ];

    /// A preset by name.
    pub fn preset(name: &str) -> Option<SheetLayout> {
        Self::PRESETS
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, l)| *l)
    }

    /// Checks that the numbers make sense and the labels fit on the page.
    pub fn validate(&self) -> Result<(), PrintError> {
        let len = |v: f32, field, max: f32| {
            if v.is_finite() && v >= 0.0 && v <= max {
                Ok(())
            } else {
                Err(err(field, "out-of-range"))
            }
        };
        len(self.page_width, "page_width", 2000.0)?;
        len(self.page_height, "page_height", 2000.0)?;
        len(self.margin_left, "margin_left", 2000.0)?;
        len(self.margin_top, "margin_top", 2000.0)?;
        len(self.gap_x, "gap_x", 2000.0)?;
        len(self.gap_y, "gap_y", 2000.0)?;
        if !(self.label_width.is_finite() && self.label_width >= 5.0 && self.label_width <= 2000.0)
        {
            return Err(err("label_width", "out-of-range"));
        }
        if !(self.label_height.is_finite()
            && self.label_height >= 5.0
            && self.label_height <= 2000.0)
        {
            return Err(err("label_height", "out-of-range"));
        }
        if !(1..=50).contains(&self.columns) {
            return Err(err("columns", "out-of-range"));
        }
        if !(1..=100).contains(&self.rows) {
            return Err(err("rows", "out-of-range"));
        }
        let c = self.columns as f32;
        let r = self.rows as f32;
        if self.margin_left + c * self.label_width + (c - 1.0) * self.gap_x > self.page_width + 0.5
        {
            return Err(err("columns", "does-not-fit"));
        }
        if self.margin_top + r * self.label_height + (r - 1.0) * self.gap_y > self.page_height + 0.5
        {
            return Err(err("rows", "does-not-fit"));
        }
        Ok(())
    }

    fn per_page(&self) -> usize {
        (self.columns * self.rows) as usize
    }

    /// Lower-left corner (points) of slot `i` on its page.
    fn origin(&self, i: usize) -> (f32, f32) {
        let cols = self.columns as usize;
        let (row, col) = ((i / cols) as f32, (i % cols) as f32);
        let x = self.margin_left + col * (self.label_width + self.gap_x);
        let top = self.margin_top + row * (self.label_height + self.gap_y);
        let y = self.page_height - top - self.label_height;
        (x * MM, y * MM)
    }
}

/// The lines of a spine label for a call number, as libraries print them
/// (LC: class letters / class number / each cutter / date / volume …;
/// Dewey: prefix / number / cutter …; see
/// `quire_domain::callnumber::CallNumber::display_lines`), each line at
/// most `max_chars` characters (longer pieces are broken), at most
/// `max_lines` lines (the rest joins the last line). Invalid call numbers
/// break at spaces. Never panics.
pub fn spine_lines(
    scheme: Scheme,
    call_number: &str,
    max_chars: usize,
    max_lines: usize,
) -> Vec<String> {
    let max_chars = max_chars.max(1);
    let max_lines = max_lines.max(1);
    let raw: Vec<String> = match callnumber::parse(scheme, call_number) {
        Ok(cn) => cn.display_lines(),
        Err(_) => call_number.split_whitespace().map(str::to_owned).collect(),
    };
    let mut lines: Vec<String> = Vec::new();
    for l in raw {
        let chars: Vec<char> = l.trim().chars().filter(|c| !c.is_control()).collect();
        for chunk in chars.chunks(max_chars) {
            lines.push(chunk.iter().collect());
        }
    }
    if lines.len() > max_lines {
        let rest = lines.split_off(max_lines - 1).join(" ");
        lines.push(rest);
    }
    lines
}

/// One item barcode label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemLabel {
    pub barcode: String,
    pub title: String,
    pub call_number: String,
    pub library: String,
}

/// One library card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibraryCard {
    pub library: String,
    pub patron_name: String,
    /// The card number (digits; printed as Codabar with start/stop `A`).
    pub barcode: String,
}

/// Modules (1 = bar) of a Code 128 barcode of `data` (set B).
pub fn code128_modules(data: &str) -> Result<Vec<u8>, PrintError> {
    if data.is_empty() || data.len() > 48 || !data.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Err(err("barcode", "invalid-barcode"));
    }
    barcoders::sym::code128::Code128::new(format!("Ɓ{data}"))
        .map(|c| c.encode())
        .map_err(|_| err("barcode", "invalid-barcode"))
}

/// Modules (1 = bar) of a Codabar barcode of `digits` (start/stop `A`).
pub fn codabar_modules(digits: &str) -> Result<Vec<u8>, PrintError> {
    if digits.is_empty()
        || digits.len() > 32
        || !digits
            .bytes()
            .all(|b| b.is_ascii_digit() || b"-$:/.+".contains(&b))
    {
        return Err(err("barcode", "invalid-barcode"));
    }
    barcoders::sym::codabar::Codabar::new(format!("A{digits}A"))
        .map(|c| c.encode())
        .map_err(|_| err("barcode", "invalid-barcode"))
}

/// Draws bars for `modules` in the box (points) with quiet zones included
/// in the width.
fn bars(c: &mut Content, modules: &[u8], x: f32, y: f32, w: f32, h: f32) {
    if modules.is_empty() {
        return;
    }
    // Ten modules of quiet zone on each side.
    let unit = w / (modules.len() as f32 + 20.0);
    let mut i = 0;
    while i < modules.len() {
        if modules[i] == 1 {
            let start = i;
            while i < modules.len() && modules[i] == 1 {
                i += 1;
            }
            c.rect(
                x + (10 + start) as f32 * unit,
                y,
                (i - start) as f32 * unit,
                h,
            );
        } else {
            i += 1;
        }
    }
    c.set_fill_gray(0.0);
    c.fill_nonzero();
}

/// The two fonts of a document: regular (`F1`) and bold (`F2`).
struct Fonts {
    regular: EmbeddedFont,
    bold: EmbeddedFont,
}

impl Fonts {
    fn get(&mut self, bold: bool) -> &mut EmbeddedFont {
        if bold {
            &mut self.bold
        } else {
            &mut self.regular
        }
    }
}

/// Fits text to `width` points: cut and ended with "…" when needed.
fn fit(font: &EmbeddedFont, text: &str, width: f32, size: f32) -> String {
    if font.width(text, size) <= width {
        return text.to_owned();
    }
    let ellipsis = font.width("…", size);
    let mut chars: Vec<char> = text.chars().collect();
    while !chars.is_empty()
        && font.width(&chars.iter().collect::<String>(), size) + ellipsis > width
    {
        chars.pop();
    }
    let mut out: String = chars.into_iter().collect();
    out.push('…');
    out
}

/// Shows `s` at (x, y) in the regular or bold font.
#[allow(clippy::too_many_arguments)]
fn text(c: &mut Content, fonts: &mut Fonts, bold: bool, size: f32, x: f32, y: f32, s: &str) {
    let bytes = fonts.get(bold).encode(s);
    c.begin_text();
    c.set_font(Name(if bold { b"F2" } else { b"F1" }), size);
    c.next_line(x, y);
    c.show(Str(&bytes));
    c.end_text();
}

/// PDF objects written one after the other, each remembered with its
/// byte offset in the whole file for the cross-reference table; the bytes
/// can be taken out as they are made ([`Out::take`]).
pub(crate) struct Out {
    buf: Vec<u8>,
    /// Bytes already taken out.
    sent: usize,
    /// Object number → offset in the file.
    offsets: Vec<(i32, usize)>,
}

impl Out {
    fn new() -> Self {
        let mut buf = Vec::with_capacity(16 * 1024);
        buf.extend_from_slice(b"%PDF-1.7\n%\x80\x80\x80\x80\n\n");
        Out {
            buf,
            sent: 0,
            offsets: Vec::new(),
        }
    }

    /// Writes ONE indirect object (`write` starts exactly one).
    pub(crate) fn obj(&mut self, write: impl FnOnce(&mut Chunk)) {
        let mut c = Chunk::new();
        write(&mut c);
        if let Some(r) = c.refs().next() {
            self.offsets.push((r.get(), self.sent + self.buf.len()));
        }
        self.buf.extend_from_slice(c.as_bytes());
    }

    fn take(&mut self) -> Vec<u8> {
        let b = std::mem::take(&mut self.buf);
        self.sent += b.len();
        b
    }

    /// The cross-reference table and the trailer (catalog 1, info 5).
    fn close(&mut self) -> Vec<u8> {
        self.offsets.sort_unstable();
        let size = self.offsets.last().map_or(1, |(id, _)| id + 1);
        let xref_at = self.sent + self.buf.len();
        let mut t = format!("xref\n0 {size}\n0000000000 65535 f\r\n");
        let mut known = self.offsets.iter().peekable();
        for id in 1..size {
            match known.peek() {
                Some((n, at)) if *n == id => {
                    t.push_str(&format!("{at:010} 00000 n\r\n"));
                    known.next();
                }
                _ => t.push_str("0000000000 00000 f\r\n"),
            }
        }
        t.push_str(&format!(
            "trailer\n<<\n  /Size {size}\n  /Root 1 0 R\n  /Info 5 0 R\n>>\nstartxref\n{xref_at}\n%%EOF"
        ));
        self.buf.extend_from_slice(t.as_bytes());
        self.take()
    }
}

const CATALOG: Ref = Ref::new(1);
const TREE: Ref = Ref::new(2);
const REGULAR: Ref = Ref::new(3);
const BOLD: Ref = Ref::new(4);
const INFO: Ref = Ref::new(5);

/// A sheet PDF written a page at a time: labels (or cards) are added one
/// by one; each full page is written out at once and its bytes can be
/// taken ([`LabelSheet::take_bytes`]) and sent while the next labels are
/// read, so a document of any length needs the memory of one page (plus
/// the fonts' glyph list). [`LabelSheet::finish`] writes the rest: the
/// last page, the fonts (subset to the glyphs used), the page tree and the
/// cross-reference table.
pub struct LabelSheet {
    layout: SheetLayout,
    title: &'static str,
    fonts: Fonts,
    /// The next slot, counted from the first slot of the first sheet.
    slot: usize,
    labels: usize,
    page: Content,
    kids: Vec<Ref>,
    out: Out,
}

impl LabelSheet {
    fn new(layout: &SheetLayout, start_at: usize, title: &'static str) -> Result<Self, PrintError> {
        layout.validate()?;
        if start_at >= layout.per_page() {
            return Err(err("start_at", "out-of-range"));
        }
        Ok(LabelSheet {
            layout: *layout,
            title,
            fonts: Fonts {
                regular: EmbeddedFont::regular()?,
                bold: EmbeddedFont::bold()?,
            },
            slot: start_at,
            labels: 0,
            page: Content::new(),
            kids: Vec::new(),
            out: Out::new(),
        })
    }

    /// Spine labels, starting at slot `start_at` of the first sheet (to
    /// use up a partly used sheet).
    pub fn spine_labels(layout: &SheetLayout, start_at: usize) -> Result<Self, PrintError> {
        Self::new(layout, start_at, "Spine labels")
    }

    /// Item barcode labels, starting at slot `start_at` of the first sheet.
    pub fn item_labels(layout: &SheetLayout, start_at: usize) -> Result<Self, PrintError> {
        Self::new(layout, start_at, "Item labels")
    }

    fn cards(layout: &SheetLayout) -> Result<Self, PrintError> {
        Self::new(layout, 0, "Library cards")
    }

    /// Labels added so far.
    pub fn labels(&self) -> usize {
        self.labels
    }

    /// Draws the next slot; writes the page out when it is full.
    fn place(&mut self, draw: impl FnOnce(&mut Content, &mut Fonts, f32, f32, f32, f32)) {
        let per_page = self.layout.per_page();
        let (x, y) = self.layout.origin(self.slot % per_page);
        let (w, h) = (self.layout.label_width * MM, self.layout.label_height * MM);
        draw(&mut self.page, &mut self.fonts, x, y, w, h);
        self.slot += 1;
        self.labels += 1;
        if self.slot.is_multiple_of(per_page) {
            self.flush_page();
        }
    }

    fn flush_page(&mut self) {
        let p = i32::try_from(self.kids.len()).unwrap_or(i32::MAX / 4);
        let page_id = Ref::new(6 + 2 * p);
        let content_id = Ref::new(7 + 2 * p);
        let content = std::mem::replace(&mut self.page, Content::new()).finish();
        self.out.obj(|c| {
            c.stream(content_id, &content);
        });
        let (pw, ph) = (self.layout.page_width * MM, self.layout.page_height * MM);
        self.out.obj(|c| {
            let mut page = c.page(page_id);
            page.parent(TREE)
                .media_box(Rect::new(0.0, 0.0, pw, ph))
                .contents(content_id);
            page.resources()
                .fonts()
                .pair(Name(b"F1"), REGULAR)
                .pair(Name(b"F2"), BOLD);
            page.finish();
        });
        self.kids.push(page_id);
    }

    /// One spine label: the call number's lines from [`spine_lines`].
    pub fn push_spine(&mut self, scheme: Scheme, call_number: &str) {
        self.place(|c, fonts, x, y, w, h| draw_spine(c, fonts, scheme, call_number, x, y, w, h));
    }

    /// One item label (an invalid barcode: field `barcode`, nothing added).
    pub fn push_item(&mut self, item: &ItemLabel) -> Result<(), PrintError> {
        let m = code128_modules(&item.barcode)?;
        self.place(|c, fonts, x, y, w, h| draw_item(c, fonts, item, &m, x, y, w, h));
        Ok(())
    }

    fn push_card(&mut self, card: &LibraryCard) -> Result<(), PrintError> {
        let m = codabar_modules(&card.barcode)?;
        self.place(|c, fonts, x, y, w, h| draw_card(c, fonts, card, &m, x, y, w, h));
        Ok(())
    }

    /// The bytes written since the last call (the file's start, then
    /// every page filled since).
    pub fn take_bytes(&mut self) -> Vec<u8> {
        self.out.take()
    }

    /// The rest of the file: the last (partly filled) page, the fonts,
    /// the page tree, the catalog and the cross-reference table. A
    /// document without labels has one empty page.
    pub fn finish(mut self) -> Result<Vec<u8>, PrintError> {
        if !self.slot.is_multiple_of(self.layout.per_page()) || self.kids.is_empty() {
            self.flush_page();
        }
        let title = self.title;
        self.out.obj(|c| {
            c.indirect(INFO)
                .start::<pdf_writer::writers::DocumentInfo>()
                .title(pdf_writer::TextStr(title))
                .producer(pdf_writer::TextStr("Quire"));
        });
        let kids = std::mem::take(&mut self.kids);
        self.out.obj(|c| {
            c.pages(TREE)
                .kids(kids.iter().copied())
                .count(i32::try_from(kids.len()).unwrap_or(i32::MAX));
        });
        self.out.obj(|c| {
            c.indirect(CATALOG)
                .start::<pdf_writer::writers::Catalog>()
                .pages(TREE);
        });
        // The fonts last: only now is it known which glyphs they need.
        let pages = i32::try_from(kids.len()).unwrap_or(i32::MAX / 4);
        let next = Ref::new(6 + 2 * pages);
        let next = self.fonts.regular.write(&mut self.out, REGULAR, next)?;
        self.fonts.bold.write(&mut self.out, BOLD, next)?;
        Ok(self.out.close())
    }

    /// [`LabelSheet::finish`] after every byte taken so far: the whole file.
    fn into_pdf(mut self) -> Result<Vec<u8>, PrintError> {
        let mut all = self.take_bytes();
        all.extend(self.finish()?);
        Ok(all)
    }
}

#[allow(clippy::too_many_arguments)]
fn draw_spine(
    c: &mut Content,
    fonts: &mut Fonts,
    scheme: Scheme,
    cn: &str,
    x: f32,
    y: f32,
    w: f32,
    h: f32,
) {
    let pad = 2.0 * MM;
    // Font size: the lines must fit the height, the longest the width.
    let max_size = 11.0_f32;
    let max_lines = ((h - pad) / (0.6 * 1.15 * max_size)).floor().max(1.0) as usize;
    let lines = spine_lines(scheme, cn, 12, max_lines.min(8));
    let n = lines.len().max(1) as f32;
    let longest = lines
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(1)
        .max(1) as f32;
    let size = max_size
        .min((h - pad) / (n * 1.15))
        .min((w - pad) / (longest * 0.62))
        .max(4.0);
    let top = y + h - pad / 2.0 - size;
    for (k, l) in lines.iter().enumerate() {
        text(
            c,
            fonts,
            true,
            size,
            x + pad / 2.0,
            top - k as f32 * size * 1.15,
            l,
        );
    }
}

#[allow(clippy::too_many_arguments)]
fn draw_item(
    c: &mut Content,
    fonts: &mut Fonts,
    item: &ItemLabel,
    m: &[u8],
    x: f32,
    y: f32,
    w: f32,
    h: f32,
) {
    let pad = 1.5 * MM;
    let size = (h / 8.0).clamp(4.0, 8.0);
    let inner = w - 2.0 * pad;
    let library = fit(&fonts.bold, &item.library, inner, size);
    text(c, fonts, true, size, x + pad, y + h - pad - size, &library);
    let title = fit(&fonts.regular, &item.title, inner, size);
    text(
        c,
        fonts,
        false,
        size,
        x + pad,
        y + h - pad - 2.1 * size,
        &title,
    );
    let bar_top = y + h - pad - 2.6 * size;
    let bar_bottom = y + pad + 1.3 * size;
    if bar_top > bar_bottom {
        bars(c, m, x + pad, bar_bottom, inner, bar_top - bar_bottom);
    }
    let line = format!("{}  {}", item.barcode, item.call_number);
    let line = fit(&fonts.regular, &line, inner, size);
    text(c, fonts, false, size, x + pad, y + pad, &line);
}

#[allow(clippy::too_many_arguments)]
fn draw_card(
    c: &mut Content,
    fonts: &mut Fonts,
    card: &LibraryCard,
    m: &[u8],
    x: f32,
    y: f32,
    w: f32,
    h: f32,
) {
    let pad = 4.0 * MM;
    let inner = w - 2.0 * pad;
    // A thin frame to cut along.
    c.set_stroke_gray(0.6);
    c.set_line_width(0.3);
    c.rect(x, y, w, h);
    c.stroke();
    let title = (h / 9.0).clamp(6.0, 13.0);
    let name = (h / 11.0).clamp(5.0, 11.0);
    let digits = (h / 14.0).clamp(5.0, 9.0);
    let library = fit(&fonts.bold, &card.library, inner, title);
    text(
        c,
        fonts,
        true,
        title,
        x + pad,
        y + h - pad - title,
        &library,
    );
    let patron = fit(&fonts.regular, &card.patron_name, inner, name);
    text(
        c,
        fonts,
        false,
        name,
        x + pad,
        y + h - pad - title - 1.6 * name,
        &patron,
    );
    let bar_h = h * 0.32;
    let bar_y = y + pad + 1.4 * digits;
    bars(c, m, x + pad, bar_y, inner, bar_h);
    let dw = fonts.regular.width(&card.barcode, digits);
    text(
        c,
        fonts,
        false,
        digits,
        x + pad + (inner - dw).max(0.0) / 2.0,
        y + pad,
        &card.barcode,
    );
}

/// Spine labels: one label per call number (its lines from
/// [`spine_lines`]), starting at slot `start_at` of the first sheet (to use
/// up a partly used sheet).
pub fn spine_labels_pdf(
    layout: &SheetLayout,
    labels: &[(Scheme, String)],
    start_at: usize,
) -> Result<Vec<u8>, PrintError> {
    let mut sheet = LabelSheet::spine_labels(layout, start_at)?;
    for (scheme, cn) in labels {
        sheet.push_spine(*scheme, cn);
    }
    sheet.into_pdf()
}

/// Item barcode labels: Code 128 bars, the barcode digits, the library,
/// the call number and the title.
pub fn item_labels_pdf(
    layout: &SheetLayout,
    items: &[ItemLabel],
    start_at: usize,
) -> Result<Vec<u8>, PrintError> {
    // Every barcode checked before anything is drawn.
    for i in items {
        code128_modules(&i.barcode)?;
    }
    let mut sheet = LabelSheet::item_labels(layout, start_at)?;
    for i in items {
        sheet.push_item(i)?;
    }
    sheet.into_pdf()
}

/// Library cards: library name, patron name, Codabar bars and the digits.
pub fn library_cards_pdf(
    layout: &SheetLayout,
    cards: &[LibraryCard],
) -> Result<Vec<u8>, PrintError> {
    for c in cards {
        codabar_modules(&c.barcode)?;
    }
    let mut sheet = LabelSheet::cards(layout)?;
    for c in cards {
        sheet.push_card(c)?;
    }
    sheet.into_pdf()
}

#[cfg(test)]
mod tests;
