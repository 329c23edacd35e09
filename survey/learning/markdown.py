"""Safe Markdown rendering for module pages and survey texts.

Raw HTML in content is not rendered (markdown-it's html option is off) and the output is
sanitised again with nh3, so content can never inject script. Callout containers
(``::: key-fact Title``) become labelled asides; a four-nations container becomes one collapsible
section per UK nation with the GP's own nation first and open (see docs/content-format.md).
"""
from collections.abc import Callable
from dataclasses import dataclass

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

from survey.nations import NATIONS

CALLOUT_KINDS = {
    "key-fact": "Key fact",
    "case": "Case",
    "reflection": "Reflection",
    "warning": "Take care",
}

FOUR_NATIONS = "four-nations"

ALLOWED_TAGS = {
    "a", "abbr", "aside", "blockquote", "br", "code", "details", "em", "figure", "h2", "h3", "h4",
    "hr", "img", "li", "ol", "p", "pre", "section", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class"},
    "section": {"class", "aria-label"},
    "details": {"class", "open"},
    "summary": {"class"},
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
    md.use(container_plugin, name=FOUR_NATIONS)  # rendered by _four_nations below, not by a renderer rule
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


@dataclass(frozen=True)
class NationSection:
    nation: str  # key of NATIONS
    tokens: list


def _block_end(tokens: list, start: int) -> int:
    """Index of the token closing the container opened at ``start``."""
    depth = 0
    for index in range(start, len(tokens)):
        depth += tokens[index].nesting if tokens[index].type.startswith("container_") else 0
        if depth == 0:
            return index
    return len(tokens) - 1


def _nation_sections(inner: list, level: int) -> tuple[list[NationSection], list[str]]:
    """Split a four-nations block's tokens at its ``####`` headings; the problems found (unknown,
    repeated or missing nations, text before the first heading)."""
    sections, problems, labels = [], [], {label: key for key, label in NATIONS.items()}
    index = 0
    while index < len(inner):
        token = inner[index]
        if token.type == "heading_open" and token.tag == "h4" and token.level == level:
            heading = inner[index + 1].content.strip()
            key = labels.get(heading)
            if key is None:
                problems.append(f"heading '#### {heading}' is not one of {', '.join(NATIONS.values())}")
            elif any(s.nation == key for s in sections):
                problems.append(f"'#### {heading}' appears more than once")
            sections.append(NationSection(key or "", []))
            index += 3
            continue
        if not sections:
            problems.append("text before the first nation's '####' heading")
            sections.append(NationSection("", []))
        sections[-1].tokens.append(token)
        index += 1
    found = {s.nation for s in sections}
    problems += [f"'#### {label}' is missing" for key, label in NATIONS.items() if key not in found]
    return [s for s in sections if s.nation], problems


def four_nations_problems(markdown: str) -> list[str]:
    """What is wrong with each four-nations block of a page: each nation's heading exactly once."""
    tokens, problems = _MD.parse(markdown), []
    for index, token in enumerate(tokens):
        if token.type == f"container_{FOUR_NATIONS}_open":
            inner = tokens[index + 1:_block_end(tokens, index)]
            title = _block_title(token) or "(untitled)"
            problems += [f"four-nations block '{title}': {p}" for p in _nation_sections(inner, token.level + 1)[1]]
    return problems


def _block_title(token) -> str:
    return token.info.strip()[len(FOUR_NATIONS):].strip()


def _four_nations(tokens: list, nation: str | None) -> list:
    """Replace each four-nations block with one ``<details>`` per nation: the GP's nation first and
    open, the others collapsed (they work without JavaScript); with no nation, all collapsed in a
    fixed order under a note saying how to choose one."""
    out, index = [], 0
    while index < len(tokens):
        token = tokens[index]
        if token.type != f"container_{FOUR_NATIONS}_open":
            out.append(token)
            index += 1
            continue
        end = _block_end(tokens, index)
        sections, _ = _nation_sections(tokens[index + 1:end], token.level + 1)
        order = list(NATIONS)
        if nation in NATIONS:
            order.remove(nation)
            order.insert(0, nation)
        sections.sort(key=lambda s: order.index(s.nation))
        title = nh3.clean_text(_block_title(token) or "What applies in each UK nation")
        parts = [f'<section class="four-nations" aria-label="{title}: by UK nation">'
                 f'<span class="four-nations-title">{title}</span>\n']
        if nation not in NATIONS:
            parts.append('<p class="four-nations-note">Open the section for the nation where you practise. '
                         'Tell us your nation on your campaign page and it will be shown first.</p>\n')
        for section in sections:
            mine = section.nation == nation
            label = NATIONS[section.nation] + (" (where you practise)" if mine else "")
            body = _MD.renderer.render(section.tokens, _MD.options, {})
            parts.append(f'<details class="nation"{" open" if mine else ""}><summary>{label}</summary>\n'
                         f'{body}</details>\n')
        parts.append("</section>\n")
        block = Token("html_block", "", 0)
        block.content = "".join(parts)
        out.append(block)
        index = end + 1
    return out


def _link_figures(tokens: list) -> None:
    """Wrap every image in a link to the full-size file, so a diagram too small to read on a
    phone opens full size with one tap."""
    for token in tokens:
        children = token.children or []
        for position in range(len(children) - 1, -1, -1):
            child = children[position]
            if child.type != "image" or (position and children[position - 1].type == "link_open"):
                continue
            link = Token("link_open", "a", 1, attrs={"href": str(child.attrs["src"]), "class": "figure-link"})
            hint = Token("text", "", 0, content=" (open full size)")
            children[position:position + 1] = [link, child, hint, Token("link_close", "a", -1)]


def render(markdown: str, resolve_url: Callable[[str, str], str] | None = None, drop_title: bool = False,
           nation: str | None = None) -> str:
    """Render Markdown to sanitised HTML.

    ``resolve_url(kind, target)`` rewrites relative link and image targets (pages and
    figures of a module) into application URLs; absolute URLs are left alone. With
    ``drop_title`` a leading ``# Title`` is left out, because the page shows its title already.
    ``nation`` (a key of NATIONS, or None) is the GP's nation, shown first in four-nations blocks.
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
    _link_figures(tokens)
    tokens = _four_nations(tokens, nation)
    html = _MD.renderer.render(tokens, _MD.options, {})
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
