"""Safe Markdown rendering for module pages and survey texts.

Raw HTML in content is not rendered (markdown-it's html option is off) and the output is
sanitised again with nh3, so content can never inject script. Callout containers
(``::: key-fact Title``) become labelled asides.
"""
from collections.abc import Callable
from dataclasses import dataclass

import nh3
from markdown_it import MarkdownIt
from mdit_py_plugins.container import container_plugin

CALLOUT_KINDS = {
    "key-fact": "Key fact",
    "case": "Case",
    "reflection": "Reflection",
    "warning": "Take care",
}

ALLOWED_TAGS = {
    "a", "abbr", "aside", "blockquote", "br", "code", "em", "figure", "h2", "h3", "h4", "hr",
    "img", "li", "ol", "p", "pre", "span", "strong", "sub", "sup", "table", "tbody", "td",
    "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "aside": {"class", "aria-label"},
    "span": {"class"},
    "th": {"style"},
    "td": {"style"},
}


@dataclass(frozen=True)
class Reference:
    """A link or image target found in a page, for validation."""

    kind: str  # "link" or "image"
    target: str
    alt: str = ""


def _callout_renderer(kind: str):
    def render(self, tokens, idx, _options, _env):
        token = tokens[idx]
        if token.nesting == 1:
            title = token.info.strip()[len(kind):].strip()
            label = CALLOUT_KINDS[kind]
            heading = f"{label}: {title}" if title else label
            return (
                f'<aside class="callout callout-{kind}" aria-label="{nh3.clean_text(heading)}">'
                f'<span class="callout-title">{nh3.clean_text(heading)}</span>\n'
            )
        return "</aside>\n"

    return render


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": True}).enable(["table", "replacements", "smartquotes"])
    for kind in CALLOUT_KINDS:
        md.use(container_plugin, name=kind, render=_callout_renderer(kind))
    return md


_MD = _parser()


def references(markdown: str) -> list[Reference]:
    """Every link and image in a page, so content checks can validate them."""
    found = []
    for token in _MD.parse(markdown):
        for child in token.children or []:
            if child.type == "link_open":
                found.append(Reference("link", str(child.attrs.get("href", ""))))
            elif child.type == "image":
                found.append(Reference("image", str(child.attrs.get("src", "")), child.content))
    return found


def render(markdown: str, resolve_url: Callable[[str, str], str] | None = None, drop_title: bool = False) -> str:
    """Render Markdown to sanitised HTML.

    ``resolve_url(kind, target)`` rewrites relative link and image targets (pages and
    figures of a module) into application URLs; absolute URLs are left alone. With
    ``drop_title`` a leading ``# Title`` is left out, because the page shows its title already.
    """
    tokens = _MD.parse(markdown)
    if drop_title and tokens and tokens[0].type == "heading_open" and tokens[0].tag == "h1":
        tokens = tokens[3:]  # heading_open, inline, heading_close
    for token in tokens:
        if token.tag == "h1":  # the page title is the only h1 on a page
            token.tag = "h2"
    if resolve_url is not None:
        for token in tokens:
            for child in token.children or []:
                if child.type == "link_open":
                    child.attrs["href"] = resolve_url("link", str(child.attrs["href"]))
                elif child.type == "image":
                    child.attrs["src"] = resolve_url("image", str(child.attrs["src"]))
    html = _MD.renderer.render(tokens, _MD.options, {})
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
