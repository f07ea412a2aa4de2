import json

import pytest

from evaluation.gold import load_gold
from evaluation.judge import quote_found
from evaluation.libraries import LIBRARIES, UnknownLibrary, get_library, library_settings, prepare_library
from service.settings import PROJECT_ROOT, Settings
from tests.conftest import GOLD, SEEDS, require
from tests.fakes import HashEmbedder

OWN_SET = PROJECT_ROOT / "evaluation" / "questions" / "seeds-own.jsonl"


def test_named_libraries_and_their_folders(tmp_path):
    assert set(LIBRARIES) >= {"seeds", "seeds+laws"}
    lib = get_library("seeds+laws")
    assert lib.paths[0] == SEEDS and lib.paths[1].name == "laws-safety"
    settings = library_settings(Settings(data_dir=tmp_path), lib)
    assert settings.data_dir == tmp_path / "libraries" / "seeds+laws"
    assert settings.index_dir == tmp_path / "libraries" / "seeds+laws" / "index"
    with pytest.raises(UnknownLibrary, match="seeds, seeds\\+laws"):
        get_library("everything")


def test_prepare_library_builds_once_then_reuses(tmp_path):
    embedder = HashEmbedder()
    settings = Settings(data_dir=tmp_path, cache_dir=tmp_path / "cache")
    engine = prepare_library(settings, get_library("seeds"), embedder=embedder)
    assert len(engine.retriever.docs) == 5
    first = embedder.embedded
    chunks = len(engine.retriever.chunks)
    assert first == chunks + engine.retriever.sentences.vectors.shape[0]  # passages and their sentences
    again = prepare_library(settings, get_library("seeds"), embedder=embedder)
    assert embedder.embedded == first  # nothing embedded twice
    assert len(again.retriever.chunks) == chunks


def test_own_question_set_is_large():
    questions = load_gold(OWN_SET)
    assert len(questions) >= 150
    everyday = [q for q in questions if q.wording == "everyday"]
    assert len(everyday) * 2 >= len(questions)
    assert sum(not q.answerable for q in questions) >= 20


@pytest.mark.parametrize(
    "name", ["seeds-own", "fresh-seeds", "sealed-seeds", "third-seeds", "fourth-seeds", "compare-own"]
)
def test_seed_question_sets_are_checked_and_separate_from_dev(name):
    questions = load_gold(OWN_SET.with_name(f"{name}.jsonl"))
    texts = {p.name: p.read_text(encoding="utf-8") for p in SEEDS.iterdir()}
    for q in questions:
        for a in q.answers:
            assert quote_found(a.quote, texts[a.doc]), (q.id, a.quote)
    dev = [json.loads(line) for line in require(GOLD).open(encoding="utf-8")]
    dev_questions = {d["question"] for d in dev}
    dev_quotes = [a["quote"] for d in dev for a in d["answers"] if len(a["quote"]) >= 16]
    assert not dev_questions & {q.question for q in questions}
    assert not [a.quote for q in questions for a in q.answers for d in dev_quotes if d in a.quote]


def test_statute_question_set_cites_statutes_only_and_names_no_seed(laws_dir):
    """The threshold is fitted on these: they must be over non-seed documents (the training rule)."""
    questions = load_gold(PROJECT_ROOT / "evaluation" / "questions" / "statutes-own.jsonl")
    assert sum(q.answerable for q in questions) >= 30 and sum(not q.answerable for q in questions) >= 30
    texts = {p.name: p.read_text(encoding="utf-8") for p in laws_dir.iterdir()}
    seeds = {p.name for p in SEEDS.iterdir()}
    for q in questions:
        for a in q.answers:
            assert a.doc not in seeds and quote_found(a.quote, texts[a.doc]), (q.id, a.quote)
    own = {q.question for q in load_gold(OWN_SET)}
    assert not own & {q.question for q in questions}


def test_district_statute_questions_name_a_district_and_quote_a_statute(laws_dir):
    """district-statutes measures that a statute binding a district answers a question about it: every
    question names a district with a document among the seeds, every answer is a statute's own words."""
    questions = load_gold(PROJECT_ROOT / "evaluation" / "questions" / "district-statutes.jsonl")
    texts = {p.name: p.read_text(encoding="utf-8") for p in laws_dir.iterdir()}
    assert len(questions) >= 20 and all(q.answerable for q in questions)
    for q in questions:
        assert any(place in q.question for place in ("渝中", "江北", "南川", "南平")), q.id
        for a in q.answers:
            assert quote_found(a.quote, texts[a.doc]), (q.id, a.quote)


def test_unheld_place_questions_name_a_place_without_a_document_and_quote_statutes(laws_dir):
    """unheld-places measures questions about Chongqing districts no document is of: the answerable ones
    are a statute's own words, and none names a place of the seeds."""
    questions = load_gold(PROJECT_ROOT / "evaluation" / "questions" / "unheld-places.jsonl")
    texts = {p.name: p.read_text(encoding="utf-8") for p in laws_dir.iterdir()}
    assert sum(q.answerable for q in questions) >= 8 and sum(not q.answerable for q in questions) >= 10
    for q in questions:
        assert not any(place in q.question for place in ("渝中", "江北", "南川", "南平", "江津")), q.id
        for a in q.answers:
            assert quote_found(a.quote, texts[a.doc]), (q.id, a.quote)
