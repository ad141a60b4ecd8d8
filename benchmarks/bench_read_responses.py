"""Time and peak memory of read_responses on a 1,000,000-row export, next to pandas.read_csv.

Run: .venv/bin/python benchmarks/bench_read_responses.py [--rows N] [--labels] [--xlsx-rows N]

Writes the export once to benchmarks/_data/ (git-ignored), then runs each reader in its own
subprocess, so that peak memory (ru_maxrss) belongs to that reader alone, and prints the
ratios, with the imports (``import pandas``; ``import surveykit``) and without. ``--labels`` writes answers as option text (问卷星 style) instead of codes.

A 问卷星 ``.xlsx`` export (``--xlsx-rows``, default 200,000; 0 leaves it out: option text, ``(空)`` for
blanks, numbered question headers, ``序号`` / ``提交答卷时间`` / ``所用时间``; written once, with shared
strings as Excel writes them) is read the same way next to ``pandas.read_excel(engine="calamine")``,
the fastest maintained ``.xlsx`` reader (target: read_responses + validate within 1.5x).
The machines are shared and noisy: read ratios, not absolute seconds.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).parent
DATA = HERE / "_data"

CHILD = r"""
import json, resource, sys, time, warnings
t0 = time.perf_counter()
kind, path = sys.argv[1], sys.argv[2]
if kind == "pandas":
    import pandas as pd
    t1 = time.perf_counter()
    frame = pd.read_csv(path)
    n = len(frame)
elif kind == "calamine":
    import pandas as pd
    t1 = time.perf_counter()
    frame = pd.read_excel(path, engine="calamine")
    n = len(frame)
else:
    import surveykit as sk
    t1 = time.perf_counter()
    warnings.simplefilter("ignore")
    data = sk.read_responses(path, sk.load_questionnaire("customer_value"))
    n = data.n_respondents
    report = data.validate()
