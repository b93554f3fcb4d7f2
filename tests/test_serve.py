"""`serve` as people use it: a real server in a subprocess, real edits, real Chromium."""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import REPO, copy_of_theme, interruptible, warm_copy_of_example
from playwright.sync_api import Error as PlaywrightError

from generator.commands.serve import LiveSite, normalize_base_path
from generator.recipe import Change

UPDATE_SECONDS = 2.0
FIRST_BUILD_ENDED = re.compile(
    r"^Rebuilt |still serving the last good site|nothing to serve until|internal error"
)


class Server:
    """`python -m generator serve` in a subprocess, with its output collected."""

    def __init__(self, root: Path, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "-C", str(root), "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=interruptible,  # stopped with SIGINT, as Ctrl-C does
        )
        self.lines: list[str] = []
        self._stderr = threading.Thread(target=self._collect, args=(self.process.stderr,))
        self._stderr.start()
        line = self.process.stdout.readline()
        match = re.search(r"at (http://127\.0\.0\.1:\d+/\S*)", line)
        assert match, line + "".join(self.lines)
        self.url = match[1]
        # The first build's last line went to stderr before the address to stdout, but the
        # thread reading stderr may not have it yet (rebuilds() would miss the first one).
        deadline = time.monotonic() + 10
        while not any(map(FIRST_BUILD_ENDED.search, self.lines)) and time.monotonic() < deadline:
            time.sleep(0.01)

    def _collect(self, stream) -> None:
        for line in stream:
            self.lines.append(line)

    def rebuilds(self) -> int:
        return sum(line.startswith("Rebuilt") for line in self.lines)

    def wait_for_rebuilds(self, count: int, timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while self.rebuilds() < count and time.monotonic() < deadline:
            time.sleep(0.05)
        assert self.rebuilds() >= count, self.lines

    def stop(self) -> tuple[int, str, str]:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        # Not communicate(): it reads (and closes) stderr too, under the thread reading it.
        self.process.wait(timeout=15)
        out = self.process.stdout.read()
        self._stderr.join(timeout=5)
        return self.process.returncode, out, "".join(self.lines)


@pytest.fixture
def site_root(make_site) -> Path:
    root = make_site("standard.txt", "glued.txt")
    copy_of_theme(root / "templates")
    (root / "content" / "pages").mkdir()
    long_page = "\n\n".join(
        f"Paragraph {n}. " + "Some text to scroll past. " * 20 for n in range(60)
    )
    (root / "content" / "pages" / "about.md").write_text(f"# About\n\n{long_page}\n", "utf-8")
    return root


@pytest.fixture
def server(site_root):
    running = Server(site_root)
    yield running
    running.stop()


@pytest.fixture
def page(chromium):
    page = chromium.new_page()
    yield page
    page.close()


def get(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def atomic_edit(path: Path, old: str, new: str) -> None:
    """Save like vim or VS Code: write a temporary file, then rename it over the original."""
    text = path.read_text("utf-8")
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text.replace(old, new, 1), "utf-8")
    os.replace(temporary, path)


def test_serves_like_github_pages(server):
    status, kind, body = get(server.url)
    assert status == 200 and kind == "text/html; charset=utf-8"
    assert b"__papersite/livereload.js" in body
    assert get(server.url + "feed.xml")[1] == "application/xml; charset=utf-8"
    assert get(server.url + "assets/style.css")[1] == "text/css; charset=utf-8"
    assert get(server.url + "assets/search-engine.js")[1] == "text/javascript; charset=utf-8"
    status, _, body = get(server.url + "no/such/page/")
    assert status == 404 and b"Page not found" in body
    request = urllib.request.Request(server.url + "topics", method="HEAD")
    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as redirect:
        opener.open(request)
    assert redirect.value.code == 301 and redirect.value.headers["Location"] == "/topics/"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_template_edit_reloads_the_page(server, site_root, page):
    page.goto(server.url)
    page.evaluate("window.notReloaded = true")
    started = time.monotonic()
    edit(site_root / "templates" / "base.html", "Built with papersite", "Built with LIVE EDIT")
    page.wait_for_function(
        "document.body.innerText.includes('LIVE EDIT')", timeout=UPDATE_SECONDS * 1000
    )
    assert time.monotonic() - started < UPDATE_SECONDS
    assert page.evaluate("window.notReloaded === undefined")


def test_css_change_swaps_the_stylesheet_without_reload(server, site_root, page):
    page.goto(server.url)
    page.evaluate("window.notReloaded = true")
    edit(
        site_root / "templates" / "assets" / "style.css",
        "/* Search */",
        "body { outline: 7px solid rgb(1, 2, 3); }\n/* Search */",
    )
    page.wait_for_function(
        "getComputedStyle(document.body).outlineColor === 'rgb(1, 2, 3)'",
        timeout=UPDATE_SECONDS * 1000,
    )
    assert page.evaluate("window.notReloaded") is True
    assert page.locator("link[rel=stylesheet]").count() == 1


class HeldStreams:
    """The page's event streams, each held back until `let_through(n)` (a stream that
    opens late, as under load); waits at most UPDATE_SECONDS for the nth to be asked for."""

    def __init__(self, page) -> None:
        self.page, self.routes = page, []
        page.route("**/__papersite/events", lambda route: self.routes.append(route))

    def let_through(self, number: int) -> None:
        deadline = time.monotonic() + UPDATE_SECONDS
        while len(self.routes) <= number and time.monotonic() < deadline:
            self.page.wait_for_timeout(20)
        self.routes[number].continue_()


def test_a_stylesheet_saved_before_the_pages_stream_opened_is_swapped_not_reloaded(
    server, site_root, page
):
    """A page's event stream opens after the page has loaded: a stylesheet saved in
    between made its `hello` name a newer build, and the page reloaded (the CSS test failed
    so once under load). It now learns that only the styles changed since its build."""
    streams = HeldStreams(page)
    page.goto(server.url)
    page.evaluate("window.notReloaded = true")
    before = server.rebuilds()
    edit(
        site_root / "templates" / "assets" / "style.css",
        "/* Search */",
        "body { outline: 7px solid rgb(1, 2, 3); }\n/* Search */",
    )
    server.wait_for_rebuilds(before + 1)
    streams.let_through(0)
    page.wait_for_function(
        "getComputedStyle(document.body).outlineColor === 'rgb(1, 2, 3)'",
        timeout=UPDATE_SECONDS * 1000,
    )
    assert page.evaluate("window.notReloaded") is True
    # A page edit then makes a page of an older build reload when its stream opens.
    page.reload()
    page.evaluate("window.notReloaded = true")
    edit(site_root / "templates" / "base.html", "Built with papersite", "Built with LIVE EDIT")
    server.wait_for_rebuilds(before + 2)
    streams.let_through(1)
    page.wait_for_function("document.body.innerText.includes('LIVE EDIT')")
    assert page.evaluate("window.notReloaded === undefined")


def test_a_tab_left_open_from_an_earlier_serve_reloads(server, page):
    """Each serve counts its builds from 1: a tab served by an earlier one (its build
    number means nothing here) must not take this one's events for its own."""
    streams = HeldStreams(page)
    page.goto(server.url)
    page.evaluate("document.querySelector('script[data-session]').dataset.session = 'earlier'")
    page.evaluate("window.notReloaded = true")
    streams.let_through(0)
    page.wait_for_function("window.notReloaded === undefined")


def test_error_overlay_appears_and_clears(server, site_root, page):
    # Saved as editors do, whole: a plain write seen half-done (the file emptied, then
    # written) rebuilt a page with an empty layout first, with no <main> under the
    # overlay (CI, once, on a loaded machine; the next save mends such a page).
    page.goto(server.url + "about/")
    template = site_root / "templates" / "page.html"
    atomic_edit(template, "{{ content }}", "{{ content }")
    overlay = page.locator("#papersite-error")
    overlay.wait_for(timeout=UPDATE_SECONDS * 1000)
    assert re.search(r"page\.html:\d+: error: ", overlay.inner_text())
    assert "Paragraph 1." in page.inner_text("main")  # the last good page is still there
    status, _, body = get(server.url + "about/")
    assert status == 200 and b"Paragraph 1." in body
    assert any("page.html" in line and "error" in line for line in server.lines)
    atomic_edit(template, "{{ content }", "{{ content }}")
    overlay.wait_for(state="detached", timeout=UPDATE_SECONDS * 1000)


def test_bad_yaml_shows_the_error_in_a_newly_opened_page(server, site_root, page):
    site_yml = site_root / "content" / "site.yml"
    good = site_yml.read_text("utf-8")
    site_yml.write_text("title: [unclosed\n", "utf-8")
    deadline = time.monotonic() + 5
    while not any("site.yml" in line for line in server.lines) and time.monotonic() < deadline:
        time.sleep(0.05)
    page.goto(server.url)
    page.locator("#papersite-error").wait_for(timeout=UPDATE_SECONDS * 1000)
    assert "site.yml:" in page.inner_text("#papersite-error")
    site_yml.write_text(good, "utf-8")
    page.locator("#papersite-error").wait_for(state="detached", timeout=5000)


def test_atomic_save_and_new_files_are_seen(server, site_root, page):
    page.goto(server.url)
    atomic_edit(site_root / "templates" / "base.html", "Built with papersite", "ATOMIC SAVE")
    page.wait_for_function(
        "document.body.innerText.includes('ATOMIC SAVE')", timeout=UPDATE_SECONDS * 1000
    )
    (site_root / "content" / "pages" / "new-page.md").write_text("# Brand new\n", "utf-8")
    page.wait_for_function(
        "document.body.innerText.includes('New page')", timeout=UPDATE_SECONDS * 1000 * 2
    )
    assert get(server.url + "new-page/")[0] == 200


def test_scroll_position_survives_a_reload(server, site_root, page):
    page.goto(server.url + "about/")
    page.evaluate("window.scrollTo(0, 1500)")
    page.evaluate("window.notReloaded = true")
    edit(site_root / "templates" / "base.html", "Built with papersite", "SCROLLED")
    page.wait_for_function("document.body.innerText.includes('SCROLLED')", timeout=3000)
    page.wait_for_function("window.scrollY > 1400", timeout=3000)


def test_burst_of_saves_is_one_rebuild_and_swap_files_are_ignored(server, site_root):
    """Saves back to back are one rebuild. (On a loaded machine this process can be kept
    from running for longer than the debounce between two saves: each such gap may start
    one more rebuild, and is counted.)"""
    from generator.commands.watch import DEBOUNCE_SECONDS

    before = server.rebuilds()
    template = site_root / "templates" / "base.html"
    saved = []
    for n in range(5):  # as editors and `git checkout` save: back to back
        edit(template, "</footer>", f"<!-- {n} --></footer>")
        saved.append(time.monotonic())
    late = sum(b - a > DEBOUNCE_SECONDS for a, b in itertools.pairwise(saved))
    server.wait_for_rebuilds(before + 1)
    time.sleep(0.6)
    assert before + 1 <= server.rebuilds() <= before + 1 + late, (late, server.lines)
    while late and server.rebuilds() < before + 1 + late:  # a rebuild may still be running
        seen = server.rebuilds()
        time.sleep(0.6)
        if server.rebuilds() == seen:
            break
    before = server.rebuilds()
    (site_root / "templates" / ".base.html.swp").write_bytes(b"vim swap")
    (site_root / "templates" / "base.html~").write_text("backup", "utf-8")
    (site_root / "templates" / "4913").write_text("", "utf-8")
    time.sleep(0.8)
    assert server.rebuilds() == before


def listens(tab) -> bool:
    """Whether the tab holds the event stream (no: a tab between two pages, reloading)."""
    try:
        return bool(tab.evaluate("window.papersiteLiveReload?.connected() === true"))
    except PlaywrightError:  # its page went while it was asked
        return False


def test_many_tabs_share_one_connection(server, site_root, chromium):
    """Eight tabs listen on one connection and all reload. A tab closes its event stream
    and its channel itself before it reloads (left to the page's unloading, Chromium's
    renderer crashed now and then when eight tabs reloaded at once), and from then on
    opens no stream and posts to no channel, though the stream's lock may reach it then
    (handed on by a tab that reloaded first). When the listening tab goes, another one
    takes over."""
    context = chromium.new_context()
    context.add_init_script(
        """(() => {
             let leaving = false;  // from the moment the reload saves the scroll position
             const setItem = Storage.prototype.setItem;
             Storage.prototype.setItem = function (key, value) {
               if (String(key).startsWith('papersite-scroll:')) leaving = true;
               return setItem.call(this, key, value);
             };
             for (const kind of ['EventSource', 'BroadcastChannel']) {
               const close = window[kind].prototype.close;
               window[kind].prototype.close = function () {
                 const closed = sessionStorage.getItem('closed') || '';
                 sessionStorage.setItem('closed', closed + kind + ' ');
                 return close.call(this);
               };
             }
             const post = BroadcastChannel.prototype.postMessage;
             BroadcastChannel.prototype.postMessage = function (message) {
               if (leaving) console.log('LEAVING posts');
               return post.call(this, message);
             };
             const Stream = window.EventSource;
             window.EventSource = function (...args) {
               if (leaving) console.log('LEAVING listens');
               return new Stream(...args);
             };
             window.EventSource.prototype = Stream.prototype;
           })()"""
    )
    said: list[str] = []
    tabs = [context.new_page() for _ in range(8)]
    for tab in tabs:
        tab.on("console", lambda message: said.append(message.text))
        tab.on("pageerror", lambda error: said.append(f"error: {error}"))
        tab.goto(server.url)
    # One tab listens: the first, unless it gave the lock up (a reload it was told of).
    listening: list = []
    for _ in range(300):
        listening = [tab for tab in tabs if listens(tab)]
        if listening:
            break
        tabs[0].wait_for_timeout(100)
    assert len(listening) == 1, (len(listening), said, server.lines)
    first = listening[0]
    mark = "Built with papersite"
    for wave in range(3):
        edit(site_root / "templates" / "base.html", mark, f"WAVE {wave}.")
        mark = f"WAVE {wave}."
        for tab in tabs:
            tab.wait_for_function(f"document.body.innerText.includes('{mark}')", timeout=15000)
    assert [text for text in said if text.startswith(("LEAVING", "error"))] == []
    # The tab that listened first closed both (the others: their channel).
    closed = first.evaluate("sessionStorage.getItem('closed')").split()
    assert {"BroadcastChannel", "EventSource"} <= set(closed)
    for _ in range(50):  # (the lock may be passing between tabs that reloaded)
        listening = [tab for tab in tabs if listens(tab)]
        if len(listening) == 1:
            break
        time.sleep(0.1)
    assert len(listening) == 1
    listening[0].close()  # the listening tab goes away: another one takes over
    edit(site_root / "templates" / "base.html", mark, "SEVEN TABS")
    for tab in (t for t in tabs if t is not listening[0]):
        tab.wait_for_function("document.body.innerText.includes('SEVEN TABS')", timeout=15000)
    assert [text for text in said if text.startswith(("LEAVING", "error"))] == []
    context.close()


def until(page, condition, seconds: float = 10) -> bool:
    """Whether `condition()` came true within `seconds`, asked while `page` runs."""
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    return bool(condition())


def press_stop(page) -> None:
    """The browser's Stop button (or Esc): what `window.stop()` from the page is not (it
    does not reliably stop a reload in Chromium)."""
    page.context.new_cdp_session(page).send("Page.stopLoading")


def listening_tab(context, url: str):
    """A new tab of `context` at `url`, once its live reload listens."""
    tab = context.new_page()
    tab.goto(url)
    tab.wait_for_function("window.papersiteLiveReload.connected()")
    return tab


def holding_the_first(held: list):
    """A route handler that holds the first request it is given (into `held`, never
    answered unless the test does) and lets the rest through. The route stays: one taken
    away while the page makes its next requests races them (an event stream was left
    connecting)."""

    def handle(route) -> None:
        if held:
            route.continue_()
        else:
            held.append(route)

    return handle


def holding_pages(held: list):
    """A route handler that holds every page the tab asks for (into `held`, never
    answered unless the test does) and lets the rest through (scripts, the event stream)."""

    def handle(route) -> None:
        if route.request.is_navigation_request():
            held.append(route)
        else:
            route.continue_()

    return handle


def test_a_reload_the_reader_stops_leaves_the_page_live(server, site_root, chromium):
    """Stop (or Esc) pressed while `serve` holds a reload until its rebuild ends leaves
    the page as it was, listening again (the lock of the one stream given back as the
    reload began, and taken again), not reloaded again for the build it was told of; the
    next edit reloads it and the tabs it relays to."""
    context = chromium.new_context()
    held = listening_tab(context, server.url)
    held.evaluate("window.stayed = true")
    reloads: list = []
    held.route(server.url, holding_the_first(reloads))  # never answered
    edit(site_root / "templates" / "base.html", "Built with papersite", "FIRST EDIT")
    assert until(held, lambda: reloads), "the page did not reload"
    press_stop(held)
    held.wait_for_function("window.papersiteLiveReload.connected()", timeout=10000)
    held.wait_for_timeout(500)  # (its stream's hello: the build it was told of)
    assert held.evaluate("window.stayed") is True
    assert "FIRST EDIT" not in held.evaluate("document.body.innerText")
    other = context.new_page()
    other.goto(server.url)
    edit(site_root / "templates" / "base.html", "FIRST EDIT", "SECOND EDIT")
    for tab in (held, other):
        tab.wait_for_function("document.body.innerText.includes('SECOND EDIT')", timeout=15000)
    context.close()


def test_a_tab_whose_reload_was_stopped_hears_what_it_missed(server, site_root, chromium):
    """While a tab's reload is held its channel is closed: a build that fails then is told
    to the other tabs only. Once the reader stops the reload, the tab joins again and
    the listening tab's stream says hello again, so it shows the error too."""
    context = chromium.new_context()
    listening = listening_tab(context, server.url + "about/")
    held = context.new_page()
    reloads: list = []
    held.goto(server.url + "about/")
    held.route(server.url + "about/", holding_the_first(reloads))
    edit(site_root / "templates" / "page.html", "{{ content }}", "{{ content }} FIRST EDIT")
    listening.wait_for_function("document.body.innerText.includes('FIRST EDIT')")
    assert until(held, lambda: reloads), "the tab did not reload"
    edit(site_root / "templates" / "page.html", "{{ content }}", "{{ content }")
    listening.locator("#papersite-error").wait_for(timeout=10000)
    press_stop(held)
    held.locator("#papersite-error").wait_for(timeout=10000)
    assert "FIRST EDIT" not in held.inner_text("main")
    context.close()


def test_a_link_followed_while_a_reload_is_held_is_not_undone(server, site_root, chromium):
    """The reader follows a link while `serve` holds the page's reload: the reload ends
    as a stopped one does (navigateerror), but a navigation began, so the page stays
    leaving, and the next edit does not reload it away from where the reader went."""
    context = chromium.new_context()
    page = listening_tab(context, server.url)
    # Made ready beforehand: a page whose navigation is pending answers no evaluate.
    page.evaluate(
        """navigation.addEventListener('navigate', (event) => {
             if (event.navigationType !== 'reload') return;
             setTimeout(() => document.querySelector('a[href$="about/"]').click(), 100);
           }, {once: true})"""
    )
    held: list = []
    page.route("**/*", holding_pages(held))
    rebuilds = server.rebuilds()
    edit(site_root / "templates" / "base.html", "Built with papersite", "FIRST EDIT")
    until(page, lambda: len(held) >= 2)
    assert [route.request.url for route in held] == [server.url, server.url + "about/"]
    edit(site_root / "templates" / "base.html", "FIRST EDIT", "SECOND EDIT")
    server.wait_for_rebuilds(rebuilds + 2)
    page.wait_for_timeout(700)  # (time for a page that listened to reload)
    assert len(held) == 2, [route.request.url for route in held]
    held[1].continue_()
    page.wait_for_url(server.url + "about/")
    page.wait_for_function("document.body.innerText.includes('SECOND EDIT')")
    context.close()


def test_an_address_typed_while_a_reload_is_held_then_stopped_leaves_the_page_live(
    server, site_root, chromium
):
    """The reader types an address while `serve` holds the page's reload, then stops that
    navigation too (Stop, Esc): the page stays as it was, listening again, and the next
    edit reloads it. (A typed address is the browser's navigation: no navigate event.)"""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    context = chromium.new_context()
    page = listening_tab(context, server.url)
    page.evaluate("window.stayed = true")
    held: list = []
    page.route("**/*", holding_pages(held))
    edit(site_root / "templates" / "base.html", "Built with papersite", "FIRST EDIT")
    assert until(page, lambda: len(held) == 1), "the page did not reload"
    with pytest.raises(PlaywrightTimeout):  # as typed in the address bar: held too
        page.goto(server.url + "about/", timeout=1500)
    assert [route.request.url for route in held] == [server.url, server.url + "about/"]
    press_stop(page)
    page.wait_for_function("window.papersiteLiveReload.connected()", timeout=10000)
    assert page.url == server.url and page.evaluate("window.stayed") is True
    page.unroute("**/*")
    edit(site_root / "templates" / "base.html", "FIRST EDIT", "SECOND EDIT")
    page.wait_for_function("document.body.innerText.includes('SECOND EDIT')", timeout=15000)
    context.close()


def test_a_stream_closed_by_stop_while_the_page_loads_is_opened_again(server, site_root, chromium):
    """Stop (or Esc) pressed while a page still loads closes its event stream for good:
    the tab gives the lock back and joins again, so it and the other tabs stay live."""
    context = chromium.new_context()
    first = context.new_page()
    scripts: list = []
    first.route("**/assets/site.js", holding_the_first(scripts))  # the page still loads
    first.goto(server.url, wait_until="commit")
    first.wait_for_function("window.papersiteLiveReload?.connected()")
    other = context.new_page()
    other.goto(server.url)
    press_stop(first)
    first.wait_for_timeout(1500)  # (its stream closed, the lock given back, joined again)
    edit(site_root / "templates" / "base.html", "Built with papersite", "FIRST EDIT")
    for tab in (first, other):
        tab.wait_for_function("document.body.innerText.includes('FIRST EDIT')", timeout=15000)
    context.close()


def test_without_web_locks_hidden_tabs_give_their_connection_back(server, chromium):
    context = chromium.new_context()
    context.add_init_script(
        "Object.defineProperty(Navigator.prototype, 'locks', {get: () => undefined})"
    )
    page = listening_tab(context, server.url)
    page.evaluate(
        """() => { Object.defineProperty(document, 'hidden', {value: true, configurable: true});
                   document.dispatchEvent(new Event('visibilitychange')); }"""
    )
    assert page.evaluate("window.papersiteLiveReload.connected()") is False
    page.evaluate(
        """() => { Object.defineProperty(document, 'hidden', {value: false, configurable: true});
                   document.dispatchEvent(new Event('visibilitychange')); }"""
    )
    assert page.evaluate("window.papersiteLiveReload.connected()") is True
    context.close()


def test_poll_mode_sees_edits(site_root, page):
    server = Server(site_root, "--poll")
    try:
        page.goto(server.url)
        atomic_edit(site_root / "templates" / "base.html", "Built with papersite", "POLLED")
        page.wait_for_function("document.body.innerText.includes('POLLED')", timeout=3000)
    finally:
        server.stop()


def test_base_path_previews_a_project_site(site_root):
    server = Server(site_root, "--base-path", "/repo/")
    try:
        assert server.url.endswith("/repo/")
        status, _, body = get(server.url)
        assert status == 200 and b'src="/repo/__papersite/livereload.js"' in body
        root_url = server.url[: -len("repo/")]
        assert get(root_url)[0] == 200  # redirected to /repo/
        assert get(server.url + "topics/")[0] == 200
        assert get(root_url + "topics/")[0] == 404
        status, _, body = get(server.url + "a/b/c/")
        assert status == 404 and b"Page not found" in body
    finally:
        server.stop()


def test_ctrl_c_stops_cleanly_and_releases_the_port(site_root):
    server = Server(site_root)
    port = int(server.url.split(":")[2].split("/")[0])
    code, out, err = server.stop()
    assert code == 0
    assert "Stopped." in out
    assert "Traceback" not in err
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))


