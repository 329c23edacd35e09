"""Checking an uploaded logo: PNG, JPEG or a script-free SVG, within a size limit (no flask, no database)."""
import io
import re
import xml.etree.ElementTree as ET

from PIL import Image, UnidentifiedImageError

MAX_LOGO_BYTES = 512 * 1024
MIME_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "svg": "image/svg+xml"}
_FORBIDDEN_SVG_TAGS = {"script", "foreignobject", "iframe", "embed", "object"}


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


def _check_svg(data: bytes) -> str:
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
    for element in root.iter():
        if element.tag.rsplit("}", 1)[-1].lower() in _FORBIDDEN_SVG_TAGS:
            raise LogoInvalid("SVG logos may not contain scripts or embedded content.")
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1].lower()
            if local.startswith("on") or (local == "href" and not value.startswith("#")):
                raise LogoInvalid("SVG logos may not contain scripts, event handlers or links to other files.")
    return "svg"


def logo_kind(data: bytes) -> str:
    """"png", "jpeg" or "svg" for an acceptable logo; raises LogoInvalid otherwise.

    The content decides, not the file name: a renamed file is recognised or refused for what it is.
    """
    if not data:
        raise LogoInvalid("The file is empty.")
    if len(data) > MAX_LOGO_BYTES:
        raise LogoInvalid(f"The logo is larger than {MAX_LOGO_BYTES // 1024} KB; please use a smaller file.")
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return _bitmap_kind(data, "png")
    if data.startswith(b"\xff\xd8\xff"):
        return _bitmap_kind(data, "jpeg")
    if b"<svg" in data[:4096]:
        return _check_svg(data)
    raise LogoInvalid("Upload the logo as a PNG, JPEG or SVG file.")
