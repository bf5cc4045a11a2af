//! The node's WebSocket (`GET /api/v1/ws`) from the browser, for what the node pushes
//! (meeting events). A browser cannot put the bearer token in a WebSocket's headers, so the
//! first message is `auth` with it, as the node requires; the node answers `ready`.
//!
//! A socket that drops is reopened after a pause that doubles from half a second up to ten
//! seconds, and re-authenticates; its owner hears [`SocketEvent::Lost`] then
//! [`SocketEvent::Ready`] again and re-establishes what it had (a meeting rejoins). A socket
//! whose session the node ended is not reopened: the app is told, as for any call.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use std::sync::Arc;
use std::time::Duration;

use sis_proto::ws::{ClientMessage, ServerMessage};
use sis_proto::{ApiError, ErrorCode};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::{MessageEvent, WebSocket};

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
pub struct Socket(Rc<Inner>);

impl std::fmt::Debug for Socket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Socket")
            .field("url", &self.0.url)
            .field("ready", &self.0.ready.get())
            .finish_non_exhaustive()
    }
}

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
        Socket(inner)
    }

    /// Sends `message` if the socket is ready; `false` when it is not (it is reopening),
    /// so the caller can say the request was not sent.
    pub fn send(&self, message: &ClientMessage) -> bool {
        if !self.0.ready.get() {
            return false;
        }
        let Ok(text) = serde_json::to_string(message) else {
            return false;
        };
        self.0
            .live
            .borrow()
            .as_ref()
            .is_some_and(|live| live.ws.send_with_str(&text).is_ok())
    }

    /// Closes the socket for good.
    pub fn close(&self) {
        self.0.closed.set(true);
        self.0.ready.set(false);
        let live = self.0.live.borrow_mut().take();
        if let Some(live) = live {
            let _ = live.ws.close();
            // Closing may happen inside one of its own handlers (a message that ends the
            // page): the handlers are freed on the next turn, not while one runs.
            leptos::prelude::set_timeout(move || drop(live), Duration::ZERO);
        }
    }
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
