"""Untrusted text through Markdown: always shown literally, never as markup."""

from __future__ import annotations

import html
import re

from hypothesis import given
from hypothesis import strategies as st

from generator.site.render import (
    MarkdownOptions,
    escape_markdown,
    make_markdown,
    markdown_with_links,
)

to_html = make_markdown(MarkdownOptions(raw_html=False))
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
    assert "<b>bold</b>" in make_markdown(MarkdownOptions(raw_html=True))("<b>bold</b>")


def test_headings_get_unique_ids():
    rendered = to_html("## Links\n\n## Links\n")
    assert '<h2 id="links">' in rendered and '<h2 id="links-2">' in rendered


# The markdown-it fast paths (generator/site/render.py) give exactly what markdown-it gives.
DESTINATION_TEXT = st.text(alphabet=st.sampled_from(list("<>\\\n ab()%&#x")), max_size=30)


@given(DESTINATION_TEXT, st.integers(0, 31), st.integers(0, 31))
def test_link_destinations_are_read_as_markdown_it_reads_them(text, pos, maximum):
    from markdown_it.helpers import parseLinkDestination

    from generator.site.render import link_destination

    ours, theirs = link_destination(text, pos, maximum), parseLinkDestination(text, pos, maximum)
    assert (ours.ok, ours.pos, ours.str) == (theirs.ok, theirs.pos, theirs.str)


URL_PART = st.text(alphabet=st.sampled_from(list("aZ09;/?:@&=+$,-_.!~*'()#%[] éF")), max_size=24)


@given(st.sampled_from(["https://", "http://", "HTTPS://", "ftp://"]), URL_PART, URL_PART)
def test_plain_addresses_are_normalized_as_markdown_it_would(scheme, host, path):
    from markdown_it.common.normalize_url import normalizeLink

    from generator.site.render import fast_normalize

    url = scheme + host.strip("/") + "/" + path
    assert fast_normalize(normalizeLink)(url) == normalizeLink(url)
    for real in [
        "https://arxiv.org/search/?query=%22A%3A%20B%22&searchtype=title",
        "https://www.semanticscholar.org/search?q=%22Deep%20Residual%22",
        "https://huggingface.co/papers/1512.03385",
        "https://doi.org/10.1088/1742-5468/ac9830",
    ]:
        assert fast_normalize(normalizeLink)(real) == normalizeLink(real) == real


def test_the_fast_paths_change_no_page(example_build):
    """Every Markdown page of the example converts to the same HTML as plain markdown-it."""
    from markdown_it import MarkdownIt

    plain = MarkdownIt("commonmark", {"html": False}).enable("table")
    plain.disable(["html_block", "html_inline"])
    for page in example_build.output.rglob("index.md"):
        text = page.read_text("utf-8")
        ours = re.sub(r' id="[^"]*"', "", to_html(text))
        assert ours == plain.render(text), page


PLAIN_PATH = st.lists(
    st.one_of(
        st.sampled_from(list("aZ09;/?:@&=+$,-_.!~*'()#")),
        st.sampled_from(["%20", "%3A", "%2f", "%", "%G1", "%%"]),
    ),
    max_size=20,
).map("".join)


@given(st.from_regex(r"[a-z0-9][a-z0-9.-]{0,10}[a-z0-9]", fullmatch=True), PLAIN_PATH)
def test_addresses_the_fast_path_takes_are_left_as_markdown_it_leaves_them(host, path):
    from markdown_it.common.normalize_url import normalizeLink

    from generator.site.render import _PLAIN_URL, fast_normalize

    url = f"https://{host}/{path}"
    assert fast_normalize(normalizeLink)(url) == normalizeLink(url)
    if _PLAIN_URL.fullmatch(url):
        assert normalizeLink(url) == url
