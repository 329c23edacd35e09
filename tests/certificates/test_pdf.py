"""The CPD certificate PDF: every field readable, one tagged (PDF/UA) A4 page, a QR code that scans, no network."""
import io
import os
import re
import socket
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote

import jinja2
import pypdf
import pypdfium2
import pytest
import zxingcpp

from survey.certificates import pdf

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
A4_POINTS = (595.28, 841.89)
SCALE = 200 / 72  # render at 200 dpi

TITLES = ["Work as a health outcome", "Mental health conditions and work", "Musculoskeletal conditions and work",
          "Cancer and work", "Referring to vocational support"]
# Twelve outcomes as long as the real modules' (130-225 characters).
OUTCOMES = [
    "Summarise the evidence that good work is generally good for health and that long sickness absence and "
    "worklessness are associated with harm, including the limits of that evidence.",
    'Choose between "not fit for work" and "may be fit for work" for a given patient, and write functional '
    "advice using the four tick boxes and the comments box.",
    "Raise work early in a consultation, explore the patient's expectations and fears, and agree a "
    "return-to-work plan with a task and a review date.",
    "Use the fit note, including short notes with planned review, to support a patient with depression or "
    "anxiety to stay in work or return through a graded return.",
    "Describe the employment gap for people with severe mental illness and explain how clinicians' low "
    "expectations and stigma contribute to it.",
    "State the principles of Individual Placement and Support and summarise the main findings of the EQOLISE "
    "trial and the 2019 meta-analysis.",
    "Explain the evidence that staying active and in work, with temporary adjustments where needed, supports "
    "recovery from back pain and other common musculoskeletal problems.",
    "Use the STarT Back tool and the yellow, blue and black flags to identify patients at risk of long-term "
    "work absence and match support to their level of risk.",
    "Explain to a patient with cancer that the Equality Act 2010 treats cancer as a disability from diagnosis "
    "and what the employer's duty to make reasonable adjustments means for them.",
    "Recognise when work is not realistic or not wanted, support the patient's informed choice, and identify "
    "when an SR1 form for the Special Rules is appropriate.",
    "Choose a suitable current route (Access to Work, occupational health, IPS or WorkWell) for a patient whose "
    "health affects work, and state who is eligible.",
    "Name the four barriers GPs report to vocational referral and write a specific if-then plan to get past "
    "the one that affects you most.",
]


def make_cert(**changes):
    fields = dict(
        holder_name="Dr Amelia Okonkwo-Hartley", gmc_number="7012345", activity_titles=TITLES,
        learning_outcomes=OUTCOMES, credits=2.5, completed_on=date(2026, 11, 24),
        issuer="Work & Health Learning", charity_name="The Healthy Working Lives Trust",
        charity_colour="#0b7a75", reflection_recorded=True, code="ABCDE-FGHJK-LMNPQ-RSTUV",
        verify_url="https://cpd.example.org/verify/ABCDEFGHJKLMNPQRSTUV")
    return SimpleNamespace(**{**fields, **changes})


def render_html(cert, list_outcomes=True) -> str:
    return ENV.get_template("certificates/certificate_pdf.html").render(
        cert=cert, qr=pdf.qr_svg_data_uri(cert.verify_url), list_outcomes=list_outcomes)


def certificate(cert) -> bytes:
    """The certificate as the app makes it (outcomes listed for one module only, one page)."""
    return pdf.render_certificate_pdf(ENV.get_template("certificates/certificate_pdf.html").render, cert, cert.verify_url)


def squashed(text: str) -> str:
    """Whitespace removed, so that wherever a line wraps cannot matter."""
    return re.sub(r"\s+", "", text)


def pdf_text(reader: pypdf.PdfReader) -> str:
    return squashed("".join(page.extract_text() for page in reader.pages))


@pytest.fixture(scope="module")
def full():
    """A campaign of 5 modules with 12 long outcomes, as issued."""
    data = certificate(make_cert())
    return data, pypdf.PdfReader(io.BytesIO(data))


def test_every_field_is_in_the_text(full):
    cert, text = make_cert(), pdf_text(full[1])
    expected = [
        "Certificate of Continuing Professional Development", cert.holder_name, "GMC number 7012345", *TITLES,
        "2.5 suggested CPD credits (self-assessed: 1 credit = 1 hour of learning with reflection; the doctor "
        "claims the credits they judge appropriate at appraisal)",
        "12 learning outcomes across the modules above, listed in the activity record",
        "24 November 2026", "Work & Health Learning", "Commissioned by The Healthy Working Lives Trust",
        "The participant recorded a written reflection on this learning.",
        "ABCDE-FGHJK-LMNPQ-RSTUV", "Verify at https://cpd.example.org/verify/ABCDEFGHJKLMNPQRSTUV",
    ]
    assert [value for value in expected if squashed(value) not in text] == []
    assert not any(squashed(outcome) in text for outcome in OUTCOMES)


