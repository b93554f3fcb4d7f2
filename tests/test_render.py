"""Untrusted text through Markdown: always shown literally, never as markup."""

from __future__ import annotations

import html
import re

from hypothesis import given
from hypothesis import strategies as st

from generator.render import escape_markdown, make_markdown, markdown_with_links

to_html = make_markdown(raw_html=False)
MARKDOWNISH = st.text(
    alphabet=st.sampled_from(list("ab1 #*_[]()<>!|~&`\\-+=.:/\"'\n")), max_size=60
)


def visible_text(rendered: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", rendered)).strip()


@given(st.one_of(MARKDOWNISH, st.text(max_size=60)))
def test_escaped_text_renders_as_exactly_that_text(text):
    rendered = to_html(escape_markdown(text))
    expected = " ".join(text.split())
    assert visible_text(rendered) == expected.replace("\x00", "\ufffd")
    assert re.sub(r"</?p>", "", rendered).count("<") == 0


def test_urls_become_links_and_the_rest_stays_text():
    rendered = to_html(markdown_with_links("See *this* at https://github.com/a_b/c. Thanks"))
    link = '<a href="https://github.com/a_b/c">https://github.com/a_b/c</a>'
    assert rendered.strip() == f"<p>See *this* at {link}. Thanks</p>"


def test_raw_html_is_off_unless_enabled():
    assert "&lt;b&gt;" in to_html("<b>bold</b>")
    assert "<b>bold</b>" in make_markdown(raw_html=True)("<b>bold</b>")


def test_headings_get_unique_ids():
    rendered = to_html("## Links\n\n## Links\n")
    assert '<h2 id="links">' in rendered and '<h2 id="links-2">' in rendered
