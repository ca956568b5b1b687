"""The site's URLs under /site/, for tests of URL reversing."""

from django.urls import include, path

urlpatterns = [path("site/", include("airml.urls"))]
