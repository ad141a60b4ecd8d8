"""Generate the inputs of sem_robust.R: skewed Likert items (MLR) and items with blanks (FIML).

likert: a latent mediation X -> M -> Y (and X -> Y), 3 five-point items each, answers piled up
at the top of the scale (cut points of a left-skewed latent with exponential errors: item
skewness about -1), y3 also loading on X (left out of the models, so they misfit), two
segments (A: n = 420, B: n = 380), for ``estimator="MLR"``;
missing: the same structure on 1-7 items, n = 500, with 10-20% of the answers of the m and y
items blank at random given x1 (MAR: respondents low on x1 skip more), plus 3 rows with
every answer blank (dropped under FIML, as lavaan does).
Run from the repository root: .venv/bin/python tests/reference/make_sem_robust_input.py
"""

from pathlib import Path

import numpy as np
import pandas as pd

OUT = Path(__file__).parent / "data"
rng = np.random.default_rng(20261206)


def structure(n):
    x = rng.normal(size=n)
    m = 0.55 * x + np.sqrt(1 - 0.55 ** 2) * rng.normal(size=n)
    y = 0.45 * m + 0.2 * x + 0.8 * rng.normal(size=n)
    return x, m, y / y.std()


def skewed_items(prefix, factor, loadings):
    cuts = np.array([-2.0, -1.2, -0.5, 0.3])  # five categories, most answers 4 or 5
    out = {}
    for i, lam in enumerate(loadings):
        e = rng.gamma(1.0, 1.0, size=len(factor))  # exponential errors, mirrored: a long left tail
        latent = lam * factor + np.sqrt(1 - lam ** 2) * (1.0 - e)
        out[f"{prefix}{i + 1}"] = 1 + np.searchsorted(cuts, latent)
    return out


def likert():
    frames = []
    for name, n, lam_m3 in (("A", 420, 0.65), ("B", 380, 0.5)):
        x, m, y = structure(n)
        cols = {**skewed_items("x", x, [0.8, 0.75, 0.7]), **skewed_items("m", m, [0.8, 0.7, lam_m3]),
                **skewed_items("y", y, [0.85, 0.75, 0.6])}
        # y3 also reflects X (a cross-loading the model leaves out), so the models misfit a little
        cols["y3"] = skewed_items("y", (0.75 * y + 0.45 * x) / np.std(0.75 * y + 0.45 * x), [0.6])["y1"]
        frame = pd.DataFrame(cols)
        frame.insert(0, "segment", name)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def missing(n=500):
    x, m, y = structure(n)

    def items(prefix, factor, loadings):
        return {f"{prefix}{i + 1}": np.clip(np.round(4 + 1.2 * (lam * factor + np.sqrt(1 - lam ** 2)
                                                                  * rng.normal(size=n))), 1, 7)
                for i, lam in enumerate(loadings)}

    frame = pd.DataFrame({**items("x", x, [0.8, 0.75, 0.7]), **items("m", m, [0.8, 0.7, 0.65]),
                          **items("y", y, [0.85, 0.75, 0.6])})
    # MAR: the chance of a blank in an m or y item depends on the observed x1 only
    p_blank = np.where(frame["x1"] <= 3, 0.28, 0.10)
    for c in ["m1", "m2", "m3", "y1", "y2", "y3"]:
        frame[c] = frame[c].mask(rng.random(n) < p_blank)
    frame["x3"] = frame["x3"].mask(rng.random(n) < 0.08)
    frame.iloc[[7, 123, 411]] = np.nan  # respondents who answered nothing
    return frame


for name, frame in {"likert": likert(), "missing": missing()}.items():
    out = frame.copy()
    for c in out.columns:
        if c != "segment":
            out[c] = out[c].astype("Int64")
    out.to_csv(OUT / f"sem_{name}.csv", index=False, na_rep="NA")
