"""Banner tables with column tests against R (tests/reference/banner.R).

R: t.test, oneway.test, prop.test, chisq.test and p.adjust; the weighted case by their formulas with
Kish's effective base.
"""

from __future__ import annotations

import pickle
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from surveykit.errors import DataError, SurveykitWarning
from surveykit.indices._column_tests import adjust, column_key
from surveykit.indices.banner import banner

REF = Path(__file__).parent / "reference" / "data"
# Closed forms (means, variances, t / z / F / chi-square and their p values) computed in the same
# way as R's stats functions; R values written with 17 digits. Observed: p values and F / chi-square
# within 1.2e-13 relative, estimates 1.2e-15; the worst is 1.6e-12 on a z of 3e-4 (two nearly equal
# shares, where the difference cancels). 1e-10 leaves room for libm / scipy-vs-Rmath differences.
RTOL = 1e-10
SEGS = ["east", "north", "south", "west"]  # keys A, B, C, D
ROWS = {"sat": "sat", "nps": "nps", "channel": "channel", "sat_share": "sat"}
KIND = {"sat_share": "proportions"}
CORRECTIONS = {"bonferroni": "bonferroni", "holm": "holm", "none": None}


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return pd.read_csv(REF / "banner_input.csv")


@pytest.fixture(scope="module")
def expected() -> pd.DataFrame:
    return pd.read_csv(REF / "banner_expected.csv", keep_default_na=False, dtype={"row": str})


@pytest.fixture(scope="module")
def expected_letters() -> pd.DataFrame:
    return pd.read_csv(REF / "banner_letters.csv", keep_default_na=False, dtype={"row": str})


def run(data, case, correction="bonferroni", **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SurveykitWarning)  # the missing regions and sparse chi-squares
        return banner(data, "region", ROWS, kind=KIND, weights="w" if case == "weighted" else None,
                      correction=correction, **kw)


def ref(expected, case, variable, row, stat, segment="", other=""):
    hit = expected[(expected.case == case) & (expected.variable == variable) & (expected.row == row)
                   & (expected.stat == stat) & (expected.segment == segment) & (expected.other == other)]
    assert len(hit) == 1, (case, variable, row, stat, segment, other)
    return float(hit.value.iloc[0])


CASES = ["unweighted", "weighted"]


@pytest.mark.parametrize("case", CASES)
def test_cells_and_bases_match_r(data, expected, case):
    r = run(data, case)
    assert list(r.table.columns) == SEGS + ["Total"] and r.column_keys == dict(zip(SEGS, "ABCD"))
    n = 0
    for (variable, row), values in r.table.iterrows():
        want = [ref(expected, case, variable, str(row), "estimate", s) for s in SEGS + ["Total"]]
        np.testing.assert_allclose(values.to_numpy(float), want, rtol=RTOL)
        n += 1
    assert n == 2 + 3 + 5  # two means, 3 channels, 5 satisfaction levels (labelled 1 .. 5, not 1.0 .. 5.0)
    assert list(r.table.loc["sat_share"].index) == [1, 2, 3, 4, 5]
    for variable in ROWS:
        row = "mean" if variable in ("sat", "nps") else ""
        cols = SEGS + ["Total"]
        assert list(r.counts.loc[variable]) == [ref(expected, case, variable, row, "n_obs", s) for s in cols]
        np.testing.assert_allclose(r.effective_base.loc[variable].to_numpy(float),
                                   [ref(expected, case, variable, row, "effective_n", s) for s in cols], rtol=RTOL)
    # the column percentages of a variable add up to 100 in every column
    np.testing.assert_allclose(r.table.loc["channel"].sum().to_numpy(float), 100, rtol=1e-13)


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("correction", CORRECTIONS)
def test_pairwise_tests_match_r(data, expected, case, correction):
    r = run(data, case, CORRECTIONS[correction])
    pw = r.pairwise
    assert len(pw) == 6 * (1 + 1 + 3 + 5)  # 6 pairs of 4 columns in every row of the table
    adjusted = {"bonferroni": "p_bonferroni", "holm": "p_holm", "none": "p_value"}[correction]
    for _, t in pw.iterrows():
        args = (case, t.variable, str(t.row))
        got = [t.statistic, t.p_value, t.p_adjusted]
        want = [ref(expected, *args, s, t.column, t.other) for s in ("statistic", "p_value", adjusted)]
        np.testing.assert_allclose(got, want, rtol=RTOL, err_msg=str(args + (t.column, t.other)))
        if t.test == "welch_t":
            np.testing.assert_allclose(t.df, ref(expected, *args, "df", t.column, t.other), rtol=RTOL)
        else:
            assert np.isnan(t.df)
    assert set(pw.test) == {"welch_t", "z"} and pw.significant.any() and not pw.significant.all()


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("correction", CORRECTIONS)
def test_letters_match_spss_convention_computed_in_r(data, expected_letters, case, correction):
    r = run(data, case, CORRECTIONS[correction])
    want = expected_letters[(expected_letters.case == case) & (expected_letters.correction == correction)]
    assert len(want) == r.letters[SEGS].size
    for _, e in want.iterrows():
        row = "mean" if e.variable in ("sat", "nps") else int(e.row) if e.variable == "sat_share" else e.row
        assert r.letters.loc[(e.variable, row), e.segment] == e.letters, (e.variable, e.row, e.segment)
    assert (r.letters["Total"] == "").all()


