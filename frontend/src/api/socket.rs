//! The node's WebSocket (`GET /api/v1/ws`), for what the node pushes (meeting events,
//! letters). In the browser the page opens it: a browser cannot put the bearer token in a
//! WebSocket's headers, so the first message is `auth` with it, as the node requires; the
//! node answers `ready`. In the desktop app the shell holds it (the page has no token) and
//! hands over its events as `sis-live` events; the owner hears the same [`SocketEvent`]s.
//!
//! A socket that drops is reopened after a pause that doubles from half a second up to ten
//! seconds, and re-authenticates; its owner hears [`SocketEvent::Lost`] then
//! [`SocketEvent::Ready`] again and re-establishes what it had (a meeting rejoins). A socket
//! whose session the node ended is not reopened: the app is told, as for any call.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use sis_proto::desktop::{LIVE_EVENT, LiveEvent, commands};
use sis_proto::ws::{ClientMessage, ServerMessage};
use sis_proto::{ApiError, ErrorCode};
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{MessageEvent, WebSocket};

use super::desktop::{self, NoArgs};
use super::session::SessionEnded;

/// First pause before reopening a dropped socket; doubled after each failed attempt.
const FIRST_RETRY: Duration = Duration::from_millis(500);
const LONGEST_RETRY: Duration = Duration::from_secs(10);

/// What the socket's owner hears.
#[derive(Debug)]
pub enum SocketEvent {
    /// The socket is (again) authenticated; messages sent from now on reach the node.
    Ready,
    /// A message of the node other than the handshake's.
    Message(ServerMessage),
    /// The socket dropped; it is being reopened.
    Lost,
}

/// An open (or reopening) WebSocket to the node. Closed when dropped.
pub struct Socket(Transport);

enum Transport {
    Browser(Rc<Inner>),
    Shell(Rc<ShellInner>),
}

impl std::fmt::Debug for Socket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Transport::Browser(inner) => f
                .debug_struct("Socket")
                .field("url", &inner.url)
                .field("ready", &inner.ready.get())
                .finish_non_exhaustive(),
            Transport::Shell(inner) => f
                .debug_struct("Socket")
                .field("in", &"the desktop shell")
                .field("ready", &inner.ready.get())
                .finish_non_exhaustive(),
        }
    }
}

/// The desktop's socket: a listener of the shell's `sis-live` events.
struct ShellInner {
    on_event: Box<dyn Fn(SocketEvent)>,
    on_session_end: SessionEnded,
    ready: Cell<bool>,
    closed: Cell<bool>,
    /// The shell's id of the listener, once registered; removed on close.
    listener: Cell<Option<u32>>,
    /// Called by the shell for each event; lives as long as the listener.
    handler: RefCell<Option<EventHandler>>,
}

/// What the shell calls with each event.
type EventHandler = Closure<dyn FnMut(JsValue)>;

struct Inner {
    url: String,
    token: Arc<str>,
    on_event: Box<dyn Fn(SocketEvent)>,
    on_session_end: SessionEnded,
    live: RefCell<Option<Live>>,
    /// Authenticated: the node takes other messages now.
    ready: Cell<bool>,
    /// Closed by its owner or by the node's end of the session: not reopened.
    closed: Cell<bool>,
    /// Attempts since the last successful `ready`, for the pause before the next.
    failures: Cell<u32>,
}

/// One browser WebSocket and the handlers that must live as long as it.
struct Live {
    ws: WebSocket,
    _on_open: Closure<dyn FnMut()>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut()>,
}

impl Drop for Live {
    fn drop(&mut self) {
        // Handlers first: the closures are freed with this struct, and a late event must
        // not call into freed memory.
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        let _ = self.ws.close();
    }
}

impl Socket {
    pub(super) fn open(
        url: String,
        token: Arc<str>,
        on_session_end: SessionEnded,
        on_event: impl Fn(SocketEvent) + 'static,
    ) -> Socket {
        let inner = Rc::new(Inner {
            url,
            token,
            on_event: Box::new(on_event),
            on_session_end,
            live: RefCell::new(None),
            ready: Cell::new(false),
            closed: Cell::new(false),
            failures: Cell::new(0),
        });
        connect(&inner);
        Socket(Transport::Browser(inner))
    }

