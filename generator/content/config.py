"""Load content/site.yml and content/topics.yml into a validated SiteConfig."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from generator.content.readers import READERS, Reader
from generator.content.readers.files import is_content_file, is_unread
from generator.content.templates import template_dirs
from generator.content.yamlfile import (
    YamlMap,
    check_keys,
    date_field,
    line_of,
    parse_yaml,
    require_mapping,
    text_field,
)
from generator.diagnostics import ContentError, Diagnostics, Location, what_failed
from generator.model import DeployTarget, Listing, SiteConfig, TopicRule
from generator.text.slugs import slugify

SITE_KEYS = (
    "title",
    "description",
    "url",
    "language",
    "author",
    "cname",
    "raw_html",
    "listings",
    "sources",  # the old name of listings: (read, with a warning)
    "search_checks",
    "page_size",
    "social_cards",
    "extra",
    "extra_css",
    "plugins",
    "deploy",
)
DEPLOY_KEYS = {
    "gh-pages": ("to", "remote", "branch"),
    "s3": ("to", "bucket", "prefix", "endpoint", "region"),
}
DEFAULT_PAGE_SIZE = 200
# The folder of listing files in content/, and its first name (still read, with a warning).
LISTINGS_FOLDER, OLD_LISTINGS_FOLDER = "listings", "sources"
LISTING_KEYS = ("name", "date")
# A listing's file name is its address (listings/NAME/): nothing a URL or a path would bend.
_LISTING_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
TOPICS_KEYS = ("fallback", "topics")
TOPIC_KEYS = ("name", "slug", "description", "keywords")


# A host name as GitHub Pages' CNAME file holds it: labels of letters, digits and hyphens.
_HOST = re.compile(
    r"(?=.{1,253}$)(?:(?!-)[A-Za-z0-9-]{1,63}(?<!-)\.)+(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]+)"
)


def _cname(site: YamlMap, site_path: Path) -> str | None:
    """site.yml's cname: the custom domain, a bare host name (what the CNAME file holds)."""
    cname = text_field(site, "cname", site_path) or None
    if cname and not _HOST.fullmatch(cname):
        raise ContentError(
            site_path,
            line_of(site, "cname"),
            f"cname must be a host name such as papers.example.org, not {cname!r}",
        )
    return cname


def _check_url(url: str, path: Path | str, line: int) -> None:
    """The site's address: http(s), a host, and a form browsers read."""
    if not url.startswith(("http://", "https://")):
        raise ContentError(path, line, f"url must start with http:// or https://: {url}")
    try:
        host = urlsplit(url).hostname
    except ValueError as error:
        raise ContentError(path, line, f"url is not a web address ({error}): {url}") from None
    if not host or any(character.isspace() for character in url):
        raise ContentError(path, line, f"url is not a web address: {url}")


def site_file(root: Path) -> Path:
    """The site's content/site.yml; an error if there is none (not a site's root)."""
    site_path = root / "content" / "site.yml"
    if not is_content_file(site_path):
        raise ContentError(site_path, 0, "no site.yml here: is -C pointing at a site root?")
    return site_path


