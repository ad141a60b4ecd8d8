"""Theme dictionaries: which words code which theme, and when a mention is negated.

A theme dictionary is a YAML file under ``questionnaires/themes/`` (or anywhere)::

    schema_version: 1
    language: zh                  # language of the theme names in results (zh or en)
    user_words: [客服态度]          # kept whole by the tokenizer (keywords are added already)
    stop_words: [亲]               # added to the analyzer's stop words
    negators: [不, 没, 没有, ...]   # replaces DEFAULT_NEGATORS
    negated_forms: [不好, 不行]     # replaces DEFAULT_NEGATED_FORMS
    negation_window: 3            # tokens
    themes:
      price:
        name: {zh: 价格, en: Price}
        keywords: [价格, 贵, 便宜, 双11]   # phrases too: check in, Wi-Fi, 5G套餐
        synonyms: {价钱: 价格, expensive: 贵}   # or a list, mapped to the first keyword
        sub_themes:
          value_for_money:
            name: {zh: 性价比, en: Value for money}
            keywords: [性价比, 划算]

:func:`load_themes` reads and checks a file (every problem at once, with its location) and
returns a frozen :class:`ThemeDictionary`, which builds its own
:class:`~surveykit.text.tokenize.TextAnalyzer` and codes comments (see
:meth:`ThemeDictionary.explain` for the rules). Counting over respondents is
:func:`surveykit.text.counts.theme_counts`.
"""

from __future__ import annotations

import os
import re
import unicodedata
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from .._labels import LANGUAGES
from .._render import Summary
from .._result import Result
from .._yaml import BUNDLED_DIR, UniqueKeyLoader, yaml_message
from ..errors import QuestionnaireError, SurveykitWarning
from ._coding import comment_tokens, matcher

__all__ = ["DEFAULT_NEGATED_FORMS", "DEFAULT_NEGATORS", "THEMES_DIR", "DuplicateKeywordWarning", "Theme",
           "ThemeDictionary", "ThemeDictionaryError", "bundled_themes", "load_themes"]

THEMES_DIR = BUNDLED_DIR / "themes"

#: Tokens that negate a keyword near them (jieba keeps each of these as one token or they
#: appear as one after its cut). English ones cover mixed comments (质量not good).
DEFAULT_NEGATORS = (
    "不", "没", "没有", "无", "未", "别", "毫无", "并不", "并没有", "并非", "不太", "不怎么", "不是", "不是很", "不算",
    "非", "从未", "从不", "从来不", "从来没有", "绝不", "决不", "没什么", "没啥", "一点也不", "一点都不", "无法",
    "不能", "not", "no", "never",
)
#: Single jieba tokens that carry a negation and act as negators (质量/不太好, 性价比/不高).
#: A token made of a negator and a keyword (不划算 with the keyword 划算) needs no entry.
DEFAULT_NEGATED_FORMS = (
    "不好", "不太好", "不高", "不行", "不够", "不值", "不划算", "不怎么样", "不快", "没用", "无用", "没坏", "没收",
    "不给力", "不如", "不满", "不佳", "不足", "不符", "不准", "不全", "不爽", "没法", "不美观", "不理",
)
_TOP_KEYS = ("schema_version", "language", "description", "user_words", "stop_words", "negators", "negated_forms",
             "negation_window", "themes")
_THEME_KEYS = ("name", "description", "keywords", "synonyms", "sub_themes")
_IDENT_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_WORD_PUNCT = "+#&._%-·"  # punctuation a keyword may hold (c++, 3.5kg, wi-fi); spaces too (check in)
#: The longest word a dictionary may list: the tokenizer stores every prefix of a user word, so a
#: word of L characters costs memory ~L²/2 (100,000 characters: ~10 GB); a keyword is a token, never a passage.
MAX_WORD_LENGTH = 100


class ThemeDictionaryError(QuestionnaireError):
    """A theme dictionary file is invalid; ``problems`` lists every ``(location, message)``."""

    what = "theme dictionary"


class DuplicateKeywordWarning(SurveykitWarning):
    """A word codes more than one theme (it is counted for each of them)."""


# ---------------------------------------------------------------------------------------------
# the model


