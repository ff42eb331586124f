"""What a question asks for (an amount, a duration, a count, a date, a person, a number to call ...)
and about what; and whether a passage's sentences hold that kind of fact."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .text import tokens, zipf

MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December"]
MONTHS = "(?:" + "|".join(MONTH_NAMES) + ")"
NUMBER_WORDS = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fifteen|twenty|thirty|sixty|ninety|hundred|thousand|million|dozen|single)"
UNIT = r"(?:business |calendar |working )?(?:days?|weeks?|months?|years?|hours?|minutes?)"
SUM = r"\$\s?\d[\d,.]*(?:\s*(?:thousand|million|billion))?|\b\d[\d,.]*\s*(?:dollars|cents)\b"  # what money is written as
AMOUNT = rf"{SUM}|\b\d[\d,.]*\s*(?:million|billion)\b"  # a sum of money ('$2 million', '1.5 billion')
PERCENTAGE = r"\b\d[\d.]*\s?%|\b\d[\d.]*\s*percent\b"  # a percentage
# What a sentence must hold for each kind of fact.
HOLDS = {
    "money": re.compile(rf"{AMOUNT}|\b(?:no cost|free of charge|no charge)\b", re.I),
    "quantity": re.compile(r"\b\d[\d,.]*\s*(?:[kmgt]bps|[kmgt]b/s|gigabits?|megabits?|kilobits?|[kmgt]b|gigabytes?|megabytes?|"
                           r"terabytes?|lines|circuits|ports|channels|miles|feet)\b", re.I),
    "percent": re.compile(rf"{PERCENTAGE}|\bpercent(?:age)? of\b", re.I),
    # a share of a whole: a percentage, an amount, or a fraction ('a portion' names no share)
    "share": re.compile(rf"{PERCENTAGE}|{AMOUNT}|"
                        r"\b(?:half|one-(?:third|quarter|fourth|fifth|tenth)|two-thirds|three-quarters|all|none)\b", re.I),
    # a number that is not a section, part, chapter or page number, a list marker ('(1)', '1)'), nor a year
    "count": re.compile(rf"(?<!Section )(?<!Sections )(?<!§ )(?<!§)(?<!Part )(?<!Chapter )(?<!Division )(?<!Title )"
                        rf"(?<!Article )(?<!No\. )(?<!Page )(?<!AB )(?<!SB )(?<![\d.,(-])"
                        rf"\b(?!(?:19|20)\d\d\b)\d[\d,]*\b(?![.-]\d)(?!\))|\b{NUMBER_WORDS}\b", re.I),
    "span": re.compile(rf"\b(?:\d+|{NUMBER_WORDS})[\s-]+{UNIT}\b|\b{MONTHS}\b|\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b", re.I),
    "duration": re.compile(rf"\b(?:\d+|{NUMBER_WORDS})[\s-]+{UNIT}\b|\b(?:term|expires?|expiration|until|through|prior to|in advance|"
                           rf"annual(?:ly)?|monthly|quarterly|within|limited)\b", re.I),
    "frequency": re.compile(r"\b(?:once|twice|each|every|per|annual(?:ly)?|yearly|monthly|quarterly|weekly|daily|"
                            r"biennial(?:ly)?)\b|\b(?:\d+|{0})\s+times\b".format(NUMBER_WORDS), re.I),
    "date": re.compile(rf"\b(?:1[89]\d\d|20\d\d)\b|\b{MONTHS}\b|\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b", re.I),
    "phone": re.compile(r"\(\d{3}\)\s*\d{3}[-.]\d{4}|\b\d{3}[-.]\d{3}[-.]\d{4}\b|\b1-8\d\d-|\b\d{3}-\d{4}\b"),
    "email": re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.]+\b"),
    "url": re.compile(r"https?://\S+|\bwww\.\S+|\b[\w-]+\.(?:gov|com|org|net|edu)\b", re.I),
    "address": re.compile(r"\b(?:P\.?\s?O\.?\s+Box|Suite|Street|St\.|Avenue|Ave\.|Boulevard|Blvd|Road|Drive|Mail Stop|MS)\b[\s\d,]*|\b\d{3,5}\s+[A-Z][a-z]+\s+(?:Street|Avenue|Boulevard|Road|Drive|Way)\b|\b9\d{4}(?:-\d{4})?\b"),
    "form": re.compile(r"\b(?:Form|STD\.?|CDT|DGS)\s?[-#.]?\s?\d+|\bform\b", re.I),
    "contract": re.compile(r"\b[A-Z0-9]{1,5}(?:-[A-Z0-9]{1,6}){2,}\b|\b(?:Contract|Agreement)\s+(?:No\.?|Number|#)\s*[\w-]+", re.I),
    "person": re.compile(r"\b(?:Officer|Director|Chief|Secretary|Representative|Manager|Administrator|Governor|Controller|"
                         r"Deputy|Board|Office|Department|Division|Agency|Legislature|Commission|Council|Committee|"
                         r"CATR|ATR|AIO|CIO|supervisor|employee|head|chief|director|officer|staff|agency|department|office|"
                         r"vendor|contractor|provider|carrier)s?\b|"
                         # a sentence whose subject is a named body ('OTech owns the circuits and ...')
                         r"^(?:The\s+)?(?:[A-Z]{2,}[\w&-]*|[A-Z][a-z]+(?:\s+[A-Z][\w&’'-]*){1,4})\s+(?:is|are|shall|must|will|may|owns?|manages?|"
                         r"approves?|provides?|administers?|operates?)\b"),
    "destination": re.compile(r"\b(?:to|with)\s+(?:the\s+)?(?:(?:office|department|division|agency|board)\s+of\s+(?:the\s+)?)?"
                              r"(?:[A-Z][\w’'&.-]+)|\b(?:P\.?\s?O\.?\s+Box|Suite|Street|Avenue|"
                              r"Boulevard|Mail Stop)\b"),
    "place": re.compile(r"\b(?:in|at)\s+(?:the\s+)?[A-Z][a-z]+"),
    "name": re.compile(r"\b[A-Z][a-z]+(?:\s[A-Z]\.)?\s[A-Z][a-z]+(?:-[A-Z][a-z]+)?\b"),  # checked further in holds()
}
# A word between 'what' and what it asks for that is not a verb or a pronoun ('what new rates', not
# 'what does revenue' or 'what it charges').
_NOT_AUX = r"(?!(?:does|do|did|is|are|was|were|can|could|should|must|will|would|it|they|we|you|he|she|i|if|happens?|about)\b)"
# How a question asks for each kind (the first that matches decides; order matters).
ASKS = [
    # An e-mail address is asked for ('what's the email for ...', 'email address?', 'the help desk's
    # email?'); 'can I just call or email them', 'by email', 'email/phone' name a way to send.
    ("email", re.compile(r"(?:\be-?mail\s*(?:address|addr|ad+res+|contact)\b|"
                         r"\b(?:what|which)(?:'s|’s|s| is| are| was)?\s+(?:[\w'’-]+\s+){0,3}?e-?mail\b(?!\s*(?:/|or\b|and\b))|"
                         r"\be-?mail\s+(?:for|of|to reach|to contact)\b|\be-?mail\s*\??\s*$)(?! .*\bphone)", re.I)),
    ("phone", re.compile(r"\b(?:phone|telephone|fax|contact) (?:number|no\b|#)|\bnumber (?:to|i can|we can) call\b|"
                         r"\bwhat number\b|\bphone #|\bfax\b(?!\s+(?:machines?|equipment|servers?|services?|lines?)\b)|"
                         r"\bcall\b.*\bnumber\b|\bnumber\b.*\bcall\b", re.I)),
    # A web address: 'url for ...', 'link to ...', 'what is the website'; 'where on the website do I
    # look' asks for a place on it, which a sentence names without the address.
    ("url", re.compile(r"\burl\b|\bweb ?(?:site |page )?address\b|\bhyperlink\b|(?:^\s*|\b(?:the|a|any)\s+)links? (?:to|for)\b|"
                       r"\b(?:what|which)(?:'s|’s|s| is)? (?:the |their |its )?(?:web ?site|web ?page|link)\b(?!.*\bwhere\b)", re.I)),
    ("address", re.compile(r"\b(?:mailing |street |physical |postal )?address\b|\bwhere\b.*\bmail(?:ed)?\b", re.I)),
    ("contract", re.compile(r"\b(?:contract|agreement) (?:number|no\b|#|id)", re.I)),
    ("percent", re.compile(r"\bpercent(?:age)?\b|%", re.I)),
    # A date is asked of something that happened or will happen ('when did ...', 'since when', 'what
    # year', 'when does it expire'); 'when must we submit ...' or 'when does a center have to ...'
    # asks for a condition or a point in a process ('prior to purchasing'), which no date need state.
    ("date", re.compile(r"^\s*(?:when\s+(?:did|was|were|had)|since when|in what year|as of what date|"
                        r"what (?:year|date|day|month))\b|"
                        r"\bwhat (?:exact |specific |precise |actual )?(?:years?|dates?)\b|"
                        r"\bwhat (?:is|are|was|were) (?:the |its |their )?(?:\w+ ){0,4}?dates\b|"
                        r"^(?!\s*where\b).*\b(?:start|end|effective|expiration|closing|opening|introduction|enactment|"
                        r"award|signing|hearing|meeting|launch|release|completion|termination) dates?\b|"
                        r"\bdate (?:of|it was|was it) (?:the |its )?"
                        r"(?:introduc|enact|award|sign|hear|meet|launch|releas|complet|terminat)|"
                        r"\bwhen (?:did|was|were|will|does|do|is|are|must|should)\b.*\b(?:start|begin|began|effective|take effect|took effect|"
                        r"award|enact|sign|creat|establish|end|expire|available|launch|issue|due|complet|finish)|"
                        r"\b(?:introduc\w*|enact\w*|sign\w*|effective|eff\.?|start\w*|creat\w*|pass\w*) when\s*\??\s*$", re.I)),
    ("span", re.compile(rf"\bhow (?:soon|far in advance|far ahead|much ahead)\b|\bhow long (?:does|do|did|will|would|should|can) (?:\w+ ){{0,4}}(?:take|last to|be processed)\b|\bhow much (?:time|notice|warning|lead time|advance)\b|"
                        rf"\bhow many {UNIT}\b|\bdeadline\b|\bby when\b|\btime (?:limit|frame)\b|\bwithin how\b|"
                        rf"\bturnaround\b|(?<![\w#])#\s*(?:of\s+)?{UNIT}|"
                        # 'how fast must the vendor respond?' asks how soon; 'how fast is the link' a speed
                        rf"\bhow (?:fast|quickly) (?:must|does|do|did|should|will|can|has to|have to|is \w+ required to)\b", re.I)),
    ("duration", re.compile(r"\bhow long\b", re.I)),
    ("frequency", re.compile(r"\bhow often\b|\bhow frequently\b|\bhow many times\b", re.I)),
    ("quantity", re.compile(r"\b(?:speed|bandwidth|capacity|throughput|data cap|storage)\b", re.I)),
    # An amount is asked when the question's own head asks for one ('how much', 'what fine',
    # 'the cost of', 'per month'); a mention of costs or prices about something else ('on what cost
    # basis', 'where can I look up the prices', 'keeping costs down') asks for no amount.
    # 'how much detail (information, justification) do we give' asks what to say, not an amount.
    ("money", re.compile(r"\bhow much\b(?!\s+(?:of|time|notice|warning|lead time|advance|in advance|earlier|sooner|longer|"
                         r"details?|information|info|explanation|justification|documentation|description|backup)\b)|\$|"
                         rf"\bwhat(?:'s|’s|s| is| are| was| were)?\s+(?:the\s+|a\s+|an\s+|its\s+|their\s+)?(?:{_NOT_AUX}[\w'’-]+\s+){{0,4}}?"
                         r"(?:price|prices|pricing|cost|costs|fee|fees|fine|fines|penalty|penalties|salary|salaries|wage|wages|"
                         r"amount|charge|charges|rate|rates|budget|balance|spending limit)\b"
                         r"(?!\s+(?:basis|methodology|structure|model|schedule|recovery|allocation|plan|center|letter)\b)|"
                         r"\bwhat (?:do|does|did|will|would) (?!.*\bbased on\b)(?:[\w'’-]+\s+){1,5}?(?:cost|(?<!in )charge|pay)\b|"
                         r"\b(?:price|cost|fee|fine|penalty|amount|spending limit|salary|budget)\s+(?:of|for|per)\b|"
                         r"\bper (?:month|minute|line|year|hour|call|device|user)\b|\b(?:monthly|annual|yearly) (?:rate|fee|cost|charge)\b|"
                         r"\bhow expensive\b|\bmaximum amount|\bmax amount|\bspending limit\b|\bdollars?\b|"
                         # help-desk shorthand: 'cost to add an atr?', 'any fee?'
                         r"^\s*(?:the\s+)?(?:cost|price|fee|charge)s?\s+(?:to|for)\b|\bany (?:fees?|costs?|charges?)\b|"
                         r"\b(?:is|are) there (?:a |an )?(?:fees?|costs?|charges?)\b", re.I)),
    ("count", re.compile(r"\bhow many\b|\bnumber of\b|(?<![\w#])#\s*of\b|\bcount of\b|\btally\b|\bvote count\b", re.I)),
    # 'how much of the surcharge goes to ...' asks for a share of a whole: a sentence that only
    # says 'a portion' of it goes there does not answer.
    ("share", re.compile(r"\bhow much of (?:the|a|an|its|their|this|that|each|every|our)\b|"
                         r"\bwhat (?:share|portion|fraction) of\b", re.I)),
    ("form", re.compile(r"\b(?:which|what) (?:\w+ ){0,2}forms?\b|\bform (?:number|no\b|#)", re.I)),
    # A person's name: 'who is the current director', 'the name of the chief'. The name of a law, a
    # program or a contract ('the official name of the state law') is not a person's.
    ("name", re.compile(r"(?:\b(?:what is|what's|what’s|whats|who is|who's)\s+(?:the\s+)?|^\s*)name of\s+(?:the\s+|our\s+|their\s+|its\s+)?"
                        r"(?:[\w'’-]+\s+){0,3}?(?:director|chief|head|secretary|deputy|manager|person|officer|"
                        r"attorney|representative|contact|governor|author|chair|member|supervisor|administrator)|"
                        r"\bwho is the (?:current )?(?:director|chief|head|secretary|deputy director|manager)\b|"
                        r"\bwho(?: is|'s|’s) (?:the |our )?(?:current )?(?:[\w-]+ ){1,3}?"
                        r"(?:manager|coordinator|administrator)\b|"
                        r"\bwho(?: is|'s|’s) (?:the |our )?current\b|\bwho was (?:the )?first (?:person|director|chief|secretary|head)\b|"
                        # who holds a post now ('whos our atr right now?'), not who may or must do something now
                        r"^\s*who(?: is|'s|’s|s|\s+are)\b(?!\s+(?:currently\s+)?(?:responsible|in charge|allowed|authori[sz]ed|"
                        r"required|eligible|able|supposed|permitted)\b).*\b(?:currently|right now|at present|these days|nowadays)\b|"
                        r"\bneed (?:a|the|their|his|her) name\b|"
                        r"\b(?:his|her|their|person['’]s) name\b(?!\s+(?:on|to)\b)", re.I)),
    ("org", re.compile(r"\b(?:which|what) (?:\w+ )?(?:vendor|vendors|company|companies|carrier|carriers|provider|providers|"
                       r"contractor|contractors|firm|firms|supplier|suppliers)\b", re.I)),
    ("destination", re.compile(r"^\s*(?:where|to whom|to what office)\b.*\b(?:send|sent|submit|submitted|mail|mailed|"
                               r"file|filed|go|goes|turn in|deliver|forward|direct)\b", re.I)),
    # Where something is or happens ('where was the hearing held', 'where did the board meet'), not
    # where a request goes (destination) nor where something is written.
    ("place", re.compile(r"^\s*where (?:was|were|is|are) .*\b(?:held|located|based|headquartered)\b|"
                         r"^\s*where (?:did|does|do|will|would) .*\b(?:hold|meet|convene|take place)\b", re.I)),
    ("person", re.compile(r"^\s*(?:who|whom|to whom)\b|\bwho (?:signs|approves|must|has to|should|can|decides|reviews|"
                          r"manages|runs|determines)\b", re.I)),
]
# Words that say what kind of fact is asked, not what it is about.
KIND_WORDS = set(tokens("number phone telephone contact call address mailing street email e-mail percent "
                        "percentage date year day month when price cost fee amount dollar how many much long "
                        "name named who whom where form forms contract agreement deadline time days weeks months "
                        "years max maximum threshold url link links website web webpage hyperlink fast quickly"))
GENERIC = set(tokens("calnet state agency agencies department departments california government service services "
                     "policy documents document stmm sam section chapter code law rule rules our we us must shall "
                     "may need needs required have has get"))


@dataclass
class Asked:
    """The fact a question asks for: its kind (None for an open question) and its focus terms."""

    kind: str | None
    focus: list[str] = field(default_factory=list)  # stems the fact is about ('fine', 'dispute')
    strict: bool = False  # a kind whose absence from a sentence means it does not answer
    phrase: str = ""  # the words of what it is about, as asked
    qualifier: list[str] = field(default_factory=list)  # what the amount or count is of ('fine', 'copies', 'fax')
    needs: list[str] = field(default_factory=list)  # what else an answer must say (NEEDS: a bound, a consequence)
    parts: list[list[str]] = field(default_factory=list)  # the stems of each further part of a compound question
    section: bool = False  # it asks which section or chapter covers something (section_asked)
    manual: str | None = None  # ... of this manual or code ('SAM'), when it names one


STRICT = {"money", "percent", "share", "duration", "frequency", "span", "date", "phone", "email", "url", "address", "contract",
          "count", "name", "place", "quantity", "org", "destination"}
# Capitalised words that do not name an organisation by themselves.
COMMON_CAPS = {"The", "State", "California", "CALNET", "Department", "Office", "Agency", "Services", "Service",
               "Contract", "Contracts", "Program", "Government", "Code", "Section", "This", "These", "All", "Any",
               "Each", "Non", "Exempt", "Required", "Executive", "Branch", "In", "A", "An", "If", "For", "Under"}


def asked(question: str) -> Asked:
    """The kind of fact the sentence that asks wants, and the words of what it is about."""
    kind = next((k for k, pat in ASKS if pat.search(question)), None)
    own = [t for t in tokens(question) if t not in KIND_WORDS and t not in GENERIC]
    focus, phrase = _head(question)
    focus = [t for t in focus if t not in KIND_WORDS and not t.isdigit()] or _asking_words(question) \
        or [t for t in own if not t.isdigit()][:3]
    return Asked(kind, focus, kind in STRICT, phrase or question.strip(" ?"), _qualifier(question, kind),
                 [name for name, (asks, _) in NEEDS.items() if asks.search(question)], parts(question),
                 *section_asked(question))


# Where a question asks a second thing: 'who owns the equipment, and who's responsible for our LAN?',
# 'who owns the routers, who handles our lan?', 'whose routers are they, and do we still have to ...?'.
# 'or' with a verb offers an alternative to one question ('can we ask for a blanket OK, or does it
# have to be tied to a project?'), which one sentence answers.
WH = "who|whom|whose|what|when|where|which|how|why"
WH_WORDS = set(tokens(WH.replace("|", " ")))
PART_RE = re.compile(rf"(?:,|;|\s-|\s—)?\s+and\s+(?=(?:{WH}|is|are|was|were|do|does|did|can|could|will|would|has|have|"
                     rf"should|must)\b)|(?:,|;)\s*(?=(?:{WH})\b)", re.I)


def parts(question: str) -> list[list[str]]:
    """The stems of each further part of a compound question (what it asks after the first part),
    less the words that only say what kind of fact is asked; none for a question that asks one thing."""
    pieces = PART_RE.split(question)
    # A lead-in that asks nothing ('Back in 2007, how many ...') is not the first of two parts.
    while len(pieces) > 1 and not (WH_RE.search(pieces[0]) or YES_NO_RE.search(pieces[0])):
        pieces = pieces[1:]
    pieces = pieces[1:]
    out = [[t for t in tokens(p) if t not in KIND_WORDS and t not in GENERIC and t not in WH_WORDS and not t.isdigit()]
           for p in pieces]
    return [p for p in out if p]


WH_RE = re.compile(r"\b(?:who|whom|what|when|where|which|how|why)\b", re.I)
FILLER = set(tokens("even still ever basically supposed"))  # plain-speech fillers the stopwords keep ("actually", "really" are stopwords)


def _asking_words(question: str) -> list[str]:
    """With no head word to go by, the words of the clause that asks, after its question word
    ('According to the Lodi staff report, when did it become available?' -> becom, avail), not
    the first words of the question, which are often a preamble."""
    found = list(WH_RE.finditer(question))
    if not found:
        return []
    got = [t for t in tokens(question[found[-1].end():]) if t not in KIND_WORDS and t not in GENERIC
           and t not in FILLER and not t.isdigit()]
    return got[:3]


# What an amount, a count or a number asked for is of: a sentence that answers must name it.
QUALIFY = {
    "money": re.compile(r"\b(fines?|penalt(?:y|ies)|salar(?:y|ies)|wages?|balance|budget|limit|max|maximum|fees?|"
                        r"surcharge|tax|deposit|rebate|refund|discount)\b|\bper (minute|month|line|year|hour|call|device|user)\b|"
                        r"\b(monthly|yearly|annual)\b", re.I),
    "count": re.compile(r"\bhow many\s+([a-z]+(?:\s+[a-z]+)?)|(?:\bnumber|(?<![\w#])#)\s*of\s+([a-z]+(?:\s+[a-z]+)?)|"
                        # 'the vote count', 'a head count'
                        r"\b(?!(?:total|exact|final|actual|current|official|overall|the|a|an|that|this|what)\b)([a-z]+)\s+(?:count|tally)\b",
                        re.I),
    # the kind of the number asked for ('the toll-free number', 'the fax'), not of numbers the question
    # mentions after it ('the telephone number of the OAL Reference Attorney for ... publishing toll-free numbers')
    "phone": re.compile(r"\b(fax)\b|^(?:(?!\bnumbers?\b|#).)*?\b(toll[- ]free|hotline|help ?desk|pager)\s+"
                        r"(?:phone\s+|telephone\s+)?(?:numbers?|no\b|#|line)", re.I),
    "org": re.compile(r"\b(vendors?|compan(?:y|ies)|carriers?|providers?|contractors?|firms?|suppliers?)\b", re.I),
}


def _qualifier(question: str, kind: str | None) -> list[str]:
    pat = QUALIFY.get(kind or "")
    m = pat.search(question) if pat else None
    if not m:
        return []
    word = next(g for g in m.groups() if g)
    got = [t for t in tokens(word) if t not in GENERIC and t not in KIND_WORDS]
    return got[:1]


HEAD_RE = re.compile(r"\b(?:what|which|how many|how much)\s+(?:is\s+the\s+|are\s+the\s+|was\s+the\s+|'s\s+the\s+)?"
                     r"((?:[\w-]+\s+){0,2}?[\w-]+?)\s+(?:is|are|was|were|does|do|did|must|should|can|may|will|has|have|of|for|"
                     r"on|in|to|that|would)\b", re.I)
FOR_RE = re.compile(r"\b(?:number|address|name|date|amount|fee|price|cost|deadline|e-?mail)\s+(?:of|for|to reach)\s+(?:the\s+)?"
                    r"((?:[\w-]+\s*){1,5})", re.I)


WHO_RE = re.compile(r"^\s*(?:and\s+)?(?:who|whom)\s+(?:else\s+)?(?:(?:must|shall|should|can|may|will|would|has to|have to|"
                    r"needs to|is required to|is supposed to|gets to|does|do|did|actually|really)\s+)*([a-z][\w-]*)", re.I)


def _head(question: str) -> tuple[list[str], str]:
    """The head words after the question word ('what fine does ...' -> fine; 'who must sign ...'
    -> sign), or what the asked item belongs to ('the phone number for the Office of ...' ->
    office ...), as stems and as asked."""
    m = WHO_RE.search(question)
    if m and m.group(1).lower() not in ("is", "are", "was", "were", "the", "a", "an"):
        got = [t for t in tokens(m.group(1)) if t not in GENERIC]
        if got:
            return got, m.group(1)
    m = FOR_RE.search(question)
    if m:
        got = [t for t in tokens(m.group(1)) if t not in GENERIC]
        if got:
            return got[:4], m.group(1).strip()
    m = HEAD_RE.search(question)
    if m:
        got = [t for t in tokens(m.group(1)) if t not in KIND_WORDS and t not in GENERIC]
        if got:
            return got, m.group(1).strip()
    return [], ""


# A point before an event, and a question that asks for an amount of time rather than a point.
BEFORE_EVENT_RE = re.compile(r"\b(?:prior to|before|in advance of|no later than)\s+"
                             r"(?:\w+ing\b|the\s+(?:start|beginning|end|date|first|close)\b)", re.I)
HOW_MUCH_TIME_RE = re.compile(r"\bhow (?:many|much|long|soon|far)\b|\bwithin how\b|\bturnaround\b", re.I)
BY_WHEN_RE = re.compile(r"\bby when\b|\bwhen (?:must|should|do (?:we|they|you|I) (?:have|need) to|"
                        r"does \w+ (?:have|need) to)\b", re.I)


def holds(kind: str | None, text: str, question: str = "", proper=None) -> bool:
    """Whether a text holds a fact of this kind (always true for an open question); for 'which
    vendor', a name the question does not already give. `proper` tells a word the documents only
    ever write with a capital (a person's or a place's name), when the documents are at hand."""
    if kind == "org":
        asked = set(re.findall(r"[A-Za-z&]+", question.lower()))
        names = re.findall(r"(?<![.!?]\s)(?<!^)\b([A-Z][A-Za-z&]+(?:-[A-Z][A-Za-z]+)?)", text)
        return any(n not in COMMON_CAPS and n.lower() not in asked and (not n.isupper() or "&" in n) for n in names)
    if kind == "name":
        asked = set(re.findall(r"[a-z]+", question.lower()))
        return any(_person(m.group(0), asked, proper) for m in HOLDS["name"].finditer(text))
    pat = HOLDS.get(kind or "")
    if pat is None:
        return True
    text = without_given(text, question)
    if kind == "count":  # the day of a date ('March 30, 2016') counts nothing, nor a bare number line (a section's),
        if BARE_NUMBER_RE.fullmatch(text):  # nor a sum of money or a percentage ('about $2 million')
            return False
        text = NOT_A_COUNT_RE.sub(" ", DATE_RE.sub(" ", text))
    if kind == "date":  # a year in another act's name ('... Communication Act of 2002') dates nothing asked
        text = TITLE_YEAR_RE.sub(lambda m: m.group(0) if _names_it(m.group(1), question)
                                 else m.group(1) + "Act of _", text)
    if kind == "duration" and HOLDS["date"].search(text):
        return True  # 'by July 1, 2025' answers 'by when'
    if kind in ("span", "date") and BY_WHEN_RE.search(question) and not HOW_MUCH_TIME_RE.search(question) \
            and BEFORE_EVENT_RE.search(text):
        return True  # 'prior to ordering Services' answers 'by when?', 'when must we submit it?'; not 'how many days?'
    return bool(pat.search(text))


def _person(name: str, asked: set[str], proper=None) -> bool:
    """Whether two capitalised words may name a person the question does not already name: a first
    word rare in English ('Technology Services' is not a name), and, when the documents are at hand,
    words they only ever write with a capital ('Designation Form' is not a name either: they write
    'form'). Names as common as 'Mike' are missed: a question asking for a name is far more often one
    the documents leave unanswered, so the test leans to not finding one."""
    words = [w for w in re.split(r"[\s-]+", name) if not re.fullmatch(r"[A-Z]\.", w)]
    if any(w.lower() in asked for w in words) or zipf(words[0]) >= 4.0:
        return False
    return proper is None or all(proper(w) for w in words)


TITLE_YEAR_RE = re.compile(r"((?:[A-Z][\w'’-]*\s+){1,6})Act of (?:19|20)\d\d\b")


def _names_it(title: str, question: str) -> bool:
    """Whether a question names the act whose title this is (most of the title's words)."""
    words, asked_words = [t for t in tokens(title) if t not in GENERIC], set(tokens(question))
    return not words or sum(t in asked_words for t in words) >= 0.5 * len(words)


DATE_RE = re.compile(rf"\b{MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?\b", re.I)
NOT_A_COUNT_RE = re.compile(rf"{SUM}|{PERCENTAGE}", re.I)  # numbers that count nothing
BARE_NUMBER_RE = re.compile(r"[\s\d.,()§-]*")
GIVEN_RE = re.compile(rf"\b\d[\d,]*(?:\.\d+)?\b|\b{MONTHS}\b", re.I)
YES_NO_RE = re.compile(r"^\s*(?:is|are|was|were|does|do|did|can|could|may|must|should|will|would|has|have)\b", re.I)


def without_given(text: str, question: str) -> str:
    """The text with the numbers and months an open question itself gives blanked out: a value
    the question states is what it asks about, not its answer ('how many vendors were added after
    the initial 21 awards?' is not answered by '21 vendors'). A yes/no question ('is the fee $5?')
    keeps them: it asks whether the value holds."""
    given = _given(question)
    if not given:
        return text
    return GIVEN_RE.sub(lambda m: "_" if m.group(0).lower().rstrip(",") in given else m.group(0), text)


@lru_cache(maxsize=64)
def _given(question: str) -> frozenset[str]:
    """The numbers and months an open question gives (none for a yes/no question), read once per
    question rather than once per sentence checked."""
    if not question or YES_NO_RE.match(question):
        return frozenset()
    given = {m.group(0).lower().rstrip(",") for m in GIVEN_RE.finditer(question)}
    # a month in shorthand before a day or a year ('after dec 2009') gives the month too
    given |= {SHORT_MONTHS[m.group(1).lower()[:3]] for m in SHORT_MONTH_RE.finditer(question)}
    return frozenset(given)


SHORT_MONTHS = {m[:3].lower(): m.lower() for m in MONTH_NAMES}
SHORT_MONTH_RE = re.compile(r"\b(jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?\s+\d", re.I)


# What a question can ask for beside a kind of fact, and what a sentence (read with its neighbours)
# must then say. A maximum or a minimum is a bound, not any number: 'the CATR may appoint one or
# more ATRs' does not state a maximum. What happens to those who do not comply is a consequence:
# 'agencies are required to comply' does not state one.
NEEDS = {
    "bound": (re.compile(r"\b(?:max(?:imum)?|min(?:imum)?|upper limit|lower limit|limit (?:on|to)|cap on|"
                         r"no more than|at (?:the )?most|how many\b.*\b(?:allowed|permitted))\b", re.I),
              re.compile(r"\b(?:max(?:imum|imums|ima)?|min(?:imum|imums|ima)?|limit(?:s|ed)?|cap(?:s|ped)?|ceiling|up to|"
                         r"exceed(?:s|ing)?|at (?:most|least)|(?:more|fewer|less) than|"
                         r"or (?:above|higher|below|lower|greater|fewer|less)|unlimited|any number)\b", re.I)),
    "consequence": (re.compile(r"\b(?:penalt(?:y|ies)|sanction(?:s|ed)?|consequences?|punish\w*|disciplin\w*)\b|"
                               r"\bwhat happens\b.*(?:\bnot\b|n['’]t\b|\bdont\b|\bfail|\bskip|\bignor|\bviolat|\bwithout\b|"
                               r"\bmiss|\blate\b|\bbreak)|\b(?:get|be|are|is) in trouble\b", re.I),
                    re.compile(r"\b(?:penalt(?:y|ies)|sanction\w*|consequen\w*|fine[sd]?|subject to|result(?:s|ed)? in|"
                               r"liab(?:le|ility)|disciplin\w*|revo(?:ke|ked|cation)|terminat\w*|withh[eo]ld\w*|"
                               r"suspen(?:d|ded|sion)|forfeit\w*|reject\w*|den(?:y|ied|ial)|disallow\w*|"
                               r"misdemeanor|felony|punish\w*|(?:collected|recovered|reimbursed) from)\b", re.I)),
}


# The manuals and codes a question may ask a section of, by the prefix of their references.
MANUALS = {"sam": "SAM", "state administrative manual": "SAM", "admin manual": "SAM", "administrative manual": "SAM",
           "stmm": "STMM", "telecommunications management manual": "STMM", "telecom manual": "STMM",
           "simm": "SIMM", "government code": "GC", "gov code": "GC", "public contract code": "PCC"}
_MANUAL = "|".join(sorted(MANUALS, key=len, reverse=True))
_SECTION_WORD = r"(?:sections?|chapters?|sec|secs|sectn|chap)"
# A question asking which section or chapter covers something ('which stmm chapter is about toll-free
# numbers?', 'where in SAM are the data center's rates?', 'sam sec # for ...'); 'which part of the
# department' asks for an office, not a section.
SECTION_ASKED_RE = re.compile(rf"\b(?:which|what)\s+(?:[\w.'’-]+\s+){{0,4}}?{_SECTION_WORD}\b|"
                              rf"\bwhere in (?:the\s+)?(?:{_MANUAL}|manual|code)\b|\b{_SECTION_WORD}\s*(?:#|number\b|no\b)", re.I)
# ... and the manual or code whose section it wants ('which SAM section ...', 'what chapter of the STMM ...',
# 'where in the state administrative manual ...').
MANUAL_ASKED_RE = re.compile(rf"\b({_MANUAL})\s+{_SECTION_WORD}\b|\b{_SECTION_WORD}\s+(?:of|in)\s+(?:the\s+)?"
                             rf"(?:state'?s?\s+)?({_MANUAL})\b|\bwhere in (?:the\s+)?({_MANUAL})\b", re.I)


def section_asked(question: str) -> tuple[bool, str | None]:
    """Whether a question asks which section or chapter covers something, and the manual or code it
    asks a section of ('SAM', 'STMM', 'SIMM', 'GC', 'PCC'), if it names one."""
    if not SECTION_ASKED_RE.search(question):
        return False, None
    m = MANUAL_ASKED_RE.search(question)
    return True, MANUALS[next(g for g in m.groups() if g).lower()] if m else None


def meets(needs: list[str], text: str) -> bool:
    """Whether a text says everything beside the kind of fact a question asks for (NEEDS)."""
    return all(NEEDS[n][1].search(text) for n in needs)
