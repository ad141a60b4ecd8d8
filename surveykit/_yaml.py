"""Safe YAML for the package's definition files (questionnaires, theme dictionaries), and where the bundled ones are.

Private to the package: ``questionnaire/load.py`` and ``text/themes.py`` read their files
with the same loader, so both refuse duplicate keys and Python tags in the same words.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

_PACKAGE_DIR = Path(__file__).resolve().parent
# In a wheel the repository's questionnaires/ folder is installed as surveykit/_bundled/questionnaires;
# in a source checkout (editable install) it sits beside the package.
_CANDIDATES = (_PACKAGE_DIR / "_bundled" / "questionnaires", _PACKAGE_DIR.parent / "questionnaires")
BUNDLED_DIR = next((p for p in _CANDIDATES if p.is_dir()), _CANDIDATES[-1])


class UniqueKeyLoader(yaml.SafeLoader):
    """yaml.SafeLoader (no Python tags) that refuses duplicate keys instead of keeping the last."""


def _construct_mapping(loader: UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False):
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                "while reading a mapping",
                node.start_mark,
                f"found the key {key!r} twice (first on line {seen[key] + 1})",
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line
    return loader.construct_mapping(node, deep=deep)


UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
)


def yaml_message(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
    if "python/" in str(exc) or "could not determine a constructor" in str(exc):
        problem = f"{problem}; tags such as !!python/... are not allowed in questionnaire files"
    return f"{problem}{where}"
