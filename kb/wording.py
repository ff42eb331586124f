"""The fixed sentences the product says when it does not answer, shared by code, prompts and tests."""

NOT_FOUND = "The documents in this knowledge base don't cover this."
OUT_OF_SCOPE = ("This question is outside what this knowledge base covers: "
                "California state telecommunications policy.")
EMPTY = "The question is empty."
# Every 'not found' answer opens with this (NOT_FOUND, or not_stated(...) naming the fact).
NOT_FOUND_LEAD = "The documents in this knowledge base don't"
KIND_NOUNS = {"money": "an amount", "percent": "a percentage", "share": "a share",
              "duration": "a time period", "date": "a date",
              "phone": "a phone number", "email": "an e-mail address", "url": "a web address",
              "address": "an address",
              "contract": "a contract number", "count": "a number", "name": "a name", "place": "a place",
              "form": "a form", "span": "a time period", "quantity": "a quantity", "org": "a name",
              "destination": "where it goes", "frequency": "how often"}
# What else a question can ask for (kb/facts.py NEEDS), named when the documents don't state it.
NEED_NOUNS = {"bound": "a maximum or minimum", "consequence": "a penalty or consequence"}


def not_stated(kind: str | None, about: str, needs: list[str] = ()) -> str:
    """'The documents in this knowledge base don't state an amount for "the fine".' A question for
    no kind of fact that asks for a bound or a consequence names that instead, and a bound is named
    before the kind it bounds ('a maximum or minimum' for 'how many ATRs at most?', not 'a number')."""
    if "bound" in needs:
        noun = NEED_NOUNS["bound"]
    else:
        noun = KIND_NOUNS.get(kind or "") or next((NEED_NOUNS[n] for n in needs if n in NEED_NOUNS), None)
    if not noun:
        return NOT_FOUND
    about = about.strip(" ?.,")
    return f"{NOT_FOUND_LEAD} state {noun}" + (f" for “{about}”." if about else ".")
