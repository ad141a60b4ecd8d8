"""Generate the inputs of efa.R: item sets with known factor structures.

three_factor: 12 Likert items of three correlated factors (one item cross-loading,
one reverse-worded), n = 500; two_factor_missing: 8 items of two factors, n = 400, with
6% of answers blank; bifactor: 12 items of a general factor and three group factors,
n = 800 (for omega hierarchical); null: 10 independent items, n = 300.
Run from the repository root: .venv/bin/python tests/reference/make_efa_input.py
"""

from pathlib import Path

import numpy as np
import pandas as pd

OUT = Path(__file__).parent / "data"
rng = np.random.default_rng(60)


def likert(latent, cuts=(-1.5, -0.5, 0.5, 1.5)):
    return 1 + np.searchsorted(cuts, latent)


def items_from(f, pattern):
    common = f @ pattern.T
    unique = rng.normal(size=common.shape) * np.sqrt(np.clip(1 - (pattern ** 2).sum(axis=1), 0.1, None))
    return common + unique


# three correlated factors
phi = np.array([[1, 0.4, 0.3], [0.4, 1, 0.2], [0.3, 0.2, 1]])
f = rng.multivariate_normal(np.zeros(3), phi, size=500)
pattern = np.zeros((12, 3))
pattern[0:4, 0] = [0.8, 0.7, 0.7, 0.6]
pattern[4:8, 1] = [0.75, 0.7, 0.65, 0.55]
pattern[8:12, 2] = [0.8, 0.7, 0.6, 0.5]
pattern[3, 1] = 0.3  # a cross-loading
pattern[6, 1] = -0.65  # reverse-worded
three = pd.DataFrame(likert(items_from(f, pattern)), columns=[f"x{j + 1}" for j in range(12)])

# two factors with blanks
f2 = rng.multivariate_normal(np.zeros(2), [[1, 0.5], [0.5, 1]], size=400)
p2 = np.zeros((8, 2))
p2[0:4, 0] = [0.8, 0.75, 0.7, 0.6]
p2[4:8, 1] = [0.8, 0.7, 0.65, 0.6]
two = pd.DataFrame(likert(items_from(f2, p2)), columns=[f"y{j + 1}" for j in range(8)]).astype(float)
two = two.mask(rng.random(two.shape) < 0.06)

# bifactor
g = rng.normal(size=(800, 1))
s = rng.normal(size=(800, 3))
pb = np.zeros((12, 4))
pb[:, 0] = 0.55
for j in range(3):
    pb[4 * j:4 * j + 4, j + 1] = [0.5, 0.45, 0.4, 0.35]
bif = pd.DataFrame(likert(items_from(np.hstack([g, s]), pb)), columns=[f"z{j + 1}" for j in range(12)])

null = pd.DataFrame(likert(rng.normal(size=(300, 10))), columns=[f"n{j + 1}" for j in range(10)])

for name, frame in {"three_factor": three, "two_factor_missing": two, "bifactor": bif, "null": null}.items():
    frame.to_csv(OUT / f"efa_{name}.csv", index=False, na_rep="NA")
