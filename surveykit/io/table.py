"""Reading an export file into a table of raw cells, whatever its format and layout.

Knows about files, encodings and header rows; knows nothing of questionnaires: the caller
passes the names it expects, and the header row is the one among the first rows that
matches the most of them (so a merged title row above the header, as Excel exports often
have, is skipped, and the Qualtrics layout of three header rows is recognised).
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import unicodedata
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataError, EmptyDataError

__all__ = ["RawTable", "open_table", "normalize_name"]

_PREVIEW_ROWS = 8
_NUMBER_PREFIX = re.compile(r"^\s*(?:Q\s*)?\d+\s*[.、:)）]\s*")
_SPACE = re.compile(r"\s+")


def normalize_name(name) -> str:
    """Header text as compared with the questionnaire: NFKC (full-width -> half-width),
    whitespace collapsed, case folded, a leading question number ("12." / "12、") dropped."""
    if name is None or (isinstance(name, float) and np.isnan(name)):
        return ""
    s = unicodedata.normalize("NFKC", str(name))
    s = _NUMBER_PREFIX.sub("", s)
    return _SPACE.sub(" ", s).strip().casefold()


@dataclass
class RawTable:
    """An export's cells with the provenance every later message needs."""

    source: str
    format: str  # csv | xlsx | sav | parquet | dataframe
    layout: str = "generic"  # generic | qualtrics | wjx | spss
    encoding: str | None = None
    header_row: int = 1  # 1-based row of the header in the source (0 where there is none)
    columns: list[str] = field(default_factory=list)
    frame: pd.DataFrame | None = None
    source_rows: np.ndarray | None = None
    column_labels: dict[str, str] = field(default_factory=dict)  # Qualtrics row 2, SPSS variable labels
    value_labels: dict[str, dict[float, str]] = field(default_factory=dict)  # SPSS
    user_missing: dict[str, set[float]] = field(default_factory=dict)  # SPSS


