"""YAML reading that remembers line numbers, so errors can point at the offending key."""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path
from typing import Any, NoReturn

import yaml

from generator.diagnostics import ContentError
from generator.text.characters import (
    describe,
    find_unwritable,
    joined_pairs,
    line_at,
    split_lines,
    unwritable,
    without_separators,
)


class YamlMap(dict[str, Any]):
    """A YAML mapping that also knows the 1-based line of each of its keys."""

    lines: dict[str, int]
    line: int


class _PyLineLoader(yaml.SafeLoader):
    """SafeLoader whose mappings are YamlMaps, and which leaves numbers with a point and
    dates as text: no setting is a fraction (an arXiv id such as 2103.10690 must keep its
    last 0), and dates are checked by the code that reads them, which can say where an
    impossible one (2016-02-30) is."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """As SafeLoader's, but a value its constructors refuse says at which line."""
        try:
            value = super().construct_object(node, deep)
        except (ValueError, TypeError, OverflowError) as error:
            raise _RefusedValue(node.start_mark.line, error) from None
        if not isinstance(node, yaml.ScalarNode) or node.style != '"' or not isinstance(value, str):
            return value  # only a double-quoted escape makes what parse_yaml did not see
        value = joined_pairs(value)
        if (character := unwritable(value)) is not None:
            # An escape ("\x1b", "\ud800") makes what no page may hold: said, not written.
            raise _RefusedValue(
                node.start_mark.line, ValueError(f"{describe(character)} cannot be in a page")
            )
        return value


class _RefusedValue(Exception):
    """A value PyYAML's constructors refused (`!!float abc`), at a 0-based line."""

    def __init__(self, line: int, error: Exception, what: str = "invalid YAML value") -> None:
        super().__init__(str(error))
        self.line = line
        self.what = what


# The same on libyaml's parser, where PyYAML has it (its wheels do): the pure-Python one
# took 8.7 s to read the metadata.yml fetch resolve wrote for 10,000 papers (12.7 MB),
# libyaml's 2.5 s. libyaml refuses an escape of half a character pair (JSON's way to
# write an emoji, pasted: "\\ud83d\\ude00"): that text is read again by the other, which
# takes the pair for the character it means.
try:
    from yaml import CSafeLoader as _CSafeLoader

    class _LineLoader(_CSafeLoader, _PyLineLoader):
        """_PyLineLoader's rules on libyaml's parser (first in line: its parsing wins)."""

except ImportError:  # a PyYAML built without libyaml
    _LineLoader = _PyLineLoader  # type: ignore[assignment,misc]

_AS_TEXT = {"tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp"}
_PyLineLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag not in _AS_TEXT]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _PyLineLoader, node: yaml.MappingNode) -> YamlMap:
    mapping = YamlMap()
    mapping.lines = {}
    mapping.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, list | dict):  # `? [a, b]`: a list as a key
            raise _RefusedValue(key_node.start_mark.line, ValueError("a key must be a name"))
        if key in mapping.lines:  # PyYAML keeps the last without a word: the first is lost
            first = mapping.lines[key]
            written = key_node.value if isinstance(key_node, yaml.ScalarNode) else key
            problem = ValueError(f"'{written}' is given twice (also at line {first}): keep one")
            raise _RefusedValue(key_node.start_mark.line, problem, "invalid YAML")
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.lines[key] = key_node.start_mark.line + 1
    return mapping


_PyLineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def parse_yaml(text: str, path: Path, first_line: int = 1) -> Any:
    """Parse YAML text that starts at line `first_line` of `path` (front matter starts at
    2); a syntax error becomes a ContentError at its file and line, and every mapping
    knows the lines of its keys in the file."""
    # Blank lines before the text put every mark, and so every key's line, where the
    # file has it.
    padded = "\n" * (first_line - 1) + without_separators(text)
    if found := find_unwritable(padded):  # PyYAML's reader names a position, and takes U+0085
        line = line_at(padded, found.start())
        raise ContentError(path, line, f"invalid YAML: {describe(found[0])} cannot be in YAML")
    try:
        return _read(padded, path, first_line, _LineLoader)
    except yaml.MarkedYAMLError as error:
        if _LineLoader is _PyLineLoader or "escape" not in (error.problem or ""):
            _refused(error, path, first_line)
    try:
        return _read(padded, path, first_line, _PyLineLoader)
    except yaml.MarkedYAMLError as error:
        _refused(error, path, first_line)


