//! A throwaway PostgreSQL cluster from Debian's packages, for the store suite. PostgreSQL
//! refuses to run as root, so when we are root the cluster belongs to `postgres`.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, bail};

use crate::sh;

pub struct Cluster {
    dir: tempfile_dir::Dir,
    bin: PathBuf,
    pub url: String,
    as_postgres: bool,
}

/// A temp folder removed on drop (std only, to keep xtask's build small).
mod tempfile_dir {
    use std::path::{Path, PathBuf};

    pub struct Dir(PathBuf);

    impl Dir {
        pub fn new(prefix: &str) -> std::io::Result<Dir> {
            let base = std::env::temp_dir();
            for i in 0..100u32 {
                let p = base.join(format!("{prefix}-{}-{i}", std::process::id()));
                if std::fs::create_dir(&p).is_ok() {
                    return Ok(Dir(p));
                }
            }
            Err(std::io::Error::other("no free temp folder name"))
        }
        pub fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

/// The newest `/usr/lib/postgresql/<v>/bin` with `initdb`.
fn bin_dir() -> anyhow::Result<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .context("PostgreSQL is not installed (apt-get install postgresql)")?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let v = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").is_file().then_some((v, bin))
        })
        .collect();
    versions.sort();
    versions
        .pop()
        .map(|(_, b)| b)
        .context("no initdb under /usr/lib/postgresql/*/bin")
}

fn free_port() -> anyhow::Result<u16> {
    let l = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(l.local_addr()?.port())
}

fn is_root() -> bool {
    sh::output(Command::new("id").arg("-u")).is_ok_and(|s| s.trim() == "0")
}

impl Cluster {
    fn cmd(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(path);
            c
        } else {
            Command::new(path)
        }
    }

    pub fn start() -> anyhow::Result<Cluster> {
        let as_postgres = is_root();
        let dir = tempfile_dir::Dir::new("sis-pg")?;
        if as_postgres {
            sh::run(
                Command::new("chown")
                    .arg("postgres:postgres")
                    .arg(dir.path()),
            )?;
        }
        let port = free_port()?;
        let cluster = Cluster {
            bin: bin_dir()?,
            url: format!("postgres://sis@127.0.0.1:{port}/postgres"),
            dir,
            as_postgres,
        };
        let data = cluster.dir.path().join("db");
        sh::output(
            cluster
                .cmd("initdb")
                .args(["-A", "trust", "-U", "sis", "-E", "UTF8", "-D"])
                .arg(&data),
        )?;
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            cluster.dir.path().display()
        );
        let log = cluster.dir.path().join("log");
        let started = sh::run(
            cluster
                .cmd("pg_ctl")
                .arg("-D")
                .arg(&data)
                .args(["-o", &options, "-l"])
                .arg(&log)
                .args(["-w", "start"]),
        );
        if let Err(e) = started {
            let text = std::fs::read_to_string(&log).unwrap_or_default();
            bail!("{e}\nPostgreSQL log:\n{text}");
        }
        Ok(cluster)
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("db")
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.data();
        let _ = self
            .cmd("pg_ctl")
            .arg("-D")
            .arg(&data)
            .args(["-m", "immediate", "-w", "stop"])
            .output();
    }
}
