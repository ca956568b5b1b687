"""Backup and restore of the whole site: database content and uploaded media.

A backup is one `.tar.gz` holding `manifest.json`, `db.json` (Django `dumpdata`
with natural foreign keys, so it loads into any fresh database of either engine)
and `media/...` (every uploaded file). Restoring loads it into a migrated, empty
database in one transaction and writes the files under MEDIA_ROOT only: a bad or
hostile archive changes nothing. An archive whose files are larger than
settings.RESTORE_MAX_FILE_BYTES, larger together than RESTORE_MAX_TOTAL_BYTES, or
larger than the free disk is refused before anything is written (a small archive
can unpack to gigabytes). The summary counts what was really loaded and written,
not what the archive's manifest claims.
"""

import io
import json
import shutil
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.core.management.sql import emit_post_migrate_signal, sql_flush
from django.db import DEFAULT_DB_ALIAS, connections, transaction

FORMAT = 1
# Rebuilt by `migrate` (content types, permissions) or not worth keeping (sessions,
# login-attempt records); everything else is content and is kept.
EXCLUDE = ["contenttypes", "auth.permission", "sessions", "axes"]
MANIFEST = "manifest.json"
DATA = "db.json"
MEDIA = "media"


# Room left free on the disks a restore writes to, beyond what it writes.
DISK_MARGIN = 50 * 1024 * 1024


class BackupError(CommandError):
    pass


def _mb(size):
    return f"{size / 1024 / 1024:.1f} MB"


def check_sizes(members, disks):
    """Refuse members or a total over the limits, or more than the disks can take.

    `disks` lists the directories the total is written to (once each); two on one
    file system need twice the room there.
    """
    file_limit = settings.RESTORE_MAX_FILE_BYTES
    total_limit = settings.RESTORE_MAX_TOTAL_BYTES
    total = 0
    for member in members.values():
        if member.size > file_limit:
            raise BackupError(
                f"Refusing {member.name!r}: it unpacks to {_mb(member.size)}, more than "
                f"the limit of {_mb(file_limit)} per file (DJANGO_RESTORE_MAX_FILE_MB)."
            )
        total += member.size
    if total > total_limit:
        raise BackupError(
            f"Refusing the archive: it unpacks to {_mb(total)}, more than the limit of "
            f"{_mb(total_limit)} (DJANGO_RESTORE_MAX_TOTAL_MB)."
        )
    needed = {}
    for directory in disks:
        device = _existing(directory).stat().st_dev
        where, times = needed.get(device, (directory, 0))
        needed[device] = (where, times + 1)
    for where, times in needed.values():
        free = shutil.disk_usage(_existing(where)).free
        if total * times + DISK_MARGIN > free:
            raise BackupError(
                f"Refusing the archive: it unpacks to {_mb(total * times)} on the disk of "
                f"{where}, which has only {_mb(free)} free."
            )
    return total


def _existing(directory):
    path = Path(directory)
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def _excluded(model):
    label = model._meta.app_label
    return label in EXCLUDE or model._meta.label_lower in EXCLUDE


def content_models():
    return [m for m in apps.get_models() if not _excluded(m) and m._meta.managed]


def dump_database(path, using=DEFAULT_DB_ALIAS):
    """Write the database content to `path` from one consistent snapshot."""
    connection = connections[using]
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        call_command(
            "dumpdata",
            exclude=EXCLUDE,
            natural_foreign=True,
            use_base_manager=True,
            output=str(path),
            database=using,
            verbosity=0,
        )