class _Source:
    """An opened export: a preview of its first rows, and a way to read the body."""

    def __init__(self, source, *, sheet=0):
        self.sheet = sheet
        self.table: RawTable
        self.preview: list[list] = []
        self._full: pd.DataFrame | None = None  # xlsx: the whole sheet, header included
        if isinstance(source, pd.DataFrame):
            self._from_frame(source, "<DataFrame>", "dataframe")
            return
        path = Path(source)
        if not path.is_file():
            raise FileNotFoundError(f"Data file not found: {str(path)!r}")
        self.path = path
        name = str(path)
        if path.stat().st_size == 0:
            raise EmptyDataError(f"{name!r} is empty (0 bytes): export the responses again.")
        suffix = path.suffix.lower()
        if suffix in (".csv", ".txt", ".tsv"):
            self._open_csv(path)
        elif suffix in (".xlsx", ".xlsm"):
            self._open_excel(path)
        elif suffix in (".sav", ".zsav"):
            self._open_sav(path)
        elif suffix in (".parquet", ".pq"):
            self._from_frame(pd.read_parquet(path), name, "parquet")
        else:
            raise DataError(
                f"Cannot read {name!r}: unknown file type {suffix!r}. "
                "surveykit reads .csv, .tsv, .txt, .xlsx, .xlsm, .sav, .zsav and .parquet files "
                "(save an old .xls workbook as .xlsx)."
            )

    # -- formats with a fixed header ---------------------------------------------------------
    def _from_frame(self, df: pd.DataFrame, name: str, fmt: str, **extra) -> None:
        df = df.reset_index(drop=True)
        df.columns = [str(c) for c in df.columns]
        self.table = RawTable(source=name, format=fmt, header_row=0, columns=list(df.columns),
                              frame=df, source_rows=np.arange(1, len(df) + 1), **extra)

    def _open_sav(self, path: Path) -> None:
        import pyreadstat

        try:
            df, meta = pyreadstat.read_sav(str(path), user_missing=True, apply_value_formats=False)
        except Exception as exc:  # pyreadstat raises its own ReadstatError
            raise DataError(f"Cannot read {str(path)!r} as an SPSS file: {exc}") from None
        user_missing: dict[str, set[float]] = {}
        for col, values in (meta.missing_user_values or {}).items():
            user_missing.setdefault(col, set()).update(float(v) for v in values)
        for col, ranges in (meta.missing_ranges or {}).items():
            for r in ranges:
                lo, hi = r["lo"], r["hi"]
                if lo == hi:
                    user_missing.setdefault(col, set()).add(float(lo))
                else:  # a range: keep the integer codes seen in the data
                    seen = pd.to_numeric(df[col], errors="coerce")
                    user_missing.setdefault(col, set()).update(
                        float(v) for v in seen[(seen >= lo) & (seen <= hi)].unique()
                    )
        labels = {k: {float(c): str(t) for c, t in v.items()} for k, v in (meta.variable_value_labels or {}).items()}
        self._from_frame(
            df, str(path), "sav", layout="spss",
            column_labels=dict(zip(meta.column_names, meta.column_labels or [])) if meta.column_labels else {},
            value_labels=labels, user_missing=user_missing,
        )
        self.table.column_labels = {k: v for k, v in self.table.column_labels.items() if v}

    # -- formats whose header row must be found ----------------------------------------------
    def _open_excel(self, path: Path) -> None:
        try:
            # calamine: the same cells as openpyxl (compared on every export layout), ~7x faster
            full = pd.read_excel(path, sheet_name=self.sheet, header=None, dtype=object, engine="calamine")
        except Exception as exc:
            raise DataError(f"Cannot read {str(path)!r} as an Excel workbook: {exc}") from None
        if full.dropna(how="all").empty:
            raise EmptyDataError(f"{str(path)!r} has no data in sheet {self.sheet!r}: export the responses again.")
        self._full = full
        self.preview = full.head(_PREVIEW_ROWS).to_numpy().tolist()
        self.table = RawTable(source=str(path), format="xlsx")

    def _open_csv(self, path: Path) -> None:
        with open(path, "rb") as fh:
            head = fh.read(1 << 20)
        self.encoding = _detect_encoding(head, path)
        text = head.decode(self.encoding, errors="replace")
        if not text.strip("\ufeff \r\n\t"):
            raise EmptyDataError(f"{str(path)!r} holds only blank lines: export the responses again.")
        sample = "\n".join(text.splitlines()[:50])
        if path.suffix.lower() == ".tsv":
            self.sep = "\t"
        else:
            try:
                self.sep = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
            except csv.Error:
                self.sep = ","
        reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=self.sep)
        for row in reader:
            self.preview.append(row)
            if len(self.preview) >= _PREVIEW_ROWS:
                break
        self.table = RawTable(source=str(path), format="csv", encoding=_encoding_name(self.encoding))

    @property
    def needs_header(self) -> bool:
        return self.table.frame is None

    def read(self, header_index: int, *, text_columns: set[str]) -> RawTable:
        """Read the body below the header at ``header_index`` (0-based) of the preview."""
        t = self.table
        header = [("" if c is None or (isinstance(c, float) and np.isnan(c)) else str(c).strip())
                  for c in self.preview[header_index]]
        skip = 0
        nxt = self.preview[header_index + 2] if len(self.preview) > header_index + 2 else []
        if _is_import_id_row(nxt):
            t.layout = "qualtrics"  # row 2 holds question texts, row 3 import ids
            labels = self.preview[header_index + 1]
            t.column_labels = {h: str(lab) for h, lab in zip(header, labels) if h and lab not in (None, "")}
            skip = 2
        header = _unique_names(header)
        t.columns, t.header_row = header, header_index + 1
        first = header_index + 1 + skip
        if self._full is not None:
            body = self._full.iloc[first:, : len(header)].copy()
            body.columns = header[: body.shape[1]]
            for c in header[body.shape[1]:]:
                body[c] = np.nan
        else:
            body = self._read_csv_body(first, header, text_columns)
        if body.empty:
            raise EmptyDataError(
                f"{t.source!r} has a header row (row {t.header_row}) but no respondents: export the responses again."
            )
        t.source_rows = np.arange(first + 1, first + 1 + len(body))
        t.frame = body.reset_index(drop=True)
        return t

    def _read_csv_body(self, first: int, header: list[str], text_columns: set[str]) -> pd.DataFrame:
        kwargs = dict(
            sep=self.sep, header=None, names=header, skiprows=first, index_col=False,
            dtype={c: str for c in text_columns if c in header}, keep_default_na=False,
            na_values=[""], skip_blank_lines=False,
        )
        try:
            with warnings.catch_warnings():
                # a column mixing codes and option text is coded value by value later
                warnings.simplefilter("ignore", pd.errors.DtypeWarning)
                return pd.read_csv(self.path, encoding=self.encoding, **kwargs)
        except UnicodeDecodeError as exc:
            if self.encoding in ("utf-8", "utf-8-sig"):
                # the first MiB was UTF-8 but a later line is not: most often a GBK file
                self.encoding = "gb18030"
                self.table.encoding = _encoding_name(self.encoding)
                try:
                    return pd.read_csv(self.path, encoding=self.encoding, **kwargs)
                except UnicodeDecodeError:
                    pass
            raise DataError(
                f"{str(self.path)!r} is not valid {self.table.encoding} text ({exc.reason}); "
                "save it again as UTF-8 (Excel: 'CSV UTF-8') or GB18030."
            ) from None
        except pd.errors.ParserError as exc:
            raise DataError(f"{str(self.path)!r} is not a well-formed CSV file: {exc}") from None


