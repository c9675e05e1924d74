//! `allowed_signers` (the file `ssh-keygen -Y verify -f` reads) and the
//! check of an SSH signature against it: the same answer OpenSSH gives for
//! plain keys (certificate authorities are not supported and are skipped).
//!
//! ```text
//! principals [options] keytype base64-key [comment]
//! newsroom@example.org namespaces="stet-snapshot" ssh-ed25519 AAAAC3Nz…
//! ```

use std::path::Path;

use ssh_key::{HashAlg, PublicKey, SshSig};

use super::EvidenceError;

#[derive(Debug, Clone)]
struct Entry {
    principals: Vec<String>,
    /// `None`: every namespace.
    namespaces: Option<Vec<String>>,
    key: PublicKey,
}

/// The trusted keys, in file order.
#[derive(Debug, Clone, Default)]
pub struct AllowedSigners {
    entries: Vec<Entry>,
}

/// What a signature turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SigCheck {
    /// Made by a trusted key for this namespace, over exactly these bytes.
    Good {
        principal: String,
        fingerprint: String,
    },
    /// A valid signature by a key the allowed signers do not list (for
    /// this namespace).
    Untrusted { fingerprint: String },
    /// Not a valid signature of these bytes in this namespace.
    Bad { detail: String },
}

impl AllowedSigners {
    pub fn load(path: &Path) -> Result<AllowedSigners, EvidenceError> {
        let text = std::fs::read_to_string(path).map_err(|source| EvidenceError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        AllowedSigners::parse(&path.display().to_string(), &text)
    }

    /// Parse the text of an allowed_signers file; `name` is used in errors.
    pub fn parse(name: &str, text: &str) -> Result<AllowedSigners, EvidenceError> {
        let mut entries = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let err = |detail: &str| EvidenceError::AllowedSigners {
                path: name.to_string(),
                line: i + 1,
                detail: detail.to_string(),
            };
            let fields = split_fields(line).ok_or_else(|| err("unbalanced quotes"))?;
            let [principals, rest @ ..] = fields.as_slice() else {
                return Err(err("no principals"));
            };
            let (options, key_fields) = match rest {
                [first, ..] if is_key_type(first) => ("", rest),
                [options, tail @ ..] => (options.as_str(), tail),
                [] => return Err(err("no key")),
            };
            let [key_type, key_data, ..] = key_fields else {
                return Err(err("no key"));
            };
            let mut namespaces = None;
            let mut cert_authority = false;
            for option in split_options(options) {
                let (name, value) = option.split_once('=').unwrap_or((option.as_str(), ""));
                match name.to_ascii_lowercase().as_str() {
                    "cert-authority" => cert_authority = true,
                    "namespaces" => {
                        namespaces = Some(
                            value
                                .trim_matches('"')
                                .split(',')
                                .map(|s| s.trim().to_string())
                                .collect(),
                        )
                    }
                    // valid-after / valid-before: not checked (OpenSSH
                    // checks them against the signature time, which the
                    // signature does not carry).
                    _ => {}
                }
            }
            if cert_authority {
                continue;
            }
            let key = PublicKey::from_openssh(&format!("{key_type} {key_data}"))
                .map_err(|e| err(&format!("not a public key ({e})")))?;
            entries.push(Entry {
                principals: principals
                    .trim_matches('"')
                    .split(',')
                    .map(str::to_string)
                    .collect(),
                namespaces,
                key,
            });
        }
        Ok(AllowedSigners { entries })
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Check an armored signature of `msg` in `namespace`.
    pub fn check(&self, namespace: &str, msg: &[u8], armored: &[u8]) -> SigCheck {
        let sig = match SshSig::from_pem(armored) {
            Ok(s) => s,
            Err(e) => {
                return SigCheck::Bad {
                    detail: format!("not an SSH signature ({e})"),
                }
            }
        };
        if sig.namespace() != namespace {
            return SigCheck::Bad {
                detail: format!(
                    "signed for namespace `{}`, not `{namespace}`",
                    sig.namespace().escape_debug()
                ),
            };
        }
        let fingerprint = sig.public_key().fingerprint(HashAlg::Sha256).to_string();
        let signer = PublicKey::new(sig.public_key().clone(), "");
        if let Err(e) = signer.verify(namespace, msg, &sig) {
            return SigCheck::Bad {
                detail: format!("signature does not match the signed bytes ({e})"),
            };
        }
        let trusted = self.entries.iter().find(|e| {
            e.key.key_data() == sig.public_key()
                && e.namespaces
                    .as_ref()
                    .is_none_or(|ns| ns.iter().any(|n| glob(n, namespace)))
        });
        match trusted {
            Some(e) => SigCheck::Good {
                principal: e.principals.join(","),
                fingerprint,
            },
            None => SigCheck::Untrusted { fingerprint },
        }
    }

    /// The lines that trust the key of an armored signature, for a bundle.
    pub fn lines_for(&self, armored: &[u8]) -> Option<String> {
        let sig = SshSig::from_pem(armored).ok()?;
        let lines: String = self
            .entries
            .iter()
            .filter(|e| e.key.key_data() == sig.public_key())
            .map(|e| {
                let ns: Vec<&str> = e.namespaces.iter().flatten().map(String::as_str).collect();
                super::key::allowed_signers_line(&e.principals.join(","), &e.key, &ns)
            })
            .collect();
        (!lines.is_empty()).then_some(lines)
    }
}

/// The principal and public key that made an armored signature, without
/// checking it (for a bundle's README).
pub fn signer_of(armored: &[u8]) -> Option<PublicKey> {
    SshSig::from_pem(armored)
        .ok()
        .map(|s| PublicKey::new(s.public_key().clone(), ""))
}

fn is_key_type(s: &str) -> bool {
    s.starts_with("ssh-") || s.starts_with("ecdsa-") || s.starts_with("sk-")
}

/// Whitespace-separated fields; double quotes group.
fn split_fields(line: &str) -> Option<Vec<String>> {
    let mut fields = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                current.push(c);
            }
            c if c.is_whitespace() && !quoted => {
                if !current.is_empty() {
                    fields.push(std::mem::take(&mut current));
                }
            }
            c => current.push(c),
        }
    }
    if quoted {
        return None;
    }
    if !current.is_empty() {
        fields.push(current);
    }
    Some(fields)
}

