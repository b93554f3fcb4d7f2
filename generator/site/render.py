"""Turn composed pages into HTML: markdown-it-py for the Markdown, Jinja layouts around it."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import sys
import time
import types
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
import markdown_it.helpers
from markdown_it import MarkdownIt
from markdown_it.common.utils import unescapeAll
from markdown_it.helpers import parseLinkDestination
from markupsafe import Markup

from generator.diagnostics import ContentError, what_failed
from generator.model import ComposedPage, PaperDate
from generator.site.feeds import xml_attribute, xml_text
from generator.text.identifiers import card_links
from generator.text.paper_links import find_urls
from generator.text.slugs import slugify
from generator.text.snippets import CARD_TOPICS, byline, excerpt

# Characters that can start Markdown syntax anywhere in a line, and at a line's start.
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>!|~&])")
_MARKDOWN_BLOCK_MARK = re.compile(r"^(\s*)([#+=-])")
_MARKDOWN_LIST_NUMBER = re.compile(r"^(\s*\d+)([.)])")


@dataclass(frozen=True)
class MarkdownOptions:
    """How Markdown becomes HTML: raw HTML let through or not, and the plugins'
    `extensions` of the parser (math), named by `key` (HTML remembered from a build with
    other extensions is never reused)."""

    raw_html: bool = False
    extensions: tuple[Callable[[MarkdownIt], None], ...] = ()
    key: str = ""


class SiteEnvironment(jinja2.Environment):
    """Jinja's environment, remembering the templates each template file it parsed names
    (extends, include, import: `named`, by file: "theme/paper.html" and a site's own
    paper.html are two), for `compile_ahead`."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.named: dict[str, list[str]] = {}

    def _parse(self, source: str, name: str | None, filename: str | None) -> jinja2.nodes.Template:
        tree = super()._parse(source, name, filename)
        if filename is not None:
            found = jinja2.meta.find_referenced_templates(tree)
            self.named[filename] = [other for other in found if other is not None]
        return tree


def compile_ahead(env: SiteEnvironment, names: Iterable[str]) -> None:
    """Compile (or load from the cache) the templates `names`, those they name, and so
    on: in the process that compiles a build's templates while the content is read, and
    in the build before its render processes fork (each would otherwise compile or load
    them again: a cold build of the example compiled 5 of its 17 templates twice). What a
    template loaded compiled from the cache names is known only where it was parsed
    (`named`, which a build takes from that process); parsing it here to know would cost
    more than it saves: the render processes load those from the cache. A template that
    fails is left for the page that uses it to report."""

    def naming(name: str) -> list[str]:
        try:
            template = env.get_template(name)
        except (jinja2.TemplateError, OSError, ContentError):
            return []
        return env.named.get(template.filename or "", [])

    _every_named(names, naming)


def _every_named(names: Iterable[str], naming: Callable[[str], list[str] | None]) -> bool:
    """Call `naming` once on each of `names` and every template they name (extends,
    include, import), and every one those name, and so on, as it says of each; False as
    soon as it says None (what one names is not known)."""
    met: set[str] = set()
    waiting = sorted(set(names), reverse=True)
    while waiting:
        name = waiting.pop()
        if name in met:
            continue
        met.add(name)
        named = naming(name)
        if named is None:
            return False
        waiting += named
    return True


class _TemplateFolders(jinja2.FileSystemLoader):
    """Jinja's loader of template folders, but a file that is not UTF-8 is an error at that
    file, whichever template reads it (one it extends or includes too)."""

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError as error:
            path = _first_file([str(folder) for folder in self.searchpath], template)
            raise ContentError(path, 0, f"not UTF-8 text: {error.reason}") from None


