"""The template contract: what each layout is given, one TypedDict a layout, each variable
with what it is. mypy holds the kinds of page (site/pages.py) to them; a test holds every
page's context to its layout's contract, and the README's table of template variables to
`variables_table` (so the table is never out of date)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, NotRequired, TypedDict, get_type_hints

from markupsafe import Markup

from generator.catalog.authors import Author
from generator.catalog.graph import MissingPaper, PaperCitations
from generator.model import Link, Listing, Paper, SiteConfig, Topic
from generator.site.collection import Collection, CollectionPage, Pager
from generator.site.feeds import Feed
from generator.site.paper_cards import PaperCards
from generator.text.urls import Linker


class EveryPage(TypedDict):
    """What every page and file made from a template is given."""

    site: Annotated[SiteConfig, "site.yml's settings: site.title, site.url, site.extra..."]
    nav: Annotated[list[tuple[str, str]], "the header's links: (label, site path)"]
    topics_of: Annotated[dict[str, tuple[Topic, ...]], "a paper's topics, by its slug"]
    listings: Annotated[dict[str, Listing], "every listing, by its id"]
    cards: Annotated[
        PaperCards,
        "cards(paper, link) and cards.row(paper, link): a paper listed; "
        "cards.many(papers, link, level) (level 0: rows): many, one a line, in one call",
    ]
    link: Annotated[Linker, "links from this page: link.paper(p), link.to('papers/')..."]
    section: Annotated[str, "the page's top folder ('papers/'), '' for the home page"]
    canonical: Annotated[str | None, "the page's absolute URL (None without url:)"]
    social_image: Annotated[str | None, "the absolute URL of its social card, if any"]


class Titled(TypedDict):
    title: Annotated[str, "the page's title"]
    description: Annotated[str, "its description (meta description, og:description)"]


class HomeContext(Titled):
    sections: Annotated[
        list[tuple[str, str, list[Paper]]], "(id, heading, papers): latest, recently listed"
    ]
    topics: Annotated[tuple[Topic, ...], "every topic"]
    listing_counts: Annotated[list[tuple[Listing, int]], "every listing and its papers' count"]
    paper_count: Annotated[int, "how many papers the site has"]


class TopicsContext(Titled):
    topics: Annotated[tuple[Topic, ...], "every topic"]


class ListingsContext(Titled):
    listing_counts: Annotated[list[tuple[Listing, int]], "every listing and its papers' count"]


class SearchContext(Titled):
    paper_count: Annotated[int, "how many papers the index holds"]


class NotFoundContext(Titled):
    base_href: Annotated[str | None, "the site's root path, for <base href> (None: no url:)"]


class AuthorsContext(Titled):
    authors: Annotated[tuple[Author, ...], "every author, by name"]
    letters: Annotated[
        list[tuple[str, tuple[Author, ...]]], "(letter, authors), when the list is long; or []"
    ]


class PaperContext(Titled):
    paper: Annotated[Paper, "the paper: title, authors, abstract, published, arxiv, doi..."]
    authors: Annotated[tuple[Author, ...], "its authors, each with a page"]
    actions: Annotated[list[Link], "the links that lead to the paper (arXiv, DOI, PDF...)"]
    topics: Annotated[tuple[Topic, ...], "its topics"]
    paper_listings: Annotated[list[Listing], "the listings that name it"]
    related: Annotated[tuple[Paper, ...], "similar papers"]
    citations: Annotated[
        PaperCitations | None,
        "citations.json: count, fetched, venue, url, cites and cited_by (papers here); or None",
    ]
    citation_source: Annotated[str, "who counted the citations ('Semantic Scholar'), or ''"]
    neighbourhood: Annotated[Markup, "an SVG of what it cites and what cites it here, or ''"]
    json_ld: Annotated[Markup, "its ScholarlyArticle, for a JSON-LD script"]
    scholar_tags: Annotated[list[tuple[str, str]], "Google Scholar's citation_* meta tags"]
    og_type: Annotated[str, "'article'"]
    bibtex: Annotated[str, "its BibTeX entry"]
    bibtex_fence: Annotated[str, "a Markdown code fence longer than any in the entry"]


class PaperFields(TypedDict):
    paper_fields: Annotated[list[tuple[str, str]], "plugins' (label, text) lines"]


class CollectionContext(Titled):
    collection: Annotated[Collection, "the topic, listing, author or all papers"]
    page: Annotated[CollectionPage, "this page of it: its order, its share of the papers"]
    papers: Annotated[tuple[Paper, ...], "the papers this page shows"]
    pager: Annotated[Pager, "the links between its pages"]
    downloads: Annotated[tuple[str, str] | None, "its .bib and CSL-JSON, from its folder"]


class MissingContext(Titled):
    missing: Annotated[
        tuple[MissingPaper, ...],
        "the first 100: title, arxiv, doi, citations, year, url, cited_by (papers here)",
    ]
    missing_count: Annotated[int, "how many papers are missing in all"]
    citers_shown: Annotated[int, "how many of each one's cited_by to list (5)"]
    citation_source: Annotated[str, "who counted the citations ('Semantic Scholar')"]
    fetched: Annotated[dt.date, "the newest day citations.json was fetched"]
    feed_path: Annotated[str, "the site path of its Atom feed"]


class FeedContext(TypedDict):
    feed: Annotated[Feed, "title, id, updated, self_href, home_href, author, entries"]


class SitemapContext(TypedDict):
    urls: Annotated[list[str], "every HTML page's absolute URL, sorted"]


class SessionsContext(Titled):
    sessions: Annotated[list[Any], "schedule plugin: each session's day, paper, presenter"]


class WithMarkdown(TypedDict):
    content: Annotated[Markup, "the page's Markdown (paper.md, collection.md, a free page) as HTML"]


class HomeWithSessions(TypedDict):
    sessions: NotRequired[Annotated[list[Any], "schedule plugin: every session, by day"]]


class HomePage(EveryPage, HomeContext, HomeWithSessions):
    """home.html"""


class TopicsPage(EveryPage, TopicsContext):
    """topics.html"""


class ListingsPage(EveryPage, ListingsContext):
    """listings.html"""


class SearchPage(EveryPage, SearchContext):
    """search.html"""


class NotFoundPage(EveryPage, NotFoundContext):
    """404.html"""


class AuthorsPage(EveryPage, AuthorsContext):
    """authors.html"""


class PaperPage(EveryPage, PaperContext, PaperFields, WithMarkdown):
    """paper.html (and paper.md, which has all of it but content)"""


class CollectionPageContext(EveryPage, CollectionContext, WithMarkdown):
    """collection.html (and collection.md, which has all of it but content)"""


class FreePage(EveryPage, Titled, WithMarkdown):
    """page.html"""


class SchedulePage(EveryPage, SessionsContext):
    """schedule.html (schedule plugin)"""


class MissingPage(EveryPage, MissingContext):
    """missing.html"""


class FeedFile(EveryPage, FeedContext):
    """feed.xml"""


class SitemapFile(EveryPage, SitemapContext):
    """sitemap.xml"""


class RobotsFile(EveryPage):
    """robots.txt"""


# Each layout's contract, in the order the README lists them.
LAYOUTS: dict[str, type] = {
    "home.html": HomePage,
    "paper.html": PaperPage,
    "collection.html": CollectionPageContext,
    "topics.html": TopicsPage,
    "listings.html": ListingsPage,
    "authors.html": AuthorsPage,
    "search.html": SearchPage,
    "page.html": FreePage,
    "404.html": NotFoundPage,
    "schedule.html": SchedulePage,
    "missing.html": MissingPage,
    "feed.xml": FeedFile,
    "sitemap.xml": SitemapFile,
    "robots.txt": RobotsFile,
}


def variables(layout: type) -> dict[str, str]:
    """A contract's variables and what each is (the annotation's text)."""
    hints = get_type_hints(layout, include_extras=True)
    return {name: _said(hint) for name, hint in hints.items()}


def variables_table() -> str:
    """The README's table of template variables: what every page has, what every HTML
    page has, then each layout's own."""
    every, titled = variables(EveryPage), variables(Titled)
    rows = ["| layout | variable | what it is |", "|---|---|---|"]
    rows += [f"| every one | `{name}` | {said} |" for name, said in every.items()]
    rows += [f"| every `.html` | `{name}` | {said} |" for name, said in titled.items()]
    for name, layout in LAYOUTS.items():
        own = variables(layout)
        rows += [
            f"| `{name}` | `{key}` | {said} |"
            for key, said in own.items()
            if key not in every and key not in titled
        ]
    return "\n".join(rows) + "\n"


def _said(hint: Any) -> str:
    for extra in getattr(hint, "__metadata__", ()):
        if isinstance(extra, str):
            return extra
    for argument in getattr(hint, "__args__", ()):  # NotRequired[Annotated[...]]
        said = _said(argument)
        if said:
            return said
    return ""
