//! MARC-8 -> UTF-8 against the 901 shared vectors (three independent
//! converters; see shared/data/README.md).

#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

use quire_marc::marc8;
use unicode_normalization::UnicodeNormalization;

fn hex(s: &[u8]) -> Vec<u8> {
    let s = std::str::from_utf8(s).unwrap();
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn nfc(b: &[u8]) -> String {
    String::from_utf8(b.to_vec()).unwrap().nfc().collect()
}

#[test]
fn marc8_vectors() {
    let Some((header, rows)) = quire_testdata::read_tsv("marc8/marc8_to_utf8.tsv") else {
        return;
    };
    let col = |n: &str| header.iter().position(|h| h == n).unwrap();
    let (c_in, c_exp, c_agree) = (col("marc8_hex"), col("expected_utf8_nfc"), col("agreement"));
    let (c_yaz, c_py, c_mc) = (
        col("yaz_iconv_5.34_utf8"),
        col("pymarc_5.4_utf8"),
        col("marc_charset_1.35_utf8"),
    );
    let mut failures = Vec::new();
    let (mut maj_total, mut maj_pass) = (0, 0);
    let (mut dis_total, mut dis_yaz, mut dis_py, mut dis_mc) = (0, 0, 0, 0);
    for row in &rows {
        let input = hex(&row[c_in]);
        let got = marc8::decode(&input).text;
        let agreement = String::from_utf8_lossy(&row[c_agree]).into_owned();
        let expected = nfc(&row[c_exp]);
        match agreement.as_str() {
            "all3_exact" | "all3_after_NFC" => {
                if got != expected {
                    failures.push(format!(
                        "{agreement} {}: got {got:?} expected {expected:?}",
                        String::from_utf8_lossy(&row[c_in])
                    ));
                }
            }
            a if a.starts_with("majority") => {
                maj_total += 1;
                if got == expected {
                    maj_pass += 1;
                } else {
                    eprintln!("majority miss ({a}): got {got:?} expected {expected:?}");
                }
            }
            "all_disagree" => {
                dis_total += 1;
                dis_yaz += usize::from(got == nfc(&row[c_yaz]));
                dis_py += usize::from(got == nfc(&row[c_py]));
                dis_mc += usize::from(got == nfc(&row[c_mc]));
            }
            other => panic!("unknown agreement {other}"),
        }
    }
    eprintln!("majority: {maj_pass}/{maj_total} pass");
    eprintln!(
        "all_disagree: {dis_total} rows; equal to yaz {dis_yaz}, pymarc {dis_py}, MARC::Charset {dis_mc}"
    );
    assert!(
        failures.is_empty(),
        "{} all3 vectors fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(maj_total > 0 && dis_total > 0);
}