def make_environment(
    templates: tuple[Path, ...],
    filters: Mapping[str, Callable[..., Any]] | None = None,
    template_globals: Mapping[str, Any] | None = None,
    compiled: jinja2.BytecodeCache | None = None,
) -> SiteEnvironment:
    """The Jinja environment of the template folders `templates`: the site's first, then
    the default theme (the last). "theme/NAME" is always the theme's own NAME, so that a
    site's paper.html can `{% extends "theme/paper.html" %}` and change only a block. The
    plugins' `filters` and `template_globals` come after the built-in ones (and may
    replace them: math's md filter escapes dollar signs too). `compiled` keeps the
    templates compiled from one build to the next."""
    theme = jinja2.PrefixLoader({"theme": _TemplateFolders(str(templates[-1]))})
    env = SiteEnvironment(
        loader=jinja2.ChoiceLoader([theme, _TemplateFolders([str(path) for path in templates])]),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=False),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # a build reads each template once; serve makes a new environment
        # when a template file changed
        bytecode_cache=compiled,
    )
    env.filters["md"] = escape_markdown
    env.filters["md_text"] = markdown_with_links
    env.filters["md_url"] = lambda url: "<" + url.replace("<", "%3C").replace(">", "%3E") + ">"
    env.filters["xml"] = xml_text
    env.filters["xml_attr"] = xml_attribute
    env.filters["isodate"] = iso_date
    env.filters["longdate"] = long_date
    env.filters["byline"] = byline
    env.filters["excerpt"] = excerpt
    env.filters["thousands"] = lambda number: f"{number:,}"  # 45000 as 45,000
    env.globals["card_links"] = card_links
    env.globals["card_topics"] = CARD_TOPICS
    env.filters.update(filters or {})
    env.globals.update(template_globals or {})
    return env


def iso_date(date: PaperDate | dt.date | None) -> str:
    """A publication date at its precision ('2016-03'), or a day ('2024-03-14')."""
    if isinstance(date, PaperDate):
        return date.iso()
    return date.isoformat() if date else ""


def long_date(date: PaperDate | dt.date | None) -> str:
    """'March 5, 2016', or as much of it as is known ('March 2016', '2016')."""
    if isinstance(date, PaperDate):
        return date.label()
    return PaperDate.of(date).label() if date else ""


def load_template(env: jinja2.Environment, name: str) -> jinja2.Template:
    """Compile a template; a syntax error becomes a ContentError at its file and line."""
    try:
        return env.get_template(name)
    except jinja2.TemplateSyntaxError as error:
        raise ContentError(error.filename or name, error.lineno, error.message or "") from None
    except jinja2.TemplateNotFound as error:
        raise ContentError(Path("templates") / name, 0, f"template not found: {error}") from None
    except UnicodeDecodeError as error:
        raise ContentError(
            _template_file(env, name), 0, f"not UTF-8 text: {error.reason}"
        ) from None
    except OSError as error:
        failed = what_failed(error)
        raise ContentError(_template_file(env, name), 0, f"cannot read it: {failed}") from None


def template_sources(env: jinja2.Environment, names: Iterable[str]) -> list[str] | None:
    """The name and text of each template `names` are made of (they and every template
    they extend, include or import, and so on), sorted; None if one names another by an
    expression, or cannot be read: what they are made of is then unknown. Not the file:
    the theme's templates copied into a site's templates/ make what the theme made."""
    loader = env.loader
    assert loader is not None
    found: dict[str, str] = {}

    def naming(name: str) -> list[str] | None:
        try:
            source, _, _ = loader.get_source(env, name)
            referenced = list(jinja2.meta.find_referenced_templates(env.parse(source)))
        except (jinja2.TemplateError, OSError, ContentError):
            return None
        found[name] = f"{name}\0{source}"
        return None if None in referenced else [other for other in referenced if other is not None]

    if not _every_named(names, naming):
        return None
    return [found[name] for name in sorted(found)]


def render_template(template: jinja2.Template, context: dict[str, Any]) -> str:
    """Render, turning a runtime template error into a ContentError at the template line."""
    try:
        return template.render(context)
    except jinja2.TemplateSyntaxError as error:
        raise ContentError(
            error.filename or template.name or "template", error.lineno, error.message or ""
        ) from None
    except ContentError:
        raise  # a template it loads, already placed
    except RecursionError:
        path, line = _template_frame(sys.exc_info()[2], template)
        raise ContentError(
            path, line, "template error: it calls or includes itself without end"
        ) from None
    except Exception as error:  # templates are code: 1/0, 10.0**1000, a bad call...
        path, line = _template_frame(sys.exc_info()[2], template)
        raise ContentError(path, line, f"template error: {error}") from None


