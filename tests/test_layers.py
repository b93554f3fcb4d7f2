"""The package's layers: imports flow one way, and the README's architecture names every
module (a newcomer finds the parser, the topic rules or the search index in seconds)."""

from __future__ import annotations

import ast
import re

from conftest import REPO

PACKAGE = REPO / "generator"
# Each layer may import from itself and the layers before it, never from those after.
LAYERS = [
    ("generator", "generator.model", "generator.diagnostics"),
    ("generator.engine",),
    ("generator.text",),
    ("generator.content",),
    ("generator.catalog",),
    ("generator.search",),
    ("generator.site",),
    (
        "generator.incremental",
        "generator.plugins",
        "generator.recipe",
        "generator.manifest",
        "generator.build",
    ),
    ("generator.commands", "generator.cli", "generator.__main__"),
]


def layer_of(module: str) -> int:
    """The layer of a module: that of the longest prefix LAYERS names."""
    best, rank = "", -1
    for number, names in enumerate(LAYERS):
        for name in names:
            if (module == name or module.startswith(name + ".")) and len(name) > len(best):
                best, rank = name, number
    assert rank >= 0, module
    return rank


def modules() -> dict[str, ast.Module]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(REPO).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = ast.parse(path.read_text("utf-8"))
    return found


def imported(tree: ast.Module) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "generator":
                names |= {f"generator.{alias.name}" for alias in node.names}
            elif node.module.startswith("generator."):
                names.add(node.module)
        elif isinstance(node, ast.Import):
            names |= {a.name for a in node.names if a.name.split(".")[0] == "generator"}
    return names


def test_every_import_goes_to_the_same_layer_or_one_before_it():
    upward = [
        f"{module} imports {target}"
        for module, tree in modules().items()
        for target in sorted(imported(tree))
        if layer_of(target) > layer_of(module)
    ]
    assert upward == []


def test_the_layer_check_sees_an_upward_import():
    tree = ast.parse("from generator.site.render import make_environment\nimport generator.build")
    assert imported(tree) == {"generator.site.render", "generator.build"}
    assert layer_of("generator.site.render") > layer_of("generator.content.config")
    assert layer_of("generator") < layer_of("generator.engine.cache")


def test_the_readme_architecture_names_every_module_and_package():
    readme = (REPO / "README.md").read_text("utf-8")
    section = readme.split("## Architecture\n", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"[\w/]+\.(?:py|js)\b|\b\w+/", section))
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name in ("__init__.py", "__main__.py"):
            package = path.parent.relative_to(PACKAGE).as_posix() + "/"
            if path.parent != PACKAGE and f"{path.parent.name}/" not in named:
                missing.append(package)
            continue
        if path.name not in {name.rsplit("/", 1)[-1] for name in named}:
            missing.append(path.relative_to(PACKAGE).as_posix())
    assert missing == []
