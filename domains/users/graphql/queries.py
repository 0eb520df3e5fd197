import strawberry

from domains.users.graphql.types import UserType
from schema.context import Info


@strawberry.type
class UsersQuery:
    @strawberry.field(description="The signed-in member, or null when nobody is signed in.")
    def me(self, info: Info) -> UserType | None:
        return info.context.viewer
