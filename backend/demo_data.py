"""Realistic marketplace data shared by `manage.py seed_demo` and the benchmark generator:
cities with their coordinates and price levels, listing titles, names."""

import random
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class City:
    name: str
    country: str
    latitude: float
    longitude: float
    currency: str
    typical_price: int  # a typical nightly price in the currency
    weight: int  # how many listings it has, relatively


CITIES = [
    City("Lisbon", "Portugal", 38.7223, -9.1393, "EUR", 95, 9),
    City("Porto", "Portugal", 41.1579, -8.6291, "EUR", 80, 5),
    City("Barcelona", "Spain", 41.3874, 2.1686, "EUR", 120, 9),
    City("Madrid", "Spain", 40.4168, -3.7038, "EUR", 100, 7),
    City("Paris", "France", 48.8566, 2.3522, "EUR", 160, 10),
    City("Nice", "France", 43.7102, 7.2620, "EUR", 140, 4),
    City("Rome", "Italy", 41.9028, 12.4964, "EUR", 120, 8),
    City("Florence", "Italy", 43.7696, 11.2558, "EUR", 130, 4),
    City("Amsterdam", "Netherlands", 52.3676, 4.9041, "EUR", 170, 6),
    City("Berlin", "Germany", 52.5200, 13.4050, "EUR", 90, 7),
    City("London", "United Kingdom", 51.5072, -0.1276, "GBP", 150, 10),
    City("Edinburgh", "United Kingdom", 55.9533, -3.1883, "GBP", 110, 3),
    City("New York", "United States", 40.7128, -74.0060, "USD", 210, 10),
    City("San Francisco", "United States", 37.7749, -122.4194, "USD", 230, 5),
    City("Austin", "United States", 30.2672, -97.7431, "USD", 150, 4),
    City("Mexico City", "Mexico", 19.4326, -99.1332, "USD", 70, 5),
    City("Tokyo", "Japan", 35.6762, 139.6503, "JPY", 15000, 7),
    City("Kyoto", "Japan", 35.0116, 135.7681, "JPY", 14000, 3),
    City("Sydney", "Australia", -33.8688, 151.2093, "AUD", 220, 5),
    City("Cape Town", "South Africa", -33.9249, 18.4241, "ZAR", 1500, 3),
    City("Zermatt", "Switzerland", 46.0207, 7.7491, "CHF", 300, 2),
    City("Reykjavik", "Iceland", 64.1466, -21.9426, "EUR", 180, 2),
]

ADJECTIVES = [
    "Sunny",
    "Cosy",
    "Bright",
    "Quiet",
    "Charming",
    "Modern",
    "Rustic",
    "Spacious",
    "Stylish",
    "Hidden",
    "Historic",
    "Airy",
    "Elegant",
    "Peaceful",
    "Colourful",
]
PLACES = {
    "APARTMENT": ["flat", "loft", "apartment", "studio", "penthouse"],
    "HOUSE": ["house", "townhouse", "cottage", "family home"],
    "ROOM": ["private room", "guest room", "double room"],
    "CABIN": ["cabin", "chalet", "log cabin"],
    "VILLA": ["villa", "seaside villa", "garden villa"],
    "OTHER": ["houseboat", "treehouse", "tiny home", "yurt"],
}
FEATURES = [
    "near the old town",
    "with a balcony",
    "with river views",
    "by the beach",
    "in a leafy street",
    "with a rooftop terrace",
    "steps from the metro",
    "with a garden",
    "in the arts district",
    "with a fireplace",
]
FIRST_NAMES = [
    "Ana",
    "João",
    "Marta",
    "Luis",
    "Sofia",
    "Chen",
    "Yuki",
    "Amara",
    "Liam",
    "Emma",
    "Noah",
    "Olivia",
    "Mateo",
    "Lucia",
    "Hugo",
    "Ines",
    "Omar",
    "Leila",
    "Sven",
    "Freya",
    "Kai",
    "Maya",
    "Ravi",
    "Priya",
    "Tom",
    "Nora",
]
LAST_NAMES = [
    "Silva",
    "Santos",
    "García",
    "Martin",
    "Rossi",
    "Müller",
    "Smith",
    "Jones",
    "Tanaka",
    "Kim",
    "Okafor",
    "Haddad",
    "Larsen",
    "Novak",
    "Dubois",
    "Costa",
    "Patel",
]
PROPERTY_TYPE_WEIGHTS = {
    "APARTMENT": 50,
    "HOUSE": 20,
    "ROOM": 15,
    "CABIN": 5,
    "VILLA": 5,
    "OTHER": 5,
}
COMMENTS = [
    "Wonderful stay, exactly as described.",
    "Great location and a very helpful host.",
    "Clean, quiet and comfortable. Would stay again.",
    "Nice place, a bit noisy at night.",
    "The photos do not do it justice!",
    "Good value for the price.",
    "Check-in was easy and the host answered quickly.",
]


def pick_city(rng: random.Random) -> City:
    return rng.choices(CITIES, weights=[c.weight for c in CITIES])[0]


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def listing_fields(rng: random.Random, city: City) -> dict:
    """Fields of a plausible listing in `city` (price spread log-normally around its level)."""
    kind = rng.choices(list(PROPERTY_TYPE_WEIGHTS), weights=list(PROPERTY_TYPE_WEIGHTS.values()))[0]
    bedrooms = 1 if kind == "ROOM" else rng.choice([1, 1, 2, 2, 3, 4, 5])
    size = {"ROOM": 0.5, "VILLA": 2.5, "HOUSE": 1.5}.get(kind, 1.0) * (0.7 + 0.3 * bedrooms)
    price = city.typical_price * size * rng.lognormvariate(0, 0.35)
    zero_decimals = city.currency == "JPY"
    return {
        "title": f"{rng.choice(ADJECTIVES)} {rng.choice(PLACES[kind])} {rng.choice(FEATURES)}",
        "description": f"A {rng.choice(ADJECTIVES).lower()} place in {city.name}. "
        + " ".join(rng.sample(FEATURES, 3)).capitalize()
        + ".",
        "property_type": kind,
        "address": f"{rng.randint(1, 250)} {rng.choice(LAST_NAMES)} Street",
        "city": city.name,
        "country": city.country,
        "latitude": Decimal(f"{city.latitude + rng.gauss(0, 0.03):.6f}"),
        "longitude": Decimal(f"{city.longitude + rng.gauss(0, 0.04):.6f}"),
        "price_per_night": Decimal(round(price, -2) if zero_decimals else round(price)),
        "currency": city.currency,
        "cleaning_fee": Decimal(round(price * rng.choice([0, 0.2, 0.3, 0.5]))),
        "max_guests": max(1, bedrooms * 2 - rng.choice([0, 0, 1])),
        "bedrooms": bedrooms,
        "beds": bedrooms + rng.choice([0, 0, 1]),
        "bathrooms": Decimal(rng.choice(["1", "1", "1.5", "2", "2.5"])),
        "instant_book": rng.random() < 0.6,
        "cancellation_policy": rng.choice(["FLEXIBLE", "MODERATE", "MODERATE", "STRICT"]),
        "min_nights": rng.choice([1, 1, 2, 2, 3, 5]),
        "max_nights": rng.choice([14, 30, 30, 60, 90]),
        "is_published": rng.random() < 0.95,
    }
