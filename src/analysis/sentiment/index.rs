//! [`Index`]: every form a token can take, looked up once for all three lists.
//!
//! [`Pack::word`] tries a word, then its singular and (Spanish) masculine forms: up to four
//! hash lookups per list, most of them misses, for every token. The index instead lists,
//! ahead of time, every surface form that any of those rules reaches (`malas` → `malo`,
//! `ladrones` → `ladron`) with the valence each list gives it, plus whether the form starts
//! a listed phrase. Scoring then costs one lookup per token and one per phrase candidate.
//! [`Pack::forms`] derives the forms rule by rule, in the order `word` tries them, so the
//! index answers exactly as the lookups would.

use super::grammar;
use super::pack::Pack;
use super::table::WordTable;
use crate::domain::Lang;

/// What the lists say about one surface form (a word, or a phrase with spaces).
#[derive(Debug, Clone, Copy)]
pub(super) struct Entry {
    /// Valence in the emoji, Spanish, English and VADER lists; NaN where a list lacks it
    /// (not `Option`, which would double the entry's size).
    valence: [f64; 4],
    /// Some multi-word entry of some list begins with this word.
    pub(super) starts_phrase: bool,
    /// Function-word roles (negator, booster...; see [`grammar::role_words`]).
    pub(super) roles: u8,
}

impl Default for Entry {
    fn default() -> Self {
        Entry {
            valence: [f64::NAN; 4],
            starts_phrase: false,
            roles: 0,
        }
    }
}

const EMOJI: usize = 0;
const ES: usize = 1;
const EN: usize = 2;
const VADER: usize = 3;

impl Entry {
    /// The valence of the first list that has one, in the lookup order for `lang`:
    /// English reads ours, then VADER's, then the Spanish list (a code-switched post);
    /// Spanish and unknown text read Spanish, then our English list, never VADER's, whose
    /// 7,500 words include too many that are Spanish words too (`no`, `sin`, `fin`).
    pub(super) fn valence(&self, lang: Lang) -> Option<f64> {
        let order: &[usize] = match lang {
            Lang::En => &[EMOJI, EN, VADER, ES],
            Lang::Es | Lang::Other => &[EMOJI, ES, EN],
        };
        order.iter().map(|&i| self.valence[i]).find(|v| !v.is_nan())
    }
}

pub(super) struct Index {
    forms: WordTable<Entry>,
}

impl Index {
    pub(super) fn build(emoji: &Pack, es: &Pack, en: &Pack, vader: &Pack) -> Index {
        let packs = [(EMOJI, emoji), (ES, es), (EN, en), (VADER, vader)];
        // Room for every entry and the Spanish list's derived forms (about four per word):
        // the table then never grows while it fills. The lists share many forms, so the
        // room left over is given back at the end.
        let room = packs.iter().map(|(_, p)| p.len()).sum::<usize>() + 4 * es.len();
        let mut forms: WordTable<Entry> = WordTable::with_capacity(room);
        for (slot, pack) in packs {
            pack.forms(|form, valence| {
                // A form's first valence in this list is the one `Pack::word` finds.
                let v = &mut forms.entry(form).valence[slot];
                if v.is_nan() {
                    *v = valence;
                }
            });
            for first in pack.phrase_starts() {
                forms.entry(first).starts_phrase = true;
            }
        }
        for (word, role) in grammar::role_words() {
            forms.entry(word).roles |= role;
        }
        forms.shrink_to_fit();
        Index { forms }
    }

    pub(super) fn get(&self, form: &str) -> Option<Entry> {
        self.forms.get(form)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(src: &str, lang: Lang) -> Pack {
        Pack::parse(src, lang).0
    }

    /// For every listed word and the inflections around it, the index gives what trying
    /// the lists one by one with [`Pack::word`] gives, in both lookup orders.
    #[test]
    fn answers_as_the_word_by_word_lookups() {
        let es = load(
            concat!(include_str!("es.tsv"), include_str!("es_generated.tsv")),
            Lang::Es,
        );
        let en = load(include_str!("en.tsv"), Lang::En);
        let emoji = load(include_str!("emoji.tsv"), Lang::Other);
        let vader = Pack::vader().0;
        let index = Index::build(&emoji, &es, &en, &vader);
        let mut words: Vec<String> = Vec::new();
        let all = es.entries().chain(en.entries()).chain(emoji.entries());
        for (k, _) in all.chain(vader.entries()) {
            let stem = k.strip_suffix(['o', 'a', 's']).unwrap_or(k);
            for w in [
                k.to_owned(),
                format!("{k}s"),
                format!("{k}es"),
                format!("{stem}a"),
            ] {
                words.push(w);
            }
            words.extend([format!("{stem}as"), format!("{stem}o"), format!("{stem}os")]);
        }
        words.extend(["mal", "mala", "malas", "ladrones", "sick", "xyz"].map(String::from));
        let mut checked = 0;
        for w in words.iter().filter(|w| !w.contains(' ')) {
            for (lang, order) in [
                (Lang::Es, vec![&emoji, &es, &en]),
                (Lang::En, vec![&emoji, &en, &vader, &es]),
            ] {
                let expected = order.iter().find_map(|p| p.word(w));
                let got = index.get(w).and_then(|e| e.valence(lang));
                assert_eq!(got, expected, "{w} ({lang:?})");
                let starts = [&emoji, &es, &en, &vader]
                    .iter()
                    .any(|p| p.starts_phrase(w));
                assert_eq!(index.get(w).is_some_and(|e| e.starts_phrase), starts, "{w}");
            }
            checked += 1;
        }
        assert!(checked > 20_000, "{checked}");
    }
}
