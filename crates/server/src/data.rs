//! The data commands: `export` and `import` (thin wrappers of `userpool-portable`) and
//! `backup` (SQLite's online backup into a new data directory). Each prints what it did on
//! stdout and fails (exit 1) with a message on stderr.

use std::io::{BufReader, Write as _};
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::{Path, PathBuf};

use userpool::Keyring;
use userpool_portable::{ExportSecrets, KdfCosts, Passphrase};
use userpool_store::Store;
use userpool_store_sql::{Engine, SqlStore, SqlStoreOptions};

use crate::cli::{BackupArgs, ExportArgs, ImportArgs};
use crate::commands::settings;
use crate::config::StoreSettings;
use crate::error::{Error, Result};
use crate::{secrets, store};

/// The environment variable `--portable env` reads the passphrase from.
pub const PASSPHRASE_ENV: &str = "USERPOOL_PORTABLE_PASSPHRASE";

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// The passphrase `--portable` names: a private file, or `env`.
fn passphrase(source: &Path) -> Result<Passphrase> {
    if source == Path::new("env") {
        let text =
            zeroize::Zeroizing::new(std::env::var(PASSPHRASE_ENV).map_err(|_| {
                Error::Secret(format!("--portable env: {PASSPHRASE_ENV} is not set"))
            })?);
        return Ok(Passphrase::new(&text)?);
    }
    Ok(Passphrase::new(&secrets::read_private(source)?)?)
}

/// The file of a `sqlite:` URL (`None` for an in-memory database).
fn sqlite_file(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && !path.starts_with(":memory:")).then(|| PathBuf::from(path))
}

/// The SQL store the settings name, and (SQLite) the database file.
async fn open_sql(settings: &StoreSettings) -> Result<(SqlStore, Engine, Option<PathBuf>)> {
    let (options, engine, _) = store::sql_options(settings)?;
    let sql = options.connect().await?;
    let file = match engine {
        Engine::Sqlite => match &settings.database_url {
            Some(url) => sqlite_file(url.expose()),
            None => Some(settings.data_dir.join("userpool.db")),
        },
        _ => None,
    };
    Ok((sql, engine, file))
}

/// Removes a SQLite file and its journal files.
fn remove_database(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
}

/// `export --out FILE [--portable PASSPHRASE_FILE]`.
pub async fn export(args: &ExportArgs) -> Result<()> {
    let settings = settings(&args.common)?;
    if args.out.exists() {
        return Err(Error::Config(format!(
            "{} exists: export writes a new file",
            args.out.display()
        )));
    }
    let portable = match &args.portable {
        Some(source) => Some((
            passphrase(source)?,
            Keyring::from(secrets::master_key(&settings.master_key_file, false)?),
        )),
        None => None,
    };
    let (sql, _, file) = open_sql(&settings).await?;
    // SQLite: read one snapshot, an online backup beside the database.
    let (source, snapshot) = match file {
        Some(file) => {
            let snapshot = file.with_file_name(format!(
                ".{}.export-{}",
                file.file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or("userpool.db"),
                std::process::id()
            ));
            remove_database(&snapshot);
            let taken = sql.backup_into(&snapshot).await;
            sql.close().await;
            taken?;
            let copy = SqlStoreOptions::new(format!("sqlite:{}", snapshot.display()))
                .max_connections(1)
                .connect()
                .await;
            match copy {
                Ok(copy) => (copy, Some(snapshot)),
                Err(e) => {
                    remove_database(&snapshot);
                    return Err(e.into());
                }
            }
        }
        None => (sql, None),
    };
    let partial = args.out.with_file_name(format!(
        ".{}.partial",
        args.out
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("export")
    ));
    let outcome = write_export(&source, &args.out, &partial, portable.as_ref()).await;
    source.close().await;
    if let Some(snapshot) = &snapshot {
        remove_database(snapshot);
    }
    if outcome.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    outcome
}

async fn write_export(
    source: &SqlStore,
    out: &Path,
    partial: &Path,
    portable: Option<&(Passphrase, Keyring)>,
) -> Result<()> {
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(partial)
        .map_err(Error::io(format!("cannot create {}", partial.display())))?;
    let mut writer = std::io::BufWriter::new(file);
    let secrets = match portable {
        Some((passphrase, source_key)) => ExportSecrets::Portable {
            source: source_key.clone(),
            passphrase,
            costs: KdfCosts::default(),
            seed: rand::random(),
        },
        None => ExportSecrets::AsStored,
    };
    let sealing = if portable.is_some() {
        "portable: sealed under the passphrase"
    } else {
        "sealed under this server's master key"
    };
    let store: &dyn Store = source;
    let summary = userpool_portable::export(store, &mut writer, secrets, now()).await?;
    writer
        .into_inner()
        .map_err(|e| Error::Io {
            what: format!("cannot write {}", partial.display()),
            source: e.into_error(),
        })?
        .sync_all()
        .map_err(Error::io(format!("cannot write {}", partial.display())))?;
    // A hard link fails if `out` appeared meanwhile: never overwrite.
    std::fs::hard_link(partial, out)
        .map_err(Error::io(format!("cannot create {}", out.display())))?;
    let _ = std::fs::remove_file(partial);
    println!(
        "exported {} record(s) ({}) to {}; secrets {sealing}",
        summary.records,
        summary.describe(),
        out.display()
    );
    Ok(())
}

