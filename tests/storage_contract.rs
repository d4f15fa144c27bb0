//! The storage contract, written once against the `Store` traits and run on the back end the
//! tests run on (SQLite by default, PostgreSQL with `VIGIA_TEST_BACKEND=postgres`): the ingest
//! unit of work, dedupe, multi-brand mentions, incidents, outbox and feed leases, quotas.

mod common;

use chrono::Duration;
use vigia::domain::{Analysis, Cursor, Identity, Mention, Severity, Trigger};
use vigia::storage::{
    AnyStore, AnyTx, CrisisStore, CrisisTx, Incident, IncidentFilter, LeaseStore, Listing,
    MentionCtx, MentionFilter, PageRequest, QuotaStore, Store, StoreTx, TicketDraft, TicketFilter,
    WarRoomStore,
};

use common::fixtures::{mention, negative, t0};
use vigia::storage::crisis::IncidentAction;

/// Stores one mention as a page of one: its id, or `None` for a duplicate.
async fn insert_one(tx: &mut AnyTx, ctx: &MentionCtx, m: &Mention, a: &Analysis) -> Option<i64> {
    let ids = tx.insert_mentions(ctx, &[(m, a)], &[], t0()).await.unwrap();
    assert_eq!(ids.len(), 1);
    ids[0]
}

/// A brand with one feed.
async fn brand(store: &AnyStore) -> MentionCtx {
    let brand_id = store
        .upsert_brand("rapiplato", "Rapiplato", "es")
        .await
        .unwrap();
    let feed_id = store.upsert_feed("demo", brand_id, "replay").await.unwrap();
    MentionCtx { brand_id, feed_id }
}

async fn stored(store: &AnyStore) -> i64 {
    let page = PageRequest {
        limit: 1,
        offset: 0,
    };
    let all = store.list_mentions(&MentionFilter::default(), &page).await;
    all.unwrap().total
}

/// The repeated-text lookup of ingest: a profile's earlier post of the same text, by the same
/// identity and for the same brand, is found by the text's hash, and also among rows stored
/// without one (before migrations `sqlite/0035` and `postgres/0010`); another text, a later
/// post or another brand's post is no repeat.
#[tokio::test]
async fn a_profiles_earlier_post_of_the_same_text_is_a_repeat_with_or_without_its_hash() {
    let (store, _dir, db) = common::backend::store_with_db().await;
    let ctx = brand(&store).await;
    let why = negative();
    let text = "me cobraron dos veces el mismo pedido, quiero mi reembolso";
    let mut first = mention("r1", text);
    first.author.handle = "dani".into();
    let mut tx = store.begin().await.unwrap();
    let who = Identity::new("x", "dani");
    let customer = tx.create_customers(&[(None, &who)], t0()).await.unwrap()[0];
    let first_id = tx
        .insert_mentions(&ctx, &[(&first, &why)], &[Some(customer)], t0())
        .await
        .unwrap()[0]
        .unwrap();
    tx.commit().await.unwrap();
    let hashed = "SELECT COUNT(*) FROM mentions WHERE text_hash IS NOT NULL";
    assert_eq!(db.scalar(hashed).await, 1, "ingest stores the text's hash");

    let mut again = first.clone();
    again.external_id = "r2".into();
    let mut other = again.clone();
    other.external_id = "r3".into();
    other.text = "me cobraron dos veces el mismo pedido".into();
    let (later, earlier) = (first_id + 10, first_id - 1);
    for unhashed in [false, true] {
        if unhashed {
            assert_eq!(db.execute("UPDATE mentions SET text_hash = NULL").await, 1);
        }
        let probes = [
            (later, customer, &again),
            (later + 1, customer, &other),
            (earlier, customer, &again),
        ];
        let mut tx = store.begin().await.unwrap();
        let found = tx.same_texts_seen(ctx.brand_id, &probes).await.unwrap();
        let other_brand = tx
            .same_texts_seen(ctx.brand_id + 1, &probes[..1])
            .await
            .unwrap();
        drop(tx);
        let without = if unhashed { "without" } else { "with" };
        assert_eq!(
            found,
            [later].into(),
            "only the later post of the same text is a repeat ({without} a hash)"
        );
        assert!(other_brand.is_empty(), "another brand's post is no repeat");
    }
}

