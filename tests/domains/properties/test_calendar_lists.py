"""`unavailableDates` on a page of listings: one batch for the page (a per-request loader),
the same nights as asked listing by listing."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from domains.bookings.models import BookingStatus
from tests.factories import BlockedPeriodFactory, BookingFactory, PropertyFactory

pytestmark = pytest.mark.django_db

START = date.today() + timedelta(days=1)
END = START + timedelta(days=30)
WINDOW = {"from": START.isoformat(), "to": END.isoformat()}

SEARCH = """
query ($first: Int, $from: Date!, $to: Date!) {
  propertySearch(filter: {city: "Calendria"}, sort: NEWEST, first: $first) {
    edges { node { id unavailableDates(from: $from, to: $to) } }
  }
}
"""
MY_LISTINGS = """
query ($first: Int, $from: Date!, $to: Date!) {
  me { listings(first: $first) { edges { node { id unavailableDates(from: $from, to: $to) } } } }
}
"""
ONE = """
query ($id: ID!, $from: Date!, $to: Date!) {
  node(id: $id) { ... on Property { unavailableDates(from: $from, to: $to) } }
}
"""


def listings_with_calendars(count, host=None):
    made = []
    for i in range(count):
        extra = {"host": host} if host else {}
        listing = PropertyFactory(city="Calendria", **extra)
        if i % 2 == 0:
            BookingFactory(property=listing, status=BookingStatus.CONFIRMED,
                           check_in=START + timedelta(days=i % 7),
                           check_out=START + timedelta(days=i % 7 + 3))  # fmt: skip
        if i % 3 == 0:
            BlockedPeriodFactory(property=listing, start_date=START + timedelta(days=20),
                                 end_date=START + timedelta(days=22))  # fmt: skip
        made.append(listing)
    return made


def queries_and_nodes(client, query, variables):
    with CaptureQueriesContext(connection) as queries:
        result = client(query, variables)
    assert "errors" not in result, result
    return len(queries), result["data"]


def test_search_loads_the_calendars_of_a_page_at_once(gql):
    listings_with_calendars(20)
    small, _ = queries_and_nodes(gql, SEARCH, {"first": 1, **WINDOW})
    large, data = queries_and_nodes(gql, SEARCH, {"first": 20, **WINDOW})
    assert small == large
    for edge in data["propertySearch"]["edges"]:
        alone = gql(ONE, {"id": edge["node"]["id"], **WINDOW})["data"]["node"]
        assert edge["node"]["unavailableDates"] == alone["unavailableDates"]
    taken = [e["node"]["unavailableDates"] for e in data["propertySearch"]["edges"]]
    assert any(taken) and not all(taken)  # the data tells calendars apart


def test_a_hosts_own_listings_load_their_calendars_at_once(gql, host):
    listings_with_calendars(12, host=host)
    client = gql.login(host)
    small, _ = queries_and_nodes(client, MY_LISTINGS, {"first": 1, **WINDOW})
    large, data = queries_and_nodes(client, MY_LISTINGS, {"first": 12, **WINDOW})
    assert small == large
    for edge in data["me"]["listings"]["edges"]:
        alone = client(ONE, {"id": edge["node"]["id"], **WINDOW})["data"]["node"]
        assert edge["node"]["unavailableDates"] == alone["unavailableDates"]
