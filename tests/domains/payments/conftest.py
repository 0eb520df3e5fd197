# The booking tests' fixtures: the dev provider with a test webhook secret, and `flow`.
from tests.domains.bookings.conftest import _dev_payments, flow  # noqa: F401
