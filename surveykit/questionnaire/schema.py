"""The JSON Schema of questionnaire files, for editors that check YAML as people write it.

Regenerate ``questionnaires/schema.json`` after changing the model:
``python -m surveykit.questionnaire.schema``.
"""

from __future__ import annotations

import json
from pathlib import Path

from .model import Questionnaire

__all__ = ["questionnaire_json_schema", "write_json_schema"]

SCHEMA_ID = "https://surveykit.invalid/schema/questionnaire-1.json"


def questionnaire_json_schema() -> dict:
    """The JSON Schema (draft 2020-12) of a questionnaire file.

    Code-keyed mappings (``labels``, ``missing_codes``) leave their keys unconstrained, so
    an editor that sees YAML's ``1:`` as the string "1" accepts them.
    """
    schema = Questionnaire.model_json_schema(mode="validation")
    schema["properties"].pop("source", None)
    for name in ("Text", "ColumnRef", "DurationRef"):  # their validators also take a plain string
        if name in schema["$defs"]:
            schema["$defs"][name] = {"anyOf": [{"type": "string", "minLength": 1}, schema["$defs"][name]]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **{k: v for k, v in schema.items() if k not in ("title", "description")},
        "title": "surveykit questionnaire",
        "description": "A survey's items, scales, missing codes, constructs and roles (surveykit schema_version 1). "
                       "Cross-references (unknown items or scales) are checked by surveykit.load_questionnaire.",
    }


def write_json_schema(path: str | Path) -> Path:
    """Write the schema as pretty-printed UTF-8 JSON."""
    path = Path(path)
    path.write_text(json.dumps(questionnaire_json_schema(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":  # pragma: no cover
    from .load import BUNDLED_DIR

    print(write_json_schema(BUNDLED_DIR / "schema.json"))
