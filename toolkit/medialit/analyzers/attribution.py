"""Attribution: who a claim is credited to, and whether a reader could check that source.

>>> from medialit import read
>>> from medialit.analyzers.context import Context
>>> doc = read("Critics argue the plan failed. Dr. Lena Ortiz of Halden University said it worked.")
>>> [(m.label, m.text) for m in find_attributions(Context(doc))]
[('vague_attribution', 'Critics argue'), ('named_attribution', 'Dr. Lena Ortiz of Halden University said')]
"""

from __future__ import annotations

from .context import Context
from .lexicons import attribution_lexicon
from .marks import Mark

__all__ = ["find_attributions"]

# A subject ends (reading backwards from the verb) at a clause boundary.
_BOUNDARY = frozenset({";", ":", "that", "but", "and", "while", "as", "—", "–", "“", "”", '"', "because",
                       "whereas", "if", "when", "which", "(", ")", "so"})
# Words between a subject and its verb: "have said", "also argues", "quietly share".
_BETWEEN = frozenset({"have", "has", "had", "do", "does", "did", "also", "now", "still", "often", "already",
                      "itself", "themselves", "repeatedly", "long", "publicly", "privately", "again", "quietly"})
_PASSIVE = frozenset({"is", "was", "are", "were", "been", "be", "being"})
_PROGRESSIVE = frozenset({"is", "are", "was", "were", "been", "'re", "'s"})
# Adverbs inside an agentless passive: "it is widely believed", "it was long assumed".
_PASSIVE_ADVERBS = frozenset({"widely", "generally", "commonly", "often", "long", "now", "also", "increasingly",
                              "frequently", "universally", "largely", "sometimes", "repeatedly", "still"})
_FUTURE_OR_INFINITIVE = frozenset({"will", "would", "to", "'ll", "shall", "might", "could", "may", "should", "must",
                                   "can", "cannot", "ca"})
# "think", "believe", "fear" report a view only when a clause follows ("think that ...").
_NEEDS_CLAUSE = frozenset({"think", "thinks", "thought", "believe", "believes", "believed", "fear", "fears", "feared",
                           "agree", "agrees", "agreed", "show", "shows", "showed", "find", "finds", "found"})
_CLAUSE_START = frozenset({"that", "the", "a", "an", "it", "they", "he", "she", "we", "this", "these", "there", "its",
                           "their", "our", "no", "such", "every", "most", "many", "some", ":", ",", "what", "how",
                           "nothing", "neither", "us", "me", "you", "him", "her", "them", "why"})
_PRONOUNS = frozenset({"they", "he", "she", "it", "we", "i", "you", "this", "these", "those", "who", "one"})
_DEFINITE = frozenset({"the", "its", "their", "his", "her", "our", "'s"})
# "close" and "familiar" end a chunk so that "sources close to the minister" stay unnamed sources.
_CHUNK_END = frozenset({"close", "familiar", "in", "of", "at", "across", "from", "for", "on", "with", "by", "there",
                        "led", "who",
                        "which", "published", "interviewed", "around", "inside", "within", ","})
_ARTICLES = frozenset({"a", "an", "the"})
_DOCUMENTS = frozenset({"draft", "bill", "plan", "proposal", "agreement", "law", "deal", "treaty", "rules", "terms"})
_VIEWPOINT = frozenset({"perspective", "view", "eyes", "standpoint", "point"})
_TESTIMONIAL_ROLES = frozenset({"customer", "reader", "user", "mother", "mom", "father", "dad", "resident",
                                "viewer", "patient", "student", "fan", "client", "shopper", "listener"})


