//! One file per page, and the shell around them.

mod alert;
pub mod audit;
pub mod directories;
mod form;
pub mod ledger;
pub mod letters;
pub mod login;
pub mod meeting_room;
pub mod meetings;
pub mod module;
pub mod network;
pub mod settings;
pub mod shell;
mod time;
