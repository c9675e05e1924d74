//! Opposites: an edit that puts a word's opposite in its place ("oldest"
//! → "newest", "rose" → "fell", "approved" → "rejected", "legal" →
//! "illegal") reverses what the sentence claims, however short it is.
//!
//! Two rules, on the words of an edit's two sides (whole words, any case):
//!
//! * **the lexicon**: [`PAIRS`] lists pairs of opposite poles, each with the
//!   forms of its words (inflections written out: there is no stemmer). A
//!   word of one pole on one side and a word of the other pole on the other
//!   side make an opposite. Two words of the same pole ("rose" → "climbed")
//!   do not.
//! * **polarity**: the changed words of one side weigh positive and the
//!   other's negative ("welcomed" → "condemned", "enthusiastic" →
//!   "sceptical", "peaceful" → "violent"), by the valences of VADER's
//!   lexicon (`polarity.tsv`, with its licence). "good" → "great" or
//!   "terrible" → "awful" keep their sign.
//! * **negating affixes**: one side's word is the other's with a negating
//!   prefix ("un", "in", "im", "il", "ir", "dis", "non", "mis") or with
//!   "less" in place of "ful" or of nothing ("careful" → "careless",
//!   "harm" → "harmless"). The base word must be long enough that the pair
//!   is not a chance spelling ("to" → "into", "form" → "inform").
//!
//! Only a local edit counts: a side of more than [`MAX_WORDS`] words is a
//! rewrite, where "more" in one sentence and "less" in another say nothing
//! about a reversal.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use super::FxBuild;

/// The most words a side of an edit may have for the rules to apply.
pub(crate) const MAX_WORDS: usize = 10;

#[cfg(test)]
use super::words::lower_words;

