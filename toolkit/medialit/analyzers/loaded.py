"""Loaded language: emotive words, labels, puffery and metaphors in the author's voice or quoted.

>>> from medialit import read
>>> from medialit.analyzers.context import Context
>>> [(m.text, m.reason) for m in find_loaded(Context(read("The regime's reckless plan is not radical.")))]
[('regime', 'contentious label'), ('reckless', 'intensifier')]
"""

from __future__ import annotations

from bisect import bisect_left

from .context import Context
from .lexicons import _FUNCTION_WORDS
from .lexicons import evaluative_adjectives, literal_words, loaded_lexicon, vader_valence
from .marks import Mark

__all__ = ["find_loaded", "REASONS"]

#: The reason shown for each lexicon category (datasets/lexicons/loaded_language.tsv).
REASONS = {
    "intensifier": "intensifier",
    "label": "contentious label",
    "puffery": "puffery",
    "metaphor": "emotive metaphor",
    "emotive": "emotionally charged word",
    "dismissive": "dismissive word",
    "euphemism": "euphemism",
    "speech verb": "loaded verb of speech",
    "fire metaphor": "emotive metaphor (fire)",
    "flood metaphor": "emotive metaphor (flood)",
    "disease metaphor": "emotive metaphor (disease)",
    "war metaphor": "emotive metaphor (war)",
    "predator metaphor": "emotive metaphor (predators)",
    "evaluative": "strongly evaluative adjective (rated so by both VADER and Pattern)",
    "scare quotes": "scare quotes (the writer distances itself from the word)",
    "so-called": "contentious label (so-called)",
    "capitals": "emotive word in capital letters (shouting)",
    "personification": "emotive metaphor (a place or an idea that burns, bleeds or dies like a living thing)",
    "puffery pattern": "puffery (an advertising formula)",
    "bad faith": "accusation of bad faith (the other side manipulates, blackmails or invents pretexts)",
    "personal war": "contentious label (a war or a hardship named after one leader)",
    "compound": "emotive compound (the second part paints the first as a plague or a mania)",
    "only sounds": "dismissive compound (praise that only 'sounds' so: 'reasonable-sounding')",
    "degree": "intensifier with a strongly emotive word (the degree adverb turns the feeling up)",
}
#: What a mark's reason adds when the phrase grew by coordination or a degree adverb.
COORDINATED = "a list of evaluative words joined by 'and' or 'or' is one loaded phrase"



def _shouted(text: str) -> bool:
    """An emotive word written in capitals for emphasis ("a TOTAL disaster"), not an acronym."""
    return len(text) >= 4 and text.isupper() and text.isalpha()

#: A positive adjective is marked by rating alone only if it is at least this subjective in
#: Pattern and this positive in VADER: praise words are common in plain speech ("good", "nice").
POSITIVE_SUBJECTIVITY, POSITIVE_VALENCE = 0.9, 2.5
# Group nouns that take their modifier with them: "the climate mob", "a globalist cabal".
_GROUP_NOUNS = frozenset({"mob", "mobs", "cabal", "clique", "horde", "hordes"})
# Dismissive nouns that take their modifier with them: "a dangerous fantasy", "a green fantasy".
_DISMISSIVE_NOUNS = frozenset({"fantasy", "fantasies", "delusion", "delusions", "hoax", "sham", "farce", "scam",
                               "charade", "nonsense", "myth", "myths"})
# Labels for agents that take what they deal in with them: "peddlers of false hope", "merchants of doom".
_AGENT_OF = frozenset({"peddler", "peddlers", "merchant", "merchants", "purveyor", "purveyors", "prophet", "prophets",
                       "apostle", "apostles", "enemy", "enemies", "architects", "architect"})
# A short quotation right after one of these is a name the writer holds at a distance: the
# “experts”, their “reforms”. After anything else it is usually a title, a term or a report.
_SCARE_DETERMINERS = frozenset({"the", "a", "an", "their", "his", "her", "its", "our", "these", "those", "this",
                                "that", "so-called", "such"})
# Words before a short quotation that make it a report or a mention, not scare quotes.
_QUOTE_INTRO = frozenset({"said", "says", "say", "told", "wrote", "writes", "added", "stated", "called", "calls",
                          "dubbed", "termed", "word", "words", "phrase", "term", "slogan", "titled", "entitled",
                          "headline", "described", "describes", "according", ":", ",", "as", "of", "like"})

