"""The ``govreport`` command.

    govreport read FILE|URL [--json]    a summary of the report, or all of it as JSON
    govreport validate FILE...          the findings of every file, errors first
    govreport write FILE -o OUT         one report to the official Excel (.xlsx) or Word (.docx) layout
    govreport template -o blank.xlsx    an empty workbook (or .docx) of the official tables to fill in
    govreport fill workbook.xlsx -o report.docx
                                        a filled workbook to the Word report
    govreport compare OLD NEW [-o diff.xlsx|.html|.docx]
                                        two reports side by side: cells, texts, carry-over checks
    govreport convert PATHS... -o reports.xlsx [--jobs N] [--resume] [--urls FILE] [--cache DIR]
                                        files, folders and URLs of reports to one audit workbook (.xlsx)
                                        or table (.csv, .jsonl, .parquet)

Exit status: 0 when everything was read (and, for ``validate``, no error finding); 1 when some file could not
be read (``convert``) or a report has error findings (``validate``); 2 when the input or output is unusable
(an unreadable file for ``read``/``write``/``validate``, an output that cannot be written, nothing to do).
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

from . import progress
from ._version import __version__
from .errors import GovReportError, UnreadableFileError
from .flatten import flatten
from .model import Metadata, Report
from .reading import read
from .schema import EDITIONS
from .serialize import finding_to_dict, report_to_dict
from .urls import is_url
from .validate import validate

if TYPE_CHECKING:
    from .result import Result

# Commands import what only they need (the batch machinery, openpyxl, python-docx) when they run: a
# one-file `govreport read` starts in a fraction of the time.


def run() -> None:
    """The installed ``govreport`` command and ``python -m govreport``: :func:`main`, then the process ends."""
    status = main()
    # The process ends here. Python's last collections at exit would walk every object the run built
    # (the label tables, the classes, the report: ~25 ms for a one-file read, a tenth of the command)
    # only to free memory the system takes back anyway; frozen objects are left out of them.
    gc.freeze()
    sys.exit(status)


def _read_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="a report file or an http(s) URL")
    p.add_argument("--cache", metavar="DIR", help="keep fetched pages here; a rerun fetches nothing")
    p.add_argument("--json", action="store_true", help="print the whole report as JSON")
    p.add_argument("--flat", action="store_true", help="print the flat keys of fields.csv as JSON")


def _validate_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="+")
    p.add_argument("--errors-only", action="store_true", help="print error findings only")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="text for people, json for programs (one finding a line)")
    p.add_argument("--json", action="store_const", const="json", dest="format", help="--format json")


def _write_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file")
    p.add_argument("-o", "--output", required=True, help="the file to write (.xlsx or .docx)")


def _template_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--edition", choices=EDITIONS, default="2021", help="edition of the tables (2021)")
    p.add_argument("--table3-edition", choices=EDITIONS, default=None,
                   help="a different edition for table 3 (mixed reports)")
    p.add_argument("-o", "--output", required=True, help="the file to write (.xlsx or .docx)")


def _fill_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("workbook")
    p.add_argument("-o", "--output", required=True, help="the Word file to write (.docx)")


def _compare_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("old")
    p.add_argument("new")
    p.add_argument("-o", "--output", help="diff.xlsx, diff.html or diff.docx (else a summary is printed)")


def _convert_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", help="report files, folders (searched recursively) and URLs")
    p.add_argument("--urls", metavar="FILE", help="a text file of URLs to read, one a line")
    p.add_argument("--cache", metavar="DIR", help="keep fetched pages here; a rerun fetches nothing")
    p.add_argument("-o", "--output", required=True, help="reports.xlsx, .csv, .jsonl or .parquet")
    p.add_argument("--jobs", type=int, default=None, help="processes to read with (default: all cores)")
    p.add_argument("--resume", action="store_true", help="skip files the output already holds")
    p.add_argument("--hierarchy", metavar="CSV",
                   help="parent,child agency pairs: check each parent's totals against its children's")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")


#: Each command: its help line, and what adds its arguments.
_COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]] = {
    "read": ("read one report and print a summary (or JSON)", _read_arguments),
    "validate": ("check reports against the rules of the format", _validate_arguments),
    "write": ("write one report as .xlsx or .docx", _write_arguments),
    "template": ("write the empty official tables to fill in", _template_arguments),
    "fill": ("turn a filled workbook into the Word report", _fill_arguments),
    "compare": ("compare two reports (a unit's two years): cells, texts, findings", _compare_arguments),
    "convert": ("convert files and folders of reports to one table", _convert_arguments),
}


def _parser(argv: Sequence[str]) -> argparse.ArgumentParser:
    """The command line's parser. When the first argument names a command, only that command's arguments
    are set up (all seven cost a one-file read ~5 ms, a fiftieth of it); otherwise all are, for the help
    and the error that lists them."""
    parser = argparse.ArgumentParser(
        prog="govreport", description="政府信息公开工作年度报告: read, check, convert.",
        epilog="exit status: 0 all read and clean; 1 some file failed (convert) or error findings (validate); "
               "2 unusable input or output")
    parser.add_argument("--version", action="version", version=f"govreport {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    chosen = argv[0] if argv and argv[0] in _COMMANDS else None
    for name, (help_line, add_arguments) in _COMMANDS.items():
        if chosen in (None, name):
            add_arguments(commands.add_parser(name, help=help_line))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: the process's arguments) and return the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = _parser(argv)
    args = parser.parse_args(argv)
    try:
        if args.command == "convert":
            return _convert(args)
        with _reading_progress(sys.stderr.isatty()):
            return _single(args)
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 1


def _single(args: argparse.Namespace) -> int:
    """The commands that read one report at a time."""
    if args.command == "read":
        return _read(args.file, as_json=args.json, flat=args.flat, cache=args.cache)
    if args.command == "validate":
        return _validate(args.files, as_json=args.format == "json", errors_only=args.errors_only)
    if args.command == "compare":
        return _compare(args.old, args.new, args.output)
    if args.command == "template":
        report = Report(Metadata(table2_edition=args.edition, table3_edition=args.table3_edition or args.edition))
        return _write(report, args.output)
    source = args.file if args.command == "write" else args.workbook
    try:
        report = read(source)
    except GovReportError as exc:
        print(f"govreport: {exc}", file=sys.stderr)
        return 2
    return _write(report, args.output)


def _reading_progress(show: bool) -> AbstractContextManager[None]:
    """Progress bars on the terminal for reads that take seconds (OCR by page, LibreOffice)."""
    if not show:
        return nullcontext()
    from tqdm import tqdm

    bars: dict[str, tqdm] = {}

    def update(what: str, done: int, total: int) -> None:
        bar = bars.get(what)
        if bar is None:
            bar = bars[what] = tqdm(total=total, desc=what, unit="page" if what == "OCR" else "step",
                                    leave=False, file=sys.stderr, dynamic_ncols=True)
        bar.update(done - bar.n)
        if done >= total:
            bars.pop(what).close()

    return progress.listen(update)


def _read(path: str, *, as_json: bool, flat: bool, cache: str | None = None) -> int:
    try:
        report = read(path, cache=cache)
    except GovReportError as exc:
        print(f"govreport: {exc}", file=sys.stderr)
        return 2
    if as_json or flat:
        import json

        data = flatten(report) if flat else report_to_dict(report)
        print(json.dumps(data, ensure_ascii=False, indent=1, default=str))
        return 0
    print(summary(report))
    return 0


def summary(report: Report) -> str:
    """A few lines a person can read: who, which year, editions, table totals, finding counts."""
    meta = report.meta
    lines = [
        f"{report.source.path}  [{report.source.format}]",
        f"  title     {meta.title or '-'}",
        f"  agency    {meta.agency or '-'}    year {meta.year or '-'}"
        f"    published {meta.published.isoformat() if meta.published else '-'}",
        f"  editions  table 2: {meta.table2_edition or '-'}   table 3: {meta.table3_edition or '-'}",
    ]
    for key, label in (("t3.new_received.total", "applications received"),
                       ("t3.total_processed.total", "applications processed"),
                       ("t4.review.total", "administrative reviews"),
                       ("t4.litigation_direct.total", "lawsuits (direct)")):
        lines.append(f"  {label:24} {_show(report.value(key))}")
    found = [name for name in ("overview", "active_disclosure", "applications", "review_litigation",
                               "problems", "other_matters") if report.sections.get(name) is not None]
    lines.append(f"  sections  {len(found)}/6 found")
    findings = validate(report)
    errors = sum(1 for f in findings if f.severity == "error")
    lines.append(f"  findings  {errors} error(s), {len(findings) - errors} warning(s)")
    return "\n".join(lines)


def _convert(args: argparse.Namespace) -> int:
    from .conversion import convert
    from .crosscheck import load_hierarchy

    bar = not args.no_progress and sys.stderr.isatty()
    try:
        paths = [*args.paths, *_urls_in(args.urls)] if args.urls else list(args.paths)
        if not paths:
            raise GovReportError("nothing to convert: give files, folders or URLs (or --urls FILE)")
        hierarchy = load_hierarchy(args.hierarchy) if args.hierarchy else None
        summary = convert(paths, args.output, jobs=args.jobs, resume=args.resume, cache=args.cache,
                          progress=bar, on_result=lambda result: _announce(result, bar), hierarchy=hierarchy)
    except GovReportError as exc:
        print(f"govreport: {exc}", file=sys.stderr)
        return 2
    print(summary.describe())
    return 1 if summary.failed else 0


def _compare(old: str, new: str, output: str | None) -> int:
    from .comparison import compare
    from .writers.comparison import write_comparison

    try:
        comparison = compare(old, new)
        if output:
            print(f"wrote {write_comparison(comparison, output)}")
            return 0
    except GovReportError as exc:
        print(f"govreport: {exc}", file=sys.stderr)
        return 2
    print(f"old  {comparison.old.meta.agency or '-'} {comparison.old.meta.year or '-'}  ({old})")
    print(f"new  {comparison.new.meta.agency or '-'} {comparison.new.meta.year or '-'}  ({new})")
    changed = comparison.changed_cells
    print(f"cells  {len(changed)} of {len(comparison.cells)} differ")
    for cell in changed:
        print(f"  {cell.label}: {_show(cell.old)} → {_show(cell.new)}")
    for section in comparison.sections:
        share = "-" if section.repeated is None else f"{section.repeated:.0%}"
        print(f"text   {section.name}: {share} of the new text repeats the old")
    for finding in comparison.carry_over:
        print(f"check  {finding.rule}: {finding.message}")
    return 0


def _announce(result: Result, bar: bool) -> None:
    """One line, as it happens, for each file that failed or has error findings."""
    if result.ok:
        errors = sum(1 for f in result.findings if f.severity == "error")
        if not errors:
            return
        first = next(f for f in result.findings if f.severity == "error")
        line = f"{result.path}: {errors} error(s): {first.message}"
    else:
        line = f"{result.path}: cannot read: {result.error}"
    if bar:
        from tqdm import tqdm

        tqdm.write(line)
    else:
        print(line, flush=True)


def _urls_in(listing: str) -> list[str]:
    """The URLs of a list file: one a line; blank lines and lines starting with # are skipped."""
    try:
        lines = Path(listing).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UnreadableFileError(f"cannot read the URL list ({exc})", listing) from exc
    urls = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    wrong = [u for u in urls if not is_url(u)]
    if wrong:
        raise GovReportError(f"not an http(s) URL: {wrong[0]!r}", listing)
    return urls


