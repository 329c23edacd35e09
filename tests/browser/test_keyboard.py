"""Keyboard only: a GP signs in, works through a module and passes its knowledge check with Tab, Shift+Tab,
Space, Enter and the arrow keys, and can always see where the focus is."""
from survey.library import library
from tests.browser.conftest import grant_study_time, shown_options

MODULE = "work-as-health-outcome"
FOCUSED = """() => {
  const e = document.activeElement, style = getComputedStyle(e);
  return {tag: e.tagName, type: e.type || '', name: e.name || '', value: e.value || '',
          text: (e.innerText || '').trim(), checked: !!e.checked,
          outlined: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2};
}"""


def press(page, key: str) -> dict:
    page.keyboard.press(key)
    focused = page.evaluate(FOCUSED)
    if focused["tag"] != "BODY":
        assert focused["outlined"], f"no visible focus on {focused}"
    return focused


def tab_to(page, wanted, key: str = "Tab", limit: int = 200) -> dict:
    for _ in range(limit):
        focused = press(page, key)
        if wanted(focused):
            return focused
    raise AssertionError(f"{key} never reached the element wanted")


def activate(page, key: str = "Enter") -> None:
    with page.expect_navigation():
        page.keyboard.press(key)


def test_module_and_knowledge_check_by_keyboard_alone(gp, page):
    module = library().modules[MODULE]
    page.goto("/login")
    assert press(page, "Tab")["text"] == "Skip to content"  # the first stop skips the header
    tab_to(page, lambda f: f["name"] == "email")
    page.keyboard.type(gp.user.email)
    tab_to(page, lambda f: f["name"] == "password")
    page.keyboard.type("a-good-password")
    activate(page)

    page.goto(f"/c/{gp.slug}/m/{MODULE}")
    tab_to(page, lambda f: f["text"] == "Next")
    activate(page)
    assert page.locator("h1").inner_text() == module.pages[1].title
    tab_to(page, lambda f: f["text"] == "Next")
    tab_to(page, lambda f: f["text"].startswith("Previous"), key="Shift+Tab")  # back up to "Previous"
    activate(page)
    assert page.locator("h1").inner_text() == module.pages[0].title

    for number in range(1, module.page_count + 1):
        label = "Next" if number < module.page_count else "Go to the knowledge check"
        tab_to(page, lambda f, label=label: f["tag"] == "BUTTON" and f["text"] == label)
        activate(page)
    grant_study_time(gp.user, module)  # tapped through in seconds: the check would stay closed
    page.goto(f"/c/{gp.slug}/m/{MODULE}/check")
    assert page.locator("h1").inner_text() == "Knowledge check"
    shown = shown_options(page)

    key = {q.id: q for q in module.knowledge_check.questions}
    answered = set()
    while True:
        focused = press(page, "Tab")
        if focused["tag"] == "BUTTON" and focused["text"] == "Check my answers":
            break
        question = key.get(focused["name"])
        if question is None or focused["type"] not in ("radio", "checkbox"):
            continue
        right = {o.text.strip() for o in question.options if o.correct}
        positions = {int(value) for value, label in shown[question.id] if label in right}  # options are shuffled
        if focused["type"] == "checkbox":
            if int(focused["value"]) in positions:
                press(page, "Space")
            continue
        if question.id in answered:
            continue
        target = next(iter(positions))
        if target == int(focused["value"]):
            press(page, "Space")
        for _ in range(target - int(focused["value"])):
            press(page, "ArrowDown")  # moves to the next option and chooses it
        answered.add(question.id)
    assert answered == {qid for qid in shown if not key[qid].multiple}
    activate(page)
    assert "You scored 100%: passed" in page.locator(".result").inner_text()
