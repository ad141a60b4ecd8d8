"""A fuzz campaign over the parsers and the commands (issue 17): every input ends in a clean read or
a clear error, never a traceback, a hang, unbounded memory or a silently changed value.

Run: .venv/bin/python benchmarks/bench_fuzz.py [--n 400] [--seed 17] [--targets questionnaire,themes,...]

Targets: ``questionnaire`` (load_questionnaire on mutated mappings and corrupted YAML files),
``themes`` (load_themes, then coding a few comments with the dictionary), ``responses``
(read_responses on generated exports: CSV in four encodings, .xlsx, Parquet, junk bytes; then
validate, describe and the frequency tables), ``transactions``
(read_transactions on generated CSV files, then prepare_transactions), ``cli`` (surveykit.cli.main
with random argv over a pool of good, malformed and missing files and folders). Each input is
classed as

* clean: a result (for the transaction reader: every id read back as written; for the response
  reader: every row accounted for, and every plain answer code read as written);
* error: one of surveykit's errors, or a ValueError/TypeError/OSError raised by surveykit's own
  code naming what is wrong (for the commands: exit code 1 or 2, one line, no traceback);
* traceback: any other exception, or exit code 3 (an internal error);
* hang/memory: more than ``--timeout`` seconds, or a MemoryError;
* silent: a clean read whose values differ from the file's.

The input generators are plain functions of a ``random.Random``; tests/test_robustness_fuzz.py
drives the same generators from hypothesis (seeded, a few dozen inputs per target) in the suite.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import copy
import csv
import io
import os
import random
import signal
import sys
import tempfile
import time
import traceback
import warnings
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CLASSES = ("clean", "error", "traceback", "hang/memory", "silent")

# ---------------------------------------------------------------------------------------------
# the seeds the mutations start from

QUESTIONNAIRE = {
    "schema_version": 1, "id": "fuzz", "title": {"zh": "测试问卷", "en": "Fuzz"}, "language": "zh",
    "respondent_id": {"column": "id"}, "duration": {"column": "seconds"},
    "missing_codes": {98: {"zh": "不适用"}},
    "scales": {"sat5": {"type": "likert", "min": 1, "max": 5, "labels": {1: "非常不满意", 5: "非常满意"}},
               "gender": {"type": "single_choice", "labels": {1: "男", 2: "女"}},
               "text": {"type": "open_text"}},
    "items": [{"id": "q1", "scale": "sat5", "text": "质量"}, {"id": "q2", "scale": "sat5", "text": "服务"},
              {"id": "q3", "scale": "sat5", "text": "价格", "reverse": True},
              {"id": "gender", "scale": "gender", "text": "性别"}, {"id": "comment", "scale": "text", "text": "意见"}],
    "constructs": {"sat": {"label": "满意度", "items": ["q1", "q2", "q3"], "min_valid": 2}},
    "segments": ["gender"],
    "open_text": [{"item": "comment"}],
    "roles": {"satisfaction": "sat"},
}
DATA_CSV = ("id,seconds,q1,q2,q3,gender,comment\n1,300,5,4,2,1,物流很快\n2,280,非常满意,4,1,女,价格有点贵\n"
            "3,320,4,98,2,男,客服态度不好\n4,200,3,3,3,2,\n5,310,2,2,5,1,质量不错\n")
THEMES = {
    "schema_version": 1, "language": "zh", "negation_window": 3,
    "themes": {"price": {"name": {"zh": "价格", "en": "Price"}, "keywords": ["价格", "贵", "便宜"],
                         "synonyms": {"价钱": "价格"}},
               "service": {"name": "服务", "keywords": ["客服", "服务"],
                           "sub_themes": {"attitude": {"name": "态度", "keywords": ["态度"]}}}},
}
COMMENTS = ["价格太贵了", "客服态度不好，但是价格便宜", "质量不错", "", "不贵"]

JUNK = [5, -1, 0, 1e12, -1e9, 1e308, float("nan"), None, "", "x", " ", [], {}, [1, [2]], {"a": 1}, True,
        "$\\frac{1}{$", "好\x01评\x0b", "q1", "sat", "a" * 5000, "1_0", "__id__", {"zh": 1}, [None], 3.5]


def _paths(obj, prefix=()):
    yield prefix
    if isinstance(obj, dict):
        for k, v in list(obj.items()):
            yield from _paths(v, prefix + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _paths(v, prefix + (i,))


def _deep(n: int):
    out = node = {}
    for _ in range(n):
        node["x"] = {}
        node = node["x"]
    return out


def mutate(rng: random.Random, seed: dict) -> dict:
    """``seed`` with 1 to 4 random changes: a key deleted or added, a value replaced by junk, a list
    element repeated, a deep nesting."""
    obj = copy.deepcopy(seed)
    for _ in range(rng.choice([0, 1, 1, 2, 3])):
        paths = [p for p in _paths(obj) if p]
        if not paths:
            break
        path = rng.choice(paths)
        parent = obj
        for k in path[:-1]:
            parent = parent[k]
        key = path[-1]
        op = rng.random()
        junk = copy.deepcopy(rng.choice(JUNK)) if rng.random() < 0.9 else _deep(rng.choice([3, 60, 300]))
        if op < 0.25:
            del parent[key]
        elif op < 0.7:
            parent[key] = junk
        elif op < 0.85 and isinstance(parent, dict):
            parent[rng.choice(["extra", "min", "max", "items", "labels", 7, "", "keywords"])] = junk
        elif isinstance(parent, list):
            parent.append(parent[key])  # the same object twice: a repeated entry
        else:
            parent[key] = [parent[key]]
    return obj


def yaml_text(rng: random.Random, obj) -> bytes:
    """``obj`` as YAML, sometimes corrupted: cut, a stray character, a tab, a python tag, a
    repeated key, bytes that are not UTF-8."""
    try:
        text = yaml.safe_dump(obj, allow_unicode=True, sort_keys=False)
    except (yaml.YAMLError, RecursionError, ValueError):
        text = "schema_version: 1\n"
    op = rng.random()
    if op < 0.1:
        text = text[: rng.randint(0, len(text))]
    elif op < 0.2:
        k = rng.randint(0, len(text))
        text = text[:k] + rng.choice([":", "\t", "- ", "{", "'", "&a", "*b", "\x00", "\r"]) + text[k:]
    elif op < 0.25:
        text = "!!python/object/apply:os.system ['true']\n" + text
    elif op < 0.3:
        text += text.splitlines()[0] + "\n" if text.strip() else ""
    data = text.encode("utf-8")
    if rng.random() < 0.05:
        data = data.replace("问".encode(), "问".encode("gb18030"))
    return data


# ---------------------------------------------------------------------------------------------
# transactions files

_IDS = ["C0001", "0042", "0042", "C0002", "", " C0003 ", "1.0", "R_12.0", "客户1", "=HYPERLINK(1)"]
_DATES = ["2026-01-05", "2026/1/5", "05/01/2026", "13/01/2026", "01/13/2026", "2026-13-45", "not a date", "", "45000",
          "2026-10-31T12:00:00+08:00"]
_AMOUNTS = ["12.5", "-3", "0", "1e300", "1e-300", "inf", "NaN", "1_0", "abc", "", "１２", "1,234.5", " 7 "]


def transactions_file(rng: random.Random) -> tuple[bytes, str, list | None]:
    """(bytes, suffix, the ids as written or None where the layout is irregular)."""
    header = ["customer_id", "date", "amount", "cost"]
    if rng.random() < 0.2:
        header = rng.sample(header + ["customer_id", "note", ""], rng.randint(0, 5))
    n = rng.randint(0, 30)
    rows = [[rng.choice(_IDS), rng.choice(_DATES), rng.choice(_AMOUNTS), rng.choice(_AMOUNTS)][: len(header)]
            for _ in range(n)]
    regular = True
    if rng.random() < 0.15 and rows:
        rows[rng.randrange(len(rows))].append("extra")
        regular = False
    sep = rng.choice([",", ",", ";", "\t"])
    buf = io.StringIO()
    csv.writer(buf, delimiter=sep, lineterminator=rng.choice(["\n", "\r\n", "\r"])).writerows([header, *rows])
    text = buf.getvalue()
    enc = rng.choice(["utf-8", "utf-8", "utf-8-sig", "gb18030", "utf-16"])
    data = text.encode(enc, errors="replace")
    if rng.random() < 0.1:
        k = rng.randint(0, len(data))
        data = data[:k] + bytes([rng.randint(0x80, 0xFF)]) + data[k:]
        regular = False
    if rng.random() < 0.05:
        data = data[: rng.randint(0, len(data))]
        regular = False
    ids = [r[0] for r in rows] if regular and sep == "," and header[:1] == ["customer_id"] \
        and header.count("customer_id") == 1 and all(h for h in header) else None
    return data, rng.choice([".csv", ".csv", ".csv", ".txt", ".parquet", ".xlsx"]), ids


# ---------------------------------------------------------------------------------------------
# response exports

_ANSWERS = ["1", "2", "3", "4", "5", "5", "非常满意", "", "98", "6", "0", "1_0", "nan", "N/A", "#N/A", "NULL", "inf",
            "1e300", "-3", "(跳过)", "３", " 4 ", "4.0", "x", "=1+1", "好\x01评"]
_GENDERS = ["1", "2", "男", "女", "", "3", "male", "(空)"]
_TEXTS = ["物流很快", "价格有点贵", "", "\r=HYPERLINK(\"x\")", "好\x01评\x0b", "a" * 200_000, "$\\frac{1}{$", "客服,很好",
          'say "hi"', "line\nbreak", "NaN"]
_RESPONDENTS = ["1", "2", "3", "R_12.0", "0042", "", " 7 ", "客户1", "1.0", "__id__"]


def _cell(rng: random.Random, pool: list) -> str:
    return rng.choice(pool)


def responses_file(rng: random.Random) -> tuple[bytes | None, object, str, dict | None]:
    """(bytes of a CSV, or None with a DataFrame to write in another format; the DataFrame; suffix; the
    expectations of a regular file: {'n_rows': ..., 'q1': {row position: code written}} or None)."""
    import pandas as pd

    header = ["id", "seconds", "q1", "q2", "q3", "gender", "comment"]
    regular = True
    if rng.random() < 0.15:  # a repeated header, a header cell missing, an unknown column
        op = rng.choice(["repeat", "blank", "extra"])
        header = header + [rng.choice(header[2:])] if op == "repeat" else (
            [h if h != rng.choice(header) else "" for h in header] if op == "blank" else header + ["extra"])
        regular = False
    n = rng.randint(0, 25)
    ids = [str(k + 1) for k in range(n)] if rng.random() < 0.7 else [_cell(rng, _RESPONDENTS) for _ in range(n)]
    pools = {"id": None, "seconds": ["300", "20", "", "abc", "1e9", "-5"], "gender": _GENDERS, "comment": _TEXTS}
    rows = [[ids[k] if h == "id" else _cell(rng, pools.get(h) or _ANSWERS) for h in header] for k in range(n)]
    expect = None
    if regular and header[:1] == ["id"] and len(set(ids)) == n and all(i.strip() for i in ids):
        expect = {"n_rows": n, "q1": {k: r[2] for k, r in enumerate(rows)}}
    suffix = rng.choice([".csv"] * 6 + [".xlsx", ".parquet", ".txt"])
    frame = pd.DataFrame(rows, columns=pd.Index(header).astype(str)) if len(set(header)) == len(header) else None
    if suffix in (".xlsx", ".parquet") and frame is not None and rng.random() < 0.8:
        if suffix == ".xlsx":  # what a worksheet can hold: no control characters (openpyxl refuses them)
            frame = frame.replace(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", regex=True)
        return None, frame, suffix, expect
    buf = io.StringIO()
    # a line break inside a cell is quoted, as every exporter does; one file in ten leaves it bare (a file
    # no reader can split for sure: only a clean read or an error is asked of it)
    broken = any("\r" in c or "\n" in c for r in rows for c in r)
    quoting = csv.QUOTE_ALL if broken and rng.random() < 0.9 else csv.QUOTE_MINIMAL
    if broken and quoting == csv.QUOTE_MINIMAL:
        expect = None
    csv.writer(buf, lineterminator=rng.choice(["\n", "\r\n", "\r"]), quoting=quoting).writerows([header, *rows])
    data = buf.getvalue().encode(rng.choice(["utf-8", "utf-8", "utf-8-sig", "gb18030", "utf-16"]), errors="replace")
    if rng.random() < 0.1:
        k = rng.randint(0, len(data))
        data = data[:k] + bytes([rng.randint(0x80, 0xFF)]) + data[k:]
        expect = None
    if rng.random() < 0.05:
        data = data[: rng.randint(0, len(data))]
        expect = None
    return data, None, suffix, expect


# a Likert answer (sat5, 1-5 labelled 非常不满意 .. 非常满意) as written -> its code, or "missing" (blank, the
# declared missing code 98, the "not shown" mark); anything else must be reported as a problem of its row
_Q1_CODES = {"1": 1.0, "2": 2.0, "3": 3.0, "4": 4.0, "5": 5.0, "非常满意": 5.0, "３": 3.0, " 4 ": 4.0, "4.0": 4.0}
_Q1_MISSING = {"", "98", "(跳过)"}


def _q1_unaccounted(d, report, written: dict) -> list:
    """(position, cell written, value read) of each q1 answer not read as written: a code changed, or a cell
    that is no answer emptied without a problem naming its row."""
    got = d.responses["q1"].to_numpy()
    source = d.meta["source_row"].to_numpy()
    flagged = {r for i in report.issues if "q1" in (i.item, i.column) for r in i.rows}
    wrong = []
    for k, cell in written.items():
        if cell in _Q1_CODES:
            ok = got[k] == _Q1_CODES[cell]
        elif cell in _Q1_MISSING:
            ok = got[k] != got[k]  # NaN
        else:
            ok = got[k] != got[k] and int(source[k]) in flagged
        if not ok:
            wrong.append((k, cell, got[k]))
    return wrong


def run_responses(rng: random.Random, work: Path) -> tuple[str, str]:
    import surveykit as sk

    data, frame, suffix, expect = responses_file(rng)
    path = work / f"export{suffix}"
    if data is not None:
        path.write_bytes(data)
    elif suffix == ".xlsx":
        with warnings.catch_warnings():  # a 200,000-character comment is cut to a cell's 32,767 (as Excel does)
            warnings.simplefilter("ignore", UserWarning)
            frame.to_excel(path, index=False)
    else:
        frame.to_parquet(path, index=False)
    q = sk.load_questionnaire(QUESTIONNAIRE)

    def call():
        d = sk.read_responses(path, q)
        report = d.validate()
        if d.n_respondents + len(d.exclusions) != d.audit.n_rows_read:
            return "silent", f"{d.audit.n_rows_read} rows read, {d.n_respondents} used + {len(d.exclusions)} excluded"
        if expect is not None and suffix in (".csv", ".txt", ".xlsx", ".parquet"):
            if d.audit.n_rows_read != expect["n_rows"]:
                return "silent", f"{expect['n_rows']} rows written, {d.audit.n_rows_read} read"
            wrong = _q1_unaccounted(d, report, expect["q1"])
            if wrong:
                return "silent", f"q1 written -> read: {wrong[:3]}"
        if report.is_valid and d.n_respondents:
            d.describe()
            d.frequencies()
        return "clean", ""

    return classify(call)


# ---------------------------------------------------------------------------------------------
# classing one call


class Hang(Exception):
    pass


@contextlib.contextmanager
def _deadline(seconds: float):
    def stop(signum, frame):
        raise Hang
    old = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _ours(exc: BaseException) -> bool:
    """A SurveykitError, or an argument / file error raised by surveykit's own code (its last frame)."""
    from surveykit.errors import SurveykitError

    if isinstance(exc, SurveykitError):
        return True
    if not isinstance(exc, (ValueError, TypeError, OSError)):
        return False
    tb = traceback.extract_tb(exc.__traceback__)
    return bool(tb) and f"{os.sep}surveykit{os.sep}" in tb[-1].filename


