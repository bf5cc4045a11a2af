//! Child processes owned by a test: stopped (SIGTERM, then SIGKILL) when dropped, so a
//! failing assertion leaves nothing running.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

#[derive(Debug)]
pub struct Owned {
    pub name: &'static str,
    pub child: Child,
}

impl Owned {
    pub fn spawn(name: &'static str, cmd: &mut Command) -> anyhow::Result<Owned> {
        let child = cmd.spawn().with_context(|| format!("starting {name}"))?;
        Ok(Owned { name, child })
    }

    /// SIGTERM and a short wait: tauri-driver must stop its WebKitWebDriver child itself,
    /// which SIGKILL would prevent (the child would keep the port).
    pub fn stop(&mut self) {
        if let Ok(Some(_)) = self.child.try_wait() {
            return;
        }
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Owned {
    fn drop(&mut self) {
        self.stop();
    }
}

pub fn free_port() -> anyhow::Result<u16> {
    let l = TcpListener::bind("127.0.0.1:0")?;
    Ok(l.local_addr()?.port())
}

/// Waits until something accepts connections on `port` (a driver we started has no other
/// readiness signal), failing early if the process exits.
pub fn wait_for_port(owner: &mut Owned, port: u16, within: Duration) -> anyhow::Result<()> {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let deadline = Instant::now() + within;
    loop {
        if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
            return Ok(());
        }
        if let Some(status) = owner.child.try_wait()? {
            bail!(
                "{} exited ({status}) before listening on {port}",
                owner.name
            );
        }
        if Instant::now() > deadline {
            bail!("{} did not listen on {port} within {within:?}", owner.name);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}
