//! A real STS: `moto_server` (PyPI `moto[server]`, pinned in `tests/moto/requirements.txt`,
//! installed into a virtualenv under the target directory the first time) on loopback as the
//! identity service's STS and as S3. Credentials from GetCredentialsForIdentity (through the
//! Rust SDK) list moto's S3 buckets, and moto's `GetCallerIdentity` with them names the role
//! the identity pool resolved: user-pool groups' `cognito:preferred_role` / `cognito:roles`
//! (Token mapping, `CustomRoleArn`), a Rules mapping, the default and guest roles. Without
//! Python or PyPI the test prints `SKIPPED: …` and passes.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use aws_sdk_cognitoidentity::types::{
    AmbiguousRoleResolutionType, MappingRule, MappingRuleMatchType, RoleMapping, RoleMappingType,
    RulesConfigurationType,
};

use crate::identity::{ACCOUNT_ROLE, IdentityServer, KEY, SECRET, serve_identity, sign};

/// A virtualenv with moto's server; `None` (having said why) when it cannot be made.
fn moto_venv() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("moto-venv");
    let server = dir.join("bin/moto_server");
    if dir.join("ready").exists() {
        return Some(server);
    }
    let skip = |why: &str| {
        eprintln!(
            "SKIPPED: moto_server could not be installed ({why}), so the STS round trip did not run"
        );
        None
    };
    match Command::new("python3")
        .args(["-m", "venv"])
        .arg(&dir)
        .status()
    {
        Ok(s) if s.success() => {}
        _ => return skip("python3 -m venv failed"),
    }
    let requirements =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/moto/requirements.txt");
    let installed = Command::new(dir.join("bin/python"))
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
        ])
        .arg(requirements)
        .status();
    match installed {
        Ok(s) if s.success() => {}
        _ => return skip("pip install moto[server] failed"),
    }
    std::fs::write(dir.join("ready"), b"").ok()?;
    Some(server)
}

