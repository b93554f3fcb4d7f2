"""Decide which pages exist and what each one shows: one function per kind of page.

Each kind lists its pages as `PlannedPage`s: the output path (worked out once, here), the
layout, the Markdown template if the page has Markdown, its social card, and its own
context, worked out only when the page is composed (in whichever process renders it).
`SitePlan.compose` gives every page one context, the same for its Markdown and its HTML.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from generator.catalog.authors import Author, AuthorIndex
from generator.catalog.graph import CitationGraph
from generator.catalog.topics import TopicIndex, newest_first
from generator.content.templates import collection_markdown
from generator.diagnostics import ContentError
from generator.model import ComposedPage, FreePage, Link, Listing, Paper, SiteConfig, Topic
from generator.site.citation import (
    bibtex,
    code_fence,
    json_for_script,
    scholar_tags,
    scholarly_article,
)
from generator.site.collection import (
    SORTS,
    Collection,
    CollectionPage,
    Ranks,
    collection_pages,
    site_ranks,
)
from generator.site.contract import (
    AuthorsContext,
    CollectionContext,
    HomeContext,
    ListingsContext,
    MissingContext,
    NotFoundContext,
    PaperContext,
    SearchContext,
    Titled,
    TopicsContext,
)
from generator.site.feeds import FEED, missing_feed, sitemap_urls
from generator.site.neighbourhood import neighbourhood_svg
from generator.site.paper_cards import CARDS_TEMPLATE, CardKey, PaperCards
from generator.site.render import load_template, render_template
from generator.site.social import CardText, card_path
from generator.text.identifiers import paper_actions
from generator.text.snippets import byline, excerpt
from generator.text.urls import (
    AUTHORS,
    COLLECTION_BIBTEX,
    COLLECTION_CSL,
    LISTINGS,
    MISSING,
    PAPERS,
    SEARCH,
    TOPICS,
    Linker,
    author_path,
    listing_path,
    page_url,
    paper_path,
    topic_path,
)
from generator.text.words import fold

LATEST_ON_HOME = 12
# A list longer than this gets letter headings and a bar of links to them (the authors).
LONG_LIST = 40
DESCRIPTION_CHARS = 160
# The missing papers' page shows the most cited this many, each with this many of the
# papers here that cite it (and how many more): the head of a long tail, in one page.
MISSING_SHOWN = 100
CITERS_SHOWN = 5
RESERVED_SLUGS = frozenset(
    folder.strip("/") for folder in (PAPERS, TOPICS, LISTINGS, AUTHORS, SEARCH, "assets/")
)


@dataclass(frozen=True)
class PlannedPage:
    """One page to make. `context` is what this page shows beyond what every page gets;
    `template` makes its Markdown (paper.md, collection.md), or `body` is its Markdown as
    written (a free page); `card` is (title, line) for its social card. A paper page has
    `texts`, which makes its `PaperTexts`: its `context` takes them."""

    path: str
    layout: str
    context: Callable[..., Mapping[str, Any]]
    template: str | None = None
    body: str | None = None
    card: tuple[str, str] | None = None
    texts: Callable[[], PaperTexts] | None = None

    @property
    def has_markdown(self) -> bool:
        """Whether the page has Markdown (written beside its HTML as index.md)."""
        return self.template is not None or self.body is not None


@dataclass(frozen=True)
class PaperTexts:
    """What a paper page shows that is made of the paper and the site's settings alone and
    costs the most to make: its links, JSON-LD, meta tags and BibTeX. A build keeps them
    for the next build of the same content (a layout edit does not make them again)."""

    description: str
    actions: list[Link]
    neighbourhood: Markup
    json_ld: Markup
    scholar_tags: list[tuple[str, str]]
    bibtex: str
    bibtex_fence: str


@dataclass(frozen=True)
class SiteParts:
    """What the kinds of page are made from: the catalog, and what several kinds share."""

    config: SiteConfig
    papers: list[Paper]
    topics: TopicIndex
    authors: AuthorIndex
    related: dict[str, tuple[Paper, ...]]
    free_pages: list[FreePage]
    graph: CitationGraph = field(default_factory=CitationGraph)

    @functools.cached_property
    def listings(self) -> dict[str, Listing]:
        return {listing.id: listing for listing in self.config.listings}

    @functools.cached_property
    def collection_markdown(self) -> str:
        """The Markdown template that heads every collection page."""
        return collection_markdown(self.config.templates)

    @functools.cached_property
    def ranks(self) -> Ranks:
        """Each paper's place in the orders every collection offers."""
        return site_ranks(self.papers)

    @functools.cached_property
    def listing_members(self) -> dict[str, tuple[Paper, ...]]:
        """The papers of each listing, by listing id, in the order of all papers."""
        members: dict[str, list[Paper]] = {listing.id: [] for listing in self.config.listings}
        for paper in self.papers:
            for listing_id in paper.listings:
                members[listing_id].append(paper)
        return {key: tuple(papers) for key, papers in members.items()}

    @functools.cached_property
    def listing_counts(self) -> list[tuple[Listing, int]]:
        return [(self.listings[key], len(papers)) for key, papers in self.listing_members.items()]


