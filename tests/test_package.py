"""Package-wide conventions: no import side effects, result objects behave alike, README runs."""

from __future__ import annotations

import dataclasses
import pickle
import re
import subprocess
import sys

import pandas as pd
import pytest
import yaml

import surveykit as sk
from conftest import ROOT, SMALL_CSV, write_csv


def test_import_has_no_side_effects():
    code = ("import sys, surveykit; bad = [m for m in ('matplotlib', 'jieba', 'rjieba', 'opencc', 'factor_analyzer', "
            "'statsmodels') "
            "if m in sys.modules]; print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_every_public_name_resolves_and_star_import_works():
    missing = [name for name in sk.__all__ if not hasattr(sk, name)]
    assert missing == [], f"surveykit.__all__ names {missing} that the package does not define"
    assert len(set(sk.__all__)) == len(sk.__all__), "a name listed twice in surveykit.__all__"
    namespace: dict = {}
    exec("from surveykit import *", namespace)
    assert set(sk.__all__) <= set(namespace)
    from surveykit._version import __version__

    assert sk.__version__ == __version__  # one version, read by report/ and cli/ without the package face


def test_computation_modules_never_import_matplotlib():
    for path in (ROOT / "surveykit").rglob("*.py"):
        rel = path.relative_to(ROOT / "surveykit")
        if rel.parts[0] in ("plotting", "report"):
            continue
        assert not re.search(r"^\s*(import|from) matplotlib", path.read_text(encoding="utf-8"), re.M), f"{rel} imports matplotlib"


@pytest.fixture
def results(tmp_path, small_q):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = sk.read_responses(write_csv(tmp_path / "a.csv", SMALL_CSV), small_q)
    from surveykit.descriptives import profile_segments

    desc = data.describe()
    import numpy as np

    rng = np.random.default_rng(0)
    f = rng.normal(size=200)
    items = pd.DataFrame({f"q{i}": np.round(3 + f + rng.normal(size=200)).clip(1, 5) for i in range(4)})
    seg = pd.Series(np.repeat(["a", "b"], 100), name="seg")
    frame = items.assign(seg=seg, y=items.mean(axis=1))
    return {
        "ReliabilityResult": sk.reliability(items), "KMOResult": sk.kmo(items), "BartlettResult": sk.bartlett(items),
        "SurveyData": data, "ValidationReport": data.validate(), "SurveyDescriptives": desc,
        "ItemDescriptives": next(iter(desc.groups.values())), "SampleProfile": profile_segments(data),
        "NPSResult": sk.nps(rng.integers(0, 11, 200)), "BoxResult": sk.top_box(items.q0, scale_min=1, scale_max=5),
        "IndexResult": sk.satisfaction_index(items, scale_min=1, scale_max=5),
        "ValueResult": sk.perceived_value(items[["q0", "q1"]], items[["q2", "q3"]]),
        "BootstrapResult": sk.bootstrap_ci(items.q0, n_resamples=200),
        "WeightedMeanResult": sk.weighted_mean(items.q0, weights=np.ones(200)),
        "RakeResult": sk.rake(frame, {"seg": {"a": 0.4, "b": 0.6}}),
        "BannerResult": sk.banner(frame, "seg", ["q0"]),
        "DriversResult": sk.key_drivers(frame, "y", ["q0", "q1", "q2"]),
        "IPAResult": sk.ipa(items[["q0", "q1", "q2"]], "derived", outcome=frame["y"]),
        "SurveyIndices": dataclasses.replace(
            data, questionnaire=small_q.model_copy(update={"roles": {"satisfaction": "sat"}})).indices(),
        **_value_results(),
        "ThemeCounts": sk.theme_counts(["价格太贵了", "物流很快", "无", None], "customer_value", by=["a", "b", "a", "b"]),
        "ThemeDictionary": sk.load_themes("customer_service"),
        "KanoResult": sk.kano(items.clip(1, 5).astype(int), (6 - items).clip(1, 5).astype(int)),
        "ServqualResult": sk.servqual(items[["q0", "q1"]], items[["q2", "q3"]].set_axis(["q0", "q1"], axis=1),
                                      dimensions={"d": ["q0", "q1"]}, importance={"d": 100}),
        "PenaltyRewardResult": sk.penalty_reward(items[["q0", "q1"]], frame["y"]),
        "DiscriminationResult": sk.item_discrimination(items),
        "EFAResult": sk.efa(items, n_factors=1), "HarmanResult": sk.harman_test(items),
        "WeightedProportionsResult": sk.weighted_proportions(seg, weights=np.ones(200)),
        "ConstructReliability": data.reliability(),
    }


def _value_results() -> dict:
    import numpy as np

    from surveykit.example.generate import AS_OF, _transactions

    tx, _ = _transactions(np.random.default_rng(1), 300)
    cols = dict(customer="customer_id", date="date", amount="amount", as_of=AS_OF)
    prepared = sk.prepare_transactions(tx, cost="cost", **cols)
    r = sk.rfm(prepared)
    return {"PreparedTransactions": prepared, "TransactionAudit": prepared.audit, "RFMResult": r, "CLVResult": sk.clv(prepared),
            "ABCResult": sk.abc(r.table["profit"]), "RepurchaseResult": sk.repurchase_rate(prepared),
            "ConversionResult": sk.conversion_rate(pd.Series(["C0000001", "X1"]), prepared),
            "ProfitResult": sk.profit_contribution(prepared)}


SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")


RESULTS = ["SurveyData", "ValidationReport", "SurveyDescriptives", "ItemDescriptives", "SampleProfile",
           "ReliabilityResult", "KMOResult", "BartlettResult", "EFAResult", "HarmanResult", "ConstructReliability",
           "NPSResult", "BoxResult", "IndexResult", "ValueResult", "BootstrapResult", "WeightedMeanResult",
           "WeightedProportionsResult", "RakeResult", "BannerResult", "DriversResult", "IPAResult", "SurveyIndices",
           "PreparedTransactions", "TransactionAudit", "RFMResult", "CLVResult", "ABCResult", "RepurchaseResult",
           "ConversionResult", "ProfitResult", "ThemeCounts", "ThemeDictionary", "KanoResult", "ServqualResult",
           "PenaltyRewardResult", "DiscriminationResult"]
# results that need a fitted model, more respondents, open comments or transactions: their own module checks
# the same (one-line repr, summary, HTML, pickle)
CHECKED_IN = {"CFAResult": "test_cfa.py", "PLSResult": "test_pls.py", "ParallelAnalysisResult": "test_parallel.py",
              "ConstructValidity": "test_psychometrics_survey.py", "SurveyThemes": "test_text_survey.py",
              "FieldThemes": "test_text_survey.py", "CustomerValueLink": "test_value_survey.py",
              "SurveyFactorAnalysis": "test_survey_layer.py", "SurveyDrivers": "test_survey_layer.py",
              "MediationResult": "test_mediation.py", "ModerationResult": "test_moderation.py",
              "ModeratedMediationResult": "test_mediation.py", "SEMResult": "test_sem.py",
              "InvarianceResult": "test_sem.py", "Interpretation": "test_interpretation.py",
              "IPMAResult": "test_ipma.py", "DaskSurveyData": "test_dask.py", "DaskIndices": "test_dask.py",
              "ItemCovariance": "test_dask.py", "DaskThemeCounts": "test_dask_text.py",
              # question types (issue 16)
              "FrequencyTable": "test_question_types.py", "ChoiceFrequencies": "test_question_types.py",
              # the satisfaction methods from the questionnaire (issue 20)
              "SurveyKano": "test_satisfaction_survey.py", "SurveyServqual": "test_satisfaction_survey.py",
              "SurveyPenaltyReward": "test_satisfaction_survey.py",
              "SurveyDiscrimination": "test_satisfaction_survey.py",
              # structural models from the questionnaire (issue 19)
              "SurveyValueModel": "test_structural_survey.py", "SurveyInvariance": "test_structural_survey.py",
              # the PLS model and its importance-performance map from the questionnaire (issue 20)
              "SurveyPLS": "test_survey_ipma.py", "SurveyIPMA": "test_survey_ipma.py"}


def test_every_result_class_is_checked():
    """Each public class that renders in Jupyter is in RESULTS, or its module's tests pickle and render it."""
    import importlib
    import inspect
    import pkgutil

    found = set()
    for info in pkgutil.walk_packages(sk.__path__, "surveykit."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        found |= {name for name, obj in vars(module).items() if inspect.isclass(obj) and not name.startswith("_")
                  and obj.__module__ == module.__name__ and hasattr(obj, "_repr_html_")}
    found.discard("Summary")  # the renderer itself
    found.discard("Result")  # the mixin that renders a result's summary
    assert found == set(RESULTS) | set(CHECKED_IN), "add the new result class to RESULTS or CHECKED_IN"
    for name, test_file in CHECKED_IN.items():
        text = (ROOT / "tests" / test_file).read_text(encoding="utf-8")
        assert name in text and "pickle.dumps" in text and "_repr_html_" in text, (name, test_file)


@pytest.mark.parametrize("name", RESULTS)
def test_every_result_renders_pickles_and_has_a_one_line_repr(results, name):
    r = results[name]
    assert "\n" not in repr(r) and repr(r).startswith(f"<{name}")
    s = r.summary()
    assert s.as_text() and s.as_markdown() and r._repr_html_().startswith("<div")
    pickle.loads(pickle.dumps(r))
    if hasattr(r, "to_frame"):
        # fixed names are snake_case; factors are named as in the literature (F1, F2 ...)
        cols = [c for c in r.to_frame().columns if isinstance(c, str) and not re.fullmatch(r"F\d+", c)]
        assert all(SNAKE.match(c) for c in cols), cols


def test_readme_questionnaire_example_loads():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(.*?)```", text, re.S).group(1)
    q = sk.load_questionnaire(yaml.safe_load(block))
    assert q.id == "store_survey" and q.item("sat_wait").reverse
    assert "make test" in text and "make report" in text


def test_readme_error_example_is_what_loading_says():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    raw = yaml.safe_load(re.search(r"```yaml\n(.*?)```", text, re.S).group(1))
    raw["items"][3]["scale"] = "likert7"
    raw["constructs"]["satisfaction"]["items"][2] = "svc_9"
    raw["roles"]["nps"] = "sat_quality"
    with pytest.raises(sk.QuestionnaireError) as exc:
        sk.load_questionnaire(raw)
    for line in re.search(r"store.yaml: 3 problems in the questionnaire:\n(.*?)```", text, re.S).group(1).strip().splitlines():
        assert line.strip() in str(exc.value)
