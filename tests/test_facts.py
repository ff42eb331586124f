"""Answering only the fact asked: the kind of fact a question wants, and abstaining when no sentence holds it."""
from __future__ import annotations

import re

from kb import facts
from kb.wording import NOT_FOUND_LEAD


def test_the_kind_of_fact_and_what_it_is_of():
    fine = facts.asked("What fine does a department pay if it buys services outside CALNET?")
    assert fine.kind == "money" and fine.strict and fine.qualifier == ["fine"]
    copies = facts.asked("How many copies of the designation form must be sent?")
    assert copies.kind == "count" and copies.qualifier == ["copi"]
    assert facts.asked("What's the fax number for the office?").qualifier == ["fax"]
    assert facts.asked("How long does approval usually take?").kind == "span"
    assert facts.asked("ab 2408 introduction date?").kind == "date"
    assert facts.asked("How long does an exemption last?").kind == "duration"
    assert facts.asked("Who must sign the request?").focus == ["sign"]
    assert facts.asked("When departments pay for services, what fund gets the money?").kind != "date"


def test_what_is_asked_about_comes_from_the_clause_that_asks_not_a_preamble():
    # A sentence must name something of what is asked about before it may answer a date; the
    # preamble ('going by last year's council memo') names where the asker read it, not what.
    got = facts.asked("Going by last year's council memo, when did the new contract become effective?")
    assert "effect" in got.focus and not {"memo", "council"} & set(got.focus)


def test_a_kind_is_read_from_what_the_question_asks_not_from_a_word_it_mentions():
    # Words of a kind that the question only mentions ask for no fact of that kind ...
    assert facts.asked("What's the official name of the state law on public safety radio?").kind is None
    assert facts.asked("Should each division name its own telecom representative?").kind is None
    assert facts.asked("Under SAM 6780, on what cost basis does the data center operate?").kind is None
    assert facts.asked("Where can I look up the prices the data center charges us?").kind is None
    assert facts.asked("Besides keeping costs down, what else did the program promise?").kind is None
    assert facts.asked("When must an agency submit its exemption request?").kind is None  # 'prior to purchasing'
    # a threshold is a bound of whatever is counted, not a sum of money: 'where 5% or more of the population'
    assert facts.asked("At what population threshold must a 911 center have bilingual operators?").kind is None
    # ... while a question whose own head asks for it still does.
    assert facts.asked("whats the fine if we skip calnet w/o exemption").kind == "money"
    assert facts.asked("What did the original CALNET system cost the state?").kind == "money"
    assert facts.asked("What do they charge per line each month?").kind == "money"
    assert facts.asked("What new rates did the department adopt?").kind == "money"
    assert facts.asked("When does the contract expire?").kind == "date"
    assert facts.asked("When must the rate reassessment be completed?").kind == "date"
    assert facts.asked("What were the exact start and end dates?").kind == "date"
    assert facts.asked("Where can I find the start and end dates of each contract?").kind is None  # a place to look
    assert facts.asked("Who is the current deputy director of the office?").kind == "name"
    assert facts.asked("What is the name of the OAL reference attorney?").kind == "name"
    assert facts.asked("Who is the CALNET contract manager at CDT?").kind == "name"  # a person holds the post
    assert facts.asked("What's the fax for the OAL?").kind == "phone"
    assert facts.asked("Who has to put their name on the request letter?").kind == "person"  # who signs, not a name
    assert facts.asked("What is their name?").kind == "name"
    assert facts.asked("Do we need approval to buy a fax machine?").kind is None  # equipment, not a number
    assert facts.asked("Who is the Agency Information Officer?").kind != "name"  # a role, which a sentence defines
    # a way to send or how much to say is not an address or a sum ('can we just email them?')
    assert facts.asked("Can we just phone or email the program to ask, or does it need a signed letter?").kind is None
    assert facts.asked("ato req - send by email/phone or mail a letter?").kind is None
    assert facts.asked("How much detail goes into the project description?").kind is None
    assert facts.asked("whats the email for the calnet help desk").kind == "email"
    assert facts.asked("help desk email address?").kind == "email"
    # a web address is a kind of fact of its own; a place on a website is not one
    assert facts.asked("url for the otech rate schedule?").kind == "url"
    assert facts.asked("What is the web address of the rate schedule?").kind == "url"
    assert facts.asked("Where on the CALNET website can I find out how to become one?").kind is None
    assert facts.holds("url", "See https://cdt.ca.gov/services/ for the policy.")
    assert not facts.holds("url", "It is listed at the State Contracts Index Listing at:")
    # help-desk shorthand for a price, and whether there is one
    assert facts.asked("cost to add an atr? any fee").kind == "money"
    assert facts.asked("Is there a fee to file the designation form?").kind == "money"
    # who holds a post now asks for a person's name, which the documents, as of their date, rarely give
    assert facts.asked("whos caltrans' atr right now? need a name").kind == "name"
    assert facts.asked("Who is currently the ATR for the Franchise Tax Board?").kind == "name"
    assert facts.asked("Who is currently responsible for approving exemptions?").kind != "name"  # an office
    # '# days' is 'how many days'; 'how fast must ...' asks how soon, 'how fast is ...' no time at all
    assert facts.asked("how fast does the atr have to file the form - # days?").kind == "span"
    assert facts.asked("how fast is the cgen connection?").kind != "span"


