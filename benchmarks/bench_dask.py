"""The survey pipeline on Dask against a plain Dask read + describe() of the same Parquet files.

Run: .venv/bin/python benchmarks/bench_dask.py [--n 2000000] [--files 20] [--base 20000] [--mode both]

Writes N respondents of the example study (``customer_value``) as Parquet files to
benchmarks/_data/dask_N/ (git-ignored; written once): the generator makes ``--base``
respondents (it also builds their transactions, which is slow at millions) and the rows are
repeated with new respondent ids up to N, each answer of a repeat swapped with probability 0.2
for another respondent's answer to the same question (so that repeats are not duplicate
submissions, which the per-file validation would spend its time grouping). Then times, on the local threaded scheduler:

* surveykit: ``read_responses_dask`` (every file coded by ``read_responses``; the audit pass)
  and ``survey_summary_dask`` (item descriptives, NPS / top-2-box / composite indices overall
  and by the 5 segments, in one pass: without ``--persist`` the files are read and coded again);
* the yardstick: ``dask.dataframe.read_parquet(files).describe().compute()``;
* with ``--analyses`` (on the persisted partitions): a banner by tier, reliability of every
  construct, KMO / Bartlett, a 3-factor EFA and the CFA of the constructs' items, an OLS driver
  model with HC3 standard errors (two passes) and the theme counts of the comments, each
  timed on its own.

It prints both times and their ratio (target: at most 4x). Shared, loaded machines are noisy:
read the ratio, and run it twice.
"""

from __future__ import annotations

import argparse
import os
import time
import warnings
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent


def make_files(n: int, n_files: int, base: int) -> Path:
    """N respondents of the example study as ``n_files`` Parquet files (written once per size)."""
    out = HERE / "_data" / f"dask_{n}_{n_files}"
    if out.exists() and len(list(out.glob("*.parquet"))) == n_files:
        return out
    from surveykit.example import generate_example

    out.mkdir(parents=True, exist_ok=True)
    study = generate_example(n_respondents=base, n_customers=max(12_000, 2 * base))
    frame = study.answers.reset_index(drop=True)
    frame.insert(0, "resp_id", 0)
    frame["duration_sec"] = study.meta["duration_sec"].to_numpy()
    bounds = np.linspace(0, n, n_files + 1).astype(np.int64)
    rng = np.random.default_rng(18)
    answers = [c for c in frame.columns if c not in ("resp_id", "customer_id", "comment", "duration_sec")]
    for k in range(n_files):
        rows = np.arange(bounds[k], bounds[k + 1])
        part = frame.iloc[rows % base].reset_index(drop=True)
        for c in answers:  # a repeat is another respondent: a fifth of its answers swapped
            swap = (rows >= base) & (rng.random(len(rows)) < 0.2)
            part.loc[swap, c] = frame[c].to_numpy()[rng.integers(0, base, int(swap.sum()))]
        part["resp_id"] = rows + 1
        part.to_parquet(out / f"part_{k:03d}.parquet", index=False)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2_000_000, help="respondents (default 2,000,000)")
    ap.add_argument("--files", type=int, default=20, help="Parquet files (default 20)")
    ap.add_argument("--base", type=int, default=20_000, help="respondents the generator makes (default 20,000)")
    ap.add_argument("--mode", choices=("both", "persist", "lazy"), default="both",
                    help="persist the coded partitions after the audit, re-read them, or time both (default)")
    ap.add_argument("--analyses", action="store_true",
                    help="also time banners, psychometrics, drivers and themes on the persisted partitions")
    args = ap.parse_args()
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

    import dask
    import dask.dataframe as dd

    import surveykit as sk
    from surveykit.dask import read_responses_dask
    from surveykit.dask.analyses import survey_summary_dask

    t0 = time.perf_counter()
    folder = make_files(args.n, args.files, args.base)
    pattern = str(folder / "*.parquet")
    print(f"{args.n:,} respondents in {args.files} Parquet files ({time.perf_counter() - t0:.1f} s to make or find); "
          f"scheduler: threads ({os.cpu_count()} cores)")
    q = sk.load_questionnaire("customer_value")
    with dask.config.set(scheduler="threads"):
        t1 = time.perf_counter()
        dd.read_parquet(pattern).describe().compute()
        t_describe = time.perf_counter() - t1
        print(f"dask read_parquet + describe()              {t_describe:8.1f} s")
        for persist in {"both": (True, False), "persist": (True,), "lazy": (False,)}[args.mode]:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                t1 = time.perf_counter()
                data = read_responses_dask(pattern, q, persist=persist)
                t_read = time.perf_counter() - t1
                desc, ix = survey_summary_dask(data)
                t_analyses = time.perf_counter() - t1 - t_read
            total = t_read + t_analyses
            mode = "persist=True " if persist else "persist=False"
            print(f"surveykit {mode}: read + audit {t_read:6.1f} s, descriptives + indices {t_analyses:6.1f} s, "
                  f"total {total:6.1f} s = {total / t_describe:.2f}x describe (target <= 4x)")
            if persist and args.analyses:
                _time_analyses(data, t_describe)
            del data
    print(f"rows read {args.n:,}; {len(desc.to_frame())} items described, {len(ix.table)} index rows; "
          f"NPS {ix.overall.loc['nps', 'estimate']:.3f}, satisfaction index "
          f"{ix.overall.loc['satisfaction_index', 'estimate']:.3f}")


def _time_analyses(data, t_describe: float) -> None:
    """Each further analysis on the persisted partitions, timed on its own (and against describe())."""
    construct_items = [i for c in data.questionnaire.constructs.values() for i in c.items]
    steps = {
        "banner (tier x 4 rows)": lambda: data.banner("tier", ["sat_overall", "loy_recommend", "gender", "region"],
                                                      kind={"gender": "proportions", "region": "proportions"}),
        "reliability, every construct": lambda: data.reliability(),
        "KMO + Bartlett": lambda: data.adequacy(),
        "EFA, 3 factors": lambda: data.efa(3),
        "CFA of the constructs": lambda: data.cfa(),
        "drivers OLS + HC3 (2 passes)": lambda: data.drivers("sat_overall", ["prod_1", "svc_1", "staff_1", "img_1"]),
        "theme counts of the comments": lambda: data.themes("comment", "customer_value", by="tier"),
    }
    print(f"  ({len(construct_items)} construct items)")
    for name, run in steps.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t1 = time.perf_counter()
            run()
            t = time.perf_counter() - t1
        print(f"  {name:32s} {t:7.1f} s = {t / t_describe:.2f}x describe")


if __name__ == "__main__":
    main()
