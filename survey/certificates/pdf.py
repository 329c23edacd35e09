"""Certificate PDF rendering: QR codes and HTML -> PDF with WeasyPrint.

Pure module: no Flask, no database. The caller renders the HTML (Jinja2 with
autoescape on) and passes it here.

Rule: rendering never touches the network. Every resource WeasyPrint asks for
goes through :class:`StaticOnlyFetcher`, which allows only ``data:`` URIs and
``file://`` paths of existing files inside the project's ``static/`` folder
and raises :class:`RefusedURL` for anything else. A refused or failed fetch
stops the rendering (``render_pdf`` raises ``RefusedURL``) instead of silently
leaving a hole in the certificate.
"""

import functools
import warnings
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from urllib.parse import unquote, urlsplit

import segno

with warnings.catch_warnings():
    # Without the system's libharfbuzz-subset, WeasyPrint warns at import that future
    # versions will need it (pytest.ini ignores the same); this version subsets fonts with
    # fontTools instead. Silenced here too so that `python -W error` runs still import it.
    warnings.filterwarnings('ignore', 'HarfBuzz-Subset will be required', DeprecationWarning)
    from weasyprint import CSS, HTML
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

# <project>/survey/certificates/pdf.py -> <project>/static
STATIC_DIR = Path(__file__).resolve().parents[2] / 'static'

QR_PRINT_MM = 30  # printed width of the QR code, quiet zone included


class RefusedURL(ValueError):
    """A resource outside ``data:`` and ``static/`` was requested."""


def qr_svg_data_uri(url: str) -> str:
    """Return a QR code for ``url`` as an SVG ``data:`` URI, ~30 mm wide.

    Always a full QR code (never Micro QR), error correction at least M, the
    standard 4-module quiet zone, black on transparent. The module size is
    chosen so the whole symbol prints at ``QR_PRINT_MM`` millimetres.
    """
    qr = segno.make_qr(url, error='m')
    modules = qr.symbol_size(border=4)[0]
    return qr.svg_data_uri(
        scale=round(QR_PRINT_MM / modules, 4), unit='mm', border=4, dark='#000')


class StaticOnlyFetcher(URLFetcher):
    """WeasyPrint URL fetcher allowing only ``data:`` and ``file://`` under static/.

    Anything else (http, https, ftp, files outside static/ or missing, ``..``
    escapes, symlinks pointing out) raises :class:`RefusedURL`.
    """

    def __init__(self, static_dir: Path = STATIC_DIR):
        super().__init__(allowed_protocols=('data', 'file'), allow_redirects=False,
                         fail_on_errors=True)
        self.static_dir = Path(static_dir).resolve()

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == 'data':
            return super().fetch(url, headers)
        if scheme == 'file' and parts.netloc in ('', 'localhost'):
            path = Path(unquote(parts.path)).resolve()
            if path.is_relative_to(self.static_dir) and path.is_file():
                return super().fetch(path.as_uri(), headers)
        raise RefusedURL(f'Refused to fetch {url!r}: only data: URIs and '
                         f'existing files under {self.static_dir} are allowed')


def stylesheet(name: str) -> CSS:
    """The stylesheet ``static/pdf/<name>``, parsed once per process and reused by every render: parsing
    and compiling a stylesheet's selectors is work each PDF repeated (bench/certificates.py measures it).
    An edited file is parsed anew at the next render (its modification time is part of the cache key), so a
    running development server shows a change without a restart."""
    path = STATIC_DIR / 'pdf' / name
    return _parsed(path, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=16)
def _parsed(path: Path, modified_ns: int) -> CSS:
    """``path`` parsed; ``modified_ns`` only keys the cache, and old versions fall out of it."""
    return CSS(filename=str(path), url_fetcher=StaticOnlyFetcher())


def certificate_stylesheets() -> tuple[CSS, ...]:
    """What the certificate template's own rules build on (its fixed rules; the template adds the rest)."""
    return (stylesheet('certificate.css'),)


def _document(html: str, base_url: str | None, accessible: bool, stylesheets: Sequence[CSS] = ()):
    """Lay out ``html`` over ``stylesheets`` (user stylesheets: the document's own rules win); with
    ``accessible``, as a tagged PDF/UA-1 document (structure tree, language, alternative text for images,
    title shown by readers) that screen readers and portfolios can read."""
    try:
        options = {'pdf_variant': 'pdf/ua-1'} if accessible else {}
        return HTML(string=html, base_url=base_url, url_fetcher=StaticOnlyFetcher()).render(
            stylesheets=list(stylesheets), **options), options
    except FatalURLFetchingError as error:  # a BaseException: keep it catchable
        raise RefusedURL(f'{error}: {error.__cause__}') from error


def render_pdf(html: str, base_url: str | None = None, *, accessible: bool = False,
               stylesheets: Sequence[CSS] = ()) -> bytes:
    """Render ``html`` to PDF bytes, fetching nothing but data: and static/ files.

    ``base_url`` resolves relative URLs (e.g. ``STATIC_DIR.as_uri() + '/'``).
    Raises :class:`RefusedURL` if any resource is refused or cannot be read.
    """
    document, options = _document(html, base_url, accessible, stylesheets)
    return document.write_pdf(**options)


def render_first_fitting(htmls: Iterable[str], pages: int = 1, *, accessible: bool = False,
                         stylesheets: Sequence[CSS] = ()) -> bytes:
    """The PDF of the first of ``htmls`` that fits on ``pages`` pages, else of the last one.

    For documents that must fit, such as a one-page certificate: each later HTML is a more compact
    version of the same content, tried only when the one before it overflowed.
    """
    document = options = None
    for html in htmls:
        document, options = _document(html, None, accessible, stylesheets)
        if len(document.pages) <= pages:
            break
    return document.write_pdf(**options)


def render_certificate_pdf(render: Callable[..., str], cert, verify_url: str) -> bytes:
    """The certificate as a tagged one-page PDF. ``render(**context)`` renders its template.

    A single module's learning outcomes are listed on it; a campaign's (often over twenty) are not,
    nor any whose listing would overflow the page: they are in the activity record instead.
    """
    qr = qr_svg_data_uri(verify_url)
    listings = (len(cert.activity_titles) == 1, False)
    return render_first_fitting((render(cert=cert, qr=qr, list_outcomes=listed) for listed in listings),
                                accessible=True, stylesheets=certificate_stylesheets())
