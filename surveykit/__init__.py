"""surveykit: questionnaire-driven analysis of customer-satisfaction and customer-value surveys.

>>> import surveykit as sk
>>> q = sk.load_questionnaire("customer_value")
>>> data = sk.example_data()          # the bundled example study, read from its 问卷星 export
>>> sk.validate(data).is_valid
True

Importing surveykit imports no plotting or text library and changes no global state.
"""

from __future__ import annotations

import functools

from ._version import __version__ as __version__

# Lazy public face (PEP 562, issue 18): `import surveykit` loads no wing; each public name is imported from
# its module on first use (`sk.nps`, `from surveykit import nps`), so reading a file does not pay for scipy,
# statsmodels or the text wing.  Every name in __all__ is listed here under the module that defines it.
_PUBLIC = {
    ".data": ("ReadAudit", "SurveyData"),
    ".descriptives": ("ItemDescriptives", "SurveyDescriptives", "describe_items",
                      # question types (issue 16): frequencies of single-choice, multiple-choice and ranking questions
                      "FrequencyTable", "frequencies", "multiple_response", "ranking_summary"),
    ".errors": ("DataError", "DataQualityWarning", "EmptyDataError", "QuestionnaireError", "SurveykitError",
                "SurveykitWarning"),
    ".indices": ("BannerResult", "BootstrapResult", "BoxResult", "DriversResult", "IndexResult", "IPAResult",
                 "NPSResult", "PLSResult", "RakeResult", "WeightedMeanResult", "ValueResult",
                 "WeightedProportionsResult", "banner", "bootstrap_ci", "bottom_box", "composite_index",
                 "delivered_value", "ipa", "key_drivers", "loyalty_index", "nps", "perceived_value", "pls_pm", "rake",
                 "relationship_value", "satisfaction_index", "top_box", "weighted_mean", "weighted_proportions"),
    ".interpretation": ("Interpretation", "RuleSet"),
    ".io.responses": ("read_responses",),
    ".issues": ("Issue", "ValidationReport"),
    ".psychometrics": ("BartlettResult", "CFAResult", "EFAResult", "HarmanResult", "KMOResult",
                       "ParallelAnalysisResult", "ReliabilityResult", "bartlett", "cfa", "efa", "harman_test", "kmo",
                       "parallel_analysis", "reliability"),
    ".quality": ("clean", "validate"),
    ".questionnaire": ("Questionnaire", "load_questionnaire"),
    ".satisfaction": ("DiscriminationResult", "KanoResult", "PenaltyRewardResult", "ServqualResult",
                      "item_discrimination", "kano", "penalty_reward", "servqual"),
    ".scoring": ("construct_scores", "reverse_code"),
    ".structural": ("InvarianceResult", "MediationResult", "ModeratedMediationResult", "ModerationResult",
                    "SEMResult", "compare", "invariance", "mediation", "moderated_mediation", "moderation", "sem"),
    ".text": ("FieldThemes", "SurveyThemes", "ThemeCounts", "ThemeDictionary", "load_themes", "survey_themes",
              "theme_counts"),
    ".value": ("ABCResult", "CLVResult", "ConversionResult", "CustomerValueLink", "ProfitResult", "RepurchaseResult",
               "RFMResult", "TransactionAudit", "abc", "clv", "conversion_rate", "link_survey", "normalize_ids",
               "prepare_transactions", "profit_contribution", "read_transactions", "repurchase_rate", "rfm"),
    # issue 20: IPMA of a PLS model and significance stars by one convention
    "._stars": ("get_star_convention", "set_star_convention", "star_convention", "star_note", "stars"),
    ".indices.ipma": ("IPMAResult", "ipma"),
}
_MODULE_OF = {name: module for module, names in _PUBLIC.items() for name in names}


def __getattr__(name: str):
    """Import a public name (or a subpackage, ``sk.quality``) on first use and keep it in the namespace."""
    import importlib

    module = _MODULE_OF.get(name)
    if module is not None:
        value = getattr(importlib.import_module(module, __name__), name)
    elif not name.startswith("__"):
        try:
            value = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

