"""Tables written as files: ``.xlsx`` workbooks, ``.docx`` three-line tables and ``.csv``.

The writers take a list of plain :class:`Table` records (a title, the numbers, a note and how
to show them); the report hands them its tables, and the ``surveykit value`` command its own.

* ``write_xlsx``: a contents sheet, then one sheet per table: title, the table with numbers as
  numbers at full precision, each cell with a number format (:func:`number_formats`: whole
  numbers as ``0``, shares as ``0.0%``, estimates to the decimals the report shows), the note below. Text cells that a spreadsheet
  would run as a formula (``=``, ``+``, ``-``, ``@``, tab, carriage return) are stored as text
  with Excel's quote prefix: shown as written, never evaluated.
* ``write_docx``: three-line tables (三线表) as Chinese and APA journals print them: the title
  above, a thick rule above the header, a thin rule below it, a thick rule at the bottom, no
  vertical or other rules, the note below.
* ``write_csv``: one table as UTF-8 with a byte-order mark (for Excel), formula-like text cells
  prefixed with ``'`` (:func:`surveykit._spreadsheet.neutralise`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .._spreadsheet import CONTROL, is_formula_like, strip_control, to_csv

__all__ = ["Table", "format_frame", "number_formats", "write_csv", "write_docx", "write_xlsx"]

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Table:
    """One table to write: its numbers and how to show them.

    Parameters
    ----------
    title : str
        Shown above the table (and names its sheet in a workbook).
    frame : DataFrame
        The numbers, kept as numbers: the writers format them, never round them.
    note : str, optional
        Shown below the table.
    percent : tuple of str
        Columns holding shares, shown as percentages.
    decimals : int
        Decimals of the other float columns.
    index : bool
        Whether the frame's index is shown, as leading columns.
    section : str
        The part of a report the table belongs to (the workbook's contents sheet lists it).
    shown : int, optional
        A long list: the Word document shows its first ``shown`` rows (the note says where the
        rest is); the workbook and CSV always hold every row.
    texts : tuple of (str, tuple of str)
        Headed paragraphs printed below the note in the Word document (the report's 分析建议 /
        How to read and 智能分析 / Interpretation).
    formats : DataFrame, optional
        The spreadsheet number format of each cell of ``frame`` (same shape; None for a cell
        left as it is): :func:`number_formats`. Default: from ``percent`` and ``decimals``.
    """

    title: str
    frame: pd.DataFrame
    note: str | None = None
    percent: tuple[str, ...] = ()
    decimals: int = 3
    index: bool = True
    section: str = ""
    shown: int | None = None
    texts: tuple = ()
    formats: pd.DataFrame | None = None


def format_frame(df: pd.DataFrame, decimals: int = 3, percent: tuple[str, ...] = ()) -> pd.DataFrame:
    """The table as the reader sees it: floats to ``decimals``, shares as percentages, ✓/✗, blanks for NaN."""
    fmt = df.copy()
    for c in fmt.columns:
        if pd.api.types.is_bool_dtype(fmt[c]):
            fmt[c] = fmt[c].map({True: "✓", False: "✗"})
        elif c in percent:
            fmt[c] = fmt[c].map(lambda v: "" if pd.isna(v) else f"{100 * v:.1f}%")
        elif pd.api.types.is_float_dtype(fmt[c]):
            fmt[c] = fmt[c].map(lambda v: "" if pd.isna(v) else f"{v:.{decimals}f}")
    return fmt


_NUMBER_TEXT = re.compile(r"(?<![\w.])[-−]?\d+(?:\.(\d+))?(%?)")


def _decimals_format(d: int, literal_percent: bool = False) -> str:
    return ("0" if d <= 0 else "0." + "0" * d) + ('"%"' if literal_percent else "")


def _format_shown(v: float, texts, same_column: bool) -> str | None:
    """The format of ``v`` from the text a reader sees for it: the first number in ``texts`` that is ``v``
    rounded ("49.5" for 49.4703: ``0.0``; "52.4%" for 0.524: ``0.0%``; "52.4%" for 52.4: ``0.0"%"``).
    Outside its own column a whole number only stands for a whole ``v`` (an n is no estimate's text)."""
    for text in texts:
        for m in _NUMBER_TEXT.finditer(text):
            d, pct = len(m.group(1) or ""), m.group(2) == "%"
            if not same_column and d == 0 and v != round(v):
                continue
            shown = float(m.group(0).rstrip("%").replace("−", "-"))
            tol = 0.5 * 10.0 ** -d + 1e-9 * max(1.0, abs(shown))
            if abs(v - shown) <= tol:
                return _decimals_format(d, literal_percent=pct)
            if pct and abs(100 * v - shown) <= tol:
                return _decimals_format(d) + "%"
    return None


def number_formats(frame: pd.DataFrame, decimals: int = 3, percent: tuple[str, ...] = (),
                   display: pd.DataFrame | None = None) -> pd.DataFrame:
    """The spreadsheet number format of each cell of ``frame`` (same shape; None: text, a flag or empty).

    Whole numbers (an n, a count) ``0``; the ``percent`` columns (shares, 0-1) ``0.0%``; other
    numbers ``decimals`` places. With ``display`` (the cells as the report shows them, same rows),
    a number takes the decimals it is shown with: in its own column ("66.0" for 66.04 gives
    ``0.0``; a banner's "52.4%" ``0.0"%"``), else (a CI shown as "64.3 – 67.8" in one column, held
    in two) in its row. The values themselves are never rounded: only shown so.

    Examples
    --------
    >>> f = pd.DataFrame({"estimate": [66.04, 0.2804], "ci_low": [64.31, 0.25], "n": [145, 145]})
    >>> shown = pd.DataFrame({"estimate": ["66.0", "0.280"], "ci": ["64.3 – 67.8", "0.250 – 0.310"], "n": ["145", "145"]})
    >>> number_formats(f, display=shown).to_numpy().tolist()
    [['0.0', '0.0', '0'], ['0.000', '0.000', '0']]
    >>> number_formats(f, decimals=2, percent=("estimate",))["estimate"].tolist()
    ['0.0%', '0.0%']
    """
    default = _decimals_format(decimals)
    labels = [flat_label(c) for c in frame.columns]
    percent = {flat_label(c) for c in percent}
    out = {}
    for j, (label, col) in enumerate(zip(labels, frame.columns)):
        values = frame.iloc[:, j]
        if pd.api.types.is_bool_dtype(values):
            out[j] = [None] * len(values)
        elif label in percent:
            out[j] = [None if cell_value(v) is None or isinstance(v, (str, bool, np.bool_)) else "0.0%" for v in values]
        else:
            out[j] = [_kind_format(v, default) for v in values]
    formats = pd.DataFrame(out, index=frame.index).set_axis(frame.columns, axis=1)
    if display is None or len(display) != len(frame):
        return formats
    shown_labels = [flat_label(c) for c in display.columns]
    rows = display.astype(str).to_numpy()
    for j, label in enumerate(labels):
        if label in percent:
            continue
        own = shown_labels.index(label) if label in shown_labels else None
        for i in range(len(frame)):
            v = frame.iat[i, j]
            if formats.iat[i, j] is None or isinstance(v, (int, np.integer)):
                continue
            found = _format_shown(float(v), [rows[i, own]], True) if own is not None else None
            if found is None:
                found = _format_shown(float(v), [t for k, t in enumerate(rows[i]) if k != own], False)
            if found is not None:
                formats.iat[i, j] = found
    return formats


def _kind_format(v, default: str) -> str | None:
    """``0`` for a whole number, ``default`` for a float, None for anything else (text, flags, empty)."""
    if isinstance(v, (bool, np.bool_)) or cell_value(v) is None:
        return None
    if isinstance(v, (int, np.integer)):
        return "0"
    return default if isinstance(v, (float, np.floating)) else None


def flat_label(label) -> str:
    """A header cell: MultiIndex tuples joined with ' / ', blanks for None."""
    if isinstance(label, tuple):
        return " / ".join(str(x) for x in label if x is not None and str(x) != "")
    return "" if label is None else str(label)


def with_index(table: Table, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its index as leading columns when the report shows the index."""
    if not table.index:
        return frame.reset_index(drop=True)
    names = [n if n is not None else ("" if frame.index.nlevels == 1 else f"level_{i}")
             for i, n in enumerate(frame.index.names)]
    out = frame.copy()
    out.index = out.index.set_names(names)
    clash = set(names) & {flat_label(c) for c in out.columns}
    if clash:  # an index named like a column: keep both
        out.index = out.index.set_names([f"{n} " if n in clash else n for n in names])
    out.columns = [flat_label(c) for c in out.columns]
    return out.reset_index()


def cell_value(v):
    """A value for a spreadsheet or JSON: numbers as numbers, NaN as empty, the rest as text."""
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return None if not np.isfinite(v) else float(v)
    if isinstance(v, pd.Timestamp):
        return v.isoformat()
    return str(v)


def _sheet_name(number: int, table: Table, used: set[str]) -> str:
    base = _SHEET_FORBIDDEN.sub(" ", strip_control(f"{number:02d} {table.title}")).strip("' ")[:31]
    name, k = base, 2
    while name.lower() in used:
        suffix = f" ({k})"
        name, k = base[: 31 - len(suffix)] + suffix, k + 1
    used.add(name.lower())
    return name


def write_xlsx(tables: list[Table], path: Path) -> Path:
    """Write ``tables`` to ``path``: a contents sheet, then one sheet per table, numbered in order.

    Parameters
    ----------
    tables : list of Table
    path : path-like
        The workbook to write (``.xlsx``); its folder must exist.

    Returns
    -------
    Path
        ``path``.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Border, Font, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.hyperlink import Hyperlink

    wb = Workbook()
    contents = wb.active
    contents.title = "contents"
    contents.append(["#", "section", "table", "sheet"])
    for c in contents[1]:
        c.font = Font(bold=True)
    thick, thin = Side(style="medium"), Side(style="thin")
    used = {"contents"}
    for number, table in enumerate(tables, start=1):
        name = _sheet_name(number, table, used)
        ws = wb.create_sheet(name)
        row = contents.max_row + 1
        for col, value in enumerate([number, table.section, table.title, name], start=1):
            _write(contents.cell(row, col), value)
        link = contents.cell(row, 4)
        link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{name}'!A1")
        link.font = Font(color="0563C1", underline="single")

        _write(ws.cell(1, 1), table.title).font = Font(bold=True, size=12)
        frame = with_index(table, table.frame)
        header = 3
        for j, col in enumerate(frame.columns, start=1):
            cell = _write(ws.cell(header, j), flat_label(col))
            cell.font = Font(bold=True)
            cell.border = Border(top=thick, bottom=thin)
        formats = table.formats if table.formats is not None else number_formats(table.frame, table.decimals,
                                                                                   table.percent)
        formats = formats.to_numpy(dtype=object)
        skip = len(frame.columns) - formats.shape[1]  # the index columns lead
        for i, values in enumerate(frame.itertuples(index=False, name=None), start=header + 1):
            for j, v in enumerate(values, start=1):
                cell = _write(ws.cell(i, j), cell_value(v))
                if j > skip and isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                    fmt = formats[i - header - 1, j - skip - 1]
                    if fmt is not None:
                        cell.number_format = fmt
        last = header + len(frame)
        for j in range(1, len(frame.columns) + 1):
            ws.cell(last, j).border = Border(bottom=thick, top=thin if last == header else None)
        if table.note:
            _write(ws.cell(last + 2, 1), table.note).font = Font(italic=True, size=9)
        for j, col in enumerate(frame.columns, start=1):
            width = max([len(flat_label(col))] + [len(str(v)) for v in frame[col].head(200) if v is not None])
            ws.column_dimensions[get_column_letter(j)].width = min(60, max(8, 1.2 * width + 2))
        ws.freeze_panes = ws.cell(header + 1, 1)
    contents.column_dimensions["C"].width = 60
    contents.column_dimensions["D"].width = 34
    path = Path(path)
    wb.save(path)
    return path


def _write(cell, value):
    """Set a cell; control characters dropped, text that a spreadsheet would evaluate kept as text (quote prefix)."""
    value = strip_control(value)
    cell.value = value
    if is_formula_like(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


# -- Word ------------------------------------------------------------------------------------

def _border(cell_or_table_pr, edges: dict[str, int]) -> None:
    """Set borders (size in eighths of a point, 0 = none) on a cell's or table's properties."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tag = "w:tblBorders" if cell_or_table_pr.tag == qn("w:tblPr") else "w:tcBorders"
    borders = cell_or_table_pr.find(qn(tag))
    if borders is None:
        borders = OxmlElement(tag)
        # the schema orders the children: borders come before shading, layout, margins and look
        later = [cell_or_table_pr.find(qn(f"w:{n}")) for n in ("shd", "tblLayout", "tblCellMar", "tblLook",
                                                                "noWrap", "tcMar", "textDirection", "vAlign")]
        later = [el for el in later if el is not None]
        if later:
            later[0].addprevious(borders)
        else:
            cell_or_table_pr.append(borders)
    for edge, size in edges.items():
        el = borders.find(qn(f"w:{edge}"))
        if el is None:
            el = OxmlElement(f"w:{edge}")
            borders.append(el)
        el.set(qn("w:val"), "single" if size else "nil")
        if size:
            el.set(qn("w:sz"), str(size))
            el.set(qn("w:space"), "0")
            el.set(qn("w:color"), "000000")


def _fonts(run, east_asia: str, latin: str = "Times New Roman", size: float | None = None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = latin
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asia)
    if size:
        run.font.size = Pt(size)


def _display_width(text: str) -> int:
    """Columns a text takes: CJK and full-width characters count two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


_XML_INVALID = CONTROL  # not allowed in XML 1.0


def _run_xml(text: str, fonts: str) -> str:
    """A run of ``text`` (line breaks and tabs as Word's own elements), escaped for XML."""
    from xml.sax.saxutils import escape

    parts = []
    for k, line in enumerate(_XML_INVALID.sub("", text).split("\n")):
        if k:
            parts.append("<w:br/>")
        for m, piece in enumerate(line.split("\t")):
            if m:
                parts.append("<w:tab/>")
            if piece:
                parts.append(f'<w:t xml:space="preserve">{escape(piece)}</w:t>')
    return f"<w:r>{fonts}{''.join(parts)}</w:r>"


def _fill_table(tbl, rows: list[list[str]], widths: list[int], numeric: list[bool], east_asia: str,
                size: float) -> None:
    """Append ``rows`` (the first is the header: bold, a rule below, repeated on each page) to a
    table element, built as one XML string: python-docx's cell-by-cell API took most of the
    report's time (6,500 cells, 9 s) for the same document."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    half_points = round(2 * size)
    fonts = {bold: (f'<w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="{east_asia}"/>'
                    f'{"<w:b/>" if bold else ""}<w:sz w:val="{half_points}"/></w:rPr>') for bold in (True, False)}
    rule = '<w:tcBorders><w:bottom w:val="single" w:sz="6" w:space="0" w:color="000000"/></w:tcBorders>'
    spacing = '<w:spacing w:before="20" w:after="20" w:line="240" w:lineRule="auto"/>'  # 1 pt, single
    out = []
    for i, row in enumerate(rows):
        cells = []
        for j, text in enumerate(row):
            align = '<w:jc w:val="right"/>' if numeric[j] else ""
            cells.append(f'<w:tc><w:tcPr><w:tcW w:w="{widths[j]}" w:type="dxa"/>{rule if i == 0 else ""}</w:tcPr>'
                         f"<w:p><w:pPr>{spacing}{align}</w:pPr>{_run_xml(text, fonts[i == 0])}</w:p></w:tc>")
        header = "<w:trPr><w:tblHeader/></w:trPr>" if i == 0 else ""
        out.append(f"<w:tr>{header}{''.join(cells)}</w:tr>")
    for tr in parse_xml(f"<w:tbl {nsdecls('w')}>{''.join(out)}</w:tbl>"):
        tbl.append(tr)


def write_docx(tables: list[Table], path: Path, *, title: str = "", language: str = "zh",
               references: tuple = (), references_heading: str = "参考文献 / References") -> Path:
    """Write ``tables`` to ``path`` as three-line tables, numbered in order, each with its title and note.

    Parameters
    ----------
    tables : list of Table
    path : path-like
        The document to write (``.docx``); its folder must exist.
    title : str, optional
        A heading above the first table.
    language : {'zh', 'en', 'both'}
        The captions' and notes' labels: ``表 1`` and ``注：`` for 'zh' and 'both', ``Table 1.`` and
        ``Note.`` for 'en'.
    references : sequence of str, optional
        Full references, listed at the end under ``references_heading``.

    Returns
    -------
    Path
        ``path``.
    """
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    zh = language in ("zh", "both")
    east_asia = "SimSun"  # 宋体, as Chinese journals set tables; Word substitutes where absent
    doc = Document()
    if title:
        _fonts(doc.add_heading(strip_control(title), level=1).runs[0], "SimHei")
    for number, table in enumerate(tables, start=1):
        rows = table.frame if table.shown is None else table.frame.head(table.shown)
        frame = with_index(table, format_frame(rows, table.decimals, table.percent))
        raw = with_index(table, rows)
        numeric = [pd.api.types.is_numeric_dtype(raw[c]) and not pd.api.types.is_bool_dtype(raw[c])
                   for c in raw.columns]
        # wide tables go on landscape pages; a new section only where the orientation changes
        orientation = WD_ORIENT.LANDSCAPE if len(frame.columns) > 9 else WD_ORIENT.PORTRAIT
        section = doc.sections[-1]
        if section.orientation != orientation:
            if doc.tables:
                section = doc.add_section()
            section.orientation = orientation
            section.page_width, section.page_height = section.page_height, section.page_width
        usable = section.page_width - section.left_margin - section.right_margin
        chars = [min(28, max([_display_width(flat_label(c))] + [_display_width(str(v)) for v in frame[c].head(200)]))
                 for c in frame.columns]
        widths = [int(usable * w / sum(chars)) for w in chars]
        caption = doc.add_paragraph()
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
        label = f"表 {number}  " if zh else f"Table {number}. "
        _fonts(caption.add_run(strip_control(label + table.title)), "SimHei", size=10.5)
        caption.runs[0].bold = True
        caption.paragraph_format.keep_with_next = True

        t = doc.add_table(rows=0, cols=len(frame.columns))
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        _border(t._tbl.tblPr, {"top": 12, "bottom": 12, "left": 0, "right": 0, "insideH": 0, "insideV": 0})
        t.autofit = False
        for j, column in enumerate(t.columns):
            column.width = widths[j]  # the grid, which LibreOffice reads; Word reads the cells' widths
        rows = [[flat_label(c) for c in frame.columns]] + [["" if cell_value(v) is None else str(v) for v in values]
                                                       for values in frame.itertuples(index=False, name=None)]
        _fill_table(t._tbl, rows, [round(w / 635) for w in widths], numeric, east_asia,  # EMU -> twips
                    size=9 if len(frame.columns) <= 6 else 7.5)
        if table.note:
            note = doc.add_paragraph()
            _fonts(note.add_run(strip_control(("注：" if zh else "Note. ") + table.note)), east_asia, size=8)
            note.paragraph_format.space_after = Pt(12)
        else:
            doc.add_paragraph()
        _texts(doc, table.texts, east_asia)
    if references:
        _texts(doc, ((references_heading, tuple(references)),), east_asia, heading_level=1)
    path = Path(path)
    doc.save(path)
    return path


def _texts(doc, texts: tuple, east_asia: str, heading_level: int | None = None) -> None:
    """Headed paragraphs (the interpretation under a table; the references at the end)."""
    from docx.shared import Pt

    for heading, paragraphs in texts:
        if heading_level is not None:
            _fonts(doc.add_heading(strip_control(heading), level=heading_level).runs[0], "SimHei")
        else:
            head = doc.add_paragraph()
            run = head.add_run(strip_control(heading))
            run.bold = True
            _fonts(run, "SimHei", size=9)
            head.paragraph_format.keep_with_next = True
            head.paragraph_format.space_after = Pt(2)
        for text in paragraphs:
            para = doc.add_paragraph()
            _fonts(para.add_run(strip_control(text)), east_asia, size=9)
            para.paragraph_format.space_after = Pt(4)


# -- CSV -------------------------------------------------------------------------------------

def write_csv(table: Table, path) -> Path | None:
    """Write ``table`` as CSV: its index as leading columns when shown, header labels flattened, text cells
    a spreadsheet would run as formulas prefixed with ``'``.

    Parameters
    ----------
    table : Table
    path : path-like or text buffer
        A file is written as UTF-8 with a byte-order mark, so that Excel reads Chinese text; a
        buffer (standard output) gets the text as it is.

    Returns
    -------
    Path or None
        ``path``, or None for a buffer.
    """
    frame = with_index(table, table.frame)
    frame.columns = [flat_label(c) for c in frame.columns]
    if hasattr(path, "write"):
        to_csv(frame, path)
        return None
    path = Path(path)
    to_csv(frame, path, encoding="utf-8-sig")
    return path
