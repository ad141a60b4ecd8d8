"""Text normalization of open comments, and recognition of non-answers.

``normalize_text`` puts a comment in the one form the tokenizer and the theme dictionaries
are written in: half-width letters, digits and punctuation, lower-case Latin, simplified
characters, no markup, single spaces. ``answer_kinds`` sorts the cells of an open-text column
into substantive answers, non-answers ("无", "没有", "nothing", "。", emoji only) and missing
cells (NaN, None, numbers), so that every comment read is accounted for.

Both work on each distinct comment once (``pd.factorize``): a million cells with realistic
repeats cost as much as their distinct texts.
"""

from __future__ import annotations

import html
import re
import sys
import unicodedata
from functools import lru_cache

import numpy as np
import pandas as pd

__all__ = [
    "ANSWER_KINDS",
    "NON_ANSWERS",
    "answer_kinds",
    "is_non_answer",
    "non_answer_mask",
    "normalize_text",
    "to_halfwidth",
    "to_simplified",
]

ANSWER_KINDS = ("substantive", "non_answer", "missing")

# What people type when they have nothing to say, after normalization and with punctuation,
# symbols, emoji and spaces removed (so "无。", "  没有！！" and "N/A" match "无", "没有", "na").
# Deliberately narrow: "没有问题" (no problems), "挺好的" (it's fine) and "还行" are opinions.
NON_ANSWERS = frozenset("""
无 没 没有 没了 没有了 暂无 暂时没有 暂时没有了 暂时无 目前没有 目前无 无意见 没意见 没有意见 无建议 没建议 没有建议
暂无意见 暂无建议 无其他 无其他意见 无其他建议 没有其他 没有其他意见 没有其他建议 其他没有 没什么 没啥 没有什么
没什么意见 没什么建议 没有什么意见 没有什么建议 没什么说的 没什么好说的 没有要说的 无话可说 无可奉告 不知道 不清楚
说不上 说不上来 说不好 不好说 想不到 想不出来 暂时想不到 暂时没想到 没想好 无所谓 随便 略 空 同上 如上 否 无无 不填
nothing nothingelse none no nope na nil null nan nocomment nocomments noidea idk dontknow donotknow notsure
nosuggestion nosuggestions noopinion nothingtosay notapplicable x xx xxx
""".split())  # English forms without spaces: the comparison is made with spaces removed ("no comment" -> "nocomment")
_NON_ANSWER_TAILS = re.compile(r"(?:了|啦|呢|哦|哈|吧|呀|啊|的|谢谢|谢谢你们|谢谢啦|thanks|thank you|thankyou)+$")
_NOT_WORD = re.compile(r"[\W_]+")  # everything but letters and digits of any script (emoji, punctuation, spaces)
_WORD = re.compile(r"[^\W_]")
_NON_ANSWER_STARTS = frozenset(w[0] for w in NON_ANSWERS)
_NON_ANSWER_LONGEST = max(map(len, NON_ANSWERS))

# ---------------------------------------------------------------------------------------------
# normalization steps

# a character of anything the rare steps below act on (invisible and control characters, tags, entities,
# '//' and 'www.'): one character class scans ~3x faster than testing each, or than an alternation
_SPECIAL_CHARS = "\u200b\u200c\u200e\u200f\u2060-\u2064\ufeff\u00ad\x01-\x08\x0b\x0c\x0e-\x1f\x7f<&/w"  # NUL apart
_SPECIAL = re.compile(f"[\x00{_SPECIAL_CHARS}]")
_ODD = re.compile("[\u200b\u200c\u200e\u200f\u2060-\u2064\ufeff\u00ad\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_INVISIBLE = re.compile("[\u200b\u200c\u200e\u200f\u2060-\u2064\ufeff\u00ad]+")  # zero-width, BOM, soft hyphen
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]+")
_SCRIPT = re.compile(r"<\s*(script|style)\b[^>]*>.*?<\s*/\s*\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<!--.*?-->|<\s*/?\s*[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]{0,500})?/?\s*>", re.DOTALL)
_URL = re.compile(r"(?:https?://|ftp://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+", re.IGNORECASE)
_FORMULA = re.compile(r"^\s*[=+@]\s*[a-z_][a-z0-9_.]*\s*\(", re.IGNORECASE)
_QUOTED = re.compile(r'"([^"]*)"')
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")  # beyond the basic multilingual plane (emoji, CJK extension B...)
_JOIN = "\x00"  # joins a batch of texts (_normalize_many): NUL, a control character no step produces
_SPECIAL_BATCH = re.compile(f"[{_SPECIAL_CHARS}]")  # _SPECIAL in such a batch
_LEADING = re.compile("\x00[=+@\\s]")  # a text of such a batch that begins with a formula sign or white space


