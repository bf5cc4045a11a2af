//! HS directory search: our ranked search (`sis_customs::search`) against a bare SQLite
//! FTS5 query over the same rows, on the same 200 queries, in the same run. Prints p50 and
//! p99 of each and their ratio. Run with `cargo xtask bench`.

use std::time::{Duration, Instant};

use sis_customs::codelist::{self, ListId};
use sis_customs::search;
use sqlx::{Connection, Row, SqliteConnection};

/// 200 fixed queries: code prefixes, English words and prefixes, Russian words in other
/// forms, typed as people type them. Taken from the list itself at fixed strides so the
/// set is the same on every run.
fn queries() -> Vec<String> {
    let hs = codelist::hs().entries();
    let mut q = Vec::new();
    // 50 code prefixes of 2 to 6 digits.
    for (i, e) in hs
        .iter()
        .filter(|e| e.extra == "subheading")
        .step_by(112)
        .take(50)
        .enumerate()
    {
        q.push(e.code[..2 + i % 5].to_owned());
    }
    // 100 English: one or two words, the last often cut short as while typing.
    let words: Vec<&str> = hs
        .iter()
        .flat_map(|e| e.en.split(|c: char| !c.is_alphabetic()))
        .filter(|w| w.len() >= 5)
        .collect();
    for i in 0..100 {
        let w = words[(i * 7919) % words.len()].to_lowercase();
        q.push(match i % 3 {
            0 => w,
            1 => w[..4].to_owned(),
            _ => format!(
                "{} {}",
                words[(i * 104_729) % words.len()].to_lowercase(),
                &w[..4]
            ),
        });
    }
    // 50 Russian, with the ending changed or cut (word forms).
    let ru: Vec<String> = hs
        .iter()
        .filter_map(|e| e.ru)
        .flat_map(|t| t.split(|c: char| !c.is_alphabetic()).map(str::to_lowercase))
        .filter(|w| w.chars().count() >= 6)
        .collect();
    for i in 0..50 {
        let w = &ru[(i * 31) % ru.len()];
        let stem: String = w.chars().take(w.chars().count() - 2).collect();
        q.push(if i % 2 == 0 {
            format!("{stem}ы")
        } else {
            stem
        });
    }
    q
}

/// The FTS5 form of a query: code prefix on the code column, else every word as a prefix.
fn fts_query(q: &str) -> (bool, String) {
    if q.chars().all(|c| c.is_ascii_digit()) {
        (true, format!("{q}%"))
    } else {
        let terms: Vec<String> = q
            .split_whitespace()
            .map(|w| format!("\"{}\"*", w.replace('"', "")))
            .collect();
        (false, terms.join(" "))
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let queries = queries();
    assert_eq!(queries.len(), 200);
    let rounds = 5;

    // Ours: build the index once (as the node does at its first query), then measure.
    let index = search::index(ListId::Hs);
    let _ = index.search("warm up", 50);
    let mut ours = Vec::new();
    let mut our_hits = 0;
    for _ in 0..rounds {
        for q in &queries {
            let t = Instant::now();
            let hits = index.search(q, 50);
            ours.push(t.elapsed());
            our_hits += hits.len();
        }
    }

    // Reference: the same rows in an in-memory SQLite FTS5 table, default tokenizer.
    let mut db = SqliteConnection::connect("sqlite::memory:").await?;
    sqlx::query("CREATE VIRTUAL TABLE hs USING fts5(code, en, ru)")
        .execute(&mut db)
        .await?;
    for e in codelist::hs().entries() {
        sqlx::query("INSERT INTO hs (code, en, ru) VALUES ($1, $2, $3)")
            .bind(e.code)
            .bind(e.en)
            .bind(e.ru.unwrap_or(""))
            .execute(&mut db)
            .await?;
    }
    let mut fts = Vec::new();
    let mut fts_hits = 0;
    for _ in 0..rounds {
        for q in &queries {
            let (by_code, arg) = fts_query(q);
            let sql = if by_code {
                "SELECT code FROM hs WHERE code LIKE $1 ORDER BY length(code), code LIMIT 50"
            } else {
                "SELECT code FROM hs WHERE hs MATCH $1 ORDER BY rank LIMIT 50"
            };
            let t = Instant::now();
            let rows = sqlx::query(sql).bind(&arg).fetch_all(&mut db).await?;
            fts.push(t.elapsed());
            fts_hits += rows
                .iter()
                .filter(|r| r.try_get::<String, _>(0).is_ok())
                .count();
        }
    }

    ours.sort();
    fts.sort();
    let (o50, o99) = (percentile(&ours, 0.5), percentile(&ours, 0.99));
    let (f50, f99) = (percentile(&fts, 0.5), percentile(&fts, 0.99));
    println!(
        "HS search, 200 queries x {rounds} rounds (50 code prefixes, 100 English, 50 Russian)"
    );
    println!(
        "  ours  p50 {:>8.1} us  p99 {:>8.1} us  ({} hits)",
        micros(o50),
        micros(o99),
        our_hits / rounds
    );
    println!(
        "  fts5  p50 {:>8.1} us  p99 {:>8.1} us  ({} hits)",
        micros(f50),
        micros(f99),
        fts_hits / rounds
    );
    println!(
        "  ratio ours/fts5: p50 {:.2}  p99 {:.2}",
        o50.as_secs_f64() / f50.as_secs_f64(),
        o99.as_secs_f64() / f99.as_secs_f64()
    );
    println!(
        "  target p99 < 5 ms: {}",
        if o99 < Duration::from_millis(5) {
            "met"
        } else {
            "NOT met"
        }
    );
    Ok(())
}