t2 = time.perf_counter()
print(json.dumps({"seconds": t2 - t0, "import": t1 - t0, "work": t2 - t1,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "rows": n}))
"""


def make_export(n: int, labels: bool) -> Path:
    import surveykit as sk

    DATA.mkdir(exist_ok=True)
    path = DATA / f"responses_{n}{'_labels' if labels else ''}.csv"
    if path.exists():
        return path
    q = sk.load_questionnaire("customer_value")
    rng = np.random.default_rng(1)
    cols: dict[str, object] = {"resp_id": np.arange(1, n + 1), "duration_sec": rng.integers(60, 900, n)}
    for it in q.items:
        scale = q.scales[it.scale]
        if scale.type == "open_text":
            pool = np.array(["物流很快，包装完好", "价格有点贵", "客服态度不好", "无", "", "性价比高👍", "质量不太好，没有问题"])
            values = pool[rng.integers(0, len(pool), n)]
            if it.id == "customer_id":
                values = np.char.add("C", np.char.zfill(rng.integers(0, 10**6, n).astype(str), 7))
            cols[it.source_column] = values
        elif scale.type == "multiple_choice":
            cols[it.source_column] = np.array(["1", "1,3", "2", "2,4", ""])[rng.integers(0, 5, n)]
        else:
            codes = np.array(list(scale.labels) if scale.type == "single_choice" else range(int(scale.min), int(scale.max) + 1))
            v = codes[rng.integers(0, len(codes), n)].astype(float)
            v[rng.random(n) < 0.02] = np.nan
            if labels and scale.labels:
                text = {float(c): t.get("zh") for c, t in scale.labels.items()}
                cols[it.source_column] = pd.Series(v).map(text).fillna("(空)").to_numpy()
            else:
                v[rng.random(n) < 0.01] = 98
                cols[it.source_column] = v
    pd.DataFrame(cols).to_csv(path, index=False)
    return path


def make_wjx_xlsx(n: int) -> Path:
    """A 问卷星 text export (按文本导出) of ``n`` respondents as .xlsx, written once."""
    import surveykit as sk

    DATA.mkdir(exist_ok=True)
    path = DATA / f"responses_wjx_{n}.xlsx"
    if path.exists():
        return path
    q = sk.load_questionnaire("customer_value")
    rng = np.random.default_rng(2)
    seconds = rng.integers(60, 900, n)
    cols: dict[str, list] = {
        "序号": list(range(1, n + 1)),
        "提交答卷时间": [f"2026/3/{1 + k % 28} 10:{k % 60:02d}:{(7 * k) % 60:02d}" for k in range(n)],
        "所用时间": [f"{s}秒" for s in seconds],
        "来源": list(np.array(["手机提交", "微信", "链接"])[rng.integers(0, 3, n)]),
    }
    pool = np.array(["物流很快，包装完好", "价格有点贵", "客服态度不好", "(空)", "性价比高👍", "质量不太好，没有问题"])
    for k, it in enumerate(q.items, start=1):
        scale = q.scales[it.scale]
        header = f"{k}.{it.text.get('zh')}"
        if it.id == "customer_id":
            cells = list(np.char.add("C", np.char.zfill(rng.integers(0, 10**6, n).astype(str), 7)))
        elif scale.type == "open_text":
            cells = list(pool[rng.integers(0, len(pool), n)])
        elif scale.type == "multiple_choice":
            labels = [t.get("zh") for t in scale.labels.values()]
            joined = np.array(["┋".join(labels[j] for j in sorted(set(pick))) for pick in
                               ([0], [0, 2], [1], [1, 3], [2, 3])] + ["(空)"])
            cells = list(joined[rng.integers(0, len(joined), n)])
        elif scale.type == "rating":  # 0-10: the number itself
            v = rng.integers(int(scale.min), int(scale.max) + 1, n)
            cells = [int(x) for x in v]
        else:
            labels = np.array([t.get("zh") for t in scale.labels.values()] + ["(空)"])
            p = np.full(len(labels), 0.98 / (len(labels) - 1))
            p[-1] = 0.02
            cells = list(labels[rng.choice(len(labels), n, p=p)])
        cols[header] = cells
    _write_xlsx(cols, path)
    return path


def _write_xlsx(cols: dict[str, list], path: Path) -> None:
    """A one-sheet workbook, text in the shared-strings table (as Excel and 问卷星 write it), in seconds
    where openpyxl would take minutes."""
    import zipfile
    from xml.sax.saxutils import escape

    names = list(cols)
    letters = []
    for j in range(len(names)):
        s, k = "", j + 1
        while k:
            k, r = divmod(k - 1, 26)
            s = chr(65 + r) + s
        letters.append(s)
    strings: dict[str, int] = {}

    def cell(ref: str, v) -> str:
        if isinstance(v, str):
            return f'<c r="{ref}" t="s"><v>{strings.setdefault(v, len(strings))}</v></c>'
        return f'<c r="{ref}"><v>{v}</v></c>'

    rows = zip(*cols.values())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.'
                    b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            for r, row in enumerate([names, *rows], start=1):
                body = "".join(cell(f"{c}{r}", v) for c, v in zip(letters, row))
                f.write(f'<row r="{r}">{body}</row>'.encode())
            f.write(b"</sheetData></worksheet>")
        z.writestr("xl/sharedStrings.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http:'
                   f'//schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" uniqueCount="'
                   f'{len(strings)}">' + "".join(f"<si><t>{escape(t)}</t></si>" for t in strings) + "</sst>")
        z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="'
                   'http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
                   'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
                   'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
                   'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
                   'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                   '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                   'officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="'
                   'http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
                   'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"'
                   '/></Relationships>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http:'
                   '//schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets>'
                   '</workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
                   'Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                   'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')


def run(kind: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, kind, str(path)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--labels", action="store_true", help="answers as option text instead of codes")
    ap.add_argument("--xlsx-rows", type=int, default=200_000, help="rows of the 问卷星 .xlsx case (0: leave it out)")
    args = ap.parse_args()
    t0 = time.perf_counter()
    path = make_export(args.rows, args.labels)
    print(f"export: {path.name} ({path.stat().st_size / 1e6:.0f} MB, {args.rows:,} rows; prepared in {time.perf_counter() - t0:.1f} s)")
    _table([("pandas.read_csv", run("pandas", path)), ("read_responses + validate", run("surveykit", path))])
    print("(seconds: a fresh process, imports included; call s: the read alone, after the import)")
    if args.xlsx_rows:
        t0 = time.perf_counter()
        xlsx = make_wjx_xlsx(args.xlsx_rows)
        print(f"\nexport: {xlsx.name} ({xlsx.stat().st_size / 1e6:.0f} MB, {args.xlsx_rows:,} rows, 问卷星 layout; "
              f"prepared in {time.perf_counter() - t0:.1f} s)")
        _table([("pandas.read_excel (calamine)", run("calamine", xlsx)), ("read_responses + validate", run("surveykit", xlsx))])


def _table(results: list[tuple[str, dict]]) -> None:
    (_, base), (_, ours) = results
    print(f"{'':28s}{'seconds':>10s}{'peak MB':>10s}{'import s':>10s}{'call s':>10s}")
    for name, r in results:
        print(f"{name:28s}{r['seconds']:10.2f}{r['peak_mb']:10.0f}{r['import']:10.2f}{r['work']:10.2f}")
    print(f"{'ratio':28s}{ours['seconds'] / base['seconds']:10.2f}{ours['peak_mb'] / base['peak_mb']:10.2f}"
          f"{'':10s}{ours['work'] / base['work']:10.2f}")


if __name__ == "__main__":
    main()
