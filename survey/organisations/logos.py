"""Checking an uploaded logo: PNG or JPEG as sent, an SVG drawn into a PNG on arrival (no flask, no database).

An SVG is a program as much as a picture: scripts, event handlers, animations that set ``href`` to
``javascript:``, CSS that imports other files. Rather than hunt those one by one (a hand-written filter
missed ``<set>``, ``<animate>`` and ``@import``), an SVG is drawn by CairoSVG into a PNG and only the
PNG is kept: nothing of the SVG's markup reaches a browser. CairoSVG parses with defusedxml (no
entities) and, without ``unsafe``, fetches nothing but ``data:`` URLs.
"""
import io
import re
import xml.etree.ElementTree as ET

import cairosvg
from PIL import Image, UnidentifiedImageError

MAX_LOGO_BYTES = 512 * 1024
MIME_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "svg": "image/svg+xml"}  #: svg: logos stored before conversion
#: An SVG logo is drawn this many pixels along its longer side (sharp on the certificate and report pages).
LOGO_PIXELS = 800
MAX_ASPECT = 10  #: a logo no more than ten times wider than tall, or taller than wide
_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$")


class LogoInvalid(ValueError):
    """The file is not an acceptable logo; the message says why."""


def _bitmap_kind(data: bytes, expected: str) -> str:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            found = image.format
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise LogoInvalid("The image is damaged or not really a PNG or JPEG file.") from error
    if found != expected.upper():
        raise LogoInvalid("The image is damaged or not really a PNG or JPEG file.")
    return expected


def _proportions(root: ET.Element) -> tuple[float, float]:
    """Width and height from the viewBox, else from plain width and height: the drawing's shape."""
    box = (root.get("viewBox") or "").replace(",", " ").split()
    try:
        if len(box) == 4:
            width, height = float(box[2]), float(box[3])
        else:
            width, height = (float(_LENGTH.match(root.get(name) or "").group(1)) for name in ("width", "height"))
    except (ValueError, AttributeError) as error:
        raise LogoInvalid("The SVG must say its size: a viewBox, or a width and height in pixels.") from error
    if width <= 0 or height <= 0:
        raise LogoInvalid("The SVG's width and height must be more than zero.")
    if max(width / height, height / width) > MAX_ASPECT:
        raise LogoInvalid(f"The logo is more than {MAX_ASPECT} times wider than tall (or taller than wide).")
    return width, height


def svg_to_png(data: bytes) -> bytes:
    """The SVG drawn as a PNG of at most LOGO_PIXELS along its longer side; raises LogoInvalid."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise LogoInvalid("The SVG file is not UTF-8 text.") from error
    if re.search(r"<!(DOCTYPE|ENTITY)", text, re.IGNORECASE):
        raise LogoInvalid("SVG files with a DOCTYPE or entities are not accepted.")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as error:
        raise LogoInvalid("The SVG file is not well-formed XML.") from error
    if root.tag.rsplit("}", 1)[-1] != "svg":
        raise LogoInvalid("The file is not an SVG image.")
    width, height = _proportions(root)
    scale = LOGO_PIXELS / max(width, height)
    try:
        png = cairosvg.svg2png(bytestring=data, unsafe=False, output_width=round(width * scale),
                               output_height=round(height * scale))
    except Exception as error:  # noqa: BLE001 - any failure to draw is the file's problem, told as such
        raise LogoInvalid("The SVG could not be drawn; export it again from your design program, or upload a PNG.") from error
    return png


def checked_logo(data: bytes) -> tuple[str, bytes]:
    """("png" or "jpeg", the bytes to store) for an acceptable logo; raises LogoInvalid otherwise.

    The content decides, not the file name: a renamed file is recognised or refused for what it is. An
    SVG is stored as the PNG it draws.
    """
    if not data:
        raise LogoInvalid("The file is empty.")
    if len(data) > MAX_LOGO_BYTES:
        raise LogoInvalid(f"The logo is larger than {MAX_LOGO_BYTES // 1024} KB; please use a smaller file.")
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return _bitmap_kind(data, "png"), data
    if data.startswith(b"\xff\xd8\xff"):
        return _bitmap_kind(data, "jpeg"), data
    if b"<svg" in data[:4096]:
        return "png", svg_to_png(data)
    raise LogoInvalid("Upload the logo as a PNG, JPEG or SVG file.")


def logo_kind(data: bytes) -> str:
    """The kind the logo is stored as ("png" or "jpeg"); see :func:`checked_logo`."""
    return checked_logo(data)[0]
