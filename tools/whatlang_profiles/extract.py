#!/usr/bin/env python3
"""Extracts whatlang's Latin-script trigram profiles for the languages Vigía's detector asks
about into `src/analysis/lang/latin_profiles.txt`.

whatlang (https://github.com/greyblake/whatlang-rs, MIT, (c) Sergey Potapov) keeps its
profiles private; `src/analysis/lang/trigram.rs` scores text against the same profiles with
one lookup per text trigram instead of 300 per language (see that file). Run after upgrading
the `whatlang` crate:

    python3 tools/whatlang_profiles/extract.py ~/.cargo/registry/src/*/whatlang-0.16.*/

Output: one line per language, in the order of whatlang's `LATIN_LANGS` profile list:
`<code>\t<300 trigrams, 3 characters each, concatenated>` (spaces are part of trigrams).
"""
import re
import sys
from pathlib import Path

WANTED = ["Spa", "Eng", "Por", "Fra", "Ita", "Deu", "Cat", "Nld", "Ind", "Tgl", "Tur", "Pol", "Ron"]


def char(lit: str) -> str:
    # A Rust char literal body: plain, or an escape like \' \\ \u{..}.
    if lit.startswith("\\u{"):
        return chr(int(lit[3:-1], 16))
    if lit.startswith("\\"):
        return {"\\'": "'", "\\\\": "\\", "\\n": "\n", "\\t": "\t"}[lit]
    return lit


def main() -> None:
    crate = Path(sys.argv[1])
    src = (crate / "src/trigrams/profiles.rs").read_text(encoding="utf-8")
    latin = src.split("pub static LATIN_LANGS")[1].split("pub static ")[0]
    lit = r"'((?:\\u\{[0-9a-fA-F]+\}|\\.|[^'\\]))'"
    trigram = re.compile(rf"Trigram\({lit},\s*{lit},\s*{lit}\)")
    blocks = re.split(r"\(\s*Lang::(\w+),", latin)[1:]
    out = []
    for code, body in zip(blocks[0::2], blocks[1::2]):
        if code not in WANTED:
            continue
        grams = ["".join(char(c) for c in m.groups()) for m in trigram.finditer(body)]
        assert len(grams) == 300, (code, len(grams))
        assert all(len(g) == 3 for g in grams)
        out.append(f"{code.lower()}\t{''.join(grams)}")
    assert len(out) == len(WANTED), out
    dest = Path(__file__).resolve().parents[2] / "src/analysis/lang/latin_profiles.txt"
    dest.write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"wrote {dest} ({len(out)} languages)")


if __name__ == "__main__":
    main()
