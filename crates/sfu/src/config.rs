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

/// A setting of [`SfuConfig`] that cannot work.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    #[error("announced address {0} is unspecified: announce the address peers reach")]
    UnspecifiedAnnouncedIp(IpAddr),
    #[error(
        "ICE timeouts out of order: keepalive {keepalive:?} < disconnected {disconnected:?} \
         < failed {failed:?} is needed"
    )]
    IceTimeouts {
        keepalive: Duration,
        disconnected: Duration,
        failed: Duration,
    },
    #[error("the disconnect grace is zero: a short network hiccup would drop participants")]
    ZeroGrace,
}

impl SfuConfig {
    /// Checks the settings before anything is started: announced addresses must be ones a
    /// peer can reach, keepalives must come before ICE counts a peer as disconnected, and
    /// "disconnected" before "failed".
    pub fn validate(&self) -> Result<(), ConfigError> {
        if let Some(ip) = self.announced_ips.iter().find(|ip| ip.is_unspecified()) {
            return Err(ConfigError::UnspecifiedAnnouncedIp(*ip));
        }
        let ordered = !self.ice_keepalive_interval.is_zero()
            && self.ice_keepalive_interval < self.ice_disconnected_timeout
            && self.ice_disconnected_timeout < self.ice_failed_timeout;
        if !ordered {
            return Err(ConfigError::IceTimeouts {
                keepalive: self.ice_keepalive_interval,
                disconnected: self.ice_disconnected_timeout,
                failed: self.ice_failed_timeout,
            });
        }
        if self.disconnect_grace.is_zero() {
            return Err(ConfigError::ZeroGrace);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::net::{Ipv4Addr, Ipv6Addr};

    use super::*;

    #[test]
    fn the_default_is_valid() {
        SfuConfig::default().validate().unwrap();
    }

    #[test]
    fn an_unspecified_announced_address_is_refused() {
        for ip in [
            IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            IpAddr::V6(Ipv6Addr::UNSPECIFIED),
        ] {
            let config = SfuConfig {
                announced_ips: vec![IpAddr::V4(Ipv4Addr::LOCALHOST), ip],
                ..Default::default()
            };
            assert_eq!(
                config.validate(),
                Err(ConfigError::UnspecifiedAnnouncedIp(ip))
            );
        }
    }

    #[test]
    fn ice_timeouts_must_be_in_order() {
        let swapped = SfuConfig {
            ice_disconnected_timeout: Duration::from_secs(10),
            ice_failed_timeout: Duration::from_secs(3),
            ..Default::default()
        };
        assert!(matches!(
            swapped.validate(),
            Err(ConfigError::IceTimeouts { .. })
        ));
        let slow_keepalive = SfuConfig {
            ice_keepalive_interval: Duration::from_secs(5),
            ..Default::default()
        };
        assert!(slow_keepalive.validate().is_err());
        let no_keepalive = SfuConfig {
            ice_keepalive_interval: Duration::ZERO,
            ..Default::default()
        };
        assert!(no_keepalive.validate().is_err());
    }

    #[test]
    fn a_zero_grace_is_refused() {
        let config = SfuConfig {
            disconnect_grace: Duration::ZERO,
            ..Default::default()
        };
        assert_eq!(config.validate(), Err(ConfigError::ZeroGrace));
    }
}
