"""Observed-score mediation (PROCESS models 4 and 6) against R lm and boot (tests/reference/mediation.R).

Tolerances: the paths, their tests and the indirect effects are closed-form OLS quantities,
compared to 1e-8 relative (R and numpy solve the same least-squares problems to ~1e-13). The
vectorised bootstrap is compared with a plain refit loop (numpy lstsq on each resample) on the
SAME resample indices to 1e-10: only rounding separates the normal equations from lstsq. R's
percentile interval (boot, B = 5000) uses R's RNG, so ours (B = 5000, another RNG) is compared
within Monte-Carlo error: 0.01 absolute for a bound whose bootstrap SD is 0.036 (the Monte-Carlo
SD of a 2.5% quantile with B = 5000 is about 0.036 * 0.07 = 0.0025).
"""

import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.structural._batched import resample_blocks
from surveykit.structural.mediation import _Model

REF = Path(__file__).parent / "reference" / "data"
RTOL = 1e-8


@pytest.fixture(scope="module")
def data():
    return pd.read_csv(REF / "mediation_input.csv", index_col=0)


@pytest.fixture(scope="module")
def expected():
    return pd.read_csv(REF / "mediation_expected.csv", keep_default_na=False, dtype={"term": str})


def ref(expected, case, stat):
    hit = expected[(expected.case == case) & (expected.stat == stat)]
    return hit.set_index("term")["value"].astype(float)


@pytest.mark.parametrize("case, kind, covariates", [("parallel", "parallel", ["age", "female"]),
                                                    ("serial", "serial", ["age"])])
def test_paths_and_indirect_effects_match_lm(data, expected, case, kind, covariates):
    r = sk.mediation(data, "x", ["m1", "m2", "m3"], "y", covariates=covariates, kind=kind, bootstrap=200, seed=1)
    assert r.n_obs == int(ref(expected, case, "n_obs").iloc[0])
    assert r.n_dropped == len(data) - r.n_obs
    table = r.coefficients.assign(key=r.coefficients.outcome + "|" + r.coefficients.term).set_index("key")
    for stat in ["estimate", "se", "t", "p_value", "ci_low", "ci_high"]:
        want = ref(expected, case, stat)
        np.testing.assert_allclose(table.loc[want.index, stat], want, rtol=RTOL, atol=1e-14, err_msg=stat)
    want = ref(expected, case, "r_squared")
    np.testing.assert_allclose(r.r_squared[want.index], want, rtol=RTOL)
    ind = ref(expected, case, "indirect")
    effects = r.effects.set_index("effect")
    assert effects.index[2:2 + len(ind)].tolist() == ind.index.tolist()  # R's order of the chains
    np.testing.assert_allclose(effects.loc[ind.index, "estimate"], ind, rtol=RTOL)
    # c = c' + total indirect exactly in OLS; the share mediated is their ratio
    total, direct = effects.loc["total", "estimate"], effects.loc["direct", "estimate"]
    assert total == pytest.approx(direct + ind["total indirect"], rel=1e-10)
    assert r.share_mediated == pytest.approx(ind["total indirect"] / total, rel=1e-10)
    assert r.paths.loc["c", "estimate"] == pytest.approx(table.loc["y (total)|x", "estimate"], rel=1e-12)
    assert r.paths.loc["c_prime", "estimate"] == pytest.approx(table.loc["y|x", "estimate"], rel=1e-12)


def test_contrasts_are_differences_of_indirect_effects(data):
    r = sk.mediation(data, "x", ["m1", "m2", "m3"], "y", kind="parallel", bootstrap=300, seed=2)
    e = r.effects.set_index("effect")
    want = e.loc["x -> m1 -> y", "estimate"] - e.loc["x -> m3 -> y", "estimate"]
    assert e.loc["(x -> m1 -> y) - (x -> m3 -> y)", "estimate"] == pytest.approx(want, rel=1e-12)
    dist = r.bootstrap_distribution
    np.testing.assert_allclose(dist["(x -> m2 -> y) - (x -> m3 -> y)"], dist["x -> m2 -> y"] - dist["x -> m3 -> y"],
                               atol=1e-14)
    assert (e.type == "contrast").sum() == 3 and np.isnan(e.loc["total indirect", "p_value"])