def media_files(media_root):
    root = Path(media_root)
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def create_backup(destination, using=DEFAULT_DB_ALIAS):
    """Write a backup archive to `destination`.

    Returns the manifest. The archive appears only when complete.
    """
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="airml-backup-") as tmp:
        data_path = Path(tmp) / DATA
        dump_database(data_path, using=using)
        files = media_files(media_root)
        manifest = {
            "format": FORMAT,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "django": django.get_version(),
            "database_vendor": connections[using].vendor,
            "objects": len(json.loads(data_path.read_text())),
            "media_files": len(files),
        }
        archive_path = Path(tmp) / "backup.tar.gz"
        with tarfile.open(archive_path, "w:gz") as tar:
            _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2).encode())
            tar.add(data_path, arcname=DATA, recursive=False)
            for path in files:
                rel = path.relative_to(media_root).as_posix()
                tar.add(path, arcname=f"{MEDIA}/{rel}", recursive=False)
        destination = Path(destination)
        destination.parent.mkdir(parents=True, exist_ok=True)
        partial = destination.with_name(destination.name + ".partial")
        shutil.copyfile(archive_path, partial)
        partial.replace(destination)
    return manifest


def _add_bytes(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(UTC).timestamp())
    info.mode = 0o644
    tar.addfile(info, io.BytesIO(data))


def _checked_members(tar):
    """The archive's members, refusing anything that could escape MEDIA_ROOT."""
    members = {}
    for member in tar.getmembers():
        name = member.name
        pure = PurePosixPath(name)
        if pure.is_absolute() or ".." in pure.parts or "\\" in name or not name:
            raise BackupError(f"Refusing unsafe path in backup archive: {name!r}.")
        if not (member.isfile() or member.isdir()):
            raise BackupError(f"Refusing link or special file in backup archive: {name!r}.")
        if member.isfile() and name not in (MANIFEST, DATA) and pure.parts[0] != MEDIA:
            raise BackupError(f"Unexpected file in backup archive: {name!r}.")
        members[name] = member
    for required in (MANIFEST, DATA):
        if required not in members or not members[required].isfile():
            raise BackupError(f"Not an AIR-ML backup: {required} is missing.")
    return members


# Rows that `migrate` itself writes into a fresh database (the default Site, the
# role groups); the archive's copies of them overwrite those rows on restore.
SEEDED_BY_MIGRATE = {"sites.site", "auth.group"}


def non_empty_models(using=DEFAULT_DB_ALIAS):
    return [
        m._meta.label
        for m in content_models()
        if m._meta.label_lower not in SEEDED_BY_MIGRATE and m._base_manager.using(using).exists()
    ]


def _flush(using):
    connection = connections[using]
    statements = sql_flush(no_style(), connection, reset_sequences=True, allow_cascade=False)
    connection.ops.execute_sql_flush(statements)
    # Recreates content types and permissions, as `manage.py flush` does.
    emit_post_migrate_signal(verbosity=0, interactive=False, db=using)


def restore_backup(source, replace=False, using=DEFAULT_DB_ALIAS):
    """Load a backup archive into the database and MEDIA_ROOT.

    The database must be migrated and hold no content, unless `replace` is set:
    then its content is deleted first, in the same transaction. Either everything
    is restored or nothing changes.
    """
    media_root = Path(settings.MEDIA_ROOT).resolve()
    with tempfile.TemporaryDirectory(prefix="airml-restore-") as tmp:
        tmp = Path(tmp)
        archive_path = Path(source)
        if not archive_path.is_file():
            raise BackupError(f"No backup archive at {source}.")
        try:
            tar = tarfile.open(archive_path, "r:gz")
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise BackupError(f"Not a readable .tar.gz backup archive: {exc}.") from exc
        with tar:
            members = _checked_members(tar)
            manifest = _read_json(tar, members[MANIFEST])
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                raise BackupError("Unsupported backup format (expected format 1).")
            # Everything is staged under tmp, and the media files copied once more.
            check_sizes(members, [tmp, media_root])
            data_path = tmp / DATA
            staged = tmp / "staged-media"
            planned = []
            try:
                _extract(tar, members[DATA], data_path)
                for name, member in members.items():
                    if member.isfile() and PurePosixPath(name).parts[0] == MEDIA:
                        rel = PurePosixPath(*PurePosixPath(name).parts[1:])
                        target = (media_root / rel).resolve()
                        if not target.is_relative_to(media_root):
                            raise BackupError(f"Refusing path outside MEDIA_ROOT: {name!r}.")
                        staged_path = staged / rel
                        _extract(tar, member, staged_path)
                        planned.append((staged_path, target))
            except (tarfile.TarError, OSError, EOFError) as exc:
                raise BackupError(f"Damaged backup archive: {exc}.") from exc

        if not replace:
            busy = non_empty_models(using)
            if busy:
                raise BackupError(
                    "The database already holds content ("
                    + ", ".join(busy[:5])
                    + (", ..." if len(busy) > 5 else "")
                    + "). Restore into a fresh, migrated database, or pass --replace."
                )
        objects = _count_objects(data_path)
        rename_moved_models(data_path)
        written = []
        try:
            with transaction.atomic(using=using):
                if replace:
                    _flush(using)
                _drop_seeded_groups(data_path, using)
                call_command("loaddata", str(data_path), database=using, verbosity=0)
                for staged_path, target in planned:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    if not target.exists():
                        written.append(target)
                    shutil.copyfile(staged_path, target)
        except Exception:
            for target in written:
                target.unlink(missing_ok=True)
            raise
    return {
        "created": manifest.get("created", "unknown date"),
        "objects": objects,
        "media_files": len(planned),
        "claimed_objects": manifest.get("objects"),
        "claimed_media_files": manifest.get("media_files"),
    }