@dataclass(frozen=True)
class Theme:
    """One theme (or sub-theme) of a dictionary.

    Attributes
    ----------
    id : str
        ``"price"``; a sub-theme's id is qualified by its parent: ``"price.promotion"``.
    name_zh, name_en : str
    keywords : tuple of str
        Words that mark a mention, as written in the file.
    synonyms : tuple of (word, keyword)
        Words normalised to one of the theme's keywords before matching.
    parent : str or None
        Id of the parent theme of a sub-theme.
    """

    id: str
    name_zh: str
    name_en: str
    keywords: tuple[str, ...]
    synonyms: tuple[tuple[str, str], ...] = ()
    parent: str | None = None

    def name(self, language: str = "zh") -> str:
        """The theme's name in ``language`` ('zh', 'en', or 'both': 'zh / en' when they differ)."""
        if language == "both" and self.name_zh != self.name_en:
            return f"{self.name_zh} / {self.name_en}"
        return self.name_en if language == "en" else self.name_zh

    @property
    def words(self) -> tuple[str, ...]:
        """Keywords and synonyms: every word that codes this theme."""
        return self.keywords + tuple(w for w, _ in self.synonyms)


@dataclass(frozen=True)
class ThemeDictionary(Result):
    """Themes, their keywords and the negation rules, read by :func:`load_themes`.

    Attributes
    ----------
    themes : tuple of Theme
        In file order, each sub-theme right after its parent.
    language : {'zh', 'en'}
        Language of the theme names in results.
    user_words, stop_words : tuple of str
        Extra words for the tokenizer to keep whole; extra stop words.
    negators, negated_forms : tuple of str
        Tokens that negate a keyword within ``negation_window`` tokens before or after it.
    negation_window : int
    source : str or None
        The file read (None for a mapping).

    Notes
    -----
    The dictionary builds its own :class:`~surveykit.text.tokenize.TextAnalyzer` on first use
    (:attr:`analyzer`, default backend): user words are every keyword and synonym plus
    ``user_words``, the synonyms map to their keywords, ``stop_words`` are added to the
    analyzer's bundled stop words. The analyzer, and the matcher and coder of the coding
    engine (``text/_coding.py``), are kept in a cache that is not pickled; an unpickled
    dictionary builds them again.
    """

    themes: tuple[Theme, ...]
    language: str = "zh"
    user_words: tuple[str, ...] = ()
    stop_words: tuple[str, ...] = ()
    negators: tuple[str, ...] = DEFAULT_NEGATORS
    negated_forms: tuple[str, ...] = DEFAULT_NEGATED_FORMS
    negation_window: int = 3
    source: str | None = None
    _cache: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    # -- access ---------------------------------------------------------------------------

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.themes)

    def __getitem__(self, theme_id: str) -> Theme:
        for t in self.themes:
            if t.id == theme_id:
                return t
        raise KeyError(f"No theme {theme_id!r} in the dictionary; themes: {', '.join(map(repr, self.ids))}")

    def __len__(self) -> int:
        return len(self.themes)

    def __iter__(self):
        return iter(self.themes)

    @property
    def name(self) -> str:
        return Path(self.source).stem if self.source else "<dict>"

    def to_frame(self) -> pd.DataFrame:
        """One row per theme: name_zh, name_en, parent, keywords, synonyms (``word=keyword``)."""
        return pd.DataFrame({"name_zh": [t.name_zh for t in self.themes], "name_en": [t.name_en for t in self.themes],
                             "parent": [t.parent for t in self.themes],
                             "keywords": [", ".join(t.keywords) for t in self.themes],
                             "synonyms": [", ".join(f"{w}={k}" for w, k in t.synonyms) for t in self.themes]},
                            index=pd.Index(self.ids, name="theme"))

    def summary(self) -> Summary:
        n_sub = sum(t.parent is not None for t in self.themes)
        lines = [(f"{len(self.themes) - n_sub} themes, {n_sub} sub-themes, {sum(len(t.words) for t in self.themes)} "
                  f"words; negation: {len(self.negators)} negators and {len(self.negated_forms)} negated forms "
                  f"within {self.negation_window} tokens before or after a keyword, in the same clause")]
        return Summary(title=f"Theme dictionary: {self.name}", lines=lines, tables=[("Themes", self.to_frame())])

    def __repr__(self) -> str:
        n_sub = sum(t.parent is not None for t in self.themes)
        return (f"<ThemeDictionary {self.name!r} themes={len(self.themes) - n_sub} sub_themes={n_sub} "
                f"words={sum(len(t.words) for t in self.themes)} negation_window={self.negation_window}>")

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_cache"] = {}  # the analyzer holds a jieba tokenizer (locks): rebuilt after unpickling
        return state

    # -- tokenizer and matcher ------------------------------------------------------------

    @property
    def synonym_map(self) -> dict[str, str]:
        return {w: k for t in self.themes for w, k in t.synonyms}

    @property
    def analyzer(self):
        """This dictionary's :class:`~surveykit.text.tokenize.TextAnalyzer` (built once, on first use)."""
        if "analyzer" not in self._cache:
            self._cache["analyzer"] = self._new_analyzer()
        return self._cache["analyzer"]

    def _new_analyzer(self, backend: str = "auto"):
        from .tokenize import TextAnalyzer

        words = list(dict.fromkeys([w for t in self.themes for w in t.words] + list(self.user_words)))
        return TextAnalyzer(user_words=words, extra_stop_words=self.stop_words, synonyms=self.synonym_map,
                            backend=backend)

    def _with_backend(self, backend: str) -> ThemeDictionary:
        """A copy of this dictionary whose analyzer uses ``backend`` ('jieba' to check rjieba's counts)."""
        from dataclasses import replace

        other = replace(self)
        other._cache["analyzer"] = self._new_analyzer(backend)
        return other

    def explain(self, text: str) -> pd.DataFrame:
        """Every theme mention in one comment, and why it is (not) negated.

        Parameters
        ----------
        text : str

        Returns
        -------
        DataFrame
            One row per mention: clause (0-based), token, keyword, themes (ids, the parent
            included), negated, negator (the token that negates it, ``""`` if none).

        Notes
        -----
        The comment is cut into tokens by the dictionary's analyzer (normalized: half-width,
        lower case, simplified, markup removed; stop words and punctuation kept). Clauses end
        at sentence and clause punctuation (，。；！？…~ and their ASCII forms), at white
        space next to a Chinese character (价格不贵 质量好; "not good" stays one clause) and
        at a contrastive conjunction (但是, 不过, 可是 ...); the enumeration comma 、 does not
        end one.

        A token mentions a theme when it is one of its keywords or synonyms
        (case-insensitive); when it begins or ends with a keyword of two or more characters
        (产品质量, 包装盒: jieba keeps such compounds whole); or when it is a degree adverb and
        a one-character keyword (太贵). A keyword with a space, a hyphen or other punctuation, or
        mixing Latin letters or digits with Chinese (``check in``, ``Wi-Fi``, ``5G套餐``, ``双11``) is
        a phrase: the analyzer finds it in the normalized comment before cutting it (with or without
        its space or hyphen: "checkin", "wifi"; not inside a longer Latin word or number: "checking",
        "15G套餐") and it is one token. A mention is **negated** when

        * the token is a negator followed by a keyword (不划算, 不贵, 无破损);
        * a negator (``negators``) or a negated form (``negated_forms``: 不好, 不高 ...)
          stands at most ``negation_window`` tokens before it ("不 满意", "没有 问题"), or
          at most that many tokens after it ("质量 不太好", "性价比 不高", "售后 没有 人管"),
          in the same clause and with no other mention in between (价格便宜质量不好: 质量 is
          negated, 便宜 is not; in "价格不贵，质量好" 贵 is negated, 质量 is not).

        Negation is not sentiment: 不贵 is negated and favourable, 太贵了 is plain and
        unfavourable. Looking *after* the keyword as well differs on purpose from the usual
        "negator before the keyword" rule: in Chinese the theme is usually the topic and the
        negation sits in the comment on it (质量不太好, 性价比不高). A negator does not reach a
        second mention past the first (价格、质量都不好 negates 质量 only).

        Examples
        --------
        >>> from surveykit.text.themes import load_themes
        >>> themes = load_themes("customer_value")
        >>> themes.explain("价格不贵，质量好")[["token", "themes", "negated", "negator"]].values.tolist()
        [['价格', 'price', True, '不'], ['贵', 'price', True, '不'], ['质量', 'quality', False, '']]
        """
        tokens = comment_tokens([text], self.analyzer)[0] if isinstance(text, str) else []
        m = matcher(self)
        rows = [(c, tok, kw, ", ".join(self.themes[i].id for i in themes), neg, negator)
                for c, tok, kw, themes, neg, negator in m.scan(tokens)]
        return pd.DataFrame(rows, columns=["clause", "token", "keyword", "themes", "negated", "negator"])