/// Opposite poles: the forms of each pole's words, separated by spaces.
/// A word may stand in several pairs ("lower": low and decrease).
const PAIRS: &[(&str, &str)] = &[
    // Direction of change.
    (
        "rise rises rose risen rising climb climbs climbed climbing soar soars soared soaring surge surges surged surging jump jumps jumped jumping",
        "fall falls fell fallen falling drop drops dropped dropping decline declines declined declining plunge plunges plunged plunging plummet plummets plummeted plummeting slump slumps slumped slumping tumble tumbles tumbled tumbling sink sinks sank sunk sinking",
    ),
    (
        "increase increases increased increasing raise raises raised raising boost boosts boosted boosting expand expands expanded expanding expansion grow grows grew grown growing growth hike hikes hiked",
        "decrease decreases decreased decreasing reduce reduces reduced reducing reduction reductions cut cuts cutting lower lowers lowered lowering shrink shrinks shrank shrunk shrinking slash slashes slashed slashing trim trims trimmed",
    ),
    ("gain gains gained gaining", "lose loses lost losing loss losses"),
    ("up upward upwards upstream", "down downward downwards downstream"),
    ("more", "less fewer"),
    ("most", "least fewest"),
    ("plus", "minus"),
    ("add adds added adding", "remove removes removed removing subtract subtracted"),
    ("strengthen strengthens strengthened strengthening", "weaken weakens weakened weakening"),
    (
        "improve improves improved improving improvement",
        "worsen worsens worsened worsening deteriorate deteriorates deteriorated deteriorating",
    ),
    ("accelerate accelerates accelerated accelerating", "decelerate decelerated slow slows slowed slowing"),
    ("upgrade upgrades upgraded", "downgrade downgrades downgraded"),
    ("promote promotes promoted promotion", "demote demotes demoted demotion"),
    ("tighten tightens tightened tightening", "loosen loosens loosened loosening ease eases eased easing"),
    // Outcomes and verdicts.
    (
        "win wins won winning winner winners victory victories victorious",
        "lose loses lost losing loser losers defeat defeats defeated",
    ),
    (
        "pass passes passed passing succeed succeeds succeeded success successful",
        "fail fails failed failing failure failures unsuccessful",
    ),
    (
        "approve approves approved approving approval accept accepts accepted accepting pass passes passed passing sign signs signed signing",
        "reject rejects rejected rejecting rejection refuse refuses refused refusing decline declines declined declining veto vetoed block blocks blocked blocking",
    ),
    (
        "allow allows allowed allowing permit permits permitted permitting legalize legalized legalise legalised",
        "ban bans banned banning forbid forbids forbade forbidden prohibit prohibits prohibited prohibiting outlaw outlawed",
    ),
    ("guilty", "innocent"),
    (
        "convict convicts convicted conviction guilty",
        "acquit acquits acquitted acquittal cleared exonerated",
    ),
    (
        "support supports supported supporting supporter supporters favor favors favored favour favours favoured",
        "oppose opposes opposed opposing opponent opponents opposition",
    ),
    ("for", "against"),
    ("pro", "anti"),
    ("admit admits admitted admitting", "deny denies denied denying"),
    ("confirm confirms confirmed confirming", "deny denies denied denying"),
    ("include includes included including", "exclude excludes excluded excluding"),
    ("open opens opened opening reopen reopened", "close closes closed closing closure shut shuts"),
    (
        "start starts started starting begin begins began begun beginning",
        "end ends ended ending stop stops stopped stopping finish finishes finished",
    ),
    ("arrive arrives arrived arriving arrival", "depart departs departed departing departure"),
    (
        "enter enters entered entering",
        "leave leaves left leaving exit exits exited withdraw withdraws withdrew withdrawn withdrawing",
    ),
    (
        "advance advances advanced advancing",
        "retreat retreats retreated retreating withdraw withdraws withdrew withdrawn withdrawing",
    ),
    // Who chose the departure.
    (
        "resign resigns resigned resigning",
        "fire fires fired firing dismiss dismisses dismissed dismissing sack sacks sacked sacking oust ousts ousted ousting",
    ),
    (
        "leave leaves left leaving depart departs departed departing",
        "expel expels expelled expelling deport deports deported deporting evict evicts evicted evicting banish banishes banished",
    ),
    (
        "attend attends attended attending",
        "skip skips skipped skipping boycott boycotts boycotted boycotting",
    ),
    (
        "deliberate deliberately intentional intentionally",
        "accidental accidentally unintentional unintentionally inadvertent inadvertently",
    ),
    // Who was hurt or killed: the line casualty figures are drawn on.
    (
        "civilian civilians bystander bystanders",
        "combatant combatants militant militants fighter fighters soldier soldiers gunman gunmen",
    ),
    ("join joins joined joining", "leave leaves left leaving quit quits"),
    ("hire hires hired hiring", "fire fires fired firing"),
    ("buy buys bought buying buyer buyers", "sell sells sold selling seller sellers"),
    ("import imports imported importing", "export exports exported exporting"),
    ("borrow borrows borrowed borrowing", "lend lends lent lending"),
    ("attack attacks attacked attacking", "defend defends defended defending defense defence"),
    ("release releases released releasing freed", "arrest arrests arrested arresting detain detains detained jail jailed imprison imprisoned"),
    ("profit profits profitable", "loss losses"),
    ("surplus", "deficit"),
    // Life and harm.
    ("alive living live lives lived survive survives survived surviving survivor survivors", "dead die dies died dying killed"),
    ("killed dead", "injured wounded hurt"),
    (
        "serious seriously critical critically severe severely grave gravely badly",
        "slight slightly light lightly mild mildly minor superficial",
    ),
    // Qualities and comparisons.
    ("true", "false"),
    ("right", "wrong"),
    ("safe safer safest", "dangerous unsafe risky riskier"),
    ("strong stronger strongest", "weak weaker weakest"),
    ("rich richer richest wealthy", "poor poorer poorest"),
    (
        "large larger largest big bigger biggest huge",
        "small smaller smallest little tiny",
    ),
    ("long longer longest", "short shorter shortest"),
    ("high higher highest", "low lower lowest"),
    ("old older oldest", "new newer newest"),
    ("old older oldest elder eldest", "young younger youngest"),
    ("early earlier earliest", "late later latest"),
    ("best", "worst"),
    ("better", "worse"),
    ("good", "bad"),
    ("hot hotter hottest warm warmer warmest", "cold colder coldest cool cooler coolest"),
    ("fast faster fastest quick quicker quickly rapid rapidly", "slow slower slowest slowly"),
    ("cheap cheaper cheapest", "expensive costly"),
    ("positive", "negative"),
    (
        "important significant crucial vital major",
        "trivial insignificant unimportant negligible minor",
    ),
    (
        "helpful beneficial benefit benefits benefited",
        "harmful damaging harm harms harmed",
    ),
    ("maximum", "minimum"),
    ("optimistic", "pessimistic"),
    ("bullish", "bearish"),
    ("hawkish", "dovish"),
    ("present", "absent"),
    ("strict stricter strictest", "lenient loose looser"),
    ("permanent permanently", "temporary temporarily"),
    ("voluntary voluntarily optional", "mandatory compulsory required"),
    ("public publicly", "private privately"),
    ("domestic", "foreign international"),
    ("internal", "external"),
    ("online", "offline"),
    ("always", "never"),
    ("everyone everybody", "nobody"),
    ("yes", "no"),
    // Place and time.
    ("before", "after"),
    ("above", "below"),
    ("over", "under"),
    ("inside", "outside"),
    ("ahead", "behind"),
    ("lead leads leading led", "trail trails trailed trailing"),
    ("top", "bottom"),
    ("on", "off"),
    ("inbound", "outbound"),
    ("north northern", "south southern"),
    ("east eastern", "west western"),
    ("left", "right"),
    // Who.
    ("he him his himself", "she her hers herself"),
    ("male", "female"),
    ("man men", "woman women"),
    ("boy boys", "girl girls"),
    ("husband", "wife"),
    ("father", "mother"),
    ("son sons", "daughter daughters"),
    ("brother brothers", "sister sisters"),
    ("friend friends ally allies", "enemy enemies foe foes"),
    ("peace", "war"),
];

