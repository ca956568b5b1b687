"""The import report: counts per kind, warnings, skipped files."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field


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
    seconds: float = 0.0
    dry_run: bool = False

    def count(self, kind, action):
        self.counts[kind][action] += 1

    def warn(self, source, message):
        self.warnings.append(f"{source}: {message}")

    @property
    def changed(self):
        return sum(c["created"] + c["updated"] for c in self.counts.values())

    def render(self):
        lines = []
        if self.dry_run:
            lines.append("Dry run: nothing was written. This is what the import would do.")
        lines.append(f"{'content':16} {'created':>8} {'updated':>8} {'unchanged':>10}")
        for kind in sorted(self.counts):
            c = self.counts[kind]
            lines.append(f"{kind:16} {c['created']:8} {c['updated']:8} {c['unchanged']:10}")
        if not self.changed:
            lines.append("Everything unchanged.")
        if self.warnings:
            lines.append(f"Warnings ({len(self.warnings)}):")
            lines += [f"  {w}" for w in self.warnings]
        if self.skipped:
            lines.append(f"Skipped because of errors ({len(self.skipped)}):")
            lines += [f"  {s}" for s in self.skipped]
        lines.append(f"Took {self.seconds:.2f} s.")
        return "\n".join(lines)
