"""The README's architecture section names every module of the package, and nothing that is not there."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "surveykit"


def _layout() -> set[str]:
    """Paths (relative to the package) the README's architecture tree lists."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Architecture"):]
    block = section[section.index("```text") + len("```text"):]
    block = block[: block.index("```")]
    listed, folder = set(), None
    for line in block.splitlines()[2:]:  # after "surveykit/"
        top = re.match(r"^  (\w+)/\s", line)
        if top:
            folder = top[1]
        elif re.match(r"^  \w+\.py", line):
            folder = ""
        names = re.findall(r"(?<![\w/.])(\w+\.py|\w+/)(?=\s|$)", line[:70] if not top else line[2 + len(top[0]) - 2:70])
        listed |= {f"{folder}/{n}".lstrip("/").rstrip("/") for n in names}
    return listed


def test_the_readme_layout_matches_the_package():
    listed = _layout()
    modules = {str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
               if p.name not in ("__init__.py", "__main__.py") and p.parent.name != "sections"}
    folders = {str(p.relative_to(PACKAGE)) for p in PACKAGE.glob("*/*") if p.is_dir() and p.name != "__pycache__"}
    assert listed - modules - folders == set(), "the README lists modules that do not exist"
    assert modules - listed == set(), "modules missing from the README's architecture section"
