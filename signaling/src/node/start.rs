//! Starting a node from its configuration: logging, the store, the media server, the faces.

use anyhow::Context;

use crate::internal;
use crate::node::config::{Config, LogFormat};
use crate::node::server;
use crate::node::state::AppState;
use crate::node::turn::IceServerIssuer;
use crate::store::{Store, redact_url};

/// The log filter without `RUST_LOG`: `info` for the node, `error` for the WebRTC stack
/// under the SFU. The stack warns about what is normal for a media server: a meeting that
/// ends closes every participant's ICE agent, and each agent warns about every candidate it
/// cannot close once closed (about 17 lines per meeting). The SFU logs, at `info` or `warn`,
/// what of it an operator can act on; `RUST_LOG=info` shows the stack's warnings again.
pub const DEFAULT_LOG_FILTER: &str = "info,webrtc=error,webrtc_ice=error,webrtc_dtls=error,\
webrtc_srtp=error,webrtc_sctp=error,webrtc_data=error,webrtc_mdns=error,webrtc_util=error,\
interceptor=error,turn=error,stun=error,rtp=error,rtcp=error,sdp=error";

/// Installs the log subscriber (`RUST_LOG` filters; default [`DEFAULT_LOG_FILTER`]).
pub fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(DEFAULT_LOG_FILTER));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colour codes only for a person at a terminal, not in files or collectors.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    // A second init (tests) keeps the first subscriber.
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}

pub async fn open_store(config: &Config) -> anyhow::Result<Store> {
    let url = config.database_url();
    Store::open(&url)
        .await
        .with_context(|| format!("opening the database {}", redact_url(&url)))
}

/// The meetings' media server: the SFU on its UDP port, or none when `media.enabled` is off
/// (meetings then have chat, moderation and minutes, and offers are refused).
async fn media_server(config: &Config) -> anyhow::Result<crate::modules::meetings::SharedMedia> {
    if !config.media.enabled {
        tracing::info!("media off: meetings without audio and video");
        return Ok(std::sync::Arc::new(crate::modules::meetings::NoMedia));
    }
    let udp = config.media_udp();
    let sfu_config = crate::sfu::SfuConfig {
        announced_ips: config.media_announced_ips(),
        ..Default::default()
    };
    let sfu = crate::modules::meetings::SfuMedia::bind(udp, sfu_config)
        .await
        .with_context(|| format!("media.udp: cannot open the SFU on {udp}"))?;
    tracing::info!("meeting media (SFU) on udp://{}", sfu.local_addr());
    Ok(sfu)
}

/// Runs the node until SIGINT or SIGTERM.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    // Keys, the database and state: the node's user's alone.
    crate::store::private_dir(&config.data_dir)
        .with_context(|| format!("data_dir: cannot create {}", config.data_dir.display()))?;
    let store = open_store(&config).await?;
    let tls = match (&config.tls_cert, &config.tls_key) {
        (Some(cert), Some(key)) => Some(crate::node::tls::server_config(cert, key)?),
        _ => None,
    };
    let mut state = AppState::new(
        store.clone(),
        config.country_code(),
        config.session_policy(),
        config.data_dir.join("files"),
    );
    state.max_body_bytes = config.limits.max_body_bytes;
    state.origins = config.origins.clone();
    state.tls = tls.is_some();
    state.ice = IceServerIssuer::new(
        &config.turn.urls,
        config.turn.secret.clone(),
        config.turn.lifetime_s(),
    );
    if !config.turn.urls.is_empty() {
        // The URLs only: the secret is never logged.
        tracing::info!(
            urls = %config.turn.urls.join(" "),
            lifetime_minutes = config.turn.lifetime_minutes,
            "ICE servers handed to officers"
        );
    }
    let key = crate::node::key::NodeKey::load_or_create(&config.data_dir)?;
    let (exchange, face) = crate::external::start::prepare(
        &config.external,
        store.clone(),
        state.country,
        key.clone(),
        state.letter_files.clone(),
    )?;
    let exchange = std::sync::Arc::new(exchange);
    if let Some(face) = face {
        crate::external::start::spawn(
            exchange.clone(),
            face,
            config.limits.conn_limits(),
            server::shutdown_signal(),
        )?;
    }
    let state = state
        .with_meetings(key, media_server(&config).await?)
        .with_exchange(exchange);
    let web_dir = config
        .web_dir
        .join("index.html")
        .is_file()
        .then_some(config.web_dir.as_path());
    if web_dir.is_none() {
        tracing::warn!(
            "no web UI at {}: build it with `cargo xtask run`; the API works without it",
            config.web_dir.display()
        );
    }
    let metrics = state.metrics.clone();
    let app = internal::app(state, web_dir);
    let listener = std::net::TcpListener::bind(config.listen)
        .with_context(|| format!("listen: cannot bind {}", config.listen))?;
    let scheme = if tls.is_some() { "https" } else { "http" };
    tracing::info!(
        country = %config.country,
        database = %redact_url(&config.database_url()),
        "node listening on {scheme}://{}",
        listener.local_addr()?
    );
    server::serve_with(
        listener,
        tls,
        app,
        config.limits.conn_limits(),
        Some(metrics),
        server::shutdown_signal(),
    )
    .await?;
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}
