//! Storage side of `vigia bench ingest --backend postgres`: a fresh database to run in, and the
//! bare reference the whole pipeline is compared with: the same rows `COPY`ed into the same
//! `mentions` schema and indexes, nothing else (no analysis, rollups, crisis or tickets).

use sqlx::Connection;
use std::fmt::Write as _;

use super::{DATABASE_URL_VAR, PgStore, db_err, ms};
use crate::domain::Mention;
use crate::storage::{StoreError, StoreResult};

/// Creates an empty database `name` on the server named by [`DATABASE_URL_VAR`].
pub async fn create_database(name: &str) -> StoreResult<()> {
    admin(&format!("CREATE DATABASE \"{}\"", name.replace('"', ""))).await
}

/// Drops database `name` (if it exists) on the server named by [`DATABASE_URL_VAR`].
pub async fn drop_database(name: &str) -> StoreResult<()> {
    admin(&format!(
        "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
        name.replace('"', "")
    ))
    .await
}

async fn admin(sql: &str) -> StoreResult<()> {
    let url = std::env::var(DATABASE_URL_VAR)
        .map_err(|_| StoreError::Database(format!("{DATABASE_URL_VAR} is not set")))?;
    let mut conn = sqlx::PgConnection::connect(&url).await.map_err(|_| {
        StoreError::Database(format!(
            "cannot connect to the server named by {DATABASE_URL_VAR}"
        ))
    })?;
    sqlx::raw_sql(sql)
        .execute(&mut conn)
        .await
        .map_err(db_err)?;
    Ok(())
}

/// `COPY`s `mentions` into `mentions`, `per_tx` rows per transaction.
pub async fn bare_copy(
    store: &PgStore,
    brand_id: i64,
    feed_id: i64,
    mentions: &[Mention],
    per_tx: usize,
) -> StoreResult<()> {
    let now = ms(chrono::Utc::now());
    let mut buf = String::new();
    for batch in mentions.chunks(per_tx.max(1)) {
        buf.clear();
        for m in batch {
            csv_row(&mut buf, brand_id, feed_id, m, now);
        }
        let mut tx = store.pool().begin().await.map_err(db_err)?;
        let mut copy = tx
            .copy_in_raw(
                "COPY mentions (brand_id, feed_id, source, external_id, created_at, ingested_at,
                    text, author_handle, author_name, author_followers, url, likes, reposts,
                    replies, reply_to, thread_id, is_repost, country, text_hash)
                    FROM STDIN (FORMAT csv)",
            )
            .await
            .map_err(db_err)?;
        copy.send(buf.as_bytes()).await.map_err(db_err)?;
        copy.finish().await.map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
    }
    Ok(())
}

/// One CSV line for `COPY … (FORMAT csv)`: strings quoted (so `""` is an empty string), NULL
/// as an unquoted empty field.
fn csv_row(out: &mut String, brand_id: i64, feed_id: i64, m: &Mention, now: i64) {
    fn text(out: &mut String, s: &str) {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push_str("\",");
    }
    fn opt(out: &mut String, s: Option<&str>) {
        match s {
            Some(s) => text(out, s),
            None => out.push(','),
        }
    }
    let _ = write!(out, "{brand_id},{feed_id},");
    text(out, &m.source);
    text(out, &m.external_id);
    let _ = write!(out, "{},{now},", ms(m.created_at));
    text(out, &m.text);
    text(out, &m.author.handle);
    opt(out, m.author.name.as_deref());
    match m.author.followers {
        Some(f) => {
            let _ = write!(out, "{f},");
        }
        None => out.push(','),
    }
    opt(out, m.url.as_deref());
    let _ = write!(out, "{},{},{},", m.likes, m.reposts, m.replies);
    opt(out, m.reply_to.as_deref());
    opt(out, m.thread_id.as_deref());
    out.push_str(if m.is_repost { "t," } else { "f," });
    opt(out, m.country.as_deref());
    // The same row as ingest stores (see `rows::text_hash`); the last field, no comma after.
    let _ = write!(out, "{}", crate::storage::rows::text_hash(&m.text));
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_quote_text_and_leave_nulls_empty() {
        let mut m = Mention::new("x", "1", chrono::Utc::now(), "say \"hi\", ok", "ana");
        m.country = Some("MX".into());
        let mut out = String::new();
        csv_row(&mut out, 3, 4, &m, 99);
        assert!(out.starts_with("3,4,\"x\",\"1\","), "{out}");
        assert!(
            out.contains(&format!(
                ",99,\"say \"\"hi\"\", ok\",\"ana\",,,,0,0,0,,,f,\"MX\",{}\n",
                crate::storage::rows::text_hash("say \"hi\", ok")
            )),
            "{out}"
        );
    }
}
