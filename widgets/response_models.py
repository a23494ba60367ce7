"""Figures of the sexual response models taught in module 2, each with alt text.

Every function returns a :class:`Figure`: plain alt text, a caption, the
source, and the picture. As the last line of a notebook cell it shows as
``<figure><img alt=...><figcaption>`` (``text/html``, which Jupyter, Voila
and myst-nb prefer), with a PNG fallback for other front ends.

The pictures never change while the course runs, so they are drawn once, by
``course notebooks`` (:func:`prerender`), into the build's cache:
``build/figures/<drawing>-<key>.png``, where the key hashes this file, the
drawing code (widgets/response_drawings.py) and matplotlib's version, so any
change draws them again. A page that finds its pictures there shows those
bytes and never loads matplotlib or numpy (lean kernels, issue 9). A picture
missing, stale or damaged in the cache is drawn as before, and kept when the
folder can be written: the cache can make a page lighter, never break it.
"""
from __future__ import annotations

import base64
import hashlib
import io
import zlib
from dataclasses import dataclass
from functools import cache, cached_property
from importlib.metadata import version
from pathlib import Path

from course import BUILD
from course.files import write_atomic
from course.validate import html_text

CACHE = BUILD / "figures"
"""Where the drawn pictures are kept (git-ignored, like the rest of build/)."""
DPI = 110
DRAWINGS = ("four_phase", "kaplan", "basson", "concordance")
"""The functions of widgets/response_drawings.py, one a figure."""
_CODE = (Path(__file__), Path(__file__).with_name("response_drawings.py"))
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

SCHEMATIC = "Schematic, not data"


@cache
def _code_key() -> str:
    """What a picture depends on: the drawing code, these words, matplotlib's version, the resolution."""
    digest = hashlib.sha256(f"matplotlib {version('matplotlib')} dpi {DPI}".encode())
    for path in _CODE:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cache_path(drawing: str, folder: Path | None = None) -> Path:
    """Where ``drawing``'s picture is kept for the code as it is now."""
    return (CACHE if folder is None else folder) / f"{drawing}-{_code_key()}.png"


def is_png(data: bytes) -> bool:
    """A whole PNG: the signature, IHDR first, every chunk's CRC right, IEND last (nothing cut or garbled)."""
    if not data.startswith(_PNG_SIGNATURE):
        return False
    pos, first = len(_PNG_SIGNATURE), True
    while pos + 12 <= len(data):
        length = int.from_bytes(data[pos:pos + 4], "big")
        kind, end = data[pos + 4:pos + 8], pos + 12 + length
        if end > len(data) or zlib.crc32(data[pos + 4:end - 4]) != int.from_bytes(data[end - 4:end], "big"):
            return False
        if first != (kind == b"IHDR"):
            return False
        if kind == b"IEND":
            return end == len(data)
        pos, first = end, False
    return False


def cached(drawing: str, folder: Path | None = None) -> bytes | None:
    """The kept picture of ``drawing`` if it is there, current and whole; else None."""
    try:
        data = cache_path(drawing, folder).read_bytes()
    except OSError:
        return None
    return data if is_png(data) else None


def draw(drawing: str):
    """A fresh matplotlib figure of ``drawing`` (this loads matplotlib and numpy)."""
    from widgets import response_drawings

    return getattr(response_drawings, drawing)()


def render(fig, dpi: int = DPI) -> bytes:
    """A matplotlib figure as PNG bytes, on white, trimmed to what is drawn."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", facecolor="white")
    return buf.getvalue()


def _write(path: Path, data: bytes) -> None:
    """Write whole or not at all: pages reading at the same moment see the old file or the new one."""
    write_atomic(path, data)


def picture(drawing: str, folder: Path | None = None) -> bytes:
    """``drawing`` as PNG bytes: from the cache, else drawn now and kept for next time if the folder allows."""
    data = cached(drawing, folder)
    if data is None:
        data = render(draw(drawing))
        try:
            _write(cache_path(drawing, folder), data)
        except OSError:
            pass  # a read-only or missing build folder: this page drew it, the next will too
    return data


def is_current(folder: Path | None = None) -> bool:
    """Every figure's picture is in the cache for the code as it is now."""
    return all(cached(drawing, folder) is not None for drawing in DRAWINGS)


def prerender(folder: Path | str | None = None) -> list[Path]:
    """Draw every picture the cache lacks and remove pictures of older code; returns the current files.

    Unlike a page, this raises OSError when the folder cannot be written.
    """
    folder = CACHE if folder is None else Path(folder)
    paths = [cache_path(drawing, folder) for drawing in DRAWINGS]
    for drawing, path in zip(DRAWINGS, paths, strict=True):
        if cached(drawing, folder) is None:
            _write(path, render(draw(drawing)))
    for old in set(folder.glob("*.png")) - set(paths):
        old.unlink(missing_ok=True)
    return paths


