"""Converting on many machines with Dask (the ``dask`` extra).

The same reading as :func:`govreport.read_many`, as a ``dask.bag`` over the file paths, so that a Dask
cluster spreads the work::

    from dask.distributed import Client
    import govreport.distributed

    client = Client("scheduler:8786")             # or LocalCluster() for one machine
    govreport.distributed.convert(["/data/reports"], "reports.parquet", client=client)

Every worker needs govreport installed and the files at the same paths (a shared disk).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .batch import Result, find_files, read_one
from .conversion import Summary
from .conversion import convert as _convert
from .errors import MissingDependencyError


def read_bag(paths: Iterable[str | os.PathLike[str]], *, npartitions: int | None = None) -> Any:
    """A ``dask.bag.Bag`` of :class:`~govreport.batch.Result`, one per file (folders searched recursively)."""
    try:
        import dask.bag as db
    except ImportError as exc:
        raise MissingDependencyError('Dask is not installed: pip install "govreport[dask]"') from exc
    files = [str(p) for p in find_files(paths)]
    return db.from_sequence(files, npartitions=npartitions or max(1, min(len(files), 64))).map(read_one)


def convert(paths: Iterable[str | os.PathLike[str]], output: str | os.PathLike[str], *, client: Any = None,
            resume: bool = False, npartitions: int | None = None) -> Summary:
    """:func:`govreport.convert`, with the reading done by Dask (``client`` or Dask's default scheduler)."""

    def reader(files: list[Path | str], _jobs: int | None) -> Iterator[Result]:
        bag = read_bag(files, npartitions=npartitions)
        results = client.compute(bag).result() if client is not None else bag.compute()
        return iter(results)

    return _convert(paths, output, resume=resume, reader=reader)
