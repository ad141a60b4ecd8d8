"""Reading an export file into a table of raw cells, whatever its format and layout.

Knows about files, encodings and header rows; knows nothing of questionnaires: the caller
passes the names it expects, and the header row is the one among the first rows that
matches the most of them (so a merged title row above the header, as Excel exports often
have, is skipped, and the Qualtrics layout of three header rows is recognised).
"""

from __future__ import annotations

import codecs
import contextlib
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

__all__ = ["RawTable", "open_table", "normalize_name", "decode_text", "check_formula_values"]

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
    sheet: int | str = 0  # xlsx: the sheet read (a position or a name)


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
            try:
                frame = pd.read_parquet(path)
            except Exception as exc:  # pyarrow: ArrowInvalid, OSError (corrupt, truncated, snappy)
                raise DataError(f"Cannot read {name!r} as a Parquet file ({type(exc).__name__}: {exc}); "
                                "the file is corrupt or truncated: write or download it again.") from None
            self._from_frame(frame, name, "parquet")
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
        _check_frame(df, name)
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
            # text such as 'NULL', 'N/A', 'nan' is kept as written (coding reports it), only empty cells are NaN
            full = pd.read_excel(path, sheet_name=self.sheet, header=None, dtype=object, engine="calamine",
                                 keep_default_na=False, na_values=[""])
        except Exception as exc:
            raise DataError(f"Cannot read {str(path)!r} as an Excel workbook: {exc}") from None
        if full.dropna(how="all").empty:
            raise EmptyDataError(f"{str(path)!r} has no data in sheet {self.sheet!r}: export the responses again.")
        check_formula_values(path, self.sheet)
        self._full = full
        self.preview = full.head(_PREVIEW_ROWS).to_numpy().tolist()
        self.table = RawTable(source=str(path), format="xlsx", sheet=self.sheet)

    def _open_csv(self, path: Path) -> None:
        self.text = None
        if FAST_CSV and self._open_csv_head(path):
            return
        self._decode_all(path)

    def _decode_all(self, path: Path) -> None:
        """The whole file decoded (one encoding for every cell), its separator and preview."""
        self.preview = []
        self.encoding, text = decode_text(path.read_bytes(), path)  # the whole file: one encoding for every cell
        self.text = text = text.lstrip("\ufeff")
        if not text.strip(" \r\n\t"):
            raise EmptyDataError(f"{str(path)!r} holds only blank lines: export the responses again.")
        sample = "\n".join(text[: 1 << 20].splitlines()[:50])
        self.sep = "\t" if path.suffix.lower() == ".tsv" else _sniff(sample)
        with _field_limit(len(text)):
            try:
                for row in csv.reader(io.StringIO(text, newline=""), delimiter=self.sep):
                    self.preview.append(row)
                    if len(self.preview) >= _PREVIEW_ROWS:
                        break
            except csv.Error as exc:
                raise DataError(f"{str(path)!r} is not a well-formed CSV file near row {len(self.preview) + 1}: {exc}.") from None
        self.table = RawTable(source=str(path), format="csv", encoding=_encoding_name(self.encoding))

    def _open_csv_head(self, path: Path) -> bool:
        """Separator and preview from the file's first bytes, when they are UTF-8 (the body is parsed from the file,
        which checks that every cell is UTF-8 too); False where only the whole decoded text will do."""
        with open(path, "rb") as f:
            raw = f.read(_HEAD_BYTES)
            whole = len(raw) < _HEAD_BYTES or not f.read(1)
        if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return False
        bom = raw.startswith(codecs.BOM_UTF8)
        try:  # a character cut at the end of the head is left out
            text = codecs.getincrementaldecoder("utf-8")().decode(raw[3:] if bom else raw, final=whole)
        except UnicodeDecodeError:
            return False
        # the same 50 lines for the separator, and 8 whole rows for the preview, as from the whole text
        if text.startswith("\ufeff") or not text.strip(" \r\n\t") or (not whole and len(text.splitlines()) <= 60):
            return False
        sample = "\n".join(text[: 1 << 20].splitlines()[:50])
        self.sep = "\t" if path.suffix.lower() == ".tsv" else _sniff(sample)
        try:
            for row in csv.reader(io.StringIO(text, newline=""), delimiter=self.sep):
                self.preview.append(row)
                if len(self.preview) >= _PREVIEW_ROWS:
                    break
        except csv.Error:
            self.preview = []
            return False
        self.encoding = "utf-8-sig" if bom else "utf-8"
        self.table = RawTable(source=str(path), format="csv", encoding=_encoding_name(self.encoding))
        return True

    @property
    def needs_header(self) -> bool:
        return self.table.frame is None

    def read(self, header_index: int, *, text_columns: set[str], expected_names: set[str] = frozenset()) -> RawTable:
        """Read the body below the header at ``header_index`` (0-based) of the preview."""
        t = self.table
        header = [("" if c is None or (isinstance(c, float) and np.isnan(c)) else str(c).strip())
                  for c in self.preview[header_index]]
        _check_repeated(header, expected_names, t.source, f"header row {header_index + 1}")
        skip = 0
        nxt = self.preview[header_index + 2] if len(self.preview) > header_index + 2 else []
        below = self.preview[header_index + 1] if len(self.preview) > header_index + 1 else []
        if _is_import_id_row(nxt) or _is_qualtrics_label_row(header, below):
            # Qualtrics: row 2 holds question texts, row 3 import ids (a copy may have lost row 3)
            t.layout = "qualtrics"
            t.column_labels = {h: str(lab) for h, lab in zip(header, below) if h and lab not in (None, "")}
            skip = 2 if _is_import_id_row(nxt) else 1
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

    def _csv_options(self, first: int, header: list[str], text_columns: set[str]) -> dict:
        return dict(sep=self.sep, header=None, names=header, skiprows=first, index_col=False,
                    dtype={c: _TEXT_PARSE_DTYPE for c in text_columns if c in header}, keep_default_na=False,
                    na_values=[""], skip_blank_lines=False)

    def _read_csv_file(self, first: int, header: list[str], text_columns: set[str]) -> pd.DataFrame | None:
        """The body parsed by pandas from the file itself, decoding UTF-8 as it goes: the frame of the
        decoded text (`_read_csv_body`) without a copy of the file as a Python string. None where that
        cannot be (a cell that is not UTF-8, a row longer than the header): the caller then decodes the
        whole text, which names what is wrong."""
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", pd.errors.DtypeWarning)
                warnings.simplefilter("error", pd.errors.ParserWarning)
                return _as_str(pd.read_csv(self.path, encoding=self.encoding, encoding_errors="strict",
                                           **self._csv_options(first, header, text_columns)), text_columns)
        except (UnicodeDecodeError, pd.errors.ParserWarning, pd.errors.ParserError, ValueError,
                pd.errors.EmptyDataError):
            return None

    def _read_csv_body(self, first: int, header: list[str], text_columns: set[str]) -> pd.DataFrame:
        if self.text is None:  # opened from its head: parsed from the file, else the whole text is decoded
            header_cells = [c for row in self.preview[:first] for c in row]
            if first <= len(self.preview) and not any("\n" in c or "\r" in c for c in header_cells):
                body = self._read_csv_file(first, header, text_columns)
                if body is not None:
                    return body
            table = self.table  # the header already read; the encoding is the whole file's
            self._decode_all(self.path)
            table.encoding, self.table = self.table.encoding, table
        kwargs = self._csv_options(first, header, text_columns)
        try:
            with warnings.catch_warnings():
                # a column mixing codes and option text is coded value by value later
                warnings.simplefilter("ignore", pd.errors.DtypeWarning)
                # a row longer than the header: pandas drops its last cells with a mere warning
                warnings.simplefilter("error", pd.errors.ParserWarning)
                return _as_str(pd.read_csv(io.StringIO(self.text), **kwargs), text_columns)
        except (pd.errors.ParserWarning, pd.errors.ParserError) as exc:
            long_rows = self._long_rows(first, len(header))
            if long_rows:
                shown = ", ".join(f"row {r} ({n} cells)" for r, n in long_rows[:10])
                raise DataError(
                    f"{str(self.path)!r}: {len(long_rows)} rows hold more cells than the header (row {self.table.header_row}, "
                    f"{len(header)} columns): {shown}{' ...' if len(long_rows) > 10 else ''}. A header cell is "
                    "missing or a cell holds an unquoted separator, so the answers would shift column: "
                    "correct the header (or quote the cell) and read the file again."
                ) from None
            raise DataError(f"{str(self.path)!r} is not a well-formed CSV file: {exc}") from None
        except (ValueError, pd.errors.EmptyDataError) as exc:
            raise DataError(f"{str(self.path)!r} is not a well-formed CSV file: {exc}") from None

    def _long_rows(self, first: int, width: int) -> list[tuple[int, int]]:
        """(1-based row, cells) of the rows below the header with more than ``width`` cells."""
        out = []
        with _field_limit(len(self.text)):
            try:
                for k, row in enumerate(csv.reader(io.StringIO(self.text, newline=""), delimiter=self.sep), start=1):
                    if k > first and len(row) > width:
                        out.append((k, len(row)))
            except csv.Error:
                pass
        return out


