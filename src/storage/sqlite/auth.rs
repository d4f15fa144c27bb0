//! [`AuthStore`] for SQLite.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::FromRow;

use super::{SqliteStore, db_err, from_ms, ms, opt_from_ms};
use crate::storage::{
    AuditEntry, AuthStore, Listing, LoginRow, NewUser, PageRequest, StoreError, StoreResult,
    TokenRow, UserRow,
};

const USER_COLUMNS: &str = "SELECT id, username, role, brands, lang, created_at, disabled_at,
    password_hash, failed_logins, locked_until FROM users";

#[derive(FromRow)]
struct UserRecord {
    id: i64,
    username: String,
    role: String,
    brands: Option<String>,
    lang: String,
    created_at: i64,
    disabled_at: Option<i64>,
    password_hash: Option<String>,
    failed_logins: i64,
    locked_until: Option<i64>,
}

impl UserRecord {
    fn into_login(self) -> StoreResult<LoginRow> {
        let brands = match &self.brands {
            Some(json) => Some(serde_json::from_str::<Vec<String>>(json).map_err(|e| {
                StoreError::Corrupt(format!("users.brands of {}: {e}", self.username))
            })?),
            None => None,
        };
        Ok(LoginRow {
            user: UserRow {
                id: self.id,
                username: self.username,
                role: self.role,
                brands,
                lang: self.lang,
                created_at: from_ms(self.created_at),
                disabled: self.disabled_at.is_some(),
            },
            password_hash: self.password_hash,
            failed_logins: self.failed_logins,
            locked_until: opt_from_ms(self.locked_until),
        })
    }
}

#[derive(FromRow)]
struct TokenRecord {
    id: i64,
    user_id: i64,
    name: String,
    prefix: String,
    created_at: i64,
    last_used_at: Option<i64>,
    revoked_at: Option<i64>,
}

#[derive(FromRow)]
struct AuditRecord {
    at: i64,
    user_id: Option<i64>,
    actor: String,
    action: String,
    target_kind: String,
    target_id: String,
    detail: String,
}

#[async_trait]
impl AuthStore for SqliteStore {
    async fn count_users(&self) -> StoreResult<i64> {
        sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(self.pool())
            .await
            .map_err(db_err)
    }

