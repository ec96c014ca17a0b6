//! Secret files: the master key, the admin credentials, the database password. Generated
//! ones are created mode 0600 in a 0700 directory; every one is refused, with a message that
//! quotes none of it, when group or others may read or write it.

use std::io::{Read as _, Write as _};
use std::os::unix::fs::{DirBuilderExt as _, OpenOptionsExt as _, PermissionsExt as _};
use std::path::Path;

use rand::RngExt as _;
use userpool::MasterKey;
use userpool_http::AdminCredentials;
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// The environment variable that may hold the master key (64 hex digits) instead of a file.
pub const MASTER_KEY_ENV: &str = "USERPOOL_MASTER_KEY";

/// A secret setting (a database URL that may hold a password, `KEY:SECRET`): its `Debug` is
/// redacted and its memory zeroed on drop; it is read from flags, the environment or the file
/// and never serialized.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    /// The secret text.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        Ok(Self(Zeroizing::new(s.to_owned())))
    }
}

impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        String::deserialize(d).map(|s| Self(Zeroizing::new(s)))
    }
}

/// Creates `dir` (mode 0700) if it is missing.
pub fn private_dir(dir: &Path) -> Result<()> {
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(Error::io(format!("cannot create {}", dir.display())))
}

/// Writes `contents` to a new file only its owner can read; `false` if it already exists.
/// The file appears complete or not at all (written aside, then hard-linked into place), so
/// servers starting together on one shared volume all read the same key.
fn create_private(path: &Path, contents: &str) -> Result<bool> {
    if path.exists() {
        return Ok(false);
    }
    let aside = path.with_file_name(format!(
        ".{}.{}-{:016x}",
        path.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("secret"),
        std::process::id(),
        rand::random::<u64>()
    ));
    let written = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&aside)?;
        file.write_all(contents.as_bytes())?;
        file.sync_all()
    })()
    .map_err(Error::io(format!("cannot write {}", aside.display())));
    let linked = written.and_then(|()| match std::fs::hard_link(&aside, path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(Error::io(format!("cannot create {}", path.display()))(e)),
    });
    let _ = std::fs::remove_file(&aside);
    linked
}

/// The contents of a secret file, refused unless only its owner may read or write it (mode
/// `& 0o077` must be 0, checked on the opened file).
pub fn read_private(path: &Path) -> Result<Zeroizing<String>> {
    let mut file = std::fs::File::open(path)
        .map_err(|e| Error::Secret(format!("cannot open {}: {e}", path.display())))?;
    let mode = file
        .metadata()
        .map_err(Error::io(format!("cannot stat {}", path.display())))?
        .permissions()
        .mode()
        & 0o777;
    if mode & 0o077 != 0 {
        return Err(Error::Secret(format!(
            "{} is readable or writable by group or others (mode {mode:04o}); it holds a secret: \
             make it private with `chmod 600 {}`",
            path.display(),
            path.display()
        )));
    }
    let mut text = Zeroizing::new(String::new());
    file.read_to_string(&mut text)
        .map_err(Error::io(format!("cannot read {}", path.display())))?;
    Ok(text)
}

/// The admin key pair in `path` (`KEY:SECRET`), generated there on first start when
/// `generate` (the data directory's default file).
pub fn admin_credentials_file(path: &Path, generate: bool) -> Result<AdminCredentials> {
    if generate {
        let mut rng = rand::rng();
        let secret: Zeroizing<String> = Zeroizing::new(
            (0..40)
                .map(|_| {
                    let i = rng.random_range(0..36u8);
                    char::from(if i < 26 { b'a' + i } else { b'0' + i - 26 })
                })
                .collect(),
        );
        create_private(
            path,
            &Zeroizing::new(format!("AKIDLOCALUSERPOOL:{}\n", secret.as_str())),
        )?;
    }
    let text = read_private(path)?;
    AdminCredentials::parse(text.trim())
        .ok_or_else(|| Error::Secret(format!("{} does not hold KEY:SECRET", path.display())))
}

/// Admin credentials given as `KEY:SECRET` (an environment variable or the flag).
pub fn admin_credentials(pair: &str) -> Result<AdminCredentials> {
    AdminCredentials::parse(pair.trim())
        .ok_or_else(|| Error::Secret("the admin credentials must be KEY:SECRET".into()))
}

