"""Demo content for a fresh site: ``manage.py load_demo``."""
