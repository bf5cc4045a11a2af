//! Searching a code list the way an officer types: by code prefix (`8507`, `84713`), or by
//! words in English or Russian, case-insensitive, matching word forms (Snowball stemming:
//! "аккумулятор" finds "аккумуляторы", "battery" finds "batteries"), the last word also as
//! a prefix so results follow each keystroke. Results are ranked and say which language
//! matched.

use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

use crate::codelist::{self, CodeList, Entry, ListId};

/// What a hit matched on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MatchLang {
    Code,
    En,
    Ru,
}

#[derive(Debug, Clone, Copy)]
pub struct Hit {
    pub entry: &'static Entry,
    pub lang: MatchLang,
    /// Higher is better; only comparable within one query.
    pub score: u32,
}

/// A word of a name: as written (lower case) and its stem.
#[derive(Debug)]
struct Token {
    word: String,
    stem: String,
}

#[derive(Debug)]
struct Doc {
    en: Vec<Token>,
    ru: Vec<Token>,
}

/// Sorted keys (words or stems) with the entries that hold them, so a query looks up
/// the few entries that can match instead of scanning the whole list.
#[derive(Debug, Default)]
struct Postings {
    keys: Vec<(String, Vec<u32>)>,
}

impl Postings {
    fn build<'a>(items: impl Iterator<Item = (&'a str, u32)>) -> Postings {
        let mut map: std::collections::BTreeMap<&str, Vec<u32>> = Default::default();
        for (key, doc) in items {
            let docs = map.entry(key).or_default();
            if docs.last() != Some(&doc) {
                docs.push(doc);
            }
        }
        Postings {
            keys: map.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
        }
    }

    fn exact(&self, key: &str, out: &mut Vec<u32>) {
        if let Ok(i) = self.keys.binary_search_by(|(k, _)| k.as_str().cmp(key)) {
            out.extend_from_slice(&self.keys[i].1);
        }
    }

    fn prefix(&self, prefix: &str, out: &mut Vec<u32>) {
        let start = self.keys.partition_point(|(k, _)| k.as_str() < prefix);
        for (k, docs) in &self.keys[start..] {
            if !k.starts_with(prefix) {
                break;
            }
            out.extend_from_slice(docs);
        }
    }
}

/// Word and stem postings of one language.
#[derive(Debug, Default)]
struct LangIndex {
    words: Postings,
    stems: Postings,
}

impl LangIndex {
    fn build(docs: &[Doc], pick: fn(&Doc) -> &Vec<Token>) -> LangIndex {
        let all = || {
            docs.iter()
                .enumerate()
                .flat_map(move |(i, d)| pick(d).iter().map(move |t| (t, i as u32)))
        };
        LangIndex {
            words: Postings::build(all().map(|(t, i)| (t.word.as_str(), i))),
            stems: Postings::build(all().map(|(t, i)| (t.stem.as_str(), i))),
        }
    }

    /// Entries that can satisfy one query word (a superset of what `match_words` accepts).
    fn candidates(&self, word: &str, stem: &str, last: bool) -> Vec<u32> {
        let mut out = Vec::new();
        self.words.exact(word, &mut out);
        if last {
            self.words.prefix(word, &mut out);
        }
        if stem.chars().count() >= 3 {
            self.stems.prefix(stem, &mut out);
        } else {
            self.stems.exact(stem, &mut out);
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// The search index of one code list.
#[derive(Debug)]
pub struct Index {
    list: &'static CodeList,
    docs: Vec<Doc>,
    en: LangIndex,
    ru: LangIndex,
}

fn stemmer(lang: MatchLang) -> &'static Stemmer {
    static EN: OnceLock<Stemmer> = OnceLock::new();
    static RU: OnceLock<Stemmer> = OnceLock::new();
    match lang {
        MatchLang::Ru => RU.get_or_init(|| Stemmer::create(Algorithm::Russian)),
        _ => EN.get_or_init(|| Stemmer::create(Algorithm::English)),
    }
}

/// Lower-cased words; `ё` folded to `е`, as Russian texts write either.
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase().replace('ё', "е"))
}

