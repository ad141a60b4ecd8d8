"""Generate the inputs of sem.R: survey-like (1-7 Likert) items of known structural models.

mediation: latent X -> M -> Y (and X -> Y), 3 indicators each, a correlated residual between
x3 and y3 (a shared wording), n = 500, 4% of the answers blank (listwise deletion);
second_order: quality, service and price (3 items each) under a second-order value factor,
value -> loyalty (3 items), n = 600;
groups: two factors x 4 items in two segments (A: n = 380, B: n = 320), B with a higher
intercept on a4 and a smaller loading on b4 (partial non-invariance), rows sorted by group.
Run from the repository root: .venv/bin/python tests/reference/make_sem_input.py
"""

from pathlib import Path

import numpy as np
import pandas as pd

OUT = Path(__file__).parent / "data"
rng = np.random.default_rng(20261205)


def likert(latent):
    return np.clip(np.round(4 + 1.2 * latent), 1, 7)


def items(prefix, factor, loadings, shift=None):
    shift = shift or {}
    return {f"{prefix}{i + 1}": likert(l * factor + np.sqrt(1 - l ** 2) * rng.normal(size=len(factor))
                                       + shift.get(i, 0.0)) for i, l in enumerate(loadings)}


def mediation(n=500):
    x = rng.normal(size=n)
    m = 0.55 * x + np.sqrt(1 - 0.55 ** 2) * rng.normal(size=n)
    y = 0.45 * m + 0.2 * x + 0.8 * rng.normal(size=n)
    y = y / y.std()
    cols = {**items("x", x, [0.8, 0.75, 0.7]), **items("m", m, [0.8, 0.7, 0.65]), **items("y", y, [0.85, 0.75, 0.6])}
    shared = rng.normal(size=n)
    cols["x3"] = np.clip(cols["x3"] + np.round(0.8 * shared), 1, 7)
    cols["y3"] = np.clip(cols["y3"] + np.round(0.8 * shared), 1, 7)
    frame = pd.DataFrame(cols)
    return frame.mask(rng.random(frame.shape) < 0.04)


def second_order(n=600):
    v = rng.normal(size=n)
    firsts = [0.8 * v + 0.6 * rng.normal(size=n), 0.7 * v + np.sqrt(0.51) * rng.normal(size=n),
              0.6 * v + 0.8 * rng.normal(size=n)]
    loyal = 0.6 * v + 0.8 * rng.normal(size=n)
    cols = {}
    for prefix, f, lam in zip(("q", "s", "p"), firsts, ([0.8, 0.75, 0.7], [0.8, 0.7, 0.7], [0.75, 0.7, 0.6])):
        cols.update(items(prefix, f, lam))
    cols.update(items("l", loyal, [0.85, 0.8, 0.7]))
    return pd.DataFrame(cols)


def groups():
    frames = []
    for name, n, a4_shift, b4 in (("A", 380, 0.0, 0.7), ("B", 320, 0.6, 0.35)):
        f = rng.multivariate_normal([0.0, 0.2 if name == "B" else 0.0], [[1, 0.45], [0.45, 1]], size=n)
        cols = {**items("a", f[:, 0], [0.8, 0.75, 0.7, 0.65], {3: a4_shift}),
                **items("b", f[:, 1], [0.8, 0.7, 0.7, b4])}
        frame = pd.DataFrame(cols)
        frame.insert(0, "segment", name)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


for name, frame in {"mediation": mediation(), "second_order": second_order(), "groups": groups()}.items():
    out = frame.copy()
    for c in out.columns:
        if c != "segment":
            out[c] = out[c].astype("Int64")
    out.to_csv(OUT / f"sem_{name}.csv", index=False, na_rep="NA")
