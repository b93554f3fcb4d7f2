"""Which plugins a build runs, and how it runs them: the built-in ones, those site.yml
turns on (built in, or installed in the `papersite.plugins` entry-point group), and the
site's own hooks.py; their parts gathered for each stage (`Plugins`)."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import sys
import types
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from generator import ENTRY_POINTS
from generator.content.readers import READERS, Reader
from generator.diagnostics import ContentError, Diagnostics, Location
from generator.engine.cache import BuildCache
from generator.model import Paper, SiteConfig
from generator.plugins import authors, feeds, graph, math, schedule, search
from generator.plugins.api import PARTS, Content, Plugin
from generator.site.pages import Extensions, PageKind, PlannedPage, SiteParts
from generator.site.render import MarkdownOptions

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

# What a plugin's page kind may make: pages, and files rendered by templates as pages are.
PAGE_SUFFIXES = (".html", ".xml", ".txt", ".json")
HOOKS_FILE = "hooks.py"
# Always on, in this order (the header lists Authors first among the plugins' links).
ALWAYS_ON = (search.PLUGIN, authors.PLUGIN, feeds.PLUGIN, graph.PLUGIN)
# Built in, on when site.yml's plugins: names them.
BUILT_IN = {plugin.name: plugin for plugin in (math.PLUGIN, schedule.PLUGIN)}

T = TypeVar("T")


@dataclass(frozen=True)
class Loaded:
    """A plugin and where its code is (None for papersite's own): a failure in it is an
    error at that file's line, never a traceback."""

    plugin: Plugin
    origin: Path | None = None


class Plugins:
    """The plugins of one build, in order, and their parts gathered for each stage.
    `key` names them all (their names, hooks.py's bytes, installed versions): what a
    stage caches is reused only by a build with the same plugins."""

    def __init__(self, loaded: list[Loaded], key: str) -> None:
        self.loaded, self.key = loaded, key
        self.names = tuple(entry.plugin.name for entry in loaded)
        # Every plugin is papersite's own (no hooks.py, no installed plugin).
        self.own = all(entry.origin is None for entry in loaded)
        self.readers: dict[str, Reader] = dict(READERS)
        for entry in loaded:
            for suffix, reader in entry.plugin.readers.items():
                self.readers[suffix.lower()] = _guarded(entry, f"reader for {suffix}", reader)
        self.note_fields = tuple(
            dict.fromkeys(name for entry in loaded for name in entry.plugin.note_fields)
        )

    def on_config(self, config: SiteConfig) -> SiteConfig:
        for entry in self._with("on_config"):
            config = _guarded(entry, "on_config", _required(entry.plugin.on_config))(config)
            _expect(entry, "on_config", config, SiteConfig, "a SiteConfig")
        return config

    def on_papers(self, papers: list[Paper], diagnostics: Diagnostics) -> list[Paper]:
        for entry in self._with("on_papers"):
            hook = _guarded(entry, "on_papers", _required(entry.plugin.on_papers))
            papers = hook(papers, diagnostics)
            _expect(entry, "on_papers", papers, list, "a list of papers")
        return papers

    @functools.cached_property
    def extensions(self) -> Extensions:
        """What the plugins add to the plan of pages."""
        return Extensions(
            kinds=tuple(
                (entry.plugin.name, _kind(entry, kind))
                for entry in self.loaded
                for kind in entry.plugin.page_kinds
            ),
            nav=tuple(
                _guarded(entry, "nav", _required(entry.plugin.nav)) for entry in self._with("nav")
            ),
            paper_fields=tuple(
                _guarded(entry, "paper_fields", _required(entry.plugin.paper_fields))
                for entry in self._with("paper_fields")
            ),
            page_context=tuple(
                _guarded(entry, "page_context", _required(entry.plugin.page_context))
                for entry in self._with("page_context")
            ),
        )

    @property
    def filters(self) -> dict[str, Callable[..., Any]]:
        return {name: f for entry in self.loaded for name, f in entry.plugin.filters.items()}

    @property
    def template_globals(self) -> dict[str, Any]:
        return {k: v for entry in self.loaded for k, v in entry.plugin.template_globals.items()}

    def markdown(self, raw_html: bool) -> MarkdownOptions:
        extensions = tuple(
            _guarded(entry, "markdown", _required(entry.plugin.markdown))
            for entry in self._with("markdown")
        )
        return MarkdownOptions(raw_html, extensions, self.key if extensions else "")

    def data_files(self, parts: SiteParts) -> dict[str, bytes]:
        files: dict[str, bytes] = {}
        for entry in self._with("data_files"):
            made = _guarded(entry, "data_files", _required(entry.plugin.data_files))(parts)
            files.update(_files(entry, "data_files", made))
        return files

    def background(self, content: Content, cache: BuildCache) -> dict[str, bytes]:
        """The files plugins make on a core of their own (the search index)."""
        files: dict[str, bytes] = {}
        for entry in self._with("background"):
            made = _guarded(entry, "background", _required(entry.plugin.background))
            files.update(_files(entry, "background", made(content, cache)))
        return files

    def _with(self, part: str) -> list[Loaded]:
        return [entry for entry in self.loaded if getattr(entry.plugin, part) is not None]


def load_plugins(root: Path, names: list[tuple[str, Location]]) -> Plugins:
    """The plugins of the site at `root`: those always on, those `names` turns on (from
    site.yml's plugins:), then the site's own hooks.py."""
    loaded = [Loaded(plugin) for plugin in ALWAYS_ON]
    identity: list[str | bytes] = ["plugins"]
    installed: dict[str, EntryPoint] | None = None
    for name, where in names:
        if name in BUILT_IN:
            loaded.append(Loaded(BUILT_IN[name]))
            identity.append(name)
            continue
        if installed is None:  # (importlib.metadata only now: it takes 20-50 ms to import)
            from importlib.metadata import entry_points

            installed = {ep.name: ep for ep in entry_points(group=ENTRY_POINTS)}
        if name not in installed:
            known = ", ".join([*BUILT_IN, *sorted(installed)])
            raise ContentError(
                where.path,
                where.line,
                f"plugins: no plugin named '{name}' (built in or installed: {known})",
            )
        point = installed[name]
        loaded.append(_installed(point, where))
        identity += [name, point.value, point.dist.version if point.dist else ""]
    hooks = root / HOOKS_FILE
    if hooks.is_file():
        source = hooks.read_bytes()
        loaded.append(Loaded(_from_module(_run_hooks(hooks, source), hooks), hooks))
        identity += [HOOKS_FILE, source]
    return Plugins(loaded, plugins_key(identity))


def plugins_key(parts: list[str | bytes]) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little") + data)
    return digest.hexdigest()


def _run_hooks(path: Path, source: bytes) -> types.ModuleType:
    """hooks.py, run as a module of its own (afresh each time: serve loads it again after
    each edit); a mistake in it is an error at its line."""
    name = "papersite_site_hooks"
    module = types.ModuleType(name)
    module.__file__ = str(path)
    sys.modules[name] = module  # dataclasses and pickle look a module's classes up there
    try:
        code = compile(source, str(path), "exec")
        exec(code, module.__dict__)
    except SyntaxError as error:
        raise ContentError(path, error.lineno or 0, f"hooks.py: {error.msg}") from None
    except Exception as error:
        line = _line_in(sys.exc_info()[2], path)
        raise ContentError(path, line, f"hooks.py failed as it loaded: {_said(error)}") from None
    return module


def _from_module(module: types.ModuleType, path: Path) -> Plugin:
    """The Plugin a module's top-level names make (readers = {...}, def paper_fields...)."""
    for name in vars(module):
        if name.startswith("on_") and name not in PARTS:
            events = ", ".join(part for part in PARTS if part.startswith("on_"))
            raise ContentError(
                path, _line_of(getattr(module, name)), f"{name} is not an event ({events})"
            )
    parts = {name: getattr(module, name) for name in PARTS if hasattr(module, name)}
    for name in ("page_kinds", "note_fields"):
        if name in parts:
            if not isinstance(parts[name], list | tuple):
                raise ContentError(path, 0, f"{name} must be a list")
            parts[name] = tuple(parts[name])
    for name in ("readers", "filters", "template_globals"):
        if name in parts and not isinstance(parts[name], Mapping):
            raise ContentError(path, 0, f"{name} must be a mapping: {name} = {{...}}")
    for suffix in parts.get("readers", {}):
        if not isinstance(suffix, str) or not suffix.startswith(".") or len(suffix) < 2:
            raise ContentError(path, 0, f"readers: {suffix!r} is not a file extension like '.csv'")
    data = ("page_kinds", "note_fields", "readers", "filters", "template_globals")
    for name, value in parts.items():
        if name not in data and not callable(value):
            raise ContentError(path, 0, f"{name} must be a function")
    return Plugin(name=HOOKS_FILE, **parts)


def _installed(point: EntryPoint, where: Location) -> Loaded:
    """An installed plugin: its entry point names a Plugin, a function returning one, or a
    module with the top-level names hooks.py would have."""
    try:
        found = point.load()
        plugin = found() if callable(found) and not isinstance(found, Plugin) else found
    except Exception as error:
        raise ContentError(
            where.path,
            where.line,
            f"plugin '{point.name}' ({point.value}) failed to load: {_said(error)}",
        ) from None
    origin = Path(getattr(sys.modules.get(point.module), "__file__", None) or point.module)
    if isinstance(plugin, types.ModuleType):
        plugin = _from_module(plugin, origin)
    if not isinstance(plugin, Plugin):
        raise ContentError(
            where.path, where.line, f"plugin '{point.name}' ({point.value}) is not a Plugin"
        )
    return Loaded(dataclasses.replace(plugin, name=point.name), origin)


def _required(part: T | None) -> T:
    assert part is not None
    return part


def _guarded(entry: Loaded, part: str, function: Callable[..., T]) -> Callable[..., T]:
    """`function`, with a failure in a plugin's code made an error at its line (papersite's
    own plugins are left as they are: a failure there is papersite's)."""
    origin = entry.origin
    if origin is None:
        return function

    @functools.wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> T:
        try:
            return function(*args, **kwargs)
        except ContentError:
            raise
        except Exception as error:
            line = _line_in(sys.exc_info()[2], origin)
            name = entry.plugin.name
            raise ContentError(origin, line, f"plugin {name}, {part}: {_said(error)}") from None

    return guarded


def _kind(entry: Loaded, kind: PageKind) -> PageKind:
    """A plugin's page kind, its pages checked and each page's context guarded."""
    plan = _guarded(entry, f"page kind {getattr(kind, '__name__', kind)}", lambda p: list(kind(p)))

    def pages(parts: SiteParts) -> Iterator[PlannedPage]:
        for page in plan(parts):
            if not isinstance(page, PlannedPage):
                raise ContentError(
                    entry.origin or Path(entry.plugin.name),
                    _line_of(kind),
                    f"plugin {entry.plugin.name}: a page kind gave {page!r}, not a PlannedPage",
                )
            if not page.path.endswith(PAGE_SUFFIXES) or page.path.startswith(("/", "assets/")):
                raise ContentError(
                    entry.origin or Path(entry.plugin.name),
                    _line_of(kind),
                    f"plugin {entry.plugin.name}: a page's path must be like 'venues/index.html'"
                    f", not {page.path!r}",
                )
            context = _guarded(entry, f"context of {page.path}", page.context)
            yield dataclasses.replace(page, context=context)

    return pages


def _files(entry: Loaded, part: str, made: Mapping[str, bytes]) -> Mapping[str, bytes]:
    for path, data in made.items():
        if not isinstance(path, str) or not isinstance(data, bytes) or path.startswith("/"):
            raise ContentError(
                entry.origin or Path(entry.plugin.name),
                0,
                f"plugin {entry.plugin.name}, {part}: files must be relative paths to bytes, "
                f"not {path!r}: {type(data).__name__}",
            )
    return made


def _expect(entry: Loaded, part: str, value: object, kind: type, what: str) -> None:
    if not isinstance(value, kind):
        raise ContentError(
            entry.origin or Path(entry.plugin.name),
            0,
            f"plugin {entry.plugin.name}, {part}: returned {type(value).__name__}, not {what}",
        )


def _line_in(traceback: Any, path: Path) -> int:
    """The line of the innermost traceback frame in `path`, 0 if none is."""
    line, name = 0, str(path)
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename == name:
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return line


def _line_of(value: object) -> int:
    code = getattr(value, "__code__", None)
    return code.co_firstlineno if code is not None else 0


def _said(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