def _classify(ctx: Context, region: list[int], sets: dict) -> tuple[str, str] | None:
    """Return (label, reason) for a source phrase, or None when it is no attribution we can judge."""
    words = ctx.words
    content = [k for k in region if any(ch.isalnum() for ch in words[k])]
    if not content:
        return None
    vague, quantifier, role = sets["vague"], sets["quantifier"], sets["role"]
    if words[content[0]] in _PRONOUNS and len(content) <= 2:
        return None
    # first noun chunk and its head
    chunk = []
    for k in content:
        if words[k] in _CHUNK_END and chunk:
            break
        chunk.append(k)
    head = words[chunk[-1]] if chunk else ""
    determiners = {words[k] for k in chunk[:-1]}
    rest = [k for k in content if k not in chunk]

    common = sets["common"]

    def proper(k: int) -> bool:
        lower = words[k]
        if not ctx.is_capitalized(k) or lower in vague or lower in quantifier or lower in _ARTICLES:
            return False
        if ctx.sentence_start(k) and (lower in _PRONOUNS or lower in common or lower.endswith("ly")):
            return False  # a capital because the sentence starts here, not a name
        return True

    # "Chinese analysts": a capitalised modifier before a vague head does not name anyone.
    by_agent = False
    if "by" in (words[k] for k in rest):
        after_by = rest[[words[k] for k in rest].index("by"):]
        by_agent = any(proper(k) or words[k] in role for k in after_by)
    if head in vague or head in quantifier or (chunk and words[chunk[0]] in quantifier):
        if (determiners & _DEFINITE) and words[chunk[0]] not in quantifier:
            return "named_attribution", "a source named earlier in the text + reporting verb"
        if by_agent:
            return "named_attribution", "a named body's work + reporting verb"
        return "vague_attribution", "unnamed source + reporting verb"
    if any(proper(k) for k in content):
        return "named_attribution", "named source + reporting verb"
    if head in role and (determiners & _DEFINITE or head in {"spokesperson", "spokesman", "spokeswoman"}):
        return "named_attribution", "a source named earlier in the text + reporting verb"
    if head in {"company", "developer", "developers", "authors", "makers", "researchers"} and determiners & _DEFINITE:
        return "named_attribution", "a source named earlier in the text + reporting verb"
    return None


def _mark(ctx: Context, i: int, j: int, label: str, reason: str) -> Mark:
    start, end = ctx.tokens[i].start, ctx.tokens[j - 1].end
    return Mark(start, end, label, ctx.doc.text[start:end], reason)


def _phrase_patterns(ctx: Context, s: int, e: int, sets: dict) -> list[Mark]:
    words = ctx.words
    marks = []
    for i in range(s, e - 1):
        if words[i] == "according" and words[i + 1] == "to":
            j = i + 2
            while j < e and words[j] not in {",", ".", ";"}:
                j += 1
            verdict = _classify(ctx, list(range(i + 2, j)), sets)
            if verdict:
                label, _ = verdict
                reason = "'according to' a named source" if label == "named_attribution" else "'according to' an unnamed source"
                marks.append(_mark(ctx, i, j, label, reason))
        elif words[i] == "under" and i + 2 < e and words[i + 1] == "the" and words[i + 2] in _DOCUMENTS:
            j = i + 3
            while j < e and words[j] not in {",", ".", ";"}:
                j += 1
            marks.append(_mark(ctx, i, j, "named_attribution", "attributed to a named document"))
        elif words[i] in {"from", "in"} and i + 3 < e and words[i + 2] == "'s" and ctx.is_capitalized(i + 1):
            j = i + 3
            while j < e and words[j] not in _VIEWPOINT and j < i + 5:
                j += 1
            if j < e and words[j] in _VIEWPOINT:
                if words[j] == "point" and words[j - 1] != "vantage":
                    continue
                marks.append(_mark(ctx, i, j + 1, "named_attribution", "a named party's point of view"))
    return marks


