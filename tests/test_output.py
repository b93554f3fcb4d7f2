"""Writing the site: only what changed, all or nothing."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from conftest import copy_of_theme, warm_copy_of_example

from generator import recipe
from generator.build import BuildReport, build_site
from generator.diagnostics import ContentError
from generator.engine.cache import BuildCache
from generator.site import output
from generator.site.output import PENDING, updated_output


def state(site: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file with its bytes, inode and modification time."""
    return {
        str(path.relative_to(site)): (
            path.read_bytes(),
            path.stat().st_ino,
            path.stat().st_mtime_ns,
        )
        for path in site.rglob("*")
        if path.is_file()
    }


@pytest.fixture
def example(tmp_path: Path, example_build: BuildReport) -> Path:
    """The example with the theme as its own templates, and the cache of the session's
    build (what is written is the subject here, not what the content makes)."""
    root = warm_copy_of_example(tmp_path / "example", example_build)
    copy_of_theme(root / "templates")
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_layout_edit_rewrites_html_and_leaves_the_rest_alone(example):
    site = build_site(example).output
    before = state(site)
    edit(example / "templates" / "base.html", "</footer>", "<!-- edited --></footer>")
    build_site(example)
    after = state(site)
    assert after.keys() == before.keys()
    changed = {name for name in after if after[name] != before[name]}
    assert {name for name in after if name.endswith(".html")} <= changed | {"404.html"}
    markdown = {name for name in after if name.endswith(".md")}
    assert len(markdown) > 433 and not markdown & changed  # same bytes, inode and time
    assert not list(site.rglob(f"{PENDING}*"))
    # The build noted each file it left alone as it found it: the next build sees an
    # untouched site, and one of those files touched since.
    assert build_site(example).up_to_date
    twin = sorted(markdown)[0]
    os.utime(site / twin, ns=(0, 0))
    assert not build_site(example).up_to_date
    assert (site / twin).stat().st_mtime_ns == 0  # same bytes: left as it is, noted
    assert build_site(example).up_to_date


def test_failed_rebuild_leaves_the_site_as_it_was(example):
    """A template error on one paper only, after other pages (in other processes) were
    already written: nothing of the failed build stays."""
    site = build_site(example).output
    before = state(site)
    late = sorted(path.name for path in (site / "papers").iterdir() if path.is_dir())[-1]
    edit(example / "templates" / "base.html", "</footer>", "<!-- edited --></footer>")
    edit(
        example / "templates" / "paper.md",
        "# {{ paper.title | md }}",
        "# {{ paper.title | md }}{% if paper.slug == '" + late + "' %}{{ no.such }}{% endif %}",
    )
    with pytest.raises(ContentError, match=r"paper\.md"):
        build_site(example)
    assert state(site) == before


def test_failed_first_build_leaves_no_folder(example, tmp_path):
    edit(example / "templates" / "paper.md", "# {{ paper.title | md }}", "# {{ no.such }}")
    output = tmp_path / "out"
    with pytest.raises(ContentError):
        build_site(example, output)
    assert not output.exists()
    output.mkdir()
    with pytest.raises(ContentError):
        build_site(example, output)
    assert output.is_dir() and not any(output.iterdir())


def test_pages_that_are_gone_are_removed_with_their_folders(example):
    site = build_site(example).output
    about = example / "content" / "pages" / "about.md"
    about.rename(example / "content" / "pages" / "colophon.md")
    build_site(example)
    assert not (site / "about").exists()
    assert (site / "colophon" / "index.html").is_file()


def test_an_error_after_files_were_written_undoes_them(example):
    """Files already written for a failed build (changed, new, in new folders) go away."""
    site = build_site(example).output
    before = state(site)
    with pytest.raises(RuntimeError), updated_output(site) as (writer, record):
        record.add(writer.write_files({"index.html": b"new home", "new/page/index.html": b"x"}))
        assert list(site.rglob(f"{PENDING}*"))
        raise RuntimeError("a later page failed")
    assert state(site) == before