def test_a_named_body_or_a_vendor_answers_who():
    assert facts.holds("person", "OTech owns the circuits and manages their setup.")
    assert facts.holds("person", "The routers are supplied by the contract's vendors.")
    assert not facts.holds("person", "Rates are published annually.")  # a capital that opens a sentence names no one


def test_a_sentence_holds_a_fact_only_of_the_kind_asked():
    assert facts.holds("count", "The board shall consist of 13 members.")
    assert not facts.holds("count", "as provided in Section 18500 of Part 2")  # section numbers count nothing
    # nor do page numbers, list markers, bill numbers, the day of a date, or a section's number line
    assert not facts.holds("count", "EXISTING LAW: AB 2453 Page 2 1)Establishes the Advisory Board of the following members")
    assert not facts.holds("count", "(1) Existing law establishes the board.")
    assert not facts.holds("count", "Date of Hearing: March 30, 2016")
    assert not facts.holds("count", "11544")
    assert facts.holds("count", "The board met on March 3, 2010 with 12 members present.")
    assert not facts.holds("span", "Requests must be sent prior to purchasing services elsewhere.")
    assert facts.holds("span", "Changes will be announced at least 30 days in advance.")
    assert not facts.holds("name", "the Director of Technology Services", "who is the director?")
    assert facts.holds("phone", "call the office at (916) 323-6225")


def test_how_much_of_a_whole_asks_for_a_share_not_that_some_goes_there():
    share = facts.asked("how much of the 911 surcharge goes to hiring dispatchers?")
    assert share.kind == "share" and share.strict
    assert not facts.holds("share", "The law allocates a portion of the surcharge to hiring dispatchers.")
    assert facts.holds("share", "The law allocates 5 percent of the surcharge to hiring dispatchers.")
    assert facts.holds("share", "Half of the surcharge goes to hiring dispatchers.")
    # 'how much of California ... how many counties' asks for a count, as before
    assert facts.asked("How much of the state does the office cover: how many counties?").kind == "count"


def test_a_share_the_documents_do_not_state_is_not_answered(corpus_kb):
    r = corpus_kb.ask("How much of the 9-1-1 surcharge did the Torres bill set aside for hiring and training more dispatchers?")
    assert r["status"] == "not_found" and r["answer"].startswith(f"{NOT_FOUND_LEAD} state a share")


def test_a_compound_question_asks_each_part():
    assert facts.parts("Who owns the equipment, and who's responsible for our LAN?") == [["respons", "lan"]]
    assert facts.parts("cgen wan - who owns the routers, who handles our lan?") == [["handl", "lan"]]
    # an alternative within one question is not a second question
    assert facts.parts("Can we ask for a blanket OK, or does it have to be tied to a particular project?") == []
    assert facts.parts("Who signs and approves the request?") == []
    # a lead-in that asks nothing is not a first part: the question after it is the only one
    assert facts.parts("Back in 2007, how many people sat on the oversight board?") == []
    assert facts.parts("For our records, when did it start, and when does it end?") == [["end"]]


def test_each_part_of_a_compound_question_is_answered(corpus_kb):
    r = corpus_kb.ask("For CGEN Vendor Managed WAN service, who owns the network access equipment, and who is responsible "
                      "for the local area network?")
    assert r["status"] == "answered"
    assert "owned by CALNET vendors" in r["answer"] and "responsible for their own local area network" in r["answer"]


