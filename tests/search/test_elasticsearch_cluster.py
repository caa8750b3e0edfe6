"""Against a real cluster (``ELASTICSEARCH_URL``): our analysers as the cluster applies them,
and rebuilds that swap the alias. The relevance set and the protocol matrix run there too
(``test_relevance``, ``test_protocols``)."""

import pytest

from search import indexing
from search.analysis import index_exact
from search.elastic import client
from tests.search.clusters import searching_on

pytestmark = [pytest.mark.elasticsearch, pytest.mark.django_db]


@pytest.fixture
def cluster(world, archive):
    with searching_on("elasticsearch"):
        indexing.rebuild()
        yield client.backend().es


def analysed(es, analyzer, text):
    answer = es.indices.analyze(index=client.alias(), analyzer=analyzer, text=text)
    return [token["token"] for token in answer["tokens"]]


def test_token_fields_keep_our_tokens_as_they_are(cluster):
    tokens = index_exact("Lễ hội Lồng Tồng của người Jrai: ƀơ̆ng")
    assert analysed(cluster, "banlang_tokens", tokens) == tokens.split()


def test_the_text_analyser_folds_as_our_analysis_does(cluster):
    assert analysed(cluster, "banlang_text", "LỄ HỘI Đồng Tâm") == ["le", "hoi", "dong", "tam"]
    assert analysed(cluster, "banlang_text", "M’nông") == analysed(
        cluster, "banlang_text", "M'nông"
    )


def test_a_rebuild_leaves_one_index_behind_the_alias(cluster):
    before = set(cluster.indices.get_alias(name=client.alias()))
    indexing.rebuild()
    after = set(cluster.indices.get_alias(name=client.alias()))
    assert len(before) == len(after) == 1 and before != after
    assert not cluster.indices.exists(index=before.pop())
