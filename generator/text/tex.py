"""TeX left in abstracts copied from arXiv, shown as the text it typesets to.

Only what TeX itself would print differently is changed: escaped specials (85.4\\% -> 85.4%,
\\& -> &), dashes (--- -> em dash, -- -> en dash), ``quotes'' and ties (e.g.~this -> e.g.
this). Commands such as \\textbf or math are left as they are, and web addresses are
never touched.
"""

from __future__ import annotations

import re

from generator.text.paper_links import find_urls

_TEX = re.compile(
    r"\\(?P<escaped>[%&_#$])"
    r"|(?<!-)(?P<dash>---?)(?!-)"
    r"|(?P<quote>``|'')"
    # A tie joins words ("e.g.~facial", "(1)~a"); "~2%" or "10~30%" mean "about" and "to".
    r"|(?<=[A-Za-z.)])~(?=[A-Za-z(])"
)
_TYPESET = {"---": "\u2014", "--": "\u2013", "``": "\u201c", "''": "\u201d"}
# A fast test first: most abstracts hold none of these.
_MARKS = ("\\", "--", "``", "''", "~")


def typeset(text: str) -> str:
    """The text as TeX would typeset its escapes, dashes, quotes and ties."""
    if not any(mark in text for mark in _MARKS) or not _TEX.search(text):
        return text
    urls = find_urls(text)

    def replace(match: re.Match[str]) -> str:
        if any(start <= match.start() < end for start, end in urls):
            return match[0]
        if match["escaped"]:
            return match["escaped"]
        if match["dash"] or match["quote"]:
            return _TYPESET[match[0]]
        return " "

    return _TEX.sub(replace, text)
