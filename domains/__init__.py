"""One Django app per domain (users, properties, bookings, payments, reviews) and `shared`,
the few pieces every domain uses (error codes, money)."""
