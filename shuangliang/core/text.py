"""Text normalisation shared by search, imports and validation.

Search must find 工会 when the record says 工會, and 示范 when it says 示範: every
searchable text is stored once in a normalised form (Simplified script, half-width,
lower case) together with the pinyin initials of its Chinese characters, and every
query is normalised the same way before it is compared.
"""

import re
import unicodedata

import zhconv
from pypinyin import Style, lazy_pinyin

_SPACES = re.compile(r"\s+")


def to_halfwidth(value: str) -> str:
    """Full-width ASCII (ＡＢＣ１２３, full-width space) to half-width."""
    return unicodedata.normalize("NFKC", value)


def clean_text(value: object) -> str:
    """Trim, fold full-width characters and collapse runs of white space."""
    if value is None:
        return ""
    text = to_halfwidth(str(value))
    text = text.replace("\u200b", "").replace("\ufeff", "")
    return _SPACES.sub(" ", text).strip()


def to_simplified(value: str) -> str:
    return zhconv.convert(value, "zh-hans")


def pinyin_initials(value: str) -> str:
    """首字母 of the Chinese characters, e.g. 示範縣 → sfx; other characters are dropped."""
    letters = lazy_pinyin(to_simplified(value), style=Style.FIRST_LETTER, errors="ignore")
    return "".join(letter for letter in letters if letter.isascii() and letter.isalpha()).lower()


def search_key(*parts: str | None) -> str:
    """The stored search column: normalised texts, then the initials of each."""
    texts = [to_simplified(clean_text(part)).lower() for part in parts if part]
    initials = [pinyin_initials(part) for part in parts if part]
    return " ".join(texts + [i for i in initials if i])


def normalise_query(query: str) -> str:
    return to_simplified(clean_text(query)).lower()
