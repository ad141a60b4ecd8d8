"""The report's sections on indices (overall and by segment) and on drivers and priorities."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data import SurveyData
from ..indices import banner, ipa, key_drivers, nps
from ._format import caught
from ._text import t as text
from .book import ReportBook

__all__ = ["index_sections"]

BOOTSTRAP_SEED = 20261123  # fixed, so that the report is reproducible

_TEXT = {
    "zh": {"estimate": "估计值", "ci": "95% 置信区间", "n": "样本量", "index": "指数", "overall": "总体",
           "reversed": "（反向：成本越低得分越高）", "all": "全部"},
    "en": {"estimate": "Estimate", "ci": "95% CI", "n": "n", "index": "Index", "overall": "Overall",
           "reversed": " (reversed: low cost scores high)", "all": "All"},
}


def _fmt_ci(lo: float, hi: float, decimals: int) -> str:
    return "" if pd.isna(lo) else f"{lo:.{decimals}f} – {hi:.{decimals}f}"


def _decimals(key: str) -> int:
    return 3 if key.startswith("top2_box") or "value" in key and "index" not in key else 1


def _overall_table(ix, lang: str) -> pd.DataFrame:
    t = _TEXT["en" if lang == "en" else "zh"]
    o = ix.overall
    return pd.DataFrame({
        t["index"]: o["label"],
        t["estimate"]: [f"{v:.{_decimals(k)}f}" for k, v in o["estimate"].items()],
        t["ci"]: [_fmt_ci(lo, hi, _decimals(k)) for k, lo, hi in zip(o.index, o["ci_low"], o["ci_high"])],
        t["n"]: o["n_obs"].astype("Int64"),
    }, index=o.index).set_index(t["index"])


def _segment_table(ix, segment: str) -> pd.DataFrame:
    wide = ix.by_segment(segment)
    labels = ix.overall["label"]
    return wide.rename(columns=lambda k: labels.get(k, k))


def _nps_by_segment(data: SurveyData, ix, item: str) -> dict:
    """NPS of every level of every segment: label -> NPSResult (levels without 2 answers left out)."""
    scored = data.scored_items()[item]
    w = data.meta["weight"].to_numpy(float) if data.questionnaire.weight is not None else None
    out = {}
    for s in ix.segments:
        labelled = data.segment(s) if data.questionnaire.scale_of(s).labels else data.responses[s]
        for level in pd.unique(labelled.dropna()):
            mask = (labelled == level).to_numpy()
            if np.isfinite(scored[mask]).sum() >= 2:
                out[f"{s}: {level}"] = nps(scored[mask], weights=None if w is None else w[mask])
    return out


def _parts(data: SurveyData):
    """Benefit and sacrifice parts (construct scores), or None when the roles are absent."""
    q = data.questionnaire
    b, s = q.roles.get("perceived_benefits"), q.roles.get("perceived_sacrifices")
    if not isinstance(b, dict) or not isinstance(s, dict):
        return None
    names = [*b.values(), *s.values()]
    if not all(n in q.constructs for n in names):
        return None
    return list(b.values()), list(s.values())


def index_sections(data: SurveyData, book: ReportBook) -> dict:
    """Build the indices and drivers sections into ``book``; return what the template shows."""
    import matplotlib.pyplot as plt

    from ..plotting import figure_style, plot_drivers, plot_indices, plot_ipa, plot_nps, plot_value_map

    q = data.questionnaire
    language = book.language
    fig_lang = "en" if language == "en" else "zh"
    t = _TEXT[fig_lang]
    ctx: dict = {"indices": None, "drivers": None}
    numbers = book.numbers
    ix, notes = caught(data.indices, language=language)
    if ix is None:
        return ctx
    notes += list(ix.notes)
    figures: list = []
    numbers["indices"] = ix.table.replace({np.nan: None}).to_dict(orient="records")
    with figure_style():
        for key in [k for k in ("satisfaction_index", "loyalty_index", "nps") if k in ix.overall.index]:
            if not ix.segments:
                break
            fig, ax = plt.subplots(figsize=(7.5, 0.32 * len(ix.table) / len(ix.overall) + 1.5))
            plot_indices(ix, key, language=fig_lang, ax=ax,
                         segment_labels={s: q.label(q.item(s).text, fig_lang) or s for s in ix.segments})
            figures.append(book.figure(fig, f"index_{key}", ix.overall.at[key, "label"]))
        nps_items = q.resolve_role("nps")
        if "nps" in ix.overall.index and ix.segments and len(nps_items) == 1:
            by = _nps_by_segment(data, ix, nps_items[0])
            fig, ax = plt.subplots(figsize=(7.5, 0.32 * len(by) + 1.3))
            plot_nps(by, language=fig_lang, ax=ax)
            figures.append(book.figure(fig, "nps_by_segment", ix.overall.at["nps", "label"]))
        value = ix.results.get("delivered_value") or ix.results.get("value_difference")
        if value is not None and ix.segments:
            seg = max(ix.segments, key=lambda s: len(ix.by_segment(s)))
            points = {}
            for level in ix.by_segment(seg).index:
                sub = data.responses.index[(data.segment(seg) == level).to_numpy()]
                r, _ = caught(_value_for, data, sub)
                if r is not None:
                    points[str(level)] = r
            if len(points) >= 2:
                fig, ax = plt.subplots(figsize=(6.5, 5.5))
                plot_value_map(points, language=fig_lang, ax=ax)
                figures.append(book.figure(fig, "value_map", f"{seg}"))
    ix_note = text("ix_note", language)
    overall = book.table("indices", text("overall", language), _overall_table(ix, language), note=ix_note)
    segments = []
    for s in ix.segments:
        label = q.label(q.item(s).text, language) or s
        segments.append({"segment": label, "html": book.table(
            "indices", f"{text('by_segment', language)}: {label}", _segment_table(ix, s), note=ix_note)})

    banners = []
    rows = {ix.overall.at[k, "label"]: ix.results[k].scores for k in ("satisfaction_index", "loyalty_index",
                                                                        "value_index") if k in ix.results}
    if rows and ix.segments:
        frame = pd.DataFrame(rows)
        weights = data.meta["weight"].to_numpy(float) if q.weight is not None else None
        for s in ix.segments:
            seg = data.segment(s) if q.scale_of(s).labels else data.responses[s]
            b, b_notes = caught(banner, frame.assign(**{"__segment__": seg.to_numpy()}), "__segment__", list(rows),
                                kind="mean", weights=weights)
            if b is not None:
                label = q.label(q.item(s).text, language) or s
                banners.append({"segment": label, "html": book.table(
                    "indices", f"{text('comparisons', language)}: {label}", b.to_frame(),
                    note=text("banner", language))})
                notes += [f"{s}: {n}" for n in b.notes]
    ctx["indices"] = {"overall": overall, "segments": segments,
                      "banners": banners, "figures": figures, "notes": list(dict.fromkeys(notes))}

    # drivers and priorities: the parts of value as drivers of the satisfaction score
    parts = _parts(data)
    sat = ix.results.get("satisfaction_index")
    if parts is None or sat is None:
        return ctx
    benefits, sacrifices = parts
    scores = data.construct_scores()
    labels = {c: q.constructs[c].label.get(fig_lang) or c for c in benefits + sacrifices}
    frame = scores[benefits + sacrifices].assign(satisfaction=sat.scores)
    weights = data.meta["weight"].to_numpy(float) if q.weight is not None else None
    d_notes: list[str] = []
    book.options["drivers"] = {"method": "relative_weights + ols (HC3)", "bootstrap": 1000, "seed": BOOTSTRAP_SEED}
    rw, n1 = caught(key_drivers, frame, "satisfaction", benefits + sacrifices, method="relative_weights",
                    weights=weights, bootstrap=1000, seed=BOOTSTRAP_SEED)
    ols, n2 = caught(key_drivers, frame, "satisfaction", benefits + sacrifices, method="ols", weights=weights)
    d_notes += n1 + n2
    if rw is None or ols is None:
        ctx["drivers"] = {"notes": d_notes}
        return ctx
    table = ols.coefficients[["estimate", "se", "p_value", "std_estimate"]].join(
        rw.coefficients[["share", "share_ci_low", "share_ci_high"]])
    table.index = [labels[c] for c in table.index]
    # performance: part means on the answer scale, costs reversed so that higher is better everywhere
    lo = min(q.scale_of(i).min for c in benefits + sacrifices for i in q.items_of(c))
    hi = max(q.scale_of(i).max for c in benefits + sacrifices for i in q.items_of(c))
    perf, perf_labels = {}, {}
    for c in benefits + sacrifices:
        m = np.average(scores[c].dropna(), weights=None if weights is None else weights[scores[c].notna().to_numpy()])
        perf[c] = (lo + hi - m) if c in sacrifices else m
        perf_labels[c] = labels[c] + (t["reversed"] if c in sacrifices else "")
    priorities, n3 = caught(ipa, pd.Series(perf), rw, scale_min=(lo, None), scale_max=(hi, None),
                            language="en" if language == "en" else "zh")
    d_notes += n3
    d_figures: list = []
    with figure_style():
        fig, ax = plt.subplots(figsize=(7, 0.45 * len(table) + 1.2))
        plot_drivers(rw, language=fig_lang, item_labels=labels, ax=ax)
        d_figures.append(book.figure(fig, "drivers", "drivers"))
        if priorities is not None:
            fig, ax = plt.subplots(figsize=(7.5, 6))
            plot_ipa(priorities, language=fig_lang, item_labels=perf_labels, ax=ax)
            d_figures.append(book.figure(fig, "ipa", "IPA"))
    dr_note = f"{text('dr_note', language)} R² = {rw.r_squared:.3f}, n = {rw.n_obs}."
    ctx["drivers"] = {"r_squared": rw.r_squared, "n": rw.n_obs,
                      "table": book.table("drivers", text("drivers", language), table, note=dr_note),
                      "ipa": None if priorities is None else book.table(
                          "drivers", text("ipa", language), priorities.table.rename(index=perf_labels), note=dr_note),
                      "figures": d_figures, "notes": list(dict.fromkeys(d_notes + list(rw.notes)))}
    numbers["drivers"] = {"r_squared": rw.r_squared, "n_obs": rw.n_obs,
                          "table": table.replace({np.nan: None}).to_dict(orient="index"),
                          "ipa": None if priorities is None else priorities.table.to_dict(orient="index")}
    return ctx


def _value_for(data: SurveyData, rows) -> object:
    """Perceived value of a subset of respondents, from the roles (for the value map)."""
    from ..indices import perceived_value

    q = data.questionnaire
    scores = data.construct_scores().loc[rows]
    b, s = q.roles["perceived_benefits"], q.roles["perceived_sacrifices"]
    b = b if isinstance(b, dict) else {b: b}
    s = s if isinstance(s, dict) else {s: s}
    w = data.meta["weight"].loc[rows].to_numpy(float) if q.weight is not None else None
    return perceived_value({k: scores[[v]] for k, v in b.items()}, {k: scores[[v]] for k, v in s.items()}, weights=w)