def _loop_refits(values: np.ndarray, model: _Model, idx: np.ndarray) -> np.ndarray:
    """The plain way: refit every equation on every resample with lstsq."""
    design = np.column_stack([np.ones(len(values)), values])
    out = []
    for rows in idx:
        d = design[rows]
        coefs = [np.linalg.lstsq(d[:, p], d[:, r], rcond=None)[0][None, :] for p, r in model.bootstrap_equations()]
        out.append(model.indirect(coefs)[0])
    return np.array(out)


@pytest.mark.parametrize("kind, meds, covs", [("serial", ["m1", "m2", "m3"], ["age"]),
                                              ("parallel", ["m1", "m2"], ["age", "female"]),
                                              ("simple", ["m2"], [])])
def test_vectorised_bootstrap_equals_a_refit_loop_on_the_same_resamples(data, kind, meds, covs):
    r = sk.mediation(data, "x", meds, "y", covariates=covs, kind=kind, bootstrap=150, seed=7)
    cols = ["x", *meds, "y", *covs]
    values = data[cols].dropna().to_numpy()
    idx = np.vstack(list(resample_blocks(np.random.default_rng(7), len(values), 150)))
    np.testing.assert_array_equal(idx, np.random.default_rng(7).integers(0, len(values), (150, len(values)),
                                                                         dtype=np.uint32))
    loop = _loop_refits(values, _Model(len(meds), kind == "serial", len(covs)), idx)
    np.testing.assert_allclose(r.bootstrap_distribution.to_numpy(), loop, rtol=1e-10, atol=1e-13)
    # the interval is the type-7 quantile of those replicates; the SE their SD
    e = r.effects.set_index("effect")
    first = r.bootstrap_distribution.columns[0]
    np.testing.assert_allclose([e.loc[first, "ci_low"], e.loc[first, "ci_high"]],
                               np.quantile(loop[:, 0], [0.025, 0.975]), rtol=1e-10)
    assert e.loc[first, "se"] == pytest.approx(loop[:, 0].std(ddof=1), rel=1e-9)


def test_blocks_of_resamples_do_not_change_the_draws(monkeypatch):
    import surveykit.structural._batched as batched

    monkeypatch.setattr(batched, "BLOCK_CELLS", 7 * 50)  # 7 resamples per block
    blocks = list(batched.resample_blocks(np.random.default_rng(3), 50, 30))
    assert len(blocks) == 5
    whole = np.random.default_rng(3).integers(0, 50, (30, 50), dtype=np.uint32)
    np.testing.assert_array_equal(np.vstack(blocks), whole)


def test_percentile_interval_matches_boot_within_monte_carlo_error(data, expected):
    r = sk.mediation(data, "x", "m1", "y", bootstrap=5000, seed=11)
    e = r.effects.set_index("effect").loc["x -> m1 -> y"]
    want = ref(expected, "simple_boot", "estimate")
    assert e.estimate == pytest.approx(want.iloc[0], rel=RTOL)
    assert e.ci_low == pytest.approx(ref(expected, "simple_boot", "ci_low").iloc[0], abs=0.01)
    assert e.ci_high == pytest.approx(ref(expected, "simple_boot", "ci_high").iloc[0], abs=0.01)
    assert e.se == pytest.approx(ref(expected, "simple_boot", "se").iloc[0], rel=0.05)


def test_bca_interval_uses_the_jackknife_acceleration(data):
    from scipy import special

    r = sk.mediation(data, "x", "m1", "y", bootstrap=2000, seed=5, ci="bca")
    d = data[["x", "m1", "y"]].dropna().to_numpy()
    theta = r.bootstrap_distribution.iloc[:, 0].to_numpy()
    est = r.effects.estimate.iloc[2]
    jack = []
    for i in range(len(d)):  # leave-one-out refits, the plain way
        k = np.delete(d, i, axis=0)
        a = np.linalg.lstsq(np.column_stack([np.ones(len(k)), k[:, 0]]), k[:, 1], rcond=None)[0][1]
        b = np.linalg.lstsq(np.column_stack([np.ones(len(k)), k[:, :2]]), k[:, 2], rcond=None)[0][2]
        jack.append(a * b)
    dev = np.mean(jack) - np.array(jack)
    acc = (dev ** 3).sum() / (6 * (dev ** 2).sum() ** 1.5)
    z0 = special.ndtri(((theta < est).sum() + (theta <= est).sum()) / (2 * len(theta)))
    zq = special.ndtri(np.array([0.025, 0.975]))
    want = np.quantile(theta, special.ndtr(z0 + (z0 + zq) / (1 - acc * (z0 + zq))))
    np.testing.assert_allclose(r.effects[["ci_low", "ci_high"]].iloc[2], want, rtol=1e-9)
    assert r.ci == "bca" and "bias-corrected" in r.statement()


