"""A site's own templates: overriding the theme's, or extending the theme's of the same name."""

from __future__ import annotations

from pathlib import Path

from generator.build import build_site
from generator.content.templates import default_theme

PAPER_PAGE = Path("papers") / "attention-is-all-you-need" / "index.html"


def pages(output: Path) -> dict[str, bytes]:
    return {
        p.relative_to(output).as_posix(): p.read_bytes()
        for p in output.rglob("*.html")
        if p.is_file()
    }


def test_a_site_template_can_extend_the_theme_template_of_the_same_name(make_site):
    """templates/paper.html extends "theme/paper.html" and adds to one block: paper pages
    are the theme's plus the addition, and no other page changes."""
    root = make_site("standard.txt")
    plain = pages(build_site(root, root / "plain").output)
    (root / "templates").mkdir()
    (root / "templates" / "paper.html").write_text(
        '{% extends "theme/paper.html" %}\n'
        "{% block main %}{{ super() }}"
        '<p class="reviewed">Reviewed by our reading group</p>{% endblock %}\n',
        "utf-8",
    )
    extended = pages(build_site(root, root / "extended").output)
    assert extended.keys() == plain.keys()
    changed = sorted(path for path in plain if plain[path] != extended[path])
    assert changed and all(path.startswith("papers/") and path.count("/") == 2 for path in changed)
    assert all(path.removeprefix("papers/").split("/")[0] not in ("page", "by") for path in changed)
    for path in changed:
        before, after = plain[path].decode(), extended[path].decode()
        addition = '<p class="reviewed">Reviewed by our reading group</p>'
        assert after.replace(addition, "") == before, path


def test_a_site_base_layout_extending_the_theme_is_used_by_every_theme_page(make_site):
    """The theme's pages extend "base.html": the site's own base.html, which may itself
    extend the theme's base ("theme/base.html"). Its scripts block shows on every page
    but the one that fills that block itself (search/)."""
    root = make_site("standard.txt")
    (root / "templates").mkdir()
    (root / "templates" / "base.html").write_text(
        '{% extends "theme/base.html" %}\n'
        '{% block scripts %}<script src="https://example.org/count.js" defer></script>'
        "{% endblock %}\n",
        "utf-8",
    )
    built = pages(build_site(root).output)
    marked = {path for path, data in built.items() if b"example.org/count.js" in data}
    assert len(built) > 10
    assert marked == set(built) - {"search/index.html"}


def test_an_override_without_extends_replaces_the_theme_template(make_site):
    root = make_site("standard.txt")
    (root / "templates").mkdir()
    (root / "templates" / "page.html").write_text("<p>{{ title }} only</p>\n", "utf-8")
    (root / "content" / "pages").mkdir()
    (root / "content" / "pages" / "about.md").write_text("---\ntitle: About us\n---\nHi.\n")
    output = build_site(root).output
    assert (output / "about" / "index.html").read_text("utf-8") == "<p>About us only</p>\n"


def test_extra_settings_reach_every_template_and_extra_css_loads_after_the_theme(make_site):
    """site.yml's `extra:` is site.extra in every template (a site template shows it), and
    each stylesheet of `extra_css:` (from templates/assets/) is loaded on every page after
    the theme's, so its rules win."""
    site_yml = (
        "title: Extra\n"
        "extra:\n  group: Tuesday reading group\n  rooms: [A1, B2]\n"
        "extra_css: [extra.css]\n"
    )
    root = make_site("standard.txt", site_yml=site_yml)
    (root / "templates" / "assets").mkdir(parents=True)
    (root / "templates" / "assets" / "extra.css").write_text(".brand { color: teal; }\n", "utf-8")
    (root / "templates" / "paper.html").write_text(
        '{% extends "theme/paper.html" %}\n'
        '{% block main %}{{ super() }}<p class="group">{{ site.extra.group }} in '
        '{{ site.extra.rooms | join(", ") }}</p>{% endblock %}\n',
        "utf-8",
    )
    output = build_site(root).output
    assert (output / "assets" / "extra.css").read_text("utf-8") == ".brand { color: teal; }\n"
    paper = (output / "papers" / "alpha-networks-for-vision" / "index.html").read_text("utf-8")
    assert '<p class="group">Tuesday reading group in A1, B2</p>' in paper
    for path, data in pages(output).items():
        page = data.decode()
        theme, extra = page.find("assets/style.css"), page.find("assets/extra.css")
        assert 0 < theme < extra < page.index("</head>"), path


def test_extra_settings_that_cannot_work_are_one_line(make_site):
    from conftest import run_cli

    for setting, problem in [
        ("extra: [a, b]", "extra must be a mapping"),
        ("extra_css: extra.css", "extra_css must be a list"),
        ("extra_css: [missing.css]", "extra_css: templates/assets/missing.css does not exist"),
        ("extra_css: [../site.yml]", "extra_css: '../site.yml' is not a .css file"),
    ]:
        root = make_site("standard.txt", site_yml=f"title: Extra\n{setting}\n")
        result = run_cli("build", "-C", str(root))
        assert result.returncode == 1, setting
        assert "site.yml:2: error: " + problem in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
        import shutil

        shutil.rmtree(root)


