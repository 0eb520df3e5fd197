"""Write the manifest of registered operations (strict persisted-query mode) from .graphql files.

    manage.py persisted_queries_manifest [--operations DIR] [--output FILE]

Each operation of each document becomes one entry: the operation with the fragments it uses,
printed canonically (graphql-core's printer), keyed by the SHA-256 of that text, in Apollo's
manifest format. Clients must send exactly that text (or its hash). Apollo Client adds
`__typename` to documents, so a web client should generate its manifest from its own build
(`@apollo/generate-persisted-query-manifest`, same format) and point
GRAPHQL_PERSISTED_MANIFEST there.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from graphql import parse, validate

from schema.documents import operation_documents
from schema.persisted import sha256

DEFAULT_OPERATIONS = settings.BASE_DIR.parent / "shared" / "contract" / "operations"


class Command(BaseCommand):
    help = "Write the persisted query manifest from the contract's .graphql documents."

    def add_arguments(self, parser):
        parser.add_argument("--operations", type=Path, default=DEFAULT_OPERATIONS)
        parser.add_argument(
            "--output", type=Path, default=Path(settings.GRAPHQL_PERSISTED_MANIFEST)
        )

    def handle(self, *args, operations: Path, output: Path, **options):
        from schema.schema import schema

        files = sorted(operations.glob("*.graphql"))
        if not files:
            raise CommandError(f"No .graphql documents in {operations}")
        entries = []
        for path in files:
            for operation, text in operation_documents(parse(path.read_text())):
                errors = validate(schema._schema, parse(text))
                if errors:
                    self.stderr.write(
                        f"{path.name}: {operation.name.value} does not validate against the "
                        f"schema yet ({errors[0].message}); registered anyway"
                    )
                entries.append(
                    {
                        "id": sha256(text),
                        "name": operation.name.value if operation.name else None,
                        "type": operation.operation.value,
                        "body": text,
                    }
                )
        manifest = {
            "format": "apollo-persisted-query-manifest",
            "version": 1,
            "operations": entries,
        }
        output.write_text(json.dumps(manifest, indent=2) + "\n")
        self.stdout.write(f"Wrote {len(entries)} operations to {output}")