def classify(call, *, timeout: float = 20.0) -> tuple[str, str]:
    """(class, detail) of ``call()``, which returns 'clean' or 'silent' (with a detail) when it returns."""
    try:
        with _deadline(timeout), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            outcome = call()
    except Hang:
        return "hang/memory", f"over {timeout:g} s"
    except MemoryError:
        return "hang/memory", "MemoryError"
    except RecursionError:
        return "traceback", "RecursionError"
    except Exception as exc:  # noqa: BLE001 - classing every exception is the point
        if _ours(exc):
            return "error", str(exc).splitlines()[0][:160]
        where = traceback.extract_tb(exc.__traceback__)[-1]
        return "traceback", f"{type(exc).__name__}: {str(exc)[:120]} ({Path(where.filename).name}:{where.lineno})"
    return outcome if isinstance(outcome, tuple) else ("clean", "")


# ---------------------------------------------------------------------------------------------
# the targets: each takes (rng, workdir) and returns (class, detail)


def run_questionnaire(rng: random.Random, work: Path) -> tuple[str, str]:
    import surveykit as sk

    raw = mutate(rng, QUESTIONNAIRE)
    if rng.random() < 0.5:
        return classify(lambda: sk.load_questionnaire(raw) and None)
    path = work / "q.yaml"
    path.write_bytes(yaml_text(rng, raw))
    return classify(lambda: sk.load_questionnaire(path) and None)