def _template_file(env: jinja2.Environment, name: str) -> Path:
    """Where the template `name` would be read from: the first template folder holding it."""
    loader = env.loader
    folders: list[str] = []
    for choice in getattr(loader, "loaders", [loader]):
        folders += [str(folder) for folder in getattr(choice, "searchpath", [])]
    return _first_file(folders, name)


def _first_file(folders: list[str], name: str) -> Path:
    for folder in folders:
        if (Path(folder) / name).is_file():
            return Path(folder) / name
    return Path("templates") / name


def _template_frame(traceback: Any, template: jinja2.Template) -> tuple[str, int]:
    """The innermost traceback frame inside a template file (Jinja rewrites their lines)."""
    found = (template.filename or str(template.name), 0)
    while traceback is not None:
        filename = traceback.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".md", ".xml")):
            found = (filename, traceback.tb_lineno)
        traceback = traceback.tb_next
    return found


def escape_markdown(text: str) -> str:
    """Backslash-escape text so Markdown shows it literally; line breaks become spaces so
    a title stays one line."""
    return _escape_line_start(_escape_inline(_one_line(text)))


def markdown_with_links(text: str) -> str:
    """Escape untrusted text for Markdown, turning the URLs in it into links."""
    text = _one_line(text)
    parts, position = [], 0
    for start, end in find_urls(text):
        url = text[start:end]
        parts.append(_escape_inline(text[position:start]))
        parts.append(f"[{_escape_inline(url)}](<{url}>)")
        position = end
    parts.append(_escape_inline(text[position:]))
    return _escape_line_start("".join(parts))


def _escape_inline(text: str) -> str:
    return _MARKDOWN_INLINE.sub(r"\\\1", text)


def _escape_line_start(text: str) -> str:
    """'# x', '- x', '1. x' at the start of a line would become a heading or a list."""
    text = _MARKDOWN_BLOCK_MARK.sub(r"\1\\\2", text)
    return _MARKDOWN_LIST_NUMBER.sub(r"\1\\\2", text)


def _one_line(text: str) -> str:
    return " ".join(text.split())


# Text without these cannot hold a table or a link reference definition, so the parser
# may skip trying those rules on every line (the output is the same).
_TABLE_OR_REFERENCE = re.compile(r"\||\]:")


_ANGLE_DESTINATION_STOP = re.compile(r"[\n<>\\]")


class LinkDestination:
    """What markdown-it's link rule reads of a parsed destination."""

    __slots__ = ("ok", "pos", "str")

    def __init__(self) -> None:
        self.ok = False
        self.pos = 0
        self.str = ""


def link_destination(string: str, pos: int, maximum: int) -> Any:
    """markdown-it's parseLinkDestination with the <...> form (every link the templates
    write, through md_url) found by a regex rather than a Python loop over its characters:
    the same result (tested), at a fraction of the cost on long URLs."""
    if not string.startswith("<", pos):
        return parseLinkDestination(string, pos, maximum)
    result = LinkDestination()
    search = pos + 1
    while (stop := _ANGLE_DESTINATION_STOP.search(string, search, maximum)) is not None:
        at = stop.start()
        if stop[0] == "\\":
            search = at + 2 if at + 1 < maximum else at + 1
            continue
        if stop[0] == ">":
            result.pos, result.str, result.ok = at + 1, unescapeAll(string[pos + 1 : at]), True
        return result
    return result


# A web address that markdown-it's normalizeLink returns unchanged: http(s), a lower-case
# ASCII host, then only characters mdurl keeps and valid %XX escapes (tested).
_PLAIN_URL = re.compile(
    r"https?://[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?"
    r"(?:/(?:[A-Za-z0-9;/?:@&=+$,\-_.!~*'()#]|%[0-9A-Fa-f]{2})*)?"
)


def fast_normalize(normalize: Callable[[str], str]) -> Callable[[str], str]:
    """normalizeLink without its per-character work for addresses it would not change
    (the arXiv, Hugging Face and search links of paper pages, each one used once)."""

    def normalized(url: str) -> str:
        return url if _PLAIN_URL.fullmatch(url) else normalize(url)

    return normalized


