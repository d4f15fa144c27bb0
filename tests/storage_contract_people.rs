//! The storage contract, second part (see `storage_contract.rs`): customers with merge, undo
//! and erasure; tickets and their SLA times; accounts, tokens, sessions and lockout; the audit
//! log; dashboard rollups. Run on SQLite and, with `VIGIA_TEST_BACKEND=postgres`, PostgreSQL.

mod common;

use chrono::Duration;
use vigia::domain::{Identity, Mention, TicketStatus};
use vigia::storage::{
    AnyStore, AuditEntry, AuthStore, DashboardStore, HelpdeskStore, MentionCtx, NewCustomer,
    NewUser, PageRequest, PrivacyStore, RollupDelta, Store, StoreError, StoreTx, ThreadProbe,
    TicketDraft,
};

use common::fixtures::{self as contract, t0};

fn page() -> PageRequest {
    PageRequest {
        limit: 50,
        offset: 0,
    }
}

/// A brand, a feed and one stored mention by `handle`; returns the context and mention id.
async fn one_mention(store: &AnyStore, handle: &str) -> (MentionCtx, i64, Mention) {
    let brand_id = store
        .upsert_brand("rapiplato", "Rapiplato", "es")
        .await
        .unwrap();
    let feed_id = store.upsert_feed("demo", brand_id, "replay").await.unwrap();
    let ctx = MentionCtx { brand_id, feed_id };
    let mut m = contract::mention(handle, "mi pedido 123 nunca llegó");
    m.author.handle = handle.into();
    let mut tx = store.begin().await.unwrap();
    let why = contract::negative();
    let ids = tx.insert_mentions(&ctx, &[(&m, &why)], &[], t0()).await;
    let id = ids.unwrap()[0].unwrap();
    let delta = RollupDelta::of(brand_id, &m, &why);
    tx.bump_rollups_page(&[delta]).await.unwrap();
    tx.commit().await.unwrap();
    (ctx, id, m)
}

fn profile(name: &str, handle: &str) -> NewCustomer {
    NewCustomer {
        name: Some(name.into()),
        email: Some(format!("{handle}@example.com")),
        identities: vec![Identity::new("x", handle)],
        ..Default::default()
    }
}

#[tokio::test]
async fn merging_customers_is_undone_exactly_and_erasure_keeps_no_personal_data() {
    let (store, _dir) = common::backend::store().await;
    let (_, mention_id, _) = one_mention(&store, "luz_mtz").await;
    let a = store
        .create_customer(&profile("Luz", "luz_mtz"), t0())
        .await
        .unwrap();
    let b = store
        .create_customer(&profile("Luz M.", "luzm"), t0())
        .await
        .unwrap();
    let taken = store
        .create_customer(&profile("Otra", "luz_mtz"), t0())
        .await;
    assert!(matches!(taken, Err(StoreError::Conflict(_))), "{taken:?}");
    let mut tx = store.begin().await.unwrap();
    tx.link_mention_customer(mention_id, b).await.unwrap();
    tx.commit().await.unwrap();

    let merge = store.merge_customers(a, b, "ana", t0()).await.unwrap();
    assert_eq!(merge.mention_ids, vec![mention_id]);
    assert_eq!(merge.identity_ids.len(), 1);
    let undone = store.unmerge(merge.id, "ana", t0()).await.unwrap();
    assert_eq!(undone.unmerged_by.as_deref(), Some("ana"));
    let b_ids = store.customer_identities(b).await.unwrap();
    assert_eq!(b_ids, vec![Identity::new("x", "luzm")]);
    assert_eq!(store.customer_merges(a).await.unwrap().len(), 1);

    let report = store
        .erase_customer(a, t0())
        .await
        .unwrap()
        .expect("exists");
    assert_eq!((report.mentions, report.identities), (1, 1));
    let erased = store.customer(a).await.unwrap().expect("row kept");
    assert_eq!((erased.name, erased.email), (None, None));
    assert!(store.customer_identities(a).await.unwrap().is_empty());
    assert!(store.erase_customer(9999, t0()).await.unwrap().is_none());
}