def load_config(
    root: Path,
    base_url: str | None = None,
    diagnostics: Diagnostics | None = None,
    readers: Mapping[str, Reader] = READERS,
) -> SiteConfig:
    """Read and validate the site's configuration; raise ContentError on any mistake, and
    warn into `diagnostics` of settings that still work but should change. `readers` are
    the listing formats (the built-in ones and the plugins'), by file extension."""
    content = root / "content"
    site_path = site_file(root)
    site = require_mapping(_read_yaml(site_path), site_path, 1, "site.yml")
    check_keys(site, SITE_KEYS, site_path, "site.yml")
    url = base_url or text_field(site, "url", site_path) or None
    if url:
        where = ("--base-url", 0) if base_url else (site_path, line_of(site, "url"))
        _check_url(url, *where)
    raw_html = _flag(site, "raw_html", False, site_path)
    social_cards = _flag(site, "social_cards", True, site_path)
    checks = site.get("search_checks") or []
    if not isinstance(checks, list) or not all(isinstance(check, str) for check in checks):
        raise ContentError(
            site_path, line_of(site, "search_checks"), "search_checks must be a list of queries"
        )
    page_size = site.get("page_size", DEFAULT_PAGE_SIZE)
    if isinstance(page_size, bool) or not isinstance(page_size, int) or page_size < 1:
        raise ContentError(
            site_path,
            line_of(site, "page_size"),
            f"page_size must be a whole number of papers per page, 1 or more: {page_size!r}"
            + (" (text: write it without quotes)" if isinstance(page_size, str) else ""),
        )
    rules, fallback = _load_topics(content / "topics.yml")
    templates = template_dirs(root)
    return SiteConfig(
        root=root,
        title=text_field(site, "title", site_path, required=True),
        description=text_field(site, "description", site_path),
        url=url.rstrip("/") + "/" if url else None,
        language=text_field(site, "language", site_path) or "en",
        author=text_field(site, "author", site_path),
        cname=_cname(site, site_path),
        raw_html=raw_html,
        listings=_load_listings(
            listings_folder(content, diagnostics), site, site_path, diagnostics, readers
        ),
        taxonomy=rules,
        fallback_topic=fallback,
        search_checks=tuple(checks),
        page_size=page_size,
        social_cards=social_cards,
        templates=templates,
        extra=_extra(site, site_path),
        extra_css=_extra_css(site, site_path, templates),
        plugins=tuple(name for name, _ in _plugins(site, site_path)),
        deploy=_deploy(site, site_path),
    )


