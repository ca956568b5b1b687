"""The import report: what became of every file, counts per kind, warnings, skipped files.

Every content file (and every layout file with visible text) gets one record:
`file` (relative to the site), `outcome` (created, updated, unchanged, merged,
skipped, not imported), `object` (kind and URL, when it became or joined one) and
`reason`. The JSON form (`--report FILE.json`) holds all records; the printed form
ends with the counts per kind and the list of files not imported.
"""

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field

OUTCOMES = ("created", "updated", "unchanged", "merged", "skipped", "not imported")


class ImportFailed(Exception):
    """The site has errors; nothing was written."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


@dataclass
class Report:
    counts: dict = field(default_factory=lambda: defaultdict(Counter))
    warnings: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    files: dict = field(default_factory=dict)  # relative path -> record
    seconds: float = 0.0
    dry_run: bool = False

    def count(self, kind, action):
        self.counts[kind][action] += 1

    def warn(self, source, message):
        self.warnings.append(f"{source}: {message}")

    def record(self, file, outcome, kind="", url="", reason="", replace=False):
        """Say what became of one file; the first record of a file wins unless `replace`."""
        if file in self.files and not replace:
            return
        self.files[file] = {
            "file": file,
            "outcome": outcome,
            "object": {"kind": kind, "url": url} if kind else None,
            "reason": reason,
        }

    def has(self, file):
        return file in self.files

    @property
    def changed(self):
        return sum(c["created"] + c["updated"] + c["merged"] for c in self.counts.values())

    def not_imported(self):
        return [r for r in self.files.values() if r["outcome"] in ("not imported", "skipped")]

    def as_json(self):
        outcomes = Counter(r["outcome"] for r in self.files.values())
        return json.dumps(
            {
                "files": sorted(self.files.values(), key=lambda r: r["file"]),
                "outcomes": dict(outcomes),
                "counts": {kind: dict(c) for kind, c in sorted(self.counts.items())},
                "warnings": self.warnings,
                "skipped": self.skipped,
                "seconds": round(self.seconds, 3),
                "dry_run": self.dry_run,
            },
            indent=1,
            ensure_ascii=False,
        )

    def render(self):
        lines = []
        if self.dry_run:
            lines.append("Dry run: nothing was written. This is what the import would do.")
        if self.warnings:
            lines.append(f"Warnings ({len(self.warnings)}):")
            lines += [f"  {w}" for w in self.warnings]
        if self.skipped:
            lines.append(f"Skipped because of errors ({len(self.skipped)}):")
            lines += [f"  {s}" for s in self.skipped]
        missing = self.not_imported()
        translations = Counter(
            r["reason"] for r in missing if r["reason"].startswith("translation not imported")
        )
        missing = [r for r in missing if r["reason"] not in translations]
        for reason, count in sorted(translations.items()):
            lines.append(f"{reason.capitalize()}: {count} files (listed in the JSON report).")
        if missing:
            lines.append(f"Files not imported ({len(missing)}):")
            lines += [f"  {r['file']}: {r['reason']}" for r in missing]
        outcomes = Counter(r["outcome"] for r in self.files.values())
        if outcomes:
            summary = ", ".join(f"{outcomes[o]} {o}" for o in OUTCOMES if outcomes[o])
            lines.append(f"Files: {sum(outcomes.values())} ({summary}).")
        lines.append(f"{'content':16} {'created':>8} {'updated':>8} {'unchanged':>10}")
        for kind in sorted(self.counts):
            c = self.counts[kind]
            lines.append(f"{kind:16} {c['created']:8} {c['updated']:8} {c['unchanged']:10}")
        if not self.changed:
            lines.append("Everything unchanged.")
        lines.append(f"Took {self.seconds:.2f} s.")
        return "\n".join(lines)
