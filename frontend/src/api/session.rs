//! The API handles a page can hold: [`UnauthenticatedApi`] before login, [`AuthenticatedApi`]
//! after, and [`DesktopShell`] for what only the desktop has (its settings).

use std::fmt;
use std::sync::Arc;

use serde::Serialize;
use sis_proto::desktop::{DesktopSettings, commands};
use sis_proto::endpoint::{CreateSession, DeleteSession, Me};
use sis_proto::letter::Letter;
use sis_proto::{ApiError, Endpoint, ErrorCode, LoginRequest, LoginResponse, Officer};

use super::desktop::NoArgs;
use super::request::EndpointPath;
use super::response::Failure;
use super::socket::{Socket, SocketEvent};
use super::{browser, desktop, files};
use crate::letter::attachment_path;

/// A letter's file as the transport gives it.
#[derive(Debug)]
pub enum Fetched {
    /// The bytes, for the browser to save.
    Blob(web_sys::Blob),
    /// Saved by the desktop shell, at this path.
    SavedAt(String),
}

/// Told the error that ended a session (expiry, logout elsewhere, a disabled account), so
/// the app can return to the login page and say why.
pub(super) type SessionEnded = Arc<dyn Fn(ApiError) + Send + Sync>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Transport {
    Browser,
    Desktop,
}

/// The API before login: it can only log in or resume a session.
#[derive(Clone)]
pub struct UnauthenticatedApi {
    transport: Transport,
    on_session_end: SessionEnded,
}

impl fmt::Debug for UnauthenticatedApi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnauthenticatedApi")
            .field("transport", &self.transport)
            .finish_non_exhaustive()
    }
}

impl UnauthenticatedApi {
    /// Picks the transport for where this page runs. `on_session_end` runs whenever an
    /// authenticated call finds the session over.
    pub fn detect(on_session_end: impl Fn(ApiError) + Send + Sync + 'static) -> Self {
        let transport = if desktop::available() {
            Transport::Desktop
        } else {
            Transport::Browser
        };
        Self {
            transport,
            on_session_end: Arc::new(on_session_end),
        }
    }

    /// The desktop shell's own commands, when this page runs inside it.
    pub fn desktop(&self) -> Option<DesktopShell> {
        (self.transport == Transport::Desktop).then_some(DesktopShell { _only_in_shell: () })
    }

    fn authenticated(&self, credential: Credential) -> AuthenticatedApi {
        AuthenticatedApi {
            credential,
            on_session_end: Arc::clone(&self.on_session_end),
        }
    }

    /// # `POST /api/v1/session` (browser) or the shell's `login` command (desktop).
    pub async fn login(
        &self,
        request: &LoginRequest,
    ) -> Result<(AuthenticatedApi, Officer), ApiError> {
        match self.transport {
            Transport::Browser => {
                let response =
                    browser::call(None, &EndpointPath::<CreateSession>::plain()?, request)
                        .await
                        .map_err(|f| f.error)?;
                browser::store_token(&response.token);
                let api = self.authenticated(Credential::Bearer(response.token.into()));
                Ok((api, response.officer))
            }
            Transport::Desktop => {
                #[derive(Serialize)]
                struct Args<'a> {
                    request: &'a LoginRequest,
                }
                // The shell keeps the token; the response's token field is empty.
                let response: LoginResponse =
                    desktop::invoke(commands::LOGIN, &Args { request }).await?;
                Ok((self.authenticated(Credential::Shell), response.officer))
            }
        }
    }

    /// The session this tab (its stored token, checked with `GET /api/v1/me`) or the desktop
    /// (`current_officer`) already has. `Ok(None)` when there is none; an error when one was
    /// there and could not be resumed, which the login page shows.
    pub async fn resume(&self) -> Result<Option<(AuthenticatedApi, Officer)>, ApiError> {
        match self.transport {
            Transport::Browser => {
                let Some(token) = browser::stored_token() else {
                    return Ok(None);
                };
                match browser::call(Some(&token), &EndpointPath::<Me>::plain()?, &()).await {
                    Ok(officer) => {
                        let api = self.authenticated(Credential::Bearer(token.into()));
                        Ok(Some((api, officer)))
                    }
                    Err(failure) => {
                        if failure.ends_session() {
                            browser::forget_token();
                        }
                        Err(failure.error)
                    }
                }
            }
            Transport::Desktop => {
                let officer: Option<Officer> =
                    desktop::invoke(commands::CURRENT_OFFICER, &NoArgs {}).await?;
                Ok(officer.map(|officer| (self.authenticated(Credential::Shell), officer)))
            }
        }
    }
}

/// What proves the session on each call.
#[derive(Clone)]
enum Credential {
    /// The browser's bearer token.
    Bearer(Arc<str>),
    /// The desktop shell holds the token; the page never sees it.
    Shell,
}

/// The API of a signed-in officer.
#[derive(Clone)]
pub struct AuthenticatedApi {
    credential: Credential,
    on_session_end: SessionEnded,
}

impl fmt::Debug for AuthenticatedApi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let credential = match self.credential {
            Credential::Bearer(_) => "bearer <redacted>",
            Credential::Shell => "desktop shell",
        };
        f.debug_struct("AuthenticatedApi")
            .field("credential", &credential)
            .finish_non_exhaustive()
    }
}

