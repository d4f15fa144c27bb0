//! Ticket rules end to end: what opens a ticket and what never does (reposts, the brand's own
//! accounts, the same text again), threading, explainable priority, team routing, SLA due
//! times on the business calendar, near-breach and breach notices to the team lead.

mod common;

use chrono::{DateTime, Duration, TimeZone, Utc};
use common::TestApp;
use serde_json::Value;
use vigia::helpdesk::TicketRules;
use vigia::storage::{HelpdeskStore, Store, TicketFilter};

const FEED: &str = concat!(
    r#"{"id":"x-1","source":"x","created_at":"2026-03-02T16:00:00Z","text":"@rapiplato pésimo servicio, mi pedido nunca llegó y nadie responde, qué asco","author":{"handle":"ana_q","followers":120},"thread_id":"x-1"}"#,
    "\n",
    r#"{"id":"x-2","source":"x","created_at":"2026-03-02T16:05:00Z","text":"@ana_q @rapiplato a mí me pasó lo mismo ayer","author":{"handle":"carlos_p"},"reply_to":"x-1","thread_id":"x-1"}"#,
    "\n",
    r#"{"id":"x-3","source":"x","created_at":"2026-03-02T16:06:00Z","text":"RT @ana_q: @rapiplato pésimo servicio, mi pedido nunca llegó y nadie responde, qué asco","author":{"handle":"bob_rt"},"is_repost":true}"#,
    "\n",
    r#"{"id":"x-4","source":"x","created_at":"2026-03-02T16:07:00Z","text":"@ana_q lamentamos mucho que tu pedido no llegó, pésima experiencia, escríbenos por DM","author":{"handle":"rapiplato"},"reply_to":"x-1","thread_id":"x-1"}"#,
    "\n",
    r#"{"id":"x-5","source":"x","created_at":"2026-03-02T17:00:00Z","text":"@rapiplato horrible, el repartidor nunca llegó con mi pedido, pésimo","author":{"handle":"dora_d"}}"#,
    "\n",
    r#"{"id":"x-6","source":"x","created_at":"2026-03-02T17:30:00Z","text":"@rapiplato horrible, el repartidor nunca llegó con mi pedido, pésimo","author":{"handle":"dora_d"}}"#,
    "\n",
    r#"{"id":"x-7","source":"x","created_at":"2026-03-02T18:00:00Z","text":"@rapiplato ¿cuál es el horario de atención los domingos?","author":{"handle":"eva_h"}}"#,
    "\n",
    r#"{"id":"x-8","source":"x","created_at":"2026-03-02T18:10:00Z","text":"@rapiplato pésimo servicio, mi pedido nunca llegó y nadie responde, qué asco","author":{"handle":"bob_rt"},"is_repost":true}"#,
    "\n",
);

fn rules() -> TicketRules {
    TicketRules::load(&common::repo().join("alerts/tickets.toml")).expect("ticket rules load")
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

async fn start(serve: bool) -> (TestApp, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("tickets.jsonl");
    std::fs::write(&feed, FEED).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 3, 2, 18, 30, 0).unwrap();
    let t = TestApp::start_with_feed_extra(&feed, "", now, serve).await;
    (t, dir)
}

