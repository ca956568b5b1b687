"""`manage.py check_content`: print what needs an editor's attention.

With --links, first checks every external link (network access, never in a
request) and stores the results that the report and the admin's content-health page
read; the worker does the same on a timer (pages.tasks.check_external_links,
enqueued by `manage.py schedule_tasks`). Exits 0 always; --fail-on-problems exits 1 when
anything is listed (for CI or monitoring).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pages import content_health, tasks


class Command(BaseCommand):
    help = "List content problems (alt text, missing links, duplicates, broken links, ...)."

    def add_arguments(self, parser):
        parser.add_argument("--links", action="store_true",
                            help="Check external links first (needs network).")  # fmt: skip
        parser.add_argument("--fail-on-problems", action="store_true")

    def handle(self, *args, links=False, fail_on_problems=False, **options):
        if links:
            checked, failed = tasks.check_links()
            self.stdout.write(f"Checked {checked} external links, {failed} failing.")
        found = content_health.report()
        base = getattr(settings, "SITE_URL", "").rstrip("/")
        total = 0
        for key, title in content_health.CHECKS.items():
            problems = found[key]
            total += len(problems)
            self.stdout.write(self.style.MIGRATE_HEADING(f"{title}: {len(problems)}"))
            for problem in problems:
                self.stdout.write(f"  {problem.label}: {problem.detail}  {base}{problem.admin_url}")
        self.stdout.write(f"{total} problems.")
        if fail_on_problems and total:
            raise CommandError(f"{total} content problems.")
