import pytest

from tests.domains.bookings.helpers import Flow


@pytest.fixture(autouse=True)
def _dev_payments(settings):
    # The embedded default's provider, whatever the environment says; production has no
    # development webhook secret, so the tests bring one.
    settings.PAYMENT_PROVIDER = "dev"
    settings.STRIPE_WEBHOOK_SECRET = "whsec_tests_only"
    settings.DEV_PAYMENTS_WEBHOOK_URL = ""


@pytest.fixture
def flow(django_capture_on_commit_callbacks) -> Flow:
    return Flow(django_capture_on_commit_callbacks)
