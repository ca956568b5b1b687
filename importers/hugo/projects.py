"""Projects: the `project` section."""

from importers.hugo.rules import page_url
from importers.hugo.values import (
    _bool,
    _list,
    _parse_datetime,
    _text,
)
from research.models import (
    Project,
    ProjectLink,
)


class ProjectMapper:
    # ---- projects ----------------------------------------------------------------------

    def _import_project(self, source_path, section="project"):
        entry = self._open_entry(source_path)
        if entry is None:
            return
        folder, hugo_slug, source, meta, body, image, checksum = entry

        def fill(project):
            new = project is None
            project = project or Project()
            project.title = (_text(meta.get("title")) or hugo_slug)[:250]
            project.slug = self._unique_slug(Project, _text(meta.get("slug")) or hugo_slug, project)
            project.summary = _text(meta.get("summary"))
            project.body = self._body(body, folder, source, "projects/")
            date = _parse_datetime(meta.get("date"))
            project.date = date.date() if date else None
            project.external_url = self._url(
                meta.get("external_link"), source, "external link", limit=200
            )
            for field_name in ("url_pdf", "url_code", "url_dataset", "url_slides", "url_video"):
                setattr(project, field_name, self._url(meta.get(field_name), source, field_name))
            project.featured = _bool(meta.get("featured"))
            self._publishing(project, meta)
            project.image_caption = self._caption(meta)
            project.image_alt = project.image_caption[:200] or project.title[:200]
            self._set_image(project, "image", image)
            project.save()
            self._set_related(project, "tags", self._tags(meta.get("tags")), new)
            people = [p for p in map(self._match_person, _list(meta.get("authors"))) if p]
            self._set_related(project, "people", people, new)
            if not new:
                project.links.all().delete()
            ProjectLink.objects.bulk_create(
                self._named_links(meta, source, ProjectLink, project=project)
            )
            return project

        project, _changed = self._upsert(
            source, Project, checksum, fill, "projects", key=f"project/{hugo_slug}"
        )
        self.projects[hugo_slug] = project
        self.projects[hugo_slug.lower()] = project
        self._redirect(page_url(self.rules, source_path, meta), project)
        self._redirect(f"/{section}/{hugo_slug}/", project)
        self._aliases(meta, project)
