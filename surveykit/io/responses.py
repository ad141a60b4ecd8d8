"""read_responses: an export + a questionnaire -> SurveyData, with every row accounted for."""

from __future__ import annotations

import os
import re
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._checks import first_rows
from ..data import ReadAudit, SurveyData
from ..errors import DataError, DataQualityWarning
from ..issues import Issue
from ..questionnaire.load import load_questionnaire
from ..questionnaire.model import OPTION_TYPES, Questionnaire, Text
from .coding import BLANK_MARKERS, SPECIFIED, TEXT_DTYPE, code_column, code_multiple, label_key, text_column
from .options import (WJX_SKIP_CODE, code_option_column, code_ranking_joined, combine_options, option_columns,
                      shown_by_rule, skipped_cells, specify_columns)
from .table import RawTable, file_sha256, normalize_name, open_table, sheets_with_columns

__all__ = ["read_responses"]

# Columns survey platforms add that are not questions: never reported as unexpected.
PLATFORM_COLUMNS = {
    "wjx": ("序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP", "总分", "答题序号"),
    "qualtrics": (
        "StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)", "Finished",
        "RecordedDate", "ResponseId", "RecipientLastName", "RecipientFirstName", "RecipientEmail",
        "ExternalReference", "LocationLatitude", "LocationLongitude", "DistributionChannel", "UserLanguage",
    ),
}
# Keys of the non-item variables in the column mapping: not identifiers, so no item id (an item
# may be called "__id__") can take the respondent id's place.
_ID, _WEIGHT, _DURATION = "<respondent id>", "<weight>", "<duration>"
_DURATION_PARTS = re.compile(r"^\s*(?:(\d+)\s*(?:小时|时|h))?\s*(?:(\d+)\s*(?:分钟|分|m|min))?\s*(?:(\d+(?:\.\d+)?)\s*(?:秒|s|sec))?\s*$")


def read_responses(source, questionnaire, *, sheet=0, progress: bool | None = None) -> SurveyData:
    """Read a survey export into coded responses, as the questionnaire defines them.

    Parameters
    ----------
    source : path or DataFrame
        CSV (UTF-8, UTF-8 with BOM or GB18030/GBK, detected; the encoding is named in the
        audit), Excel (.xlsx), SPSS (.sav with value labels and user-missing codes),
        Parquet, or a DataFrame. The Qualtrics layout (three header rows) and the 问卷星
        layout (``序号``, ``提交答卷时间``, ``所用时间``, headers like ``1.您对产品质量的满意程度``,
        answers as option text) are recognised; a title row above the header is skipped.
    questionnaire : Questionnaire or path
        The definition (see :func:`surveykit.load_questionnaire`).
    sheet : int or str, default 0
        The Excel sheet to read.
    progress : bool, optional
        Show a progress bar while coding items; by default, for 100,000 rows or more.

    Returns
    -------
    SurveyData
        ``responses`` holds one row per respondent (indexed by respondent id) and one column
        per item, as codes; declared missing codes (98, 99 ...) are NaN and counted in the
        audit; option text is mapped to codes (tolerant of full-width characters and stray
        whitespace, strict about anything else); raw values are never reverse-coded here.
        Problems (unknown options, out-of-range values, missing columns, duplicate ids ...)
        are collected, not raised: see ``data.validate()``. A :class:`DataQualityWarning`
        says when there are errors.

    Raises
    ------
    FileNotFoundError, EmptyDataError, DataError
        When the file cannot be read as responses at all (missing, empty, header only,
        undecodable, no respondent-id column).

    Notes
    -----
    Columns are matched to items by, in order: the item's ``column`` or ``aliases``; the
    same after normalising (full-width -> half-width, case, a leading question number such
    as ``12.``); the item's text (zh or en) against the header; the item's text against a
    column label (Qualtrics' second header row, SPSS variable labels). A multiple-choice
    item is read from one column (options separated by ``┋``, ``,`` ...) or from 0/1
    columns named ``{column}_{code}``. User-missing values declared in a ``.sav`` file are
    honoured even where the questionnaire does not list them (with a warning).

    Examples
    --------
    >>> import surveykit as sk
    >>> from surveykit.example import write_example
    >>> import tempfile
    >>> paths = write_example(tempfile.mkdtemp())
    >>> data = sk.read_responses(paths["wjx"], paths["questionnaire"])
    >>> data.audit.layout, data.n_respondents
    ('wjx', 1500)
    """
    q = questionnaire if isinstance(questionnaire, Questionnaire) else load_questionnaire(questionnaire)
    expected = _expected_names(q)
    table = open_table(source, expected_names=expected, sheet=sheet,
                       text_columns=lambda header: _text_columns(header, q))
    return _code_table(table, q, progress)


# -- column resolution ------------------------------------------------------------------------

