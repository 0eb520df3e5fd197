"""The profile: `me`, accountUpdate (fields, becoming a host, the avatar upload)."""

import os
from io import BytesIO

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from strawberry.relay import to_base64

from domains.users.models import User
from tests.domains.users.documents import ACCOUNT_UPDATE, ME, error_codes, payload
from tests.domains.users.helpers import post_multipart
from tests.factories import PropertyFactory, UserFactory

pytestmark = pytest.mark.django_db

AVATAR = "variables.input.avatar"


def update(gql, user, **fields):
    return payload(gql.login(user)(ACCOUNT_UPDATE, {"input": fields}), "accountUpdate")


def image_bytes(image_format="PNG", size=(64, 48), color=(200, 30, 30), **save) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, color).save(buffer, format=image_format, **save)
    return buffer.getvalue()


def upload_avatar(gql, user, content: bytes, name="me.png", content_type="image/png"):
    file = SimpleUploadedFile(name, content, content_type=content_type)
    result = post_multipart(
        gql.login(user), ACCOUNT_UPDATE, {"input": {"avatar": None}}, {AVATAR: file}
    )
    return payload(result, "accountUpdate")


def test_me_returns_the_whole_profile_to_its_owner(gql):
    ada = UserFactory(
        email="ada@example.com", name="Ada", bio="Mathematician.", phone="+44 20 7946 0958"
    )
    me = gql.login(ada)(ME)["data"]["me"]
    assert me == {
        "id": to_base64("User", ada.pk),
        "email": "ada@example.com",
        "name": "Ada",
        "isHost": False,
        "isVerified": True,
        "bio": "Mathematician.",
        "phone": "+44 20 7946 0958",
        "avatar": None,
        "dateJoined": ada.date_joined.isoformat(),
    }


def test_update_changes_the_fields_sent_and_leaves_the_others(gql):
    ada = UserFactory(name="Ada", bio="Old bio", phone="+351 912 345 678")
    data = update(gql, ada, name="  Ada Lovelace ", phone="(020) 7946-0958")
    assert data["errors"] == []
    assert data["user"] == {
        "id": to_base64("User", ada.pk),
        "name": "Ada Lovelace",
        "bio": "Old bio",
        "phone": "(020) 7946-0958",
        "isHost": False,
        "avatar": None,
    }
    ada.refresh_from_db()
    assert (ada.name, ada.bio, ada.phone) == ("Ada Lovelace", "Old bio", "(020) 7946-0958")


def test_an_explicit_null_clears_bio_and_phone(gql):
    ada = UserFactory(bio="Something", phone="+351 912 345 678")
    data = update(gql, ada, bio=None, phone=None)
    assert data["user"]["bio"] == "" and data["user"]["phone"] is None
    ada.refresh_from_db()
    assert (ada.bio, ada.phone) == ("", "")


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"name": None}, [("name", "REQUIRED")]),
        ({"name": "   "}, [("name", "REQUIRED")]),
        ({"name": "x" * 151}, [("name", "INVALID")]),
        ({"bio": "x" * 2001}, [("bio", "INVALID")]),
        ({"bio": "nul\x00"}, [("bio", "INVALID")]),
        ({"name": "Ada\x00"}, [("name", "INVALID")]),
        ({"phone": "123456\x00"}, [("phone", "INVALID")]),
        ({"phone": "call me"}, [("phone", "INVALID")]),
        ({"phone": "12345"}, [("phone", "INVALID")]),
        ({"phone": "+1 (23)"}, [("phone", "INVALID")]),
        ({"phone": "1" * 33}, [("phone", "INVALID")]),
        ({"isHost": None}, [("isHost", "INVALID")]),
        ({"name": "", "phone": "x"}, [("name", "REQUIRED"), ("phone", "INVALID")]),
    ],
)
def test_invalid_fields_are_refused_and_nothing_changes(gql, fields, expected):
    ada = UserFactory(name="Ada", bio="Bio", phone="+351 912 345 678")
    # A valid change sent beside the invalid ones is not applied either.
    data = update(gql, ada, **{"bio": "changed", **fields})
    assert data["user"] is None
    assert error_codes(data) == expected
    ada.refresh_from_db()
    assert (ada.name, ada.bio, ada.phone) == ("Ada", "Bio", "+351 912 345 678")


def test_a_bio_at_the_limit_and_with_line_breaks_is_fine(gql):
    ada = UserFactory()
    assert update(gql, ada, bio="x" * 2000)["errors"] == []
    bio = "Line one.\n\n\tLine two."
    assert update(gql, ada, bio=bio)["user"]["bio"] == bio


