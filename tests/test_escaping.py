"""A hostile title and abstract stay text in HTML, Markdown, feeds and JSON-LD."""

from __future__ import annotations

import json
import re
from xml.etree import ElementTree as ET

from sitecheck import check_site, parse_html

from generator.build import build_site

TITLE = 'Evil <script>alert("t")</script> & "Quotes" \'Too\' *stars* [x](javascript:alert(1))'
ABSTRACT = (
    "We propose <img src=x onerror=alert(1)> and </script><script>alert(2)</script> "
    "with &amp; entities & raw ampersands, plus # hashes and `ticks` in a long enough abstract. "
) * 3


def test_hostile_text_is_escaped_everywhere(make_site):
    root = make_site("standard.txt")
    (root / "content" / "listings" / "evil.txt").write_text(f"{TITLE}\n\n{ABSTRACT}\n", "utf-8")
    report = build_site(root)
    site = report.output
    [page] = [p for p in (site / "papers").glob("evil*/index.html")]
    html = page.read_text("utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html
    assert 'href="javascript:' not in html
    assert "Evil &lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt; &amp; &quot;Quotes&quot;" in html
    assert check_site(site, base_path="/test/") == ([], [])
    assert parse_html(page).problems == []

    ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    assert "</" not in ld and "<" not in ld
    assert json.loads(ld)["headline"] == TITLE

    entries = ET.parse(site / "feed.xml").getroot().iter("{http://www.w3.org/2005/Atom}entry")
    titles = [entry.findtext("{http://www.w3.org/2005/Atom}title") for entry in entries]
    assert TITLE in titles

    home = (site / "index.html").read_text("utf-8")
    assert "<script>alert" not in home
