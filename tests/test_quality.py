"""The code's own checks, run with the tests: ruff (lint, import order) and mypy (types, with the config in
pyproject.toml and the stub packages of the ``dev`` extra that the README's test command installs)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("tool", "args"), [("ruff", ["check", "govreport", "tests"]), ("mypy", [])])
def test_the_code_passes(tool, args):
    if importlib.util.find_spec(tool) is None:
        pytest.fail(f"{tool} is missing: install the dev extra (python -m pip install -e \".[dev]\")")
    done = subprocess.run([sys.executable, "-m", tool, *args], cwd=ROOT, capture_output=True, text=True,
                          encoding="utf-8")
    assert done.returncode == 0, done.stdout + done.stderr
