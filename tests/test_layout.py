"""The apps' import graph: no module imports itself through others (no cycles), and
the shared layers import no content app (`airml`, `search`; `people` nothing above it).

Module-level imports only: an import inside a function is still an import, but the
project keeps those for settings-time and `ready()` registrations.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ["airml", "people", "research", "news", "pages", "search", "importers"]
# Known and not yet untangled: research/models.py imports the models kept beside it
# (the BibTeX import job, the publication inbox) at its end, so that Django registers
# them, and their modules need the import code, which needs the models.
KNOWN_CYCLES = [
    ["research.models", "research.import_jobs", "research.bibtex_import",
     "research.citations", "research.models"],
    ["research.models", "research.import_jobs", "research.bibtex_import", "research.models"],
    ["research.models", "research.inbox", "research.identifiers", "research.models"],
    ["research.models", "research.inbox", "research.models"],
]  # fmt: skip


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def first_party_modules():
    return {module_name(path): path for app in APPS for path in (ROOT / app).rglob("*.py")
            if "migrations" not in path.parts}  # fmt: skip


def module_imports(path, known):
    found = set()
    for node in ast.parse(path.read_text()).body:  # top level only
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in found if name in known}


@pytest.fixture(scope="module")
def graph():
    known = first_party_modules()
    return {name: module_imports(path, known) - {name} for name, path in known.items()}


def test_no_module_imports_itself_through_others(graph):
    cycles, state = [], {}

    def visit(name, stack):
        state[name] = "open"
        for other in sorted(graph[name]):
            if state.get(other) == "open":
                cycles.append(stack[stack.index(other) :] + [other])
            elif other not in state:
                visit(other, [*stack, other])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == KNOWN_CYCLES


@pytest.mark.parametrize(("layer", "forbidden"), [
    ("airml", {"people", "research", "news", "pages", "search", "importers"}),
    ("search", {"people", "research", "news", "pages", "importers"}),
    ("people", {"research", "news", "pages", "importers"}),
    ("research", {"pages", "importers"}),
    ("news", {"importers"}),
])  # fmt: skip
def test_shared_layers_import_no_app_above_them(graph, layer, forbidden):
    above = {(name, other) for name, imports in graph.items()
             if name.split(".")[0] == layer
             for other in imports if other.split(".")[0] in forbidden}  # fmt: skip
    assert above == set()
