//! One of a brand's active incidents as the detector keeps it in memory: enough to decide,
//! without a query, whether a mention belongs to it (crisis categories, top terms, time of its
//! latest crisis signal) and whether its quiet time has passed.

use chrono::{DateTime, Duration, Utc};
use std::collections::{BTreeSet, HashMap};

use super::CrisisPolicy;
use crate::domain::{SentimentLabel, Severity, Trigger};
use crate::storage::crisis::ActiveIncidentRow;

/// How many of the incident's most frequent terms a mention is compared with.
pub const TOP_TERMS: usize = 10;

#[derive(Debug, Clone, PartialEq)]
pub struct ActiveIncident {
    pub id: i64,
    pub severity: Severity,
    pub trigger: Trigger,
    pub mention_count: i64,
    /// Event time of the latest crisis-level signal (or of a person's reopening).
    pub last_signal_at: DateTime<Utc>,
    /// Categories its signals named, never an everyday one.
    pub categories: BTreeSet<String>,
    /// The most of its mentions seen within one detector window at any of its signals,
    /// counted until it reaches a surge's worth (`surge.min_count`), which makes it a real
    /// crisis, unlike an incident kept going by lone critical mentions however many of them
    /// it gathers.
    pub peak: i64,
    terms: HashMap<String, i64>,
    /// The `TOP_TERMS` most frequent terms: count descending, then term.
    top: Vec<(String, i64)>,
}

impl ActiveIncident {
    pub fn new(id: i64, severity: Severity, trigger: Trigger, at: DateTime<Utc>) -> Self {
        ActiveIncident {
            id,
            severity,
            trigger,
            mention_count: 0,
            last_signal_at: at,
            categories: BTreeSet::new(),
            peak: 0,
            terms: HashMap::new(),
            top: Vec::new(),
        }
    }

    pub fn from_row(row: ActiveIncidentRow) -> Self {
        let i = row.incident;
        let mut a = ActiveIncident::new(i.id, i.severity, i.trigger, row.last_signal_at);
        a.mention_count = i.mention_count;
        a.peak = row.peak;
        a.categories = row.crisis_categories.into_iter().collect();
        a.terms = row.terms.into_iter().collect();
        let mut all: Vec<(String, i64)> = a.terms.iter().map(|(t, c)| (t.clone(), *c)).collect();
        all.sort_by(order);
        all.truncate(TOP_TERMS);
        a.top = all;
        a
    }

    /// The moment its quiet time ends: no signal since then closes it.
    pub fn closes_at(&self, policy: &CrisisPolicy) -> DateTime<Utc> {
        self.last_signal_at + Duration::minutes(policy.quiet_minutes)
    }

    /// Counts a mention's terms, keeping the top list exact (counts only grow, so a term
    /// enters the top only when its own count rises).
    pub fn add_terms(&mut self, terms: &[String]) {
        for t in terms {
            let n = self.terms.entry(t.clone()).or_default();
            *n += 1;
            let entry = (t.clone(), *n);
            match self.top.iter().position(|(x, _)| x == t) {
                Some(i) => self.top[i] = entry,
                None if self.top.len() < TOP_TERMS => self.top.push(entry),
                None => {
                    let last = self.top.last().expect("top is full");
                    if order(&entry, last).is_lt() {
                        *self.top.last_mut().expect("top is full") = entry;
                    }
                }
            }
            self.top.sort_by(order);
        }
    }

    pub fn top_terms(&self) -> &[(String, i64)] {
        &self.top
    }

    /// The part of [`fits`](Self::fits) that needs no terms: a mention that is not positive,
    /// near the latest signal in time. A mention no active incident may take is ordinary
    /// without its terms being read.
    pub fn may_take(
        &self,
        policy: &CrisisPolicy,
        label: SentimentLabel,
        at: DateTime<Utc>,
    ) -> bool {
        let near = Duration::minutes(policy.attach_window_minutes);
        label != SentimentLabel::Positive
            && at - self.last_signal_at <= near
            && self.last_signal_at - at <= near
    }

