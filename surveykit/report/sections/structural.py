"""Structural model: the value chain from the roles (fit with its criteria, paths, indirect effects,
R², the path diagram) and the measurement invariance of each segment the questionnaire marks."""

from __future__ import annotations

import pandas as pd

from ..._caught import caught
from ...data import SurveyData
from ...errors import QuestionnaireError
from ...interpretation.rules import DEFAULT_RULES
from ...structural.invariance import CFI_CUT, RMSEA_CUT, SRMR_CUT
from .._text import t
from ..book import Block, ReportBook, Section

#: fit measure -> (the RuleSet threshold it is judged by, its borderline band, the side it must lie on)
CRITERIA = {"cfi": ("cfi_min", "cfi_borderline", ">="), "tli": ("tli_min", "tli_borderline", ">="),
            "rmsea": ("rmsea_max", "rmsea_borderline", "<="), "srmr": ("srmr_max", None, "<=")}
MEASURES = ("chi2", "p_value", "chi2_df", "cfi", "tli", "rmsea", "rmsea_ci_low", "rmsea_ci_high", "srmr", "aic", "bic")


def _fit_table(fit: dict, lang: str, rules=DEFAULT_RULES) -> pd.DataFrame:
    """By measure: its value, the criterion it is judged by (the rule set's thresholds) and whether it meets it."""
    names = t("structural.measures", lang)
    values = {**fit, "chi2_df": fit["chi2"] / fit["df"] if fit["df"] else float("nan")}
    rows, index = [], []
    for m in MEASURES:
        criterion, met = "", pd.NA
        if m in CRITERIA:
            key, band, side = CRITERIA[m]
            cut = getattr(rules, key)
            sign = "≥" if side == ">=" else "≤"
            criterion = f"{sign} {cut:g}"
            if band is not None:
                criterion += f" ({t('structural.borderline', lang)}: {sign} {getattr(rules, band):g})"
            met = bool(values[m] >= cut if side == ">=" else values[m] <= cut)
        label = f"{names[m]} (df = {fit['df']})" if m == "chi2" else names[m]
        index.append(label)
        rows.append({"value": float(values[m]), "criterion": criterion, "met": met})
    frame = pd.DataFrame(rows, index=pd.Index(index, name="measure"))
    frame["met"] = frame["met"].astype("boolean")
    return frame


def _model_blocks(vm, book: ReportBook, lang: str, fig_lang: str) -> tuple[list[Block], str]:
    from ...plotting import figure_style, plot_path

    labels = vm.labels
    chain = " → ".join(" + ".join(labels[n] for n in level) for level in vm.levels)
    missing = t("structural.listwise", lang, n=vm.n_obs, dropped=vm.sem.n_dropped) \
        if vm.sem.missing == "listwise" else f"missing = {vm.sem.missing}, n = {vm.n_obs}"
    note = t("structural.note", lang, chain=chain, missing=missing,
             weighting=t("structural.weighted" if vm.weighted else "structural.unweighted", lang))
    rules = book.rules or DEFAULT_RULES  # the report's rule set: the thresholds of its interpretations
    cites = "; ".join(dict.fromkeys([*(rules.cite(k) for k in ("cfi_min", "rmsea_max", "srmr_max")),
                                     *(rules.cite(k, borderline=True) for k in ("cfi_min", "rmsea_max"))]))
    fit = book.table("structural", t("structural.fit", lang), _fit_table(vm.fit, lang, rules),
                     note=t("structural.fit_note", lang, cites=cites), interpret=vm)

    def arrow(a, b):
        return f"{labels.get(a, a)} → {labels.get(b, b)}"

    paths = vm.paths.set_index(pd.Index([arrow(a, b) for a, b in zip(vm.paths["from"], vm.paths["to"])],
                                        name="path")).drop(columns=["from", "to"])
    ind = vm.indirect
    indirect = ind[["est", "se", "ci_low", "ci_high", "p_value", "std_all"]].set_index(
        pd.Index([" → ".join(labels.get(n, n) for n in e.split(" -> ")) for e in ind.index], name="effect"))
    ind_note = t("structural.indirect_boot", lang, bootstrap=vm.bootstrap, seed=vm.seed) if vm.bootstrap \
        else t("structural.indirect_delta", lang)
    r2 = vm.r2.rename(index=labels).to_frame().rename_axis("node")
    blocks = [Block(lines=[note]),
              Block(heading=t("structural.fit", lang), table=fit),
              Block(heading=t("structural.paths", lang), table=book.table(
                  "structural", t("structural.paths", lang), paths, note=t("structural.paths_note", lang)))]
    if len(vm.loadings):
        lo = vm.loadings
        loadings = lo.drop(columns=["factor", "indicator"]).set_index(
            pd.Index([arrow(a, b) for a, b in zip(lo["factor"], lo["indicator"])], name="path"))
        blocks.append(Block(heading=t("structural.loadings", lang), table=book.table(
            "structural", t("structural.loadings", lang), loadings, note=t("structural.paths_note", lang))))
    if len(indirect):
        blocks.append(Block(heading=t("structural.indirect", lang), lines=[ind_note], table=book.table(
            "structural", t("structural.indirect", lang), indirect, note=ind_note)))
    with figure_style():
        ax = plot_path(vm, language=fig_lang)
    figure = book.figure(ax.figure, "structural_model", t("structural.figure", lang))
    blocks.append(Block(heading=t("structural.r2", lang), figures=[figure],
                        table=book.table("structural", t("structural.r2", lang), r2)))
    return blocks, note


