//! Embeds the Tauri configuration, the icons and the built frontend, and turns the app's
//! commands into permissions so `capabilities/` decides which window may call them.

use sis_proto::desktop::commands;

fn main() {
    // Declaring the commands makes Tauri check every call against the capabilities; without
    // the list, any page in any window could call any command.
    let app = tauri_build::AppManifest::new().commands(&[
        commands::LOGIN,
        commands::LOGOUT,
        commands::CURRENT_OFFICER,
        commands::API_REQUEST,
        commands::GET_SETTINGS,
        commands::SAVE_SETTINGS,
        commands::LIVE_OPEN,
        commands::LIVE_SEND,
        commands::LIVE_CLOSE,
        commands::FILE_PUT,
        commands::FILE_SAVE,
    ]);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(app))
        .expect("the Tauri configuration, icons, frontend dist and capabilities must be valid");
}