# ---------------------------------------------------------------------------------------------
# loading


_BUNDLED: dict[tuple, ThemeDictionary] = {}


def bundled_themes(name: str) -> Path:
    """Path of a theme dictionary shipped with surveykit, e.g. ``bundled_themes("customer_service")``."""
    path = THEMES_DIR / (name if name.endswith((".yaml", ".yml")) else f"{name}.yaml")
    if not path.is_file():
        shipped = sorted(p.stem for p in THEMES_DIR.glob("*.yaml"))
        raise FileNotFoundError(f"No bundled theme dictionary {name!r}; shipped: {', '.join(map(repr, shipped))}. "
                                "Pass one of these names or the path of a YAML file.")
    return path


def load_themes(source: str | os.PathLike | dict | ThemeDictionary) -> ThemeDictionary:
    """Read and check a theme dictionary.

    Parameters
    ----------
    source : path, name, dict or ThemeDictionary
        A YAML file; a bare name such as ``"customer_service"`` naming a dictionary shipped
        with surveykit (``questionnaires/themes/``, installed as
        ``surveykit/_bundled/questionnaires/themes``); the already-parsed mapping; or a
        ThemeDictionary (returned as is).

    Returns
    -------
    ThemeDictionary

    Raises
    ------
    ThemeDictionaryError
        (a :class:`~surveykit.errors.QuestionnaireError`, so a ``ValueError``) listing
        *every* problem with its location, e.g. ``themes.price.keywords: theme 'price' has no
        keywords ...``: unknown keys, a theme without keywords or sub-themes, a synonym
        pointing to a word that is not a keyword of its theme, a bad id or window.
    FileNotFoundError
        A missing file, or an unknown bundled name (the message lists the shipped ones).

    Warns
    -----
    DuplicateKeywordWarning
        A word listed under two themes (both named); it counts for both.

    Notes
    -----
    YAML is read with a safe loader that refuses ``!!python`` tags and duplicate keys, as
    :func:`surveykit.load_questionnaire`. Keywords match case-insensitively. ``negators`` and
    ``negated_forms`` replace the defaults (:data:`DEFAULT_NEGATORS`,
    :data:`DEFAULT_NEGATED_FORMS`) when given; ``negation_window`` defaults to 3 tokens. See
    :meth:`ThemeDictionary.explain` for how mentions and negations are found.

    Examples
    --------
    >>> from surveykit.text.themes import load_themes
    >>> themes = load_themes("customer_value")
    >>> themes.ids
    ('price', 'quality', 'service', 'logistics', 'packaging')
    >>> themes["logistics"].name_en
    'Delivery'
    """
    if isinstance(source, ThemeDictionary):
        return source
    if isinstance(source, str) and not Path(source).exists() and not Path(source).suffix and "/" not in source \
            and os.sep not in source:
        path = bundled_themes(source)
        key = (str(path), path.stat().st_mtime_ns)
        if key not in _BUNDLED:  # shipped files are read once per session (and their analyzer built once)
            for old in [k for k in _BUNDLED if k[0] == key[0]]:  # an edited file replaces its old version
                del _BUNDLED[old]
            _BUNDLED[key] = load_themes(path)
        return _BUNDLED[key]
    if isinstance(source, dict):
        raw, name = source, "<dict>"
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            raise FileNotFoundError(f"Theme dictionary file not found: {str(path)!r}")
        name = str(path)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            msg = f"the file is not UTF-8 ({exc.reason} at byte {exc.start}); save it as UTF-8"
            raise ThemeDictionaryError(name, [("", msg)]) from None
        try:
            raw = yaml.load(text, Loader=UniqueKeyLoader)  # a safe loader subclass
        except yaml.YAMLError as exc:
            raise ThemeDictionaryError(name, [("", f"not valid YAML: {yaml_message(exc)}")]) from None
        except RecursionError:  # the YAML composer recurses once per level of nesting
            raise ThemeDictionaryError(name, [("", "nested too deeply to read (hundreds of levels); the file cannot be a "
                                    "theme dictionary, which has a few levels of keys and lists")]) from None
    else:
        raise TypeError(f"The 'source' parameter of load_themes must be a path, a bundled name, a dict or a "
                        f"ThemeDictionary. Got {type(source).__name__} instead.")
    if not isinstance(raw, dict):
        raise ThemeDictionaryError(name, [("", f"the file must hold a mapping of keys, found {type(raw).__name__}")])
    problems: list[tuple[str, str]] = []
    d = _parse(raw, problems)
    if problems:
        raise ThemeDictionaryError(name, problems)
    d = ThemeDictionary(**d, source=None if name == "<dict>" else name)
    _warn_duplicates(d)
    return d


