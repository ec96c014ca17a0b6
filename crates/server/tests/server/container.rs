//! What can be tested of the container here (Docker cannot run): the image's environment,
//! command and health check, and the compose file's server settings, given to the binary.

use std::path::Path;

use crate::process::{self, Launch};

fn repo_file(name: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    std::fs::read_to_string(root.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// `USERPOOL_*=value` pairs from the Dockerfile's ENV instruction.
fn dockerfile_env(dockerfile: &str) -> Vec<(String, String)> {
    dockerfile
        .lines()
        .flat_map(|l| l.split_whitespace())
        .filter_map(|word| word.split_once('='))
        .filter(|(k, _)| k.starts_with("USERPOOL_"))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

#[tokio::test]
async fn the_images_settings_start_a_server_that_reports_ready() {
    let dockerfile = repo_file("Dockerfile");
    let env = dockerfile_env(&dockerfile);
    let names: Vec<&str> = env.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        names,
        ["USERPOOL_BIND", "USERPOOL_DATA_DIR", "USERPOOL_LOG_FORMAT"]
    );
    assert!(env.contains(&("USERPOOL_BIND".into(), "0.0.0.0:9229".into())));
    assert!(dockerfile.contains("CMD curl -fsS http://127.0.0.1:9229/health/ready"));
    assert!(dockerfile.contains("ENTRYPOINT [\"userpool-server\"]"));
    assert!(dockerfile.contains("CMD [\"serve\"]"));
    assert!(dockerfile.contains("USER 10001"), "not root");

    // The compose file's trusted proxies, in the environment's comma-separated form.
    let compose = repo_file("compose.yaml");
    let proxies = compose
        .lines()
        .find_map(|l| l.trim().strip_prefix("USERPOOL_TRUSTED_PROXIES: "))
        .expect("compose sets trusted proxies");

    // The image's settings, with this test's data directory and any free port on 0.0.0.0.
    let dir = process::data_dir("container");
    let mut launch = Launch::new(&["serve"]).own_bind();
    for (k, v) in &env {
        let v = match k.as_str() {
            "USERPOOL_BIND" => "0.0.0.0:0".to_owned(),
            "USERPOOL_DATA_DIR" => dir.to_str().unwrap().to_owned(),
            _ => v.clone(),
        };
        launch = launch.env(k, &v);
    }
    let server = launch.env("USERPOOL_TRUSTED_PROXIES", proxies).start();
    assert!(
        server.banner.concat().contains("bound to 0.0.0.0:0"),
        "{:?}",
        server.banner
    );
    assert!(
        server.endpoint.starts_with("http://127.0.0.1:"),
        "{}",
        server.endpoint
    );
    let ready = format!("{}/health/ready", server.endpoint);
    assert_eq!(process::poll_status(&server.http, &ready, 200).await, 200);
    // The generated admin credentials landed in the data directory, private.
    assert!(dir.join("admin-credentials").exists());
    assert!(dir.join("master.key").exists());
}
