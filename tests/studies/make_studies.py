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


def main() -> None:
    hotel(np.random.default_rng(16)).to_csv(HERE / "hotel_wjx.csv", index=False, encoding="gb18030")
    header, body = panel(np.random.default_rng(1616))
    with open(HERE / "panel_qualtrics.csv", "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerows(header)
        w.writerows(body.itertuples(index=False))


if __name__ == "__main__":
    main()
