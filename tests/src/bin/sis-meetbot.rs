//! `sis-meetbot`: a bot participant of a node's meeting. It signs in, creates or joins a
//! meeting, publishes synthetic Opus and VP8 (replayed, no camera), receives the others'
//! tracks, and prints one JSON line when done:
//! `{"meeting": ID, "time_to_first_media_ms": N, "remote": [{"participant": LOGIN,
//! "tracks": [{"kind": "audio"|"video", "packets": N, "bitrate_kbps": X, "loss": F}]}]}`.

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use sis_e2e::media::bot::BotOptions;
use sis_e2e::media::publisher::Source;
use sis_e2e::meetbot::{self, Plan, Target};
use sis_proto::meeting::MeetingId;

#[derive(Debug, Parser)]
#[command(
    name = "sis-meetbot",
    version,
    about = "A synthetic participant of a CAREC SIS meeting"
)]
struct Args {
    /// The node's URL: http://127.0.0.1:8080 or https://node.example.
    #[arg(long)]
    node: String,
    #[arg(long)]
    login: String,
    /// The password; also read from SIS_MEETBOT_PASSWORD so it stays out of `ps`.
    #[arg(long, env = "SIS_MEETBOT_PASSWORD", hide_env_values = true)]
    password: String,
    /// Create a meeting with this title (the bot is its host).
    #[arg(long, conflicts_with = "meeting", required_unless_present = "meeting")]
    create: Option<String>,
    /// Officers to invite to the meeting created with --create.
    #[arg(long, requires = "create")]
    invite: Vec<String>,
    /// Join this meeting (an invited bot waits in the lobby until the host admits it).
    #[arg(long)]
    meeting: Option<i64>,
    /// How long to stay once admitted.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Offer candidates on every interface, not only loopback.
    #[arg(long)]
    all_interfaces: bool,
    /// Use the node's STUN and TURN servers, with the TURN credentials it hands out.
    #[arg(long)]
    node_ice_servers: bool,
    /// Offer relayed candidates only (through TURN): a client behind a strict firewall.
    /// Needs --node-ice-servers.
    #[arg(long, requires = "node_ice_servers")]
    relay_only: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let target = match (args.create, args.meeting) {
        (Some(title), _) => Target::Create {
            title,
            invite: args.invite,
        },
        (None, Some(id)) => Target::Meeting(MeetingId(id)),
        (None, None) => unreachable!("clap requires --create or --meeting"),
    };
    let plan = Plan {
        node: args.node,
        login: args.login,
        password: args.password,
        target,
        stay: Duration::from_secs(args.seconds),
        sources: vec![Source::Microphone, Source::Camera],
        options: BotOptions {
            all_interfaces: args.all_interfaces,
            relay_only: args.relay_only,
            ..Default::default()
        },
        ice_from_node: args.node_ice_servers,
    };
    match meetbot::run(plan, None).await {
        Ok(report) => {
            println!("{}", serde_json::to_string(&report).unwrap_or_default());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
