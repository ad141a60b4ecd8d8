"""Generate the input of ipa.R: attribute ratings, an overall rating and survey weights.

240 respondents rate six attributes (q1..q6, 1-5) and give an overall satisfaction rating
(overall, 1-10). The attributes load on a common factor with different strengths (q6 works
against it, as an unrecoded reverse-worded item would), so their correlations with overall
differ; each has 3-10% missing answers, overall 4%, so the pairwise-complete rows differ by
item. ``w`` are survey weights (log-normal, mean about 1).

Run from the repository root: .venv/bin/python tests/reference/make_ipa_input.py
"""

from pathlib import Path

import numpy as np
import pandas as pd

rng = np.random.default_rng(20261207)
n = 240
f = rng.normal(size=n)
w = np.exp(rng.normal(0, 0.45, n))
frame = {"w": w}
centres = [3.9, 3.2, 3.6, 4.2, 2.9, 3.4]
loadings = [0.9, 0.7, 0.4, 0.2, 0.6, -0.5]
missing = [0.03, 0.05, 0.10, 0.04, 0.08, 0.06]
for j, (c, lam, m) in enumerate(zip(centres, loadings, missing), start=1):
    x = np.clip(np.round(c + lam * f + 0.8 * rng.normal(size=n) + 0.15 * np.log(w)), 1, 5)
    x[rng.random(n) < m] = np.nan
    frame[f"q{j}"] = x
overall = np.clip(np.round(6.5 + 1.6 * f + 1.2 * rng.normal(size=n)), 1, 10)
overall[rng.random(n) < 0.04] = np.nan
frame["overall"] = overall
pd.DataFrame(frame).to_csv(Path(__file__).parent / "data" / "ipa_input.csv", index=False, na_rep="NA",
                           float_format="%.17g")