#[tokio::test]
async fn a_page_and_its_cursor_are_stored_together_or_not_at_all() {
    let (store, _dir) = common::backend::store().await;
    let ctx = brand(&store).await;
    let page: Vec<Mention> = (0..3)
        .map(|i| mention(&format!("p{i}"), "la entrega llegó fría"))
        .collect();
    let why = negative();
    let items: Vec<_> = page.iter().map(|m| (m, &why)).collect();
    let mut tx = store.begin().await.unwrap();
    tx.insert_mentions(&ctx, &items, &[], t0()).await.unwrap();
    tx.save_cursor(ctx.feed_id, Some(&Cursor("c1".into())), 3, t0())
        .await
        .unwrap();
    drop(tx); // rolled back: as if the process died before commit
    assert_eq!(stored(&store).await, 0);
    assert_eq!(store.feed_cursor(ctx.feed_id).await.unwrap(), None);

    let page: Vec<Mention> = (0..3)
        .map(|i| mention(&format!("p{i}"), "la entrega llegó fría"))
        .collect();
    let why = negative();
    let items: Vec<_> = page.iter().map(|m| (m, &why)).collect();
    let mut tx = store.begin().await.unwrap();
    tx.insert_mentions(&ctx, &items, &[], t0()).await.unwrap();
    tx.save_cursor(ctx.feed_id, Some(&Cursor("c1".into())), 3, t0())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(stored(&store).await, 3);
    let cursor = store.feed_cursor(ctx.feed_id).await.unwrap();
    assert_eq!(cursor.map(|c| c.0), Some("c1".to_owned()));
    let feed = &store.list_feeds().await.unwrap()[0];
    assert_eq!(feed.mentions_total, 3);
}

#[tokio::test]
async fn the_same_post_is_stored_once() {
    let (store, _dir) = common::backend::store().await;
    let ctx = brand(&store).await;
    let m = mention("dup", "pedido perdido otra vez");
    let other = mention("other", "todo bien");
    let why = negative();
    let mut tx = store.begin().await.unwrap();
    let ids = tx
        .insert_mentions(&ctx, &[(&m, &why), (&other, &why), (&m, &why)], &[], t0())
        .await
        .unwrap();
    let again = insert_one(&mut tx, &ctx, &m, &why).await;
    tx.commit().await.unwrap();
    assert!(ids[0].is_some() && ids[1].is_some());
    assert!(ids[0] < ids[1], "ids ascend in page order");
    assert_eq!(ids[2], None, "a post repeated in one page is stored once");
    assert_eq!(again, None);
    // A later transaction (a replay) finds it too.
    let mut tx = store.begin().await.unwrap();
    let replay = insert_one(&mut tx, &ctx, &m, &why).await;
    tx.commit().await.unwrap();
    assert_eq!(replay, None);
    assert_eq!(stored(&store).await, 2);
    let found = store
        .list_mentions(
            &MentionFilter {
                text: Some("PERDIDO".into()),
                ..Default::default()
            },
            &PageRequest {
                limit: 10,
                offset: 0,
            },
        )
        .await
        .unwrap();
    assert_eq!(found.total, 1, "text search ignores case on every back end");
}

#[tokio::test]
async fn a_post_belongs_to_each_brand_that_stores_it() {
    let (store, _dir) = common::backend::store().await;
    let first = brand(&store).await;
    let other_id = store.upsert_brand("otra", "Otra", "es").await.unwrap();
    let feed_id = store.upsert_feed("otra", other_id, "replay").await.unwrap();
    let second = MentionCtx {
        brand_id: other_id,
        feed_id,
    };
    let m = mention("both", "rapiplato mejor que otra");
    let why = negative();
    let mut tx = store.begin().await.unwrap();
    let a = insert_one(&mut tx, &first, &m, &why).await;
    let b = insert_one(&mut tx, &second, &m, &why).await;
    let again = insert_one(&mut tx, &second, &m, &why).await;
    tx.commit().await.unwrap();
    assert!(a.is_some() && b.is_some() && a != b, "{a:?} {b:?}");
    assert_eq!(again, None, "still once per brand");
    let page = PageRequest {
        limit: 10,
        offset: 0,
    };
    for name in ["rapiplato", "otra"] {
        let filter = MentionFilter {
            brand: Some(name.into()),
            ..Default::default()
        };
        let found = store.list_mentions(&filter, &page).await.unwrap();
        assert_eq!(found.total, 1, "{name}");
        assert_eq!(found.items[0].brand, name);
    }
    assert_eq!(stored(&store).await, 2);
}

