"""`manage.py import_bibtex FILE [--dry-run]`: a line per entry, exit 1 on errors."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from research.models import Publication

pytestmark = pytest.mark.django_db
EDGE = Path(__file__).parent / "bib" / "roundtrip_edge.bib"
GOOD = """@article{good2020, title = {Good}, author = {Doe, Jane}, year = 2020, volume = {4}}
@misc{good2021, title = {Also Good}, year = 2021}
"""


def _run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_bibtex", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_writes_a_line_per_entry_and_the_fields(tmp_path):
    path = tmp_path / "good.bib"
    path.write_text(GOOD)

    out, _err = _run(path)

    assert out.splitlines() == [
        "line 1      new       good2020: Good",
        "line 2      new       good2021: Also Good",
        "imported: 2 new, 0 updated, 0 unchanged, 0 with errors",
    ]
    assert Publication.objects.get(slug="good2020").volume == "4"


def test_dry_run_writes_nothing(tmp_path):
    path = tmp_path / "good.bib"
    path.write_text(GOOD)

    out, _err = _run(path, "--dry-run")

    assert out.splitlines()[-1] == "would import: 2 new, 0 updated, 0 unchanged, 0 with errors"
    assert not Publication.objects.exists()


def test_errors_exit_non_zero_after_importing_the_good_entries():
    out = io.StringIO()

    with pytest.raises(CommandError) as failed:
        call_command("import_bibtex", str(EDGE), stdout=out, stderr=io.StringIO())

    assert failed.value.returncode == 1
    assert "duplicate key 'macro2020'" in out.getvalue()
    assert Publication.objects.count() == 9


def test_an_unreadable_file_is_a_clear_error(tmp_path):
    path = tmp_path / "latin1.bib"
    path.write_bytes("@misc{x, title={Caf\xe9}, year=2020}".encode("latin-1"))

    with pytest.raises(CommandError, match="cannot read"):
        _run(path)