# The body of a UTF-8 CSV is parsed from the file itself (see `_Source._read_csv_file`); False: always from
# the whole text decoded in Python first (a copy of the file as str, and again as bytes inside pandas).
FAST_CSV = True
_HEAD_BYTES = 1 << 20


def _text_parse_dtype():
    """The dtype the text columns (ids, open answers) are parsed as. With pandas' own str dtype held by pyarrow
    (pandas 3): pyarrow strings, which pandas' parser fills in its parallel chunks (with dtype=str it converts
    them afterwards, a third of the whole read), then taken as str without a copy (`_as_str`): the same frame."""
    try:
        if int(pd.__version__.split(".")[0]) >= 3 and pd.StringDtype(na_value=np.nan).storage == "pyarrow":
            import pyarrow as pa

            return pd.ArrowDtype(pa.string())
    except (ImportError, TypeError, ValueError):
        pass
    return str


_TEXT_PARSE_DTYPE = _text_parse_dtype()


def _as_str(frame: pd.DataFrame, text_columns: set[str]) -> pd.DataFrame:
    if _TEXT_PARSE_DTYPE is not str:
        for c in text_columns:
            if c in frame.columns:
                frame[c] = frame[c].astype("str")
    return frame


def _sniff(sample: str) -> str:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def open_table(source, *, expected_names: set[str], text_columns, sheet=0) -> RawTable:
    """Open an export and read it into a :class:`RawTable`.

    ``expected_names`` are normalised names (see :func:`normalize_name`) the header should
    contain; ``text_columns(header) -> set`` names the columns to keep as text (ids with
    leading zeros, open answers).
    """
    src = _Source(source, sheet=sheet)
    if not src.needs_header:
        _check_repeated(src.table.columns, expected_names, src.table.source, "the column names")
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
    return src.read(header_index, text_columns=set(text_columns(header)), expected_names=expected_names)