fn trigger() -> Trigger {
    Trigger::CriticalCategory {
        category: "safety".into(),
    }
}

/// A store with a brand ready to ingest and a second brand's id.
async fn two_brands() -> (AnyStore, tempfile::TempDir, MentionCtx, i64) {
    let (store, dir) = common::backend::store().await;
    let ctx = brand(&store).await;
    let other = store.upsert_brand("otra", "Otra", "es").await.unwrap();
    (store, dir, ctx, other)
}

/// The brand's crisis epoch counts the committed pages that changed its crisis state, on
/// every instance: a rolled-back page does not count, and each brand has its own.
#[tokio::test]
async fn a_brand_crisis_epoch_counts_committed_pages() {
    let (store, _dir, ctx, other) = two_brands().await;
    let mut tx = store.begin().await.unwrap();
    assert_eq!(tx.crisis_epoch(ctx.brand_id).await.unwrap(), 0);
    assert_eq!(tx.bump_crisis_epoch(ctx.brand_id).await.unwrap(), 1);
    tx.commit().await.unwrap();
    let mut tx = store.begin().await.unwrap();
    assert_eq!(tx.bump_crisis_epoch(ctx.brand_id).await.unwrap(), 2);
    drop(tx);
    let mut tx = store.begin().await.unwrap();
    assert_eq!(tx.crisis_epoch(ctx.brand_id).await.unwrap(), 1);
    assert_eq!(tx.crisis_epoch(other).await.unwrap(), 0);
}

/// A person's action on an incident (acknowledge, resolve, reopen) changes its brand's crisis
/// state too: it counts in that brand's epoch, so every instance reloads the brand.
#[tokio::test]
async fn a_person_acting_on_an_incident_moves_its_brand_epoch() {
    let (store, _dir, ctx, other) = two_brands().await;
    let mut tx = store.begin().await.unwrap();
    let id = tx
        .create_incident_with(ctx.brand_id, &trigger(), Severity::Critical, t0(), t0())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let actions = [
        IncidentAction::Acknowledge,
        IncidentAction::Resolve,
        IncidentAction::Reopen,
    ];
    for (n, action) in actions.into_iter().enumerate() {
        let mut tx = store.begin().await.unwrap();
        assert!(tx.incident_for_update(id).await.unwrap().is_some());
        tx.apply_incident_action(id, action, "ana", t0() + Duration::hours(1))
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let mut tx = store.begin().await.unwrap();
        assert_eq!(tx.crisis_epoch(ctx.brand_id).await.unwrap(), n as i64 + 1);
        assert_eq!(tx.crisis_epoch(other).await.unwrap(), 0);
    }
}

