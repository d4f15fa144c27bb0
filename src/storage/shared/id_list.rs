//! The bound items of an `IN (...)` list of ids, for the statements that read or delete rows
//! of several ids at once.

use sqlx::QueryBuilder;

use super::Db;

/// Pushes `ids` as bound, comma-separated items; the brackets around them are the caller's.
pub(super) fn push_ids<'a>(q: &mut QueryBuilder<'a, Db>, ids: impl IntoIterator<Item = i64>) {
    let mut list = q.separated(", ");
    for id in ids {
        list.push_bind(id);
    }
}