def test_corrections_change_the_letters(data):
    """The reference data are chosen so that the adjustment matters: fewer letters with more correction."""
    n = {c: (run(data, "unweighted", CORRECTIONS[c]).letters != "").to_numpy().sum() for c in CORRECTIONS}
    assert n["none"] > n["holm"] >= n["bonferroni"] > 0


@pytest.mark.parametrize("case", CASES)
def test_overall_tests_match_r(data, expected, case):
    r = run(data, case)
    assert list(r.tests.index) == [("sat", "welch_anova"), ("sat", "anova"), ("nps", "welch_anova"),
                                   ("nps", "anova"), ("channel", "chi_square"), ("sat_share", "chi_square")]
    for (variable, test), t in r.tests.iterrows():
        stats_ = ["statistic", "df1", "p_value"] + (["df2"] if test != "chi_square" else [])
        np.testing.assert_allclose(t[stats_].to_numpy(float),
                                   [ref(expected, case, variable, test, s) for s in stats_], rtol=RTOL,
                                   err_msg=f"{variable} {test}")
        assert t.n_obs == ref(expected, case, variable, test, "n_obs") and t.n_columns == 4
    assert np.isnan(r.tests.loc[("channel", "chi_square"), "df2"])


def test_sparse_chi_square_is_noted_as_r_warns(data, expected):
    with pytest.warns(SurveykitWarning, match="expected counts are below 5"):
        r = banner(data, "region", ["channel"])
    low = int(ref(expected, "unweighted", "channel", "chi_square", "n_expected_below_5"))
    assert any(f"{low} of 12 expected counts are below 5" in note for note in r.notes)


def test_mean_intervals_are_t_intervals_as_r(data, expected):
    est = run(data, "unweighted").estimates
    cells = est[(est.variable == "sat") & est.column.isin(SEGS)]
    np.testing.assert_allclose(cells[["ci_low", "ci_high"]].to_numpy(float),
                               [[ref(expected, "unweighted", "sat", "mean", s, seg) for s in ("ci_low", "ci_high")]
                                for seg in cells.column], rtol=RTOL)
    shares = est[(est.variable == "channel") & (est.column == "east")]
    p, n = shares.estimate.to_numpy() / 100, shares.n_obs.to_numpy()
    np.testing.assert_allclose(shares.se.to_numpy(), 100 * np.sqrt(p * (1 - p) / n), rtol=1e-13)


def test_equal_weights_give_the_unweighted_table(data):
    plain = run(data, "unweighted")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SurveykitWarning)
        same = banner(data, "region", ROWS, kind=KIND, weights=np.full(len(data), 2.5))
    pd.testing.assert_frame_equal(same.table, plain.table, rtol=1e-12)
    pd.testing.assert_frame_equal(same.letters, plain.letters)
    pd.testing.assert_frame_equal(same.tests, plain.tests, rtol=1e-12)
    np.testing.assert_allclose(same.pairwise.p_value, plain.pairwise.p_value, rtol=1e-11)
    assert same.weighted and not plain.weighted


def test_weights_move_estimates_and_shrink_the_base(data):
    plain, weighted = run(data, "unweighted"), run(data, "weighted")
    assert not np.allclose(plain.table.to_numpy(float), weighted.table.to_numpy(float))
    assert (weighted.effective_base < plain.counts).all().all()  # unequal weights cost precision
    assert (weighted.counts == plain.counts).all().all()  # the unweighted base is the same


