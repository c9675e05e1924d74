//! The signing key: an ed25519 key in OpenSSH format, read once, never
//! written anywhere but by `stet keygen` (mode 0600). Its `Debug` shows the
//! identity and public fingerprint only.

use std::fmt;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

use ssh_key::private::{Ed25519Keypair, KeypairData};
use ssh_key::{Algorithm, HashAlg, LineEnding, PrivateKey, PublicKey};

use super::EvidenceError;

/// The identity written into a new key and its `allowed_signers` line when
/// none is given.
pub const DEFAULT_IDENTITY: &str = "stet";

/// A loaded private key and the identity (principal) it signs as.
pub struct Signer {
    key: PrivateKey,
    identity: String,
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer")
            .field("identity", &self.identity)
            .field("fingerprint", &self.fingerprint())
            .finish_non_exhaustive()
    }
}

impl Signer {
    /// Read an unencrypted ed25519 OpenSSH private key. The file must not be
    /// accessible by group or others (as OpenSSH requires). `identity`:
    /// the principal to sign as; default the key's comment, else `stet`.
    pub fn load(path: &Path, identity: Option<&str>) -> Result<Signer, EvidenceError> {
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) if e.kind() == ErrorKind::NotFound => {
                return Err(EvidenceError::KeyMissing(path.to_path_buf()))
            }
            Err(source) => {
                return Err(EvidenceError::KeyUnreadable {
                    path: path.to_path_buf(),
                    source,
                })
            }
        };
        check_mode(path, &meta)?;
        let text = zeroize::Zeroizing::new(std::fs::read_to_string(path).map_err(|source| {
            EvidenceError::KeyUnreadable {
                path: path.to_path_buf(),
                source,
            }
        })?);
        let invalid = |detail: String| EvidenceError::KeyInvalid {
            path: path.to_path_buf(),
            detail,
        };
        let key = PrivateKey::from_openssh(text.as_bytes())
            .map_err(|e| invalid(format!("not an OpenSSH private key ({e})")))?;
        if key.is_encrypted() {
            return Err(invalid(
                "the key has a passphrase; stet needs a passphrase-less key (make one with `stet keygen`)"
                    .to_string(),
            ));
        }
        if key.algorithm() != Algorithm::Ed25519 {
            return Err(invalid(format!(
                "a {} key; stet signs with ed25519 keys only",
                key.algorithm()
            )));
        }
        let identity = identity
            .map(str::to_string)
            .or_else(|| Some(key.comment().trim().to_string()).filter(|c| valid_identity(c)))
            .unwrap_or_else(|| DEFAULT_IDENTITY.to_string());
        if !valid_identity(&identity) {
            return Err(invalid(format!(
                "identity `{}` must be printable, without spaces or quotes",
                identity.escape_debug()
            )));
        }
        Ok(Signer { key, identity })
    }

    /// Make a new ed25519 key at `path` (mode 0600) and its public half at
    /// `path.pub`. Never overwrites either.
    pub fn generate(path: &Path, identity: &str) -> Result<Signer, EvidenceError> {
        if !valid_identity(identity) {
            return Err(EvidenceError::KeyInvalid {
                path: path.to_path_buf(),
                detail: format!(
                    "identity `{}` must be printable, without spaces or quotes",
                    identity.escape_debug()
                ),
            });
        }
        let public_path = public_path(path);
        for p in [path, public_path.as_path()] {
            if p.exists() {
                return Err(EvidenceError::KeyExists(p.to_path_buf()));
            }
        }
        let mut seed = zeroize::Zeroizing::new([0u8; 32]);
        ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut seed[..])
            .map_err(|_| EvidenceError::Sign("the system random generator failed".to_string()))?;
        let keypair = Ed25519Keypair::from_seed(&seed);
        let key = PrivateKey::new(KeypairData::Ed25519(keypair), identity)
            .map_err(|e| EvidenceError::Sign(e.to_string()))?;
        let pem = key
            .to_openssh(LineEnding::LF)
            .map_err(|e| EvidenceError::Sign(e.to_string()))?;
        write_new(path, pem.as_bytes(), 0o600)?;
        let public = key
            .public_key()
            .to_openssh()
            .map_err(|e| EvidenceError::Sign(e.to_string()))?;
        write_new(&public_path, format!("{public}\n").as_bytes(), 0o644)?;
        Ok(Signer {
            key,
            identity: identity.to_string(),
        })
    }

    /// An armored SSH signature (`-----BEGIN SSH SIGNATURE-----`) of `msg`
    /// in `namespace`, as `ssh-keygen -Y sign` makes.
    pub fn sign(&self, namespace: &str, msg: &[u8]) -> Result<String, EvidenceError> {
        self.key
            .sign(namespace, HashAlg::Sha512, msg)
            .and_then(|sig| sig.to_pem(LineEnding::LF))
            .map_err(|e| EvidenceError::Sign(e.to_string()))
    }

    pub fn identity(&self) -> &str {
        &self.identity
    }

    pub fn public_key(&self) -> &PublicKey {
        self.key.public_key()
    }

    /// `SHA256:…`, as `ssh-keygen -l` prints it.
    pub fn fingerprint(&self) -> String {
        self.key
            .public_key()
            .fingerprint(HashAlg::Sha256)
            .to_string()
    }

    /// This key's line of an `allowed_signers` file.
    pub fn allowed_signers_line(&self, namespaces: &[&str]) -> String {
        allowed_signers_line(&self.identity, self.public_key(), namespaces)
    }
}

