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

__all__ = ["validate", "clean", "CLEANING_RULES", "flag_duplicate_submissions", "flag_partials", "flag_speeders",
           "flag_straightliners", "flag_too_many_missing"]


def _ordered_items(data: "SurveyData") -> list[str]:
    """The rating items read from the export: an item without a column is its ``missing_column``
    problem, not a missing answer of every respondent."""
    q, read = data.questionnaire, data.audit.column_map
    return [i for i in q.item_ids if q.scale_of(i).is_ordered and i in read]


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


def flag_partials(data: "SurveyData") -> pd.Series:
    """Unfinished responses: Qualtrics ``Finished`` = 0 (False) or ``Progress`` below 100.

    All False when the export has neither column (问卷星 exports hold submitted answer
    sheets only; its unfinished ones are not in the download).
    """
    meta = data.meta
    flag = np.zeros(len(meta), bool)
    if "finished" in meta:
        flag |= (meta["finished"] == 0).to_numpy()
    if "progress" in meta:
        flag |= (meta["progress"] < 100).to_numpy()
    return pd.Series(flag, index=data.responses.index)


def _duplicate_groups(data: "SurveyData") -> tuple[np.ndarray, np.ndarray]:
    """(group number or -1, is a repeat) per respondent: rows whose answers (and, as the questionnaire's
    ``quality`` asks, IP address and submission time) repeat another row's."""
    rules = data.questionnaire.quality
    block = data.responses
    n = len(block)
    same_ip = rules.duplicate_same_ip and "ip" in data.meta
    # rows whose hashes repeat (a hash per row, column by column: no object copy of the answers); only
    # those are compared value by value. Numbers are hashed as they are (-0.0 as 0.0), other columns by
    # the codes of their distinct values.
    hashed = np.zeros(n, dtype=np.uint64)
    n_answered = np.zeros(n, dtype=np.int64)
    for name in block.columns:
        col = block[name]
        n_answered += col.notna().to_numpy()
        values = col.to_numpy() + 0.0 if col.dtype.kind == "f" else pd.factorize(col)[0]
        hashed = hashed * np.uint64(1_000_003) ^ pd.util.hash_array(values)
    if same_ip:
        hashed = hashed * np.uint64(1_000_003) ^ pd.util.hash_array(pd.factorize(data.meta["ip"].astype(object))[0])
    answered = n_answered >= rules.duplicate_min_answered
    maybe = answered & pd.Series(hashed).duplicated(keep=False).to_numpy()
    group = np.full(n, -1)
    repeat = np.zeros(n, bool)
    if not maybe.any():
        return group, repeat
    keys = block.loc[maybe].astype(object).where(block.loc[maybe].notna(), None)
    if same_ip:
        keys = keys.assign(__ip__=data.meta["ip"].astype(object).to_numpy()[maybe])
    candidates = maybe.copy()
    candidates[maybe] = keys.duplicated(keep=False).to_numpy()
    if not candidates.any():
        return group, repeat
    sub = keys.loc[candidates[maybe]]
    numbers = sub.groupby(list(sub.columns), dropna=False, sort=False).ngroup().to_numpy()
    positions = np.flatnonzero(candidates)
    times = (data.meta["submitted_at"].to_numpy() if "submitted_at" in data.meta
             else np.full(n, np.datetime64("NaT")))
    window = rules.duplicate_within_seconds
    for g in np.unique(numbers):
        members = positions[numbers == g]
        if window is not None and "submitted_at" in data.meta:
            t = times[members]
            order = np.argsort(t, kind="stable")  # earliest first; NaT last
            members, t = members[order], t[order]
            gaps = np.diff(t).astype("timedelta64[ms]").astype(float) / 1000
            close = np.concatenate([[False], np.isfinite(gaps) & (gaps <= window)])
            if not close.any():
                continue
            group[members] = g
            repeat[members[close]] = True
        else:
            group[members] = g
            repeat[members[1:]] = True  # the first row (in file order) is the original
    return group, repeat