def _variables(q: Questionnaire) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """variable -> (names it may have, texts it may be headed by)."""
    out = {_ID: (q.respondent_id.names(), ())}
    if q.weight is not None:
        out[_WEIGHT] = (q.weight.names(), ())
    if q.duration is not None:
        out[_DURATION] = (q.duration.names(), ())
    for it in q.items:
        texts = it.text.variants()
        stem = q.stem_of(it.id)
        if stem is not None:  # a matrix row: headed 'stem—row' (问卷星) or 'stem - row' (Qualtrics)
            texts = (*(f"{s}{sep}{r}" for s in stem.variants() for r in texts for sep in _MATRIX_SEPARATORS), *texts)
        out[it.id] = ((it.source_column, *it.aliases), texts)
    return out


_MATRIX_SEPARATORS = ("—", "——", "-", " - ", "–", " – ", ":")


def _expected_names(q: Questionnaire) -> set[str]:
    names = set()
    for ns, texts in _variables(q).values():
        names.update(normalize_name(n) for n in (*ns, *texts))
    return names - {""}


def _text_columns(header: list[str], q: Questionnaire) -> set[str]:
    """Columns to read as text: the respondent id and text items (keeps leading zeros)."""
    text_items = {it.id for it in q.items if q.scales[it.scale].type in ("open_text", *OPTION_TYPES)}
    mapping, _ = _resolve(header, {}, q)
    return {col for var, col in mapping.items() if var == _ID or var in text_items}


def _resolve(columns: list[str], labels: dict[str, str], q: Questionnaire):
    """Match export columns to variables; returns (variable -> column, problems)."""
    variables = _variables(q)
    by_raw: dict[str, list[str]] = {}
    by_norm: dict[str, list[str]] = {}
    by_label: dict[str, list[str]] = {}
    for c in columns:
        by_raw.setdefault(c.strip(), []).append(c)
        by_norm.setdefault(normalize_name(c), []).append(c)
        if c in labels:
            by_label.setdefault(normalize_name(labels[c]), []).append(c)
    mapping: dict[str, str] = {}
    ambiguous: dict[str, list[str]] = {}
    passes = (
        lambda names, texts: [c for n in names for c in by_raw.get(n, [])],
        lambda names, texts: [c for n in names for c in by_norm.get(normalize_name(n), [])],
        lambda names, texts: [c for t in texts for c in by_norm.get(normalize_name(t), [])],
        lambda names, texts: [c for t in texts for c in by_label.get(normalize_name(t), [])],
    )
    for find in passes:
        claimed = set(mapping.values())
        for var, (names, texts) in variables.items():
            if var in mapping or var in ambiguous:
                continue
            found = list(dict.fromkeys(c for c in find(names, texts) if c not in claimed))
            if len(found) == 1:
                mapping[var] = found[0]
            elif len(found) > 1:
                # several names of one variable may each be present (Qualtrics has both
                # ResponseId and an embedded resp_id): the earlier-listed name wins
                first = [c for n in names for c in by_raw.get(n, []) if c in found][:1]
                if first and find is passes[0]:
                    mapping[var] = first[0]
                else:
                    ambiguous[var] = found
    return mapping, ambiguous


# -- coding -------------------------------------------------------------------------------------

@dataclass
class _Coding:
    """The kept rows of an export and what coding them collects, item by item."""
    frame: pd.DataFrame
    rows: np.ndarray  # source row numbers, for messages
    where: str  # "in 'export.csv'", for messages
    issues: list = field(default_factory=list)
    columns: dict = field(default_factory=dict)  # coded column name -> values
    column_map: dict = field(default_factory=dict)  # item id -> the export column(s) it was read from
    missing_counts: list = field(default_factory=list)
    skip_code: bool = False  # the export writes -3 for "not shown" (问卷星 number export)
    not_shown: dict = field(default_factory=dict)  # item id -> rows the item was not shown to (skip logic)
    mapping: dict = field(default_factory=dict)  # variable -> the one export column it was matched to
    pending: dict = field(default_factory=dict)  # item id -> Future of (skipped cells, CodedColumn), see _code_ahead

    def skipped(self, it, series: pd.Series) -> pd.Series:
        """``series`` with its "not shown" cells (``(跳过)``, -3) emptied; the item's rows recorded."""
        hit = skipped_cells(series, skip_code=self.skip_code)
        self.record_skipped(it, hit)
        return series.mask(hit) if hit.any() else series

    def record_skipped(self, it, hit: np.ndarray) -> None:
        if hit.any():
            self.not_shown[it.id] = self.not_shown.get(it.id, np.zeros(len(hit), bool)) | hit


