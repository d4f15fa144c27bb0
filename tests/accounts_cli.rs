//! `vigia users` and `vigia tokens`, and the first-start admin token, through the real binary.

mod common;

use common::process::{Served, vigia};
use std::io::Write;
use std::process::{Output, Stdio};

fn run(config: &std::path::Path, args: &[&str], stdin: &str) -> Output {
    let mut child = vigia(config)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test]
async fn first_start_writes_the_admin_token_and_the_cli_manages_users_and_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let config = common::write_config(dir.path(), &common::demo_mentions(), "");
    let token_file = dir.path().join("var/admin-token");

    let out = run(&config, &["migrate"], "");
    let (_, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("admin-token"),
        "says where the token is: {stderr}"
    );
    let admin_token = std::fs::read_to_string(&token_file).unwrap();
    assert!(admin_token.trim().starts_with("vga_"));
    let password = std::fs::read_to_string(dir.path().join("var/admin-password")).unwrap();
    assert_eq!(password.trim().len(), 20, "a random first-start password");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("var/admin-password"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // A second start neither rewrites the file nor creates another admin.
    assert!(run(&config, &["migrate"], "").status.success());
    assert_eq!(std::fs::read_to_string(&token_file).unwrap(), admin_token);

    let bad_role = run(&config, &["users", "add", "ana", "--role", "root"], "");
    assert!(!bad_role.status.success());
    assert!(text(&bad_role).1.contains("--role: 'root' is not one of"));
    let short = run(
        &config,
        &["users", "add", "ana", "--role", "agent", "--password-stdin"],
        "short\n",
    );
    assert!(!short.status.success());
    assert!(text(&short).1.contains("at least 10 characters"));

    let add = run(
        &config,
        &[
            "users",
            "add",
            "ana",
            "--role",
            "agent",
            "--brands",
            "rapiplato",
            "--password-stdin",
        ],
        "una clave bastante larga\n",
    );
    assert!(add.status.success(), "{:?}", text(&add));
    let again = run(&config, &["users", "add", "ana", "--role", "agent"], "");
    assert!(text(&again).1.contains("user 'ana' already exists"));
    let list = text(&run(&config, &["users", "list"], "")).0;
    assert!(list.contains("admin\tadmin\t*"), "{list}");
    assert!(list.contains("ana\tagent\trapiplato\tes\tactive"), "{list}");

    let created = run(&config, &["tokens", "create", "--user", "ana"], "");
    let (stdout, stderr) = text(&created);
    assert!(created.status.success(), "{stderr}");
    let token = stdout.trim().to_owned();
    assert!(token.starts_with("vga_") && token.len() == 47, "{token}");
    let listed = text(&run(&config, &["tokens", "list"], "")).0;
    assert!(listed.contains(&token[..10]));
    assert!(!listed.contains(&token), "listings never show a token");
    let nobody = run(&config, &["tokens", "create", "--user", "nobody"], "");
    assert!(text(&nobody).1.contains("no user named 'nobody'"));

    // The token works against the served API.
    let served = Served::start(&config);
    let lines = served.wait_for("is listening");
    let addr = lines
        .iter()
        .find_map(|l| l.split("addr=").nth(1))
        .map(|a| a.split_whitespace().next().unwrap().to_owned())
        .expect("listening address in the log");
    let client = reqwest::Client::new();
    let status = async |token: &str| {
        client
            .get(format!("http://{addr}/api/tickets"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    };
    assert_eq!(status(&token).await, 200);
    assert_eq!(status(admin_token.trim()).await, 200);
    // The first-start password opens the dashboard.
    let login = |password: String| {
        client
            .post(format!("http://{addr}/dashboard/login"))
            .json(&serde_json::json!({"username": "admin", "password": password}))
            .send()
    };
    assert_eq!(
        login(password.trim().to_owned()).await.unwrap().status(),
        200
    );
    assert_eq!(
        login("not the password".into()).await.unwrap().status(),
        401
    );
    let revoke = run(&config, &["tokens", "revoke", "2"], "");
    assert!(revoke.status.success(), "{:?}", text(&revoke));
    assert_eq!(status(&token).await, 401);
    served.signal("-TERM");
    assert!(served.wait().success());
}
