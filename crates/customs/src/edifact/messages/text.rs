//! Text longer than one data element: cut into the pieces a composite holds, and over as
//! many segments as it takes, then joined back exactly.
//!
//! A free text (`FTX` C108: five pieces of 70 characters) or an item description (`IMD`
//! C273: two pieces of 35) is written line by line. Each line fills segments of the same
//! qualifier in order; a segment that is full (350 or 70 characters) goes on in the next
//! one, any other segment ends its line. A line that ends exactly where a segment is full
//! is closed by one more segment without text, and so is an empty line. The reader joins
//! the pieces of a segment without adding anything, and the lines with a line break, so
//! every text comes back as it was written. A partner that writes one line per segment,
//! as most do, is read the same way.

use crate::edifact::Segment;

use super::FTX;
use super::read::Fields;
use super::write::{composite, empty, segment, simple};

/// How much one segment holds: `pieces` components of `chars` characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Shape {
    pub(super) pieces: usize,
    pub(super) chars: usize,
}

impl Shape {
    /// `FTX` C108 text literal: five times data element 4440, an..70.
    pub(super) const FTX: Shape = Shape {
        pieces: 5,
        chars: 70,
    };
    /// `IMD` C273 item description: twice data element 7008, an..35.
    pub(super) const IMD: Shape = Shape {
        pieces: 2,
        chars: 35,
    };

    fn capacity(self) -> usize {
        self.pieces * self.chars
    }
}

/// The text as segments, each a list of pieces (empty for a segment without text).
pub(super) fn cut(text: &str, shape: Shape) -> Vec<Vec<String>> {
    let mut segments = Vec::new();
    for line in text.split('\n') {
        let chars: Vec<char> = line.chars().collect();
        for chunk in chars.chunks(shape.capacity()) {
            segments.push(
                chunk
                    .chunks(shape.chars)
                    .map(|piece| piece.iter().collect())
                    .collect(),
            );
        }
        if chars.len().is_multiple_of(shape.capacity()) {
            segments.push(Vec::new());
        }
    }
    segments
}

/// The reverse of [`cut`]: fed one segment's pieces at a time.
#[derive(Debug)]
pub(super) struct Joined {
    shape: Shape,
    lines: Vec<String>,
    line: String,
    /// The last segment was full, so the line goes on.
    open: bool,
}

impl Joined {
    pub(super) fn new(shape: Shape) -> Self {
        Self {
            shape,
            lines: Vec::new(),
            line: String::new(),
            open: false,
        }
    }

    pub(super) fn push<'a>(&mut self, pieces: impl IntoIterator<Item = &'a str>) {
        let start = self.line.len();
        self.line.extend(pieces);
        self.open = self.line[start..].chars().count() == self.shape.capacity();
        if !self.open {
            self.lines.push(std::mem::take(&mut self.line));
        }
    }

    /// Whether any segment was pushed.
    pub(super) fn is_empty(&self) -> bool {
        self.lines.is_empty() && !self.open
    }

    pub(super) fn finish(mut self) -> String {
        if self.open {
            self.lines.push(self.line);
        }
        self.lines.join("\n")
    }
}

/// `FTX+qualifier+++text` segments holding `text`.
pub(super) fn ftx(qualifier: &str, text: &str) -> Vec<Segment> {
    cut(text, Shape::FTX)
        .into_iter()
        .map(|pieces| match pieces.as_slice() {
            [] => segment(FTX, vec![simple(qualifier)]),
            _ => segment(
                FTX,
                vec![simple(qualifier), empty(), empty(), composite(&pieces)],
            ),
        })
        .collect()
}

/// Feeds the text of an `FTX`, whose qualifier the caller has read, to `joined`.
pub(super) fn read_ftx(fields: &mut Fields<'_>, joined: &mut Joined) {
    let pieces: Vec<&str> = (1..=Shape::FTX.pieces)
        .filter_map(|component| fields.get(4, component))
        .collect();
    joined.push(pieces);
}

/// A one-line value cut into at most `n` pieces of `size` characters; the last piece
/// takes whatever is left, so nothing is lost when the value is longer than the
/// composite (`NAD` C080 party name: five pieces of 35).
pub(super) fn pieces(value: &str, n: usize, size: usize) -> Vec<String> {
    let chars: Vec<char> = value.chars().collect();
    let mut pieces: Vec<String> = chars
        .chunks(size)
        .take(n.saturating_sub(1))
        .map(|piece| piece.iter().collect())
        .collect();
    let rest = chars.get(pieces.len() * size..).unwrap_or_default();
    if !rest.is_empty() {
        pieces.push(rest.iter().collect());
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(text: &str, shape: Shape) -> Vec<Vec<String>> {
        let segments = cut(text, shape);
        let mut joined = Joined::new(shape);
        for segment in &segments {
            joined.push(segment.iter().map(String::as_str));
        }
        assert_eq!(joined.finish(), text, "cut into {segments:?}");
        segments
    }

    #[test]
    fn short_text_is_one_segment_of_one_piece() {
        assert_eq!(round_trip("Wheat flour", Shape::FTX), [["Wheat flour"]]);
    }

    #[test]
    fn long_lines_fill_pieces_then_segments() {
        let text = "x".repeat(800);
        let segments = round_trip(&text, Shape::FTX);
        assert_eq!(
            segments.iter().map(Vec::len).collect::<Vec<_>>(),
            [5, 5, 2],
            "350 + 350 + 100 characters"
        );
        assert!(segments[0].iter().all(|piece| piece.len() == 70));
    }

    #[test]
    fn full_segments_and_empty_lines_are_closed_by_an_empty_segment() {
        let exactly = "y".repeat(70);
        assert_eq!(round_trip(&exactly, Shape::IMD).len(), 2);
        assert_eq!(round_trip("", Shape::FTX), [Vec::<String>::new()]);
        assert_eq!(round_trip("a\n\nb\n", Shape::FTX).len(), 4);
        round_trip(&format!("{exactly}\n{exactly}"), Shape::IMD);
    }

    #[test]
    fn cyrillic_is_counted_in_characters() {
        let text = "Мука пшеничная ".repeat(10);
        let segments = round_trip(&text, Shape::IMD);
        assert_eq!(segments[0][0].chars().count(), 35);
    }

    #[test]
    fn one_line_per_segment_reads_as_lines() {
        let mut joined = Joined::new(Shape::FTX);
        joined.push(["FLOUR IN BAGS"]);
        joined.push(["PASTA IN CARTONS"]);
        assert_eq!(joined.finish(), "FLOUR IN BAGS\nPASTA IN CARTONS");
    }

    #[test]
    fn pieces_keep_the_rest_in_the_last() {
        assert_eq!(pieces("abcdefg", 3, 2), ["ab", "cd", "efg"]);
        assert_eq!(pieces("abcd", 3, 2), ["ab", "cd"]);
        assert_eq!(pieces("", 5, 35), Vec::<String>::new());
        assert_eq!(pieces("abc", 1, 2), ["abc"]);
    }
}