def test_busy_port_is_a_clear_error(site_root):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "generator", "serve", "-C", str(site_root), "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert result.returncode == 1
    assert f"port {port} on 127.0.0.1 is already in use" in result.stderr
    assert f"--port {port + 1}" in result.stderr
    assert "Traceback" not in result.stderr


def test_build_output_has_no_reload_script(example_build):
    for path in example_build.output.rglob("*"):
        if path.is_file():
            assert b"__papersite" not in path.read_bytes(), path


def test_requests_wait_while_a_rebuild_runs():
    site = LiveSite()
    site.finish({"index.html": b"old"}, "content", None)
    site.begin()
    served = []
    reader = threading.Thread(target=lambda: served.append(site.snapshot()[0]["index.html"]))
    reader.start()
    time.sleep(0.2)
    assert served == []
    site.finish({"index.html": b"new"}, "templates", None)
    reader.join(timeout=5)
    assert served == [b"new"]


def test_answers_are_sent_without_waiting_for_acknowledgements():
    """Headers and body go out as two writes: with Nagle's algorithm on, each answer after
    the first on a kept-alive connection waited for the browser's delayed acknowledgement
    (44 ms a file; benchmarks/serve_latency.py prints the figure)."""
    from generator.commands import serve

    site = LiveSite()
    site.finish({"index.html": b"<body></body>"}, Change.CONTENT, None)
    delays: list[int] = []

    class Recorded(serve.make_handler(site, "/")):  # type: ignore[misc]
        def setup(self) -> None:
            super().setup()
            delays.append(self.connection.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))

    server = serve._Server(("127.0.0.1", 0), Recorded)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        assert get(f"http://127.0.0.1:{server.server_address[1]}/")[0] == 200
    finally:
        site.stop()
        server.shutdown()
        server.server_close()
    assert delays and all(delays)