def test_update_needs_a_signed_in_member(gql):
    result = gql(ACCOUNT_UPDATE, {"input": {"name": "Eve"}})
    assert result["data"] is None
    assert result["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}


# --- hosting ---------------------------------------------------------------------------------


def test_a_guest_becomes_a_host(gql):
    ada = UserFactory()
    assert update(gql, ada, isHost=True)["user"]["isHost"] is True
    ada.refresh_from_db()
    assert ada.is_host


def test_a_host_with_listings_cannot_stop_hosting(gql):
    listing = PropertyFactory(is_published=False)
    data = update(gql, listing.host, isHost=False)
    assert data["user"] is None
    assert error_codes(data) == [("isHost", "INVALID_STATE")]
    listing.host.refresh_from_db()
    assert listing.host.is_host


def test_a_host_without_listings_can_stop_hosting(gql):
    from django.utils import timezone

    deleted = PropertyFactory(deleted_at=timezone.now())  # a deleted listing does not count
    assert update(gql, deleted.host, isHost=False)["user"]["isHost"] is False
    host = UserFactory(is_host=True)
    assert update(gql, host, isHost=False)["user"]["isHost"] is False


# --- avatar ----------------------------------------------------------------------------------


def test_an_avatar_is_uploaded_with_a_multipart_request(gql):
    ada = UserFactory()
    data = upload_avatar(gql, ada, image_bytes("PNG"))
    assert data["errors"] == []
    url = data["user"]["avatar"]["url"]
    ada.refresh_from_db()
    assert ada.avatar.name.startswith(f"avatars/{ada.pk}/") and ada.avatar.name.endswith(".png")
    assert url == f"https://testserver/media/{ada.avatar.name}"
    with default_storage.open(ada.avatar.name) as stored, Image.open(stored) as image:
        assert image.format == "PNG" and image.size == (64, 48)
    assert gql(ME)["data"]["me"]["avatar"] == {"url": url}


def test_the_stored_avatar_is_upright_scaled_down_and_without_metadata(gql, settings):
    settings.AVATAR_MAX_DIMENSION = 100
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to view
    exif[0x010F] = "Camera maker"
    exif[0x8825] = {1: "N", 2: (38.0, 43.0, 0.0)}  # GPS: where the photo was taken
    content = image_bytes("JPEG", size=(400, 200), exif=exif.tobytes())
    with Image.open(BytesIO(content)) as source:
        assert source.getexif().get_ifd(0x8825)  # the upload does carry a position
    ada = UserFactory()
    data = upload_avatar(gql, ada, content, name="photo.jpg", content_type="image/jpeg")
    assert data["errors"] == []
    ada.refresh_from_db()
    assert ada.avatar.name.endswith(".jpg")
    with default_storage.open(ada.avatar.name) as stored, Image.open(stored) as image:
        assert image.format == "JPEG"
        assert image.size == (50, 100)  # turned upright, then scaled to fit 100 pixels
        assert not image.getexif()


def test_a_file_that_is_not_an_image_is_invalid_image(gql):
    ada = UserFactory()
    data = upload_avatar(gql, ada, b"%PDF-1.7 not a picture", name="me.png")
    assert data["user"] is None
    assert error_codes(data) == [("avatar", "INVALID_IMAGE")]
    ada.refresh_from_db()
    assert not ada.avatar


@pytest.mark.parametrize(
    "content",
    [
        image_bytes("GIF"),  # an image, not an accepted format
        image_bytes("PNG")[:60],  # truncated
        b"",
    ],
)
def test_unaccepted_or_broken_images_are_invalid_image(gql, content):
    ada = UserFactory()
    assert error_codes(upload_avatar(gql, ada, content)) == [("avatar", "INVALID_IMAGE")]


def test_a_string_instead_of_a_file_is_invalid_image(gql):
    ada = UserFactory()
    data = update(gql, ada, avatar="https://example.com/me.png")
    assert error_codes(data) == [("avatar", "INVALID_IMAGE")]


def test_a_file_over_the_size_cap_is_file_too_large(gql, settings):
    settings.AVATAR_MAX_BYTES = 1024 * 1024
    noise = Image.frombytes("RGB", (700, 700), os.urandom(700 * 700 * 3))
    buffer = BytesIO()
    noise.save(buffer, format="PNG")
    assert buffer.tell() > settings.AVATAR_MAX_BYTES
    ada = UserFactory()
    data = upload_avatar(gql, ada, buffer.getvalue())
    assert error_codes(data) == [("avatar", "FILE_TOO_LARGE")]
    assert data["errors"][0]["message"] == "The image is larger than 1 MB."
    ada.refresh_from_db()
    assert not ada.avatar


def test_a_new_avatar_replaces_the_old_file_after_commit(gql, django_capture_on_commit_callbacks):
    ada = UserFactory()
    upload_avatar(gql, ada, image_bytes("PNG"))
    ada.refresh_from_db()
    first = ada.avatar.name
    with django_capture_on_commit_callbacks(execute=True):
        upload_avatar(gql, ada, image_bytes("WEBP"), name="me.webp", content_type="image/webp")
    ada.refresh_from_db()
    assert ada.avatar.name != first and ada.avatar.name.endswith(".webp")
    assert default_storage.exists(ada.avatar.name)
    assert not default_storage.exists(first)


def test_null_removes_the_avatar(gql, django_capture_on_commit_callbacks):
    ada = UserFactory()
    upload_avatar(gql, ada, image_bytes("PNG"))
    ada.refresh_from_db()
    old = ada.avatar.name
    with django_capture_on_commit_callbacks(execute=True):
        data = update(gql, ada, avatar=None)
    assert data["user"]["avatar"] is None
    ada.refresh_from_db()
    assert not ada.avatar and not default_storage.exists(old)


def test_an_invalid_field_beside_an_avatar_stores_no_file(gql, settings):
    ada = UserFactory()
    file = SimpleUploadedFile("me.png", image_bytes("PNG"), content_type="image/png")
    variables = {"input": {"name": "", "avatar": None}}
    result = post_multipart(gql.login(ada), ACCOUNT_UPDATE, variables, {AVATAR: file})
    assert error_codes(payload(result, "accountUpdate")) == [("name", "REQUIRED")]
    assert not (settings.MEDIA_ROOT / "avatars").exists()
    assert not User.objects.get(pk=ada.pk).avatar
