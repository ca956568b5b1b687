"""Publications: bundles with index.md and/or cite.bib, and single files."""

import re

from importers.hugo.reader import SiteError, read_text
from importers.hugo.rules import page_url
from importers.hugo.values import (
    LEGACY_TYPES,
    TYPE_LABELS,
    _bool,
    _list,
    _markdown_inline,
    _parse_datetime,
    _text,
)
from research.bibtex import parse_bibtex
from research.bibtex_import import PublicationIndex, arxiv_of, set_bibliographic
from research.models import (
    Authorship,
    Publication,
    PublicationLink,
    PublicationType,
)


class PublicationMapper:
    # ---- publications ----------------------------------------------------------------

    def _pub_type(self, meta, source):
        values = _list(meta.get("publication_types") or meta.get("publication_type"))
        if not values:
            return "other"
        raw = _text(values[0])
        if raw in LEGACY_TYPES:
            return LEGACY_TYPES[raw]
        if raw in PublicationType.values:
            return raw
        mapped = TYPE_LABELS.get(raw.lower().strip())
        if mapped:
            self.report.warn(source, f"publication type '{raw}' read as '{mapped}'")
            return mapped
        self.report.warn(source, f"unknown publication type '{raw}'; set to 'other'")
        return "other"

    def _import_publication(self, source_path, section="publication"):
        folder, index, hugo_slug = self._bundle(source_path)
        bib_path = folder / "cite.bib" if source_path.is_dir() else None
        if bib_path is not None and not bib_path.is_file():
            bib_path = None
        source = self.site.relative(index or bib_path)
        meta, body = self._read(index) if index else ({}, "")
        record = None
        raw_bib = ""
        if bib_path is not None:
            bib_source = self.site.relative(bib_path)  # refuses a link leading outside
            raw_bib = read_text(bib_path, bib_source)
            records, errors = parse_bibtex(raw_bib)
            if errors and index is None and not records:
                first = errors[0]
                raise SiteError(bib_source, f"BibTeX {first.message}", first.line)
            # A secondary file never aborts: the publication imports from its front matter.
            for error in errors:
                self.report.warn(bib_source, f"{error} (imported from the front matter)")
            record = records[0] if records else None
        if index is None and record is None:
            raise SiteError(source, "cite.bib has no usable entry")
        image = self._featured(meta, folder, source) if index else None
        names = [_text(a) for a in _list(meta.get("authors")) if _text(a)]
        if not names and record is not None:
            names = record.authors
        # Who the authors resolve to is part of the checksum: an author folder added
        # later re-links this publication on the next run.
        documents = self._documents_key(folder) if source_path.is_dir() else ""
        checksum = self._checksum(index, bib_path, image, extra=self._people_key(names) + documents)
        old_urls = [page_url(self.rules, source_path, meta), f"/{section}/{hugo_slug}/"]

        def fill(publication):
            new = publication is None
            publication = publication or Publication()
            publication.title = (
                _text(meta.get("title")) or (record.title if record else "") or hugo_slug
            )[:400]
            if not publication.slug:  # a paper already here keeps its address (and links)
                publication.slug = self._unique_slug(Publication, hugo_slug, publication)
            date = _parse_datetime(meta.get("date"))
            if date is None and record is not None:
                date = _parse_datetime(record.date)
            if date is None:
                self.report.warn(source, "no date; set to 1 January 1970")
                date = _parse_datetime("1970-01-01")
            publication.date = date.date()
            publication.pub_type = (
                self._pub_type(meta, source)
                if meta.get("publication_types")
                else (record.pub_type if record else "other")
            )
            publication.venue = (
                _markdown_inline(meta.get("publication")) or (record.venue if record else "")
            )[:300]
            publication.venue_short = _markdown_inline(meta.get("publication_short"))[:60]
            publication.abstract = _text(meta.get("abstract")) or (
                record.abstract if record else ""
            )
            publication.summary = _text(meta.get("summary"))
            publication.notes = self._body(body, folder, source, "publications/")
            doi = _text(meta.get("doi")) or (record.doi if record else "")
            publication.doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", doi, flags=re.I)[
                :200
            ]
            files = {}
            if source_path.is_dir():  # a bundle's PDF, slides: kept as media
                files = self._store_bundle_files(folder, old_urls, source)
            for name in (
                "url_pdf",
                "url_code",
                "url_dataset",
                "url_project",
                "url_poster",
                "url_slides",
                "url_video",
            ):
                value = meta.get(name)
                local = self._local_document(value, folder, old_urls[0], files, source)
                setattr(publication, name, local or self._url(value, source, name))
            if not publication.url_pdf and record is not None and record.url.endswith(".pdf"):
                publication.url_pdf = self._url(record.url, source, "url")
            publication.featured = _bool(meta.get("featured"))
            self._publishing(publication, meta)
            publication.bibtex = raw_bib
            if record is not None:  # volume, pages, entry type, ...: the admin import's mapping
                set_bibliographic(publication, record)
            publication.image_alt = self._caption(meta)[:200] or publication.title[:200]
            self._set_image(publication, "image", image)
            publication.save()  # the citation is formatted once its authors are written
            notes = [_text(n) for n in _list(meta.get("author_notes"))]
            publication.authorships.all().delete()
            Authorship.objects.bulk_create(
                self._authorship(publication, name, n, notes[n] if n < len(notes) else "")
                for n, name in enumerate(names)
            )
            self._set_related(publication, "tags", self._tags(meta.get("tags")), new)
            projects = []
            for project_ref in _list(meta.get("projects")):
                project = self.projects.get(_text(project_ref)) or self.projects.get(
                    _text(project_ref).lower()
                )
                if project is None:
                    self.report.warn(source, f"project '{project_ref}' not found")
                else:
                    projects.append(project)
            self._set_related(publication, "projects", projects, new)
            if not new:
                publication.links.all().delete()
            links = self._named_links(meta, source, PublicationLink, publication=publication)
            source_url = self._url(meta.get("url_source"), source, "url_source")
            if source_url:
                links.append(
                    PublicationLink(
                        publication=publication, name="Source", url=source_url, order=len(links)
                    )
                )
            PublicationLink.objects.bulk_create(links)
            self.to_cite.append(publication)  # formatted once, at the end of the run
            return publication

        def existing():
            # One paper, one record: a publication already here (added by identifier, a
            # BibTeX import, a sync) with this DOI, arXiv id or title and year is this one.
            doi = _text(meta.get("doi")) or (record.doi if record else "")
            date = _parse_datetime(meta.get("date")) or (
                _parse_datetime(record.date) if record and record.date else None
            )
            bib = record.bib if record else {}
            return self._publication_index().find(
                doi=re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", doi, flags=re.I),
                arxiv=arxiv_of(bib.get("eprint", ""), bib.get("archive_prefix", "")),
                title=_text(meta.get("title")) or (record.title if record else ""),
                date=date.date() if date else None,
            )

        publication, _changed = self._upsert(
            source, Publication, checksum, fill, "publications", key=f"publication/{hugo_slug}",
            existing=existing,
        )  # fmt: skip
        self._publication_index().add(publication)
        if bib_path is not None and index is not None:
            self._record(bib_source, "merged", "publication", publication, "the BibTeX of it")
        self._redirect(page_url(self.rules, source_path, meta), publication)
        self._redirect(f"/{section}/{hugo_slug}/", publication)
        self._aliases(meta, publication)

    def _publication_index(self):
        if getattr(self, "_publications", None) is None:
            self._publications = PublicationIndex(Publication.objects.all())
        return self._publications

    def _authorship(self, publication, name, order, note):
        person = self._match_person(name)
        printed = person.name if person is not None and name in self.authors else name
        return Authorship(
            publication=publication, person=person, name=printed[:200], order=order, note=note[:100]
        )
