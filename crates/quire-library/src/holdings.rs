//! The configurable holdings mapping: which subfields of 952 (Koha), 949
//! (local) and 852 (MARC holdings) carry which item attribute, for import
//! (and the item field written by export). Stored as one JSON setting;
//! the defaults are the built-in presets.

use quire_domain::staff::Permission;
use quire_domain::{FieldError, Invalid};
use quire_marc::holdings::HoldingsMapping;
use serde::{Deserialize, Serialize};

use crate::{Ctx, Error, ErrorCode, Library, Result};

const SETTING: &str = "holdings_mapping";

/// One tag's mapping as stored and edited: subfield codes per attribute
/// (several codes are joined in order), status subfields as `code=label`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TagMapping {
    pub barcode: String,
    pub call_number: String,
    pub branch: String,
    #[serde(default)]
    pub holding_branch: String,
    #[serde(default)]
    pub location: String,
    #[serde(default)]
    pub item_type: String,
    #[serde(default)]
    pub copy: String,
    #[serde(default)]
    pub price: String,
    /// `code=label`, space separated (`7=notforloan 1=lost`).
    #[serde(default)]
    pub status: String,
}

/// The attributes of a [`TagMapping`], in form order.
pub const ATTRIBUTES: &[&str] = &[
    "barcode",
    "call_number",
    "branch",
    "holding_branch",
    "location",
    "item_type",
    "copy",
    "price",
    "status",
];

impl TagMapping {
    fn of(m: &HoldingsMapping) -> Self {
        TagMapping {
            barcode: m.barcode.clone(),
            call_number: m.call_number.clone(),
            branch: m.branch.clone(),
            holding_branch: m.holding_branch.clone(),
            location: m.location.clone(),
            item_type: m.item_type.clone(),
            copy: m.copy.clone(),
            price: m.price.clone(),
            status: m
                .status
                .iter()
                .map(|(c, l)| format!("{c}={l}"))
                .collect::<Vec<_>>()
                .join(" "),
        }
    }

    /// The value of an attribute by name.
    pub fn get(&self, attr: &str) -> &str {
        match attr {
            "barcode" => &self.barcode,
            "call_number" => &self.call_number,
            "branch" => &self.branch,
            "holding_branch" => &self.holding_branch,
            "location" => &self.location,
            "item_type" => &self.item_type,
            "copy" => &self.copy,
            "price" => &self.price,
            "status" => &self.status,
            _ => "",
        }
    }

    fn set(&mut self, attr: &str, v: String) {
        let v = v.trim().to_owned();
        match attr {
            "barcode" => self.barcode = v,
            "call_number" => self.call_number = v,
            "branch" => self.branch = v,
            "holding_branch" => self.holding_branch = v,
            "location" => self.location = v,
            "item_type" => self.item_type = v,
            "copy" => self.copy = v,
            "price" => self.price = v,
            "status" => self.status = v,
            _ => {}
        }
    }

    fn status_pairs(&self) -> Vec<(String, String)> {
        self.status
            .split_whitespace()
            .map(|p| match p.split_once('=') {
                Some((c, l)) => (c.to_owned(), l.to_owned()),
                None => (p.to_owned(), String::new()),
            })
            .collect()
    }

    fn to_mapping(&self, tag: &str) -> HoldingsMapping {
        HoldingsMapping {
            tag: tag.to_owned(),
            barcode: self.barcode.clone(),
            call_number: self.call_number.clone(),
            branch: self.branch.clone(),
            holding_branch: self.holding_branch.clone(),
            location: self.location.clone(),
            item_type: self.item_type.clone(),
            copy: self.copy.clone(),
            price: self.price.clone(),
            status: self
                .status_pairs()
                .into_iter()
                .filter_map(|(c, l)| c.chars().next().map(|c| (c, l)))
                .collect(),
        }
    }
}

/// The whole holdings configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HoldingsConfig {
    /// Which tag export writes items into: `952`, `949` or `852`.
    #[serde(default = "default_export_tag")]
    pub export_tag: String,
    #[serde(rename = "952")]
    pub koha_952: TagMapping,
    #[serde(rename = "949")]
    pub local_949: TagMapping,
    #[serde(rename = "852")]
    pub marc_852: TagMapping,
}

fn default_export_tag() -> String {
    "952".into()
}

impl Default for HoldingsConfig {
    fn default() -> Self {
        HoldingsConfig {
            export_tag: default_export_tag(),
            koha_952: TagMapping::of(&HoldingsMapping::koha_952()),
            local_949: TagMapping::of(&HoldingsMapping::local_949()),
            marc_852: TagMapping::of(&HoldingsMapping::marc_852()),
        }
    }
}