def test_base_path_is_normalized():
    assert normalize_base_path("repo") == "/repo/"
    assert normalize_base_path("/a/b") == "/a/b/"
    assert normalize_base_path("/") == "/"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_error_overlay_is_readable_in_light_and_dark(server, site_root, chromium, scheme):
    """The theme's pre style (a light surface) used to win: pale text on white."""
    page = chromium.new_page(color_scheme=scheme)
    page.goto(server.url + "about/")
    edit(site_root / "templates" / "page.html", "{{ content }}", "{{ content }")
    page.locator("#papersite-error pre").wait_for(timeout=UPDATE_SECONDS * 1000)
    colors = page.evaluate(
        """() => {
          const pre = document.querySelector('#papersite-error pre');
          const box = document.getElementById('papersite-error');
          return [getComputedStyle(pre).color, getComputedStyle(pre).backgroundColor,
                  getComputedStyle(box).backgroundColor];
        }"""
    )
    assert colors == ["rgb(255, 228, 228)", "rgba(0, 0, 0, 0)", "rgb(43, 13, 13)"]
    page.close()


@pytest.mark.parametrize("base", ["/", "/repo/"])
def test_the_404_page_is_styled_and_leads_home_at_any_depth(site_root, chromium, base):
    """serve without url: (so no root path is known from site.yml) at any depth."""
    server = Server(site_root, "--base-path", base)
    page = chromium.new_page()
    try:
        page.goto(server.url + "a/b/c/")
        assert (
            page.evaluate("getComputedStyle(document.querySelector('.site-nav ul')).display")
            == "flex"
        )
        page.get_by_role("link", name="Go to the home page").click()
        page.wait_for_url(server.url)
        assert page.locator("h1").first.inner_text() == "Test Site"
    finally:
        page.close()
        server.stop()


