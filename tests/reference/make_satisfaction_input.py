"""Generate the input of satisfaction.R: KANO pairs, SERVQUAL expectations and perceptions,
penalty-reward ratings with an overall rating, and items for the extreme-group test.

500 respondents, one row each. Kano: four attributes ``k1``..``k4`` answered as functional
``f_k*`` and dysfunctional ``d_k*`` codes 1-5, drawn so that k1 is mostly attractive, k2 must-be,
k3 one-dimensional and k4 a near tie of indifferent and attractive; ~3 % missing. SERVQUAL: six
item pairs ``e_s1``..``e_s6`` / ``p_s1``..``p_s6`` (1-7), ~3 % missing. Penalty-reward: four
ratings ``r1``..``r4`` (1-5) and ``overall`` built with an asymmetric effect (r1 a large
penalty, r2 a large reward, r3 symmetric, r4 weak); ~2 % missing. Discrimination: six items
``q1``..``q6`` (1-5) from one factor. ``weight``: log-normal survey weights.

Run from the repository root: .venv/bin/python tests/reference/make_satisfaction_input.py
"""

from pathlib import Path

import numpy as np
import pandas as pd

rng = np.random.default_rng(20261205)
n = 500
frame = pd.DataFrame(index=pd.RangeIndex(1, n + 1, name="respondent"))
# Kano: probabilities of the functional and dysfunctional answers per attribute
kano_probs = {"k1": ([0.6, 0.1, 0.2, 0.05, 0.05], [0.05, 0.1, 0.45, 0.3, 0.1]),
              "k2": ([0.15, 0.45, 0.3, 0.05, 0.05], [0.05, 0.05, 0.1, 0.2, 0.6]),
              "k3": ([0.7, 0.1, 0.1, 0.05, 0.05], [0.05, 0.05, 0.1, 0.2, 0.6]),
              "k4": ([0.35, 0.2, 0.35, 0.05, 0.05], [0.05, 0.1, 0.5, 0.3, 0.05])}
for k, (pf, pd_) in kano_probs.items():
    f = rng.choice(np.arange(1, 6), size=n, p=pf).astype(float)
    d = rng.choice(np.arange(1, 6), size=n, p=pd_).astype(float)
    f[rng.random(n) < 0.03] = np.nan
    d[rng.random(n) < 0.03] = np.nan
    frame[f"f_{k}"], frame[f"d_{k}"] = f, d
# SERVQUAL: expectations high, perceptions lower by item-specific gaps
quality = rng.normal(size=n)
for j, gap in enumerate([-0.2, -0.6, -1.1, -0.9, -0.4, 0.1], start=1):
    e = np.clip(np.round(5.8 + 0.6 * rng.normal(size=n)), 1, 7)
    p = np.clip(np.round(e + gap + 0.8 * quality + rng.normal(size=n)), 1, 7)
    e[rng.random(n) < 0.03] = np.nan
    p[rng.random(n) < 0.03] = np.nan
    frame[f"e_s{j}"], frame[f"p_s{j}"] = e, p
# penalty-reward
z = rng.multivariate_normal(np.zeros(4), 0.3 + 0.7 * np.eye(4), size=n)
r = 1.0 + np.searchsorted([-1.2, -0.4, 0.4, 1.2], z)
low, high = r <= 2, r >= 4
overall = (5 - 1.2 * low[:, 0] + 0.3 * high[:, 0] - 0.2 * low[:, 1] + 1.0 * high[:, 1]
           - 0.6 * low[:, 2] + 0.6 * high[:, 2] - 0.1 * low[:, 3] + 0.1 * high[:, 3] + rng.normal(0, 1, n))
for j in range(4):
    col = r[:, j].copy()
    col[rng.random(n) < 0.02] = np.nan
    frame[f"r{j + 1}"] = col
frame["overall"] = np.clip(np.round(overall, 1), 1, 10)
# discrimination
g = rng.normal(size=n)
for j, load in enumerate([0.9, 0.8, 0.7, 0.6, 0.3, 0.05], start=1):
    frame[f"q{j}"] = np.clip(np.round(3 + load * g + rng.normal(size=n)), 1, 5)
frame["weight"] = np.exp(rng.normal(0, 0.4, n))
frame.to_csv(Path(__file__).parent / "data" / "satisfaction_input.csv", na_rep="NA", float_format="%.17g")
