//! The word lists of the detector and the one table ([`words`]) that holds them all.

use super::lexicon;
use super::table::{EN_LEX, EN_STOP, ES_LEX, ES_STOP, THIRD, WordFlags};
use std::sync::LazyLock;

/// The most frequent Spanish function words and chat forms of customer posts.
pub(super) const ES_STOPWORDS: &[&str] = &[
    "que", "de", "el", "la", "los", "las", "por", "para", "pero", "mi", "mis", "ya", "xq", "q",
    "tb", "tmb", "k", "ke", "pq", "porque", "es", "esta", "estoy", "esto", "con", "del", "al",
    "un", "una", "lo", "le", "les", "se", "su", "sus", "te", "muy", "mas", "nada", "nd", "hay",
    "como", "cuando", "donde", "dnd", "ni", "tambien", "y", "en", "hola", "gracias", "eso", "este",
    "todo", "fue", "pues", "aqui", "sin", "hoy", "si", "ese", "otra", "otro", "vez", "nos", "han",
    "hace", "tengo", "tiene", "pedido", "nunca", "ayer", "bien", "porfa", "xfa", "jaja", "jajaja",
    "alv", "neta", "wey", "che", "vale", "tio", "pa", "toy", "ahora",
];

/// The most frequent English function words and chat forms of customer posts.
pub(super) const EN_STOPWORDS: &[&str] = &[
    "the", "and", "is", "my", "to", "it", "for", "this", "was", "u", "lol", "i", "you", "your",
    "ur", "of", "in", "on", "at", "with", "that", "have", "has", "be", "are", "not", "but", "just",
    "what", "why", "how", "when", "where", "so", "can't", "don't", "it's", "i'm", "im", "dont",
    "cant", "get", "got", "from", "they", "we", "our", "will", "would", "did", "do", "does",
    "been", "an", "or", "if", "about", "out", "up", "all", "still", "again", "never", "pls", "plz",
    "thanks", "please", "idk", "tbh", "omg", "its", "there", "any", "anyone", "order", "hours",
    "their", "now", "today", "haha", "smh", "ngl", "wtf", "who",
];

/// Frequent function words of languages that share words with Spanish or English, folded:
/// Portuguese, French, Italian, German, Catalan, Dutch. Words that are also Spanish or
/// English words (`das`, `di`, `pour`, `pelo`, `com`, `um`, `mit`, `uber`) are left out; any
/// that is on a Spanish or English list is dropped when the table is built.
const THIRD_WORDS: &[&str] = &[
    // Portuguese
    "nao",
    "voce",
    "voces",
    "muito",
    "muita",
    "uma",
    "ele",
    "ela",
    "eles",
    "isso",
    "isto",
    "foi",
    "sao",
    "tem",
    "obrigado",
    "obrigada",
    "tambem",
    "meu",
    "minha",
    "ainda",
    "estou",
    "estava",
    "entao",
    "seu",
    "sua",
    "mais",
    "numa",
    "atendimento",
    "fazer",
    "ficou",
    "ninguem",
    "hoje",
    "ontem",
    "comprei",
    "recebi",
    "bom",
    "vai",
    "ou",
    // French
    "je",
    "j'ai",
    "c'est",
    "n'est",
    "est",
    "et",
    "des",
    "du",
    "pas",
    "une",
    "il",
    "vous",
    "nous",
    "avec",
    "dans",
    "qui",
    "ce",
    "cette",
    "mais",
    "au",
    "aux",
    "suis",
    "sont",
    "fait",
    "merci",
    "bonjour",
    "leur",
    "rien",
    "toujours",
    "commande",
    "livraison",
    "chez",
    "avoir",
    "etre",
    "aussi",
    "jamais",
    "ete",
    "etait",
    "ne",
    // Italian
    "sono",
    "della",
    "molto",
    "questo",
    "questa",
    "anche",
    "perche",
    "grazie",
    "sempre",
    "gli",
    "nel",
    "essere",
    "stato",
    "tutto",
    "niente",
    "ancora",
    "ordine",
    "consegna",
    "servizio",
    "piu",
    // German
    "und",
    "ist",
    "nicht",
    "ich",
    "der",
    "sehr",
    "auf",
    "ein",
    "eine",
    "zu",
    "sie",
    "wir",
    "aber",
    "auch",
    "noch",
    "kein",
    "keine",
    "mein",
    "meine",
    "nur",
    "wie",
    "schon",
    "bei",
    "danke",
    "habe",
    "haben",
    "wird",
    "wurde",
    "doch",
    "immer",
    "leider",
    "nach",
    "oder",
    "bitte",
    "bestellung",
    // Catalan
    "molt",
    "amb",
    "els",
    "perque",
    "aixo",
    "gracies",
    "tambe",
    "avui",
    "vostre",
    "vaig",
    // Dutch
    "het",
    "een",
    "niet",
    "ik",
    "zijn",
    "voor",
    "maar",
    "ook",
    "geen",
    "bedankt",
    "hebben",
    "wordt",
    "naar",
    "nog",
    "deze",
];

static WORDS: LazyLock<WordFlags> = LazyLock::new(build);

/// The detector's word table (built on first use, in a few milliseconds).
pub(super) fn words() -> &'static WordFlags {
    &WORDS
}

/// Stopwords of each language; sentiment words of one language's lists only (in both, or a
/// stopword of either language: no evidence); third-language words that are on no Spanish
/// or English list.
fn build() -> WordFlags {
    let mut table = WordFlags::default();
    lexicon::spanish().for_each(|w| table.add(&w, ES_LEX));
    lexicon::english().for_each(|w| table.add(&w, EN_LEX));
    ES_STOPWORDS.iter().for_each(|w| table.add(w, ES_STOP));
    EN_STOPWORDS.iter().for_each(|w| table.add(w, EN_STOP));
    THIRD_WORDS.iter().for_each(|w| table.add(w, THIRD));
    let known = ES_STOP | EN_STOP | ES_LEX | EN_LEX;
    table.map(|f| {
        let f = if f & known != 0 { f & !THIRD } else { f };
        let both = f & (ES_LEX | EN_LEX) == ES_LEX | EN_LEX;
        if both || f & (ES_STOP | EN_STOP) != 0 {
            f & !(ES_LEX | EN_LEX)
        } else {
            f
        }
    });
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_language_sentiment_words_stopwords_and_third_words() {
        let t = words();
        assert_eq!(t.get(b"pesimo"), ES_LEX);
        assert_eq!(t.get(b"malisimo"), ES_LEX);
        assert_eq!(t.get(b"awful"), EN_LEX);
        // In both lists, or a stopword: no sentiment evidence.
        assert_eq!(t.get(b"terrible"), 0);
        assert_eq!(t.get(b"sin"), ES_STOP);
        assert_eq!(t.get(b"que"), ES_STOP);
        assert_eq!(t.get(b"the"), EN_STOP);
        assert_eq!(t.get(b"can't"), EN_STOP);
        assert_eq!(t.get(b"nao"), THIRD);
        assert_eq!(t.get(b"und"), THIRD);
    }

    #[test]
    fn third_words_are_no_spanish_or_english_words() {
        let t = words();
        for w in THIRD_WORDS {
            assert_eq!(t.get(w.as_bytes()), THIRD, "{w}");
        }
    }
}
