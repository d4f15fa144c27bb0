//! Every hot query uses an index: `EXPLAIN QUERY PLAN` of the statements ingest runs per page
//! and per mention, and of the dashboard's reads, on the real schema (all migrations), must
//! not scan a table that grows with traffic nor sort with a temporary B-tree where an index
//! can give the order. The statements are the ones the code runs (shared constants and query
//! builders), not copies.

use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use super::{SqliteStore, contacts, crisis, helpdesk, page, reads, ticket_batch};
use crate::domain::{Identity, Mention, SentimentLabel};
use crate::storage::{IncidentFilter, MentionFilter, ThreadProbe, TicketFilter};

/// Tables whose size grows with traffic: a `SCAN` of one is a failure.
const BIG: [&str; 16] = [
    "incidents",
    "i",
    "mentions",
    "m",
    "analyses",
    "a",
    "mention_categories",
    "tickets",
    "t",
    "ticket_mentions",
    "tm",
    "incident_mentions",
    "customer_identities",
    "ci",
    "customers",
    "rollup_term",
];

async fn plan(conn: &mut SqliteConnection, sql: &str) -> Vec<String> {
    let rows: Vec<(i64, i64, i64, String)> = sqlx::query_as(&format!("EXPLAIN QUERY PLAN {sql}"))
        .fetch_all(conn)
        .await
        .unwrap_or_else(|e| panic!("EXPLAIN failed: {e}\n{sql}"));
    rows.into_iter().map(|r| r.3).collect()
}

/// What a case may do besides index searches.
#[derive(Clone, Copy, PartialEq)]
enum Allow {
    Nothing,
    /// Walk a whole index in order: only for unfiltered "newest first" pages and capped
    /// counts, which stop at their LIMIT.
    OrderedWalk,
}

/// Fails on a scan of a big table (a walk of its index in order too, unless allowed) and on
/// a temp B-tree sort.
async fn check(conn: &mut SqliteConnection, name: &str, sql: &str, allow: Allow) {
    let details = plan(conn, sql).await;
    for d in &details {
        let scanned = d
            .strip_prefix("SCAN ")
            .and_then(|rest| rest.split_whitespace().next());
        if let Some(table) = scanned.filter(|t| BIG.contains(t)) {
            let walk = d.contains(" USING INDEX ") || d.contains(" USING COVERING INDEX ");
            assert!(
                allow == Allow::OrderedWalk && (walk || sql.contains("LIMIT")),
                "{name}: full scan of {table}: {details:#?}\n{sql}"
            );
        }
        let sorted = d.contains("TEMP B-TREE") && !d.contains("RIGHT PART");
        assert!(!sorted, "{name}: temp B-tree sort: {details:#?}\n{sql}");
    }
}

fn sql(q: QueryBuilder<'_, Sqlite>) -> String {
    q.sql().to_owned()
}

async fn migrated() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("plans.db"))
        .await
        .unwrap();
    store.run_migrations().await.unwrap();
    (dir, store)
}

