"""The report's reliability-and-validity and factor-analysis sections, from the public API."""

from __future__ import annotations

import math

import pandas as pd

from ..data import SurveyData
from ..psychometrics import (
    bartlett,
    construct_reliability,
    construct_validity,
    efa,
    harman_test,
    kmo,
    parallel_analysis,
)
from ._format import caught, p_text
from ._text import t
from .book import ReportBook

__all__ = ["psychometric_sections"]

PA_ITERATIONS, PA_SEED = 500, 20240501  # fixed, so that the report is reproducible


def psychometric_sections(data: SurveyData, book: ReportBook) -> dict:
    """Build the two sections into ``book`` (tables, figures, numbers); return what the template shows."""
    import matplotlib.pyplot as plt

    from ..plotting import figure_style, plot_item_total, plot_loadings, plot_scree

    q = data.questionnaire
    language = book.language
    fig_lang = "en" if language == "en" else "zh"
    item_text = {i: q.item(i).text.get(fig_lang) for i in q.item_ids}
    constructs = {n: c for n, c in q.constructs.items() if len(c.items) >= 2}
    ctx: dict = {"reliability": None, "validity": None, "factor": None}
    figures_rel, figures_fa, numbers = [], [], book.numbers.setdefault("psychometrics", {})
    if not constructs:
        return ctx

    rel = construct_reliability(data, language=language)
    notes = [f"{name}: {n}" for name, r in rel.results.items() for n in r.notes]
    with figure_style():
        ncols = min(3, len(rel.results))
        nrows = math.ceil(len(rel.results) / ncols)
        height = max(len(r.items) for r in rel.results.values()) * 0.45 + 1.2
        fig, axes = plt.subplots(nrows, ncols, figsize=(5.2 * ncols, height * nrows), squeeze=False)
        for ax, (name, r) in zip(axes.ravel(), rel.results.items()):
            plot_item_total(r, item_labels=item_text, label_width=22, language=fig_lang, ax=ax)
            ax.set_title(f"{q.constructs[name].label.get(fig_lang)} (α = {r.alpha:.3f})", loc="left")
        for ax in axes.ravel()[len(rel.results):]:
            ax.set_visible(False)
    figures_rel.append(book.figure(fig, "item_total", "item-total"))
    ctx["reliability"] = {"table": book.table("reliability", t("reliability", language), rel.to_frame(),
                                              note=t("rel_note", language)),
                          "figures": figures_rel, "notes": notes}
    numbers["reliability"] = rel.to_frame().drop(columns=["label"]).to_dict(orient="index")

    validity, notes = caught(construct_validity, data, language=language)
    if validity is not None:
        fit = pd.DataFrame([validity.cfa.fit]).rename(index={0: "CFA"})
        loadings = validity.cfa.estimates.set_index(["factor", "item"])[["std_estimate", "estimate", "se", "z",
                                                                          "p_value"]]
        n_note = f"{t('val_note', language)} n = {validity.cfa.n_obs}."

        def table(key, frame):
            return book.table("validity", t(key, language), frame, note=n_note)

        ctx["validity"] = {"n": validity.cfa.n_obs, "fit": table("fit", fit),
                           "table": table("validity", validity.to_frame()),
                           "fornell_larcker": table("fornell", validity.fornell_larcker),
                           "htmt": table("htmt", validity.htmt), "loadings": table("std_loadings", loadings),
                           "notes": notes}
        numbers["validity"] = {"fit": validity.cfa.fit, "constructs": validity.to_frame().drop(columns=["label"])
                               .to_dict(orient="index"), "htmt": validity.htmt.to_dict()}
    else:
        ctx["validity"] = {"notes": notes}

    items = [i for c in constructs.values() for i in c.items]
    x = data.scored_items().loc[:, items]
    k, notes_k = caught(kmo, x, nan_policy="listwise")  # listwise throughout, as the EFA
    b, notes_b = caught(bartlett, x, nan_policy="listwise")
    pa, notes_pa = caught(parallel_analysis, x, n_iter=PA_ITERATIONS, seed=PA_SEED)
    book.options["parallel_analysis"] = {"n_iter": PA_ITERATIONS, "seed": PA_SEED}
    n_factors = min(len(constructs), len(items) - 1)
    fa, notes_fa = caught(efa, x, n_factors)
    harman, notes_h = caught(harman_test, x)
    lines = []
    if k is not None and b is not None:
        lines.append(f"KMO = {k.overall:.3f}; Bartlett's test: χ²({b.df}) = {b.chi2:.2f}, {p_text(b.p_value)}; "
                     f"n = {b.n_obs}")
    if pa is not None:
        lines.append(f"Parallel analysis ({pa.n_iter} simulated data sets, {pa.threshold}): {pa.n_factors} factors, "
                     f"{pa.n_components} components; the EFA below extracts {n_factors}, one per construct of the "
                     "questionnaire")
        with figure_style():
            ax = plot_scree(pa, language=fig_lang)
        figures_fa.append(book.figure(ax.figure, "scree", "scree"))
    if fa is not None:
        with figure_style():
            ax = plot_loadings(fa, item_labels=item_text, language=fig_lang)
        figures_fa.append(book.figure(ax.figure, "loadings", "loadings"))
    if harman is not None:
        lines.append(harman.summary().lines[0])
    method = None if fa is None else f"{fa.method}, {fa.rotation}, n = {fa.n_obs}"
    fa_note = f"{t('fa_note', language)} {method or ''}".strip()

    def table(key, frame, decimals=3):
        return None if frame is None else book.table("factor", t(key, language), frame, note=fa_note,
                                                     decimals=decimals)

    ctx["factor"] = {
        "lines": lines, "figures": figures_fa, "method": method,
        "loadings": None if fa is None else table("loadings", fa.to_frame(), decimals=2),
        "variance": None if fa is None else table("variance", fa.variance),
        "phi": None if fa is None or fa.phi is None else table("phi", fa.phi, decimals=2),
        "kmo_items": None if k is None else table("kmo_items", k.items),
        "notes": notes_k + notes_b + notes_pa + notes_fa + notes_h,
    }
    numbers["factor_analysis"] = {
        "kmo": None if k is None else k.overall,
        "bartlett": None if b is None else {"chi2": b.chi2, "df": b.df, "p_value": b.p_value},
        "parallel_analysis": None if pa is None else {"n_factors": pa.n_factors, "n_components": pa.n_components,
                                                      "n_iter": pa.n_iter, "seed": PA_SEED},
        "harman_variance_share": None if harman is None else harman.variance_share,
        "efa": None if fa is None else {"method": fa.method, "rotation": fa.rotation, "n_factors": fa.n_factors,
                                        "loadings": fa.loadings.to_dict()},
    }
    return ctx
