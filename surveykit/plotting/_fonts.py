"""Finding a font that shows Chinese: the one place surveykit chooses fonts.

Order of preference:

1. a good installed CJK font (Noto Sans CJK, Source Han Sans, WenQuanYi, Microsoft YaHei,
   PingFang, SimHei, ...), as known to matplotlib's font manager;
2. Noto Sans CJK SC shipped by the ``mplfonts`` package (a dependency, SIL OFL), so that a
   fresh Linux server or CI runner needs no system fonts;
3. Droid Sans Fallback, a last resort: it has Chinese glyphs but no Latin letters or digits.

Nothing happens at import: the font is looked up and, when it comes from a package,
registered with ``matplotlib.font_manager.fontManager`` on first use. rcParams are never
changed here.
"""

from __future__ import annotations

import importlib.util
import warnings
from functools import lru_cache
from pathlib import Path

__all__ = ["cjk_font_family", "cjk_font_path"]

#: Installed families that cover simplified Chinese and Latin, best first.
PREFERRED_FAMILIES = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "Noto Sans CJK TC",
    "Noto Sans CJK JP", "Source Han Sans TC", "Microsoft YaHei", "PingFang SC", "Heiti SC",
    "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "SimHei", "Arial Unicode MS",
)
#: Installed families used only when no preferred or bundled font exists.
LAST_RESORT_FAMILIES = ("Droid Sans Fallback",)
#: (package, file inside it) of fonts shipped on PyPI; only openly licensed ones.
BUNDLED_FONTS = (("mplfonts", "fonts/NotoSansCJKsc-Regular.otf"),)
LATIN_FAMILY = "DejaVu Sans"  # ships with matplotlib


def _bundled_font() -> str | None:
    """Path of the first bundled CJK font whose package is installed."""
    for package, rel in BUNDLED_FONTS:
        spec = importlib.util.find_spec(package)
        for root in (spec.submodule_search_locations or []) if spec else []:
            path = Path(root) / rel
            if path.is_file():
                return str(path)
    return None


@lru_cache(maxsize=1)
def _find() -> tuple[str, str] | None:
    """(family, path) of the CJK font to use, or None."""
    from matplotlib import font_manager

    installed = {f.name: f.fname for f in font_manager.fontManager.ttflist}
    for family in PREFERRED_FAMILIES:
        if family in installed:
            return family, installed[family]
    path = _bundled_font()
    if path is not None:
        return font_manager.FontProperties(fname=path).get_name(), path
    for family in LAST_RESORT_FAMILIES:
        if family in installed:
            return family, installed[family]
    warnings.warn("No font with Chinese glyphs was found, so Chinese text will show as boxes. "
                  "Reinstall surveykit's dependency 'mplfonts' or install a Noto Sans CJK SC font "
                  "(Debian/Ubuntu: apt install fonts-noto-cjk).", stacklevel=3)
    return None


def _registered(path: str) -> None:
    """Make sure matplotlib's font manager knows ``path`` (idempotent, cheap)."""
    from matplotlib import font_manager

    manager = font_manager.fontManager
    if all(entry.fname != path for entry in manager.ttflist):
        manager.addfont(path)


def cjk_font_path() -> str | None:
    """File of the CJK font surveykit draws with.

    Returns
    -------
    str or None
        None when no font with Chinese glyphs could be found (a warning says how to fix it).
    """
    found = _find()
    if found is None:
        return None
    _registered(found[1])
    return found[1]


def cjk_font_family() -> list[str]:
    """Font families to draw with: the CJK font first, then DejaVu Sans.

    The first call looks the font up and, if it comes from a package, registers it with
    matplotlib's font manager; rcParams are not changed. Pass the list to any text you
    draw yourself, e.g. ``ax.text(x, y, "满意", fontfamily=cjk_font_family())``.

    Returns
    -------
    list of str
        For example ``['Noto Sans CJK SC', 'DejaVu Sans']``; matplotlib takes each glyph
        from the first family that has it.

    Examples
    --------
    >>> cjk_font_family()[-1]
    'DejaVu Sans'
    """
    found = _find()
    if found is None:
        return [LATIN_FAMILY]
    _registered(found[1])
    return [found[0], LATIN_FAMILY]