/// The master key: `USERPOOL_MASTER_KEY` if set, else the file at `path` (64 hex digits),
/// generated there on first start when `generate`.
pub fn master_key(path: &Path, generate: bool) -> Result<MasterKey> {
    if let Ok(hex) = std::env::var(MASTER_KEY_ENV) {
        let hex = Zeroizing::new(hex);
        return parse_master_key(&hex, MASTER_KEY_ENV);
    }
    if generate {
        let fresh = Zeroizing::new(rand::random::<[u8; 32]>());
        let hex: Zeroizing<String> =
            Zeroizing::new(fresh.iter().map(|b| format!("{b:02x}")).collect());
        if create_private(path, &Zeroizing::new(format!("{}\n", hex.as_str())))? {
            tracing::info!(path = %path.display(), "generated a new master key");
        }
    }
    let text = read_private(path)?;
    parse_master_key(&text, &path.display().to_string())
}

fn parse_master_key(text: &str, source: &str) -> Result<MasterKey> {
    let text = text.trim();
    let malformed = || Error::Secret(format!("{source} does not hold 64 hex digits"));
    if text.len() != 64 || !text.is_ascii() {
        return Err(malformed());
    }
    let mut key = Zeroizing::new([0u8; 32]);
    for (byte, pair) in key.iter_mut().zip(text.as_bytes().chunks_exact(2)) {
        let pair = std::str::from_utf8(pair).map_err(|_| malformed())?;
        *byte = u8::from_str_radix(pair, 16).map_err(|_| malformed())?;
    }
    Ok(MasterKey::new(*key))
}

/// `url` with the password from the private file `path` put into it (percent-encoded).
pub fn with_password(url: &str, path: &Path) -> Result<Zeroizing<String>> {
    let password = read_private(path)?;
    let password = password.trim_end_matches(['\n', '\r']);
    let mut parsed = url::Url::parse(url)
        .map_err(|_| Error::Config("the database URL does not parse".into()))?;
    parsed
        .set_password(Some(password))
        .map_err(|()| Error::Config("the database URL cannot carry a password".into()))?;
    Ok(Zeroizing::new(parsed.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn master_keys_are_64_hex_digits() {
        assert!(parse_master_key(&"ab".repeat(32), "t").is_ok());
        for bad in [
            "",
            "zz".repeat(32).as_str(),
            "ab".repeat(31).as_str(),
            "é".repeat(32).as_str(),
        ] {
            let e = parse_master_key(bad, "t").err().map(|e| e.to_string());
            assert_eq!(e.as_deref(), Some("t does not hold 64 hex digits"));
        }
    }

    #[test]
    fn concurrent_first_starts_agree_on_one_complete_file() {
        let dir = std::env::temp_dir().join(format!("userpool-race-{}", std::process::id()));
        private_dir(&dir).expect("dir");
        let file = dir.join("master.key");
        let _ = std::fs::remove_file(&file);
        let winners: Vec<(bool, String)> = std::thread::scope(|s| {
            #[allow(
                clippy::needless_collect,
                reason = "every thread starts before any is joined"
            )]
            let handles: Vec<_> = (0..8)
                .map(|i| {
                    let file = &file;
                    s.spawn(move || {
                        let mine = format!("{i}").repeat(64);
                        let created = create_private(file, &mine).expect("create");
                        (created, mine)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("join"))
                .collect()
        });
        let created: Vec<_> = winners.iter().filter(|(c, _)| *c).collect();
        assert_eq!(created.len(), 1, "exactly one writer wins");
        let on_disk = read_private(&file).expect("private");
        assert_eq!(on_disk.as_str(), created[0].1);
        let leftovers = std::fs::read_dir(&dir).expect("dir").count();
        assert_eq!(leftovers, 1, "no temporary file is left");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_password_file_goes_into_the_url_encoded() {
        let dir = std::env::temp_dir().join(format!("userpool-pw-{}", std::process::id()));
        private_dir(&dir).expect("dir");
        let file = dir.join("pw");
        let _ = std::fs::remove_file(&file);
        assert!(create_private(&file, "p@ss:w/rd\n").expect("created"));
        let url = with_password("postgres://app@db:5432/up", &file).expect("url");
        assert_eq!(url.as_str(), "postgres://app:p%40ss%3Aw%2Frd@db:5432/up");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