# Negation words (after NLTK's VADER list, nltk.sentiment.vader.VaderConstants.NEGATE) that
# cancel a loaded word within three tokens: "is not radical". "not just", "not only" and
# "not merely" intensify instead, so they do not cancel.
_NEGATIONS = frozenset({"not", "n't", "no", "never", "nor", "neither", "without", "hardly"})
_NOT_CANCELLING = frozenset({"just", "only", "merely", "simply"})
# The negation reaches the loaded word only across these: "is not radical", "not a very radical
# plan". Across a verb or a preposition it negates something else: "not imposed by zealots".
_NEGATION_BRIDGE = frozenset({"a", "an", "the", "so", "very", "too", "really", "quite", "that", "particularly",
                              "be", "been", "being", "all", "truly", "entirely", "exactly", "necessarily", "is",
                              "are", "was", "were"})

# Verbs of speech: a short quotation after one of these, anywhere earlier in its sentence, is a
# partial quotation of what someone said ("apologized, saying the block was a “mistake”"), not
# scare quotes.
_SPEECH_VERBS = frozenset({"said", "says", "say", "saying", "told", "tells", "telling", "wrote", "writes", "writing",
                           "described", "describes", "describing", "claimed", "claims", "claiming", "argued", "argues",
                           "insisted", "insists", "warned", "warns", "announced", "announces", "added", "stated",
                           "declared", "promised", "promises", "asked", "urged", "according", "quoted", "dubbed"})
# Words that report someone else's label: "what it calls X", "called the plan a X".
_REPORTING_LABEL = frozenset({"call", "calls", "called", "calling", "dubbed", "dubs", "labelled",
                              "labeled", "branded", "brands", "termed", "terms"})

#: Adverbs formed from strongly valenced adjectives ("brutally", "tragically") are flagged as
#: intensifiers when the adjective's VADER valence is at least this far from 0. 2.0 is VADER's
#: "strong" band (Hutto & Gilbert 2014 rate words from -4 to +4).
ADVERB_VALENCE = 2.0
# Manner adverbs whose base adjective is valenced but whose use in reports is literal.
_LITERAL_ADVERBS = frozenset({
    "successfully", "effectively", "safely", "positively", "negatively", "freely", "fairly",
    "happily", "easily", "clearly", "honestly", "seriously", "securely", "peacefully", "legally",
    "illegally", "accurately", "properly", "carefully", "strongly", "badly", "sadly", "warmly",
    "kindly", "largely", "greatly", "fully", "truly", "certainly", "surely", "wisely",
    "perfectly", "respectfully", "friendly", "generously", "unfortunately", "fortunately", "luckily",
    "intellectually", "divinely", "amazingly", "brilliantly", "thankfully", "hopefully", "gladly",
    # adjectives that end in -ly: "a deadly attack" is a report, not an intensifier
    "deadly", "costly", "elderly", "lonely", "lovely", "unfriendly", "holy", "silly", "ugly",
    "lively", "orderly", "likely", "unlikely", "early", "only", "daily", "weekly", "monthly",
})


# Personification, a productive family of emotive metaphor: a planet, a nation or an idea that
# burns, bleeds or dies ("while the planet cooks", "this is how freedom dies"). The subject nouns
# are abstract or collective; the verbs come from the source domains of fire, injury and death.
_PERSONIFIED = frozenset({"planet", "earth", "world", "climate", "democracy", "freedom", "liberty", "nation",
                          "country", "economy", "truth", "justice", "republic", "europe", "america", "civilization",
                          "civilisation", "west", "constitution"})
_LIVING_VERBS = frozenset({"burns", "burn", "burning", "cooks", "cooking", "boils", "boiling", "bleeds", "bleeding",
                           "dies", "dying", "die", "drowns", "drowning", "chokes", "choking", "suffocates",
                           "suffocating", "weeps", "weeping", "screams", "starves", "starving", "withers"})
