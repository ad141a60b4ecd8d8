"""Generate the input of weighted_descriptives.R: 4 Likert items (1-5) with missing answers,
a skewed survey weight and a three-level segment.

Run from the repository root: .venv/bin/python tests/reference/make_weighted_descriptives_input.py
"""

from pathlib import Path

import numpy as np
import pandas as pd

rng = np.random.default_rng(20261205)
n = 300
segment = rng.choice(["north", "south", "west"], size=n, p=[0.5, 0.3, 0.2])
# weights that differ by segment (a post-stratification) and within it
weight = np.where(segment == "north", 0.7, np.where(segment == "south", 1.2, 1.6)) * rng.lognormal(0, 0.35, n)
probs = [[0.05, 0.1, 0.2, 0.4, 0.25], [0.3, 0.3, 0.2, 0.1, 0.1], [0.2] * 5, [0.1, 0.2, 0.4, 0.2, 0.1]]
frame = pd.DataFrame({f"item{j + 1}": rng.choice(np.arange(1, 6), size=n, p=p).astype(float)
                      for j, p in enumerate(probs)})
frame["item1"] = np.where(segment == "west", np.minimum(frame["item1"] + 1, 5), frame["item1"])  # weighting matters
for j, share in enumerate([0.0, 0.05, 0.2, 0.4]):
    frame.iloc[rng.random(n) < share, j] = np.nan
frame["segment"] = segment
frame.loc[rng.random(n) < 0.05, "segment"] = np.nan  # unanswered
frame["weight"] = weight.round(6)
frame.to_csv(Path(__file__).parent / "data" / "weighted_descriptives_input.csv", index=False, na_rep="NA")
