"""TextAnalyzer: one study's Chinese tokenizer, with its own dictionary, stop words and synonyms.

jieba's semantics are the reference: its dictionary, its ``add_word`` frequencies for user
words and its HMM for unknown words. Two backends give those tokens:

* ``"jieba"``: a private ``jieba.Tokenizer`` (never jieba's module-level one, whose user
  dictionary would leak from one study into the next);
* ``"rjieba"``: a private ``rjieba.Jieba`` (jieba-rs, the Rust port with the same dictionary
  and algorithm), about 20 times faster. Each user word is given the frequency jieba's
  ``add_word`` would give it, computed by jieba itself, and the dictionary total is kept equal
  to jieba's, so both backends weigh every segmentation the same. jieba-rs counts the rare
  CJK blocks (extension A and B..., U+9FD6-U+9FFF, compatibility ideographs) as Chinese where
  jieba does not; text is split at those characters before it reaches rjieba, so both see the
  same runs. tests/test_text_tokenize.py proves the two backends give identical tokens on a
  generated corpus of tens of thousands of varied comments.

``backend="auto"`` takes rjieba when it is installed, else jieba. Each distinct comment is
normalized and tokenized once (``pd.factorize``); repeated comments share one token list.
rjieba cuts comments in batches, hundreds joined by newlines in one call (both tokenizers cut
text into blocks at white space and cut each block on its own), a third cheaper than a call
per comment; the tests check the tokens equal those of one comment at a time.
"""

from __future__ import annotations

import logging
import re
import sys
import warnings
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources
from itertools import islice
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from ..errors import DataError, SurveykitWarning, check_option
from ..indices.weighted import _as_series, _names
from .normalize import normalize_text

__all__ = ["BACKENDS", "TextAnalyzer", "UserWordWarning", "default_stop_words", "read_user_dict"]

BACKENDS = ("auto", "rjieba", "jieba")

# The characters jieba cuts as one block ("re_han_default" of jieba 0.42): a user word made of
# anything else can never come out whole.
_JIEBA_BLOCK = re.compile(r"[\u4e00-\u9fd5a-zA-Z0-9+#&._%\-]+")
# Chinese to jieba-rs but not to jieba: cut apart before rjieba sees them (jieba emits each alone)
_RS_ONLY = re.compile("([\u3400-\u4dbf\u9fd6-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f])")
# A word nobody can type (control characters never reach a tokenizer): it carries the part of the
# dictionary total that jieba counts and jieba-rs does not (see _rjieba)
_FILLER = "\x00\x01surveykit"
_WORD_CHAR = re.compile(r"[^\W_]")  # a letter or digit of any script
# a letter or digit next to a symbol of jieba's block class: a run jieba-rs may keep whole where jieba
# splits it (a run of symbols alone, "......", is one token in both)
_ASCII_SYMBOL = re.compile(r"[a-z0-9][+#&._%\-]|[+#&._%\-][a-z0-9]", re.IGNORECASE)
_JIEBA_HMM_SKIP = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")  # jieba.finalseg.re_skip
_ALNUM_SYMBOL = re.compile(r"[a-zA-Z0-9][+#&._%\-]")
_ALNUM_PUNCT = re.compile(r"[a-zA-Z0-9][!-/:-@\[-`{-~]")  # a letter or digit, then ASCII punctuation
_PUNCT_ALNUM = re.compile(r"[!-/:-@\[-`{-~][a-zA-Z0-9]")
_ASCII_RUN = re.compile(r"[a-z0-9+#&._%\-]+", re.IGNORECASE)  # ASCII characters of jieba's block class only
_MEMO_SIZE = 1_000_000  # distinct raw tokens remembered per analyzer (about 100 MB at most)
_USERDICT_LINE = re.compile(r"^(.+?)( [0-9]+)?( [a-z]+)?$")  # jieba's re_userdict
_PROGRESS_TEXTS = 100_000  # show a progress bar by default from this many distinct comments
# Ends each comment in a batch cut at once. A normalized text holds no white space but single spaces,
# and jieba and jieba-rs both cut text into blocks at white space, each block on its own (no state
# crosses a block): the tokens of "a\nb" are those of "a", then "\n", then those of "b".
_SEP = "\n"
_BATCH = 500  # comments cut per call in tokenize (one rjieba call per batch saves a third of the cutting)


class UserWordWarning(SurveykitWarning):
    """A user word or synonym can never be cut as one token (it holds a space or punctuation)."""