#: Qualtrics' system columns and the text its second header row gives them
_QUALTRICS_LABELS = {"StartDate": "Start Date", "EndDate": "End Date", "Status": "Response Type",
                     "Progress": "Progress", "Finished": "Finished", "RecordedDate": "Recorded Date",
                     "ResponseId": "Response ID", "Duration (in seconds)": "Duration (in seconds)"}


def _is_qualtrics_label_row(header, row) -> bool:
    """Whether ``row`` is Qualtrics' question-text row (its system columns read "Start Date",
    "Response ID" ...): a Qualtrics export whose import-id row was deleted keeps it, and it is
    not a respondent."""
    cells = {h: str(c).strip() for h, c in zip(header, row) if h in _QUALTRICS_LABELS and c not in (None, "")}
    matched = sum(cells[h] == _QUALTRICS_LABELS[h] for h in cells)
    return matched >= 2 and matched >= len(cells) - 1


def _is_import_id_row(row) -> bool:
    cells = [str(c) for c in row if c not in (None, "")]
    return bool(cells) and sum(c.startswith('{"ImportId"') for c in cells) >= max(1, len(cells) // 2)


def decode_text(raw: bytes, path: Path) -> tuple[str, str]:
    """(encoding, text) of a whole CSV file, every cell decoded with the one encoding detected.

    A file that is UTF-8 but for a few cells (two exports pasted together) is refused with
    the rows and columns of those cells: decoding it all with a single-byte or GBK codec
    would silently turn every other cell's Chinese into mojibake.
    """
    name = str(path)
    if raw.startswith(codecs.BOM_UTF8):
        enc = "utf-8-sig"
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return "utf-16", raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DataError(f"{name!r} starts as UTF-16 text but byte {exc.start} is not: save it again as UTF-8.") from None
    else:
        enc = "utf-8"
    try:
        return enc, raw.decode(enc)
    except UnicodeDecodeError:
        pass
    escaped = raw.decode(enc, errors="surrogateescape")
    n_bad = len(_ESCAPED.findall(escaped))
    n_good = len(_NON_ASCII.findall(escaped)) - n_bad
    if enc == "utf-8-sig" or n_good > n_bad:  # UTF-8 but for some cells
        raise DataError(_undecodable(escaped, name, "UTF-8", "gb18030"))
    try:
        return "gb18030", raw.decode("gb18030")
    except UnicodeDecodeError:
        pass
    escaped = raw.decode("gb18030", errors="surrogateescape")
    n_bad = len(_ESCAPED.findall(escaped))
    if len(_NON_ASCII.findall(escaped)) - n_bad > n_bad:  # GB18030 but for some cells
        raise DataError(_undecodable(escaped, name, "GB18030", "utf-8"))
    from charset_normalizer import from_bytes

    best = from_bytes(raw[: 1 << 20]).best()
    if best is not None:
        try:
            return best.encoding, raw.decode(best.encoding)
        except (UnicodeDecodeError, LookupError):
            pass
    raise DataError(
        f"Cannot tell the text encoding of {name!r}: it is neither UTF-8 nor GB18030/GBK. "
        "Save it again as UTF-8 (Excel: 'CSV UTF-8')."
    )


_ESCAPED = re.compile("[\udc80-\udcff]")
_NON_ASCII = re.compile("[^\x00-\x7f]")


def _undecodable(escaped: str, name: str, encoding: str, other: str) -> str:
    """The message naming the cells of a file in ``encoding`` that are not (row, column, bytes, and their reading in ``other``)."""
    sep = ","
    try:
        sep = csv.Sniffer().sniff("\n".join(escaped[: 1 << 16].splitlines()[:20]), delimiters=",;\t").delimiter
    except csv.Error:
        pass
    cells, header = [], []
    with _field_limit(len(escaped)):
        try:
            for r, row in enumerate(csv.reader(io.StringIO(escaped, newline=""), delimiter=sep), start=1):
                header = header or row
                cells += [(r, c, v) for c, v in enumerate(row, start=1) if _ESCAPED.search(v)]
        except csv.Error:
            pass
    if not cells:
        return f"{name!r} is {encoding} text except for some bytes that are not: save it again as UTF-8 (Excel: 'CSV UTF-8')."

    def shown(r, c, v):
        b = v.encode(encoding.lower(), errors="surrogateescape")
        col = f" ({header[c - 1]!r})" if c <= len(header) and r > 1 else ""
        return f"row {r} column {c}{col}: {b[:40]!r} (as {other.upper()}: {b.decode(other, errors='replace')[:20]!r})"

    where = "; ".join(shown(*cell) for cell in cells[:5])
    return (f"{name!r} is {encoding} text except {len(cells)} cell{'s' if len(cells) > 1 else ''} that "
            f"{'are' if len(cells) > 1 else 'is'} not: {where}{' ...' if len(cells) > 5 else ''}. "
            "The file was probably pasted together from exports saved in different encodings: retype or "
            f"re-export these cells as {encoding} (or save the whole file again as UTF-8) and read it again.")


@contextlib.contextmanager
def _field_limit(n: int):
    """The csv module's field-size limit (128 KiB) raised to ``n`` characters while reading one file."""
    old = csv.field_size_limit()
    csv.field_size_limit(max(old, min(n + 1, 2**31 - 1)))
    try:
        yield
    finally:
        csv.field_size_limit(old)


_REPEAT = re.compile(r"^(.*)\.(\d+)$")


def _check_repeated(columns: list[str], expected: set[str], source: str, where: str) -> None:
    """Refuse a header in which a column the questionnaire needs appears twice, naming both columns.

    Also catches pandas' renaming of a repeat (``prod_1``, ``prod_1.1``): surveykit does not
    guess which of two columns holds the answers.
    """
    first: dict[str, int] = {}
    repeats = []
    for i, c in enumerate(columns):
        c = str(c).strip()
        m = _REPEAT.match(c)
        base = m.group(1) if m and normalize_name(c) not in expected and m.group(1) in first else c
        if base in first and normalize_name(base) in expected:
            repeats.append(f"columns {first[base] + 1} ({columns[first[base]]!r}) and {i + 1} ({columns[i]!r})")
        first.setdefault(base, i)
    if repeats:
        raise DataError(
            f"{source!r} has repeated column names ({where}): {'; '.join(repeats)}. surveykit does not guess "
            "which one holds the answers: rename or remove one of each pair and read the file again."
        )


def _check_frame(df: pd.DataFrame, name: str) -> None:
    """A table from a DataFrame, Parquet or SPSS file: rows present, names unique, cells scalar."""
    if df.shape[0] == 0:
        raise EmptyDataError(f"{name!r} has columns but no rows (no respondents): export the responses again.")
    dup = df.columns[df.columns.duplicated()]
    if len(dup):
        pos = [i + 1 for i, c in enumerate(df.columns) if c == dup[0]]
        raise DataError(f"{name!r} has the column name {dup[0]!r} more than once (columns {', '.join(map(str, pos))}): "
                        "rename or remove the repeats and read it again.")
    for c in df.columns:
        if df[c].dtype == object:
            nested = df[c].map(lambda v: isinstance(v, (list, tuple, dict, set, np.ndarray)))
            if nested.any():
                r = int(np.flatnonzero(nested.to_numpy())[0]) + 1
                raise DataError(f"Column {c!r} of {name!r} holds lists or records (e.g. row {r}), not single answers: "
                                "flatten it to one value per cell before reading.")


_SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]|\st=\"e\"")  # a formula, or a cell holding an error value