def test_a_value_the_question_gives_is_not_its_answer():
    later = "How many vendors were added after the first 21 awards?"
    assert not facts.holds("count", "In the first phase 21 vendors received awards.", later)
    assert facts.holds("count", "Six vendors were added when the list was refreshed.", later)
    assert not facts.holds("date", "The agreement was awarded on January 30, 2007.",
                           "Who signed the agreement awarded on January 30, 2007?")
    # a month in shorthand is given too
    after = "board meeting after dec 2009 - what date?"
    assert not facts.holds("date", "The board will meet on Wednesday, December 9, 2009.", after)
    assert facts.holds("date", "The board will meet again on March 3, 2010.", after)
    # A yes/no question asks whether the value it gives holds.
    assert facts.holds("money", "The fee is $5 per line.", "Is the fee $5 per line?")


def test_the_year_in_another_acts_name_does_not_date_the_act_asked_about():
    other = "Existing law establishes the Emergency Radio Safety Act of 2002."
    assert not facts.holds("date", other, "In what year was the Harbor Telephone Users Act enacted?")
    assert facts.holds("date", other, "When was the Emergency Radio Safety Act passed?")
    # a year of its own in the sentence still dates
    assert facts.holds("date", "The Emergency Radio Safety Act of 2002 was amended in 2010.",
                       "When was the Harbor Telephone Users Act amended?")


def test_a_maximum_or_a_consequence_must_be_stated_not_just_a_number_or_the_rule():
    assert facts.asked("Is there a max number of ATRs a CATR can appoint?").needs == ["bound"]
    assert facts.asked("What happens if we don't comply with the policy?").needs == ["consequence"]
    assert facts.asked("How many ATRs can a CATR appoint at most?").needs == ["bound"]
    assert facts.asked("Does the department at least get a chance to bid?").needs == []
    assert facts.asked("What happens to unapproved charges on telephone statements?").needs == []
    assert not facts.meets(["bound"], "The CATR may appoint one or more ATRs to assist.")
    assert facts.meets(["bound"], "Is at the supervisor/manager level or above.")
    assert facts.meets(["bound"], "An amount not to exceed $475,000.")
    assert not facts.meets(["consequence"], "Agencies are required to comply with SAM 4985-4985.3.")
    assert facts.meets(["consequence"], "Any unapproved charges will be collected from the employee.")


def test_help_desk_hash_sign_asks_for_a_number_of_something():
    got = facts.asked("is there a max # of atrs a catr can appoint?")
    assert got.kind == "count" and got.qualifier == ["atr"]  # '# of atrs' is a number of ATRs
    assert facts.asked("oal phone # for crnr").kind == "phone"  # a phone '#' is still a number to call


def test_a_question_for_a_maximum_the_documents_do_not_state_is_not_answered(corpus_kb):
    r = corpus_kb.ask("is there a max # of atrs a catr can appoint?")
    assert r["status"] == "not_found" and "(STMM 0300.0)" in r["answer"]  # what the CATR section says, labelled
    assert r["answer"].startswith(f"{NOT_FOUND_LEAD} state a maximum or minimum")  # names what is not stated
    r = corpus_kb.ask("How many ATRs can a CATR appoint at most?")  # 'one or more' is no bound
    assert r["status"] == "not_found" and r["answer"].startswith(f"{NOT_FOUND_LEAD} state a maximum or minimum")


def test_an_unstated_fact_is_named_with_what_is_stated_nearby(corpus_kb):
    r = corpus_kb.ask("What fine does a department pay if it buys Required services outside CALNET without an exemption?")
    assert r["status"] == "not_found"
    assert r["answer"].startswith(f"{NOT_FOUND_LEAD} state an amount") and "fine" in r["answer"]
    assert not re.search(r"\[\d+\]", r["answer"])  # nothing in it is cited as an answer
    assert "which does not answer it" in r["answer"] and r["nearest"]
    assert r["guidance"]["path"] == "exemption"  # the path still comes, each step cited
    assert all(set(s["cite"]) <= {c["n"] for c in r["citations"]} for s in r["guidance"]["steps"])


def test_a_number_of_days_is_not_answered_by_another_number(corpus_kb):
    r = corpus_kb.ask("How many days does an agency have to dispute a charge on a phone invoice?")
    assert r["status"] == "not_found" and "a time period" in r["answer"]


def test_a_fact_in_the_neighbouring_sentence_is_part_of_the_answer(corpus_kb):
    r = corpus_kb.ask("How many members did the Technology Services Board have in 2007?")
    assert r["status"] == "answered" and "13 members" in r["answer"]