_COPULA = frozenset({"is", "are", "was", "'s"})
# "Putin's war", "Biden's inflation": a war or a hardship named after one leader makes it his alone.
# ... with the noun that may follow: "Putin's war machine", "Biden's price hike"
_HARDSHIP_TAILS = {"price": {"hike", "hikes", "rise"}, "war": {"machine"}}
_PERSONAL_HARDSHIPS = frozenset({"war", "wars", "inflation", "recession", "price", "crisis", "mess", "folly"})
# ... but "Russia's war", "Europe's crisis" name a country, as news reports do: no leader, no label.
_PLACES = frozenset("""russia ukraine america china europe britain france germany israel iran iraq syria
turkey india japan poland moscow kyiv kiev washington beijing brussels london paris berlin nato the eu
west world country nation state government administration kremlin
today yesterday tomorrow tonight year week month decade century""".split())  # and time: "today's war"
_UNLOCK = frozenset({"unlock", "unlocks", "unlocking", "unleash", "unleashes", "unleashing"})
_UNLOCKED = frozenset({"potential", "power", "powers", "genius", "secrets", "secret"})


# Labels that doubt what they name, like "so-called": the label takes the next word with it.
_DOUBTING = frozenset({"so-called", "self-proclaimed", "self-styled", "self-appointed", "self-avowed", "wannabe",
                       "pseudo"})
# Hyphenated compounds whose second part paints the first as a plague or a mania: "crime-ridden",
# "war-ravaged", "power-hungry", "gun-toting" (a productive family: any first part will do).
_COMPOUND_ENDINGS = ("-ridden", "-ravaged", "-riddled", "-plagued", "-infested", "-crazed", "-obsessed", "-hating",
                     "-mongering", "-mongers", "-bashing", "-baiting", "-hungry", "-happy", "-toting", "-loving",
                     "-worshipping", "-addled", "-besotted", "-gate")

# Degree adverbs: with a strongly valenced word after them they make one loaded phrase
# ("extremely bad", "very grave", "truly devastating"); alone they are plain English.
_DEGREE = frozenset({"very", "extremely", "totally", "absolutely", "truly", "deeply", "terribly", "awfully",
                     "especially", "particularly", "profoundly", "thoroughly", "hugely", "massively", "so",
                     "completely", "really", "most", "highly", "seriously", "unbelievably", "incredibly", "horribly",
                     "enormously", "immensely", "outrageously", "insanely"})
# Degree adverbs strong enough to load even a word that news also uses literally: "extremely
# painful", "terribly dangerous" (but "very difficult", "so strong" stay plain).
_STRONG_DEGREE = frozenset({"extremely", "terribly", "awfully", "unbelievably", "incredibly", "horribly",
                            "enormously", "immensely", "outrageously", "insanely"})
# A degree adverb right before a loaded adjective or adverb is part of the phrase: "extremely
# alarming", "deeply cynical". These are the categories it joins (not labels or metaphors).
_DEGREE_JOINS = frozenset({"intensifier", "emotive", "dismissive", "evaluative", "puffery", "compound"})
# Conjunctions that join two loaded words into one phrase: "insulting and humiliating" (a bare
# comma does not: "revolutionary, world-class" stays two marks).
_COORDINATION = frozenset({"and", "or", ", and", ", or"})
#: A word coordinated with a rated loaded word joins its phrase when VADER rates it at least this
#: far from 0, on the same side: "beautiful, peaceful and respectful" (but "brutal and long" stops).
COORDINATED_VALENCE = 1.5
#: A word after a degree adverb makes a loaded phrase when its VADER valence is at least this
#: negative or, for praise (common in plain speech: "very good"), at least DEGREE_POSITIVE.
DEGREE_NEGATIVE, DEGREE_POSITIVE = -1.5, 2.5

_TRIGGERS = _LIVING_VERBS | _UNLOCK | _PERSONAL_HARDSHIPS | {"future"} | _DEGREE


