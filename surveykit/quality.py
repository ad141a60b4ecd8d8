"""Data-quality checks (validate) and the opt-in cleaning rules that act on them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

import numpy as np
import pandas as pd

from ._checks import first_rows, plural
from .errors import check_option
from .issues import Issue, ValidationReport

if TYPE_CHECKING:  # pragma: no cover
    from .data import SurveyData

__all__ = ["validate", "clean", "CLEANING_RULES", "flag_bad_rankings", "flag_display_logic", "blank_display_logic",
           "flag_duplicate_submissions", "flag_partials", "flag_speeders",
           "flag_straightliners", "flag_too_many_missing", "ON_ERROR", "exclude_invalid", "split_errors"]


def _ordered_items(data: "SurveyData") -> list[str]:
    """The rating items read from the export: an item without a column is its ``missing_column``
    problem, not a missing answer of every respondent."""
    q, read = data.questionnaire, data.audit.column_map
    return [i for i in q.item_ids if q.scale_of(i).is_ordered and i in read]


def flag_too_many_missing(data: "SurveyData") -> pd.Series:
    """Respondents who left more than ``quality.max_missing_share`` of the rating items blank
    (declared missing codes such as "don't know" count as blank)."""
    items = _ordered_items(data)
    blank = np.zeros(data.n_respondents)
    for item in items:  # column by column: no copy of the whole block
        blank += np.isnan(_numbers(data.responses[item]))
    with np.errstate(invalid="ignore"):
        share = blank / len(items) if items else np.full(len(blank), np.nan)
    return pd.Series(share > data.questionnaire.quality.max_missing_share, index=data.responses.index)


def _numbers(col: pd.Series) -> np.ndarray:
    return col.to_numpy(dtype=float, na_value=np.nan)


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
    n = data.n_respondents
    answered, low, high = np.zeros(n, dtype=np.int32), np.full(n, np.inf), np.full(n, -np.inf)
    for item in items:  # running min and max, column by column (fmin/fmax skip blanks): no copy of the block
        x = _numbers(data.responses[item])
        answered += ~np.isnan(x)
        np.fmin(low, x, out=low)
        np.fmax(high, x, out=high)
    with np.errstate(invalid="ignore"):
        spread = high - low
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


def _maybe_duplicates(block: pd.DataFrame, ip: pd.Series | None, min_answered: int) -> np.ndarray:
    """Rows that may repeat another row's answers (and IP address): those with at least ``min_answered``
    answers whose row hash repeats; the caller compares them value by value.

    The hash is a weighted sum of each row's numbers (blank as a sentinel; -0.0 sums as 0.0), a few array
    operations per column and no copy of the answers; equal rows always hash equal, and a rare collision
    of unequal rows only adds a candidate. Text columns are factorised among the candidates only, so the
    distinct comments and ids of a million rows are never hashed.
    """
    n = len(block)
    weights = np.random.default_rng(20240518).uniform(1.0, 2.0, block.shape[1] + 1)
    hashed = np.zeros(n)
    n_answered = np.zeros(n, dtype=np.int32)
    text = []
    for j, name in enumerate(block.columns):
        col = block[name]
        if col.dtype.kind not in "fiub":
            n_answered += col.notna().to_numpy()
            text.append(j)
            continue
        x = col.to_numpy(dtype=float, na_value=np.nan)
        blank = np.isnan(x)
        n_answered += ~blank
        hashed += weights[j] * np.where(blank, -7.25, x)
    maybe = n_answered >= min_answered
    maybe &= pd.Series(hashed).duplicated(keep=False).to_numpy()
    extra = [(weights[j], block.iloc[:, j]) for j in text] + ([(weights[-1], ip)] if ip is not None else [])
    for w, col in extra:
        if not maybe.any():
            break
        rows = np.flatnonzero(maybe)
        sub = hashed[rows] + w * pd.factorize(col.iloc[rows])[0]
        hashed[rows] = sub
        maybe[rows] = pd.Series(sub).duplicated(keep=False).to_numpy()
    return maybe


def _duplicate_groups(data: "SurveyData") -> tuple[np.ndarray, np.ndarray]:
    """(group number or -1, is a repeat) per respondent: rows whose answers (and, as the questionnaire's
    ``quality`` asks, IP address and submission time) repeat another row's."""
    rules = data.questionnaire.quality
    block = data.responses
    n = len(block)
    same_ip = rules.duplicate_same_ip and "ip" in data.meta
    maybe = _maybe_duplicates(block, data.meta["ip"] if same_ip else None, rules.duplicate_min_answered)
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


