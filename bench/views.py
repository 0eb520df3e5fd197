"""Bare Django views that run the same SQL as the GraphQL operations and answer the same JSON:
the yardstick of the GraphQL layer's cost. Mounted by bench/urls.py only.

- `search`: PropertySearch's statements (the page's ids with the total, the page's rows with
  their hosts, the cover photos), the PropertyCard fields.
- `detail`: PropertyDetail's statements (the listing with its host, amenities, photos, cover
  photo, the reviews page with authors and total).
"""

import json
from datetime import date
from decimal import Decimal

from django.db.models import Count, Prefetch, Window
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from strawberry.relay import from_base64, to_base64

from domains.properties import search as property_search
from domains.properties import selectors
from domains.properties.errors import InvalidSearch
from domains.properties.models import Property, PropertyPhoto
from domains.reviews.selectors import property_reviews

CARD_FIELDS = [
    "id",
    "host_id",
    "title",
    "property_type",
    "city",
    "country",
    "latitude",
    "longitude",
    "price_per_night",
    "currency",
    "max_guests",
    "bedrooms",
    "review_count",
    "rating_average",
    "host__id",
    "host__name",
]
DETAIL_FIELDS = [
    *CARD_FIELDS,
    "description",
    "address",
    "bathrooms",
    "beds",
    "cleaning_fee",
    "cancellation_policy",
    "instant_book",
    "min_nights",
    "max_nights",
    "is_published",
    "host__avatar",
    "host__date_joined",
]


def _cover_prefetch() -> Prefetch:
    return Prefetch(
        "photos",
        queryset=PropertyPhoto.objects.order_by("position", "id")[:1],
        to_attr="cover_photos",
    )


def _url(request: HttpRequest, file) -> str | None:
    return request.build_absolute_uri(file.storage.url(file.name)) if file else None


def _money(amount: Decimal, currency: str) -> dict:
    return {"amount": str(amount), "currency": currency}


def _photo(request: HttpRequest, photo: PropertyPhoto) -> dict:
    return {
        "id": to_base64("PropertyPhoto", photo.pk),
        "url": _url(request, photo.image),
        "caption": photo.caption,
    }


def _card(request: HttpRequest, listing: Property) -> dict:
    covers = listing.cover_photos
    return {
        "id": to_base64("Property", listing.pk),
        "title": listing.title,
        "city": listing.city,
        "country": listing.country,
        "latitude": float(listing.latitude),
        "longitude": float(listing.longitude),
        "propertyType": listing.property_type,
        "maxGuests": listing.max_guests,
        "bedrooms": listing.bedrooms,
        "pricePerNight": _money(listing.price_per_night, listing.currency),
        "averageRating": None if listing.rating_average is None else float(listing.rating_average),
        "reviewCount": listing.review_count,
        "coverPhoto": _photo(request, covers[0]) if covers else None,
        "host": {"id": to_base64("User", listing.host.pk), "name": listing.host.name},
    }


def _params(filter: dict) -> property_search.SearchParams:
    def day(name):
        return date.fromisoformat(filter[name]) if filter.get(name) else None

    return property_search.SearchParams(
        city=filter.get("city"),
        check_in=day("checkIn"),
        check_out=day("checkOut"),
        guests=filter.get("guests"),
    ).validated()


@csrf_exempt
@require_POST
def search(request: HttpRequest) -> JsonResponse:
    body = json.loads(request.body)
    first = int(body.get("first") or 20)
    try:
        params = _params(body.get("filter") or {})
    except InvalidSearch as error:
        return JsonResponse({"error": error.message}, status=400)
    matches = property_search.search_properties(params)
    rows = list(
        matches.annotate(search_total=Window(Count(1))).values_list("pk", "search_total")[
            : first + 1
        ]
    )
    ids = [pk for pk, _ in rows[:first]]
    found = {
        listing.pk: listing
        for listing in Property.objects.filter(pk__in=ids)
        .order_by()
        .select_related("host")
        .only(*CARD_FIELDS)
        .prefetch_related(_cover_prefetch())
    }
    page = [found[pk] for pk in ids if pk in found]
    edges = [
        {"cursor": to_base64("arrayconnection", i), "node": _card(request, listing)}
        for i, listing in enumerate(page)
    ]
    return JsonResponse(
        {
            "propertySearch": {
                "totalCount": rows[0][1] if rows else 0,
                "pageInfo": {
                    "hasNextPage": len(rows) > first,
                    "hasPreviousPage": False,
                    "startCursor": edges[0]["cursor"] if edges else None,
                    "endCursor": edges[-1]["cursor"] if edges else None,
                },
                "edges": edges,
            }
        }
    )


@csrf_exempt
@require_POST
def detail(request: HttpRequest) -> JsonResponse:
    body = json.loads(request.body)
    reviews_first = int(body.get("reviewsFirst") or 5)
    _, pk = from_base64(body["id"])
    listing = (
        selectors.visible_properties(viewer=None)
        .filter(pk=pk)
        .select_related("host")
        .only(*DETAIL_FIELDS)
        .prefetch_related(
            "amenities",
            Prefetch("photos", queryset=PropertyPhoto.objects.order_by("position", "id")),
            _cover_prefetch(),
        )
        .first()
    )
    if listing is None:
        return JsonResponse({"node": None})
    reviews = list(
        property_reviews(property_id=listing.pk)
        .select_related("author")
        .annotate(total=Window(Count(1)))[: reviews_first + 1]
    )
    node = _card(request, listing) | {
        "description": listing.description,
        "address": listing.address,
        "bathrooms": float(listing.bathrooms),
        "beds": listing.beds,
        "cleaningFee": _money(listing.cleaning_fee, listing.currency),
        "amenities": [{"code": a.code, "name": a.name} for a in listing.amenities.all()],
        "photos": [
            _photo(request, photo) | {"position": photo.position} for photo in listing.photos.all()
        ],
        "cancellationPolicy": listing.cancellation_policy,
        "instantBook": listing.instant_book,
        "minNights": listing.min_nights,
        "maxNights": listing.max_nights,
        "isPublished": listing.is_published,
    }
    node["host"] |= {
        "avatar": {"url": _url(request, listing.host.avatar)} if listing.host.avatar else None,
        "dateJoined": listing.host.date_joined.isoformat(),
    }
    node["reviews"] = {
        "totalCount": reviews[0].total if reviews else 0,
        "pageInfo": {
            "hasNextPage": len(reviews) > reviews_first,
            "endCursor": to_base64("arrayconnection", min(len(reviews), reviews_first) - 1)
            if reviews
            else None,
        },
        "edges": [
            {
                "node": {
                    "id": to_base64("Review", review.pk),
                    "rating": review.rating,
                    "comment": review.comment,
                    "response": review.response or None,
                    "createdAt": review.created_at.isoformat(),
                    "author": {
                        "id": to_base64("User", review.author.pk),
                        "name": review.author.name,
                        "avatar": {"url": _url(request, review.author.avatar)}
                        if review.author.avatar
                        else None,
                    },
                }
            }
            for review in reviews[:reviews_first]
        ],
    }
    return JsonResponse({"node": node})
