"""The documents of the frontend contract (shared/contract/operations/bookings.graphql) that
the booking and payment tests send, with the same shapes."""

BOOKING_FIELDS = """
fragment BookingFields on Booking {
  id status checkIn checkOut nights guests message createdAt
  price {
    nightlyRate { amount currency } subtotal { amount currency }
    cleaningFee { amount currency } serviceFee { amount currency } total { amount currency }
  }
  property { id title city coverPhoto { id url } host { id name } }
  guest { id name }
  payment { id status amount { amount currency } refundedAmount { amount currency } }
  canCancel
  canReview
}
"""

QUOTE = """
query BookingQuote($input: BookingQuoteInput!) {
  bookingQuote(input: $input) {
    quote {
      nights
      nightlyRate { amount currency } subtotal { amount currency }
      cleaningFee { amount currency } serviceFee { amount currency } total { amount currency }
    }
    errors { field code message }
  }
}
"""

CREATE = (
    BOOKING_FIELDS
    + """
mutation BookingCreate($input: BookingCreateInput!) {
  bookingCreate(input: $input) { booking { ...BookingFields } errors { field code message } }
}
"""
)

PAY = """
mutation PaymentCreate($input: PaymentCreateInput!) {
  paymentCreate(input: $input) {
    payment { id status provider providerReference clientSecret amount { amount currency } }
    booking { id status canCancel payment { id status } }
    errors { field code message }
  }
}
"""

CANCEL = (
    BOOKING_FIELDS
    + """
mutation BookingCancel($input: BookingCancelInput!) {
  bookingCancel(input: $input) { booking { ...BookingFields } errors { field code message } }
}
"""
)

ACCEPT = (
    BOOKING_FIELDS
    + """
mutation BookingAccept($input: BookingAcceptInput!) {
  bookingAccept(input: $input) { booking { ...BookingFields } errors { field code message } }
}
"""
)

DECLINE = (
    BOOKING_FIELDS
    + """
mutation BookingDecline($input: BookingDeclineInput!) {
  bookingDecline(input: $input) { booking { ...BookingFields } errors { field code message } }
}
"""
)

TRIPS = (
    BOOKING_FIELDS
    + """
query MyTrips($status: [BookingStatus!], $first: Int, $after: String) {
  me {
    id
    trips(status: $status, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { ...BookingFields } }
    }
  }
}
"""
)

RESERVATIONS = (
    BOOKING_FIELDS
    + """
query HostReservations($status: [BookingStatus!], $first: Int, $after: String) {
  me {
    id
    reservations(status: $status, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { ...BookingFields } }
    }
  }
}
"""
)

DETAIL = (
    BOOKING_FIELDS
    + """
query BookingDetail($id: ID!) { node(id: $id) { ... on Booking { ...BookingFields } } }
"""
)

SUBSCRIPTION = "subscription BookingUpdated { bookingUpdated { id status payment { id status } } }"
