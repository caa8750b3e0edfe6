"""Search on Elasticsearch 8/9, through Wagtail's (``modelsearch``) Elasticsearch backend.

The database index stays the source of truth and the fallback: every document is written there
first, then mirrored into one Elasticsearch index behind an alias (``mirror``). Searches go to
Elasticsearch while it answers and is in step, and to the database otherwise (``service``).
"""
