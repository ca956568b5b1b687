"""The site search page."""

from django.shortcuts import render

from search.registry import BROWSE, MAX_QUERY_LENGTH
from search.registry import search as site_search


def search(request):
    """Results grouped by kind; with no words or no results, ways to browse instead."""
    # NUL is not text to PostgreSQL (a query with one would fail); it means nothing here.
    q = " ".join(request.GET.get("q", "").replace("\x00", "").split())[:MAX_QUERY_LENGTH]
    groups = site_search(q) if q else []
    context = {
        "q": q,
        "groups": groups,
        "total": sum(len(group.results) for group in groups),
        "browse": [] if groups else BROWSE,
    }
    return render(request, "search/search.html", context)
