"""Search across articles, products and heritage records, on Elasticsearch or the database."""
