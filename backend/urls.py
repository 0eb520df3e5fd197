from django.conf import settings
from django.contrib import admin
from django.urls import path
from django.views.static import serve

from backend.health import healthz, readyz
from domains.payments.dev_checkout import dev_checkout
from domains.payments.views import stripe_webhook
from schema.schema import schema
from schema.views import GraphQLView

urlpatterns = [
    path("graphql/", GraphQLView.as_view(schema=schema), name="graphql"),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("webhooks/stripe/", stripe_webhook, name="stripe-webhook"),
    # 404 unless DEBUG is on with the dev payment provider.
    path("dev/checkout/", dev_checkout, name="dev-checkout"),
]

if settings.DEBUG:
    # Uploaded files in development; production serves them from the storage (S3, a CDN).
    urlpatterns.append(path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}))
