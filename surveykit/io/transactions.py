"""Reading a transactions file (the customers' orders) with its ids kept as written."""

from __future__ import annotations

import csv
import io
import warnings
from pathlib import Path

import pandas as pd

from ..errors import DataError, EmptyDataError
from .table import check_formula_values, decode_text

__all__ = ["read_transactions"]


def read_transactions(path, *, sheet=0) -> pd.DataFrame:
    """Read a transactions file (.csv, .xlsx, .parquet) with every column as text, so ids keep their leading zeros.

    Parameters
    ----------
    path : str or Path
        A CSV (UTF-8, with or without a byte-order mark, or GB18030 as saved by a Chinese
        Excel), an Excel workbook or a Parquet file.
    sheet : str or int, default 0
        The Excel sheet.

    Returns
    -------
    DataFrame
        As in the file; CSV and Excel cells as text (empty cells missing), which
        :func:`~surveykit.value.link_survey` and :func:`~surveykit.value.prepare_transactions` parse
        and audit.

    Raises
    ------
    FileNotFoundError
    ValueError
        A file type other than .csv, .txt, .xlsx, .xls, .parquet.
    DataError, EmptyDataError
        A file that cannot be read as a table (undecodable cells, rows longer than the
        header, a corrupt workbook or Parquet file), or one without rows; the message names
        the file and, where known, the row.

    Notes
    -----
    pandas' default reader turns an id column '0042', '0107' into the numbers 42, 107: the
    ids then no longer match the survey's. Reading every column as text avoids that; amounts
    and dates are converted (and every unreadable value counted) by the analyses.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "tx.csv"
    >>> _ = path.write_text("customer_id,date,amount\\n0042,2026-10-01,120.5\\n", encoding="utf-8")
    >>> read_transactions(path)["customer_id"].tolist()
    ['0042']
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"No transactions file {str(path)!r}.")
    suffix = path.suffix.lower()
    name = str(path)
    if suffix not in (".csv", ".txt", ".xlsx", ".xls", ".parquet"):
        raise ValueError(f"The transactions file {name!r} has suffix {suffix!r}; read_transactions reads .csv, "
                         ".txt, .xlsx, .xls and .parquet.")
    try:
        if suffix in (".csv", ".txt"):
            _, text = decode_text(path.read_bytes(), path)
            with warnings.catch_warnings():
                warnings.simplefilter("error", pd.errors.ParserWarning)
                df = pd.read_csv(io.StringIO(text.lstrip("\ufeff")), dtype=str, keep_default_na=False, na_values=[""])
        elif suffix in (".xlsx", ".xls"):
            df = pd.read_excel(path, sheet_name=sheet, dtype=str, keep_default_na=False, na_values=[""])
            if suffix == ".xlsx":
                check_formula_values(path, sheet)
        else:
            df = pd.read_parquet(path)
    except DataError:
        raise
    except pd.errors.EmptyDataError:
        raise EmptyDataError(f"The transactions file {name!r} is empty: export the orders again.") from None
    except (pd.errors.ParserError, pd.errors.ParserWarning, csv.Error) as exc:
        raise DataError(f"The transactions file {name!r} is not a well-formed table: {exc}. Check that every row "
                        "has as many cells as the header and that cells holding the separator are quoted.") from None
    except Exception as exc:  # corrupt workbook or Parquet file (zipfile, pyarrow, calamine errors)
        raise DataError(f"Cannot read the transactions file {name!r} ({type(exc).__name__}: {exc}); it is corrupt "
                        "or truncated: export it again.") from None
    if df.empty:
        raise EmptyDataError(f"The transactions file {name!r} has no rows (no orders): export it again.")
    return df
