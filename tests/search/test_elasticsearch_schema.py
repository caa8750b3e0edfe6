"""The Elasticsearch index we create and the requests we send, checked without a cluster."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser

from heritage.audience import user_audience
from search.analysis import autocomplete_prefix, fold, query_words
from search.elastic import queries, schema

KHMER_VOWEL_SIGN_AA = "\u17b6"
TAI_VIET_MAI_KANG = "\uaab0"
CHAM_VOWEL_SIGN_I = "\uaa2a"


def nodes(*plugin_lists):
    return {
        "nodes": {
            f"node-{n}": {"plugins": [{"name": name} for name in plugins]}
            for n, plugins in enumerate(plugin_lists)
        }
    }


def test_icu_is_used_only_when_every_node_has_the_plugin():
    assert schema.cluster_has_icu(nodes(["analysis-icu"], ["analysis-icu", "repository-s3"]))
    assert not schema.cluster_has_icu(nodes(["analysis-icu"], []))
    assert not schema.cluster_has_icu(nodes())


def test_the_text_analyser_is_icu_or_its_built_in_equivalent():
    icu = schema.index_body(icu=True)["settings"]["analysis"]["analyzer"]["banlang_text"]
    assert icu == {
        "type": "custom",
        "char_filter": ["banlang_letters"],
        "tokenizer": "icu_tokenizer",
        "filter": ["icu_folding"],
    }
    built_in = schema.index_body(icu=False)["settings"]["analysis"]["analyzer"]["banlang_text"]
    assert built_in == {
        "type": "custom",
        "char_filter": ["banlang_letters", "banlang_marks"],
        "tokenizer": "standard",
        "filter": ["lowercase", "asciifolding"],
    }


@pytest.mark.parametrize("icu", [True, False])
def test_token_fields_are_split_on_spaces_and_nothing_else(icu):
    body = schema.index_body(icu=icu, shards=2, replicas=0)
    assert body["settings"]["index"] == {"number_of_shards": 2, "number_of_replicas": 0}
    assert body["settings"]["analysis"]["analyzer"]["banlang_tokens"] == {
        "type": "custom",
        "tokenizer": "whitespace",
    }
    properties = body["mappings"]["properties"]
    assert body["mappings"]["dynamic"] == "strict"
    for field in schema.TOKEN_FIELDS:
        assert properties[field]["type"] == "text"
        assert properties[field]["analyzer"] == "banlang_tokens"
    assert "index_prefixes" in properties["title_folded"]
    for field in ("language", "doc_type", "facets", "audience", "item_audience"):
        assert properties[field] == {"type": "keyword"}
    assert properties["title"]["analyzer"] == properties["text"]["analyzer"] == "banlang_text"


def test_letter_mappings_fold_as_the_shared_analysis_does():
    rules = schema.letter_mappings()
    assert "Đ => d" in rules and "ƀ => b" in rules and "’ => '" in rules
    for rule in rules:
        source, target = rule.split(" => ")
        assert fold(source) == target, rule


def test_removed_marks_are_latin_ones_not_the_vowel_signs_of_other_scripts():
    pattern = schema.analysis(icu=False)["char_filter"]["banlang_marks"]["pattern"]
    marks = re.compile(pattern)
    assert marks.sub("", "ơ\u0306 e\u0301") == "ơ e"
    for sign in (KHMER_VOWEL_SIGN_AA, TAI_VIET_MAI_KANG, CHAM_VOWEL_SIGN_I):
        assert not marks.search(sign)


def either(word, fields):
    return {
        "bool": {
            "should": [
                {"term": {field: {"value": word}}}
                if isinstance(word, str)
                else {"match_phrase": {field: {"query": " ".join(word)}}}
                for field in fields
            ],
            "minimum_should_match": 1,
        }
    }


FOLDED, EXACT = ("title_folded", "body_folded"), ("title_exact", "body_exact")


def test_the_search_asks_what_the_database_asks():
    query = queries.matching("vi", query_words("Lễ hội"), ["public"], {}, phrase="Lễ hội")
    clauses = query["bool"]
    assert clauses["filter"] == [
        {"term": {"language": "vi"}},
        {"terms": {"audience": ["public"]}},
        {"terms": {"item_audience": ["public"]}},
        either("le", FOLDED),
        either("hoi", FOLDED),
    ]
    relevance, *signals = clauses["should"]
    assert relevance["script_score"]["script"] == {"source": "_score / (_score + 1)"}
    assert relevance["script_score"]["query"]["bool"]["should"] == [
        {"term": {"title_exact": {"value": "lễ", "boost": 10.0}}},
        {"term": {"body_exact": {"value": "lễ", "boost": 2.5}}},
        {"term": {"title_exact": {"value": "hội", "boost": 10.0}}},
        {"term": {"body_exact": {"value": "hội", "boost": 2.5}}},
        {"term": {"title_folded": {"value": "le", "boost": 4.0}}},
        {"term": {"body_folded": {"value": "le", "boost": 1.0}}},
        {"term": {"title_folded": {"value": "hoi", "boost": 4.0}}},
        {"term": {"body_folded": {"value": "hoi", "boost": 1.0}}},
        {"match_phrase": {"title": {"query": "Lễ hội", "slop": 2, "boost": 3.0}}},
    ]
    assert signals == [
        {"constant_score": {"filter": either(("lễ", "hội"), EXACT), "boost": 24.0}},
        {"constant_score": {"filter": either(("le", "hoi"), FOLDED), "boost": 12.0}},
        {"constant_score": {"filter": either("lễ", EXACT), "boost": 4.0}},
        {"constant_score": {"filter": either("hội", EXACT), "boost": 4.0}},
        {
            "constant_score": {
                "filter": {
                    "bool": {
                        "filter": [
                            {"term": {"title_folded": {"value": "le"}}},
                            {"term": {"title_folded": {"value": "hoi"}}},
                        ]
                    }
                },
                "boost": 2.0,
            }
        },
        {
            "constant_score": {
                "filter": {"bool": {"must_not": [{"term": {"doc_type": "media"}}]}},
                "boost": 1.0,
            }
        },
    ]


def test_a_khmer_word_is_asked_for_as_its_clusters_in_sequence():
    query = queries.matching("km", query_words("សិទ្ធិមនុស្ស"), None, {})
    clusters = ("សិ", "ទ្ធិ", "ម", "នុ", "ស្ស")
    assert query["bool"]["filter"][-1] == either(clusters, FOLDED)
    boosts = [clause["constant_score"]["boost"] for clause in query["bool"]["should"][1:]]
    assert boosts == [4.0, 2.0, 1.0], "a one-word query has no phrase signal"
    assert query["bool"]["should"][1]["constant_score"]["filter"] == either(clusters, EXACT)


def test_one_request_gives_the_hits_to_recheck_the_total_and_the_facets():
    body = queries.search_body({"match_all": {}}, start=20, size=10)
    assert body["from"] == 20 and body["size"] == 10
    assert body["track_total_hits"] is True
    assert body["sort"] == [{"fallback": "asc"}, {"_score": "desc"}, {"document_id": "asc"}]
    assert body["aggs"] == {"facets": {"terms": {"field": "facets", "size": 2000}}}
    assert body["_source"] == ["document_id", "facets"]


def test_facet_values_of_one_facet_widen_and_facets_narrow():
    query = queries.matching(
        "vi", query_words("xuân"), None, {"kind": ["festival", "ritual"], "province": ["7"]}
    )
    assert query["bool"]["filter"] == [
        {"term": {"language": "vi"}},
        {"terms": {"facets": ["kind=festival", "kind=ritual"]}},
        {"terms": {"facets": ["province=7"]}},
        either("xuan", FOLDED),
    ]


@pytest.mark.django_db
def test_readers_audiences_become_filters(world):
    people, records = world
    member = user_audience(people["member"])
    community = records["community"].communities.get()
    assert f"community:{community.pk}" in member and "public" in member
    assert queries.audience_filters(user_audience(people["superuser"])) == []
    officer = queries.audience_filters(user_audience(people["officer"]))
    assert "officers" in officer[0]["terms"]["audience"]
    assert queries.audience_filters(user_audience(AnonymousUser())) == [
        {"terms": {"audience": ["public"]}},
        {"terms": {"item_audience": ["public"]}},
    ]


def test_autocomplete_asks_for_whole_words_and_a_prefix_in_titles():
    body = queries.autocomplete_body("km", autocomplete_prefix("le ho"), ["public"], 8)
    assert body["query"]["bool"]["filter"][-2:] == [
        {"term": {"title_folded": {"value": "le"}}},
        {"prefix": {"title_folded": "ho"}},
    ]
    assert body["sort"][1] == {"title_length": "asc"}
    assert body["size"] == 8


def test_autocomplete_asks_for_a_khmer_word_being_typed_in_sequence():
    body = queries.autocomplete_body("km", autocomplete_prefix("សិទ្ធិម"), ["public"], 8)
    assert body["query"]["bool"]["filter"][-1] == {
        "match_phrase_prefix": {"title_folded": {"query": "សិ ទ្ធិ ម", "max_expansions": 200}}
    }
