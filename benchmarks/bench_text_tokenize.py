"""Tokenizing 200,000 distinct Chinese comments: a plain jieba.lcut loop against TextAnalyzer (jieba, rjieba).

Run: .venv/bin/python benchmarks/bench_text_tokenize.py [--n N] [--seed S] [--repeats M]

The comments come from ``benchmarks/_corpus.py:make_corpus`` (every one distinct: the worst
case for a tokenizer that tokenizes each distinct comment once): review clauses recombined
at random with English, digits, dates, emoji, full-width and traditional characters, markup
and a few comments of up to 10,000 characters. The plain loop is what a researcher writes
(``[jieba.lcut(t) for t in texts]`` with jieba's global dictionary, no normalization); the
analyzers also normalize each comment (NFKC, lower case, simplified characters, no markup),
add the example study's theme keywords as user words, map synonyms and drop stop words.
``--repeats M`` adds a run on M comments with realistic repeats (stock answers, popular
comments), where tokenizing each distinct comment once pays most; its plain loop is
estimated from the loop's measured speed per character. The machine is shared and noisy:
read the ratios.
"""

from __future__ import annotations

import argparse
import logging
import resource
import time

from _corpus import THEME_WORDS, make_corpus

SYNONYMS = {"物流": ["快递", "发货", "配送"], "价格": ["价钱"]}


def _row(name: str, seconds: float, n: int, chars: int, base: float | None) -> None:
    ratio = f"{base / seconds:8.1f}x" if base else f"{'1.0x':>9s}"
    print(f"{name:44s}{seconds:9.1f} s{n / seconds:12,.0f}{chars / seconds:14,.0f}{ratio}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200_000, help="distinct comments")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=0, help="also time M comments with realistic repeats")
    args = ap.parse_args()
    import jieba

    from surveykit.text.tokenize import TextAnalyzer

    logging.getLogger("jieba").setLevel(logging.WARNING)  # a benchmark script may: no library does this
    t0 = time.perf_counter()
    texts = make_corpus(args.n, seed=args.seed)
    chars = sum(map(len, texts))
    print(f"corpus: {len(texts):,} distinct comments, {chars:,} characters (mean {chars / len(texts):.1f}, "
          f"longest {max(map(len, texts)):,}), generated in {time.perf_counter() - t0:.1f} s\n")
    words = [w for ws in THEME_WORDS.values() for w in ws]

    print(f"{'':44s}{'time':>11s}{'comments/s':>12s}{'characters/s':>14s}{'vs loop':>9s}")
    jieba.initialize()
    t0 = time.perf_counter()
    plain = [jieba.lcut(t) for t in texts]
    loop = time.perf_counter() - t0
    _row("plain jieba.lcut loop", loop, len(texts), chars, None)
    n_plain = sum(map(len, plain))
    del plain

    results = {}
    for backend in ["jieba", "rjieba"]:
        t0 = time.perf_counter()
        ta = TextAnalyzer(user_words=words, synonyms=SYNONYMS, backend=backend)
        setup = time.perf_counter() - t0
        t0 = time.perf_counter()
        results[backend] = ta.tokenize(texts, progress=False)
        took = time.perf_counter() - t0
        _row(f"TextAnalyzer(backend={backend!r}).tokenize", took, len(texts), chars, loop)
        print(f"{'':46s}(+ {setup:.1f} s to build the analyzer)")
    same = results["jieba"] == results["rjieba"]
    n_tokens = sum(map(len, results["rjieba"]))
    print(f"\ntokens kept (stop words dropped): {n_tokens:,} (plain loop, everything: {n_plain:,}); "
          f"jieba and rjieba analyzers identical: {same}")
    del results

    if args.repeats:
        many = make_corpus(args.repeats, seed=args.seed, distinct=False)
        chars_many = sum(map(len, many))
        n_distinct = len(set(many))
        print(f"\n{args.repeats:,} comments with realistic repeats ({n_distinct:,} distinct, "
              f"{chars_many:,} characters)")
        ta = TextAnalyzer(user_words=words, synonyms=SYNONYMS, backend="rjieba")
        t0 = time.perf_counter()
        ta.tokenize(many, progress=False)
        took = time.perf_counter() - t0
        est = chars_many / (chars / loop)
        print(f"{'plain jieba.lcut loop (estimated)':44s}{est:9.1f} s")
        _row("TextAnalyzer(backend='rjieba').tokenize", took, len(many), chars_many, est)

    print(f"\npeak memory (max RSS): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")


if __name__ == "__main__":
    main()