async fn ticket(store: &AnyStore) -> i64 {
    let (ctx, mention_id, _) = one_mention(store, "pepe").await;
    let customer = store
        .create_customer(&profile("Pepe", "pepe"), t0())
        .await
        .unwrap();
    let mut tx = store.begin().await.unwrap();
    assert_eq!(tx.open_ticket(ctx.brand_id, customer).await.unwrap(), None);
    let draft = TicketDraft {
        brand_id: ctx.brand_id,
        customer_id: customer,
        category: "delivery".into(),
        subject: "mi pedido 123 nunca llegó".into(),
        mention_id,
        opened_at: t0(),
        priority: "high".into(),
        priority_factors: "[]".into(),
        team: Some("envios".into()),
        first_response_due: Some(t0() + Duration::hours(1)),
        resolution_due: Some(t0() + Duration::hours(24)),
    };
    let id = tx.create_ticket(&draft).await.unwrap();
    tx.append_to_ticket(id, mention_id, t0()).await.unwrap();
    assert_eq!(
        tx.open_ticket(ctx.brand_id, customer).await.unwrap(),
        Some(id)
    );
    tx.commit().await.unwrap();
    id
}

fn draft(brand_id: i64, customer_id: i64, mention_id: i64) -> TicketDraft {
    TicketDraft {
        brand_id,
        customer_id,
        category: "delivery".into(),
        subject: "mi pedido nunca llegó".into(),
        mention_id,
        opened_at: t0(),
        priority: "normal".into(),
        priority_factors: "[]".into(),
        team: None,
        first_response_due: Some(t0() + Duration::hours(2)),
        resolution_due: None,
    }
}

/// The page-at-a-time creation of profiles and tickets (ids reserved ahead of the multi-row
/// inserts): ids ascend in input order, never collide with rows made before or after, and
/// every row they point at is written with them.
#[tokio::test]
async fn a_page_creates_its_profiles_and_tickets_in_a_few_statements() {
    let (store, _dir) = common::backend::store().await;
    let (ctx, first, _) = one_mention(&store, "pepe").await;
    let before = store
        .create_customer(&profile("Antes", "antes"), t0())
        .await
        .unwrap();
    let mut tx = store.begin().await.unwrap();
    let (m2, m3) = (
        contract::mention("p2", "tampoco llegó el mío"),
        contract::mention("p3", "y el mío igual"),
    );
    let why = contract::negative();
    let ids = tx
        .insert_mentions(&ctx, &[(&m2, &why), (&m3, &why)], &[Some(before)], t0())
        .await
        .unwrap();
    let (second, third) = (ids[0].unwrap(), ids[1].unwrap());
    let (ana, bea) = (Identity::new("x", "ana"), Identity::new("x", "bea"));
    let people = tx
        .create_customers(&[(Some("Ana"), &ana), (None, &bea)], t0())
        .await
        .unwrap();
    assert_eq!(people.len(), 2);
    assert!(
        before < people[0] && people[0] < people[1],
        "{before} {people:?}"
    );
    let found = tx
        .find_customers(&[ana.clone(), bea.clone()])
        .await
        .unwrap();
    assert_eq!(found[&ana].id, people[0]);
    assert_eq!(found[&bea].id, people[1]);
    assert!(tx.create_customers(&[], t0()).await.unwrap().is_empty());
    let drafts = [
        draft(ctx.brand_id, people[0], first),
        draft(ctx.brand_id, people[1], second),
    ];
    let tickets = tx.create_tickets(&drafts).await.unwrap();
    assert!(tickets[0] < tickets[1], "{tickets:?}");
    tx.append_to_tickets(&[(tickets[1], third, t0())])
        .await
        .unwrap();
    let open = tx
        .open_tickets(ctx.brand_id, &[people[0], people[1]])
        .await
        .unwrap();
    assert_eq!(
        (open[&people[0]], open[&people[1]]),
        (tickets[0], tickets[1])
    );
    tx.commit().await.unwrap();

    // A mention stored with its known profile is that profile's; a missing entry leaves the
    // row unlinked.
    let linked = store.merge_customers(people[0], before, "ana", t0()).await;
    assert_eq!(linked.unwrap().mention_ids, vec![second]);
    let a = store.ticket(tickets[0]).await.unwrap().expect("stored");
    assert_eq!((a.customer_id, a.mention_count), (people[0], 1));
    assert_eq!(a.status, TicketStatus::New);
    let b = store.ticket(tickets[1]).await.unwrap().expect("stored");
    assert_eq!((b.customer_id, b.mention_count), (people[1], 2));
    assert_eq!(
        store.ticket_mention_ids(tickets[1]).await.unwrap().len(),
        2,
        "the first mention comes with the ticket, the appended one after it"
    );
    let named = store.customer(people[0]).await.unwrap().expect("stored");
    assert_eq!(named.name.as_deref(), Some("Ana"));
    assert_eq!(
        store.customer_identities(people[1]).await.unwrap(),
        vec![bea.clone()]
    );
    // Rows made one at a time afterwards take fresh ids.
    let after = store
        .create_customer(&profile("Después", "despues"), t0())
        .await
        .unwrap();
    assert!(after > people[1]);
    // An identity that has a profile already (another instance's page committed it first)
    // gets that profile's id, and the empty profile made for it is removed; the others are
    // created as usual.
    let mut tx = store.begin().await.unwrap();
    let carl = Identity::new("x", "carl");
    let ids = tx
        .create_customers(&[(None, &carl), (None, &ana)], t0())
        .await
        .unwrap();
    assert_eq!(ids[1], people[0], "{ids:?}");
    assert!(ids[0] > after, "{ids:?}");
    tx.commit().await.unwrap();
    let mut tx = store.begin().await.unwrap();
    let found = tx
        .find_customers(std::slice::from_ref(&carl))
        .await
        .unwrap();
    assert_eq!(found.get(&carl).map(|c| c.id), Some(ids[0]), "{found:?}");
    drop(tx);
    // The ids were reserved in input order: the one made for `ana` came next, and is gone.
    assert!(store.customer(ids[0] + 1).await.unwrap().is_none());
    let kept = store.customer_identities(people[0]).await.unwrap();
    assert!(kept.contains(&ana), "{kept:?}");
}

