"""Write the hygiene and any-study fixtures (issue 16): two studies that are not the example.

* ``hotel.yaml`` + ``hotel_wjx.csv``: a 问卷星 hotel-guest survey exported 按序号 (option numbers)
  as a GB18030 CSV. Quality dimensions (hardware, service, food) drive satisfaction through
  the ``drivers`` role. Three guests submitted twice (same answers, same IP, 12-45 s apart,
  a new 序号 each time); two other guests gave identical answers by chance (both all-5
  straight-liners) from different IPs, hours apart, which the questionnaire's
  ``quality: {duplicate_same_ip: true, duplicate_within_seconds: 120}`` does not flag.
* ``panel.yaml`` + ``panel_qualtrics.csv``: an English Qualtrics numeric export (three header
  rows) with a panel weight; 15 responses are unfinished (``Finished`` 0, ``Progress`` < 100,
  the questions after the break-off blank).

Run from the repository root: .venv/bin/python tests/studies/make_studies.py
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).parent
HOTEL_ITEMS = {
    "hw_1": "房间设施新", "hw_2": "床品舒适", "hw_3": "隔音效果好",
    "svc_1": "前台办理入住快", "svc_2": "员工热情有礼", "svc_3": "问题解决及时",
    "food_1": "早餐品种丰富", "food_2": "菜品口味好", "food_3": "餐厅环境整洁",
    "sat_1": "总体而言您对本次入住的满意程度", "sat_2": "与您入住前的期望相比", "sat_3": "与您心目中理想的酒店相比",
}
N_DOUBLE = 3


def _likert(rng, latent, n_items, noise=0.8):
    raw = latent[:, None] + rng.normal(0, noise, (len(latent), n_items))
    return np.clip(np.rint(3 + raw), 1, 5)


def hotel(rng) -> pd.DataFrame:
    n = 240
    hw, svc, food = rng.normal(0.3, 0.9, n), rng.normal(0.5, 0.9, n), rng.normal(0.1, 0.9, n)
    sat = 0.45 * svc + 0.3 * hw + 0.15 * food + rng.normal(0, 0.5, n)
    cols = {}
    for prefix, latent in (("hw", hw), ("svc", svc), ("food", food), ("sat", sat)):
        block = _likert(rng, latent, 3)
        for j in range(3):
            cols[f"{prefix}_{j + 1}"] = block[:, j]
    answers = pd.DataFrame(cols)
    answers["recommend"] = np.clip(np.rint(7 + 2 * sat + rng.normal(0, 1.2, n)), 0, 10)
    answers["gender"] = rng.choice([1, 2], n).astype(float)
    answers = answers.mask(rng.random(answers.shape) < 0.02)  # a few blanks
    answers.loc[:1, :] = [5.0] * 12 + [10.0, 1.0]  # two chance twins: all-5 straight-liners, rows 0 and 1
    start = pd.Timestamp("2026-10-01 09:00:00")
    times = start + pd.to_timedelta(np.sort(rng.uniform(0, 14 * 86400, n)).round(), unit="s")
    times = times.to_numpy().copy()
    times[1] = times[0] + np.timedelta64(5 * 3600, "s")  # the chance twin answered five hours later
    ip = [f"{rng.integers(1, 223)}.{rng.integers(0, 255)}.{rng.integers(0, 255)}.{rng.integers(1, 254)}"
          for _ in range(n)]
    frame = answers.assign(_time=times, _ip=ip, _dur=rng.integers(150, 600, n))
    doubles = frame.iloc[[17, 88, 151]].copy()  # submitted again: same answers, same IP, seconds later
    doubles["_time"] = doubles["_time"] + pd.to_timedelta([12, 30, 45], unit="s")
    doubles["_dur"] = doubles["_dur"] // 3
    frame = pd.concat([frame, doubles]).sort_values("_time", kind="stable").reset_index(drop=True)
    out = pd.DataFrame({
        "序号": np.arange(1, len(frame) + 1),
        "提交答卷时间": [f"{t.year}/{t.month}/{t.day} {t:%H:%M:%S}" for t in pd.to_datetime(frame["_time"])],
        "所用时间": [f"{int(d)}秒" for d in frame["_dur"]],
        "来源": "微信", "来源详情": "直接访问",
        "来自IP": [f"{a}(浙江-杭州)" for a in frame["_ip"]],
    })
    for k, (item, text) in enumerate(HOTEL_ITEMS.items(), start=1):
        out[f"{k}.{text}"] = frame[item]
    out["13.您向亲友推荐本酒店的可能性有多大"] = frame["recommend"]
    out["14.您的性别"] = frame["gender"]
    for c in out.columns[6:]:
        out[c] = out[c].map(lambda v: "(空)" if pd.isna(v) else f"{v:g}")
    return out


def panel(rng) -> tuple[list[list[str]], pd.DataFrame]:
    n, n_partial = 160, 15
    quality = rng.normal(0, 1, n)
    cols = {f"Q1_{j}": np.clip(np.rint(4 + 1.2 * quality + rng.normal(0, 1, n)), 1, 7) for j in range(1, 5)}
    sat = 0.7 * quality + rng.normal(0, 0.7, n)
    cols.update({f"Q2_{j}": np.clip(np.rint(4 + 1.2 * sat + rng.normal(0, 1, n)), 1, 7) for j in range(1, 4)})
    cols["Q3"] = rng.choice([1, 2], n, p=[0.35, 0.65])  # women over-represented: the weight corrects it
    cols["Q4"] = rng.choice([1, 2, 3], n, p=[0.5, 0.3, 0.2])
    answers = pd.DataFrame(cols).astype(float)
    weight = np.where(answers["Q3"] == 1, 0.5 / 0.35, 0.5 / 0.65) * rng.uniform(0.7, 1.3, n)
    finished = np.ones(n, int)
    progress = np.full(n, 100)
    partial = rng.choice(n, n_partial, replace=False)
    finished[partial] = 0
    for r in partial:  # broke off after k questions
        k = int(rng.integers(1, 8))
        answers.iloc[r, k:] = np.nan
        progress[r] = int(100 * k / 9)
    start = pd.Timestamp("2026-09-01 08:00:00") + pd.to_timedelta(rng.uniform(0, 20 * 86400, n).round(), unit="s")
    dur = rng.integers(120, 900, n)
    end = start + pd.to_timedelta(dur, unit="s")
    ids = [f"R_{i:015d}" for i in rng.choice(10 ** 12, n, replace=False)]
    meta = pd.DataFrame({
        "StartDate": start.strftime("%Y-%m-%d %H:%M:%S"), "EndDate": end.strftime("%Y-%m-%d %H:%M:%S"),
        "Status": "0", "IPAddress": [f"10.0.{i // 250}.{i % 250 + 1}" for i in range(n)],
        "Progress": progress.astype(str), "Duration (in seconds)": dur.astype(str), "Finished": finished.astype(str),
        "RecordedDate": end.strftime("%Y-%m-%d %H:%M:%S"), "ResponseId": ids,
    })
    body = pd.concat([meta, answers.apply(lambda c: c.map(lambda v: "" if pd.isna(v) else f"{v:g}")),
                      pd.DataFrame({"panel_weight": [f"{w:.6f}" for w in weight]})], axis=1)
    texts = {"Q1_1": "Quality - The branch has modern-looking equipment", "Q1_2": "Quality - Staff are never too busy",
             "Q1_3": "Quality - The service is performed right the first time",
             "Q1_4": "Quality - Opening hours are convenient", "Q2_1": "Overall satisfaction",
             "Q2_2": "Compared with expectations", "Q2_3": "Compared with an ideal bank", "Q3": "Gender",
             "Q4": "Age", "panel_weight": "panel_weight"}
    labels = [{"StartDate": "Start Date", "EndDate": "End Date", "Status": "Response Type", "IPAddress": "IP Address",
               "RecordedDate": "Recorded Date", "ResponseId": "Response ID"}.get(c, texts.get(c, c))
              for c in body.columns]
    imports = [json.dumps({"ImportId": ("QID" + c[1:].replace("_", "_")) if c.startswith("Q") else c},
                          separators=(",", ":")) for c in body.columns]
    return [list(body.columns), labels, imports], body


# -- question types (issue 16, deliverable 2) --------------------------------------------------------
# The hotel study again, with a matrix, a skip, per-option multiple choice with "other, please specify",
# a joined multiple choice and a ranking, exported by 问卷星 both ways: 按选项文本 (.xlsx) and 按选项序号
# (GB18030 .csv). The two files must load to equal frames (tests/test_question_types.py).
HOTEL_STEM = "您对以下方面的满意程度"
FACILITIES = {1: "早餐", 2: "健身房", 3: "泳池", 4: "停车场", 5: "其他"}
CHANNELS = {1: "携程", 2: "美团", 3: "官网", 4: "电话"}
FACTORS = {1: "价格", 2: "位置", 3: "服务", 4: "卫生"}
REASONS = {1: "商务", 2: "休闲", 3: "其他"}
OTHER_TEXTS = ["会议室", "洗衣房", "儿童乐园", "SPA"]


def hotel_types(rng) -> dict[str, pd.DataFrame]:
    """Answers as codes (``codes``), the 问卷星 number export (``numbers``) and text export (``text``)."""
    n = 180
    lat = rng.normal(0.3, 0.9, n)
    codes = pd.DataFrame({k: _likert(rng, lat, 1)[:, 0] for k in list(HOTEL_ITEMS)[:9]})
    codes = codes.mask(rng.random(codes.shape) < 0.03)
    codes["recommend"] = np.clip(np.rint(7 + 2 * lat + rng.normal(0, 1.2, n)), 0, 10)
    codes["stayed"] = rng.choice([1.0, 2.0], n, p=[0.6, 0.4])
    codes["reason"] = np.where(codes["stayed"] == 1, rng.choice([1.0, 2.0, 3.0], n), np.nan)  # shown if stayed
    codes.loc[(codes["stayed"] == 1) & (rng.random(n) < 0.05), "reason"] = np.nan  # seen, not answered
    chosen = rng.random((n, 5)) < [0.7, 0.3, 0.25, 0.4, 0.12]
    chosen[rng.random(n) < 0.04] = False  # left empty
    other = [OTHER_TEXTS[i % 4] if chosen[i, 4] else None for i in range(n)]
    ranks = np.argsort(rng.random((n, 4)) + [0.0, 0.2, 0.1, 0.3], axis=1).argsort(axis=1) + 1.0
    ranks[rng.random(n) < 0.05] = np.nan
    channel = rng.random((n, 4)) < [0.5, 0.4, 0.2, 0.1]
    channel[channel.sum(axis=1) == 0, 0] = True
    head = {"序号": np.arange(1, n + 1),
            "提交答卷时间": [f"2026/11/{1 + i // 20} {8 + i % 12:02d}:{i % 60:02d}:00" for i in range(n)],
            "所用时间": [f"{int(d)}秒" for d in rng.integers(150, 600, n)]}
    out = {"numbers": pd.DataFrame(head), "text": pd.DataFrame(head)}
    for j, item in enumerate(list(HOTEL_ITEMS)[:9]):
        header = f"1.{HOTEL_STEM}—{HOTEL_ITEMS[item]}"
        out["numbers"][header] = [("(空)" if np.isnan(v) else f"{v:g}") for v in codes[item]]
        out["text"][header] = [("" if np.isnan(v) else ["非常不满意", "不满意", "一般", "满意", "非常满意"][int(v) - 1])
                               for v in codes[item]]
    out["numbers"]["2.您向亲友推荐本酒店的可能性有多大"] = [f"{v:g}" for v in codes["recommend"]]
    out["text"]["2.您向亲友推荐本酒店的可能性有多大"] = [f"{v:g}" for v in codes["recommend"]]
    out["numbers"]["3.您以前入住过本酒店吗"] = [f"{v:g}" for v in codes["stayed"]]
    out["text"]["3.您以前入住过本酒店吗"] = [{1: "是", 2: "否"}[int(v)] for v in codes["stayed"]]
    hidden = (codes["stayed"] == 2).to_numpy()
    out["numbers"]["4.您上次入住的目的"] = ["-3" if h else "(空)" if np.isnan(v) else f"{v:g}"
                                       for h, v in zip(hidden, codes["reason"])]
    out["text"]["4.您上次入住的目的"] = ["(跳过)" if h else "" if np.isnan(v) else REASONS[int(v)]
                                    for h, v in zip(hidden, codes["reason"])]
    empty = ~chosen.any(axis=1)
    for j, (code, label) in enumerate(FACILITIES.items()):
        out["numbers"][f"5({label})"] = ["(空)" if e else str(int(c)) for e, c in zip(empty, chosen[:, j])]
        out["text"][f"5({label})"] = [label if c else "" for c in chosen[:, j]]
    out["numbers"]["5(其他)_填空"] = [t or "" for t in other]
    out["text"]["5(其他)_填空"] = [t or "" for t in other]
    out["numbers"]["6.您通过哪些渠道预订"] = ["┋".join(str(k) for k, c in zip(CHANNELS, row) if c) for row in channel]
    out["text"]["6.您通过哪些渠道预订"] = ["┋".join(v for v, c in zip(CHANNELS.values(), row) if c) for row in channel]
    for j, label in enumerate(FACTORS.values()):
        cells = ["(空)" if np.isnan(r) else f"{r:g}" for r in ranks[:, j]]
        out["numbers"][f"7({label})"] = cells
        out["text"][f"7({label})"] = [("" if c == "(空)" else c) for c in cells]
    out["numbers"]["8.您的性别"] = [str(g) for g in rng.choice([1, 2], n)]
    out["text"]["8.您的性别"] = [{"1": "男", "2": "女"}[g] for g in out["numbers"]["8.您的性别"]]
    return out


PANEL_FACILITIES = {1: "ATM", 2: "Mobile app", 3: "Branch counter", 4: "Phone banking", 5: "Other"}
PANEL_FACTORS = {1: "Fees", 2: "Interest rates", 3: "Service", 4: "Location"}


def panel_types(rng) -> tuple[list[list[str]], pd.DataFrame]:
    """A weighted Qualtrics numeric export: matrix ``Q1_1..Q1_4`` matched by its 'stem - statement' row,
    multiple answer ``Q7_1..Q7_5`` (1 or empty) with ``Q7_5_TEXT``, ranking ``Q8_1..Q8_4``, and ``Q6``
    shown only to those who answered 1 to ``Q5`` (empty otherwise: display logic)."""
    n = 150
    quality = rng.normal(0, 1, n)
    cols = {f"Q1_{j}": np.clip(np.rint(4 + 1.2 * quality + rng.normal(0, 1, n)), 1, 7) for j in range(1, 5)}
    cols["Q3"] = rng.choice([1.0, 2.0], n, p=[0.35, 0.65])
    cols["Q5"] = rng.choice([1.0, 2.0], n, p=[0.55, 0.45])
    cols["Q6"] = np.where(cols["Q5"] == 1, rng.choice([1.0, 2.0, 3.0], n), np.nan)
    cols["Q6"][(cols["Q5"] == 1) & (rng.random(n) < 0.08)] = np.nan  # shown, not answered
    answers = pd.DataFrame(cols)
    chosen = rng.random((n, 5)) < [0.6, 0.7, 0.3, 0.2, 0.1]
    chosen[rng.random(n) < 0.05] = False
    for j in range(5):
        answers[f"Q7_{j + 1}"] = np.where(chosen[:, j], 1.0, np.nan)
    ranks = np.argsort(rng.random((n, 4)) + [0.1, 0.0, 0.3, 0.2], axis=1).argsort(axis=1) + 1.0
    ranks[rng.random(n) < 0.06] = np.nan
    for j in range(4):
        answers[f"Q8_{j + 1}"] = ranks[:, j]
    weight = np.where(answers["Q3"] == 1, 0.5 / 0.35, 0.5 / 0.65) * rng.uniform(0.7, 1.3, n)
    body = pd.DataFrame({"StartDate": "2026-09-01 08:00:00", "EndDate": "2026-09-01 08:10:00", "Status": "0",
                         "Progress": "100", "Finished": "1",
                         "ResponseId": [f"R_{i:015d}" for i in rng.choice(10 ** 12, n, replace=False)]})
    order = [*(f"Q1_{j}" for j in range(1, 5)), "Q3", "Q5", "Q6", *(f"Q7_{j}" for j in range(1, 6))]
    for c in order:
        body[c] = [("" if np.isnan(v) else f"{v:g}") for v in answers[c]]
    body["Q7_5_TEXT"] = [["Safe deposit", "Branch café", "Video call"][i % 3] if chosen[i, 4] else "" for i in range(n)]
    for j in range(1, 5):
        body[f"Q8_{j}"] = [("" if np.isnan(v) else f"{v:g}") for v in answers[f"Q8_{j}"]]
    body["panel_weight"] = [f"{w:.6f}" for w in weight]
    texts = {"Q1_1": "Quality - The branch has modern-looking equipment", "Q1_2": "Quality - Staff are never too busy",
             "Q1_3": "Quality - The service is performed right the first time",
             "Q1_4": "Quality - Opening hours are convenient", "Q3": "Gender", "Q5": "Do you hold a mortgage with us?",
             "Q6": "How satisfied are you with your mortgage?", "Q7_5_TEXT": "Which services do you use? - Other - Text"}
    texts.update({f"Q7_{k}": f"Which services do you use? - {v}" for k, v in PANEL_FACILITIES.items()})
    texts.update({f"Q8_{k}": f"Rank what matters most - {v}" for k, v in PANEL_FACTORS.items()})
    labels = [texts.get(c, c) for c in body.columns]
    imports = [json.dumps({"ImportId": ("QID" + c[1:]) if c.startswith("Q") else c}, separators=(",", ":"))
               for c in body.columns]
    return [list(body.columns), labels, imports], body


def main() -> None:
    hotel(np.random.default_rng(16)).to_csv(HERE / "hotel_wjx.csv", index=False, encoding="gb18030")
    header, body = panel(np.random.default_rng(1616))
    with open(HERE / "panel_qualtrics.csv", "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerows(header)
        w.writerows(body.itertuples(index=False))
    types = hotel_types(np.random.default_rng(1602))
    types["numbers"].to_csv(HERE / "hotel_types_wjx_numbers.csv", index=False, encoding="gb18030")
    types["text"].to_excel(HERE / "hotel_types_wjx_text.xlsx", index=False)
    header, body = panel_types(np.random.default_rng(1603))
    with open(HERE / "panel_types_qualtrics.csv", "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerows(header)
        w.writerows(body.itertuples(index=False))


if __name__ == "__main__":
    main()