def run_themes(rng: random.Random, work: Path) -> tuple[str, str]:
    import surveykit as sk

    raw = mutate(rng, THEMES)
    path = work / "themes.yaml"
    path.write_bytes(yaml_text(rng, raw))
    source = raw if rng.random() < 0.5 else path

    def call():
        d = sk.load_themes(source)
        sk.theme_counts(COMMENTS, d, n_jobs=1)

    return classify(call)


def run_transactions(rng: random.Random, work: Path) -> tuple[str, str]:
    from surveykit.io.transactions import read_transactions
    from surveykit.value import prepare_transactions

    data, suffix, ids = transactions_file(rng)
    path = work / f"tx{suffix}"
    path.write_bytes(data)

    def call():
        df = read_transactions(path)
        if ids is not None and suffix in (".csv", ".txt") and list(df["customer_id"].fillna("")) != ids:
            return "silent", f"ids {ids[:3]} read as {list(df['customer_id'])[:3]}"
        cols = {"customer": "customer_id", "date": "date", "amount": "amount"}
        if all(c in df.columns for c in cols.values()):
            prepare_transactions(df, **cols, as_of="2026-12-31",
                                 date_format=rng.choice([None, None, "%d/%m/%Y", "%Y-%m-%d"]))
        return "clean", ""

    return classify(call)


