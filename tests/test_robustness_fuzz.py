"""Property tests (issue 17): the questionnaire parser, the theme-dictionary parser, the transaction
reader and the commands end every generated input in a clean read or a clear error, never a
traceback, a hang or a silently changed value.

The inputs come from the generators of benchmarks/bench_fuzz.py (a longer campaign runs there),
driven by hypothesis: seeded (derandomize) and bounded, a few seconds per target.
"""

from __future__ import annotations

import random

import pytest

hypothesis = pytest.importorskip("hypothesis")
bench_fuzz = pytest.importorskip("bench_fuzz")  # benchmarks/ is on sys.path (conftest)

SETTINGS = dict(derandomize=True, deadline=None, database=None, suppress_health_check=list(hypothesis.HealthCheck))
seeds = hypothesis.strategies.integers(0, 2**32 - 1)


def _check(kind: str, detail: str) -> None:
    assert kind in ("clean", "error"), f"{kind}: {detail}"


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


@hypothesis.settings(max_examples=40, **SETTINGS)
@hypothesis.given(seeds)
def test_the_questionnaire_parser_reads_or_names_the_problem(work, seed):
    _check(*bench_fuzz.run_questionnaire(random.Random(seed), work))


@hypothesis.settings(max_examples=20, **SETTINGS)
@hypothesis.given(seeds)
def test_the_theme_dictionary_parser_reads_or_names_the_problem(work, seed):
    _check(*bench_fuzz.run_themes(random.Random(seed), work))


@hypothesis.settings(max_examples=60, **SETTINGS)
@hypothesis.given(seeds)
def test_the_transaction_reader_reads_ids_as_written_or_names_the_problem(work, seed):
    _check(*bench_fuzz.run_transactions(random.Random(seed), work))


@pytest.fixture(scope="module")
def pool(work):
    return bench_fuzz.cli_pool(work)


@hypothesis.settings(max_examples=20, **SETTINGS)
@hypothesis.given(seeds)
def test_every_command_exits_0_1_or_2_without_a_traceback(work, pool, seed):
    _check(*bench_fuzz.run_cli(random.Random(seed), work, pool))


def test_the_generators_reach_both_clean_reads_and_errors(work, pool):
    """The campaign is not all errors: some inputs read cleanly, so the checks on values run."""
    kinds = {bench_fuzz.run_transactions(random.Random(s), work)[0] for s in range(40)}
    kinds |= {bench_fuzz.run_questionnaire(random.Random(s), work)[0] for s in range(40)}
    assert {"clean", "error"} <= kinds