def to_halfwidth(text: str) -> str:
    """Full-width letters, digits, punctuation and spaces to their half-width forms (NFKC).

    Unicode compatibility normalization (NFKC) maps ``ＡＢＣ１２３`` to ``ABC123``, ``！？，：；（）``
    to ``!?,:;()``, the ideographic space to a space, compatibility ideographs to their
    unified forms and circled digits to digits. Chinese punctuation without a half-width
    form (``。、《》【】“”``) is kept.

    Examples
    --------
    >>> from surveykit.text.normalize import to_halfwidth
    >>> to_halfwidth("ＡＢＣ１２３，ｇｏｏｄ！")
    'ABC123,good!'
    """
    if text.isascii() or unicodedata.is_normalized("NFKC", text):  # the quick check is ~20x cheaper than normalize
        return text
    return _nfkc(text)


# The characters that make most Chinese comments not NFKC (full-width punctuation, the ideographic space),
# each with its full compatibility decomposition (NFKD). A text with each of these replaced by its
# decomposition has the same NFKD as the text itself, hence the same NFKC; so if that text is NFKC
# already, it is the NFKC of the text. str.replace is ~4x cheaper than unicodedata.normalize on them.
_COMMON_COMPAT = tuple((c, unicodedata.normalize("NFKD", c)) for c in "，？！～…；：（）\u3000")