    /// The desktop's socket: the shell opens the node's WebSocket (or keeps the one it has)
    /// and this listens to what happens on it.
    pub(super) fn in_shell(
        on_session_end: SessionEnded,
        on_event: impl Fn(SocketEvent) + 'static,
    ) -> Socket {
        let inner = Rc::new(ShellInner {
            on_event: Box::new(on_event),
            on_session_end,
            ready: Cell::new(false),
            closed: Cell::new(false),
            listener: Cell::new(None),
            handler: RefCell::new(None),
        });
        let weak = Rc::downgrade(&inner);
        let handler = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
            let Some(inner) = weak.upgrade() else { return };
            let payload = js_sys::Reflect::get(&event, &JsValue::from_str("payload"))
                .unwrap_or(JsValue::NULL);
            // An event this page cannot read (from a newer shell) is skipped, not fatal.
            if let Ok(event) = serde_wasm_bindgen::from_value::<LiveEvent>(payload) {
                shell_event(&inner, event);
            }
        });
        let function: js_sys::Function =
            handler.as_ref().unchecked_ref::<js_sys::Function>().clone();
        *inner.handler.borrow_mut() = Some(handler);
        let weak = Rc::downgrade(&inner);
        leptos::task::spawn_local(async move {
            // Listening first: the shell's `ready` must not go out before anyone hears it.
            let listened = desktop::listen(LIVE_EVENT, &function).await;
            let Some(inner) = weak.upgrade() else { return };
            match listened {
                Ok(id) => inner.listener.set(Some(id)),
                Err(error) => {
                    leptos::logging::warn!("the shell's events cannot be heard: {error}");
                    return;
                }
            }
            if inner.closed.get() {
                unlisten(&inner);
                return;
            }
            match desktop::invoke::<_, bool>(commands::LIVE_OPEN, &NoArgs {}).await {
                // Already open and ready: its `ready` went out before this listened.
                Ok(true) if !inner.ready.replace(true) => (inner.on_event)(SocketEvent::Ready),
                Ok(_) => {}
                Err(error) if error.code == ErrorCode::Unauthenticated => {
                    inner.closed.set(true);
                    (inner.on_session_end)(error);
                }
                Err(error) => leptos::logging::warn!("the shell did not open the socket: {error}"),
            }
        });
        Socket(Transport::Shell(inner))
    }

    /// Sends `message` if the socket is ready; `false` when it is not (it is reopening),
    /// so the caller can say the request was not sent.
    pub fn send(&self, message: &ClientMessage) -> bool {
        match &self.0 {
            Transport::Browser(inner) => {
                if !inner.ready.get() {
                    return false;
                }
                let Ok(text) = serde_json::to_string(message) else {
                    return false;
                };
                inner
                    .live
                    .borrow()
                    .as_ref()
                    .is_some_and(|live| live.ws.send_with_str(&text).is_ok())
            }
            Transport::Shell(inner) => {
                if !inner.ready.get() {
                    return false;
                }
                #[derive(Serialize)]
                struct Args {
                    message: ClientMessage,
                }
                let args = Args {
                    message: message.clone(),
                };
                leptos::task::spawn_local(async move {
                    match desktop::invoke::<_, bool>(commands::LIVE_SEND, &args).await {
                        Ok(true) => {}
                        Ok(false) => {
                            leptos::logging::warn!("the shell's socket did not take a message")
                        }
                        Err(error) => leptos::logging::warn!("the shell did not send: {error}"),
                    }
                });
                true
            }
        }
    }

    /// Closes the socket for good. In the desktop app this page stops listening; the
    /// shell's socket stays for the app's other views until signing out.
    pub fn close(&self) {
        match &self.0 {
            Transport::Browser(inner) => {
                inner.closed.set(true);
                inner.ready.set(false);
                let live = inner.live.borrow_mut().take();
                if let Some(live) = live {
                    let _ = live.ws.close();
                    // Closing may happen inside one of its own handlers (a message that ends
                    // the page): the handlers are freed on the next turn, not while one runs.
                    leptos::prelude::set_timeout(move || drop(live), Duration::ZERO);
                }
            }
            Transport::Shell(inner) => {
                inner.closed.set(true);
                inner.ready.set(false);
                unlisten(inner);
            }
        }
    }
}

