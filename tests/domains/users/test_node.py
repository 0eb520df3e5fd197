"""Relay: `node` and `nodes` resolve users, and answer null to anything they cannot show."""

import base64

import pytest
from strawberry.relay import to_base64

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NODE = "query ($id: ID!) { node(id: $id) { __typename id ... on User { name isHost } } }"
NODES = "query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on User { name } } }"


def test_node_resolves_a_user(gql):
    ada = UserFactory(name="Ada", is_host=True)
    result = gql(NODE, {"id": to_base64("User", ada.pk)})
    assert result == {
        "data": {
            "node": {
                "__typename": "User",
                "id": to_base64("User", ada.pk),
                "name": "Ada",
                "isHost": True,
            }
        }
    }


@pytest.mark.parametrize(
    "bad_id",
    [
        "not-base64-at-all!",
        base64.b64encode(b"no-colon").decode(),
        base64.b64encode(b"User:").decode(),
        base64.b64encode(b"User:abc").decode(),
        base64.b64encode(b"User:-1").decode(),
        base64.b64encode(b"User:99999999999999999999999").decode(),
        base64.b64encode(b"Nope:1").decode(),
        base64.b64encode(b"UserError:1").decode(),
        base64.b64encode(b"Query:1").decode(),
        "",
    ],
)
def test_node_answers_null_to_malformed_ids(gql, bad_id):
    UserFactory()
    assert gql(NODE, {"id": bad_id}) == {"data": {"node": None}}


def test_node_answers_null_to_unknown_and_inactive_users(gql):
    gone = UserFactory(is_active=False)
    assert gql(NODE, {"id": to_base64("User", gone.pk + 1000)}) == {"data": {"node": None}}
    assert gql(NODE, {"id": to_base64("User", gone.pk)}) == {"data": {"node": None}}


def test_nodes_keeps_order_and_nulls(gql, django_assert_max_num_queries):
    a, b = UserFactory(name="A"), UserFactory(name="B")
    ids = [to_base64("User", b.pk), "garbage", to_base64("User", 10**6), to_base64("User", a.pk)]
    with django_assert_max_num_queries(1):
        result = gql(NODES, {"ids": ids})
    assert result["data"]["nodes"] == [
        {"id": ids[0], "name": "B"},
        None,
        None,
        {"id": ids[3], "name": "A"},
    ]


def test_nodes_refuses_more_than_100_ids(gql):
    result = gql(NODES, {"ids": ["x"] * 101})
    assert result["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "ids"}


def test_me_is_null_when_signed_out_and_the_viewer_when_signed_in(gql):
    query = "{ me { id email name isVerified } }"
    assert gql(query) == {"data": {"me": None}}
    ada = UserFactory(name="Ada", email="ada@example.com")
    assert gql.login(ada)(query)["data"]["me"] == {
        "id": to_base64("User", ada.pk),
        "email": "ada@example.com",
        "name": "Ada",
        "isVerified": True,
    }


def test_a_bad_or_expired_token_reads_as_signed_out(gql, settings):
    assert gql("{ me { id } }", token="not-a-jwt") == {"data": {"me": None}}


def test_private_fields_are_hidden_from_other_members(gql):
    ada = UserFactory(phone="+351 912 345 678")
    viewer = UserFactory()
    query = "query ($id: ID!) { node(id: $id) { ... on User { email phone isVerified name } } }"
    for client in (gql, gql.login(viewer)):
        node = client(query, {"id": to_base64("User", ada.pk)})["data"]["node"]
        assert node == {"email": None, "phone": None, "isVerified": None, "name": ada.name}
    node = gql.login(ada)(query, {"id": to_base64("User", ada.pk)})["data"]["node"]
    assert node["email"] == ada.email and node["phone"] == "+351 912 345 678"
