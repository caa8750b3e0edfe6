"""The Elasticsearch index of search documents: its analysis settings and its mapping.

Matching uses the token fields (``title_exact``, ``title_folded``, ``body_exact``,
``body_folded``): they hold the tokens ``search.analysis`` made, so Elasticsearch splits them on
spaces and changes nothing, and a query finds on Elasticsearch what it finds on the database.
``title`` and ``text`` hold the text as written, analysed by Elasticsearch for phrase matching,
which only ranks: with the ICU plugin, ICU's word segmentation (which knows Khmer words) and
folding; without it, the built-in tokenizer with the same letter mappings and mark removal as
``search.analysis``.
"""

from typing import Any

from search.analysis import APOSTROPHES, COMBINING_DIACRITICS, FOLDED_LETTERS

TOKENS_ANALYZER = "banlang_tokens"
TEXT_ANALYZER = "banlang_text"

TOKEN_FIELDS = ("title_exact", "title_folded", "body_exact", "body_folded")


def letter_mappings() -> list[str]:
    """The mapping char filter's rules: letters that fold to another letter, and apostrophes.

    Upper-case forms are listed too: the filter runs before any lower-casing.
    """
    rules = [f"{char} => '" for char in APOSTROPHES]
    for letter, folded in FOLDED_LETTERS.items():
        rules += [f"{form} => {folded}" for form in dict.fromkeys((letter, letter.upper()))]
    return rules


def analysis(icu: bool) -> dict[str, Any]:
    """The ``analysis`` settings: ICU's analyzers when every node has the plugin."""
    char_filters: dict[str, Any] = {
        "banlang_letters": {"type": "mapping", "mappings": letter_mappings()},
        "banlang_marks": {
            "type": "pattern_replace",
            "pattern": f"[{COMBINING_DIACRITICS}]",
            "replacement": "",
        },
    }
    if icu:
        text_analyzer = {
            "type": "custom",
            "char_filter": ["banlang_letters"],
            "tokenizer": "icu_tokenizer",
            "filter": ["icu_folding"],
        }
    else:
        text_analyzer = {
            "type": "custom",
            "char_filter": ["banlang_letters", "banlang_marks"],
            "tokenizer": "standard",
            "filter": ["lowercase", "asciifolding"],
        }
    return {
        "char_filter": char_filters,
        "analyzer": {
            TOKENS_ANALYZER: {"type": "custom", "tokenizer": "whitespace"},
            TEXT_ANALYZER: text_analyzer,
        },
    }


def mappings() -> dict[str, Any]:
    """The fields of a search document: strict, so a mistyped field fails loudly."""
    keyword = {"type": "keyword"}
    tokens = {"type": "text", "analyzer": TOKENS_ANALYZER}
    return {
        "dynamic": "strict",
        "properties": {
            "document_id": {"type": "long"},
            "content_type": {"type": "integer"},
            "object_id": {"type": "long"},
            "language": keyword,
            "fallback": {"type": "boolean"},
            "doc_type": keyword,
            "url": {"type": "keyword", "index": False},
            "title": {"type": "text", "analyzer": TEXT_ANALYZER},
            "title_length": {"type": "integer"},
            "text": {"type": "text", "analyzer": TEXT_ANALYZER},
            "date": {"type": "date"},
            "facets": keyword,
            "audience": keyword,
            "item_audience": keyword,
            "title_exact": tokens,
            "title_folded": {**tokens, "index_prefixes": {"min_chars": 1, "max_chars": 8}},
            "body_exact": tokens,
            "body_folded": tokens,
        },
    }


def index_body(icu: bool, shards: int = 1, replicas: int = 1) -> dict[str, Any]:
    """What creating an index sends: settings with our analysis, and the mapping."""
    return {
        "settings": {
            "index": {"number_of_shards": shards, "number_of_replicas": replicas},
            "analysis": analysis(icu),
        },
        "mappings": mappings(),
    }


def cluster_has_icu(nodes_plugins: dict[str, Any]) -> bool:
    """Whether every node of a ``GET _nodes/plugins`` answer has the ICU analysis plugin."""
    nodes = nodes_plugins.get("nodes", {}).values()
    return bool(nodes) and all(
        any(plugin.get("name") == "analysis-icu" for plugin in node.get("plugins", []))
        for node in nodes
    )
