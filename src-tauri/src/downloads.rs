//! Where a letter's files land when an officer saves them: the downloads folder, under the
//! file's own name made safe for the file system and unique there (`report (1).pdf` beside
//! `report.pdf`), never over a file already saved.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The most names tried before giving up (`name (1)` … `name (999)`).
const MAX_TRIES: u32 = 1000;

/// Writes `bytes` in `dir` (created if missing) under `name`, or the first free variant of
/// it; the file written.
pub fn save_unique(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let name = safe_name(name);
    let (stem, ext) = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem.to_owned(), format!(".{ext}")),
        _ => (name.clone(), String::new()),
    };
    for n in 0..MAX_TRIES {
        let candidate = match n {
            0 => dir.join(&name),
            n => dir.join(format!("{stem} ({n}){ext}")),
        };
        // `create_new` fails when the name is taken, even if another program took it a
        // moment ago: nothing already there is overwritten.
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&candidate)
        {
            Ok(mut file) => {
                file.write_all(bytes)?;
                file.sync_all()?;
                return Ok(candidate);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::new(
        std::io::ErrorKind::AlreadyExists,
        format!("{MAX_TRIES} files named like {name} are there already"),
    ))
}

/// The last component of `name`, without characters Windows or Linux refuse in a file
/// name and without leading dots (no hidden files, no `..`).
fn safe_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .map(|c| match c {
            '<' | '>' | ':' | '"' | '|' | '?' | '*' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let cleaned = cleaned.trim_start_matches('.').trim_end_matches([' ', '.']);
    if cleaned.is_empty() {
        "attachment".to_owned()
    } else {
        cleaned.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_file_of_the_same_name_is_saved_beside_the_first() {
        let dir = tempfile::tempdir().expect("dir");
        let first = save_unique(dir.path(), "report.pdf", b"one").expect("first");
        let second = save_unique(dir.path(), "report.pdf", b"two").expect("second");
        assert_eq!(first, dir.path().join("report.pdf"));
        assert_eq!(second, dir.path().join("report (1).pdf"));
        assert_eq!(std::fs::read(&first).expect("read"), b"one");
        assert_eq!(std::fs::read(&second).expect("read"), b"two");
    }

    #[test]
    fn a_name_cannot_leave_the_folder_or_hide() {
        let dir = tempfile::tempdir().expect("dir");
        for (name, expected) in [
            ("../../etc/passwd", "passwd"),
            ("..\\..\\boot.ini", "boot.ini"),
            ("..", "attachment"),
            (".bashrc", "bashrc"),
            ("a:b?.txt", "a_b_.txt"),
            ("письмо.docx", "письмо.docx"),
        ] {
            let saved = save_unique(dir.path(), name, b"x").expect(name);
            assert_eq!(saved, dir.path().join(expected), "{name}");
        }
    }
}