def test_an_act_dated_only_by_another_acts_name_is_not_dated(corpus_kb):
    r = corpus_kb.ask("What year did the Warren 911 Emergency Assistance Act become law?")
    assert r["status"] == "not_found" and r["answer"].startswith(f"{NOT_FOUND_LEAD} state a date")


def test_a_threshold_asked_for_is_the_value_itself_not_a_word_the_answer_must_use():
    got = facts.asked("911 centers need bilingual operators at what % threshold?")
    assert got.kind == "percent" and "threshold" not in got.focus
    assert facts.asked("What is the dollar threshold for orders?").kind == "money"  # the dollar still asks for a sum


def test_the_kind_of_number_asked_for_is_read_from_the_number_asked_for():
    # the Reference Attorney's telephone number is asked for; the toll-free numbers are the topic
    got = facts.asked("What is the telephone number of the OAL Reference Attorney for more information "
                      "about the regulations on publishing toll-free numbers?")
    assert got.kind == "phone" and got.qualifier == []
    assert facts.asked("calnet program help desk phone #").qualifier == ["desk"]
    assert facts.asked("oal fax number for form 400").qualifier == ["fax"]


def test_a_destination_may_be_an_office_of_a_named_body():
    said = ("Existing law transferred all the duties of the Telecommunications Division in the Department of "
            "General Services to the office of the State Chief Information Officer.")
    assert facts.holds("destination", said, "Where did its telecom division go in 2009?")
    assert not facts.holds("destination", "The division was reorganized in 2009.", "Where did its telecom division go?")


def test_a_point_in_a_process_answers_by_when_but_not_how_many_days():
    """'prior to ordering services' answers 'by when?' and 'when must it be submitted?', a point in a
    process rather than a date; it does not answer 'how many days?' nor 'when did it open?'."""
    text = "Each local agency shall submit the ordering form prior to ordering services."
    assert facts.holds("span", text, "What must they submit, and by when?")
    assert facts.holds("date", text, "When must a local agency complete and submit the ordering form?")
    assert not facts.holds("span", text, "How many days do they have to submit the form?")
    assert not facts.holds("date", text, "When did the ordering form become available?")


def test_exact_dates_and_where_a_body_meets_are_kinds_of_fact():
    # 'what exact dates' asks for dates as 'what dates' does; 'where did the board meet' asks for a
    # place, which a sentence saying only how often it meets does not hold.
    assert facts.asked("On what exact dates did the vendors' briefing run?").kind == "date"
    assert facts.asked("what specific date was the plan signed?").kind == "date"
    meets = facts.asked("Where did the oversight board hold its sessions?")
    assert meets.kind == "place" and meets.strict
    assert not facts.holds("place", "The board shall convene at least twice a year.")
    assert facts.holds("place", "The sessions were held in Sacramento at the state capitol.")
    assert facts.asked("Where do we send the signed letter?").kind == "destination"


def test_a_sum_of_money_or_a_share_counts_nothing():
    # 'how many offices' is not answered by what something cost; a count beside a share still is.
    q = "How many field offices used the shared network in its first year?"
    assert not facts.holds("count", "The shortfall charged to field offices came to about $3 million.", q)
    assert not facts.holds("count", "Field offices paid 40 percent of the cost.", q)
    assert facts.holds("count", "Rates went up 4% across all 35 field offices.", q)


def test_a_persons_name_is_two_words_the_documents_only_write_with_a_capital(corpus_kb):
    capital_only = {"Teresa", "Bennyhoff", "Designation"}.__contains__  # what the documents would tell
    assert facts.holds("name", "Prepared by: Teresa Bennyhoff, Director of Information Technology", "who wrote it?",
                       capital_only)
    # a form's name is not a person's, however rare its words are in English
    assert not facts.holds("name", "Complete the CATR/ATR Designation Form.", "who is our CATR?", capital_only)
    assert facts.holds("name", "Complete the CATR/ATR Designation Form.", "who is our CATR?")  # without the documents
    r = corpus_kb.ask("who's the edd catr currently - name please")
    assert r["status"] == "not_found"


def test_a_vote_count_is_a_count_of_votes():
    assert facts.asked("What was the vote count on the bill in committee?").qualifier == ["vote"]
    assert facts.asked("what was the final tally?").qualifier == []  # 'final' is not what is counted
