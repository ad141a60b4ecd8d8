"""Data-quality checks (validate) and the opt-in cleaning rules that act on them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

import numpy as np
import pandas as pd

from ._checks import first_rows
from .errors import check_option
from .issues import Issue, ValidationReport

if TYPE_CHECKING:  # pragma: no cover
    from .data import SurveyData

__all__ = ["validate", "clean", "CLEANING_RULES", "flag_speeders", "flag_straightliners", "flag_too_many_missing"]


def _ordered_items(data: "SurveyData") -> list[str]:
    q = data.questionnaire
    return [i for i in q.item_ids if q.scale_of(i).is_ordered]


def flag_too_many_missing(data: "SurveyData") -> pd.Series:
    """Respondents who left more than ``quality.max_missing_share`` of the rating items blank
    (declared missing codes such as "don't know" count as blank)."""
    block = data.responses.loc[:, _ordered_items(data)]
    share = block.isna().mean(axis=1)
    return share > data.questionnaire.quality.max_missing_share


def flag_speeders(data: "SurveyData") -> pd.Series:
    """Respondents faster than ``quality.speeder_seconds``, or than ``speeder_median_ratio``
    times the median duration. All False when there is no duration column."""
    rules = data.questionnaire.quality
    if "duration_sec" not in data.meta:
        return pd.Series(False, index=data.responses.index)
    d = data.meta["duration_sec"]
    limit = np.inf if rules.speeder_seconds is None else rules.speeder_seconds
    if rules.speeder_median_ratio is not None and d.notna().any():
        limit = min(limit, rules.speeder_median_ratio * float(d.median()))
    if not np.isfinite(limit):
        return pd.Series(False, index=data.responses.index)
    return (d < limit).fillna(False)


def straightline_items(data: "SurveyData") -> list[str]:
    """Items of the grids checked for straight-lining (taken together)."""
    q = data.questionnaire
    grids = q.quality.straightline_grids
    if grids is None:
        grids = [name for name, c in q.constructs.items()
                 if len(c.items) >= 4 and len({q.item(i).scale for i in c.items}) == 1
                 and q.scale_of(c.items[0]).is_ordered]
    return [i for g in grids for i in q.items_of(g)]


def flag_straightliners(data: "SurveyData") -> pd.Series:
    """Respondents who gave the same raw answer to every item of the checked grids.

    The grids (``quality.straightline_grids``) are taken together; a respondent is flagged
    when they answered at least 80% of those items (and at least 4) and all answers are
    equal. Reverse-worded items among them make an honest respondent very unlikely to do so.
    """
    items = straightline_items(data)
    if len(items) < 4:
        return pd.Series(False, index=data.responses.index)
    block = data.responses.loc[:, items].to_numpy(float)
    answered = (~np.isnan(block)).sum(axis=1)
    with np.errstate(invalid="ignore"):
        spread = np.nanmax(block, axis=1, initial=-np.inf, where=~np.isnan(block)) - np.nanmin(
            block, axis=1, initial=np.inf, where=~np.isnan(block))
    flag = (answered >= max(4, int(np.ceil(0.8 * len(items))))) & (spread == 0)
    return pd.Series(flag, index=data.responses.index)


def flag_duplicate_ids(data: "SurveyData") -> pd.Series:
    """Every row but the first of each repeated respondent id."""
    return pd.Series(data.responses.index.duplicated(keep="first"), index=data.responses.index)


CLEANING_RULES = {
    "duplicate_ids": flag_duplicate_ids,
    "speeders": flag_speeders,
    "straightliners": flag_straightliners,
    "too_many_missing": flag_too_many_missing,
}
_REASONS = {"duplicate_ids": "duplicate_respondent_id", "speeders": "speeder",
            "straightliners": "straightliner", "too_many_missing": "too_many_missing"}


def validate(data: "SurveyData") -> ValidationReport:
    """Report every problem in the responses, each under a stable code with rows and a fix.

    Parameters
    ----------
    data : SurveyData

    Returns
    -------
    ValidationReport
        The problems found while reading (unknown options, out-of-range values, missing
        columns, label conflicts ...) and the respondent-level checks: duplicate ids,
        too many missing answers, speeders and straight-liners. ``report.exit_code`` is 0
        when there are no errors (warnings do not make data invalid), else 1.

    Examples
    --------
    >>> import surveykit as sk
    >>> data = sk.example_data()
    >>> report = sk.validate(data)
    >>> report.is_valid
    True
    """
    issues = list(data.read_issues)
    rows = data.meta["source_row"]
    where = data.audit.source
    dup = data.responses.index.duplicated(keep=False)
    if dup.any():
        ids = data.responses.index[dup].unique()
        issues.append(Issue(
            "duplicate_respondent_id",
            f"{len(ids)} respondent ids occur on more than one row of {where!r}: "
            f"{', '.join(repr(i) for i in ids[:5])}{' ...' if len(ids) > 5 else ''} (rows {first_rows(rows[dup])}).",
            fix="Remove the repeated submissions, or clean with rule 'duplicate_ids' (keeps the first).",
            rows=tuple(int(r) for r in rows[dup]), count=int(dup.sum()), values=tuple(ids[:20])))
    checks = (
        ("too_many_missing", flag_too_many_missing,
         f"left more than {data.questionnaire.quality.max_missing_share:.0%} of the rating items unanswered", "too_many_missing"),
        ("speeder", flag_speeders, "finished implausibly fast (quality.speeder_seconds / speeder_median_ratio)", "speeders"),
        ("straightliner", flag_straightliners, "gave the same answer to every item of the checked grids", "straightliners"),
    )
    for code, flag, what, rule in checks:
        mask = flag(data).to_numpy()
        if mask.any():
            issues.append(Issue(
                code, f"{int(mask.sum())} respondents {what} (rows {first_rows(rows[mask])}).",
                fix=f"Review them; exclude with data.clean(rules=[{rule!r}]) if appropriate.",
                rows=tuple(int(r) for r in rows[mask]), count=int(mask.sum())))
    return ValidationReport(source=where, n_rows=data.audit.n_rows_read, issues=tuple(issues))


def clean(data: "SurveyData", rules: Iterable[str] = tuple(CLEANING_RULES)) -> "SurveyData":
    """Exclude the respondents flagged by the named rules, recording each with its reason.

    Parameters
    ----------
    data : SurveyData
    rules : iterable of str
        Any of ``'duplicate_ids'`` (keep the first row of each id), ``'speeders'``,
        ``'straightliners'``, ``'too_many_missing'``, applied in the order given.

    Returns
    -------
    SurveyData
        Without the flagged respondents; ``exclusions`` lists each with its source row and
        reason, so that ``n_respondents + len(exclusions) == audit.n_rows_read``.
    """
    if isinstance(rules, str):
        rules = [rules]
    for rule in rules:
        check_option("rules", rule, tuple(CLEANING_RULES), function="clean")
    for rule in rules:
        mask = CLEANING_RULES[rule](data)
        data = data._drop(mask, pd.Series(_REASONS[rule], index=mask.index), rule)
    return data
