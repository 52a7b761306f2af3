"""The code's own checks, run with the tests: ruff (lint, import order) and mypy (types, with the config in
pyproject.toml and the stub packages of the ``dev`` extra that the README's test command installs)."""

from __future__ import annotations

import ast
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


def _official_labels() -> set[str]:
    from govreport import schema

    labels = {text for s in schema.SECTIONS for text in (s.heading, *s.names)}
    labels |= {r.label for r in (*schema.T2_ROWS.values(), *schema.T3_ROWS.values())}
    labels |= {c.label for c in (*schema.T3_COLUMNS, *schema.T4_COLUMNS)}
    labels |= {c.label for edition in schema.T2_COLUMNS.values() for c in edition.values()}
    labels |= {label for label, _ in schema.T3_GROUPS.values()} | {label for _, label in schema.T4_GROUPS}
    labels |= {schema.T3_CAPTION, schema.T3_APPLICANT_HEADER, *schema.T3_LEGAL_PERSON_HEADERS,
               schema.T2_HEADER_LABEL, schema.T4_LITIGATION_HEADER}
    return {label for label in labels if len(label) >= 4}  # 规章, 总计 … are words of prose as well


def _strings_outside_docstrings(tree: ast.Module) -> list[ast.Constant]:
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [node for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def test_labels_are_spelled_only_in_the_schema():
    """A table or section label written into the code anywhere but the schema is a second copy to keep in
    step: readers, the decoder, checks and writers take them from govreport.schema."""
    labels = _official_labels()
    found = []
    for path in sorted((ROOT / "govreport").rglob("*.py")):
        if path.name in ("schema.py", "rules.py"):
            continue
        for node in _strings_outside_docstrings(ast.parse(path.read_text(encoding="utf-8"))):
            found += [f"{path.relative_to(ROOT)}:{node.lineno}: {label}" for label in labels if label in node.value]
    assert not found, "\n".join(found)


def _imports() -> dict[str, set[str]]:
    """Each module of the package and the package modules it imports, anywhere in it (at the top, inside
    functions, for type checking only)."""
    files = {}
    for path in (ROOT / "govreport").rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        files[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                target = ".".join(package[: len(package) - node.level + 1] + ([node.module] if node.module else []))
                found |= {f"{target}.{a.name}" if f"{target}.{a.name}" in files else target for a in node.names}
        graph[name] = {m for m in found if m in files and m != name}
    return graph


def test_no_module_imports_itself_round_about():
    graph = _imports()

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            module = todo.pop()
            if module == goal:
                return True
            if module not in seen:
                seen.add(module)
                todo += graph[module]
        return False

    cycles = sorted(f"{a} ⇄ {b}" for a in graph for b in graph[a] if reaches(b, a))
    assert not cycles, "\n".join(cycles)


def test_readers_know_nothing_of_the_report_format():
    format_modules = ("govreport.schema", "govreport.layout", "govreport.assemble", "govreport.decoding",
                      "govreport.body", "govreport.grids")
    graph = _imports()
    found = [f"{reader} imports {module}" for reader in graph if reader.startswith("govreport.readers")
             for module in graph[reader] if module.startswith(format_modules)]
    assert not found, "\n".join(found)


def test_every_function_can_be_held_in_the_head():
    """radon's grade C at worst (cyclomatic complexity up to 20) for every function of the package."""
    if importlib.util.find_spec("radon") is None:
        pytest.fail('radon is missing: install the dev extra (python -m pip install -e ".[dev]")')
    done = subprocess.run([sys.executable, "-m", "radon", "cc", "--min", "D", "--show-complexity", "govreport"],
                          cwd=ROOT, capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


def test_importing_the_package_compiles_no_regular_expression():
    # Compiling govreport's patterns was a third of `import govreport`; module-level patterns are declared
    # with govreport.lazyre.lazy_compile and compile on first use.
    probe = (
        "import re, sys\n"
        "compiled = []\n"
        "original = re.compile\n"
        "def compile(pattern, flags=0):\n"
        "    caller = sys._getframe(1).f_code.co_filename\n"
        "    if 'govreport' in caller and not caller.endswith('lazyre.py'):\n"
        "        compiled.append(caller)\n"
        "    return original(pattern, flags)\n"
        "re.compile = compile\n"
        "import govreport, govreport.readers, govreport.cli\n"
        "print(sorted(set(compiled)))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