def test_the_key_of_the_lower_column_goes_in_the_higher_cell():
    x = pd.DataFrame({"seg": list("xxxxxyyyyyzzzzz"),
                      "score": [9, 9, 8, 9, 10, 2, 3, 2, 1, 2, 9, 8, 9, 9, 10],
                      "pick": list("aaaaa" "bbbbb" "aaaab")})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SurveykitWarning)
        r = banner(x, "seg", ["score", "pick"], correction=None)
    assert r.letters.loc[("score", "mean")].to_dict() == {"x": "B", "y": "", "z": "B", "Total": ""}
    assert r.letters.loc[("pick", "a")].to_dict() == {"x": "B", "y": "", "z": "B", "Total": ""}
    # x (0% b) is tested against y (100% b), where SPSS would leave both out; z's 20% is not above x's 0%
    assert r.letters.loc[("pick", "b")].to_dict() == {"x": "", "y": "A C", "z": "", "Total": ""}
    assert r.kinds == {"score": "mean", "pick": "proportions"}


def test_constant_columns_have_no_welch_test_but_a_classic_anova():
    x = pd.DataFrame({"seg": list("aaaabbbbcccc"), "q": [5, 5, 5, 5, 5, 5, 5, 5, 1, 2, 3, 2]})
    with pytest.warns(SurveykitWarning, match=r"Welch's ANOVA of 'q' is undefined: columns 'a', 'b' have no variance"):
        r = banner(x, "seg", "q")
    assert np.isnan(r.tests.loc[("q", "welch_anova"), "p_value"])
    assert r.tests.loc[("q", "anova"), "statistic"] == pytest.approx(54.0, rel=1e-13)  # R oneway.test: F = 54
    pw = r.pairwise.set_index(["column", "other"])
    assert np.isnan(pw.loc[("a", "b"), "p_value"])  # R t.test stops: "data are essentially constant"
    # Bonferroni over the 2 pairs that have a test
    assert pw.loc[("a", "c"), "p_adjusted"] == pytest.approx(2 * pw.loc[("a", "c"), "p_value"], rel=1e-14)
    assert r.letters.loc[("q", "mean")].to_dict() == {"a": "C", "b": "C", "c": "", "Total": ""}


def test_adjustments_are_p_adjust_with_missing_p_not_counted():
    p = np.array([[0.01, 0.04, np.nan, 0.03], [0.2, 0.001, 0.5, 0.02]])
    # R: p.adjust(c(0.01, 0.04, NA, 0.03), "holm") = 0.03 0.06 NA 0.06; bonferroni n = 3
    np.testing.assert_allclose(adjust(p, "holm")[0], [0.03, 0.06, np.nan, 0.06], rtol=1e-15)
    np.testing.assert_allclose(adjust(p, "bonferroni")[0], [0.03, 0.12, np.nan, 0.09], rtol=1e-15)
    np.testing.assert_allclose(adjust(p, "holm")[1], [0.4, 0.004, 0.5, 0.06], rtol=1e-15)
    assert [column_key(i) for i in (0, 25, 26, 27, 51, 52)] == ["A", "Z", "AA", "AB", "AZ", "BA"]


# ---------------------------------------------------------------------------------------------
# bad input


def test_a_segment_without_answers_is_shown_empty_and_not_tested(data):
    x = data.copy()
    x.loc[x.region == "west", "sat"] = np.nan
    with pytest.warns(SurveykitWarning, match=r"Column 'west' \(D\) has no answers to 'sat'"):
        r = banner(x, "region", ["sat", "nps"])
    assert np.isnan(r.table.loc[("sat", "mean"), "west"]) and r.letters.loc[("sat", "mean"), "west"] == ""
    assert r.counts.loc["sat", "west"] == 0 and r.to_frame().loc[("sat", "mean"), ("west", "D")] == ""
    assert r.tests.loc[("sat", "welch_anova"), "n_columns"] == 3 and r.tests.loc[("nps", "anova"), "n_columns"] == 4
    pw = r.pairwise[r.pairwise.variable == "sat"]
    assert len(pw) == 3 and "west" not in set(pw.column) | set(pw.other)
    # the same tests as without the west rows: three pairs, Bonferroni over 3
    without = banner(x[x.region.isin(["east", "north", "south"])], "region", ["sat"])
    np.testing.assert_allclose(pw.p_adjusted, without.pairwise.p_adjusted, rtol=1e-14)
    pd.testing.assert_frame_equal(r.tests.loc[["sat"]], without.tests, rtol=1e-14, check_dtype=False)
    assert any("no answers to 'sat'" in note for note in r.notes)


