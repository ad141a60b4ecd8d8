"""Theme counts of open comments: who mentions what, plainly or negated, overall and by segment.

Each distinct comment is coded once into one row of bit flags per theme (1 a plain mention,
2 a negated one) by the engine in ``text/_coding.py`` (chunks of thousands, worker processes
for large inputs); respondents are then counted with numpy through the codes that map them to
their distinct comment. The coding is a map over distinct comments and the counts are sums, so
the same computation runs over partitions of a table too large for memory.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np
import pandas as pd

from .._checks import as_series, as_vector, check_weights, object_column
from .._render import Summary
from .._result import Result
from ..errors import DataError, check_option
from ._coding import NON_ANSWER, NOT_TEXT, SUBSTANTIVE, code_distinct, processes
from .polarity import polarity_note, scorer
from .themes import ThemeDictionary, load_themes

__all__ = ["ThemeCounts", "theme_counts"]

_PROGRESS_MIN = 100_000  # distinct comments from which a progress bar shows by default
_QUOTE_CHARS = 60  # quotes are cut to this length in summaries (kept whole in .quotes)
_STATUS = ("missing", "non_answer", "matched", "unmatched")



# ---------------------------------------------------------------------------------------------
# the result


@dataclass(frozen=True)
class ThemeCounts(Result):
    """How many respondents mention each theme of a dictionary, plainly and negated.

    Attributes
    ----------
    table : DataFrame
        Indexed by theme id (sub-themes as ``parent.sub`` right after their parent): name
        (in the dictionary's language), parent, count (respondents mentioning the theme in any
        polarity), share (count / respondents with a substantive answer), plain_count,
        negated_count (a respondent with both kinds of mention counts in both, once in
        count), positive_count, negative_count, neutral_count (the polarity of what the
        respondent says about the theme, :mod:`surveykit.text.polarity`: each mentioner in
        exactly one, so they add up to count); with weights also weighted_count,
        weighted_share, weighted_plain_count, weighted_negated_count, weighted_positive_count,
        weighted_negative_count, weighted_neutral_count (sums of weights; the share is of the
        weighted substantive total).
    by_segment : DataFrame or None
        With ``by``: indexed by (segment, theme) with name, n_substantive, count, share,
        plain_count, negated_count, positive_count, negative_count, neutral_count (and the
        weighted columns). :meth:`segment_table` gives
        themes x segments of one column.
    cooccurrence : DataFrame
        Theme x theme respondent counts (any polarity); the diagonal is ``count``.
    quotes : DataFrame
        Example comments: theme, polarity (``"plain"``: mentioned and not negated;
        ``"negated"``), rank, respondent (the first who wrote it), count (respondents who
        wrote exactly this), text (whole). Chosen deterministically, whatever the order of
        the rows: comments that mention fewer themes first, then those up to 200 characters,
        then the most frequent, then in the order of their text.
    unmatched_words : Series
        For substantive comments that match no theme: each word (stop words, negators,
        punctuation, numbers and emoji dropped) and how many respondents used it, most
        frequent first. Candidates for new keywords.
    unmatched_share : float
        Share of substantive answers that match no theme.
    accounting : Series
        read, missing, non_answer, substantive, matched, unmatched (respondents), with
        read = missing + non_answer + substantive and substantive = matched + unmatched.
    n_obs, n_dropped : int
        Substantive answers; missing answers and non-answers.
    n_not_text : int
        Cells that are not text (numbers, booleans), counted as missing.
    n_no_segment : int
        Respondents with a missing segment (in no row of ``by_segment``).
    """

    table: pd.DataFrame
    by_segment: pd.DataFrame | None
    cooccurrence: pd.DataFrame
    quotes: pd.DataFrame
    unmatched_words: pd.Series
    unmatched_share: float
    accounting: pd.Series
    n_obs: int
    n_dropped: int
    n_not_text: int
    n_no_segment: int
    themes: ThemeDictionary = field(repr=False)
    name: str | None = None
    segment: str | None = None
    weighted: bool = False
    nan_policy: str = "non_answers_excluded"
    _index: pd.Index = field(default=None, repr=False, compare=False)
    _codes: np.ndarray = field(default=None, repr=False, compare=False)
    _flags: np.ndarray = field(default=None, repr=False, compare=False)
    _polarity: np.ndarray = field(default=None, repr=False, compare=False)
    _distinct: list = field(default=None, repr=False, compare=False)
    _distinct_status: np.ndarray = field(default=None, repr=False, compare=False)
    _segment_codes: np.ndarray | None = field(default=None, repr=False, compare=False)
    _segment_levels: list | None = field(default=None, repr=False, compare=False)
    _weights: np.ndarray | None = field(default=None, repr=False, compare=False)

    # -- tables ---------------------------------------------------------------------------

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def by(self, by) -> ThemeCounts:
        """The same counts by segment, without coding the comments again.

        ``theme_counts(texts, themes).by(region)`` equals ``theme_counts(texts, themes,
        by=region)`` with the same weights, at the cost of the counting alone: one coding of a
        million comments serves every segment variable.

        Parameters
        ----------
        by : array-like
            One segment label per respondent, aligned by position with the texts (a Series on
            the texts' index).

        Returns
        -------
        ThemeCounts
            With :attr:`by_segment`, :attr:`n_no_segment` and :attr:`segment` for ``by``.

        Examples
        --------
        >>> from surveykit.text.counts import theme_counts
        >>> r = theme_counts(["价格太贵了", "物流很快", "价格便宜"], "customer_value")
        >>> r.by(["north", "south", "south"]).segment_table("count").loc["price"].to_dict()
        {'north': 1, 'south': 1}
        """
        function = "ThemeCounts.by"
        seg, levels = _segments(by, len(self._codes), self._index, function)
        by_segment, n_no_segment = _by_segment(seg, levels, self._codes, self._flags, self._polarity,
                                               self._distinct_status == SUBSTANTIVE, self._weights, self.themes)
        return replace(
            self, by_segment=by_segment, n_no_segment=n_no_segment, _segment_codes=seg, _segment_levels=levels,
            segment=str(by.name) if getattr(by, "name", None) is not None else None)

    def segment_table(self, stat: str = "share") -> pd.DataFrame:
        """Themes x segments of one column of :attr:`by_segment` (``"share"``, ``"count"`` ...), in dictionary order."""
        if self.by_segment is None:
            raise ValueError("segment_table needs segments: call theme_counts(..., by=segment_labels).")
        cols = [c for c in self.by_segment.columns if c != "name"]
        check_option("stat", stat, cols, function="ThemeCounts.segment_table")
        wide = self.by_segment[stat].unstack("segment")
        return wide.reindex(index=list(self.themes.ids), columns=self._segment_levels)

    @property
    def mentions(self) -> pd.DataFrame:
        """Respondent x theme booleans, columns (polarity, theme) with polarity any, plain, negated,
        positive, negative, neutral.

        Indexed like the texts; respondents without a substantive answer are False
        throughout (see :attr:`status`). ``mentions["any"]`` is the frame to join to ratings;
        each mentioner is in exactly one of positive, negative and neutral.
        """
        valid = self._codes >= 0
        f = np.zeros((len(self._codes), self._flags.shape[1]), dtype=np.uint8)
        f[valid] = self._flags[self._codes[valid]]
        p = np.zeros(f.shape, dtype=np.int8)
        p[valid] = self._polarity[self._codes[valid]]
        ids = list(self.themes.ids)
        parts = {"any": f > 0, "plain": (f & 1) > 0, "negated": (f & 2) > 0,
                 "positive": p > 0, "negative": p < 0, "neutral": (f > 0) & (p == 0)}
        cols = pd.MultiIndex.from_product([list(parts), ids], names=["polarity", "theme"])
        return pd.DataFrame(np.concatenate(list(parts.values()), axis=1), index=self._index, columns=cols)

    @property
    def status(self) -> pd.Series:
        """Per respondent: missing (a cell that is not text included), non_answer, matched or unmatched (categorical)."""
        valid = self._codes >= 0
        out = np.zeros(len(self._codes), dtype=np.int8)  # missing
        st = self._distinct_status[self._codes[valid]]
        matched = self._flags[self._codes[valid]].any(axis=1)
        out[valid] = np.select([st == NOT_TEXT, st == NON_ANSWER, matched], [0, 1, 2], 3)
        return pd.Series(pd.Categorical.from_codes(out, categories=list(_STATUS)), index=self._index, name="status")

    # -- keywords -------------------------------------------------------------------------

    def keywords(self, *, by=None, method: str = "tfidf", top: int = 10) -> pd.DataFrame:
        """Keywords of the substantive comments, overall or per segment, by TF-IDF or TextRank.

        Parameters
        ----------
        by : array-like, optional
            One segment label per respondent, aligned by position with the texts. None: the
            segments given to :func:`theme_counts` (all comments together when none were).
        method : {'tfidf', 'textrank'}
            ``jieba.analyse.TFIDF`` (jieba's IDF table) or ``jieba.analyse.TextRank`` (nouns
            and verbs, as jieba's default).
        top : int
            Keywords per segment.

        Returns
        -------
        DataFrame
            Indexed by (segment, rank) with word and weight.

        Notes
        -----
        The extractor is built once per theme dictionary and method, and reused by every later
        call; its tokenizer is the theme dictionary's jieba tokenizer (its user words included),
        never jieba's global one, and jieba's IDF table is read once per process; stop words are
        jieba's, the analyzer's and the dictionary's, plus the negators. The document of a
        segment is its distinct substantive comments, each once (a comment written by many
        respondents does not dominate, and a million comments with repeats cost as much as
        their distinct ones).
        """
        function = "ThemeCounts.keywords"
        check_option("method", method, ("tfidf", "textrank"), function=function)
        if not isinstance(top, (int, np.integer)) or isinstance(top, bool) or top < 1:
            raise ValueError(f"The 'top' parameter of {function} must be a whole number of at least 1. "
                             f"Got {top!r} instead.")
        n = len(self._codes)
        if by is None:
            seg, levels = (self._segment_codes, self._segment_levels) if self._segment_codes is not None \
                else (np.zeros(n, dtype=np.intp), ["(all)"])
        else:
            seg, levels = _segments(by, n, self._index, function)
        extractor = _extractor(self.themes, method)
        normalize = getattr(self.themes.analyzer, "normalize", None)
        rows = []
        subst = self._codes >= 0
        subst[subst] = self._distinct_status[self._codes[subst]] == SUBSTANTIVE
        for g, level in enumerate(levels):
            codes = np.unique(self._codes[subst & (seg == g)])
            if not len(codes):
                continue
            texts = [self._distinct[c] for c in codes]
            doc = "\n".join(normalize(t) if normalize else t for t in texts)
            if method == "tfidf":
                tags = extractor.extract_tags(doc, topK=top, withWeight=True)
            else:
                tags = extractor.textrank(doc, topK=top, withWeight=True)
            rows += [(level, r + 1, w, float(s)) for r, (w, s) in enumerate(tags)]
        out = pd.DataFrame(rows, columns=["segment", "rank", "word", "weight"])
        return out.set_index(["segment", "rank"])

    # -- rendering ------------------------------------------------------------------------

    def polarity_method(self, language: str = "en") -> str:
        """How the mentions' polarity was decided, and its measured accuracy, in ``language``."""
        return polarity_note(language)

    def summary(self) -> Summary:
        a = self.accounting
        lines = [(f"{a['read']} comments read: {a['missing']} missing"
                  + (f" ({self.n_not_text} cells not text)" if self.n_not_text else "")
                  + f", {a['non_answer']} non-answers"
                  + f", {a['substantive']} substantive ({a['matched']} matched a theme, {a['unmatched']} none)"),
                 (f"Shares are of the {a['substantive']} substantive answers"
                  + ("; weighted columns use the weights" if self.weighted else "")
                  + f". Unmatched: {self.unmatched_share:.1%}"
                  + (f", most frequent words {', '.join(self.unmatched_words.index[:8])}"
                     if len(self.unmatched_words) else "")),
                 (f"Negated: a negator within {self.themes.negation_window} tokens before or after the keyword in "
                  f"the same clause (dictionary {self.themes.name!r})"),
                 polarity_note("en")]
        if self.segment is not None and self.n_no_segment:
            lines.append(f"{self.n_no_segment} respondents with a missing {self.segment!r} are in no segment")
        cols = [c for c in self.table.columns if c != "parent"]
        tables = [("Themes", self.table[cols])]
        if self.by_segment is not None:
            tables.append((f"Share by {self.segment or 'segment'}", self.segment_table("share")))
        q = self.quotes.copy()
        q["text"] = q["text"].map(lambda s: s if len(s) <= _QUOTE_CHARS else s[:_QUOTE_CHARS] + "…")
        tables.append(("Quotes", q.set_index(["theme", "polarity", "rank"])[["text", "count"]]))
        tables.append(("Words in unmatched comments", self.unmatched_words.head(15).to_frame()))
        return Summary(title="Theme counts" + (f": {self.name}" if self.name else ""), lines=lines, tables=tables)

    def __repr__(self) -> str:
        top = self.table["count"].idxmax() if len(self.table) and self.table["count"].max() > 0 else None
        return self._one_line(f"themes={len(self.table)} n_read={int(self.accounting['read'])} n_obs={self.n_obs} "
                              f"unmatched_share={self.unmatched_share:.3f} top={top!r}")


# ---------------------------------------------------------------------------------------------
# helpers


def _segments(by, n: int, index: pd.Index, function: str) -> tuple[np.ndarray, list]:
    if isinstance(by, pd.Categorical) and len(by) == n:  # its levels, in their order, as a categorical column's
        by = pd.Series(by, index=index)
    if isinstance(by, pd.Series) and not by.index.equals(index) and len(by) == n:
        raise ValueError(f"The 'by' parameter of {function} is a Series whose index differs from the texts'. Align "
                         "it first (by.reindex(texts.index)) or pass by.to_numpy() to align by position.")
    raw = by if isinstance(by, pd.Series) and isinstance(by.dtype, pd.CategoricalDtype) else \
        as_vector(by, "by", n, function, what="one segment label per respondent")
    s = pd.Series(raw)
    if isinstance(s.dtype, pd.CategoricalDtype):
        return s.cat.codes.to_numpy().astype(np.intp), list(s.cat.categories)
    present = s.dropna().unique()
    try:
        levels = sorted(present)
    except TypeError:  # mixed types: order of first appearance
        levels = list(present)
    codes = pd.Categorical(s, categories=levels).codes.astype(np.intp)
    return codes, levels


def _jieba_tokenizer(analyzer):
    """The jieba.Tokenizer behind a TextAnalyzer (its user dictionary), never jieba's global one."""
    get = getattr(analyzer, "jieba_tokenizer", None)
    tok = get() if callable(get) else get
    if tok is not None and hasattr(tok, "cut") and hasattr(tok, "get_dict_file"):
        return tok
    raise TypeError("The text analyzer does not expose its jieba tokenizer (attribute 'jieba_tokenizer'); "
                    "keyword extraction needs it.")


@lru_cache(maxsize=1)
def _tfidf_template():
    """A ``jieba.analyse.TFIDF`` with jieba's IDF table, read once per process (copied, never changed)."""
    import jieba.analyse

    return jieba.analyse.TFIDF()


def _extractor(themes: ThemeDictionary, method: str):
    """An own jieba.analyse TFIDF / TextRank instance on the dictionary's tokenizer, built once per dictionary."""
    key = ("extractor", method)
    if key not in themes._cache:
        themes._cache[key] = _new_extractor(themes, method)
    return themes._cache[key]


def _new_extractor(themes: ThemeDictionary, method: str):
    import copy

    import jieba.analyse
    import jieba.posseg

    analyzer = themes.analyzer
    tok = _jieba_tokenizer(analyzer)
    if method == "tfidf":
        ex = copy.copy(_tfidf_template())  # shares the IDF table (read only); tokenizer and stop words its own
        ex.tokenizer = tok
        ex.postokenizer = None  # extract_tags is called without allowPOS: no part-of-speech tagging
    else:
        pos = jieba.posseg.POSTokenizer(tok)
        tagged = dict(getattr(tok, "user_word_tag_tab", {}) or {})
        normalize = getattr(analyzer, "normalize", str.lower)
        for w in [w for t in themes.themes for w in t.words] + list(themes.user_words):
            # a user word without a tag would get 'x' and fall to TextRank's noun / verb filter
            pos.word_tag_tab.setdefault(normalize(w), tagged.get(normalize(w), "n"))
        ex = jieba.analyse.TextRank()
        ex.tokenizer = ex.postokenizer = pos
    ex.stop_words = (set(ex.STOP_WORDS) | set(getattr(analyzer, "stop_words", ()) or ()) | set(themes.stop_words)
                     | set(themes.negators) | set(themes.negated_forms))
    return ex


def _pick_quotes(flags, status, length, mult, first, index, distinct, themes: ThemeDictionary,
                 k: int) -> pd.DataFrame:
    cols = ["theme", "polarity", "rank", "respondent", "count", "text"]
    if k == 0:
        return pd.DataFrame(columns=cols)
    top_level = np.array([t.parent is None for t in themes.themes])
    breadth = (flags[:, top_level] > 0).sum(axis=1)
    long = length > 200
    ok = (status == SUBSTANTIVE) & (mult > 0)
    cand = np.flatnonzero(ok)
    # one number per comment that sorts as (breadth, long, -mult); the text breaks ties, so only the comments
    # tied with the k-th of a theme are sorted by their text (sorting every text would cost more than the rest)
    key = (breadth[cand] * 2 + long[cand]) * (int(mult.max(initial=0)) + 1) - mult[cand]
    order = cand[np.argsort(key, kind="stable")]
    key = np.sort(key, kind="stable")
    of = flags[order]
    rows = []
    for i, t in enumerate(themes.themes):
        for polarity, mask in (("plain", of[:, i] == 1), ("negated", (of[:, i] & 2) > 0)):
            pick, keys = order[mask], key[mask]
            lo = hi = len(pick)
            if len(pick) > k:  # the k-th and those tied with it: the first of them by their text
                lo, hi = np.searchsorted(keys, keys[k - 1], side="left"), np.searchsorted(keys, keys[k - 1], "right")
            head = sorted(zip(keys[:lo].tolist(), pick[:lo].tolist()), key=lambda kj: (kj[0], distinct[kj[1]]))
            pick = [j for _, j in head] + heapq.nsmallest(k - len(head), pick[lo:hi].tolist(), key=distinct.__getitem__)
            rows += [(t.id, polarity, r + 1, index[first[j]], int(mult[j]), distinct[j]) for r, j in enumerate(pick)]
    return pd.DataFrame(rows, columns=cols)


def _count(mult: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """``mult @ mask`` (respondents per theme), exact, ~10x faster than numpy's integer matmul."""
    return np.einsum("i,ij->j", mult.astype(np.int64), mask.view(np.uint8))


def _cooccurrence(anyf: np.ndarray, mult: np.ndarray) -> np.ndarray:
    """Theme x theme respondent counts, ``anyf.T @ (anyf * mult)``, over the distinct rows of ``anyf``.

    Comments mention few combinations of themes: the products are taken once per combination
    (weighted by its respondents), exact, instead of once per comment (seconds for 200,000).
    """
    packed = np.packbits(anyf, axis=1)
    width = packed.shape[1]
    if width <= 8:  # up to 64 themes: one integer per comment (sorting integers is ~5x faster than bytes)
        packed = np.pad(packed, ((0, 0), (0, 8 - width)))
    keys = np.ascontiguousarray(packed).view(np.uint64 if width <= 8 else np.dtype((np.void, width))).ravel()
    combos, inverse = np.unique(keys, return_inverse=True)
    weight = np.bincount(inverse.ravel(), weights=mult, minlength=len(combos)).round().astype(np.int64)
    bits = np.unpackbits(np.frombuffer(combos.tobytes(), dtype=np.uint8).reshape(len(combos), -1), axis=1,
                         count=anyf.shape[1]).astype(np.int64)
    return np.einsum("ki,kj->ij", bits, bits * weight[:, None])  # numpy's integer matmul is ~7x slower


def _by_segment(seg: np.ndarray, levels: list, codes: np.ndarray, flags: np.ndarray, polarity: np.ndarray,
                is_sub: np.ndarray, w: np.ndarray | None, themes: ThemeDictionary) -> tuple[pd.DataFrame | None, int]:
    """:attr:`ThemeCounts.by_segment` and the respondents in no segment, from the coded distinct comments.

    Sums over (segment, distinct comment) pairs: each pair's respondents (and weights) times
    the comment's flags.
    """
    k = len(flags)
    valid = codes >= 0
    ok = valid & (seg >= 0)
    anyf, plainf, negf = (flags > 0), (flags & 1) > 0, (flags & 2) > 0
    posf, negpf = polarity > 0, polarity < 0
    names = [t.name(themes.language) for t in themes.themes]
    key = seg[ok].astype(np.int64) * k + codes[ok]
    pairs, inverse = np.unique(key, return_inverse=True)
    pm = np.bincount(inverse, minlength=len(pairs)).astype(float)
    pw = np.bincount(inverse, weights=w[ok], minlength=len(pairs)) if w is not None else None
    pg, pc = pairs // k, pairs % k
    frames = []
    for g in range(len(levels)):
        sel = (pg == g)
        c = pc[sel]
        m = pm[sel]
        base = m[is_sub[c]].sum()
        cols = _theme_table(m @ anyf[c], m @ plainf[c], m @ negf[c], base,
                            *((pw[sel] @ anyf[c], pw[sel] @ plainf[c], pw[sel] @ negf[c],
                               float(pw[sel][is_sub[c]].sum())) if pw is not None else ()))
        cols.update(_polarity_table(m @ anyf[c], m @ posf[c], m @ negpf[c],
                                    *((pw[sel] @ anyf[c], pw[sel] @ posf[c], pw[sel] @ negpf[c])
                                      if pw is not None else ())))
        frames.append(_ordered(pd.DataFrame({"name": names, "n_substantive": int(base), **cols},
                                            index=pd.MultiIndex.from_product([[levels[g]], list(themes.ids)],
                                                                             names=["segment", "theme"]))))
    return (pd.concat(frames) if frames else None), int((seg < 0).sum())


def _theme_table(count, plain, negated, base, wcount=None, wplain=None, wnegated=None,
                 wbase=None) -> dict:
    with np.errstate(divide="ignore", invalid="ignore"):
        out = {"count": count.astype(np.int64), "share": count / base if base else np.full(len(count), np.nan),
               "plain_count": plain.astype(np.int64), "negated_count": negated.astype(np.int64)}
        if wcount is not None:
            out.update({"weighted_count": wcount, "weighted_share": wcount / wbase if wbase else
                        np.full(len(count), np.nan), "weighted_plain_count": wplain, "weighted_negated_count": wnegated})
    return out


def _polarity_table(count, positive, negative, wcount=None, wpositive=None, wnegative=None) -> dict:
    """positive_count, negative_count, neutral_count (and the weighted ones) of the mentioners of each theme."""
    count, positive, negative = (np.asarray(a).round().astype(np.int64) for a in (count, positive, negative))
    out = {"positive_count": positive, "negative_count": negative, "neutral_count": count - positive - negative}
    if wcount is not None:
        out.update({"weighted_positive_count": wpositive, "weighted_negative_count": wnegative,
                    "weighted_neutral_count": np.maximum(wcount - wpositive - wnegative, 0.0)})
    return out


def _ordered(table: pd.DataFrame) -> pd.DataFrame:
    """Counts first, then the weighted columns (each group: count, share, plain, negated, positive ...)."""
    first = [c for c in table.columns if not c.startswith("weighted_")]
    return table[first + [c for c in table.columns if c.startswith("weighted_")]]


def _arguments(texts, themes, by, weights, quotes, progress, n_jobs, function: str):
    """The checked arguments of :func:`theme_counts`: (texts as a Series, dictionary, weights, segment codes, levels)."""
    series = as_series(object_column(texts), "texts", function)
    if isinstance(series.dtype, pd.CategoricalDtype):
        series = series.astype(object)
    n, index = len(series), series.index
    if n == 0:
        raise DataError(f"No comments to count in {function}: the texts are empty (0 rows).")
    if not isinstance(quotes, (int, np.integer)) or isinstance(quotes, bool) or quotes < 0:
        raise ValueError(f"The 'quotes' parameter of {function} must be a whole number, 0 or more. "
                         f"Got {quotes!r} instead.")
    check_option("progress", progress, (None, True, False), function=function)
    if n_jobs is not None and (not isinstance(n_jobs, (int, np.integer)) or isinstance(n_jobs, bool) or n_jobs < 1):
        raise ValueError(f"The 'n_jobs' parameter of {function} must be a whole number of processes, 1 or more, or "
                         f"None (automatic). Got {n_jobs!r} instead.")
    if not isinstance(themes, ThemeDictionary):
        if not isinstance(themes, (str, dict)) and not hasattr(themes, "__fspath__"):
            raise TypeError(f"The 'themes' parameter of {function} must be a ThemeDictionary, a bundled name or a "
                            f"path. Got {type(themes).__name__} instead.")
        themes = load_themes(themes)
    if isinstance(weights, pd.Series) and isinstance(texts, pd.Series) and not weights.index.equals(index) \
            and len(weights) == n:
        raise ValueError(f"The 'weights' parameter of {function} is a Series whose index differs from the texts'. "
                         "Align it first (weights.reindex(texts.index)) or pass weights.to_numpy().")
    w = None if weights is None else check_weights(weights, n, index, function)
    seg, levels = (None, None) if by is None else _segments(by, n, index, function)
    return series, themes, w, seg, levels


def _accounting(n: int, valid: np.ndarray, mult: np.ndarray, status: np.ndarray, matched: np.ndarray,
                function: str) -> dict:
    """Respondents read, missing, non-answer, substantive, matched and unmatched; they must add up."""
    is_sub = status == SUBSTANTIVE
    acc = {"read": n, "missing": int((~valid).sum() + mult[status == NOT_TEXT].sum()),
           "non_answer": int(mult[status == NON_ANSWER].sum()),
           "substantive": int(mult[is_sub].sum()), "matched": int(mult[is_sub & matched].sum()),
           "unmatched": int(mult[is_sub & ~matched].sum())}
    if acc["read"] != acc["missing"] + acc["non_answer"] + acc["substantive"] or \
            acc["substantive"] != acc["matched"] + acc["unmatched"]:
        raise RuntimeError(f"{function}: the comments do not add up ({acc}); please report this as a bug.")
    return acc


def _code(distinct: list, themes: ThemeDictionary, mult: np.ndarray, progress, n_jobs, function: str) -> tuple:
    """:func:`~surveykit.text._coding.code_distinct` of the distinct comments, with a progress bar when asked for."""
    k = len(distinct)
    scorer(themes)  # the sentiment lexicon read once here, before worker processes are forked
    bar = None
    if progress or (progress is None and k >= _PROGRESS_MIN):
        from tqdm.auto import tqdm

        bar = tqdm(total=k, unit="comment", desc=function)
    try:
        chars = sum(len(t) for t in distinct if isinstance(t, str))
        return code_distinct(distinct, themes, mult, bar, processes(n_jobs, k, chars))
    finally:
        if bar is not None:
            bar.close()


# ---------------------------------------------------------------------------------------------
# theme_counts


def theme_counts(texts, themes, *, by=None, weights=None, quotes: int = 3, progress: bool | None = None,
                 n_jobs: int | None = None) -> ThemeCounts:
    """Count the respondents who mention each theme of a dictionary in their open comment.

    Parameters
    ----------
    texts : Series or sequence
        One comment per respondent; a Series' index names the respondents (quotes and
        :attr:`ThemeCounts.mentions` use it). NaN, None and cells that are not text (numbers)
        are missing; text that is empty, punctuation, emoji or digits only, or says nothing
        (无, 没有, 暂无, nothing, n/a) is a non-answer
        (:func:`surveykit.text.normalize.is_non_answer`); the rest is substantive.
    themes : ThemeDictionary, path or name
        A theme dictionary, or anything :func:`~surveykit.text.themes.load_themes` reads
        (``"customer_service"``, ``"customer_value"``, a YAML path).
    by : array-like, optional
        One segment label per respondent, aligned by position with ``texts``; adds
        :attr:`ThemeCounts.by_segment`. Respondents with a missing segment are in no segment.
    weights : array-like, optional
        Respondent weights, positive and finite; adds the weighted columns.
    quotes : int, default 3
        Example comments per theme and polarity.
    progress : bool, optional
        Show a progress bar (tqdm) while coding; by default from 100,000 distinct comments.
    n_jobs : int, optional
        Processes that code the distinct comments. None (default): two (or the number of CPUs
        if smaller) from 20,000 distinct comments or 500,000 characters of them (35,000 reviews
        of 50-150 characters, half distinct) on Linux, where worker processes are forked
        and start in a tenth of a second; one process below that and elsewhere (a process that
        is spawned instead builds its own tokenizer, seconds). The result is the same whatever
        the number.

    Returns
    -------
    ThemeCounts

    Raises
    ------
    DataError
        No texts at all; weights missing, zero, negative or not numeric.
    ValueError, TypeError
        Lengths that differ, a ``by`` Series on another index, a bad ``quotes``, a
        ``themes`` that is no dictionary.

    Notes
    -----
    A respondent mentions a theme when a token of the comment matches one of its keywords or
    synonyms (see :meth:`ThemeDictionary.explain` for the matching and negation rules); a
    sub-theme's mention also counts for its parent. Counts are of respondents, not of
    mentions. There is no R or SPSS equivalent of the coding; it replaces coding by hand in
    Excel, and Qualtrics Text iQ's topic counts.

    Each mentioner's polarity on a theme (positive, negative or neutral) comes from the
    sentiment words of the clauses that mention it, degree words and negators applied
    (:mod:`surveykit.text.polarity`: HowNet, DUTIR and BosonNLP lexicons from installed
    packages; accuracy on a labelled public corpus in
    :data:`~surveykit.text.polarity.ACCURACY`). It is computed on the same tokens as the
    themes, in the same pass (about a tenth more time).

    Each distinct comment is coded once, in chunks of thousands, by the dictionary's analyzer
    (rjieba when installed: the tokens of jieba, proven on a generated corpus); the counts equal
    those of ``backend='jieba'``. The tokenizer is built once per process for the dictionary's
    words and reused by every later call (its constants are kept on disk, in
    ``$SURVEYKIT_CACHE_DIR`` or ``~/.cache/surveykit``; an empty ``SURVEYKIT_CACHE_DIR`` keeps
    nothing), and the codes of the last comments counted with a dictionary are remembered (the
    same column counted again costs a comparison). benchmarks/bench_text.py (a million
    comments) and benchmarks/bench_text_study.py (35,000 reviews, the first call of a session
    and warm) time it against a plain ``[jieba.lcut(t) for t in texts]`` loop.

    Examples
    --------
    >>> from surveykit.text.counts import theme_counts
    >>> r = theme_counts(["价格太贵了", "物流很快，包装完好", "无", None, "质量不太好", "客服态度不好"],
    ...                  "customer_value")
    >>> r.to_frame()["count"].to_dict()
    {'price': 1, 'quality': 1, 'service': 1, 'logistics': 1, 'packaging': 1}
    >>> r.to_frame()["negated_count"].to_dict()
    {'price': 0, 'quality': 1, 'service': 1, 'logistics': 0, 'packaging': 0}
    >>> r.to_frame()["negative_count"].to_dict()  # 太贵, 不太好, 不好: negative; 很快, 完好: positive
    {'price': 1, 'quality': 1, 'service': 1, 'logistics': 0, 'packaging': 0}
    >>> r.accounting.to_dict()
    {'read': 6, 'missing': 1, 'non_answer': 1, 'substantive': 4, 'matched': 4, 'unmatched': 0}
    """
    function = "theme_counts"
    series, themes, w, seg, levels = _arguments(texts, themes, by, weights, quotes, progress, n_jobs, function)
    n, index = len(series), series.index

    # -- distinct comments: status, then coding ----------------------------------------------
    codes, distinct = themes.analyzer.unique(series)
    codes = np.asarray(codes, dtype=np.intp)
    k = len(distinct)
    valid = codes >= 0
    mult = np.bincount(codes[valid], minlength=k)
    flags, status, length, counter, polarity = _code(distinct, themes, mult, progress, n_jobs, function)
    matched = flags.any(axis=1)
    is_sub = status == SUBSTANTIVE

    acc = _accounting(n, valid, mult, status, matched, function)
    accounting = pd.Series(acc, name="count", dtype=np.int64)

    # -- overall counts -----------------------------------------------------------------------
    anyf, plainf, negf = (flags > 0), (flags & 1) > 0, (flags & 2) > 0
    lang = themes.language
    names = {"name": [t.name(lang) for t in themes.themes], "parent": [t.parent for t in themes.themes]}
    wd = None
    if w is not None:
        wd = np.bincount(codes[valid], weights=w[valid], minlength=k)
    table = pd.DataFrame({**names, **_theme_table(
        _count(mult, anyf), _count(mult, plainf), _count(mult, negf), acc["substantive"],
        *((wd @ anyf, wd @ plainf, wd @ negf, float(wd[is_sub].sum())) if wd is not None else ())),
        **_polarity_table(_count(mult, anyf), _count(mult, polarity > 0), _count(mult, polarity < 0),
                          *((wd @ anyf, wd @ (polarity > 0), wd @ (polarity < 0)) if wd is not None else ()))},
        index=pd.Index(themes.ids, name="theme"))
    table = _ordered(table)

    by_segment, n_no_segment = (None, 0) if seg is None else \
        _by_segment(seg, levels, codes, flags, polarity, is_sub, w, themes)

    # -- co-occurrence, quotes, unmatched words -----------------------------------------------
    co = _cooccurrence(anyf, mult)
    cooccurrence = pd.DataFrame(co, index=pd.Index(themes.ids, name="theme"), columns=pd.Index(themes.ids, name="theme"))
    first = np.full(k, n, dtype=np.int64)
    np.minimum.at(first, codes[valid], np.flatnonzero(valid))
    quote_frame = _pick_quotes(flags, status, length, mult, first, index, distinct, themes, quotes)
    ranked = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    return ThemeCounts(
        table=table, by_segment=by_segment, cooccurrence=cooccurrence, quotes=quote_frame,
        unmatched_words=pd.Series([c for _, c in ranked], index=pd.Index([w_ for w_, _ in ranked], name="word"),
                                  name="count", dtype=np.int64),
        unmatched_share=acc["unmatched"] / acc["substantive"] if acc["substantive"] else float("nan"),
        accounting=accounting, n_obs=acc["substantive"], n_dropped=acc["missing"] + acc["non_answer"],
        n_not_text=int(mult[status == NOT_TEXT].sum()), n_no_segment=n_no_segment, themes=themes,
        name=None if series.name is None else str(series.name),
        segment=None if by is None else (str(by.name) if getattr(by, "name", None) is not None else None),
        weighted=w is not None, _index=index, _codes=codes, _flags=flags, _polarity=polarity, _distinct=list(distinct),
        _distinct_status=status, _segment_codes=seg, _segment_levels=levels, _weights=w)
