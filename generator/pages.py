"""Decide which pages exist and what each one shows; paper and topic pages as Markdown."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import jinja2

from generator.authors import Author, AuthorIndex
from generator.cards import Cards
from generator.citation import (
    bibtex,
    code_fence,
    json_for_script,
    scholar_tags,
    scholarly_article,
)
from generator.collection import SORTS, Collection, CollectionPage, collection_pages
from generator.diagnostics import ContentError
from generator.identifiers import paper_actions
from generator.model import ComposedPage, Listing, Page, Paper, SiteConfig, Topic
from generator.render import load_template, render_template
from generator.snippets import byline, excerpt
from generator.social import CardText, card_path
from generator.topics import TopicIndex, newest_first
from generator.urls import (
    Linker,
    author_path,
    listing_path,
    page_url,
    paper_path,
    topic_path,
)

LATEST_ON_HOME = 12
DESCRIPTION_CHARS = 160
RESERVED_SLUGS = frozenset({"papers", "topics", "listings", "authors", "assets", "search"})


PagePlan = tuple[str, Callable[[], ComposedPage]]


@dataclass(frozen=True)
class SitePlan:
    """Every page's path and how to compose it, and the social card each page shows."""

    pages: list[PagePlan]
    cards: dict[str, CardText]


def plan_pages(
    config: SiteConfig,
    papers: list[Paper],
    topics: TopicIndex,
    authors: AuthorIndex,
    related: dict[str, tuple[Paper, ...]],
    free_pages: list[Page],
    env: jinja2.Environment,
) -> SitePlan:
    """Every page's path, and how to compose it: cheap to list, so workers can each
    compose their share of the pages; and the social card of each (og:image)."""
    listings = {listing.id: listing for listing in config.listings}
    counts = {listing.id: 0 for listing in config.listings}
    for paper in papers:
        for listing_id in paper.listings:
            counts[listing_id] += 1
    common = {
        "site": config,
        "nav": _navigation(free_pages, bool(authors.authors)),
        "topics_of": topics.of_paper,
        "listings": listings,
        "cards": Cards(env, topics.of_paper),
    }
    paper_md = load_template(env, "paper.md")
    list_md = load_template(env, "topic.md")
    plan: list[PagePlan] = []
    cards: dict[str, CardText] = {}

    def add(path: str, make: Callable[[], ComposedPage], card: tuple[str, str] | None) -> None:
        """A page, and what its social card shows (the pages of a collection share one)."""
        image = None
        if card is not None and config.url and config.social_cards:
            image = card_path(path)
            cards.setdefault(image, CardText(card[0], card[1], config.title))

        def finished() -> ComposedPage:
            page = make()
            context = {
                **common,
                **page.context,
                "link": Linker(path),
                "section": path.split("/")[0] + "/" if "/" in path else "",
                "canonical": _canonical(config, path),
                "social_image": config.url + image if config.url and image else None,
            }
            return ComposedPage(path, page.layout, context, page.markdown)

        plan.append((path, finished))

    add(
        "index.html",
        lambda: ComposedPage(
            "index.html",
            "home.html",
            {
                "title": config.title,
                "description": config.description
                or f"{len(papers)} research papers in {len(topics.topics)} topics.",
                "sections": _home_sections(papers),
                "topics": topics.topics,
                "listing_counts": [(listings[key], count) for key, count in counts.items()],
                "paper_count": len(papers),
            },
        ),
        (config.description or config.title, f"{len(papers)} papers, {len(topics.topics)} topics"),
    )
    add(
        "topics/index.html",
        lambda: ComposedPage(
            "topics/index.html",
            "topics.html",
            {"title": "Topics", "description": "All topics", "topics": topics.topics},
        ),
        ("Topics", f"{len(topics.topics)} topics"),
    )
    add(
        "listings/index.html",
        lambda: ComposedPage(
            "listings/index.html",
            "listings.html",
            {
                "title": "Listings",
                "description": f"The {len(listings)} listings of {config.title}, with their feeds.",
                "listing_counts": [(listings[key], count) for key, count in counts.items()],
            },
        ),
        ("Listings", f"{len(listings)} listings"),
    )
    add(
        "search/index.html",
        lambda: ComposedPage(
            "search/index.html",
            "search.html",
            {"title": "Search", "description": "Search every paper", "paper_count": len(papers)},
        ),
        ("Search", f"{len(papers)} papers"),
    )
    add(
        "404.html",
        lambda: ComposedPage(
            "404.html",
            "404.html",
            {
                "title": "Page not found",
                "description": "",
                "base_href": urlsplit(config.url).path if config.url else None,
            },
        ),
        None,
    )
    everything = Collection(
        "All papers",
        f"Every paper on {config.title}.",
        tuple(papers),
        sorts=("title", "date"),
        empty="No papers yet: add a listing to content/sources.",
    )

    def add_collection(folder: str, collection: Collection) -> None:
        """Every page of every order of a collection (folder/, folder/page/2/,
        folder/by/title/, ...)."""
        for page in collection_pages(folder, collection, config.page_size):
            path = page.path + "index.html"
            count = len(collection.papers)
            card = (collection.name, f"{count} paper{'' if count == 1 else 's'}")
            make = functools.partial(_collection_page, path, collection, page, list_md, common)
            add(path, make, card)

    add_collection("papers/", everything)

    def paper_page(paper: Paper) -> ComposedPage:
        cite = bibtex(paper)
        path = paper_path(paper.slug) + "index.html"
        context = {
            "title": paper.title,
            "description": excerpt(paper.abstract, DESCRIPTION_CHARS) or paper.title,
            "paper": paper,
            "authors": authors.of_paper[paper.slug],
            "actions": paper_actions(paper),
            "topics": topics.of_paper[paper.slug],
            "paper_listings": [listings[key] for key in paper.listings],
            "related": related.get(paper.slug, ()),
            "json_ld": json_for_script(scholarly_article(config, paper)),
            "scholar_tags": scholar_tags(paper, _canonical(config, path)),
            "og_type": "article",
            "bibtex": cite,
            "bibtex_fence": code_fence(cite),
        }
        return _markdown_page(path, "paper.html", paper_md, {**common, **context})

    for paper in papers:
        year = str(paper.published.year) if paper.published else ""
        line = ", ".join(part for part in (byline(paper.authors), year) if part)
        card = (paper.title, line)
        add(paper_path(paper.slug) + "index.html", functools.partial(paper_page, paper), card)
    for topic in topics.topics:
        add_collection(topic_path(topic.slug), _topic_collection(topic))
    for listing in config.listings:
        members = tuple(paper for paper in papers if listing.id in paper.listings)
        add_collection(listing_path(listing.id), _listing_collection(listing, members))
    if authors.authors:
        add(
            "authors/index.html",
            lambda: ComposedPage(
                "authors/index.html",
                "authors.html",
                {
                    "title": "Authors",
                    "description": f"The {len(authors.authors)} authors of the papers on "
                    f"{config.title}.",
                    "authors": authors.authors,
                },
            ),
            ("Authors", f"{len(authors.authors)} authors"),
        )
    for author in authors.authors:
        add_collection(author_path(author.slug), _author_collection(author))
    for page in free_pages:
        if page.slug in RESERVED_SLUGS:
            raise ContentError(
                page.location.path,
                page.location.line,
                f"page slug '{page.slug}' is reserved for the site's own pages",
            )
        path = f"{page.slug}/index.html"
        context = {"title": page.title, "description": excerpt(page.body, DESCRIPTION_CHARS)}
        make = functools.partial(ComposedPage, path, "page.html", context, page.body)
        add(path, make, (page.title, ""))
    return SitePlan(plan, cards)