/// The page's conversation lookup: for each probe, the newest active ticket of the asking
/// brand linked to the mention it replies to, its thread's root, or any mention of its
/// thread; another brand's ticket, or a closed one, is not an answer.
#[tokio::test]
async fn a_conversation_finds_the_brands_newest_active_ticket() {
    let (store, _dir) = common::backend::store().await;
    let (ctx, root, _) = one_mention(&store, "pepe").await;
    let other = store.upsert_brand("otra", "Otra", "es").await.unwrap();
    let other_ctx = MentionCtx {
        brand_id: other,
        feed_id: store.upsert_feed("otra", other, "replay").await.unwrap(),
    };
    let customer = store
        .create_customer(&profile("Pepe", "pepe"), t0())
        .await
        .unwrap();
    let why = contract::negative();
    let mut reply = contract::mention("r1", "sigo esperando");
    (reply.reply_to, reply.thread_id) = (Some("pepe".into()), Some("pepe".into()));
    let mut later = contract::mention("r2", "y nadie contesta");
    later.thread_id = Some("pepe".into());
    let mut tx = store.begin().await.unwrap();
    let ids = tx
        .insert_mentions(&ctx, &[(&reply, &why), (&later, &why)], &[], t0())
        .await
        .unwrap();
    let reply_id = ids[0].unwrap();
    assert!(ids[1].is_some());
    // The same reply stored for the other brand, with a ticket of that brand.
    let theirs = tx
        .insert_mentions(&other_ctx, &[(&reply, &why)], &[], t0())
        .await
        .unwrap()[0]
        .unwrap();
    let tickets = tx
        .create_tickets(&[
            draft(ctx.brand_id, customer, root),
            draft(ctx.brand_id, customer, reply_id),
            draft(other, customer, theirs),
        ])
        .await
        .unwrap();
    let probe =
        |mention_id, reply_to: Option<&'static str>, thread: Option<&'static str>| ThreadProbe {
            mention_id,
            source: "x",
            reply_to,
            thread_id: thread,
        };
    let probes = [
        probe(1001, Some("pepe"), None),
        probe(1002, None, Some("pepe")),
        probe(1003, Some("r2"), None),
        probe(1004, Some("nobody"), Some("nowhere")),
        probe(1005, None, None),
    ];
    let found = tx.tickets_in_threads(ctx.brand_id, &probes).await.unwrap();
    assert_eq!(found.get(&1001), Some(&tickets[0]), "reply to the root");
    assert_eq!(found.get(&1002), Some(&tickets[1]), "newest in the thread");
    assert_eq!(found.get(&1003), None, "r2 has no ticket: {found:?}");
    assert_eq!(found.len(), 2, "{found:?}");
    let theirs_found = tx.tickets_in_threads(other, &probes).await.unwrap();
    assert_eq!(
        theirs_found.get(&1002),
        Some(&tickets[2]),
        "{theirs_found:?}"
    );
    assert_eq!(theirs_found.get(&1001), None, "{theirs_found:?}");
    tx.commit().await.unwrap();
    store
        .set_ticket_status(tickets[1], TicketStatus::Closed, None, t0())
        .await
        .unwrap();
    let mut tx = store.begin().await.unwrap();
    let found = tx.tickets_in_threads(ctx.brand_id, &probes).await.unwrap();
    assert_eq!(
        found.get(&1002),
        Some(&tickets[0]),
        "a closed ticket takes nothing"
    );
}

