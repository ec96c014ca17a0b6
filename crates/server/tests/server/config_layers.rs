//! Settings come from the TOML file, then `USERPOOL_*` variables, then flags; the listen
//! address is where the server listens.

use crate::process::{self, Launch};

/// The region the banner names.
fn region(banner: &[String]) -> String {
    banner
        .iter()
        .find_map(|l| l.split("(region ").nth(1))
        .and_then(|r| r.split(',').next())
        .expect("region in the banner")
        .to_owned()
}

#[test]
fn the_file_is_overridden_by_the_environment_which_is_overridden_by_flags() {
    let dir = process::data_dir("layers");
    let file = dir.join("userpool.toml");
    std::fs::write(
        &file,
        format!(
            "bind = \"127.0.0.1:0\"\nregion = \"eu-west-1\"\nin_memory = true\ndata_dir = \"{}\"\n",
            dir.display()
        ),
    )
    .unwrap();
    let config = file.to_str().unwrap();
    let admin = format!("{}:{}", process::ADMIN_KEY, process::ADMIN_SECRET);

    let file_only = Launch::new(&["--config", config])
        .env("USERPOOL_ADMIN_CREDENTIALS", &admin)
        .own_bind()
        .start();
    assert_eq!(region(&file_only.banner), "eu-west-1");
    assert!(
        file_only.banner[0].contains("storage: in memory"),
        "{:?}",
        file_only.banner
    );
    drop(file_only);

    let env = Launch::new(&[])
        .env("USERPOOL_CONFIG", config)
        .env("USERPOOL_REGION", "eu-central-1")
        .env("USERPOOL_ADMIN_CREDENTIALS", &admin)
        .own_bind()
        .start();
    assert_eq!(region(&env.banner), "eu-central-1");
    drop(env);

    let flag = Launch::new(&["--config", config, "--region", "ap-northeast-1"])
        .env("USERPOOL_REGION", "eu-central-1")
        .env("USERPOOL_ADMIN_CREDENTIALS", &admin)
        .own_bind()
        .start();
    assert_eq!(region(&flag.banner), "ap-northeast-1");
    // No secret is needed on the command line: the admin key came from the environment and
    // is shown by its id only.
    let admin_line = flag.stdout_line("admin credentials");
    assert!(admin_line.contains(process::ADMIN_KEY), "{admin_line}");
    assert!(!admin_line.contains(process::ADMIN_SECRET));
}

#[test]
fn a_bad_file_is_refused_with_the_key_named() {
    let dir = process::data_dir("bad-config");
    let file = dir.join("userpool.toml");
    std::fs::write(&file, "bind = \"127.0.0.1:0\"\nregoin = \"eu-west-1\"\n").unwrap();
    let (code, stderr) = Launch::new(&["--config", file.to_str().unwrap()]).refused();
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("unknown field `regoin`"), "{stderr}");
    let (code, stderr) = Launch::new(&["--metrics", "sometimes"]).refused();
    assert_eq!(code, Some(2), "usage error: {stderr}");
}

#[tokio::test]
async fn the_server_listens_where_it_is_told() {
    let dir = process::data_dir("bind");
    let port = process::free_port();
    // 127.0.0.2 is loopback too, and not 127.0.0.1.
    let server = Launch::admin(&["--in-memory", "--data-dir", dir.to_str().unwrap()])
        .env("USERPOOL_BIND", &format!("127.0.0.2:{port}"))
        .own_bind()
        .start();
    assert_eq!(server.endpoint, format!("http://127.0.0.2:{port}"));
    let http = reqwest::Client::new();
    let live = format!("http://127.0.0.2:{port}/health/live");
    assert_eq!(process::poll_status(&http, &live, 200).await, 200);
    let elsewhere = http
        .get(format!("http://127.0.0.1:{port}/health/live"))
        .send()
        .await;
    assert!(elsewhere.is_err(), "nothing listens on 127.0.0.1:{port}");

    // --port replaces the port of the configured address (the example's flag).
    let other = process::free_port();
    let server = Launch::admin(&[
        "--in-memory",
        "--bind",
        "127.0.0.2:1",
        "--port",
        &other.to_string(),
    ])
    .own_bind()
    .start();
    assert_eq!(server.endpoint, format!("http://127.0.0.2:{other}"));
}
