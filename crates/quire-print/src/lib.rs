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

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str};
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

/// Writes pages of slots; `draw(content, index, x, y, w, h)` draws one slot.
fn sheet_pdf(
    layout: &SheetLayout,
    count: usize,
    start_at: usize,
    title: &str,
    mut draw: impl FnMut(&mut Content, &mut Fonts, usize, f32, f32, f32, f32),
) -> Result<Vec<u8>, PrintError> {
    layout.validate()?;
    let per_page = layout.per_page();
    if start_at >= per_page {
        return Err(err("start_at", "out-of-range"));
    }
    let slots = start_at + count;
    let pages = slots.div_ceil(per_page).max(1);
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let regular = Ref::new(3);
    let bold = Ref::new(4);
    let info = Ref::new(5);
    let mut pdf = Pdf::new();
    let mut fonts = Fonts {
        regular: EmbeddedFont::regular()?,
        bold: EmbeddedFont::bold()?,
    };
    pdf.document_info(info)
        .title(pdf_writer::TextStr(title))
        .producer(pdf_writer::TextStr("Quire"));
    let mut kids = Vec::with_capacity(pages);
    let (w, h) = (layout.label_width * MM, layout.label_height * MM);
    for p in 0..pages {
        let page_id = Ref::new(6 + 2 * p as i32);
        let content_id = Ref::new(7 + 2 * p as i32);
        let mut c = Content::new();
        for slot in 0..per_page {
            let global = p * per_page + slot;
            if global < start_at || global >= slots {
                continue;
            }
            let (x, y) = layout.origin(slot);
            draw(&mut c, &mut fonts, global - start_at, x, y, w, h);
        }
        pdf.stream(content_id, &c.finish());
        let mut page = pdf.page(page_id);
        page.parent(tree)
            .media_box(Rect::new(
                0.0,
                0.0,
                layout.page_width * MM,
                layout.page_height * MM,
            ))
            .contents(content_id);
        page.resources()
            .fonts()
            .pair(Name(b"F1"), regular)
            .pair(Name(b"F2"), bold);
        page.finish();
        kids.push(page_id);
    }
    pdf.pages(tree)
        .kids(kids.iter().copied())
        .count(i32::try_from(kids.len()).unwrap_or(i32::MAX));
    pdf.catalog(catalog).pages(tree);
    // The fonts last: only now is it known which glyphs they need.
    let next = Ref::new(6 + 2 * i32::try_from(pages).unwrap_or(i32::MAX / 4));
    let next = fonts.regular.write(&mut pdf, regular, next)?;
    fonts.bold.write(&mut pdf, bold, next)?;
    Ok(pdf.finish())
}

/// Spine labels: one label per call number (its lines from
/// [`spine_lines`]), starting at slot `start_at` of the first sheet (to use
/// up a partly used sheet).
pub fn spine_labels_pdf(
    layout: &SheetLayout,
    labels: &[(Scheme, String)],
    start_at: usize,
) -> Result<Vec<u8>, PrintError> {
    sheet_pdf(
        layout,
        labels.len(),
        start_at,
        "Spine labels",
        |c, fonts, i, x, y, w, h| {
            let Some((scheme, cn)) = labels.get(i) else {
                return;
            };
            let pad = 2.0 * MM;
            // Font size: the lines must fit the height, the longest the width.
            let max_size = 11.0_f32;
            let max_lines = ((h - pad) / (0.6 * 1.15 * max_size)).floor().max(1.0) as usize;
            let lines = spine_lines(*scheme, cn, 12, max_lines.min(8));
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
        },
    )
}

/// Item barcode labels: Code 128 bars, the barcode digits, the library,
/// the call number and the title.
pub fn item_labels_pdf(
    layout: &SheetLayout,
    items: &[ItemLabel],
    start_at: usize,
) -> Result<Vec<u8>, PrintError> {
    let modules: Vec<Vec<u8>> = items
        .iter()
        .map(|i| code128_modules(&i.barcode))
        .collect::<Result<_, _>>()?;
    sheet_pdf(
        layout,
        items.len(),
        start_at,
        "Item labels",
        |c, fonts, i, x, y, w, h| {
            let (Some(item), Some(m)) = (items.get(i), modules.get(i)) else {
                return;
            };
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
        },
    )
}

/// Library cards: library name, patron name, Codabar bars and the digits.
pub fn library_cards_pdf(
    layout: &SheetLayout,
    cards: &[LibraryCard],
) -> Result<Vec<u8>, PrintError> {
    let modules: Vec<Vec<u8>> = cards
        .iter()
        .map(|c| codabar_modules(&c.barcode))
        .collect::<Result<_, _>>()?;
    sheet_pdf(
        layout,
        cards.len(),
        0,
        "Library cards",
        |c, fonts, i, x, y, w, h| {
            let (Some(card), Some(m)) = (cards.get(i), modules.get(i)) else {
                return;
            };
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
        },
    )
}

#[cfg(test)]
mod tests;
