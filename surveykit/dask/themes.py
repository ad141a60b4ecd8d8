"""Theme counts of open comments on Dask: each partition coded by :func:`surveykit.text.counts.theme_counts`, counts summed.

The comments of each partition are coded where the partition lives, by the pandas function
itself, with the theme dictionary's tokenizer built once per worker process (kept in
:data:`_WORKER_THEMES` under the dictionary's fingerprint) rather than once per partition.
Every count is a number of respondents (or a sum of their weights), so the counts of the
partitions add up to the counts of all comments: equal to ``theme_counts`` on the whole
column, shares recomputed from the summed bases.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._render import Summary
from .._result import Result
from ..errors import QuestionnaireError
from .analyses import _reduce, _weights
from .read import DaskSurveyData

__all__ = ["DaskThemeCounts", "themes_dask"]

_WORKER_THEMES: dict = {}  # fingerprint -> ThemeDictionary with its analyzer built, one per worker process
_KEEP = 4  # dictionaries kept per worker
_SUBSTANTIVE = ("matched", "unmatched")
_RATIOS = {"share": ("count", None), "weighted_share": ("weighted_count", "w")}


def _themes_here(fingerprint: str, themes):
    """The worker's copy of the dictionary (its tokenizer built on first use), the one just unpickled if new."""
    kept = _WORKER_THEMES.get(fingerprint)
    if kept is None:
        if len(_WORKER_THEMES) >= _KEEP:
            _WORKER_THEMES.pop(next(iter(_WORKER_THEMES)))
        _WORKER_THEMES[fingerprint] = kept = themes
    return kept


@dataclass(frozen=True)
class _ThemeSums:
    """The additive parts of one or more partitions' theme counts."""

    table: pd.DataFrame
    by_segment: pd.DataFrame | None
    cooccurrence: pd.DataFrame
    unmatched_words: pd.Series
    accounting: pd.Series
    n_not_text: int
    n_no_segment: int
    weighted_base: float
    weighted_base_by: pd.Series | None
    quotes: pd.DataFrame

    def merged(self, other: _ThemeSums) -> _ThemeSums:
        return _ThemeSums(
            _add(self.table, other.table), None if self.by_segment is None else _add(self.by_segment, other.by_segment),
            self.cooccurrence + other.cooccurrence,
            self.unmatched_words.add(other.unmatched_words, fill_value=0).astype(np.int64),
            self.accounting + other.accounting, self.n_not_text + other.n_not_text,
            self.n_no_segment + other.n_no_segment, self.weighted_base + other.weighted_base,
            None if self.weighted_base_by is None else self.weighted_base_by.add(other.weighted_base_by, fill_value=0),
            pd.concat([self.quotes, other.quotes], ignore_index=True))