def _code_table(t: RawTable, q: Questionnaire, progress: bool | None = None) -> SurveyData:
    frame, rows = t.frame, t.source_rows
    mapping, ambiguous = _resolve(list(frame.columns), t.column_labels, q)
    where = f"in {os.path.basename(t.source)!r}" if t.source != "<DataFrame>" else "in the DataFrame"
    if _ID not in mapping:
        names = ", ".join(repr(n) for n in q.respondent_id.names())
        shown = ", ".join(repr(c) for c in list(frame.columns)[:12])
        others = sheets_with_columns(t.source, q.respondent_id.names(), exclude=t.sheet)
        fix = (f"The responses seem to be on sheet {others[0]!r}: read it with read_responses(..., sheet={others[0]!r}) "
               f"(on the command line: --sheet {others[0]})." if others else
               "Set 'respondent_id' (column or aliases) in the questionnaire.")
        raise DataError(
            f"No respondent-id column {where}{'' if t.sheet in (0, None) else f', sheet {t.sheet!r}'}: looked for "
            f"{names}; the file has {shown}{' ...' if frame.shape[1] > 12 else ''}. {fix}"
        )
    # the file's digest, taken on another core while this one codes (hashlib releases the GIL)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as one:  # leaving the block waits for it
        digest = one.submit(file_sha256, t.source) if t.source != "<DataFrame>" else None
        del frame  # held by `t` alone, which _code_rows lets go of before validation
        return _code_rows(t, q, progress, rows, mapping, ambiguous, where, digest)


def _code_rows(t: RawTable, q: Questionnaire, progress, rows, mapping, ambiguous, where, digest) -> SurveyData:
    """The rows of ``t.frame`` coded item by item into SurveyData, validated (see `_code_table`)."""
    frame = t.frame
    blank = _blank_rows(frame)
    issues: list[Issue] = []
    keep, ids, exclusions = _respondents(frame, rows, mapping[_ID], blank, where, issues)
    # every row kept (the usual case): the frame itself, not a copy of it
    c = _Coding(frame if keep.all() else frame.loc[keep].reset_index(drop=True), rows[keep], where, issues,
                skip_code=t.layout == "wjx" or {"序号", "提交答卷时间"} <= set(frame.columns), mapping=mapping)
    index = pd.Index(ids, name="respondent_id")
    from tqdm.auto import tqdm

    show = len(c.frame) >= 100_000 if progress is None else progress
    c.pending = _code_ahead(c, t, q, mapping)
    for it in tqdm(q.items, desc=f"coding {os.path.basename(t.source)}", unit="item", disable=not show, leave=False):
        _code_item(c, t, q, it, mapping.get(it.id), ambiguous.get(it.id))

    _apply_display_logic(c, q)
    responses = pd.DataFrame(c.columns, index=index, copy=False)  # the coded arrays, not a second copy of them
    for it in q.items:
        if q.scales[it.scale].type == "open_text":
            responses[it.id] = responses[it.id].astype(TEXT_DTYPE)
    meta = pd.DataFrame({"source_row": c.rows.astype(np.int64)}, index=index)
    for item_id, rows_hidden in c.not_shown.items():  # counted under one code whatever the layout wrote
        meta[f"not_shown:{item_id}"] = rows_hidden
        c.missing_counts.append({"item": item_id, "code": WJX_SKIP_CODE, "count": int(rows_hidden.sum()),
                                 "label": "not shown (skip logic)" if q.language == "en" else "未显示（跳题逻辑）"})
    _read_duration(c, q, mapping, meta)
    _read_weight(c, q, mapping, meta)
    _read_platform(c, meta)
    _unexpected_columns(c, mapping)

    layout = t.layout
    if layout == "generic" and {"序号", "提交答卷时间"} <= set(c.frame.columns):
        layout = "wjx"
    audit = ReadAudit(
        source=t.source, format=t.format, layout=layout, encoding=t.encoding, header_row=t.header_row,
        n_rows_read=int(len(blank)), column_map=c.column_map,
        missing_codes=pd.DataFrame(c.missing_counts, columns=["item", "code", "label", "count"]),
        sha256=digest.result() if digest is not None else None,
    )
    data = SurveyData(
        questionnaire=q, responses=responses, meta=meta, audit=audit, read_issues=tuple(c.issues),
        exclusions=pd.DataFrame(exclusions, columns=["source_row", "respondent_id", "reason"]),
    )
    t.frame = c.frame = frame = None  # the raw cells, coded: freed before validation allocates its own
    errors = [i for i in data.validate().issues if i.severity == "error"]
    if errors:
        warnings.warn(DataQualityWarning(
            f"{os.path.basename(t.source)}: {len(errors)} problems need fixing before analysis "
            f"(first: {errors[0].message}). See data.validate()."), stacklevel=3)
    return data


