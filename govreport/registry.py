"""A named collection of plug-ins (readers, writers), extended by entry points of installed packages."""

from __future__ import annotations

import warnings
from typing import Generic, TypeVar, cast

from . import entrypoints

T = TypeVar("T")


class Registry(Generic[T]):
    """Plug-ins by name, built-in ones first, then those installed packages declare in ``group``."""

    def __init__(self, kind: str, protocol: type, group: str) -> None:
        self.kind = kind
        self.protocol = protocol
        self.group = group
        self.entry_points_loaded = False
        self._items: dict[str, T] = {}

    def register(self, item: T, *, replace: bool = False) -> T:
        if not isinstance(item, self.protocol):
            raise TypeError(f"{item!r} is not a govreport {self.kind}")
        name = item.name  # type: ignore[attr-defined]
        if name in self._items and not replace:
            raise ValueError(f"a {self.kind} named {name!r} is already registered")
        self._items[name] = item
        return item

    def unregister(self, name: str) -> None:
        self._items.pop(name, None)

    def available(self) -> tuple[T, ...]:
        if not self.entry_points_loaded:
            self.entry_points_loaded = True
            for name, value in entrypoints.declared(self.group):
                if name not in self._items:
                    self._load(name, value)
        return tuple(self._items.values())

    def _load(self, name: str, value: str) -> None:
        """Register one installed plug-in; a broken one is skipped with a warning, never stops the rest."""
        try:
            obj = entrypoints.load(value)
            # register() checks the protocol: what an installed package hands over is not trusted.
            self.register(cast(T, obj() if isinstance(obj, type) else obj))
        except Exception as exc:  # anything an installed package's import or constructor may raise
            warnings.warn(f"govreport: skipped the {self.kind} plug-in {name!r} ({value}): "
                          f"{type(exc).__name__}: {exc}", RuntimeWarning, stacklevel=3)
