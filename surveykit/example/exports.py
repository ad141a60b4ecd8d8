"""Writing the example study as three platform exports that load to one coded frame.

* 问卷星 (wjx.cn) ``.xlsx`` "按文本导出": ``序号``, ``提交答卷时间``, ``所用时间`` ("125秒"),
  headers ``{n}.{question}``, answers as option text, "(空)" and "(跳过)".
* Qualtrics ``.csv`` ("numeric values"): UTF-8 with BOM, three header rows (names,
  question texts, ImportIds), codes, multiple choice as "1,3", an embedded ``resp_id``.
* SPSS ``.sav``: value labels, user-missing codes 97/98/99, multiple choice as 0/1
  dichotomies ``channel_1`` .. ``channel_4``.
"""

from __future__ import annotations

import csv
import json
import shutil
import string
from pathlib import Path

import numpy as np
import pandas as pd

from ..questionnaire.load import BUNDLED_DIR, bundled_questionnaire
from .generate import ExampleStudy, generate_example

__all__ = ["write_wjx_xlsx", "write_qualtrics_csv", "write_sav", "write_example"]


def _labels(study: ExampleStudy, item_id: str) -> dict[float, str]:
    q = study.questionnaire
    scale = q.scale_of(item_id)
    out = {float(c): t.get("zh") for c, t in scale.labels.items()}
    out.update({c: t.get("zh") for c, t in q.missing_codes_for(item_id).items() if t is not None})
    return out


def _channel(study: ExampleStudy) -> np.ndarray:
    return study.answers[[f"channel_{j}" for j in range(1, 5)]].to_numpy()


def write_wjx_xlsx(study: ExampleStudy, path) -> Path:
    """The 问卷星 layout: option text, numbered question headers, platform columns."""
    q, a, meta = study.questionnaire, study.answers, study.meta
    rng = np.random.default_rng(7)
    cols: dict[str, object] = {
        "序号": a.index.to_numpy(),
        "提交答卷时间": [f"{t.year}/{t.month}/{t.day} {t:%H:%M:%S}" for t in meta["submitted_at"]],
        "所用时间": [f"{int(d)}秒" for d in meta["duration_sec"]],
        "来源": rng.choice(["手机提交", "微信", "链接"], len(a)),
        "来源详情": "直接访问",
        "来自IP": [f"{ip}(上海-上海)" for ip in meta["ip"]],
    }
    for k, it in enumerate(q.items, start=1):
        header = f"{k}.{it.text.get('zh')}"
        scale = q.scales[it.scale]
        if it.id == "channel":
            labels = [t.get("zh") for t in scale.labels.values()]
            cols[header] = ["(空)" if np.isnan(row).any() else "┋".join(l for l, c in zip(labels, row) if c == 1)
                            for row in _channel(study)]
        elif scale.type == "open_text":
            cols[header] = a[it.id].map(lambda s: s if isinstance(s, str) and s != "" else "(空)").to_numpy()
        elif it.id == "complaint_handling":
            labels = _labels(study, it.id)
            cols[header] = [("(跳过)" if v == 97 else "(空)" if np.isnan(v) else labels[v]) for v in a[it.id]]
        elif scale.type == "rating" and scale.min == 0:
            cols[header] = [("(空)" if np.isnan(v) else int(v)) for v in a[it.id]]
        else:
            labels = _labels(study, it.id)
            cols[header] = [("(空)" if np.isnan(v) else labels[v]) for v in a[it.id]]
    path = Path(path)
    _write_xlsx_as_text(pd.DataFrame(cols), path)
    return path


