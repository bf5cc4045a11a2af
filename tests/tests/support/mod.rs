//! Code shared by the SFU's test files.

pub mod cycles;
