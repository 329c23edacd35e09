"""Run axe-core in a page and report WCAG 2.2 A/AA violations that matter (serious or critical)."""
from tests.browser.conftest import AXE, DESKTOP, PHONE

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def serious_violations(page) -> list[str]:
    """Each serious or critical violation as 'rule: help (selectors)'."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    # resultTypes: only violations are reported in full, which spares axe most of its work on passes.
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
                           WCAG_TAGS)
    return [
        f"{v['id']}: {v['help']} ({', '.join(str(n['target']) for n in v['nodes'][:3])})"
        for v in result["violations"] if v["impact"] in ("serious", "critical")
    ]


def overflows_horizontally(page) -> bool:
    """True when the page needs sideways scrolling (WCAG 1.4.10 reflow at 320 CSS px and up)."""
    return page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth + 1")


def assert_accessible(page, where: str) -> None:
    """axe at both widths, and no sideways scrolling at 375 px."""
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        problems = serious_violations(page)
        assert problems == [], f"{where} at {size['width']} px: {problems}"
        if size is PHONE:
            assert not overflows_horizontally(page), f"{where} scrolls sideways at 375 px"
