"""read_responses_dask: many exports (or a Dask DataFrame) + a questionnaire -> DaskSurveyData, every row accounted for."""

from __future__ import annotations

import csv
import glob
import io
import os
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._checks import first_rows
from .._render import Summary
from .._result import Result
from ..data import ReadAudit
from ..errors import DataError, EmptyDataError
from ..issues import Issue
from ..questionnaire.load import load_questionnaire
from ..questionnaire.model import Questionnaire

__all__ = ["DaskSurveyData", "read_responses_dask", "require_dask"]

_FORMATS = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".parquet": "parquet"}
ID = "respondent_id"  # the respondent id column of the coded frame (text: '12', 'C007')


def require_dask():
    """``(dask, dask.dataframe)``, or an ImportError naming the extra to install."""
    try:
        import dask
        import dask.dataframe as dd
    except ImportError as e:
        raise ImportError("Reading a path pattern or a Dask DataFrame needs Dask, which is not installed: "
                          'pip install "surveykit[dask]"') from e
    return dask, dd


@dataclass(frozen=True)
class DaskSurveyData(Result):
    """Coded responses as a Dask DataFrame, with the questionnaire and the audit of every row.

    Attributes
    ----------
    questionnaire : Questionnaire
    frame : dask.dataframe.DataFrame
        One row per respondent: ``respondent_id`` (text), one column per item (codes, as
        :func:`surveykit.read_responses` gives them), then the per-respondent meta columns
        (``source_row``, ``weight``, ``duration_sec`` ...) and ``source_file``. ``source_file`` and
        ``source_row`` name the export a row came from and its row there, as
        :func:`surveykit.read_responses` numbers them; for a Dask DataFrame ``source_file`` is ''
        and ``source_row`` counts rows across its partitions (1 = its first row).
    audit : ReadAudit
        ``n_rows_read`` over all inputs; ``missing_codes`` summed over them; ``encoding`` names
        every encoding found (each CSV file is decoded with its own, detected).
    exclusions : DataFrame
        Every row read but not used: ``source_file``, ``source_row``, ``respondent_id``, ``reason``.
        ``n_respondents + len(exclusions) == audit.n_rows_read`` always holds.
    read_issues : tuple of Issue
        Problems found while coding, one per problem and input (rows as ``source_row`` numbers them), and ids repeated across inputs.
    sources : tuple of str
        The files read, in order (empty for a Dask DataFrame).
    """

    questionnaire: Questionnaire
    frame: object
    audit: ReadAudit
    exclusions: pd.DataFrame
    n_respondents: int
    read_issues: tuple = ()
    sources: tuple = ()
    partition_rows: tuple = ()  # rows read per partition
    items: tuple = field(default=())  # the item columns of ``frame``

    @property
    def npartitions(self) -> int:
        return self.frame.npartitions

    @property
    def weighted(self) -> bool:
        return self.questionnaire.weight is not None

    def accounting(self) -> pd.DataFrame:
        """Rows read, used and excluded by reason: the rows always add up to ``n_rows_read``."""
        counts = self.exclusions["reason"].value_counts()
        rows = [("rows read", self.audit.n_rows_read), ("used", self.n_respondents)]
        rows += [(f"excluded: {reason}", int(n)) for reason, n in counts.items()]
        return pd.DataFrame(rows, columns=["status", "count"]).set_index("status")

    def describe(self, items=None, *, language: str | None = None):
        """Item descriptives as :meth:`surveykit.SurveyData.describe` (see :func:`describe_dask`)."""
        from .analyses import describe_dask

        return describe_dask(self, items, language=language)

    def indices(self, *, segments=None, bootstrap: int = 0, seed: int = 0, language: str | None = None):
        """NPS, top-2-box and composite indices overall and by segment (see :func:`indices_dask`)."""
        from .analyses import indices_dask

        return indices_dask(self, segments=segments, bootstrap=bootstrap, seed=seed, language=language)

    def item_covariance(self, construct: str | None = None, items=None):
        """Covariance / correlation of a construct's items and its Cronbach's alpha (see :func:`item_covariance_dask`)."""
        from .analyses import item_covariance_dask

        return item_covariance_dask(self, construct, items=items)

    def banner(self, segment: str, rows, *, kind=None, weights: str | None = None, alpha: float = 0.05,
               correction: str | None = "bonferroni", total: bool = True, ci_level: float = 0.95):
        """Means and column percentages by segment with column tests (see :func:`surveykit.dask.banner_dask`)."""
        from .banner import banner_dask

        return banner_dask(self, segment, rows, kind=kind, weights=weights, alpha=alpha, correction=correction,
                           total=total, ci_level=ci_level)

    def reliability(self, construct: str | None = None, *, items=None, ci_level: float = 0.95,
                    n_groups: int | None = None):
        """Alpha, omega and item analysis of one construct, or of every construct (see :func:`surveykit.dask.reliability_dask`)."""
        from .models import reliability_dask

        return reliability_dask(self, construct, items=items, ci_level=ci_level, n_groups=n_groups)

    def adequacy(self, items=None):
        """KMO and Bartlett's test of the constructs' items (see :func:`surveykit.dask.adequacy_dask`)."""
        from .models import adequacy_dask

        return adequacy_dask(self, items)

    def efa(self, n_factors: int, *, items=None, method: str = "minres", rotation: str | None = "oblimin"):
        """Exploratory factor analysis of the constructs' items (see :func:`surveykit.dask.efa_dask`)."""
        from .models import efa_dask

        return efa_dask(self, n_factors, items=items, method=method, rotation=rotation)

    def cfa(self, model=None):
        """CFA of the constructs (see :func:`surveykit.dask.cfa_dask`)."""
        from .models import cfa_dask

        return cfa_dask(self, model)

    def drivers(self, outcome: str, drivers, *, weights: str | None = None, robust: str | None = "HC3",
                ci_level: float = 0.95):
        """OLS / WLS key-driver model from per-partition X'X (see :func:`surveykit.dask.drivers_dask`)."""
        from .models import drivers_dask

        return drivers_dask(self, outcome, drivers, weights=weights, robust=robust, ci_level=ci_level)

    def themes(self, field: str, themes, *, by: str | None = None, quotes: int = 3):
        """Theme counts of an open-text item, each partition coded where it lives (see :func:`surveykit.dask.themes_dask`)."""
        from .themes import themes_dask

        return themes_dask(self, field, themes, by=by, quotes=quotes)

    def summary(self) -> Summary:
        a = self.audit
        lines = [f"{self.questionnaire.id}: {self.n_respondents} respondents x {len(self.questionnaire.items)} items "
                 f"in {self.npartitions} partitions", f"source {a.source!r} ({a.format})"]
        return Summary(title="Survey data (Dask)", lines=lines, tables=[("Rows", self.accounting())])

    def __repr__(self) -> str:
        return (f"<DaskSurveyData questionnaire={self.questionnaire.id!r} n_respondents={self.n_respondents} "
                f"n_excluded={len(self.exclusions)} npartitions={self.npartitions}>")


