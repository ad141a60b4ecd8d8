"""Generate the survey weights of ipma.R: one post-stratification style weight per ECSI respondent.

The ECSI data (250 respondents, items on 0-10) and plspm's outer weights are read by ipma.R
from ../shared/reference/ecsi-satisfaction (R plspm's own outputs, see its README); only the
weights are made here: log-normal, rescaled to mean 1, seeded.

Run from the repository root: .venv/bin/python tests/reference/make_ipma_input.py
"""

from pathlib import Path

import numpy as np
import pandas as pd

rng = np.random.default_rng(20261205)
n = 250
weight = np.exp(rng.normal(0, 0.4, n))
frame = pd.DataFrame({"respondent": np.arange(1, n + 1), "weight": weight / weight.mean()})
frame.to_csv(Path(__file__).parent / "data" / "ipma_weights.csv", index=False, float_format="%.17g")