@dataclass
class Figure:
    """A figure with its alt text; shows as an accessible <figure> in notebooks."""

    drawing: str
    """The function of widgets/response_drawings.py that draws it (one of DRAWINGS)."""
    alt: str
    caption: str
    source: str

    @cached_property
    def fig(self):
        """The matplotlib figure, drawn on first use (this loads matplotlib)."""
        return draw(self.drawing)

    def png(self, dpi: int = DPI) -> bytes:
        """The figure as PNG bytes: the kept picture, unless ``fig`` was drawn here (it may have been
        changed) or another resolution is asked for."""
        if dpi != DPI or "fig" in self.__dict__:
            return render(self.fig, dpi)
        return picture(self.drawing)

    def _repr_png_(self) -> bytes:
        return self.png()

    def _html(self, png: bytes) -> str:
        data = base64.b64encode(png).decode("ascii")
        return (f'<figure class="sg-figure" style="margin:1rem 0;max-width:46rem">'
                f'<img src="data:image/png;base64,{data}" alt="{html_text(self.alt)}" '
                f'style="max-width:100%;height:auto;background:#fff">'
                f'<figcaption>{html_text(self.caption)} <span class="sg-source">Source: {html_text(self.source)}</span>'
                f'</figcaption></figure>')

    def _repr_html_(self) -> str:
        return self._html(self.png())

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        """One render for every format: HTML (preferred), PNG fallback, alt text as plain text."""
        png = self.png()
        return {"text/html": self._html(png), "image/png": png, "text/plain": repr(self)}

    def __repr__(self) -> str:  # text/plain: the alt text, for terminals and screen readers
        return f"Figure: {self.alt}"


def four_phase_figure() -> Figure:
    """Masters & Johnson (1966): excitement, plateau, orgasm, resolution, in a line."""
    return Figure(
        "four_phase",
        alt=("Schematic line, not data, of body arousal over time in four phases in a row: "
             "excitement, where arousal rises; plateau, where it stays high; orgasm, a short peak; "
             "and resolution, where the body returns to rest."),
        caption=("The four-phase model describes what the body does, one phase after the next. "
                 "It says nothing about wanting sex, and real experiences vary a lot."),
        source=("Masters, W. H., & Johnson, V. E. (1966). Human Sexual Response. "
                "Boston: Little, Brown."),
    )


def kaplan_figure() -> Figure:
    """Kaplan (1979): desire added before arousal, giving desire, excitement, orgasm."""
    return Figure(
        "kaplan",
        alt=("Diagram comparing two models as steps in a line. Masters and Johnson's four phases: "
             "excitement, plateau, orgasm, resolution. Kaplan added desire before arousal, "
             "giving three phases: desire, excitement, orgasm."),
        caption=("Kaplan's triphasic model puts desire, the wish for sex, before arousal. "
                 "It fits spontaneous desire well; many people's desire works differently."),
        source=("Kaplan, H. S. (1979). Disorders of Sexual Desire. New York: Brunner/Mazel."),
    )


BASSON_STEPS = (
    "Start: sexual\nneutrality",
    "Reasons for intimacy,\nsuch as closeness",
    "Open to touch\nand sexual cues",
    "Arousal",
    "Responsive desire:\nwanting joins in",
    "Emotional and physical\nsatisfaction",
)


def basson_figure() -> Figure:
    """Basson (2000): a circle in which desire can follow arousal."""
    return Figure(
        "basson",
        alt=("Circular diagram of Basson's model, drawn as a loop of arrows. It starts from sexual "
             "neutrality; reasons for intimacy, such as closeness, make a person open to touch and "
             "sexual cues; this leads to arousal, then responsive desire, then emotional and physical "
             "satisfaction, which feeds back into closeness and the next time round."),
        caption=("In Basson's circular model, desire is often responsive: it can follow arousal "
                 "instead of starting it. Many people begin from neutral, for reasons like closeness."),
        source=("Basson, R. (2000). The female sexual response: A different model. "
                "Journal of Sex & Marital Therapy, 26(1), 51-65."),
    )


CONCORDANCE = {"Men": 0.66, "Women": 0.26}


def concordance_figure() -> Figure:
    """Chivers et al. (2010): how closely genital and reported arousal agree, on average."""
    return Figure(
        "concordance",
        alt=("Bar chart of the average agreement between genital arousal and reported arousal "
             "across many studies: r = .66 for men and r = .26 for women. It is an average across "
             "studies and does not say anyone is wrong about their body."),
        caption=("Body and mind agree only loosely, more loosely on average for women than for men. "
                 "A body response is not the same as desire, consent or feeling safe."),
        source=("Chivers, M. L., Seto, M. C., Lalumière, M. L., Laan, E., & Grimbos, T. (2010). "
                "Agreement of self-reported and genital measures of sexual arousal in men and women: "
                "A meta-analysis. Archives of Sexual Behavior, 39(1), 5-56."),
    )