def _deploy(site: YamlMap, site_path: Path) -> DeployTarget:
    """site.yml's `deploy:`, where `deploy` publishes: a gh-pages branch (the default) or
    an S3-compatible bucket."""
    if site.get("deploy") is None:
        return DeployTarget()
    where = line_of(site, "deploy")
    given = require_mapping(site.get("deploy"), site_path, where, "deploy")
    to = text_field(given, "to", site_path) or "gh-pages"
    if to not in DEPLOY_KEYS:
        targets = " or ".join(DEPLOY_KEYS)
        raise ContentError(site_path, line_of(given, "to"), f"deploy: to: must be {targets}")
    check_keys(given, DEPLOY_KEYS[to], site_path, f"deploy to {to}")
    if to == "gh-pages":
        return DeployTarget(
            to,
            remote=text_field(given, "remote", site_path) or "origin",
            branch=text_field(given, "branch", site_path) or "gh-pages",
        )
    bucket = text_field(given, "bucket", site_path)
    if not re.fullmatch(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", bucket):
        raise ContentError(
            site_path,
            line_of(given, "bucket") or where,
            f"deploy: bucket: {bucket!r} is not a bucket name (3-63 lower-case letters, "
            "digits, dots and hyphens)"
            if bucket
            else "deploy to s3 needs bucket: NAME",
        )
    endpoint = text_field(given, "endpoint", site_path) or None
    if endpoint and not endpoint.startswith(("http://", "https://")):
        raise ContentError(
            site_path, line_of(given, "endpoint"), "deploy: endpoint: must start with https://"
        )
    prefix = text_field(given, "prefix", site_path).strip("/")
    if ".." in prefix.split("/"):
        raise ContentError(site_path, line_of(given, "prefix"), "deploy: prefix: no '..' in it")
    return DeployTarget(
        to,
        bucket=bucket,
        prefix=prefix + "/" if prefix else "",
        endpoint=endpoint,
        region=text_field(given, "region", site_path) or None,
    )


def plugin_names(root: Path) -> list[tuple[str, Location]]:
    """The plugins site.yml's `plugins:` turns on, each with where it is named (none when
    there is no site.yml yet: load_config says what is wrong then)."""
    site_path = root / "content" / "site.yml"
    if not is_content_file(site_path):
        return []
    site = require_mapping(_read_yaml(site_path), site_path, 1, "site.yml")
    return _plugins(site, site_path)


def _plugins(site: YamlMap, site_path: Path) -> list[tuple[str, Location]]:
    names = site.get("plugins") or []
    line = line_of(site, "plugins")
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise ContentError(site_path, line, "plugins must be a list of names: plugins: [math]")
    return [(name, Location(site_path, line)) for name in dict.fromkeys(names)]


def _extra(site: YamlMap, site_path: Path) -> dict[str, Any]:
    """site.yml's `extra:`, a site's own settings, given to every template as site.extra."""
    extra = site.get("extra")
    if extra is None:
        return {}
    if not isinstance(extra, dict):
        raise ContentError(
            site_path, line_of(site, "extra"), "extra must be a mapping: extra:\n  name: value"
        )
    plain: dict[str, Any] = json.loads(json.dumps(extra, default=str))
    return plain


def _extra_css(site: YamlMap, site_path: Path, templates: tuple[Path, ...]) -> tuple[str, ...]:
    """site.yml's `extra_css:`, stylesheets in templates/assets/ that every page loads after
    the theme's, by their paths in the site (assets/NAME)."""
    sheets = site.get("extra_css") or []
    line = line_of(site, "extra_css")
    if not isinstance(sheets, list) or not all(isinstance(sheet, str) for sheet in sheets):
        raise ContentError(site_path, line, "extra_css must be a list of stylesheets")
    paths = []
    for sheet in sheets:
        name = sheet.removeprefix("assets/")
        parts = Path(name).parts
        if not name.endswith(".css") or ".." in parts or Path(name).is_absolute():
            raise ContentError(
                site_path, line, f"extra_css: {sheet!r} is not a .css file in templates/assets/"
            )
        if not any((folder / "assets" / name).is_file() for folder in templates):
            raise ContentError(
                site_path, line, f"extra_css: templates/assets/{name} does not exist"
            )
        paths.append("assets/" + Path(name).as_posix())
    return tuple(paths)


def _flag(site: YamlMap, key: str, default: bool, site_path: Path) -> bool:
    """A true/false setting of site.yml."""
    value = site.get(key, default)
    if not isinstance(value, bool):
        raise ContentError(site_path, line_of(site, key), f"{key} must be true or false")
    return value


def _read_yaml(path: Path) -> object:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise ContentError(path, 0, f"not UTF-8 text: {error.reason}") from None
    return parse_yaml(text, path)


def listings_folder(content: Path, diagnostics: Diagnostics | None = None) -> Path:
    """Where the listing files are: content/listings/, or content/sources/ as it was first
    called (read, with a warning into `diagnostics`); both at once is an error."""
    listings, sources = content / LISTINGS_FOLDER, content / OLD_LISTINGS_FOLDER
    if not sources.is_dir():
        return listings
    if listings.is_dir():
        raise ContentError(
            sources,
            0,
            f"both content/{LISTINGS_FOLDER}/ and content/{OLD_LISTINGS_FOLDER}/ (its old "
            f"name) exist; move the files of {OLD_LISTINGS_FOLDER}/ into {LISTINGS_FOLDER}/",
        )
    if diagnostics is not None:
        diagnostics.warn(
            Location(sources),
            f"content/{OLD_LISTINGS_FOLDER}/ is now called content/{LISTINGS_FOLDER}/ "
            "(it still works; rename it)",
        )
    return sources


def _listings_key(site: YamlMap, site_path: Path, diagnostics: Diagnostics | None) -> str:
    """The key of the listings' settings: listings:, or sources: as it was first called."""
    if "sources" not in site:
        return "listings"
    if "listings" in site:
        raise ContentError(
            site_path,
            line_of(site, "sources"),
            "both listings: and sources: (its old name) are set; move sources: into listings:",
        )
    if diagnostics is not None:
        diagnostics.warn(
            Location(site_path, line_of(site, "sources")),
            "sources: is now called listings: (it still works; rename it)",
        )
    return "sources"


def _load_listings(
    folder: Path,
    site: YamlMap,
    site_path: Path,
    diagnostics: Diagnostics | None,
    readers: Mapping[str, Reader],
) -> tuple[Listing, ...]:
    """Every listing file in `folder` (content/listings), with its settings from site.yml."""
    key = _listings_key(site, site_path, diagnostics)
    settings = require_mapping(site.get(key), site_path, line_of(site, key), key)
    files: dict[str, Path] = {}
    try:
        found = sorted(folder.iterdir()) if folder.is_dir() else []
    except OSError as error:
        raise ContentError(folder, 0, f"cannot read this folder: {what_failed(error)}") from None
    for path in found:
        if path.suffix.lower() not in readers or is_unread(path):
            continue
        if path.is_symlink() and not path.exists():
            raise ContentError(path, 0, f"broken link to {os.readlink(path)}: fix or remove it")
        if not is_content_file(path):
            continue
        if not listing_id(path.stem):
            raise ContentError(
                path,
                0,
                f"'{path.name}' cannot be a listing's address: its name spells no letters or "
                f"digits (rename it, e.g. listing{path.suffix})",
            )
        same = [
            other for other in files.values() if listing_id(other.stem) == listing_id(path.stem)
        ]
        if same:
            raise ContentError(
                path,
                0,
                f"two listings named '{listing_id(path.stem)}': {same[0].name} and "
                f"{path.name}; rename one (a listing's name is its file name)",
            )
        files[path.stem] = path
    for name in settings:
        if name not in files:
            kinds = ", ".join(f"{name}{suffix}" for suffix in readers)
            raise ContentError(
                site_path,
                line_of(settings, name),
                f"{key}: no listing file in content/{folder.name} named {kinds}",
            )
    listings = []
    for stem, path in files.items():
        entry = require_mapping(
            settings.get(stem), site_path, line_of(settings, stem), f"{key}.{stem}"
        )
        check_keys(entry, LISTING_KEYS, site_path, f"{key}.{stem}")
        plain = listing_id(stem) == stem
        name = text_field(entry, "name", site_path) or (
            stem.replace("-", " ").capitalize() if plain else stem
        )
        date = date_field(entry, "date", site_path)
        listings.append(Listing(id=listing_id(stem), name=name, path=path, date=date))
    return tuple(listings)


def listing_id(stem: str) -> str:
    """A listing's id, its address under listings/: its file name, or that name
    transliterated where it has other characters than letters, digits, '-', '_' and '.'
    ("画像認識.txt" is listings/hua-xiang-ren-shi/)."""
    if _LISTING_NAME.fullmatch(stem) and ".." not in stem:
        return stem
    return slugify(stem)


def _load_topics(path: Path) -> tuple[tuple[TopicRule, ...], str | None]:
    if not is_content_file(path):
        return (), None
    data = require_mapping(_read_yaml(path), path, 1, "topics.yml")
    check_keys(data, TOPICS_KEYS, path, "topics.yml")
    items = data.get("topics") or []
    if not isinstance(items, list):
        raise ContentError(path, line_of(data, "topics"), "topics must be a list of topics")
    rules: list[TopicRule] = []
    seen: dict[str, int] = {}
    for item in items:
        line = item.line if isinstance(item, YamlMap) else line_of(data, "topics")
        topic = require_mapping(item, path, line, "a topic")
        check_keys(topic, TOPIC_KEYS, path, "a topic")
        name = text_field(topic, "name", path, required=True)
        slug = slugify(text_field(topic, "slug", path) or name)
        if not slug:
            raise ContentError(
                path,
                line_of(topic, "slug") if "slug" in topic else topic.line,
                f"topic '{name}' has no address: its name spells no letters or digits "
                "(give it a slug, e.g. slug: vision)",
            )
        if slug in seen:
            raise ContentError(path, topic.line, f"topic slug '{slug}' is used twice")
        seen[slug] = topic.line
        keywords = topic.get("keywords")
        if not isinstance(keywords, list) or not keywords:
            raise ContentError(path, topic.line, f"topic '{name}' needs a list of keywords")
        rules.append(
            TopicRule(
                name=name,
                slug=slug,
                description=text_field(topic, "description", path),
                keywords=tuple(str(keyword) for keyword in keywords),
                location=Location(path, topic.line),
            )
        )
    fallback = text_field(data, "fallback", path) or None
    if fallback is not None and fallback not in seen:
        raise ContentError(
            path, line_of(data, "fallback"), f"fallback '{fallback}' is not a topic slug"
        )
    return tuple(rules), fallback
