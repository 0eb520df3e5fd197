"""The product's URLs plus the bare JSON views the benchmark compares GraphQL with."""

from django.urls import path

from backend.urls import urlpatterns as product_urlpatterns
from bench import views

urlpatterns = [
    *product_urlpatterns,
    path("bench/search", views.search, name="bench-search"),
    path("bench/detail", views.detail, name="bench-detail"),
]
