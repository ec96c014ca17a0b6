//! The server's secret files (the master key, the generated admin credentials): created mode
//! 0600, and refused, with a message that quotes none of their contents, when group or others
//! may read or write them.

use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;

use crate::process::{self, Server};

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn secret_files_are_created_private_and_refused_when_they_are_not() {
    let dir = process::data_dir("secret-files");
    let data = dir.to_str().unwrap();
    let master = dir.join("master.key");
    let admin = dir.join("admin-credentials");

    // First start: both files are generated, mode 0600.
    let server = Server::start_exactly(&["--data-dir", data]);
    drop(server);
    assert_eq!(mode(&master), 0o600);
    assert_eq!(mode(&admin), 0o600);
    let key = std::fs::read_to_string(&master).unwrap();
    let key = key.trim();
    let admin_secret = std::fs::read_to_string(&admin).unwrap();
    let admin_secret = admin_secret.trim().split_once(':').unwrap().1.to_owned();

    for (file, bad) in [
        (&master, 0o644),
        (&master, 0o620),
        (&master, 0o604),
        (&admin, 0o640),
        (&admin, 0o602),
    ] {
        chmod(file, bad);
        let (code, stderr) = process::Launch::new(&["--data-dir", data]).refused();
        assert_eq!(code, Some(1), "{stderr}");
        let expected = format!(
            "{} is readable or writable by group or others (mode {bad:04o})",
            file.display()
        );
        assert!(stderr.contains(&expected), "{stderr}");
        assert!(stderr.contains("chmod 600"), "{stderr}");
        assert!(!stderr.contains(key), "no key material");
        assert!(!stderr.contains(&admin_secret), "no admin secret");
        chmod(file, 0o600);
    }

    // `--master-key-file` is held to the same rule (and the admin file is not read when the
    // credentials are given on the command line).
    let shared = dir.join("shared.key");
    std::fs::write(&shared, format!("{key}\n")).unwrap();
    chmod(&shared, 0o644);
    chmod(&admin, 0o666);
    let (code, stderr) = process::Launch::new(&[
        "--data-dir",
        data,
        "--master-key-file",
        shared.to_str().unwrap(),
        "--admin-credentials",
        "AKIDX:secret-x",
    ])
    .refused();
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("{} is readable", shared.display())),
        "{stderr}"
    );
    assert!(!stderr.contains(key), "no key material");
    chmod(&shared, 0o400);
    let server = Server::start_exactly(&[
        "--data-dir",
        data,
        "--master-key-file",
        shared.to_str().unwrap(),
        "--admin-credentials",
        "AKIDX:secret-x",
    ]);
    drop(server);
}