def test_seed_reproduces_and_statement_names_the_supported_effects(data):
    a = sk.mediation(data, "x", ["m1", "m2"], "y", kind="parallel", bootstrap=500, seed=3)
    b = sk.mediation(data, "x", ["m1", "m2"], "y", kind="parallel", bootstrap=500, seed=3)
    pd.testing.assert_frame_equal(a.effects, b.effects)
    text = a.statement()
    assert "x -> m1 -> y" in text and "excludes zero" in text and "share mediated" in text
    noise = data.assign(z=np.random.default_rng(0).normal(size=len(data)))
    r = sk.mediation(noise, "x", "z", "y", bootstrap=500, seed=3)
    assert "includes zero" in r.statement()


def test_to_frame_and_result_protocol(data):
    r = sk.mediation(data, "x", ["m1", "m2"], "y", kind="serial", bootstrap=200, seed=1)
    frame = r.to_frame()
    assert frame.columns.tolist() == ["effect", "type", "estimate", "se", "ci_low", "ci_high", "p_value"]
    assert frame.type.tolist() == ["total", "direct", "indirect", "indirect", "indirect", "total_indirect",
                                   "contrast", "contrast", "contrast"]
    assert "\n" not in repr(r) and repr(r).startswith("<MediationResult")
    assert r.summary().as_text() and r.summary().as_markdown() and r._repr_html_().startswith("<div")
    pickle.loads(pickle.dumps(r))
    assert r.paths.index.tolist() == ["a1", "a2", "d21", "b1", "b2", "c", "c_prime"]


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(x="xx"), ValueError, r"'x' parameter of mediation names 1 column not in data: 'xx' \(did you mean 'x'\?\)"),
    (dict(m=["m1", "y"], kind="parallel"), ValueError, "mediator 'y' of mediation is also the outcome"),
    (dict(m="x"), ValueError, "mediator 'x' of mediation is also the x"),
    (dict(covariates=["m1"]), ValueError, "Column 'm1' of mediation is given both as 'm' and as 'covariates'"),
    (dict(bootstrap=0), ValueError, "'bootstrap' parameter of mediation must be a whole number of resamples, 1"),
    (dict(ci="normal"), ValueError, "'ci' parameter of mediation must be one of 'percentile', 'bca'"),
    (dict(kind="moderated"), ValueError, "'kind' parameter of mediation must be one of"),
    (dict(m=["m1", "m2"]), ValueError, r"kind='simple'\) takes one mediator"),
    (dict(m=["m1"], kind="serial"), ValueError, "takes 2 to 3 mediators"),
    (dict(ci_level=95), ValueError, "'ci_level' parameter of mediation must be a number between 0 and 1"),
])
def test_bad_arguments(data, kwargs, error, match):
    args = dict(x="x", m="m1", y="y", bootstrap=100) | kwargs
    with pytest.raises(error, match=match):
        sk.mediation(data, **args)


def test_bad_data(data):
    text = data.assign(m1=data.m1.astype(object))
    text.loc[3, "m1"] = "high"
    with pytest.raises(sk.DataError, match="'m1'.*'high'"):
        sk.mediation(text, "x", "m1", "y", bootstrap=10)
    with pytest.raises(sk.DataError, match="needs at least 6 complete rows .* 4 of 400 rows are complete"):
        sk.mediation(data.assign(y=np.where(np.arange(len(data)) < 4, 1.0, np.nan)), "x", "m1", "y", covariates=["age"],
                     bootstrap=10)
    with pytest.raises(sk.DataError, match="Column 'm2' \\(the 'm' of mediation\\) has the same value"):
        sk.mediation(data.assign(m2=3.0), "x", ["m1", "m2"], "y", kind="parallel", bootstrap=10)
    with pytest.raises(sk.DataError, match="perfectly collinear"):
        sk.mediation(data.assign(c=2 * data.age + 1), "x", "m1", "y", covariates=["age", "c"], bootstrap=10)
    with pytest.raises(TypeError, match="must be a DataFrame"):
        sk.mediation(data.to_numpy(), "x", "m1", "y")