    async fn create_user(&self, user: &NewUser<'_>, now: DateTime<Utc>) -> StoreResult<i64> {
        let brands = user
            .brands
            .map(|b| serde_json::to_string(b).expect("strings serialize"));
        sqlx::query_scalar(
            "INSERT INTO users (username, password_hash, role, brands, lang, created_at)
             VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(user.username)
        .bind(user.password_hash)
        .bind(user.role)
        .bind(brands)
        .bind(user.lang)
        .bind(ms(now))
        .fetch_one(self.writer())
        .await
        .map_err(|e| match db_err(e) {
            StoreError::Conflict(_) => {
                StoreError::Conflict(format!("user '{}' already exists", user.username))
            }
            other => other,
        })
    }

    async fn user_by_name(&self, username: &str) -> StoreResult<Option<LoginRow>> {
        let record: Option<UserRecord> =
            sqlx::query_as(&format!("{USER_COLUMNS} WHERE username = ?"))
                .bind(username)
                .fetch_optional(self.pool())
                .await
                .map_err(db_err)?;
        record.map(UserRecord::into_login).transpose()
    }

    async fn user_by_id(&self, id: i64) -> StoreResult<Option<UserRow>> {
        let record: Option<UserRecord> = sqlx::query_as(&format!("{USER_COLUMNS} WHERE id = ?"))
            .bind(id)
            .fetch_optional(self.pool())
            .await
            .map_err(db_err)?;
        Ok(record
            .map(UserRecord::into_login)
            .transpose()?
            .map(|l| l.user))
    }

    async fn list_users(&self) -> StoreResult<Vec<UserRow>> {
        let records: Vec<UserRecord> = sqlx::query_as(&format!("{USER_COLUMNS} ORDER BY username"))
            .fetch_all(self.pool())
            .await
            .map_err(db_err)?;
        records
            .into_iter()
            .map(|r| r.into_login().map(|l| l.user))
            .collect()
    }

    async fn set_password(&self, user_id: i64, password_hash: &str) -> StoreResult<()> {
        let mut tx = self.writer().begin().await.map_err(db_err)?;
        sqlx::query(
            "UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = NULL WHERE id = ?",
        )
        .bind(password_hash)
        .bind(user_id)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        // A new password ends every session opened with the old one.
        sqlx::query("DELETE FROM sessions WHERE user_id = ?")
            .bind(user_id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        Ok(())
    }

    async fn set_user_disabled(&self, user_id: i64, at: Option<DateTime<Utc>>) -> StoreResult<()> {
        let mut tx = self.writer().begin().await.map_err(db_err)?;
        sqlx::query("UPDATE users SET disabled_at = ? WHERE id = ?")
            .bind(at.map(ms))
            .bind(user_id)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        if at.is_some() {
            sqlx::query("DELETE FROM sessions WHERE user_id = ?")
                .bind(user_id)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
        }
        tx.commit().await.map_err(db_err)?;
        Ok(())
    }

    async fn set_user_lang(&self, user_id: i64, lang: &str) -> StoreResult<()> {
        sqlx::query("UPDATE users SET lang = ? WHERE id = ?")
            .bind(lang)
            .bind(user_id)
            .execute(self.writer())
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn login_attempt(
        &self,
        user_id: i64,
        max_failures: i64,
        lock_until: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<i64>> {
        // After a lock ran out, counting starts again.
        sqlx::query_scalar(
            "UPDATE users SET
                failed_logins = CASE WHEN locked_until IS NULL THEN failed_logins ELSE 0 END + 1,
                locked_until = CASE
                    WHEN (CASE WHEN locked_until IS NULL THEN failed_logins ELSE 0 END) + 1 >= ?1
                    THEN ?2 ELSE NULL END
             WHERE id = ?3 AND (locked_until IS NULL OR locked_until <= ?4)
             RETURNING failed_logins",
        )
        .bind(max_failures)
        .bind(ms(lock_until))
        .bind(user_id)
        .bind(ms(now))
        .fetch_optional(self.writer())
        .await
        .map_err(db_err)
    }

    async fn login_succeeded(&self, user_id: i64) -> StoreResult<()> {
        sqlx::query("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?")
            .bind(user_id)
            .execute(self.writer())
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn create_token(
        &self,
        user_id: i64,
        name: &str,
        token_hash: &str,
        prefix: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<i64> {
        sqlx::query_scalar(
            "INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at)
             VALUES (?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(user_id)
        .bind(name)
        .bind(token_hash)
        .bind(prefix)
        .bind(ms(now))
        .fetch_one(self.writer())
        .await
        .map_err(db_err)
    }

    async fn use_token(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<UserRow>> {
        let user_id: Option<i64> = sqlx::query_scalar(
            "UPDATE api_tokens SET last_used_at = ?
             WHERE token_hash = ? AND revoked_at IS NULL RETURNING user_id",
        )
        .bind(ms(now))
        .bind(token_hash)
        .fetch_optional(self.writer())
        .await
        .map_err(db_err)?;
        let Some(user_id) = user_id else {
            return Ok(None);
        };
        Ok(self.user_by_id(user_id).await?.filter(|u| !u.disabled))
    }

    async fn token_active(&self, token_hash: &str) -> StoreResult<bool> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM api_tokens t JOIN users u ON u.id = t.user_id
             WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.disabled_at IS NULL",
        )
        .bind(token_hash)
        .fetch_optional(self.pool())
        .await
        .map_err(db_err)?;
        Ok(found.is_some())
    }

    async fn list_tokens(&self, user_id: Option<i64>) -> StoreResult<Vec<TokenRow>> {
        let records: Vec<TokenRecord> = sqlx::query_as(
            "SELECT id, user_id, name, prefix, created_at, last_used_at, revoked_at
             FROM api_tokens WHERE (?1 IS NULL OR user_id = ?1) ORDER BY id",
        )
        .bind(user_id)
        .fetch_all(self.pool())
        .await
        .map_err(db_err)?;
        Ok(records
            .into_iter()
            .map(|r| TokenRow {
                id: r.id,
                user_id: r.user_id,
                name: r.name,
                prefix: r.prefix,
                created_at: from_ms(r.created_at),
                last_used_at: opt_from_ms(r.last_used_at),
                revoked: r.revoked_at.is_some(),
            })
            .collect())
    }

    async fn revoke_token(&self, id: i64, now: DateTime<Utc>) -> StoreResult<bool> {
        let done =
            sqlx::query("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
                .bind(ms(now))
                .bind(id)
                .execute(self.writer())
                .await
                .map_err(db_err)?;
        Ok(done.rows_affected() == 1)
    }

    async fn audit(&self, entry: &AuditEntry) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO audit_log (at, user_id, actor, action, target_kind, target_id, detail)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(ms(entry.at))
        .bind(entry.user_id)
        .bind(&entry.actor)
        .bind(&entry.action)
        .bind(&entry.target_kind)
        .bind(&entry.target_id)
        .bind(entry.detail.to_string())
        .execute(self.writer())
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn audit_log(
        &self,
        target: Option<(&str, &str)>,
        page: &PageRequest,
    ) -> StoreResult<Listing<AuditEntry>> {
        let (kind, id) = target.unzip();
        let filter = "WHERE (?1 IS NULL OR target_kind = ?1) AND (?2 IS NULL OR target_id = ?2)";
        let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM audit_log {filter}"))
            .bind(kind)
            .bind(id)
            .fetch_one(self.pool())
            .await
            .map_err(db_err)?;
        let records: Vec<AuditRecord> = sqlx::query_as(&format!(
            "SELECT at, user_id, actor, action, target_kind, target_id, detail FROM audit_log
             {filter} ORDER BY id DESC LIMIT ?3 OFFSET ?4"
        ))
        .bind(kind)
        .bind(id)
        .bind(page.limit)
        .bind(page.offset)
        .fetch_all(self.pool())
        .await
        .map_err(db_err)?;
        let items = records
            .into_iter()
            .map(|r| AuditEntry {
                at: from_ms(r.at),
                user_id: r.user_id,
                actor: r.actor,
                action: r.action,
                target_kind: r.target_kind,
                target_id: r.target_id,
                detail: serde_json::from_str(&r.detail).unwrap_or(serde_json::Value::Null),
            })
            .collect();
        Ok(Listing { items, total })
    }
}
