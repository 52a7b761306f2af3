"""Real published reports shipped with govreport: something to try it on at once, and the files the
examples in its documentation read (they run from an installed package). The ``.md`` files are two years of
one agency's report as markitdown gave them from its web pages.

>>> import govreport
>>> from govreport.samples import sample, sample_names
>>> len(sample_names()), sample_names()[:2]
(5, ('dawukou-office-2023.txt', 'pingtan-2021.md'))
>>> govreport.read(sample()).meta.agency
'湘乡市信访局'
"""

from __future__ import annotations

from pathlib import Path

_FOLDER = Path(__file__).resolve().parent / "data" / "samples"

#: The sample read when none is named.
DEFAULT_SAMPLE = "xiangxiang-xinfang-2023.txt"


def sample_names() -> tuple[str, ...]:
    """The names of the shipped samples."""
    return tuple(sorted(p.name for p in _FOLDER.iterdir() if p.is_file()))


def sample(name: str = DEFAULT_SAMPLE) -> Path:
    """The path of a shipped sample report; a ValueError lists the samples when ``name`` is none of them."""
    path = _FOLDER / name
    if name not in sample_names():
        raise ValueError(f"no sample named {name!r}; the samples are {', '.join(sample_names())}")
    return path
