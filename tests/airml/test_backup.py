"""Backup and restore: an identical round trip, and refusal of bad archives."""

import io
import json
import re
import tarfile

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission
from django.core.management import call_command

from airml import backup
from airml.backup import BackupError, create_backup, restore_backup
from news.models import NewsItem
from people.models import Person
from tests.factories import (
    AuthorshipFactory,
    DirectionFactory,
    GroupFactory,
    MenuItemFactory,
    NewsFactory,
    PageFactory,
    PersonFactory,
    PublicationFactory,
    UserFactory,
    image_file,
)

DUMP_ARGS = ["contenttypes", "auth.permission", "sessions", "axes"]


def snapshot():
    out = io.StringIO()
    call_command("dumpdata", exclude=DUMP_ARGS, natural_foreign=True, stdout=out)
    # Django's JSON keeps milliseconds: a time with 0-999 microseconds is written
    # "...:45.000Z" before a round trip and "...:45Z" after it (same instant).
    return json.loads(re.sub(r"(T\d\d:\d\d:\d\d)\.000(?=Z|[+-])", r"\1", out.getvalue()))


def media_snapshot(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def make_content(settings):
    editors = AuthGroup.objects.create(name="Editors")
    editors.permissions.add(Permission.objects.get(codename="change_page"))
    user = UserFactory(is_staff=True)
    user.groups.add(editors)
    group = GroupFactory(name="Lab Members", slug="lab-members")
    person = PersonFactory(groups=[group], user=user, avatar=image_file("ada.png", "PNG"))
    direction = DirectionFactory()
    publication = PublicationFactory()
    publication.directions.add(direction)
    AuthorshipFactory(publication=publication, person=person, name="")
    AuthorshipFactory(publication=publication, name="Outside Author")
    NewsFactory(body='Some **news** with <span class="blue-highlight">markup</span>.')
    PageFactory(slug="positions", body="We are hiring.")
    MenuItemFactory(label="People", url="/people/")
    upload = settings.MEDIA_ROOT / "markdown" / "figure.png"
    upload.parent.mkdir(parents=True, exist_ok=True)
    upload.write_bytes(b"\x89PNG fake bytes")


def wipe(settings):
    call_command("flush", interactive=False, verbosity=0)
    for path in sorted(settings.MEDIA_ROOT.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()


@pytest.mark.django_db(transaction=True)
def test_backup_restore_round_trip_is_identical(settings, tmp_path):
    make_content(settings)
    before, media_before = snapshot(), media_snapshot(settings.MEDIA_ROOT)
    archive = tmp_path / "site.tar.gz"

    manifest = create_backup(archive)
    wipe(settings)
    assert Person.objects.count() == 0 and media_snapshot(settings.MEDIA_ROOT) == {}
    restored = restore_backup(archive)

    assert manifest["objects"] == len(before) == restored["objects"]
    assert manifest["media_files"] == 2  # the avatar and the Markdown upload
    assert snapshot() == before
    assert media_snapshot(settings.MEDIA_ROOT) == media_before
    person = Person.objects.get()
    assert person.user.groups.get().permissions.get().codename == "change_page"
    assert (settings.MEDIA_ROOT / person.avatar.name).is_file()
    # Sequences continue after the restored rows.
    assert NewsFactory().pk > NewsItem.objects.order_by("pk").first().pk


@pytest.mark.django_db(transaction=True)
def test_commands_round_trip(settings, tmp_path):
    make_content(settings)
    before = snapshot()
    archive = tmp_path / "backups"
    archive.mkdir()

    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)
    written = next(archive.glob("airml-backup-*.tar.gz"))
    wipe(settings)
    call_command("restore", str(written), stdout=out)

    assert snapshot() == before
    assert "Restored" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_with_content(settings, tmp_path):
    make_content(settings)
    archive = tmp_path / "site.tar.gz"
    create_backup(archive)

    with pytest.raises(BackupError, match="already holds content"):
        restore_backup(archive)


@pytest.mark.django_db(transaction=True)
def test_restore_replace_swaps_content_in_one_go(settings, tmp_path):
    make_content(settings)
    before = snapshot()
    archive = tmp_path / "site.tar.gz"
    create_backup(archive)
    NewsFactory(title="Written after the backup")

    restore_backup(archive, replace=True)

    assert snapshot() == before


def write_archive(path, members):
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            if data is None:
                info.type = tarfile.SYMTYPE
                info.linkname = "/etc/passwd"
                tar.addfile(info)
            else:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    return path


GOOD = {"manifest.json": json.dumps({"format": 1}).encode(), "db.json": b"[]"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"media/../../evil.txt": b"x"}, "unsafe path"),
        ({"/etc/evil": b"x"}, "unsafe path"),
        ({"media/link": None}, "link or special file"),
        ({"other.txt": b"x"}, "Unexpected file"),
    ],
)
def test_restore_refuses_hostile_archives(settings, tmp_path, extra, message):
    archive = write_archive(tmp_path / "bad.tar.gz", {**GOOD, **extra})

    with pytest.raises(BackupError, match=message):
        restore_backup(archive)

    assert not (tmp_path / "evil.txt").exists()
    assert not settings.MEDIA_ROOT.exists() or media_snapshot(settings.MEDIA_ROOT) == {}