#[tokio::test]
async fn ingest_statements_use_indexes() {
    let (_dir, store) = migrated().await;
    let mut conn = store.pool().acquire().await.unwrap();
    let ids = [Identity::new("x", "ana"), Identity::new("x", "luis")];
    let probe = ThreadProbe {
        mention_id: 7,
        source: "x",
        reply_to: Some("100"),
        thread_id: Some("90"),
    };
    let probes = [&probe, &probe];
    let m = Mention::new("x", "101", chrono::Utc::now(), "sigo sin pedido", "ana");
    let texts = [(7, 3, &m), (8, 4, &m)];
    let cases = [
        (
            "tickets_in_threads",
            sql(ticket_batch::threads_query(&probes)),
        ),
        (
            "same_texts_seen",
            sql(ticket_batch::same_texts_query(&texts, 1)),
        ),
        ("open_ticket", helpdesk::OPEN_TICKET.to_owned()),
        ("find_customers", sql(page::find_customers_query(&ids))),
        (
            "link_customers",
            sql(page::link_customers_query(&[(1, 2), (3, 4)])),
        ),
    ];
    for (name, q) in &cases {
        check(&mut conn, name, q, Allow::Nothing).await;
    }
    // A customer's profile looks other profiles up by the contacts in its posts: by the
    // expression indexes, not by reading every profile.
    check(
        &mut conn,
        "customers_by_contact",
        contacts::BY_CONTACT,
        Allow::Nothing,
    )
    .await;
    let contacts = plan(&mut conn, contacts::BY_CONTACT).await;
    for index in ["customers_email_lower", "customers_phone_digits"] {
        assert!(
            contacts
                .iter()
                .any(|d| d.contains(&format!("USING INDEX {index}"))),
            "customers_by_contact must use {index}: {contacts:#?}"
        );
    }
    // A search of the brand's tickets is an index search too, but its cost grows with them:
    // the thread lookup must reach tickets by primary key, from the conversation's mentions.
    let batch = sql(ticket_batch::threads_query(&probes));
    let threads = plan(&mut conn, &batch).await;
    assert!(
        threads
            .iter()
            .any(|d| d.contains("SEARCH tm USING INDEX ticket_mentions_mention"))
            && threads
                .iter()
                .any(|d| d == "SEARCH t USING INTEGER PRIMARY KEY (rowid=?)"),
        "tickets_in_threads must go mentions → ticket_mentions → tickets by id: {threads:#?}"
    );
    // The repeated-text lookup goes by the author's profile, whatever the brand's share of
    // the table, and by the text's hash in it (and the rows stored without one): both
    // ranges are searched on both columns, so no earlier post of another text is read.
    let same = sql(ticket_batch::same_texts_query(&texts, 1));
    let same = plan(&mut conn, &same).await;
    let ranges = same
        .iter()
        .filter(|d| d.contains("USING INDEX mentions_customer (customer_id=? AND text_hash"))
        .count();
    assert!(
        ranges == 2,
        "same_texts_seen must search the customer index by profile and hash: {same:#?}"
    );
    // The baselines of an hour's slots, read at every hour learned: by (brand, slot), not a
    // walk of all the brand's categories and slots.
    let slots = ["how:0:10".to_owned(), "hod:10".to_owned(), "all".to_owned()];
    let baselines = plan(&mut conn, &sql(crisis::baselines_query(1, &slots))).await;
    assert!(
        baselines
            .iter()
            .any(|d| d.contains("crisis_baselines_brand_slot (brand_id=? AND slot=?)")),
        "baselines by brand and slot: {baselines:#?}"
    );
}

