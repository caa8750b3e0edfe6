"""What heritage announces to the apps above it (outreach, search), which it may not import."""

from django.dispatch import Signal

records_imported = Signal()
"""Sent with ``record_ids`` once an import's transaction commits: the records it wrote in bulk,
without the save signals that would otherwise tell of each."""
