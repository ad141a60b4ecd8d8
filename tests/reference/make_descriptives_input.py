"""Generate the input of descriptives.R: 5 Likert items (1-5) with skew and missing answers.

Run from the repository root: .venv/bin/python tests/reference/make_descriptives_input.py
"""

from pathlib import Path

import numpy as np
import pandas as pd

rng = np.random.default_rng(20261123)
n = 400
probs = [[0.05, 0.1, 0.2, 0.4, 0.25], [0.3, 0.3, 0.2, 0.1, 0.1], [0.2] * 5, [0.0, 0.0, 0.1, 0.3, 0.6], [0.1, 0.2, 0.4, 0.2, 0.1]]
frame = pd.DataFrame({f"item{j + 1}": rng.choice(np.arange(1, 6), size=n, p=p).astype(float) for j, p in enumerate(probs)})
for j, share in enumerate([0.0, 0.05, 0.2, 0.01, 0.5]):
    frame.iloc[rng.random(n) < share, j] = np.nan
frame.to_csv(Path(__file__).parent / "data" / "descriptives_input.csv", index=False, na_rep="NA")