# Models that moved between apps: a backup made before the move names them by
# their old label (rows, natural keys of content types, stored versions' JSON).
MOVED_MODELS = {
    ("pages", "newsitem"): "news",
    ("pages", "event"): "news",
    ("pages", "importeditem"): "importers",
}


def _moved(value):
    if isinstance(value, list):
        if len(value) == 2 and tuple(value) in MOVED_MODELS:  # a content type's natural key
            return [MOVED_MODELS[tuple(value)], value[1]]
        return [_moved(item) for item in value]
    if isinstance(value, dict):
        return {key: _moved(item) for key, item in value.items()}
    if isinstance(value, str):
        for (app_label, model), new_label in MOVED_MODELS.items():
            value = value.replace(f'"{app_label}.{model}"', f'"{new_label}.{model}"')
    return value


def rename_moved_models(data_path):
    """Rewrite an older backup's data to the apps its models live in now."""
    rows = json.loads(data_path.read_text())
    for row in rows:
        app_label, _dot, model = row.get("model", "").partition(".")
        if (app_label, model) in MOVED_MODELS:
            row["model"] = f"{MOVED_MODELS[app_label, model]}.{model}"
        row["fields"] = _moved(row.get("fields", {}))
    data_path.write_text(json.dumps(rows))


def _drop_seeded_groups(data_path, using):
    """Delete the role groups `migrate` made that the backup brings itself.

    Roles are synced after every migrate (`airml.roles`), so a fresh or flushed
    database has them already, maybe under other ids: the backup's rows, with the
    rights they had, take their place."""
    from django.contrib.auth.models import Group

    names = [row["fields"]["name"] for row in json.loads(data_path.read_text())
             if row.get("model") == "auth.group"]  # fmt: skip
    Group.objects.using(using).filter(name__in=names).delete()


def _count_objects(data_path):
    try:
        with data_path.open() as data:
            rows = json.load(data)
    except ValueError as exc:
        raise BackupError(f"Damaged backup archive: {DATA} is not JSON.") from exc
    if not isinstance(rows, list):
        raise BackupError(f"Damaged backup archive: {DATA} is not a list of objects.")
    return len(rows)


def _read_json(tar, member):
    try:
        return json.load(tar.extractfile(member))
    except (ValueError, tarfile.TarError) as exc:
        raise BackupError(f"Damaged backup archive: {member.name} is not JSON.") from exc


def _extract(tar, member, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with tar.extractfile(member) as src, path.open("wb") as out:
        # Never more than the size checked against the limits, whatever the stream holds.
        remaining = member.size
        while remaining > 0:
            chunk = src.read(min(remaining, 1024 * 1024))
            if not chunk:
                break
            out.write(chunk)
            remaining -= len(chunk)
