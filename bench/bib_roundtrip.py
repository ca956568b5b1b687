"""Fidelity of the BibTeX round trip over the real fixture `cite.bib` files.

Each distinct `cite.bib` under ../shared/fixtures/hugo-sites is imported through the
shared plan/apply path (research.bibtex_import), exported as `/publications.bib`
writes it (each publication's generated `bibtex_export`), and compared field by field
with ../shared/tools/bib_fidelity.py. Every file runs in a rolled-back transaction,
so files never match each other's publications.

Run: `.venv/bin/python bench/bib_roundtrip.py [-v]` (throwaway SQLite database).
"""

import contextlib
import hashlib
import importlib.util
import io
import os
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("AIRML_SHARED", ROOT.parent / "shared"))
FIXTURES = SHARED / "fixtures" / "hugo-sites"
TOOL = SHARED / "tools" / "bib_fidelity.py"
SUMMARY = re.compile(r"(\d+) entries, (\d+) matched, (\d+) lost, (\d+) changed, (\d+) invented")


def fixture_bibs():
    """The distinct cite.bib files (several sites ship copies of the same entry)."""
    seen, out = set(), []
    for path in sorted(FIXTURES.rglob("cite.bib")):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest not in seen:
            seen.add(digest)
            out.append(path)
    return out


def load_tool():
    spec = importlib.util.spec_from_file_location("bib_fidelity", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def export_text(publications):
    return "\n".join(p.bibtex_export for p in publications)


def round_trip(source_text, tool=None):
    """(totals dict, tool output) for one source text: import, export, compare."""
    from django.db import transaction

    from research.bibtex_import import import_bibtex
    from research.models import Publication

    tool = tool or load_tool()
    with transaction.atomic():
        entries, _counts = import_bibtex(source_text)
        pks = [e.publication.pk for e in entries if e.publication is not None]
        exported = export_text(Publication.objects.filter(pk__in=pks).order_by("pk"))
        transaction.set_rollback(True)
    with tempfile.TemporaryDirectory() as tmp:
        src, exp = Path(tmp, "source.bib"), Path(tmp, "export.bib")
        src.write_text(source_text, encoding="utf-8")
        exp.write_text(exported, encoding="utf-8")
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            tool.main(str(src), str(exp))
    text = out.getvalue()
    entries_n, matched, lost, changed, invented = map(int, SUMMARY.search(text).groups())
    totals = {"entries": entries_n, "matched": matched, "lost": lost, "changed": changed,
              "invented": invented}  # fmt: skip
    return totals, text


def run(paths, verbose=False):
    tool = load_tool()
    totals = {"files": 0, "entries": 0, "matched": 0, "lost": 0, "changed": 0, "invented": 0}
    lines = []
    for path in paths:
        result, text = round_trip(path.read_text(encoding="utf-8"), tool)
        totals["files"] += 1
        for name, value in result.items():
            totals[name] += value
        lines += [f"{path.relative_to(FIXTURES)}: {line}" for line in text.splitlines()[:-1]]
    return totals, lines


def main():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "airml.settings_test")
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{tempfile.mkdtemp()}/roundtrip.sqlite3"
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    totals, lines = run(fixture_bibs())
    if "-v" in sys.argv:
        print("\n".join(lines))
    kinds = {}
    for line in lines:
        match = re.search(r": (LOST|CHANGED|INVENTED) [^.]+\.(\w+)|: (CHANGED) \S+ (type)", line)
        if match:
            kind = (match.group(1) or match.group(3), match.group(2) or match.group(4))
            kinds[kind] = kinds.get(kind, 0) + 1
    top = sorted(kinds.items(), key=lambda kv: -kv[1])[:12]
    print("by field: " + ", ".join(f"{k.lower()} {f} {n}" for (k, f), n in top))
    print("{files} files, {entries} entries, {matched} matched, {lost} lost, {changed} changed, "
          "{invented} invented".format(**totals))  # fmt: skip
    return 0 if not (totals["lost"] or totals["changed"] or totals["invented"]) else 1


if __name__ == "__main__":
    sys.exit(main())
