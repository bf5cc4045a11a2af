//! What a soak prints when it passed: how much went through, how often nodes died, and how
//! long envelopes took from the sender's letter to the receiver's receipt.

use std::fmt;
use std::time::Duration;

use super::chaos::Killed;
use super::verify::Reconciled;

/// The `p`-th percentile of `sorted` (0 < p ≤ 100) by the nearest-rank method: the
/// smallest value with at least p % of the values at or below it.
pub fn percentile(sorted: &[Duration], p: u32) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (sorted.len() * p as usize).div_ceil(100).max(1);
    sorted[rank - 1]
}

/// A soak that passed.
#[derive(Debug, Clone)]
pub struct Summary {
    pub seed: u64,
    pub nodes: Vec<String>,
    pub letters: usize,
    pub envelopes: usize,
    pub reconciled: Reconciled,
    pub kills: Vec<Killed>,
    /// From the first letter to the last one answered by its sender.
    pub sending: Duration,
    /// From the last letter sent to every recipient `delivered`.
    pub catching_up: Duration,
    /// From then to every log cosigned at its full size by every peer.
    pub cosigning: Duration,
    /// The whole run, the nodes' start included.
    pub total: Duration,
    /// Every envelope's delivery time, sorted.
    pub latencies: Vec<Duration>,
}

fn secs(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

fn ms(d: Duration) -> String {
    format!("{} ms", d.as_millis())
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kills_per_node = self
            .nodes
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c} {}", self.kills.iter().filter(|k| k.node == i).count()))
            .collect::<Vec<_>>()
            .join(", ");
        let longest_down = self.kills.iter().map(|k| k.down).max().unwrap_or_default();
        let slowest_restart = self
            .kills
            .iter()
            .map(|k| k.restart)
            .max()
            .unwrap_or_default();
        writeln!(
            f,
            "soak passed (seed {}), nodes {}",
            self.seed,
            self.nodes.join(", ")
        )?;
        writeln!(
            f,
            "  envelopes   {} in {} letters, each delivered once, receipts matching the receivers' proofs",
            self.envelopes, self.letters
        )?;
        let moments = self
            .kills
            .iter()
            .map(|k| format!("{}@{}", self.nodes[k.node], k.at_envelopes))
            .collect::<Vec<_>>()
            .join(" ");
        writeln!(
            f,
            "  kills       {} SIGKILL ({kills_per_node}); longest down {}, slowest restart {}",
            self.kills.len(),
            secs(longest_down),
            secs(slowest_restart)
        )?;
        writeln!(f, "              node@envelopes handed out: {moments}")?;
        writeln!(
            f,
            "  cut off     {} letter request(s) broke mid-way: {} had been created, {} had not (sent again)",
            self.reconciled.created + self.reconciled.absent,
            self.reconciled.created,
            self.reconciled.absent
        )?;
        writeln!(
            f,
            "  time        sending {}, catching up {}, cosigning {}, total {}",
            secs(self.sending),
            secs(self.catching_up),
            secs(self.cosigning),
            secs(self.total)
        )?;
        let rate = self.envelopes as f64 / self.sending.as_secs_f64().max(0.001);
        writeln!(
            f,
            "  rate        {rate:.0} envelopes/s offered while sending"
        )?;
        write!(
            f,
            "  delivery    p50 {}, p99 {}, max {} (letter written → receipt at the receiver)",
            ms(percentile(&self.latencies, 50)),
            ms(percentile(&self.latencies, 99)),
            ms(self.latencies.last().copied().unwrap_or_default())
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let ms = |v: &[u64]| {
            v.iter()
                .map(|&m| Duration::from_millis(m))
                .collect::<Vec<_>>()
        };
        // The worked example of the nearest-rank method: 15, 20, 35, 40, 50.
        let values = ms(&[15, 20, 35, 40, 50]);
        assert_eq!(percentile(&values, 5), Duration::from_millis(15));
        assert_eq!(percentile(&values, 30), Duration::from_millis(20));
        assert_eq!(percentile(&values, 40), Duration::from_millis(20));
        assert_eq!(percentile(&values, 50), Duration::from_millis(35));
        assert_eq!(percentile(&values, 100), Duration::from_millis(50));
        let hundred = ms(&(1..=100).collect::<Vec<_>>());
        assert_eq!(percentile(&hundred, 99), Duration::from_millis(99));
        assert_eq!(percentile(&[], 50), Duration::ZERO);
    }
}
