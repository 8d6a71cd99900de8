"""Which pending comments need a careful reply first.

A comment that shows a warning sign of suicide or self-harm, mentions dose amounts, or
mentions buying and sourcing is flagged, with the words that triggered it, and listed
first in the moderation queue. The self-harm flag also shows the commenter, at once
and to them alone, that help is available now (comments.views); nobody else learns of
it. The lists err on the side of flagging: a false alarm costs a moderator a glance and
shows a reader the crisis lines; a miss leaves a person at risk waiting.

The self-harm lexicon follows the published warning-sign lists (Samaritans, NHS, the
988 Suicide & Crisis Lifeline, NIMH, #chatsafe): talking about suicide or wanting to
die; being a burden, others better off without them; feeling trapped, no way out, no
reason to live; unbearable pain; saying goodbye, giving things away, putting affairs in
order; looking for a way or the means; self-harm. It is written in plain words over
text folded by comments.folding (slang, disguised spellings and contractions undone)
and measured on the labelled set in tests/comments/risk_samples.py. Idioms that share
its words ("dying to know", "this heat is killing me", "the burden of proof", "I cut
myself off from caffeine") stay out through the phrasing, not a list of exceptions.
"""

import re
from dataclasses import dataclass, field

from .folding import fold, fold_words
from .models import RiskFlag

# Sort weights: powers of two, so any comment with a heavier flag sorts before every
# comment without it (self-harm first, whatever else the others mention).
WEIGHTS = {RiskFlag.SELF_HARM: 4, RiskFlag.DOSING: 2, RiskFlag.SOURCING: 1}

_NUMBER = r"\d+(?:[.,]\d+)?"
_UNITS = (
    r"mg|milligrams?|g|grams?|gr|kg|mcg|µg|μg|ug|micrograms?|ml|"
    r"tabs?|tablets?|caps?|capsules?|pills?|drops?|tabs?|doses?|blotters?"
)

# Pieces of the self-harm lexicon (written over fold_words text: "can't" is "can not").
_ANY_MORE = r"(?: any ?more| any longer| much longer)"
_PEOPLE = (
    r"(?:everyone|everybody|them|others|people|my (?:family|kids|children|partner|wife|"
    r"husband|parents|mum|mom|dad|friends|loved ones))"
)
_GONE = r"(?:gone|dead|not here|not around|not alive|never born)"
_MEANS = r"(?:pills|meds|medications?|tablets|painkillers|paracetamol|sleeping (?:pills|tablets))"
# Accidents and idioms after "cut/hurt/burn myself": "cut myself off", "hurt myself
# lifting boxes", "burnt myself cooking".
_NOT_ON_PURPOSE = (
    r"(?! off| short| out| shaving| on | by accident| accidentally| while| lifting| at "
    r"| in | during| playing| cooking| running| falling)"
)