def _write_xlsx_as_text(frame: pd.DataFrame, path: Path) -> None:
    """Write a sheet whose text cells stay text: a comment '=HYPERLINK(...)' is not a formula."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Sheet1")
    ws.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        cells = []
        for v in row:
            cell = WriteOnlyCell(ws, value=v.item() if isinstance(v, np.generic) else v)
            if isinstance(v, str):
                cell.data_type = "s"
            cells.append(cell)
        ws.append(cells)
    wb.save(path)


def write_qualtrics_csv(study: ExampleStudy, path) -> Path:
    """The Qualtrics layout: three header rows, numeric values, UTF-8 with BOM."""
    q, a, meta = study.questionnaire, study.answers, study.meta
    rng = np.random.default_rng(11)
    alphabet = np.array(list(string.ascii_letters + string.digits))
    meta_cols = [
        ("StartDate", "Start Date", "startDate"), ("EndDate", "End Date", "endDate"),
        ("Status", "Response Type", "status"), ("IPAddress", "IP Address", "ipAddress"),
        ("Progress", "Progress", "progress"), ("Duration (in seconds)", "Duration (in seconds)", "duration"),
        ("Finished", "Finished", "finished"), ("RecordedDate", "Recorded Date", "recordedDate"),
        ("ResponseId", "Response ID", "_recordId"), ("DistributionChannel", "Distribution Channel", "distributionChannel"),
        ("UserLanguage", "User Language", "userLanguage"),
    ]
    start = meta["submitted_at"] - pd.to_timedelta(meta["duration_sec"], unit="s")
    data: dict[str, list] = {
        "StartDate": [f"{t:%Y-%m-%d %H:%M:%S}" for t in start],
        "EndDate": [f"{t:%Y-%m-%d %H:%M:%S}" for t in meta["submitted_at"]],
        "Status": ["0"] * len(a), "IPAddress": list(meta["ip"]), "Progress": ["100"] * len(a),
        "Duration (in seconds)": [str(int(d)) for d in meta["duration_sec"]], "Finished": ["1"] * len(a),
        "RecordedDate": [f"{t:%Y-%m-%d %H:%M:%S}" for t in meta["submitted_at"]],
        "ResponseId": ["R_" + "".join(rng.choice(alphabet, 15)) for _ in range(len(a))],
        "DistributionChannel": ["anonymous"] * len(a), "UserLanguage": ["ZH-S"] * len(a),
    }
    names, labels, imports = [m[0] for m in meta_cols], [m[1] for m in meta_cols], []
    imports = [json.dumps({"ImportId": m[2], **({"timeZone": "Asia/Shanghai"} if "Date" in m[0] else {})},
                          separators=(",", ":")) for m in meta_cols]
    for k, it in enumerate(q.items, start=1):
        names.append(it.source_column)
        labels.append(it.text.get("zh"))
        imports.append(json.dumps({"ImportId": f"QID{k}" + ("_TEXT" if q.scales[it.scale].type == "open_text" else "")},
                                  separators=(",", ":")))
        if it.id == "channel":
            data[it.id] = ["" if np.isnan(row).any() else ",".join(str(j + 1) for j, c in enumerate(row) if c == 1)
                           for row in _channel(study)]
        elif q.scales[it.scale].type == "open_text":
            data[it.id] = [s if isinstance(s, str) else "" for s in a[it.id]]
        else:
            data[it.id] = ["" if np.isnan(v) else f"{v:g}" for v in a[it.id]]
    names.append("resp_id")
    labels.append("resp_id")
    imports.append(json.dumps({"ImportId": "resp_id"}, separators=(",", ":")))
    data["resp_id"] = [str(i) for i in a.index]
    path = Path(path)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerows([names, labels, imports])
        w.writerows(zip(*(data[n if n in data else _item_by_column(q, n)] for n in names)))
    return path


def _item_by_column(q, column: str) -> str:
    return next(it.id for it in q.items if it.source_column == column)


def write_sav(study: ExampleStudy, path) -> Path:
    """The SPSS layout: value labels, user-missing codes, multiple choice as dichotomies."""
    import pyreadstat

    q, a, meta = study.questionnaire, study.answers, study.meta
    frame = pd.DataFrame({"resp_id": a.index.to_numpy(dtype=float), "duration_sec": meta["duration_sec"].to_numpy()})
    column_labels = {"resp_id": "答卷编号", "duration_sec": "答题用时（秒）"}
    value_labels: dict[str, dict] = {}
    missing: dict[str, list] = {}
    for it in q.items:
        scale = q.scales[it.scale]
        if it.id == "channel":
            for j, text in enumerate(scale.labels.values(), start=1):
                name = f"channel_{j}"
                frame[name] = a[name].to_numpy()
                column_labels[name] = f"{it.text.get('zh')}:{text.get('zh')}"
                value_labels[name] = {0.0: "未选", 1.0: "选中"}
            continue
        if scale.type == "open_text":
            frame[it.id] = [s if isinstance(s, str) else "" for s in a[it.id]]
        else:
            frame[it.id] = a[it.id].to_numpy()
            value_labels[it.id] = _labels(study, it.id)
            codes = sorted(q.missing_codes_for(it.id))
            if codes:
                missing[it.id] = codes
        column_labels[it.id] = it.text.get("zh")
    path = Path(path)
    pyreadstat.write_sav(frame, str(path), column_labels=column_labels, variable_value_labels=value_labels,
                         missing_ranges=missing)
    return path


# the three export layouts of the example study: writer and file name
EXPORTS = {"wjx": (write_wjx_xlsx, "responses_wjx.xlsx"), "qualtrics": (write_qualtrics_csv, "responses_qualtrics.csv"),
           "sav": (write_sav, "responses.sav")}
LAYOUTS = tuple(EXPORTS)


def write_example(out_dir, study: ExampleStudy | None = None, *, layouts: tuple[str, ...] = LAYOUTS,
                  transactions: bool = True) -> dict[str, Path]:
    """Write the example study's questionnaire, exports and transactions to ``out_dir``.

    Returns the paths by key: ``questionnaire``, ``themes``, then each of ``layouts``
    (``wjx``, ``qualtrics``, ``sav``: all three by default) and ``transactions`` (unless
    ``transactions=False``).
    """
    out = Path(out_dir)
    (out / "themes").mkdir(parents=True, exist_ok=True)
    study = study or generate_example()
    paths = {"questionnaire": out / "customer_value.yaml", "themes": out / "themes" / "customer_value.yaml"}
    shutil.copyfile(bundled_questionnaire("customer_value"), paths["questionnaire"])
    shutil.copyfile(BUNDLED_DIR / "themes" / "customer_value.yaml", paths["themes"])
    for layout in layouts:
        write, name = EXPORTS[layout]
        paths[layout] = write(study, out / name)
    if transactions:
        tx = study.transactions.assign(date=study.transactions["date"].dt.strftime("%Y-%m-%d"))
        paths["transactions"] = out / "transactions.csv"
        tx.to_csv(paths["transactions"], index=False, encoding="utf-8")
    return paths