def test_cards_are_drawn_again_only_when_what_they_show_changed(make_site, monkeypatch):
    """A template edit or a content edit that leaves titles alone reuses the drawn cards
    (reading the card cache cost 7 ms a save at 433 papers, and grows with the papers)."""
    from generator import recipe
    from generator.commands import serve

    root = make_site("standard.txt")
    drawn: list[int] = []
    real = recipe.social_cards_cached
    monkeypatch.setattr(recipe, "social_cards_cached", lambda *args: drawn.append(1) or real(*args))
    rebuilder = serve.Rebuilder(root, LiveSite(), lambda line: None)
    rebuilder.rebuild(Change.CONTENT)
    first = rebuilder.site.files
    assert len(drawn) == 1 and any(path.endswith("card.png") for path in first)
    rebuilder.rebuild(Change.LAYOUTS)
    rebuilder.rebuild(Change.TEMPLATES)
    site_yml = root / "content" / "site.yml"
    site_yml.write_text(site_yml.read_text() + "page_size: 2\n")  # more pages, same cards
    rebuilder.rebuild(Change.CONTENT)
    assert len(drawn) == 1
    site_yml.write_text(site_yml.read_text().replace("Test Site", "Renamed Site"))
    rebuilder.rebuild(Change.CONTENT)
    assert len(drawn) == 2
    assert rebuilder.site.files["card.png"] != first["card.png"]