def test_no_answers_in_any_segment_is_an_error(data):
    x = data.assign(sat=np.nan)
    with pytest.raises(DataError, match=r"Row 'sat' of banner has no answers in any column of 'region' \(790 "):
        banner(x, "region", ["nps", "sat"])


def test_a_segment_with_one_respondent_is_shown_but_not_tested(data):
    first = data.index[(data.region == "west") & data.sat.notna() & data.nps.notna()][0]
    keep = (data.region != "west") | (data.index == first)
    x = data[keep]
    with pytest.warns(SurveykitWarning, match=r"Column 'west' \(D\) has one answer to 'sat', 'nps'.*no variance"):
        r = banner(x, "region", ["sat", "nps"], weights="w")
    one = x[x.region == "west"]
    assert r.table.loc[("sat", "mean"), "west"] == one.sat.iloc[0] and r.counts.loc["sat", "west"] == 1
    assert r.tests.loc[("sat", "welch_anova"), "n_columns"] == 3 and np.isfinite(r.tests.p_value).all()
    assert "west" not in set(r.pairwise.column) | set(r.pairwise.other)
    assert (r.letters["west"] == "").all() and not r.letters.loc[:, "east":"south"].eq("").all().all()
    est = r.estimates.set_index(["variable", "column"]).loc[("sat", "west")]
    assert np.isnan(est.se) and np.isnan(est.ci_low)


def test_an_unused_segment_category_is_an_empty_column(data):
    seg = pd.Categorical(data.region, categories=SEGS + ["abroad"])
    with pytest.warns(SurveykitWarning, match=r"Column 'abroad' \(E\) has no respondents"):
        r = banner(data.assign(region=seg), "region", ["sat", "channel"])
    assert list(r.table.columns) == SEGS + ["abroad", "Total"] and r.table["abroad"].isna().all()
    assert r.tests.n_columns.eq(4).all()


@pytest.mark.parametrize("weights, words", [
    ("zero", ["zero in 1 row (first rows: 3)"]),
    ("negative", ["negative in 2 rows (first rows: 3, 7)"]),
])
def test_zero_or_negative_weights_name_the_rows(data, weights, words):
    w = data.w.to_numpy().copy()
    w[3] = 0 if weights == "zero" else -1
    if weights == "negative":
        w[7] = -2
    with pytest.raises(DataError, match="Weights of banner must be positive and finite") as info:
        banner(data, "region", ["sat"], weights=w)
    for word in words:
        assert word in str(info.value)


def test_missing_segment_rows_go_to_no_column_and_are_counted(data):
    with pytest.warns(SurveykitWarning, match=r"10 rows \(first rows: 118, 124, .*\) have a missing 'region'"):
        r = banner(data, "region", ["sat"])
    assert (r.n_obs, r.n_dropped) == (790, 10)
    assert r.counts.loc["sat", "Total"] == r.counts.loc["sat", SEGS].sum() == data.sat[data.region.notna()].count()
    assert r.table.loc[("sat", "mean"), "Total"] == pytest.approx(data.sat[data.region.notna()].mean(), rel=1e-14)
    assert "10 with a missing 'region' are in no column" in r.summary().as_text()


def test_segment_missing_everywhere_is_an_error(data):
    with pytest.raises(DataError, match=r"segment 'region' of banner is missing for all 800 respondents"):
        banner(data.assign(region=None), "region", ["sat"])


def test_segment_and_weights_as_arrays(data):
    x = data[data.region.notna()].reset_index(drop=True)
    by_name = banner(x, "region", ["sat"], weights="w")
    by_array = banner(x.drop(columns=["region", "w"]), x.region.to_numpy(), ["sat"], weights=x.w.to_numpy())
    pd.testing.assert_frame_equal(by_name.table, by_array.table.rename_axis(columns="region"))
    assert by_array.segment == "segment"
    with pytest.raises(ValueError, match=r"'segment' parameter of banner has 3 values but there are 790"):
        banner(x, ["a", "b", "c"], ["sat"])


def test_non_numeric_mean_and_infinite_values_name_the_rows():
    x = pd.DataFrame({"seg": list("aabb"), "q": ["1", "2", "x", "4"], "v": [1.0, np.inf, 2, 3]})
    with pytest.raises(DataError, match=r"'q': 1 row, e.g. row 2 = 'x'"):
        banner(x, "seg", ["q"], kind="mean")
    with pytest.raises(DataError, match=r"Row 'v' of banner is infinite in 1 row \(first rows: 1\)"):
        banner(x, "seg", ["v"])


