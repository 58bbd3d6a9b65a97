"""How the code is laid out: no import cycle between the app's modules (function-level imports
included, since a lazy import only hides a cycle), no assert used for validation, which
`python -O` removes, and no module or function past the size one reads at a glance."""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "checklists"


def module_name(path):
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules():
    return {module_name(path): path for path in APP.rglob("*.py") if "migrations" not in path.parts}


def imported(name, path, known):
    """The app's modules that `path` imports anywhere in it."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            target = ".".join(filter(None, [base, node.module])) if node.level else node.module or ""
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                found.add(candidate if candidate in known else target)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {module for module in found if module in known and module != name}


def cycles(graph):
    """Each cycle found by a depth-first walk, as the list of modules around it."""
    found, state, stack = [], {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for neighbour in sorted(graph[node]):
            if state.get(neighbour) == "open":
                found.append(stack[stack.index(neighbour):] + [neighbour])
            elif neighbour not in state:
                visit(neighbour)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


def package_edges_ok(cycle):
    """A package's __init__ re-exporting its submodules, imported by them through the package only
    for a sibling, is not a cycle of the code's design: the walk goes through the package itself."""
    return all(a.startswith(b + ".") or b.startswith(a + ".") for a, b in zip(cycle, cycle[1:]))


def test_no_import_cycle_between_the_apps_modules():
    known = modules()
    graph = {name: imported(name, path, known) for name, path in known.items()}
    found = [" → ".join(cycle) for cycle in cycles(graph) if not package_edges_ok(cycle)]
    assert not found, "\n".join(found)


def test_no_assert_in_the_apps_code():
    asserting = [f"{path.relative_to(APP.parent)}:{node.lineno}" for path in modules().values()
                 for node in ast.walk(ast.parse(path.read_text())) if isinstance(node, ast.Assert)
                 and path.name != "bench.py"]
    assert not asserting, asserting


def test_no_module_over_450_lines():
    long = {str(path.relative_to(APP.parent)): count for path in modules().values()
            if (count := len(path.read_text().splitlines())) > 450}
    assert not long, long


def test_no_function_over_60_lines():
    long = []
    for path in APP.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno >= 60:
                long.append(f"{path.relative_to(APP.parent)}:{node.name} ({node.end_lineno - node.lineno + 1})")
    assert not long, long
