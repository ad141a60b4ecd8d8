"""The customer satisfaction index model (ACSI / ECSI / CCSI) built from the questionnaire's roles."""

from __future__ import annotations

from ..errors import QuestionnaireError
from .pls import PLSResult, pls_pm

__all__ = ["CSI_PATHS", "csi_model"]

# The structural model of the national satisfaction indices (Fornell et al. 1996 for the ACSI;
# the ECSI adds corporate image and drops complaints; the CCSI 中国顾客满意指数 has brand image,
# expected quality, perceived quality, perceived value, satisfaction and loyalty). Each construct
# -> the constructs it drives; only the constructs the questionnaire has take part.
CSI_PATHS = {
    "image": ("expectations", "satisfaction", "loyalty"),
    "expectations": ("perceived_quality", "perceived_value", "satisfaction"),
    "perceived_quality": ("perceived_value", "satisfaction"),
    "perceived_value": ("satisfaction",),
    "satisfaction": ("complaints", "loyalty"),
    "complaints": ("loyalty",),
    "loyalty": (),
}


def csi_model(data, *, scheme: str = "path", n_boot: int = 0, seed=None, ci_level: float = 0.95) -> PLSResult:
    """Fit the ACSI / ECSI / CCSI path model from the roles, with 0-100 indices per construct.

    The latent variables are the roles ``image``, ``expectations``, ``perceived_quality``,
    ``perceived_value``, ``satisfaction``, ``complaints`` and ``loyalty`` that the
    questionnaire names (each a construct, or an item for a one-item block), joined by the
    paths of :data:`CSI_PATHS` between those present: with all of them, the ACSI model plus
    the ECSI's image paths. Items are reverse-coded first and kept on their answer scale
    (``scaled=False``, as the ACSI), and each latent variable's index is the 0-100 rescaling
    by the scales' end points with normalised outer weights (DOMAIN.md, section 2).
    A one-item block enters as coded: a yes (1) / no (2) complaint item gives a complaints
    "index" that is high when few complained, and path signs to read accordingly.

    Parameters
    ----------
    data : SurveyData
    scheme : {'path', 'centroid', 'factorial'}
        Inner weighting scheme of :func:`surveykit.pls_pm`.
    n_boot : int
        Bootstrap resamples for the path coefficients' intervals (0: none).
    seed : int, optional
    ci_level : float

    Returns
    -------
    PLSResult

    Raises
    ------
    QuestionnaireError
        When fewer than two of the roles exist, or none of the paths joins two of them.

    Examples
    --------
    >>> import surveykit as sk
    >>> model = sk.example_data().csi_model()
    >>> list(model.blocks)
    ['perceived_value', 'satisfaction', 'complaints', 'loyalty']
    """
    q = data.questionnaire
    present = [r for r in CSI_PATHS if q.resolve_role(r)]
    blocks = {r: list(q.resolve_role(r)) for r in present}
    paths: dict[str, list[str]] = {}
    for source in present:
        for target in CSI_PATHS[source]:
            if target in blocks:
                paths.setdefault(target, []).append(source)
    linked = {lv for target, sources in paths.items() for lv in (target, *sources)}
    if len(present) < 2 or not paths:
        raise QuestionnaireError(q.id, [("roles", "the satisfaction index model needs at least two linked roles "
                                                  f"among {list(CSI_PATHS)}; the questionnaire has {present or 'none'}")])
    blocks = {lv: items for lv, items in blocks.items() if lv in linked}
    items = [i for its in blocks.values() for i in its]
    # the end points of an ordered scale as declared (not its list of codes: a scale may be declared 1..1e12)
    codes = {i: (q.scale_of(i).min, q.scale_of(i).max) if q.scale_of(i).is_ordered
             else q.scale_of(i).valid_codes() or (q.scale_of(i).min, q.scale_of(i).max) for i in items}
    lo = {i: min(c) for i, c in codes.items()}  # end points of the scale (a yes/no item: its two codes)
    hi = {i: max(c) for i, c in codes.items()}
    return pls_pm(data.scored_items()[items], blocks, paths, scheme=scheme, scaled=False, scale_min=lo,
                  scale_max=hi, n_boot=n_boot, seed=seed, ci_level=ci_level)
