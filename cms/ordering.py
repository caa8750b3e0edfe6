"""The order of the items edited inline on a page or a record (Wagtail ``Orderable`` models)."""

IN_EDITORS_ORDER = ["sort_order", "pk"]
"""As the editor placed them, then as they were added: items made outside the editor (imports,
scripts) have no place of their own, and without the second key the database may return tied
items in any order, a different one from one query to the next."""
