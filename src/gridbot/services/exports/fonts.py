"""A font with Chinese glyphs for the chart, found among the installed ones through
matplotlib's font manager (``scripts/ensure-cjk-font`` installs WenQuanYi Micro Hei where
it may). Without one the chart still renders, with boxes for the Chinese, and a warning
is logged once."""

from __future__ import annotations

import logging
import threading
import warnings
from pathlib import Path

from matplotlib import font_manager

logger = logging.getLogger(__name__)

# Families known to cover simplified Chinese, the likeliest first.
CJK_FAMILIES = (
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Microsoft YaHei",
    "PingFang SC",
    "SimHei",
    "Droid Sans Fallback",
    "AR PL UMing CN",
)
# Their files, for a font installed after matplotlib cached its list of fonts.
CJK_FILES = ("wqy-microhei", "wqy-zenhei", "notosanscjk", "sourcehansans", "droidsansfallback")

_lock = threading.Lock()
_found: list[str | None] = []  # the family found, once looked for


def cjk_family() -> str | None:
    """The first installed family of CJK_FAMILIES, or None (logged once)."""
    with _lock:
        if not _found:
            _found.append(_look_for_family())
            if _found[0] is None:
                logger.warning(
                    "no CJK font found (tried %s): Chinese in charts shows as boxes; "
                    "install fonts-wqy-microhei (scripts/ensure-cjk-font)",
                    ", ".join(CJK_FAMILIES),
                )
                # Said once here, not once for every character of every chart.
                warnings.filterwarnings("ignore", r"Glyph \d+ .* missing from font", UserWarning)
        return _found[0]


def _look_for_family() -> str | None:
    family = _known_family()
    if family is not None:
        return family
    for path in font_manager.findSystemFonts():
        name = Path(path).name.lower().replace("-", "").replace("_", "")
        if any(stem.replace("-", "") in name for stem in CJK_FILES):
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):
                continue
    return _known_family()


def _known_family() -> str | None:
    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    return next((family for family in CJK_FAMILIES if family in installed), None)