SELF_HARM = [
    # Suicide and self-harm named, in plain words and in slang
    r"suicid\w*",
    r"sewer ?slides?",
    r"self[- ]?(?:harm|injur|delet|mutilat)\w*",
    r"un-?aliv\w*",
    r"kms|kys|ctb",
    # Killing oneself; ending one's life
    r"(?:kill|off|end|delete|hang|drown|shoot|poison|neck)(?:ing|ed|s)? (?:myself|my self)",
    r"hung myself",
    r"end(?:ing|ed)? (?:my (?:own )?life|it all|my suffering|my existence|everything)",
    r"end (?:it|things) (?:tonight|soon|for good|once and for all|now)",
    r"tak(?:e|ing) my (?:own )?life|took my (?:own )?life",
    # Wanting to die, or not to be alive
    r"(?:want|wanted|wanting|wish|wishing|ready|going|planning|plan|deserve) to die",
    r"want to be dead",
    r"wish i (?:was|were|would be|had been|could be) dead",
    r"wish i (?:was|were|had|would have|would) never (?:been )?born",
    r"wish i (?:could|would) (?:just )?(?:disappear|die|stop existing|not exist)",
    r"(?:rather|as well|should just|better off) (?:be )?dead",
    r"do not want to (?:live|be alive|exist|wake up|go on|keep going|carry on|be here"
    + _ANY_MORE
    + r")",
    r"(?:thoughts of|thinking about|think about|want to|wish i could) (?:not exist\w*|"
    r"stop existing|cease to exist|not be alive)",
    r"(?:sleep|asleep|and|to|would|hope i do|hope i will) (?:never|not) wake up",
    r"(?:to|just|and) (?:go to )?(?:sleep|rest) forever",
    r"disappear (?:forever|for good|for ever)",
    r"(?:lost|losing|no) (?:the |my )?will to live",
    # A burden; others better off without me
    r"(?:i am|feel|feel like|feeling like|being|be|become|became|was|just|always) (?:such |"
    r"just |only |nothing but |so much of )?a (?:huge |massive |big |constant |total )?burden",
    r"burden (?:to|on|for) " + _PEOPLE,
    r"(?:better|happier|easier)(?: off)? (?:without me|if i (?:was|were|am|had|would be) "
    + _GONE
    + r")",
    r"(?:nobody|no one|none of them)(?: \w+){0,3} (?:miss|notice|care)s?(?: \w+){0,2} "
    r"(?:if i|me|when i)",
    r"(?:i am|feel like) a waste of (?:space|air|oxygen)",
    # Trapped, no way out, no reason to live, no future
    r"no way out",
    r"(?:see|find|is|there is) no (?:way|escape) (?:out|forward)",
    r"can not see (?:a|any) way (?:out|forward)",
    r"(?:i am|i feel|feeling|feel) (?:so |completely |totally |utterly |just )?trapped",
    r"no reason (?:for me )?to (?:live|go on|keep going|be here|stay|carry on|be alive)",
    r"nothing (?:left )?to live for",
    r"(?:no|what is the) point (?:in |of )?(?:living|being alive|going on|carrying on|"
    r"keeping going|existing|my life|life|trying any ?more|anything any ?more)",
    r"not worth living",
    r"(?:my )?life (?:is|feels|seems) (?:so )?(?:pointless|meaningless|hopeless|over)",
    r"(?:do not|can not|no longer) see (?:a|any) future",
    r"no future (?:for me|left)",
    r"(?:i am|i feel|feeling|feel) (?:so |completely |totally |utterly |just )?"
    r"(?:hopeless|worthless)",
    r"(?:everything|it all|my life) (?:is|feels) hopeless",
    # Done, tired of living, given up
    r"(?:done|finished) with (?:life|living|everything|it all|being alive)",
    r"(?:tired|sick|exhausted|weary) (?:of|by|from) (?:living|life|being alive|existing|"
    r"being here|fighting|everything|it all)",
    r"(?:not sure|do not know if|unsure if|unsure) (?:i|if i) (?:want to|can) (?:live|go on|"
    r"keep going|be here|carry on)",
    r"(?:give|given|gave|giving) up on (?:life|living|everything|myself)",
    # Unbearable pain
    r"can not (?:take|bear|stand|handle|cope with|do) (?:it|this|this life|life|living)"
    r"(?: \w+)?" + _ANY_MORE,
    r"can not (?:cope|go on|keep going|carry on)(?: like this|" + _ANY_MORE[3:],
    r"(?:can not|do not want to) (?:keep|go on|carry on) (?:living|existing)",
    r"(?:pain|it|this) is (?:too |so )?unbearable|unbearable pain",
    r"want (?:it all|everything|the pain|my life|all of it) to (?:stop|end)",
    # Saying goodbye, giving things away, affairs in order
    r"(?:say|said|saying) (?:my )?goodbyes? to (?:everyone|everybody|you all|all of you|"
    r"my (?:family|friends|kids|children|loved ones|parents)|the world)",
    r"(?:said|saying) my goodbyes",
    r"goodbye (?:everyone|everybody|all|world|forever|cruel world)",
    r"goodbye (?:letters?|notes?)",
    r"this is (?:my )?(?:goodbye|last post|last message|final post|final message)",
    r"my (?:last|final) (?:post|message|comment|words)",
    r"affairs in order",
    r"(?:made|making|written|writing|wrote|updated|finished) (?:a |my )will(?! to)",
    r"(?:giving|given|gave|give) away (?:all |most |some |the rest )?(?:of )?my (?:things|"
    r"stuff|belongings|possessions|pets|cat|dog|clothes|books)",
    r"(?:giving|given|gave) (?:all |most )?(?:of )?my (?:things|stuff|belongings|"
    r"possessions) away",
    r"(?:will not|wo not) be (?:around|here)(?: for)?(?: much longer| for long| any ?more|"
    r" any longer)",
    # Looking for a way, a plan, the means
    r"(?:stockpil\w*|saving up|hoarding|collecting) (?:my |the |some |all )?" + _MEANS,
    r"how many " + _MEANS + r"(?: \w+){0,3} (?:would it take|does it take|to die|to kill|"
    r"is lethal|would kill|to not wake up)",
    r"(?:lethal|fatal|deadly) (?:dose|amount|overdose)",
    r"(?:ways?|methods?|how) to (?:die|kill myself|end it|end my life|commit)",
    r"(?:jump|jumping|jumped) (?:off|from|in front of) (?:a |the |my )?(?:\w+ )?(?:bridge|"
    r"building|roof|cliff|train|balcony|car|bus|tower)",
    r"(?:slit|slitting|slash|slashing) (?:my )?wrists?",
    r"(?:take|taking|took|swallow\w*) (?:all|the whole (?:box|bottle|packet|pack) of) (?:of )?"
    r"(?:my |the |those )?" + _MEANS,
    r"(?:overdos\w*|od) on (?:purpose|my " + _MEANS + r")",
    r"(?:want|going|planning|plan|thinking|thought|tempted|try|tried|trying)(?: about| of)?"
    r"(?: to)? (?:take |taking )?(?:an )?overdos\w*",
    # Wanting it over, wanting out, not being around
    r"(?:want|wants|wanted|need|wish) (?:it|this|everything|it all|all of it) (?:all )?"
    r"(?:to (?:be )?over|was over|were over|to end)",
    r"(?:i|i just|i honestly) want out(?! of)",
    r"(?:to|just|rather|could|should) (?:just )?not be (?:here|alive|around)",
    r"(?:will not|wo not|not going to|may not|might not) be (?:around|here|alive) (?:to see|"
    r"for much|much longer|for long|by (?:then|the end|next)|when)",
    r"(?:if|in case) (?:anything|something) (?:happens|were to happen) to me",
    r"take care of my (?:dog|cat|pets?|kids|children|plants) (?:if|when|after|once i)",
    r"(?:my own|planning my|plan my|imagin\w* my) funeral",
    r"hope i (?:get hit|get run over|die|do not wake up|never wake up|do not make it)",
    r"(?:want|wish|hope) (?:someone|somebody|something|it) (?:would |to |will )?kill me",
    r"(?:do not|no longer) deserve to (?:live|be alive|be here|exist)",
    r"i should (?:just )?(?:die|disappear|not exist|not be here)",
    r"(?:at|reached|reaching) the end of my (?:rope|tether)",
    r"only (?:way out|escape|option left)",
    r"(?:hate|hating) (?:my life|being alive|existing)",
    r"nothing matters any ?more",
    r"(?:do not|can not|no longer) see the point(?: of| in)?(?: any ?more| anything| living|"
    r" life| going on| trying| it all| of it all)",
    r"(?:i|just) (?:end|ending|will end|am going to end|going to end|want to end|could end|"
    r"might end) it(?! with| here| there| early| by| on a| off)",
    r"(?:only|always|just) (?:holding|dragging) (?:everyone|everybody|them|people|my family)"
    r" (?:back|down)",
    r"(?:fine|okay|ok) without me",
    r"no hope (?:for me|left)|(?:there is|is) no point any ?more(?! in| to| of)",
    r"had enough of (?:everything|life|living|it all|being alive|existing)",
    r"(?:i have|have got|got) (?:nobody|no one|nothing)(?: and (?:nobody|no one|nothing))?"
    r" left",
    r"i am finished(?! with| reading| here| for| now| the)",
    r"(?:tired|sick) of waking up|done tired",
    r"(?:thought|idea) of (?:dying|death|being dead) (?:is the only|calms|comforts|gives me|"
    r"is a relief|makes me (?:calm|feel better|relieved))",
    r"(?:comfort|relief|peace) in (?:the thought of )?(?:dying|death|being dead)",
    r"(?:do not|not) think i will (?:make it|be here|be around|last)(?: to| through| past|"
    r" until| much)",
    r"(?:thinking|thought|planning|planned|worked out) (?:about )?how (?:i would|to) do it",
    r"(?:a|such a) (?:weight|drain|burden) on (?:everyone|everybody|them|people|my \w+)",
    r"(?:been|am|i am|feel) ready to go(?! to| out| home| back| for (?:a|the|my|it)| on| through)",
    r"what if i (?:just )?(?:did not|never) (?:come back|wake up)|not come back from my",
    r"if i (?:was|were) not (?:in the picture|around|here|alive)",
    r"(?:thinking|thought|think) (?:about|of) (?:walking|wading|swimming) (?:into|out to|out"
    r" into) the (?:sea|river|lake|water)",
    r"how (?:much|many) of my (?:\w+ )?" + _MEANS,
    r"(?:out of|run out of|no more|no) reasons? to (?:stay|live|go on|keep going|be here|"
    r"carry on|be alive)",
    r"better off with (?:someone|somebody) else",
    r"(?:might as well|should|going to|want to) finish (?:the job|it all|myself)",
    r"i (?:will not|wo not) (?:be needing|need) (?:them|it|these|those|any of (?:it|this|"
    r"them)|my \w+)(?: any ?more)?(?=[.!,;]|$)",
    r"(?:think|thinking|thought) about (?:death|dying|being dead|not being here)(?: \w+){0,3}"
    r" (?:every|all the time|constantly|a lot|day and night)",
    r"can not (?:cope with|face|do|take|handle|bear|survive) another day",
    r"what i (?:might|could|will|would) do to myself",
    r"(?:afraid|scared|worried) i (?:might|will|would) (?:hurt|harm|do something to) myself",
    r"(?:do not|can not) see myself (?:getting older|growing old|living|being here|alive|"
    r"making it|reaching)",
    r"can not (?:be here|stay here|exist)" + _ANY_MORE,
    r"can not live (?:like this|with this any ?more|any ?more)",
    r"(?:last|final) \w+ i (?:have to|will have to|will) (?:live through|survive|endure|"
    r"be alive|see)",
    r"(?:feel|feeling|felt) like dying(?! of| laughing| for)",
    r"(?:stand|standing|stood|sit|sitting|sat) (?:on|at) the (?:edge|ledge)|"
    r"(?:stand|standing|stood) on the (?:balcony|bridge|roof)",
    r"can not keep (?:doing|going on with|living) (?:this|like this)(?: much longer| any ?more|"
    r" any longer)",
    r"(?:relieved|better|happier|easier|fine)(?: off)? if i (?:was|were|am|just) (?:gone|dead|"
    r"not here|not around|disappeared|vanished)",
    r"the only (?:thing|one|reason) (?:stopping|keeping|holding) me",
    r"(?:do not|not) think i can (?:keep (?:going|doing this|living)|go on|carry on)",
    r"(?:thinking|thought|think) about ending (?:it|things|everything)(?! with| early)",
    r"no point (?:in )?(?:me )?(?:being here|being alive|staying alive)",
    # The means or a method
    r"train tracks|railway tracks|(?:in front of|under) a (?:train|bus|lorry|truck)",
    r"(?:drive|driving|drove|crash|crashing)(?: my car)? into (?:a |the )?(?:wall|tree|lorry|"
    r"truck|river|oncoming)",
    r"(?:pills|meds|tablets|rope) (?:are |is )?ready|enough " + _MEANS + r" (?:to|saved)",
    # Self-harm
    r"(?:cut|cutting|burn|burning|burned|burnt|hurt|hurting|harm|harming|hit|hitting|punch"
    r"|punching|scratch|scratching|starve|starving) myself" + _NOT_ON_PURPOSE,
    r"(?:urges?|want|wanted|wanting|tempted|thoughts? of|thinking about|itch) to (?:hurt|harm"
    r"|cut|burn|punish) myself",
]

