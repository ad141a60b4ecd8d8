"""Generate the input of drivers.R: a satisfaction survey with five correlated attribute ratings.

600 respondents. Five drivers rated 1-7 (``quality``, ``service``, ``price``, ``delivery``,
``support``) are cut from correlated normal scores (correlations 0.25-0.6, so the relative
weights differ visibly from the squared betas); the overall satisfaction ``overall`` (1-5)
is cut from a latent linear combination of the five plus logistic noise, i.e. an ordered
logit holds. About 3% of each rating is missing (so a listwise fit drops ~15% of the rows).
``weight`` is a post-stratification style weight (log-normal, rescaled to mean 1 so that
R's ``sandwich()`` of a weighted ``polr`` is on the same scale as ours, see drivers.R).

Run from the repository root: .venv/bin/python tests/reference/make_drivers_input.py
"""

from pathlib import Path

import numpy as np
import pandas as pd

rng = np.random.default_rng(20261207)
n = 600
names = ["quality", "service", "price", "delivery", "support"]
corr = np.array([[1.00, 0.55, 0.30, 0.40, 0.45],
                 [0.55, 1.00, 0.25, 0.35, 0.60],
                 [0.30, 0.25, 1.00, 0.30, 0.25],
                 [0.40, 0.35, 0.30, 1.00, 0.35],
                 [0.45, 0.60, 0.25, 0.35, 1.00]])
z = rng.multivariate_normal(np.zeros(5), corr, size=n)
cuts7 = [-1.8, -1.1, -0.5, 0.1, 0.8, 1.5]  # unevenly spaced categories, mean rating ~4.2
ratings = 1.0 + np.stack([np.searchsorted(cuts7, z[:, j]) for j in range(5)], axis=1)
latent = ratings @ np.array([0.45, 0.60, 0.25, 0.15, 0.30]) + rng.logistic(size=n)
overall = 1.0 + np.searchsorted(np.quantile(latent, [0.08, 0.22, 0.50, 0.80]), latent)
weight = np.exp(rng.normal(0, 0.35, n))
frame = pd.DataFrame(ratings, columns=names)
frame.insert(0, "overall", overall)
for col in ["overall", *names]:
    frame.loc[rng.random(n) < 0.03, col] = np.nan
frame["weight"] = weight / weight.mean()
frame.index.name = "respondent"
frame.to_csv(Path(__file__).parent / "data" / "drivers_input.csv", na_rep="NA", float_format="%.17g")