def _patterns(ctx: Context, start: int, end: int, triggers: list[int]) -> list[tuple[int, int, str]]:
    """Loaded phrases found by pattern rather than by word list (``triggers``: the indices of the
    document's words that can end or start one, found once per document):

    - personification: "the planet cooks", "freedom dies" (the verb is marked);
    - puffery formulas: "unlocks your brain's hidden potential", "X is the future (of Y)";
    - a war or a hardship named after one leader: "Putin's war", "Biden's inflation".
    """
    words = ctx.words
    found = []
    valence = vader_valence()
    for k in triggers[bisect_left(triggers, start):bisect_left(triggers, end)]:
        word = words[k]
        if word in _LIVING_VERBS and k > start and words[k - 1] in _PERSONIFIED:
            found.append((k, k + 1, "personification"))
        elif word in _DEGREE:
            if k + 1 < end and (valence.get(words[k + 1], 0.0) <= DEGREE_NEGATIVE
                                or valence.get(words[k + 1], 0.0) >= DEGREE_POSITIVE) \
                    and (word in _STRONG_DEGREE or words[k + 1] not in literal_words()):
                found.append((k, k + 2, "degree"))
        elif word in _UNLOCK:
            for j in range(k + 1, min(end, k + 6)):
                if words[j] in _UNLOCKED:
                    found.append((k, j + 1, "puffery pattern"))
                    break
        elif word in _PERSONAL_HARDSHIPS and k - 2 >= start and words[k - 1] == "'s" and ctx.is_capitalized(k - 2) \
                and words[k - 2].isalpha() and words[k - 2] not in _PLACES and words[k - 2] not in _FUNCTION_WORDS:
            j = k + 2 if k + 1 < end and words[k + 1] in _HARDSHIP_TAILS.get(word, ()) else k + 1
            if word != "price" or j == k + 2:
                found.append((k - 2, j, "personal war"))
        elif word == "future" and k - 2 >= start and words[k - 1] == "the" and words[k - 2] in _COPULA \
                and (k + 1 >= end or words[k + 1] in {"of", ".", "!"}):
            found.append((k - 1, k + 1, "puffery pattern"))
    return found


def _scare_quotes(ctx: Context, start: int, end: int) -> list[tuple[int, int, str]]:
    """Short quotations (one to three words) that quote no speaker: the “experts”, their “reforms”
    (but not one that modifies the noun after it, the “red flag” law: see :func:`_names_a_term`)."""
    found = []
    tokens = ctx.tokens
    k = start
    while k < end:
        if tokens[k].text in ("“", "``") or (tokens[k].text == '"' and not ctx.quoted[k]):
            j = k + 1
            while j < end and j - k <= 4 and tokens[j].text not in ("”", "''", '"'):
                j += 1
            inner = range(k + 1, j)
            if (j < end and 1 <= len(inner) <= 3 and tokens[j].text in ("”", "''", '"')
                    and all(any(ch.isalpha() for ch in tokens[x].text) for x in inner)
                    and k > start and (ctx.words[k - 1] in _SCARE_DETERMINERS
                                       # a determiner and one modifier: an accelerated “green transition”
                                       or (k - 1 > start and ctx.words[k - 2] in _SCARE_DETERMINERS
                                           and ctx.words[k - 2] != "so-called" and ctx.words[k - 1].isalpha()
                                           and ctx.words[k - 1] not in _FUNCTION_WORDS
                                           and ctx.words[k - 1] not in _QUOTE_INTRO
                                           and not ctx.is_capitalized(k - 1)))
                    and (ctx.words[k - 1] == "so-called"  # so-called “draft treaties”: distance, whoever spoke
                         or not any(ctx.words[x] in _REPORTING_LABEL or ctx.words[x] in _SPEECH_VERBS
                                    for x in range(start, k)))
                    and not all(tokens[x].text[:1].isupper() for x in inner)
                    and not _names_a_term(ctx, j + 1, end)):
                found.append((k + 1, j, "scare quotes"))
            k = j + 1
            continue
        k += 1
    return found


# Verbs that can follow a quoted noun phrase: the “experts” say, their “reform” will fail.
_AUXILIARIES = frozenset({"is", "are", "was", "were", "be", "been", "being", "will", "would", "can", "could", "may",
                          "might", "must", "shall", "should", "do", "does", "did", "has", "have", "had", "'s",
                          "says", "say", "said"})


# Adverbs that follow a verb in quotation marks: the government “capitulated” too soon.
_NOT_NOUNS = frozenset({"too", "very", "so", "again", "then", "now", "yet", "enough", "instead", "together"})