/// Form field names `<tag>_<attribute>` (static, for field errors).
pub const FIELDS: [[&str; 9]; 3] = [
    [
        "m952_barcode",
        "m952_call_number",
        "m952_branch",
        "m952_holding_branch",
        "m952_location",
        "m952_item_type",
        "m952_copy",
        "m952_price",
        "m952_status",
    ],
    [
        "m949_barcode",
        "m949_call_number",
        "m949_branch",
        "m949_holding_branch",
        "m949_location",
        "m949_item_type",
        "m949_copy",
        "m949_price",
        "m949_status",
    ],
    [
        "m852_barcode",
        "m852_call_number",
        "m852_branch",
        "m852_holding_branch",
        "m852_location",
        "m852_item_type",
        "m852_copy",
        "m852_price",
        "m852_status",
    ],
];

/// One input of the settings form: (attribute, field name, value).
pub type FormCell = (&'static str, &'static str, String);

/// The tags in form order.
pub const TAGS: [&str; 3] = ["952", "949", "852"];

impl HoldingsConfig {
    fn tag_mapping(&self, i: usize) -> &TagMapping {
        match i {
            0 => &self.koha_952,
            1 => &self.local_949,
            _ => &self.marc_852,
        }
    }
    fn tag_mapping_mut(&mut self, i: usize) -> &mut TagMapping {
        match i {
            0 => &mut self.koha_952,
            1 => &mut self.local_949,
            _ => &mut self.marc_852,
        }
    }

    /// Builds the configuration from form values `m952_barcode` … and
    /// `export_tag`.
    pub fn from_form(get: &dyn Fn(&str) -> String) -> Self {
        let mut c = HoldingsConfig::default();
        for (i, fields) in FIELDS.iter().enumerate() {
            for (a, name) in ATTRIBUTES.iter().zip(fields.iter()) {
                c.tag_mapping_mut(i).set(a, get(name));
            }
        }
        c.export_tag = get("export_tag").trim().to_owned();
        c
    }

    /// Rows for the settings form: (tag, [(attribute, field name, value)]).
    pub fn rows(&self) -> Vec<(&'static str, Vec<FormCell>)> {
        TAGS.iter()
            .enumerate()
            .map(|(i, tag)| {
                (
                    *tag,
                    ATTRIBUTES
                        .iter()
                        .zip(FIELDS[i].iter())
                        .map(|(a, f)| (*a, *f, self.tag_mapping(i).get(a).to_owned()))
                        .collect(),
                )
            })
            .collect()
    }

    /// Every problem, per form field: codes must be `a-z`/`0-9`, a code
    /// may carry only one attribute, the barcode must be mapped, status
    /// entries are `code=label`.
    pub fn validate(&self) -> std::result::Result<(), Invalid> {
        let mut inv = Invalid::default();
        for (i, fields) in FIELDS.iter().enumerate() {
            let m = self.tag_mapping(i);
            let mut seen: Vec<char> = Vec::new();
            for (a, name) in ATTRIBUTES.iter().zip(fields.iter()) {
                let codes: Vec<char> = if *a == "status" {
                    let mut out = Vec::new();
                    for (c, l) in m.status_pairs() {
                        let mut cs = c.chars();
                        match (cs.next(), cs.next()) {
                            (Some(ch), None) if !l.is_empty() => out.push(ch),
                            _ => {
                                inv.push(FieldError::new(name, "status-mapping").with_arg(c));
                            }
                        }
                    }
                    out
                } else {
                    m.get(a).chars().collect()
                };
                if *a == "barcode" && codes.is_empty() {
                    inv.push(FieldError::new(name, "required"));
                }
                for c in codes {
                    if !(c.is_ascii_lowercase() || c.is_ascii_digit()) {
                        inv.push(FieldError::new(name, "subfield-codes").with_arg(c));
                    } else if seen.contains(&c) {
                        inv.push(FieldError::new(name, "code-mapped-twice").with_arg(c));
                    } else {
                        seen.push(c);
                    }
                }
            }
        }
        if !TAGS.contains(&self.export_tag.as_str()) {
            inv.push(FieldError::new("export_tag", "invalid-choice"));
        }
        inv.into_result()
    }

    /// The mapping for one tag.
    pub fn for_tag(&self, tag: &str) -> HoldingsMapping {
        let i = TAGS.iter().position(|t| *t == tag).unwrap_or(0);
        self.tag_mapping(i).to_mapping(TAGS[i])
    }