def make_markdown(options: MarkdownOptions) -> Callable[[str], str]:
    """A CommonMark renderer with tables; headings get ids; raw HTML only if allowed; the
    plugins' extensions."""
    raw_html = options.raw_html
    full = MarkdownIt("commonmark", {"html": raw_html}).enable("table")
    lean = MarkdownIt("commonmark", {"html": raw_html}).disable(["table", "reference"])
    helpers = types.SimpleNamespace(**vars(markdown_it.helpers))
    helpers.parseLinkDestination = link_destination
    for md in (full, lean):
        md.helpers = helpers  # type: ignore[assignment]
        if not raw_html:
            md.disable(["html_block", "html_inline"])  # they would only return "no match"
        # The same few hundred topic, listing and paper links recur on every page.
        # (markdown-it-py calls these through the instance, so replacing them is supported.)
        md.normalizeLink = functools.lru_cache(maxsize=1 << 14)(  # type: ignore[method-assign]
            fast_normalize(md.normalizeLink)
        )
        md.validateLink = functools.lru_cache(maxsize=1 << 14)(md.validateLink)  # type: ignore[method-assign]
        md.normalizeLinkText = functools.lru_cache(maxsize=1 << 14)(md.normalizeLinkText)  # type: ignore[method-assign]
        for extend in options.extensions:
            extend(md)

    def render(text: str) -> str:
        md = full if _TABLE_OR_REFERENCE.search(text) else lean
        tokens = md.parse(text)
        used: dict[str, int] = {}
        for index, token in enumerate(tokens):
            if token.type == "heading_open":
                base = slugify(tokens[index + 1].content) or "section"
                used[base] = used.get(base, 0) + 1
                token.attrSet("id", base if used[base] == 1 else f"{base}-{used[base]}")
        html: str = md.renderer.render(tokens, md.options, {})
        return html

    return render


class MarkdownRenderer:
    """Markdown to HTML that remembers pages it converted before (by a hash of their
    Markdown), so a rebuild after a layout edit converts only the Markdown that changed.

    `remembered` seeds it (serve keeps one renderer; build loads one from its cache);
    `remembered` afterwards holds exactly the pages of the last build.
    """

    def __init__(self, options: MarkdownOptions, remembered: dict[str, str] | None = None) -> None:
        self.options = options
        self._convert = make_markdown(options)
        self._previous: dict[str, str] = {}
        self.remembered: dict[str, str] = dict(remembered or {})
        self.converted = 0
        self.seconds = 0.0

    def start_build(self) -> None:
        """Keep only the last build's pages, so memory follows the size of the site."""
        self._previous, self.remembered = self.remembered, {}

    def lookup(self, text: str) -> str:
        """The HTML of `text`, remembered or converted, without remembering it."""
        key = hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
        html = self.remembered.get(key) or self._previous.get(key)
        return html if html is not None else self._convert(text)

    def __call__(self, text: str) -> str:
        started = time.perf_counter()
        key = hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
        html = self._previous.get(key)
        if html is None:
            html = self._convert(text)
            self.converted += 1
        self.remembered[key] = html
        self.seconds += time.perf_counter() - started
        return html


def markdown_path(path: str) -> str:
    """Where a page's Markdown is written beside its HTML: papers/x/index.md."""
    return path.removesuffix(".html") + ".md"


def render_pages(
    pages: list[ComposedPage],
    env: jinja2.Environment,
    markdown: MarkdownRenderer,
    remember: bool = True,
) -> dict[str, bytes]:
    """Output files for the pages: index.html for each, index.md beside Markdown pages.
    `remember`: the Markdown converted is kept for the next build (after `start_build`);
    not for pages shown ahead of their build (serve's first pages), which leave the
    renderer's memory as it was."""
    convert: Callable[[str], str] = markdown if remember else markdown.lookup
    layouts: dict[str, jinja2.Template] = {}
    files: dict[str, bytes] = {}
    for page in pages:
        if page.layout not in layouts:
            layouts[page.layout] = load_template(env, page.layout)
        context = dict(page.context)
        if page.markdown is not None:
            context["content"] = Markup(convert(page.markdown))
            files[markdown_path(page.path)] = page.markdown.encode("utf-8")
        files[page.path] = render_template(layouts[page.layout], context).encode("utf-8")
    return files
