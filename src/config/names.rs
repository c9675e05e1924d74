//! Target names from stet.toml, accepted wherever a target is: `NAME` is
//! the target it names, `NAME@ref` (any version selector) that target's
//! version. A name is looked up before the input is taken for a URL, a path
//! or a snapshot id.

use super::file::TargetConfig;
use crate::store::VersionSpec;

/// The configured target `name` names exactly, if any.
pub fn named<'a>(targets: &'a [TargetConfig], name: &str) -> Option<&'a TargetConfig> {
    targets.iter().find(|t| t.name.as_deref() == Some(name))
}

/// `input` with a target name replaced by its target (`NAME` → target,
/// `NAME@SEL` → `target@SEL`); any other input as it is.
pub fn expand(targets: &[TargetConfig], input: &str) -> String {
    if let Some(t) = named(targets, input) {
        return t.target.to_string();
    }
    if let (VersionSpec::At { target, .. }, Some((_, selector))) =
        (VersionSpec::parse(input), input.rsplit_once('@'))
    {
        if let Some(t) = named(targets, &target) {
            return format!("{}@{selector}", t.target);
        }
    }
    input.to_string()
}

/// The name stet.toml gives `target` (normalised), if any.
pub fn name_of<'a>(targets: &'a [TargetConfig], target: &str) -> Option<&'a str> {
    targets
        .iter()
        .find(|t| t.target.to_string() == target)
        .and_then(|t| t.name.as_deref())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::target::Target;

    fn config(name: &str, target: &str) -> Result<TargetConfig, Box<dyn std::error::Error>> {
        let mut t = TargetConfig::bare(Target::parse(target)?);
        t.name = Some(name.to_string());
        Ok(t)
    }

    #[test]
    fn names_expand_to_targets() -> Result<(), Box<dyn std::error::Error>> {
        let targets = [
            config("soft-power", "https://Example.org/a#frag")?,
            config("copy", "fixtures/article-v1.html")?,
        ];
        let url = "https://example.org/a";
        assert_eq!(expand(&targets, "soft-power"), url);
        assert_eq!(expand(&targets, "soft-power@ref"), format!("{url}@ref"));
        assert_eq!(expand(&targets, "soft-power@-1"), format!("{url}@-1"));
        assert_eq!(expand(&targets, "soft-power@3"), format!("{url}@3"));
        assert_eq!(
            expand(&targets, "copy@latest"),
            "fixtures/article-v1.html@latest"
        );
        // Not a name, or not a selector: as given.
        for input in [
            "soft",
            "soft-power@nope",
            "abcdef123456",
            "https://e.org/x@ref",
        ] {
            assert_eq!(expand(&targets, input), input);
        }
        assert_eq!(name_of(&targets, url), Some("soft-power"));
        assert_eq!(name_of(&targets, "https://e.org/x"), None);
        Ok(())
    }
}
