"""Generate the input of rake.R: a skewed sample with base weights, and the population margins to rake to.

800 respondents. ``region`` (Chinese labels) is sampled with unequal allocation, so the base
weight ``base_w`` is the inverse of the region's sampling rate times a lognormal jitter (a
stratified-ish design); women and the young answer more often than the population says,
and age depends on region, so raking needs several sweeps. ``y`` is an outcome (a 0-10
satisfaction score) related to all three variables.

rake_margins.csv holds, by case, the margins (variable, level, target):

* ``two_vars``: gender and age as shares, no base weights.
* ``three_vars``: gender, age and region as shares, with the base weights.
* ``totals``: the same three variables as population totals (integers) summing to
  2,400,000 in every margin, with the base weights.

Run from the repository root: .venv/bin/python tests/reference/make_rake_input.py
"""

from pathlib import Path

import numpy as np
import pandas as pd

rng = np.random.default_rng(20261201)
n = 800
regions = ["华北", "华东", "华南", "西部"]
pop_region = np.array([0.25, 0.35, 0.25, 0.15])
sample_region = np.array([0.20, 0.45, 0.20, 0.15])  # unequal allocation
region = rng.choice(regions, size=n, p=sample_region)
base_w = (pop_region / sample_region)[pd.Index(regions).get_indexer(region)] * np.exp(rng.normal(0, 0.25, n))
gender = np.where(rng.random(n) < 0.6, "female", "male")
ages = ["18-29", "30-44", "45-59", "60+"]
young = {"华北": [0.30, 0.30, 0.25, 0.15], "华东": [0.40, 0.30, 0.20, 0.10], "华南": [0.35, 0.35, 0.20, 0.10],
         "西部": [0.25, 0.30, 0.25, 0.20]}
age = np.array([rng.choice(ages, p=young[r]) for r in region])
effect = (pd.Series(age).map({"18-29": -0.6, "30-44": -0.2, "45-59": 0.2, "60+": 0.7}).to_numpy()
          + np.where(gender == "female", 0.3, 0.0)
          + pd.Series(region).map({"华北": 0.0, "华东": 0.4, "华南": -0.2, "西部": -0.5}).to_numpy())
y = np.clip(np.round(7 + effect + rng.normal(0, 1.6, n)), 0, 10)
frame = pd.DataFrame({"id": np.arange(1, n + 1), "gender": gender, "age": age, "region": region, "base_w": base_w,
                      "y": y})

shares = {"gender": {"female": 0.51, "male": 0.49},
          "age": {"18-29": 0.22, "30-44": 0.28, "45-59": 0.27, "60+": 0.23},
          "region": dict(zip(regions, pop_region))}
population = 2_400_000
rows = []
for case, variables in [("two_vars", ["gender", "age"]), ("three_vars", ["gender", "age", "region"]),
                        ("totals", ["gender", "age", "region"])]:
    for var in variables:
        for level, share in shares[var].items():
            rows.append({"case": case, "variable": var, "level": level,
                         "target": round(share * population) if case == "totals" else share})
margins = pd.DataFrame(rows)
assert (margins[margins.case == "totals"].groupby("variable").target.sum() == population).all()

out = Path(__file__).parent / "data"
frame.to_csv(out / "rake_input.csv", index=False, float_format="%.17g")
margins.to_csv(out / "rake_margins.csv", index=False, float_format="%.17g")