def _names_a_term(ctx: Context, k: int, end: int) -> bool:
    """Does the word after a closing quotation mark show that the quotation modifies a noun, as in
    the “red flag” law, an “open door” policy, a “completely natural” pill? A quotation used as
    a modifier names a term or cites a claim (a mention), not the writer's distance from a word.
    The next word must look like a head noun: lower-case, not a function word or an auxiliary,
    and not an inflected verb (-ed, -s: the “cure” worked, the “cure” kills)."""
    if k >= end:
        return False
    word = ctx.words[k]
    return (word.isalpha() and not ctx.is_capitalized(k) and word not in _FUNCTION_WORDS
            and word not in _AUXILIARIES and word not in _NOT_NOUNS and not word.endswith(("ed", "s", "ly")))


_BE = frozenset({"is", "are", "was", "were", "be", "been", "being", "am", "'s", "'re", "remain", "remains",
                 "remained", "seem", "seems", "seemed"})


def _plain_use(ctx: Context, i: int, j: int, start: int, end: int) -> bool:
    """When a listed word is fine (the codebook's "literal term"): fixed phrases in which it has
    lost its charge.

    - "needless to say" is a discourse marker ("of course"), not "needless deaths";
    - "nothing but" reduces its subject to the predicate only after a copula ("the plan is
      nothing but a gamble"); after another verb or a preposition it is plain focus, "only"
      ("does nothing but approve", "with nothing but a laptop").
    """
    words = ctx.words
    if words[i] == "needless" and words[i + 1:i + 3] == ["to", "say"]:
        return True
    if words[i:j] == ["nothing", "but"] and (i == start or words[i - 1] not in _BE):
        return True
    return False


def _negated(ctx: Context, i: int) -> bool:
    sentence_start = ctx.sentence_ranges[ctx.token_sentence[i]][0]
    window = ctx.words[max(sentence_start, i - 3):i]
    for k, word in enumerate(window):
        if word in _NEGATIONS:
            following = window[k + 1] if k + 1 < len(window) else ctx.words[i]
            if following not in _NOT_CANCELLING and all(w in _NEGATION_BRIDGE for w in window[k + 1:]):
                return True
    return False


def _reported_label(ctx: Context, i: int) -> bool:
    sentence_start = ctx.sentence_ranges[ctx.token_sentence[i]][0]
    return any(w in _REPORTING_LABEL for w in ctx.words[max(sentence_start, i - 6):i])


def _adverb_valence(word: str, valence: dict[str, float]) -> float:
    if not word.endswith("ly") or len(word) < 6 or word in _LITERAL_ADVERBS:
        return 0.0
    for base in (word[:-2], word[:-4] if word.endswith("ally") else "", word[:-3] + "y" if word.endswith("ily") else "",
                 word[:-2] + "e"):
        if base and base in valence:
            return valence[base]
    return 0.0


def _loaded_base(word: str) -> bool:
    """Is ``word`` an adverb made from a loaded adjective of the lexicon ("absurdly", "gratuitously")?"""
    if len(word) < 6 or word in _LITERAL_ADVERBS:
        return False
    lexicon = loaded_lexicon()
    for base in (word[:-2], word[:-4] if word.endswith("ally") else "", word[:-3] + "y" if word.endswith("ily") else "",
                 word[:-2] + "e", word[:-1] if word.endswith("bly") else ""):
        if base and (base,) in lexicon:
            return True
    return False


def _coordinated(words: list[str], j: int, end: int) -> int:
    """Where a loaded word ending at ``j`` stops once the words coordinated with it are added:
    ", W, W and W" or "and W" where every W is rated by VADER at least COORDINATED_VALENCE from 0
    on the same side as the loaded word. Returns ``j`` when nothing follows.

    >>> _coordinated("a beautiful , peaceful and respectful city".split(), 2, 7)
    6
    >>> _coordinated("a brutal and long war".split(), 2, 5)
    2
    """
    valence = vader_valence()
    sign = valence.get(words[j - 1], 0.0)
    if not sign:
        return j
    k = j
    while k + 1 < end and words[k] in (",", "and", "or"):
        nxt = k + 1
        if words[k] == "," and nxt < end and words[nxt] in ("and", "or"):
            nxt += 1
        v = valence.get(words[nxt], 0.0) if nxt < end else 0.0
        if abs(v) < COORDINATED_VALENCE or (v > 0) != (sign > 0):
            break
        last_conjunction = words[k] != ","
        k = nxt + 1
        if last_conjunction:
            return k
    return j  # a list that never reaches its "and" ("brutal, long") is left alone


