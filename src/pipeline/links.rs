//! `stet links SOURCE`: fetch the article, check its links (replaying and
//! recording the store's link cache when asked).

use crate::config::{Config, LinksCommand};
use crate::error::Error;
use crate::fetch::{FetchOptions, Fetcher};
use crate::links;
use crate::model::LinksReport;
use crate::store::Store;
use crate::target::Target;

pub fn links(config: &Config, cmd: &LinksCommand) -> Result<LinksReport, Error> {
    let source = Target::parse(&cmd.source)?;
    if config.offline {
        return Err(Error::Usage(
            "`stet links` checks links over the network; it cannot run with --offline".to_string(),
        ));
    }
    let runtime = super::runtime(super::Threads::Many)?;
    let fetch_options = FetchOptions {
        connect_timeout: cmd.options.connect_timeout,
        timeout: FetchOptions::default().timeout,
        user_agent: cmd.options.user_agent.clone(),
        ..FetchOptions::default()
    };
    let credentials = match config.target_settings(&source) {
        Some(t) => t.request.credentials(&super::snapshot::target_label(t))?,
        None => None,
    };
    let fetched = runtime.block_on(Fetcher::new(fetch_options)?.fetch_with(
        &source,
        None,
        credentials.as_deref(),
    ))?;
    if let Some(status) = fetched.facts.status.filter(|s| !(200..300).contains(s)) {
        return Err(Error::Usage(format!(
            "{} answered HTTP {status}: no article to take links from",
            crate::report::sanitize::line(&fetched.facts.final_url)
        )));
    }
    let page_url = url::Url::parse(&fetched.facts.final_url).ok();
    let document = super::extract_fetched(&fetched, &super::settings_for(config, &source, None))?;
    let mut notes = Vec::new();
    let mut hrefs: Vec<String> = document.links.iter().map(|l| l.href.clone()).collect();
    if cmd.all_links || hrefs.is_empty() {
        if let Some(page) = &page_url {
            if hrefs.is_empty() && !cmd.all_links {
                notes.push(
                    "the article has no links of its own; checking every link of the page"
                        .to_string(),
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
            let store = Store::at_or_create(&config.store)?;
            let cache = store.link_cache()?;
            let now = crate::fetch::now_rfc3339();
            let (check, replayed) = links::cache::replay(&cache, candidates, &now, policy);
            let mut results = runtime.block_on(links::check_candidates(check, &cmd.options))?;
            results.extend(replayed);
            links::sort_results(&mut results);
            let writer = store.writer(config.lock_timeout)?;
            // Recorded on the cache as it is now: another run may have
            // written meanwhile (on S3, one may write at the same time).
            writer.update_link_cache(|cache| {
                let mut recorded = results.clone();
                links::cache::record(cache, &mut recorded, &now, policy);
                recorded
            })?
        }
    };
    Ok(LinksReport {
        results,
        fail_on: cmd.fail_on.clone(),
        notes,
    })
}
