"""The layers only point down (ARCHITECTURE: layers).

grimp reads every import statement of jxjy and of the development-only demo app, those inside functions too,
so a cycle cannot hide in a function-local import. `make test` also runs import-linter (`lint-imports`) over
the contracts in pyproject.toml: the layers, core importing no other app, no app importing the demo, and no
cycle at any level.
"""

import ast
import itertools
from pathlib import Path

import grimp
import pytest

import demo
import jxjy


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph("jxjy", "demo", include_external_packages=False)


def app_of(module: str) -> str:
    """jxjy.filings for jxjy.filings.models; demo (one app) for any of its modules."""
    return ".".join(module.split(".")[: 1 if module.split(".")[0] == "demo" else 2])


def strongly_connected(edges: dict[str, set[str]]) -> list[list[str]]:
    """Groups of modules that import each other, directly or through others (Tarjan, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while (member := stack.pop()) != node:
                    on_stack.discard(member)
                    group.append(member)
                on_stack.discard(node)
                group.append(node)
                if len(group) > 1:
                    groups.append(sorted(group))
    return groups


def shown(graph, group: list[str]) -> str:
    """One cycle through the group, each import with its line."""
    first = group[0]
    second = next(m for m in group[1:] if graph.find_shortest_chain(first, m))
    there = graph.find_shortest_chain(first, second)
    back = graph.find_shortest_chain(second, first)
    steps = list(there) + list(back[1:])
    lines = []
    for importer, imported in itertools.pairwise(steps):
        line = graph.get_import_details(importer=importer, imported=imported)[0]
        lines.append(f"  {importer}:{line['line_number']} {line['line_contents']}")
    return "\n".join(lines)


def test_no_import_cycle_among_modules_counting_function_local_imports(graph):
    edges = {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules}
    groups = strongly_connected(edges)
    assert not groups, "import cycles:\n" + "\n\n".join(shown(graph, g) for g in groups)


def test_no_two_apps_import_each_other(graph):
    uses: dict[str, set[str]] = {}
    for importer in graph.modules:
        for imported in graph.find_modules_directly_imported_by(importer):
            if app_of(importer) != app_of(imported):
                uses.setdefault(app_of(importer), set()).add(app_of(imported))
    pairs = [(a, b) for a, b in itertools.combinations(sorted(uses), 2) if b in uses[a] and a in uses.get(b, ())]
    assert not pairs


def test_no_shipped_app_imports_the_demo(graph):
    found = [
        f"{importer}:{d['line_number']} {d['line_contents']}"
        for importer in sorted(graph.find_descendants("jxjy") | {"jxjy"})
        for imported in sorted(graph.find_modules_directly_imported_by(importer))
        if app_of(imported) == "demo"
        for d in graph.get_import_details(importer=importer, imported=imported)
    ]
    assert not found, "jxjy imports the demo:\n" + "\n".join(found)


def test_core_imports_no_other_app(graph):
    found = [
        f"{importer}:{d['line_number']} {d['line_contents']}"
        for importer in sorted(graph.find_descendants("jxjy.core") | {"jxjy.core"})
        for imported in sorted(graph.find_modules_directly_imported_by(importer))
        if app_of(imported) != "jxjy.core"
        for d in graph.get_import_details(importer=importer, imported=imported)
    ]
    assert not found, "jxjy.core imports:\n" + "\n".join(found)


def test_grimp_sees_imports_inside_functions(tmp_path, monkeypatch):
    """What the tests above rest on: an import inside a function is an edge of the graph."""
    package = tmp_path / "probe"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("def later():\n    from probe import b\n    return b\n")
    (package / "b.py").write_text("from probe import a\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    probe = grimp.build_graph("probe", cache_dir=None)
    assert probe.find_modules_directly_imported_by("probe.a") == {"probe.b"}
    assert strongly_connected({m: set(probe.find_modules_directly_imported_by(m)) for m in probe.modules})


# ---- small functions, thin views (ARCHITECTURE: services hold the rules) ----

MAX_FUNCTION_LINES = 40
MAX_VIEW_LINES = 25
# PDF layout functions that may be longer, as "path:name" (at most three; today none needs to be).
LONG_PDF_LAYOUT: frozenset[str] = frozenset()


def functions_of_jxjy():
    """(path relative to the repository, function name, lines from `def` to its last line) of every function and
    method in jxjy/ and demo/, those nested in others too; migrations are not counted."""
    for package in (jxjy, demo):
        root = Path(package.__file__).parent
        for path in sorted(root.rglob("*.py")):
            if "migrations" in path.relative_to(root).parts:
                continue
            name = path.relative_to(root.parent).as_posix()
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=name)):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    yield name, node.name, node.end_lineno - node.lineno + 1


def test_no_function_over_40_lines():
    assert len(LONG_PDF_LAYOUT) <= 3, "at most three PDF layout functions may be longer"
    offenders = [
        f"  {path}:{name} ({lines} lines)"
        for path, name, lines in functions_of_jxjy()
        if lines > MAX_FUNCTION_LINES and f"{path}:{name}" not in LONG_PDF_LAYOUT
    ]
    assert not offenders, f"functions over {MAX_FUNCTION_LINES} lines:\n" + "\n".join(offenders)


def test_views_are_at_most_25_lines():
    offenders = [
        f"  {path}:{name} ({lines} lines)"
        for path, name, lines in functions_of_jxjy()
        if "views" in Path(path).stem and lines > MAX_VIEW_LINES
    ]
    assert not offenders, f"functions of views modules over {MAX_VIEW_LINES} lines:\n" + "\n".join(offenders)
