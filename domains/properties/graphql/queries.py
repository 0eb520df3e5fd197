import strawberry

from domains.properties import selectors
from domains.properties.graphql.types import AmenityNode
from schema.context import Info


@strawberry.type
class PropertiesQuery:
    @strawberry.field(description="Every amenity a listing can offer, by name.")
    def amenities(self, info: Info) -> list[AmenityNode]:
        return list(selectors.amenities())
