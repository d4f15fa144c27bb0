//! HTML post bodies (Mastodon, Hacker News, RSS) to plain text: inline tags (`a`, `span`, `b`…)
//! vanish without a trace so links and hashtags stay whole (`#<span>rstats</span>` → `#rstats`),
//! block tags (`p`, `br`, `div`, `li`…) become line breaks, entities are decoded.

use crate::analysis::normalize::strip_html;

const BLOCK_TAGS: &[&str] = &[
    "p",
    "br",
    "div",
    "li",
    "ul",
    "ol",
    "blockquote",
    "pre",
    "h1",
    "h2",
    "h3",
    "h4",
    "tr",
];

/// Converts an HTML fragment to text; never fails, whatever the input.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(pos) = rest.find('<') {
        out.push_str(&rest[..pos]);
        let tail = &rest[pos..];
        match tag_at(tail) {
            Some((len, name)) => {
                if BLOCK_TAGS.contains(&name.as_str()) {
                    out.push('\n');
                }
                rest = &tail[len..];
            }
            None => {
                out.push('<');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    // Entities only now: no tag is left for strip_html to replace with a space.
    let decoded = strip_html(&out.replace('<', "&lt;"));
    tidy(&decoded)
}

/// `<a href=…>` / `</span>` / `<br/>` at the start of `s`: its length and lowercase name.
fn tag_at(s: &str) -> Option<(usize, String)> {
    let end = s
        .get(..1024.min(s.len()))?
        .find('>')
        .or_else(|| s.find('>').filter(|e| *e < 1024))?;
    let inner = s[1..end].trim_start_matches('/');
    let name: String = inner
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    (!name.is_empty()).then_some((end + 1, name))
}

/// Collapses runs of spaces and blank lines.
fn tidy(s: &str) -> String {
    s.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::html_to_text;

    #[test]
    fn mastodon_links_and_hashtags_stay_whole() {
        let html = r##"<p>Peruse <a href="https://rstats.me/tags/rstats" class="mention hashtag">#<span>rstats</span></a> docs: <a href="x"><span class="invisible">https://www.</span><span class="ellipsis">simon.com/blog/1</span><span class="invisible">7-x/</span></a></p><p>a &lt;3 &amp; b<br/>c</p>"##;
        assert_eq!(
            html_to_text(html),
            "Peruse #rstats docs: https://www.simon.com/blog/17-x/\na <3 & b\nc"
        );
        assert_eq!(html_to_text("1 < 2 and <3"), "1 < 2 and <3");
    }
}
