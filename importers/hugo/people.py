"""People: `content/authors/<x>/` bundles and the groups the people widgets list."""

from django.utils.text import slugify

from importers.hugo.reader import SiteError
from importers.hugo.values import (
    MEMBERSHIP_WORDS,
    SOCIAL,
    _list,
    _number,
    _text,
)
from people.models import (
    Education,
    Group,
    Membership,
    MemberStatus,
    Organisation,
    Person,
    SocialLink,
)


class PeopleMapper:
    # ---- people ------------------------------------------------------------------------

    def _scan_people_widgets(self):
        """Group order as the site's people widgets/blocks list them."""
        for path in sorted(self.rules.content.rglob("*.md")):
            if self.site.inside(path) is None or not self.rules.is_default(path):
                continue
            try:
                meta, _body = self._read(path)
            except SiteError:
                continue  # reported when the file itself is imported
            blocks = [meta] + [s for s in _list(meta.get("sections")) if isinstance(s, dict)]
            for block in blocks:
                if (block.get("widget") or block.get("block")) == "people":
                    content = block.get("content") if isinstance(block.get("content"), dict) else {}
                    for name in _list(content.get("user_groups")):
                        if _text(name) and _text(name) not in self.group_order:
                            self.group_order.append(_text(name))

    def _group(self, name):
        slug = slugify(name)[:50] or "group"
        order = self.group_order.index(name) * 10 if name in self.group_order else 1000
        if self.known_groups is None:  # read once per run
            self.known_groups = Group.objects.in_bulk(field_name="slug")
        group = self.known_groups.get(slug)
        if group is None:
            group = Group.objects.create(slug=slug, name=name[:100], order=order)
            self._remember(self.known_groups, slug, group)
        elif name in self.group_order and group.order != order:
            group.order = order
            group.save(update_fields=["order"])
        return group

    def _person_folders(self, section):
        """Each person is a bundle in the authors section: `<x>/_index.md` or `<x>/index.md`."""
        return [
            p
            for p in sorted(section.iterdir())
            if p.is_dir()
            and self.site.inside(p)
            and (self.rules.page_file(p, "_index") or self.rules.page_file(p, "index"))
        ]

    def _import_author(self, folder):
        index = self.rules.page_file(folder, "_index") or self.rules.page_file(folder, "index")
        if index is None:
            return
        source = self.site.relative(index)
        avatar = self.site.bundle_image(folder, "avatar")
        meta, body = self._read(index)
        checksum = self._checksum(index, avatar)

        def fill(person):
            new = person is None
            person = person or Person()
            title = _text(meta.get("title")) or folder.name
            first = _text(meta.get("first_name"))
            last = _text(meta.get("last_name"))
            if not last:
                words = title.split()
                first, last = (" ".join(words[:-1]), words[-1]) if len(words) > 1 else ("", title)
            person.first_name, person.last_name = first[:100], last[:100]
            person.display_name = title[:200] if title != f"{first} {last}".strip() else ""
            if not person.slug:  # keep the public URL stable when the name changes
                person.slug = self._unique_slug(Person, title, person)
            person.role = _text(meta.get("role"))[:150]
            person.short_bio = _text(meta.get("bio"))[:300]
            person.bio = self._body(body, folder, source, "people/")
            person.interests = "\n".join(_text(i) for i in _list(meta.get("interests")))
            person.email = self._email(meta.get("email"), source)
            order = meta.get("order", meta.get("weight"))
            person.order = _number(order)
            if order not in (None, "") and _number(order, None) is None:
                self.report.warn(source, f"order '{order}' is not a number; set to 0")
            groups = [_text(g) for g in _list(meta.get("user_groups")) if _text(g)]
            role = person.role.lower()
            person.membership = next(
                (kind for word, kind in MEMBERSHIP_WORDS if word in role), Membership.OTHER
            )
            alumni = any(g.lower() in ("alumni", "former members") for g in groups)
            person.member_status = MemberStatus.ALUMNI if alumni else MemberStatus.CURRENT
            # Hugo's people blocks list authors by `user_groups`: without any, an
            # author has a page (and author links) but is listed nowhere.
            person.listed = bool(groups)
            if avatar is not None:
                self._set_image(person, "avatar", avatar)
                person.avatar_alt = person.avatar_alt or f"Photo of {title}"[:200]
            person.save()
            self._set_related(person, "groups", [self._group(g) for g in groups], new)
            if not new:
                self._replace_children(person)
            Organisation.objects.bulk_create(
                Organisation(
                    person=person,
                    name=_text(o.get("name"))[:200],
                    url=self._url(o.get("url"), source, "organisation link", limit=200),
                    order=n,
                )
                for n, o in enumerate(_list(meta.get("organizations")))
                if isinstance(o, dict) and _text(o.get("name"))
            )
            education = meta.get("education") if isinstance(meta.get("education"), dict) else {}
            Education.objects.bulk_create(
                Education(
                    person=person,
                    course=_text(c.get("course"))[:200],
                    institution=_text(c.get("institution"))[:200],
                    year=_text(c.get("year"))[:40],
                    order=n,
                )
                for n, c in enumerate(_list(education.get("courses")))
                if isinstance(c, dict) and _text(c.get("course"))
            )
            links = []
            for n, link in enumerate(_list(meta.get("social"))):
                if not isinstance(link, dict):
                    continue
                icon = _text(link.get("icon")).lower()
                url = _text(link.get("link"))
                kind = "email" if url.startswith("mailto:") else SOCIAL.get(icon, "other")
                if kind != "email":
                    url = self._url(url, source, f"{icon or 'social'} link")
                if url:
                    label = "" if kind != "other" else (icon.replace("-", " ").title() or "Link")
                    links.append(
                        SocialLink(
                            person=person, kind=kind, url=url[:500], label=label[:80], order=n
                        )
                    )
            SocialLink.objects.bulk_create(links)
            return person

        title = _text(meta.get("title")) or folder.name
        person, _changed = self._upsert(source, Person, checksum, fill, "people", slug=title)
        self.authors[folder.name] = person
        self.authors[folder.name.lower()] = person
        self._redirect(f"/author/{folder.name}/", person)
        self._redirect(f"/authors/{folder.name}/", person)

    @staticmethod
    def _replace_children(person):
        person.organisations.all().delete()
        person.education.all().delete()
        person.social_links.all().delete()