def test_a_cards_template_edit_shows_on_the_pages_that_list_papers(make_site):
    """_cards.html is a layout: after an edit to it alone, serve reused the pages as they
    were composed, cards included, so the edit showed only after a content change."""
    from generator.commands import serve
    from generator.content.templates import default_theme

    root = make_site("standard.txt")
    rebuilder = serve.Rebuilder(root, LiveSite(), lambda line: None)
    rebuilder.rebuild(Change.CONTENT)
    assert b"EDITED CARD" not in rebuilder.site.files["papers/index.html"]
    (root / "templates").mkdir(exist_ok=True)
    cards = (default_theme() / "_cards.html").read_text("utf-8")
    edited = cards.replace("</li>\n{% endmacro %}", "EDITED CARD</li>\n{% endmacro %}", 1)
    assert edited != cards
    (root / "templates" / "_cards.html").write_text(edited, "utf-8")
    rebuilder.rebuild(Change.LAYOUTS)
    assert rebuilder.site.error is None
    assert b"EDITED CARD" in rebuilder.site.files["papers/index.html"]
    assert b"EDITED CARD" in rebuilder.site.files["index.html"]


def built_site(root: Path, output: Path) -> dict[str, bytes]:
    """What `build` writes for the site at `root` into `output`, by path (as serve keeps
    it: without build's marker file)."""
    from generator.build import build_site
    from generator.site.output import MARKER

    build_site(root, output)
    return {
        path.relative_to(output).as_posix(): path.read_bytes()
        for path in output.rglob("*")
        if path.is_file() and path.name != MARKER
    }