def find_attributions(ctx: Context) -> list[Mark]:
    """Mark named and vague attributions (source + reporting verb) in every sentence."""
    sets = attribution_lexicon()
    verbs = sets["verbs"]
    words = ctx.words
    marks: list[Mark] = []
    for (s, e), found in zip(ctx.sentence_ranges, verbs.find_by_sentence(words, ctx.sentence_ranges)):
        marks.extend(_phrase_patterns(ctx, s, e, sets))
        for i, j, _ in found:
            k = i
            while k > s and words[k - 1] in _BETWEEN:
                k -= 1
            if k > s and words[k - 1] in _FUTURE_OR_INFINITIVE:
                continue
            if words[i] in _NEEDS_CLAUSE and j < e and words[j] not in _CLAUSE_START:
                continue  # "users think faster": not a report of a view
            if words[i].endswith("ing") and k > s and words[k - 1] == ",":
                continue  # "..., warning that": the subject is the main clause's, already read
            if words[i].endswith("ing") and k > s and words[k - 1] in _PROGRESSIVE:
                k -= 1  # "many people are saying": the progressive, not a passive
            elif k - 1 > s and words[k - 1] in _PASSIVE_ADVERBS and words[k - 2] in _PASSIVE:
                k -= 1  # "it is widely believed that": the passive with its adverb
            if words[k - 1] in _PASSIVE and not words[i].endswith("ing") and k > s:
                # "it is claimed that", "was reported": a claim with no source at all
                if words[i].endswith(("ed", "own", "aid", "ought", "ound")) and (j >= e or words[j] in {"that", ","}):
                    marks.append(_mark(ctx, k - 1, j, "vague_attribution", "agentless passive: no source given"))
                continue
            b = k
            while b > s and words[b - 1] not in _BOUNDARY and k - b < 25:
                b -= 1
            region = list(range(b, k))
            # drop a leading connective: "For example, Beijing points to" -> "Beijing points to"
            if "," in words[b:k]:
                comma = words.index(",", b, k)
                lead = range(b, comma)
                if comma - b <= 3 and not any(ctx.is_capitalized(x) and not ctx.sentence_start(x) for x in lead) \
                        and not any(words[x] in sets["vague"] or words[x] in sets["role"] for x in lead):
                    region = list(range(comma + 1, k))
            # the subject is the phrase after the last comma, not the clause before it: in "prices rose
            # 12% last year, the statistics office said" and "..., a move critics called" the source is
            # "the statistics office" and "critics" (an appositive, "Ortiz, an economist, said", keeps all)
            commas = [x for x in region if words[x] == ","]
            if commas and commas[-1] != region[-1] and commas[-1] + 1 < k:
                region = [x for x in region if x > commas[-1]]
            # "a move critics called": the first noun is what was called, the source comes after it
            if (len(region) > 2 and words[region[0]] in _ARTICLES and words[region[1]] not in sets["vague"]
                    and words[region[1]] not in sets["quantifier"] and words[region[1]] not in sets["role"]
                    and (words[region[2]] in sets["vague"] or words[region[2]] in sets["quantifier"])):
                region = region[2:]
            region = [x for x in region if words[x] not in {"but", "and", "yes", "so"}]
            if region:
                verdict = _classify(ctx, region, sets)
                if verdict:
                    marks.append(_mark(ctx, region[0], j, *verdict))
                continue
            # inverted attribution after a quotation: '..." said Marit Halvorsen, the chief executive.'
            after = j
            while after < e and words[after] not in {".", ";", "!", "?"}:
                after += 1
            source = list(range(j, after))
            if not source or not ctx.is_capitalized(source[0]):
                continue
            if (len(source) >= 4 and words[source[1]] == "," and words[source[2]] in {"a", "an"}
                    and words[source[3]] in _TESTIMONIAL_ROLES):
                marks.append(_mark(ctx, i, after, "vague_attribution", "first name only: a testimonial nobody can check"))
            else:
                verdict = _classify(ctx, source, sets)
                if verdict:
                    marks.append(_mark(ctx, i, after, verdict[0], verdict[1]))
    # one mark per place: keep the longer of overlapping marks
    marks.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[Mark] = []
    for mark in marks:
        if kept and mark.start < kept[-1].end:
            continue
        kept.append(mark)
    return kept