def test_a_changed_file_is_overwritten_in_place_unless_it_has_other_links(example, tmp_path):
    """Changed pages keep their inode (no file is created, which costs most); a page with
    a second hard link (a snapshot of the site) is replaced, so the snapshot keeps the
    old bytes."""
    site = build_site(example).output
    home, paper = site / "index.html", next((site / "papers").glob("*/index.html"))
    snapshot = tmp_path / "snapshot.html"
    os.link(paper, snapshot)
    old_paper, inode = paper.read_bytes(), home.stat().st_ino
    edit(example / "templates" / "base.html", "</footer>", "<!-- edited --></footer>")
    build_site(example)
    assert b"<!-- edited -->" in home.read_bytes() and home.stat().st_ino == inode
    assert b"<!-- edited -->" in paper.read_bytes()
    assert snapshot.read_bytes() == old_paper
    # Shorter bytes in place: the file ends where they do.
    edit(example / "templates" / "base.html", "<!-- edited --></footer>", "</footer>")
    build_site(example)
    # The size and time each file was left with, as the build noted them (those it wrote
    # in place, when it wrote them), are what the files have: a build now does nothing.
    manifest = BuildCache.for_site(example).load("output", "manifest")
    for path, (size, time) in manifest["files"].items():
        info = (site / path).stat()
        assert (info.st_size, info.st_mtime_ns) == (size, time), path
    assert build_site(example).up_to_date
    assert (
        home.read_bytes()
        == build_site(example, tmp_path / "clean").output.joinpath("index.html").read_bytes()
    )
    assert home.stat().st_ino == inode and b"<!-- edited -->" not in home.read_bytes()


def test_a_disk_failing_while_pages_go_in_place_then_a_kill_then_a_good_build(
    example, tmp_path, monkeypatch
):
    """The disk fills half-way through putting an update in place: the build fails with
    the disk's error and leaves the journal and packs; the next build, itself failing on
    a content error, still finishes the update first; the one after builds the fix."""
    site = build_site(example).output
    edit(example / "templates" / "base.html", "</footer>", "<!-- edited --></footer>")
    expected = state(build_site(example, tmp_path / "clean").output)
    calls = []

    def full_disk(path: str, data: bytes) -> None:
        calls.append(path)
        if len(calls) > 20:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(path, data)

    real = output._overwrite
    monkeypatch.setattr(output, "_overwrite", full_disk)
    with pytest.raises(OSError, match="No space"):
        build_site(example)
    monkeypatch.setattr(output, "_overwrite", real)
    assert (site / output.JOURNAL).is_file() and list(site.glob(f"{PENDING}*"))
    topics = example / "content" / "topics.yml"
    good = topics.read_text("utf-8")
    topics.write_text("topics: [oops\n", "utf-8")
    with pytest.raises(ContentError):
        build_site(example)
    assert {name: data for name, (data, _, _) in state(site).items()} == {
        name: data for name, (data, _, _) in expected.items()
    }
    topics.write_text(good, "utf-8")
    assert build_site(example).output == site
    assert not list(site.glob(f"{PENDING}*")) and not (site / output.JOURNAL).exists()