/// moto_server on a free loopback port, stopped when dropped.
struct Moto {
    child: Child,
    url: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn start_moto() -> Option<Moto> {
    let server = tokio::task::spawn_blocking(moto_venv).await.ok()??;
    let port = TcpListener::bind("127.0.0.1:0")
        .ok()?
        .local_addr()
        .ok()?
        .port();
    let child = Command::new(server)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let moto = Moto {
        child,
        url: format!("http://127.0.0.1:{port}"),
    };
    let http = reqwest::Client::new();
    for _ in 0..150 {
        if http
            .get(format!("{}/moto-api/", moto.url))
            .send()
            .await
            .is_ok()
        {
            return Some(moto);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    eprintln!("SKIPPED: moto_server did not start");
    None
}

/// A SigV4-signed request to moto (`service` `s3` or `sts`) with `credentials`.
async fn signed(
    http: &reqwest::Client,
    method: &str,
    url: &str,
    body: &str,
    service: &str,
    credentials: (&str, &str, Option<&str>),
) -> (u16, String) {
    let host = url
        .strip_prefix("http://")
        .and_then(|r| r.split('/').next())
        .expect("host")
        .to_owned();
    let mut headers = vec![("host", host.as_str())];
    if !body.is_empty() {
        headers.push(("content-type", "application/x-www-form-urlencoded"));
    }
    let signature = sign(method, url, &headers, body.as_bytes(), service, credentials);
    let mut request = http
        .request(method.parse().expect("method"), url)
        .body(body.to_owned());
    for (k, v) in headers.iter().filter(|(k, _)| *k != "host") {
        request = request.header(*k, *v);
    }
    for (k, v) in signature {
        request = request.header(k, v);
    }
    let answer = request.send().await.expect("moto answers");
    (answer.status().as_u16(), answer.text().await.expect("body"))
}

/// The ARN moto's STS says the credentials belong to.
async fn caller(
    s: &IdentityServer,
    moto: &Moto,
    c: &aws_sdk_cognitoidentity::types::Credentials,
) -> String {
    let (status, body) = signed(
        &s.http,
        "POST",
        &format!("{}/", moto.url),
        "Action=GetCallerIdentity&Version=2011-06-15",
        "sts",
        (
            c.access_key_id().expect("id"),
            c.secret_key().expect("secret"),
            c.session_token(),
        ),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let start = body.find("<Arn>").expect("an Arn") + 5;
    let end = body[start..].find("</Arn>").expect("its end") + start;
    body[start..end].to_owned()
}

/// GetCredentialsForIdentity through the SDK.
async fn credentials(
    s: &IdentityServer,
    pool: &str,
    logins: &[(&str, &str)],
    custom_role: Option<&str>,
) -> aws_sdk_cognitoidentity::types::Credentials {
    let mut get_id = s.ids.get_id().identity_pool_id(pool);
    let mut get = s
        .ids
        .get_credentials_for_identity()
        .set_custom_role_arn(custom_role.map(str::to_owned));
    for (k, v) in logins {
        get_id = get_id.logins(*k, *v);
        get = get.logins(*k, *v);
    }
    let id = get_id.send().await.expect("GetId").identity_id.expect("id");
    get.identity_id(id)
        .send()
        .await
        .expect("GetCredentialsForIdentity")
        .credentials
        .expect("credentials")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_from_moto_sts_list_moto_s3_buckets() {
    let Some(moto) = start_moto().await else {
        return;
    };
    let s = serve_identity(Some(&moto.url)).await;
    let (status, body) = signed(
        &s.http,
        "PUT",
        &format!("{}/cognito-bucket", moto.url),
        "",
        "s3",
        (KEY, SECRET, None),
    )
    .await;
    assert_eq!(status, 200, "{body}");

    let (pool, client, provider) = s.user_pool().await;
    for (group, role, precedence) in [("admins", "Admins", 1), ("readers", "Readers", 2)] {
        s.idp
            .create_group()
            .user_pool_id(&pool)
            .group_name(group)
            .role_arn(format!("{ACCOUNT_ROLE}/{role}"))
            .precedence(precedence)
            .send()
            .await
            .expect("CreateGroup");
    }
    let bob = s.id_token(&pool, &client, "bob").await;
    let carol = s.id_token(&pool, &client, "carol").await;
    let _ = s.id_token(&pool, &client, "alice").await;
    for group in ["admins", "readers"] {
        s.idp
            .admin_add_user_to_group()
            .user_pool_id(&pool)
            .username("alice")
            .group_name(group)
            .send()
            .await
            .expect("AdminAddUserToGroup");
    }
    let alice = s.id_token(&pool, &client, "alice").await;

    let ipool = s.identity_pool(&provider, &client, false).await;
    let token_mapping = RoleMapping::builder()
        .r#type(RoleMappingType::Token)
        .ambiguous_role_resolution(AmbiguousRoleResolutionType::AuthenticatedRole)
        .build()
        .expect("mapping");
    s.ids
        .set_identity_pool_roles()
        .identity_pool_id(&ipool)
        .roles("authenticated", format!("{ACCOUNT_ROLE}/Auth"))
        .roles("unauthenticated", format!("{ACCOUNT_ROLE}/Guest"))
        .role_mappings(format!("{provider}:{client}"), token_mapping)
        .send()
        .await
        .expect("SetIdentityPoolRoles");

    // The preferred role (lowest precedence) of alice's groups; the credentials work on S3.
    let c = credentials(&s, &ipool, &[(&provider, &alice)], None).await;
    let (status, listing) = signed(
        &s.http,
        "GET",
        &format!("{}/", moto.url),
        "",
        "s3",
        (
            c.access_key_id().expect("id"),
            c.secret_key().expect("secret"),
            c.session_token(),
        ),
    )
    .await;
    assert_eq!(status, 200, "{listing}");
    assert!(listing.contains("<Name>cognito-bucket</Name>"), "{listing}");
    assert_eq!(
        caller(&s, &moto, &c).await,
        "arn:aws:sts::123456789012:assumed-role/Admins/CognitoIdentityCredentials"
    );
    let c = credentials(
        &s,
        &ipool,
        &[(&provider, &alice)],
        Some(&format!("{ACCOUNT_ROLE}/Readers")),
    )
    .await;
    assert!(
        caller(&s, &moto, &c)
            .await
            .contains("assumed-role/Readers/")
    );
    let c = credentials(&s, &ipool, &[(&provider, &bob)], None).await;
    assert!(
        caller(&s, &moto, &c).await.contains("assumed-role/Auth/"),
        "no groups: the default role"
    );
    let c = credentials(&s, &ipool, &[], None).await;
    assert!(
        caller(&s, &moto, &c).await.contains("assumed-role/Guest/"),
        "a guest"
    );

    // Rules: the first matching rule decides.
    let rules = RoleMapping::builder()
        .r#type(RoleMappingType::Rules)
        .ambiguous_role_resolution(AmbiguousRoleResolutionType::Deny)
        .rules_configuration(
            RulesConfigurationType::builder()
                .rules(
                    MappingRule::builder()
                        .claim("email")
                        .match_type(MappingRuleMatchType::StartsWith)
                        .value("carol@")
                        .role_arn(format!("{ACCOUNT_ROLE}/Carols"))
                        .build()
                        .expect("rule"),
                )
                .rules(
                    MappingRule::builder()
                        .claim("cognito:groups")
                        .match_type(MappingRuleMatchType::Equals)
                        .value("readers")
                        .role_arn(format!("{ACCOUNT_ROLE}/Readers"))
                        .build()
                        .expect("rule"),
                )
                .build()
                .expect("rules"),
        )
        .build()
        .expect("mapping");
    s.ids
        .set_identity_pool_roles()
        .identity_pool_id(&ipool)
        .roles("authenticated", format!("{ACCOUNT_ROLE}/Auth"))
        .role_mappings(provider.clone(), rules)
        .send()
        .await
        .expect("SetIdentityPoolRoles");
    let c = credentials(&s, &ipool, &[(&provider, &carol)], None).await;
    assert!(caller(&s, &moto, &c).await.contains("assumed-role/Carols/"));
    let c = credentials(&s, &ipool, &[(&provider, &alice)], None).await;
    assert!(
        caller(&s, &moto, &c)
            .await
            .contains("assumed-role/Readers/")
    );
    let denied = s
        .ids
        .get_credentials_for_identity()
        .identity_id(
            s.ids
                .get_id()
                .identity_pool_id(&ipool)
                .logins(&provider, &bob)
                .send()
                .await
                .expect("GetId")
                .identity_id
                .expect("id"),
        )
        .logins(&provider, &bob)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(denied.is_not_authorized_exception(), "{denied:?}");

    // Forged tokens never reach STS.
    let forged = format!("{}x", alice.trim_end_matches(|c: char| c != '.'));
    let refused = s
        .ids
        .get_id()
        .identity_pool_id(&ipool)
        .logins(&provider, &forged)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(refused.is_not_authorized_exception());
}
