"""The whole build on the real corpus: counts, topics, links, HTML, determinism."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

from conftest import REPO, copy_of_example
from sitecheck import check_site

from generator.build import build_site
from generator.incremental import SHARED

ATOM = "{http://www.w3.org/2005/Atom}"


def snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_corpus_counts(example_build):
    site = example_build.output
    assert example_build.papers == 433
    # One listing of the example has no date (its seed page had none): said, with the fix.
    [undated] = example_build.warnings
    assert undated.location.path.name == "image-recognition.txt"
    assert "no date" in undated.message and "date: 2024-03-14" in undated.message
    assert 15 <= example_build.topics <= 30
    assert len(list((site / "papers").glob("*/index.html"))) == 433
    assert len(list((site / "papers").glob("*/index.md"))) == 433
    assert len(list((site / "topics").glob("*/feed.xml"))) == example_build.topics
    for name in [
        "index.html",
        "404.html",
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
        ".nojekyll",
        "topics/index.html",
        "papers/index.html",
        "about/index.html",
        "assets/style.css",
    ]:
        assert (site / name).is_file(), name


def test_every_paper_has_a_topic_and_no_topic_is_tiny(example_build):
    site = example_build.output
    for page in (site / "papers").glob("*/index.md"):
        assert "\n## Topics\n" in page.read_text(encoding="utf-8"), page
    for feed in (site / "topics").glob("*/index.md"):
        count = int(re.search(r"^(\d+) papers?", feed.read_text(encoding="utf-8"), re.M)[1])
        assert count >= 3, feed


def test_papers_in_several_listings_name_them_all(example_build):
    """479 entries in 5 listings, no paper twice in one listing: 479 paper-listing links."""
    pages = list((example_build.output / "papers").glob("*/index.md"))
    links = [page.read_text(encoding="utf-8").count("](<../../listings/") for page in pages]
    assert sum(links) == 479
    assert min(links) == 1
    assert sum(count - 1 for count in links) == 479 - 433  # every repeat merged, none lost


def test_every_internal_link_resolves_and_html_is_well_formed(example_build):
    broken, malformed = check_site(example_build.output, base_path="/papersite/")
    assert broken == []
    assert malformed == []


def test_links_are_relative_and_assets_referenced(example_build):
    html = (
        example_build.output
        / "papers"
        / "deep-residual-learning-for-image-recognition"
        / "index.html"
    ).read_text(encoding="utf-8")
    assert 'href="../../assets/style.css"' in html
    assert 'href="../../topics/' in html
    assert 'href="/' not in html and 'src="/' not in html


def test_abstract_urls_become_code_and_project_links(example_build):
    page = next((example_build.output / "papers").glob("crossvit*/index.md"))
    text = page.read_text(encoding="utf-8")
    assert "[Code](<https://github.com/IBM/CrossViT>)" in text


def test_feeds_and_sitemap_are_valid_xml(example_build):
    site = example_build.output
    feed = ET.parse(site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert 0 < len(entries) <= 50
    for entry in entries:
        assert entry.findtext(f"{ATOM}id").startswith("urn:uuid:")
        assert entry.find(f"{ATOM}link").get("href").startswith("https://papersite.github.io/")
    urls = [
        loc.text
        for loc in ET.parse(site / "sitemap.xml").getroot().iter()
        if loc.tag.endswith("loc")
    ]
    assert len(urls) == len(set(urls)) == example_build.pages - 1  # all but 404.html


def test_rebuild_is_byte_identical(example_build, tmp_path: Path):
    again = build_site(copy_of_example(tmp_path), tmp_path / "again").output
    first = {
        p.relative_to(example_build.output): p.read_bytes()
        for p in example_build.output.rglob("*")
        if p.is_file()
    }
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert [path for path in first if first[path] != second[path]] == []


def test_json_ld_is_valid_json(example_build):
    html = next((example_build.output / "papers").glob("*/index.html")).read_text("utf-8")
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    assert json.loads(block)["@type"] == "ScholarlyArticle"


def test_the_wheel_builds_the_site_the_checkout_builds(papersite_wheel, example_build, tmp_path):
    """papersite installed from its wheel, with nothing of this checkout in sight (no site
    directory, so no editable install's finder), builds the example byte for byte as the
    checkout does: every module, template and kind of theme asset ships in the wheel."""
    import sysconfig

    installed = tmp_path / "installed"
    pip = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(installed)]
    done = subprocess.run([*pip, str(papersite_wheel)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    theme = REPO / "templates"
    for path in theme.rglob("*"):
        if path.is_file() and SHARED not in path.relative_to(theme).parts:  # (a cache)
            shipped = installed / "generator" / "theme" / path.relative_to(theme)
            assert shipped.is_file(), f"{path.relative_to(REPO)} is not in the wheel"
    modules = {p.relative_to(REPO).as_posix() for p in (REPO / "generator").rglob("*.py")}
    shipped_modules = {p.relative_to(installed).as_posix() for p in installed.rglob("*.py")}
    assert modules - shipped_modules == set()
    # pyproject.toml lists the packages by hand (the theme is one, from templates/): all
    # of them, as the folders are.
    import tomllib

    listed = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]
    folders = {
        ".".join(p.parent.relative_to(REPO).parts)
        for p in (REPO / "generator").rglob("__init__.py")
    }
    assert set(listed["packages"]) == folders | {"generator.theme"}
    root = copy_of_example(tmp_path / "example")
    libraries = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(installed), *libraries])}
    program = "import sys, generator.cli as c; print(c.__file__); sys.exit(c.main())"
    command = [sys.executable, "-S", "-c", program]
    built = subprocess.run(
        [*command, "build", "-C", str(root), "--quiet"],
        capture_output=True,
        text=True,
        env=environment,
        cwd=tmp_path,
    )
    assert built.returncode == 0, built.stderr
    assert built.stdout.startswith(str(installed / "generator")), built.stdout
    wheel_site, checkout_site = snapshot(root / "site"), snapshot(example_build.output)
    assert wheel_site.keys() == checkout_site.keys()
    assert [path for path in wheel_site if wheel_site[path] != checkout_site[path]] == []