/// `IDENTITY namespaces="a,b" ssh-ed25519 AAAA…` (the key's comment left out).
pub fn allowed_signers_line(identity: &str, key: &PublicKey, namespaces: &[&str]) -> String {
    let bare = PublicKey::new(key.key_data().clone(), "");
    let encoded = bare.to_openssh().unwrap_or_default();
    let encoded = encoded.trim_end();
    if namespaces.is_empty() {
        format!("{identity} {encoded}\n")
    } else {
        format!(
            "{identity} namespaces=\"{}\" {encoded}\n",
            namespaces.join(",")
        )
    }
}

/// `key` → `key.pub`.
pub fn public_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(".pub");
    PathBuf::from(name)
}

/// An identity an allowed_signers line can carry unquoted.
fn valid_identity(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('#')
        && s.chars()
            .all(|c| c.is_ascii_graphic() && c != '"' && c != '\'' && c != ',')
}

#[cfg(unix)]
fn check_mode(path: &Path, meta: &std::fs::Metadata) -> Result<(), EvidenceError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = meta.permissions().mode() & 0o7777;
    if mode & 0o077 != 0 {
        return Err(EvidenceError::KeyPermissions {
            path: path.to_path_buf(),
            mode,
        });
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_mode(_: &Path, _: &std::fs::Metadata) -> Result<(), EvidenceError> {
    Ok(())
}

fn write_new(path: &Path, bytes: &[u8], mode: u32) -> Result<(), EvidenceError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(mode);
    }
    #[cfg(not(unix))]
    let _ = mode;
    let write = |path: &Path| -> std::io::Result<()> {
        let mut file = options.open(path)?;
        file.write_all(bytes)?;
        file.sync_all()
    };
    write(path).map_err(|source| {
        if source.kind() == ErrorKind::AlreadyExists {
            EvidenceError::KeyExists(path.to_path_buf())
        } else {
            EvidenceError::Write {
                path: path.to_path_buf(),
                source,
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_keys_sign_and_reload() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("key");
        let signer = Signer::generate(&path, "newsroom@example.org")?;
        assert!(matches!(
            Signer::generate(&path, "x"),
            Err(EvidenceError::KeyExists(_))
        ));
        let loaded = Signer::load(&path, None)?;
        assert_eq!(loaded.identity(), "newsroom@example.org");
        assert_eq!(loaded.fingerprint(), signer.fingerprint());
        let debug = format!("{loaded:?}");
        assert!(
            debug.contains("SHA256:") && !debug.contains("PRIVATE"),
            "{debug}"
        );
        let sig = loaded.sign("stet-snapshot", b"manifest")?;
        assert!(sig.starts_with("-----BEGIN SSH SIGNATURE-----\n"), "{sig}");
        let parsed = ssh_key::SshSig::from_pem(&sig)?;
        assert!(signer
            .public_key()
            .verify("stet-snapshot", b"manifest", &parsed)
            .is_ok());
        assert!(signer
            .public_key()
            .verify("stet-snapshot", b"manifesT", &parsed)
            .is_err());
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn open_keys_and_missing_keys_are_clear_errors() -> Result<(), Box<dyn std::error::Error>> {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("key");
        let missing = Signer::load(&path, None).unwrap_err().to_string();
        assert!(missing.contains("no such file"), "{missing}");
        Signer::generate(&path, "a")?;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644))?;
        let open = Signer::load(&path, None).unwrap_err().to_string();
        assert!(
            open.contains("mode 0644") && open.contains("chmod 600"),
            "{open}"
        );
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
        std::fs::write(&path, "not a key")?;
        let bad = Signer::load(&path, None).unwrap_err().to_string();
        assert!(bad.contains("not an OpenSSH private key"), "{bad}");
        Ok(())
    }
}
