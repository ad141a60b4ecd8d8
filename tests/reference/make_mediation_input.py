"""Generate the input of mediation.R: observed scores for mediation and moderation models.

400 respondents. ``x`` (perceived benefits), three mediators in a serial chain
(``m1`` perceived value, ``m2`` satisfaction, ``m3`` trust: each depends on x and the ones
before it), the outcome ``y`` (loyalty), two covariates (``age`` in decades, ``female`` 0/1),
a moderator ``w`` (involvement, 1-7) and a moderated outcome ``y_mod`` whose slope on x
changes sign within the range of w (so the Johnson-Neyman bounds fall inside it); ``m_mod`` and
``y_mm`` for moderated mediation (w moderates x -> m_mod, m_mod -> y_mm). About 2% of
x, m1 and y are missing (listwise deletion drops ~6% of the rows).

Run from the repository root: .venv/bin/python tests/reference/make_mediation_input.py
"""

from pathlib import Path

import numpy as np
import pandas as pd

rng = np.random.default_rng(20261205)
n = 400
age = rng.integers(2, 7, n).astype(float)
female = (rng.random(n) < 0.55).astype(float)
x = 4 + rng.normal(0, 1, n) + 0.1 * age
m1 = 1 + 0.45 * x + 0.1 * female + rng.normal(0, 1, n)
m2 = 0.5 + 0.25 * x + 0.35 * m1 + rng.normal(0, 1, n)
m3 = 0.2 + 0.15 * x + 0.2 * m1 + 0.3 * m2 + rng.normal(0, 1, n)
y = 0.5 + 0.12 * x + 0.3 * m1 + 0.2 * m2 + 0.25 * m3 - 0.05 * age + rng.normal(0, 1, n)
w = np.clip(np.round(rng.normal(4, 1.4, n)), 1, 7)
y_mod = 1 + (-0.45 + 0.15 * w) * x + 0.2 * w + 0.1 * age + rng.normal(0, 1, n)
frame = pd.DataFrame({"x": x, "m1": m1, "m2": m2, "m3": m3, "y": y, "age": age, "female": female, "w": w,
                      "y_mod": y_mod})
for col in ["x", "m1", "y"]:
    frame.loc[rng.random(n) < 0.02, col] = np.nan
# moderated mediation (PROCESS model 7): w moderates x -> m_mod; drawn last so the columns above stay as they were
frame["m_mod"] = 0.5 + (0.05 + 0.1 * w) * x + rng.normal(0, 1, n)
frame["y_mm"] = 1 + 0.15 * x + 0.4 * frame["m_mod"] + 0.05 * age + rng.normal(0, 1, n)
frame.index.name = "respondent"
frame.to_csv(Path(__file__).parent / "data" / "mediation_input.csv", na_rep="NA", float_format="%.17g")