def check_formula_values(path: Path, sheet=0) -> None:
    """A DataError naming the cells of ``sheet`` that hold a formula without its value saved, or an
    error value (``#N/A``, ``#DIV/0!`` ...).

    Excel saves each formula's last result next to it; a workbook written by a script (openpyxl)
    holds the formula alone, and every reader sees a blank cell: answers would silently go missing.
    An error value (a failed lookup pasted as values) reads as blank too. Only the sheet's XML is
    scanned, and parsed only when it holds a formula or an error value at all.
    """
    import zipfile
    from xml.etree import ElementTree as ET

    try:
        with zipfile.ZipFile(path) as z:
            name, member = _sheet_member(z, sheet)
            if member is None or not _has_formula(z, member):
                return
            missing, errors = [], []
            with z.open(member) as fh:
                for _, el in ET.iterparse(fh):
                    if el.tag == _SHEET_NS + "c":
                        v = el.find(_SHEET_NS + "v")  # openpyxl writes an empty <v/>; a text result "" is t="str"
                        if el.get("t") == "e":
                            errors.append(f"{el.get('r', '?')} {v.text if v is not None else '#?'}")
                        elif el.find(_SHEET_NS + "f") is not None and (v is None or
                                                                       (not v.text and el.get("t") != "str")):
                            missing.append(el.get("r", "?"))
                        el.clear()
    except (zipfile.BadZipFile, ET.ParseError, KeyError, OSError):
        return  # the reader itself has read the cells; nothing more to say about formulas
    if errors:
        raise DataError(
            f"{str(path)!r}, sheet {name!r}: {len(errors)} cell{'s hold' if len(errors) > 1 else ' holds'} an Excel "
            f"error value ({', '.join(errors[:10])}{' ...' if len(errors) > 10 else ''}), which would read as blank. "
            "Correct the formula or lookup that produced it, or clear the cells if they hold no answer, and read "
            "the workbook again.")
    if missing:
        raise DataError(
            f"{str(path)!r}, sheet {name!r}: {len(missing)} formula cell{'s have' if len(missing) > 1 else ' has'} no "
            f"saved value ({', '.join(missing[:10])}{' ...' if len(missing) > 10 else ''}), so "
            f"{'they' if len(missing) > 1 else 'it'} would read as blank. The workbook was written by a script that "
            "saves formulas without their results: open it in Excel or LibreOffice and save it (which computes "
            "them), or paste the cells as values, and read it again.")