# Everyday idioms that share the words of the weaker cues below; taken out before the
# cues are counted (the strong patterns above never match them).
_IDIOMS = re.compile(
    r"(?<!\w)(?:dying (?:to|for|of)|to die for|die (?:of|from) (?:embarrassment|shame|"
    r"laughter|boredom)|died laughing|dead (?:tired|set|on|boring|easy|simple|serious|right|"
    r"wrong|ringer|end|weight)|kill(?:ing|ed)? (?:me|it|time|for)|killer|life ?saver|"
    r"life-?saving|burden of proof|(?:disease|tax|care|cost|symptom) burden)(?!\w)"
)

# Weaker cues: one alone is everyday talk ("no point in buying supplements", "my meds"),
# but a reader who writes about themselves with cues from two of these groups is
# showing warning signs in their own words ("I have nobody and nothing left, there's
# no hope for me"; "sorry for being such a weight on everyone, it would be easier if
# I vanished").
_CUES = {
    "death": r"die|dying|dead|death|gone|vanish\w*|disappear\w*|not exist\w*|not (?:come|"
    r"coming) back|not make it|go to sleep|never wake|not wake|funeral|end (?:it|this|"
    r"everything)|ending|over (?:soon|for good)",
    "hopeless": r"no hope|hopeless|no point|pointless|nothing left|nobody left|had enough|"
    r"i am (?:finished|done|a failure)|done tired|failure|give up|gave up|given up|nothing"
    r" matters|no future|ending well|cancel\w* (?:all|everything)|nobody and nothing",
    "burden": r"burden|weight on|easier for (?:everyone|everybody|them)|better for "
    r"(?:everyone|everybody|them)|cope better|better off|in the picture|without me|sorry for"
    r" being|holding (?:everyone|them) back",
    "leaving": r"goodbye|notes? to|letters? to|how i would do it|how to do it|a plan|giving "
    r"away|affairs|ready to go|last time|for the last|make it to",
    "means": r"meds|medication|pills|tablets|rope|bridge|sea|river|train|cliff|roof|too much",
}
_CUE_RES = {name: re.compile(r"(?<!\w)(?:" + cue + r")(?!\w)") for name, cue in _CUES.items()}
_FIRST_PERSON = re.compile(r"(?<!\w)(?:i|me|my|myself)(?!\w)")


