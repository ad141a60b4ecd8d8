"""The report's own words in Chinese and English, read from ``report/locale/<lang>.yaml``.

One lookup, :func:`t`, for every sentence, title and column header of the report: the
questionnaire's language (or ``build_report(language=...)``) picks; ``'both'`` gives
"中文 / English". Keys are dotted paths into the YAML files (``'themes.read'``).
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

__all__ = ["column_names", "t"]


@cache
def _words(lang: str) -> dict:
    import yaml

    return yaml.safe_load(files("surveykit.report").joinpath("locale", f"{lang}.yaml").read_text(encoding="utf-8"))


def _lookup(key: str, lang: str):
    value = _words(lang)
    for part in key.split("."):
        value = value[part]
    return value


def _one(key: str, lang: str, fmt: dict):
    value = _lookup(key, lang)
    if not isinstance(value, str):
        return value
    # a callable value gives the word of each language (e.g. lambda L: t("themes.z", L))
    return value.format(**{k: v(lang) if callable(v) else v for k, v in fmt.items()}) if fmt else value


def t(key: str, lang: str, **fmt):
    """The report's words for ``key`` in ``lang`` ('zh', 'en' or 'both': "中文 / English").

    ``fmt`` fills the placeholders; a callable is given the language. A key whose value is a
    mapping (labels of codes) returns the mapping, each label "中文 / English" for 'both'.
    """
    if lang != "both":
        return _one(key, lang, fmt)
    zh, en = _one(key, "zh", fmt), _one(key, "en", fmt)
    if isinstance(zh, dict):
        return {k: f"{v} / {en[k]}" if isinstance(v, str) else v for k, v in zh.items()}
    return f"{zh} / {en}"


@cache
def column_names(lang: str) -> dict:
    """Column name -> header as the reader sees it: Chinese for 'zh', unchanged (snake_case, the
    package's column vocabulary) for 'en', "中文 / snake_case" for 'both'."""
    zh = _words("zh")["columns"]
    if lang == "zh":
        return dict(zh)
    if lang == "both":
        return {k: f"{v} / {k}" if v != k else v for k, v in zh.items()}
    return dict(_words("en")["columns"] or {})
