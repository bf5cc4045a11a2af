//! Loopback ports for the nodes' faces: internal faces from 8080 up, external faces from
//! 8443 up, as an operator would expect them; a free port where one of those is taken.

use std::collections::BTreeSet;
use std::net::{SocketAddr, TcpListener};

use anyhow::Context;

/// Where the internal faces start.
pub const INTERNAL_FROM: u16 = 8080;
/// Where the external faces start.
pub const EXTERNAL_FROM: u16 = 8443;

/// Hands out loopback addresses, never one twice in a run.
#[derive(Debug)]
pub struct Ports {
    given: BTreeSet<u16>,
    /// Whether the preferred ports are tried first; tests running beside other nodes take
    /// any free port.
    prefer: bool,
}

impl Ports {
    /// The preferred ports where free: what `cargo xtask run --countries` uses.
    pub fn preferred() -> Ports {
        Ports {
            given: BTreeSet::new(),
            prefer: true,
        }
    }

    /// Any free ports: for networks started beside others (tests, the soak, `--node-bin`).
    pub fn any() -> Ports {
        Ports {
            given: BTreeSet::new(),
            prefer: false,
        }
    }

    /// `127.0.0.1:<preferred>` when it is free, else any free loopback port. The port is
    /// only probed: another program may take it before the node binds it, and then that
    /// node fails to start with the address in its error.
    pub fn take(&mut self, preferred: u16) -> anyhow::Result<SocketAddr> {
        if self.prefer
            && !self.given.contains(&preferred)
            && let Ok(l) = TcpListener::bind(("127.0.0.1", preferred))
        {
            return self.keep(l);
        }
        loop {
            let l = TcpListener::bind("127.0.0.1:0").context("finding a free loopback port")?;
            if !self.given.contains(&l.local_addr()?.port()) {
                return self.keep(l);
            }
        }
    }

    fn keep(&mut self, l: TcpListener) -> anyhow::Result<SocketAddr> {
        let addr = l.local_addr()?;
        self.given.insert(addr.port());
        Ok(addr)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_taken_port_is_replaced_by_a_free_one_and_none_is_given_twice() {
        let busy = TcpListener::bind("127.0.0.1:0").expect("bind");
        let busy_port = busy.local_addr().expect("addr").port();
        let mut ports = Ports::preferred();
        let a = ports.take(busy_port).expect("a port");
        assert_ne!(a.port(), busy_port, "a port in use is not handed out");
        assert!(a.ip().is_loopback());
        drop(busy);
        let b = ports.take(busy_port).expect("the port, now free");
        assert_eq!(b.port(), busy_port, "the preferred port when it is free");
        let c = ports.take(busy_port).expect("another");
        assert_ne!(c.port(), busy_port, "one port is never given to two faces");
    }
}
