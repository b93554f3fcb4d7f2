"""The built site in real headless Chromium: from disk, links open pages, not folders."""

from __future__ import annotations

import pytest


@pytest.fixture
def browser(chromium):
    return chromium


def test_navigation_from_disk_opens_index_html(browser, example_build):
    page = browser.new_page()
    page.goto((example_build.output / "index.html").as_uri())
    assert page.title() == "Vision Papers"
    page.get_by_role("link", name="Topics", exact=True).first.click()
    assert page.url.endswith("/topics/index.html")
    page.get_by_role("link", name="Vision transformers").first.click()
    assert page.url.endswith("/topics/vision-transformers/index.html")
    page.locator("main .card-title a").first.click()
    assert "/papers/" in page.url and page.url.endswith("/index.html")
    assert page.locator("h1").count() == 1
    page.close()


@pytest.mark.parametrize("width", [360, 1280])
def test_no_horizontal_scroll_at_phone_and_desktop_width(browser, example_build, width):
    page = browser.new_page(viewport={"width": width, "height": 800})
    for path in ["index.html", "papers/deep-residual-learning-for-image-recognition/index.html"]:
        page.goto((example_build.output / path).as_uri())
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, (path, overflow)
    page.close()


def test_keyboard_users_can_skip_to_content(browser, example_build):
    page = browser.new_page()
    page.goto((example_build.output / "index.html").as_uri())
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to content"
    page.close()
