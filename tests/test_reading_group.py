"""The two features built as plugins: math (MathML at build time) and a reading group's
schedule (sessions split on the visitor's today, in the browser)."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest
from conftest import serve_directory
from test_markup import vnu_command

from generator.build import build_site
from generator.diagnostics import ContentError

RESNET = "papers/deep-residual-learning-for-image-recognition/"
ATTENTION = "papers/attention-is-all-you-need/"
MATH_NOTE = """---
title: Deep Residual Learning for Image Recognition
---
The block learns $F(x) = H(x) - x$, so the layer outputs $F(x) + x$:

$$
\\sum_{i=1}^{n} \\frac{a_i}{b_i}
$$

It cost $5 and $6 to train, and \\$x\\$ is not math.
"""


def note(root: Path, name: str, text: str) -> None:
    (root / "content" / "papers").mkdir(exist_ok=True)
    (root / "content" / "papers" / name).write_text(text, "utf-8")


def test_math_in_notes_and_pages_is_mathml(make_site):
    root = make_site("standard.txt", site_yml="title: T\nplugins: [math]\n")
    note(root, "resnet.md", MATH_NOTE)
    (root / "content" / "pages").mkdir()
    (root / "content" / "pages" / "about.md").write_text(
        "---\ntitle: About\n---\nEuler: $e^{i\\pi} + 1 = 0$.\n", "utf-8"
    )
    build_site(root, root / "site")
    paper = (root / "site" / RESNET / "index.html").read_text("utf-8")
    inline = re.findall(r'<math xmlns="[^"]+" display="inline">.*?</math>', paper)
    assert len(inline) == 2 and "<mi>F</mi>" in inline[0]
    assert re.search(r'display="block"><mrow><munderover><mo>&#x02211;</mo>', paper) or (
        'display="block"' in paper and "<mfrac>" in paper
    )
    assert "It cost $5 and $6 to train, and $x$ is not math." in paper
    about = (root / "site" / "about" / "index.html").read_text("utf-8")
    assert "<msup><mi>e</mi>" in about
    # The Markdown twin keeps the TeX as written: it is the source, for readers of Markdown.
    assert "$F(x) = H(x) - x$" in (root / "site" / RESNET / "index.md").read_text("utf-8")
    pages = [str(root / "site" / RESNET / "index.html"), str(root / "site/about/index.html")]
    result = subprocess.run([*vnu_command(), *pages], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr


def test_with_math_on_titles_and_abstracts_keep_their_dollar_signs(make_site):
    root = make_site("standard.txt", site_yml="title: T\nplugins: [math]\n")
    note(
        root,
        "dollars.md",
        "---\ntitle: Training for $100 a day\nabstract: We spend $a$ and $b$ on it.\n---\n",
    )
    build_site(root, root / "site")
    page = (root / "site" / "papers/training-for-100-a-day/index.html").read_text("utf-8")
    assert "<math" not in page
    assert "<h1" in page and "Training for $100 a day" in page
    assert "We spend $a$ and $b$ on it." in page


def test_without_the_plugin_dollars_are_text(make_site):
    root = make_site("standard.txt")
    note(root, "resnet.md", MATH_NOTE)
    build_site(root, root / "site")
    paper = (root / "site" / RESNET / "index.html").read_text("utf-8")
    assert "<math" not in paper and "$F(x) = H(x) - x$" in paper


def schedule_site(make_site, today: dt.date) -> Path:
    root = make_site("standard.txt", site_yml="title: Reading Group\nplugins: [schedule]\n")
    days = {
        "resnet.md": ("Deep Residual Learning for Image Recognition", -7, "Ada Lovelace"),
        "attention.md": ("Attention Is All You Need", 7, "Alan Turing"),
        "vit.md": ("An Image is Worth 16x16 Words", 21, ""),
    }
    for name, (title, offset, presenter) in days.items():
        day = today + dt.timedelta(days=offset)
        said = f"presenter: {presenter}\n" if presenter else ""
        note(root, name, f"---\ntitle: {title}\ndiscussed: {day.isoformat()}\n{said}---\n")
    return root


def test_the_schedule_page_lists_every_session_by_day(make_site):
    today = dt.date.today()
    root = schedule_site(make_site, today)
    build_site(root, root / "site")
    site = root / "site"
    schedule = (site / "schedule" / "index.html").read_text("utf-8")
    days = re.findall(r'data-day="([0-9-]+)"', schedule)
    assert days == sorted(days) and len(days) == 3
    assert "presented by Ada Lovelace" in schedule
    assert 'href="schedule/"' in (site / "index.html").read_text("utf-8")
    paper = (site / ATTENTION / "index.html").read_text("utf-8")
    when = today + dt.timedelta(days=7)
    assert f"<strong>Discussed:</strong> {when:%B} {when.day}, {when.year}, presented by Alan" in (
        paper
    )
    assert (site / "assets" / "schedule.js").is_file()
    # The same content builds the same site on any day (the split is the browser's).
    again = root.parent / "again"
    build_site(root, again)
    assert (again / "schedule/index.html").read_bytes() == schedule.encode("utf-8")
    pages = [str(site / "schedule/index.html"), str(site / "index.html")]
    result = subprocess.run([*vnu_command(), *pages], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr


def test_a_session_day_that_is_no_day_is_an_error_at_its_note(make_site):
    root = make_site("standard.txt", site_yml="title: T\nplugins: [schedule]\n")
    note(root, "resnet.md", "---\ntitle: Deep Residual Learning\ndiscussed: next week\n---\n")
    with pytest.raises(ContentError, match="discussed: must be a day like 2024-03-14") as error:
        build_site(root, root / "site")
    assert error.value.location.path.name == "resnet.md"
    (root / "content" / "site.yml").write_text("title: T\n", "utf-8")  # no plugin, no key
    note(root, "resnet.md", "---\ntitle: Deep Residual Learning\ndiscussed: 2024-03-14\n---\n")
    with pytest.raises(ContentError, match="discussed"):
        build_site(root, root / "site")


def test_the_browser_shows_upcoming_sessions_first_and_the_next_on_the_home_page(
    make_site, page, tmp_path
):
    root = schedule_site(make_site, dt.date.today())
    build_site(root, root / "site")
    with serve_directory(root / "site") as url:
        page.goto(url + "schedule/")
        upcoming = page.locator("[data-sessions=upcoming]")
        assert upcoming.is_visible()
        assert upcoming.locator("li a").all_inner_texts() == [
            "Attention Is All You Need",
            "An Image is Worth 16x16 Words",
        ]
        past = page.locator("[data-sessions=all]")
        assert past.locator("h2").inner_text() == "Past sessions"
        assert past.locator("li a").all_inner_texts() == [
            "Deep Residual Learning for Image Recognition"
        ]
        page.screenshot(path=str(tmp_path / "schedule.png"), full_page=True)
        page.goto(url)
        next_session = page.locator("[data-next-session]")
        assert next_session.is_visible()
        assert next_session.locator("li a").all_inner_texts() == ["Attention Is All You Need"]
        page.screenshot(path=str(tmp_path / "home.png"))


def test_showing_the_next_session_moves_nothing_already_shown(make_site, chromium):
    """The home page's Next session is shown by a script: one that ran after the page was
    painted pushed everything below it down (Lighthouse's CLS 0.12, performance 0.96).
    The script now runs where the section ends, even when it arrives slowly."""
    root = schedule_site(make_site, dt.date.today())
    build_site(root, root / "site")
    context = chromium.new_context()
    page = context.new_page()
    page.add_init_script(
        """window.shifts = [];
           new PerformanceObserver(list => {
             for (const entry of list.getEntries()) window.shifts.push(entry.value);
           }).observe({type: 'layout-shift', buffered: true});"""
    )

    def slowly(route):
        import time

        time.sleep(0.4)
        route.continue_()

    page.route("**/assets/schedule.js", slowly)
    with serve_directory(root / "site") as url:
        page.goto(url)
        page.wait_for_function("!document.querySelector('[data-next-session]').hidden")
        page.wait_for_timeout(300)
        assert page.evaluate("window.shifts") == []
    context.close()