def _invariance_blocks(inv, book: ReportBook, lang: str) -> list[Block]:
    levels = t("structural.levels", lang)
    r = inv.result
    highest = levels.get(inv.highest, inv.highest) if inv.highest else t("structural.inv_none", lang)
    counts = ", ".join(f"{k} {v}" for k, v in inv.n_by_level.items())
    line = t("structural.inv_line", lang, constructs=", ".join(inv.labels.values()), segment=inv.segment_label,
             counts=counts, highest=highest)
    scalar = "scalar" in r.table.index and inv.highest in ("scalar", "strict")
    lines = [line, t("structural.inv_compare" if scalar else "structural.inv_no_compare", lang)]
    note = t("structural.inv_note", lang, cfi=f"{CFI_CUT:g}", rmsea=f"{RMSEA_CUT:g}", srmr_metric=f"{SRMR_CUT['metric']:g}",
             srmr=f"{SRMR_CUT['scalar']:g}",
             weighting=t("structural.weighted" if inv.weighted else "structural.unweighted", lang))
    table = r.table.rename(index=levels).rename_axis("invariance_level")
    title = t("structural.invariance", lang, segment=inv.segment_label)
    blocks = [Block(heading=title, lines=lines,
                    table=book.table("structural", title, table, note=note, interpret=r))]
    if len(r.latent_means):
        means = r.latent_means.assign(factor=lambda d: d["factor"].map(inv.labels).fillna(d["factor"]))
        means = means.set_index(["group", "factor"])
        heading = t("structural.latent_means", lang, first=r.groups[0])
        blocks.append(Block(heading=heading, table=book.table("structural", heading, means)))
    return blocks


def section(data: SurveyData, book: ReportBook) -> Section | None:
    """:meth:`SurveyData.value_model` (no bootstrap: delta-method intervals, said in the note) and
    :meth:`SurveyData.invariance` of each segment under the questionnaire's ``invariance``; None when
    the roles allow no structural model and no segment is marked."""
    lang = book.language
    fig_lang = "en" if lang == "en" else "zh"
    q = data.questionnaire
    segments = q.invariance.segments if q.invariance is not None else ()
    notes: list[str] = []
    try:
        vm = caught(notes, data.value_model, language=lang, reraise=QuestionnaireError)
        has_model = True
    except QuestionnaireError:
        vm, has_model = None, False
    if not has_model and not segments:
        return None
    blocks, note, numbers = [], None, {}
    if vm is not None:
        model_blocks, note = _model_blocks(vm, book, lang, fig_lang)
        blocks += model_blocks
        notes += list(vm.notes)
        numbers.update(fit=vm.fit, n_obs=vm.n_obs, paths=vm.paths.to_dict(orient="records"),
                       indirect=vm.indirect.reset_index().to_dict(orient="records"), r2=vm.r2.to_dict(),
                       model=vm.sem.model)
        book.options["structural"] = {"estimator": vm.sem.estimator, "missing": vm.sem.missing,
                                      "bootstrap": vm.bootstrap, "seed": vm.seed, "weighted": vm.weighted}
    invariance = {}
    for segment in segments:
        inv = caught(notes, data.invariance, segment, language=lang)
        if inv is None:
            continue
        blocks += _invariance_blocks(inv, book, lang)
        notes += list(inv.notes)
        invariance[segment] = {"highest": inv.highest, "constructs": list(inv.constructs),
                               "table": inv.table.astype(object).where(inv.table.notna(), None).to_dict(orient="index")}
    if invariance:
        numbers["invariance"] = invariance
    book.numbers["structural"] = numbers
    return Section(id="structural", title=t("structural.title", lang), note=note, blocks=blocks,
                   notes=list(dict.fromkeys(notes)))
