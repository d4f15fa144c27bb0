#!/usr/bin/env python3
"""Generates src/analysis/sentiment/es_generated.tsv from the hand-written lemma lists
in this folder (adjectives.tsv, verbs.tsv, nouns.tsv), all written for Vigía.

Inflection is regular Spanish morphology: adjectives in gender and number plus -ísimo
superlatives and -mente adverbs; verbs in the common persons of present, preterite,
imperfect, future, conditional and present subjunctive, voseo present, participle and
gerund (with optional stem change ie/ue/i and c/g/z spelling changes); nouns in plural.
Keys are folded as Vigía's tokenizer folds them (lower case, no accents, ñ → n). Forms that
es.tsv already lists, that another lemma produced first, or that are everyday function words
(`como`, `para`, `fue`...) are left out.

Run from the repository root:  python3 tools/es_lexicon/gen.py
"""
import os
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
OUT = os.path.join(ROOT, "src", "analysis", "sentiment", "es_generated.tsv")
HAND = os.path.join(ROOT, "src", "analysis", "sentiment", "es.tsv")

# Words that must never score, whatever lemma generates them.
STOP = set("""
a al algo aun como con cual cuando de del donde el ella ellos en entre era eran es esa ese
eso esta este esto fue fueron ha han hay la las le les lo los mas me medio mi muy nada ni no
nos o para pero poco por pues que se sea sean si sin sobre solo son su sus super tan te todo
tu un una uno vale ve vez vino y ya paso pase hecho dicho cierto claro lista listo nota cara
casa cosa gana parte tiempo toca toco dale dan dio doy da tengo tiene va van voy haga hace
salvo
""".split())
# Forms that are everyday English words with another meaning (posts code-switch, and the
# English route falls back to the Spanish list): "3 times", "dude", "robe", "mate".
STOP |= set("time times robe robes dude dudes mate mates".split())


def fold(s):
    s = unicodedata.normalize("NFD", s.lower())
    return "".join(c for c in s if not unicodedata.combining(c))


def clamp(v):
    return max(-4.0, min(4.0, round(v, 2)))


def read(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                word, value = line.split("\t")
                yield word.strip(), float(value)


def superlative_stem(stem):
    if stem.endswith("c"):
        return stem[:-1] + "qu"
    if stem.endswith("g"):
        return stem[:-1] + "gu"
    return stem


def adjective_forms(word, v):
    w = fold(word)
    if w.endswith("o"):
        stem = w[:-1]
        yield from ((stem + e, v) for e in ("o", "a", "os", "as"))
        sup = superlative_stem(stem)
        yield from ((sup + "isim" + e, clamp(v * 1.25)) for e in ("o", "a", "os", "as"))
        yield stem + "amente", clamp(v * 0.85)
    elif w.endswith("e"):
        yield w, v
        yield w + "s", v
        yield w[:-1] + "isimo", clamp(v * 1.25)
        yield w[:-1] + "isima", clamp(v * 1.25)
        yield w + "mente", clamp(v * 0.85)
    else:
        yield w, v
        yield (w[:-1] + "ces" if w.endswith("z") else w + "es"), v
        yield w + "mente", clamp(v * 0.85)
        if w.endswith(("or", "on", "in")):  # trabajador(a), llorón(a), chiquitín(a)
            yield w + "a", v
            yield w + "as", v


def soften(stem, ending):
    """Spelling changes of -car/-gar/-zar stems before e."""
    if ending.startswith("e"):
        if stem.endswith("c"):
            return stem[:-1] + "qu"
        if stem.endswith("g"):
            return stem[:-1] + "gu"
        if stem.endswith("z"):
            return stem[:-1] + "c"
    return stem


def changed(stem, change):
    """Stem change in the stressed persons: e→ie, o→ue, e→i (last vowel of the stem)."""
    if not change:
        return stem
    old = "o" if change == "ue" else "e"
    i = stem.rfind(old)
    return stem if i < 0 else stem[:i] + change + stem[i + 1:]


AR = dict(stressed=["o", "as", "a", "an", "e", "es", "en"],
          plain=["amos", "e", "aste", "o", "aron", "aba", "abas", "abamos", "aban",
                 "ara", "aran", "aria", "arian", "ado", "ada", "ados", "adas", "ando", "as_vos"])
ER = dict(stressed=["o", "es", "e", "en", "a", "as", "an"],
          plain=["emos", "i", "iste", "io", "ieron", "ia", "ias", "iamos", "ian",
                 "era", "eran", "eria", "erian", "ido", "ida", "idos", "idas", "iendo", "es_vos"])
IR = dict(stressed=ER["stressed"],
          plain=["imos", "i", "iste", "io", "ieron", "ia", "ias", "iamos", "ian",
                 "ira", "iran", "iria", "irian", "ido", "ida", "idos", "idas", "iendo", "is_vos"])


def verb_forms(spec, v):
    lemma, _, change = fold(spec).partition(":")
    stem, kind = lemma[:-2], lemma[-2:]
    table = {"ar": AR, "er": ER, "ir": IR}[kind]
    yield lemma, v
    for e in table["stressed"]:
        yield soften(changed(stem, change), e) + e, v
    for e in table["plain"]:
        e = e.replace("_vos", "")
        if kind == "ir" and change == "i" and e in ("io", "ieron", "iendo"):
            yield changed(stem, "i") + e, v  # pidió, sirviendo
            continue
        yield soften(stem, e) + e, v


def generate():
    seen = set()
    with open(HAND, encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                seen.add(fold(line.split("\t")[0].strip()))
    out = []
    sources = [("adjectives.tsv", adjective_forms), ("verbs.tsv", verb_forms),
               ("nouns.tsv", lambda w, v: [(fold(w), v), (fold(w) + ("es" if fold(w)[-1] not in "aeiou" else "s"), v)])]
    for name, forms in sources:
        out.append("# --- from %s" % name)
        for word, v in read(name):
            for form, value in forms(word, v):
                if form in seen or form in STOP or len(form) < 3:
                    continue
                seen.add(form)
                out.append("%s\t%s" % (form, value))
    return out


def main():
    lines = generate()
    header = [
        "# GENERATED by tools/es_lexicon/gen.py from its hand-written lemma lists; do not edit.",
        "# Spanish inflected forms for Vigía (our own writing), VADER scale -4..+4.",
    ]
    with open(OUT, "w", encoding="utf-8") as f:
        f.write("\n".join(header + lines) + "\n")
    print("%d entries written to %s" % (sum(1 for l in lines if not l.startswith("#")), OUT))


if __name__ == "__main__":
    main()