@lru_cache(maxsize=1)
def default_stop_words() -> frozenset[str]:
    """The bundled Chinese (and English) stop words, ``surveykit/text/data/stopwords_zh.txt``.

    Function words, particles, pronouns, conjunctions, prepositions, degree adverbs and
    punctuation; never negators (不, 没, 没有, 无, 未, 别, 毫无, 并不 ...) nor opinion words.

    Examples
    --------
    >>> from surveykit.text.tokenize import default_stop_words
    >>> "的" in default_stop_words(), "不" in default_stop_words()
    (True, False)
    """
    text = resources.files("surveykit.text").joinpath("data/stopwords_zh.txt").read_text(encoding="utf-8")
    return frozenset(w for w in (line.strip() for line in text.splitlines()) if w and not w.startswith("#"))


def read_user_dict(path) -> list[tuple[str, int | None, str | None]]:
    """The entries of a jieba-format user dictionary: one ``word [freq] [tag]`` per line.

    Parsed as ``jieba.Tokenizer.load_userdict`` does (UTF-8, an optional byte-order mark, blank
    lines skipped; the frequency and the part-of-speech tag are optional). Words may contain
    spaces ("iPhone 15 Pro 100 n" is the word "iPhone 15 Pro").

    Raises
    ------
    FileNotFoundError
        If there is no such file.
    DataError
        If the file is not UTF-8 (naming the line).
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"The user dictionary {str(path)!r} does not exist. Pass the path of a UTF-8 text "
                                "file with one 'word [freq] [tag]' per line (jieba's user-dictionary format).")
    entries = []
    with open(path, "rb") as f:
        for lineno, raw in enumerate(f, 1):
            try:
                line = raw.decode("utf-8").strip().lstrip("\ufeff")
            except UnicodeDecodeError:
                raise DataError(f"The user dictionary {str(path)!r} is not UTF-8 (line {lineno}: {raw[:40]!r}). Save "
                                "it as UTF-8 (in Excel: 'CSV UTF-8'; in Notepad: encoding UTF-8).") from None
            if not line:
                continue
            word, freq, tag = _USERDICT_LINE.match(line).groups()
            entries.append((word, int(freq) if freq is not None else None, tag.strip() if tag else None))
    return entries


@contextmanager
def _quiet_jieba():
    """jieba logs 'Building prefix dict ...' on stderr at every initialize; hush it for the duration only."""
    logger = logging.getLogger("jieba")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


@lru_cache(maxsize=1)
def _jieba_dictionary() -> tuple[dict, int]:
    """jieba's default dictionary (prefix dict and total), loaded once per process and never modified."""
    import jieba

    tok = jieba.Tokenizer()
    with _quiet_jieba():
        tok.initialize()
    return tok.FREQ, tok.total


def _new_jieba():
    """A private ``jieba.Tokenizer`` on its own copy of the default dictionary.

    Loading the dictionary takes about a second; copying the loaded one takes a few
    hundredths, so a study with several open questions (or a test suite) pays the load once.
    The copy is the tokenizer's own: words added to it reach no other tokenizer.
    """
    import jieba

    freq, total = _jieba_dictionary()
    tok = jieba.Tokenizer()
    tok.FREQ, tok.total, tok.initialized = dict(freq), total, True
    return tok


def _add_word(tok, word: str, freq: int | None) -> None:
    """``tok.add_word(word, freq)``, except that frequency 0 stays with ``tok``.

    jieba's ``add_word(word, 0)`` also puts the word in ``jieba.finalseg``'s module-level
    force-split set, which every tokenizer of the process reads: one study's "always split"
    would split another's HMM words. Here the word gets frequency 0 in this tokenizer only and
    `TextAnalyzer` splits it after cutting, as finalseg would have.
    """
    if freq == 0:
        tok.check_initialized()
        tok.FREQ[word] = 0
        for end in range(1, len(word)):
            tok.FREQ.setdefault(word[:end], 0)
    else:
        tok.add_word(word, freq)


@lru_cache(maxsize=8)
def _jieba_frequencies(entries: tuple[tuple[str, int | None], ...]) -> tuple[tuple[int, ...], int]:
    """The frequency jieba's ``add_word`` gives each word, added in order, and the total jieba adds twice.

    jieba's ``add_word(word)`` without a frequency uses ``suggest_freq(word)``: the product of the
    frequencies of the pieces ``cut(word, HMM=False)`` gives, over the running dictionary total,
    plus one (or the word's own frequency if larger); jieba-rs computes the same in logarithms and
    can land one lower. jieba also adds a re-added word's frequency to the total without taking the
    old one off, where jieba-rs replaces it. A throwaway jieba tokenizer does the adds, so the
    numbers are jieba's own; the second value is the sum of the replaced frequencies.
    """
    tok = _new_jieba()
    freqs, replaced = [], 0
    for word, freq in entries:
        replaced += tok.FREQ.get(word, 0)
        _add_word(tok, word, freq)
        freqs.append(tok.FREQ[word])
    return tuple(freqs), replaced


