"""What search engines read from a publication page: Google Scholar `citation_*` tags
and schema.org JSON-LD, with only the date parts and bibliographic fields it has."""


def scholar_meta(publication, request):
    """Google Scholar `citation_*` tags as (name, content) pairs, authors in order."""
    tags = [("citation_title", publication.title)]
    tags += [("citation_author", a.display_name) for a in publication.authorships.all()]
    if publication.date_iso:  # an undated work says nothing rather than a made-up date
        tags.append(("citation_publication_date", publication.date_iso.replace("-", "/")))
    venue_tag = {"article-journal": "citation_journal_title",
                 "thesis": "citation_dissertation_institution",
                 "report": "citation_technical_report_institution"}.get(
                     publication.pub_type, "citation_conference_title")  # fmt: skip
    if publication.venue_field == "journal":  # as imported: named by its BibTeX field
        venue_tag = "citation_journal_title"
    if publication.venue:
        tags.append((venue_tag, publication.venue))
    first, last = publication.page_range
    known = [
        ("citation_volume", publication.volume), ("citation_issue", publication.number),
        ("citation_firstpage", first), ("citation_lastpage", last),
        ("citation_publisher", publication.publisher),
        ("citation_arxiv_id", publication.arxiv_id),
    ]  # fmt: skip
    for name, value in known:
        if value:
            tags.append((name, value))
    if publication.url_pdf:
        tags.append(("citation_pdf_url", request.build_absolute_uri(publication.url_pdf)))
    if publication.doi:
        tags.append(("citation_doi", publication.doi))
    tags.append(("citation_abstract_html_url", request.build_absolute_uri()))
    return tags


def schema_org(publication, request):
    """schema.org ScholarlyArticle data for JSON-LD."""
    data = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "headline": publication.title[:110],
        "name": publication.title,
        "url": request.build_absolute_uri(publication.get_absolute_url()),
        "author": [
            {"@type": "Person", "name": a.display_name}
            | (
                {"url": request.build_absolute_uri(a.person.get_absolute_url())}
                if a.person_id and a.person.is_public
                else {}
            )
            for a in publication.authorships.all()
        ],  # fmt: skip
    }
    if publication.date_iso:
        data["datePublished"] = publication.date_iso
    if publication.venue:
        data["isPartOf"] = {"@type": "PublicationIssue", "name": publication.venue}
    if publication.abstract:
        data["abstract"] = publication.abstract
    if publication.doi:
        data["sameAs"] = f"https://doi.org/{publication.doi}"
    return data
