"""``manage.py update_index``: Wagtail's indexes, then the readers' search index.

Wagtail's command rebuilds the admin's search (pages, images, documents, snippets); the readers'
search keeps its own index, in the database and, when there is a cluster, in Elasticsearch.
Running this after an outage or a lost task brings both back in step with the content.
"""

from typing import Any

from wagtail.search.management.commands.update_index import Command as WagtailUpdateIndex

from search import indexing


class Command(WagtailUpdateIndex):
    """Wagtail's ``update_index``, which then rebuilds the readers' search index."""

    def handle(self, **options: Any) -> None:
        """Rebuild Wagtail's indexes, then the readers' (not with ``--schema-only``)."""
        super().handle(**options)
        if options["schema_only"]:
            return
        self.write("Updating the readers' search index")
        total = indexing.rebuild(progress=self.write)
        self.write(f"{total} documents indexed.")
