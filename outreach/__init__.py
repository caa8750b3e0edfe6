"""Outreach: subscriptions, bulletins and residents' feedback."""