/// An incident's mentions read in two orders, from the link alone: most engaging first
/// (likes + 2 x reposts + replies, the older first among equals) and newest first; and how
/// many it took since a moment (what decides whether it is a crisis in progress).
#[tokio::test]
async fn an_incident_gives_its_most_engaging_and_newest_mentions() {
    let (store, _dir) = common::backend::store().await;
    let ctx = brand(&store).await;
    let mut tx = store.begin().await.unwrap();
    let id = tx
        .create_incident_with(ctx.brand_id, &trigger(), Severity::Critical, t0(), t0())
        .await
        .unwrap();
    // (external id, minutes after t0, likes, reposts, replies)
    let posts = [
        ("quiet", 0, 0, 0, 1),
        ("shared", 5, 2, 10, 0),
        ("liked", 10, 15, 0, 0),
        ("tied", 15, 2, 10, 0),
        ("newest", 20, 1, 0, 0),
    ];
    let mut ids = Vec::new();
    for (ext, minutes, likes, reposts, replies) in posts {
        let at = t0() + Duration::minutes(minutes);
        let m = Mention {
            created_at: at,
            likes,
            reposts,
            replies,
            ..mention(ext, "intoxicación")
        };
        let mid = insert_one(&mut tx, &ctx, &m, &negative()).await.unwrap();
        tx.attach_to_incidents(&[(id, mid, at)]).await.unwrap();
        ids.push(mid);
    }
    // How many it took since a moment (strictly after), read inside the writing transaction.
    let since = |m| t0() + Duration::minutes(m);
    assert_eq!(tx.incident_mentions_since(id, since(10)).await.unwrap(), 2);
    assert_eq!(tx.incident_mentions_since(id, since(-1)).await.unwrap(), 5);
    assert_eq!(tx.incident_mentions_since(id, since(20)).await.unwrap(), 0);
    tx.commit().await.unwrap();
    let samples: Vec<i64> = store
        .incident_samples(id, 3)
        .await
        .unwrap()
        .iter()
        .map(|r| r.id)
        .collect();
    // shared and tied 22 each (shared is older), liked 15.
    assert_eq!(samples, [ids[1], ids[3], ids[2]]);
    let newest = store.incident_mention_ids(id, 2).await.unwrap();
    assert_eq!(newest, [ids[4], ids[3]]);
}

/// The first ten incidents, as the API lists them.
async fn incidents(store: &AnyStore) -> Listing<Incident> {
    let page = PageRequest {
        limit: 10,
        offset: 0,
    };
    store
        .list_incidents(&IncidentFilter::default(), &page)
        .await
        .unwrap()
}

#[tokio::test]
async fn an_incident_counts_each_mention_once() {
    let (store, _dir) = common::backend::store().await;
    let ctx = brand(&store).await;
    let mut tx = store.begin().await.unwrap();
    let none = tx.active_incident_states(ctx.brand_id).await.unwrap();
    assert!(none.is_empty());
    let (a, b, why) = (
        mention("a", "intoxicación"),
        mention("b", "asco"),
        negative(),
    );
    let m1 = insert_one(&mut tx, &ctx, &a, &why).await.unwrap();
    let m2 = insert_one(&mut tx, &ctx, &b, &why).await.unwrap();
    let id = tx
        .create_incident_with(ctx.brand_id, &trigger(), Severity::Critical, t0(), t0())
        .await
        .unwrap();
    let later = t0() + Duration::minutes(5);
    // One link per call: a mention linked again in a later statement is not counted twice.
    for (m, at) in [(m1, t0()), (m2, later), (m2, later)] {
        tx.attach_to_incidents(&[(id, m, at)]).await.unwrap();
    }
    let recent = tx.recent_mentions(ctx.brand_id, 60).await.unwrap();
    let ids: Vec<i64> = recent.iter().map(|r| r.mention_id).collect();
    assert_eq!(ids, [m1, m2], "the crisis window rebuilt from storage");
    let active = tx.active_incident_states(ctx.brand_id).await.unwrap();
    // Terms: one statement per call, a term named twice in one call counts twice.
    let terms = |t: &[&str]| t.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    tx.add_incident_terms(id, &terms(&["intoxicación", "pedido", "intoxicación"]))
        .await
        .unwrap();
    tx.add_incident_terms(id, &terms(&["intoxicación"]))
        .await
        .unwrap();
    tx.add_incident_terms(id, &[]).await.unwrap();
    tx.commit().await.unwrap();
    let counted = store.incident_terms(id, 10).await.unwrap();
    assert_eq!(
        counted,
        [("intoxicación".to_owned(), 3), ("pedido".to_owned(), 1)]
    );
    let ids: Vec<i64> = active.iter().map(|a| a.incident.id).collect();
    assert_eq!(ids, [id]);
    // The latest signal and the peak only ever move forward.
    let mut tx = store.begin().await.unwrap();
    tx.set_last_signal(id, later, 9).await.unwrap();
    tx.set_last_signal(id, t0(), 4).await.unwrap();
    // A second crisis of the brand, at the same time: both are active, oldest first.
    let other = tx
        .create_incident_with(ctx.brand_id, &trigger(), Severity::Warning, later, later)
        .await
        .unwrap();
    let states = tx.active_incident_states(ctx.brand_id).await.unwrap();
    let ids: Vec<i64> = states.iter().map(|a| a.incident.id).collect();
    assert_eq!(ids, [id, other]);
    let state = &states[0];
    assert_eq!((state.last_signal_at, state.peak), (later, 9));
    assert_eq!(
        (states[1].peak, states[1].incident.mention_count),
        (0, 0),
        "nothing of the first one's state leaks into the second"
    );
    tx.commit().await.unwrap();
    let listed = incidents(&store).await;
    assert_eq!(listed.total, 2);
    let first = listed.items.iter().find(|i| i.id == id).expect("listed");
    assert_eq!(first.mention_count, 2);
    assert_eq!(first.last_mention_at, later);
}

