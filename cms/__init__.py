"""Bản Làng publishing: the Wagtail site, its pages, languages and settings."""
