"""Reading questionnaire files: safe YAML, every problem reported at once."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .._checks import first_names
from .._yaml import BUNDLED_DIR, UniqueKeyLoader, yaml_message
from ..errors import QuestionnaireError
from .model import ORDERED_TYPES, ROLE_NAMES, Questionnaire

__all__ = ["load_questionnaire", "bundled_questionnaire", "BUNDLED_DIR"]


def bundled_questionnaire(name: str) -> Path:
    """Path of a questionnaire shipped with surveykit, e.g. ``bundled_questionnaire("acsi")``."""
    path = BUNDLED_DIR / (name if name.endswith((".yaml", ".yml")) else f"{name}.yaml")
    if not path.is_file():
        shipped = sorted(p.stem for p in BUNDLED_DIR.glob("*.yaml"))
        raise FileNotFoundError(f"No bundled questionnaire {name!r}; shipped: {', '.join(shipped)}")
    return path


def load_questionnaire(source: str | os.PathLike | dict) -> Questionnaire:
    """Read and validate a questionnaire definition.

    Parameters
    ----------
    source : path or dict
        A YAML file (see ``questionnaires/customer_value.yaml`` and the README), or the
        already-parsed mapping. A bare name such as ``"customer_value"`` that is not a file
        names a questionnaire shipped with surveykit.

    Returns
    -------
    Questionnaire
        Immutable and fully cross-checked: every item's scale, every construct's items, every
        role, segment and open-text field refers to something that exists.

    Raises
    ------
    QuestionnaireError
        Listing *every* problem found, each with its location, e.g.
        ``constructs.service.items[2]: unknown item 'svc_9'``.
    FileNotFoundError
        If the file does not exist.

    Notes
    -----
    YAML is read with a safe loader: tags such as ``!!python/object`` are refused, and a key
    given twice in one mapping is an error (plain YAML would silently keep the last one).

    Examples
    --------
    >>> import surveykit as sk
    >>> q = sk.load_questionnaire("customer_value")
    >>> q.constructs["satisfaction"].items
    ('sat_overall', 'sat_expect', 'sat_ideal')
    """
    base_dir: Path | None = None
    if isinstance(source, dict):
        raw, name = source, "<dict>"
    else:
        path = Path(source)
        if not path.exists() and not path.suffix and os.sep not in str(source):
            path = bundled_questionnaire(str(source))
        if not path.is_file():
            raise FileNotFoundError(f"Questionnaire file not found: {str(path)!r}")
        name, base_dir = str(path), path.parent
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise QuestionnaireError(name, [("", f"the file is not UTF-8 ({exc.reason} at byte {exc.start}); save it as UTF-8")]) from None
        try:
            raw = yaml.load(text, Loader=UniqueKeyLoader)  # noqa: S506 - safe loader subclass
        except yaml.YAMLError as exc:
            raise QuestionnaireError(name, [("", f"not valid YAML: {yaml_message(exc)}")]) from None
        except RecursionError:  # the YAML composer recurses once per level of nesting
            raise QuestionnaireError(name, [("", "nested too deeply to read (hundreds of levels); the file cannot be a "
                                    "questionnaire, which has a few levels of keys and lists")]) from None
    if not isinstance(raw, dict):
        raise QuestionnaireError(name, [("", f"the file must hold a mapping of keys, found {type(raw).__name__}")])

    problems = _structure_problems(raw) + _reference_problems(raw, base_dir)
    if problems:
        raise QuestionnaireError(name, _dedupe(problems))
    q = Questionnaire.model_validate({**raw, "source": None if base_dir is None else name})
    return q


# -- problems -------------------------------------------------------------------------------

def _structure_problems(raw: dict) -> list[tuple[str, str]]:
    try:
        Questionnaire.model_validate(raw)
    except ValidationError as exc:
        out = []
        for err in exc.errors():
            loc = _format_loc(err["loc"], raw)
            msg = err["msg"]
            if err["type"] == "extra_forbidden":
                msg = "unknown key (check the spelling; see questionnaires/schema.json)"
            elif err["type"] == "missing":
                msg = "required key is missing"
            elif err["type"] == "literal_error" and "roles" == (err["loc"] or [None])[0]:
                msg = f"unknown role (roles: {', '.join(ROLE_NAMES)})"
            out.append((loc, msg.removeprefix("Value error, ")))
        return out
    return []


def _format_loc(loc: tuple, raw: dict) -> str:
    parts: list[str] = []
    node: Any = raw
    for i, key in enumerate(loc):
        if isinstance(key, int):
            parts[-1:] = [f"{parts[-1] if parts else ''}[{key}]"]
            item_id = node[key].get("id") if isinstance(node, list) and key < len(node) and isinstance(node[key], dict) else None
            if item_id is not None and i == len(loc) - 1:
                parts[-1] += f" (id {item_id!r})"
        elif key == "[key]" or ("[" in str(key) and "(" in str(key)):
            continue  # pydantic's internal markers (validator names, dict-key position)
        else:
            parts.append(str(key))
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            node = None
    return ".".join(parts)


def _reference_problems(raw: dict, base_dir: Path | None) -> list[tuple[str, str]]:
    """Cross-references checked on the raw mapping, so they are found alongside type errors."""
    out: list[tuple[str, str]] = []
    scales = raw.get("scales") if isinstance(raw.get("scales"), dict) else {}
    items = raw.get("items") if isinstance(raw.get("items"), list) else []
    constructs = raw.get("constructs") if isinstance(raw.get("constructs"), dict) else {}

    item_scale: dict[str, str] = {}
    first_seen: dict[str, int] = {}
    columns: dict[str, int] = {}
    for i, it in enumerate(items):
        if not isinstance(it, dict):
            continue
        iid = it.get("id")
        if isinstance(iid, str):
            if iid in first_seen:
                out.append((f"items[{i}].id", f"duplicate item id {iid!r} (also items[{first_seen[iid]}])"))
            else:
                first_seen[iid] = i
        col = it.get("column") or iid
        if isinstance(col, str):
            if col in columns:
                out.append((f"items[{i}].column", f"column {col!r} is also read by items[{columns[col]}]"))
            columns.setdefault(col, i)
        sc = it.get("scale")
        if isinstance(sc, str):
            if sc not in scales:
                out.append((f"items[{i}].scale", f"unknown scale {sc!r} (scales: {first_names(scales, None, empty='none defined')})"))
            elif isinstance(iid, str):
                item_scale[iid] = sc
            stype = (scales.get(sc) or {}).get("type") if isinstance(scales.get(sc), dict) else None
            if it.get("reverse") and stype is not None and stype not in ORDERED_TYPES:
                out.append((f"items[{i}].reverse", f"only likert and rating items can be reverse-coded; scale {sc!r} is {stype}"))

    def scale_type(item_id: str) -> str | None:
        sc = scales.get(item_scale.get(item_id, ""))
        return sc.get("type") if isinstance(sc, dict) else None

    for cname, c in constructs.items():
        if not isinstance(c, dict) or not isinstance(c.get("items"), list):
            continue
        for j, ref in enumerate(c["items"]):
            loc = f"constructs.{cname}.items[{j}]"
            if ref not in first_seen:
                out.append((loc, f"unknown item {ref!r}"))
            elif scale_type(ref) not in (*ORDERED_TYPES, "numeric", None):
                out.append((loc, f"item {ref!r} is {scale_type(ref)}; constructs take likert, rating or numeric items"))

    roles = raw.get("roles") if isinstance(raw.get("roles"), dict) else {}
    for role, ref in roles.items():
        if role not in ROLE_NAMES:  # also found when a role's shape stops the model's own check
            out.append((f"roles.{role}", f"unknown role (roles: {', '.join(ROLE_NAMES)})"))
            continue
        if role in ("drivers", "loyalty") and isinstance(ref, dict):
            out += _role_option_problems(role, ref, roles, constructs, first_seen)
            continue
        refs = ref.items() if isinstance(ref, dict) else [(None, ref)]
        for sub, r in refs:
            loc = f"roles.{role}" + (f".{sub}" if sub is not None else "")
            if not isinstance(r, str):
                continue
            if r not in constructs and r not in first_seen:
                out.append((loc, f"unknown construct or item {r!r}"))
    nps = roles.get("nps")
    if isinstance(nps, str) and nps in first_seen:
        sc = scales.get(item_scale.get(nps, ""))
        if isinstance(sc, dict) and not (sc.get("min") == 0 and sc.get("max") == 10):
            out.append(("roles.nps", f"the NPS item {nps!r} must be on a 0-10 scale; its scale is {item_scale.get(nps)!r}"))

    for k, seg in enumerate(raw.get("segments") or []):
        if seg not in first_seen:
            out.append((f"segments[{k}]", f"unknown item {seg!r}"))
        elif scale_type(seg) not in ("single_choice", "likert", "rating", None):
            out.append((f"segments[{k}]", f"segment {seg!r} must be a single_choice item; it is {scale_type(seg)}"))

    for k, ot in enumerate(raw.get("open_text") or []):
        if not isinstance(ot, dict):
            continue
        ref = ot.get("item")
        if ref not in first_seen:
            out.append((f"open_text[{k}].item", f"unknown item {ref!r}"))
        elif scale_type(ref) not in ("open_text", None):
            out.append((f"open_text[{k}].item", f"item {ref!r} is {scale_type(ref)}, not open_text"))
        themes = ot.get("themes")
        if isinstance(themes, str) and base_dir is not None and not (base_dir / themes).is_file():
            out.append((f"open_text[{k}].themes", f"theme file not found: {str(base_dir / themes)!r}"))

    grids = (raw.get("quality") or {}).get("straightline_grids") if isinstance(raw.get("quality"), dict) else None
    for k, g in enumerate(grids or []):
        if g not in constructs:
            out.append((f"quality.straightline_grids[{k}]", f"unknown construct {g!r}"))
    return out


def _role_option_problems(role: str, ref: dict, roles: dict, constructs: dict, items: dict) -> list[tuple[str, str]]:
    """Unknown names in ``drivers: {outcome, drivers}`` and ``loyalty: {items, include_recommend}``."""
    out = []
    names = [("outcome", ref.get("outcome")), ("drivers", ref.get("drivers"))] if role == "drivers" else [
        ("items", ref.get("items"))]
    for key, value in names:
        listed = [(f"{key}[{j}]", r) for j, r in enumerate(value)] if isinstance(value, list) else [(key, value)]
        for loc, r in listed:
            if isinstance(r, str) and r not in constructs and r not in items:
                out.append((f"roles.{role}.{loc}", f"unknown construct or item {r!r}"))
    if role == "loyalty" and ref.get("include_recommend") is True and "nps" not in roles:
        out.append(("roles.loyalty.include_recommend", "there is no recommend item to include: name it under the "
                                                       "role 'nps'"))
    return out


def _dedupe(problems):
    seen, out = set(), []
    for p in problems:
        if p not in seen:
            seen.add(p)
            out.append(p)
    return out