def sheets_with_columns(source, names, *, exclude=None) -> list[str]:
    """The sheets of an Excel workbook (other than ``exclude``) whose first rows hold one of ``names``:
    where the responses are when the sheet read is a summary. Empty for any other source."""
    if not str(source).lower().endswith((".xlsx", ".xlsm", ".xls")):
        return []
    try:
        heads = pd.read_excel(source, sheet_name=None, header=None, nrows=5, dtype=object, engine="calamine")
    except Exception:  # noqa: BLE001 - a hint only: the caller's error stands without it
        return []
    wanted = {str(n).strip() for n in names}
    return [str(name) for k, (name, head) in enumerate(heads.items())
            if name != exclude and k != exclude and wanted & {str(v).strip() for v in head.to_numpy().ravel()}]


def _sheet_member(z, sheet) -> tuple[str, str | None]:
    """(name, zip member) of ``sheet`` (a position or a name) of an xlsx archive."""
    from xml.etree import ElementTree as ET

    rel_ns = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    sheets = [(el.get("name"), el.get(rel_ns)) for el in ET.fromstring(z.read("xl/workbook.xml")).iter(_SHEET_NS + "sheet")]
    rels = {el.get("Id"): el.get("Target") for el in ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))}
    picked = sheets[sheet] if isinstance(sheet, int) and 0 <= sheet < len(sheets) else \
        next(((n, r) for n, r in sheets if n == sheet), None)
    if picked is None or rels.get(picked[1]) is None:
        return str(sheet), None
    target = rels[picked[1]]
    return picked[0], target.lstrip("/") if target.startswith("/") else "xl/" + target


# every match of _FORMULA_TAG holds one of these
_FORMULA_HINTS = (re.compile(rb"<f[\s>/]"), re.compile(rb":f[\s>/]"), re.compile(rb't="e"'))


def _has_formula(z, member: str) -> bool:
    tail = b""
    with z.open(member) as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            data = tail + chunk
            # literal-prefixed hints first (the engine scans for those ~3x faster than for the tag itself)
            if any(h.search(data) for h in _FORMULA_HINTS) and _FORMULA_TAG.search(data):
                return True
            tail = chunk[-16:]
    return False


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