# -- inputs ------------------------------------------------------------------------------------------

def _match(pattern) -> list[str]:
    """The export files of a glob pattern (or a list of paths), sorted; clear errors for none or unknown types."""
    if isinstance(pattern, (list, tuple)):
        files = [str(p) for p in pattern]
        missing = [f for f in files if not os.path.isfile(f)]
        if missing:
            raise FileNotFoundError(f"{len(missing)} of the {len(files)} files given do not exist: "
                                    f"{', '.join(repr(f) for f in missing[:5])}.")
    else:
        files = sorted(glob.glob(os.fspath(pattern)))
        if not files:
            raise FileNotFoundError(f"No file matches the pattern {os.fspath(pattern)!r} (looked in "
                                    f"{os.path.abspath(os.path.dirname(os.fspath(pattern)) or '.')!r}). Check the "
                                    "directory and the wildcard, e.g. 'exports/*.csv'.")
    kinds = {_FORMATS.get(os.path.splitext(f)[1].lower()) for f in files}
    if None in kinds or len(kinds) > 1:
        shown = sorted({os.path.splitext(f)[1] or "(none)" for f in files})
        raise DataError(f"The files of {pattern!r} must all be CSV (.csv/.tsv/.txt) or all Parquet (.parquet); "
                        f"found {', '.join(map(repr, shown))}. Export every part in one format.")
    return files