def open_table(source, *, expected_names: set[str], text_columns, sheet=0) -> RawTable:
    """Open an export and read it into a :class:`RawTable`.

    ``expected_names`` are normalised names (see :func:`normalize_name`) the header should
    contain; ``text_columns(header) -> set`` names the columns to keep as text (ids with
    leading zeros, open answers).
    """
    src = _Source(source, sheet=sheet)
    if not src.needs_header:
        return src.table
    if not src.preview:
        raise EmptyDataError(f"{src.table.source!r} has no rows: export the responses again.")
    import_ids = [k for k, row in enumerate(src.preview) if k >= 2 and _is_import_id_row(row)]
    if import_ids:  # Qualtrics: column names, question texts, then {"ImportId": ...}
        header_index = import_ids[0] - 2
    else:
        scores = [sum(normalize_name(c) in expected_names for c in row if c not in (None, "")) for row in src.preview]
        header_index = int(np.argmax(scores)) if max(scores) > 0 else 0
    header = [str(c).strip() for c in src.preview[header_index] if c is not None]
    return src.read(header_index, text_columns=set(text_columns(header)))


def _is_import_id_row(row) -> bool:
    cells = [str(c) for c in row if c not in (None, "")]
    return bool(cells) and sum(c.startswith('{"ImportId"') for c in cells) >= max(1, len(cells) // 2)


def _detect_encoding(head: bytes, path: Path) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        codecs.getincrementaldecoder("gb18030")().decode(head, final=False)
        return "gb18030"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(head).best()
    if best is None:
        raise DataError(
            f"Cannot tell the text encoding of {str(path)!r}: it is neither UTF-8 nor GB18030/GBK. "
            "Save it again as UTF-8 (Excel: 'CSV UTF-8')."
        )
    return best.encoding


def _encoding_name(enc: str) -> str:
    return {"utf-8-sig": "UTF-8 with BOM", "utf-8": "UTF-8", "gb18030": "GB18030 (GBK)", "utf-16": "UTF-16"}.get(enc, enc)


def _unique_names(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, n in enumerate(names):
        n = n or f"column_{i + 1}"
        if n in seen:
            seen[n] += 1
            n = f"{n}.{seen[n]}"
        else:
            seen[n] = 0
        out.append(n)
    return out


def file_sha256(path: str | os.PathLike) -> str:
    import hashlib

    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
