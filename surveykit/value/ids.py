"""Customer ids made comparable, the same way on every side of a join (transactions, survey, customer list).

:func:`normalize_ids` is the public face; :func:`encode_ids` gives the analyses integer codes
into the sorted distinct ids in one pass (with a fast path for fixed-width pyarrow strings), and
:func:`warn_zero_stripped` warns when two sides write one id with and without leading zeros.
"""

from __future__ import annotations

import re
import unicodedata
import warnings

import numpy as np
import pandas as pd

from .._checks import as_series
from ..errors import SurveykitWarning

__all__ = ["IdFormatWarning", "normalize_ids"]


class IdFormatWarning(SurveykitWarning):
    """Customer ids that differ only by leading zeros: probably one id written two ways."""



def _digit_key(ids: pd.Series) -> pd.Series:
    """Each run of digits without its leading zeros: 'C0042' -> 'C42', '007' -> '7' (zero stays '0')."""
    return ids.str.replace(r"(^|[^0-9])0+([0-9])", r"\1\2", regex=True)


def _format_id(fmt, value: str, from_number: bool):
    if callable(fmt):
        out = fmt(value)
        return None if out is None else str(out)
    if from_number or (value.isascii() and value.isdigit()):
        return fmt.format(int(value))
    return value


def _clean_unique(value, fmt) -> str | None:
    """One distinct raw id as its normalised string (None for a blank)."""
    from_number = False
    if isinstance(value, (bool, np.bool_)):
        text = str(value)
    elif isinstance(value, (int, np.integer)):
        text, from_number = str(int(value)), True
    elif isinstance(value, (float, np.floating)):
        if not np.isfinite(value):
            return None
        if float(value).is_integer():
            text, from_number = str(int(value)), True  # 42.0 read from Excel -> '42'
        else:
            text = repr(float(value))
    else:
        text = str(value)
        if not text.isascii():
            text = unicodedata.normalize("NFKC", text)  # full-width digits and letters, U+3000 spaces
        text = text.strip()
    if not text:
        return None
    return _format_id(fmt, text, from_number) if fmt is not None else text


def _check_id_format(id_format, function: str):
    if id_format is None or callable(id_format):
        return id_format
    if not isinstance(id_format, str):
        raise TypeError(f"The 'id_format' parameter of {function} must be a format string such as '{{:07d}}' or "
                        f"'C{{:07d}}', a function of one id, or None. Got {type(id_format).__name__} instead.")
    try:
        same = id_format.format(42) == id_format.format(43)
    except (ValueError, IndexError, KeyError):
        raise ValueError(f"The 'id_format' parameter of {function} must format one integer, e.g. '{{:07d}}' "
                         f"(zero-padded to 7 digits) or 'C{{:07d}}'. Got {id_format!r} instead.") from None
    if same:  # 'C0000000' without braces: every customer would get the same id
        raise ValueError(f"The 'id_format' parameter of {function} has no '{{}}' field for the id, so every id "
                         f"would become {id_format!r}: write it with braces, e.g. 'C{{:07d}}' for C0000042. "
                         f"Got {id_format!r}.")
    return id_format


def _factorize_fixed_width(values: pd.Series):
    """``pd.factorize(values, sort=True)`` of a pyarrow string column of values of one byte length, or None.

    Customer ids are often fixed-width codes ('C0000001'); hashing ten million of them as
    strings is the slowest step of reading a large table. Here the ids are read as rows of
    bytes: each byte position takes the ranks of the byte values that occur there, and the
    ranks, read as a mixed-radix number (first byte most significant), number the ids in
    byte order, which is code-point order for UTF-8. When those numbers fit a table of a few
    times the rows, one ``bincount`` factorises them; else they are factorised as integers.
    None when the values are not all of one length, hold missing values, or are too varied.
    The third value returned says whether no two ids can differ only by leading zeros.
    """
    import pyarrow as pa

    if getattr(values.dtype, "storage", None) != "pyarrow":
        return None
    arr = pa.array(values.array)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    large = pa.types.is_large_string(arr.type)
    n = len(arr)
    if not n or arr.null_count or not (large or pa.types.is_string(arr.type)):
        return None
    _, off_buf, data_buf = arr.buffers()
    offsets = np.frombuffer(off_buf, dtype=np.int64 if large else np.int32)[arr.offset: arr.offset + n + 1]
    width = int(offsets[1] - offsets[0])
    if not 0 < width <= 64 or int(offsets[-1] - offsets[0]) != n * width or not (np.diff(offsets) == width).all():
        return None
    raw = np.frombuffer(data_buf, dtype=np.uint8)[offsets[0]: offsets[0] + n * width].reshape(n, width)
    x = np.zeros(n, np.int64)
    size = 1
    for j in range(width):
        col = np.ascontiguousarray(raw[:, j])
        present = np.bincount(col, minlength=256) > 0
        radix = int(present.sum())
        if radix == 1:
            continue
        if size > (2 ** 62) // radix:
            return None
        x *= radix
        x += (np.cumsum(present) - 1)[col]
        size *= radix
    if size <= min(4 * n + 1024, 1 << 26):
        seen = np.bincount(x, minlength=size) > 0
        codes = (np.cumsum(seen) - 1)[x]
        k = int(seen.sum())
    else:
        codes, uniq = pd.factorize(x, sort=True)
        k = len(uniq)
    rep = np.empty(k, np.intp)
    rep[codes] = np.arange(n)  # a row of each id (all its rows are equal)
    ubytes = np.ascontiguousarray(raw[rep])
    off = np.arange(0, k * width + 1, width, dtype=np.int64 if large else np.int32)
    cls = pa.LargeStringArray if large else pa.StringArray
    uniques = cls.from_buffers(k, pa.py_buffer(off.tobytes()), pa.py_buffer(ubytes.tobytes()))
    # ids of one length with at most one run of digits each cannot differ only by leading zeros
    digit = (ubytes >= ord("0")) & (ubytes <= ord("9"))
    runs = digit[:, 0].astype(np.int64) + (digit[:, 1:] & ~digit[:, :-1]).sum(axis=1)
    return codes.astype(np.intp), pd.array(uniques, dtype=values.dtype), bool((runs <= 1).all())