def _nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)`` of a text that is not NFKC, the common cases first."""
    out = text
    for c, d in _COMMON_COMPAT:
        if c in out:
            out = out.replace(c, d)
    if out is not text and unicodedata.is_normalized("NFKC", out):
        return out
    return unicodedata.normalize("NFKC", text)


class _T2S:
    """OpenCC's ``t2s`` conversion (opencc-python-reimplemented's dictionaries and algorithm), made fast.

    The library splits a text at separators, then in each piece replaces the longest
    ``TSPhrases`` key found (the leftmost of that length), recursing on what lies left and right
    of it, and finally maps the remaining characters through ``TSCharacters`` (first candidate).
    This does the same, with ``str.translate`` for the characters, and skips every piece that
    holds no character any entry could change. tests/test_text_tokenize.py checks the output
    equals ``opencc.OpenCC('t2s').convert`` on a corpus full of traditional text.
    """

    def __init__(self, opencc_module, cc):
        from pathlib import Path

        folder = Path(opencc_module.__file__).parent / "dictionary"

        def load(name):
            out = {}
            for line in (folder / name).read_text(encoding="utf-8").splitlines():
                line = line.strip()
                if "\t" in line:
                    key, value = line.split("\t", 1)
                    out[key] = value.split(" ")[0]
            return out

        self.phrases = load("TSPhrases.txt")
        chars = load("TSCharacters.txt")
        self.table = str.maketrans({k: v for k, v in chars.items() if k != v})
        self.sizes = sorted({len(k) for k in self.phrases if len(k) > 1}, reverse=True)
        self.phrase_starts = frozenset(k[0] for k in self.phrases)
        starts: dict[str, set] = {}
        for k in self.phrases:
            if len(k) > 1:
                starts.setdefault(k[0], set()).add(len(k))
        self.start_sizes = {c: tuple(sorted(v)) for c, v in starts.items()}
        self.start_re = re.compile("[" + "".join(map(re.escape, sorted(starts))) + "]")
        self.any_phrase = re.compile("|".join(map(re.escape, sorted(self.phrases, key=len, reverse=True))))
        # a text holding none of these is left unchanged: one character of every entry that changes text
        # (for a phrase, a character that is in the character table, even mapped to itself as 瞭 or
        # 覆 are, rather than a common one: "不瞭解" is triggered by 瞭, not by 不)
        trigger = {k for k, v in chars.items() if k != v}
        for key, value in self.phrases.items():
            if key != value and trigger.isdisjoint(key):
                trigger.add(next((c for c in key if c in chars), key[0]))
        self.triggers = frozenset(trigger)
        # a character class finds those of the basic plane ~3x faster than frozenset.isdisjoint (which makes a
        # string per character); sre tests characters beyond it one range at a time, so those stay in a set,
        # looked at only when the text holds such a character at all
        self.trigger_re = re.compile("[" + "".join(re.escape(c) for c in sorted(trigger) if ord(c) < 0x10000) + "]")
        self.astral_triggers = frozenset(c for c in trigger if ord(c) >= 0x10000)
        self.split = _one_class(cc.split_chars_re)
        # no separator is in the character table: a text without any phrase converts as a whole (no split)
        self.whole = not any(self.split.fullmatch(chr(k)) for k in self.table)
        # the table as a code-point array, when every entry is one character: ~10x faster than str.translate
        self.codes = _code_map(self.table) if all(len(v) == 1 for v in self.table.values()) else None
        # the separators and NUL, to split a batch of texts joined by NUL into pieces (None: no phrase may span
        # a separator, as convert_many assumes, and the pattern must be one group)
        self.batch_split = None
        if self.split.groups == 1 and self.split.pattern.startswith("(") \
                and not any(self.split.search(k) for k in self.phrases):
            self.batch_split = re.compile("(\x00|" + self.split.pattern[1:], self.split.flags)

    def piece(self, s: str) -> str:
        """One piece between separators, as the library converts it.

        The library takes the longest phrase found anywhere (the leftmost of that length) and
        recurses on both sides. The left side then holds no phrase of that length (the match was
        the leftmost) and the right side is treated the same way, so this equals: for each
        length, longest first, take the matches left to right in the stretches not yet matched;
        then map the characters left over. Linear in the length, and no recursion (a
        10,000-character comment is one piece when it has no separator).
        """
        if self.phrase_starts.isdisjoint(s) or not self.any_phrase.search(s):
            return s.translate(self.table)
        # every phrase occurrence, overlapping ones too, by length: found from the characters that begin one
        get, n = self.phrases.get, len(s)
        occurrences: dict[int, list] = {}
        for m in self.start_re.finditer(s):
            j = m.start()
            for size in self.start_sizes[m.group()]:
                if j + size <= n:
                    value = get(s[j:j + size])
                    if value is not None:
                        occurrences.setdefault(size, []).append((j, value))
        free = [(0, n)]  # stretches not matched yet
        found = []  # (start, end, replacement)
        for size in sorted(occurrences, reverse=True):
            keep, cands, c = [], occurrences[size], 0
            for a, b in free:  # in each stretch, the occurrences left to right that do not overlap a taken one
                start = a
                while c < len(cands) and cands[c][0] < a:
                    c += 1
                while c < len(cands) and cands[c][0] + size <= b:
                    j, value = cands[c]
                    c += 1
                    if j < start:
                        continue
                    found.append((j, j + size, value))
                    if j > start:
                        keep.append((start, j))
                    start = j + size
                if b > start:
                    keep.append((start, b))
            free = keep
        if not found:
            return s.translate(self.table)
        parts = [(a, s[a:b].translate(self.table)) for a, b in free] + [(a, v) for a, _, v in found]
        return "".join(text for _, text in sorted(parts))

    def has_trigger(self, text: str) -> bool:
        """Whether ``text`` holds a character some entry changes (else it converts to itself)."""
        if self.trigger_re.search(text) is not None:
            return True
        return bool(self.astral_triggers) and _ASTRAL.search(text) is not None \
            and not self.astral_triggers.isdisjoint(text)

    def convert_many(self, texts: list[str]) -> list[str]:
        """``[self.convert(t) for t in texts]``: the texts without a phrase mapped through the table at once.

        A text that holds no phrase converts as a whole through the character table (`convert`,
        when no separator is in the table), and one with no trigger character is unchanged by it;
        so the batch is mapped in one pass over the texts joined by NUL (no phrase holds NUL),
        and only the texts a search of the joined string finds a phrase in are converted one by one.
        """
        joined = _JOIN.join(texts)
        if self.codes is None or not self.whole or joined.count(_JOIN) != len(texts) - 1:
            return [self.convert(t) for t in texts]
        out = _map_codes(joined, self.codes).split(_JOIN)
        phrased = _texts_matching(self.any_phrase, joined)
        if self.batch_split is None or len(phrased) < 2:
            for i in phrased:
                out[i] = self.convert(texts[i])
            return out
        batch = _JOIN.join([texts[i] for i in phrased])
        for i, text in zip(phrased, self._pieces(batch, _map_codes(batch, self.codes)).split(_JOIN)):
            out[i] = text
        return out

    def _pieces(self, joined: str, mapped: str) -> str:
        """The batch converted: ``mapped`` (``joined`` through the table) with each piece holding a phrase
        replaced by `piece` of it.

        A piece holds a phrase if and only if a match of ``any_phrase`` over the whole batch starts in
        it: no phrase holds a separator or NUL, so no match spans two pieces, and the scan reaches
        every piece. The table maps one character to one, so ``mapped`` has the pieces at the same
        offsets; separators are not in the table (``whole``) and convert to themselves.
        """
        starts = [m.start() for m in self.any_phrase.finditer(joined)]
        if not starts:
            return mapped
        parts = self.batch_split.split(joined)
        ends = np.cumsum(np.fromiter(map(len, parts), dtype=np.int64, count=len(parts)))
        out, done = [], 0
        for j in dict.fromkeys(np.searchsorted(ends, starts, side="right").tolist()):  # pieces: even j
            a, b = int(ends[j]) - len(parts[j]), int(ends[j])
            out += [mapped[done:a], self.piece(parts[j])]
            done = b
        out.append(mapped[done:])
        return "".join(out)

    def convert(self, text: str) -> str:
        hit = self.has_trigger
        if not hit(text):
            return text
        if self.whole and self.any_phrase.search(text) is None:  # no piece holds a phrase
            return text.translate(self.table)
        parts = self.split.split(text)
        return "".join(p if i % 2 or not hit(p) else self.piece(p) for i, p in enumerate(parts))


def _one_class(pattern: re.Pattern) -> re.Pattern:
    """The library's separators ``(\\s+|-|,|\\.|...)`` as ``(\\s+|[-,.…])``: the same matches, ~10x faster.

    An alternation of 70 single characters is tried branch by branch at every position; one
    character class is a table look-up. Any other form of the pattern is kept as it is.
    """
    src = pattern.pattern
    if src.startswith("(\\s+|") and src.endswith(")"):
        singles = [re.sub(r"\\(.)", r"\1", alt) for alt in src[5:-1].split("|")]
        if all(len(ch) == 1 for ch in singles):
            return re.compile("(\\s+|[" + "".join(map(re.escape, singles)) + "])", pattern.flags)
    return pattern


def _code_map(mapping: dict[int, str]) -> np.ndarray:
    """A ``str.translate`` table of one-character values as an array over all code points (identity elsewhere)."""
    codes = np.arange(sys.maxunicode + 1, dtype=np.uint32)
    if mapping:
        codes[np.fromiter(mapping, dtype=np.int64)] = np.fromiter(map(ord, mapping.values()), dtype=np.uint32)
    return codes


def _map_codes(text: str, codes: np.ndarray) -> str:
    """``text`` with each character mapped through a `_code_map` array: ``str.translate`` at numpy speed."""
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return codes[points].tobytes().decode("utf-32-le", "surrogatepass")


# Characters whose compatibility decomposition (NFKD) is one other character (full-width letters and digits,
# circled digits, the no-break space, compatibility ideographs ...), found as texts bring them: code point ->
# its decomposition, or None for a character without such a decomposition
_SINGLE_NFKD: dict[int, int | None] = {}


def _decompose_singles(text: str) -> str:
    """``text`` with each character whose NFKD is one other character replaced by that character.

    The replacement keeps the NFKD of the text (each character is replaced by its full
    decomposition), so a result that is NFKC is the NFKC of the text, as with `_COMMON_COMPAT`.
    One pass over the code points; each distinct character is looked up once per process.
    """
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    found = {}
    for cp in np.flatnonzero(np.bincount(points)).tolist():
        if cp not in _SINGLE_NFKD:
            d = None if 0xD800 <= cp < 0xE000 else unicodedata.normalize("NFKD", chr(cp))
            _SINGLE_NFKD[cp] = ord(d) if d is not None and len(d) == 1 and ord(d) != cp else None
        if _SINGLE_NFKD[cp] is not None:
            found[cp] = _SINGLE_NFKD[cp]
    if not found:
        return text
    table = np.arange(int(points.max()) + 1, dtype=np.uint32)
    table[list(found)] = list(found.values())
    return table[points].tobytes().decode("utf-32-le", "surrogatepass")


@lru_cache(maxsize=1)
def _t2s():
    """The traditional -> simplified converter (built on first use: no import-time work)."""
    try:
        import opencc
    except ImportError:  # pragma: no cover - a declared dependency
        raise ImportError("Converting traditional to simplified characters needs opencc-python-reimplemented: "
                          "pip install opencc-python-reimplemented (or pass simplify=False).") from None
    try:
        cc = opencc.OpenCC("t2s")
    except (OSError, ValueError, RuntimeError):  # pragma: no cover - the C++ OpenCC package names configs .json
        return opencc.OpenCC("t2s.json")
    try:
        return _T2S(opencc, cc)
    except (OSError, AttributeError, ValueError):  # pragma: no cover - another layout: the library itself
        return cc


def to_simplified(text: str) -> str:
    """Traditional Chinese characters to simplified ones (OpenCC ``t2s`` dictionaries).

    The conversion is phrase-aware (``乾淨`` -> ``干净``, ``一目瞭然`` -> ``一目了然``) and leaves
    simplified text as it is; a text that holds no traditional character is returned at once,
    so a mainland survey pays almost nothing for it.

    Examples
    --------
    >>> from surveykit.text.normalize import to_simplified
    >>> to_simplified("客服態度很好，物流發貨快")
    '客服态度很好，物流发货快'
    """
    return _t2s().convert(text)


def _strip_markup(text: str) -> str:
    if "&" in text:
        text = html.unescape(text)
    if "<" in text:
        text = _TAG.sub(" ", _SCRIPT.sub(" ", text))
    if "://" in text or "www." in text:
        text = _URL.sub(" ", text)
    if _FORMULA.match(text):  # =HYPERLINK("http://x", "价格太贵") shows its text: keep the quoted strings
        text = " ".join(_QUOTED.findall(text))
    return text


def normalize_text(text: str, *, simplify: bool = True, strip_markup: bool = True) -> str:
    """One comment in the form the tokenizer and theme dictionaries use.

    Steps, in order: NFKC (full-width to half-width, see `to_halfwidth`); invisible characters
    (zero-width spaces, byte-order marks, soft hyphens) removed and control characters made
    spaces; markup removed (HTML tags and ``<script>`` blocks, HTML entities decoded, URLs,
    and a spreadsheet formula such as ``=HYPERLINK("http://x", "价格太贵")`` replaced by its
    quoted text); Latin letters lower-cased; traditional characters made simplified (see
    `to_simplified`); runs of white space made one space, and the ends stripped.

    Parameters
    ----------
    text : str
        One comment.
    simplify : bool
        Convert traditional characters to simplified (default). Turn off only for a study whose
        theme dictionary is written in traditional characters.
    strip_markup : bool
        Remove HTML, URLs and formula wrappers (default).

    Returns
    -------
    str

    Raises
    ------
    TypeError
        If ``text`` is not a string (missing cells are the caller's business: see `answer_kinds`).

    Examples
    --------
    >>> from surveykit.text.normalize import normalize_text
    >>> normalize_text("  ＧＯＯＤ！客服態度\u3000很好<br/> ")
    'good!客服态度 很好'
    """
    if not isinstance(text, str):
        raise TypeError(f"normalize_text needs a string; got {type(text).__name__} {text!r}. Missing cells "
                        "(NaN, None) and numbers are not comments: filter them first, e.g. with answer_kinds().")
    text = to_halfwidth(text)
    if not _plain(text):
        text = _rare_steps(text, strip_markup)
    text = text.lower()
    if simplify and not text.isascii():
        text = to_simplified(text)
    return " ".join(text.split())  # runs of white space (str.isspace, as regex \s) to one space, ends stripped


def _plain(text: str) -> bool:
    """Whether no rare step applies to a text already NFKC (no control or invisible character, markup, formula)."""
    return _SPECIAL.search(text) is None and text[:1] not in ("=", "+", "@") and not text[:1].isspace()


def _rare_steps(text: str, strip_markup: bool) -> str:
    """Invisible and control characters, then markup (see `normalize_text`)."""
    if _ODD.search(text):
        text = _CONTROL.sub(" ", _INVISIBLE.sub("", text))
    if strip_markup and ("<" in text or "&" in text or "//" in text or "www." in text
                         or text.lstrip()[:1] in ("=", "+", "@")):
        text = _strip_markup(text)
    return text


def _normalize_many(texts: list[str], *, simplify: bool = True) -> list[str]:
    """``[normalize_text(t, simplify=simplify) for t in texts]`` for strings, the steps taken on the batch.

    The texts are joined by NUL and each step runs once over the whole string, at C speed: NFKC,
    lower-casing and the traditional-character test give the same result on the joined string
    as text by text (NUL is an unchanging starter no mapping produces, neither cased nor
    case-ignorable, and no phrase of the converter holds it). The steps that depend on where a
    text begins (markup, formulas) and the conversion of traditional characters run text by text,
    on the texts a search of the joined string finds; white space is collapsed text by text. A
    batch in which a text holds NUL itself is normalized one text at a time.
    """
    if not texts:
        return []
    joined = _JOIN.join(texts)
    if joined.count(_JOIN) != len(texts) - 1:  # a text holds NUL (a control character: a rare step)
        return [normalize_text(t, simplify=simplify) for t in texts]
    is_nfkc = unicodedata.is_normalized
    if not joined.isascii() and not is_nfkc("NFKC", joined):  # to_halfwidth: the common cases, then text by text
        for c, d in _COMMON_COMPAT:
            if c in joined:
                joined = joined.replace(c, d)
        if not is_nfkc("NFKC", joined):  # full-width letters and digits ...: one pass, then the texts left
            joined = _decompose_singles(joined)
        if not is_nfkc("NFKC", joined):
            joined = _JOIN.join([t if t.isascii() or is_nfkc("NFKC", t) else unicodedata.normalize("NFKC", t)
                                 for t in joined.split(_JOIN)])
    # not _plain(text): a special character anywhere, or = + @ or white space first
    rare = set(_texts_matching(_SPECIAL_BATCH, joined))
    rare.update(_texts_matching(_LEADING, joined, 1))
    if joined[:1] in ("=", "+", "@") or joined[:1].isspace():
        rare.add(0)
    if rare:
        parts = joined.split(_JOIN)
        for i in rare:
            parts[i] = _rare_steps(parts[i], True)
        joined = _JOIN.join(parts)
        if joined.count(_JOIN) != len(texts) - 1:  # the markup held an escaped NUL
            return [normalize_text(t, simplify=simplify) for t in texts]
    joined = joined.lower()
    parts = joined.split(_JOIN)
    if simplify and not joined.isascii():  # to_simplified, on the texts that hold a character it may change
        t2s = _t2s()
        if isinstance(t2s, _T2S):
            convert = set(_texts_matching(t2s.trigger_re, joined))
            if t2s.astral_triggers:
                convert.update(_texts_matching(_ASTRAL, joined))
            convert = sorted(convert)
            for i, text in zip(convert, t2s.convert_many([parts[i] for i in convert])):
                parts[i] = text
        else:  # the library itself
            for i in [i for i, t in enumerate(parts) if not t.isascii()]:
                parts[i] = t2s.convert(parts[i])
    return [" ".join(t.split()) for t in parts]


def _texts_matching(pattern: re.Pattern, joined: str, offset: int = 0) -> list[int]:
    """The positions of the texts in which ``pattern`` matches, of texts joined by NUL, in order.

    A match belongs to the text where it starts, or where it starts + ``offset`` (1 for a
    pattern that begins with the NUL before a text). One search per text that matches (the rest
    of a text is skipped once it has matched) and counts of NUL between: a few calls per text
    found, none per text that is not.
    """
    out: list[int] = []
    search, find, count = pattern.search, joined.find, joined.count
    index = pos = 0
    m = search(joined)
    while m is not None:
        at = m.start() + offset
        index += count(_JOIN, pos, at)
        out.append(index)
        nul = find(_JOIN, at)  # the end of this text
        if nul < 0:
            break
        index, pos = index + 1, nul + 1
        m = search(joined, pos - offset)
    return out


# ---------------------------------------------------------------------------------------------
# non-answers


def _kind_of(value, simplify: bool = True) -> int:
    """0 substantive, 1 non-answer, 2 missing."""
    if not isinstance(value, str):
        return 2
    return _kind_of_normalized(normalize_text(value, simplify=simplify))


def _kind_of_normalized(text: str) -> int:
    """0 substantive, 1 non-answer, for a text already through `normalize_text` (markup stripped)."""
    first = _WORD.search(text)
    if first is None:
        return 1  # no letter nor digit at all
    c = first.group()
    if c not in _NON_ANSWER_STARTS and not c.isdigit():
        return 0  # neither digits only nor a non-answer (each begins with one of those), repeated or not
    core = _NOT_WORD.sub("", text)
    if not core or core.isdigit():
        return 1
    if core in NON_ANSWERS:
        return 1
    stem = _NON_ANSWER_TAILS.sub("", core)
    if stem in NON_ANSWERS or (stem and _is_repeat(stem)):
        return 1
    return 0


def _is_repeat(core: str) -> bool:
    """'无无无', '没有没有': one non-answer repeated."""
    for k in range(1, min(len(core) // 2, _NON_ANSWER_LONGEST) + 1):
        if len(core) % k == 0 and core[:k] in NON_ANSWERS and core == core[:k] * (len(core) // k):
            return True
    return False


def is_non_answer(text) -> bool:
    """Whether one cell is a non-answer: text that says nothing ("无", "没有", "nothing", "。", "👍👍").

    A non-answer is a string that, once normalized and stripped of punctuation, symbols, emoji and
    spaces, is empty, only digits, or one of `NON_ANSWERS` ("无", "没有", "暂无", "无意见",
    "没有了", "不知道", "nothing", "none", "n/a" ...), possibly repeated or followed by a particle
    or thanks ("没有了，谢谢"). Missing cells (NaN, None) and non-strings are *not* non-answers:
    they are missing, a category of their own (see `answer_kinds`).

    Examples
    --------
    >>> from surveykit.text.normalize import is_non_answer
    >>> [is_non_answer(x) for x in ["无", "没有了。", "N/A", "...", "  ", "没有问题", float("nan")]]
    [True, True, True, True, True, False, False]
    """
    return _kind_of(text) == 1


def answer_kinds(texts, *, simplify: bool = True) -> pd.Series:
    """Each cell of an open-text column as 'substantive', 'non_answer' or 'missing'.

    'missing': NaN, None and anything that is not a string (numbers, dates); 'non_answer': see
    `is_non_answer`; 'substantive': everything else. Each distinct text is classified once.

    Parameters
    ----------
    texts : sequence or pandas.Series
        The cells of one open-text column.
    simplify : bool
        Passed to `normalize_text`.

    Returns
    -------
    pandas.Series
        Categorical with categories ``ANSWER_KINDS``, indexed like ``texts`` (a Series) or from 0.

    Examples
    --------
    >>> from surveykit.text.normalize import answer_kinds
    >>> answer_kinds(["质量很好", "无", None, 5, "。"]).tolist()
    ['substantive', 'non_answer', 'missing', 'missing', 'non_answer']
    """
    from .._checks import as_series

    if isinstance(texts, (str, bytes)):
        raise TypeError(f"answer_kinds takes a list or column of answers, not one string ({texts[:20]!r}); use "
                        "is_non_answer(text) for one.")
    s = as_series(texts, "texts", "answer_kinds")
    codes, uniques = pd.factorize(s.astype(object), use_na_sentinel=True)
    kinds = np.fromiter((_kind_of(u, simplify) for u in uniques), dtype=np.int8, count=len(uniques))
    out = np.full(len(s), 2, dtype=np.int8)
    valid = codes >= 0
    out[valid] = kinds[codes[valid]]
    return pd.Series(pd.Categorical.from_codes(out, categories=list(ANSWER_KINDS)), index=s.index, name="kind")


def non_answer_mask(texts, *, simplify: bool = True) -> np.ndarray:
    """Boolean array: True where the cell is a non-answer (`is_non_answer`); False for missing cells.

    Examples
    --------
    >>> from surveykit.text.normalize import non_answer_mask
    >>> non_answer_mask(["无", "价格太贵", float("nan"), "nothing"]).tolist()
    [True, False, False, True]
    """
    return (answer_kinds(texts, simplify=simplify) == "non_answer").to_numpy()
