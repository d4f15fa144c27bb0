//! One word list: `word<TAB>valence` lines, `#` comments and blank lines ignored.
//!
//! Keys are normalized like the text they are looked up in ([`normalize::tokenize`] with the
//! pack's language), so `pésimo` and `pesimo`, or `:-)` and `:)`, are the same entry; a key of
//! several tokens (`nunca llegó`, `de lujo`) is a phrase. A valence of 0 is allowed for a
//! phrase that only exists to stop its words from scoring (`buenas tardes` is a greeting,
//! not a late delivery).

use crate::analysis::normalize;
use crate::domain::Lang;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// Phrases longer than this many tokens are not looked up.
const MAX_PHRASE: usize = 4;

pub(super) struct Pack {
    lang: Lang,
    words: HashMap<String, f64>,
    max_phrase: usize,
    /// First words of the multi-word entries, so most positions skip phrase lookups.
    phrase_starts: HashSet<String>,
}

impl Pack {
    /// Parses `src`; the second value lists the lines that were skipped and why.
    pub(super) fn parse(src: &str, lang: Lang) -> (Pack, Vec<String>) {
        let mut pack = Pack {
            lang,
            words: HashMap::with_capacity_and_hasher(src.lines().count(), Default::default()),
            max_phrase: 1,
            phrase_starts: HashSet::default(),
        };
        let mut problems = Vec::new();
        for (n, line) in src.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            match parse_line(line, lang) {
                Ok((key, valence)) => {
                    pack.note_phrase(&key);
                    if pack.words.insert(key.clone(), valence).is_some() {
                        problems.push(format!("line {}: duplicate entry '{key}'", n + 1));
                    }
                }
                Err(e) => problems.push(format!("line {}: {e}", n + 1)),
            }
        }
        (pack, problems)
    }

    /// VADER's own `vader_lexicon.txt` (word, valence, then columns not used here) as an
    /// English pack, re-weighted by `en_service.tsv` as the product's VADER route is. Keys
    /// are normalized like ours, so a few entries collapse into one (`:-)` and `:)`, the
    /// re-weighted words) or do not fit (emoticons that split into several tokens); the
    /// second value counts those lines.
    pub(super) fn vader() -> (Pack, usize) {
        let mut src: String = include_str!("english/vader_lexicon.txt")
            .lines()
            .filter_map(|line| {
                let mut fields = line.split('\t');
                Some(format!("{}\t{}\n", fields.next()?, fields.next()?))
            })
            .collect();
        src.push_str(include_str!("en_service.tsv"));
        let (pack, problems) = Pack::parse(&src, Lang::En);
        (pack, problems.len())
    }

    /// Adds or replaces one entry (a brand override); returns a problem if it is malformed.
    pub(super) fn set(&mut self, word: &str, valence: f64) -> Result<(), String> {
        let (key, valence) = parse_line(&format!("{word}\t{valence}"), self.lang)?;
        self.note_phrase(&key);
        self.words.insert(key, valence);
        Ok(())
    }

    fn note_phrase(&mut self, key: &str) {
        self.max_phrase = self.max_phrase.max(key.split(' ').count());
        if let Some((first, _)) = key.split_once(' ') {
            self.phrase_starts.insert(first.to_owned());
        }
    }

    /// Some multi-word entry begins with `word`.
    #[cfg(test)]
    pub(super) fn starts_phrase(&self, word: &str) -> bool {
        self.phrase_starts.contains(word)
    }

    /// The first words of the multi-word entries.
    pub(super) fn phrase_starts(&self) -> impl Iterator<Item = &str> {
        self.phrase_starts.iter().map(String::as_str)
    }

    /// Every form [`Pack::word`] (single words) or [`Pack::get`] (phrases) finds, with the
    /// valence it finds for it: the entries, then the forms each fallback rule of `word`
    /// reaches, rule by rule in the order `word` tries them, each handed to `found` with its
    /// valence. A form may come more than once: the first valence is the one `word` finds.
    pub(super) fn forms(&self, mut found: impl FnMut(&str, f64)) {
        for (k, v) in self.entries() {
            found(k, v);
        }
        let singles: Vec<(&str, f64)> = self.entries().filter(|(k, _)| !k.contains(' ')).collect();
        // One buffer for every derived form: the lists derive some 30,000.
        let mut form = String::new();
        let mut derive = |stem: &str, ending: &str, valence: f64| {
            form.clear();
            form.push_str(stem);
            form.push_str(ending);
            if form.chars().count() > 3 {
                found(&form, valence);
            }
        };
        // `word` tries: the word, its singular (`-s`), then in Spanish the masculine
        // (`-a`, `-as` → `-o`) and the plural in `-es`.
        for &(k, v) in &singles {
            derive(k, "s", v);
        }
        if self.lang == Lang::Es {
            for &(k, v) in &singles {
                if let Some(stem) = k.strip_suffix('o') {
                    derive(stem, "a", v);
                    derive(stem, "as", v);
                }
            }
            for &(k, v) in &singles {
                derive(k, "es", v);
            }
        }
    }

    /// Every entry, in no particular order.
    pub(super) fn entries(&self) -> impl Iterator<Item = (&str, f64)> {
        self.words.iter().map(|(k, v)| (k.as_str(), *v))
    }

    pub(super) fn len(&self) -> usize {
        self.words.len()
    }

    pub(super) fn max_phrase(&self) -> usize {
        self.max_phrase
    }

    /// Exact lookup of a normalized key.
    #[cfg(test)]
    pub(super) fn get(&self, key: &str) -> Option<f64> {
        self.words.get(key).copied()
    }

    /// Lookup of one word, also trying its singular and, in Spanish, its masculine form
    /// (`malas` → `mala` → `malo`, `ladrones` → `ladron`), so lists need not spell out
    /// every inflection.
    /// Scoring uses the [`Index`](super::index::Index) built from [`Pack::forms`], which
    /// must answer as this does (checked by a test).
    #[cfg(test)]
    pub(super) fn word(&self, word: &str) -> Option<f64> {
        if let Some(v) = self.get(word) {
            return Some(v);
        }
        if word.chars().count() <= 3 {
            return None;
        }
        let singular = word.strip_suffix('s');
        if let Some(v) = singular.and_then(|w| self.get(w)) {
            return Some(v);
        }
        if self.lang != Lang::Es {
            return None;
        }
        let masculine = singular.unwrap_or(word).strip_suffix('a');
        if let Some(v) = masculine.and_then(|stem| self.get_with_o(stem)) {
            return Some(v);
        }
        word.strip_suffix("es").and_then(|w| self.get(w))
    }

    /// Lookup of `stem` + `o` without allocating (`mal` → `malo`).
    #[cfg(test)]
    fn get_with_o(&self, stem: &str) -> Option<f64> {
        let mut buf = [0u8; 64];
        let key = buf.get_mut(..stem.len() + 1)?;
        key[..stem.len()].copy_from_slice(stem.as_bytes());
        key[stem.len()] = b'o';
        self.get(std::str::from_utf8(key).ok()?)
    }
}

fn parse_line(line: &str, lang: Lang) -> Result<(String, f64), String> {
    let (word, valence) = line.split_once('\t').ok_or("expected word<TAB>valence")?;
    let valence: f64 = valence
        .trim()
        .parse()
        .map_err(|_| format!("bad valence '{valence}'"))?;
    if !(-4.0..=4.0).contains(&valence) {
        return Err(format!("valence {valence} outside [-4, 4]"));
    }
    let tokens = normalize::tokenize(word, lang);
    if tokens.is_empty() || tokens.len() > MAX_PHRASE {
        return Err(format!(
            "'{word}' must normalize to 1..={MAX_PHRASE} tokens"
        ));
    }
    let key: Vec<&str> = tokens.iter().map(|t| t.text.as_str()).collect();
    let key = key.join(" ");
    // An emoticon that folds to a bare number (VADER's `=3`) would score every `3` of a
    // text (`3 hrs in line`).
    if key.bytes().all(|b| b.is_ascii_digit()) && !word.trim().bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("'{word}' folds to the number '{key}'"));
    }
    Ok((key, valence))
}
