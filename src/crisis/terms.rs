//! Terms of a mention for grouping: lower-cased words of at least four letters, without
//! handles, links, numbers, the brand's own name and common Spanish/English function words.

use std::collections::BTreeSet;

const STOPWORDS: &[&str] = &[
    "this", "that", "with", "have", "from", "they", "what", "when", "your", "just", "about",
    "been", "were", "there", "their", "would", "could", "still", "again", "hours", "para", "pero",
    "como", "esto", "esta", "este", "estoy", "todo", "todos", "nada", "desde", "hace", "porque",
    "cuando", "donde", "también", "tambien", "muy", "más", "mas", "sobre", "horas", "llevo",
    "tengo", "hasta", "otra", "otro", "alguien", "ya", "pedí", "pedi", "order",
];

/// Distinct terms of `text`, at most 20.
pub fn terms(text: &str, brand: &str) -> Vec<String> {
    let brand = brand.to_lowercase();
    let mut out = BTreeSet::new();
    for raw in text.split_whitespace() {
        if raw.starts_with('@') || raw.contains("://") {
            continue;
        }
        let word: String = raw
            .trim_start_matches('#')
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        let letters = word.chars().filter(|c| c.is_alphabetic()).count();
        if letters < 4 || letters != word.chars().count() || word.contains(&brand) {
            continue;
        }
        if STOPWORDS.contains(&word.as_str()) {
            continue;
        }
        out.insert(word);
        if out.len() == 20 {
            break;
        }
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_content_words_only() {
        let t = super::terms(
            "Pedí pollo por @rapiplato de Pollos Don Braulio y llevo 3 horas vomitando https://x.co #Rapiplato",
            "rapiplato",
        );
        assert_eq!(t, ["braulio", "pollo", "pollos", "vomitando"]);
    }
}