def _add(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """Sum of the count columns of two tables (rows of either; labels kept, ratios left for the end)."""
    keep = [c for c in a.columns if c in ("name", "parent")]
    num = [c for c in a.columns if c not in keep and c not in _RATIOS]
    labels = a[keep].combine_first(b[keep]) if keep else None
    total = a[num].add(b[num], fill_value=0)
    for c in num:
        if pd.api.types.is_integer_dtype(a[c]):
            total[c] = total[c].astype(np.int64)
    out = total if labels is None else labels.join(total)
    for c in _RATIOS:
        if c in a:
            out[c] = np.nan  # read from the summed counts and bases at the end
    return out[list(a.columns)]


@dataclass(frozen=True)
class DaskThemeCounts(Result):
    """How many respondents mention each theme of a dictionary, counted on the partitions of a Dask frame.

    ``table``, ``by_segment``, ``cooccurrence``, ``unmatched_words``, ``unmatched_share``,
    ``accounting``, ``n_obs``, ``n_dropped``, ``n_not_text`` and ``n_no_segment`` as
    :class:`surveykit.text.counts.ThemeCounts` (equal to it on the same comments). ``quotes``:
    example comments chosen among each partition's own picks (whole comments, the most
    frequent first, then in the order of their text), so they may differ from the pandas
    picks; there are no per-respondent ``mentions`` (no row leaves its partition).
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
    name: str | None = None
    segment: str | None = None
    weighted: bool = False
    notes: tuple = field(default_factory=tuple)

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def summary(self) -> Summary:
        a = self.accounting
        lines = [f"{a['read']} comments read: {a['missing']} missing, {a['non_answer']} non-answers, "
                 f"{a['substantive']} substantive ({a['matched']} matched a theme, {a['unmatched']} none)", *self.notes]
        cols = [c for c in ("name", "count", "share", "weighted_share") if c in self.table]
        return Summary(title="Themes (Dask)" + (f": {self.name}" if self.name else ""), lines=lines,
                       tables=[("Themes", self.table[cols])])

    def __repr__(self) -> str:
        top = self.table["count"].idxmax() if len(self.table) and self.table["count"].max() > 0 else None
        return self._one_line(f"themes={len(self.table)} n_read={int(self.accounting['read'])} n_obs={self.n_obs} "
                              f"top={top!r}")


def _step(field_: str, by: str | None, data: DaskSurveyData, fingerprint: str, themes, quotes: int):
    def step(frame: pd.DataFrame) -> _ThemeSums:
        from ..text.counts import theme_counts

        here = _themes_here(fingerprint, themes)
        w = _weights(frame, data)
        seg = None if by is None else frame[by].to_numpy()
        counts = theme_counts(frame[field_].reset_index(drop=True), here, by=seg, weights=w, quotes=quotes, n_jobs=1)
        substantive = counts.status.isin(_SUBSTANTIVE).to_numpy()
        ww = np.ones(len(frame)) if w is None else w
        base_by = None
        if by is not None:
            base_by = pd.Series(ww[substantive], index=seg[substantive]).groupby(level=0).sum()
        q = counts.quotes.assign(respondent=frame["respondent_id"].to_numpy()[counts.quotes["respondent"].to_numpy()])
        return _ThemeSums(counts.table, counts.by_segment, counts.cooccurrence, counts.unmatched_words,
                          counts.accounting, counts.n_not_text, counts.n_no_segment, float(ww[substantive].sum()),
                          base_by, q)

    return step


def _ratios(t: pd.DataFrame, base, wbase) -> pd.DataFrame:
    with np.errstate(divide="ignore", invalid="ignore"):
        for col, (num, kind) in _RATIOS.items():
            if num in t:
                b = wbase if kind else base
                t[col] = np.where(np.asarray(b) > 0, t[num].to_numpy(float) / np.asarray(b, dtype=float), np.nan)
    return t


def themes_dask(data: DaskSurveyData, field: str, themes, *, by: str | None = None, quotes: int = 3) -> DaskThemeCounts:
    """Theme counts of one open-text item on Dask, equal to :func:`surveykit.text.counts.theme_counts`.

    ``field``: the open-text item; ``themes``: a ThemeDictionary or what
    :func:`surveykit.text.themes.load_themes` reads; ``by``: a segment column of the coded frame
    (its codes are the levels); the questionnaire's weights when it names a weight column.
    Each partition is coded by ``theme_counts`` where it lives (the tokenizer built once per
    worker), and the counts are summed.

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> from surveykit.example import generate_example
    >>> from surveykit.dask import read_responses_dask
    >>> study = generate_example(n_respondents=200, n_customers=1000)
    >>> raw = study.answers.reset_index().rename(columns={"respondent_id": "resp_id"})
    >>> data = read_responses_dask(dd.from_pandas(raw, npartitions=2), study.questionnaire)
    >>> t = themes_dask(data, "comment", "customer_value")
    >>> int(t.accounting["read"]) == data.n_respondents
    True
    """
    from ..text.themes import ThemeDictionary, load_themes

    q = data.questionnaire
    if field not in q.item_ids or q.scale_of(field).type != "open_text":
        texts = [i for i in q.item_ids if q.scale_of(i).type == "open_text"]
        raise QuestionnaireError(q.id, [("themes_dask", f"{field!r} is not an open-text item; open-text items: "
                                                        f"{texts}")])
    if by is not None and by not in data.frame._meta.columns:
        raise ValueError(f"The 'by' parameter of themes_dask names column {by!r}, which is not in the coded frame.")
    themes = themes if isinstance(themes, ThemeDictionary) else load_themes(themes)
    fingerprint = hashlib.sha1(pickle.dumps(themes)).hexdigest()
    (s,) = _reduce(data, _step(field, by, data, fingerprint, themes, quotes))
    acc = s.accounting.astype(np.int64)
    table = _ratios(s.table.copy(), acc["substantive"], s.weighted_base)[list(s.table.columns)]
    by_segment = None
    if s.by_segment is not None:
        b = s.by_segment.copy()
        levels = b.index.get_level_values(0)
        b = _ratios(b, b["n_substantive"], s.weighted_base_by.reindex(levels).to_numpy())[list(s.by_segment.columns)]
        by_segment = b.sort_index(level=0, sort_remaining=False)
    words = s.unmatched_words
    order = sorted(range(len(words)), key=lambda i: (-int(words.iloc[i]), words.index[i]))
    quotes_frame = _quotes(s.quotes, quotes, list(table.index))
    return DaskThemeCounts(
        table=table, by_segment=by_segment, cooccurrence=s.cooccurrence.astype(np.int64), quotes=quotes_frame,
        unmatched_words=words.iloc[order].rename("count").rename_axis("word"),
        unmatched_share=acc["unmatched"] / acc["substantive"] if acc["substantive"] else float("nan"),
        accounting=acc, n_obs=int(acc["substantive"]), n_dropped=int(acc["missing"] + acc["non_answer"]),
        n_not_text=int(s.n_not_text), n_no_segment=int(s.n_no_segment), name=field, segment=by,
        weighted=data.weighted, notes=("Quotes are chosen among each partition's own picks (the most frequent first).",))


def _quotes(frame: pd.DataFrame, k: int, theme_order: list) -> pd.DataFrame:
    """Up to ``k`` comments per theme and polarity among the partitions' picks: most frequent, then by text;
    in dictionary order, plain before negated, as ``theme_counts``."""
    if frame.empty:
        return frame
    keys = ["theme", "polarity", "text"]
    merged = frame.groupby(keys, sort=False, as_index=False).agg(count=("count", "sum"), respondent=("respondent", "first"))
    merged = merged.sort_values(["count", "text"], ascending=[False, True], kind="stable")
    merged["rank"] = merged.groupby(["theme", "polarity"], sort=False).cumcount() + 1
    out = merged[merged["rank"] <= k].assign(_t=lambda f: f["theme"].map({t: i for i, t in enumerate(theme_order)}),
                                             _p=lambda f: (f["polarity"] != "plain").astype(int))
    out = out.sort_values(["_t", "_p", "rank"], kind="stable")
    return out.reindex(columns=list(frame.columns)).reset_index(drop=True)
