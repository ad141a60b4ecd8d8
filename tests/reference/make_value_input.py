"""Generate the input of value.R: benefit and sacrifice parts of a stratified weighted sample.

300 respondents in 3 strata with weights and population sizes; eight 1-5 part scores named
after Kotler's parts (product, service, personnel, image; monetary, time, energy, physical),
each the mean of two items so that scores are on a half-point grid; about 5% of respondents
miss one part. Run from the repository root: .venv/bin/python tests/reference/make_value_input.py
"""

from pathlib import Path

import numpy as np
import pandas as pd

rng = np.random.default_rng(20261123)
sizes = {"a": 90, "b": 150, "c": 60}
pops = {"a": 2000, "b": 2500, "c": 400}
stratum = np.repeat(list(sizes), list(sizes.values()))
n = len(stratum)
pop = np.array([pops[s] for s in stratum], float)
w = pop / np.array([sizes[s] for s in stratum]) * np.exp(rng.normal(0, 0.25, n))
value = rng.normal(0, 1, n)
frame = pd.DataFrame({"stratum": stratum, "w": w, "pop": pop})
for k, part in enumerate(["product", "service", "personnel", "image", "monetary", "time", "energy", "physical"]):
    sign = 1 if k < 4 else -0.6
    items = [np.clip(np.round(3.4 + sign * 0.7 * value + rng.normal(0, 0.9, n)), 1, 5) for _ in range(2)]
    score = (items[0] + items[1]) / 2
    score[rng.random(n) < 0.007] = np.nan
    frame[part] = score
frame.to_csv(Path(__file__).parent / "data" / "value_input.csv", index=False, na_rep="NA", float_format="%.17g")
