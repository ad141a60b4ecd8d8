"""Results that explain themselves: ``result.interpret(language, rules)``, from named, cited criteria.

Every result has ``interpret(language="zh", rules=None)``; these classes have an interpreter
(others raise ``NotImplementedError`` naming the class): ``ReliabilityResult``,
``ConstructReliability``, ``KMOResult``, ``BartlettResult``, ``EFAResult``,
``ParallelAnalysisResult``, ``HarmanResult``, ``CFAResult``, ``ConstructValidity``,
``SEMResult``, ``InvarianceResult``, ``PLSResult``, ``IPAResult``, ``IPMAResult``, ``NPSResult``,
``DriversResult``, ``SurveyDrivers``, ``MediationResult``, ``ModeratedMediationResult``,
``ModerationResult``, ``KanoResult``, ``ServqualResult``, ``PenaltyRewardResult``,
``DiscriminationResult``, ``BannerResult``, and the questionnaire layer's ``SurveyValueModel``,
``SurveyPLS``, ``SurveyIPMA`` and ``SurveyDiscrimination``, whose sentences name constructs and
items by their questionnaire labels (``interpret(result, labels=...)``; see :func:`interpreted_types`).

The report (:func:`surveykit.report.build_report`) shows each under the table it explains as
分析建议 / How to read and 智能分析 / Interpretation, and the references cited at the end.

The thresholds live in a :class:`RuleSet` (``DEFAULT_RULES``); an interpreter is a function
``(result, language, rules) -> Interpretation`` registered with ``@interpreter(ResultClass)``.

>>> import numpy as np, pandas as pd
>>> import surveykit as sk
>>> rng = np.random.default_rng(1)
>>> f = rng.normal(size=300)
>>> items = pd.DataFrame({f"q{i}": f + rng.normal(size=300) for i in range(4)})
>>> print(sk.reliability(items).interpret("en").sentences[1].text)
Cronbach's α = 0.743 meets the criterion α ≥ 0.70 (Nunnally, 1978).
"""

from __future__ import annotations

from . import factor, indices, models, psychometrics, satisfaction, structural  # noqa: F401  (they register the interpreters)
from .interpretation import Interpretation, Sentence, interpret, interpreted_types, interpreter
from .rules import DEFAULT_RULES, REFERENCES, RuleSet

__all__ = ["DEFAULT_RULES", "REFERENCES", "Interpretation", "RuleSet", "Sentence", "interpret", "interpreted_types",
           "interpreter"]
