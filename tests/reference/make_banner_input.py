"""Generate the input of banner.R: a survey with four segments of unequal size and weights.

800 respondents: ``region`` north / south / east / west with 330 / 260 / 185 / 15
respondents (west is the small segment) and 10 more whose region is missing (they belong to
no column); ``sat`` a 1-5 satisfaction item and ``nps`` a 0-10 recommendation item whose
distributions shift by region, each with ~5% missing answers; ``channel`` a 3-level category
(online / store / phone) with region-dependent shares and ~3% missing; ``w`` survey weights
(log-normal, with a region-dependent level so that weighting moves the estimates).

Run from the repository root: .venv/bin/python tests/reference/make_banner_input.py
"""

from pathlib import Path

import numpy as np
import pandas as pd

rng = np.random.default_rng(20261201)
sizes = {"north": 330, "south": 260, "east": 185, "west": 15}
region = np.repeat(list(sizes), list(sizes.values())).astype(object)
region = np.concatenate([region, np.full(10, None, dtype=object)])
order = rng.permutation(len(region))
region = region[order]
n = len(region)
known = np.array([r is not None for r in region])
key = np.where(known, region, "north")

sat_p = {"north": [0.05, 0.10, 0.25, 0.40, 0.20], "south": [0.06, 0.12, 0.30, 0.34, 0.18],
         "east": [0.12, 0.18, 0.30, 0.28, 0.12], "west": [0.02, 0.08, 0.20, 0.40, 0.30]}
sat = np.array([rng.choice(np.arange(1, 6), p=sat_p[k]) for k in key], dtype=float)
nps_shift = {"north": 0.0, "south": -0.3, "east": -1.0, "west": 0.5}
nps = np.clip(np.round(rng.normal(7.2, 2.0, n) + np.array([nps_shift[k] for k in key])), 0, 10)
ch_p = {"north": [0.50, 0.35, 0.15], "south": [0.40, 0.40, 0.20], "east": [0.30, 0.40, 0.30],
        "west": [0.45, 0.45, 0.10]}
channel = np.array([rng.choice(["online", "store", "phone"], p=ch_p[k]) for k in key], dtype=object)
level = {"north": 0.0, "south": 0.2, "east": -0.2, "west": 0.3}
w = np.exp(rng.normal(0, 0.45, n) + np.array([level[k] for k in key]))
sat[rng.random(n) < 0.05] = np.nan
nps[rng.random(n) < 0.05] = np.nan
channel[rng.random(n) < 0.03] = None
frame = pd.DataFrame({"region": region, "w": w, "sat": sat, "nps": nps, "channel": channel})
frame.to_csv(Path(__file__).parent / "data" / "banner_input.csv", index=False, na_rep="NA", float_format="%.17g")
