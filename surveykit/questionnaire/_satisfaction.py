"""Cross-checks of the satisfaction methods' roles: the KANO pairs and the SERVQUAL pairing.

Private to the questionnaire package; :class:`~surveykit.questionnaire.model.Questionnaire` calls
them from its validator and from :meth:`~surveykit.questionnaire.model.Questionnaire.servqual_design`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .model import Questionnaire

__all__ = ["dimension_items", "kano_problems", "servqual_design"]

#: the five Kano options as codes: 1 我很喜欢 / Like ... 5 我很不喜欢 / Dislike (Berger et al. 1993)
KANO_CODES = (1.0, 2.0, 3.0, 4.0, 5.0)


def servqual_design(q: "Questionnaire") -> tuple[dict[str, str], dict[str, list[str]], dict[str, float] | None]:
    """See :meth:`Questionnaire.servqual_design`."""
    from .model import ServqualRole

    exp, per = q.roles.get("service_expectations"), q.roles.get("service_perceptions")
    if exp is None or per is None:
        raise ValueError("roles.service_expectations, roles.service_perceptions: SERVQUAL needs both roles "
                         f"(found only {'service_expectations' if per is None else 'service_perceptions'})")
    options = q.roles.get("servqual")
    options = options if isinstance(options, ServqualRole) else ServqualRole()
    exp_dims, per_dims = dimension_items(q, exp), dimension_items(q, per)
    problems: list[str] = []
    if options.pairs is not None:
        pairs = dict(options.pairs)
        expected = [i for items in exp_dims.values() for i in items]
        perceived = {i for items in per_dims.values() for i in items}
        lonely = [e for e in expected if e not in pairs]
        if lonely:
            problems.append(f"roles.servqual.pairs: expectation items with no perception partner: "
                            f"{', '.join(map(repr, lonely))}; add them as 'expectation_item: perception_item'")
        for e, p in pairs.items():
            if e not in expected:
                problems.append(f"roles.servqual.pairs.{e}: {e!r} is not an item of the role 'service_expectations'")
            if p not in perceived:
                problems.append(f"roles.servqual.pairs.{e}: {p!r} is not an item of the role 'service_perceptions'")
    else:
        pairs = {}
        only = [d for d in exp_dims if d not in per_dims] + [d for d in per_dims if d not in exp_dims]
        if only:
            problems.append(f"roles.service_expectations, roles.service_perceptions: the dimensions differ "
                            f"({', '.join(map(repr, only))} in only one of them); name the same dimensions in both")
        for dim in (d for d in exp_dims if d in per_dims):
            e_items, p_items = exp_dims[dim], per_dims[dim]
            pairs.update(zip(e_items, p_items))
            if len(e_items) > len(p_items):
                problems.append(f"roles.service_expectations.{dim}: expectation item"
                                f"{'s' if len(e_items) - len(p_items) > 1 else ''} "
                                f"{', '.join(map(repr, e_items[len(p_items):]))} "
                                f"{'have' if len(e_items) - len(p_items) > 1 else 'has'} no perception partner "
                                f"(dimension {dim!r} has {len(e_items)} expectation and {len(p_items)} perception "
                                "items); add the perception items, or pair them under roles.servqual.pairs")
            elif len(p_items) > len(e_items):
                problems.append(f"roles.service_perceptions.{dim}: perception items "
                                f"{', '.join(map(repr, p_items[len(e_items):]))} have no expectation partner")
    importance = None if options.importance is None else dict(options.importance)
    if importance is not None:
        named = {d for d in exp_dims if d}
        if set(importance) != named:
            problems.append(f"roles.servqual.importance: give points to each dimension "
                            f"({', '.join(map(repr, sorted(named))) or 'the roles map no dimensions'}); "
                            f"got {', '.join(map(repr, importance))}")
        elif any(v < 0 for v in importance.values()) or abs(sum(importance.values()) - 100) > 1e-6:
            problems.append(f"roles.servqual.importance: the points must be non-negative and sum to 100; "
                            f"they sum to {sum(importance.values()):g}")
    if problems:
        raise ValueError("; ".join(problems))
    dims = {d: list(items) for d, items in exp_dims.items() if d}
    return pairs, dims, importance


def kano_problems(q: "Questionnaire") -> list[str]:
    """Unknown KANO items, items not on a five-option 1..5 scale, an item in two attributes."""
    problems, seen = [], {}
    for attr, pair in q.kano_attributes().items():
        if pair.functional == pair.dysfunctional:
            problems.append(f"roles.kano.{attr}: the functional and the dysfunctional question are the same item "
                            f"{pair.functional!r}")
            continue
        for which in ("functional", "dysfunctional"):
            ref = getattr(pair, which)
            loc = f"roles.kano.{attr}.{which}"
            if ref not in q.item_ids:
                problems.append(f"{loc}: unknown item {ref!r}")
                continue
            if ref in seen:
                problems.append(f"{loc}: item {ref!r} is also {seen[ref]}; each question belongs to one attribute")
            seen[ref] = f"roles.kano.{attr}.{which}"
            scale = q.scale_of(ref)
            codes = scale.valid_codes()
            if scale.type not in ("single_choice", "likert") or codes is None or tuple(sorted(codes)) != KANO_CODES:
                problems.append(f"{loc}: item {ref!r} is on scale {q.item(ref).scale!r} "
                                f"({scale.type} {scale.describe_range()}); KANO questions take the five options "
                                "coded 1 我很喜欢/Like, 2 理所当然/Must-be, 3 无所谓/Neutral, 4 能忍受/Live with, "
                                "5 我很不喜欢/Dislike (a single_choice scale with labels 1-5)")
    return problems


def dimension_items(q: "Questionnaire", ref) -> dict[str, list[str]]:
    """Dimension -> items of a SERVQUAL role ('' for a role naming one construct or item)."""
    refs = ref.items() if isinstance(ref, dict) else [("", ref)]
    return {dim: list(q.constructs[r].items) if r in q.constructs else [r] for dim, r in refs if isinstance(r, str)}
