"""The question's words and the documents' words: shorthand, typos, synonyms, the corpus's own acronyms."""
from __future__ import annotations

import numpy as np

from kb import embed, features, lexicon
from kb.question import analyse


def test_typos_and_shorthand_read_as_the_documents_words(corpus_kb):
    idx = corpus_kb.index()
    _, speller = lexicon.for_index(idx)
    assert speller.fix("calnet exmeption letter") == "calnet exemption letter"
    assert speller.fix("where do telefone stmts go for pymt") == "where do telephone statements go for payment"
    assert speller.fix("What fine does a department pay") == "What fine does a department pay"  # English words stay
    assert speller.fix("¿Cuál es la capital de Francia y qué comen los gatos?").endswith("los gatos?")
    # a dropped letter before a changed one ('advice' is as near), and a name run into its number
    assert speller.fix("how much advnce notice") == "how much advance notice"
    assert speller.fix("calnet3 vendors") == "calnet 3 vendors"


def test_acronyms_the_documents_define_are_found(corpus_kb):
    acronyms = corpus_kb.index().vocabulary["acronyms"]
    assert acronyms["ato"] == "authorization to order"
    assert acronyms["cmas"] == "california multiple awards schedule"
    q = analyse("who uses the ato form", None, corpus_kb.index())
    assert ("author", "order") in q.alts["ato"]
    # a plan's number between ('... Plan No. 1 of 2009 (GRP No. 1)'), a plural, lower case, mixed case
    assert acronyms["grp"] == "governor’s reorganization plan"
    assert acronyms["psap"] == "public safety answering points"
    assert acronyms["lan"] == "local area network"
    assert acronyms["calren"] == "california research and education network"
    assert "finance" not in acronyms  # 'Department of Finance (Finance)' names, it does not abbreviate
    assert analyse("grp no 2 - what did dts have to coordinate?", None, corpus_kb.index()).in_field


def test_the_synonym_list_holds_terms_not_questions():
    groups, shorthand = lexicon.synonym_list()
    assert groups and shorthand["stmts"] == "statements"
    assert all(len(term.split()) <= 6 and "?" not in term for group in groups for term in group)


def test_a_synonym_phrase_matches_after_its_shorthand_is_written_out(corpus_kb):
    # 'telecom' is written out as 'telecommunications' before the synonym list's phrases are matched
    q = analyse("who is our main telecom contact", None, corpus_kb.index())
    assert ("catr",) in q.alts["contact"]


def test_the_sellers_group_matches_in_the_plural(corpus_kb):
    # 'which vendors?' reaches the contractors a contract names, as 'which vendor?' does
    q = analyse("calnet 3 subcategory 1.1 - which vendors?", None, corpus_kb.index())
    assert ("contractor",) in q.alts["vendor"]
    q = analyse("any cheaper alternative providers we could use?", None, corpus_kb.index())
    assert ("non", "calnet") in q.alts["provid"] or ("outsid", "calnet") in q.alts["provid"]


def test_the_phases_of_a_process_reach_the_documents_words(corpus_kb):
    # 'when did it wrap up?' reaches 'the process ... closed on September 14, 2012'
    q = analyse("when did the vendor pre-screening kick off, and when did it wrap up?", None, corpus_kb.index())
    assert ("close",) in q.alts["wrap"] and ("launch",) in q.alts["kick"]
    q = analyse("how many extra years can be tacked on?", None, corpus_kb.index())
    assert ("extens",) in q.alts["tack"]


def test_plain_words_reach_the_policy_words(corpus_kb):
    q = analyse("Do we have to publish our 800 numbers somewhere?", None, corpus_kb.index())
    assert q.in_field and any(("toll",) == alt or "toll" in alt for alt in q.alts.get("800", ()))
    r = corpus_kb.ask("where do telefone stmts go for pymt")
    assert r["status"] == "answered" and "State Controller" in r["answer"] + " ".join(c["quote"] for c in r["citations"])


def test_a_sentence_using_a_defined_acronym_is_read_with_its_full_name(corpus_kb):
    idx = corpus_kb.index()
    acronyms = idx.vocabulary["acronyms"]
    assert features.spelled_out("Each agency should designate one CATR.", acronyms) == \
        "Each agency should designate one CATR (chief agency telecommunications representative)."
    # Not twice, not where the full name is already written, not a pronoun 'it'.
    said = "The Chief Agency Telecommunications Representative (CATR) is it."
    assert features.spelled_out(said, acronyms) == said
    # The embedding model then sees the meaning a question in plain words asks about.
    question = np.asarray(embed.embed_query("how many chief telecommunications representatives should each agency have"))
    bare = np.asarray(embed.embed(["Each State agency should designate one CATR."])[0])
    read = features.sentence_vectors(idx, ["Each State agency should designate one CATR."])[0]
    assert float(read @ question) > float(bare @ question) + 0.05


def test_a_sentence_in_acronyms_holds_the_words_they_stand_for(corpus_kb):
    stems = features.sentence_stems(corpus_kb.index())("Each State agency should designate one CATR.")
    assert {"chief", "telecommun", "repres"} <= stems


def test_an_acronym_that_is_a_common_word_names_the_field_only_in_capitals(corpus_kb):
    idx = corpus_kb.index()
    assert "it" in idx.vocabulary["acronyms"]  # the documents define IT
    assert not analyse("will it rain in sacramento friday", None, idx).in_field
    assert analyse("Who approves IT plans?", None, idx).in_field
