//! Prints the normalised article text of HTML files, one block per line.
//!
//! ```text
//! cargo run --release --example extract -- FILE [--json] [--url URL]
//! cargo run --release --example extract -- --batch LIST OUTDIR
//! ```
//! `--batch` follows `extract-score --batch`: LIST has one path per line, the
//! text of line N goes to OUTDIR/N.txt.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use stet::extract::{extract, ExtractOptions};

fn file_url(path: &Path) -> String {
    std::fs::canonicalize(path)
        .ok()
        .and_then(|p| url::Url::from_file_path(p).ok())
        .map_or_else(|| "file:///".to_owned(), String::from)
}

fn text_of(path: &Path, opts: &ExtractOptions) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let doc = extract(&bytes, None, &file_url(path), opts).map_err(|e| e.to_string())?;
    Ok(doc.text())
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut opts = ExtractOptions::default();
    let mut i = 0;
    let mut json = false;
    let mut files = Vec::new();
    let mut url = None;
    while i < args.len() {
        match args[i].as_str() {
            "--batch" => {
                let list = args.get(i + 1).ok_or("--batch LIST OUTDIR")?;
                let out = args.get(i + 2).ok_or("--batch LIST OUTDIR")?;
                let list = std::fs::read_to_string(list).map_err(|e| e.to_string())?;
                for (n, line) in list.lines().enumerate() {
                    let text = text_of(Path::new(line.trim()), &opts).unwrap_or_default();
                    std::fs::write(Path::new(out).join(format!("{n}.txt")), text)
                        .map_err(|e| e.to_string())?;
                }
                return Ok(());
            }
            "--json" => json = true,
            "--selector" => {
                i += 1;
                opts.selector = args.get(i).cloned();
            }
            "--url" => {
                i += 1;
                url = args.get(i).cloned();
            }
            other => files.push(other.to_owned()),
        }
        i += 1;
    }
    let mut stdout = std::io::stdout().lock();
    for f in files {
        let path = Path::new(&f);
        if json {
            let bytes = std::fs::read(path).map_err(|e| format!("{f}: {e}"))?;
            let base = url.clone().unwrap_or_else(|| file_url(path));
            let doc = extract(&bytes, None, &base, &opts).map_err(|e| e.to_string())?;
            let s = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?;
            writeln!(stdout, "{s}").map_err(|e| e.to_string())?;
        } else {
            write!(stdout, "{}", text_of(path, &opts)?).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("extract: {e}");
            ExitCode::from(2)
        }
    }
}
