"""Speed without surprises: caches, the no-change shortcut, forked rendering, chunks."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import REPO, copy_of_example, copy_of_theme, serve_directory, warm_copy_of_example
from markupsafe import Markup

from generator.build import build_site
from generator.engine.cache import FOLDER, BuildCache
from generator.incremental import SHARED, CompiledTemplates
from generator.search import split as search_split
from generator.search.index import Searcher
from generator.search.split import join_store, read_script
from generator.site.render import MarkdownOptions


def snapshot(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def counted_compiles(monkeypatch) -> list[str | None]:
    """The names of the templates Jinja compiles in this process from now on (the test's
    monkeypatch undoes the counting)."""
    import jinja2

    compiled: list[str | None] = []
    real_compile = jinja2.Environment.compile

    def counted(self, source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return real_compile(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    return compiled


def copy_example(tmp_path: Path) -> Path:
    return copy_of_example(tmp_path / "example")


def stray_with_the_folder_time_restored(folder):
    """A file added to `folder`, whose modification time is then put back (as tar, rsync or
    a coarse clock can leave it)."""
    before = folder.stat()
    (folder / "stray.html").write_text("x")
    os.utime(folder, ns=(before.st_atime_ns, before.st_mtime_ns))


def test_no_change_rebuild_does_nothing_and_any_change_rebuilds(tmp_path, example_build):
    root = warm_copy_of_example(tmp_path / "example", example_build)
    first = build_site(root)
    assert not first.up_to_date
    before = snapshot(first.output)
    again = build_site(root)
    assert again.up_to_date and again.papers == first.papers
    assert snapshot(again.output) == before
    (first.output / "topics" / "index.html").unlink()  # output touched: rebuilt
    assert not build_site(root).up_to_date
    assert snapshot(first.output) == before
    # The check stats what the build wrote and the folders it wrote into, not the whole
    # tree: a file added anywhere, a new folder or a file edited in place is still seen
    # (and the build that follows makes the site what it was).
    for touch in (
        lambda site: (site / "papers" / "stray.html").write_text("x"),
        lambda site: (site / "new" / "deeper").mkdir(parents=True),
        lambda site: stray_with_the_folder_time_restored(site / "papers"),
        lambda site: os.utime(site / "index.html", ns=(0, 0)),
    ):
        assert build_site(root).up_to_date
        touch(first.output)
        assert not build_site(root).up_to_date
        assert snapshot(first.output) == before
    (root / "content" / "pages" / "about.md").write_text("# About\n\nChanged.\n")
    changed = build_site(root)
    assert not changed.up_to_date
    assert b"Changed." in (changed.output / "about" / "index.html").read_bytes()


def test_cache_is_safe_to_delete_and_changes_nothing(example_build, tmp_path):
    """A build with the cache a cold build made (the session's, copied) and a build
    without one make the site that cold build made."""
    root = warm_copy_of_example(tmp_path / "example", example_build)
    (root / "content" / "site.yml").write_text(
        (root / "content" / "site.yml").read_text() + "\n# comment\n"
    )
    with_cache = build_site(root, tmp_path / "two")  # parse, related, search, markdown cached
    shutil.rmtree(root / FOLDER)
    without_cache = build_site(root, tmp_path / "three")
    assert snapshot(with_cache.output) == snapshot(without_cache.output)
    assert snapshot(example_build.output) == snapshot(without_cache.output)


# The CLI's build in a process of its own (a test worker has threads: it would not fork),
# with a theme that has nothing compiled beside it, logging which process compiles a
# template, loads one compiled from the cache, or renders pages. With a fourth argument,
# the process that compiles the templates while the content is read is killed at once.
LOGGED_BUILD = """
import os, signal, sys
from pathlib import Path
import jinja2
import generator.content.templates as templates
import generator.incremental as incremental
import generator.recipe as recipe
from generator.cli import main
root, theme, log, output, *kill = sys.argv[1:]
def note(what, name):
    with open(log, "a") as stream:
        stream.write(f"{os.getpid()} {what} {name}\\n")
real_compile = jinja2.Environment.compile
def compiling(self, source, name=None, filename=None, raw=False, defer_init=False):
    note("compile", name)
    return real_compile(self, source, name, filename, raw, defer_init)
jinja2.Environment.compile = compiling
real_load = incremental.CompiledTemplates.load_bytecode
def loading(self, bucket):
    real_load(self, bucket)
    if bucket.code is not None:
        note("load", bucket.key[:12])
incremental.CompiledTemplates.load_bytecode = loading
real_render = recipe.render_pages
def rendering(*args, **options):
    note("render", "pages")
    return real_render(*args, **options)
recipe.render_pages = rendering
real_apart = recipe._compiled_into_cache
def apart(env, names):
    note("apart", "compiling")
    if kill:
        os.kill(os.getpid(), signal.SIGKILL)
    return real_apart(env, names)
recipe._compiled_into_cache = apart
os.cpu_count = lambda: 2  # two render processes on any machine
templates.default_theme = lambda: Path(theme)
print(os.getpid(), flush=True)
sys.exit(main(["build", "--quiet", "-C", root, "--output", output]))
"""


def logged_build(
    root: Path, place: Path, *kill: str, theme: Path | None = None
) -> tuple[str, dict[str, set[str]]]:
    """LOGGED_BUILD of `root` into place/out with `theme` (else a copy of the theme, with
    nothing compiled beside it): the parent's process id, and the process ids that did
    each thing ("compile", "load", "render", "apart": began compiling while the content
    is read); the names compiled under "compiled"."""
    place.mkdir()
    theme = theme or copy_of_theme(place / "theme")
    log, output = place / "log", place / "out"
    log.touch()
    result = subprocess.run(
        [sys.executable, "-c", LOGGED_BUILD, *map(str, (root, theme, log, output)), *kill],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    done: dict[str, set[str]] = {}
    compiled: list[str] = []
    for line in log.read_text().splitlines():
        process, what, name = line.split()
        done.setdefault(what, set()).add(process)
        if what == "compile":
            compiled.append(name)
    assert len(compiled) == len(set(compiled)), compiled  # each template once
    done["compiled"] = set(compiled)
    return result.stdout.split()[0], done


def test_forked_build_matches_the_in_process_build_and_compiles_each_template_once(
    example_build, tmp_path
):
    """The build on every core makes the pages the in-process build makes; the templates
    are compiled once, by a process of their own while the content is read, not by the
    parent on the busy cores nor again by a render process (the second compiled 5 of the
    17 again); the render processes find them loaded (the parent follows what each names,
    which that process tells it)."""
    # A copy of its own: the repository's folder (its cache, its build lock) is shared by
    # every process running the tests.
    root = copy_of_example(tmp_path / "example")
    parent, done = logged_build(root, tmp_path / "cold")
    assert snapshot(tmp_path / "cold" / "out") == snapshot(example_build.output)
    needed = {"base.html", "paper.html", "collection.html", "_cards.html", "paper.md"}
    assert needed <= done["compiled"]
    rendering = done["render"]
    assert len(rendering) == 2 and parent not in rendering  # two render processes forked
    [compiling] = done["compile"]
    assert compiling not in rendering | {parent}
    assert done["load"] == {parent} and done["apart"] == {compiling}  # not a render process
    # Once the cache holds them all, no process is forked for them, and none is compiled
    # (what they name is not known without parsing them: the render processes load those).
    parent, done = logged_build(root, tmp_path / "warm", theme=tmp_path / "cold" / "theme")
    assert "apart" not in done and "compile" not in done and parent in done["load"]


def test_a_killed_template_process_costs_only_what_it_saves(example_build, tmp_path):
    """The process that compiles the templates while the content is read only saves work:
    killed, the build compiles them itself and makes the same site."""
    root = copy_of_example(tmp_path / "example")
    parent, done = logged_build(root, tmp_path / "built", "kill")
    assert snapshot(tmp_path / "built" / "out") == snapshot(example_build.output)
    [killed] = done["apart"]
    assert killed != parent and parent in done["compile"]


def test_compile_ahead_follows_what_each_template_file_names(tmp_path, monkeypatch):
    """A site's paper.html that extends the theme's, which includes a template only it
    uses: compile_ahead compiles the two paper.html files (two names, two entries) and all
    they name, so rendering compiles nothing more; a template that fails is left for the
    page that uses it, which reports it with its line."""

    from generator.diagnostics import ContentError
    from generator.site.render import compile_ahead, load_template, make_environment

    theme, site = tmp_path / "theme", tmp_path / "site"
    for folder, files in (
        (
            theme,
            {
                "base.html": "<main>{% block main %}{% endblock %}</main>",
                "paper.html": '{% extends "base.html" %}{% block main %}{% include "_meta.html" %}'
                "{% endblock %}",
                "_meta.html": "meta",
            },
        ),
        (site, {"paper.html": '{% extends "theme/paper.html" %}', "broken.html": "\n{% if %}"}),
    ):
        folder.mkdir()
        for name, text in files.items():
            (folder / name).write_text(text, "utf-8")
    env = make_environment((site, theme))
    compile_ahead(env, ["paper.html", "broken.html"])
    compiled = counted_compiles(monkeypatch)
    assert load_template(env, "paper.html").render() == "<main>meta</main>"
    assert compiled == []
    with pytest.raises(ContentError) as failed:
        load_template(env, "broken.html")
    assert failed.value.location.line == 2 and compiled == ["broken.html"]


# Run in a process of its own: a test worker has threads, so it would not fork.
WRITTEN_APART = """
import json, sys
from pathlib import Path
from generator.recipe import Change, SiteBuilder
from generator.site.output import updated_output
root = Path(sys.argv[1])
builder = SiteBuilder(root)
runs = []
for change in (Change.CONTENT, Change.ASSETS):
    with updated_output(root / "site") as (writer, record):
        record.add(builder.run(writer, change))
    runs.append([builder.wrote_apart, len(builder.search), len(builder.social_cards)])
print(json.dumps(runs))
"""


def test_the_search_files_and_social_cards_are_written_where_they_are_made(example_build, tmp_path):
    """On every core, the processes that make the search index and the social cards
    write them (their bytes never travel to the builder, ~30 MB at 10,000 papers); the
    builder then starts its next run from the content, as it holds neither: the site is
    the same as a build made in one process, run after run."""
    root = copy_of_example(tmp_path / "example")
    result = subprocess.run(
        [sys.executable, "-c", WRITTEN_APART, str(root)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [[True, 0, 0], [True, 0, 0]]
    assert snapshot(root / "site") == snapshot(example_build.output)


@pytest.fixture
def chunked_site(make_site, monkeypatch):
    """A small site split as a large one is: many term chunks and record files."""
    monkeypatch.setattr(search_split, "CHUNK_BYTES", 300)
    monkeypatch.setattr(search_split, "VOCAB_TERMS", 10)
    monkeypatch.setattr(search_split, "RECORDS", 2)
    root = make_site("standard.txt", "glued.txt", "urls.txt")
    return build_site(root).output


def test_small_chunks_lose_nothing(chunked_site):
    core = read_script((chunked_site / "assets" / "search-index.js").read_bytes())
    assert len(core["chunks"]) > 10 and len(core["words"]) > 3 and core["records"] == 2
    searcher = Searcher.of_site(chunked_site)
    store = join_store(lambda path: (chunked_site / path).read_bytes())
    assert [store[int(ref, 36)][0] for ref in searcher.search("videos")] == ["Kappa Code Release"]


def test_chunks_load_in_the_browser_and_rank_like_python(chunked_site, chromium):
    page = chromium.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    with serve_directory(chunked_site) as base:
        page.goto(f"{base}search/?q=videos")  # a word of a later chunk
        page.wait_for_function("document.querySelectorAll('#search-results h2').length > 0")
        assert page.locator("#search-results h2").first.inner_text() == "Kappa Code Release"
        searcher = Searcher.of_site(chunked_site)
        queries = ["networks", "alpha transformers", "code vision", "gamma", "kappa release"]
        in_js = page.evaluate(
            """qs => Promise.all(qs.map(q => window.papersiteSearchEngine.search(q)
                 .then(found => found.results.map(r => r.ref))))""",
            queries,
        )
        assert in_js == [searcher.search(query) for query in queries]
    page.close()
    assert errors == []


def test_a_chunk_that_fails_to_load_says_so_and_a_retry_works(chunked_site, chromium):
    core = read_script((chunked_site / "assets" / "search-index.js").read_bytes())
    number = max(n for n, start in enumerate(core["chunks"]) if start <= "video")
    page = chromium.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    with serve_directory(chunked_site) as base:
        blocked = f"**/assets/search/t{number}.js"
        page.route(blocked, lambda route: route.abort())
        page.goto(f"{base}search/?q=videos")
        status = page.locator("#search-status")
        page.wait_for_function(
            "document.getElementById('search-status').textContent.includes('could not load')"
        )
        assert f"search/t{number}.js" in status.inner_text()
        assert "Check the connection" in status.inner_text()
        assert page.locator("#search-results li").count() == 0
        page.unroute(blocked)
        page.click("#search-page-input")
        page.keyboard.press("Enter")
        page.wait_for_function("document.querySelectorAll('#search-results h2').length > 0")
        assert page.locator("#search-results h2").first.inner_text() == "Kappa Code Release"
    page.close()
    assert errors == []


def test_markdown_cache_holds_this_build_and_a_layout_edit_reuses_it(tmp_path, monkeypatch):
    """Each render share caches the HTML of its Markdown pages; a layout edit converts
    nothing (the shares are not rewritten); a content edit replaces the stale page. Each
    share is rendered in batches of 40 pages here (the example's fit in one of 1,000):
    the cache holds them all."""
    from generator import recipe
    from generator.incremental import CachedMarkdown

    monkeypatch.setattr(recipe, "RENDER_BATCH", 40)

    root = copy_example(tmp_path)
    first = build_site(root)
    cache = BuildCache.for_site(root)
    shares = CachedMarkdown(cache, MarkdownOptions()).shares
    markdown_pages = len({page.read_bytes() for page in first.output.rglob("index.md")})
    assert len({key for share in shares.values() for key in share}) == markdown_pages
    stamps = {p.name: p.stat().st_mtime_ns for p in (root / FOLDER / "markdown-0").iterdir()}

    (root / "templates").mkdir()
    base = (REPO / "templates" / "base.html").read_text("utf-8")
    (root / "templates" / "base.html").write_text(base.replace("</footer>", "EDITED</footer>"))
    edited = build_site(root)
    assert b"EDITED" in (edited.output / "index.html").read_bytes()
    after = {p.name: p.stat().st_mtime_ns for p in (root / FOLDER / "markdown-0").iterdir()}
    assert after == stamps

    about = root / "content" / "pages" / "about.md"
    about.write_text(about.read_text("utf-8") + "\nOne more line.\n", "utf-8")
    build_site(root)
    shares = CachedMarkdown(cache, MarkdownOptions()).shares
    assert len({key for share in shares.values() for key in share}) == markdown_pages
    html = "".join(page for share in shares.values() for page in share.values())
    assert "One more line." in html


def test_topic_keyword_edit_is_not_hidden_by_the_cache(make_site):
    root = make_site("standard.txt", "glued.txt")
    page = root / "site" / "topics" / "transformers" / "index.html"
    build_site(root)
    before = page.read_text("utf-8")
    topics = root / "content" / "topics.yml"
    topics.write_text(topics.read_text("utf-8").replace("transformer, attention", "gamma"))
    build_site(root)
    assert page.read_text("utf-8") != before
    shutil.rmtree(root / FOLDER)
    uncached = build_site(root, root / "fresh")
    assert snapshot(uncached.output) == snapshot(root / "site")


def test_markdown_cache_is_not_reused_across_versions(
    tmp_path, monkeypatch, own_theme, example_build
):
    """The cached HTML is used on a layout edit, unless papersite's cache format (or a
    version in the salt) changed: then it is converted again."""
    import generator.engine.cache as cache_module
    from generator.incremental import CachedMarkdown

    root = warm_copy_of_example(tmp_path / "example", example_build)
    page = root / "site" / "about" / "index.html"
    build_site(root)
    cache = BuildCache.for_site(root)
    for name, share in CachedMarkdown(cache, MarkdownOptions()).shares.items():
        cache.store("markdown-0", name, {key: "<p>STALE</p>" for key in share})
    (root / "templates").mkdir()
    base = (REPO / "templates" / "base.html").read_text("utf-8")
    (root / "templates" / "base.html").write_text(base.replace("</footer>", "A</footer>"))
    build_site(root)
    assert "STALE" in page.read_text("utf-8")  # same salt: the cache is trusted
    monkeypatch.setattr(cache_module, "FORMAT", cache_module.FORMAT + 1)
    (root / "templates" / "base.html").write_text(base.replace("</footer>", "B</footer>"))
    build_site(root)
    assert "STALE" not in page.read_text("utf-8")
    names = [p.name for p in (root / FOLDER / "markdown-0").iterdir()]
    assert names and all(
        name in CachedMarkdown(BuildCache.for_site(root), MarkdownOptions()).shares
        for name in names
    )


def test_an_edited_papersite_builds_again(tmp_path, example_build, monkeypatch, own_theme):
    """The no-change check and every cached stage are salted with papersite's own code."""
    import generator.engine.cache as cache_module

    root = warm_copy_of_example(tmp_path / "example", example_build)
    build_site(root)
    assert build_site(root).up_to_date
    monkeypatch.setattr(cache_module, "_code_digest", lambda: "edited")
    assert not build_site(root).up_to_date


def test_the_salt_has_the_library_versions_importlib_metadata_finds(tmp_path, monkeypatch):
    """The cache's salt reads each library's version from the folders pip leaves (without
    importing importlib.metadata, which a build no longer pays for): the same versions
    importlib.metadata gives, for the libraries installed and for every way a folder
    names one; and a library found first elsewhere on sys.path (upgraded) changes it."""
    import importlib.metadata

    import generator.engine.cache as cache_module

    def metadata_versions(names):
        found = []
        for name in names:
            try:
                found.append(importlib.metadata.version(name))
            except importlib.metadata.PackageNotFoundError:
                found.append("?")
        return found

    real = ("lunr", "markdown-it-py", "jinja2", "bibtexparser", "pillow", "rjsmin", "PyYAML")
    assert cache_module.installed_versions(real) == metadata_versions(real)
    assert "?" not in cache_module.installed_versions(real)
    before = BuildCache(None).key("x")

    folder = tmp_path / "elsewhere"
    (folder / "lunr-99.1.dist-info").mkdir(parents=True)
    (folder / "lunr-99.1.dist-info" / "METADATA").write_text("Name: lunr\nVersion: 99.1\n")
    (folder / "Markdown_It.Py-7.0-py3.11.egg-info").mkdir()  # an egg's, with its Python
    (folder / "Markdown_It.Py-7.0-py3.11.egg-info" / "PKG-INFO").write_text("Version: 7.0\n")
    (folder / "jinja2.egg-info").mkdir()  # a version only in its metadata
    (folder / "jinja2.egg-info" / "PKG-INFO").write_text("Name: Jinja2\nVersion: 9.9.9\n")
    (folder / "pillow.egg-info").write_text("Metadata-Version: 1.0\nVersion: 8.8\n")  # a file
    (folder / "nothing-1.0.dist-info").mkdir()
    (folder / "nothing-1.0.dist-info" / "METADATA").write_text("Name: nothing\nVersion: 1.0\n")
    monkeypatch.syspath_prepend(str(folder))
    names = (*real, "nothing", "not-installed")
    assert cache_module.installed_versions(names) == metadata_versions(names)
    lunr, markdown_it, jinja2, _, pillow, *_ = cache_module.installed_versions(real)
    assert [lunr, markdown_it, jinja2, pillow] == ["99.1", "7.0", "9.9.9", "8.8"]
    assert BuildCache(None).key("x") != before


def test_a_template_edit_reads_no_content_and_a_content_edit_reads_it_all(
    tmp_path, example_build, monkeypatch
):
    """The catalog (papers, topics, related papers, feeds) of the last build is reused
    while the content is byte for byte the same, and its warnings with it; any content
    edit, or the site moved to another folder, reads everything again."""
    from generator import recipe

    root = warm_copy_of_example(tmp_path / "example", example_build)
    (root / "templates").mkdir()
    theme = REPO / "templates" / "base.html"
    base = root / "templates" / "base.html"
    base.write_text(theme.read_text("utf-8"), "utf-8")
    first = build_site(root)
    real_read, real_complete = recipe.read_content, recipe.complete_catalog

    def refused(*args, **kwargs):
        raise AssertionError("the content was read again")

    monkeypatch.setattr(recipe, "read_content", refused)
    monkeypatch.setattr(recipe, "complete_catalog", refused)
    base.write_text(theme.read_text("utf-8").replace("</footer>", "<p>Edited.</p></footer>"))
    again = build_site(root)
    assert again.warnings == first.warnings and again.papers == first.papers
    monkeypatch.setattr(recipe, "read_content", real_read)
    monkeypatch.setattr(recipe, "complete_catalog", real_complete)
    shutil.rmtree(root / FOLDER)
    assert snapshot(again.output) == snapshot(build_site(root, tmp_path / "clean").output)

    monkeypatch.setattr(recipe, "read_content", refused)
    about = root / "content" / "pages" / "about.md"
    about.write_text(about.read_text("utf-8") + "\nOne more line.\n", "utf-8")
    with pytest.raises(AssertionError, match="read again"):
        build_site(root)
    monkeypatch.setattr(recipe, "read_content", real_read)
    build_site(root)
    moved = root.rename(tmp_path / "moved")
    monkeypatch.setattr(recipe, "read_content", refused)
    with pytest.raises(AssertionError, match="read again"):
        build_site(moved)


def test_a_template_edit_keeps_the_search_files_and_cards_the_content_made(
    tmp_path, example_build, monkeypatch
):
    """After a template edit the search files and social cards, made from the content
    alone, are kept as they are (neither made nor read again), while they are as the last
    build left them; one deleted or changed, or any content edit, makes them again. The
    site is always what a clean build makes."""
    from generator import recipe

    root = warm_copy_of_example(tmp_path / "example", example_build)
    (root / "templates").mkdir()
    base = root / "templates" / "base.html"
    theme = (REPO / "templates" / "base.html").read_text("utf-8")
    base.write_text(theme, "utf-8")
    first = build_site(root)
    index = first.output / "assets" / "search-index.js"
    assert len(list(first.output.rglob("card.png"))) > 400 and index.is_file()
    log = tmp_path / "made.log"  # each is made in a process of its own: noted in a file
    real_search, real_cards = recipe.background_files, recipe.social_cards_cached

    def searching(*args, **kwargs):
        with log.open("a") as file:
            file.write("search\n")
        return real_search(*args, **kwargs)

    def drawing(*args, **kwargs):
        with log.open("a") as file:
            file.write("cards\n")
        return real_cards(*args, **kwargs)

    monkeypatch.setattr(recipe, "background_files", searching)
    monkeypatch.setattr(recipe, "social_cards_cached", drawing)

    def edited(number: int, touch=None) -> dict[str, int]:
        """What a build after a template edit (and `touch` of the output) made again."""
        if touch is not None:
            touch()
        base.write_text(theme.replace("</footer>", f"<p>Edit {number}.</p></footer>"))
        log.write_text("")
        assert not build_site(root).up_to_date
        made = log.read_text().split()
        return {kind: made.count(kind) for kind in ("search", "cards")}

    before = snapshot(first.output)
    assert edited(1) == {"search": 0, "cards": 0}
    after = snapshot(first.output)
    assert {path for path in after if after[path] != before[path]} <= {
        path for path in after if path.endswith(".html")
    }
    # A file changed in place (its folder's times are the same): not as the last build
    # left the output, so all is made again (a file gone changes its folder's times).
    assert edited(2, lambda: index.write_text("broken")) == {"search": 1, "cards": 1}
    assert index.read_bytes() == before["assets/search-index.js"]
    about = root / "content" / "pages" / "about.md"
    assert edited(3, lambda: about.write_text("# About\n\nChanged.\n")) == {
        "search": 1,
        "cards": 1,
    }
    # A theme asset in the place of a file the search makes: the search is made again,
    # and the next time too (the file in the output was not the search's).
    lunr = root / "templates" / "assets" / "lunr.js"
    lunr.parent.mkdir()
    assert edited(4, lambda: lunr.write_text("// the theme's own\n")) == {"search": 1, "cards": 0}
    lunr.unlink()
    lunr.parent.rmdir()
    assert edited(5) == {"search": 1, "cards": 0}
    assert edited(6) == {"search": 0, "cards": 0}
    monkeypatch.undo()
    shutil.rmtree(root / FOLDER)
    assert snapshot(first.output) == snapshot(build_site(root, tmp_path / "clean").output)


def test_a_layout_edit_reuses_each_pages_markdown_and_cards_until_what_makes_them_changes(
    make_site, tmp_path
):
    """A build keeps each page's Markdown, the paper cards and the paper pages' texts for
    the next build of the same content: a layout edit makes none of them again (seen by
    planting a mark in the cache), an edit of a template they are made of (even one they
    include) does, and the texts are made again when the content changes."""
    root = make_site("standard.txt", "glued.txt")
    templates = root / "templates"
    templates.mkdir()
    for name in ("base.html", "paper.md", "_cards.html"):
        shutil.copy(REPO / "templates" / name, templates / name)
    paper_md = (templates / "paper.md").read_text("utf-8")
    (templates / "paper.md").write_text(paper_md + '\n{% include "_note.html" %}\n', "utf-8")
    (templates / "_note.html").write_text("NOTE-ONE\n", "utf-8")
    first = build_site(root)
    slug = "beta-better-transformers"
    twin = first.output / "papers" / slug / "index.md"
    topic = first.output / "topics" / "transformers" / "index.html"
    assert slug in topic.read_text("utf-8")
    assert "NOTE-ONE" in twin.read_text("utf-8")

    cache = BuildCache.for_site(root)
    planted = {"page-markdown": 0, "card-html": 0, "paper-texts": 0}
    for name in cache.names("page-markdown", ""):
        share = cache.load("page-markdown", name)
        if f"papers/{slug}/index.html" in share:
            share[f"papers/{slug}/index.html"] = "# PLANTED-MARKDOWN\n"
            cache.store("page-markdown", name, share)
            planted["page-markdown"] += 1
    for name in cache.names("card-html", ""):
        share = cache.load("card-html", name)
        for key in [key for key in share if key[0] == slug]:
            share[key] = '<li class="card">PLANTED-CARD</li>'
            planted["card-html"] += 1
        cache.store("card-html", name, share)
    for name in cache.names("paper-texts", ""):
        texts = cache.load("paper-texts", name)
        if f"papers/{slug}/index.html" in texts:
            made = texts[f"papers/{slug}/index.html"]
            texts[f"papers/{slug}/index.html"] = replace(made, json_ld=Markup('"PLANTED-LD"'))
            cache.store("paper-texts", name, texts)
            planted["paper-texts"] += 1
    assert planted["page-markdown"] == 1 and planted["card-html"] > 1
    assert planted["paper-texts"] == 1
    page = first.output / "papers" / slug / "index.html"

    def edit(name: str, before: str, after: str) -> None:
        path = templates / name
        path.write_text(path.read_text("utf-8").replace(before, after, 1), "utf-8")
        build_site(root)

    edit("base.html", "</footer>", "<!-- a layout edit --></footer>")
    assert twin.read_text("utf-8") == "# PLANTED-MARKDOWN\n"  # reused, not rendered
    assert "PLANTED-CARD" in topic.read_text("utf-8")
    assert '"PLANTED-LD"' in page.read_text("utf-8")
    edit("_cards.html", "{% macro paper_card", "{# edited #}\n{% macro paper_card")
    assert "PLANTED-CARD" not in topic.read_text("utf-8")
    assert twin.read_text("utf-8") == "# PLANTED-MARKDOWN\n"
    edit("_note.html", "NOTE-ONE", "NOTE-TWO")  # only included by paper.md
    assert "PLANTED-MARKDOWN" not in twin.read_text("utf-8")
    assert "NOTE-TWO" in twin.read_text("utf-8")
    assert '"PLANTED-LD"' in page.read_text("utf-8")  # made of the content alone
    listing = root / "content" / "listings" / "standard.txt"
    listing.write_text(listing.read_text("utf-8") + "\n", "utf-8")  # new content, same site
    build_site(root)
    assert '"PLANTED-LD"' not in page.read_text("utf-8")

    shutil.rmtree(root / FOLDER)
    assert snapshot(root / "site") == snapshot(build_site(root, tmp_path / "clean").output)


def test_a_layout_edit_trusts_the_markdown_twins_the_last_build_left(make_site, tmp_path):
    """A twin made with the same Markdown templates and content, found with the size and
    time the last build left it with, is not read back to be compared (as a no-change
    build trusts every file so); one whose time changed is read and mended, and after an
    edit of a Markdown template, or a build into another folder, every twin is read and
    compared again."""
    root = make_site("standard.txt", "glued.txt")
    copy_of_theme(root / "templates")
    build_site(root)
    twin = root / "site" / "papers" / "beta-better-transformers" / "index.md"
    made = twin.read_bytes()

    def plant() -> bytes:
        """Other bytes in the twin, of its size, and its time put back."""
        before = twin.stat()
        planted = made.replace(b"Beta", b"BETA", 1)
        assert planted != made and len(planted) == len(made)
        twin.write_bytes(planted)
        os.utime(twin, ns=(before.st_atime_ns, before.st_mtime_ns))
        return planted

    def edit(name: str) -> None:
        path = root / "templates" / name
        path.write_text("{# edited #}\n" + path.read_text("utf-8"), "utf-8")
        assert not build_site(root).up_to_date

    planted = plant()
    edit("base.html")
    assert twin.read_bytes() == planted  # trusted: not read
    os.utime(twin, ns=(0, 0))
    edit("base.html")
    assert twin.read_bytes() == made  # its time changed: read, and mended
    plant()
    edit("paper.md")  # the same Markdown, made with other templates: read and compared
    assert twin.read_bytes() == made
    # The last build went to another folder (whose twin, say, was copied from this one's
    # with its time): this folder's twins are read and compared.
    elsewhere = build_site(root, tmp_path / "elsewhere").output
    copied = elsewhere / "papers" / "beta-better-transformers" / "index.md"
    plant()
    os.utime(twin, ns=(copied.stat().st_atime_ns, copied.stat().st_mtime_ns))
    edit("base.html")
    assert twin.read_bytes() == made
    shutil.rmtree(root / FOLDER)
    assert snapshot(root / "site") == snapshot(build_site(root, tmp_path / "clean").output)


def test_the_theme_copied_into_the_site_reuses_what_the_theme_made(make_site, tmp_path):
    """Copying the theme's templates into templates/ (how a site starts its own look)
    changes no page's Markdown nor card: what the theme's files made is reused (seen by
    marks planted in the cache) until a template they are made of is edited, and the
    site is then what a clean build makes."""
    root = make_site("standard.txt", "glued.txt")
    build_site(root)
    cache = BuildCache.for_site(root)
    planted = {"page-markdown": 0, "card-html": 0}
    for kind in planted:
        for name in cache.names(kind, ""):
            share = cache.load(kind, name)
            for key in list(share)[:3]:
                share[key] += f"<!-- PLANTED {kind} -->"
                planted[kind] += 1
            cache.store(kind, name, share)
    assert min(planted.values()) >= 3

    def marks() -> set[str]:
        pages = b"".join(snapshot(root / "site").values())
        return {kind for kind in planted if f"<!-- PLANTED {kind} -->".encode() in pages}

    def edit(name: str) -> None:
        path = root / "templates" / name
        path.write_text("{# mine #}\n" + path.read_text("utf-8"), "utf-8")
        build_site(root)

    copy_of_theme(root / "templates")
    assert not build_site(root).up_to_date
    assert marks() == {"page-markdown", "card-html"}
    edit("_cards.html")
    assert marks() == {"page-markdown"}
    edit("paper.md")
    edit("collection.md")
    assert marks() == set()
    shutil.rmtree(root / FOLDER)
    assert snapshot(root / "site") == snapshot(build_site(root, tmp_path / "clean").output)


def test_a_cache_load_leaves_the_garbage_collector_as_it_found_it(tmp_path):
    """The cache loads without the collector (it would walk millions of new objects) and
    turns it back on after, whether the load worked or not, unless it was off before."""
    import gc

    cache = BuildCache(tmp_path / "cache")
    cache.store("kind", "key", {"papers": [[n] for n in range(1000)]})
    (tmp_path / "cache" / "kind" / "bad").write_bytes(b"not a pickle")
    assert gc.isenabled()
    assert cache.load("kind", "key") == {"papers": [[n] for n in range(1000)]}
    assert gc.isenabled()
    assert cache.load("kind", "bad") is None and cache.load("kind", "gone") is None
    assert gc.isenabled()
    gc.disable()
    try:
        assert cache.load("kind", "key") is not None
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_build_compiles_only_the_templates_whose_source_changed(make_site, monkeypatch, tmp_path):
    """Compiled templates are kept in the cache: a rebuild compiles only an edited
    template, an entry that is damaged is compiled again, and the pages are the same."""
    compiled = counted_compiles(monkeypatch)
    monkeypatch.setattr(os, "cpu_count", lambda: 1)  # every compile in this process, counted
    root = make_site("standard.txt", "glued.txt")
    first = snapshot(build_site(root).output)  # a small site renders in this process
    compiled.clear()
    other = tmp_path / "other"  # a new site: the theme's templates are compiled already
    shutil.copytree(root / "content", other / "content")
    build_site(other)
    assert compiled == []
    shutil.rmtree(root / "site")
    assert snapshot(build_site(root).output) == first and compiled == []

    (root / "templates").mkdir()
    theme = (REPO / "templates" / "base.html").read_text("utf-8")
    (root / "templates" / "base.html").write_text(theme.replace("</footer>", "<p>E.</p></footer>"))
    edited = snapshot(build_site(root).output)
    assert compiled == ["base.html"] and b"<p>E.</p>" in edited["index.html"]

    compiled.clear()
    for entry in (root / FOLDER / "templates").iterdir():
        key, (decided_by, code) = pickle.loads(entry.read_bytes())
        entry.write_bytes(pickle.dumps((key, (decided_by, code[: len(code) // 2]))))
    shutil.rmtree(root / "site")
    # The site's own template is compiled again; the theme's come from beside the theme.
    assert snapshot(build_site(root).output) == edited and compiled == ["base.html"]


def test_the_theme_s_compiled_templates_serve_every_site_and_are_never_believed_blindly(
    tmp_path,
):
    """A theme template compiled by one site is loaded by the next (from the theme's
    __pycache__), and kept in that site's cache too; the site's own templates are kept
    only in its cache; an entry of the theme's compiled with other plugins is not used
    (nor replaced: each is kept), one that is damaged is compiled again, one of another
    papersite is removed (one that cannot be removed stays, and is no error); a theme
    that cannot be written is no error."""
    import jinja2

    theme, own = tmp_path / "theme", tmp_path / "own"
    theme.mkdir()
    own.mkdir()
    (theme / "page.html").write_text("<p>{{ title | upper }}</p>", "utf-8")
    (own / "mine.html").write_text("<i>{{ title }}</i>", "utf-8")
    compiled: list[str] = []

    def render(site: str, name: str, plugins: str = "none") -> str:
        cache = BuildCache(tmp_path / site)
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([own, theme]),
            bytecode_cache=CompiledTemplates(cache, plugins, theme),
        )
        real = env.compile

        def counted(source, name=None, filename=None, raw=False, defer_init=False):
            compiled.append(f"{site}:{name}")
            return real(source, name, filename, raw, defer_init)

        env.compile = counted  # type: ignore[method-assign]
        return env.get_template(name).render(title="t")

    assert render("one", "page.html") == "<p>T</p>" and render("one", "mine.html") == "<i>t</i>"
    assert compiled == ["one:page.html", "one:mine.html"]
    compiled.clear()
    assert render("two", "page.html") == "<p>T</p>" and compiled == []  # the theme's
    assert render("two", "mine.html") == "<i>t</i>" and compiled == ["two:mine.html"]
    shared = theme / SHARED / "templates"
    assert len(list(shared.iterdir())) == 1  # only the theme's template is kept beside it
    assert len(list((tmp_path / "two" / "templates").iterdir())) == 2
    compiled.clear()
    assert render("three", "page.html", plugins="other") == "<p>T</p>"
    assert compiled == ["three:page.html"]  # compiled with other plugins: not reused
    compiled.clear()
    assert render("four", "page.html") == "<p>T</p>" and compiled == []  # nor replaced
    assert len(list(shared.iterdir())) == 2
    for entry in shared.iterdir():
        key, (decided_by, code) = pickle.loads(entry.read_bytes())
        entry.write_bytes(pickle.dumps((key, (decided_by, code[: len(code) // 2]))))
    (shared / "0123456789abcdef-of-another-papersite").write_bytes(b"old")
    (shared / "0123456789abcdef-that-cannot-be-removed").mkdir()  # (nor read)
    assert render("five", "page.html") == "<p>T</p>" and compiled == ["five:page.html"]
    assert sorted(entry.is_dir() for entry in shared.iterdir()) == [False, False, True]
    compiled.clear()
    shutil.rmtree(theme / SHARED)
    (theme / SHARED).write_text("a file where the folder would be", "utf-8")
    assert render("six", "page.html") == "<p>T</p>" and compiled == ["six:page.html"]
    assert (theme / SHARED).read_text("utf-8") == "a file where the folder would be"


def test_a_site_with_code_of_its_own_keeps_nothing_beside_the_theme(tmp_path, own_theme):
    """hooks.py is the site's code: each edit of it would add the theme's templates
    compiled anew beside the theme, so such a site keeps them in its own cache only; a
    site with only papersite's plugins keeps them beside the theme."""
    hooked = tmp_path / "hooked"
    shutil.copytree(Path(__file__).parent / "fixtures" / "hooks_site", hooked)
    build_site(hooked)
    assert not (own_theme / SHARED).exists()
    assert list((hooked / FOLDER / "templates").iterdir())
    plain = tmp_path / "plain"
    shutil.copytree(hooked / "content", plain / "content")
    build_site(plain)
    assert list((own_theme / SHARED / "templates").iterdir())


def test_compiled_templates_are_kept_apart_by_how_the_filters_are_called():
    """A plugin's filter that takes the context is called with it by the compiled code:
    a template compiled without that filter, or with one that does not, is not reused;
    nor one compiled with other plugins (whose filters are other functions)."""
    import jinja2

    def decided(filters, plugins: str = "hooks 1") -> str:
        env = jinja2.Environment()
        env.filters.update(filters)
        return CompiledTemplates(BuildCache(None), plugins)._decided_by(env)

    plain = decided({"shout": str.upper})
    assert decided({"shout": jinja2.pass_context(lambda context, text: text)}) != plain
    assert decided({}) != plain and decided({"shout": str.lower}) == plain
    assert decided({"shout": str.upper}, plugins="hooks 2") != plain


def test_an_edited_filter_of_hooks_py_is_not_hidden_by_a_compiled_template(tmp_path):
    """Jinja computes a filter applied to a literal while it compiles: a template compiled
    with the last hooks.py's filter held its answer."""
    root = tmp_path / "site"
    shutil.copytree(Path(__file__).parent / "fixtures" / "hooks_site", root)
    tracks = root / "templates" / "tracks.html"
    text = tracks.read_text("utf-8")
    tracks.write_text(text.replace("<h1>Tracks</h1>", '<h1>{{ "tracks" | shout }}</h1>'))
    page = build_site(root).output / "tracks" / "index.html"
    assert "<h1>TRACKS!</h1>" in page.read_text("utf-8")
    hooks = root / "hooks.py"
    code = hooks.read_text("utf-8")
    edited = 'filters = {"shout": lambda text: text.lower() + "?"}'
    hooks.write_text(code.replace('filters = {"shout": lambda text: text.upper() + "!"}', edited))
    assert edited in hooks.read_text("utf-8")
    build_site(root)
    assert "<h1>tracks?</h1>" in page.read_text("utf-8")
