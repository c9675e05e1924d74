//! Word-diff benchmarks (harness = false): `cargo bench --bench diff`.
//!
//! `cargo bench --bench diff -- --write DIR` also writes each case's two
//! texts to DIR (for `benches/compare-git.sh`).

#[path = "support/texts.rs"]
mod texts;

use std::time::{Duration, Instant};

use stet::diff::{diff_documents, DiffOptions};
use stet::model::{Block, BlockKind, Document};

fn doc(text: &str) -> Document {
    Document {
        blocks: text
            .lines()
            .map(|l| Block {
                kind: BlockKind::Paragraph,
                text: l.to_string(),
            })
            .collect(),
        ..Document::default()
    }
}

fn bench(name: &str, a: &str, b: &str, runs: usize) {
    let filter = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-') && !a.contains('/'));
    if filter.is_some_and(|f| !name.contains(f.as_str())) {
        return;
    }
    let (da, db) = (doc(a), doc(b));
    let opts = DiffOptions::default();
    let mut best = Duration::MAX;
    let mut summary = String::new();
    for _ in 0..runs {
        let t = Instant::now();
        let d = diff_documents(&da, &db, &opts);
        best = best.min(t.elapsed());
        summary = format!(
            "{} edits, {} tokens compared, coarse: {}",
            d.edits.len(),
            d.stats.tokens_compared,
            d.coarse
        );
    }
    println!(
        "{name:<28} {:>9.1} ms (best of {runs})  {} / {} bytes  {summary}",
        best.as_secs_f64() * 1e3,
        a.len(),
        b.len()
    );
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let write = args
        .iter()
        .position(|a| a == "--write")
        .and_then(|i| args.get(i + 1));
    let cases = texts::cases();
    if let Some(dir) = write {
        std::fs::create_dir_all(dir)?;
        for (name, a, b) in &cases {
            std::fs::write(format!("{dir}/{name}.old.txt"), a)?;
            std::fs::write(format!("{dir}/{name}.new.txt"), b)?;
        }
    }
    for (name, a, b) in &cases {
        bench(name, a, b, 5);
    }
    if std::env::args().any(|a| a == "--quick") {
        return Ok(());
    }
    // The bad-input case of issue 4: a 20 MB text against a rewrite of it,
    // as many blocks and as one block.
    let mut rng = texts::Rng::new(0x20);
    let va = texts::vocabulary(&mut rng, texts::SYL_A, 5000);
    let base = texts::article(&mut rng, &va, 20_000_000);
    let old = texts::lines(&base);
    let new = texts::lines(&texts::article(&mut rng, &va, 20_000_000));
    let edited = texts::lines(&texts::mutate(&mut rng, &base, &va, 10));
    bench("20MB-rewrite-blocks", &old, &new, 1);
    bench(
        "20MB-rewrite-one-block",
        &old.replace('\n', " "),
        &new.replace('\n', " "),
        1,
    );
    bench("20MB-1pct-words-changed", &old, &edited, 1);
    Ok(())
}