def _csv_header(path: str) -> list[str]:
    """The header of a CSV export: its first row with more than one cell (a title row above it has one)."""
    from ..io.table import decode_text

    with open(path, "rb") as f:
        raw = f.read(1 << 16)
    if len(raw) == 1 << 16:
        raw = raw[: raw.rfind(b"\n") + 1] or raw
    try:
        _, text = decode_text(raw, path)
    except DataError:
        text = raw.decode("utf-8", errors="replace")
    delimiter = "\t" if path.lower().endswith(".tsv") else ","
    for row in csv.reader(io.StringIO(text), delimiter=delimiter):
        cells = [c.strip() for c in row]
        if sum(bool(c) for c in cells) > 1:
            return cells
    return []


def _header(path: str) -> list[str]:
    if path.lower().endswith(".parquet"):
        import pyarrow.parquet as pq

        return [c for c in pq.read_schema(path).names if not c.startswith("__index_level_")]
    return _csv_header(path)


def _check_headers(files: list[str]) -> None:
    """Every file has the first file's columns (in any order); else one error naming each file and its columns."""
    first = _header(files[0])
    problems = []
    for f in files[1:]:
        cols = _header(f)
        missing = [c for c in first if c not in cols]
        extra = [c for c in cols if c not in first]
        if missing or extra:
            problems.append(f"{os.path.basename(f)!r}" + (f" lacks {', '.join(map(repr, missing[:8]))}" if missing else "")
                            + (" and" if missing and extra else "")
                            + (f" has {', '.join(map(repr, extra[:8]))} in addition" if extra else ""))
    if problems:
        raise DataError(f"The headers of {len(problems)} of the {len(files)} files differ from the first file's "
                        f"({os.path.basename(files[0])!r}): " + "; ".join(problems[:10])
                        + (" ..." if len(problems) > 10 else "") + ". All parts of an export must have the same "
                        "columns: export them again with one questionnaire version, or read them separately.")


# -- the partition step: today's read_responses ---------------------------------------------------------

@dataclass
class _Part:
    frame: pd.DataFrame | None
    audit: dict


def _code_part(source, q: Questionnaire) -> _Part:
    """One file or partition read by :func:`surveykit.read_responses`; its coded frame and its audit."""
    from ..io.responses import read_responses

    if isinstance(source, pd.DataFrame) and source.empty:
        return _Part(None, {"n_rows_read": 0, "exclusions": None, "issues": (), "missing": None, "ids": None,
                            "audit": None, "empty": None})
    # read_responses warns (DataQualityWarning) for a part with problems, naming its file; not silenced here:
    # warnings.catch_warnings is process-wide and would race between the threads of a threaded scheduler
    data = read_responses(source, q, progress=False)
    resp = data.responses
    ids = resp.index.astype(str).to_numpy(dtype=object)
    frame = pd.concat([pd.DataFrame({ID: ids}), resp.reset_index(drop=True),
                       data.meta.reset_index(drop=True)], axis=1)
    return _Part(frame, {"n_rows_read": data.audit.n_rows_read, "exclusions": data.exclusions,
                         "issues": data.read_issues, "missing": data.audit.missing_codes, "ids": ids,
                         "audit": data.audit, "empty": frame.iloc[:0]})


def _audit_of(part: _Part) -> dict:
    return part.audit


def _frame_of(part: _Part, offset: int, source_file: str, renumber: bool, empty: pd.DataFrame,
              files: list) -> pd.DataFrame:
    """The coded frame of a part with the columns of every part (``not_shown:*`` False where absent)."""
    frame = empty.copy() if part.frame is None else part.frame.reindex(columns=empty.columns)
    for c in empty.columns:
        if c.startswith("not_shown:"):
            frame[c] = frame[c].astype("boolean").fillna(False).astype(bool)
    if renumber:  # a DataFrame partition: rows numbered across partitions
        frame["source_row"] = frame["source_row"].to_numpy() + offset
    frame["source_file"] = pd.Categorical([source_file] * len(frame), categories=files or [""])
    return frame


def _merged_missing(parts: list) -> pd.DataFrame:
    frames = [p for p in parts if p is not None and len(p)]
    if not frames:
        return pd.DataFrame(columns=["item", "code", "label", "count"])
    out = pd.concat(frames, ignore_index=True).groupby(["item", "code", "label"], sort=False, as_index=False)["count"]
    return out.sum()