def _cues(text):
    """The words of the weaker cues, when a reader speaks of themselves with cues from
    two groups or more; otherwise nothing."""
    text = _IDIOMS.sub(" ", text)
    if not _FIRST_PERSON.search(text):
        return []
    hits = {name: cue.search(text) for name, cue in _CUE_RES.items()}
    found = [match.group(0) for match in hits.values() if match]
    return found if len(found) >= 2 else []


PATTERNS = {
    RiskFlag.SELF_HARM: SELF_HARM,
    RiskFlag.DOSING: [
        rf"{_NUMBER} ?(?:{_UNITS})",
        r"(?:a|an|one|half(?: a| of a)?|quarter(?: of a)?|a quarter(?: of a)?|a tenth of a)"
        r" (?:gram|tab|tablet|pill|capsule|cap)",
        r"micrograms?|milligrams?",
        r"tabs",
        r"how (?:much|many) (?:should|do|did|can|would) (?:i|you|we|u) (?:take|use|start)",
        # "Can you overdose on mushrooms?" is a question about amounts; wanting to take
        # an overdose is in the self-harm lexicon.
        r"overdos\w*",
    ],
    RiskFlag.SOURCING: [
        r"where (?:to|can (?:i|you|one|u)|do (?:i|you|u)|did (?:you|u)|could i|would i)"
        r" (?:buy|get|find|order|purchase|source|score|pick up|grow)",
        r"(?:buy|buying|bought|purchas\w*|order|ordering|ordered)(?: \w+){0,3}"
        r" (?:online|shrooms|mushrooms|truffles|psilocybin|lsd|capsules|microdoses|them|some)",
        r"vendors?",
        r"dealers?",
        r"dark ?web|dark ?net",
        r"order(?:ed|ing)?(?: \w+)? online",
        r"spores?",
        r"grow ?kits?",
        r"grow(?:ing)? (?:my|your|our|their) own",
        r"for sale",
        r"ships? to|shipping",
        r"telegram|wickr|signal app",
        r"smart ?shops?|head ?shops?",
    ],
}

