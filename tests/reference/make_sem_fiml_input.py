"""Generate the input of sem_fiml.R that sem_robust's inputs lack: survey weights.

weighted: the skewed Likert answers of sem_likert.csv (two segments, n = 800) with a design weight
per respondent (post-stratification style: segment B and respondents low on x1 under-represented,
weights 0.4-3.2, mean 1), for ``sem(..., weights="w")`` against lavaan's ``sampling.weights``.
The FIML bootstrap reference uses sem_missing.csv as it is.
Run from the repository root: .venv/bin/python tests/reference/make_sem_fiml_input.py
"""

from pathlib import Path

import numpy as np
import pandas as pd

OUT = Path(__file__).parent / "data"
rng = np.random.default_rng(20261207)

frame = pd.read_csv(OUT / "sem_likert.csv")
w = np.where(frame["segment"] == "B", 1.6, 0.8) * np.where(frame["x1"] <= 3, 1.5, 1.0)
w = np.clip(w * rng.lognormal(0.0, 0.3, size=len(frame)), 0.4, 3.2)
frame["w"] = np.round(w / w.mean(), 6)
frame.to_csv(OUT / "sem_weighted.csv", index=False)