# A kind of page: every page of that kind, planned from what the site is made of.
PageKind = Callable[[SiteParts], Iterator[PlannedPage]]


@dataclass(frozen=True)
class Extensions:
    """What plugins add to the plan: kinds of page after the built-in ones (each with the
    name of the plugin that makes it), links in the header after Papers and Topics, lines
    on paper pages, and more context for any page."""

    kinds: tuple[tuple[str, PageKind], ...] = ()
    nav: tuple[Callable[[SiteParts], Iterable[tuple[str, str]]], ...] = ()
    paper_fields: tuple[Callable[[Paper], Iterable[tuple[str, str]]], ...] = ()
    page_context: tuple[Callable[[str, SiteParts], Mapping[str, Any]], ...] = ()


class SitePlan:
    """Every page of the site, the social cards they show, and how to compose each page.

    Cheap to make, so each worker composes its own share of the pages. A plan that
    `keeps_pages` (serve's) remembers each page it composed, and lends them to the next
    plan made `pages_from` it, after an edit that changed neither content nor Markdown
    templates (only layouts): that plan takes each page's context and Markdown as they
    were, with its own `paper_cards` (the one part of a context made from the layouts: the
    templates' `cards`).
    """

    def __init__(
        self,
        parts: SiteParts,
        env: jinja2.Environment,
        keeps_pages: bool = False,
        pages_from: SitePlan | None = None,
        extensions: Extensions = Extensions(),
    ) -> None:
        self.config = parts.config
        self.pages: list[PlannedPage]
        self.social_cards: dict[str, CardText]
        self._parts, self._extensions = parts, extensions
        if pages_from is not None:  # the same content: the same pages
            self.pages, self.social_cards = pages_from.pages, pages_from.social_cards
        else:
            kinds = [("papersite", kind) for kind in PAGE_KINDS] + list(extensions.kinds)
            self.pages = _every_page(parts, kinds)
            self.pages += sitemap(parts.config, [page.path for page in self.pages])
            self.social_cards = self._social_cards()
        self._env = env
        before = pages_from.paper_cards if pages_from else None
        # The helper that renders paper cards for the layouts (templates/_cards.html).
        self.paper_cards: PaperCards = PaperCards(env, parts.topics.of_paper, before)
        self._common = {
            "site": parts.config,
            "nav": _navigation(parts, extensions.nav),
            "topics_of": parts.topics.of_paper,
            "listings": parts.listings,
            "cards": self.paper_cards,
        }
        self._templates: dict[str, jinja2.Template] = {}
        self._lent = (pages_from._composed if pages_from else None) or {}
        self._composed: dict[str, ComposedPage] | None = {} if keeps_pages else None
        self._markdown_before: Mapping[str, str] = {}
        self.rendered_markdown = 0  # pages whose Markdown template was rendered here
        self._texts_before: Mapping[str, PaperTexts] = {}
        # Each paper page's texts, by path, kept once `reuse` is called (for the cache).
        self.paper_texts: dict[str, PaperTexts] | None = None
        self.made_texts = 0  # paper pages whose texts were made here, not reused

    def reuse(
        self,
        markdown: Mapping[str, str],
        cards: Mapping[CardKey, str],
        texts: Mapping[str, PaperTexts],
    ) -> None:
        """Take each page's `markdown` (by path) as composed by an earlier build of the same
        content and Markdown templates, rather than render its Markdown template again; the
        `cards` an earlier build of the same content and cards template made; and the paper
        pages' `texts` (by path) an earlier build of the same content made. What this plan
        composes is then kept in `paper_texts`."""
        self._markdown_before = markdown
        self._texts_before, self.paper_texts = texts, {}
        self.paper_cards = PaperCards(self._env, self._parts.topics.of_paper, cached=cards)
        self._common["cards"] = self.paper_cards

    def markdown_templates(self) -> list[str]:
        """The templates the pages' Markdown is rendered from."""
        return sorted({page.template for page in self.pages if page.template is not None})

    def templates(self) -> list[str]:
        """Every template the pages are made with, by name: their layouts, their Markdown
        templates and the cards' (each with those it names, not listed here)."""
        layouts = {page.layout for page in self.pages}
        return sorted(layouts | {*self.markdown_templates(), CARDS_TEMPLATE})

    def _social_cards(self) -> dict[str, CardText]:
        """The social card of each page with one (the pages of a collection share one)."""
        cards: dict[str, CardText] = {}
        if not (self.config.url and self.config.social_cards):
            return cards
        for page in self.pages:
            if page.card is not None:
                text = CardText(page.card[0], page.card[1], self.config.title)
                cards.setdefault(card_path(page.path), text)
        return cards

    def compose(self, page: PlannedPage) -> ComposedPage:
        """The page with its context and its Markdown, ready for its layout."""
        lent = self._lent.get(page.path)
        composed = self._compose(page) if lent is None else self._relayout(lent)
        if self._composed is not None:
            self._composed[page.path] = composed
        return composed

    def _relayout(self, page: ComposedPage) -> ComposedPage:
        context = {**page.context, "cards": self.paper_cards}
        return ComposedPage(page.path, page.layout, context, page.markdown)

    def _compose(self, page: PlannedPage) -> ComposedPage:
        path, config = page.path, self.config
        image = card_path(path) if page.card is not None and self.social_cards else None
        if page.texts is None:
            own = page.context()
        else:
            texts = self._texts_before.get(path)
            if texts is None:
                texts = page.texts()
                self.made_texts += 1
            if self.paper_texts is not None:
                self.paper_texts[path] = texts
            own = page.context(texts)
        context = {
            **self._common,
            **own,
            "link": Linker(path),
            "section": path.split("/")[0] + "/" if "/" in path else "",
            "canonical": canonical(config, path),
            "social_image": config.url + image if config.url and image else None,
        }
        for more in self._extensions.page_context:
            context.update(more(path, self._parts))
        if "paper" in context:
            paper = context["paper"]
            fields = self._extensions.paper_fields
            context["paper_fields"] = [line for lines in fields for line in lines(paper)]
        markdown = page.body
        if page.template is not None:
            markdown = self._markdown_before.get(path)
            if markdown is None:
                self.rendered_markdown += 1
                markdown = render_template(self._template(page.template), context)
        return ComposedPage(path, page.layout, context, markdown)

    def _template(self, name: str) -> jinja2.Template:
        if name not in self._templates:
            self._templates[name] = load_template(self._env, name)
        return self._templates[name]


