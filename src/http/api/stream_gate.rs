//! How many live streams are open: at most `[dashboard] streams_per_user` per user and
//! `streams_max` in all (each polls the database). A [`StreamPermit`] holds one place until
//! its stream ends.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

#[derive(Debug, Default, Clone)]
pub struct StreamGate {
    open: Arc<Mutex<HashMap<i64, usize>>>,
}

/// One open stream of `user_id`; dropping it frees the place.
#[derive(Debug)]
pub struct StreamPermit {
    open: Arc<Mutex<HashMap<i64, usize>>>,
    user_id: i64,
}

impl StreamGate {
    /// A place for one more stream of `user_id`, or `None` when a limit is reached.
    pub fn enter(&self, user_id: i64, per_user: usize, max: usize) -> Option<StreamPermit> {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let total: usize = open.values().sum();
        let mine = open.get(&user_id).copied().unwrap_or(0);
        if total >= max || mine >= per_user {
            return None;
        }
        *open.entry(user_id).or_default() += 1;
        Some(StreamPermit {
            open: self.open.clone(),
            user_id,
        })
    }

    /// Streams open now.
    pub fn open(&self) -> usize {
        self.open.lock().map_or(0, |o| o.values().sum())
    }
}

impl Drop for StreamPermit {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = open.get_mut(&self.user_id) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.user_id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_per_user_and_in_all() {
        let gate = StreamGate::default();
        let a1 = gate.enter(1, 2, 3).unwrap();
        let _a2 = gate.enter(1, 2, 3).unwrap();
        assert!(gate.enter(1, 2, 3).is_none(), "per user");
        let _b1 = gate.enter(2, 2, 3).unwrap();
        assert!(gate.enter(3, 2, 3).is_none(), "in all");
        drop(a1);
        assert_eq!(gate.open(), 2);
        assert!(gate.enter(3, 2, 3).is_some());
    }
}
