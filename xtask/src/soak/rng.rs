//! The soak's random choices, from one printed seed: SplitMix64 (Steele, Lea and Flood,
//! "Fast splittable pseudorandom number generators", 2014), small and good enough to pick
//! senders, recipients and moments. Not for secrets.

use std::time::Duration;

/// A seeded stream of random numbers.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn seeded(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n` > 0), by Lemire's multiply-and-shift: the bias is at most
    /// n / 2^64, nothing at these sizes.
    pub fn below(&mut self, n: usize) -> usize {
        assert!(n > 0, "a choice among none");
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in `[lo, hi]`, to the millisecond.
    pub fn between(&mut self, lo: Duration, hi: Duration) -> Duration {
        let span = hi.saturating_sub(lo).as_millis() as usize;
        lo + Duration::from_millis(self.below(span + 1) as u64)
    }

    pub fn bytes16(&mut self) -> [u8; 16] {
        let mut out = [0; 16];
        out[..8].copy_from_slice(&self.next_u64().to_le_bytes());
        out[8..].copy_from_slice(&self.next_u64().to_le_bytes());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stream_is_splitmix64s() {
        // The first five outputs for seed 1234567, as Rosetta Code's task
        // "Pseudo-random numbers/Splitmix64" publishes them.
        let mut rng = Rng::seeded(1_234_567);
        let want: [u64; 5] = [
            6_457_827_717_110_365_317,
            3_203_168_211_198_807_973,
            9_817_491_932_198_370_423,
            4_593_380_528_125_082_431,
            16_408_922_859_458_223_821,
        ];
        for w in want {
            assert_eq!(rng.next_u64(), w);
        }
    }

    #[test]
    fn choices_stay_in_range_and_reach_both_ends() {
        let mut rng = Rng::seeded(7);
        let mut seen = [0usize; 3];
        for _ in 0..3000 {
            seen[rng.below(3)] += 1;
        }
        assert!(seen.iter().all(|&n| (800..1200).contains(&n)), "{seen:?}");
        let (lo, hi) = (Duration::from_millis(200), Duration::from_millis(203));
        let picks: std::collections::BTreeSet<Duration> =
            (0..200).map(|_| rng.between(lo, hi)).collect();
        assert_eq!(picks.len(), 4, "every millisecond of [lo, hi]: {picks:?}");
        assert_eq!(picks.first(), Some(&lo));
        assert_eq!(picks.last(), Some(&hi));
    }
}