/// `import FILE [--portable PASSPHRASE_FILE]`.
pub async fn import(args: &ImportArgs) -> Result<()> {
    let settings = settings(&args.common)?;
    let file = std::fs::File::open(&args.file)
        .map_err(Error::io(format!("cannot open {}", args.file.display())))?;
    let dump = userpool_portable::read(&mut BufReader::new(file))?;
    dump.check_passphrase_given(args.portable.is_some())?;
    let passphrase = args.portable.as_deref().map(passphrase).transpose()?;
    // A portable dump may start a new server (a new master key is made); one sealed as
    // stored needs the source's key, copied to this server.
    if passphrase.is_some()
        && let Some(dir) = settings.master_key_file.parent()
        && !dir.as_os_str().is_empty()
    {
        secrets::private_dir(dir)?;
    }
    let master_key = secrets::master_key(&settings.master_key_file, passphrase.is_some())
        .map_err(|e| match e {
            Error::Secret(message) if passphrase.is_none() => Error::Secret(format!(
                "{message}; a dump sealed under a master key imports only with that key: copy the source's master key here, or export with --portable"
            )),
            other => other,
        })?;
    let opened = store::open(&settings, false).await?;
    let outcome = userpool_portable::import(
        opened.store.as_ref(),
        dump,
        Keyring::from(master_key),
        passphrase.as_ref(),
        rand::random(),
    )
    .await;
    if let Some(sql) = &opened.sql {
        sql.close().await;
    }
    let summary = outcome?;
    println!(
        "imported {} record(s) ({}) into {}",
        summary.records,
        summary.describe(),
        opened.description
    );
    for note in &summary.notes {
        println!("note: {note}");
    }
    Ok(())
}

/// Copies a private file (mode 0600 kept).
fn copy_private(from: &Path, to: &Path) -> Result<()> {
    let text = secrets::read_private(from)?;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(to)
        .map_err(Error::io(format!("cannot create {}", to.display())))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(Error::io(format!("cannot write {}", to.display())))
}

/// `backup --out DIR [--no-keys]`.
pub async fn backup(args: &BackupArgs) -> Result<()> {
    let settings = settings(&args.common)?;
    let (_, engine, _) = store::sql_options(&settings)?;
    if engine != Engine::Sqlite {
        return Err(Error::Config(
            "backup is for SQLite; back PostgreSQL up with pg_dump (see the README)".into(),
        ));
    }
    let occupied = std::fs::read_dir(&args.out).is_ok_and(|mut entries| entries.next().is_some());
    if occupied || args.out.is_file() {
        return Err(Error::Config(format!(
            "{} exists and is not an empty directory: backup makes a new data directory",
            args.out.display()
        )));
    }
    secrets::private_dir(&args.out)?;
    let (sql, _, _) = open_sql(&settings).await?;
    let database = args.out.join("userpool.db");
    let taken = sql.backup_into(&database).await;
    sql.close().await;
    taken?;
    let mut copied = Vec::new();
    if !args.no_keys {
        let admin = settings.data_dir.join("admin-credentials");
        for (from, name) in [
            (settings.master_key_file.clone(), "master.key"),
            (admin, "admin-credentials"),
        ] {
            if from.exists() {
                copy_private(&from, &args.out.join(name))?;
                copied.push(name);
            }
        }
    }
    let with = copied
        .iter()
        .map(|name| format!(" and {name}"))
        .collect::<String>();
    println!(
        "backup written to {} (userpool.db{with}); restore with: userpool-server --data-dir {}",
        args.out.display(),
        args.out.display()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_name_their_file() {
        assert_eq!(
            sqlite_file("sqlite:/d/u.db"),
            Some(PathBuf::from("/d/u.db"))
        );
        assert_eq!(
            sqlite_file("sqlite:///d/u.db?mode=rwc"),
            Some(PathBuf::from("/d/u.db"))
        );
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("postgres://h/db"), None);
    }
}
