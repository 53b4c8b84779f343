"""The analyzers: every label with positive cases, 'when this is fine' negatives, quotations and sources."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import medialit
from medialit import analyze, codebook, corpus
from medialit.analyzers import Analysis


def marks(text, label):
    return [m.text for m in analyze(text).spans if m.label == label]


# -- loaded language ----------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("The regime's brazen land grab shocked everyone.", ["regime", "brazen"]),
    ("It is a powder keg waiting to explode.", ["powder keg waiting to explode"]),
    ("Developers want to cram a monstrosity onto the site.", ["cram", "monstrosity"]),
    ("Our revolutionary, world-class formula is a breakthrough.", ["revolutionary", "world-class", "breakthrough"]),
    ("These plans are not just provocative, they are catastrophic.", ["provocative", "catastrophic"]),
    ("Officials brutally suppressed the protest.", ["brutally"]),
])
def test_loaded_language_is_found(text, expected):
    assert marks(text, "loaded_language") == expected


@pytest.mark.parametrize("text", [
    "The plan is not radical.",
    "It is not a very radical plan.",
    "The council voted 5-2 to approve 240 homes on Tuesday.",
    "The war killed more than 11,000 civilians, the United Nations said.",
    "The company successfully completed the trial.",
])
def test_literal_or_negated_words_are_not_loaded(text):
    assert marks(text, "loaded_language") == []


@pytest.mark.parametrize("text, expected, reason", [
    # two evaluative words joined by "and" are one phrase, as the gold marks "insulting and humiliating"
    ("It was a cruel and inhumane policy.", ["cruel and inhumane"], "emotionally charged word"),
    ("The so-called experts met.", ["so-called experts"], "contentious label (so-called)"),
    ("Now the climate mob wants more.", ["climate mob"], "contentious label"),
    ("Their “reforms” failed.", ["reforms"], "scare quotes"),
    ("We said so when they published their so-called “draft treaties”.", ["so-called", "draft treaties"], ""),
    ("The saber-rattling went on.", ["saber-rattling"], "emotive metaphor (war)"),
    ("Vultures circled the town's pension fund.", ["Vultures"], "emotive metaphor (predators)"),
    ("Big Pharma wrote the bill.", ["Big Pharma"], "contentious label"),
    ("This is a DISASTER for families.", ["DISASTER"], "capital letters"),
    ("What a pathetic, disgusting excuse.", ["pathetic", "disgusting"], ""),
    ("A horrible, nasty plan.", ["horrible", "nasty"], "strongly evaluative adjective"),
    ("Our cities will not be wiped off the map.", ["wiped off the map"], "emotive metaphor"),
    ("Policy should not be imposed by zealots.", ["zealots"], "contentious label"),
])
def test_loaded_families_beyond_the_corpus_words(text, expected, reason):
    found = analyze(text).spans_with("loaded_language")
    assert [m.text for m in found] == expected
    assert all(reason in m.reason for m in found)


@pytest.mark.parametrize("text, expected, reason", [
    ("We argue while the planet cooks.", ["cooks"], "emotive metaphor (a place or an idea"),
    ("This is how democracy dies.", ["dies"], "emotive metaphor (a place or an idea"),
    ("A pill that unlocks your brain's hidden potential.", ["unlocks your brain's hidden potential"], "puffery"),
    ("Electric buses are the future of our city.", ["the future"], "puffery"),
    ("Made with only the finest herbs.", ["only the finest"], "puffery"),
    ("The plan is a dangerous fantasy.", ["dangerous fantasy"], "dismissive word"),
    ("They are peddlers of false hope, nothing more.", ["peddlers of false hope"], "contentious label"),
    ("The real provocation was sending tanks.", ["provocation"], "contentious label"),
    ("Aggression must never pay.", ["Aggression"], "contentious label"),
    ("Putin's war is hurting families, and so is Putin's price hike.", ["Putin's war", "Putin's price hike"],
     "a war or a hardship named after one leader"),
    ("Biden's inflation hit the poor.", ["Biden's inflation"], "a war or a hardship named after one leader"),
    ("They use it as a pretext for blackmail.", ["pretext", "blackmail"], "accusation of bad faith"),
    ("The Kiev junta answers to its puppet masters.", ["Kiev junta", "puppet masters"], "contentious label"),
    ("Our brave defenders held the line.", ["brave"], "puffery"),
    ("Missiles now stand on our doorstep.", ["on our doorstep"], "emotive metaphor"),
    ("The libs and the RINOs agree, say the Marxists.", ["libs", "RINOs", "Marxists"], "contentious label"),
])
def test_loaded_patterns_for_productive_families(text, expected, reason):
    test_loaded_families_beyond_the_corpus_words(text, expected, reason)


# The third pass (issue 14): families written from the codebook, each with an example from one
# side and one from the other, so that a family found for one camp only would fail here.
@pytest.mark.parametrize("text, expected, reason", [
    ("The self-proclaimed patriots marched.", ["self-proclaimed patriots"], "contentious label (so-called)"),
    ("The self-styled progressives marched.", ["self-styled progressives"], "contentious label (so-called)"),
    ("The crime-ridden city and the power-hungry mayor.", ["crime-ridden", "power-hungry"], "emotive compound"),
    ("A gun-toting sheriff met the tree-huggers.", ["gun-toting", "tree-huggers"], ""),
    ("The alarmists and the deniers both shouted.", ["alarmists", "deniers"], "contentious label"),
    ("The plan is an absurdly expensive boondoggle.", ["absurdly", "boondoggle"], ""),
    ("It was an extremely bad decision.", ["extremely bad"], "intensifier with a strongly emotive word"),
    ("The senator's spineless, feckless response was a fiasco.", ["spineless", "feckless", "fiasco"], ""),
    ("The governor's pusillanimous response was a fiasco.", ["pusillanimous", "fiasco"], ""),
    ("The union torpedoed the deal.", ["torpedoed"], "emotive metaphor (war)"),
    ("It was a smear campaign, not a witch hunt.", ["smear campaign", "witch hunt"], ""),
    ("They warn of an ominous cataclysm, an existential threat.", ["ominous cataclysm", "existential threat"],
     "emotionally charged word"),
    ("The jihadists and the crusaders both claimed victory.", ["jihadists", "crusaders"], "contentious label"),
    ("He called them heretics; they called him an infidel.", [], ""),  # reported labels are the speakers'
    ("The heretics and the infidels were at the gates.", ["heretics", "infidels"], "contentious label"),
    ("Homophobes and misogynists, say some; perverts and degenerates, say others.",
     ["Homophobes", "misogynists", "perverts", "degenerates"], "contentious label"),
])
def test_loaded_families_of_the_third_pass(text, expected, reason):
    found = [m for m in analyze(text).spans_with("loaded_language") if m.voice == "author"]
    assert [m.text for m in found] == expected
    assert all(reason in m.reason for m in found)


@pytest.mark.parametrize("text", [
    "Prices rose very slightly in March.",      # a degree adverb before a plain word
    "The navy tested a torpedo on Monday.",     # the noun is a weapon, not a metaphor
    "Investigators said the cover-up began in May.",
    "A well-known, long-term plan was approved.",  # hyphenated words that paint nothing
    "The committee met in a highly technical session.",
])
def test_third_pass_leaves_plain_words_alone(text):
    assert marks(text, "loaded_language") == []


@pytest.mark.parametrize("text", [
    "The house burns wood in winter.",       # literal fire: the subject is not a planet, a nation or an idea
    "The patient dies of the disease.",
    "The planet is warming, the agency said.",
    "The future of the plan is unclear.",    # "the future" without a copula before it is no boast
    "Researchers unlock the door at nine.",  # "unlock" without a potential or a power
    "Russia's war began in 2022.",           # a country's war, as news names it: no leader, no label
    "Today's war news was brief.",
])
def test_loaded_patterns_leave_literal_uses_alone(text):
    assert marks(text, "loaded_language") == []


def test_adjacent_loaded_words_make_one_phrase():
    found = analyze("It was a brutal, reckless provocation.").spans_with("loaded_language")
    assert [m.text for m in found] == ["brutal", "reckless provocation"]
    assert "intensifier" in found[1].reason and "contentious label" in found[1].reason


@pytest.mark.parametrize("text", [
    "A deadly storm hit the coast on Monday.",
    "Officials said the plan was “unacceptable”.",
    "The report, titled “Clean Air”, was published in May.",
    "The firm apologized on Monday, saying that the block had been a “mistake”.",  # a partial quotation
    "The effective vaccine is free for children.",
    "NATO and the OSCE met in Vienna.",
])
def test_rating_rules_leave_plain_reporting_alone(text):
    assert marks(text, "loaded_language") == []


def test_quoted_loaded_words_are_reported_in_the_speakers_voice():
    result = analyze('The ministry called the plan “a reckless provocation”. China opposes what it calls Western hegemonism.')
    loaded = result.spans_with("loaded_language")
    assert [(m.text, m.voice) for m in loaded] == [("reckless provocation", "quoted"), ("Western hegemonism", "quoted")]
    assert "in a quotation" in loaded[0].reason and "someone else's word" in loaded[1].reason
    mine = analyze("The reckless plan failed.").spans_with("loaded_language")[0]
    assert mine.voice == "author" and "quotation" not in mine.reason


def test_neutral_controls_get_at_most_one_loaded_mark():
    for row in corpus.catalog():
        if row.perspective == "neutral" or row.genre == "neutral rewrite":
            authorial = [m for m in analyze(corpus.document(row.id)).spans_with("loaded_language") if m.voice == "author"]
            assert len(authorial) <= 1, (row.id, [m.text for m in authorial])


# -- attribution -------------------------------------------------------------------------

@pytest.mark.parametrize("text, label, expected", [
    ("No one can deny the facts.", "booster", "No one can deny"),
    ("Let us be clear: we will win.", "booster", "Let us be clear"),
    ("The reality is that prices rose.", "booster", "The reality is"),
    ("It seems that prices rose.", "hedge", "It seems"),
    ("To some extent, it worked.", "hedge", "To some extent"),
    ("The minister reportedly resigned.", "hedge", "reportedly"),
])
def test_more_boosters_and_hedges(text, label, expected):
    assert marks(text, label) == [expected]


def test_more_or_less_likely_is_a_comparison_not_a_hedge():
    assert marks("Whether it makes war more or less likely is disputed.", "hedge") == ["likely"]


@pytest.mark.parametrize("text, expected", [
    ("Chinese analysts highlight that the moves are risky.", "Chinese analysts highlight"),
    ("Studies show that the pill works.", "Studies show"),
    ("Many believe the vote was rigged.", "Many believe"),
    ("Critics argue that the plan is too costly.", "Critics argue"),
    ("Council insiders are calling the vote a done deal.", "Council insiders are calling"),
    ("It is claimed that the bridge is unsafe.", "is claimed"),
    ("“I feel great,” says Jenna, a customer from Ohio.", "says Jenna, a customer from Ohio"),
    ("According to experts, prices will fall.", "According to experts"),
    ("It is widely believed that prices will rise.", "is widely believed"),
    ("Many people are saying the vote was rigged.", "Many people are saying"),
    ("Sources close to the minister said he would resign.", "Sources close to the minister said"),
    ("People familiar with the talks said a deal was near.", "People familiar with the talks said"),
])
def test_vague_attribution(text, expected):
    assert marks(text, "vague_attribution") == [expected]
    assert marks(text, "named_attribution") == []


@pytest.mark.parametrize("text, expected", [
    ("Dr. Amira Haddad, a pharmacologist at Westbrook Medical School, said the trial was small.",
     "Dr. Amira Haddad, a pharmacologist at Westbrook Medical School, said"),
    ("According to the United Nations human rights mission, 11,000 civilians died.",
     "According to the United Nations human rights mission"),
    ("Russia's foreign ministry said in a statement that it objected.", "Russia's foreign ministry said"),
    ("A 2012 review by the Cochrane Collaboration found no benefit.", "A 2012 review by the Cochrane Collaboration found"),
    ("“We want them to stay,” said Marit Halvorsen, the chief executive.", "said Marit Halvorsen, the chief executive"),
])
def test_named_attribution(text, expected):
    assert marks(text, "named_attribution") == [expected]
    assert marks(text, "vague_attribution") == []


def test_pronouns_and_non_reporting_uses_are_not_attributions():
    for text in ("They argue that the plan failed.", "Users think faster with it.", "The claim is false.",
                 "Western media will call it propaganda."):
        result = analyze(text)
        assert not result.spans_with("vague_attribution") + result.spans_with("named_attribution"), text


# -- hedges and boosters -------------------------------------------------------------------

def test_hedges_and_their_look_alikes():
    assert marks("The change may raise prices by about 4%.", "hedge") == ["may", "about"]
    assert marks("The open house is on May 5.", "hedge") == []
    assert marks("Roads could not cope.", "hedge") == []
    assert marks("They talked about the plan.", "hedge") == []
    assert marks("It could trigger a wider conflict and potentially a war.", "hedge") == ["could", "potentially"]


def test_boosters_and_their_look_alikes():
    assert marks("Their message is clear: of course it will undoubtedly work.", "booster") == ["clear", "of course", "undoubtedly"]
    assert marks("Everyone knows that strength keeps the peace.", "booster") == ["Everyone knows"]
    assert marks("It will steer the world clear of war. A clear plan.", "booster") == []


# -- sentences ---------------------------------------------------------------------------

def test_claim_types_and_unsupported_with_reasons():
    result = analyze("Studies show that the pill works. The Senate should act now. Prices will soon double. "
                     "The town council voted 5-2 on Tuesday. Thousands of parents have already switched.")
    got = [(s.claim, s.unsupported) for s in result.sentences]
    assert got == [("factual", True), ("opinion", False), ("prediction", True), ("factual", False), ("factual", True)]
    assert "unnamed source" in result.sentences[0].reasons[-1]
    assert "vague quantity" in result.sentences[4].reasons[-1]
    named = analyze("The agency said prices will double, according to the Central Bank of Norway.").sentences[0]
    assert named.claim == "factual" and not named.unsupported


def test_sweeping_generalisations_are_unsupported():
    sent = analyze("History shows us that sanctions always fail.").sentences[0]
    assert sent.unsupported and any("always" in r or "unnamed" in r for r in sent.reasons)


# -- frames ------------------------------------------------------------------------------

def test_frames_are_ranked_with_cues():
    result = analyze(medialit.load("energy-wire"))
    scores = [f.score for f in result.frames]
    assert scores == sorted(scores, reverse=True) and len(scores) == 14
    assert set(f.frame for f in result.frames) == set(codebook.frames())
    top = result.frames[0]
    assert top.score > 0 and top.cues


def test_analysis_is_deterministic_and_explains_every_mark():
    a, b = analyze(medialit.load("ukr-beijing")), analyze(medialit.load("ukr-beijing"))
    assert a.to_dict() == b.to_dict()
    assert all(m.reason and medialit.load("ukr-beijing").text[m.start:m.end] == m.text for m in a.spans)
    assert isinstance(a, Analysis) and "primary frame security_and_defense" in repr(a)
    with pytest.raises(ValueError, match="'loaded' is not a span label"):
        a.spans_with("loaded")


# -- command line: JSON and HTML ------------------------------------------------------------

def test_cli_json_is_one_document_in_the_documented_schema(repo):
    out = subprocess.run([sys.executable, "-m", "medialit", "analyze", str(repo / "datasets/texts/ukr-beijing.txt"), "--json"],
                         capture_output=True, text=True, check=True).stdout
    data = json.loads(out)  # exactly one JSON document: this fails on trailing text
    assert set(data) == {"spans", "sentences", "frames"}
    assert {"start", "end", "label", "text", "reason"} <= set(data["spans"][0])
    assert {"start", "end", "text", "claim", "unsupported", "reasons"} <= set(data["sentences"][0])
    assert set(data["frames"][0]) == {"frame", "score", "cues"}
    scores = [f["score"] for f in data["frames"]]
    assert scores == sorted(scores, reverse=True)
    assert {f["frame"] for f in data["frames"]} <= set(codebook.frames())
    assert all(f["frame"] == f["frame"].lower() and " " not in f["frame"] for f in data["frames"])
    assert data["frames"][0]["frame"] == "security_and_defense"
    text = corpus.text("ukr-beijing")
    assert all(text[s["start"]:s["end"]] == s["text"] for s in data["spans"])


def test_cli_html_report_and_folder_summary(repo, tmp_path):
    report = tmp_path / "out.html"
    subprocess.run([sys.executable, "-m", "medialit", "analyze", str(repo / "datasets/texts/health-ad.txt"),
                    "--html", str(report)], check=True, capture_output=True)
    page = report.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page and "http" not in page.split("<body>")[0]
    for name in ("loaded language", "vague attribution", "named attribution", "hedge", "booster"):
        assert name in page
    assert 'title="loaded language: puffery"' in page and '<sup class="ml-tag"' in page
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "a.txt").write_text("Critics argue the reckless plan will fail.")
    (folder / "b.html").write_text("<p>The council voted 5-2 on Tuesday.</p>")
    (folder / "broken.txt").write_bytes(b"%PDF-1.4 binary")
    result = subprocess.run([sys.executable, "-m", "medialit", "analyze", str(folder)], capture_output=True, text=True)
    assert result.returncode == 0
    assert "a.txt" in result.stdout and "b.html" in result.stdout and "broken.txt" in result.stdout
    assert "looks like a PDF file" in result.stdout and "(2 analysed, 1 not" in result.stdout
    assert "3/3" in result.stderr  # the progress bar


def test_html_escapes_the_text_and_renders_in_notebooks():
    result = analyze("Critics argue <script>alert(1)</script> is a reckless hoax & worse.")
    page = result._repr_html_()
    assert "<script>alert" not in page and "&lt;script&gt;" in page and "&amp;" in page
    assert page.count('class="ml-mark"') >= 3 + 5  # three marks plus the legend's five samples


# -- plots ---------------------------------------------------------------------------------

def test_plots_are_drawn_headless_with_content_and_no_global_state():
    import matplotlib

    before = dict(matplotlib.rcParams)
    from medialit.views.plots import plot_frames, plot_marker_rates, plot_paragraph_density

    mirror = {corpus.info(i).perspective: analyze(corpus.document(i))
              for i in corpus.fileids(event="ukraine-security-guarantees")}
    fig, ax = plot_marker_rates(mirror)
    assert [t.get_text() for t in ax.get_xticklabels()] == list(mirror)
    assert len(ax.patches) == 5 * len(mirror) and ax.get_ylabel() == "marks per 100 words"
    beijing = mirror["Beijing"]
    heights = {round(p.get_height(), 2) for p in ax.patches}
    assert beijing.rates()["loaded_language"] in heights
    fig2, ax2 = plot_paragraph_density(mirror["Beijing"])
    assert len(ax2.get_xticks()) == 3 and len(ax2.patches) == 5 * 3
    fig3, ax3 = plot_frames(mirror["Beijing"], top=4)
    assert len(ax3.patches) == 4 and "security and defense" in ax3.get_yticklabels()[0].get_text()
    assert dict(matplotlib.rcParams) == before
    code = ("import sys, medialit; from medialit.views.plots import plot_frames; "
            "plot_frames(medialit.analyze('Troops massed at the border.')); print('matplotlib.pyplot' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"
    with pytest.raises(ValueError, match="at least one analysis"):
        plot_marker_rates({})


@pytest.mark.parametrize("text, expected", [
    ("The government raised taxes last week, a move critics called reckless.",
     [("vague_attribution", "critics called")]),
    ("Rents in the city rose 12% last year, the statistics office said.",
     [("named_attribution", "the statistics office said")]),
    ("Dr. Lena Ortiz, an economist at Halden University, said it worked.",  # an appositive keeps the name
     [("named_attribution", "Dr. Lena Ortiz, an economist at Halden University, said")]),
])
def test_the_source_of_a_reporting_verb_is_the_phrase_before_it_not_the_clause(text, expected):
    assert [(m.label, m.text) for m in analyze(text).spans if m.label.endswith("attribution")] == expected


# Issue 14, principled patterns that apply to every side (each found in the mirror texts of more
# than one side): degree adverbs, coordinated evaluative words, scare quotes after a modifier,
# Wikipedia's peacock terms, dismissive words for the old.
@pytest.mark.parametrize("text, expected, reason", [
    ("It was extremely alarming news.", ["extremely alarming"], "the degree adverb turns the feeling up"),
    ("The consequences may be extremely painful.", ["extremely painful"], "the degree adverb"),
    ("A beautiful, peaceful and respectful city.", ["beautiful, peaceful and respectful"], "a list of evaluative"),
    ("The peaceful and glorious revolution.", ["peaceful and glorious"], "a list of evaluative"),
    ("The insulting and humiliating demand.", ["insulting and humiliating"], "a list of evaluative"),
    ("Our cooperation has been extraordinary and exceptional.", ["extraordinary and exceptional"], "puffery"),
    ("The plant is out-of-date and dirty.", ["out-of-date and dirty"], "dismissive word"),
    ("The promises have been thrown on the scrapheap.", ["thrown on the scrapheap"], "emotive metaphor"),
    ("Critics doubt an accelerated “green transition” can work.", ["green transition"], "scare quotes"),
])
def test_loaded_patterns_of_issue_14(text, expected, reason):
    test_loaded_families_beyond_the_corpus_words(text, expected, reason)  # the same check, other cases


@pytest.mark.parametrize("text, expected", [
    ("The talks were very difficult.", []),  # a mild degree adverb does not load a literal word
    ("A brutal and long war.", ["brutal"]),  # "long" is no evaluative word: the list stops
    ("The senator's spineless, feckless response.", ["spineless", "feckless"]),  # a bare comma joins nothing
    ("The heretics and the infidels were at the gates.", ["heretics", "infidels"]),  # labels stay apart
    ("He warned that an accelerated “green transition” would fail.", []),  # a partial quotation of a speaker
    ("The committee settled the outstanding issues.", []),  # literal peacock words are left out
])
def test_loaded_patterns_of_issue_14_stop_where_they_should(text, expected):
    assert [m.text for m in analyze(text).spans_with("loaded_language")] == expected


# The fifth pass (issue 14): four families of the codebook filled out (emotive -ing adjectives of
# feeling, moral condemnation, horror, accusations of vilification), each with cases from both
# sides of a quarrel, and the plain uses that are left alone.
@pytest.mark.parametrize("text, expected, reason", [
    ("The senator's dishonest, irresponsible budget was infuriating.",
     ["dishonest", "irresponsible", "infuriating"], "emotionally charged word"),
    ("The union's unscrupulous, incompetent leaders made a bewildering offer.",
     ["unscrupulous", "incompetent", "bewildering"], "emotionally charged word"),
    ("The activists' harrowing videos showed a gruesome scene.", ["harrowing", "gruesome"], "emotionally charged"),
    ("They demonize the protesters and vilify the police.", ["demonize", "vilify"], "accusation of bad faith"),
    ("The union slandered the company; the company smeared the union.", ["slandered", "smeared"], ""),
    ("The plan is nothing but a gamble.", ["nothing but"], "intensifier"),  # after a copula: reduces the plan
    ("Their “reforms” failed.", ["reforms"], "scare quotes"),
    ("The “experts” say the cure works.", ["experts"], "scare quotes"),  # a verb follows: distance, not a term
])
def test_loaded_families_of_the_fifth_pass(text, expected, reason):
    test_loaded_families_beyond_the_corpus_words(text, expected, reason)


@pytest.mark.parametrize("text", [
    "The plan is not dishonest.",                             # negation withdraws the new words too
    "Needless to say, the council approved the budget.",      # a discourse marker, not "needless deaths"
    "She did nothing but read all weekend.",                  # "nothing but" as plain focus: "only"
    "They left with nothing but a laptop.",
    "Washington passed a “red flag” law in 2018.",            # a quoted modifier names a term
    "An “open door” policy was agreed.",
    "The firm made corrupt payments, the indictment says.",   # legal senses are left out of the family
    "Petty theft rose in May.",
    "The lines were crooked.",
])
def test_fifth_pass_leaves_plain_uses_alone(text):
    assert marks(text, "loaded_language") == []


def test_needless_alone_is_still_loaded():
    assert marks("Needless deaths followed.", "loaded_language") == ["Needless"]


# Two families the boiler-phase-out mirror set showed missing on both sides (issue 14): praise or
# credit that only "sounds" so, and verbs of force for taking something away.
@pytest.mark.parametrize("text, expected", [
    ("The minister offered a reasonable-sounding plan.", ["reasonable-sounding"]),
    ("The activists cite scientific-sounding studies.", ["scientific-sounding"]),
    ("No one will rip out your stove.", ["rip out"]),
    ("The bill rips away the protections workers won.", ["rips away"]),
])
def test_only_sounding_and_force_verbs(text, expected):
    assert marks(text, "loaded_language") == expected


@pytest.mark.parametrize("text", [
    "She has a foreign-sounding name.",           # a description of sound, not doubted praise
    "An ominous-sounding noise came from the pipe.",
    "The plan is reasonable.",                    # the word of credit alone is plain
])
def test_sounding_leaves_descriptions_alone(text):
    assert marks(text, "loaded_language") == []
