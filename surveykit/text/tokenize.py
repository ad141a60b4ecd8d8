"""TextAnalyzer: one study's Chinese tokenizer, with its own dictionary, stop words and synonyms.

jieba's semantics are the reference: its dictionary, its ``add_word`` frequencies for user
words and its HMM for unknown words. Two backends give those tokens (``text/_backends.py``):

* ``"jieba"``: a private ``jieba.Tokenizer`` (never jieba's module-level one, whose user
  dictionary would leak from one study into the next);
* ``"rjieba"``: a private ``rjieba.Jieba`` (jieba-rs, the Rust port with the same dictionary
  and algorithm), about 20 times faster, given jieba's frequencies and dictionary total so
  that it cuts as jieba does. tests/test_text_tokenize.py proves the two backends give
  identical tokens on a generated corpus of tens of thousands of varied comments.

``backend="auto"`` takes rjieba when it is installed, else jieba. Each distinct comment is
normalized and tokenized once (``pd.factorize``); repeated comments share one token list.
rjieba cuts comments in batches, hundreds joined by newlines in one call (both tokenizers cut
text into blocks at white space and cut each block on its own), a third cheaper than a call
per comment; the tests check the tokens equal those of one comment at a time.
"""

from __future__ import annotations

import re
import sys
import warnings
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from importlib import resources
from itertools import islice
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from .._checks import as_series, first_names, object_column, plural
from ..errors import DataError, SurveykitWarning, check_option
from ._backends import MEMO_SIZE, SEP, jieba_with, new_backend, resolve_backend
from .normalize import normalize_text

__all__ = ["BACKENDS", "TextAnalyzer", "UserWordWarning", "default_stop_words", "read_user_dict"]

BACKENDS = ("auto", "rjieba", "jieba")

_WORD_CHAR = re.compile(r"[^\W_]")  # a letter or digit of any script
_USERDICT_LINE = re.compile(r"^(.+?)( [0-9]+)?( [a-z]+)?$")  # jieba's re_userdict
_PROGRESS_TEXTS = 100_000  # show a progress bar by default from this many distinct comments
_BATCH = 500  # comments cut per call in tokenize (one rjieba call per batch saves a third of the cutting)


class UserWordWarning(SurveykitWarning):
    """A user word or synonym can never be a token: it holds no letter or digit ('...', '!!')."""


# -- phrases (issue 16): user words the tokenizer would cut apart, matched on the normalized text --

#: Characters a phrase may be written with or without: "check in", "check-in" and "checkin" are one phrase
_SEPARATORS = " -_·"
_SEPARATOR_RUN = re.compile(f"[{re.escape(_SEPARATORS)}]+")
_PLAIN_WORD = re.compile(r"[\u4e00-\u9fd5]+|[a-z0-9+#&.%]+")  # jieba keeps a user word of these whole
_ASCII_ALNUM = re.compile(r"[a-z0-9]")
_PLACEHOLDER = 0xF0000  # Supplementary Private Use Area-A: characters no comment holds, each cut alone


def _is_phrase(word: str) -> bool:
    """Whether a normalized user word is a phrase: it holds a space, a hyphen or other punctuation, or
    mixes Latin letters or digits with Chinese (``check in``, ``wi-fi``, ``5g套餐``, ``双11``)."""
    return _PLAIN_WORD.fullmatch(word) is None and _WORD_CHAR.search(word) is not None


def _compact(text: str) -> str:
    return _SEPARATOR_RUN.sub("", text.replace("。", ""))


