"""What the schema serves before the marketplace domains are merged: listing details through
`node`, a few at once through `nodes`, the amenities, and the signed-in member (`Me`).

Data: `bench/load/fixtures.py` (property_ids, tokens)."""

from bench.load.scenario import Operation, bearer, contract

PROPERTY_DETAIL = """
query PropertyNode($id: ID!) {
  node(id: $id) {
    ... on Property {
      id title city country latitude longitude propertyType maxGuests bedrooms beds bathrooms
      pricePerNight { amount currency } cleaningFee { amount currency }
      averageRating reviewCount instantBook cancellationPolicy minNights maxNights
      coverPhoto { id url } photos { id url caption position }
      amenities { code name }
      host { id name avatar { url } dateJoined }
    }
  }
}
"""

PROPERTY_CARDS = """
query PropertyCards($ids: [ID!]!) {
  nodes(ids: $ids) {
    ... on Property { id title city pricePerNight { amount currency } coverPhoto { url } }
  }
}
"""


def one_property(rng, data):
    return {"id": rng.choice(data["property_ids"])}


def some_properties(rng, data):
    return {"ids": rng.sample(data["property_ids"], min(8, len(data["property_ids"])))}


OPERATIONS = [
    Operation("PropertyNode", 6, PROPERTY_DETAIL, variables=one_property),
    Operation("PropertyCards", 2, PROPERTY_CARDS, variables=some_properties),
    Operation("Amenities", 1, contract("properties.graphql", "Amenities")),
    Operation("Me", 1, contract("accounts.graphql", "Me"), headers=bearer()),
]
