//! The network page's and the "verified" badge's pure half: the peers in the order shown,
//! which of them forked, the element ids tests find, and the texts with numbers in them.

use sis_proto::ledger::{PeerList, PeerState};

use crate::i18n::{Key, Language, t};
use crate::proof::{ProofError, Verified};

/// The peers by country code, so a refresh does not reorder the table.
pub fn sorted(mut list: PeerList) -> PeerList {
    list.peers.sort_by(|a, b| a.country.cmp(&b.country));
    list
}

/// The countries whose logs this node holds fork evidence against, for the alert.
pub fn forked(peers: &[PeerState]) -> Vec<&str> {
    peers
        .iter()
        .filter(|p| p.forks > 0)
        .map(|p| p.country.as_str())
        .collect()
}

/// `peer-<what>-<CC>`: the id of one cell of a peer's row (`peer-queued-KZ`).
pub fn peer_cell_id(what: &str, country: &str) -> String {
    format!("peer-{what}-{}", country.to_ascii_uppercase())
}

/// The alert's sentence naming the forked logs.
pub fn fork_alert(lang: Language, countries: &[&str]) -> String {
    t(lang, Key::NetworkForkAlert).replace("{countries}", &countries.join(", "))
}

/// The badge's tooltip: where the envelope is in the log, or why that was not shown.
pub fn badge_title(lang: Language, outcome: &Result<Verified, ProofError>) -> String {
    match outcome {
        Ok(v) => t(lang, Key::LedgerVerifiedTitle)
            .replace("{index}", &v.leaf_index.to_string())
            .replace("{size}", &v.tree_size.to_string()),
        Err(e) => format!("{} {e}", t(lang, Key::LedgerFailedTitle)),
    }
}

/// "cosigned by N", or nothing while no other member has cosigned.
pub fn cosigned_by(lang: Language, count: usize) -> Option<String> {
    (count > 0).then(|| t(lang, Key::LedgerCosignedBy).replace("{n}", &count.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peer(country: &str, forks: u64) -> PeerState {
        PeerState {
            country: country.to_owned(),
            name: country.to_owned(),
            external_url: format!("https://{country}.example:9443"),
            queued: 0,
            in_flight: 0,
            delivered: 0,
            refused: 0,
            last_error: None,
            cosigned_size: None,
            cosigned_at: None,
            forks,
        }
    }

    #[test]
    fn peers_are_shown_by_country_code() {
        let list = sorted(PeerList {
            trust_list_version: Some(3),
            peers: vec![peer("UZ", 0), peer("KG", 0), peer("KZ", 0)],
        });
        let order: Vec<&str> = list.peers.iter().map(|p| p.country.as_str()).collect();
        assert_eq!(order, ["KG", "KZ", "UZ"]);
    }

    #[test]
    fn only_peers_with_fork_evidence_raise_the_alert() {
        let peers = [peer("KG", 0), peer("KZ", 2), peer("UZ", 1)];
        assert_eq!(forked(&peers), ["KZ", "UZ"]);
        assert!(forked(&peers[..1]).is_empty());
        assert!(fork_alert(Language::En, &forked(&peers)).contains("KZ, UZ"));
        assert!(fork_alert(Language::Ru, &forked(&peers)).contains("KZ, UZ"));
    }

    #[test]
    fn cell_ids_carry_the_upper_case_country() {
        assert_eq!(peer_cell_id("queued", "kz"), "peer-queued-KZ");
        assert_eq!(peer_cell_id("forks", "UZ"), "peer-forks-UZ");
    }

    #[test]
    fn the_tooltip_says_where_in_the_log_or_why_not() {
        let ok = Ok(Verified {
            leaf_index: 4,
            tree_size: 13,
            cosigned_by: 2,
        });
        for lang in Language::ALL {
            let title = badge_title(lang, &ok);
            assert!(title.contains('4') && title.contains("13"), "{title}");
            assert!(!title.contains('{'), "every placeholder filled: {title}");
        }
        let failed = badge_title(Language::En, &Err(ProofError::RootMismatch));
        assert!(failed.contains("root_hash"), "{failed}");
    }

    #[test]
    fn cosignatures_are_counted_when_there_are_any() {
        assert_eq!(cosigned_by(Language::En, 0), None);
        assert_eq!(
            cosigned_by(Language::En, 2).as_deref(),
            Some("cosigned by 2")
        );
        assert!(cosigned_by(Language::Ru, 3).is_some_and(|s| s.contains('3')));
    }
}