#[tokio::test]
async fn dashboard_reads_use_indexes() {
    let (_dir, store) = migrated().await;
    let mut conn = store.pool().acquire().await.unwrap();
    let brand = MentionFilter {
        brand: Some("rapiplato".into()),
        ..Default::default()
    };
    let by_category = MentionFilter {
        category: Some("delivery".into()),
        ..brand.clone()
    };
    let negative = MentionFilter {
        label: Some(SentimentLabel::Negative),
        ..brand.clone()
    };
    let mut cases = Vec::new();
    for (name, f) in [
        ("mentions", &brand),
        ("mentions by category", &by_category),
        ("negative mentions", &negative),
    ] {
        cases.push((name, sql(reads::mentions_query(f, 50, 0))));
        cases.push((name, sql(reads::count_mentions_query(f))));
    }
    let all = MentionFilter::default();
    for q in [
        reads::mentions_query(&all, 50, 0),
        reads::count_mentions_query(&all),
    ] {
        check(&mut conn, "all mentions", &sql(q), Allow::OrderedWalk).await;
    }
    let tickets = TicketFilter {
        brand: Some("rapiplato".into()),
        ..Default::default()
    };
    cases.push((
        "tickets",
        listing(reads::TICKET_LISTING, |q| {
            reads::push_ticket_where(q, &tickets)
        }),
    ));
    // A brand's queue in one status: paged and counted from (brand_id, status, updated_at),
    // the count without reading a ticket row (it read every ticket of the brand before).
    let queue = TicketFilter {
        brand: Some("rapiplato".into()),
        status: Some(crate::domain::TicketStatus::New),
        ..Default::default()
    };
    let page = listing(reads::TICKET_LISTING, |q| {
        reads::push_ticket_where(q, &queue)
    });
    let mut count =
        QueryBuilder::<Sqlite>::new(format!("SELECT COUNT(*) FROM {}", reads::TICKET_LISTING.1));
    reads::push_ticket_where(&mut count, &queue);
    for (name, q, wanted) in [
        (
            "a brand's ticket queue",
            page,
            "USING INDEX tickets_brand_status_updated",
        ),
        (
            "a brand's ticket queue count",
            count.sql().to_owned(),
            "USING COVERING INDEX tickets_brand_status_updated",
        ),
    ] {
        check(&mut conn, name, &q, Allow::Nothing).await;
        let details = plan(&mut conn, &q).await;
        assert!(
            details
                .iter()
                .any(|d| d.starts_with("SEARCH t ") && d.contains(wanted)),
            "{name}: {details:#?}"
        );
    }
    let all_tickets = TicketFilter::default();
    let all = listing(reads::TICKET_LISTING, |q| {
        reads::push_ticket_where(q, &all_tickets)
    });
    check(&mut conn, "all tickets", &all, Allow::OrderedWalk).await;
    // Their count reads one index of `tickets` and nothing of `brands`.
    let mut count = QueryBuilder::<Sqlite>::new(format!(
        "SELECT COUNT(*) FROM {}",
        reads::ticket_count_from(&all_tickets)
    ));
    reads::push_ticket_where(&mut count, &all_tickets);
    let details = plan(&mut conn, count.sql()).await;
    assert!(
        details.len() == 1 && details[0].starts_with("SCAN t USING COVERING INDEX"),
        "all tickets' count: {details:#?}"
    );
    let incidents = IncidentFilter::default();
    let all = listing(reads::INCIDENT_LISTING, |q| {
        reads::push_incident_where(q, &incidents)
    });
    check(&mut conn, "all incidents", &all, Allow::OrderedWalk).await;
    let brand_incidents = IncidentFilter {
        brand: Some("rapiplato".into()),
        ..Default::default()
    };
    cases.push((
        "brand incidents",
        listing(reads::INCIDENT_LISTING, |q| {
            reads::push_incident_where(q, &brand_incidents)
        }),
    ));
    cases.push(("war room event lag", super::war_room::EVENT_LAG.to_owned()));
    cases.push((
        "incident's tickets, newest mention first",
        super::crisis_reads::INCIDENT_TICKETS_NEWEST.to_owned(),
    ));
    cases.push((
        "incident's most engaging mentions",
        super::crisis_reads::INCIDENT_SAMPLES.to_owned(),
    ));
    cases.push((
        "incident's newest mentions",
        super::war_room::INCIDENT_MENTIONS_NEWEST.to_owned(),
    ));
    cases.push((
        "incident's ticket rows",
        super::crisis_reads::incident_ticket_rows(1, &[1, 2])
            .sql()
            .to_owned(),
    ));
    for (name, q) in &cases {
        check(&mut conn, name, q, Allow::Nothing).await;
    }
}

/// A listing's page query as `reads::listing` builds it.
fn listing(
    (columns, _, order): (&str, &str, &str),
    push_where: impl Fn(&mut QueryBuilder<'_, Sqlite>),
) -> String {
    let mut q = QueryBuilder::<Sqlite>::new(columns);
    push_where(&mut q);
    q.push(format!(" ORDER BY {order} LIMIT 50 OFFSET 0"));
    q.sql().to_owned()
}

#[tokio::test]
async fn a_full_scan_is_caught() {
    let (_dir, store) = migrated().await;
    let mut conn = store.pool().acquire().await.unwrap();
    let caught = tokio::spawn(async move {
        check(
            &mut conn,
            "unindexed",
            "SELECT id FROM mentions WHERE url = 'x' ORDER BY likes",
            Allow::Nothing,
        )
        .await;
    })
    .await;
    assert!(caught.is_err(), "a scan of mentions must fail the check");
}