def _respondents(frame: pd.DataFrame, rows: np.ndarray, id_column: str, blank: np.ndarray, where: str,
                 issues: list) -> tuple[np.ndarray, np.ndarray, list]:
    """Rows kept (not blank, with an id), their normalized ids, and the exclusions of the others."""
    ids_raw = text_column(frame[id_column])  # pandas 3: the column's own string buffers
    no_id = pd.isna(ids_raw) & ~blank
    header = ~blank & ~no_id & (pd.Series(ids_raw).astype(str).str.strip() == str(id_column).strip()).to_numpy()
    keep = ~blank & ~no_id & ~header
    exclusions = [
        *({"source_row": int(r), "respondent_id": None, "reason": "blank_row"} for r in rows[blank]),
        *({"source_row": int(r), "respondent_id": None, "reason": "missing_respondent_id"} for r in rows[no_id]),
        *({"source_row": int(r), "respondent_id": None, "reason": "repeated_header_row"} for r in rows[header]),
    ]
    if header.any():  # two downloads pasted together: the second one's header is not a respondent
        issues.append(Issue("repeated_header_row", f"{int(header.sum())} rows {where} repeat the header (rows "
                            f"{first_rows(rows[header])}): exports pasted together? They are skipped, not read as respondents.",
                            fix="Check that the pasted exports do not overlap (duplicate_respondent_id would say so).",
                            column=id_column, count=int(header.sum()), rows=tuple(int(r) for r in rows[header])))
    if blank.any():
        issues.append(Issue("blank_row", f"{int(blank.sum())} rows {where} hold no data (rows {first_rows(rows[blank])}); they are skipped.",
                            count=int(blank.sum()), rows=tuple(int(r) for r in rows[blank])))
    if no_id.any():
        issues.append(Issue("missing_respondent_id", f"{int(no_id.sum())} rows {where} have no respondent id in column {id_column!r} (rows {first_rows(rows[no_id])}); they are excluded.",
                            fix="Fill in the ids or remove the rows.", column=id_column,
                            count=int(no_id.sum()), rows=tuple(int(r) for r in rows[no_id])))
    return keep, _normalize_ids(ids_raw[keep]), exclusions


def _code_item(c: _Coding, t: RawTable, q: Questionnaire, it, col, ambiguous) -> None:
    """Code one item into ``c.columns``: multiple choice, a missing column, open text, or a coded answer."""
    scale = q.scales[it.scale]
    if scale.type in OPTION_TYPES:
        _code_option_item(c, q, it, scale, col, ambiguous)
    elif col is None and it.specify is not None and (found := _specify_column(c, q, it)):
        c.column_map[it.id] = found
        c.columns[it.id] = text_column(c.skipped(it, c.frame[found]))
    elif col is None and it.specify is not None and it.specify.item in c.mapping:  # '其他〖会议室〗' in a joined cell
        joined = c.mapping[it.specify.item]
        c.column_map[it.id] = joined
        c.columns[it.id] = text_column(c.frame[joined].astype("string").str.extract(SPECIFIED, expand=False))
    elif col is None:
        c.issues.append(_missing_column(it, q, c.where, c.frame.columns, ambiguous))
        c.columns[it.id] = np.full(len(c.frame), np.nan if scale.type != "open_text" else None, dtype=object if scale.type == "open_text" else float)
    elif scale.type == "open_text":
        c.column_map[it.id] = col
        c.columns[it.id] = text_column(c.skipped(it, c.frame[col]))
    else:
        c.column_map[it.id] = col
        _code_answer_item(c, t, q, it, scale, col)


def _code_option_item(c: _Coding, q: Questionnaire, it, scale, col, ambiguous) -> None:
    """A multiple-choice or ranking item, into one column per option ``{item}_{code}`` (0/1, or the rank):
    from one joined column, or from one column per option (see :mod:`surveykit.io.options`)."""
    missing = dict(q.missing_codes_for(it.id))
    ranking = scale.type == "ranking"
    names = (it.source_column, *it.aliases, *it.text.variants())
    found, absent = option_columns(names, scale.labels, c.frame.columns) if col is None else ({}, [])
    if col is None and not found:
        c.issues.append(_missing_column(it, q, c.where, c.frame.columns, ambiguous))
        for code in scale.labels:
            c.columns[f"{it.id}_{code:g}"] = np.full(len(c.frame), np.nan)
        return
    if col is not None:
        c.column_map[it.id] = col
        series = c.skipped(it, c.frame[col])
        table, unknown = (code_ranking_joined if ranking else code_multiple)(series, scale, missing)
        unknown = {text: (col, pos) for text, pos in unknown.items()}
    else:
        c.column_map[it.id] = ", ".join(found.values())
        table = np.full((len(c.frame), len(scale.labels)), np.nan)
        hidden = np.ones(len(c.frame), bool)
        unknown = {}
        for j, code in enumerate(scale.labels):
            name = found.get(float(code))
            if name is None:
                continue
            hit = skipped_cells(c.frame[name], skip_code=c.skip_code)
            hidden &= hit
            values, bad = code_option_column(c.frame[name].mask(hit), float(code), scale, missing, ranking=ranking)
            table[:, j] = values
            unknown.update({text: (name, pos) for text, pos in bad.items()})
        if hidden.any():  # every option column says "not shown"
            c.not_shown[it.id] = hidden
        table = combine_options(table, ranking=ranking)
        if absent:
            labels = ", ".join(f"{a:g} {q.label(scale.labels[_code_key(scale, a)])!r}" for a in absent)
            c.issues.append(Issue("missing_column", f"Item {it.id!r} {c.where}: no column for option(s) {labels} "
                                  f"(read {', '.join(repr(n) for n in found.values())}); they are missing for every respondent.",
                                  fix=f"Export every option of {it.id!r}, or remove the option from scale {it.scale!r}.",
                                  item=it.id, values=tuple(absent)))
    for j, code in enumerate(scale.labels):
        c.columns[f"{it.id}_{code:g}"] = table[:, j]
    for text, (name, pos) in unknown.items():
        c.issues.append(_bad_values("unknown_option", it, name, c.where, scale, it.scale, text, c.rows[pos]))
    if ranking:
        _check_ranks(c, it, scale, table)