#[tokio::test]
async fn a_ticket_keeps_its_sla_times_through_its_workflow() {
    let (store, _dir) = common::backend::store().await;
    let id = ticket(&store).await;
    assert_eq!(store.ticket_mention_ids(id).await.unwrap().len(), 1);
    assert_eq!(store.active_tickets_with_sla(10).await.unwrap().len(), 1);
    let reply_at = t0() + Duration::minutes(20);
    store
        .add_reply(id, "ana", "Lo revisamos ya", reply_at)
        .await
        .unwrap();
    store
        .mark_first_response(id, t0() + Duration::hours(2))
        .await
        .unwrap();
    let t = store.ticket(id).await.unwrap().expect("ticket");
    assert_eq!(
        t.first_response_at,
        Some(reply_at),
        "the first response stays the first"
    );
    assert_eq!(t.mention_count, 1);
    let pending_at = t0() + Duration::hours(1);
    store
        .set_ticket_status(id, TicketStatus::Pending, None, pending_at)
        .await
        .unwrap();
    let t = store.ticket(id).await.unwrap().unwrap();
    assert_eq!(t.pending_since, Some(pending_at));
    let solved_at = t0() + Duration::hours(3);
    store
        .set_ticket_status(id, TicketStatus::Solved, None, solved_at)
        .await
        .unwrap();
    let t = store.ticket(id).await.unwrap().unwrap();
    assert_eq!(
        (t.status, t.solved_at),
        (TicketStatus::Solved, Some(solved_at))
    );
    assert_eq!(t.updated_at, solved_at);
    assert!(store.active_tickets_with_sla(10).await.unwrap().is_empty());
    store.record_csat(id, 4, solved_at).await.unwrap();
    store.record_csat(id, 5, solved_at).await.unwrap();
    let csat = store.csat_by_brand(None).await.unwrap();
    assert_eq!(csat.len(), 1);
    assert_eq!(csat[0].average, 5.0, "answering again replaces the score");
}

fn user<'a>(name: &'a str, brands: Option<&'a [String]>) -> NewUser<'a> {
    NewUser {
        username: name,
        password_hash: Some("$argon2id$fake"),
        role: "agent",
        brands,
        lang: "es",
    }
}