@lru_cache(maxsize=1)
def _jieba_dict_total() -> int:
    """The dictionary total jieba starts from: the sum of the frequencies on every line of its dict.txt.

    jieba counts a word listed twice twice (``B超 3`` is on two lines of jieba 0.42's dict.txt).
    """
    import jieba

    total = 0
    with open(Path(jieba.__file__).parent / "dict.txt", "rb") as f:
        for line in f:
            parts = line.split(b" ")
            if len(parts) > 1:
                total += int(parts[1])
    return total


@lru_cache(maxsize=1)
def _rjieba_dict_total() -> int | None:
    """The dictionary total a fresh ``rjieba.Jieba`` starts from, measured (None if it cannot be pinned down).

    rjieba does not expose it, and it need not equal jieba's: jieba-rs 0.11 counts a word listed
    twice once, so it starts 3 below jieba. A route through a comment adds one ``-ln(total)`` per
    word, so two segmentations of equal probability but different rounding (``算|算算`` against
    ``算算|算``) are decided by the last bit of ``ln(total)``: the totals must be equal, not close.
    ``suggest_freq`` of a string made of two throwaway words of frequency ``a`` is
    ``floor(a^2 / (total + 2a)) + 1``; a dozen values of ``a`` leave one total consistent with all.
    """
    import rjieba

    rj = rjieba.Jieba()
    first, second = "甲乙丙丁戊己", "庚辛壬癸子丑"  # new words of this throwaway instance only
    guess = _jieba_dict_total()
    candidates = set(range(guess - 5000, guess + 5001))
    for i in range(16):
        a = 10**12 + 123_456_791 * i  # moves T^2 / 8a, so each a cuts the candidates at another place
        rj.add_word(first, a, None)
        rj.add_word(second, a, None)
        got = rj.suggest_freq(first + second)
        kept = set()
        for t in candidates:
            exact, rest = divmod(a * a, t + 2 * a)
            # kept if consistent, or if a^2 / (t + 2a) is too close to an integer for floating point to tell
            if abs(rest / (t + 2 * a) - 0.5) > 0.499 or exact + 1 == got:
                kept.add(t)
        candidates = kept
        if len(candidates) == 1:
            return candidates.pop()
    return None


def _check_words(words, name: str) -> list[str]:
    if words is None:
        return []
    if isinstance(words, str):
        raise TypeError(f"The {name!r} parameter of TextAnalyzer must be a list of words; got the single string "
                        f"{words!r}. Wrap it: {name}=[{words!r}].")
    out = []
    for w in words:
        if not isinstance(w, str):
            raise TypeError(f"The {name!r} parameter of TextAnalyzer must hold strings; got {type(w).__name__} "
                            f"{w!r}.")
        out.append(w)
    return out


