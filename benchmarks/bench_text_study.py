"""theme_counts at study size: 35,000 real-length reviews, first call of a session and warm, against a jieba.lcut loop.

Run: .venv/bin/python benchmarks/bench_text_study.py [--n N] [--distinct-share S] [--seed S] [--cold-disk]

The reviews are 50-150 characters long, half of them distinct (the other half repeats of
those): review fragments from ``benchmarks/_corpus.py:make_corpus`` joined by punctuation
until a length drawn uniformly from 50-150 is reached. Each case runs in its own
subprocess, so that "first call" means the first call of a session:

* loop: ``[jieba.lcut(t) for t in texts]`` with jieba's global dictionary, loaded before the
  clock starts (``jieba.initialize()``, reported apart);
* first call: ``theme_counts(texts, "customer_service")`` in a fresh process, the clock
  started before it, so it includes loading the theme dictionary and building its analyzer
  and matcher (the tokenizer constants computed once per machine are read from the cache
  directory: ``--cold-disk`` points ``SURVEYKIT_CACHE_DIR`` at an empty directory to time the
  very first run on a machine as well);
* warm: in the same process, the same call again (the same column analysed a second time),
  and a call on another 35,000 reviews of the same kind (new comments, the tokenizer and its
  caches reused);
* check: the counts of the first call equal those of ``backend='jieba'`` (plain and negated,
  and the accounting).

Targets (issue 18): first call >= 10x the loop, warm >= 15x. The machine is shared and noisy:
read the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
DATA = HERE / "_data"
THEMES = "customer_service"


def review_corpus(n: int, *, seed: int, distinct_share: float = 0.5) -> list[str]:
    """``n`` reviews of 50-150 characters, ``distinct_share`` of them distinct, in random order."""
    sys.path.insert(0, str(HERE))
    from _corpus import make_corpus

    rng = random.Random(seed)
    k = max(1, int(n * distinct_share))
    pieces = iter(make_corpus(k * 12, seed=seed, long_share=0.0))
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < k:
        target = rng.randint(50, 150)
        text = next(pieces)
        while len(text) < target:
            piece = next(pieces)
            if len(text) + 1 + len(piece) > 150:
                break
            text += rng.choice("，。！ ；") + piece
        if 50 <= len(text) <= 150 and text not in seen:
            seen.add(text)
            out.append(text)
    texts = out + [out[rng.randrange(k)] for _ in range(n - k)]
    rng.shuffle(texts)
    return texts


def corpus(n: int, seed: int, share: float) -> Path:
    path = DATA / f"reviews_{n}_{seed}_{share:g}.pkl"
    if not path.exists():
        DATA.mkdir(exist_ok=True)
        with open(path, "wb") as f:
            pickle.dump(review_corpus(n, seed=seed, distinct_share=share), f, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def worker(case: str, path: str, other: str) -> dict:
    with open(path, "rb") as f:
        texts = pickle.load(f)
    out: dict = {"n": len(texts)}
    if case == "loop":
        import logging

        import jieba

        logging.getLogger("jieba").setLevel(logging.WARNING)  # a benchmark script may: no library does this
        t0 = time.perf_counter()
        jieba.initialize()
        out["setup"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        tokens = [jieba.lcut(t) for t in texts]
        out["seconds"] = time.perf_counter() - t0
        out["tokens"] = sum(map(len, tokens))
        return out
    from surveykit.text.counts import theme_counts

    t0 = time.perf_counter()
    r = theme_counts(texts, THEMES, progress=False)
    out["seconds"] = time.perf_counter() - t0
    out["table"] = r.table[["count", "plain_count", "negated_count"]].to_dict(orient="list")
    out["accounting"] = r.accounting.to_dict()
    out["distinct"] = len(r._distinct)
    t0 = time.perf_counter()
    again = theme_counts(texts, THEMES, progress=False)
    out["warm_same"] = time.perf_counter() - t0
    out["same_again"] = again.table.equals(r.table)
    with open(other, "rb") as f:
        others = pickle.load(f)
    t0 = time.perf_counter()
    theme_counts(others, THEMES, progress=False)
    out["warm_other"] = time.perf_counter() - t0
    if case == "check":
        from surveykit.text.themes import load_themes

        j = theme_counts(texts, load_themes(THEMES)._with_backend("jieba"), progress=False)
        out["same_as_jieba"] = bool(j.table.equals(r.table) and j.accounting.equals(r.accounting))
    return out


def run(case: str, path: Path, other: Path, env: dict | None = None) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--worker", case, str(path), str(other)], capture_output=True,
                          text=True, check=False, env=env)
    if proc.returncode:
        raise RuntimeError(f"{case} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=35_000)
    ap.add_argument("--distinct-share", type=float, default=0.5)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--cold-disk", action="store_true", help="also time the first call with an empty cache directory")
    ap.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(*args.worker)))
        return
    t0 = time.perf_counter()
    path = corpus(args.n, args.seed, args.distinct_share)
    other = corpus(args.n, args.seed + 1, args.distinct_share)
    with open(path, "rb") as f:
        texts = pickle.load(f)
    lengths = [len(t) for t in texts]
    print(f"{len(texts):,} reviews, {len(set(texts)):,} distinct, {min(lengths)}-{max(lengths)} characters "
          f"(mean {sum(lengths) / len(lengths):.0f}); prepared in {time.perf_counter() - t0:.1f} s; "
          f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs\n")
    loop = run("loop", path, other)
    counts = run("check", path, other)
    print(f"{'':52s}{'seconds':>9s}{'vs loop':>9s}")
    print(f"{'plain jieba.lcut loop':52s}{loop['seconds']:9.2f}{'1.0x':>9s}   (+ {loop['setup']:.1f} s jieba.initialize)")
    rows = [("theme_counts, first call of a session", counts["seconds"]),
            ("theme_counts, warm: the same comments again", counts["warm_same"]),
            ("theme_counts, warm: 35,000 other reviews", counts["warm_other"])]
    if args.cold_disk:
        with tempfile.TemporaryDirectory() as tmp:
            cold = run("first", path, other, env={**os.environ, "SURVEYKIT_CACHE_DIR": tmp})
        rows.insert(1, ("theme_counts, first call on a new machine (empty cache)", cold["seconds"]))
    for name, secs in rows:
        print(f"{name:52s}{secs:9.2f}{loop['seconds'] / secs:8.1f}x")
    same = counts["same_as_jieba"] and counts["same_again"]
    first, warm = loop["seconds"] / counts["seconds"], loop["seconds"] / counts["warm_other"]
    print(f"\ncounts identical to backend='jieba' and on the second call: {'yes' if same else 'NO'}")
    print(f"targets: first call >= 10x: {first:.1f}x {'met' if first >= 10 else 'NOT met'}; warm (other reviews) "
          f">= 15x: {warm:.1f}x {'met' if warm >= 15 else 'NOT met'}")


if __name__ == "__main__":
    main()