def _same_side(word: str, loaded_word: str) -> bool:
    """Does VADER rate ``word`` at least COORDINATED_VALENCE from 0, on the side of ``loaded_word``?

    >>> _same_side("cruel", "shameful"), _same_side("long", "brutal")
    (True, False)
    """
    valence = vader_valence()
    v, sign = valence.get(word, 0.0), valence.get(loaded_word, 0.0)
    return abs(v) >= COORDINATED_VALENCE and sign != 0 and (v > 0) == (sign > 0)


_KINDS: dict[str, str | None] = {}


# Words of credit that the rating lexicons leave unrated; with "-sounding" they doubt the credit:
# "a reasonable-sounding plan", "scientific-sounding claims".
_CREDIT = frozenset({"reasonable", "sensible", "plausible", "scientific", "official", "respectable", "serious",
                     "legitimate", "benign", "moderate", "balanced", "fair", "expert", "authoritative"})


def _praises(word: str, valence: dict, rated: dict) -> bool:
    """Whether a word gives credit: positive in VADER or Pattern, or a word of credit (``_CREDIT``)."""
    return word in _CREDIT or valence.get(word, 0) > 0 or rated.get(word, (0, 0))[0] > 0


def _word_kind(word: str) -> str | None:
    """What a word can be by rating alone: an intensifier adverb, an evaluative adjective, a valenced
    word (marked only when written in capitals), or nothing. Cached: the same words recur."""
    kind = _KINDS.get(word, "")
    if kind != "":
        return kind
    valence = vader_valence()
    rated = evaluative_adjectives()
    kind = None
    if word.endswith("ly") and (abs(_adverb_valence(word, valence)) >= ADVERB_VALENCE or _loaded_base(word)):
        kind = "intensifier"
    elif "-" in word and word.endswith(_COMPOUND_ENDINGS) and word.index("-") > 1:
        kind = "compound"
    elif word.endswith("-sounding") and _praises(word[:-len("-sounding")], valence, rated):
        kind = "only sounds"  # "reasonable-sounding", "noble-sounding"; "foreign-sounding" stays plain
    elif word in rated and word not in literal_words():
        polarity, subjectivity = rated[word]
        if polarity < 0 or (subjectivity >= POSITIVE_SUBJECTIVITY and valence.get(word, 0) >= POSITIVE_VALENCE):
            kind = "evaluative"
    if kind is None and word in valence:
        kind = "valenced"
    if len(_KINDS) > 200_000:
        _KINDS.clear()
    _KINDS[word] = kind
    return kind


