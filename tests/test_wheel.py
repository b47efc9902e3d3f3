"""The wheel carries the default theme: an installed `mooc` builds a site with no checkout around it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import FIXTURES, ROOT


@pytest.mark.thorough
def test_wheel_builds_a_site_without_the_source_tree(tmp_path: Path) -> None:
    source = tmp_path / "source"
    # Build from a copy, so nothing of the checkout (themes/ beside the package) is reachable later.
    ignored = shutil.ignore_patterns(".venv", ".tools", "_site", ".git", "node_modules", ".mypy_cache", ".ruff_cache",
                                     ".pytest_cache", "__pycache__", "dist", "content")
    shutil.copytree(ROOT, source, ignore=ignored)
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(source)],
                   check=True, capture_output=True)
    wheels = list(dist.glob("mooc_builder-*.whl"))
    assert len(wheels) == 1
    names = zipfile.ZipFile(wheels[0]).namelist()
    assert "mooc_builder/themes/default/templates/base.html" in names
    assert "mooc_builder/themes/default/static/style.css" in names
    assert "mooc_builder/themes/default/locales/fr.po" in names
    assert "mooc_builder/new/templates/fr/sequence.md" in names  # `mooc new`'s templates
    assert "mooc_builder/new/templates/en/drawing.svg" in names

    lib = tmp_path / "lib"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
                    "--target", str(lib), str(wheels[0])], check=True, capture_output=True)
    shutil.rmtree(source)
    work = tmp_path / "work"
    shutil.copytree(FIXTURES / "minimal", work / "content")
    env = {**os.environ, "PYTHONPATH": str(lib), "PYTHONNOUSERSITE": "1"}
    where = subprocess.run([sys.executable, "-c", "import mooc_builder, sys; print(mooc_builder.__file__)"],
                           cwd=work, env=env, check=True, capture_output=True, text=True)
    assert Path(where.stdout.strip()).is_relative_to(lib)
    result = subprocess.run([sys.executable, "-m", "mooc_builder", "build", "content", "-o", "out"],
                            cwd=work, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (work / "out" / "assets" / "style.css").is_file()
    assert "Aller au contenu" in (work / "out" / "index.html").read_text(encoding="utf-8")