/// The page-at-a-time form of attaching: a mention named twice (in a page or in two pages)
/// counts once, and the incident's first and latest mention times span what was attached,
/// whatever order the page lists it in.
#[tokio::test]
async fn a_page_of_incident_links_counts_each_mention_once() {
    let (store, _dir) = common::backend::store().await;
    let ctx = brand(&store).await;
    let mut tx = store.begin().await.unwrap();
    let why = negative();
    let mut ids = Vec::new();
    for key in ["a", "b", "c"] {
        let m = mention(key, "intoxicación");
        ids.push(insert_one(&mut tx, &ctx, &m, &why).await.unwrap());
    }
    let start = t0() + Duration::minutes(5);
    let id = tx
        .create_incident_with(ctx.brand_id, &trigger(), Severity::Critical, start, start)
        .await
        .unwrap();
    let at = |minutes| t0() + Duration::minutes(minutes);
    tx.attach_to_incidents(&[
        (id, ids[0], at(10)),
        (id, ids[1], at(2)),
        (id, ids[0], at(10)),
    ])
    .await
    .unwrap();
    tx.attach_to_incidents(&[(id, ids[1], at(2)), (id, ids[2], at(30))])
        .await
        .unwrap();
    tx.attach_to_incidents(&[]).await.unwrap();
    tx.commit().await.unwrap();
    let listed = incidents(&store).await;
    let incident = &listed.items[0];
    assert_eq!(incident.mention_count, 3);
    assert_eq!(incident.last_mention_at, at(30));
    assert_eq!(incident.first_mention_at, Some(at(2)));
}

