"""The access helpers other domains use: the declared rules (signed in, verified, host, staff)
with their top-level codes, the ownership helpers, and who sees private profile fields."""

import pytest
import strawberry
from gqlauth.jwt.types_ import TokenType
from strawberry.relay import to_base64

from domains.properties.models import Property
from domains.shared.errors import Forbidden
from domains.users import selectors, services
from schema.context import Context
from schema.permissions import IsAuthenticated, IsHost, IsStaff, IsVerified
from tests.factories import PropertyFactory, UserFactory

pytestmark = pytest.mark.django_db


@strawberry.type
class Probe:
    @strawberry.field(extensions=[IsAuthenticated()])
    def signed_in(self) -> bool:
        return True

    @strawberry.field(extensions=[IsVerified()])
    def verified(self) -> bool:
        return True

    @strawberry.field(extensions=[IsHost()])
    def host(self) -> bool:
        return True

    @strawberry.field(extensions=[IsStaff()])
    def staff(self) -> bool:
        return True


probe_schema = strawberry.Schema(query=Probe)
FIELDS = ("signedIn", "verified", "host", "staff")


def access(user) -> dict[str, str]:
    """Each probe field's outcome for `user`: OK or the top-level error code."""
    token = TokenType.from_user(user).token if user else None
    context = Context(request=None, response=None, authorization=token and f"Bearer {token}")
    outcome = {}
    for field in FIELDS:
        result = probe_schema.execute_sync(f"{{ {field} }}", context_value=context)
        outcome[field] = "OK" if not result.errors else result.errors[0].extensions["code"]
    return outcome


def test_anonymous_is_unauthenticated_everywhere():
    assert access(None) == dict.fromkeys(FIELDS, "UNAUTHENTICATED")


def test_an_unverified_guest():
    assert access(UserFactory(is_verified=False)) == {
        "signedIn": "OK",
        "verified": "FORBIDDEN",
        "host": "FORBIDDEN",
        "staff": "FORBIDDEN",
    }


def test_a_verified_host():
    assert access(UserFactory(is_host=True)) == {
        "signedIn": "OK",
        "verified": "OK",
        "host": "OK",
        "staff": "FORBIDDEN",
    }


def test_staff():
    assert access(UserFactory(is_staff=True))["staff"] == "OK"


def test_a_deactivated_account_is_unauthenticated():
    assert access(UserFactory(is_active=False))["signedIn"] == "UNAUTHENTICATED"


def test_ownership_helpers():
    listing = PropertyFactory()
    stranger = UserFactory()
    assert selectors.is_owner(listing.host, listing, owner_field="host")
    assert not selectors.is_owner(stranger, listing, owner_field="host")
    assert not selectors.is_owner(None, listing, owner_field="host")
    PropertyFactory()  # somebody else's
    mine = Property.objects.filter(selectors.owned_by(listing.host, owner_field="host"))
    assert list(mine) == [listing]
    assert not Property.objects.filter(selectors.owned_by(None, owner_field="host")).exists()
    services.ensure_owner(viewer=listing.host, obj=listing, owner_field="host")
    with pytest.raises(Forbidden) as refused:
        services.ensure_owner(viewer=stranger, obj=listing, owner_field="host")
    assert refused.value.code.name == "FORBIDDEN"


PROFILE = "query ($id: ID!) { node(id: $id) { ... on User { name email phone isVerified } } }"


def test_staff_see_private_fields_members_do_not(gql):
    ada = UserFactory(name="Ada", email="ada@example.com", phone="+351 912 345 678")
    variables = {"id": to_base64("User", ada.pk)}
    staff_view = gql.login(UserFactory(is_staff=True))(PROFILE, variables)["data"]["node"]
    assert staff_view == {
        "name": "Ada",
        "email": "ada@example.com",
        "phone": "+351 912 345 678",
        "isVerified": True,
    }
    member_view = gql.login(UserFactory())(PROFILE, variables)["data"]["node"]
    assert member_view == {"name": "Ada", "email": None, "phone": None, "isVerified": None}


def test_the_owner_view_of_a_payload_applies_to_that_instance_only():
    """accountRegister/tokenCreate/accountVerify return the account to whoever just proved to
    own it; that marks the returned object, not the account for the rest of the request."""
    ada = UserFactory()
    assert not selectors.can_see_private_fields(viewer=None, user=ada)
    shown = selectors.show_private_fields(ada)
    assert selectors.can_see_private_fields(viewer=None, user=shown)
    fresh = type(ada).objects.get(pk=ada.pk)
    assert not selectors.can_see_private_fields(viewer=None, user=fresh)
