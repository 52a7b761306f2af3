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

import math
import os
from collections.abc import Iterable, Iterator
from typing import Any

from .batch import find_files
from .conversion import Summary
from .conversion import convert as _convert
from .errors import MissingDependencyError
from .result import Result, read_one
from .settings import ReadOptions


def read_bag(paths: Iterable[str | os.PathLike[str]], *, npartitions: int | None = None,
             options: ReadOptions | None = None) -> Any:
    """A ``dask.bag.Bag`` of :class:`~govreport.batch.Result`, one per file (folders searched recursively).

    By default a partition holds at most :data:`PARTITION_FILES` files, so that what a partition brings
    back to the client stays small however many files there are. ``options`` go with each file to the
    workers.
    """
    try:
        import dask.bag as db
    except ImportError as exc:
        raise MissingDependencyError('Dask is not installed: pip install "govreport[dask]"') from exc
    files = [str(p) for p in find_files(paths)]
    npartitions = npartitions or max(1, math.ceil(len(files) / PARTITION_FILES))
    return db.from_sequence(files, npartitions=npartitions).map(read_one, options=options)


#: Files in one partition of :func:`read_bag`: the client holds one partition's reports at a time.
PARTITION_FILES = 50


def convert(paths: Iterable[str | os.PathLike[str]], output: str | os.PathLike[str], *, client: Any = None,
            resume: bool = False, npartitions: int | None = None, options: ReadOptions | None = None) -> Summary:
    """:func:`govreport.convert`, with the reading done by Dask (``client`` or Dask's default scheduler).

    The partitions are computed on the workers and fetched one at a time, in order, each released once its
    rows are on the client's disk: the client's memory is that of a partition, not of the batch.
    """

    def reader(files: Iterable[str], _jobs: int | None) -> Iterator[Result]:
        partitions = read_bag(files, npartitions=npartitions, options=options).to_delayed()
        if client is None:
            for partition in partitions:
                yield from partition.compute()
            return
        futures = client.compute(partitions)
        for future in futures:
            results = future.result()
            future.release()
            yield from results

    return _convert(paths, output, resume=resume, reader=reader)
