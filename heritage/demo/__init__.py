"""Demo content of the heritage archive: records, communities and sample users (``load_demo``)."""