def _write(report: Report, output: str) -> int:
    from .writers import write

    try:
        path = write(report, output)
    except GovReportError as exc:
        print(f"govreport: {exc}", file=sys.stderr)
        return 2
    errors = sum(1 for f in validate(report) if f.severity == "error")
    note = f" ({errors} error finding(s); run `govreport validate`)" if errors else ""
    print(f"wrote {path}{note}")
    return 0


def _show(value: object) -> str:
    return "blank" if value is None else str(value)


def _validate(paths: Sequence[str], *, as_json: bool, errors_only: bool = False) -> int:
    import json

    any_error = False
    any_failure = False
    for path in paths:
        try:
            report = read(path)
        except GovReportError as exc:
            any_failure = True
            if as_json:
                print(json.dumps({"file": path, "error": str(exc)}, ensure_ascii=False))
            else:
                print(f"{path}: cannot read: {exc.detail}")
            continue
        findings = sorted(validate(report), key=lambda f: f.severity != "error")  # errors first, in order
        errors = sum(1 for f in findings if f.severity == "error")
        any_error |= errors > 0
        shown = findings[:errors] if errors_only else findings
        if as_json:
            for finding in shown:
                print(json.dumps({"file": path, **finding_to_dict(finding)}, ensure_ascii=False))
            continue
        print(f"{path}: {errors} error(s), {len(findings) - errors} warning(s)")
        for finding in shown:
            print(f"  {finding.severity:7} {finding.rule:13} {finding.message}")
    if any_failure:
        return 2
    return 1 if any_error else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
