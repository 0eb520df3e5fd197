"""The frontend's documents of ../shared/contract/operations/properties.graphql, as the clients
send them (copied, so these tests run without the contract folder beside the clone)."""

CARD = """
fragment MoneyFields on Money { amount currency }
fragment PropertyCard on Property {
  id title city country latitude longitude propertyType maxGuests bedrooms
  pricePerNight { ...MoneyFields }
  averageRating reviewCount
  coverPhoto { id url caption }
  host { id name }
}
"""

SEARCH = (
    CARD
    + """
query PropertySearch($filter: PropertySearchFilter, $sort: PropertySort, $first: Int,
                     $after: String) {
  propertySearch(filter: $filter, sort: $sort, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { ...PropertyCard } }
  }
}
"""
)

DETAIL = (
    CARD
    + """
query PropertyDetail($id: ID!, $reviewsFirst: Int = 5) {
  node(id: $id) {
    ... on Property {
      ...PropertyCard
      description address bathrooms beds
      cleaningFee { ...MoneyFields }
      amenities { code name }
      photos { id url caption position }
      cancellationPolicy instantBook minNights maxNights isPublished
      host { id name avatar { url } dateJoined }
      reviews(first: $reviewsFirst) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node { id rating comment response createdAt author { id name avatar { url } } } }
      }
    }
  }
}
"""
)

AVAILABILITY = """
query PropertyAvailability($id: ID!, $from: Date!, $to: Date!) {
  node(id: $id) { ... on Property { id unavailableDates(from: $from, to: $to) } }
}
"""

MY_LISTINGS = (
    CARD
    + """
query MyListings($first: Int, $after: String) {
  me {
    id
    listings(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { ...PropertyCard isPublished } }
    }
  }
}
"""
)

CREATE = (
    CARD
    + """
mutation PropertyCreate($input: PropertyCreateInput!) {
  propertyCreate(input: $input) {
    property {
      ...PropertyCard
      description address
      cleaningFee { ...MoneyFields }
      amenities { code name }
      instantBook cancellationPolicy minNights maxNights isPublished
    }
    errors { field code message }
  }
}
"""
)

UPDATE = (
    CARD
    + """
mutation PropertyUpdate($input: PropertyUpdateInput!) {
  propertyUpdate(input: $input) {
    property { ...PropertyCard description isPublished instantBook }
    errors { field code message }
  }
}
"""
)

DELETE = """
mutation PropertyDelete($input: PropertyDeleteInput!) {
  propertyDelete(input: $input) { deletedId errors { field code message } }
}
"""

PHOTO_ADD = """
mutation PropertyPhotoAdd($input: PropertyPhotoAddInput!) {
  propertyPhotoAdd(input: $input) {
    photo { id url caption position }
    property { id coverPhoto { id url caption } photos { id url caption position } }
    errors { field code message }
  }
}
"""

PHOTO_REMOVE = """
mutation PropertyPhotoRemove($input: PropertyPhotoRemoveInput!) {
  propertyPhotoRemove(input: $input) {
    deletedId
    property { id coverPhoto { id url caption } photos { id url caption position } }
    errors { field code message }
  }
}
"""

DATES_BLOCK = """
mutation PropertyDatesBlock($input: PropertyDatesBlockInput!, $from: Date!, $to: Date!) {
  propertyDatesBlock(input: $input) {
    property { id unavailableDates(from: $from, to: $to) }
    errors { field code message }
  }
}
"""