def find_loaded(ctx: Context) -> list[Mark]:
    """Mark loaded words and phrases; skip negated ones; note quoted ones."""
    lexicon = loaded_lexicon()
    marks: list[Mark] = []
    words, tokens = ctx.words, ctx.tokens
    kinds = _KINDS
    rated_hits: list[tuple[int, str]] = []
    for k, word in enumerate(words):
        kind = kinds.get(word, "")
        if kind == "":
            kind = _word_kind(word)
        if kind is None:
            continue
        if kind == "valenced":
            if _shouted(tokens[k].text):
                rated_hits.append((k, "capitals"))
        else:
            rated_hits.append((k, kind))
    text = ctx.doc.text
    triggers = [k for k, word in enumerate(words) if word in _TRIGGERS]
    any_quotes = '"' in text or "“" in text
    pointer = 0
    by_sentence = lexicon.find_by_sentence(words, ctx.sentence_ranges)
    last_category = ""
    for (start, end), hits in zip(ctx.sentence_ranges, by_sentence):
        for i, j, category in (_patterns(ctx, start, end, triggers) if triggers and triggers[-1] >= start else ()):
            # a pattern's phrase replaces the lexicon words inside it ("hidden potential")
            hits = [h for h in hits if h[1] <= i or h[0] >= j]
            hits.append((i, j, category))
        covered = {k for i, j, _ in hits for k in range(i, j)}
        while pointer < len(rated_hits) and rated_hits[pointer][0] < end:
            k, kind = rated_hits[pointer]
            pointer += 1
            if k >= start and k not in covered:
                hits.append((k, k + 1, kind))
        if any_quotes and ('"' in words[start:end] or "“" in words[start:end] or "``" in words[start:end]):
            hits.extend(h for h in _scare_quotes(ctx, start, end) if not covered.intersection(range(h[0], h[1])))
        for i, j, category in sorted(hits):
            if _negated(ctx, i) and "metaphor" not in category:
                continue  # "not radical" withdraws the word; "not be wiped off the map" still paints the picture
            if _plain_use(ctx, i, j, start, end):
                continue  # "needless to say", "does nothing but approve"
            if category == "label" and i > start and ctx.is_capitalized(i - 1) and not ctx.sentence_start(i - 1):
                i -= 1  # "the Kyiv regime", "US hegemony": the label includes its target
            if category == "label" and words[i] in _GROUP_NOUNS and i > start and words[i - 1].isalpha() \
                    and words[i - 1] not in _FUNCTION_WORDS:
                i -= 1  # "the climate mob": the group label includes its modifier
            if category == "puffery" and i - 2 >= start and words[i - 2:i] == ["only", "the"]:
                i -= 2  # "only the purest": the formula is part of the boast
            if category == "dismissive" and words[j - 1] in _DISMISSIVE_NOUNS and i > start \
                    and words[i - 1].isalpha() and words[i - 1] not in _FUNCTION_WORDS \
                    and not ctx.is_capitalized(i - 1):
                i -= 1  # "a dangerous fantasy": the dismissal includes its modifier
            if words[j - 1] in _AGENT_OF and j + 1 < end and words[j] == "of":
                k = j + 1
                while k < end and k < j + 4 and words[k].isalpha() and (k == j + 1 or words[k] not in _FUNCTION_WORDS):
                    k += 1
                while k > j + 1 and words[k - 1] in _FUNCTION_WORDS:
                    k -= 1
                if k > j + 1:
                    j = k  # "peddlers of false hope": the label and what it says they deal in
            if words[i] in _DOUBTING and j == i + 1 and j < end and words[j].isalpha():
                j, category = j + 1, "so-called"  # "so-called experts": the label and what it doubts
            reason = REASONS.get(category, category)
            if category in _DEGREE_JOINS and i > start and words[i - 1] in _DEGREE:
                i, reason = i - 1, f"{reason}; {REASONS['degree']}"  # "extremely alarming"
            if j == i + 1 and category in _DEGREE_JOINS:
                grown = _coordinated(words, j, end)
                if grown > j:
                    j, reason = grown, f"{reason}; {COORDINATED}"  # "beautiful, peaceful and respectful"
                elif i - 2 >= start and words[i - 1] in ("and", "or") and _same_side(words[i - 2], words[i]) \
                        and (i - 2) not in covered and not (marks and marks[-1].end > tokens[i - 2].start):
                    i, reason = i - 2, f"{reason}; {COORDINATED}"  # "baffling and shameful"
            voice = "author"
            if all(ctx.quoted[i:j]):
                voice, reason = "quoted", f"{reason}, in a quotation"
            elif _reported_label(ctx, i):
                voice, reason = "quoted", f"{reason}, reported as someone else's word"
            start_char, end_char = tokens[i].start, tokens[j - 1].end
            last = marks[-1] if marks else None
            gap = text[last.end:start_char].strip() if last and last.end <= start_char else None
            if last and last.voice == voice and (gap == "" or (
                    gap in _COORDINATION and category in _DEGREE_JOINS and last_category in _DEGREE_JOINS
                    and "\n" not in text[last.end:start_char])):
                # two loaded words side by side are one loaded phrase: "a reckless provocation";
                # so are two evaluative words joined by a conjunction: "insulting and humiliating"
                # (labels stay apart: "heretics and infidels" names two kinds of people)
                if gap:
                    reason = f"{reason}; {COORDINATED}"
                # each reason once: "puffery; a list of ..." and "puffery" make "puffery; a list of ..."
                reason = "; ".join(dict.fromkeys(last.reason.split("; ") + reason.split("; ")))
                start_char = last.start
                marks.pop()
            marks.append(Mark(start_char, end_char, "loaded_language", text[start_char:end_char], reason, voice))
            last_category = category
    return marks
