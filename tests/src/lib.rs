//! End-to-end harness (filled below).
