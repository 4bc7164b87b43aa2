"""Fonts that cover the scripts Accord's people write in, for PDFs (issue 20; decision 0162).

Pure: no Django. WeasyPrint finds fonts through fontconfig: Noto Naskh Arabic and Noto
Nastaliq Urdu come from Debian's ``fonts-noto-core``; Vazirmatn (Persian) from Debian's
``fonts-vazirmatn`` where the release has it, else from the npm package ``vazirmatn``
installed with the other front-end assets, which ``font_faces_css`` declares by file.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_NPM_VAZIRMATN = ROOT / "node_modules" / "vazirmatn" / "fonts" / "ttf"
_DEBIAN_VAZIRMATN = Path("/usr/share/fonts/truetype/vazirmatn")

# Latin first (its digits and punctuation), then each script's face; the browser and
# WeasyPrint take each character from the first face that has it.
LATIN = '"Noto Sans", "DejaVu Sans"'
FAMILIES = {
    "fa": '"Vazirmatn", "Noto Naskh Arabic"',
    "ar": '"Noto Naskh Arabic", "Vazirmatn"',
    "ur": '"Noto Nastaliq Urdu", "Noto Naskh Arabic"',
}
FALLBACK = '"Vazirmatn", "Noto Naskh Arabic", "Noto Nastaliq Urdu"'


def family_for(language: str) -> str:
    """A CSS ``font-family`` list for text in ``language`` ("fa", "ur"…)."""
    base = (language or "").split("-")[0].lower()
    if base in FAMILIES:
        return f"{FAMILIES[base]}, {LATIN}, sans-serif"
    return f"{LATIN}, {FALLBACK}, sans-serif"


def vazirmatn_files() -> dict[str, Path]:
    """Vazirmatn's regular and bold files, from Debian's package or npm's; empty if neither."""
    for folder in (_DEBIAN_VAZIRMATN, _NPM_VAZIRMATN):
        regular, bold = folder / "Vazirmatn-Regular.ttf", folder / "Vazirmatn-Bold.ttf"
        if regular.is_file():
            return {"400": regular, "700": bold if bold.is_file() else regular}
    return {}


def font_faces_css() -> str:
    """``@font-face`` rules for what fontconfig may not know (npm's Vazirmatn), by file."""
    rules = []
    for weight, path in vazirmatn_files().items():
        if path.parent == _DEBIAN_VAZIRMATN:
            continue  # fontconfig already has it
        rules.append(
            f'@font-face {{ font-family: "Vazirmatn"; font-weight: {weight}; '
            f'src: url("{path.as_uri()}"); }}'
        )
    return "\n".join(rules)