# ---------------------------------------------------------------------------------------------
# moderated mediation (PROCESS models 7 and 14)


@pytest.mark.parametrize("case, stage, m, y", [("model7", "first", "m_mod", "y_mm"), ("model14", "second", "m1", "y")])
def test_moderated_mediation_matches_lm(data, expected, case, stage, m, y):
    from surveykit.structural import moderated_mediation

    r = moderated_mediation(data, "x", m, y, "w", stage=stage, covariates=["age"], bootstrap=200, seed=1)
    assert r.n_obs == int(ref(expected, case, "n_obs").iloc[0])
    table = r.coefficients.assign(key=r.coefficients.outcome + "|" + r.coefficients.term).set_index("key")
    for stat in ["estimate", "se", "t", "p_value", "ci_low", "ci_high"]:
        want = ref(expected, case, stat)
        np.testing.assert_allclose(table.loc[want.index, stat], want, rtol=RTOL, err_msg=stat)
    e = r.effects
    assert e.estimate.iloc[0] == pytest.approx(ref(expected, case, "index")[m], rel=RTOL)
    np.testing.assert_allclose(e.w.iloc[1:], ref(expected, case, "cond_w"), rtol=RTOL)
    np.testing.assert_allclose(e.estimate.iloc[1:], ref(expected, case, "cond"), rtol=RTOL)
    # the conditional indirect effect is linear in w with the index as its slope
    assert np.diff(e.estimate.iloc[1:]) / np.diff(e.w.iloc[1:]) == pytest.approx([e.estimate.iloc[0]] * 2, rel=1e-9)


@pytest.mark.parametrize("stage", ["first", "second"])
def test_moderated_mediation_bootstrap_equals_a_refit_loop(data, stage):
    from surveykit.structural.moderated import _Model as MMModel
    from surveykit.structural import moderated_mediation

    r = moderated_mediation(data, "x", ["m1", "m2"], "y", "w", stage=stage, at=[2, 6], bootstrap=100, seed=4)
    values = data[["x", "m1", "m2", "y", "w"]].dropna().to_numpy()
    prods = values[:, [0]] * values[:, [4]] if stage == "first" else values[:, 1:3] * values[:, [4]]
    idx = np.vstack(list(resample_blocks(np.random.default_rng(4), len(values), 100)))
    loop = _loop_refits(np.column_stack([values, prods]), MMModel(2, 0, stage == "first", (2.0, 6.0)), idx)
    np.testing.assert_allclose(r.bootstrap_distribution.to_numpy(), loop, rtol=1e-10, atol=1e-13)
    assert (r.effects.type == "index").sum() == 2 and r.effects.w.iloc[1:3].tolist() == [2.0, 6.0]


def test_moderated_mediation_index_interval_matches_boot_and_protocol(data, expected):
    from surveykit.structural import moderated_mediation

    r = moderated_mediation(data, "x", "m_mod", "y_mm", "w", covariates=["age"], bootstrap=5000, seed=8)
    e = r.effects.iloc[0]
    assert e.ci_low == pytest.approx(ref(expected, "model7", "boot_ci_low").iloc[0], abs=0.005)
    assert e.ci_high == pytest.approx(ref(expected, "model7", "boot_ci_high").iloc[0], abs=0.005)
    assert "excludes zero" in r.statement()
    assert "\n" not in repr(r) and repr(r).startswith("<ModeratedMediationResult")
    assert r.summary().as_text() and r._repr_html_().startswith("<div")
    pickle.loads(pickle.dumps(r))
    with pytest.raises(ValueError, match="Column 'w' of moderated_mediation is given both as 'm' and as 'w'"):
        moderated_mediation(data, "x", "w", "y", "w")
    with pytest.raises(ValueError, match="'stage' parameter of moderated_mediation must be one of 'first', 'second'"):
        moderated_mediation(data, "x", "m1", "y", "w", stage="both")
    with pytest.raises(sk.DataError, match=r"Column 'w' \(the 'w' of moderated_mediation\) has the same value"):
        moderated_mediation(data.assign(w=1.0), "x", "m1", "y", "w", bootstrap=10)