class _Phrases:
    """Finds the phrases in normalized text and puts one placeholder character in the place of each.

    A phrase matches wherever its characters occur in order, with or without a separator (space,
    hyphen, underscore, middle dot) where it has one ("wi-fi" matches "wifi", "wi fi" and "wi-fi";
    "check in" matches "checkin"); its Latin ends must not continue a Latin word ("check in" does
    not match in "checking"). Both tokenizers cut a placeholder (a private-use character) as a
    token of its own, and the analyzer emits the phrase for it, so the phrase is one token
    whatever jieba would have done with its parts. Longer phrases win over shorter ones.
    """

    def __init__(self, phrases: list[str]):
        self.by_key: dict[str, str] = {}  # compact form -> placeholder
        self.phrase_of: dict[str, str] = {}  # placeholder -> phrase, as written (normalized)
        for word in sorted(phrases, key=lambda w: (-len(_compact(w)), w)):
            key = _compact(word)
            if key and key not in self.by_key:
                mark = chr(_PLACEHOLDER + len(self.by_key))
                self.by_key[key], self.phrase_of[mark] = mark, word
        self.pattern = re.compile("|".join(self._pattern(w) for w in self.phrase_of.values()))

    @staticmethod
    def _pattern(word: str) -> str:
        """The expression of one phrase: its first character first (so that the expression of all of them
        starts with a set of characters the regular-expression engine scans for), then the rest."""
        parts, out = [p for p in _SEPARATOR_RUN.split(word) if p], []
        for i, part in enumerate(parts):
            if i:  # 。: a space next to a non-ASCII character, as comment_tokens marks it (ＣＨＥＣＫ ＩＮ, 无线 网络)
                out.append("(?:[ \\-_\u00b7]|。)?")
            out.append(re.escape(part))
        body, start, end = "".join(out), parts[0][0], parts[-1][-1]
        if _ASCII_ALNUM.match(start):  # re.escape works character by character: body begins with the first one
            body = re.escape(start) + "(?<![a-z0-9].)" + body[len(re.escape(start)):]
        return body + ("(?![a-z0-9])" if _ASCII_ALNUM.match(end) else "")

    def _mark(self, m: re.Match) -> str:
        return self.by_key[_compact(m.group())]

    def mark(self, text: str) -> str:
        """``text`` with each phrase replaced by its placeholder."""
        return self.pattern.sub(self._mark, text)

    def mark_many(self, texts: list[str]) -> list[str]:
        """``[self.mark(t) for t in texts]``, searching them all at once (most hold no phrase)."""
        joined = SEP.join(texts)
        if self.pattern.search(joined) is None:
            return texts
        out = self.pattern.sub(self._mark, joined).split(SEP)
        return out if len(out) == len(texts) else [self.mark(t) for t in texts]


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
        Words and phrases that must stay whole: product names, 性价比, 客服态度, ``check in``. Each
        word is added as jieba's ``add_word(word)`` would add it (a frequency just high enough to
        be cut out); each phrase is matched before the cut (see Notes).
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

    A user word that jieba would cut apart (a space, a hyphen or other punctuation, Latin or digits
    mixed with Chinese: ``check in``, ``Wi-Fi``, ``5G套餐``) is a phrase: it is found in the normalized
    text before the cut, written with or without its separators, and comes out as one token,
    as written in the dictionary ("wifi信号差" gives ``wi-fi``); a phrase never matches inside a
    longer Latin word or number ("checking", "15g套餐").

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
        useless = [w for w in entries if not _WORD_CHAR.search(w)]
        if useless:
            warnings.warn(f"TextAnalyzer: {plural(len(useless), 'user word')} ({first_names(useless)}) hold no "
                          "letter or digit; such tokens are dropped as punctuation, so they never match anything.",
                          UserWordWarning, stacklevel=2)
        # phrases (check in, wi-fi, 5g套餐) are found in the normalized text before it is cut (see _Phrases), and
        # kept out of the tokenizer's dictionary (where jieba would find 5g套餐 in 15g套餐)
        phrases = [w for w, f in self._entries if f != 0 and _is_phrase(w)]
        self._phrases = _Phrases(phrases) if phrases else None
        self._phrase_of = self._phrases.phrase_of if phrases else {}
        self._all_entries = self._entries  # phrases too: the dictionary of jieba_tokenizer (keyword extraction)
        self._entries = tuple((w, f) for w, f in self._entries if f == 0 or not _is_phrase(w))
        self._n_phrases = len(phrases)
        self.backend = resolve_backend(backend, [w for w, f in self._entries if f == 0])
        self._memo = {drop: _Memo(self._token, drop) for drop in (False, True)}
        self._backend = new_backend(self.backend, self._entries, self.hmm)
        # one normalized text; several, each text's tokens followed by SEP
        self._cut_normalized, self._cut_many = self._backend.cut, self._backend.cut_many
        if self._phrases is not None:
            cut, cut_many, mark, mark_many = self._cut_normalized, self._cut_many, self._phrases.mark, \
                self._phrases.mark_many
            self._cut_normalized = lambda text: cut(mark(text))
            self._cut_many = lambda texts: cut_many(mark_many(texts))
        self._jieba = getattr(self._backend, "tokenizer", None)  # built on first use with rjieba
        self._keyword_jieba = None  # with phrases: jieba_tokenizer's own, which knows them

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

    def __reduce__(self):
        return (_rebuild, (self._config,))

    def __repr__(self) -> str:
        return (f"<TextAnalyzer backend={self.backend!r} user_words={len(self._entries) + self._n_phrases} "
                f"stop_words={len(self.stop_words)} synonyms={len(self.synonyms)} hmm={self.hmm}>")

    # -----------------------------------------------------------------------------------------
    # one text

    def normalize(self, text: str) -> str:
        """The text as it is tokenized (`normalize_text` with this analyzer's ``simplify``)."""
        return normalize_text(text, simplify=self.simplify)

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
        raw = self._phrase_of.get(raw, raw)  # a phrase's placeholder: the phrase
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
        if len(memo) > MEMO_SIZE:  # a vocabulary this large is HMM debris: start again
            memo.clear()
        return [c for c in map(memo.__getitem__, self._cut_normalized(norm)) if c]

    def _token_lists(self, texts: list, drop: bool) -> list[list[str]]:
        """``[self._tokens(t, drop) for t in texts]``, the texts cut in one batch."""
        norms = [self.normalize(t) if isinstance(t, str) else "" for t in texts]
        flat = self._cut_many([t for t in norms if t])
        memo = self._memo[drop]
        if len(memo) > MEMO_SIZE:
            memo.clear()
        get, index = memo.__getitem__, flat.index
        out, start = [], 0
        for norm in norms:
            if not norm:
                out.append([])
                continue
            end = index(SEP, start)
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
        s = as_series(object_column(texts), "texts", "TextAnalyzer.tokenize")
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

        With the jieba backend and no phrases it is the analyzer's own tokenizer; else a private one
        is built (about a second), with the phrases as user words, and kept. Set it as
        ``jieba.analyse.TFIDF().tokenizer`` so keyword extraction sees the same dictionary. It
        tokenizes raw text: pass ``normalize(text)``.
        """
        if self._n_phrases:
            if self._keyword_jieba is None:
                self._keyword_jieba = jieba_with(self._all_entries)
            return self._keyword_jieba
        if self._jieba is None:
            self._jieba = jieba_with(self._entries)
        return self._jieba


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