def test_serve_makes_what_build_makes_after_every_kind_of_edit(tmp_path, example_build):
    """One recipe: after each kind of edit, serve's site in memory is the site `build`
    writes for the same files, byte for byte (serve renders in one process, build on
    every core; serve redoes only what the edit reaches)."""
    from generator.commands import serve
    from generator.content.templates import default_theme

    root = warm_copy_of_example(tmp_path / "example", example_build)
    rebuilder = serve.Rebuilder(root, LiveSite(), lambda line: None)
    templates = root / "templates"
    theme = default_theme()

    def edit(path: str, old: str, new: str) -> None:
        target = root / path
        source = target if target.is_file() else theme / path.removeprefix("templates/")
        text = source.read_text("utf-8")
        assert old in text, (path, old)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text.replace(old, new, 1), "utf-8")

    edits = [
        ("content", None),
        ("templates", ("templates/paper.md", "## Abstract", "## Summary")),
        ("layouts", ("templates/base.html", "</footer>", "<p>Edited.</p></footer>")),
        ("styles", ("templates/assets/style.css", "}", "}\n.edited { color: red; }")),
        ("assets", ("templates/assets/site.js", "\n", "\n// edited\n")),
        # A burst that edits a template and content is a content edit: the templates
        # compiled for the last rebuild must not be reused.
        ("content", ("templates/base.html", "<p>Edited.</p>", "<p>Edited twice.</p>")),
        ("content", ("content/site.yml", "title: Vision Papers", "title: Edited Papers")),
    ]
    for number, (kind, change) in enumerate(edits):
        if change is not None:
            edit(*change)
        rebuilder.rebuild(Change(kind))
        assert rebuilder.site.error is None, kind
        built = built_site(root, tmp_path / f"built-{number}")
        assert rebuilder.site.files.keys() == built.keys(), kind
        differ = [path for path in built if rebuilder.site.files[path] != built[path]]
        assert differ == [], (kind, differ[:5])
    assert templates.is_dir()
    assert b"Edited twice." in rebuilder.site.files["index.html"]
    assert b"Edited Papers" in rebuilder.site.files["index.html"]


RESNET = "papers/deep-residual-learning-for-image-recognition/index.html"


@pytest.fixture
def held(monkeypatch):
    """A stage of serve's rebuilds held back until `held.set()`: render_on_cores (the
    pages after the open ones) or background_files (the search index)."""
    from generator import recipe

    release = threading.Event()

    def hold(name: str) -> None:
        real = getattr(recipe, name)

        def held_back(*args, **kwargs):
            assert release.wait(20), "never released"
            return real(*args, **kwargs)

        monkeypatch.setattr(recipe, name, held_back)

    release.hold = hold
    yield release
    release.set()


def started_rebuild(rebuilder, change: Change) -> tuple[threading.Thread, int]:
    """A rebuild after `change` running in a thread, and the build number it publishes."""
    published = rebuilder.site.build + 1
    thread = threading.Thread(target=rebuilder.rebuild, args=(change,))
    thread.start()
    deadline = time.monotonic() + 20
    while rebuilder.site.build < published and time.monotonic() < deadline:
        time.sleep(0.01)
    assert rebuilder.site.build == published, "nothing was published"
    return thread, published


def test_a_layout_edit_serves_the_open_page_before_the_rest_is_rendered(
    tmp_path, example_build, held
):
    """The page a browser has open is rendered and served first; any other page waits for
    the rebuild to end (never a stale one); browsers are told to reload once."""
    from generator.commands import serve

    root = warm_copy_of_example(tmp_path / "example", example_build)
    copy_of_theme(root / "templates")
    rebuilder = serve.Rebuilder(root, LiveSite(), lambda line: None)
    site = rebuilder.site
    rebuilder.rebuild(Change.CONTENT)
    old_css = site.files["assets/style.css"]
    site.opened(RESNET)
    edit(root / "templates" / "base.html", "</footer>", "<p>Edited.</p></footer>")
    held.hold("render_on_cores")
    thread, published = started_rebuild(rebuilder, Change.LAYOUTS)
    files, build, error = site.snapshot(RESNET)
    assert b"<p>Edited.</p>" in files[RESNET] and build == published and error is None
    assert site.snapshot("assets/style.css")[0]["assets/style.css"] == old_css
    home: list[bytes] = []
    waiting = threading.Thread(
        target=lambda: home.append(site.snapshot("index.html")[0]["index.html"])
    )
    waiting.start()
    time.sleep(0.3)
    assert home == [] and thread.is_alive()
    held.set()
    thread.join(20)
    waiting.join(20)
    assert b"<p>Edited.</p>" in home[0]
    assert [event["type"] for event in site.events[-1:]] == ["reload"]
    assert site.build == published and site.files[RESNET] == files[RESNET]


def test_a_content_edit_serves_the_pages_before_the_search_index_is_made(
    tmp_path, example_build, held
):
    """After a listing edit, the new pages are served while the search index is made (the
    last stage); a request for the index waits for the new one."""
    from generator.commands import serve

    root = warm_copy_of_example(tmp_path / "example", example_build)
    rebuilder = serve.Rebuilder(root, LiveSite(), lambda line: None)
    site = rebuilder.site
    rebuilder.rebuild(Change.CONTENT)
    old_index = site.files["assets/search-index.js"]
    listing = root / "content" / "listings" / "image-recognition.txt"
    edit(listing, "Deeper neural networks are", "Deeper zqx networks are")
    held.hold("background_files")
    thread, published = started_rebuild(rebuilder, Change.CONTENT)
    assert b"Deeper zqx networks" in site.snapshot(RESNET)[0][RESNET]
    index: list[bytes] = []
    key = "assets/search-index.js"
    waiting = threading.Thread(target=lambda: index.append(site.snapshot(key)[0][key]))
    waiting.start()
    time.sleep(0.3)
    assert index == [] and thread.is_alive()
    held.set()
    thread.join(20)
    waiting.join(20)
    assert index[0] != old_index and site.error is None and site.build == published


def answered_within(seconds: float, answer) -> list:
    """What `answer()` gave, if it gave it within `seconds` (it runs in a thread)."""
    got: list = []
    thread = threading.Thread(target=lambda: got.append(answer()), daemon=True)
    thread.start()
    thread.join(seconds)
    return got