fn by_author<'a>(items: &'a [Value], handle: &str) -> Vec<&'a Value> {
    items
        .iter()
        .filter(|t| {
            t["mentions"]
                .as_array()
                .is_some_and(|ms| ms.iter().any(|m| m["author_handle"] == handle))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rules_threads_and_noise() {
    let (t, _dir) = start(true).await;
    let report = t.replay_all("demo").await;
    assert_eq!(report.stored, 8, "{report:?}");
    // ana's complaint, dora's complaint, eva's question; carlos's reply joins ana's ticket.
    assert_eq!(
        (report.tickets_opened, report.tickets_appended),
        (3, 1),
        "{report:?}"
    );

    let list = t.get_ok("/api/tickets?limit=50").await;
    let mut details = Vec::new();
    for item in list["items"].as_array().unwrap() {
        details.push(t.get_ok(&format!("/api/tickets/{}", item["id"])).await);
    }
    assert_eq!(details.len(), 3);
    let ana = by_author(&details, "ana_q");
    assert_eq!(ana.len(), 1, "one ticket holds ana's thread");
    let handles: Vec<&str> = ana[0]["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["author_handle"].as_str().unwrap())
        .collect();
    assert!(
        handles.contains(&"carlos_p"),
        "the reply in the thread joined: {handles:?}"
    );
    assert!(
        !handles.contains(&"rapiplato"),
        "the brand's own reply opens nothing and joins nothing"
    );
    assert!(
        by_author(&details, "bob_rt").is_empty(),
        "reposts never make tickets"
    );
    assert!(by_author(&details, "rapiplato").is_empty());
    let dora = by_author(&details, "dora_d");
    assert_eq!(dora.len(), 1);
    assert_eq!(
        dora[0]["mention_count"], 1,
        "the same text again is not a follow-up"
    );
    let eva = by_author(&details, "eva_h");
    assert_eq!(eva[0]["category"], "question");

    // Priority is explained by its four factors; the team follows the category.
    let r = rules();
    for d in &details {
        let factors = d["priority_factors"]["factors"].as_array().unwrap();
        let names: Vec<&str> = factors
            .iter()
            .map(|f| f["factor"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["sentiment", "category", "tier", "reach"], "{d}");
        let sum: f64 = factors.iter().map(|f| f["points"].as_f64().unwrap()).sum();
        assert!((sum - d["priority_factors"]["score"].as_f64().unwrap()).abs() < 0.01);
        let category = d["category"].as_str().unwrap();
        assert_eq!(d["team"].as_str(), r.team_for(category), "{d}");
        assert_eq!(d["status"], "new");
        assert!(d["customer"]["id"].is_i64());
    }
    let ana_reach = &ana[0]["priority_factors"]["factors"][3];
    assert_eq!(ana_reach["detail"], "followers 120");

    // Monday 2 March 16:00 UTC is 10:00 in Mexico City (-06:00): the due times count
    // business minutes from there.
    let opened = at(ana[0]["opened_at"].as_str().unwrap());
    let policy = r.sla.policies[ana[0]["priority"].as_str().unwrap()];
    let due = at(ana[0]["first_response_due"].as_str().unwrap());
    assert_eq!(
        r.calendar().business_minutes_between(opened, due),
        policy.first_response_mins
    );
    assert_eq!(ana[0]["sla"]["running"].as_array().unwrap().len(), 2);
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sla_notices_reach_the_team_lead_once_per_stage() {
    let (t, _dir) = start(false).await;
    t.replay_all("demo").await;
    let store = t.app.store();
    let tickets = store
        .list_tickets(
            &TicketFilter::default(),
            &vigia::storage::PageRequest {
                limit: 10,
                offset: 0,
            },
        )
        .await
        .unwrap();
    let ticket = tickets
        .items
        .iter()
        .find(|x| x.team.as_deref() == Some("logistica"))
        .expect("a delivery ticket")
        .clone();
    let due = ticket.first_response_due.unwrap();

    // A minute before the first response is due: near breach (≥ 80 % of its business time).
    t.clock.set(due - Duration::minutes(1));
    assert!(t.app.check_sla().await.unwrap() >= 1);
    t.app.flush_outbox().await.unwrap();
    let near: Vec<String> = t
        .emails()
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let to_lead: Vec<&String> = near
        .iter()
        .filter(|m| m.contains("lider.logistica@rapiplato.example"))
        .collect();
    assert!(
        to_lead
            .iter()
            .any(|m| m.contains(&format!("#{}", ticket.id)) && m.contains("a punto de vencer")),
        "{near:?}"
    );

    // Past the due time: breach; checking again sends nothing new.
    t.clock.set(due + Duration::minutes(1));
    t.app.check_sla().await.unwrap();
    t.app.flush_outbox().await.unwrap();
    let count = t.emails().len();
    t.app.check_sla().await.unwrap();
    t.app.flush_outbox().await.unwrap();
    assert_eq!(
        t.emails().len(),
        count,
        "one notice per ticket, clock and stage"
    );
    let all: Vec<String> = t
        .emails()
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    assert!(
        all.iter()
            .any(|m| m.contains("fuera de SLA") && m.contains(&format!("#{}", ticket.id)))
    );

    // A reply records the first response: that clock stops, and no notice follows for it.
    store
        .add_reply(ticket.id, "agent", "Hola, lo revisamos", due)
        .await
        .unwrap();
    let after = store.ticket(ticket.id).await.unwrap().unwrap();
    assert_eq!(after.first_response_at, Some(due));
    assert_eq!(after.status, vigia::domain::TicketStatus::Open);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pending_pauses_the_resolution_clock_for_business_time_only() {
    let (t, _dir) = start(false).await;
    t.replay_all("demo").await;
    let store = t.app.store();
    let desk = t.app.desk();
    let page = vigia::storage::PageRequest {
        limit: 10,
        offset: 0,
    };
    let ticket = store
        .list_tickets(&TicketFilter::default(), &page)
        .await
        .unwrap()
        .items[0]
        .clone();
    let due = ticket.resolution_due.unwrap();
    // Pending from Monday 2 March 12:30 local (18:30 UTC) to Tuesday 10:30 local (16:30 UTC):
    // 6 h 30 min on Monday (until 19:00) + 1 h 30 min on Tuesday = 480 business minutes.
    let from = Utc.with_ymd_and_hms(2026, 3, 2, 18, 30, 0).unwrap();
    let to = Utc.with_ymd_and_hms(2026, 3, 3, 16, 30, 0).unwrap();
    desk.set_status(store, &ticket, vigia::domain::TicketStatus::Pending, from)
        .await
        .unwrap();
    let pending = store.ticket(ticket.id).await.unwrap().unwrap();
    assert_eq!(pending.pending_since, Some(from));
    let running = desk.sla_state(&pending, from)["running"]
        .as_array()
        .unwrap()
        .clone();
    assert!(
        running.iter().all(|c| c["clock"] != "resolution"),
        "paused: {running:?}"
    );
    desk.set_status(store, &pending, vigia::domain::TicketStatus::Open, to)
        .await
        .unwrap();
    let reopened = store.ticket(ticket.id).await.unwrap().unwrap();
    let cal = rules().calendar();
    assert_eq!(reopened.pending_since, None);
    assert_eq!(
        reopened.resolution_due,
        Some(cal.add_business_minutes(due, 480))
    );
    assert_eq!(cal.business_minutes_between(from, to), 480);
}