def test_a_disk_that_fills_while_the_journal_is_written_leaves_no_trace(example, monkeypatch):
    """The journal half-written (the disk full) stayed in the old site as a partial file,
    while the message said the site was left as it was."""
    site = build_site(example).output
    before = state(site)
    edit(example / "templates" / "base.html", "</footer>", "<!-- edited --></footer>")
    real = Path.write_bytes

    def full(self: Path, data: bytes) -> int:
        if self.name == PENDING + output.JOURNAL:
            real(self, data[: len(data) // 2])
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", full)
    with pytest.raises(OSError, match="No space"):
        build_site(example)
    monkeypatch.setattr(Path, "write_bytes", real)
    assert state(site) == before  # no journal, no half of one, no pack
    assert b"<!-- edited -->" in (build_site(example).output / "index.html").read_bytes()


def test_a_rebuild_leaves_the_marker_alone_and_a_cut_one_is_made_whole(example):
    """Every build wrote the marker over in place: a build killed at that moment left it
    empty, and the site was no version of its content."""
    site = build_site(example).output
    marker = site / output.MARKER
    before = marker.stat()
    edit(example / "templates" / "base.html", "</footer>", "<!-- edited --></footer>")
    build_site(example)
    after = marker.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    marker.write_bytes(b"")  # as a build killed by an older papersite left it
    (site / (PENDING + output.MARKER)).write_bytes(b"This folder")  # killed before its rename
    build_site(example)
    assert marker.read_bytes() == output.MARKER_TEXT
    assert not list(site.glob(f"{PENDING}*"))


def test_what_a_build_no_longer_makes_goes_without_a_walk_of_an_untouched_site(
    example, monkeypatch
):
    """When no file was added, removed or renamed in the site since the last build (its
    folders' times say so), the files this build does not make are known: deleted, with
    the folders they empty, without listing the site's 1,000 folders. A stray file sends
    the build back to the walk, which deletes it."""
    site = build_site(example).output
    walks: list[int] = []
    walk = output._prune
    monkeypatch.setattr(output, "_prune", lambda *args: walks.append(1) or walk(*args))
    about = example / "content" / "pages" / "about.md"
    about.rename(example / "content" / "pages" / "colophon.md")
    build_site(example)
    assert not walks
    assert not (site / "about").exists() and (site / "colophon" / "index.html").is_file()
    (site / "papers" / "stray.html").write_text("not ours")
    (example / "content" / "pages" / "colophon.md").rename(about)
    build_site(example)
    assert walks == [1]
    assert not (site / "papers" / "stray.html").exists() and not (site / "colophon").exists()
    assert (site / "about" / "index.html").is_file()


def test_a_render_process_writes_its_pages_a_batch_at_a_time(example, monkeypatch, tmp_path):
    """A render process holds the bytes of one batch of pages at a time, not of its whole
    share (at 50,000 papers that was 0.5 GB in each): each batch is written before the
    next is made. The site is the same, built fresh or over the last one."""
    whole = {name: data for name, (data, _, _) in state(build_site(example).output).items()}
    log = tmp_path / "calls"  # the render processes are forked: they append here
    render_pages, write_files = recipe.render_pages, output.SiteWriter.write_files

    def note(what: str, pages: int) -> None:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()} {what} {pages}\n")

    rendered: list[object] = []  # this process's last pages' files (forked: its own copy)

    def rendering(pages, *args, **options):  # type: ignore[no-untyped-def]
        note("render", len(pages))
        rendered[:] = [render_pages(pages, *args, **options)]
        return rendered[0]

    def writing(self, files, known=None):  # type: ignore[no-untyped-def]
        if rendered and files is rendered[0]:  # (not the search index's and cards' files)
            note("write", sum(name.endswith(".html") for name in files))
        return write_files(self, files, known)

    monkeypatch.setattr(recipe, "render_pages", rendering)
    monkeypatch.setattr(output.SiteWriter, "write_files", writing)
    monkeypatch.setattr(recipe, "RENDER_BATCH", 40)
    fresh = build_site(example, tmp_path / "batched").output
    # Each process's calls, in order (a test worker with threads renders unforked).
    calls: dict[str, list[str]] = {}
    for process, what, pages in (line.split() for line in log.read_text().splitlines()):
        calls.setdefault(process, []).append(f"{what} {pages}")
    pages_made = sum(name.endswith(".html") for name in whole)
    for made in calls.values():  # made, written, made, written...
        assert [call.split()[0] for call in made] == ["render", "write"] * (len(made) // 2)
        assert all(int(call.split()[1]) <= 40 for call in made)
    written = [int(call.split()[1]) for made in calls.values() for call in made[1::2]]
    assert sum(written) == pages_made and len(written) >= pages_made // 40
    assert {name: data for name, (data, _, _) in state(fresh).items()} == whole

    edit(example / "templates" / "base.html", "</footer>", "<!-- batched --></footer>")
    site = build_site(example).output  # over the last site: each batch in a pack of its own
    assert not list(site.rglob(f"{PENDING}*"))
    html = [path.read_bytes() for path in site.rglob("*.html")]
    assert len(html) == pages_made and all(b"<!-- batched -->" in data for data in html)
    assert build_site(example).up_to_date
