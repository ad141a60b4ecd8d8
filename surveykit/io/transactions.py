"""Reading a transactions file (the customers' orders) with its ids kept as written."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import DataError

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
    if not path.exists():
        raise FileNotFoundError(f"No transactions file {str(path)!r}.")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding=encoding)
            except UnicodeDecodeError:
                continue
        raise DataError(f"The transactions file {str(path)!r} is neither UTF-8 nor GB18030 text; save it as UTF-8 CSV.")
    if suffix in (".xlsx", ".xls"):
        return pd.read_excel(path, sheet_name=sheet, dtype=str)
    if suffix == ".parquet":
        return pd.read_parquet(path)
    raise ValueError(f"The transactions file {str(path)!r} has suffix {suffix!r}; read_transactions reads .csv, "
                     ".txt, .xlsx, .xls and .parquet.")
