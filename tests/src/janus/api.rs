//! Janus's HTTP API, as much as the benchmark's bots need: a session, videoroom handles,
//! publishing with an offer (`"trickle": false`, every candidate in the SDP), and one
//! multistream subscription to every other publisher.
//!
//! A request is acknowledged at once and answered later by an event with the same
//! transaction, fetched by long-polling the session; one bot drives one session, one
//! request at a time, so events of other transactions (`webrtcup`, `media`, …) are skipped.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::{Context, bail};
use serde_json::{Value, json};

use super::ROOM;

static TRANSACTIONS: AtomicU64 = AtomicU64::new(1);

fn transaction() -> String {
    format!("t{}", TRANSACTIONS.fetch_add(1, Ordering::Relaxed))
}

/// A Janus session.
#[derive(Debug, Clone)]
pub struct Session {
    http: reqwest::Client,
    url: String,
}

/// A handle attached to the videoroom plugin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Handle(u64);

impl Session {
    /// Creates a session on the Janus at `base` (`http://127.0.0.1:PORT/janus`).
    pub async fn create(base: &str) -> anyhow::Result<Session> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(40))
            .build()?;
        let reply = post(
            &http,
            base,
            json!({"janus": "create", "transaction": transaction()}),
        )
        .await?;
        let id = reply["data"]["id"].as_u64().context("a session id")?;
        Ok(Session {
            http,
            url: format!("{base}/{id}"),
        })
    }

    /// Attaches a handle to the videoroom.
    pub async fn attach(&self) -> anyhow::Result<Handle> {
        let reply = post(
            &self.http,
            &self.url,
            json!({"janus": "attach", "plugin": "janus.plugin.videoroom", "transaction": transaction()}),
        )
        .await?;
        Ok(Handle(reply["data"]["id"].as_u64().context("a handle id")?))
    }

    /// Joins the room as publisher `display` and publishes the tracks of `offer`; gives the
    /// publisher's feed id and Janus's answer.
    pub async fn publish(
        &self,
        handle: Handle,
        display: &str,
        offer: &str,
    ) -> anyhow::Result<(u64, String)> {
        let (joined, _) = self
            .message(
                handle,
                json!({"request": "join", "ptype": "publisher", "room": ROOM, "display": display}),
                None,
            )
            .await?;
        let feed = joined["id"].as_u64().context("a publisher id")?;
        let (_, jsep) = self
            .message(
                handle,
                json!({"request": "publish", "audio": true, "video": true}),
                Some(json!({"type": "offer", "sdp": offer, "trickle": false})),
            )
            .await?;
        let answer = jsep.context("an answer to the publisher's offer")?;
        Ok((feed, sdp_of(&answer)?))
    }

    /// Subscribes to every stream of `feeds` on one handle; gives Janus's offer.
    pub async fn subscribe(&self, handle: Handle, feeds: &[u64]) -> anyhow::Result<String> {
        let streams: Vec<Value> = feeds.iter().map(|f| json!({"feed": f})).collect();
        let (_, jsep) = self
            .message(
                handle,
                json!({"request": "join", "ptype": "subscriber", "room": ROOM, "streams": streams}),
                None,
            )
            .await?;
        sdp_of(&jsep.context("an offer for the subscription")?)
    }

    /// Answers a subscription's offer; media flows after this.
    pub async fn start(&self, handle: Handle, answer: &str) -> anyhow::Result<()> {
        self.message(
            handle,
            json!({"request": "start", "room": ROOM}),
            Some(json!({"type": "answer", "sdp": answer, "trickle": false})),
        )
        .await?;
        Ok(())
    }

    /// Ends the session and every handle in it.
    pub async fn destroy(&self) {
        let _ = post(
            &self.http,
            &self.url,
            json!({"janus": "destroy", "transaction": transaction()}),
        )
        .await;
    }

    /// Sends a videoroom request and waits for its answer: the plugin's data and the jsep.
    async fn message(
        &self,
        handle: Handle,
        body: Value,
        jsep: Option<Value>,
    ) -> anyhow::Result<(Value, Option<Value>)> {
        let tx = transaction();
        let mut request = json!({"janus": "message", "body": body, "transaction": tx});
        if let Some(jsep) = jsep {
            request["jsep"] = jsep;
        }
        let url = format!("{}/{}", self.url, handle.0);
        let reply = post(&self.http, &url, request).await?;
        let event = if reply["janus"] == "ack" {
            self.event_of(&tx).await?
        } else {
            reply
        };
        let data = event["plugindata"]["data"].clone();
        if let Some(error) = data.get("error") {
            bail!("videoroom refused: {error} ({})", data["error_code"]);
        }
        Ok((data, event.get("jsep").cloned()))
    }

    /// Long-polls the session until the event answering `tx`.
    async fn event_of(&self, tx: &str) -> anyhow::Result<Value> {
        for _ in 0..20 {
            let events: Value = self
                .http
                .get(format!("{}?maxev=10", self.url))
                .send()
                .await?
                .json()
                .await?;
            let events = match events {
                Value::Array(list) => list,
                one => vec![one],
            };
            if let Some(event) = events.into_iter().find(|e| e["transaction"] == tx) {
                return Ok(event);
            }
        }
        bail!("Janus did not answer transaction {tx}")
    }
}

async fn post(http: &reqwest::Client, url: &str, body: Value) -> anyhow::Result<Value> {
    let reply: Value = http
        .post(url)
        .json(&body)
        .send()
        .await
        .with_context(|| format!("posting to {url}"))?
        .json()
        .await?;
    if reply["janus"] == "error" {
        bail!("Janus refused {}: {}", body["janus"], reply["error"]);
    }
    Ok(reply)
}

fn sdp_of(jsep: &Value) -> anyhow::Result<String> {
    Ok(jsep["sdp"]
        .as_str()
        .context("an SDP in the jsep")?
        .to_owned())
}