def test_a_content_edit_serves_the_open_page_first_with_the_theme_and_data_files(
    tmp_path, example_build, held
):
    """After a listing edit, the page a browser has open is served (with the theme's
    assets and the new downloads) before the other pages are rendered; the others wait
    for the rebuild, which tells browsers to reload once."""
    from generator.commands import serve

    root = warm_copy_of_example(tmp_path / "example", example_build)
    rebuilder = serve.Rebuilder(root, LiveSite(), lambda line: None)
    site = rebuilder.site
    rebuilder.rebuild(Change.CONTENT)
    site.opened(RESNET)
    events = site.last_event()[0]
    listing = root / "content" / "listings" / "image-recognition.txt"
    edit(listing, "Deeper neural", "Deeper zqx")  # the open page's abstract
    edit(listing, "in One Vision Encoder", "in One Zqx Encoder")  # another paper's title
    held.hold("render_on_cores")
    thread, published = started_rebuild(rebuilder, Change.CONTENT)
    files, build, error = site.snapshot(RESNET)
    assert b"Deeper zqx" in files[RESNET] and build == published and error is None
    css = answered_within(2, lambda: site.snapshot("assets/style.css")[0]["assets/style.css"])
    assert css == [(REPO / "templates" / "assets" / "style.css").read_bytes()]
    bib = "papers/papers.bib"
    assert b"Zqx Encoder" in answered_within(2, lambda: site.snapshot(bib)[0][bib])[0]
    assert answered_within(0.3, lambda: site.snapshot("index.html")) == [] and thread.is_alive()
    held.set()
    thread.join(20)
    assert [event["type"] for event in site.events if event["id"] > events] == ["reload"]
    assert site.build == published and site.files[RESNET] == files[RESNET]


def test_a_rebuild_that_fails_after_the_open_page_was_served_sends_browsers_back(
    tmp_path, example_build
):
    """The open page is served first; when the rest then fails, browsers that reloaded
    into the new page are told to reload again: they get the last good site, with the
    error over it."""
    from generator.commands import serve

    root = warm_copy_of_example(tmp_path / "example", example_build)
    copy_of_theme(root / "templates")
    rebuilder = serve.Rebuilder(root, LiveSite(), lambda line: None)
    site = rebuilder.site
    rebuilder.rebuild(Change.CONTENT)
    good = dict(site.files)
    site.opened("index.html")  # the home page has no Markdown template of a paper
    events = site.last_event()[0]
    paper = root / "templates" / "paper.md"
    paper.write_text(paper.read_text("utf-8") + "{{ no_such_function() }}\n", "utf-8")
    rebuilder.rebuild(Change.TEMPLATES)
    assert [event["type"] for event in site.events if event["id"] > events] == [
        "reload",
        "reload",
    ]
    assert site.error and "paper.md" in site.error and site.files == good
    files, _, error = site.snapshot("index.html")
    assert files["index.html"] == good["index.html"] and error == site.error


def test_an_event_stream_opened_during_a_rebuild_says_hello_at_once(tmp_path):
    """A page reloaded while its rebuild still runs (it was published first) listens for
    the next rebuild from the moment it loads, rather than once this one ends."""
    from generator.commands import serve

    site = LiveSite()
    site.finish({"index.html": b"<body></body>"}, Change.CONTENT, None)
    server = serve._Server(("127.0.0.1", 0), serve.make_handler(site, "/"))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        site.begin()
        site.publish_first({"index.html": b"<body>first</body>"}, keep_previous=True)
        url = f"http://127.0.0.1:{server.server_address[1]}/{serve.INTERNAL}events"

        def hello() -> bytes:
            with urllib.request.urlopen(url, timeout=10) as stream:
                return stream.readline()

        said = answered_within(2, hello)
        assert len(said) == 1 and said[0].startswith(b"data: "), said
        hello_said = {"type": "hello", "session": site.session, "build": 2, "pages": 2}
        assert json.loads(said[0][len(b"data: ") :]) == {**hello_said, "error": None}
    finally:
        site.stop()
        server.shutdown()
        server.server_close()


def test_a_newer_edit_stops_a_content_rebuild_before_its_search_index(tmp_path, example_build):
    """A content rebuild whose pages are all served stops before its search index when a
    newer edit waits (the index is what takes longest): the site stays as served, and the
    next rebuild, whatever its kind, makes the index too. Each is what build makes."""
    from generator.commands import serve

    root = warm_copy_of_example(tmp_path / "example", example_build)
    copy_of_theme(root / "templates")
    lines: list[str] = []
    newer = threading.Event()
    rebuilder = serve.Rebuilder(root, LiveSite(), lines.append, newer.is_set)
    site = rebuilder.site
    rebuilder.rebuild(Change.CONTENT)
    site.opened(RESNET)
    events = site.last_event()[0]
    index = "assets/search-index.js"
    old_index = site.files[index]
    listing = root / "content" / "listings" / "image-recognition.txt"
    edit(listing, "Deeper neural", "Deeper zqx")
    newer.set()
    rebuilder.rebuild(Change.CONTENT)
    assert lines[-1].startswith("Stopped (content)") and site.building
    assert b"Deeper zqx" in site.snapshot(RESNET)[0][RESNET]
    assert answered_within(0.3, lambda: site.snapshot(index)) == []  # not made yet
    for number, (change, path, old, new) in enumerate(
        [
            (Change.LAYOUTS, "base.html", "</footer>", "<p>Edited.</p></footer>"),
            (Change.STYLES, "assets/style.css", "}", "}\n.edited { color: red; }"),
        ]
    ):
        edit(root / "templates" / path, old, new)
        newer.clear()
        rebuilder.rebuild(change)
        assert lines[-1].startswith("Rebuilt") and not site.building and site.error is None
        assert site.files == built_site(root, tmp_path / f"built-{number}"), change
        assert site.files[index] != old_index
        if number == 0:  # stop the next rebuild too, once its pages are served
            edit(listing, "Deeper zqx", "Deeper zqy")
            newer.set()
            rebuilder.rebuild(Change.CONTENT)
            assert lines[-1].startswith("Stopped (content)")
    assert [event["type"] for event in site.events if event["id"] > events] == ["reload"] * 4
    # Stopped, then a failing edit: browsers saw the stopped rebuild's pages, so they are
    # sent back to the last good site (with the error over it).
    edit(listing, "Deeper zqy", "Deeper zqz")
    newer.set()
    rebuilder.rebuild(Change.CONTENT)
    served = site.events[-1]["id"]
    paper = root / "templates" / "paper.md"
    paper.write_text(paper.read_text("utf-8") + "{{ no_such_function() }}\n", "utf-8")
    newer.clear()
    rebuilder.rebuild(Change.TEMPLATES)
    assert [event["type"] for event in site.events if event["id"] > served] == ["reload"]
    assert site.error and not site.building and b"Deeper zqy" in site.files[RESNET]


