"""Generate the inputs of psychometrics.R: item sets of several shapes.

clean: 6 items of one factor, n = 300; missing: the same with 8% of answers blank;
reverse: one item reverse-worded and not recoded; near_singular: two items almost equal.
Run from the repository root: .venv/bin/python tests/reference/make_psychometrics_input.py
"""

from pathlib import Path

import numpy as np
import pandas as pd

OUT = Path(__file__).parent / "data"
rng = np.random.default_rng(6)
n, k = 300, 6
f = rng.normal(size=n)
loadings = np.array([0.8, 0.75, 0.7, 0.65, 0.6, 0.5])
latent = f[:, None] * loadings + rng.normal(size=(n, k)) * np.sqrt(1 - loadings ** 2)
clean = pd.DataFrame(np.clip(np.round(3 + 1.1 * latent), 1, 5), columns=[f"i{j + 1}" for j in range(k)])
missing = clean.mask(rng.random(clean.shape) < 0.08)
reverse = clean.copy()
reverse["i3"] = 6 - reverse["i3"]
near = clean.copy().astype(float)
near["i6"] = near["i5"] + rng.normal(0, 0.05, n)
for name, frame in {"clean": clean, "missing": missing, "reverse": reverse, "near_singular": near}.items():
    frame.to_csv(OUT / f"psy_{name}.csv", index=False, na_rep="NA")