def test_bad_options_name_the_parameter(data):
    with pytest.raises(ValueError, match=r"The 'correction' parameter of banner must be one of 'bonferroni', 'holm', "
                                         r"None. Got 'tukey' instead."):
        banner(data, "region", ["sat"], correction="tukey")
    with pytest.raises(ValueError, match=r"The 'kind' parameter of banner must be one of 'mean', 'proportions'"):
        banner(data, "region", ["sat"], kind="median")
    with pytest.raises(ValueError, match=r"'kind' parameter of banner names 'nps', not among the rows"):
        banner(data, "region", ["sat"], kind={"nps": "mean"})
    with pytest.raises(ValueError, match=r"'rows' parameter of banner names 1 column not in data: 'q9'"):
        banner(data, "region", ["sat", "q9"])
    with pytest.raises(ValueError, match=r"'segment' parameter of banner names column 'zone', which is not in data"):
        banner(data, "zone", ["sat"])
    with pytest.raises(ValueError, match=r"'rows' parameter of banner lists 'sat' more than once"):
        banner(data, "region", ["sat", "sat"])
    with pytest.raises(ValueError, match=r"'alpha' parameter of banner"):
        banner(data, "region", ["sat"], alpha=5)
    with pytest.raises(ValueError, match=r"'ci_level' parameter of banner"):
        banner(data, "region", ["sat"], ci_level=95)
    with pytest.raises(TypeError, match=r"'data' parameter of banner must be a DataFrame"):
        banner(data.to_numpy(), "region", ["sat"])


def test_kinds_are_inferred_from_the_column_type():
    x = pd.DataFrame({"seg": list("aabbab"), "rating": [1, 2, 3, 4, 5, 3], "text": list("uvuvuv"),
                      "flag": [True, False, True, True, False, True],
                      "cat": pd.Categorical(list("pqpqpq"), categories=["q", "p", "r"])})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SurveykitWarning)
        r = banner(x, "seg", ["rating", "text", "flag", "cat"])
    assert r.kinds == {"rating": "mean", "text": "proportions", "flag": "proportions", "cat": "proportions"}
    assert list(r.table.loc["cat"].index) == ["q", "p", "r"]  # categories in their order, unused included
    assert r.table.loc[("cat", "r")].eq(0).all()


# ---------------------------------------------------------------------------------------------
# rendering


def test_display_table_reads_like_spss(data):
    r = run(data, "weighted")
    f = r.to_frame()
    assert list(f.columns) == [("east", "A"), ("north", "B"), ("south", "C"), ("west", "D"), ("Total", "")]
    assert f.loc[("sat", "mean"), ("north", "B")] == f"{r.table.loc[('sat', 'mean'), 'north']:.2f} A"
    assert f.loc[("channel", "phone"), ("east", "A")] == f"{r.table.loc[('channel', 'phone'), 'east']:.1f}% B"
    assert f.loc[("sat", "base (n)"), ("Total", "")] == "754"
    assert ("sat", "base (effective n)") in f.index
    assert ("sat", "base (effective n)") not in run(data, "unweighted").to_frame().index
    assert r.to_frame(decimals=3).loc[("sat", "mean"), ("east", "A")] == f"{r.table.loc[('sat', 'mean'), 'east']:.3f}"


def test_result_renders_pickles_and_is_frozen(data):
    r = run(data, "weighted")
    text = r.summary().as_text()
    assert "A = 'east', B = 'north'" in text and "effective base" in text and "Bonferroni" in text
    assert all(note in text for note in r.notes)
    assert r._repr_html_().startswith("<div class='surveykit-summary'>") and "|" in r.summary().as_markdown()
    assert repr(r) == "<BannerResult segment='region' n_columns=4 n_variables=4 n_obs=790 weighted=True>"
    for frame in (r.tests, r.pairwise, r.estimates):
        assert all(re.fullmatch(r"[a-z][a-z0-9_]*", c) for c in frame.columns)
    back = pickle.loads(pickle.dumps(r))
    pd.testing.assert_frame_equal(back.table, r.table)
    with pytest.raises(AttributeError):
        r.alpha = 0.1


def test_without_total(data):
    r = run(data, "unweighted", total=False)
    assert list(r.table.columns) == SEGS == list(r.counts.columns)
    assert "Total" not in set(r.estimates.column)