    /// Whether an ordinary mention (no crisis signal of its own) joins: not positive, near
    /// the latest signal in time, and sharing a crisis category or enough top terms.
    pub fn fits(
        &self,
        policy: &CrisisPolicy,
        label: SentimentLabel,
        categories: &[String],
        terms: &[String],
        at: DateTime<Utc>,
    ) -> bool {
        if !self.may_take(policy, label, at) {
            return false;
        }
        if categories.iter().any(|c| self.categories.contains(c)) {
            return true;
        }
        self.shares_terms(policy, terms)
    }

    /// Whether a crisis signal (`trigger`, fired by a mention with `categories` and `terms`
    /// at `at`) continues this incident rather than starting a new crisis. It does when the
    /// mention shares enough of the incident's top terms (the same story, however late), or
    /// one of its crisis categories within `same_crisis_minutes` of its latest signal (the
    /// same wave, or the next one after a night's lull). A signal that names no category (an
    /// overall surge, a negative share, a viral post) is judged by the surge rather than by
    /// the mention that tipped it: it continues the incident when at least a third of the
    /// window's negative mentions (`window`: how many carry one of the incident's crisis
    /// categories, of how many) are the incident's, or when it is of the kind that opened the
    /// incident and comes within `same_crisis_minutes` of its latest signal. Nearness alone
    /// never merges two crises (a lone complaint to the regulator in the morning does not
    /// swallow the afternoon's staff-video surge), nor does a category alone a day later (last
    /// week's lone legal threat does not swallow today's class action).
    pub fn same_crisis(
        &self,
        policy: &CrisisPolicy,
        signal: &SignalSeen<'_>,
        at: DateTime<Utc>,
    ) -> bool {
        if self.shares_terms(policy, signal.terms) {
            return true;
        }
        let near = at - self.last_signal_at <= Duration::minutes(policy.same_crisis_minutes);
        if near
            && signal
                .categories
                .iter()
                .any(|c| self.categories.contains(c))
        {
            return true;
        }
        let uncategorized = match signal.trigger {
            Trigger::CriticalCategory { .. } => false,
            Trigger::NegativeVolume { category, .. } => category.is_none(),
            _ => true,
        };
        if !uncategorized {
            return false;
        }
        let (ours, negatives) = signal.window;
        if ours > 0 && ours * 3 >= negatives {
            return true;
        }
        near && signal.trigger.kind() == self.trigger.kind()
    }

    /// Whether the incident is a crisis in progress at `at`: its latest signal within
    /// `attach_window_minutes`, and a surge's worth (`surge.min_count`) of its mentions within
    /// the detector's window before `at` (`recent`). A crisis signal of another story then
    /// does not close it in the middle of its crisis: a dangerous topic opens its own incident
    /// beside it, any other signal joins it (and can raise its severity). Neither a lone
    /// critical mention's incident nor one kept open by a steady trickle of them (a big
    /// brand's daily safety chatter) is hot: the next crisis opens its own.
    pub fn hot(&self, policy: &CrisisPolicy, at: DateTime<Utc>, recent: i64) -> bool {
        at - self.last_signal_at <= Duration::minutes(policy.attach_window_minutes)
            && recent >= policy.surge.min_count
    }

    /// Whether the incident is a real crisis (its `peak` a surge's worth of mentions) with a
    /// signal within the last `same_crisis_minutes` before `at`. A critical mention of another
    /// story (a big brand's everyday safety or legal chatter) then opens its own incident
    /// beside it instead of closing it: a single mention never ends a crisis of the last
    /// hours, whose next wave would otherwise open an incident of its own. A surge of another
    /// story still does.
    pub fn recent_crisis(&self, policy: &CrisisPolicy, at: DateTime<Utc>) -> bool {
        at - self.last_signal_at <= Duration::minutes(policy.same_crisis_minutes)
            && self.peak >= policy.surge.min_count
    }

    fn shares_terms(&self, policy: &CrisisPolicy, terms: &[String]) -> bool {
        self.shared_terms(terms) as i64 >= policy.attach_min_shared_terms
    }

    /// How many of its top terms a mention's `terms` share.
    fn shared_terms(&self, terms: &[String]) -> usize {
        self.top.iter().filter(|(t, _)| terms.contains(t)).count()
    }