@pytest.mark.django_db
def test_restore_refuses_what_is_not_a_backup(tmp_path):
    not_gzip = tmp_path / "notes.tar.gz"
    not_gzip.write_text("hello")
    no_data = write_archive(tmp_path / "nodata.tar.gz", {"manifest.json": GOOD["manifest.json"]})
    wrong_format = write_archive(
        tmp_path / "v9.tar.gz", {**GOOD, "manifest.json": b'{"format": 9}'}
    )

    with pytest.raises(BackupError, match="Not a readable"):
        restore_backup(not_gzip)
    with pytest.raises(BackupError, match="db.json is missing"):
        restore_backup(no_data)
    with pytest.raises(BackupError, match="Unsupported backup format"):
        restore_backup(wrong_format)
    with pytest.raises(BackupError, match="No backup archive"):
        restore_backup(tmp_path / "missing.tar.gz")


@pytest.mark.django_db(transaction=True)
def test_failed_restore_changes_nothing(settings, tmp_path):
    bad_data = json.dumps(
        [
            {"model": "pages.newsitem", "pk": 1, "fields": {"title": "ok", "slug": "ok",
             "date": "2024-01-01"}},
            {"model": "pages.newsitem", "pk": 2, "fields": {"no_such_field": 1}},
        ]
    ).encode()  # fmt: skip
    archive = write_archive(
        tmp_path / "half.tar.gz",
        {**GOOD, "db.json": bad_data, "media/markdown/new.png": b"png"},
    )

    with pytest.raises(Exception):  # noqa: B017 (loaddata's own error type)
        restore_backup(archive)

    assert NewsItem.objects.count() == 0
    assert not (settings.MEDIA_ROOT / "markdown" / "new.png").exists()


@pytest.mark.django_db
def test_restore_refuses_a_member_over_the_file_limit(settings, tmp_path):
    settings.RESTORE_MAX_FILE_BYTES = 1024 * 1024
    bomb = write_archive(tmp_path / "bomb.tar.gz", {**GOOD, "media/big.bin": bytes(2 * 1024**2)})
    assert bomb.stat().st_size < 20_000  # small archive, big file

    with pytest.raises(BackupError, match="per file"):
        restore_backup(bomb)

    assert not settings.MEDIA_ROOT.exists() or media_snapshot(settings.MEDIA_ROOT) == {}


@pytest.mark.django_db
def test_restore_refuses_archives_over_the_total_limit(settings, tmp_path):
    settings.RESTORE_MAX_TOTAL_BYTES = 1024 * 1024
    many = {f"media/part{i}.bin": bytes(400 * 1024) for i in range(3)}
    archive = write_archive(tmp_path / "many.tar.gz", {**GOOD, **many})

    with pytest.raises(BackupError, match="DJANGO_RESTORE_MAX_TOTAL_MB"):
        restore_backup(archive)

    assert not settings.MEDIA_ROOT.exists() or media_snapshot(settings.MEDIA_ROOT) == {}


@pytest.mark.django_db
def test_restore_refuses_archives_larger_than_the_free_disk(settings, tmp_path, monkeypatch):
    archive = write_archive(tmp_path / "site.tar.gz", {**GOOD, "media/a.bin": bytes(1024)})
    real = backup.shutil.disk_usage

    def nearly_full(path):
        return real(path)._replace(free=10 * 1024 * 1024)  # under the 50 MB margin

    monkeypatch.setattr(backup.shutil, "disk_usage", nearly_full)

    with pytest.raises(BackupError, match="free"):
        restore_backup(archive)

    assert not settings.MEDIA_ROOT.exists() or media_snapshot(settings.MEDIA_ROOT) == {}


@pytest.mark.django_db
def test_restore_summary_counts_what_was_really_written(settings, tmp_path):
    manifest = json.dumps({"format": 1, "objects": 40, "media_files": 6}).encode()
    rows = json.dumps(
        [{"model": "pages.newsitem", "pk": 1,
          "fields": {"title": "One", "slug": "one", "date": "2024-01-01",
                     "created": "2024-01-01T00:00:00Z", "modified": "2024-01-01T00:00:00Z"}}]
    ).encode()  # fmt: skip
    archive = write_archive(
        tmp_path / "liar.tar.gz",
        {"manifest.json": manifest, "db.json": rows, "media/markdown/only.png": b"png"},
    )
    out, err = io.StringIO(), io.StringIO()

    call_command("restore", str(archive), stdout=out, stderr=err)

    assert "Restored 1 objects and 1 media files" in out.getvalue()
    assert "claimed 40 objects and 6 media files" in err.getvalue()
    assert media_snapshot(settings.MEDIA_ROOT) == {"markdown/only.png": b"png"}
    assert NewsItem.objects.get().title == "One"


@pytest.mark.django_db(transaction=True)
def test_a_backup_made_before_news_moved_restores_under_news(settings, tmp_path):
    """Archives from before the move name `pages.newsitem` (rows, content-type keys
    and the JSON inside stored versions): restored, they are news items."""
    make_content(settings)
    archive, old_archive = tmp_path / "site.tar.gz", tmp_path / "old.tar.gz"
    create_backup(archive)
    before = snapshot()
    with tarfile.open(archive) as tar, tarfile.open(old_archive, "w:gz") as old:
        for member in tar.getmembers():
            data = tar.extractfile(member).read() if member.isfile() else None
            if member.name == backup.DATA:
                data = data.replace(b'"news.newsitem"', b'"pages.newsitem"')
                data = data.replace(b'["news", "newsitem"]', b'["pages", "newsitem"]')
                member.size = len(data)
            old.addfile(member, io.BytesIO(data) if data is not None else None)
    with tarfile.open(old_archive) as old:
        assert b'"pages.newsitem"' in old.extractfile(backup.DATA).read()
    wipe(settings)

    restore_backup(old_archive)

    assert snapshot() == before
    assert "markup" in NewsItem.objects.get().body
