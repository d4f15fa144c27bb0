//! `vigia users ...` and `vigia tokens ...`: accounts and API tokens from the command line.

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use std::io::BufRead;

use vigia::app::App;
use vigia::clock::Clock;
use vigia::http::auth::Role;
use vigia::http::auth::accounts::{self, UserSpec};
use vigia::http::auth::secrets::hash_password;
use vigia::storage::AuthStore;

#[derive(Subcommand)]
pub enum UsersCommand {
    /// Create an account.
    Add {
        username: String,
        /// admin, crisis, community, agent or viewer.
        #[arg(long)]
        role: String,
        /// Brands the user may see, comma-separated (default: all).
        #[arg(long, value_delimiter = ',')]
        brands: Option<Vec<String>>,
        /// Interface language: es or en.
        #[arg(long, default_value = "es")]
        lang: String,
        /// Read a dashboard password (one line) from stdin; without it the account can use
        /// API tokens only until `vigia users passwd`.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a user's dashboard password (one line read from stdin); also unlocks the account.
    Passwd { username: String },
    /// List accounts.
    List,
    /// Disable an account: its sessions end at once (open live streams too), its API tokens
    /// stop working and it cannot sign in until enabled again.
    Disable { username: String },
    /// Enable a disabled account again (its old sessions stay ended).
    Enable { username: String },
}

#[derive(Subcommand)]
pub enum TokensCommand {
    /// Create an API token for a user and print it (it is shown only this once).
    Create {
        #[arg(long)]
        user: String,
        /// A label to tell tokens apart.
        #[arg(long, default_value = "cli")]
        name: String,
    },
    /// List tokens (never the tokens themselves: their first characters).
    List,
    /// Revoke a token by id.
    Revoke { id: i64 },
}

pub async fn users(app: &App, command: UsersCommand, clock: &dyn Clock) -> Result<()> {
    let store = app.store();
    match command {
        UsersCommand::Add {
            username,
            role,
            brands,
            lang,
            password_stdin,
        } => {
            let Some(role) = Role::parse(&role) else {
                bail!("--role: '{role}' is not one of admin, crisis, community, agent, viewer");
            };
            if !matches!(lang.as_str(), "es" | "en") {
                bail!("--lang: '{lang}' is not one of es, en");
            }
            check_brands(app, brands.as_deref())?;
            let password = password_stdin.then(read_password).transpose()?;
            let spec = UserSpec {
                username: &username,
                role,
                brands,
                lang: &lang,
                password: password.as_deref(),
            };
            let id = accounts::add_user(store, &spec, clock.now()).await?;
            println!("user '{username}' created (id {id}, role {role})");
        }
        UsersCommand::Passwd { username } => {
            let user = find_user(store, &username).await?;
            let hash = hash_password(&read_password()?)?;
            store.set_password(user, &hash).await?;
            println!("password of '{username}' set");
        }
        UsersCommand::Disable { username } => {
            let user = find_user(store, &username).await?;
            store.set_user_disabled(user, Some(clock.now())).await?;
            println!("user '{username}' disabled");
        }
        UsersCommand::Enable { username } => {
            let user = find_user(store, &username).await?;
            store.set_user_disabled(user, None).await?;
            println!("user '{username}' enabled");
        }
        UsersCommand::List => {
            for u in store.list_users().await? {
                let brands = u.brands.map_or_else(|| "*".to_owned(), |b| b.join(","));
                let state = if u.disabled { "disabled" } else { "active" };
                println!(
                    "{}\t{}\t{}\t{brands}\t{}\t{state}",
                    u.id, u.username, u.role, u.lang
                );
            }
        }
    }
    Ok(())
}

pub async fn tokens(app: &App, command: TokensCommand, clock: &dyn Clock) -> Result<()> {
    let store = app.store();
    match command {
        TokensCommand::Create { user, name } => {
            let token = accounts::create_token(store, &user, &name, clock.now()).await?;
            eprintln!("token for '{user}' (shown only now; send it as Authorization: Bearer):");
            println!("{token}");
        }
        TokensCommand::List => {
            for t in store.list_tokens(None).await? {
                let used = t
                    .last_used_at
                    .map_or("never".to_owned(), |d| d.to_rfc3339());
                let state = if t.revoked { "revoked" } else { "active" };
                println!(
                    "{}\tuser {}\t{}…\t{}\tlast used {used}\t{state}",
                    t.id, t.user_id, t.prefix, t.name
                );
            }
        }
        TokensCommand::Revoke { id } => {
            if !store.revoke_token(id, clock.now()).await? {
                bail!("no active token with id {id}");
            }
            println!("token {id} revoked");
        }
    }
    Ok(())
}

/// The id of the account named `username`.
async fn find_user(store: &impl AuthStore, username: &str) -> Result<i64> {
    let user = store
        .user_by_name(username)
        .await?
        .with_context(|| format!("no user named '{username}'"))?;
    Ok(user.user.id)
}

/// Every `--brands` name must be a configured brand: a typo would silently leave the user
/// seeing nothing.
fn check_brands(app: &App, brands: Option<&[String]>) -> Result<()> {
    let known: Vec<&str> = app.config.brands.iter().map(|b| b.name.as_str()).collect();
    for brand in brands.unwrap_or_default() {
        if !known.contains(&brand.as_str()) {
            bail!(
                "--brands: '{brand}' is not a configured brand (known: {})",
                known.join(", ")
            );
        }
    }
    Ok(())
}

fn read_password() -> Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the password from stdin")?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.is_empty() {
        bail!("no password on stdin");
    }
    Ok(password)
}