def _code_key(scale, code: float):
    return next(k for k in scale.labels if float(k) == code)


def _check_ranks(c: _Coding, it, scale, table: np.ndarray) -> None:
    """Ranks outside 1..k are emptied and reported (a ranking of k options)."""
    k = len(scale.labels)
    with np.errstate(invalid="ignore"):
        bad = ~np.isnan(table) & ((table < 1) | (table > k) | (table != np.round(table)))
    if bad.any():
        found = {float(v): np.flatnonzero((bad & (table == v)).any(axis=1)) for v in np.unique(table[bad])}
        c.issues.append(_out_of_range(it, c.column_map[it.id], c.where, scale, it.scale, found, c.rows))
        for j, code in enumerate(scale.labels):
            c.columns[f"{it.id}_{code:g}"] = np.where(bad[:, j], np.nan, table[:, j])


def _specify_column(c: _Coding, q: Questionnaire, it) -> str | None:
    """The column of an "other, please specify" text beside its option (问卷星 ``7(其他)_填空``,
    Qualtrics ``Q7_5_TEXT``)."""
    parent = q.item(it.specify.item)
    scale = q.scales[parent.scale]
    label = scale.labels[_code_key(scale, float(it.specify.option))]
    names = (parent.source_column, *parent.aliases, *parent.text.variants())
    found = specify_columns(names, label, float(it.specify.option), c.frame.columns)
    return found[0] if len(found) == 1 else None


def _apply_display_logic(c: _Coding, q: Questionnaire) -> None:
    """Items with ``shown_if``: an empty answer of a respondent the condition excluded is "not shown"
    (Qualtrics leaves such cells empty; 问卷星 marks them itself)."""
    for it in q.items:
        if it.shown_if is None:
            continue
        cond = q.scales[q.item(it.shown_if.item).scale]
        shown, _ = shown_by_rule(c.columns, it.shown_if.item, it.shown_if.codes,
                                 list(cond.labels) if cond.type in OPTION_TYPES else None)
        cols = ([f"{it.id}_{code:g}" for code in q.scales[it.scale].labels]
                if q.scales[it.scale].type in OPTION_TYPES else [it.id])
        empty = np.logical_and.reduce([pd.isna(np.asarray(c.columns[k], dtype=object)) for k in cols])
        hidden = empty & ~shown
        if hidden.any():
            c.not_shown[it.id] = c.not_shown.get(it.id, np.zeros(len(c.frame), bool)) | hidden


def _item_missing(t: RawTable, q: Questionnaire, it, col: str) -> tuple[dict, set]:
    """(code -> label of every missing code of ``it``, the user-missing codes the file adds to the questionnaire's)."""
    missing = dict(q.missing_codes_for(it.id))
    file_missing = t.user_missing.get(col, set()) - set(missing)
    if file_missing:
        flabels = t.value_labels.get(col, {})
        missing.update({m: Text(zh=flabels[m]) if m in flabels else None for m in file_missing})
    return missing, file_missing


def _skipped_coded(series: pd.Series, skip_code: bool, scale, missing: dict):
    hit = skipped_cells(series, skip_code=skip_code)
    return hit, code_column(series.mask(hit) if hit.any() else series, scale, missing)