def test_one_module_lists_its_outcomes_on_one_page():
    reader = pypdf.PdfReader(io.BytesIO(certificate(make_cert(activity_titles=TITLES[:1],
                                                                learning_outcomes=OUTCOMES[:6]))))
    assert len(reader.pages) == 1
    assert all(squashed(outcome) in pdf_text(reader) for outcome in OUTCOMES[:6])


def test_outcomes_that_would_overflow_move_to_the_activity_record():
    """Twenty-four long outcomes of one module do not fit: the certificate stays one page without them."""
    reader = pypdf.PdfReader(io.BytesIO(certificate(make_cert(activity_titles=TITLES[:1],
                                                                learning_outcomes=OUTCOMES * 2))))
    assert len(reader.pages) == 1
    assert squashed("24 learning outcomes, listed in the activity record") in pdf_text(reader)


def structure_types(node) -> list[str]:
    """The structure elements of a tagged PDF, depth first, with a Figure's alternative text."""
    node = node.get_object()
    found = [f"{node['/S']}:{node.get('/Alt', '')}" if node.get("/S") == "/Figure" else node.get("/S")]
    kids = node.get("/K", [])
    for kid in kids if isinstance(kids, list) else [kids]:
        if isinstance(kid.get_object() if hasattr(kid, "get_object") else kid, dict):
            found += structure_types(kid)
    return [kind for kind in found if kind]


def test_the_certificate_is_a_tagged_pdf_ua_document(full):
    """What a PDF/UA checker starts from, read back with pypdf: marked content with a structure tree of
    headings and paragraphs, the language, a title shown by readers, the QR code's alternative text and
    the PDF/UA identification in the XMP metadata."""
    root = full[1].trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 - a pypdf BooleanObject
    assert root["/Lang"] == "en-GB"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
    assert full[1].metadata.title == "CPD certificate – Dr Amelia Okonkwo-Hartley"
    kinds = structure_types(root["/StructTreeRoot"])
    assert {"/H1", "/P", "/H2"} <= set(kinds)
    assert f"/Figure:QR code linking to {make_cert().verify_url}" in kinds
    assert b'pdfuaid:part="1"' in full[1].xmp_metadata.stream.get_data()


def test_the_first_html_that_fits_is_rendered():
    long, short = "<p style='break-after: page'>one</p><p>two</p>", "<p>short</p>"
    assert len(pypdf.PdfReader(io.BytesIO(pdf.render_first_fitting([long, short]))).pages) == 1
    assert len(pypdf.PdfReader(io.BytesIO(pdf.render_first_fitting([long]))).pages) == 2


def test_one_a4_page_set_in_one_font_face(full):
    pages = full[1].pages
    assert len(pages) == 1
    box = pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(A4_POINTS, abs=0.5)
    # DejaVu Serif found (no fallback font), and no second face: each one costs a subset per PDF.
    fonts = {font.get_object()["/BaseFont"].split("+")[-1] for font in pages[0]["/Resources"]["/Font"].values()}
    assert fonts == {"DejaVu-Serif"}


def test_qr_code_scans_to_the_verify_url_at_about_30_mm(full):
    image = pypdfium2.PdfDocument(full[0])[0].render(scale=SCALE).to_pil()
    barcodes = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert [barcode.text for barcode in barcodes] == [make_cert().verify_url]
    position = barcodes[0].position
    width_mm = (position.top_right.x - position.top_left.x) / SCALE * 25.4 / 72
    assert 20 <= width_mm <= 30  # the symbol; its quiet zone brings it to ~30 mm
    declared = re.search(r"width='([\d.]+)mm'", unquote(pdf.qr_svg_data_uri(make_cert().verify_url)))
    assert float(declared[1]) == pytest.approx(30, abs=0.5)  # the SVG's own size, for any other use


def test_whole_credits_and_optional_parts_left_out():
    cert = make_cert(credits=3.0, activity_titles=TITLES[:1], learning_outcomes=OUTCOMES[:2], charity_name=None,
                     charity_colour=None, reflection_recorded=False, gmc_number="")
    reader = pypdf.PdfReader(io.BytesIO(certificate(cert)))
    text = pdf_text(reader)
    assert squashed("3 suggested CPD credits (self-assessed") in text and "3.0" not in text
    for absent in ("Commissioned by", "written reflection", "GMC number"):
        assert squashed(absent) not in text
    assert len(reader.pages) == 1


