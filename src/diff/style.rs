//! House style: the same fact written another way. A newsroom's style
//! pass, or a move to another CMS, rewrites "Feb. 14" as "February 14",
//! "U.S." as "US", "twenty-two" as "22", "per cent" as "percent", "3pm"
//! as "3 p.m.", "£5m" as "£5 million", "said" as "says" and drops "Mr.";
//! an editor writes "the following day" for "the next day"; none of it
//! changes what the article says.
//! [`same_in_style`] compares two texts once such spellings are made one.

/// Months as written short, and in full.
const MONTHS: &[(&str, &str)] = &[
    ("jan", "january"),
    ("feb", "february"),
    ("mar", "march"),
    ("apr", "april"),
    ("jun", "june"),
    ("jul", "july"),
    ("aug", "august"),
    ("sep", "september"),
    ("sept", "september"),
    ("oct", "october"),
    ("nov", "november"),
    ("dec", "december"),
];

/// Amounts of money written short ("£5m", "$2bn") and in full.
const MAGNITUDES: &[(&str, &str)] = &[
    ("k", "thousand"),
    ("m", "million"),
    ("mn", "million"),
    ("bn", "billion"),
    ("b", "billion"),
    ("tn", "trillion"),
];

/// The tense of who says it ("the mayor said" → "the mayor says"): one
/// verb, as a feature's present tense or a report's past.
const ATTRIBUTION_TENSES: &[(&str, &str)] = &[
    ("said", "say"),
    ("says", "say"),
    ("told", "tell"),
    ("tells", "tell"),
];

/// Relative times in other words ("the next day" → "the following day",
/// "the past week" → "the last week", "hours later" → "hours
/// afterwards"): the same time.
const RELATIVE_TIMES: &[(&str, &str)] = &[
    ("following", "next"),
    ("coming", "next"),
    ("upcoming", "next"),
    ("previous", "last"),
    ("past", "last"),
    ("afterwards", "later"),
    ("afterward", "later"),
    ("after", "later"),
    ("before", "earlier"),
];

/// Titles before a name, which style guides keep or drop.
const HONORIFICS: &[&str] = &["mr", "mrs", "ms", "dr", "mx"];

/// True when `a` and `b` say the same in other house styles: their words
/// are equal once lower-cased, with dots taken out of abbreviations, month
/// abbreviations and number words (to ninety-nine) written in full and in
/// digits, thousands written without separators, "per cent" as "percent",
/// a number and its unit apart ("3pm"), money written in full ("£5m"),
/// "said" as "says", "following" as "next", and titles before names left
/// out; and they hold as
/// many quotation marks (putting words in quotes is no style).
pub(crate) fn same_in_style(a: &str, b: &str) -> bool {
    let quotes = |t: &str| {
        t.chars()
            .filter(|c| matches!(c, '"' | '\u{201c}' | '\u{201d}'))
            .count()
    };
    words(a) == words(b) && quotes(a) == quotes(b)
}

/// A token's letters and digits, lower-cased; a point or comma between
/// digits is kept ("3.5" is not "35"), but not a comma that groups
/// thousands ("5,000" is "5000"; "1,5" stays).
fn letters_and_digits(token: &str) -> String {
    let chars: Vec<char> = token.chars().collect();
    let digit = |k: Option<usize>| {
        k.and_then(|k| chars.get(k))
            .is_some_and(char::is_ascii_digit)
    };
    let grouping = |k: usize| (k + 1..=k + 3).all(|d| digit(Some(d))) && !digit(Some(k + 4));
    chars
        .iter()
        .enumerate()
        .filter(|&(k, c)| {
            c.is_alphanumeric()
                || (matches!(c, '.' | ',')
                    && digit(k.checked_sub(1))
                    && digit(Some(k + 1))
                    && !(*c == ',' && grouping(k)))
        })
        .flat_map(|(_, c)| c.to_lowercase())
        .collect()
}

