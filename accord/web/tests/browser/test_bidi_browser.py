"""In a right-to-left page the browser draws the issue's mixed labels in their own order
(issue 20, point 7; decision 0160): for each isolate, the first character of its text is
drawn left of its last, where without the isolate the same text is reordered."""

import unicodedata

import pytest
from playwright.sync_api import expect

from accord.testing.browser import screenshot

pytestmark = pytest.mark.browser

# The x of the first and of the last character of an element's text, as drawn.
EDGES = """(el) => {
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  const nodes = [];
  while (walker.nextNode()) { if (walker.currentNode.data.trim()) nodes.push(walker.currentNode); }
  const first = nodes[0], last = nodes[nodes.length - 1];
  const at = (node, i) => {
    const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
    return r.getBoundingClientRect().left; };
  const start = first.data.search(/\\S/), end = last.data.replace(/\\s+$/, "").length - 1;
  return {text: el.textContent.trim(), first: at(first, start), last: at(last, end)};
}"""
# The same text without an isolate, in the same RTL page: the control.
UNISOLATED = """(text) => {
  const span = document.createElement("span"); span.textContent = text;
  document.querySelector("main").prepend(span);
  const node = span.firstChild, n = text.length - 1;
  const r1 = document.createRange(); r1.setStart(node, 0); r1.setEnd(node, 1);
  const r2 = document.createRange(); r2.setStart(node, n); r2.setEnd(node, n + 1);
  const out = {first: r1.getBoundingClientRect().left, last: r2.getBoundingClientRect().left};
  span.remove(); return out;
}"""


def _in_order(locator) -> dict:
    """The isolate is drawn in its own direction: its first character leftmost for a
    left-to-right text, rightmost for a right-to-left one (a translated phrase)."""
    edges = locator.evaluate(EDGES)
    if _right_to_left(edges["text"]):
        assert edges["first"] > edges["last"], edges
    else:
        assert edges["first"] < edges["last"], edges
    return edges


def _right_to_left(text: str) -> bool:
    """Whether the text's first strong character is right to left (as `dir="auto"`)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


@pytest.mark.parametrize("language", ["fa", "ur"])
def test_the_issues_labels_are_drawn_in_their_own_order_on_a_right_to_left_page(
    page_for, demo_server, language
):
    # Given a delegate reading Accord in an RTL language
    page = page_for("ir-head")
    page.context.add_cookies([{"name": "django_language", "value": language, "url": demo_server}])

    # When they open the process home
    page.goto(f"{demo_server}/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")

    # Then the roadmap's title reads left to right, in order, and a forecast's counts (in
    # the page's language) as one unit in their own direction
    title = page.locator("bdi", has_text="60-day roadmap to a comprehensive agreement").first
    expect(title).to_be_visible()
    assert _in_order(title)["text"] == "60-day roadmap to a comprehensive agreement"
    counts = page.locator("[data-forecast] small bdi").first
    expect(counts).to_be_visible()
    assert _in_order(counts)["text"].startswith("(")
    # ...where the same words without an isolate are reordered (the "(" drawn right)
    control = page.evaluate(UNISOLATED, "(2 brackets, 0 divergences)")
    assert control["first"] > control["last"], control
    screenshot(page, f"bidi-home-{language}")

    # And on a text, its provision numbers and the ".docx" link keep their order
    page.goto(f"{demo_server}/drafting/")
    with page.expect_navigation():
        page.get_by_role("link", name="Annex I — Nuclear").first.click()
    number = page.locator("a.num", has_text="1.").first
    expect(number).to_be_visible()
    _in_order(number)
    _in_order(page.locator("p.exports bdi", has_text=".docx").first)
    control = page.evaluate(UNISOLATED, "1.")
    assert control["first"] > control["last"], control
    screenshot(page, f"bidi-text-{language}")

    # And on the board, a divergence's code ("D-1") reads as written
    page.goto(f"{demo_server}/divergences/")
    code = page.locator("h3 bdi[dir=ltr]").first
    expect(code).to_have_text("D-1")
    _in_order(code)
    screenshot(page, f"bidi-board-{language}")
