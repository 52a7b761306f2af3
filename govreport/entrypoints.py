"""The entry points installed packages declare, read from their ``entry_points.txt`` files directly.

``importlib.metadata`` finds the same, but importing it (with the e-mail parser it reads package metadata
with) costs a one-file ``govreport read`` a tenth of its run; this reads only what a plug-in registry needs.
Distributions are looked for, as the import system finds packages, in the folders of ``sys.path`` (``.dist-info``
as pip installs them, ``.egg-info`` as older tools did); a distribution found twice counts once, the first.

>>> [name for name, _ in declared("console_scripts") if name == "govreport"]
['govreport']
"""

from __future__ import annotations

import importlib
import os
import re
import sys
from collections.abc import Iterator

from .lazyre import lazy_compile

_DISTRIBUTION = lazy_compile(r"^(?P<name>[^-]+)(?:-[^-]*)?\.(?:dist-info|egg-info)$", re.IGNORECASE)


def declared(group: str) -> list[tuple[str, str]]:
    """(name, ``module:attribute``) of every entry point in ``group``, in the order of ``sys.path``."""
    found: list[tuple[str, str]] = []
    for text in _entry_point_files():
        found += _entries(text, group)
    return found


def load(value: str) -> object:
    """The object an entry point names: ``package.module:attribute.inner`` (extras in brackets ignored)."""
    module, _, attribute = value.split("[")[0].strip().partition(":")
    obj: object = importlib.import_module(module.strip())
    for part in attribute.strip().split(".") if attribute.strip() else ():
        obj = getattr(obj, part)
    return obj


def _entry_point_files() -> Iterator[str]:
    seen: set[str] = set()
    for folder in sys.path:
        try:
            names = sorted(os.listdir(folder or "."))
        except OSError:
            continue  # not a folder (a zip, a missing entry)
        for name in names:
            match = _DISTRIBUTION.match(name)
            if match is None:
                continue
            key = re.sub(r"[-_.]+", "_", match["name"]).lower()
            if key in seen:
                continue
            seen.add(key)
            declaring = os.path.join(folder or ".", name, "entry_points.txt")
            # Most distributions declare no entry point: asking costs a third of a failed open.
            if not os.access(declaring, os.F_OK):
                continue
            try:
                with open(declaring, encoding="utf-8") as handle:
                    yield handle.read()
            except (OSError, UnicodeDecodeError):
                continue


def _entries(text: str, group: str) -> list[tuple[str, str]]:
    """The ``name = value`` lines of one ``[group]`` section of an entry_points.txt."""
    out: list[tuple[str, str]] = []
    section = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
        elif section == group and "=" in line:
            name, _, value = line.partition("=")
            out.append((name.strip(), value.strip()))
    return out
