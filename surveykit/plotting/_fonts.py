"""Finding a font that shows Chinese: the one place surveykit chooses fonts.

An installed CJK font is preferred; on a machine without one (a fresh Linux server, CI),
the Noto Sans CJK SC file shipped by the ``mplfonts`` package (a dependency) is used.
Nothing happens at import: the font is looked up and registered with matplotlib's font
manager on first use, and rcParams are never changed globally.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

__all__ = ["cjk_font_family", "cjk_font_path"]

# Families that cover simplified Chinese, best first.
SYSTEM_CJK_FAMILIES = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "Noto Sans CJK JP",
    "Noto Sans CJK TC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC",
    "Heiti SC", "SimHei", "Arial Unicode MS",
)  # not "Droid Sans Fallback": it has no Latin letters or digits
_BUNDLED = ("NotoSansCJKsc-Regular.otf", "SimHei.ttf")


def _bundled_font() -> Path | None:
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        return None
    for root in spec.submodule_search_locations:
        for name in _BUNDLED:
            path = Path(root) / "fonts" / name
            if path.is_file():
                return path
    return None


@lru_cache(maxsize=1)
def _resolve() -> tuple[str, str | None]:
    from matplotlib import font_manager

    installed = {f.name: f.fname for f in font_manager.fontManager.ttflist}
    for family in SYSTEM_CJK_FAMILIES:
        if family in installed:
            return family, installed[family]
    path = _bundled_font()
    if path is None:
        return "DejaVu Sans", None
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name(), str(path)


def cjk_font_family() -> list[str]:
    """Font families to draw with: a CJK font first, then DejaVu Sans for Latin and digits."""
    family, _ = _resolve()
    return [family, "DejaVu Sans"] if family != "DejaVu Sans" else ["DejaVu Sans"]


def cjk_font_path() -> str | None:
    """File of the CJK font in use (None when no CJK font could be found)."""
    return _resolve()[1]
