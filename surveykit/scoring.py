"""Scoring: reverse-coded items and construct scores. Raw codes are never overwritten."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from .data import SurveyData
    from .questionnaire.model import Questionnaire

__all__ = ["reverse_code", "construct_scores"]


def reverse_code(responses: pd.DataFrame, questionnaire: "Questionnaire") -> pd.DataFrame:
    """A copy of ``responses`` with reverse-worded items recoded as ``min + max - x``.

    The scale's end points come from the questionnaire (not the sample), so a 1-5 item
    always maps 1 <-> 5, as SPSS ``RECODE`` and R ``psych::reverse.code`` with explicit
    ``mini``/``maxi`` do.
    """
    out = responses.copy()
    for it in questionnaire.items:
        if it.reverse and it.id in out.columns:
            scale = questionnaire.scales[it.scale]
            out[it.id] = scale.min + scale.max - out[it.id]
    return out


def construct_scores(data: "SurveyData") -> pd.DataFrame:
    """Mean of each construct's reverse-coded items per respondent.

    A respondent gets a score when they answered at least the construct's ``min_valid``
    items (default: half the items, rounded up), else NaN — the usual "mean of available
    items" rule (SPSS ``MEAN.n``).
    """
    q = data.questionnaire
    scored = data.scored_items()
    out = {}
    for name, c in q.constructs.items():
        block = scored.loc[:, list(c.items)].to_numpy(float)
        n_valid = np.sum(~np.isnan(block), axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.where(np.isnan(block), 0.0, block).sum(axis=1) / n_valid
        out[name] = np.where(n_valid >= c.required_answers, mean, np.nan)
    return pd.DataFrame(out, index=scored.index)
