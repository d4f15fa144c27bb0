//! Vigía: a self-hosted social-media reputation monitor.
//!
//! The pipeline runs one way: `schedule` → `sources` → `ingest` → `analysis` → `storage` →
//! `crisis` → `notify`, with `helpdesk` fed from the same ingest transaction and `http`
//! reading storage. See the README's architecture section for the map.

pub mod analysis;
pub mod app;
pub mod backtest;
pub mod clock;
pub mod config;
pub mod crisis;
pub mod domain;
pub mod helpdesk;
pub mod http;
pub mod ingest;
#[cfg(test)]
mod layers;
pub mod notify;
pub mod privacy;
pub mod schedule;
pub mod secrets;
pub mod signature;
pub mod sources;
pub mod storage;
pub mod telemetry;
