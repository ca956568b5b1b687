"""A person's profile page."""

from airml.views import PublishedDetailView
from people.models import Person


class PersonDetailView(PublishedDetailView):
    model = Person
    queryset_method = "for_detail"
    template_name = "people/person_detail.html"
    context_object_name = "person"