__all__ = [
    "IPMAResult",
    "ipma",
    "stars",
    "star_note",
    "star_convention",
    "set_star_convention",
    "get_star_convention",
    "servqual",
    "penalty_reward",
    "kano",
    "item_discrimination",
    "ServqualResult",
    "PenaltyRewardResult",
    "KanoResult",
    "DiscriminationResult",
    "ABCResult",
    "BannerResult",
    "BartlettResult",
    "BootstrapResult",
    "BoxResult",
    "CFAResult",
    "CLVResult",
    "ConversionResult",
    "CustomerValueLink",
    "DataError",
    "DataQualityWarning",
    "DriversResult",
    "EFAResult",
    "EmptyDataError",
    "FieldThemes",
    "HarmanResult",
    "IPAResult",
    "IndexResult",
    "InvarianceResult",
    "Interpretation",
    "Issue",
    "ItemDescriptives",
    "KMOResult",
    "MediationResult",
    "ModeratedMediationResult",
    "ModerationResult",
    "NPSResult",
    "PLSResult",
    "ParallelAnalysisResult",
    "ProfitResult",
    "Questionnaire",
    "QuestionnaireError",
    "RFMResult",
    "RakeResult",
    "RuleSet",
    "ReadAudit",
    "ReliabilityResult",
    "RepurchaseResult",
    "SEMResult",
    "SurveyData",
    "SurveyDescriptives",
    "SurveyThemes",
    "SurveykitError",
    "SurveykitWarning",
    "ThemeCounts",
    "ThemeDictionary",
    "TransactionAudit",
    "ValidationReport",
    "ValueResult",
    "WeightedMeanResult",
    "WeightedProportionsResult",
    "abc",
    "banner",
    "bartlett",
    "bootstrap_ci",
    "bottom_box",
    "cfa",
    "clean",
    "clv",
    "compare",
    "composite_index",
    "construct_scores",
    "conversion_rate",
    "delivered_value",
    "describe_items",
    "efa",
    "example_data",
    "harman_test",
    "invariance",
    "ipa",
    "key_drivers",
    "kmo",
    "link_survey",
    "load_questionnaire",
    "load_themes",
    "loyalty_index",
    "mediation",
    "moderated_mediation",
    "moderation",
    "normalize_ids",
    "nps",
    "parallel_analysis",
    "perceived_value",
    "pls_pm",
    "prepare_transactions",
    "profit_contribution",
    "rake",
    "read_responses",
    "read_transactions",
    "relationship_value",
    "reliability",
    "repurchase_rate",
    "reverse_code",
    "rfm",
    "satisfaction_index",
    "sem",
    "survey_themes",
    "theme_counts",
    "top_box",
    "validate",
    "weighted_mean",
    "weighted_proportions",
    # question types (issue 16)
    "FrequencyTable",
    "frequencies",
    "multiple_response",
    "ranking_summary",
]


def example_data(layout: str = "wjx") -> SurveyData:
    """The bundled example study, generated (seeded) and read back from one of its exports.

    Parameters
    ----------
    layout : {'wjx', 'qualtrics', 'sav'}
        Which export to read: all three give the same coded responses.

    Returns
    -------
    SurveyData
        A copy of its own: the study is generated and read once per session and layout
        (seconds), and changing the copy changes no later call's.
    """
    import copy

    from .errors import check_option
    from .example.exports import LAYOUTS

    check_option("layout", layout, LAYOUTS, function="example_data")
    return copy.deepcopy(_example_data(layout))


@functools.lru_cache(maxsize=3)
def _example_data(layout: str) -> SurveyData:
    import tempfile

    from .example import write_example
    from .io.responses import read_responses

    with tempfile.TemporaryDirectory(prefix="surveykit-example-") as tmp:
        paths = write_example(tmp, layouts=(layout,), transactions=False)
        return read_responses(paths[layout], paths["questionnaire"])