/// Negating prefixes and the shortest base word each may take.
const PREFIXES: &[(&str, usize)] = &[
    ("un", 4),
    ("in", 5),
    ("im", 4),
    ("il", 4),
    ("ir", 4),
    ("dis", 4),
    ("non", 4),
    ("mis", 4),
];

/// A word's place in [`PAIRS`]: the pair's index, and `true` for its
/// second pole.
type Pole = (u16, bool);

/// The poles of each listed word.
static POLES: LazyLock<HashMap<&'static str, Vec<Pole>, FxBuild>> = LazyLock::new(|| {
    let mut m: HashMap<&'static str, Vec<Pole>, FxBuild> = HashMap::default();
    for (k, (a, b)) in (0u16..).zip(PAIRS) {
        for (pole, forms) in [(false, a), (true, b)] {
            for w in forms.split_ascii_whitespace() {
                let entry = m.entry(w).or_default();
                if !entry.contains(&(k, pole)) {
                    entry.push((k, pole));
                }
            }
        }
    }
    m
});

/// True when the words of an edit's two changed sides (in lower case, see
/// [`lower_words`]) hold a word and its opposite, one on each side.
pub(crate) fn reverses(old: &[Cow<'_, str>], new: &[Cow<'_, str>]) -> bool {
    if old.is_empty() || new.is_empty() {
        return false;
    }
    by_lexicon(old, new) || by_affix(old, new) || by_affix(new, old) || by_polarity(old, new)
}

/// Each word's valence, from `polarity.tsv` (-4 to +4).
static POLARITY: LazyLock<HashMap<&'static str, f32, FxBuild>> = LazyLock::new(|| {
    include_str!("polarity.tsv")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let (w, v) = l.split_once('\t')?;
            Some((w, v.parse().ok()?))
        })
        .collect()
});

/// The weight one side must have, positive or negative, for a reversal.
const POLAR: f32 = 1.0;

/// True when one side's words weigh positive and the other's negative.
fn by_polarity(old: &[Cow<'_, str>], new: &[Cow<'_, str>]) -> bool {
    let weight = |side: &[Cow<'_, str>]| -> f32 {
        side.iter().filter_map(|w| POLARITY.get(w.as_ref())).sum()
    };
    let (a, b) = (weight(old), weight(new));
    (a >= POLAR && b <= -POLAR) || (a <= -POLAR && b >= POLAR)
}

fn by_lexicon(old: &[Cow<'_, str>], new: &[Cow<'_, str>]) -> bool {
    let poles = |side: &[Cow<'_, str>]| -> Vec<Pole> {
        side.iter()
            .filter_map(|w| POLES.get(w.as_ref()))
            .flatten()
            .copied()
            .collect()
    };
    let (a, b) = (poles(old), poles(new));
    a.iter().any(|&(k, pole)| b.contains(&(k, !pole)))
}

/// Words that start like a negation of another word without being one
/// ("immigrants" are no migrants' opposite, "display" no "play"'s).
const NOT_NEGATED: &[&str] = &[
    "immigrant",
    "immigrants",
    "immigration",
    "immigrate",
    "immigrated",
    "import",
    "imports",
    "imported",
    "impose",
    "imposes",
    "imposed",
    "impact",
    "impacts",
    "impacted",
    "impress",
    "impressed",
    "improve",
    "improves",
    "improved",
    "impart",
    "imprint",
    "implant",
    "impound",
    "impounded",
    "display",
    "displays",
    "displayed",
    "discover",
    "discovers",
    "discovered",
    "discovery",
    "dismiss",
    "dismissed",
    "dispose",
    "disposed",
    "discount",
    "discounts",
    "discounted",
    "disclose",
    "disclosed",
    "dispatch",
    "dispatched",
    "discharge",
    "discharged",
    "dispense",
    "insight",
    "install",
    "installed",
    "mistake",
    "mistakes",
    "mistaken",
];

