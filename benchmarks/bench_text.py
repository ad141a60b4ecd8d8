"""theme_counts against a plain jieba.lcut loop: 1,000,000 comments with realistic repeats, 200,000 all distinct.

Run: .venv/bin/python benchmarks/bench_text.py [--quick] [--realistic N] [--distinct N] [--seed S]
                                               [--loop-sample K] [--repeats zipf|legacy]

The comments come from ``benchmarks/_corpus.py:make_corpus`` (review clauses recombined at
random with English, digits, dates, emoji, full-width and traditional characters, markup, and
0.2% comments of 2,500-10,000 characters). Two inputs:

* **all distinct**: ``--distinct`` comments, every one different (the worst case for a coder
  that codes each distinct comment once).
* **realistic repeats** (``--repeats zipf``, the default): ``--realistic`` comments, as an
  export of real reviews looks: many short identical answers, long unique ones.

  - 30% of the respondents give a stock answer, drawn by Zipf's law (the answer of rank r
    with probability proportional to 1/r) from the 40 answers in ``STOCK`` (好评, 满意,
    很好, 不错, 没有, 无 ... in that order), so 好评 alone is 7% of all comments;
  - the other 70% write a comment drawn by Zipf's law (exponent 1, as word frequencies) from
    a pool of as many generated comments of up to 200 characters, in random order: the most
    popular written comment is repeated about a thousand times, most are written once;
  - 0.2% of the written comments are long (2,500-10,000 characters), each written once.

  About a sixth of the comments are distinct. ``--repeats legacy`` takes
  ``make_corpus(n, distinct=False)`` instead (25% stock answers, the rest drawn with weights
  1/rank^0.6 from n/3 comments, long ones repeated too: the set behind earlier measurements).

Cases, each in its own subprocess so that its peak memory (max RSS, ``ru_maxrss``) is its own:

* loop: ``[jieba.lcut(t) for t in texts]`` with jieba's global dictionary (loaded before the
  clock starts), on the whole input (minutes for a million); ``--loop-sample K`` times the
  loop on K comments drawn at random and scales it to the input, and says so.
* theme_counts: ``theme_counts(texts, "customer_service")`` with its defaults (rjieba, worker
  processes, progress bar off for a clean log); the theme dictionary and its analyzer are built
  before the clock starts (about 2 s once per session, reported apart), as jieba's dictionary.
  The fastest of ``--repeat`` runs, each in a fresh process (cold caches), with the CPU time it
  took (its own and its workers'). Peak memory: the process itself, and the largest of its
  worker processes (forked: they share the parent's pages, so the two do not add up).
* jieba check: the theme counts of the same comments with ``backend='jieba'``: identical
  counts, plain and negated, flags of every distinct comment, non-answers and unmatched words.
  For the million, on its distinct comments, weighted by how often each occurs.

The machine is shared and noisy: read the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import subprocess
import sys
import time
from pathlib import Path

DATA = Path(__file__).parent / "_data"
THEMES = "customer_service"
# stock answers, the most common first (rank 1 is drawn 40 / H(40) = 9.3 times as often as rank 40)
STOCK = ["好评", "满意", "很好", "不错", "没有", "无", "非常满意", "挺好的", "好", "还行", "一般", "满意！", "很满意。",
         "还可以", "推荐", "👍", "ok", "good", "暂无", "无意见", "没有意见", "不满意", "差评", "谢谢", "没有了", "很好！",
         "好评！", "五星好评", "非常好", "都挺好的", "继续加油", "希望越来越好", "满意满意", "好好好", "棒", "赞", "nothing",
         "N/A", "。", "👍👍👍"]
STOCK_SHARE, LONG_SHARE, MAX_WRITTEN = 0.30, 0.002, 200


def _zipf(rng, size: int, n: int):
    """``n`` ranks in [0, size) with probability proportional to 1 / (rank + 1)."""
    import numpy as np

    p = 1.0 / np.arange(1, size + 1)
    return rng.choice(size, size=n, p=p / p.sum())


def realistic_corpus(n: int, seed: int) -> list[str]:
    """``n`` comments with realistic repeats (see the module docstring)."""
    import numpy as np

    from _corpus import make_corpus

    rng = np.random.default_rng(seed)
    stock = rng.random(n) < STOCK_SHARE
    n_written = int((~stock).sum())
    long = rng.random(n_written) < LONG_SHARE
    pool = [t for t in make_corpus(n_written + n_written // 50, seed=seed, long_share=0.0) if len(t) <= MAX_WRITTEN]
    pool = pool[:n_written]
    written = [pool[i] for i in _zipf(rng, len(pool), n_written)]
    longs = iter(make_corpus(int(long.sum()), seed=seed + 1, long_share=1.0))
    written = [next(longs) if is_long else t for t, is_long in zip(written, long)]
    answers = iter([STOCK[i] for i in _zipf(rng, len(STOCK), int(stock.sum()))])
    written_it = iter(written)
    return [next(answers) if s else next(written_it) for s in stock]


def corpus_path(kind: str, n: int, seed: int, repeats: str) -> Path:
    return DATA / f"text_{kind}_{repeats if kind == 'realistic' else 'all'}_{n}_{seed}.pkl"


def make_data(kind: str, n: int, seed: int, repeats: str) -> Path:
    path = corpus_path(kind, n, seed, repeats)
    if path.exists():
        return path
    from _corpus import make_corpus

    if kind == "distinct":
        texts = make_corpus(n, seed=seed)
    elif repeats == "legacy":
        texts = make_corpus(n, seed=seed, distinct=False)
    else:
        texts = realistic_corpus(n, seed)
    DATA.mkdir(exist_ok=True)
    with open(path, "wb") as f:
        pickle.dump(texts, f, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the worker processes)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def peak_mb(who=resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def worker(case: str, path: str, sample: int) -> dict:
    import logging

    import numpy as np

    with open(path, "rb") as f:
        texts = pickle.load(f)
    out: dict = {"n": len(texts), "base_mb": peak_mb()}
    if case == "loop":
        import jieba

        logging.getLogger("jieba").setLevel(logging.WARNING)  # a benchmark script may: no library does this
        jieba.initialize()
        timed = texts
        if 0 < sample < len(texts):
            rng = np.random.default_rng(0)
            timed = [texts[i] for i in rng.choice(len(texts), size=sample, replace=False)]
        t0 = time.perf_counter()
        tokens = [jieba.lcut(t) for t in timed]
        out["seconds"] = (time.perf_counter() - t0) * len(texts) / len(timed)
        out["timed"] = len(timed)
        out["tokens"] = sum(map(len, tokens))
    elif case == "counts":
        from surveykit.text._coding import batch_coder
        from surveykit.text.counts import theme_counts
        from surveykit.text.themes import load_themes

        t0 = time.perf_counter()
        themes = load_themes(THEMES)
        _ = batch_coder(themes)  # the analyzer (user words, rjieba) and the matcher, built once per session
        out["setup"] = time.perf_counter() - t0
        cpu0 = _cpu()
        t0 = time.perf_counter()
        r = theme_counts(texts, themes, progress=False)
        out["seconds"] = time.perf_counter() - t0
        out["cpu"] = _cpu() - cpu0
        out["distinct"] = len(r._distinct)
        out["table"] = r.table[["count", "plain_count", "negated_count"]].to_dict(orient="list")
        out["accounting"] = r.accounting.to_dict()
    else:  # the jieba check, on the distinct comments
        import pandas as pd

        from surveykit.text.counts import theme_counts
        from surveykit.text.themes import load_themes

        codes, distinct = pd.factorize(pd.Series(texts, dtype=object))
        mult = np.bincount(codes, minlength=len(distinct))
        themes = load_themes(THEMES)
        results = {}
        for backend in ["rjieba", "jieba"]:
            d = themes._with_backend(backend)
            t0 = time.perf_counter()
            results[backend] = r = theme_counts(list(distinct), d, progress=False)
            out[f"{backend}_seconds"] = time.perf_counter() - t0
        a, b = results["rjieba"], results["jieba"]
        weighted = {k: (mult @ (r._flags > 0)).tolist() for k, r in results.items()}
        out["same_counts"] = weighted["rjieba"] == weighted["jieba"] and a.table.equals(b.table)
        out["same_flags"] = bool((a._flags == b._flags).all() and (a._distinct_status == b._distinct_status).all())
        out["same_unmatched"] = a.unmatched_words.equals(b.unmatched_words)
        out["distinct"] = len(distinct)
        out["count"] = weighted["rjieba"]
    out["peak_mb"] = peak_mb()
    out["worker_peak_mb"] = peak_mb(resource.RUSAGE_CHILDREN)
    return out


def run(case: str, path: Path, sample: int = 0) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--worker", case, str(path), str(sample)], capture_output=True,
                          text=True, check=False)
    if proc.returncode:
        raise RuntimeError(f"{case} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def describe(path: Path) -> str:
    import numpy as np

    with open(path, "rb") as f:
        texts = pickle.load(f)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    distinct = set(texts)
    stock = np.isin(np.array(texts, dtype=object), np.array(STOCK, dtype=object)).mean()
    return (f"{len(texts):,} comments, {len(distinct):,} distinct ({len(distinct) / len(texts):.1%}), "
            f"{lengths.sum():,} characters (mean {lengths.mean():.1f}, in distinct comments "
            f"{sum(map(len, distinct)):,}), {int((lengths > 1000).sum()):,} over 1,000 characters, "
            f"stock answers {stock:.1%}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--realistic", type=int, default=1_000_000, help="comments with realistic repeats")
    ap.add_argument("--distinct", type=int, default=200_000, help="all-distinct comments")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeats", choices=["zipf", "legacy"], default="zipf")
    ap.add_argument("--loop-sample", type=int, default=0,
                    help="time the plain loop on this many comments drawn at random and scale it (0: all)")
    ap.add_argument("--repeat", type=int, default=3, help="theme_counts runs per input (each in a fresh process); "
                                                              "the fastest is reported")
    ap.add_argument("--quick", action="store_true", help="50,000 realistic and 20,000 distinct comments")
    ap.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        case, path, sample = args.worker
        print(json.dumps(worker(case, path, int(sample))))
        return
    if args.quick:
        args.realistic, args.distinct = 50_000, 20_000
    t0 = time.perf_counter()
    paths = {"realistic": make_data("realistic", args.realistic, args.seed, args.repeats),
             "distinct": make_data("distinct", args.distinct, args.seed, args.repeats)}
    print(f"corpora ready in {time.perf_counter() - t0:.1f} s ({DATA})")
    names = {"realistic": f"realistic repeats ({args.repeats})", "distinct": "all distinct"}
    for kind, path in paths.items():
        print(f"  {names[kind]}: {describe(path)}")
    load = os.getloadavg()[0]
    print(f"\nload average at the start: {load:.2f} on {os.cpu_count()} CPUs (other processes slow the runs down)")
    print(f"\n{'':40s}{'loop':>10s}{'theme_counts':>14s}{'speed-up':>10s}{'CPU s':>8s}{'peak MB':>10s}"
          f"{'worker MB':>11s}{'jieba check':>13s}")
    rows = []
    for kind, path in paths.items():
        loop = run("loop", path, args.loop_sample)
        counts = min((run("counts", path) for _ in range(max(1, args.repeat))), key=lambda r: r["seconds"])
        check = run("check", path)
        same = check["same_counts"] and check["same_flags"] and check["same_unmatched"] and \
            check["count"] == counts["table"]["count"]
        ratio = loop["seconds"] / counts["seconds"]
        rows.append((kind, loop, counts, check, ratio, same))
        sampled = " " if loop["timed"] == loop["n"] else "*"
        label = f"{names[kind]} ({loop['n']:,})"
        print(f"{label:40s}{loop['seconds']:9.1f}{sampled}"
              f"{counts['seconds']:13.2f} {ratio:9.1f}x{counts['cpu']:8.1f}{counts['peak_mb']:10,.0f}"
              f"{counts['worker_peak_mb']:11,.0f}{'identical' if same else 'DIFFERENT':>13s}")
    if any(loop["timed"] != loop["n"] for _, loop, *_ in rows):
        print(f"\n* the loop was timed on {args.loop_sample:,} comments drawn at random and scaled to the input")
    print(f"\ntheme_counts: the fastest of {max(1, args.repeat)} runs, each in a fresh process; CPU s: its own and its "
          "worker processes' CPU time. Setup not timed (theme dictionary, analyzer, matcher; once per session): "
          f"{rows[0][2]['setup']:.1f} s; nor the loop's jieba.initialize")
    for kind, loop, counts, check, _, _ in rows:
        acc = counts["accounting"]
        print(f"{names[kind]}: {counts['distinct']:,} distinct coded; {acc['substantive']:,} substantive, "
              f"{acc['non_answer']:,} non-answers, {acc['matched']:,} matched a theme; jieba backend on the "
              f"{check['distinct']:,} distinct comments {check['jieba_seconds']:.1f} s (rjieba {check['rjieba_seconds']:.1f} s)")
    targets = {"realistic": 30, "distinct": 10}
    verdicts = [f"{names[k]} >= {targets[k]}x: {r:.1f}x {'met' if r >= targets[k] else 'NOT met'}"
                for k, _, _, _, r, _ in rows]
    peak = rows[0][2]["peak_mb"]
    verdicts.append(f"peak memory for the realistic set under 2 GB: {peak / 1024:.2f} GB "
                    f"{'met' if peak < 2048 else 'NOT met'}")
    verdicts.append("theme counts identical to backend='jieba': " + ("yes" if all(s for *_, s in rows) else "NO"))
    print("\ntargets (2 cores): " + "; ".join(verdicts))


if __name__ == "__main__":
    main()