    /// The mapping export writes items with.
    pub fn mapping(&self) -> HoldingsMapping {
        self.for_tag(&self.export_tag)
    }

    /// Reads a JSON file's text (the format of the setting; tags left out
    /// keep `base`'s mapping). Errors name the problem.
    pub fn from_json(text: &str, base: &HoldingsConfig) -> Result<HoldingsConfig> {
        let mut v = serde_json::to_value(base)
            .map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))?;
        let patch: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| Error::new(ErrorCode::Invalid, format!("holdings map: {e}")))?;
        match (v.as_object_mut(), patch.as_object()) {
            (Some(obj), Some(p)) => {
                for (k, val) in p {
                    obj.insert(k.clone(), val.clone());
                }
            }
            _ => {
                return Err(Error::new(
                    ErrorCode::Invalid,
                    "holdings map: expected a JSON object such as {\"952\": {\"barcode\": \"p\", …}}",
                ));
            }
        }
        let c: HoldingsConfig = serde_json::from_value(v)
            .map_err(|e| Error::new(ErrorCode::Invalid, format!("holdings map: {e}")))?;
        c.validate()?;
        Ok(c)
    }
}

impl Library {
    /// The configured holdings mapping (the presets when none is saved).
    pub async fn holdings_mapping(&self) -> Result<HoldingsConfig> {
        let mut r = self.store().read().await?;
        Ok(match r.setting(SETTING).await? {
            Some(json) => serde_json::from_str(&json).unwrap_or_else(|e| {
                tracing::warn!(error = %e, "stored holdings mapping unreadable; using the defaults");
                HoldingsConfig::default()
            }),
            None => HoldingsConfig::default(),
        })
    }

    /// Saves the holdings mapping (administrators), validated and audited.
    pub async fn set_holdings_mapping(&self, ctx: &Ctx, c: &HoldingsConfig) -> Result<()> {
        ctx.actor.require(Permission::ManagePolicies)?;
        c.validate()?;
        let before = self.holdings_mapping().await?;
        let json =
            serde_json::to_string(c).map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))?;
        let mut w = self.store().begin().await?;
        w.put_setting(SETTING, &json).await?;
        crate::audit::record(
            w.as_mut(),
            self,
            ctx,
            "update",
            "setting",
            SETTING,
            Some(&before),
            Some(c),
        )
        .await?;
        w.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_presets_and_valid() {
        let c = HoldingsConfig::default();
        assert!(c.validate().is_ok());
        assert_eq!(c.for_tag("952"), HoldingsMapping::koha_952());
        assert_eq!(c.for_tag("949"), HoldingsMapping::local_949());
        assert_eq!(c.for_tag("852"), HoldingsMapping::marc_852());
        // Round trip through the form.
        let rows = c.rows();
        let get = |name: &str| -> String {
            if name == "export_tag" {
                return "952".into();
            }
            rows.iter()
                .flat_map(|(_, r)| r.iter())
                .find(|(_, f, _)| *f == name)
                .map(|(_, _, v)| v.clone())
                .unwrap_or_default()
        };
        assert_eq!(HoldingsConfig::from_form(&get), c);
    }

    #[test]
    fn validation_names_the_field() {
        let mut c = HoldingsConfig::default();
        c.koha_952.barcode = String::new();
        c.koha_952.location = "aC".into();
        c.marc_852.status = "x".into();
        let inv = c.validate().unwrap_err();
        let got: Vec<(&str, &str)> = inv.0.iter().map(|e| (e.field, e.code)).collect();
        assert!(got.contains(&("m952_barcode", "required")));
        assert!(
            got.contains(&("m952_location", "code-mapped-twice")),
            "{got:?}"
        );
        assert!(got.contains(&("m952_location", "subfield-codes")));
        assert!(got.contains(&("m852_status", "status-mapping")));
    }

    #[test]
    fn json_files_patch_the_configuration() {
        let c = HoldingsConfig::from_json(
            r#"{"949": {"barcode": "i", "call_number": "d", "branch": "w"}}"#,
            &HoldingsConfig::default(),
        )
        .unwrap();
        assert_eq!(c.for_tag("949").barcode, "i");
        assert_eq!(c.for_tag("952"), HoldingsMapping::koha_952());
        assert!(HoldingsConfig::from_json("[1]", &HoldingsConfig::default()).is_err());
        assert!(
            HoldingsConfig::from_json(r#"{"952": {"barcode": ""}}"#, &HoldingsConfig::default())
                .is_err()
        );
    }
}