impl AuthenticatedApi {
    /// Calls endpoint `E`, whose path has no placeholders. When the answer says the session
    /// is over, the stored token is dropped and the app is told, before the error is
    /// returned to the caller.
    pub async fn call<E: Endpoint>(&self, request: &E::Request) -> Result<E::Response, ApiError> {
        self.call_at(&EndpointPath::<E>::plain()?, request).await
    }

    /// Calls endpoint `E` at `path`, its template filled ([`EndpointPath::fill`]), as
    /// [`call`](Self::call) does.
    pub async fn call_at<E: Endpoint>(
        &self,
        path: &EndpointPath<E>,
        request: &E::Request,
    ) -> Result<E::Response, ApiError> {
        let outcome = match &self.credential {
            Credential::Bearer(token) => browser::call(Some(token), path, request).await,
            Credential::Shell => desktop::call(path, request)
                .await
                .map_err(Failure::without_status),
        };
        outcome.map_err(|failure| self.failed(failure))
    }

    /// The error of a failed call; when it says the session is over, the stored token is
    /// dropped and the app is told first.
    fn failed(&self, failure: Failure) -> ApiError {
        if failure.ends_session() {
            if let Credential::Bearer(_) = self.credential {
                browser::forget_token();
            }
            (self.on_session_end)(failure.error.clone());
        }
        failure.error
    }

    /// # `PUT /api/v1/letters/{id}/attachments/{name}`: adds `file` to a draft, sent as
    /// `content_type`; answers the draft as it now stands.
    pub async fn put_file(
        &self,
        letter_id: &str,
        name: &str,
        file: &web_sys::Blob,
        content_type: &str,
    ) -> Result<Letter, ApiError> {
        let path = attachment_path(letter_id, name)?;
        match &self.credential {
            Credential::Bearer(token) => files::put(token, &path, file, content_type)
                .await
                .map_err(|failure| self.failed(failure)),
            Credential::Shell => desktop::put_file(&path, file, content_type)
                .await
                .map_err(|e| self.shell_failed(e)),
        }
    }

    /// # `GET /api/v1/letters/{id}/attachments/{name}`: the file's bytes for the browser to
    /// save, or in the desktop app the file the shell saved them in.
    pub async fn file(&self, letter_id: &str, name: &str) -> Result<Fetched, ApiError> {
        let path = attachment_path(letter_id, name)?;
        match &self.credential {
            Credential::Bearer(token) => files::get(token, &path)
                .await
                .map(Fetched::Blob)
                .map_err(|failure| self.failed(failure)),
            Credential::Shell => desktop::save_file(&path, name)
                .await
                .map(Fetched::SavedAt)
                .map_err(|e| self.shell_failed(e)),
        }
    }

    /// A shell command's error; when it says the session is over, the app is told.
    fn shell_failed(&self, error: ApiError) -> ApiError {
        self.failed(Failure::without_status(error))
    }

    /// # `GET /api/v1/ws`: the node's WebSocket, authenticated with this session, reopened
    /// when it drops. `on_event` hears it become ready and every message the node pushes.
    /// In the desktop app the shell holds it and this page listens.
    pub fn socket(&self, on_event: impl Fn(SocketEvent) + 'static) -> Result<Socket, ApiError> {
        match &self.credential {
            Credential::Bearer(token) => {
                let location = web_sys::window()
                    .map(|w| w.location())
                    .ok_or_else(|| ApiError::new(ErrorCode::Internal, "No browser window."))?;
                let (protocol, host) = (
                    location.protocol().unwrap_or_default(),
                    location.host().unwrap_or_default(),
                );
                Ok(Socket::open(
                    crate::meeting::socket_url(&protocol, &host),
                    Arc::clone(token),
                    Arc::clone(&self.on_session_end),
                    on_event,
                ))
            }
            Credential::Shell => Ok(Socket::in_shell(Arc::clone(&self.on_session_end), on_event)),
        }
    }

    /// # `DELETE /api/v1/session` (browser) or the shell's `logout` command (desktop).
    /// The local session ends whatever the node answers: a person who asked to leave is not
    /// kept signed in because the network failed.
    pub async fn logout(self) -> Result<(), ApiError> {
        match &self.credential {
            Credential::Bearer(token) => {
                let outcome = match EndpointPath::<DeleteSession>::plain() {
                    Ok(path) => browser::call(Some(token), &path, &()).await,
                    Err(error) => Err(Failure::without_status(error)),
                };
                browser::forget_token();
                outcome.map_err(|f| f.error)
            }
            Credential::Shell => desktop::invoke(commands::LOGOUT, &NoArgs {}).await,
        }
    }
}

/// What the desktop answers for a letter's files until its shell carries raw bytes.
/// The desktop shell's own commands. Only [`UnauthenticatedApi::desktop`] makes one, and only
/// inside the shell, so the settings page cannot be reached from a browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DesktopShell {
    _only_in_shell: (),
}

impl DesktopShell {
    /// The shell's `get_settings` command.
    pub async fn settings(self) -> Result<DesktopSettings, ApiError> {
        desktop::invoke(commands::GET_SETTINGS, &NoArgs {}).await
    }

    /// The shell's `save_settings` command.
    pub async fn save_settings(self, settings: &DesktopSettings) -> Result<(), ApiError> {
        #[derive(Serialize)]
        struct Args<'a> {
            settings: &'a DesktopSettings,
        }
        desktop::invoke(commands::SAVE_SETTINGS, &Args { settings }).await
    }
}