def _code_ahead(c: _Coding, t: RawTable, q: Questionnaire, mapping: dict) -> dict:
    """item id -> Future of (skipped cells, :func:`code_column`) of the single-answer items of a large export,
    coded by two threads ahead of the loop that collects their counts and problems in order: numpy and
    pandas release the GIL, so a second core takes half the coding (the result is the same)."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    items = [it for it in q.items if mapping.get(it.id) is not None  # those `_code_item` gives `_code_answer_item`
             and q.scales[it.scale].type not in (*OPTION_TYPES, "open_text")]
    if len(c.frame) < 20_000 or cpus < 2 or len(items) < 4:
        return {}
    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="surveykit-coding")
    jobs = {it.id: pool.submit(_skipped_coded, c.frame[mapping[it.id]], c.skip_code, q.scales[it.scale],
                               _item_missing(t, q, it, mapping[it.id])[0]) for it in items}
    pool.shutdown(wait=False)
    return jobs


def _code_answer_item(c: _Coding, t: RawTable, q: Questionnaire, it, scale, col) -> None:
    """A single answer per respondent (a code, a number): missing codes, file labels and bad values checked."""
    missing, file_missing = _item_missing(t, q, it, col)
    if file_missing:
        c.issues.append(Issue(
            "undeclared_missing",
            f"Item {it.id!r} (column {col!r} {c.where}): the file declares user-missing values "
            f"{', '.join(f'{m:g}' for m in sorted(file_missing))} that the questionnaire does not; they are treated as missing.",
            fix=f"Add them under 'missing_codes' of item {it.id!r} or of scale {it.scale!r}.",
            item=it.id, column=col, values=tuple(sorted(file_missing))))
    if col in t.value_labels and scale.is_coded:
        c.issues.extend(_label_issues(it, col, c.where, scale, t.value_labels[col], missing))
    job = c.pending.pop(it.id, None)
    if job is not None:  # coded ahead, in a thread (see _code_ahead)
        hit, coded = job.result()
        c.record_skipped(it, hit)
    else:
        coded = code_column(c.skipped(it, c.frame[col]), scale, missing)
    c.columns[it.id] = coded.values
    for code, n in coded.missing_counts.items():
        lab = missing.get(code)
        c.missing_counts.append({"item": it.id, "code": code, "label": lab.get(q.language) if lab else "", "count": n})
    for text, pos in coded.unknown.items():
        c.issues.append(_bad_values("unknown_option", it, col, c.where, scale, it.scale, text, c.rows[pos]))
    for text, pos in coded.not_numbers.items():
        c.issues.append(_bad_values("not_a_number", it, col, c.where, scale, it.scale, text, c.rows[pos]))
    if coded.out_of_range:
        c.issues.append(_out_of_range(it, col, c.where, scale, it.scale, coded.out_of_range, c.rows))


def _read_duration(c: _Coding, q: Questionnaire, mapping: dict, meta: pd.DataFrame) -> None:
    """``meta['duration_sec']`` from the duration column, or an issue saying why there is none."""
    if _DURATION in mapping:
        col, rows = mapping[_DURATION], c.rows
        meta["duration_sec"], bad = _durations(c.frame[col], q.duration.unit)
        if bad.any():
            c.issues.append(Issue("bad_duration", f"{int(bad.sum())} durations in column {col!r} {c.where} cannot be read (rows {first_rows(rows[bad])}).",
                                  fix="Durations are read as seconds, '125秒', '2分5秒' or 'hh:mm:ss'.", column=col,
                                  count=int(bad.sum()), rows=tuple(int(r) for r in rows[bad])))
    elif q.duration is not None:
        c.issues.append(Issue("missing_column", f"The duration column ({', '.join(repr(n) for n in q.duration.names())}) is not {c.where}; speeders cannot be checked.",
                              fix="Name the export's duration column under 'duration' in the questionnaire."))


def _read_weight(c: _Coding, q: Questionnaire, mapping: dict, meta: pd.DataFrame) -> None:
    """``meta['weight']`` from the questionnaire's weight column, with an issue for each bad or absent weight."""
    if q.weight is None:
        return
    if _WEIGHT not in mapping:
        c.issues.append(Issue("missing_column", f"The weight column ({', '.join(repr(n) for n in q.weight.names())}) is not {c.where}.",
                              fix="Name the export's weight column under 'weight' in the questionnaire, or remove 'weight'."))
        return
    col, rows = mapping[_WEIGHT], c.rows
    w = pd.to_numeric(c.frame[col], errors="coerce").to_numpy(float)
    meta["weight"] = w
    bad = ~(w > 0)
    if bad.any():
        c.issues.append(Issue("bad_weight", f"{int(bad.sum())} respondents {c.where} have a missing, zero or negative weight in column {col!r} (rows {first_rows(rows[bad])}).",
                              fix="Correct the weights, or exclude these respondents.", column=col,
                              count=int(bad.sum()), rows=tuple(int(r) for r in rows[bad])))


# platform columns read into ``meta`` for the survey-hygiene checks (partial, duplicate_submission)
_PLATFORM_META = {"finished": ("Finished",), "progress": ("Progress",), "ip": ("IPAddress", "来自IP"),
                  "submitted_at": ("提交答卷时间", "RecordedDate", "EndDate")}
_IP = re.compile(r"^\s*([0-9A-Fa-f.:]+)")


def _read_platform(c: _Coding, meta: pd.DataFrame) -> None:
    """``meta`` columns ``finished``, ``progress`` (Qualtrics), ``ip`` and ``submitted_at`` (Qualtrics and
    问卷星: ``来自IP`` as '1.2.3.4(上海-上海)'), where the export has them."""
    for key, names in _PLATFORM_META.items():
        col = next((n for n in names if n in c.frame.columns), None)
        if col is None:
            continue
        raw = c.frame[col]
        if key == "finished":
            text = raw.astype("string").str.strip().str.lower()
            meta[key] = text.map({"1": 1.0, "true": 1.0, "0": 0.0, "false": 0.0}).astype(float).to_numpy()
        elif key == "progress":
            meta[key] = pd.to_numeric(raw, errors="coerce").to_numpy(float)
        elif key == "ip":
            meta[key] = raw.astype("string").str.extract(_IP, expand=False).to_numpy(dtype=object)
        else:
            meta[key] = pd.to_datetime(raw.astype("string"), errors="coerce", format="mixed").to_numpy()


