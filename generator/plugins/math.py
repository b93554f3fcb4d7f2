"""Math, a built-in plugin a site turns on (`plugins: [math]`): $...$ and $$...$$ in
notes and pages typeset at build time as MathML, which browsers show with no JavaScript.

The syntax is markdown-it-py's dollarmath (mdit-py-plugins), as pandoc reads it: a $
followed or preceded by a space or a digit is a dollar sign ("costs $5 and $6"), and \\$
is one anywhere. latex2mathml converts the TeX. With math on, the text the templates put
into Markdown (titles, abstracts, names) has its dollar signs escaped, so it reads as
before.
"""

from __future__ import annotations

from html import escape
from typing import Any

from markdown_it import MarkdownIt

from generator.plugins.api import Plugin
from generator.site.render import escape_markdown, markdown_with_links


def mathml(tex: str, options: dict[str, Any]) -> str:
    """The MathML of a formula; TeX that cannot be converted is shown as written."""
    from latex2mathml.converter import convert  # loaded by sites with math only

    try:
        return convert(tex.strip(), display="block" if options.get("display_mode") else "inline")
    except Exception:  # latex2mathml fails in many ways on TeX it does not know
        return f'<code class="math-error">{escape(tex)}</code>'


def _dollar_math(md: MarkdownIt) -> None:
    from mdit_py_plugins.dollarmath import dollarmath_plugin  # loaded by sites with math only

    md.use(
        dollarmath_plugin,
        allow_space=False,
        allow_digits=False,
        allow_labels=False,
        allow_blank_lines=False,
        renderer=mathml,
    )


def escape_dollars(text: str) -> str:
    return text.replace("$", "\\$")


PLUGIN = Plugin(
    "math",
    markdown=_dollar_math,
    filters={
        "md": lambda text: escape_dollars(escape_markdown(text)),
        "md_text": lambda text: escape_dollars(markdown_with_links(text)),
    },
)
