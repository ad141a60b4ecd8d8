"""Generate the inputs of cfa.R: Likert-like (1-5) items of known factor structure.

two_factor: 2 correlated factors (r = 0.4) x 4 items each, n = 400;
three_factor: 3 correlated factors with 3, 4 and 5 items, n = 600;
missing: two_factor with 5% of the answers blank (fitted after listwise deletion).
Run from the repository root: .venv/bin/python tests/reference/make_cfa_input.py
"""

from pathlib import Path

import numpy as np
import pandas as pd

OUT = Path(__file__).parent / "data"
rng = np.random.default_rng(20240611)


def likert(n, phi, loadings, names):
    """Items = round(3 + 1.1 * (loading * factor + unique)), clipped to 1..5."""
    f = rng.multivariate_normal(np.zeros(len(phi)), phi, size=n)
    cols = {}
    for j, (lam, name) in enumerate(zip(loadings, names)):
        for i, (l, item) in enumerate(zip(lam, name)):
            latent = l * f[:, j] + np.sqrt(1 - l ** 2) * rng.normal(size=n)
            cols[item] = np.clip(np.round(3 + 1.1 * latent), 1, 5)
    return pd.DataFrame(cols)


two = likert(400, np.array([[1, 0.4], [0.4, 1]]),
             [[0.8, 0.75, 0.7, 0.6], [0.75, 0.7, 0.65, 0.55]],
             [["b1", "b2", "b3", "b4"], ["c1", "c2", "c3", "c4"]])
three = likert(600, np.array([[1, 0.5, 0.3], [0.5, 1, 0.45], [0.3, 0.45, 1]]),
               [[0.8, 0.7, 0.6], [0.75, 0.7, 0.65, 0.5], [0.8, 0.75, 0.7, 0.6, 0.55]],
               [["qual_1", "qual_2", "qual_3"], ["serv_1", "serv_2", "serv_3", "serv_4"],
                ["val_1", "val_2", "val_3", "val_4", "val_5"]])
missing = two.mask(rng.random(two.shape) < 0.05)
for name, frame in {"two_factor": two, "three_factor": three, "missing": missing}.items():
    frame.astype("Int64").to_csv(OUT / f"cfa_{name}.csv", index=False, na_rep="NA")
