//! [`FeedbackStore`] on either back end.

use async_trait::async_trait;
use sqlx::Row;

use super::{This, db_err, from_ms, ms};
use crate::storage::{FeedbackLabel, FeedbackRow, FeedbackStore, FeedbackTarget, NewFeedback};
use crate::storage::{StoreError, StoreResult};

/// The latest non-null value of `column` among the corrections of mention `f.mention_id`.
fn latest(column: &str) -> String {
    format!(
        "(SELECT x.{column} FROM analysis_feedback x WHERE x.mention_id = f.mention_id
          AND x.{column} IS NOT NULL ORDER BY x.id DESC LIMIT 1)"
    )
}

#[async_trait]
impl FeedbackStore for This {
    async fn feedback_target(&self, mention_id: i64) -> StoreResult<Option<FeedbackTarget>> {
        let row = sqlx::query(
            "SELECT m.id, m.brand_id, b.name, m.text FROM mentions m
             JOIN brands b ON b.id = m.brand_id WHERE m.id = $1",
        )
        .bind(mention_id)
        .fetch_optional(self.pool())
        .await
        .map_err(db_err)?;
        Ok(row.map(|r| FeedbackTarget {
            mention_id: r.get(0),
            brand_id: r.get(1),
            brand: r.get(2),
            text: r.get(3),
        }))
    }

    async fn add_feedback(&self, f: &NewFeedback) -> StoreResult<FeedbackRow> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO analysis_feedback
               (mention_id, brand_id, sentiment, category, phrase, user_id, actor, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(f.mention_id)
        .bind(f.brand_id)
        .bind(&f.sentiment)
        .bind(&f.category)
        .bind(&f.phrase)
        .bind(f.user_id)
        .bind(&f.actor)
        .bind(ms(f.at))
        .fetch_one(self.writer())
        .await
        .map_err(db_err)?;
        let row = sqlx::query(
            "SELECT f.id, f.mention_id, b.name, f.sentiment, f.category, f.phrase, f.actor,
                    f.created_at
             FROM analysis_feedback f JOIN brands b ON b.id = f.brand_id WHERE f.id = $1",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await
        .map_err(db_err)?
        .ok_or_else(|| StoreError::NotFound(format!("feedback {id}")))?;
        Ok(FeedbackRow {
            id: row.get(0),
            mention_id: row.get(1),
            brand: row.get(2),
            sentiment: row.get(3),
            category: row.get(4),
            phrase: row.get(5),
            actor: row.get(6),
            created_at: from_ms(row.get(7)),
        })
    }

    async fn feedback_labels(
        &self,
        scope: Option<&[String]>,
        brand: Option<&str>,
    ) -> StoreResult<Vec<FeedbackLabel>> {
        let sql = format!(
            "SELECT f.mention_id, b.name, a.lang, {sentiment}, {category}, m.text
             FROM (SELECT mention_id, brand_id, MIN(id) AS first FROM analysis_feedback
                   GROUP BY mention_id, brand_id) f
             JOIN mentions m ON m.id = f.mention_id
             JOIN brands b ON b.id = f.brand_id
             LEFT JOIN analyses a ON a.mention_id = f.mention_id
             WHERE m.erased_at IS NULL AND (CAST($1 AS TEXT) IS NULL OR b.name = $1)
             ORDER BY f.first",
            sentiment = latest("sentiment"),
            category = latest("category"),
        );
        let rows = sqlx::query(&sql)
            .bind(brand)
            .fetch_all(self.pool())
            .await
            .map_err(db_err)?;
        let visible = |b: &str| scope.is_none_or(|s| s.iter().any(|x| x == b));
        Ok(rows
            .into_iter()
            .map(|r| FeedbackLabel {
                mention_id: r.get(0),
                brand: r.get(1),
                lang: r.get(2),
                sentiment: r.get(3),
                category: r.get(4),
                text: r.get(5),
            })
            .filter(|l| visible(&l.brand))
            .collect())
    }

    async fn feedback_phrases(&self) -> StoreResult<Vec<(String, String, String)>> {
        let rows = sqlx::query(
            "SELECT b.name, f.phrase, f.sentiment FROM analysis_feedback f
             JOIN brands b ON b.id = f.brand_id
             WHERE f.phrase IS NOT NULL AND f.sentiment IS NOT NULL
               AND f.id = (SELECT MAX(x.id) FROM analysis_feedback x
                           WHERE x.brand_id = f.brand_id AND x.phrase = f.phrase
                             AND x.sentiment IS NOT NULL)
             ORDER BY b.name, f.phrase",
        )
        .fetch_all(self.pool())
        .await
        .map_err(db_err)?;
        Ok(rows
            .into_iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect())
    }
}
