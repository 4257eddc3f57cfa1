"""Name folding, the one home: how newsclaims decides that two spellings of a name are the same name, and
what an acronym looks like. Pure functions, no I/O; the store (``norm_name`` on people and claims), the query
layer, the site and the crossref layer's entity keys use them.

- :func:`norm_name`: case, hyphens, apostrophes, dots and honorifics dropped, and the transliteration
  variants of Persian names written in Latin letters folded (Asghar/Asqar, Khani/Xani, ...);
- :func:`fold_translit`: those transliteration folds alone, on one lower-case token;
- :func:`person_tokens`: a name's tokens folded further for matching people across articles (vowel spellings
  and doubled letters: Hossein/Hosein, Saeed/Saied, Mohammad/Mohamad);
- :data:`ACRONYM_RE` / :func:`is_acronym`: a bare acronym (ISIPO, SMEs); :data:`ACRONYM_IN_PARENS`: an
  acronym defined in brackets after its full name ("... Organization (ISIPO)").
"""

from __future__ import annotations

import re

HONORIFICS = frozenset({"seyed", "seyyed", "sayyed", "sayed", "ayatollah", "hojatoleslam", "dr", "mr", "mrs", "ms",
                        "engineer", "sheikh", "haj"})
# Spellings of one Persian sound in Latin letters, folded to one (applied in this order).
TRANSLIT_FOLDS = (("gh", "q"), ("ou", "u"), ("ee", "i"), ("kh", "x"), ("dh", "z"))
# Vowel spellings folded for matching people across articles (after TRANSLIT_FOLDS).
VOWEL_FOLDS = (("ie", "i"), ("ei", "i"), ("ee", "i"), ("ey", "i"), ("oo", "u"), ("o", "u"))

# A bare acronym: capitals (and &), an optional plural s.
ACRONYM_RE = re.compile(r"^[A-Z][A-Z&]{1,9}s?$")
# An acronym in brackets after the name it abbreviates; group 1 is the acronym.
ACRONYM_IN_PARENS = r"\(\s*([A-Z][A-Za-z&]{1,10})\s*\)"


def fold_translit(token: str) -> str:
    """One lower-case token with its transliteration variants folded: "asghar" -> "asqar"."""
    for a, b in TRANSLIT_FOLDS:
        token = token.replace(a, b)
    return token


def norm_name(name: str | None) -> str | None:
    """Fold case, hyphens, apostrophes, honorifics and q/gh-style transliteration variants."""
    if not name:
        return None
    out = []
    for tok in name.lower().replace("-", " ").replace("'", "").replace("’", "").replace(".", " ").split():
        if tok in HONORIFICS:
            continue
        out.append(fold_translit(tok))
    return " ".join(out) or None


def fold_vowels(tok: str) -> str:
    """Vowel spellings and doubled letters of a folded token: Hossein/Hosein, Mohammad/Mohamad, -y/-i."""
    for a, b in VOWEL_FOLDS:
        tok = tok.replace(a, b)
    tok = re.sub(r"(.)\1+", r"\1", tok)  # doubled letters: Hossein/Hosein, Mohammad/Mohamad
    if tok.endswith("y") and len(tok) > 2:
        tok = tok[:-1] + "i"
    return tok


def person_tokens(name: str) -> list[str]:
    """The tokens of a person's name, folded for matching across articles."""
    base = norm_name(name) or ""
    return [fold_vowels(t) for t in base.split() if t]


def is_acronym(surface: str) -> bool:
    s = surface.strip()
    return bool(ACRONYM_RE.match(s)) and sum(c.isupper() for c in s) >= 2
