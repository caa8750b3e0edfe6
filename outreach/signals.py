"""What outreach announces to the apps above it (search), which it may not import."""

from django.dispatch import Signal

publication_changed = Signal()
"""Sent with the ``submission`` once its transaction commits, when a resident's question is
published with its answer or taken off the public pages."""