def _renumbered(issue: Issue, offset: int, partition: int) -> Issue:
    """An issue of a DataFrame partition with its rows counted across partitions."""
    from dataclasses import replace

    rows = tuple(int(r) + offset for r in issue.rows)
    message = issue.message.replace("in the DataFrame", f"in partition {partition}")
    if issue.rows:
        message = message.replace(first_rows(np.asarray(issue.rows)), first_rows(np.asarray(rows)))
    return replace(issue, rows=rows, message=message)


def _merged_issues(tagged: list) -> list:
    """One issue per problem: the same problem found in several inputs (an absent column, the same unknown
    option) is one issue with the rows and counts of all of them, its message from the first input."""
    from dataclasses import replace

    groups: dict = {}
    for label, issue in tagged:
        groups.setdefault((issue.code, issue.item, issue.column, issue.values), []).append((label, issue))
    out = []
    for found in groups.values():
        first = found[0][1]
        if len(found) == 1:
            out.append(first)
            continue
        rows = tuple(r for _, i in found for r in i.rows)
        count = sum(i.count for _, i in found)
        where = ", ".join(lab for lab, _ in found[1:6]) + (" ..." if len(found) > 6 else "")
        out.append(replace(first, rows=rows, count=count, message=(
            f"{first.message} The same in {len(found) - 1} more inputs ({where})"
            + (f"; {count} in all." if count else "."))))
    return out


def _repeated_ids(audits: list, labels: list) -> tuple:
    """One issue for respondent ids on more than one row of all inputs taken together (within or across them)."""
    have = [(a["ids"], lab) for a, lab in zip(audits, labels) if a["ids"] is not None and len(a["ids"])]
    if not have:
        return ()
    ids = pd.Index(np.concatenate([i for i, _ in have]))
    dup = ids.duplicated(keep=False)
    if not dup.any():
        return ()
    repeated = ids[dup].unique()
    where = np.concatenate([np.full(len(i), k) for k, (i, _) in enumerate(have)])[dup]
    inputs = [have[k][1] for k in sorted(set(where.tolist()))]
    shown = ", ".join(repr(i) for i in repeated[:5]) + (" ..." if len(repeated) > 5 else "")
    return (Issue("duplicate_respondent_id",
                  f"{len(repeated)} respondent ids occur on more than one row ({int(dup.sum())} rows, in "
                  f"{', '.join(inputs[:5])}{' ...' if len(inputs) > 5 else ''}): {shown}.",
                  fix="Remove the repeated submissions, or read the parts that overlap once.",
                  count=len(repeated), values=tuple(repeated[:20])),)


def read_responses_dask(source, questionnaire, *, persist: bool = False) -> DaskSurveyData:
    """Read many exports (a path pattern), or a Dask DataFrame, into coded responses on Dask.

    Parameters
    ----------
    source : str, list of paths or dask.dataframe.DataFrame
        A glob pattern of exports (``'exports/*.csv'``, ``'exports/*.parquet'``; the files are
        read in sorted order, one partition each), a list of such files, or a Dask DataFrame of
        raw export cells (one row per respondent, the export's column names).
    questionnaire : Questionnaire or path
    persist : bool, default False
        Keep the coded partitions in (cluster) memory, so that the analyses that follow do not
        read and code the inputs again. Without it every analysis re-reads the inputs.

    Returns
    -------
    DaskSurveyData
        The coded frame stays lazy; the audit is computed now, in one pass over the inputs:
        rows read, used and excluded by reason (``accounting()``), the problems found while
        coding, and respondent ids repeated across inputs.

    Raises
    ------
    ImportError
        Dask is not installed (``pip install "surveykit[dask]"``).
    FileNotFoundError
        The pattern matches no file.
    DataError
        Files whose headers differ (naming each file and the columns), files of mixed formats,
        or a file that :func:`surveykit.read_responses` cannot read at all.

    Notes
    -----
    Each file or partition is read by :func:`surveykit.read_responses` itself (encodings, the
    问卷星 and Qualtrics layouts, missing codes, option text): the partition step is the pandas
    code. Checks that need the whole sample (speeders against the median duration,
    straight-lining, repeated submissions) are not yet run across partitions; repeated
    respondent ids are.

    Examples
    --------
    >>> import dask.dataframe as dd, surveykit as sk
    >>> from surveykit.example import generate_example
    >>> study = generate_example(n_respondents=200, n_customers=1000)
    >>> raw = study.answers.reset_index().rename(columns={"respondent_id": "resp_id"})
    >>> data = read_responses_dask(dd.from_pandas(raw, npartitions=3), study.questionnaire)
    >>> data.n_respondents, data.npartitions
    (200, 3)
    """
    dask, dd = require_dask()
    q = questionnaire if isinstance(questionnaire, Questionnaire) else load_questionnaire(questionnaire)
    if isinstance(source, dd.DataFrame):
        files, inputs = [], source.to_delayed()
        labels = [f"partition {k}" for k in range(len(inputs))]
        fmt, name = "dask", "<Dask DataFrame>"
    elif isinstance(source, (str, os.PathLike, list, tuple)):
        files = _match(source)
        _check_headers(files)
        inputs, labels = files, [os.path.basename(f) for f in files]
        fmt, name = _FORMATS[os.path.splitext(files[0])[1].lower()], os.fspath(source) if not isinstance(
            source, (list, tuple)) else f"{len(files)} files"
    else:
        raise TypeError(f"read_responses_dask reads a path pattern, a list of files or a Dask DataFrame; got "
                        f"{type(source).__name__}. For one file or a pandas DataFrame use surveykit.read_responses.")
    parts = [dask.delayed(_code_part)(s, q) for s in inputs]
    if persist:
        parts = list(dask.persist(*parts))
    audits = list(dask.compute(*[dask.delayed(_audit_of)(p) for p in parts]))
    data = _assemble(q, parts, audits, files, labels, fmt, name)
    if persist:  # the coded frames themselves, columns aligned: each analysis then starts from memory
        from dataclasses import replace

        data = replace(data, frame=data.frame.persist())
    return data