def _markdown_page(
    path: str, layout: str, template: jinja2.Template, context: dict[str, Any]
) -> ComposedPage:
    markdown = render_template(template, {**context, "link": Linker(path)})
    return ComposedPage(path, layout, context, markdown)


def _collection_page(
    path: str,
    collection: Collection,
    page: CollectionPage,
    template: jinja2.Template,
    common: dict[str, Any],
) -> ComposedPage:
    """One page of one order of a collection: its heading from templates/topic.md (the
    same Markdown on every page), its share of the papers as cards by the layout."""
    title = collection.name
    if page.sort != collection.sorts[0]:
        title += f", {SORTS[page.sort][0].lower()}"
    if page.pager.number > 1:
        title += f", page {page.pager.number} of {len(page.pager.paths)}"
    count = len(collection.papers)
    context = {
        **common,
        "title": title,
        "description": collection.description
        or f"{count} paper{'' if count == 1 else 's'}: {collection.name}.",
        "collection": collection,
        "page": page,
        "papers": page.papers,
        "pager": page.pager,
    }
    return _markdown_page(path, "collection.html", template, context)


def _topic_collection(topic: Topic) -> Collection:
    return Collection(
        topic.name,
        topic.description,
        topic.papers,
        feed=topic_path(topic.slug) + "feed.xml",
        empty="No paper has this topic's keywords in its title or abstract yet.",
    )


def _author_collection(author: Author) -> Collection:
    return Collection(author.name, f"Papers by {author.name}.", author.papers)


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


def _navigation(free_pages: list[Page], with_authors: bool) -> list[tuple[str, str]]:
    sections = [("Papers", "papers/"), ("Topics", "topics/")]
    if with_authors:
        sections.append(("Authors", "authors/"))
    return sections + [(page.title, f"{page.slug}/") for page in free_pages]


def _canonical(config: SiteConfig, path: str) -> str | None:
    return config.url + page_url(path) if config.url and path != "404.html" else None
