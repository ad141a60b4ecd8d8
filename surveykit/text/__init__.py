"""Chinese open-ended feedback: tokenization (jieba), theme coding with negation, theme counts.

>>> from surveykit.text import TextAnalyzer, load_themes, theme_counts
>>> counts = theme_counts(["价格太贵了", "物流很快，客服态度不好", "无"], "customer_value")
>>> counts.to_frame().loc[["price", "service"], ["count", "negated_count"]].to_dict(orient="index")
{'price': {'count': 1, 'negated_count': 0}, 'service': {'count': 1, 'negated_count': 1}}

Importing this package imports no tokenizer: jieba (or rjieba) loads on first use.
"""

from .counts import ThemeCounts, theme_counts
from .normalize import answer_kinds, is_non_answer, non_answer_mask, normalize_text
from .survey import FieldThemes, SurveyThemes, survey_themes
from .themes import DuplicateKeywordWarning, ThemeDictionary, ThemeDictionaryError, load_themes
from .tokenize import TextAnalyzer, UserWordWarning

__all__ = [
    "DuplicateKeywordWarning",
    "FieldThemes",
    "SurveyThemes",
    "TextAnalyzer",
    "ThemeCounts",
    "ThemeDictionary",
    "ThemeDictionaryError",
    "UserWordWarning",
    "answer_kinds",
    "is_non_answer",
    "load_themes",
    "non_answer_mask",
    "normalize_text",
    "survey_themes",
    "theme_counts",
]