def home(parts: SiteParts) -> Iterator[PlannedPage]:
    config, papers, topics = parts.config, parts.papers, parts.topics.topics
    context: HomeContext = {
        "title": config.title,
        "description": config.description
        or f"{len(papers)} research papers" + (f" in {len(topics)} topics." if topics else "."),
        "sections": _home_sections(papers),
        "topics": topics,
        "listing_counts": parts.listing_counts,
        "paper_count": len(papers),
    }
    counted = f"{len(papers)} papers" + (f", {len(topics)} topics" if topics else "")
    card = (config.description or config.title, counted)
    yield PlannedPage("index.html", "home.html", _given(context), card=card)


def topics_index(parts: SiteParts) -> Iterator[PlannedPage]:
    topics = parts.topics.topics
    context: TopicsContext = {"title": "Topics", "description": "All topics", "topics": topics}
    card = ("Topics", f"{len(topics)} topics")
    yield PlannedPage(TOPICS + "index.html", "topics.html", _given(context), card=card)


def listings_index(parts: SiteParts) -> Iterator[PlannedPage]:
    count = len(parts.listings)
    context: ListingsContext = {
        "title": "Listings",
        "description": f"The {count} listings of {parts.config.title}, with their feeds.",
        "listing_counts": parts.listing_counts,
    }
    card = ("Listings", f"{count} listings")
    yield PlannedPage(LISTINGS + "index.html", "listings.html", _given(context), card=card)