def _strings(value: Any, loc: str, problems: list, *, what: str = "words") -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        problems.append((loc, f"must be a list of {what}, found {type(value).__name__}"))
        return ()
    out = []
    for i, v in enumerate(value):
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            v = str(v)  # YAML reads 3D or 360 as numbers
        if not isinstance(v, str) or not v.strip():
            problems.append((f"{loc}[{i}]", f"must be a non-empty text, found {v!r}"))
            continue
        if _too_long(v.strip(), f"{loc}[{i}]", problems):
            continue
        out.append(unicodedata.normalize("NFKC", v.strip()))
    return tuple(dict.fromkeys(out))


def _parse(raw: dict, problems: list) -> dict:
    for key in raw:
        if key not in _TOP_KEYS:
            problems.append((str(key), f"unknown key (keys: {', '.join(_TOP_KEYS)})"))
    if "schema_version" not in raw:
        problems.append(("schema_version", "required key is missing (write schema_version: 1)"))
    elif raw["schema_version"] != 1:
        problems.append(("schema_version", f"unsupported version {raw['schema_version']!r}; this surveykit reads 1"))
    language = raw.get("language", "zh")
    if language not in LANGUAGES:
        problems.append(("language", f"must be one of {', '.join(map(repr, LANGUAGES))}, found {language!r}"))
    out: dict[str, Any] = {"language": language}
    for key in ("user_words", "stop_words"):
        out[key] = _strings(raw.get(key), key, problems)
    for key, default in (("negators", DEFAULT_NEGATORS), ("negated_forms", DEFAULT_NEGATED_FORMS)):
        out[key] = _strings(raw[key], key, problems) if key in raw else default
    window = raw.get("negation_window", 3)
    if not isinstance(window, int) or isinstance(window, bool) or window < 0:
        problems.append(("negation_window", f"must be a whole number of tokens, 0 or more, found {window!r}"))
    out["negation_window"] = window
    themes = raw.get("themes")
    out["themes"] = ()
    if themes is None:
        problems.append(("themes", "required key is missing: map each theme id to its name and keywords"))
    elif not isinstance(themes, dict) or not themes:
        problems.append(("themes", "must map at least one theme id to its name and keywords"))
    else:
        out["themes"] = tuple(_parse_themes(themes, "themes", None, problems))
    return out


