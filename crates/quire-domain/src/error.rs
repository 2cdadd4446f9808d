//! Validation errors: which field, and why (as a stable code that the
//! adapters translate).

use std::fmt;

/// One problem with one input field. `code` is a stable, translatable key
/// such as `too-short`; `field` names the input (`username`, `opens`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub code: &'static str,
    /// Optional detail (e.g. the minimum length) for the translated message.
    pub arg: Option<String>,
}

impl FieldError {
    pub fn new(field: &'static str, code: &'static str) -> Self {
        Self {
            field,
            code,
            arg: None,
        }
    }
    pub fn with_arg(mut self, arg: impl fmt::Display) -> Self {
        self.arg = Some(arg.to_string());
        self
    }
}

/// A set of field errors from validating one input (never empty when returned).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Invalid(pub Vec<FieldError>);

impl Invalid {
    pub fn one(e: FieldError) -> Self {
        Self(vec![e])
    }
    pub fn push(&mut self, e: FieldError) {
        self.0.push(e);
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// Ok(()) when no error was collected.
    pub fn into_result(self) -> Result<(), Invalid> {
        if self.0.is_empty() { Ok(()) } else { Err(self) }
    }
    /// Records the error of a parse, if any, and gives back the value.
    pub fn check<T>(&mut self, r: Result<T, FieldError>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.push(e);
                None
            }
        }
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{}: {}", e.field, e.code)?;
            if let Some(a) = &e.arg {
                write!(f, " ({a})")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for Invalid {}

/// Trims and checks a required free-text field's length in characters.
pub fn text(field: &'static str, raw: &str, min: usize, max: usize) -> Result<String, FieldError> {
    let t = raw.trim();
    let n = t.chars().count();
    if n == 0 && min > 0 {
        return Err(FieldError::new(field, "required"));
    }
    if n < min {
        return Err(FieldError::new(field, "too-short").with_arg(min));
    }
    if n > max {
        return Err(FieldError::new(field, "too-long").with_arg(max));
    }
    if t.chars().any(|c| c.is_control()) {
        return Err(FieldError::new(field, "control-characters"));
    }
    Ok(t.to_owned())
}

/// Like [`text`] but an empty value is `None`.
pub fn optional_text(
    field: &'static str,
    raw: &str,
    max: usize,
) -> Result<Option<String>, FieldError> {
    if raw.trim().is_empty() {
        Ok(None)
    } else {
        text(field, raw, 1, max).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_rules() {
        assert_eq!(text("name", "  Ana  ", 1, 10).unwrap(), "Ana");
        assert_eq!(text("name", "   ", 1, 10).unwrap_err().code, "required");
        assert_eq!(text("name", "ab", 3, 10).unwrap_err().code, "too-short");
        assert_eq!(text("name", "abcdef", 1, 5).unwrap_err().code, "too-long");
        assert_eq!(
            text("name", "a\u{7}b", 1, 5).unwrap_err().code,
            "control-characters"
        );
        // Length is in characters, not bytes.
        assert!(text("name", "Tiếng Việt", 1, 10).is_ok());
        assert_eq!(optional_text("email", " ", 5).unwrap(), None);
    }
}
