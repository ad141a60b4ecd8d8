"""The example report as a reader sees it: headless Chromium at desktop and phone widths.

Fails on console errors, broken images, a page wider than the screen, or text too small to
read. Screenshots are left beside the report (``screenshot_<width>.png``) for a human look.

Chromium is Debian's (``/usr/bin/chromium``; ``.ci/run`` installs it when missing), driven by
Playwright without downloading a browser. Where neither is present the test is skipped,
unless ``SURVEYKIT_BROWSER=required`` (set by ``.ci/run``) makes that a failure.
"""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]

# every element that sticks out of the screen and is not inside a horizontally scrolling box
LAYOUT_PROBLEMS = """() => {
  const vw = document.documentElement.clientWidth, out = [];
  const scrolls = el => { for (let a = el.parentElement; a; a = a.parentElement)
    if (['auto', 'scroll'].includes(getComputedStyle(a).overflowX)) return true; return false; };
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= vw + 1 || scrolls(el)) continue;
    out.push(el.tagName + (el.id ? '#' + el.id : '') + ' right=' + Math.round(r.right));
  }
  return {scrollWidth: document.documentElement.scrollWidth, viewport: vw, overflow: out.slice(0, 10)};
}"""
BROKEN_IMAGES = """() => [...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.alt)"""
SMALL_TEXT = """() => [...document.querySelectorAll('p, li, td, th, a, h1, h2, h3')]
  .filter(e => e.offsetParent !== null && parseFloat(getComputedStyle(e).fontSize) < 11)
  .map(e => e.tagName + ': ' + e.textContent.slice(0, 30)).slice(0, 10)"""


def _browser_or_skip():
    required = os.environ.get("SURVEYKIT_BROWSER") == "required"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the test extra installs it
        if required:
            pytest.fail("playwright is not installed: pip install -e '.[test]'")
        pytest.skip("playwright is not installed")
    if CHROMIUM is None:
        if required:
            pytest.fail("chromium is not installed: apt-get install chromium (see .ci/run)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return sync_playwright


@pytest.mark.parametrize("width", [1280, 390])
def test_report_reads_well_in_a_real_browser(example_report, width):
    sync_playwright = _browser_or_skip()
    out, _, _ = example_report
    html = out / "report.html"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": 900})
            errors, requests = [], []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(html.as_uri(), wait_until="load")
            assert errors == []
            assert [u for u in requests if not u.startswith(("file:", "data:"))] == []  # opens offline
            assert page.evaluate(BROKEN_IMAGES) == []
            n_images = page.evaluate("() => document.images.length")
            assert n_images >= 13
            layout = page.evaluate(LAYOUT_PROBLEMS)
            assert layout["scrollWidth"] <= layout["viewport"] + 1, layout
            assert layout["overflow"] == []
            assert page.evaluate(SMALL_TEXT) == []
            # every section is reachable from the navigation bar
            links = page.eval_on_selector_all("nav a", "as => as.map(a => a.getAttribute('href'))")
            assert len(links) >= 7
            for href in links:
                assert page.locator(href).count() == 1, href
            nav = page.locator("nav").bounding_box()
            assert nav["height"] <= 0.12 * 900, nav  # the sticky bar leaves the page readable
            page.locator(links[-1]).scroll_into_view_if_needed()
            assert page.locator("nav").is_visible()  # sticky: still there at the end of the report
            shot = out / f"screenshot_{width}.png"
            page.screenshot(path=str(shot), full_page=False)
            page.goto(html.as_uri() + links[2])
            page.screenshot(path=str(out / f"screenshot_{width}_items.png"), full_page=False)
            assert shot.stat().st_size > 10_000
        finally:
            browser.close()