/// Comma-separated options; commas inside quotes do not split.
fn split_options(options: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in options.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                current.push(c);
            }
            ',' if !quoted => out.push(std::mem::take(&mut current)),
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// OpenSSH pattern match: `*` any run, `?` one character.
fn glob(pattern: &str, text: &str) -> bool {
    fn go(p: &[u8], t: &[u8]) -> bool {
        match (p.first(), t.first()) {
            (None, None) => true,
            (Some(b'*'), _) => go(&p[1..], t) || (!t.is_empty() && go(p, &t[1..])),
            (Some(b'?'), Some(_)) => go(&p[1..], &t[1..]),
            (Some(a), Some(b)) if a == b => go(&p[1..], &t[1..]),
            _ => false,
        }
    }
    go(pattern.as_bytes(), text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::Signer;

    #[test]
    fn trusted_untrusted_and_bad_signatures() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let a = Signer::generate(&dir.path().join("a"), "alice@example.org")?;
        let b = Signer::generate(&dir.path().join("b"), "bob")?;
        let c = Signer::generate(&dir.path().join("c"), "carol")?;
        let text = format!(
            "# trusted\n{}\n{}",
            a.allowed_signers_line(&["stet-snapshot"]),
            c.allowed_signers_line(&[]).replace("carol ", "carol,dave ")
        );
        let allowed = AllowedSigners::parse("allowed", &text)?;
        let sig = a.sign("stet-snapshot", b"bytes")?;
        assert_eq!(
            allowed.check("stet-snapshot", b"bytes", sig.as_bytes()),
            SigCheck::Good {
                principal: "alice@example.org".to_string(),
                fingerprint: a.fingerprint()
            }
        );
        assert!(matches!(
            allowed.check("stet-snapshot", b"bytez", sig.as_bytes()),
            SigCheck::Bad { .. }
        ));
        assert!(matches!(
            allowed.check("stet-journal", b"bytes", sig.as_bytes()),
            SigCheck::Bad { .. }
        ));
        let other = b.sign("stet-snapshot", b"bytes")?;
        assert_eq!(
            allowed.check("stet-snapshot", b"bytes", other.as_bytes()),
            SigCheck::Untrusted {
                fingerprint: b.fingerprint()
            }
        );
        // Outside its namespaces a trusted key is not trusted.
        let journal = a.sign("stet-journal", b"bytes")?;
        assert!(matches!(
            allowed.check("stet-journal", b"bytes", journal.as_bytes()),
            SigCheck::Untrusted { .. }
        ));
        let mut flipped = sig.into_bytes();
        let at = flipped.len() / 2;
        flipped[at] = if flipped[at] == b'A' { b'B' } else { b'A' };
        assert!(matches!(
            allowed.check("stet-snapshot", b"bytes", &flipped),
            SigCheck::Bad { .. }
        ));
        Ok(())
    }

    #[test]
    fn malformed_lines_name_the_line() {
        let e = AllowedSigners::parse("f", "\nalice ssh-ed25519 notbase64\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("f:2: not a public key"), "{e}");
        let e = AllowedSigners::parse("f", "alice namespaces=\"x ssh-ed25519 AAAA\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("unbalanced quotes"), "{e}");
        assert!(glob("stet-*", "stet-snapshot") && !glob("stet-?", "stet-ab"));
    }
}