def _unexpected_columns(c: _Coding, mapping: dict) -> None:
    """One issue naming the export's columns that are neither read nor a survey platform's own."""
    used = set(mapping.values()) | {n.strip() for cs in c.column_map.values() for n in cs.split(", ")}
    platform = {n for cols in PLATFORM_COLUMNS.values() for n in cols}
    unexpected = [n for n in c.frame.columns if n not in used and n.strip() not in platform]
    if unexpected:
        c.issues.append(Issue("unexpected_column", f"{len(unexpected)} columns {c.where} are not in the questionnaire and are ignored: "
                              f"{', '.join(repr(n) for n in unexpected[:10])}{' ...' if len(unexpected) > 10 else ''}.",
                              fix="Add them as items if they should be analysed.", count=len(unexpected), values=tuple(unexpected)))


def _blank_rows(frame: pd.DataFrame) -> np.ndarray:
    """Rows with no data in any column (empty cells or platform blank markers only)."""
    candidates = np.arange(len(frame))
    for c in frame.columns:
        s = frame[c].iloc[candidates]
        empty = s.isna()
        if not pd.api.types.is_numeric_dtype(s.dtype):
            empty |= s.astype(str).str.strip().isin(BLANK_MARKERS)
        candidates = candidates[empty.to_numpy()]
        if not len(candidates):
            break
    blank = np.zeros(len(frame), bool)
    blank[candidates] = True
    return blank


def _normalize_ids(ids: np.ndarray) -> np.ndarray:
    """Respondent ids as int64 when every id is a whole number without leading zeros
    ('12', 12.0), else as str (so 'C007' and '007' keep their zeros)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    s = pd.Series(ids, dtype="string").str.strip()
    arr = pa.array(s.array)
    if len(arr) and not arr.null_count and pc.all(pc.ascii_is_decimal(arr)).as_py():
        # the usual ids, 1 ... n: checked and parsed by arrow kernels, no regular expression per id
        lengths = pc.binary_length(arr)
        if pc.max(lengths).as_py() <= 18 and not pc.any(pc.and_(pc.starts_with(arr, "0"), pc.greater(lengths, 1))).as_py():
            return pc.cast(arr, pa.int64()).to_numpy()
    s = s.str.replace(r"^(-?\d+)\.0+$", r"\1", regex=True)  # 12.0 from a number cell; 'R_12.0' stays as written
    if s.str.fullmatch(r"-?(?:0|[1-9]\d{0,17})").all():
        return pc.cast(pa.array(s.array), pa.int64()).to_numpy()
    return s.to_numpy(dtype=object)


def _durations(series: pd.Series, unit: str):
    """(seconds, unreadable) of a duration column; text ('125秒', '2分5秒', '0:02:05') is parsed once per distinct
    value (a million durations have a few thousand)."""
    if not pd.api.types.is_numeric_dtype(series.dtype):
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        if len(uniques) < len(series) // 2:
            v, bad = _durations_parsed(pd.Series(np.asarray(uniques, dtype=object), dtype=object), unit)
            at = np.where(codes < 0, len(uniques), codes)
            return np.append(v, np.nan)[at], np.append(bad, False)[at]
    return _durations_parsed(series, unit)


def _durations_parsed(series: pd.Series, unit: str):
    if pd.api.types.is_numeric_dtype(series.dtype):
        v = series.to_numpy(float)
        bad = np.zeros(len(v), bool)
    else:
        s = series.astype(str).str.strip()
        num = pd.to_numeric(s, errors="coerce")
        parts = s.str.extract(_DURATION_PARTS).astype(float)
        hms = s.str.extract(r"^(\d+):(\d{1,2}):(\d{1,2}(?:\.\d+)?)$").astype(float)
        from_parts = parts[0].fillna(0) * 3600 + parts[1].fillna(0) * 60 + parts[2].fillna(0)
        from_parts[parts.isna().all(axis=1)] = np.nan
        from_hms = hms[0] * 3600 + hms[1] * 60 + hms[2]
        v = num.to_numpy(float) * (60.0 if unit == "minutes" else 1.0)
        v = np.where(np.isnan(v), from_parts.to_numpy(float), v)
        v = np.where(np.isnan(v), from_hms.to_numpy(float), v)
        bad = np.isnan(v) & series.notna().to_numpy() & s.ne("").to_numpy()
        return v, bad
    return v * (60.0 if unit == "minutes" else 1.0), bad


# -- messages -----------------------------------------------------------------------------------

def _missing_column(it, q, where, columns, ambiguous) -> Issue:
    if ambiguous:
        return Issue("ambiguous_column",
                     f"Item {it.id!r} matches several columns {where}: {', '.join(repr(c) for c in ambiguous)}.",
                     fix=f"Set 'column' of item {it.id!r} to the right one.", item=it.id, values=tuple(ambiguous))
    names = [it.source_column, *it.aliases, *it.text.variants()]
    stem = q.stem_of(it.id)
    row = (f" (row {q.label(it.text)!r} of the matrix {q.label(stem)!r}: headed '{q.label(stem)}—{q.label(it.text)}' "
           f"by 问卷星, '{q.label(stem)} - {q.label(it.text)}' by Qualtrics)") if stem is not None else ""
    near = closest_headers(names, columns)
    seen = f" Closest headers in the export: {', '.join(repr(c) for c in near)}." if near else ""
    return Issue("missing_column",
                 f"Item {it.id!r}{row} has no column {where} (looked for {', '.join(repr(n) for n in names)}).{seen}",
                 fix=(f"Set 'column: {near[0]}' (or 'aliases') of item {it.id!r} in the questionnaire, if that is its "
                      "column, or rename the export's column." if near else
                      f"Rename the export's column, or set 'column' / 'aliases' of item {it.id!r} in the questionnaire."),
                 item=it.id)


def closest_headers(names, columns, n: int = 3) -> list[str]:
    """The export's headers most like an item's names: those that contain one of them (问卷星
    ``5.您对以下方面的满意程度—房间整洁卫生`` for the text ``房间整洁卫生``, Qualtrics ``... - The
    branch has modern-looking equipment``) first, then the most similar by difflib's ratio (≥ 0.6)."""
    from difflib import get_close_matches

    headers = [str(c) for c in columns]
    wanted = [str(x).strip() for x in names if x is not None and len(str(x).strip()) >= 2]
    out = [h for h in headers if any(w.casefold() in h.casefold() for w in wanted)]
    for w in wanted:
        out += get_close_matches(w, headers, n=n, cutoff=0.6)
    return list(dict.fromkeys(out))[:n]