fn tokens(text: Option<&str>, lang: MatchLang) -> Vec<Token> {
    let stem = stemmer(lang);
    text.map(|t| {
        words(t)
            .map(|word| Token {
                stem: stem.stem(&word).into_owned(),
                word,
            })
            .collect()
    })
    .unwrap_or_default()
}

fn is_cyrillic(word: &str) -> bool {
    word.chars().any(|c| matches!(c, '\u{0400}'..='\u{04FF}'))
}

/// The index of a list, built on first use.
pub fn index(id: ListId) -> &'static Index {
    static INDEXES: [OnceLock<Index>; 7] = [const { OnceLock::new() }; 7];
    let slot = ListId::ALL.iter().position(|l| *l == id).unwrap_or(0);
    INDEXES[slot].get_or_init(|| {
        let list = codelist::list(id);
        let docs: Vec<Doc> = list
            .entries()
            .iter()
            .map(|e| Doc {
                en: tokens(Some(e.en), MatchLang::En),
                ru: tokens(e.ru, MatchLang::Ru),
            })
            .collect();
        Index {
            list,
            en: LangIndex::build(&docs, |d| &d.en),
            ru: LangIndex::build(&docs, |d| &d.ru),
            docs,
        }
    })
}

/// How well the query words match a name's tokens: `None` unless every word matches.
fn match_words(query: &[(String, String)], doc: &[Token]) -> Option<u32> {
    let mut score = 0;
    for (i, (word, stem)) in query.iter().enumerate() {
        let last = i + 1 == query.len();
        let best = doc
            .iter()
            .enumerate()
            .filter_map(|(pos, t)| {
                let s = if t.word == *word {
                    30
                } else if t.stem == *stem {
                    25
                } else if last && t.word.starts_with(word.as_str()) {
                    15
                } else if stem.chars().count() >= 3 && t.stem.starts_with(stem.as_str()) {
                    10
                } else {
                    return None;
                };
                // Words near the start of a name say what the thing is.
                Some(s + 5u32.saturating_sub(pos as u32))
            })
            .max()?;
        score += best;
    }
    // Among equal matches, the shorter name is the more specific answer.
    Some(score * 100 + 99u32.saturating_sub(doc.len() as u32))
}

