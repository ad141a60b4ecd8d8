"""Generate the input of text_mentions.R: open comments with known themes, ratings and weights.

900 respondents. Each writes nothing (NaN, ~20%), a non-answer (无, 没有, nothing, 。, 暂无;
~12%), a substantive comment that names no theme (~6%), or one to three phrases, each about
another theme of the bundled dictionary ``customer_value`` (价格, 质量, 服务/客服, 物流, 包装),
joined by "，" or "。". Every phrase is written here with the themes it names and whether
the mention is negated (价格不便宜, 质量不太好, 售后没有人管), so the file carries the truth:
``status`` (missing / non_answer / substantive) and, per theme, ``any_<theme>`` (mentioned) and
``neg_<theme>`` (mentioned negated). tests/test_text_survey.py checks that surveykit codes
every comment so, then compares its statistics with R's, which R computes from these truth
columns.

Ratings follow the phrases: each phrase has a tone (+1 / -1) that moves a latent
satisfaction, so mentioners of "价格太贵了" or "质量不太好" rate lower. ``sat_1``..``sat_3``
are 1-5 satisfaction items (~3% missing each), ``rec`` a 0-10 recommendation (~4% missing),
``region`` a 1-3 segment code, ``w`` survey weights (log-normal, region-dependent level).

Run from the repository root: .venv/bin/python tests/reference/make_text_mentions_input.py
"""

from pathlib import Path

import numpy as np
import pandas as pd

THEMES = ("price", "quality", "service", "logistics", "packaging")
# theme -> [(phrase, negated, tone)]; each phrase names its theme only
PHRASES = {
    "price": [("价格便宜", False, 1), ("性价比很高", False, 1), ("很划算", False, 1), ("价格太贵了", False, -1),
              ("价格不便宜", True, -1), ("性价比不高", True, -1), ("不划算", True, -1)],
    "quality": [("质量很好", False, 1), ("做工扎实", False, 1), ("质量一般", False, -1),
                ("质量不太好", True, -1), ("质量不好", True, -1)],
    "service": [("客服态度很好", False, 1), ("售后服务热情", False, 1), ("客服回复及时", False, 1),
                ("客服态度不好", True, -1), ("售后没有人管", True, -1), ("服务不满意", True, -1)],
    "logistics": [("物流很快", False, 1), ("快递第二天就到了", False, 1), ("物流太慢", False, -1),
                  ("发货不及时", True, -1), ("物流不快", True, -1)],
    # packaging is rarely negated: its negated rows stay below the minimum group size
    "packaging": [("包装完好", False, 1), ("包装很精致", False, 1), ("包装不结实", True, -1)],
}
PACKAGING_P = [0.45, 0.45, 0.10]
NON_ANSWERS = ["无", "没有", "nothing", "。", "暂无"]
UNMATCHED = ["还可以吧", "下次再来", "整体不错", "东西收到了"]

rng = np.random.default_rng(20261207)
n = 900
region = rng.choice([1, 2, 3], size=n, p=[0.45, 0.35, 0.20])
kind = rng.random(n)
comment = np.empty(n, dtype=object)
status = np.empty(n, dtype=object)
mention = {t: np.zeros(n, int) for t in THEMES}
negated = {t: np.zeros(n, int) for t in THEMES}
tone = np.zeros(n)
for i in range(n):
    if kind[i] < 0.20:
        comment[i], status[i] = np.nan, "missing"
    elif kind[i] < 0.32:
        comment[i], status[i] = NON_ANSWERS[rng.integers(len(NON_ANSWERS))], "non_answer"
    elif kind[i] < 0.38:
        comment[i], status[i] = UNMATCHED[rng.integers(len(UNMATCHED))], "substantive"
    else:
        k = rng.choice([1, 2, 3], p=[0.5, 0.35, 0.15])
        parts = []
        for t in rng.choice(THEMES, size=k, replace=False):
            bank = PHRASES[t]
            j = rng.choice(len(bank), p=PACKAGING_P) if t == "packaging" else rng.integers(len(bank))
            phrase, neg, sign = bank[j]
            parts.append(phrase)
            mention[t][i] = 1
            negated[t][i] = max(negated[t][i], int(neg))
            tone[i] += sign
        comment[i] = str(rng.choice(["，", "。"])).join(parts)
        status[i] = "substantive"

latent = 0.7 * tone + rng.normal(0, 1, n) + np.array([0.0, 0.3, -0.2])[region - 1]
sat = {f"sat_{k}": np.clip(np.rint(3.3 + 0.9 * latent + rng.normal(0, 0.6, n)), 1, 5) for k in (1, 2, 3)}
for v in sat.values():
    v[rng.random(n) < 0.03] = np.nan
rec = np.clip(np.rint(7.2 + 1.6 * latent + rng.normal(0, 1.0, n)), 0, 10)
rec[rng.random(n) < 0.04] = np.nan
w = np.exp(rng.normal(0, 0.4, n)) * np.array([1.0, 1.4, 0.7])[region - 1]

frame = pd.DataFrame({"id": np.arange(1, n + 1), "w": w, "region": region, **sat, "rec": rec, "comment": comment,
                      "status": status, **{f"any_{t}": mention[t] for t in THEMES},
                      **{f"neg_{t}": negated[t] for t in THEMES}})
frame.to_csv(Path(__file__).parent / "data" / "text_mentions_input.csv", index=False, na_rep="NA",
             float_format="%.17g", encoding="utf-8")
