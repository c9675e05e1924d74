//! Deterministic benchmark texts, shared by `benches/diff.rs` and
//! `examples/worddiff.rs`.

/// xorshift64*: a tiny deterministic generator (no dependency, same bytes everywhere).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A vocabulary of pseudo-words made of the given syllables.
pub fn vocabulary(rng: &mut Rng, syllables: &[&str], n: usize) -> Vec<String> {
    (0..n)
        .map(|_| {
            let k = 1 + rng.below(3) as usize;
            (0..k)
                .map(|_| syllables[rng.below(syllables.len() as u64) as usize])
                .collect()
        })
        .collect()
}

pub const SYL_A: &[&str] = &[
    "ka", "lo", "mi", "ne", "ta", "ri", "su", "be", "do", "ga", "hi", "je",
];
pub const SYL_B: &[&str] = &[
    "vox", "quy", "zyp", "wex", "fyx", "pyv", "qoz", "xuw", "zov", "yuf",
];

/// Paragraphs of 60 to 140 words, one per line, until `bytes` long.
pub fn article(rng: &mut Rng, vocab: &[String], bytes: usize) -> Vec<Vec<String>> {
    let mut paras = Vec::new();
    let mut size = 0;
    while size < bytes {
        let n = 60 + rng.below(80) as usize;
        let words: Vec<String> = (0..n)
            .map(|_| vocab[rng.below(vocab.len() as u64) as usize].clone())
            .collect();
        size += words.iter().map(|w| w.len() + 1).sum::<usize>();
        paras.push(words);
    }
    paras
}

/// Replaces `per_mille`/1000 of the words with other words of the vocabulary.
pub fn mutate(
    rng: &mut Rng,
    paras: &[Vec<String>],
    vocab: &[String],
    per_mille: u64,
) -> Vec<Vec<String>> {
    paras
        .iter()
        .map(|p| {
            p.iter()
                .map(|w| {
                    if rng.below(1000) < per_mille {
                        vocab[rng.below(vocab.len() as u64) as usize].clone()
                    } else {
                        w.clone()
                    }
                })
                .collect()
        })
        .collect()
}

pub fn lines(paras: &[Vec<String>]) -> String {
    let mut s = String::new();
    for p in paras {
        s.push_str(&p.join(" "));
        s.push_str(".\n");
    }
    s
}

/// The benchmark cases: (name, old text, new text).
pub fn cases() -> Vec<(&'static str, String, String)> {
    let mut rng = Rng::new(0x5717);
    let va = vocabulary(&mut rng, SYL_A, 5000);
    let vb = vocabulary(&mut rng, SYL_B, 5000);
    let big = article(&mut rng, &va, 1_000_000);
    let big_edited = mutate(&mut rng, &big, &va, 10);
    let small_a = article(&mut rng, &va, 100_000);
    let small_b = article(&mut rng, &vb, 100_000);
    vec![
        ("1MB-1pct-words-changed", lines(&big), lines(&big_edited)),
        ("100KB-share-nothing", lines(&small_a), lines(&small_b)),
    ]
}
