"""propertyPhotoAdd and propertyPhotoRemove over GraphQL multipart requests: stored through the
media storage, validated by content, capped in size and count, renumbered on removal."""

import io
import json

import pytest
from PIL import Image
from strawberry.relay import to_base64

from domains.properties.models import PropertyPhoto
from tests.domains.properties.documents import PHOTO_ADD, PHOTO_REMOVE
from tests.factories import PropertyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def image_file(fmt: str = "PNG", size=(64, 48), name: str = "photo.png") -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, format=fmt)
    buffer.seek(0)
    buffer.name = name
    return buffer


def add_photo(gql, listing, file, caption="Living room") -> dict:
    """A GraphQL multipart request (operations, map, the file), as Apollo's upload link sends."""
    operations = {
        "query": PHOTO_ADD,
        "variables": {
            "input": {
                "propertyId": to_base64("Property", listing.pk),
                "file": None,
                "caption": caption,
            }
        },
    }
    response = gql.http.post(
        "/graphql/",
        {
            "operations": json.dumps(operations),
            "map": json.dumps({"0": ["variables.input.file"]}),
            "0": file,
        },
        secure=True,
        headers=gql.headers(None, None),
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert "errors" not in body, body
    return body["data"]["propertyPhotoAdd"]


def remove_photo(gql, photo_id: int) -> dict:
    result = gql(PHOTO_REMOVE, {"input": {"id": to_base64("PropertyPhoto", photo_id)}})
    assert "errors" not in result, result
    return result["data"]["propertyPhotoRemove"]


def codes(payload: dict) -> dict:
    return {error["field"]: error["code"] for error in payload["errors"]}


def test_host_adds_photos_in_order(gql, media):
    listing = PropertyFactory()
    client = gql.login(listing.host)
    first = add_photo(client, listing, image_file(), caption="  Living room ")
    assert first["errors"] == []
    assert first["photo"]["position"] == 0 and first["photo"]["caption"] == "Living room"
    second = add_photo(client, listing, image_file("JPEG", name="x.jpg"), caption="Kitchen")
    assert second["photo"]["position"] == 1
    assert [p["caption"] for p in second["property"]["photos"]] == ["Living room", "Kitchen"]
    assert second["property"]["coverPhoto"]["id"] == first["photo"]["id"]
    photo = PropertyPhoto.objects.get(caption="Kitchen")
    assert (photo.width, photo.height) == (64, 48)
    # Stored under a random name with the extension the content calls for.
    assert photo.image.name.startswith(f"properties/{listing.pk}/")
    assert photo.image.name.endswith(".jpg") and "x.jpg" not in photo.image.name
    assert (media / photo.image.name).is_file()
    assert second["photo"]["url"] == f"https://testserver/media/{photo.image.name}"


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"GIF89a not really an image", "INVALID_IMAGE"),
        (b"%PDF-1.4 a document", "INVALID_IMAGE"),
    ],
)
def test_files_that_are_not_accepted_images_are_refused(gql, media, content, code):
    listing = PropertyFactory()
    file = io.BytesIO(content)
    file.name = "photo.jpg"
    payload = add_photo(gql.login(listing.host), listing, file)
    assert codes(payload) == {"file": code} and payload["photo"] is None
    assert not PropertyPhoto.objects.exists()
    assert not any(media.rglob("*.*"))


def test_a_gif_is_not_an_accepted_format(gql):
    listing = PropertyFactory()
    payload = add_photo(gql.login(listing.host), listing, image_file("GIF", name="a.gif"))
    assert codes(payload) == {"file": "INVALID_IMAGE"}


def test_size_cap(gql, settings):
    settings.PROPERTY_PHOTO_MAX_BYTES = 1024
    listing = PropertyFactory()
    big = image_file("PNG", size=(300, 300))
    Image.effect_noise((300, 300), 100).convert("RGB").save(big, format="PNG")
    big.seek(0)
    payload = add_photo(gql.login(listing.host), listing, big)
    assert codes(payload) == {"file": "FILE_TOO_LARGE"}


def test_count_cap(gql, settings):
    settings.PROPERTY_PHOTOS_MAX = 2
    listing = PropertyFactory()
    client = gql.login(listing.host)
    for _ in range(2):
        assert add_photo(client, listing, image_file())["errors"] == []
    payload = add_photo(client, listing, image_file())
    assert codes(payload) == {"file": "LIMIT_EXCEEDED"}
    assert listing.photos.count() == 2


def test_caption_length(gql):
    listing = PropertyFactory()
    payload = add_photo(gql.login(listing.host), listing, image_file(), caption="c" * 201)
    assert codes(payload) == {"caption": "INVALID"}


def test_only_the_host_adds_photos(gql):
    published = PropertyFactory()
    draft = PropertyFactory(is_published=False)
    client = gql.login(UserFactory(is_host=True))
    assert codes(add_photo(client, published, image_file())) == {"propertyId": "FORBIDDEN"}
    assert codes(add_photo(client, draft, image_file())) == {"propertyId": "NOT_FOUND"}
    assert not PropertyPhoto.objects.exists()


def test_remove_renumbers_and_deletes_the_file_after_commit(
    gql, media, django_capture_on_commit_callbacks
):
    listing = PropertyFactory()
    client = gql.login(listing.host)
    ids = [add_photo(client, listing, image_file(), caption=c)["photo"]["id"] for c in "abc"]
    first = PropertyPhoto.objects.get(caption="a")
    stored = media / first.image.name
    with django_capture_on_commit_callbacks(execute=True):
        payload = remove_photo(client, first.pk)
    assert payload["errors"] == [] and payload["deletedId"] == ids[0]
    photos = payload["property"]["photos"]
    assert [(p["caption"], p["position"]) for p in photos] == [("b", 0), ("c", 1)]
    assert payload["property"]["coverPhoto"]["caption"] == "b"
    assert not stored.exists()
    assert list(listing.photos.values_list("position", flat=True)) == [0, 1]


def test_removing_someone_elses_photo(gql):
    published = PropertyFactory()
    draft = PropertyFactory(is_published=False)
    on_published = PropertyPhoto.objects.create(
        property=published, image="p/a.jpg", width=1, height=1
    )
    on_draft = PropertyPhoto.objects.create(property=draft, image="p/b.jpg", width=1, height=1)
    client = gql.login(UserFactory(is_host=True))
    assert codes(remove_photo(client, on_published.pk)) == {"id": "FORBIDDEN"}
    assert codes(remove_photo(client, on_draft.pk)) == {"id": "NOT_FOUND"}
    assert codes(remove_photo(client, 999_999)) == {"id": "NOT_FOUND"}
    assert PropertyPhoto.objects.count() == 2


def test_photos_need_a_signed_in_user(gql):
    result = gql(PHOTO_REMOVE, {"input": {"id": to_base64("PropertyPhoto", 1)}})
    assert result["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