def flag_bad_rankings(data: "SurveyData") -> pd.Series:
    """Respondents whose answer to a ranking question is no ranking (the ``bad_ranking`` problem)."""
    flag = np.zeros(data.n_respondents, bool)
    for faults in _ranking_faults(data).values():
        flag |= faults["repeated"] | faults["outside"] | faults["gap"]
    return pd.Series(flag, index=data.responses.index)


def flag_display_logic(data: "SurveyData") -> pd.Series:
    """Respondents who answered an item that its ``shown_if`` says was not shown to them (the
    ``display_logic`` warning). The ``display_logic`` cleaning rule keeps these respondents and blanks
    only those answers (:func:`blank_display_logic`)."""
    flag = np.zeros(data.n_respondents, bool)
    for answered in _answered_not_shown(data).values():
        flag |= answered
    return pd.Series(flag, index=data.responses.index)


CLEANING_RULES = {
    "bad_rankings": flag_bad_rankings,
    "display_logic": flag_display_logic,
    "duplicate_ids": flag_duplicate_ids,
    "duplicate_submissions": flag_duplicate_submissions,
    "partials": flag_partials,
    "speeders": flag_speeders,
    "straightliners": flag_straightliners,
    "too_many_missing": flag_too_many_missing,
}
_REASONS = {"bad_rankings": "bad_ranking", "duplicate_ids": "duplicate_respondent_id",
            "duplicate_submissions": "duplicate_submission",
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
            rows=tuple(rows[dup].tolist()), count=int(dup.sum()), values=tuple(ids[:20])))
    issues += _hygiene_issues(data, rows)
    issues += _ranking_issues(data, rows) + _display_logic_issues(data, rows)  # question types (issue 16)
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
                rows=tuple(rows[mask].tolist()), count=int(mask.sum())))
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
            rows=tuple(rows[partial].tolist()), count=int(partial.sum())))
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
        Any of ``'bad_rankings'`` (answers to a ranking question that are no ranking, see the
        ``bad_ranking`` problem), ``'duplicate_ids'`` (keep the first row of each id), ``'duplicate_submissions'``
        (keep the first of identical submissions), ``'partials'`` (unfinished responses),
        ``'speeders'``, ``'straightliners'``, ``'too_many_missing'``, applied in the order given.

    Returns
    -------
    SurveyData
        Without the flagged respondents; ``exclusions`` lists each with its source row and
        reason, so that ``n_respondents + len(exclusions) == audit.n_rows_read``. Answers
        blanked by ``'display_logic'`` are counted per item in ``audit.missing_codes``.
    """
    if isinstance(rules, str):
        rules = [rules]
    for rule in rules:
        check_option("rules", rule, tuple(CLEANING_RULES), function="clean")
    for rule in rules:
        if rule in _CELL_RULES:  # answers blanked, respondents kept
            data = _CELL_RULES[rule](data)
            continue
        mask = CLEANING_RULES[rule](data)
        data = data._drop(mask, pd.Series(_REASONS[rule], index=mask.index), rule)
    return data


# -- the on-error policy (issue 16): respondents with error-level problems excluded, named and counted --------

#: What a command does with data that validation finds invalid (``--on-error``): 'stop' (the default:
#: exit 1 with the problems) or 'exclude' (respondents with error-level problems set aside, see
#: :func:`exclude_invalid`).
ON_ERROR = ("stop", "exclude")


def split_errors(report: ValidationReport) -> tuple[tuple[Issue, ...], tuple[Issue, ...]]:
    """(errors about rows, other errors) of a validation report.

    An error is about rows when it names the rows it concerns (``unknown_option``, ``out_of_range``,
    ``not_a_number``, ``missing_respondent_id``, ``duplicate_respondent_id``, ``bad_weight``,
    ``partial`` ...): excluding those respondents removes it. The others (``missing_column``,
    ``ambiguous_column``, ``label_conflict``, ``bad_theme_dictionary``) concern the export or the
    questionnaire as a whole, and no exclusion can set them aside.
    """
    return (tuple(i for i in report.errors if i.rows), tuple(i for i in report.errors if not i.rows))


def exclude_invalid(data: "SurveyData") -> "SurveyData":
    """Exclude every respondent with an error-level problem, recording each under its problem's code.

    The API form of ``--on-error exclude`` (see :meth:`SurveyData.exclude_invalid`).

    Parameters
    ----------
    data : SurveyData

    Returns
    -------
    SurveyData
        Without the respondents named by an error of ``data.validate()``. Each is in
        ``exclusions`` (and :meth:`~SurveyData.accounting`) under the codes of its problems
        (``"out_of_range"``, or ``"out_of_range, bad_weight"`` for a respondent with two), so
        rows read = used + excluded still holds. The problems set aside are kept in
        ``excluded_issues`` and the number of respondents excluded in ``n_excluded_invalid``;
        ``cleaning`` ends with ``'exclude_invalid'``. Errors that are not about rows (see
        :func:`split_errors`) stay, so ``validate()`` still reports them.

    Raises
    ------
    DataError
        When every respondent has an error-level problem: nothing would be left to analyse.

    Notes
    -----
    All the rows of a repeated respondent id are excluded (validation cannot tell which holds
    the respondent's answers); ``clean(rules=['duplicate_ids'])`` first keeps the first of each.
    Rows without a respondent id are excluded on reading under either policy.
    """
    from dataclasses import replace

    from .errors import DataError

    by_row, _ = split_errors(data.validate())
    source = data.meta["source_row"].to_numpy()
    reason = np.full(len(source), "", dtype=object)
    for code in dict.fromkeys(i.code for i in by_row):
        rows = [r for i in by_row if i.code == code for r in i.rows]
        hit = np.isin(source, np.asarray(rows, dtype=source.dtype))
        reason[hit] = np.where(reason[hit] == "", code, reason[hit] + ", " + code)
    drop = reason != ""
    if drop.all() and len(drop):
        counts = ", ".join(f"{i.code} {i.count}" for i in by_row)
        exc = DataError(f"Every one of the {len(drop)} respondents of {data.audit.source!r} has an error-level problem "
                        f"({counts}), so excluding them leaves nothing to analyse. Correct the export or the "
                        "questionnaire (data.validate() lists every problem).")
        exc.about_rows = True  # the commands add no "not about rows" hint to this one
        raise exc
    index = data.responses.index
    out = data._drop(pd.Series(drop, index=index), pd.Series(reason, index=index), "exclude_invalid")
    return replace(out, read_issues=tuple(i for i in out.read_issues if not (i.severity == "error" and i.rows)),
                   excluded_issues=(*data.excluded_issues, *by_row),
                   n_excluded_invalid=data.n_excluded_invalid + int(drop.sum()))


# -- question types (issue 16): rankings that are no ranking, answers that contradict the display logic --

def _ranking_faults(data: "SurveyData") -> dict:
    """Ranking item id -> :func:`surveykit.descriptives.ranking_faults` of its coded ranks."""
    from .descriptives import ranking_faults

    q, out = data.questionnaire, {}
    for it in q.items:
        scale = q.scales[it.scale]
        if scale.type == "ranking":
            out[it.id] = ranking_faults(data.responses.loc[:, [f"{it.id}_{c:g}" for c in scale.labels]].to_numpy(float))
    return out


def _ranking_issues(data: "SurveyData", rows: pd.Series) -> list[Issue]:
    """``bad_ranking``: a respondent gave one rank to two options, a rank outside 1..k, or skipped a rank
    (a joined cell naming one option twice leaves a gap). Ranks outside 1..k were emptied when reading and
    reported there (``out_of_range``); the gap they leave is reported here."""
    out = []
    src = rows.to_numpy()
    for item, faults in _ranking_faults(data).items():
        bad = faults["repeated"] | faults["outside"] | faults["gap"]
        if not bad.any():
            continue
        k = len(data.questionnaire.scale_of(item).labels)
        parts = [f"{int(faults[f].sum())} {what} (rows {first_rows(src[faults[f]])})" for f, what in [
            ("repeated", "gave the same rank to two options"), ("outside", f"gave a rank outside 1..{k}"),
            ("gap", "skipped a rank (e.g. 1 and 3 without 2) or named an option twice")] if faults[f].any()]
        out.append(Issue(
            "bad_ranking",
            f"Ranking {item!r}: {plural(int(bad.sum()), 'respondent')} gave no valid ranking of its {k} options: "
            f"{'; '.join(parts)}.",
            fix="Correct the ranks in the export (each option at most once, ranks 1, 2, ... without repeats or "
                "gaps), or exclude these respondents with data.clean(rules=['bad_rankings']).",
            item=item, rows=tuple(int(r) for r in src[bad]), count=int(bad.sum())))
    return out


def _display_logic(data: "SurveyData", it) -> tuple[np.ndarray, np.ndarray]:
    """(answered although the rule did not show the item, marked "not shown" although the rule showed it)."""
    from .io.options import shown_by_rule
    from .questionnaire.model import OPTION_TYPES

    q, resp = data.questionnaire, data.responses
    cond = q.scale_of(it.shown_if.item)
    shown, known = shown_by_rule(resp, it.shown_if.item, it.shown_if.codes,
                                 list(cond.labels) if cond.type in OPTION_TYPES else None)
    answered = resp.loc[:, _answer_columns(q, it)].notna().any(axis=1).to_numpy()
    key = f"not_shown:{it.id}"
    marked = data.meta[key].to_numpy(bool) if key in data.meta else np.zeros(len(resp), bool)
    return answered & known & ~shown, marked & known & shown


def _display_logic_issues(data: "SurveyData", rows: pd.Series) -> list[Issue]:
    """``display_logic`` warnings: answers where an item's ``shown_if`` says it was not shown, and "not shown"
    marks (问卷星 ``(跳过)`` / -3) where it says it was shown."""
    q, out = data.questionnaire, []
    src = rows.to_numpy()
    for it in q.items:
        if it.shown_if is None or it.id not in data.audit.column_map:
            continue
        answered, marked = _display_logic(data, it)
        if not (answered.any() or marked.any()):
            continue
        codes = ", ".join(f"{float(c):g}" for c in it.shown_if.codes)
        parts = [f"{int(m.sum())} {what} (rows {first_rows(src[m])})" for m, what in [
            (answered, "answered it although their answer to the condition means it was not shown"),
            (marked, "are marked 'not shown' although their answer to the condition means it was shown")] if m.any()]
        bad = answered | marked
        out.append(Issue(
            "display_logic",
            f"Item {it.id!r} is shown only when {it.shown_if.item!r} is {codes} (shown_if): {'; '.join(parts)}. "
            "Their answers are analysed as given.",
            fix="Check the item's shown_if against the survey platform's display logic, or correct the export"
                + ("; blank the answers given although the item was not shown with "
                   "data.clean(rules=['display_logic'])." if answered.any() else "."),
            item=it.id, rows=tuple(int(r) for r in src[bad]), count=int(bad.sum()),
            values=(int(answered.sum()), int(marked.sum()))))
    return out


def _answer_columns(q, it) -> list[str]:
    """The coded columns of an item: ``{item}_{code}`` per option of a multiple-choice or ranking item."""
    from .questionnaire.model import OPTION_TYPES

    scale = q.scales[it.scale]
    return [f"{it.id}_{c:g}" for c in scale.labels] if scale.type in OPTION_TYPES else [it.id]


def _answered_not_shown(data: "SurveyData") -> dict:
    """Item id -> respondents who answered it although its ``shown_if`` says it was not shown (items read only)."""
    q = data.questionnaire
    return {it.id: _display_logic(data, it)[0] for it in q.items
            if it.shown_if is not None and it.id in data.audit.column_map}


def blank_display_logic(data: "SurveyData") -> "SurveyData":
    """The ``display_logic`` cleaning rule: answers to an item whose ``shown_if`` says it was not shown blanked.

    The respondents stay (their other answers are valid); each blanked answer (all the option
    columns of a multiple-choice or ranking item) becomes "not shown" (:meth:`SurveyData.not_shown`),
    and ``audit.missing_codes`` gets one row per item with the count of cells blanked (code -3,
    the "not shown" code, label ``"answered though not shown: blanked (clean rule display_logic)"``).
    Where the condition itself is unanswered nothing is blanked: whether the item was shown
    cannot be told. ``data.clean(rules=['display_logic'])`` (CLI ``--clean display_logic``)
    applies it.

    Examples
    --------
    >>> import pandas as pd
    >>> import surveykit as sk
    >>> q = sk.load_questionnaire({"schema_version": 1, "id": "s", "title": "s", "respondent_id": "id",
    ...     "scales": {"yn": {"type": "single_choice", "labels": {1: "yes", 2: "no"}},
    ...                "sat": {"type": "likert", "min": 1, "max": 5}},
    ...     "items": [{"id": "stayed", "scale": "yn", "text": "Stayed before?"},
    ...               {"id": "rating", "scale": "sat", "text": "Rating", "shown_if": {"item": "stayed", "codes": [1]}}]})
    >>> data = sk.read_responses(pd.DataFrame({"id": [1, 2, 3], "stayed": [1, 2, 2], "rating": [4, 5, None]}), q)
    >>> cleaned = data.clean(rules=["display_logic"])
    >>> cleaned.responses["rating"].tolist(), cleaned.n_respondents
    ([4.0, nan, nan], 3)
    >>> blanked = cleaned.audit.missing_codes.iloc[-1]
    >>> blanked["item"], int(blanked["count"]), bool(cleaned.not_shown("rating").iloc[1])
    ('rating', 1, True)
    """
    from dataclasses import replace

    from .io.options import WJX_SKIP_CODE

    found = {item: hit for item, hit in _answered_not_shown(data).items() if hit.any()}
    if not found:
        return replace(data, cleaning=(*data.cleaning, "display_logic"))
    q = data.questionnaire
    responses, meta = data.responses.copy(), data.meta.copy()
    label = ("answered though not shown: blanked (clean rule display_logic)" if q.language == "en"
             else "未显示却有作答：已清空（清洗规则 display_logic）")
    rows = []
    for item, hit in found.items():
        for col in _answer_columns(q, q.item(item)):
            responses[col] = responses[col].mask(hit)  # mask keeps each column's dtype (texts stay text)
        key = f"not_shown:{item}"
        meta[key] = (meta[key].to_numpy(bool) if key in meta else np.zeros(len(meta), bool)) | hit
        rows.append({"item": item, "code": WJX_SKIP_CODE, "label": label, "count": int(hit.sum())})
    missing = data.audit.missing_codes
    missing = pd.concat([missing, pd.DataFrame(rows, columns=missing.columns)], ignore_index=True) if len(missing) \
        else pd.DataFrame(rows, columns=missing.columns)
    return replace(data, responses=responses, meta=meta, audit=replace(data.audit, missing_codes=missing),
                   cleaning=(*data.cleaning, "display_logic"))


_CELL_RULES = {"display_logic": blank_display_logic}  # rules that blank answers rather than exclude respondents
