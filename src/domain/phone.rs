//! Phone numbers as profiles store and match them.

/// Digits only, keeping a leading `+`; `None` unless 9–15 digits.
pub fn normalize_phone(s: &str) -> Option<String> {
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    if !(9..=15).contains(&digits.len()) {
        return None;
    }
    Some(if s.trim_start().starts_with('+') {
        format!("+{digits}")
    } else {
        digits
    })
}