def test_feeds_the_sitemap_and_robots_txt_come_from_templates_a_site_can_replace(make_site):
    """The theme's feed.xml, sitemap.xml and robots.txt write those files; a site's own
    replace them (feedparser still reads the feed a site's template extends)."""
    import feedparser

    root = make_site("standard.txt")
    templates = root / "templates"
    templates.mkdir()
    (templates / "robots.txt").write_text(
        "User-agent: *\nDisallow: /drafts/\nSitemap: {{ site.url }}sitemap.xml\n", "utf-8"
    )
    (templates / "feed.xml").write_text(
        (default_theme() / "feed.xml")
        .read_text("utf-8")
        .replace("  <author>", "  <subtitle>{{ site.extra.motto | xml }}</subtitle>\n  <author>"),
        "utf-8",
    )
    (templates / "sitemap.xml").write_text("{% for url in urls %}{{ url }}\n{% endfor %}", "utf-8")
    site_yml = root / "content" / "site.yml"
    site_yml.write_text(site_yml.read_text("utf-8") + "extra:\n  motto: Q&A <daily>\n", "utf-8")
    build_site(root, root / "site")
    site = root / "site"
    assert (site / "robots.txt").read_text("utf-8").startswith("User-agent: *\nDisallow: /drafts/")
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not feed.bozo and feed.feed.subtitle == "Q&A <daily>"
    assert [entry.title for entry in feed.entries] == [
        "Alpha Networks for Vision",
        "Beta: Better Transformers",
    ]
    topic_feed = feedparser.parse((site / "topics" / "transformers" / "feed.xml").read_bytes())
    assert topic_feed.feed.subtitle == "Q&A <daily>"
    urls = (site / "sitemap.xml").read_text("utf-8").splitlines()
    assert "https://example.org/test/papers/" in urls and len(urls) == len(set(urls))


def test_the_readme_lists_the_template_contract_and_every_page_keeps_it(make_site):
    """The README's table of template variables is the contract's (site/contract.py), and
    every page of a site (with the schedule plugin's pages too) is given exactly what its
    layout's contract says: no variable missing, none it does not name."""
    from typing import get_type_hints

    from conftest import REPO

    from generator.content.config import plugin_names
    from generator.engine.cache import BuildCache
    from generator.engine.progress import Progress
    from generator.plugins import load_plugins
    from generator.recipe import complete_catalog, plan_site, read_content
    from generator.site.contract import LAYOUTS, variables_table
    from generator.site.render import make_environment

    readme = (REPO / "README.md").read_text("utf-8")
    table = readme.split("<!-- template variables: from generator/site/contract.py -->\n")[1]
    assert table.split("<!-- end of template variables -->")[0] == variables_table()

    root = make_site(
        "standard.txt", site_yml="title: T\nurl: https://e.org/\nplugins: [schedule]\n"
    )
    (root / "content" / "papers").mkdir()
    (root / "content" / "papers" / "a.md").write_text(
        "---\ntitle: Alpha Networks for Vision\nauthors: [Ada Lovelace]\ndiscussed: 2024-03-14\n"
        "---\nNotes.\n",
        "utf-8",
    )
    (root / "content" / "pages").mkdir()
    (root / "content" / "pages" / "about.md").write_text("# About\n", "utf-8")
    (root / "content" / "citations.json").write_text(  # the missing papers' page too
        '{"papers": {"arxiv:2101.00001": {"fetched": "2026-12-01", "citations": 3}}}', "utf-8"
    )
    plugins = load_plugins(root, plugin_names(root))
    content = read_content(root, None, Progress(), BuildCache(None), plugins)
    catalog = complete_catalog(content, Progress(), BuildCache(None), plugins)
    plan = plan_site(catalog, make_environment(catalog.parts.config.templates), plugins)
    seen = set()
    for page in plan.pages:
        composed = plan.compose(page)
        contract = LAYOUTS[page.layout]
        allowed = set(get_type_hints(contract))
        required = set(contract.__required_keys__)  # type: ignore[attr-defined]
        given = set(composed.context) | ({"content"} if composed.markdown is not None else set())
        assert required <= given <= allowed, (page.path, required - given, given - allowed)
        seen.add(page.layout)
    assert seen == set(LAYOUTS)


def test_a_site_topic_md_is_still_the_collections_heading_with_a_warning(make_site):
    """collection.md heads every collection page; it was topic.md, which a site's own
    templates may still have (used, with a warning); with both, collection.md wins."""
    root = make_site("standard.txt")
    (root / "templates").mkdir()
    (root / "templates" / "topic.md").write_text("# Old: {{ collection.name | md }}\n", "utf-8")
    report = build_site(root, root / "site")
    page = (root / "site" / "papers" / "index.html").read_text("utf-8")
    assert "Old: All papers" in page
    assert any("topic.md is now called collection.md" in w.message for w in report.warnings)
    (root / "templates" / "collection.md").write_text("# New: {{ collection.name }}\n", "utf-8")
    report = build_site(root, root / "site")
    assert "New: All papers" in (root / "site" / "papers" / "index.html").read_text("utf-8")
    assert not any("topic.md" in warning.message for warning in report.warnings)
