"""Regular expressions compiled when first used, not when their module is imported.

Compiling govreport's patterns is a third of what ``import govreport`` costs (a character class of
Chinese characters alone takes Python's compiler ~1 ms), and a run that reads one text report uses
few of those for PDFs, web pages, fees or comparison. A module-level pattern is therefore declared
with :func:`lazy_compile`: it behaves as the compiled pattern, and compiles on its first use.

>>> DIGITS = lazy_compile(r"\\d+")
>>> DIGITS.pattern, DIGITS.findall("第3项12件")
('\\\\d+', ['3', '12'])
"""

from __future__ import annotations

import re
from typing import Any, AnyStr, Generic, cast, overload


class _OnFirstUse(Generic[AnyStr]):
    """A pattern's source and flags, standing in for the compiled pattern until an attribute is asked for;
    then each attribute of the compiled pattern is kept on the instance, so later uses cost a plain
    attribute lookup."""

    def __init__(self, source: AnyStr, flags: int) -> None:
        self.pattern: AnyStr = source
        self._flags = flags
        self._compiled: re.Pattern[AnyStr] | None = None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)  # no pattern attribute is private; and no lookup loops before __init__
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self._flags)
        value = getattr(self._compiled, name)
        setattr(self, name, value)
        return value

    def __repr__(self) -> str:
        return f"lazy_compile({self.pattern!r}, {self._flags})"


@overload
def lazy_compile(source: str, flags: int = 0) -> re.Pattern[str]: ...
@overload
def lazy_compile(source: bytes, flags: int = 0) -> re.Pattern[bytes]: ...
def lazy_compile(source: str | bytes, flags: int = 0) -> re.Pattern[str] | re.Pattern[bytes]:
    """``re.compile(source, flags)``, done when the pattern is first used."""
    return cast(Any, _OnFirstUse(source, flags))