def encode_ids(values: pd.Series, id_format, function: str, *, where: str | None = None, check_zeros: bool = True):
    """Customer codes (-1 for a missing id) into the sorted distinct normalised ids, and warnings to raise.

    ``function`` names the public function (for the argument errors), ``where`` the ids in the
    messages (e.g. "column 'customer_id' of rfm").
    """
    where = where or f"the ids of {function}"
    fmt = _check_id_format(id_format, function)
    fast = _factorize_fixed_width(values) if isinstance(values.dtype, pd.StringDtype) else None
    if fast is not None:
        codes, uniques, no_clash = fast
    else:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
    if isinstance(values.dtype, pd.StringDtype) and fmt is None:
        u = pd.Series(uniques)  # a string array: vectorised (pyarrow) string functions
        clean = u.str.strip()
        odd = np.flatnonzero(~u.str.isascii().to_numpy(dtype=bool))
        if len(odd):
            clean = clean.astype(object)
            clean.iloc[odd] = [_clean_unique(u.iloc[j], None) for j in odd]
        clean = clean.where(clean.notna() & (clean != ""))
        if fast is not None and clean.notna().all() and (clean == u).all():
            # already distinct, normalised and in sorted order: nothing to merge or sort
            ids = pd.Index(uniques, name="customer_id")
            return codes, ids, _zero_notes(ids, where, check_zeros and not no_clash)
    else:
        try:
            clean = pd.Series([_clean_unique(v, fmt) for v in np.asarray(uniques, dtype=object)], dtype=object)
        except (ValueError, TypeError) as exc:
            raise ValueError(f"The 'id_format' of {function} could not format the customer ids: {exc}.") from None
    # the distinct normalised ids, sorted, by one sort of the raw distinct ids (two raw ids can
    # normalise to one: 42 and '42'); mapping[j] is the id of raw distinct id j, -1 if blank
    keep = np.flatnonzero(clean.notna().to_numpy())
    vals = clean.iloc[keep].reset_index(drop=True)
    order = vals.argsort(kind="stable").to_numpy()
    ranked = vals.iloc[order].reset_index(drop=True)
    new = np.ones(len(ranked), bool)
    if len(ranked) > 1:
        new[1:] = (ranked.iloc[1:].reset_index(drop=True) != ranked.iloc[:-1].reset_index(drop=True)).to_numpy()
    mapping = np.full(len(clean) + 1, -1, np.intp)  # the last slot maps a missing raw id (-1) to -1
    mapping[keep[order]] = np.cumsum(new) - 1
    ids = ranked[new]
    ids = pd.Index(ids.array if isinstance(ids.dtype, pd.StringDtype) else np.asarray(ids, dtype=object),
                   name="customer_id")
    codes = mapping[np.where(codes < 0, len(clean), codes)]
    return codes, ids, _zero_notes(ids, where, check_zeros)


def _zero_notes(ids: pd.Index, where: str, check_zeros: bool) -> list:
    """A message when some of the distinct ids differ only by leading zeros ('0042' and '42')."""
    notes = []
    if check_zeros and len(ids) > 1:
        key = _digit_key(pd.Series(ids))
        clash = key.duplicated(keep=False).to_numpy()
        if clash.any():
            groups = pd.Series(ids[clash]).groupby(key[clash].to_numpy()).agg(list)
            shown = "; ".join(" and ".join(repr(i) for i in g[:3]) for g in groups.iloc[:3])
            k = len(groups)
            notes.append(f"{k} customer id{'s are' if k > 1 else ' is'} written two ways in {where}, differing only "
                         f"by leading zeros ({shown}); they are kept as different customers. If they are the same "
                         "customer (a number column read from Excel loses its leading zeros), pass id_format, e.g. "
                         f"id_format={suggest_format(ids[clash])!r}.")
    return notes


