//! ASCII emoticons and their canonical spellings (the form lexicons and rules use).

/// `(written form, canonical form)`.
const EMOTICONS: &[(&str, &str)] = &[
    (">:(", ">:("),
    (">:-(", ">:("),
    (":)", ":)"),
    (":-)", ":)"),
    ("=)", ":)"),
    (":]", ":)"),
    (":(", ":("),
    (":-(", ":("),
    ("=(", ":("),
    (":[", ":("),
    (":'(", ":'("),
    (":'-(", ":'("),
    (":D", ":D"),
    (":-D", ":D"),
    ("=D", ":D"),
    ("xD", "xD"),
    ("XD", "xD"),
    ("xd", "xD"),
    (":/", ":/"),
    (":-/", ":/"),
    (":\\", ":/"),
    (":P", ":P"),
    (":p", ":P"),
    (":-P", ":P"),
    (":-p", ":P"),
    (";)", ";)"),
    (";-)", ";)"),
    ("<3", "<3"),
    ("</3", "</3"),
    (":|", ":|"),
    (":-|", ":|"),
    ("D:", "D:"),
    (":v", ":v"),
    (":c", ":c"),
    (":C", ":c"),
    (":o", ":o"),
    (":O", ":o"),
    (":-o", ":o"),
    (":-O", ":o"),
    ("-_-", "-_-"),
    ("^^", "^^"),
    ("^_^", "^^"),
    ("u_u", "u_u"),
    (":3", ":3"),
];

/// The longest emoticon at the start of `s`: (canonical form, bytes used). It must not be
/// followed by a letter or digit; one that starts with a letter (`xD`, `D:`) must also start
/// a word (`at_start`), so `fixD` or `ID:` are not emoticons.
pub(super) fn match_at(s: &str, at_start: bool) -> Option<(&'static str, usize)> {
    let first = s.chars().next()?;
    if first.is_alphanumeric() && !at_start {
        return None;
    }
    if !matches!(
        first,
        ':' | '=' | ';' | '<' | '>' | 'x' | 'X' | 'D' | '-' | '^' | 'u'
    ) {
        return None;
    }
    EMOTICONS
        .iter()
        .filter(|(written, _)| s.starts_with(written))
        .filter(|(written, _)| {
            !s[written.len()..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric)
        })
        .max_by_key(|(written, _)| written.len())
        .map(|&(written, canon)| (canon, written.len()))
}
