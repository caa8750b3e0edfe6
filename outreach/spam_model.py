"""The spam classifier of residents' submissions: multinomial naive Bayes, trained once per
process from text shipped with the code.

Training text:

* ``outreach/data/abuse_corpus.jsonl``, one ``{"text", "language", "label", "source"}`` per
  line, ``label`` being ``"spam"`` or ``"genuine"``: comment spam of the kinds that flood the
  programme's news sites (casinos, betting, account selling, loans, SEO links, crypto, fake
  jobs) and residents' questions and reports, in Vietnamese (with and without diacritics) and
  English, written for the project ("written for the project" in ``source``);
* genuine text in the minority languages that the PyPI package ``gflanguages`` (a dependency,
  Apache-2.0) has authentic samples of: Khmer, Tai Dam and Jrai, excerpts of the Universal
  Declaration of Human Rights, read from the installed package and never copied here. There
  is no authentic text to train on in the other minority languages.

Features come from the search index's analysis (``search.analysis``), so case, marks,
apostrophes and Unicode forms do not matter: folded words, the pairs of words next to each
other within a clause (Khmer, written without spaces, is analysed as letter clusters, whose
pairs stand for its words), and the shapes of numbers (a phone number, a number, letters with
digits such as "8xbet" or "50k"). Letter n-grams are not used: in cross-validation on the
corpus they made English questions look like spam. A feature never seen in training says
nothing: text in a language or script the classifier does not know scores even odds, 0.5,
and passes.
"""

import functools
import json
import math
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import NamedTuple

import gflanguages
from gfmetadata import LanguageProto, text_format

from search.analysis import BREAK, index_text

CORPUS = Path(__file__).parent / "data" / "abuse_corpus.jsonl"
"""The training text shipped with the code."""

MINORITY_SAMPLES = {"km": "km_Khmr", "blt": "blt_Tavt", "jra": "jra_Latn"}
"""Our language codes, and the ``gflanguages`` entries with authentic text in them."""

SPAM_THRESHOLD = 0.9
"""The classifier's score from which a submission is held: spam must be clearly likelier than
not, since text unlike anything in training scores 0.5."""

SMOOTHING = 3.0
"""The count every feature is given in both classes (additive smoothing). Above the usual 1, a
word seen only a few times in a small corpus weighs little: in 5-fold cross-validation on the
corpus, 2 and 3 held no genuine text (1 held one), and at 3, unlike 2, no paragraph of the
Universal Declaration in Vietnamese or English, text unlike the corpus, is held."""

PHONE_DIGITS = 9
"""A run of at least this many digits is a phone number (Vietnamese mobiles have 10)."""


class Example(NamedTuple):
    """A labelled text the classifier learns from or is measured on."""

    text: str
    language: str
    spam: bool
    source: str


def read_corpus(path: Path) -> list[Example]:
    """The examples of a JSON-lines corpus file (the format ``CORPUS`` describes)."""
    examples = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                row = json.loads(line)
                examples.append(
                    Example(row["text"], row["language"], row["label"] == "spam", row["source"])
                )
    return examples


def minority_examples() -> list[Example]:
    """Genuine examples in minority languages: each line of the sample texts ``gflanguages``
    ships for the languages of ``MINORITY_SAMPLES``, once."""
    examples = []
    for code, key in MINORITY_SAMPLES.items():
        resource = files(gflanguages).joinpath("data", "languages", f"{key}.textproto")
        sample = text_format.Parse(resource.read_text(encoding="utf-8"), LanguageProto())
        specimens = [
            text
            for field, text in sample.sample_text.ListFields()
            if field.name == "tester" or field.name.startswith("specimen")
        ]
        lines = dict.fromkeys(line.strip() for text in specimens for line in text.splitlines())
        source = f"gflanguages {gflanguages.__version__} {key} sample text (UDHR), Apache-2.0"
        examples += [Example(line, code, False, source) for line in lines if line]
    return examples


def features(text: str) -> set[str]:
    """The features of ``text``: each counts once however often it occurs, which suits short
    texts better than counting repeats."""
    return set(_features(text))


def _features(text: str) -> Iterator[str]:
    """The features of ``text`` in order, repeats included."""
    for clause in index_text(text).split(f" {BREAK} "):
        previous = ""
        for token in clause.split():
            if token.isdigit():
                word = "#phone" if len(token) >= PHONE_DIGITS else "#number"
            else:
                word = token
                if any(char.isdigit() for char in token):
                    yield "#letters-and-digits"
            yield word
            if previous:
                yield f"{previous} {word}"
            previous = word


@dataclass(frozen=True)
class SpamModel:
    """A trained classifier: for each feature seen in training, how much likelier it is in
    spam than in genuine text (the log of the ratio)."""

    weights: Mapping[str, float]

    @classmethod
    def trained(cls, examples: Iterable[Example]) -> "SpamModel":
        """Learn from ``examples``.

        Spam and genuine text are given even prior odds: the corpus's proportions are those it
        was written in, not those of the submissions to come.
        """
        counts: dict[bool, Counter[str]] = {True: Counter(), False: Counter()}
        for example in examples:
            counts[example.spam].update(features(example.text))
        vocabulary = counts[True].keys() | counts[False].keys()
        totals = {
            spam: counted.total() + SMOOTHING * len(vocabulary) for spam, counted in counts.items()
        }
        return cls(
            {
                feature: math.log((counts[True][feature] + SMOOTHING) / totals[True])
                - math.log((counts[False][feature] + SMOOTHING) / totals[False])
                for feature in vocabulary
            }
        )

    def score(self, text: str) -> float:
        """The probability that ``text`` is spam, from 0 to 1."""
        log_odds = sum(self.weights.get(feature, 0.0) for feature in features(text))
        if log_odds < 0:  # exp(-log_odds) would overflow for very negative odds
            return math.exp(log_odds) / (1 + math.exp(log_odds))
        return 1 / (1 + math.exp(-log_odds))


@functools.cache
def model() -> SpamModel:
    """The classifier trained on ``CORPUS`` and ``minority_examples()``, once per process."""
    return SpamModel.trained([*read_corpus(CORPUS), *minority_examples()])


def spam_score(text: str) -> float:
    """The probability that ``text`` is spam by the trained classifier, from 0 to 1."""
    return model().score(text)