_COMPILED = {
    flag: re.compile(r"(?<!\w)(?:" + "|".join(patterns) + r")(?!\w)")
    for flag, patterns in PATTERNS.items()
}

# Cheap negation: a warning sign right after "not", "never" or "no longer" ("I'm not
# suicidal", "I no longer feel like a burden") is not counted. Only the word just before
# counts, so "I don't want to be a burden" and "I'm not sure I want to live" still flag.
_NEGATED = re.compile(r"(?:\bnot|\bnever|\bno longer) $")


def _found(flag, text):
    found = []
    for match in _COMPILED[flag].finditer(text):
        if flag == RiskFlag.SELF_HARM and _NEGATED.search(text, 0, match.start()):
            continue
        if match.group(0) not in found:
            found.append(match.group(0))
    if flag == RiskFlag.SELF_HARM and not found:
        found = _cues(text)
    return found


@dataclass
class Assessment:
    flags: list = field(default_factory=list)
    matches: dict = field(default_factory=dict)

    @property
    def weight(self):
        return sum(WEIGHTS[RiskFlag(flag)] for flag in self.flags)

    @property
    def self_harm(self):
        return RiskFlag.SELF_HARM.value in self.flags

    def reasons(self):
        """One line per flag for moderators: what it is and the words that raised it."""
        return [
            f"{RiskFlag(flag).label} ({', '.join(repr(m) for m in self.matches[flag])})"
            for flag in self.flags
        ]


def assess(*texts):
    """Flags raised by the texts (the name and the body), in the order of RiskFlag."""
    joined = "\n".join(texts)
    folded = {RiskFlag.SELF_HARM: fold_words(joined)}
    plain = fold(joined)
    result = Assessment()
    for flag in RiskFlag:
        found = _found(flag, folded.get(flag, plain))
        if found:
            result.flags.append(flag.value)
            result.matches[flag.value] = found[:5]
    return result