/// An incident's linked tickets: those of its newest mentions first, a page at a time with
/// `more` when others exist, each with the count of its mentions the incident shares (not all
/// of its mentions).
#[tokio::test]
async fn an_incident_lists_the_tickets_of_its_newest_mentions_first() {
    let (store, _dir) = common::backend::store().await;
    let ctx = brand(&store).await;
    let mut tx = store.begin().await.unwrap();
    let why = negative();
    let mut m = Vec::new();
    for key in ["a", "b", "c", "d", "e"] {
        let one = mention(key, "intoxicación");
        m.push(insert_one(&mut tx, &ctx, &one, &why).await.unwrap());
    }
    let pepe = Identity::new("x", "pepe");
    let customer = tx.create_customer(None, &pepe, t0()).await.unwrap();
    let draft = |mention_id| TicketDraft {
        brand_id: ctx.brand_id,
        customer_id: customer,
        category: "safety".into(),
        subject: format!("ticket of {mention_id}"),
        mention_id,
        opened_at: t0(),
        priority: "high".into(),
        priority_factors: "[]".into(),
        team: None,
        first_response_due: None,
        resolution_due: None,
    };
    let t = tx
        .create_tickets(&[draft(m[0]), draft(m[2]), draft(m[3])])
        .await
        .unwrap();
    // Ticket 0 holds a, b and e; e is not part of the incident.
    let links = [
        (t[0], m[0]),
        (t[0], m[1]),
        (t[0], m[4]),
        (t[1], m[2]),
        (t[2], m[3]),
    ];
    let links: Vec<_> = links.iter().map(|&(tk, mn)| (tk, mn, t0())).collect();
    tx.append_to_tickets(&links).await.unwrap();
    let id = tx
        .create_incident_with(ctx.brand_id, &trigger(), Severity::Critical, t0(), t0())
        .await
        .unwrap();
    let attach: Vec<_> = m[..4].iter().map(|&mn| (id, mn, t0())).collect();
    tx.attach_to_incidents(&attach).await.unwrap();
    tx.commit().await.unwrap();

    let page = store.incident_tickets(id, 2).await.unwrap();
    let ids: Vec<i64> = page.tickets.iter().map(|x| x.id).collect();
    assert_eq!(ids, [t[2], t[1]], "newest mention's ticket first");
    assert!(page.more);
    let all = store.incident_tickets(id, 10).await.unwrap();
    let got: Vec<(i64, i64)> = all
        .tickets
        .iter()
        .map(|x| (x.id, x.shared_mentions))
        .collect();
    assert_eq!(got, [(t[2], 1), (t[1], 1), (t[0], 2)]);
    assert!(!all.more);
    assert_eq!(all.tickets[2].subject, format!("ticket of {}", m[0]));
    let exact = store.incident_tickets(id, 3).await.unwrap();
    assert!(!exact.more, "three tickets fill a page of three");
    let none = store.incident_tickets(id + 1, 10).await.unwrap();
    assert!(none.tickets.is_empty() && !none.more);

    // A page of tickets' mentions in one call, as each ticket's own call gives them.
    let mut batch = store
        .tickets_mention_ids(&[t[2], t[0], 999_999, t[1]])
        .await
        .unwrap();
    assert_eq!(
        batch.len(),
        3,
        "a ticket with no links is absent: {batch:?}"
    );
    for ticket in t.iter() {
        let one = store.ticket_mention_ids(*ticket).await.unwrap();
        assert_eq!(batch.remove(ticket), Some(one));
    }
    assert_eq!(
        store.tickets_mention_ids(&[t[0]]).await.unwrap()[&t[0]],
        [m[0], m[1], m[4]]
    );
    assert!(store.tickets_mention_ids(&[]).await.unwrap().is_empty());

    // Listings by the caller's scope: none (everything), the brand, another brand, no brand.
    let page = PageRequest {
        limit: 2,
        offset: 0,
    };
    for (scope, seen) in [
        (None, 3),
        (Some(vec!["rapiplato".to_owned()]), 3),
        (Some(vec!["otra".to_owned()]), 0),
        (Some(Vec::new()), 0),
    ] {
        let filter = TicketFilter {
            scope: scope.clone(),
            ..Default::default()
        };
        let tickets = store.list_tickets(&filter, &page).await.unwrap();
        assert_eq!(tickets.total, seen, "tickets in scope {scope:?}");
        assert_eq!(tickets.items.len(), seen.min(2) as usize, "{scope:?}");
        let filter = MentionFilter {
            scope: scope.clone(),
            ..Default::default()
        };
        let mentions = store.list_mentions(&filter, &page).await.unwrap();
        assert_eq!(mentions.total, if seen > 0 { 5 } else { 0 }, "{scope:?}");
        let filter = IncidentFilter {
            scope: scope.clone(),
            ..Default::default()
        };
        let incidents = store.list_incidents(&filter, &page).await.unwrap();
        assert_eq!(incidents.total, i64::from(seen > 0), "{scope:?}");
    }
}