/// Thousands grouped by spaces made one number: "5 000 000" → "5000000".
fn join_groups(words: Vec<String>) -> Vec<String> {
    let all_digits = |w: &str| !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit());
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    for w in words {
        match out.last_mut() {
            // A group of three digits after a number.
            Some(prev) if w.len() == 3 && all_digits(&w) && all_digits(prev) => {
                prev.push_str(&w);
            }
            _ => out.push(w),
        }
    }
    out
}

/// Whether `part` (its letters `w`) is a title before a name, written as
/// one ("Mr.", "Dr"; not "MS", the illness).
fn is_title(part: &str, w: &str) -> bool {
    let mut letters = part.chars().filter(|c| c.is_alphabetic());
    HONORIFICS.contains(&w)
        && letters.next().is_some_and(char::is_uppercase)
        && letters.all(char::is_lowercase)
}

/// Currency signs: "£5m" is money, "5m" may be metres.
const CURRENCIES: &[char] = &['$', '£', '€', '¥', '₹'];

/// Currency, percent, degree and plus or minus signs.
fn is_sign(c: char) -> bool {
    CURRENCIES.contains(&c) || matches!(c, '%' | '°' | '+' | '−' | '±')
}

/// A sign as a word: "%" is "percent", as written out.
fn sign_word(c: char) -> String {
    match c {
        '%' => "percent".to_string(),
        c => c.to_string(),
    }
}

/// Pushes `w`, the letters and digits of `part`: a number run into its
/// unit apart ("3pm" → "3", "pm"), money written short in full ("£5m" →
/// "5", "million"; "5m" alone may be metres).
fn push_word(out: &mut Vec<String>, part: &str, w: String) {
    let digits = w
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .count();
    if digits > 0 && digits < w.len() && w[digits..].chars().all(char::is_alphabetic) {
        out.push(w[..digits].to_string());
        let unit = &w[digits..];
        let money = part.starts_with(CURRENCIES);
        match MAGNITUDES.iter().find(|(short, _)| money && *short == unit) {
            Some((_, full)) => out.push((*full).to_string()),
            None => out.push(unit.to_string()),
        }
    } else {
        out.push(w);
    }
}

fn words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for token in text.split_whitespace() {
        // "U.S." → "us", "p.m." → "pm", "Feb." → "feb": dots and other
        // marks out; a hyphen parts words ("twenty-two", "5-4").
        // "-5" is minus five, not a word joined to the one before.
        if token.starts_with('-') && token[1..].starts_with(|c: char| c.is_ascii_digit()) {
            out.push("\u{2212}".to_string());
        }
        for part in token.split(['-', '\u{2010}', '\u{2011}', '\u{2013}', '\u{2014}', '/']) {
            // Signs that say what a number is ("$5" is not "£5", "5%" not
            // "5"): words of their own, before or after it.
            let part = part.trim_matches(|c: char| !c.is_alphanumeric() && !is_sign(c));
            let lead: Vec<char> = part.chars().take_while(|c| is_sign(*c)).collect();
            let trail: Vec<char> = part.chars().rev().take_while(|c| is_sign(*c)).collect();
            out.extend(lead.iter().map(|c| sign_word(*c)));
            let w = letters_and_digits(part);
            if is_title(part, &w) {
                continue;
            }
            if !w.is_empty() {
                push_word(&mut out, part, w);
            }
            if trail.len() < part.chars().count() {
                out.extend(trail.iter().rev().map(|c| sign_word(*c)));
            }
        }
    }
    let out = join_groups(out);

    let mut norm: Vec<String> = Vec::with_capacity(out.len());
    let mut k = 0;
    while k < out.len() {
        let w = out[k].as_str();
        let next = out.get(k + 1).map(String::as_str);
        if w == "per" && next == Some("cent") {
            norm.push("percent".to_string());
            k += 2;
            continue;
        }
        // "the past week" is "last week": an article before a relative
        // time says nothing of its own.
        let relative = |w: &str| {
            RELATIVE_TIMES
                .iter()
                .any(|(short, full)| w == *short || w == *full)
        };
        if w == "the" && next.is_some_and(relative) {
            k += 1;
            continue;
        }
        match super::classify::number_value(w) {
            Some((ten, true)) => {
                // "twenty-two": a ten and a unit from one to nine.
                match next.and_then(super::classify::number_value) {
                    Some((unit @ 1..=9, false)) => {
                        norm.push((ten + unit).to_string());
                        k += 2;
                    }
                    _ => {
                        norm.push(ten.to_string());
                        k += 1;
                    }
                }
                continue;
            }
            Some((unit, false)) => {
                norm.push(unit.to_string());
                k += 1;
                continue;
            }
            None => {}
        }
        match MONTHS
            .iter()
            .chain(ATTRIBUTION_TENSES)
            .chain(RELATIVE_TIMES)
            .find(|(short, _)| *short == w)
        {
            Some((_, full)) => norm.push((*full).to_string()),
            None => norm.push(w.to_string()),
        }
        k += 1;
    }
    norm
}