def _bad_values(code, it, col, where, scale, scale_name, text, rows) -> Issue:
    kind = "match no option of" if code == "unknown_option" else "are not numbers on"
    return Issue(code,
                 f"Item {it.id!r} (column {col!r} {where}) has answers that {kind} scale {scale_name!r}: "
                 f"{text!r} in {len(rows)} rows (first rows: {first_rows(rows)}).",
                 fix=(f"Add it to the labels (or missing_codes) of scale {scale_name!r}, or correct the export."
                      if code == "unknown_option" else "Correct the export, or declare the item as open_text."),
                 item=it.id, column=col, rows=tuple(int(r) for r in rows), count=len(rows), values=(text,))


def _out_of_range(it, col, where, scale, scale_name, found: dict, rows) -> Issue:
    pos = np.sort(np.concatenate(list(found.values())))
    values = sorted(found)
    return Issue("out_of_range",
                 f"Item {it.id!r} (column {col!r} {where}) has values outside scale {scale_name!r} ({scale.describe_range()}): "
                 f"{', '.join(f'{v:g}' for v in values)} in {len(pos)} rows (first rows: {first_rows(rows[pos])}).",
                 fix="Declare them under 'missing_codes' or correct the export.",
                 item=it.id, column=col, rows=tuple(int(r) for r in rows[pos]), count=len(pos), values=tuple(values))


def _label_issues(it, col, where, scale, file_labels: dict[float, str], missing) -> list[Issue]:
    """Compare an SPSS file's value labels with the questionnaire's."""
    ours = {float(c): {label_key(v) for v in t.variants()} for c, t in scale.labels.items()}
    ours.update({c: {label_key(v) for v in t.variants()} for c, t in missing.items() if t is not None})
    swapped, differ = [], []
    for code, text in file_labels.items():
        key = label_key(text)
        if code in ours and key not in ours[code]:
            other = [c for c, keys in ours.items() if key in keys]
            (swapped if other else differ).append((code, text, other[0] if other else None))
    out = []
    if swapped:
        detail = "; ".join(f"the file labels {c:g} {t!r}, which is code {o:g} in the questionnaire" for c, t, o in swapped)
        out.append(Issue("label_conflict",
                         f"Item {it.id!r} (column {col!r} {where}) seems coded the other way round: {detail}.",
                         fix=f"Check the coding: recode the file, or correct the labels of scale {it.scale!r}.",
                         item=it.id, column=col, values=tuple(c for c, _, _ in swapped)))
    if differ:
        detail = "; ".join(f"{c:g} {t!r}" for c, t, _ in differ)
        out.append(Issue("label_mismatch",
                         f"Item {it.id!r} (column {col!r} {where}): the file's value labels differ from scale {it.scale!r}: {detail}.",
                         fix="Check that the codes mean the same; if so, this note can be ignored.",
                         item=it.id, column=col, values=tuple(c for c, _, _ in differ)))
    return out