def search_page(parts: SiteParts) -> Iterator[PlannedPage]:
    count = len(parts.papers)
    context: SearchContext = {
        "title": "Search",
        "description": "Search every paper",
        "paper_count": count,
    }
    card = ("Search", f"{count} papers")
    yield PlannedPage(SEARCH + "index.html", "search.html", _given(context), card=card)


def not_found(parts: SiteParts) -> Iterator[PlannedPage]:
    url = parts.config.url
    context: NotFoundContext = {
        "title": "Page not found",
        "description": "",
        "base_href": urlsplit(url).path if url else None,
    }
    yield PlannedPage("404.html", "404.html", _given(context))


def all_papers(parts: SiteParts) -> Iterator[PlannedPage]:
    everything = Collection(
        "All papers",
        f"Every paper on {parts.config.title}.",
        tuple(parts.papers),
        sorts=("title", "date"),
        empty="No papers yet: add a listing to content/listings.",
        citable=True,
    )
    yield from _collection(PAPERS, everything, parts)


def paper_pages(parts: SiteParts) -> Iterator[PlannedPage]:
    for paper in parts.papers:
        year = str(paper.published.year) if paper.published else ""
        line = ", ".join(part for part in (byline(paper.authors, paper.more_authors), year) if part)
        path = paper_path(paper.slug) + "index.html"
        context = functools.partial(_paper_context, parts, paper)
        texts = functools.partial(paper_texts, parts, paper, path)
        card = (paper.title, line)
        yield PlannedPage(path, "paper.html", context, "paper.md", card=card, texts=texts)


def paper_texts(parts: SiteParts, paper: Paper, path: str) -> PaperTexts:
    cite = bibtex(paper)
    place = parts.graph.of_paper.get(paper.slug)
    return PaperTexts(
        description=excerpt(paper.abstract, DESCRIPTION_CHARS) or paper.title,
        actions=paper_actions(paper),
        neighbourhood=neighbourhood_svg(paper, place, "neighbourhood") if place else Markup(""),
        json_ld=json_for_script(scholarly_article(parts.config, paper)),
        scholar_tags=scholar_tags(paper, canonical(parts.config, path)),
        bibtex=cite,
        bibtex_fence=code_fence(cite),
    )


def _paper_context(parts: SiteParts, paper: Paper, texts: PaperTexts) -> PaperContext:
    return {
        "title": paper.title,
        "description": texts.description,
        "paper": paper,
        "authors": parts.authors.of_paper[paper.slug],
        "actions": texts.actions,
        "topics": parts.topics.of_paper[paper.slug],
        "paper_listings": [parts.listings[key] for key in paper.listings],
        "related": parts.related.get(paper.slug, ()),
        "citations": parts.graph.of_paper.get(paper.slug),
        "citation_source": parts.graph.source,
        "neighbourhood": texts.neighbourhood,
        "json_ld": texts.json_ld,
        "scholar_tags": texts.scholar_tags,
        "og_type": "article",
        "bibtex": texts.bibtex,
        "bibtex_fence": texts.bibtex_fence,
    }


def topic_pages(parts: SiteParts) -> Iterator[PlannedPage]:
    for topic in parts.topics.topics:
        yield from _collection(topic_path(topic.slug), _topic_collection(topic), parts)


def listing_pages(parts: SiteParts) -> Iterator[PlannedPage]:
    for listing in parts.config.listings:
        collection = _listing_collection(listing, parts.listing_members[listing.id])
        yield from _collection(listing_path(listing.id), collection, parts)


def authors_index(parts: SiteParts) -> Iterator[PlannedPage]:
    authors = parts.authors.authors
    if not authors:
        return
    context: AuthorsContext = {
        "title": "Authors",
        "description": f"The {len(authors)} authors of the papers on {parts.config.title}.",
        "authors": authors,
        "letters": by_letter(authors) if len(authors) > LONG_LIST else [],
    }
    card = ("Authors", f"{len(authors)} authors")
    yield PlannedPage(AUTHORS + "index.html", "authors.html", _given(context), card=card)


