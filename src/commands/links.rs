//! `stet links SOURCE`: fetch the article, check its links, print the results.

use super::{format_of, Output};
use crate::config::{Config, Format, LinksCommand};
use crate::error::{exit, Error};
use crate::fetch::{FetchOptions, Fetcher};
use crate::links;
use crate::report;
use crate::store::Store;
use crate::target::Target;

pub(super) fn run(config: &Config, out: &Output, cmd: &LinksCommand) -> Result<u8, Error> {
    let format = format_of(config, &[Format::Text, Format::Json], "links")?;
    let source = Target::parse(&cmd.source)?;
    if config.offline {
        return Err(Error::Usage(
            "`stet links` checks links over the network; it cannot run with --offline".to_string(),
        ));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(Error::Runtime)?;
    let fetch_options = FetchOptions {
        connect_timeout: cmd.options.connect_timeout,
        timeout: FetchOptions::default().timeout,
        user_agent: cmd.options.user_agent.clone(),
        ..FetchOptions::default()
    };
    let fetcher = Fetcher::new(fetch_options)?;
    let fetched = runtime.block_on(fetcher.fetch(&source, None))?;
    if let Some(status) = fetched.facts.status.filter(|s| !(200..300).contains(s)) {
        return Err(Error::Usage(format!(
            "{} answered HTTP {status}: no article to take links from",
            report::sanitize::line(&fetched.facts.final_url)
        )));
    }
    let page_url = url::Url::parse(&fetched.facts.final_url).ok();
    let settings = config
        .target_settings(&source)
        .map(|t| t.extract_settings())
        .unwrap_or_default();
    let document = crate::snapshot::document_for(&fetched.body, &fetched.facts, &settings)
        .map_err(|e| crate::fetch::FetchError::Extract {
            url: fetched.facts.final_url.clone(),
            detail: e.to_string(),
        })?;
    let mut hrefs: Vec<String> = document.links.iter().map(|l| l.href.clone()).collect();
    if cmd.all_links || hrefs.is_empty() {
        if let Some(page) = &page_url {
            if hrefs.is_empty() && !cmd.all_links && !out.quiet {
                eprintln!(
                    "stet: note: the article has no links of its own; checking every link of the page"
                );
            }
            let text = String::from_utf8_lossy(&fetched.body);
            hrefs.extend(links::page_links(&text, page).into_iter().map(|l| l.href));
        }
    }
    let candidates = links::candidates(
        hrefs.iter().map(String::as_str),
        page_url.as_ref(),
        &cmd.options,
    );
    let results = match &cmd.cache {
        None => runtime.block_on(links::check_candidates(candidates, &cmd.options))?,
        Some(policy) => {
            let store = Store::open_or_create(&config.store)?;
            let cache = store.link_cache()?;
            let now = crate::fetch::now_rfc3339();
            let (check, replayed) = links::cache::replay(&cache, candidates, &now, policy);
            let mut results = runtime.block_on(links::check_candidates(check, &cmd.options))?;
            results.extend(replayed);
            links::sort_results(&mut results);
            let writer = store.writer(config.lock_timeout)?;
            // Re-read under the lock: another run may have written meanwhile.
            let mut cache = store.link_cache()?;
            links::cache::record(&mut cache, &mut results, &now, policy);
            writer.save_link_cache(&cache)?;
            results
        }
    };
    let failing = links::dead_links(&results, &cmd.fail_on).count();
    let text = match format {
        Format::Json => report::links::json(&results),
        // `format_of` admitted text and json only.
        _ => report::links::text(&results, &cmd.fail_on, out.color, out.quiet),
    };
    out.print(&text)?;
    Ok(if failing > 0 {
        exit::FINDINGS
    } else {
        exit::OK
    })
}