def suggest_format(examples) -> str:
    """A format string that writes a number like the longest of the example ids: 'C0000042' -> 'C{:07d}'."""
    best = max((str(e) for e in examples), key=len, default="")
    m = re.fullmatch(r"(\D*?)(\d+)", best)
    if not m:
        return "{:d}"
    prefix, digits = m.groups()
    return f"{prefix.replace('{', '{{').replace('}', '}}')}{{:0{len(digits)}d}}"


def normalize_ids(values, *, id_format=None, match=None, name: str | None = None) -> pd.Series:
    """Customer ids as comparable strings, the same way on every side of a join.

    Parameters
    ----------
    values : Series or array-like
        Customer ids as read: strings, integers, floats from Excel (42.0), or a mix.
    id_format : str or callable, optional
        Applied to ids that are whole numbers (numbers, or strings of ASCII digits), e.g.
        ``'{:07d}'`` to restore the zero padding Excel dropped, or ``'C{:07d}'`` to add a
        prefix. A callable is applied to every id (after the rules below).
    match : array-like, optional
        The ids of the other side of a join (e.g. the survey's customer ids). When ids here
        that are not found there do match after leading zeros are ignored, an
        :class:`IdFormatWarning` says how many and suggests an ``id_format``.
    name : str, optional
        What the ids are, for the messages (default: the Series name).

    Returns
    -------
    Series
        Same index as ``values``; each id a string, missing ids (None, NaN, blank) NaN.

    Notes
    -----
    The rules: an integer (or an integral float such as 42.0, as Excel and pandas give for a
    column of numbers with gaps) becomes its decimal digits (42 and '42' are one customer); a
    string keeps its characters, including leading zeros ('0042' stays '0042'), with
    surrounding white space removed and full-width characters (全角) folded to their ASCII
    forms (Unicode NFKC); an empty string is missing. An id list in which two ids differ
    only by leading zeros ('0042' and '42') raises an :class:`IdFormatWarning`: they are kept
    apart, since only the user knows whether they are one customer.

    Examples
    --------
    >>> import pandas as pd
    >>> from surveykit.value import normalize_ids
    >>> normalize_ids(pd.Series([42, "42", " C0007 ", 7.0, None])).tolist()
    ['42', '42', 'C0007', '7', nan]
    >>> normalize_ids(pd.Series([42, 7]), id_format="{:05d}").tolist()
    ['00042', '00007']
    """
    series = as_series(values, "values", "normalize_ids")
    label = name or (f"column {series.name!r}" if series.name is not None else "this list")
    codes, ids, notes = encode_ids(series, id_format, "normalize_ids", where=label)
    for note in notes:
        warnings.warn(note, IdFormatWarning, stacklevel=2)
    out = np.asarray(ids, dtype=object).take(np.where(codes < 0, 0, codes)) if len(ids) else np.full(len(codes), None)
    out = np.where(codes < 0, np.nan, out) if len(codes) else out
    result = pd.Series(out, index=series.index, name=series.name)
    if match is not None:
        other = as_series(match, "match", "normalize_ids")
        _, other_ids, _ = encode_ids(other, None, "normalize_ids", check_zeros=False)
        warn_zero_stripped(ids, other_ids, label, stacklevel=3)
    return result


def isin(values, candidates) -> np.ndarray:
    """``values.isin(candidates)`` for strings by a hash lookup (pandas' isin loops in Python for pyarrow strings)."""
    idx = pd.Index(candidates)
    if not idx.is_unique:
        idx = idx.unique()
    return idx.get_indexer(pd.Index(values)) >= 0


def warn_zero_stripped(ids: pd.Index, other: pd.Index, label: str, stacklevel: int = 2) -> None:
    """IdFormatWarning when ids absent from ``other`` match ids there once leading zeros are ignored."""
    missing = pd.Series(ids[~isin(ids, other)])
    if not len(missing):
        return
    key = _digit_key(missing)
    other_s = pd.Series(other)
    other_key = _digit_key(other_s)
    hit = isin(key, other_key)
    if not hit.any():
        return
    lookup = dict(zip(other_key, other_s))
    pairs = [(a, lookup[k]) for a, k in zip(missing[hit][:3], key[hit][:3])]
    shown = ", ".join(f"{a!r} ~ {b!r}" for a, b in pairs)
    targets = [b for _, b in pairs]
    k = int(hit.sum())
    warnings.warn(f"{k} id{'s' if k > 1 else ''} in {label} {'are' if k > 1 else 'is'} not found on the other side "
                  f"but match{'' if k > 1 else 'es'} an id there once leading zeros are ignored ({shown}): the two "
                  "files write the ids differently (a number column read "
                  "from Excel loses its leading zeros). Normalise both sides with normalize_ids(..., "
                  f"id_format={suggest_format(targets)!r}) so they match.", IdFormatWarning, stacklevel=stacklevel)