def cli_pool(work: Path) -> dict[str, str]:
    """The files and folders random argv picks from."""
    (work / "q.yaml").write_text(yaml.safe_dump(QUESTIONNAIRE, allow_unicode=True), encoding="utf-8")
    (work / "bad.yaml").write_text("schema_version: 1\nitems: 5\n", encoding="utf-8")
    (work / "data.csv").write_text(DATA_CSV, encoding="utf-8")
    (work / "broken.csv").write_bytes(DATA_CSV.encode() + b"6,1,2,3,4,5,6,7,8\n\xff\xfe")
    (work / "empty.csv").write_bytes(b"")
    (work / "junk.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    (work / "junk.parquet").write_bytes(b"PAR1 nope")
    (work / "tx.csv").write_text("customer_id,date,amount\n1,2026-01-05,10\n2,05/01/2026,20\n1,13/01/2026,5\n",
                                 encoding="utf-8")
    (work / "dir.csv").mkdir(exist_ok=True)
    (work / "afile").write_text("x")
    names = ["q.yaml", "bad.yaml", "data.csv", "broken.csv", "empty.csv", "junk.xlsx", "junk.parquet", "tx.csv",
             "dir.csv", "afile"]
    pool = {n: str(work / n) for n in names}
    pool["missing"] = str(work / "missing.csv")
    pool["below_file"] = str(work / "afile" / "x.csv")
    return pool


_OPTIONS = {
    "validate": [("--sheet", ["0", "3", "x"]), ("--format", ["text", "json", "xml"])],
    "themes": [("--field", ["comment", "q1", "nope"]), ("--by", ["gender", "q1", "nope"]),
               ("--format", ["text", "json", "csv"]), ("--table", ["counts", "quotes", "bogus"]),
               ("--language", ["zh", "en", "fr"]), ("--clean", ["speeders", "bogus", ""]), ("--unweighted", None)],
    "value": [("--customer", ["customer_id", "nope"]), ("--date", ["date", "amount"]), ("--amount", ["amount", "date"]),
              ("--margin", ["0.3", "-1", "abc", "2"]), ("--as-of", ["2026-10-31", "2026-13-45", "x"]),
              ("--id-format", ["C{:07d}", "C000", "{:d}{}", "{"]), ("--date-format", ["%d/%m/%Y", "%Y-%m-%d", "%Q"]),
              ("--format", ["text", "json"]), ("--cost", ["amount", "nope"])],
    "example": [("--force", None), ("--format", ["text", "json"])],
}


def random_argv(rng: random.Random, pool: dict, work: Path) -> list[str]:
    command = rng.choice(["validate", "themes", "value", "example", rng.choice(["validate", "value"])])
    files = list(pool.values())
    argv = [command]
    if command in ("validate", "themes"):
        argv.append(rng.choice(files))
        if rng.random() < 0.9:
            argv += ["-q", rng.choice(files + ["customer_value", "nope"])]
    elif command == "value":
        argv.append(rng.choice(files))
        if rng.random() < 0.2:
            argv += ["-q", rng.choice(files), rng.choice(files)]
    for opt, values in rng.sample(_OPTIONS[command], rng.randint(0, min(3, len(_OPTIONS[command])))):
        argv += [opt] if values is None else [opt, rng.choice(values)]
    if command in ("value", "themes", "example") and rng.random() < 0.5 or command == "example":
        out = rng.choice([str(work / "out" / f"o{rng.randint(0, 3)}{rng.choice(['.csv', '.xlsx', '.json', ''])}"),
                          pool["dir.csv"], pool["afile"], pool["below_file"]])
        argv += ["-o", out]
    if rng.random() < 0.05:
        argv.insert(rng.randint(0, len(argv)), rng.choice(["--bogus", "-", "--", "好"]))
    return argv


def run_cli(rng: random.Random, work: Path, pool: dict) -> tuple[str, str]:
    from surveykit.cli import main

    argv = random_argv(rng, pool, work)
    err = io.StringIO()

    def call():
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            try:
                code = main(argv)
            except SystemExit as exc:  # argparse: usage errors exit 2
                code = exc.code if isinstance(exc.code, int) else 2
        if code == 3 or "Traceback" in err.getvalue():
            return "traceback", f"exit {code}: {' '.join(argv)}: {err.getvalue().strip()[-200:]}"
        if code not in (0, 1, 2):
            return "traceback", f"exit {code}: {' '.join(argv)}"
        return ("clean", "") if code == 0 else ("error", err.getvalue().strip().splitlines()[-1][:160]
                                                 if err.getvalue().strip() else f"exit {code}")

    kind, detail = classify(call, timeout=60)
    if kind == "traceback" and not detail.startswith("exit"):
        detail = f"{' '.join(argv)}: {detail}"
    return kind, detail


# ---------------------------------------------------------------------------------------------
# the campaign

TARGETS = ("questionnaire", "themes", "responses", "transactions", "cli")


def campaign(n: int, seed: int, targets=TARGETS, *, verbose: bool = False) -> dict:
    """{target: Counter of classes} over ``n`` inputs per target, and the first few examples of each failure."""
    counts = {t: collections.Counter() for t in targets}
    examples = collections.defaultdict(list)
    with tempfile.TemporaryDirectory(prefix="surveykit-fuzz-") as tmp:
        work = Path(tmp)
        pool = cli_pool(work)
        for target in targets:
            rng = random.Random(f"{seed}-{target}")
            for _ in range(n):
                if target == "cli":
                    kind, detail = run_cli(rng, work, pool)
                else:
                    kind, detail = globals()[f"run_{target}"](rng, work)
                counts[target][kind] += 1
                if kind in ("traceback", "hang/memory", "silent") and len(examples[(target, kind)]) < 5:
                    examples[(target, kind)].append(detail)
                    if verbose:
                        print(f"  {target} {kind}: {detail}", file=sys.stderr)
    return {"counts": counts, "examples": dict(examples)}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=400, help="inputs per target")
    p.add_argument("--seed", type=int, default=17)
    p.add_argument("--targets", default=",".join(TARGETS))
    p.add_argument("--verbose", action="store_true")
    args = p.parse_args()
    t0 = time.perf_counter()
    out = campaign(args.n, args.seed, args.targets.split(","), verbose=args.verbose)
    total = collections.Counter()
    print(f"{'target':14s} {'inputs':>7s} " + " ".join(f"{c:>12s}" for c in CLASSES))
    for target, c in out["counts"].items():
        total.update(c)
        print(f"{target:14s} {sum(c.values()):7d} " + " ".join(f"{c[k]:12d}" for k in CLASSES))
    print(f"{'total':14s} {sum(total.values()):7d} " + " ".join(f"{total[k]:12d}" for k in CLASSES))
    for (target, kind), details in out["examples"].items():
        print(f"\n{target} / {kind}:")
        for d in details:
            print(f"  {d}")
    print(f"\n{time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
