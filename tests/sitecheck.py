"""Checks over a built site: every internal link resolves, every HTML file is well formed."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.base: str | None = None
        self.ids: set[str] = set()
        self.stack: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "base":
            self.base = values.get("href")
            return
        for name in ("href", "src"):
            if values.get(name) is not None:
                self.links.append(values[name])
        if values.get("id"):
            self.ids.add(values["id"])
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else '-'}>")
            return
        self.stack.pop()


def parse_html(path: Path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    collector.close()
    if collector.stack:
        collector.problems.append(f"unclosed: {collector.stack}")
    return collector


def resolve(page: Path, href: str) -> Path | None:
    """The file a relative link points at, as a browser opening files from disk sees it."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    target = (page.parent / unquote(parts.path)).resolve()
    if parts.path.endswith("/"):
        target = target / "index.html"
    return target


def check_site(site: Path, base_path: str = "/") -> tuple[list[str], list[str]]:
    """(broken links, malformed pages) over every HTML file of the site.

    A page with <base href> (the 404 page, served at any depth) must point it at the
    site root `base_path`; its links then resolve from the root.
    """
    broken, malformed = [], []
    for page in sorted(site.rglob("*.html")):
        parsed = parse_html(page)
        malformed += [f"{page.relative_to(site)}: {problem}" for problem in parsed.problems]
        origin = page
        if parsed.base is not None:
            if parsed.base != base_path:
                broken.append(f"{page.relative_to(site)}: <base href={parsed.base}>")
            origin = site / "index.html"
        for href in parsed.links:
            if href.startswith("/"):
                broken.append(f"{page.relative_to(site)}: root-relative link {href}")
                continue
            target = resolve(origin, href)
            if target is None:
                continue
            if not target.is_file() or site.resolve() not in target.parents:
                broken.append(f"{page.relative_to(site)}: {href}")
    return broken, malformed
