//! The root component: picks the transport, resumes an existing session, and shows the login
//! page or the shell.

use leptos::prelude::*;
use leptos::task::spawn_local;
use sis_proto::{ApiError, ErrorCode, Officer};

use crate::api::{AuthenticatedApi, UnauthenticatedApi};
use crate::i18n::Key;
use crate::language::provide_locale;
use crate::pages::login::Login;
use crate::pages::shell::Shell;

/// A signed-in officer and the API that acts as them.
#[derive(Debug, Clone)]
pub struct Session {
    pub api: AuthenticatedApi,
    pub officer: Officer,
}

#[component]
pub fn App() -> impl IntoView {
    let session = RwSignal::new(None::<Session>);
    // Why the last session ended, or why none could be resumed; the login page shows it and
    // also uses it for its own errors.
    let notice = RwSignal::new(None::<ApiError>);
    let resuming = RwSignal::new(true);

    // Any call that finds the session over lands here: back to the login page, saying why.
    let api = UnauthenticatedApi::detect(move |error| {
        session.set(None);
        notice.set(Some(error));
    });
    let desktop = api.desktop();
    let locale = provide_locale(desktop);

    let resume_with = api.clone();
    spawn_local(async move {
        match resume_with.resume().await {
            Ok(Some((api, officer))) => session.set(Some(Session { api, officer })),
            Ok(None) => {}
            // A token the node no longer knows needs no explanation: the person signs in.
            Err(error) if error.code == ErrorCode::Unauthenticated => {}
            Err(error) => notice.set(Some(error)),
        }
        resuming.set(false);
    });

    let signed_in = Callback::new(move |signed_in: Session| {
        notice.set(None);
        session.set(Some(signed_in));
    });
    let signed_out = Callback::new(move |()| session.set(None));

    move || {
        if resuming.get() {
            return view! {
                <div id="boot" class="boot" aria-busy="true">
                    {locale.text(Key::Loading)}
                </div>
            }
            .into_any();
        }
        match session.get() {
            Some(session) => view! { <Shell session desktop on_sign_out=signed_out /> }.into_any(),
            None => {
                view! { <Login api=api.clone() desktop notice on_sign_in=signed_in /> }.into_any()
            }
        }
    }
}
