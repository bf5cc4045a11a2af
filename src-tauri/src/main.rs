// A release build on Windows starts without a console window behind the app's own.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::process::ExitCode;

fn main() -> ExitCode {
    sis_desktop::init_logging();
    match sis_desktop::run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!(%err, "the app could not run");
            ExitCode::FAILURE
        }
    }
}
