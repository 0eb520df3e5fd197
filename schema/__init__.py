"""The root GraphQL schema and what every domain's GraphQL layer shares."""