def _assemble(q, parts, audits, files, labels, fmt, name) -> DaskSurveyData:
    dask, dd = require_dask()
    renumber = not files
    n_read = [a["n_rows_read"] for a in audits]
    offsets = np.concatenate([[0], np.cumsum(n_read)[:-1]]).astype(int) if n_read else []
    used = [a for a in audits if a["empty"] is not None]
    if not used:
        raise EmptyDataError(f"{name!r} holds no respondents.")
    empty = used[0]["empty"]
    extra = [c for a in used for c in a["empty"].columns if c not in empty.columns]
    empty = empty.reindex(columns=[*empty.columns, *dict.fromkeys(extra)])
    for c in extra:
        empty[c] = empty[c].astype(bool) if c.startswith("not_shown:") else empty[c]
    empty["source_file"] = pd.Categorical([], categories=files or [""])
    exclusions, issues = [], []
    for k, a in enumerate(audits):
        ex = a["exclusions"]
        if ex is not None and len(ex):
            ex = ex.assign(source_row=ex["source_row"].astype(np.int64) + (offsets[k] if renumber else 0))
            exclusions.append(ex.assign(source_file=files[k] if files else ""))
        for issue in a["issues"]:
            issues.append((labels[k], _renumbered(issue, int(offsets[k]), k) if renumber else issue))
    issues = _merged_issues(issues) + list(_repeated_ids(audits, labels))
    exclusions = (pd.concat(exclusions, ignore_index=True) if exclusions else
                  pd.DataFrame(columns=["source_row", "respondent_id", "reason", "source_file"]))
    exclusions = exclusions.reindex(columns=["source_file", "source_row", "respondent_id", "reason"])
    frames = [dask.delayed(_frame_of)(p, int(offsets[k]), files[k] if files else "", renumber, empty, files)
              for k, p in enumerate(parts)]
    frame = dd.from_delayed(frames, meta=empty, verify_meta=False)
    first = used[0]["audit"]
    encodings = list(dict.fromkeys(a["audit"].encoding for a in used if a["audit"].encoding))
    audit = ReadAudit(source=name, format=fmt, layout=first.layout, encoding=", ".join(encodings) or None,
                      header_row=first.header_row, n_rows_read=int(sum(n_read)), column_map=first.column_map,
                      missing_codes=_merged_missing([a["missing"] for a in audits]))
    n_resp = sum(len(a["ids"]) for a in used)
    items = tuple(c for c in empty.columns if c in set(first.column_map) or c in {it.id for it in q.items})
    return DaskSurveyData(q, frame, audit, exclusions, n_resp, tuple(issues), tuple(files), tuple(n_read), items)