def missing_papers(parts: SiteParts) -> Iterator[PlannedPage]:
    """The papers at least two of the collection cite and it does not hold, most cited
    by the collection first, and their feed; nothing when the site has no citations."""
    graph = parts.graph
    if graph.fetched is None:
        return
    count = len(graph.missing)
    context: MissingContext = {
        "title": "Missing from this collection",
        "description": f"{count} paper{'' if count == 1 else 's'} that several papers on "
        f"{parts.config.title} cite, not on it yet.",
        "missing": graph.missing[:MISSING_SHOWN],
        "missing_count": count,
        "citers_shown": CITERS_SHOWN,
        "citation_source": graph.source,
        "fetched": graph.fetched,
        "feed_path": MISSING + FEED,
    }
    card = ("Missing from this collection", f"{count} papers")
    yield PlannedPage(MISSING + "index.html", "missing.html", _given(context), card=card)
    feed = missing_feed(parts.config, MISSING + FEED, graph)
    yield PlannedPage(MISSING + FEED, "feed.xml", functools.partial(dict, feed=feed))


def by_letter(authors: tuple[Author, ...]) -> list[tuple[str, tuple[Author, ...]]]:
    """Authors under the first letter of their family name, accents folded (Łukasz under
    L), in order; names that start with no letter (or in a script without capitals to
    file them under) last, under '#'."""
    groups: dict[str, list[Author]] = {}
    for author in authors:
        first = fold(author.sort_name[:1]).upper()
        letter = first if first.isascii() and first.isalpha() else "#"
        groups.setdefault(letter, []).append(author)
    return [(letter, tuple(groups[letter])) for letter in sorted(groups, key=_letters_last)]


def _letters_last(letter: str) -> tuple[bool, str]:
    return (letter == "#", letter)


def author_pages(parts: SiteParts) -> Iterator[PlannedPage]:
    for author in parts.authors.authors:
        yield from _collection(author_path(author.slug), _author_collection(author), parts)


def free_pages(parts: SiteParts) -> Iterator[PlannedPage]:
    for page in parts.free_pages:
        if page.slug in RESERVED_SLUGS:
            raise ContentError(
                page.location.path,
                page.location.line,
                f"page slug '{page.slug}' is reserved for the site's own pages",
            )
        context: Titled = {
            "title": page.title,
            "description": excerpt(page.body, DESCRIPTION_CHARS),
        }
        path = f"{page.slug}/index.html"
        yield PlannedPage(
            path,
            "page.html",
            _given(context),
            body=page.body,
            card=(page.title, ""),
        )


def robots(parts: SiteParts) -> Iterator[PlannedPage]:
    """robots.txt, by the theme's robots.txt (which names the sitemap when there is one)."""
    yield PlannedPage("robots.txt", "robots.txt", _given({}))


def sitemap(config: SiteConfig, page_paths: list[str]) -> list[PlannedPage]:
    """sitemap.xml, by the theme's sitemap.xml: every HTML page (none without a url)."""
    urls = sitemap_urls(config, page_paths)
    return [PlannedPage("sitemap.xml", "sitemap.xml", _given({"urls": urls}))] if urls else []


def _given(context: Mapping[str, Any]) -> Callable[[], Mapping[str, Any]]:
    """The context of a page that is worked out as it is planned (there is one such page)."""
    return functools.partial(dict, context)


def _every_page(parts: SiteParts, kinds: list[tuple[str, PageKind]]) -> list[PlannedPage]:
    """The pages of every kind, in order; two pages at one path are an error naming who
    made each (a plugin's page kind and a free page, say)."""
    pages: list[PlannedPage] = []
    made: dict[str, str] = {}
    for maker, kind in kinds:
        for page in kind(parts):
            if page.path in made:
                raise ContentError(
                    parts.config.content / "site.yml",
                    0,
                    f"two pages at {page.path}: one made by {made[page.path]}, one by {maker}",
                )
            made[page.path] = maker
            pages.append(page)
    return pages


# The built-in kinds of page, in the order the site lists them (the plugins' come after).
PAGE_KINDS: tuple[PageKind, ...] = (
    home,
    topics_index,
    listings_index,
    not_found,
    all_papers,
    paper_pages,
    topic_pages,
    listing_pages,
    free_pages,
    robots,
)