impl Index {
    /// Up to `limit` hits, best first.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        let query = query.trim();
        if query.is_empty() || limit == 0 {
            return Vec::new();
        }
        let compact: String = query.chars().filter(|c| !matches!(c, ' ' | '.')).collect();
        // Dots and spaces alone are no code: an empty prefix would list the whole list.
        let code_like = !compact.is_empty()
            && compact.chars().all(|c| c.is_ascii_alphanumeric())
            && (compact.chars().any(|c| c.is_ascii_digit()) || compact.len() <= 4);
        let mut hits = Vec::new();
        if code_like {
            let upper = compact.to_ascii_uppercase();
            let entries = self.list.entries();
            let start = entries.partition_point(|e| e.code < upper.as_str());
            for e in entries[start..]
                .iter()
                .take_while(|e| e.code.starts_with(&upper))
            {
                // Exact first, then the shortest codes (the heading before its subheadings).
                let score = 10_000 - (e.code.len() - upper.len()) as u32;
                hits.push(Hit {
                    entry: e,
                    lang: MatchLang::Code,
                    score,
                });
            }
        }
        let q: Vec<String> = words(query).collect();
        if !q.is_empty() {
            let lang = if q.iter().any(|w| is_cyrillic(w)) {
                MatchLang::Ru
            } else {
                MatchLang::En
            };
            let stem = stemmer(lang);
            let q: Vec<(String, String)> = q
                .into_iter()
                .map(|w| (stem.stem(&w).into_owned(), w))
                .map(|(s, w)| (w, s))
                .collect();
            let lang_index = if lang == MatchLang::Ru {
                &self.ru
            } else {
                &self.en
            };
            // Entries holding every query word: intersect the candidates of each word.
            let mut candidates: Option<Vec<u32>> = None;
            for (i, (word, stem)) in q.iter().enumerate() {
                let these = lang_index.candidates(word, stem, i + 1 == q.len());
                candidates = Some(match candidates {
                    None => these,
                    Some(prev) => prev
                        .into_iter()
                        .filter(|d| these.binary_search(d).is_ok())
                        .collect(),
                });
            }
            let code_hits = hits.len();
            for d in candidates.unwrap_or_default() {
                let (e, doc) = (&self.list.entries()[d as usize], &self.docs[d as usize]);
                let tokens = if lang == MatchLang::Ru {
                    &doc.ru
                } else {
                    &doc.en
                };
                if let Some(score) = match_words(&q, tokens)
                    && !hits[..code_hits]
                        .iter()
                        .any(|h: &Hit| std::ptr::eq(h.entry, e))
                {
                    hits.push(Hit {
                        entry: e,
                        lang,
                        score,
                    });
                }
            }
        }
        hits.sort_by(|a, b| b.score.cmp(&a.score).then(a.entry.code.cmp(b.entry.code)));
        hits.truncate(limit);
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(id: ListId, q: &str, n: usize) -> Vec<&'static str> {
        index(id)
            .search(q, n)
            .iter()
            .map(|h| h.entry.code)
            .collect()
    }

    #[test]
    fn code_prefixes_list_the_heading_before_its_subheadings() {
        let hits = codes(ListId::Hs, "8507", 3);
        assert_eq!(hits[0], "8507");
        assert!(
            hits[1..]
                .iter()
                .all(|c| c.starts_with("8507") && c.len() == 6)
        );
        assert_eq!(codes(ListId::Hs, "8507.10", 1), ["850710"]);
        assert_eq!(index(ListId::Hs).search("01", 1)[0].lang, MatchLang::Code);
    }

    #[test]
    fn english_words_match_their_forms_and_prefixes() {
        let hits = codes(ListId::Hs, "accumulators electric", 20);
        assert!(hits.contains(&"8507"), "{hits:?}");
        let hits = codes(ListId::Hs, "horse", 10);
        assert!(hits.contains(&"0101"), "{hits:?}");
        // Typing: "accumul" already finds them.
        assert!(codes(ListId::Hs, "electric accumul", 20).contains(&"8507"));
        assert!(codes(ListId::Currencies, "tenge", 3).contains(&"KZT"));
    }

    #[test]
    fn russian_words_match_case_insensitively_and_in_other_forms() {
        // Chapter 01 is "Живые животные": the singular, capitalised, finds it.
        let hits = index(ListId::Hs).search("Живое животное", 10);
        assert!(
            hits.iter()
                .any(|h| h.entry.code == "01" && h.lang == MatchLang::Ru),
            "{hits:?}"
        );
        assert!(codes(ListId::Countries, "казахстана", 3).contains(&"KZ"));
        assert!(codes(ListId::Currencies, "ТЕНГЕ", 3).contains(&"KZT"));
        assert!(codes(ListId::Units, "килограмм", 5).contains(&"KGM"));
    }

    #[test]
    fn nonsense_finds_nothing_and_never_panics() {
        for q in ["zzzqqq", "", "\u{0}", "....", " . ", "%", "💡"] {
            assert_eq!(codes(ListId::Hs, q, 10), Vec::<&str>::new(), "{q:?}");
        }
        // Not nonsense, but odd: a lone "ё" is the first keystroke of a Russian word, read
        // as "е" like the names are; a word typed 500 times still means that word.
        let hits = index(ListId::Hs).search("ё", 10);
        assert_eq!(hits.len(), 10);
        for hit in &hits {
            let ru = hit.entry.ru.unwrap_or_default();
            assert!(
                hit.lang == MatchLang::Ru && words(ru).any(|w| w.starts_with('е')),
                "{ru}"
            );
        }
        let hits = index(ListId::Hs).search(&"a ".repeat(500), 10);
        assert_eq!(hits.len(), 10);
        for hit in &hits {
            assert!(
                hit.lang == MatchLang::En && words(hit.entry.en).any(|w| w == "a"),
                "{}",
                hit.entry.en
            );
        }
    }
}