#[cfg(test)]
mod tests {
    use super::same_in_style;

    #[test]
    fn the_same_fact_in_another_style() {
        for (a, b) in [
            ("The U.S. delegation", "The US delegation"),
            ("on Feb. 14", "on February 14"),
            ("Sept. 3", "September 3"),
            ("Mr. Obama told", "Obama told"),
            ("5 per cent", "5 percent"),
            ("at 3pm on", "at 3 p.m. on"),
            ("Twenty-two people", "22 people"),
            ("forty people", "40 people"),
            ("one of them", "1 of them"),
            ("ninety-nine people", "99 people"),
            ("nineteen people", "19 people"),
            ("costs £5m.", "costs £5 million."),
            ("raised $2bn", "raised $2 billion"),
            ("the mayor said", "the mayor says"),
            ("the next day", "the following day"),
            ("over the past week", "over the last week"),
            ("three hours later", "three hours afterwards"),
            ("dropped 5.6% last week", "dropped 5.6% the past week"),
            ("two days before", "two days earlier"),
            ("$5,000,000.", "$5000000."),
            ("5 000 euros", "5,000 euros"),
            ("1 250 000 people", "1,250,000 people"),
            ("120 000 people", "120,000 people"),
            ("rose 5%", "rose 5 per cent"),
            ("rose 5 %", "rose 5 percent"),
            ("fell to -5", "fell to \u{2212}5"),
            ("she told reporters", "she tells reporters"),
        ] {
            assert!(same_in_style(a, b), "{a} / {b}");
            assert!(same_in_style(b, a), "{b} / {a}");
        }
    }

    #[test]
    fn another_fact_is_no_style() {
        for (a, b) in [
            ("The U.S. delegation", "The UK delegation"),
            ("on Feb. 14", "on March 14"),
            ("Twenty-two people", "23 people"),
            ("twenty people", "22 people"),
            ("5 per cent", "5 cents"),
            ("3.5 million", "35 million"),
            ("5,000 euros", "6,000 euros"),
            ("1,5 million", "15 million"),
            ("rose 5%", "rose 5"),
            ("costs $5", "costs £5"),
            ("costs $5m", "costs £5m"),
            ("-5°", "-5"),
            ("fell to -5", "fell to 5"),
            ("patients with MS", "patients with"),
            ("a 5m wall", "a 5 million wall"),
            ("costs £5m", "costs £5 billion"),
            ("the mayor said", "the mayor claimed"),
            ("The vote was 5\u{2013}4", "The vote was 54"),
            ("at 3pm", "at 3 a.m."),
            ("Mr. Obama", "Mrs. Clinton"),
            ("dropped last week", "dropped the next week"),
            ("the next day", "the previous day"),
            // Words put in quotes, or taken out of them.
            ("He said no", "He said \u{201c}no\u{201d}"),
            ("a \"fair\" vote", "a fair vote"),
        ] {
            assert!(!same_in_style(a, b), "{a} / {b}");
        }
    }
}