class TextAnalyzer:
    """Tokenize Chinese comments with one study's own dictionary, stop words and synonyms.

    Parameters
    ----------
    user_words : iterable of str
        Words and phrases that must stay whole: product names, 性价比, 客服态度. Each is added
        as jieba's ``add_word(word)`` would add it (a frequency just high enough to be cut out).
    user_dict : str or path, optional
        A jieba-format user dictionary file (``word [freq] [tag]`` per line), added before
        ``user_words``. A frequency of 0 tells jieba to always split the word; only the jieba
        backend can do that, so ``backend="auto"`` then takes jieba.
    stop_words : iterable of str, optional
        Tokens to drop. None (default): the bundled list (`default_stop_words`). A list replaces
        it; pass ``default_stop_words() | {...}`` or use ``extra_stop_words`` to add to it.
    extra_stop_words : iterable of str
        Added to ``stop_words``.
    synonyms : mapping, optional
        Words mapped to one canonical word, either ``{variant: canonical}`` (``{"快递": "物流",
        "发货": "物流"}``) or ``{canonical: [variants]}`` (``{"物流": ["快递", "发货"]}``). Variants
        and canonical words are user words too, so they stay whole.
    backend : {'auto', 'rjieba', 'jieba'}
        'jieba': a private ``jieba.Tokenizer``; 'rjieba': a private ``rjieba.Jieba`` (same tokens,
        about 20x faster); 'auto' (default): rjieba when installed, else jieba.
    hmm : bool
        Let jieba's HMM join characters the dictionary does not know into words (default, as
        ``jieba.lcut``).
    simplify : bool
        Convert traditional characters to simplified before tokenizing (default).

    Notes
    -----
    Text, user words, stop words and synonyms all go through `normalize_text` (half-width,
    lower case, simplified, no markup), so ``ＧＯＯＤ``, ``Good`` and ``good`` are one token and a
    theme dictionary written in simplified characters matches comments typed in traditional.
    Because Latin is lower-cased, jieba dictionary entries with capitals (``T恤``, ``QQ``) are not
    matched as such; write user words in any case.

    Unlike ``jieba.lcut``, `tokenize` never returns white space, and with ``drop_stop_words``
    (default) drops the stop words and every token without a letter or digit (punctuation,
    symbols, emoji). Synonyms are applied before stop words are dropped.

    The R equivalent is jiebaR's ``worker(user = ..., stop_word = ...)`` followed by
    ``segment()``; unlike it (and ``jieba.load_userdict``), each analyzer keeps its dictionary to
    itself, including jieba's "always split" entries (frequency 0), which jieba itself records
    for the whole process.

    Examples
    --------
    >>> from surveykit.text import TextAnalyzer
    >>> ta = TextAnalyzer(user_words=["客服态度"], synonyms={"物流": ["快递", "发货"]})
    >>> ta.tokenize(["客服态度很好，快递很快！", "質量不錯", None])
    [['客服态度', '好', '物流', '很快'], ['质量', '不错'], []]
    """

    def __init__(self, *, user_words: Iterable[str] = (), user_dict=None, stop_words: Iterable[str] | None = None,
                 extra_stop_words: Iterable[str] = (), synonyms: Mapping | None = None,
                 backend: Literal["auto", "rjieba", "jieba"] = "auto", hmm: bool = True, simplify: bool = True):
        check_option("backend", backend, BACKENDS, function="TextAnalyzer")
        if not isinstance(hmm, (bool, np.bool_)):
            raise TypeError(f"The 'hmm' parameter of TextAnalyzer must be True or False; got {hmm!r}.")
        self.hmm = bool(hmm)
        self.simplify = bool(simplify)
        norm = self._norm_word
        words = _check_words(user_words, "user_words")
        self.user_words = tuple(dict.fromkeys(w for w in map(norm, words) if w))
        self.synonyms = self._check_synonyms(synonyms)
        base = default_stop_words() if stop_words is None else _check_words(stop_words, "stop_words")
        extra = _check_words(extra_stop_words, "extra_stop_words")
        self._config = {"user_words": words, "user_dict": user_dict,
                        "stop_words": None if stop_words is None else base, "extra_stop_words": extra,
                        "synonyms": synonyms, "backend": backend, "hmm": self.hmm, "simplify": self.simplify}
        self.stop_words = frozenset(w for w in (norm(x) for x in [*base, *extra]) if w)

        # every word to add, in order, once: the user dictionary, the user words, the synonyms
        entries: dict[str, int | None] = {}
        if user_dict is not None:
            for word, freq, _tag in read_user_dict(user_dict):
                w = norm(word)
                if w and w not in entries:
                    entries[w] = freq
        for w in [*self.user_words, *self.synonyms, *self.synonyms.values()]:
            entries.setdefault(w, None)
        self._entries = tuple(entries.items())
        unsplittable = [w for w in entries if not _JIEBA_BLOCK.fullmatch(w)]
        if unsplittable:
            warnings.warn(f"TextAnalyzer: {len(unsplittable)} user word{'s' if len(unsplittable) > 1 else ''} "
                          f"({_names(unsplittable)}) hold a space or punctuation; jieba cuts text at those "
                          "characters, so they never come out as one token. Write them without (e.g. 'iphone15pro') "
                          "or list their parts.", UserWordWarning, stacklevel=2)
        force_split = [w for w, f in self._entries if f == 0]

        self.backend = self._resolve_backend(backend, force_split)
        self._memo = {drop: _Memo(self._token, drop) for drop in (False, True)}
        self._jieba = None
        self._force_split = frozenset(force_split)
        if self.backend == "jieba":
            self._jieba = _new_jieba()
            for word, freq in self._entries:
                _add_word(self._jieba, word, freq)
            self._cut_normalized = self._cut_jieba
        else:
            self._rjieba = self._build_rjieba()
            self._cut_normalized = self._cut_rjieba

    # -----------------------------------------------------------------------------------------
    # construction

    def _norm_word(self, word: str) -> str:
        return normalize_text(word, simplify=self.simplify, strip_markup=False)

    def _check_synonyms(self, synonyms) -> dict[str, str]:
        if synonyms is None:
            return {}
        if not isinstance(synonyms, Mapping):
            raise TypeError("The 'synonyms' parameter of TextAnalyzer must be a mapping, {variant: canonical} or "
                            f"{{canonical: [variants]}}; got {type(synonyms).__name__}.")
        pairs = []
        for key, value in synonyms.items():
            if isinstance(value, str):
                pairs.append((key, value))
            else:
                pairs += [(v, key) for v in _check_words(value, f"synonyms[{key!r}]")]
        out: dict[str, str] = {}
        for variant, canonical in pairs:
            if not isinstance(variant, str) or not isinstance(canonical, str):
                raise TypeError(f"Synonyms of TextAnalyzer must be strings; got {variant!r} -> {canonical!r}.")
            v, c = self._norm_word(variant), self._norm_word(canonical)
            if not v or not c:
                raise ValueError(f"Synonyms of TextAnalyzer must not be empty; got {variant!r} -> {canonical!r}.")
            if v != c and out.get(v, c) != c:
                raise ValueError(f"TextAnalyzer: the synonym {variant!r} is mapped to both {out[v]!r} and "
                                 f"{canonical!r}. Map each variant to one canonical word.")
            if v != c:
                out[v] = c
        for v in out:  # resolve chains (a -> b, b -> c) once, so each token is looked up once
            seen = [v]
            while out[seen[-1]] in out:
                nxt = out[seen[-1]]
                if nxt in seen:
                    raise ValueError(f"TextAnalyzer: the synonyms form a cycle ({' -> '.join(map(repr, seen))} -> "
                                     f"{nxt!r}). Choose one canonical word.")
                seen.append(nxt)
            out[v] = out[seen[-1]]
        return out

    @staticmethod
    def _resolve_backend(backend: str, force_split: list[str]) -> str:
        if backend == "jieba":
            return "jieba"
        try:
            import rjieba  # noqa: F401
        except ImportError:
            if backend == "rjieba":
                raise ImportError("backend='rjieba' needs the rjieba package: pip install rjieba (or use "
                                  "backend='jieba', same tokens, about 20x slower).") from None
            return "jieba"
        if force_split:
            if backend == "rjieba":
                raise ValueError(f"The user dictionary gives frequency 0 to {_names(force_split)} (jieba: always "
                                 "split), which only the jieba backend can do. Use backend='jieba' or 'auto', or "
                                 "drop those lines.")
            return "jieba"
        return "rjieba"

    def _build_rjieba(self):
        import rjieba

        rj = rjieba.Jieba()
        replaced = 0
        if self._entries:
            freqs, replaced = _jieba_frequencies(tuple((w, f) for w, f in self._entries))
            for (word, _), freq in zip(self._entries, freqs):
                rj.add_word(word, freq, None)
        # jieba's total counts re-added words, and words its dict.txt lists twice, twice: so must this one
        base = _rjieba_dict_total()
        missing = replaced + (_jieba_dict_total() - base if base is not None else 0)
        if base is None or missing < 0:
            warnings.warn("TextAnalyzer: the dictionary total of rjieba could not be made equal to jieba's; in rare "
                          "ties between two equally likely segmentations the backends may cut differently. Use "
                          "backend='jieba' for jieba's tokens exactly.", SurveykitWarning, stacklevel=3)
        elif missing:
            rj.add_word(_FILLER, missing, None)
        return rj

    def __reduce__(self):
        return (_rebuild, (self._config,))

    def __repr__(self) -> str:
        return (f"<TextAnalyzer backend={self.backend!r} user_words={len(self._entries)} "
                f"stop_words={len(self.stop_words)} synonyms={len(self.synonyms)} hmm={self.hmm}>")

    # -----------------------------------------------------------------------------------------
    # one text

    def normalize(self, text: str) -> str:
        """The text as it is tokenized (`normalize_text` with this analyzer's ``simplify``)."""
        return normalize_text(text, simplify=self.simplify)

    def _cut_jieba(self, text: str) -> list[str]:
        tokens = self._jieba.lcut(text, HMM=self.hmm)
        if self._force_split:  # words of frequency 0 the HMM put together: split, as jieba.finalseg does
            split = self._force_split
            tokens = [c for t in tokens for c in (t if t in split else (t,))]
        return tokens

    def _cut_rjieba(self, text: str) -> list[str]:
        tokens = self._cut_rjieba_runs(text)
        if self.hmm and _ASCII_SYMBOL.search(text):
            tokens = self._split_ascii(tokens)
        return tokens

    def _cut_rjieba_runs(self, text: str) -> list[str]:
        """rjieba's tokens, the characters only jieba-rs counts as Chinese standing alone (see `_RS_ONLY`)."""
        if text.isascii() or _RS_ONLY.search(text) is None:
            return self._rjieba.cut(text, self.hmm)
        tokens = []
        for i, piece in enumerate(_RS_ONLY.split(text)):
            if i % 2:
                tokens.append(piece)
            elif piece:
                tokens += self._rjieba.cut(piece, self.hmm)
        return tokens

    def _cut_many(self, texts: list[str]) -> list[str]:
        """The tokens of several normalized, non-empty texts in one list, each text's followed by ``_SEP``.

        rjieba cuts them joined by ``_SEP`` in one call (the per-call cost is a third of the cut of
        a short comment); jieba one by one. The tokens equal those of `_cut_normalized` text by
        text: the ASCII runs of a text are re-cut as jieba's HMM step does (`_split_ascii`) only
        when that text has a letter or digit next to a symbol, as it is on its own.
        """
        if self.backend == "jieba":
            out: list[str] = []
            for text in texts:
                out += self._cut_jieba(text)
                out.append(_SEP)
            return out
        if not texts:
            return []
        tokens = self._cut_rjieba_runs(_SEP.join(texts) + _SEP)
        if not self.hmm:
            return tokens
        joined = "\n".join(tokens)  # a _SEP token shows as "\n\n\n": tokens are never empty nor hold "\n"
        hits = _hmm_cuts(joined)
        if not hits:
            return tokens
        # each text that holds such a token is re-cut as a whole (as `_cut_normalized` does): its tokens are
        # found from where it lies in `joined` (texts are separated by "\n\n\n", the _SEP token between two
        # joining newlines), the tokens between copied in one slice
        out: list[str] = []
        done = n_sep = n_newline = pos = 0
        end = -1
        count, find = joined.count, joined.find
        for at in hits:
            if at < end:  # in the text just re-cut
                continue
            n_sep += count("\n\n\n", pos, at)  # the texts before this one
            start = joined.rfind("\n\n\n", 0, at) + 3 if n_sep else 0
            end = find("\n\n\n", at)
            if end < 0:  # the last text: its _SEP token is the last
                end = len(joined) - 2
            n_newline += count("\n", pos, start)
            pos = start
            first = n_newline - n_sep  # tokens before this text: newlines before it, less the _SEP tokens' own
            last = first + count("\n", start, end) + 1
            out += tokens[done:first]
            out += self._split_tokens(tokens[first:last])
            done = last
        out += tokens[done:]
        return out

    def _split_ascii(self, tokens: list[str]) -> list[str]:
        """Cut ASCII runs with symbols ('2008-6-1', '1.5l', 'usb-c') as jieba's HMM step does.

        jieba hands a run of characters the dictionary leaves single to its HMM, which splits
        anything not Chinese with ``[a-zA-Z0-9]+(?:\\.\\d+)?%?`` ('2008', '-', '6', '-', '1');
        jieba-rs keeps such a run whole. A run that is a dictionary word stays whole in both.
        """
        if not _hmm_cuts("\n".join(tokens)):  # white space never reaches here inside a token: a safe separator
            return tokens  # no token jieba's HMM would cut (the usual case: '3.5', '50%', '......')
        return self._split_tokens(tokens)

    def _split_tokens(self, tokens: list[str]) -> list[str]:
        """Each ASCII token that is no word of the dictionary, cut as jieba's HMM step cuts it.

        Only a token with a letter or digit next to punctuation can come out different, so those
        are found in the tokens joined by newlines (two pair patterns scan at C speed); the rest
        is copied in slices.
        """
        joined = "\n".join(tokens)
        found = sorted({m.start() for pattern in (_ALNUM_PUNCT, _PUNCT_ALNUM) for m in pattern.finditer(joined)})
        out: list[str] = []
        done = line = pos = 0
        last = -1
        for at in found:
            line += joined.count("\n", pos, at)  # the token the pair is in
            pos = at
            if line == last:
                continue
            last = line
            t = tokens[line]
            if t.isascii() and len(t) > 1 and not t.isalnum() and not self._rjieba.has_word(t):
                out += tokens[done:line]
                out += [p for p in _JIEBA_HMM_SKIP.split(t) if p]
                done = line + 1
        out += tokens[done:]
        return out

    def cut(self, text: str) -> list[str]:
        """All tokens of one comment, synonyms mapped, stop words and punctuation kept (no white space).

        Examples
        --------
        >>> from surveykit.text import TextAnalyzer
        >>> TextAnalyzer(backend="jieba").cut("价格太贵了！")
        ['价格', '太贵', '了', '!']
        """
        if not isinstance(text, str):
            raise TypeError(f"TextAnalyzer.cut needs one string; got {type(text).__name__} {text!r}. For a column of "
                            "comments (with missing cells) use tokenize().")
        return self._tokens(text, False)

    def drop_stop_words(self, tokens: list[str]) -> list[str]:
        """``tokens`` without stop words and without tokens that hold no letter or digit (punctuation, emoji)."""
        memo = self._memo[True]
        return [c for c in map(memo.__getitem__, tokens) if c]

    def _token(self, raw: str, drop: bool) -> str:
        """The token ``raw`` becomes: its synonym's canonical word, interned; '' to drop it."""
        if raw.isspace():
            return ""
        c = self.synonyms.get(raw, raw)
        if drop and (raw in self.stop_words or c in self.stop_words or not (c.isalnum() or _WORD_CHAR.search(c))):
            return ""
        return sys.intern(c)

    def _tokens(self, text, drop: bool) -> list[str]:
        if not isinstance(text, str):
            return []
        norm = self.normalize(text)
        if not norm:
            return []
        memo = self._memo[drop]
        if len(memo) > _MEMO_SIZE:  # a vocabulary this large is HMM debris: start again
            memo.clear()
        return [c for c in map(memo.__getitem__, self._cut_normalized(norm)) if c]

    def _token_lists(self, texts: list, drop: bool) -> list[list[str]]:
        """``[self._tokens(t, drop) for t in texts]``, the texts cut in one batch."""
        norms = [self.normalize(t) if isinstance(t, str) else "" for t in texts]
        flat = self._cut_many([t for t in norms if t])
        memo = self._memo[drop]
        if len(memo) > _MEMO_SIZE:
            memo.clear()
        get, index = memo.__getitem__, flat.index
        out, start = [], 0
        for norm in norms:
            if not norm:
                out.append([])
                continue
            end = index(_SEP, start)
            out.append([c for c in map(get, flat[start:end]) if c])
            start = end + 1
        return out

    # -----------------------------------------------------------------------------------------
    # many texts

    @staticmethod
    def unique(texts) -> tuple[np.ndarray, list]:
        """``(codes, distinct_texts)``: the position of each text among the distinct ones (-1 for NaN / None).

        Tokenize ``distinct_texts`` once and index the result by ``codes``. Non-string cells
        (numbers) are distinct values too; they tokenize to ``[]``.

        Examples
        --------
        >>> from surveykit.text import TextAnalyzer
        >>> codes, distinct = TextAnalyzer.unique(["好", "差", "好", None])
        >>> codes.tolist(), distinct
        ([0, 1, 0, -1], ['好', '差'])
        """
        if isinstance(texts, (str, bytes)):
            raise TypeError(f"Pass a list or column of comments, not one string ({texts[:20]!r}). Wrap it: "
                            "tokenize([text]), or use TextAnalyzer.cut(text).")
        s = _as_series(_object_column(texts), "texts", "TextAnalyzer.tokenize")
        # pandas' own strings (text columns' default in pandas 3) are factorized as they are (~5x faster than
        # a copy to Python objects first); anything else as objects, so numbers stay distinct values
        codes, uniques = pd.factorize(s if isinstance(s.dtype, pd.StringDtype) else s.astype(object),
                                      use_na_sentinel=True)
        return np.asarray(codes, dtype=np.intp), list(uniques)

    def iter_tokens(self, texts: Iterable, *, drop_stop_words: bool = True,
                    progress: bool | None = None) -> Iterator[list[str]]:
        """Lazily, the token list of each text in turn (``[]`` for NaN / non-string / empty).

        Nothing is kept: pair it with `unique` to tokenize each distinct comment once and count on
        the fly, so a million comments never hold every token list in memory::

            codes, distinct = ta.unique(texts)
            for i, tokens in enumerate(ta.iter_tokens(distinct)):
                ...  # count tokens for distinct comment i (it occurs (codes == i).sum() times)

        Parameters
        ----------
        texts : iterable
            Comments; not deduplicated here.
        drop_stop_words : bool
            Drop stop words and tokens without a letter or digit (default).
        progress : bool, optional
            Show a progress bar (tqdm); by default when there are 100,000 texts or more.
        """
        n = len(texts) if hasattr(texts, "__len__") else None
        show = (n or 0) >= _PROGRESS_TEXTS if progress is None else bool(progress)
        drop = bool(drop_stop_words)
        bar = None
        if show:
            from tqdm.auto import tqdm

            bar = tqdm(total=n, desc="tokenizing", unit="comment", leave=False)
        try:
            it = iter(texts)
            while batch := list(islice(it, _BATCH)):
                yield from self._token_lists(batch, drop)
                if bar is not None:
                    bar.update(len(batch))
        finally:
            if bar is not None:
                bar.close()

    def iter_unique_tokens(self, texts, *, drop_stop_words: bool = True,
                           progress: bool | None = None) -> tuple[np.ndarray, Iterator[list[str]]]:
        """``(codes, token lists of the distinct texts, lazily)``: `unique` then `iter_tokens`.

        Examples
        --------
        >>> from surveykit.text import TextAnalyzer
        >>> codes, tokens = TextAnalyzer(backend="jieba").iter_unique_tokens(["物流很快", "物流很快", None])
        >>> codes.tolist(), list(tokens)
        ([0, 0, -1], [['物流', '很快']])
        """
        codes, distinct = self.unique(texts)
        return codes, self.iter_tokens(distinct, drop_stop_words=drop_stop_words, progress=progress)

    def tokenize(self, texts, *, drop_stop_words: bool = True, progress: bool | None = None) -> list[list[str]]:
        """One token list per text: ``[]`` for NaN, None, numbers, empty and white-space-only cells.

        Each distinct text is normalized and tokenized once; texts that repeat share one list
        (do not modify the lists in place).

        Parameters
        ----------
        texts : sequence, numpy array or pandas Series
            The comments (any cells: missing and non-string ones give ``[]``).
        drop_stop_words : bool
            Drop stop words and tokens without a letter or digit (default). False keeps every
            token but white space, as `cut` does.
        progress : bool, optional
            Show a progress bar; by default from 100,000 distinct comments.

        Returns
        -------
        list of list of str

        Raises
        ------
        TypeError
            If ``texts`` is one string rather than a list of them.

        Examples
        --------
        >>> from surveykit.text import TextAnalyzer
        >>> ta = TextAnalyzer(user_words=["性价比"])
        >>> ta.tokenize(["性价比很高", "", float("nan"), "性价比很高"])
        [['性价比', '高'], [], [], ['性价比', '高']]
        """
        codes, distinct = self.unique(texts)
        toks = list(self.iter_tokens(distinct, drop_stop_words=drop_stop_words, progress=progress))
        return [toks[c] if c >= 0 else [] for c in codes]

    def jieba_tokenizer(self):
        """A ``jieba.Tokenizer`` with this analyzer's user words (for ``jieba.analyse``), built on first use.

        With the jieba backend it is the analyzer's own tokenizer; with rjieba a private one is built
        (about a second) and kept. Set it as ``jieba.analyse.TFIDF().tokenizer`` so keyword
        extraction sees the same dictionary. It tokenizes raw text: pass ``normalize(text)``.
        """
        if self._jieba is None:
            tok = _new_jieba()
            for word, freq in self._entries:
                _add_word(tok, word, freq)
            self._jieba = tok
        return self._jieba


