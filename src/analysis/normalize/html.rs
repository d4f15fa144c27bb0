//! Removing HTML markup from post text, without ever failing on malformed input.

/// Removes HTML tags (each becomes a space) and decodes common entities. A `<` that does not
/// open a tag (`<3`, `a < b`) is kept; a tag must close within 1 KiB or it is text.
pub fn strip_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    strip_html_into(text, &mut out);
    out
}

/// [`strip_html`] appending to `out` (a reused buffer).
pub(super) fn strip_html_into(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some(pos) = rest.find(['<', '&']) {
        out.push_str(&rest[..pos]);
        let tail = &rest[pos..];
        let skip = if tail.starts_with('<') {
            tag_len(tail).inspect(|_| out.push(' '))
        } else {
            entity(tail).map(|(c, n)| {
                out.push(c);
                n
            })
        };
        let used = skip.unwrap_or_else(|| {
            out.push_str(&tail[..1]);
            1
        });
        rest = &tail[used..];
    }
    out.push_str(rest);
}

/// Length of the tag at the start of `s` (`<b>`, `</p>`, `<!-- x -->`, `<br/>`), if it is one.
fn tag_len(s: &str) -> Option<usize> {
    let mut after = s[1..].chars();
    let first = after.next()?;
    let name_start = if first == '/' { after.next()? } else { first };
    if !(name_start.is_ascii_alphabetic() || first == '!') {
        return None;
    }
    let window = &s.as_bytes()[..s.len().min(1024)];
    window.iter().position(|&b| b == b'>').map(|end| end + 1)
}

/// Decodes the entity at the start of `s` (`&amp;`, `&#233;`, `&#x1F600;`): (char, bytes).
fn entity(s: &str) -> Option<(char, usize)> {
    let end = s.as_bytes().iter().take(12).position(|&b| b == b';')?;
    let name = &s[1..end];
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse::<u32>().ok()?,
            };
            char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER)
        }
    };
    Some((c, end + 1))
}
