"""The questionnaire definition: a validated, immutable description of a study.

A questionnaire says which columns of an export hold which items, on which
scales, which codes mean "missing", which items are reverse-worded, how items
form constructs, and which roles (satisfaction, loyalty, NPS, perceived
benefits and sacrifices ...) later analyses read. It is written in YAML
(``questionnaires/*.yaml``) and validated once by
:func:`surveykit.load_questionnaire`, which reports every problem at once.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal, Union

from pydantic import BeforeValidator

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator

__all__ = [
    "Text",
    "ColumnRef",
    "Scale",
    "Item",
    "Matrix",
    "OtherSpecify",
    "ShownIf",
    "Construct",
    "OpenTextField",
    "QualityRules",
    "LoyaltyRole",
    "DriversRole",
    "InvarianceSpec",
    "KanoPair",
    "ServqualRole",
    "Questionnaire",
    "ROLE_NAMES",
    "SCHEMA_VERSION",
]

SCHEMA_VERSION = 1
IDENTIFIER = r"^[A-Za-z_][A-Za-z0-9_]*$"
_IDENT_RE = re.compile(IDENTIFIER)

# Roles later analyses read. A role names a construct or an item, or maps
# sub-dimensions to constructs / items (perceived benefits -> product, service ...).
ROLE_NAMES = (
    "satisfaction",
    "loyalty",
    "nps",
    "repurchase",
    "price_tolerance",
    "perceived_value",
    "perceived_quality",
    "expectations",
    "image",
    "complaints",
    "perceived_benefits",
    "perceived_sacrifices",
    "customer_id",
    "service_expectations",
    "service_perceptions",
    "drivers",
    "kano",
    "servqual",
)
RoleName = Literal[ROLE_NAMES]  # type: ignore[valid-type]

ScaleType = Literal["likert", "rating", "single_choice", "multiple_choice", "ranking", "numeric", "open_text"]
CODED_TYPES = ("likert", "rating", "single_choice", "multiple_choice", "ranking")
# question types read into one column per option, ``{item}_{code}`` (0/1 chosen, or the rank given)
OPTION_TYPES = ("multiple_choice", "ranking")
ORDERED_TYPES = ("likert", "rating")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Model):
    """A text in Chinese, English, or both. In YAML a plain string is also accepted."""

    zh: str | None = None
    en: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value):
        if isinstance(value, str):
            return {"zh": value} if _has_cjk(value) else {"en": value}
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return {"en": str(value)}
        return value

    @model_validator(mode="after")
    def _not_empty(self):
        if not (self.zh or self.en):
            raise ValueError("a text needs 'zh' or 'en'")
        return self

    def get(self, language: str = "zh") -> str:
        """The text in ``language`` ('zh', 'en' or 'both'), falling back to the other one."""
        if language == "both" and self.zh and self.en and self.zh != self.en:
            return f"{self.zh} / {self.en}"
        if language == "en":
            return self.en or self.zh or ""
        return self.zh or self.en or ""

    def variants(self) -> tuple[str, ...]:
        """Every non-empty form of the text (used to match export headers and labels)."""
        return tuple(t for t in (self.zh, self.en) if t)

    def __str__(self) -> str:  # pragma: no cover - convenience
        return self.get("both")


class ColumnRef(_Model):
    """Where a variable sits in an export: a column name and other names it goes by.

    ``aliases`` lets one questionnaire read several export layouts: 问卷星 calls
    the respondent number ``序号``, Qualtrics ``ResponseId``.
    """

    column: str
    aliases: tuple[str, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value):
        return {"column": value} if isinstance(value, str) else value

    def names(self) -> tuple[str, ...]:
        return (self.column, *self.aliases)


class DurationRef(ColumnRef):
    """The column holding time spent on the questionnaire."""

    unit: Literal["seconds", "minutes"] = "seconds"


Code = Union[int, float]


def _missing_codes(value):
    """Missing codes are a list of codes, or a mapping code -> label (so label text maps too)."""
    if value is None or isinstance(value, dict):
        return value
    if isinstance(value, (list, tuple)):
        return {c: None for c in value}
    return value


MissingCodes = Annotated[
    dict[Code, Union[Text, None]],
    BeforeValidator(_missing_codes, json_schema_input_type=Union[list[Code], dict[Code, Union[Text, None]]]),
]


class Scale(_Model):
    """A response scale: Likert, 0-10 rating, single or multiple choice, numeric or open text."""

    type: ScaleType
    min: float | None = None
    max: float | None = None
    labels: dict[Code, Text] = Field(default_factory=dict)
    missing_codes: MissingCodes | None = None
    separator: str | None = Field(
        None, description="multiple_choice in one column: the separator between chosen options"
    )

    @model_validator(mode="after")
    def _check(self):
        t = self.type
        if t in ORDERED_TYPES:
            if self.min is None or self.max is None:
                raise ValueError(f"a {t} scale needs 'min' and 'max'")
            if self.min >= self.max:
                raise ValueError(f"'min' ({self.min:g}) must be below 'max' ({self.max:g})")
            outside = [k for k in self.labels if not (self.min <= k <= self.max)]
            if outside:
                raise ValueError(
                    f"labels {outside} lie outside the scale {self.min:g}-{self.max:g}"
                )
        if t in ("single_choice", "multiple_choice", "ranking") and not self.labels:
            raise ValueError(f"a {t} scale needs 'labels' (code: option text)")
        if t == "numeric" and self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("'min' must not be above 'max'")
        if t == "open_text" and self.labels:
            raise ValueError("an open_text scale takes no 'labels'")
        return self

    @property
    def is_coded(self) -> bool:
        return self.type in CODED_TYPES

    @property
    def is_ordered(self) -> bool:
        return self.type in ORDERED_TYPES

    def valid_codes(self) -> tuple[float, ...] | None:
        """The codes an answer may take, or None where any number in range is valid."""
        if self.type in ORDERED_TYPES:
            lo, hi = int(self.min), int(self.max)
            return tuple(float(c) for c in range(lo, hi + 1))
        if self.type in ("single_choice", "multiple_choice"):
            return tuple(float(c) for c in self.labels)
        if self.type == "ranking":  # the ranks 1..k of k options
            return tuple(float(r) for r in range(1, len(self.labels) + 1))
        return None

    def describe_range(self) -> str:
        if self.type in ORDERED_TYPES:
            return f"{self.min:g}-{self.max:g}"
        if self.type in ("single_choice", "multiple_choice"):
            return ", ".join(f"{k:g}" for k in self.labels)
        if self.type == "ranking":
            return f"ranks 1-{len(self.labels)}"
        lo = "-inf" if self.min is None else f"{self.min:g}"
        hi = "inf" if self.max is None else f"{self.max:g}"
        return f"{lo} to {hi}"


# -- question types: matrix rows, "other, please specify", skip logic (issue 16) ----------------

class Matrix(_Model):
    """A matrix (grid) question: one stem said once; its rows are the items with ``matrix: <id>``.

    The row items carry the short row text (``前台服务``); the export's header is matched as
    ``stem—row`` (问卷星), ``stem - row`` (Qualtrics' question-text row) or the row alone.
    """

    stem: Text


class OtherSpecify(_Model):
    """An open-text item holding the "other, please specify" text of one option of a choice item."""

    item: str = Field(description="the single- or multiple-choice item")
    option: Code = Field(description="the code of its 'other' option")


class ShownIf(_Model):
    """Display (skip) logic: the item is shown only to respondents who gave one of ``codes`` to ``item``.

    An empty answer of a respondent to whom it was not shown counts as "not shown", apart
    from "not answered" (问卷星 writes ``(跳过)`` / ``-3`` itself; Qualtrics leaves the cell empty).
    """

    item: str
    codes: tuple[Code, ...] = Field(min_length=1)


class Item(_Model):
    """One question (or one row of a grid) and the export column that holds it."""

    id: Annotated[str, Field(pattern=IDENTIFIER)]
    text: Text
    scale: str
    column: str | None = Field(None, description="column name in the export; defaults to the id")
    aliases: tuple[str, ...] = ()
    reverse: bool = False
    missing_codes: MissingCodes | None = Field(
        None, description="replaces the scale's or the questionnaire's missing codes for this item"
    )
    matrix: str | None = Field(None, description="the matrix (under 'matrices') this item is a row of")
    specify: OtherSpecify | None = Field(
        None, description="open_text only: the 'other, please specify' text of an option of a choice item")
    shown_if: ShownIf | None = Field(None, description="display logic: shown only when another item has these codes")

    @property
    def source_column(self) -> str:
        return self.column or self.id


class Construct(_Model):
    """A multi-item scale scored as the mean of its (reverse-coded) items."""

    label: Text
    items: tuple[str, ...] = Field(min_length=1)
    min_valid: int | None = Field(
        None, ge=1, description="answers needed for a score; default: half the items, rounded up"
    )

    @model_validator(mode="after")
    def _check(self):
        if len(set(self.items)) != len(self.items):
            raise ValueError("an item is listed twice")
        if self.min_valid is not None and self.min_valid > len(self.items):
            raise ValueError(
                f"'min_valid' ({self.min_valid}) is larger than the number of items ({len(self.items)})"
            )
        return self

    @property
    def required_answers(self) -> int:
        return self.min_valid if self.min_valid is not None else -(-len(self.items) // 2)


class OpenTextField(_Model):
    """An open-ended question and the theme dictionary used to code it."""

    item: str
    themes: str | None = Field(None, description="theme-dictionary file, relative to the questionnaire")


class QualityRules(_Model):
    """Thresholds of the data-quality checks (see :func:`surveykit.validate`)."""

    max_missing_share: float = Field(0.5, gt=0, le=1)
    speeder_seconds: float | None = Field(
        None, gt=0, description="respondents faster than this are speeders"
    )
    speeder_median_ratio: float | None = Field(
        0.33, gt=0, lt=1, description="or faster than this share of the median duration"
    )
    keep_partials: bool = Field(
        False, description="keep unfinished responses (Qualtrics Finished = 0 or Progress < 100): "
                           "'partial' is then a note, not an error")
    duplicate_min_answered: int = Field(
        5, ge=1, description="duplicate_submission: identical answers count only when at least this many items are answered")
    duplicate_same_ip: bool = Field(
        False, description="duplicate_submission: also require the same IP address (when the export has one)")
    duplicate_within_seconds: float | None = Field(
        None, gt=0, description="duplicate_submission: also require submission times this close (when the export has them)")
    straightline_grids: tuple[str, ...] | None = Field(
        None, description="constructs checked for straight-lining; default: every construct of >= 4 items on one ordered scale"
    )


class LoyaltyRole(_Model):
    """The ``loyalty`` role with its options (a plain construct or item name is also accepted).

    The loyalty index averages ``items`` (a construct's items, or the items listed) with the ``repurchase`` and
    ``price_tolerance`` items; the 0-10 recommend item (role ``nps``) joins it only with
    ``include_recommend: true``, each item rescaled by its own scale.
    """

    items: str | tuple[str, ...] = Field(description="the construct that measures loyalty, or its item ids")
    include_recommend: bool = Field(
        False, description="also average the 'nps' role's 0-10 recommend item into the loyalty index")


class DriversRole(_Model):
    """The ``drivers`` role: an outcome and the constructs that drive it (drivers and IPA).

    ``{outcome: satisfaction, drivers: [hardware, service, food]}`` fits any study:
    quality dimensions, SERVQUAL dimensions or the parts of perceived value. Without this
    role the drivers are the ``perceived_benefits`` and ``perceived_sacrifices`` parts and
    the outcome the satisfaction index.
    """

    outcome: str = Field(description="the construct (or item) driven; scored as a 0-100 index")
    drivers: tuple[str, ...] = Field(min_length=2, description="the driver constructs (or items)")

    @model_validator(mode="after")
    def _check(self):
        if len(set(self.drivers)) != len(self.drivers):
            raise ValueError("a driver is listed twice")
        if self.outcome in self.drivers:
            raise ValueError(f"the outcome {self.outcome!r} is also listed as a driver")
        return self


# -- the satisfaction methods' roles (KANO, SERVQUAL) ----------------------------------------------
class KanoPair(_Model):
    """One attribute of the ``kano`` role: the functional and the dysfunctional question asked about it.

    ``kano: {wifi: {functional: kf_wifi, dysfunctional: kd_wifi, label: {zh: 免费 Wi-Fi, en: Free Wi-Fi}}}``;
    both items are on a scale coded 1 我很喜欢 / Like, 2 理所当然 / Must-be, 3 无所谓 / Neutral,
    4 能忍受 / Live with, 5 我很不喜欢 / Dislike.
    """

    functional: str = Field(description="the item asking how the respondent feels if the attribute is present")
    dysfunctional: str = Field(description="the item asking how the respondent feels if it is absent")
    label: Text | None = Field(None, description="the attribute's name in tables and figures; default: its key")


class ServqualRole(_Model):
    """Options of the SERVQUAL gaps between the roles ``service_expectations`` and ``service_perceptions``.

    By default the k-th expectation item of a dimension pairs with the k-th perception item of
    the same dimension (the dimensions are the two roles' keys); ``pairs`` names them
    explicitly. ``importance`` gives each dimension its points out of 100 (the respondents'
    stated importance, Parasuraman, Zeithaml & Berry 1991) for the weighted SERVQUAL score.
    """

    pairs: dict[str, str] | None = Field(None, description="expectation item -> its perception item")
    importance: dict[str, float] | None = Field(None, description="dimension -> importance points, summing to 100")


RoleValue = Union[LoyaltyRole, DriversRole, ServqualRole, str, dict[str, str], dict[str, KanoPair]]
_ROLE_EXAMPLES = {"drivers": "{outcome: satisfaction, drivers: [hardware, service, food]}",
                  "loyalty": "{items: loyalty, include_recommend: true}",
                  "servqual": "{importance: {tangibles: 20, reliability: 30, ...}}",
                  "kano": "{wifi: {functional: kf_wifi, dysfunctional: kd_wifi}}"}


# -- measurement invariance before segment comparisons (issue 19) ----------------------------
class InvarianceSpec(_Model):
    """The ``invariance`` option: segments whose levels are compared only after the measurement
    model is shown to hold across them (the report's structural section tests each).

    ``{segments: [gender], constructs: [perceived_value, satisfaction, loyalty]}``; without
    ``constructs``, every construct with two or more items.
    """

    segments: tuple[str, ...] = Field(min_length=1, description="segment items (listed under 'segments') to test")
    constructs: tuple[str, ...] = Field((), description="the constructs of the measurement model tested; "
                                                        "default every construct with two or more items")


def _invariance_problems(q) -> list[str]:
    spec = q.invariance
    if spec is None:
        return []
    problems = [f"invariance.segments[{k}]: {s!r} is not listed under 'segments' (segments: "
                f"{', '.join(map(repr, q.segments)) or 'none'})" for k, s in enumerate(spec.segments)
                if s not in q.segments]
    for k, c in enumerate(spec.constructs):
        if c not in q.constructs:
            problems.append(f"invariance.constructs[{k}]: unknown construct {c!r} (constructs: "
                            f"{', '.join(map(repr, q.constructs)) or 'none'})")
        elif len(q.constructs[c].items) < 2:
            problems.append(f"invariance.constructs[{k}]: {c!r} has one item; a factor of the measurement model "
                            "needs two or more")
    return problems
# -- end invariance (issue 19) ----------------------------------------------------------------


class Questionnaire(_Model):
    """A validated questionnaire definition. Build it with :func:`surveykit.load_questionnaire`."""

    schema_version: Literal[1]
    id: Annotated[str, Field(pattern=IDENTIFIER)]
    title: Text
    language: Literal["zh", "en", "both"] = "zh"
    respondent_id: ColumnRef
    weight: ColumnRef | None = None
    duration: DurationRef | None = None
    missing_codes: MissingCodes = Field(default_factory=dict)
    scales: dict[str, Scale]
    matrices: dict[str, Matrix] = Field(default_factory=dict, description="grid questions: id -> stem")
    items: tuple[Item, ...] = Field(min_length=1)
    constructs: dict[str, Construct] = Field(default_factory=dict)
    roles: dict[RoleName, RoleValue] = Field(default_factory=dict)
    segments: tuple[str, ...] = ()
    invariance: InvarianceSpec | None = None  # issue 19: segments tested for measurement invariance
    open_text: tuple[OpenTextField, ...] = ()
    quality: QualityRules = Field(default_factory=QualityRules)
    source: str | None = Field(None, exclude=True, description="file the definition was read from")
    _items_by_id: dict[str, Item] = PrivateAttr(default_factory=dict)

    @field_validator("scales", "constructs", "matrices")
    @classmethod
    def _identifier_keys(cls, value: dict):
        bad = [k for k in value if not _IDENT_RE.match(str(k))]
        if bad:
            raise ValueError(f"names must be identifiers (letters, digits, _): {bad}")
        return value

    @field_validator("roles", mode="before")
    @classmethod
    def _role_options(cls, value):
        """``drivers`` and ``loyalty`` (with options) are mappings of their own shape, not part maps."""
        if not isinstance(value, dict):
            return value
        out, problems = dict(value), []
        for key, model in (("drivers", DriversRole), ("loyalty", LoyaltyRole)):
            v = out.get(key)
            if isinstance(v, dict):
                try:
                    out[key] = model.model_validate(v)
                except ValidationError as exc:
                    problems += [f"{'.'.join(str(p) for p in (key, *e['loc']))}: {e['msg'].removeprefix('Value error, ')} "
                                 f"(e.g. {_ROLE_EXAMPLES[key]})" for e in exc.errors()]
        problems += _satisfaction_role_options(out)
        if problems:
            raise ValueError("; ".join(problems))
        if isinstance(out.get("drivers"), str):
            raise ValueError(f"roles.drivers: give the outcome and its drivers, e.g. {_ROLE_EXAMPLES['drivers']}")
        return out

    @field_validator("roles", mode="after")
    @classmethod
    def _options_where_they_belong(cls, value: dict):
        wrong = [key for key, v in value.items()
                 if (isinstance(v, (DriversRole, LoyaltyRole)) and key not in ("drivers", "loyalty"))
                 or (isinstance(v, ServqualRole) and key != "servqual")
                 or (isinstance(v, dict) and key != "kano" and any(isinstance(x, KanoPair) for x in v.values()))]
        if wrong:
            raise ValueError("; ".join(f"roles.{key}: must name a construct or item, or map parts to them"
                                       for key in wrong))
        return value

    @model_validator(mode="after")
    def _satisfaction_roles(self):
        """The KANO items on the five-option scale; every expectation item with a perception partner."""
        from ._satisfaction import kano_problems

        problems = kano_problems(self)
        if self.roles.get("service_expectations") is not None or self.roles.get("service_perceptions") is not None:
            try:
                self.servqual_design()
            except ValueError as exc:
                problems.append(str(exc))
        elif "servqual" in self.roles:
            problems.append("roles.servqual: the SERVQUAL options need the roles 'service_expectations' and "
                            "'service_perceptions'")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @model_validator(mode="after")
    def _question_type_references(self):
        """``matrix``, ``specify`` and ``shown_if`` of each item name what exists (issue 16)."""
        problems = []
        ids = {it.id: it for it in self.items}
        for k, it in enumerate(self.items):
            where = f"items[{k}] (id {it.id!r})"
            if it.matrix is not None and it.matrix not in self.matrices:
                problems.append(f"{where}.matrix: unknown matrix {it.matrix!r} "
                                f"(matrices: {', '.join(map(repr, self.matrices)) or 'none defined'})")
            for key, ref in (("specify", it.specify), ("shown_if", it.shown_if)):
                if ref is None:
                    continue
                other = ids.get(ref.item)
                scale = self.scales.get(other.scale) if other is not None else None
                codes = ([ref.option] if key == "specify" else list(ref.codes))
                if other is None:
                    problems.append(f"{where}.{key}.item: unknown item {ref.item!r}")
                elif key == "specify" and (scale is None or scale.type not in ("single_choice", "multiple_choice")):
                    problems.append(f"{where}.specify.item: {ref.item!r} is not a single- or multiple-choice item")
                elif scale is not None and scale.labels and (bad := [c for c in codes if c not in scale.labels]):
                    problems.append(f"{where}.{key}: {', '.join(f'{c:g}' for c in bad)} is no option of "
                                    f"{ref.item!r} (options: {scale.describe_range()})")
            if it.specify is not None and (s := self.scales.get(it.scale)) is not None and s.type != "open_text":
                problems.append(f"{where}.specify: only an open_text item holds an 'other, please specify' text")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @model_validator(mode="after")
    def _invariance_references(self):
        """``invariance`` names listed segments and multi-item constructs (issue 19)."""
        problems = _invariance_problems(self)
        if problems:
            raise ValueError("; ".join(problems))
        return self

    # -- lookups ---------------------------------------------------------------------------
    def item(self, item_id: str) -> Item:
        try:
            return self._items_by_id[item_id]
        except KeyError:
            raise KeyError(f"the questionnaire {self.id!r} has no item {item_id!r}") from None

    def model_post_init(self, __context) -> None:
        self._items_by_id = {it.id: it for it in self.items}

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(it.id for it in self.items)

    def scale_of(self, item_id: str) -> Scale:
        return self.scales[self.item(item_id).scale]

    def missing_codes_for(self, item_id: str) -> dict[float, Text | None]:
        """Codes that mean "no answer" for an item, with their labels.

        The item's own list replaces its scale's, which replaces the questionnaire's default
        (so ``missing_codes: []`` on an item switches the default off for it).
        """
        item = self.item(item_id)
        scale = self.scales[item.scale]
        for codes in (item.missing_codes, scale.missing_codes, self.missing_codes):
            if codes is not None:
                return {float(c): lab for c, lab in codes.items()}
        return {}

    def items_of(self, construct: str) -> tuple[str, ...]:
        try:
            return self.constructs[construct].items
        except KeyError:
            known = ", ".join(repr(c) for c in self.constructs) or "none"
            raise KeyError(
                f"the questionnaire {self.id!r} has no construct {construct!r} (constructs: {known})"
            ) from None

    def resolve_role(self, role: str) -> tuple[str, ...]:
        """The items behind a role, whether it names a construct, an item or a mapping of them.

        For ``loyalty`` with options, its ``items``; for ``drivers``, the items
        of the driver constructs (the outcome's are ``resolve_outcome()``'s).
        """
        ref = self.roles.get(role)
        if ref is None:
            return ()
        if isinstance(ref, LoyaltyRole):
            refs = (ref.items,) if isinstance(ref.items, str) else ref.items
        elif isinstance(ref, DriversRole):
            refs = ref.drivers
        else:
            refs = ref.values() if isinstance(ref, dict) else (ref,)
        out: list[str] = []
        for r in refs:
            out.extend(self.constructs[r].items if r in self.constructs else (r,))
        return tuple(out)

    def kano_attributes(self) -> dict[str, KanoPair]:
        """The ``kano`` role: attribute -> its functional and dysfunctional items ({} without the role)."""
        return dict(self.roles.get("kano") or {})

    def servqual_design(self) -> tuple[dict[str, str], dict[str, list[str]], dict[str, float] | None]:
        """(pairs expectation -> perception item, dimension -> expectation items, importance or None).

        From the roles ``service_expectations`` and ``service_perceptions`` (each a construct,
        an item, or dimension -> construct / item) and the options of the ``servqual`` role.
        Raises ValueError naming every expectation item without a perception partner (and
        every perception item left over).
        """
        from ._satisfaction import servqual_design

        return servqual_design(self)

    @property
    def recommend_in_loyalty(self) -> bool:
        """Whether the loyalty index includes the 0-10 recommend item (``loyalty: {include_recommend: true}``)."""
        ref = self.roles.get("loyalty")
        return isinstance(ref, LoyaltyRole) and ref.include_recommend

    def stem_of(self, item_id: str) -> Text | None:
        """The stem of the matrix an item is a row of (None for a stand-alone question)."""
        m = self.item(item_id).matrix
        return None if m is None else self.matrices[m].stem

    def label(self, text: Text | None, language: str | None = None) -> str:
        return "" if text is None else text.get(language or self.language)


def _satisfaction_role_options(roles: dict) -> list[str]:
    """Build the ``kano`` and ``servqual`` roles' models in place; their shape problems, located."""
    problems = []
    kano = roles.get("kano")
    if kano is not None:
        if not isinstance(kano, dict) or not kano:
            problems.append(f"roles.kano: map each attribute to its two questions, e.g. {_ROLE_EXAMPLES['kano']}")
        else:
            built = {}
            for attr, pair in kano.items():
                try:
                    built[attr] = pair if isinstance(pair, KanoPair) else KanoPair.model_validate(pair)
                except ValidationError as exc:
                    problems += [f"roles.kano.{'.'.join(str(p) for p in (attr, *e['loc']))}: "
                                 f"{e['msg'].removeprefix('Value error, ')} (e.g. {_ROLE_EXAMPLES['kano']})"
                                 for e in exc.errors()]
            roles["kano"] = built
    options = roles.get("servqual")
    if options is not None and not isinstance(options, ServqualRole):
        try:
            roles["servqual"] = ServqualRole.model_validate(options)
        except ValidationError as exc:
            problems += [f"roles.servqual{''.join('.' + str(p) for p in e['loc'])}: "
                         f"{e['msg'].removeprefix('Value error, ')} (e.g. {_ROLE_EXAMPLES['servqual']})"
                         for e in exc.errors()]
    return problems


_CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _has_cjk(s: str) -> bool:
    return bool(_CJK_RE.search(s))