def _hmm_cuts(joined: str) -> list[int]:
    """Where tokens joined by newlines hold one jieba's HMM would cut: ASCII block characters only, with
    two runs of letters or digits and a symbol ('2008-6-1', 'usb-c', not '3.5' nor '......').

    Such a token has a letter or digit followed by a symbol (with no such pair, its symbols all
    come before its one run of letters and digits): that pair is searched for, then its token
    (line) checked. One pair pattern scans ~5x faster than an alternation or a whole-line pattern.
    """
    hits, end = [], -1
    for m in _ALNUM_SYMBOL.finditer(joined):
        at = m.start()
        if at < end:  # in the token just checked
            continue
        start = joined.rfind("\n", 0, at) + 1
        end = joined.find("\n", at)
        if end < 0:
            end = len(joined)
        token = joined[start:end]
        if _ASCII_RUN.fullmatch(token) and len(_JIEBA_HMM_SKIP.split(token)) > 3:
            hits.append(start)
    return hits


def _object_column(texts):
    """A list, tuple or object array of cells as a Series of Python objects, as they are.

    pandas 3 would convert strings to its own string type on the way in (a second of work for a
    million comments), only for them to be converted back.
    """
    if isinstance(texts, (list, tuple)) or (isinstance(texts, np.ndarray) and texts.dtype == object):
        arr = np.asarray(texts, dtype=object)
        if arr.ndim == 1:
            return pd.Series(arr, dtype=object, copy=False)
    return texts


class _Memo(dict):
    """raw token -> token to emit ('' to drop), filled on first sight: one dict look-up per token."""

    def __init__(self, make, drop: bool):
        super().__init__()
        self._make, self._drop = make, drop

    def __missing__(self, raw: str) -> str:
        value = self[raw] = self._make(raw, self._drop)
        return value


def _rebuild(config: dict) -> TextAnalyzer:
    return TextAnalyzer(**config)