def test_a_rebuild_under_way_sees_the_edits_saved_meanwhile():
    """What stops a content rebuild before its search index: edits the watcher saw while
    it ran (the next rebuild will take them)."""
    from generator.commands.watch import Debouncer

    running, release = threading.Event(), threading.Event()
    batches: list[set[Path]] = []

    def rebuild(paths: set[Path]) -> None:
        batches.append(paths)
        running.set()
        assert release.wait(10)

    debouncer = Debouncer(rebuild, delay=0.01)
    try:
        debouncer.add(Path("a.txt"))
        assert running.wait(10) and not debouncer.pending()
        debouncer.add(Path("b.txt"))
        assert debouncer.pending()
        release.set()
        deadline = time.monotonic() + 10
        while len(batches) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert batches == [{Path("a.txt")}, {Path("b.txt")}] and not debouncer.pending()
    finally:
        release.set()
        debouncer.stop()


def test_after_a_failed_rebuild_the_next_one_starts_from_the_content(make_site):
    """A rebuild that failed leaves nothing half-made to reuse: the next edit, whatever
    its kind, rebuilds from the content (which may have changed meanwhile)."""
    from generator.commands import serve

    root = make_site("standard.txt")
    rebuilder = serve.Rebuilder(root, LiveSite(), lambda line: None)
    rebuilder.rebuild(Change.CONTENT)
    site_yml, topics_yml = root / "content" / "site.yml", root / "content" / "topics.yml"
    good_topics = topics_yml.read_text("utf-8")
    site_yml.write_text(site_yml.read_text("utf-8").replace("Test Site", "Renamed Site"))
    topics_yml.write_text("topics: [oops\n", "utf-8")
    rebuilder.rebuild(Change.CONTENT)
    assert rebuilder.site.error is not None
    topics_yml.write_text(good_topics, "utf-8")
    rebuilder.rebuild(Change.ASSETS)
    assert rebuilder.site.error is None
    assert b"Renamed Site" in rebuilder.site.files["index.html"]


def test_a_replaced_content_folder_is_watched_again(site_root):
    """After `mv content content.old && cp -r content.old content` (what a branch switch
    does), inotify kept watching the old folder: no later edit was seen."""
    running = Server(site_root)
    try:
        running.wait_for_rebuilds(1)
        content = site_root / "content"
        content.rename(site_root / "content.old")
        shutil.copytree(site_root / "content.old", content)
        running.wait_for_rebuilds(2)  # the new folder is content: one rebuild
        time.sleep(0.3)
        edit(content / "site.yml", "Test Site", "Switched Site")
        deadline = time.monotonic() + 10
        while b"Switched Site" not in get(running.url)[2] and time.monotonic() < deadline:
            time.sleep(0.1)
        assert b"Switched Site" in get(running.url)[2], running.lines
    finally:
        running.stop()


def test_a_failed_file_operation_in_serve_names_the_file(make_site, monkeypatch):
    """serve showed a file it could not read as "internal error: PermissionError(...)"."""
    from generator import recipe
    from generator.commands import serve

    root = make_site("standard.txt")
    rebuilder = serve.Rebuilder(root, LiveSite(), lambda line: None)
    rebuilder.rebuild(Change.CONTENT)

    def unreadable(config):
        raise PermissionError(13, "Permission denied", str(root / "templates" / "style.css"))

    monkeypatch.setattr(recipe, "theme_assets", unreadable)
    rebuilder.rebuild(Change.ASSETS)
    assert rebuilder.site.error is not None
    assert rebuilder.site.error.startswith(f"{root / 'templates' / 'style.css'}: error: permission")
    assert "internal error" not in rebuilder.site.error


def test_editors_temporary_files_are_ignored_and_templates_are_not():
    from generator.commands.watch import is_ignored

    for name in (".base.html.swp", "base.html~", "4913", ".#base.html", "sedAb12Cd", "x.tmp"):
        assert is_ignored(Path("templates") / name), name
    for name in ("base.html", "sedona.html", "paper.md", "sed"):
        assert not is_ignored(Path("templates") / name), name


def test_browsers_that_go_away_mid_answer_are_not_errors(server):
    """A reload closes the connection before the answer is read: serve printed a
    traceback (broken pipe, connection reset) for each. Clients that reset at once, and
    ones that close before reading a large page, leave nothing on stderr."""
    host, port = re.match(r"http://([\d.]+):(\d+)/", server.url).groups()
    before = len(server.lines)
    for number in range(30):
        connection = socket.create_connection((host, int(port)))
        connection.sendall(b"GET /search/ HTTP/1.1\r\nHost: x\r\n\r\n")
        if number % 2:  # reset: close at once with unread data, RST instead of FIN
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        connection.close()
    time.sleep(1.0)
    status, _, _ = get(server.url)
    assert status == 200
    said = "".join(server.lines[before:])
    assert "Traceback" not in said and "Error" not in said, said


def test_a_site_broken_from_the_start_says_nothing_is_served_yet(site_root):
    """It said "still serving the last good site" when there had been none."""
    site_yml = site_root / "content" / "site.yml"
    good = site_yml.read_text("utf-8")
    site_yml.write_text("title: [unclosed\n", "utf-8")
    server = Server(site_root)
    try:
        said = "".join(server.lines)
        assert "nothing to serve until a build succeeds" in said, said
        assert "still serving" not in said
        site_yml.write_text(good, "utf-8")
        server.wait_for_rebuilds(1, timeout=30)
    finally:
        server.stop()


def test_serve_where_there_is_no_site_is_one_line(tmp_path):
    """It printed "(still serving the last good site)" and then an error naming no file,
    and went on serving nothing."""
    result = subprocess.run(
        [sys.executable, "-m", "generator", "serve", "-C", str(tmp_path / "nowhere")],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "no site.yml here" in result.stderr, result.stderr
    assert str(tmp_path / "nowhere" / "content" / "site.yml") in result.stderr
