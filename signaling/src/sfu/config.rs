//! How the SFU listens and what it tells peers about itself.

use std::net::IpAddr;
use std::time::Duration;

/// Settings of the media server. The UDP socket itself is handed to [`super::Sfu::new`].
#[derive(Debug, Clone)]
pub struct SfuConfig {
    /// Addresses written into the SFU's ICE candidates instead of the machine's own (1:1 NAT:
    /// the public address of a node behind a port forward, or 127.0.0.1 in tests).
    /// Default: none, the addresses of the interfaces are announced.
    pub announced_ips: Vec<IpAddr>,
    /// Answer as an ICE-lite agent: the SFU has a fixed public address, so it only answers
    /// connectivity checks instead of making its own. Default: false.
    pub ice_lite: bool,
    /// How long a participant may stay disconnected (no ICE traffic) before it is dropped and
    /// its tracks are taken from the others. Default: 4 s.
    pub disconnect_grace: Duration,
    /// Silence on the ICE path after which a peer counts as disconnected. Default: 3 s.
    pub ice_disconnected_timeout: Duration,
    /// Silence after which ICE gives the peer up as failed. Default: 10 s.
    pub ice_failed_timeout: Duration,
    /// Interval of ICE keepalives. Default: 1 s (short, so the timeouts above mean something).
    pub ice_keepalive_interval: Duration,
}

impl Default for SfuConfig {
    fn default() -> Self {
        SfuConfig {
            announced_ips: Vec::new(),
            ice_lite: false,
            disconnect_grace: Duration::from_secs(4),
            ice_disconnected_timeout: Duration::from_secs(3),
            ice_failed_timeout: Duration::from_secs(10),
            ice_keepalive_interval: Duration::from_secs(1),
        }
    }
}
