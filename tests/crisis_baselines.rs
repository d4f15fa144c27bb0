//! Baselines are learned online from the replayed week and stored: a restart keeps them.

mod common;

use common::TestApp;
use vigia::storage::{CrisisTx, Store};

async fn learned(t: &TestApp) -> Vec<(String, String, i64, f64)> {
    let mut tx = t.app.store().begin().await.unwrap();
    let slots: Vec<String> = (0..168)
        .map(|h| format!("how:{h}"))
        .chain((0..24).map(|h| format!("hod:{h}")))
        .chain(["all".to_owned()])
        .collect();
    let rows = tx.load_baselines(1, &slots).await.unwrap();
    let mut out: Vec<_> = rows
        .into_iter()
        .map(|r| {
            (
                r.category,
                r.slot,
                r.baseline.observations,
                r.baseline.mean.total,
            )
        })
        .collect();
    out.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    out
}

#[tokio::test]
async fn a_restart_keeps_the_learned_baselines() {
    let t = TestApp::start_with_extra("").await;
    t.replay_all("demo").await;
    let before = learned(&t).await;
    let all = before
        .iter()
        .find(|(c, s, _, _)| c.is_empty() && s == "all")
        .expect("an all-hours baseline");
    // Seven days minus the last, still open, hour.
    assert!(all.2 >= 160, "{all:?}");
    assert!(all.3 > 1.0 && all.3 < 20.0, "hourly mentions {all:?}");
    assert!(
        before.iter().any(|(c, _, _, _)| c == "delivery"),
        "per category too"
    );
    let t = t.restart().await;
    assert_eq!(learned(&t).await, before);
    t.stop().await;
}