fn shell_event(inner: &Rc<ShellInner>, event: LiveEvent) {
    if inner.closed.get() {
        return;
    }
    match event {
        LiveEvent::Ready => {
            inner.ready.set(true);
            (inner.on_event)(SocketEvent::Ready);
        }
        LiveEvent::Message { message } => (inner.on_event)(SocketEvent::Message(message)),
        LiveEvent::Lost => {
            inner.ready.set(false);
            (inner.on_event)(SocketEvent::Lost);
        }
        LiveEvent::SessionEnded { reason } => {
            inner.closed.set(true);
            inner.ready.set(false);
            unlisten(inner);
            (inner.on_session_end)(reason);
        }
        _ => {}
    }
}

/// Removes the listener; its handler is freed once the shell has let go of it.
fn unlisten(inner: &Rc<ShellInner>) {
    let Some(id) = inner.listener.take() else {
        return;
    };
    let handler = inner.handler.borrow_mut().take();
    leptos::task::spawn_local(async move {
        let _ = desktop::unlisten(LIVE_EVENT, id).await;
        drop(handler);
    });
}

impl Drop for Socket {
    fn drop(&mut self) {
        self.close();
    }
}

fn connect(inner: &Rc<Inner>) {
    if inner.closed.get() {
        return;
    }
    let ws = match WebSocket::new(&inner.url) {
        Ok(ws) => ws,
        Err(_) => {
            // Only a malformed address throws here; retrying cannot help, but neither can
            // anything else, and the owner keeps showing "connecting".
            retry_later(inner);
            return;
        }
    };
    let weak = Rc::downgrade(inner);
    let on_open = Closure::<dyn FnMut()>::new({
        let weak = weak.clone();
        move || {
            let Some(inner) = weak.upgrade() else { return };
            let auth = ClientMessage::Auth {
                token: inner.token.to_string(),
            };
            if let (Ok(text), Some(live)) =
                (serde_json::to_string(&auth), inner.live.borrow().as_ref())
            {
                let _ = live.ws.send_with_str(&text);
            }
        }
    });
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new({
        let weak = weak.clone();
        move |event: MessageEvent| {
            let Some(inner) = weak.upgrade() else { return };
            let Some(text) = event.data().as_string() else {
                return;
            };
            // A message this client cannot read (from a newer node) is skipped, not fatal.
            if let Ok(message) = serde_json::from_str::<ServerMessage>(&text) {
                received(&inner, message);
            }
        }
    });
    let on_close = Closure::<dyn FnMut()>::new(move || {
        let Some(inner) = weak.upgrade() else { return };
        inner.ready.set(false);
        if inner.closed.get() {
            return;
        }
        (inner.on_event)(SocketEvent::Lost);
        retry_later(&inner);
    });
    ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    *inner.live.borrow_mut() = Some(Live {
        ws,
        _on_open: on_open,
        _on_message: on_message,
        _on_close: on_close,
    });
}

fn received(inner: &Rc<Inner>, message: ServerMessage) {
    match message {
        ServerMessage::Ready { .. } => {
            inner.ready.set(true);
            inner.failures.set(0);
            (inner.on_event)(SocketEvent::Ready);
        }
        ServerMessage::SessionEnded { reason } => end_session(inner, reason),
        // Before `ready`, an error is the node refusing our token: the session is over.
        ServerMessage::Error { error } if !inner.ready.get() => {
            let error = if error.code == ErrorCode::Unauthenticated {
                error
            } else {
                ApiError::new(ErrorCode::Unauthenticated, error.message)
            };
            end_session(inner, error);
        }
        other => (inner.on_event)(SocketEvent::Message(other)),
    }
}

fn end_session(inner: &Rc<Inner>, reason: ApiError) {
    inner.closed.set(true);
    inner.ready.set(false);
    super::browser::forget_token();
    (inner.on_session_end)(reason);
}

fn retry_later(inner: &Rc<Inner>) {
    let failures = inner.failures.get();
    inner.failures.set(failures.saturating_add(1));
    let pause = FIRST_RETRY
        .saturating_mul(1_u32 << failures.min(5))
        .min(LONGEST_RETRY);
    let weak: Weak<Inner> = Rc::downgrade(inner);
    leptos::prelude::set_timeout(
        move || {
            if let Some(inner) = weak.upgrade() {
                connect(&inner);
            }
        },
        pause,
    );
}
