"""Shared fixtures: the real example site built once, and tiny sites made per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.build import BuildReport, build_site

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> BuildReport:
    """The example site of the repository, built from the real corpus."""
    output = tmp_path_factory.mktemp("example") / "site"
    return build_site(REPO, output)


@pytest.fixture
def make_site(tmp_path: Path):
    """A small site root: site.yml, topics.yml and the given listing fixtures."""

    def make(*listings: str, site_yml: str | None = None, topics_yml: str | None = None) -> Path:
        root = tmp_path / "mysite"
        (root / "content" / "sources").mkdir(parents=True)
        for name in listings:
            shutil.copy(FIXTURES / name, root / "content" / "sources" / name)
        (root / "content" / "site.yml").write_text(
            site_yml or "title: Test Site\nurl: https://example.org/test/\n", encoding="utf-8"
        )
        (root / "content" / "topics.yml").write_text(
            topics_yml
            or "fallback: other\n"
            "topics:\n"
            "  - name: Transformers\n    keywords: [transformer, attention]\n"
            "  - name: Other\n    keywords: [computer vision]\n",
            encoding="utf-8",
        )
        return root

    return make