#[tokio::test]
async fn accounts_tokens_sessions_and_lockout_live_in_the_database() {
    let (store, _dir) = common::backend::store().await;
    let scope = vec!["rapiplato".to_owned()];
    let id = store
        .create_user(&user("ana", Some(&scope)), t0())
        .await
        .unwrap();
    let again = store.create_user(&user("ana", None), t0()).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    let token = store
        .create_token(id, "ci", "hash1", "vga_1", t0())
        .await
        .unwrap();
    assert!(store.token_active("hash1").await.unwrap());
    assert!(!store.token_active("nope").await.unwrap());
    let who = store
        .use_token("hash1", t0())
        .await
        .unwrap()
        .expect("valid");
    assert_eq!((who.id, who.brands), (id, Some(scope)));
    assert!(store.revoke_token(token, t0()).await.unwrap());
    assert!(store.use_token("hash1", t0()).await.unwrap().is_none());
    assert!(!store.token_active("hash1").await.unwrap(), "revoked");

    let lock = t0() + Duration::minutes(15);
    for n in 1..=3 {
        let counted = store.login_attempt(id, 3, lock, t0()).await.unwrap();
        assert_eq!(counted, Some(n));
    }
    let login = store.user_by_name("ana").await.unwrap().expect("user");
    assert_eq!(login.locked_until, Some(lock));
    let locked = store.login_attempt(id, 3, lock, t0()).await.unwrap();
    assert_eq!(locked, None, "locked: the attempt is not checked");
    let later = lock + Duration::minutes(15);
    let again = store.login_attempt(id, 3, later, lock).await.unwrap();
    assert_eq!(
        again,
        Some(1),
        "counting starts again after the lock ran out"
    );
    store.login_succeeded(id).await.unwrap();
    let login = store.user_by_name("ana").await.unwrap().unwrap();
    assert_eq!((login.failed_logins, login.locked_until), (0, None));

    let expires = t0() + Duration::hours(8);
    store
        .create_session("sess", id, "csrf1", t0(), expires)
        .await
        .unwrap();
    let s = store.session("sess", t0()).await.unwrap().expect("live");
    assert_eq!((s.user_id, s.csrf.as_str()), (id, "csrf1"));
    assert!(
        store.session("sess", expires).await.unwrap().is_none(),
        "expired"
    );
    store.delete_session("sess").await.unwrap();
    let at = t0() + Duration::hours(1);
    assert!(store.session("sess", at).await.unwrap().is_none());
}

#[tokio::test]
async fn the_audit_log_reads_newest_first_by_target() {
    let (store, _dir) = common::backend::store().await;
    for (i, target) in ["7", "8", "7"].iter().enumerate() {
        let entry = AuditEntry {
            at: t0() + Duration::seconds(i as i64),
            user_id: None,
            actor: "ana".into(),
            action: format!("incident.step{i}"),
            target_kind: "incident".into(),
            target_id: (*target).into(),
            detail: serde_json::json!({"n": i}),
        };
        store.audit(&entry).await.unwrap();
    }
    let seven = store
        .audit_log(Some(("incident", "7")), &page())
        .await
        .unwrap();
    assert_eq!(seven.total, 2);
    let actions: Vec<&str> = seven.items.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["incident.step2", "incident.step0"]);
    assert_eq!(seven.items[0].detail, serde_json::json!({"n": 2}));
    assert_eq!(store.audit_log(None, &page()).await.unwrap().total, 3);
}

#[tokio::test]
async fn rollups_count_what_the_ingest_stored() {
    let (store, _dir) = common::backend::store().await;
    one_mention(&store, "a1").await;
    let brands = vec!["rapiplato".to_owned()];
    let (from, to) = (t0() - Duration::hours(1), t0() + Duration::hours(1));
    let buckets = store.sentiment_buckets(&brands, from, to).await.unwrap();
    assert_eq!(buckets.len(), 1);
    assert_eq!(
        (buckets[0].label.as_str(), buckets[0].count),
        ("negative", 1)
    );
    assert_eq!(buckets[0].hour, t0());
    let top = store
        .top_categories("rapiplato", from, to, 5)
        .await
        .unwrap();
    assert_eq!((top[0].name.as_str(), top[0].count), ("delivery", 1));
    let terms = store.top_terms("rapiplato", from, to, 50).await.unwrap();
    assert!(terms.iter().any(|t| t.name == "pedido"), "{terms:?}");
    let last = store.brand_last_activity("rapiplato").await.unwrap();
    assert_eq!(last, Some(t0() + Duration::hours(1)));
}