def _collection(folder: str, collection: Collection, parts: SiteParts) -> Iterator[PlannedPage]:
    """Every page of every order of a collection (folder/, folder/page/2/, folder/by/title/,
    ...): its heading from templates/collection.md (the same Markdown on every page), its share
    of the papers as cards by the layout. The pages share one social card."""
    count = len(collection.papers)
    card = (collection.name, f"{count} paper{'' if count == 1 else 's'}")
    markdown = parts.collection_markdown
    counts = {
        paper.slug: known
        for paper in collection.papers
        if (known := parts.graph.count(paper)) is not None
    }
    if counts and collection.citable:
        collection = replace(collection, sorts=(*collection.sorts, "cited"), citations=counts)
    for page in collection_pages(folder, collection, parts.config.page_size, parts.ranks):
        context = functools.partial(_collection_context, collection, page, folder)
        yield PlannedPage(page.path + "index.html", "collection.html", context, markdown, card=card)


def _collection_context(
    collection: Collection, page: CollectionPage, folder: str
) -> CollectionContext:
    title = collection.name
    if page.sort != collection.sorts[0]:
        title += f", {SORTS[page.sort][0].lower()}"
    if page.pager.number > 1:
        title += f", page {page.pager.number} of {len(page.pager.paths)}"
    count = len(collection.papers)
    return {
        "title": title,
        "description": collection.description
        or f"{count} paper{'' if count == 1 else 's'}: {collection.name}.",
        "collection": collection,
        "page": page,
        "papers": page.papers,
        "pager": page.pager,
        # The whole collection as BibTeX and CSL-JSON (site/downloads.py), from its folder.
        "downloads": (folder + COLLECTION_BIBTEX, folder + COLLECTION_CSL)
        if collection.papers
        else None,
    }


def _topic_collection(topic: Topic) -> Collection:
    return Collection(
        topic.name,
        topic.description,
        topic.papers,
        feed=topic_path(topic.slug) + "feed.xml",
        empty="No paper has this topic's keywords in its title or abstract yet.",
        citable=True,
    )


def _author_collection(author: Author) -> Collection:
    return Collection(author.name, f"Papers by {author.name}.", author.papers)


def _listing_collection(listing: Listing, papers: tuple[Paper, ...]) -> Collection:
    when = f", {listing.date:%B} {listing.date.day}, {listing.date.year}" if listing.date else ""
    return Collection(
        listing.name,
        f"Papers from the listing “{listing.name}”{when}.",
        papers,
        sorts=("order", "date", "title"),
        feed=listing_path(listing.id) + "feed.xml",
        listing=listing.id,
        empty="This listing names no papers.",
    )


def _home_sections(papers: list[Paper]) -> list[tuple[str, str, list[Paper]]]:
    """The home page's papers, as (id, heading, papers): the newest by publication date,
    then, to fill the rest, the most recently listed (each card shows the date it has,
    never a listing's date as if it were the paper's); with no dates at all, by title."""
    latest = [paper for paper in sorted(papers, key=newest_first) if paper.published]
    latest = latest[:LATEST_ON_HOME]
    listed = [paper for paper in papers if not paper.published and paper.listed]
    listed.sort(key=lambda paper: (-(paper.listed or dt.date.min).toordinal(), paper.title.lower()))
    sections = [
        ("latest", "Latest papers", latest),
        ("recent", "Recently listed", listed[: LATEST_ON_HOME - len(latest)]),
    ]
    if not latest and not listed:
        by_title = sorted(papers, key=lambda paper: paper.title.casefold())
        sections.append(("some", "Papers", by_title[:LATEST_ON_HOME]))
    return [section for section in sections if section[2]]


def _navigation(
    parts: SiteParts, more: tuple[Callable[[SiteParts], Iterable[tuple[str, str]]], ...]
) -> list[tuple[str, str]]:
    """The header's links: Papers, Topics, the plugins' (Authors...), the free pages."""
    sections = [("Papers", PAPERS), ("Topics", TOPICS)]
    sections += [link for links in more for link in links(parts)]
    return sections + [(page.title, f"{page.slug}/") for page in parts.free_pages]


def canonical(config: SiteConfig, path: str) -> str | None:
    """The page's absolute URL, when the site has one (the 404 page has none)."""
    return config.url + page_url(path) if config.url and path != "404.html" else None
