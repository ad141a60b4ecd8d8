"""Banner tables on Dask: per-partition sums by segment level, then the pandas banner's own final step."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._checks import check_weights
from ..errors import DataError
from ..indices.banner import BannerResult, banner_from_sums, banner_options, block_sums, row_kinds, row_spec
from .analyses import _reduce
from .read import DaskSurveyData

__all__ = ["banner_dask"]


def _levels(frame, segment: str) -> list:
    """The segment's levels as :func:`surveykit.indices.banner.banner` orders them: a categorical's
    categories, else the sorted distinct values (one pass over the partitions)."""
    meta = frame._meta[segment]
    if isinstance(meta.dtype, pd.CategoricalDtype) and meta.cat.known:
        return list(meta.cat.categories)
    known = list(frame[segment].dropna().unique().compute())
    try:
        return sorted(known)
    except TypeError as e:
        raise DataError(f"The segment {segment!r} of banner_dask mixes values that do not sort "
                        f"({', '.join(map(repr, known[:5]))}); on Dask the columns need an order: make it a "
                        "categorical with known categories (dask.dataframe's categorize()).") from e


def banner_dask(data: DaskSurveyData, segment: str, rows, *, kind=None, weights: str | None = None,
                alpha: float = 0.05, correction: str | None = "bonferroni", total: bool = True,
                ci_level: float = 0.95) -> BannerResult:
    """Means and column percentages by segment with column tests, on the partitions of a Dask frame.

    The arguments and the result are those of :func:`surveykit.indices.banner.banner` on the
    coded frame (``data.frame``), with ``segment``, ``rows`` and ``weights`` naming its columns
    (``weights="weight"`` for the questionnaire's weights; None: unweighted). Each partition is
    reduced to the per-column sums of every row variable (weighted counts and sums by segment
    level and answer, weighted moments of the means), the sums are merged exactly, and the
    cells and tests come from the same code as the pandas banner's: equal to it to 1e-12
    relative, counts exactly. The segment's levels take a first, light pass (its distinct
    values) unless it is a categorical with known categories.

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> from surveykit.example import generate_example
    >>> from surveykit.dask import read_responses_dask
    >>> study = generate_example(n_respondents=200, n_customers=1000)
    >>> raw = study.answers.reset_index().rename(columns={"respondent_id": "resp_id"})
    >>> data = read_responses_dask(dd.from_pandas(raw, npartitions=2), study.questionnaire)
    >>> b = banner_dask(data, "tier", ["sat_overall"])
    >>> int(b.counts.loc["sat_overall"].iloc[-1]) <= 200
    True
    """
    frame = data.frame
    meta = frame._meta
    options = banner_options(alpha, correction, total, ci_level, function="banner_dask")
    if segment not in meta.columns:
        raise ValueError(f"The 'segment' parameter of banner_dask names column {segment!r}, which is not in the "
                         "coded frame; pass an item or meta column name.")
    if weights is not None and weights not in meta.columns:
        raise ValueError(f"The 'weights' parameter of banner_dask names column {weights!r}, which is not in the "
                         "coded frame; pass 'weight' (the questionnaire's weights) or None.")
    spec = row_spec(meta, rows, "banner_dask")
    kinds = row_kinds(meta, spec, kind, "banner_dask")
    levels = _levels(frame, segment)
    if not levels:
        raise DataError(f"The segment {segment!r} of banner_dask is missing for all {data.n_respondents} "
                        "respondents: there is no column to show. Pass a segment variable with answers.")
    k = len(levels)

    def step(part: pd.DataFrame) -> dict:
        codes = pd.Categorical(part[segment], categories=levels).codes.astype(np.intp)
        w = check_weights(None if weights is None else part[weights], len(part), part.index, "banner_dask")
        return {"sums": block_sums(part, spec, kinds, codes, w, k),
                "seg_n": np.bincount(codes[codes >= 0], minlength=k), "dropped": np.array(int((codes < 0).sum()))}

    (stats,) = _reduce(data, step)
    dropped = int(stats["dropped"])
    notes = [f"{dropped} respondents have a missing {segment!r} and are in no column (not even Total)."] if dropped else []
    return banner_from_sums(stats["sums"], dict(spec), kinds, levels, segment, stats["seg_n"], options,
                            weighted=weights is not None, n_dropped=dropped, notes=notes, stacklevel=3)