def _read(padded: str, path: Path, first_line: int, loader_class: type[_PyLineLoader]) -> Any:
    """The YAML of `padded`, read by `loader_class`; its errors turned into ContentErrors
    but its parser's (MarkedYAMLError), for parse_yaml to say or to read the text again."""
    loader = loader_class(padded)
    try:
        node = loader.get_single_node()
        # (an alias names an anchor, &name: a text without "&" has none, nothing to count)
        if node is not None and "&" in padded and _copies(node) > ALIAS_COPIES:
            raise ContentError(
                path,
                node.start_mark.line + 1,
                f"invalid YAML: its aliases copy more than {ALIAS_COPIES:,} values (each "
                "stands for all it names: a few nested ones can stand for billions)",
            )
        return loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError:
        raise
    except yaml.YAMLError as error:
        raise ContentError(path, first_line, f"invalid YAML: {error}") from None
    except _RefusedValue as error:
        raise ContentError(path, error.line + 1, f"{error.what}: {error}") from None
    except (ValueError, TypeError, OverflowError, RecursionError) as error:
        # A value PyYAML's constructors refuse (an explicit !!float tag on text, say).
        raise ContentError(path, first_line, f"invalid YAML value: {error}") from None
    finally:
        loader.dispose()


def _refused(error: yaml.MarkedYAMLError, path: Path, first_line: int) -> NoReturn:
    """A YAML parser's error, said at its line."""
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark else first_line
    problem = error.problem or error.context or "invalid YAML"
    raise ContentError(path, line, f"invalid YAML: {problem}") from None


# The most values a YAML file's aliases may add (a code that walks what it read, as
# json.dumps of site.yml's extra: does, meets each alias as a copy of what it names).
ALIAS_COPIES = 1_000_000


def _copies(root: yaml.Node) -> int:
    """How many values the document holds with each alias a copy of what it names, less
    those it holds written out: counted once a node, however deep, never expanded."""
    sizes: dict[int, int] = {}
    waiting: list[tuple[yaml.Node, bool]] = [(root, False)]
    while waiting:
        node, children_done = waiting.pop()
        if id(node) in sizes:
            continue
        children = _children(node)
        if children_done or not children:
            # (a node inside itself, a recursive alias, counts once)
            sizes[id(node)] = 1 + sum(sizes.get(id(child), 1) for child in children)
            continue
        waiting.append((node, True))
        waiting += [(child, False) for child in children if id(child) not in sizes]
    return sizes[id(root)] - len(sizes)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def line_of(mapping: Any, key: str, default: int = 0) -> int:
    """The line of `key` in a mapping read by parse_yaml, or `default`."""
    if isinstance(mapping, YamlMap):
        return mapping.lines.get(key, mapping.line)
    return default


def require_mapping(value: Any, path: Path, line: int, what: str) -> YamlMap:
    """Insist that `value` is a mapping; an empty document counts as an empty one."""
    if value is None:
        empty = YamlMap()
        empty.lines, empty.line = {}, line
        return empty
    if not isinstance(value, YamlMap):
        raise ContentError(path, line, f"{what} must be a mapping of keys to values")
    return value


def check_keys(mapping: YamlMap, allowed: tuple[str, ...], path: Path, what: str) -> None:
    """Reject keys not in `allowed`, suggesting the closest known key."""
    for key in mapping:
        if key in allowed:
            continue
        close = difflib.get_close_matches(str(key), allowed, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else f"; known keys: {', '.join(allowed)}"
        raise ContentError(path, line_of(mapping, key), f"unknown key '{key}' in {what}{hint}")


def text_field(mapping: YamlMap, key: str, path: Path, *, required: bool = False) -> str:
    """Read an optional (or required) string field, with a clear error otherwise."""
    value = mapping.get(key)
    if value is None:
        if required:
            raise ContentError(path, mapping.line, f"missing required field '{key}'")
        return ""
    if isinstance(value, (dict, list)):
        raise ContentError(path, line_of(mapping, key), f"'{key}' must be text")
    text = str(value).strip()
    if required and not text:
        raise ContentError(path, line_of(mapping, key), f"required field '{key}' is empty")
    return text


def read_front_matter(path: Path) -> tuple[YamlMap, str, int]:
    """Split a Markdown file into its YAML front matter, its body, and the body's first line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise ContentError(path, 0, f"not UTF-8 text: {error.reason}") from None
    if found := find_unwritable(text):  # an ESC pasted from a terminal, a form feed
        raise ContentError(
            path,
            line_at(text, found.start()),
            f"{describe(found[0])} cannot be in a page: remove it",
        )
    lines = split_lines(text)
    if not lines or lines[0].strip() != "---":
        return require_mapping(None, path, 1, "front matter"), text, 1
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() in ("---", "..."):
            meta = parse_yaml("".join(lines[1:index]), path, first_line=2)
            body = "".join(lines[index + 1 :])
            return require_mapping(meta, path, 1, "front matter"), body, index + 2
    raise ContentError(path, 1, "front matter starts with '---' but never ends with '---'")


def date_field(mapping: YamlMap, key: str, path: Path) -> dt.date | None:
    """Read an optional ISO date (YAML may already have parsed it)."""
    value = mapping.get(key)
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ContentError(
            path, line_of(mapping, key), f"{key} '{value}' is not a date: write it as 2024-03-14"
        ) from None