/// True when a word of `plain` has its negation (by an affix) in `negated`.
fn by_affix(plain: &[Cow<'_, str>], negated: &[Cow<'_, str>]) -> bool {
    let has = |w: &str| plain.iter().any(|p| p == w);
    negated
        .iter()
        .filter(|w| !NOT_NEGATED.contains(&w.as_ref()))
        .any(|w| {
            let prefixed = PREFIXES.iter().any(|&(p, shortest)| {
                w.strip_prefix(p).is_some_and(|base| {
                    base.chars().count() >= shortest && fits_prefix(p, base) && has(base)
                })
            });
            let less = w.strip_suffix("less").is_some_and(|stem| {
                stem.chars().count() >= 3 && (has(stem) || has(&format!("{stem}ful")))
            });
            prefixed || less
        })
}

/// "im", "il" and "ir" are "in" before p/b/m, l and r.
fn fits_prefix(prefix: &str, base: &str) -> bool {
    let first = base.chars().next();
    match prefix {
        "im" => matches!(first, Some('p' | 'b' | 'm')),
        "il" => first == Some('l'),
        "ir" => first == Some('r'),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reverses(before: &str, after: &str) -> bool {
        match (
            lower_words(before, MAX_WORDS),
            lower_words(after, MAX_WORDS),
        ) {
            (Some(old), Some(new)) => super::reverses(&old, &new),
            _ => false,
        }
    }

    #[test]
    fn pairs_are_well_formed() {
        for (a, b) in PAIRS {
            for forms in [a, b] {
                assert!(!forms.trim().is_empty());
                for w in forms.split_ascii_whitespace() {
                    assert!(w.chars().all(|c| c.is_ascii_lowercase()), "{w}");
                }
            }
            let a: std::collections::HashSet<&str> = a.split_ascii_whitespace().collect();
            let b: std::collections::HashSet<&str> = b.split_ascii_whitespace().collect();
            assert!(a.is_disjoint(&b), "{a:?} / {b:?}");
        }
    }

    #[test]
    fn opposites() {
        for (old, new) in [
            ("one of the oldest", "one of the newest"),
            ("The law was passed", "The law was blocked"),
            ("seriously injured", "slightly injured"),
            (
                "The president signed the bill",
                "The president vetoed the bill",
            ),
            ("was expelled from the country", "left the country"),
            ("prices rose", "prices fell"),
            ("The bill was Approved", "The bill was rejected"),
            ("a legal strike", "an illegal strike"),
            ("an honest answer", "a dishonest answer"),
            ("likely", "unlikely"),
            ("possible", "impossible"),
            ("responsible", "irresponsible"),
            ("a careful driver", "a careless driver"),
            ("harm", "harmless"),
            (
                "the fire was started deliberately",
                "the fire was started accidentally",
            ),
            (
                "the army withdrew from the city",
                "the army entered the city",
            ),
            (
                "the president will attend the summit",
                "the president will skip the summit",
            ),
            ("troops advanced overnight", "troops retreated overnight"),
            ("the minister resigned", "the minister was fired"),
            ("12 civilians were killed", "12 militants were killed"),
            ("voted for the plan", "voted against the plan"),
            ("informed", "misinformed"),
            ("a home", "homeless"),
            ("welcomed the decision", "condemned the decision"),
            ("enthusiastic", "sceptical"),
            ("was praised", "was criticised"),
            ("a peaceful protest", "a violent protest"),
        ] {
            assert!(reverses(old, new), "{old} → {new}");
            assert!(reverses(new, old), "{new} → {old}");
        }
    }

    #[test]
    fn not_opposites() {
        for (old, new) in [
            ("prices rose", "prices climbed"),
            ("the largest", "the biggest"),
            ("to the", "into the"),
            ("a form", "inform"),
            ("migrants", "immigrants"),
            ("the play", "the display"),
            ("to pose a risk", "to impose a risk"),
            ("spent lavishly", "spent heavily"),
            ("rose", ""),
            ("", "fell"),
            ("said", "says"),
            ("good", "great"),
            ("terrible", "awful"),
            ("a pretty bad year", "a very bad year"),
            // A rewrite: "more" and "less" in different sentences.
            (
                "more people came than last year, organisers said on the day",
                "less than a year after the first event, organisers said it had grown",
            ),
        ] {
            assert!(!reverses(old, new), "{old} → {new}");
        }
    }
}