def footer_band_text(page: pypdfium2.PdfPage) -> str:
    """The text from the page's bottom edge up to the top of the footer's first line."""
    textpage = page.get_textpage()
    index, count = textpage.search("CERTIFICATE CODE").get_next()
    top = max(textpage.get_charbox(i)[3] for i in range(index, index + count))
    return squashed(textpage.get_text_bounded(bottom=0, top=top + 2))


def test_content_beyond_one_page_continues_clear_of_the_footer():
    data = pdf.render_pdf(render_html(make_cert(learning_outcomes=OUTCOMES * 2), list_outcomes=True),
                          stylesheets=pdf.certificate_stylesheets())
    texts = [squashed(page.extract_text()) for page in pypdf.PdfReader(io.BytesIO(data)).pages]
    assert len(texts) == 2 and all(squashed(outcome) in "".join(texts) for outcome in OUTCOMES)
    assert ["continued" in text for text in texts] == [False, True]
    bands = [footer_band_text(page) for page in pypdfium2.PdfDocument(data)]
    assert bands[0] == bands[1]  # the footer alone, on both pages: no outcome runs under it
    assert bands[0].startswith(squashed("CERTIFICATE CODE ABCDE-FGHJK-LMNPQ-RSTUV Verify at https://cpd.example.org/"))


def test_markup_in_a_name_is_printed_as_text():
    name = "<script>alert(1)</script>"
    html = render_html(make_cert(holder_name=name))
    assert name not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    reader = pypdf.PdfReader(io.BytesIO(pdf.render_pdf(html)))
    assert name in pdf_text(reader)


def test_only_a_valid_hex_colour_replaces_the_accent():
    assert "#0b7a75" in render_html(make_cert(charity_colour="#0b7a75"))
    html = render_html(make_cert(charity_colour="red;} body{display:none"))
    assert "display:none" not in html and "#23466e" in html


@pytest.mark.parametrize("url", ["http://example.org/logo.png", "https://example.org/font.woff2",
                                 "ftp://example.org/x", "file:///etc/passwd"])
def test_fetcher_refuses_anything_but_data_and_static(url):
    with pytest.raises(pdf.RefusedURL):
        pdf.StaticOnlyFetcher().fetch(url)


def test_fetcher_allows_static_files_and_nothing_outside(tmp_path):
    static = tmp_path / "static"
    static.mkdir()
    (static / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (tmp_path / "secret.txt").write_text("secret")
    (static / "link.txt").symlink_to(tmp_path / "secret.txt")
    fetcher = pdf.StaticOnlyFetcher(static)
    for url, body in [((static / "logo.svg").as_uri(), b"<svg"), ("data:text/plain,ok", b"ok")]:
        response = fetcher.fetch(url)
        assert response.read().startswith(body)
        response.close()
    for url in [(tmp_path / "secret.txt").as_uri(), static.as_uri() + "/../secret.txt",
                (static / "link.txt").as_uri(), "file://example.org" + str(static / "logo.svg")]:
        with pytest.raises(pdf.RefusedURL):
            fetcher.fetch(url)


def test_rendering_never_opens_a_connection(monkeypatch):
    connections = []
    monkeypatch.setattr(socket, "create_connection", lambda *args, **kwargs: connections.append(args))
    html = '<link rel="stylesheet" href="https://127.0.0.1:9/a.css"><img src="http://127.0.0.1:9/pixel.png">'
    with pytest.raises(pdf.RefusedURL, match=r"Refused to fetch 'https://127\.0\.0\.1:9/a\.css'"):
        pdf.render_pdf(html)
    assert connections == []


def page_size(data: bytes) -> tuple[float, float]:
    box = pypdf.PdfReader(io.BytesIO(data)).pages[0].mediabox
    return round(float(box.width), 2), round(float(box.height), 2)


def test_a_stylesheet_is_parsed_once_and_again_after_its_file_changes(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "STATIC_DIR", tmp_path)
    (tmp_path / "pdf").mkdir()
    sheet = tmp_path / "pdf" / "page.css"
    sheet.write_text("@page { size: A4 portrait }")
    first = pdf.stylesheet("page.css")
    assert pdf.stylesheet("page.css") is first  # every render reuses the parsed sheet
    assert page_size(pdf.render_pdf("<p>Hello</p>", stylesheets=[first])) == A4_POINTS
    sheet.write_text("@page { size: A4 landscape }")
    modified = sheet.stat().st_mtime_ns + 10**9  # a later edit, whatever the file system's clock resolution
    os.utime(sheet, ns=(modified, modified))
    landscape = pdf.render_pdf("<p>Hello</p>", stylesheets=[pdf.stylesheet("page.css")])
    assert page_size(landscape) == A4_POINTS[::-1]
    assert pypdf.PdfReader(io.BytesIO(landscape)).pages[0].extract_text() == "Hello"
