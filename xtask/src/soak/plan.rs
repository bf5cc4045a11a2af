//! What a soak will do, drawn before it starts from its seed: the letters (who writes to
//! whom), the cases they are filed under, and the kills (when, which node, how long down).
//! Pure: the same seed gives the same plan, so a failed run can be looked at again.

use std::time::Duration;

use sis_customs::documents::CorrelationId;

use super::rng::Rng;

/// Letters per case. A node lists at most 200 letters per request (`GET /api/v1/letters`),
/// so the checks read inboxes and outboxes case by case; with 100 letters to a case, a list
/// that comes back with more than 100 holds duplicates, and none is hidden by the limit.
pub const CASE_SIZE: usize = 100;

/// One letter to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedLetter {
    /// Its number in the run, which its subject carries.
    pub n: usize,
    /// The index of the sending node.
    pub from: usize,
    /// Indexes of the receiving nodes: one or several, never the sender.
    pub to: Vec<usize>,
}

impl PlannedLetter {
    /// The case it is filed under, an index into [`Plan::cases`].
    pub fn case(&self) -> usize {
        self.n / CASE_SIZE
    }
}

/// One SIGKILL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedKill {
    /// Once this many envelopes were handed to senders.
    pub after_envelopes: usize,
    pub node: usize,
    /// How long the node stays down before it is started again.
    pub down: Duration,
}

/// The whole run.
#[derive(Debug, Clone)]
pub struct Plan {
    pub letters: Vec<PlannedLetter>,
    /// One case id per [`CASE_SIZE`] letters.
    pub cases: Vec<String>,
    pub kills: Vec<PlannedKill>,
}

/// How big a run is.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub nodes: usize,
    /// Envelopes in all: a letter to two countries travels in two.
    pub envelopes: usize,
    pub kills: usize,
    /// The shortest and longest time a killed node stays down.
    pub down: (Duration, Duration),
}

/// The subject of letter `n`: one word the lists can be read by.
pub fn subject(n: usize) -> String {
    format!("Soak letter {n:06}")
}

/// The number in a subject [`subject`] wrote.
pub fn number_in(subject: &str) -> Option<usize> {
    let digits = subject.strip_prefix("Soak letter ")?;
    (digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
}

pub fn draw(rng: &mut Rng, size: Size) -> Plan {
    assert!(size.nodes >= 2, "a soak needs two nodes at least");
    let mut letters = Vec::new();
    let mut envelopes = 0;
    while envelopes < size.envelopes {
        let from = rng.below(size.nodes);
        let others: Vec<usize> = (0..size.nodes).filter(|&i| i != from).collect();
        // A non-empty subset of the others, uniformly, trimmed so that the run carries
        // exactly the envelopes asked for.
        let mask = 1 + rng.below((1 << others.len()) - 1);
        let mut to: Vec<usize> = others
            .iter()
            .enumerate()
            .filter(|(bit, _)| mask & (1 << bit) != 0)
            .map(|(_, &node)| node)
            .collect();
        to.truncate(size.envelopes - envelopes);
        envelopes += to.len();
        letters.push(PlannedLetter {
            n: letters.len(),
            from,
            to,
        });
    }
    let cases = (0..letters.len().div_ceil(CASE_SIZE))
        .map(|_| CorrelationId::from_bytes(rng.bytes16()).to_string())
        .collect();
    // Kills spread over the sending, none in its first or last twentieth, so that there is
    // traffic to interrupt both ways.
    let (lo, hi) = (size.envelopes / 20, size.envelopes - size.envelopes / 20);
    let mut kills: Vec<PlannedKill> = (0..size.kills)
        .map(|_| PlannedKill {
            after_envelopes: lo + rng.below(hi - lo + 1),
            node: rng.below(size.nodes),
            down: rng.between(size.down.0, size.down.1),
        })
        .collect();
    kills.sort_by_key(|k| k.after_envelopes);
    Plan {
        letters,
        cases,
        kills,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn size(envelopes: usize, kills: usize) -> Size {
        Size {
            nodes: 3,
            envelopes,
            kills,
            down: (Duration::from_millis(100), Duration::from_millis(900)),
        }
    }

    #[test]
    fn a_plan_carries_the_envelopes_asked_for_between_distinct_nodes() {
        let plan = draw(&mut Rng::seeded(11), size(1001, 5));
        let total: usize = plan.letters.iter().map(|l| l.to.len()).sum();
        assert_eq!(total, 1001);
        let mut pairs = std::collections::BTreeSet::new();
        for (i, l) in plan.letters.iter().enumerate() {
            assert_eq!(l.n, i);
            assert!(!l.to.is_empty() && !l.to.contains(&l.from), "{l:?}");
            let mut to = l.to.clone();
            to.dedup();
            assert_eq!(to, l.to, "no recipient twice");
            pairs.extend(l.to.iter().map(|&t| (l.from, t)));
        }
        assert_eq!(pairs.len(), 6, "every node writes to every other");
        assert!(
            plan.letters.iter().any(|l| l.to.len() == 2),
            "some letters go to two countries"
        );
        assert_eq!(plan.cases.len(), plan.letters.len().div_ceil(CASE_SIZE));
        for case in &plan.cases {
            CorrelationId::parse(case).expect("a case the node accepts");
        }
    }

    #[test]
    fn kills_fall_inside_the_traffic_in_order_and_the_seed_decides_all() {
        let plan = draw(&mut Rng::seeded(5), size(150, 3));
        assert_eq!(plan.kills.len(), 3);
        for pair in plan.kills.windows(2) {
            assert!(pair[0].after_envelopes <= pair[1].after_envelopes);
        }
        for k in &plan.kills {
            assert!((7..=143).contains(&k.after_envelopes), "{k:?}");
            assert!(k.node < 3);
            assert!((100..=900).contains(&k.down.as_millis()), "{k:?}");
        }
        let again = draw(&mut Rng::seeded(5), size(150, 3));
        assert_eq!(again.letters, plan.letters);
        assert_eq!(again.kills, plan.kills);
    }

    #[test]
    fn subjects_give_their_number_back_and_nothing_else_does() {
        assert_eq!(number_in(&subject(42)), Some(42));
        assert_eq!(number_in(&subject(999_999)), Some(999_999));
        for other in ["Soak letter 42", "Soak letter 00004x", "Demo network check"] {
            assert_eq!(number_in(other), None, "{other}");
        }
    }
}