    /// Which of several incidents a mention that belongs to each of them goes to: the one
    /// whose story it shares most (top terms), then a real crisis (its peak) before a lone
    /// mention's incident, then the newest.
    pub fn closeness(&self, terms: &[String]) -> (usize, i64, i64) {
        (self.shared_terms(terms), self.peak, self.id)
    }
}

/// What [`ActiveIncident::same_crisis`] weighs about a crisis signal.
pub struct SignalSeen<'a> {
    pub trigger: &'a Trigger,
    /// Categories and terms of the mention that fired it.
    pub categories: &'a [String],
    pub terms: &'a [String],
    /// Negative mentions in the detector's window: how many carry one of the incident's
    /// crisis categories, of how many.
    pub window: (i64, i64),
}

fn order(a: &(String, i64), b: &(String, i64)) -> std::cmp::Ordering {
    b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> CrisisPolicy {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("alerts/crisis.toml");
        crate::crisis::CrisisRules::load(&path, &[])
            .unwrap()
            .policy("any")
            .clone()
    }

    fn strings(xs: &[&str]) -> Vec<String> {
        xs.iter().map(|x| (*x).to_owned()).collect()
    }

    fn critical(category: &str) -> Trigger {
        Trigger::CriticalCategory {
            category: category.into(),
        }
    }

    /// An incident opened by a legal mention at `t0`, about a class action.
    fn legal_incident(t0: DateTime<Utc>) -> ActiveIncident {
        let mut a = ActiveIncident::new(1, Severity::Critical, critical("legal"), t0);
        a.categories.insert("legal".into());
        a.add_terms(&strings(&["demanda", "colectiva", "cobros"]));
        a.mention_count = 1;
        a
    }

    #[test]
    fn a_signal_continues_the_same_crisis_only() {
        let p = policy();
        let t0: DateTime<Utc> = "2026-03-02T09:00:00Z".parse().unwrap();
        let a = legal_incident(t0);
        let legal = critical("legal");
        let signal = |categories: &'static [&str], terms: &'static [&str]| {
            (strings(categories), strings(terms))
        };
        let check = |(cats, terms): &(Vec<String>, Vec<String>), trigger: &Trigger, at| {
            let seen = SignalSeen {
                trigger,
                categories: cats,
                terms,
                window: (0, 5),
            };
            a.same_crisis(&p, &seen, at)
        };
        let other_lawsuit = signal(&["legal"], &["profeco", "queja"]);
        let same_story = signal(&["legal"], &["demanda", "colectiva"]);
        // Same category: the same wave within `same_crisis_minutes`, a new crisis after.
        assert!(check(&other_lawsuit, &legal, t0 + Duration::hours(9)));
        assert!(!check(&other_lawsuit, &legal, t0 + Duration::hours(19)));
        // Its own terms: the same story, however late.
        assert!(check(&same_story, &legal, t0 + Duration::hours(30)));
        // Another category, an hour later: another crisis.
        let safety = critical("safety");
        let poisoning = signal(&["safety"], &["intoxicación", "urgencias"]);
        assert!(!check(&poisoning, &safety, t0 + Duration::hours(1)));
    }

    #[test]
    fn an_overall_surge_is_judged_by_its_mentions() {
        let p = policy();
        let t0: DateTime<Utc> = "2026-03-02T09:00:00Z".parse().unwrap();
        let a = legal_incident(t0);
        let surge = Trigger::NegativeVolume {
            count: 30,
            window_minutes: 60,
            expected: 4.0,
            p_value: 1e-9,
            category: None,
        };
        let (none, terms) = (Vec::new(), strings(&["video", "empleado"]));
        let seen = |window| SignalSeen {
            trigger: &surge,
            categories: &none,
            terms: &terms,
            window,
        };
        let at = t0 + Duration::minutes(40);
        // Made of the incident's mentions (a third or more carry its categories): the same.
        assert!(a.same_crisis(&p, &seen((7, 20)), at));
        // Made of something else, by a mention with nothing in common: a new crisis, however
        // near (a lone legal threat does not swallow a staff-video surge).
        assert!(!a.same_crisis(&p, &seen((1, 20)), at));
    }

    #[test]
    fn a_mention_of_two_incidents_goes_to_the_story_it_shares() {
        let t0: DateTime<Utc> = "2026-03-02T09:00:00Z".parse().unwrap();
        // A class action in progress (a real crisis), and a lone poisoning report beside it.
        let mut lawsuit = legal_incident(t0);
        lawsuit.peak = 40;
        let mut poisoning = ActiveIncident::new(2, Severity::Critical, critical("safety"), t0);
        poisoning.add_terms(&strings(&["intoxicación", "urgencias", "pollo"]));
        let closest = |active: [&ActiveIncident; 2], terms: &[&str]| {
            let terms = strings(terms);
            active
                .into_iter()
                .max_by_key(|a| a.closeness(&terms))
                .map(|a| a.id)
        };
        let both = [&lawsuit, &poisoning];
        // Most shared top terms first, whichever is newer or bigger.
        assert_eq!(
            closest(both, &["pollo", "intoxicación", "demanda"]),
            Some(2)
        );
        assert_eq!(closest(both, &["demanda", "colectiva", "pollo"]), Some(1));
        // A tie on terms: the real crisis before a lone mention's incident.
        assert_eq!(closest(both, &["demanda", "pollo"]), Some(1));
        // A tie on both: the newest.
        lawsuit.peak = 0;
        assert_eq!(
            closest([&lawsuit, &poisoning], &["demanda", "pollo"]),
            Some(2)
        );
    }

    #[test]
    fn only_a_crisis_in_progress_is_hot() {
        let p = policy();
        let t0: DateTime<Utc> = "2026-03-02T09:00:00Z".parse().unwrap();
        let mut a = legal_incident(t0);
        let soon = t0 + Duration::minutes(30);
        assert!(!a.hot(&p, soon, 1), "a lone mention's incident");
        // Weeks of trickle make it big, not hot.
        a.mention_count = 500;
        assert!(!a.hot(&p, soon, 2));
        assert!(
            a.hot(&p, soon, p.surge.min_count),
            "a surge of its mentions just now"
        );
        let late = t0 + Duration::minutes(p.attach_window_minutes + 1);
        assert!(!a.hot(&p, late, p.surge.min_count));
    }

    #[test]
    fn a_crisis_of_the_last_hours_outlives_a_lone_mention() {
        let p = policy();
        let t0: DateTime<Utc> = "2026-03-02T09:00:00Z".parse().unwrap();
        let mut a = legal_incident(t0);
        let evening = t0 + Duration::hours(8);
        // Weeks of lone mentions: big, never a surge.
        a.mention_count = 500;
        a.peak = p.surge.min_count - 1;
        assert!(!a.recent_crisis(&p, evening), "chatter");
        a.peak = p.surge.min_count;
        assert!(a.recent_crisis(&p, evening));
        let tomorrow = t0 + Duration::minutes(p.same_crisis_minutes + 1);
        assert!(!a.recent_crisis(&p, tomorrow));
    }

    #[test]
    fn the_top_terms_stay_exact_as_counts_grow() {
        let t0 = "2026-03-02T00:00:00Z".parse().unwrap();
        let trigger = Trigger::CriticalCategory {
            category: "safety".into(),
        };
        let mut a = ActiveIncident::new(1, Severity::Critical, trigger, t0);
        let words = |s: &str| s.split(' ').map(str::to_owned).collect::<Vec<_>>();
        for i in 0..12 {
            a.add_terms(&words(&format!("term{i:02} common")));
        }
        a.add_terms(&words("term11 term11b"));
        a.add_terms(&words("term11"));
        let top: Vec<&str> = a.top_terms().iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(top[..2], ["common", "term11"]);
        assert_eq!(top.len(), TOP_TERMS);
        // The same list as sorting every count.
        let mut all: Vec<(String, i64)> = a.terms.iter().map(|(t, c)| (t.clone(), *c)).collect();
        all.sort_by(order);
        all.truncate(TOP_TERMS);
        assert_eq!(a.top_terms(), &all[..]);
    }
}