def _too_long(word: str, loc: str, problems: list) -> bool:
    """True (a problem recorded) for a word longer than :data:`MAX_WORD_LENGTH` characters."""
    if len(word) <= MAX_WORD_LENGTH:
        return False
    problems.append((loc, (f"a word of {len(word):,} characters ({word[:20]!r}...) is longer than the "
                           f"{MAX_WORD_LENGTH} a word may have; a keyword matches one token of a comment: list "
                           "the short words that mark the theme instead")))
    return True


def _check_word(word: str, loc: str, problems: list) -> None:
    if _too_long(word, loc, problems):
        return
    if not word or not any(ch.isalnum() for ch in word) \
            or any((ch.isspace() and ch != " ") or (unicodedata.category(ch)[0] in "PS" and ch not in _WORD_PUNCT)
                   for ch in word):
        problems.append((loc, (f"{word!r} is empty, holds no letter or digit, or holds punctuation other than "
                               f"spaces and {' '.join(_WORD_PUNCT)}; a keyword or phrase ('check in', 'Wi-Fi', "
                               "'5G套餐') marks a theme, a sentence does not: list its words separately")))


def _parse_themes(themes: dict, loc: str, parent: str | None, problems: list) -> list[Theme]:
    out: list[Theme] = []
    for tid, spec in themes.items():
        here = f"{loc}.{tid}"
        full = f"{parent}.{tid}" if parent else str(tid)
        if not isinstance(tid, str) or not _IDENT_RE.match(tid):
            problems.append((here, (f"theme id {tid!r} must be an identifier (letters, digits, _; not starting "
                                    "with a digit), e.g. after_sales; put the Chinese name under name.zh")))
            continue
        if not isinstance(spec, dict):
            problems.append((here, f"must be a mapping with name and keywords, found {type(spec).__name__}"))
            continue
        for key in spec:
            if key not in _THEME_KEYS:
                problems.append((f"{here}.{key}", f"unknown key (keys: {', '.join(_THEME_KEYS)})"))
        name = spec.get("name")
        if isinstance(name, str) and name.strip():
            zh = en = name.strip()
        elif isinstance(name, dict) and name and set(name) <= set(LANGUAGES) \
                and all(isinstance(v, str) and v.strip() for v in name.values()):
            zh = (name.get("zh") or name.get("en")).strip()
            en = (name.get("en") or name.get("zh")).strip()
        else:
            problems.append((f"{here}.name", "required: a text or {zh: ..., en: ...}" if name is None else
                             f"must be a text or a mapping with zh and/or en, found {name!r}"))
            zh = en = tid
        keywords = _strings(spec.get("keywords"), f"{here}.keywords", problems)
        for i, k in enumerate(keywords):
            _check_word(k, f"{here}.keywords[{i}]", problems)
        synonyms: list[tuple[str, str]] = []
        raw_syn = spec.get("synonyms")
        if isinstance(raw_syn, dict):
            for word, target in raw_syn.items():
                sloc = f"{here}.synonyms.{word}"
                word = unicodedata.normalize("NFKC", str(word).strip())
                _check_word(word, sloc, problems)
                if not isinstance(target, str) or not target.strip():
                    problems.append((sloc, f"must name one of the theme's keywords, found {target!r}"))
                elif unicodedata.normalize("NFKC", target.strip()) not in keywords:
                    problems.append((sloc, (f"{target!r} is not a keyword of theme {full!r} (keywords: "
                                            f"{', '.join(map(repr, keywords)) or 'none'}); add it to keywords or "
                                            "map the synonym to one of them")))
                elif word != target.strip():
                    synonyms.append((word, unicodedata.normalize("NFKC", target.strip())))
        elif raw_syn is not None:
            words = _strings(raw_syn, f"{here}.synonyms", problems)
            for i, w in enumerate(words):
                _check_word(w, f"{here}.synonyms[{i}]", problems)
            if words and not keywords:
                problems.append((f"{here}.synonyms", (f"a list of synonyms maps to the theme's first keyword, but "
                                                      f"theme {full!r} has no keywords")))
            synonyms += [(w, keywords[0]) for w in words if keywords and w != keywords[0]]
        subs: list[Theme] = []
        raw_subs = spec.get("sub_themes")
        if raw_subs is not None:
            if parent is not None:
                problems.append((f"{here}.sub_themes", ("sub-themes go one level deep only; make this a sub-theme "
                                                        f"of {parent!r} or a theme of its own")))
            elif not isinstance(raw_subs, dict) or not raw_subs:
                problems.append((f"{here}.sub_themes", "must map at least one sub-theme id to its name and keywords"))
            else:
                subs = _parse_themes(raw_subs, f"{here}.sub_themes", str(tid), problems)
        if not keywords and not synonyms and not subs:
            problems.append((f"{here}.keywords", f"theme {full!r} has no keywords" +
                             ("" if parent else " and no sub-themes") + "; list the words that mark it, or remove it"))
        out.append(Theme(full, zh, en, keywords, tuple(synonyms), parent))
        out += subs
    return out


def _warn_duplicates(d: ThemeDictionary) -> None:
    owners: dict[str, list[str]] = {}
    for t in d.themes:
        for w in t.words:
            owners.setdefault(w.lower(), []).append(t.id)
    dup = {w: ids for w, ids in owners.items() if len(set(ids)) > 1}
    if dup:
        listed = "; ".join(f"{w!r} in {' and '.join(map(repr, dict.fromkeys(ids)))}" for w, ids in dup.items())
        warnings.warn(f"{d.name}: {len(dup)} word{'s code' if len(dup) > 1 else ' codes'} more than one theme: "
                      f"{listed}. A mention counts for each of them (a sub-theme already counts for its parent); "
                      "remove the word from all but one theme if that is not intended.",
                      DuplicateKeywordWarning, stacklevel=3)