async fn queue(store: &AnyStore, key: &str) {
    let mut tx = store.begin().await.unwrap();
    tx.enqueue_outbox(key, "email", "{}", t0()).await.unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn an_outbox_message_is_queued_once_and_leased_to_one_instance() {
    let (store, _dir) = common::backend::store().await;
    queue(&store, "alert:1").await;
    queue(&store, "alert:1").await;
    let a = store.claim_outbox("a", t0(), 60, 10).await.unwrap();
    assert_eq!(a.len(), 1, "same key queued twice is one message");
    let b = store.claim_outbox("b", t0() + Duration::seconds(30), 60, 10);
    assert!(b.await.unwrap().is_empty(), "leased to a for 60 s");
    // a stalls past its lease: b takes the message over with a newer token.
    let b = store.claim_outbox("b", t0() + Duration::seconds(61), 60, 10);
    let b = b.await.unwrap();
    assert_eq!(b.len(), 1);
    assert!(b[0].token > a[0].token);
    let late = store.outbox_delivered(a[0].id, a[0].token, t0() + Duration::seconds(62));
    assert!(!late.await.unwrap(), "a's claim is fenced off");
    let done = store.outbox_delivered(b[0].id, b[0].token, t0() + Duration::seconds(62));
    assert!(done.await.unwrap());
    let again = store.claim_outbox("a", t0() + Duration::hours(1), 60, 10);
    assert!(
        again.await.unwrap().is_empty(),
        "delivered messages stay delivered"
    );
}

#[tokio::test]
async fn a_restarted_instance_releases_its_leases_at_once() {
    let (store, _dir) = common::backend::store().await;
    let ctx = brand(&store).await;
    queue(&store, "alert:2").await;
    let claimed = store.claim_outbox("a", t0(), 120, 10).await.unwrap();
    assert_eq!(claimed.len(), 1);
    let until = t0() + Duration::seconds(60);
    assert!(
        store
            .lease_feed(ctx.feed_id, "a", t0(), until)
            .await
            .unwrap()
    );
    assert!(
        !store
            .lease_feed(ctx.feed_id, "b", t0(), until)
            .await
            .unwrap()
    );
    assert!(
        store
            .lease_feed(ctx.feed_id, "a", t0(), until)
            .await
            .unwrap(),
        "renewal"
    );
    // a dies and starts again: whatever it held is free now, not in two minutes.
    assert_eq!(store.release_leases("a").await.unwrap(), 2);
    let b = store.claim_outbox("b", t0() + Duration::seconds(1), 120, 10);
    assert_eq!(b.await.unwrap().len(), 1);
    assert!(
        store
            .lease_feed(ctx.feed_id, "b", t0(), until)
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn a_feed_lease_passes_on_when_it_expires() {
    let (store, _dir) = common::backend::store().await;
    let ctx = brand(&store).await;
    let until = t0() + Duration::seconds(60);
    assert!(
        store
            .lease_feed(ctx.feed_id, "a", t0(), until)
            .await
            .unwrap()
    );
    let at = t0() + Duration::seconds(59);
    let held = store.lease_feed(ctx.feed_id, "b", at, at + Duration::seconds(60));
    assert!(!held.await.unwrap());
    let at = t0() + Duration::seconds(60);
    let taken = store.lease_feed(ctx.feed_id, "b", at, at + Duration::seconds(60));
    assert!(
        taken.await.unwrap(),
        "a stopped renewing: b polls the feed now"
    );
    store.release_feed(ctx.feed_id, "a").await.unwrap(); // not a's any more: no effect
    let at = t0() + Duration::seconds(61);
    let a = store.lease_feed(ctx.feed_id, "a", at, at + Duration::seconds(60));
    assert!(!a.await.unwrap());
    store.release_feed(ctx.feed_id, "b").await.unwrap();
    let a = store.lease_feed(ctx.feed_id, "a", at, at + Duration::seconds(60));
    assert!(a.await.unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_free_feed_is_leased_even_while_its_row_is_being_written() {
    let (store, _dir) = common::backend::store().await;
    let ctx = brand(&store).await;
    // A page's transaction holds the feed's row (its cursor) while a lease is asked for.
    let mut tx = store.begin().await.unwrap();
    tx.save_cursor(ctx.feed_id, None, 0, t0()).await.unwrap();
    let lease = {
        let store = store.clone();
        let until = t0() + Duration::seconds(60);
        tokio::spawn(async move { store.lease_feed(ctx.feed_id, "a", t0(), until).await })
    };
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    tx.commit().await.unwrap();
    assert!(
        lease.await.unwrap().unwrap(),
        "nobody held the lease: a busy row is no reason to skip the poll"
    );
}

#[tokio::test]
async fn concurrent_quota_spending_never_exceeds_the_limit() {
    let (store, _dir) = common::backend::store().await;
    let day = t0().date_naive();
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move { store.spend_quota("x-api", day, 3, 30).await.unwrap() })
        })
        .collect();
    let mut granted = 0;
    for t in tasks {
        granted += i64::from(t.await.unwrap());
    }
    assert_eq!(granted, 10);
    assert_eq!(store.quota_used("x-api", day).await.unwrap(), 30);
    assert_eq!(
        store
            .quota_used("x-api", day.succ_opt().unwrap())
            .await
            .unwrap(),
        0
    );
}
