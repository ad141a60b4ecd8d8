"""Generate the input of weighted.R: a stratified sample with weights, fpc and missing answers.

400 respondents in 4 strata of unequal size; weights N_h / n_h times a post-stratification
style jitter (so they vary within strata); ``pop`` is the stratum population size N_h and
``frac`` the sampling fraction n_h / N_h (both forms of R's ``fpc``); ``y`` a numeric score
with 8% missing; ``region`` a category with 5% missing; ``nps`` 0-10 answers with 6%
missing; ``sat`` a 1-5 satisfaction item with 4% missing.

Run from the repository root: .venv/bin/python tests/reference/make_weighted_input.py
"""

from pathlib import Path

import numpy as np
import pandas as pd

rng = np.random.default_rng(20261124)
sizes = {"north": 70, "south": 130, "east": 150, "west": 50}
pops = {"north": 900, "south": 1500, "east": 6000, "west": 120}
stratum = np.repeat(list(sizes), list(sizes.values()))
n = len(stratum)
pop = np.array([pops[s] for s in stratum], float)
nh = np.array([sizes[s] for s in stratum], float)
w = pop / nh * np.exp(rng.normal(0, 0.3, n))
shift = {"north": 0.0, "south": 0.4, "east": -0.3, "west": 0.8}
y = np.array([shift[s] for s in stratum]) + rng.normal(5, 1.5, n) + 0.2 * np.log(w)
y[rng.random(n) < 0.08] = np.nan
region = rng.choice(["city", "suburb", "town", "village"], size=n, p=[0.4, 0.3, 0.2, 0.1]).astype(object)
region[rng.random(n) < 0.05] = None
nps = rng.choice(np.arange(11), size=n, p=np.array([1, 1, 1, 2, 2, 4, 6, 10, 14, 12, 8]) / 61).astype(float)
nps[rng.random(n) < 0.06] = np.nan
sat = rng.choice(np.arange(1, 6), size=n, p=[0.08, 0.12, 0.25, 0.35, 0.2]).astype(float)
sat[rng.random(n) < 0.04] = np.nan
frame = pd.DataFrame({"stratum": stratum, "w": w, "pop": pop, "frac": nh / pop, "y": y, "region": region,
                      "nps": nps, "sat": sat})
frame.to_csv(Path(__file__).parent / "data" / "weighted_input.csv", index=False, na_rep="NA", float_format="%.17g")
