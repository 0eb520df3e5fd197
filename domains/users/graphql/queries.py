import strawberry

from domains.users.graphql.types import UserNode
from schema.context import Info


@strawberry.type
class UsersQuery:
    @strawberry.field(description="The signed-in member, or null when nobody is signed in.")
    def me(self, info: Info) -> UserNode | None:
        return info.context.viewer