def flag_duplicate_submissions(data: "SurveyData") -> pd.Series:
    """Every submission that repeats an earlier one's answers under a new respondent id.

    Two rows are the same submission when every item has the same answer (blank counting as
    an answer) and at least ``quality.duplicate_min_answered`` items are answered; with
    ``quality.duplicate_same_ip`` their IP addresses must match, and with
    ``quality.duplicate_within_seconds`` each repeat must follow the previous submission
    within that many seconds. The first submission of each group is kept.
    """
    return pd.Series(_duplicate_groups(data)[1], index=data.responses.index)


CLEANING_RULES = {
    "duplicate_ids": flag_duplicate_ids,
    "duplicate_submissions": flag_duplicate_submissions,
    "partials": flag_partials,
    "speeders": flag_speeders,
    "straightliners": flag_straightliners,
    "too_many_missing": flag_too_many_missing,
}
_REASONS = {"duplicate_ids": "duplicate_respondent_id", "duplicate_submissions": "duplicate_submission",
            "partials": "partial", "speeders": "speeder",
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
        unfinished responses (``partial``, an error unless ``quality.keep_partials``),
        repeated submissions (``duplicate_submission``, a warning: identical answers may be
        chance on a short questionnaire), too many missing answers, speeders and
        straight-liners. ``report.exit_code`` is 0
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
            fix="Remove the repeated submissions, or keep the first of each with data.clean(rules=['duplicate_ids']).",
            rows=tuple(int(r) for r in rows[dup]), count=int(dup.sum()), values=tuple(ids[:20])))
    issues += _hygiene_issues(data, rows)
    from .text.survey import theme_dictionary_issues  # the open-text fields' dictionaries, checked before analysis

    issues += theme_dictionary_issues(data)
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


def _hygiene_issues(data: "SurveyData", rows: pd.Series) -> list[Issue]:
    """The ``partial`` (or ``partial_kept``) and ``duplicate_submission`` issues."""
    out = []
    partial = flag_partials(data).to_numpy()
    if partial.any():
        kept = data.questionnaire.quality.keep_partials
        out.append(Issue(
            "partial_kept" if kept else "partial",
            f"{int(partial.sum())} responses are unfinished (Finished = 0 or Progress < 100; rows "
            f"{first_rows(rows[partial])})" + ("; kept, as quality.keep_partials says." if kept else "."),
            fix="" if kept else ("Exclude them with data.clean(rules=['partials']), or keep them with "
                                 "quality: {keep_partials: true} in the questionnaire."),
            rows=tuple(int(r) for r in rows[partial]), count=int(partial.sum())))
    group, repeat = _duplicate_groups(data)
    if repeat.any():
        src = rows.to_numpy()
        pairs = []
        for pos in np.flatnonzero(repeat)[:5]:
            first = np.flatnonzero((group == group[pos]) & ~repeat)
            pairs.append(f"row {src[pos]} repeats row {src[first[0]] if len(first) else '?'}")
        rules = data.questionnaire.quality
        extra = "".join([", from the same IP address" if rules.duplicate_same_ip and "ip" in data.meta else "",
                         f", within {rules.duplicate_within_seconds:g} s," if rules.duplicate_within_seconds
                         and "submitted_at" in data.meta else ""])
        out.append(Issue(
            "duplicate_submission",
            f"{int(repeat.sum())} submissions give the same answers to every item as an earlier one{extra} under "
            f"another respondent id ({'; '.join(pairs)}{' ...' if repeat.sum() > 5 else ''}).",
            fix="Review them; keep the first of each with data.clean(rules=['duplicate_submissions']).",
            rows=tuple(int(r) for r in src[repeat]), count=int(repeat.sum())))
    return out


def clean(data: "SurveyData", rules: Iterable[str] = tuple(CLEANING_RULES)) -> "SurveyData":
    """Exclude the respondents flagged by the named rules, recording each with its reason.

    Parameters
    ----------
    data : SurveyData
    rules : iterable of str
        Any of ``'duplicate_ids'`` (keep the first row of each id), ``'duplicate_submissions'``
        (keep the first of identical submissions), ``'partials'`` (unfinished responses),
        ``'speeders'``, ``'straightliners'``, ``'too_many_missing'``, applied in the order given.

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
