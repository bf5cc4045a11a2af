//! `sis-signaling`: runs a CAREC SIS country node and administers it.

use clap::Parser;
use sis_signaling::cli::{Cli, Command, OfficerCommand};
use sis_signaling::node::config::Config;
use sis_signaling::{node, officer};

mod documents;

/// mimalloc, tuned: it gives memory back after a load (`crates/allocator` has the figures).
#[global_allocator]
static ALLOCATOR: sis_allocator::MiMalloc = sis_allocator::MiMalloc;

fn main() -> std::process::ExitCode {
    // Before the runtime starts its threads, so that every arena they reserve is tuned.
    sis_allocator::tune();
    let cli = Cli::parse();
    // The document commands need no configuration, store or logging: they are filters.
    if let Some(status) = documents::run(&cli.command) {
        return status;
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = Config::load(cli.config.as_deref())?;
    node::init_logging(config.log_format);
    match cli.command {
        Command::Serve => node::serve(config).await,
        // Run by `main` before the configuration is loaded.
        Command::Convert { .. } | Command::Validate { .. } => Ok(()),
        Command::Officer(cmd) => {
            let store = node::open_store(&config).await?;
            let result = match cmd {
                OfficerCommand::Add {
                    login,
                    name,
                    role,
                    agency,
                } => {
                    let password = officer::read_new_password()?;
                    let o = officer::AddOfficer {
                        login: &login,
                        name: &name,
                        role,
                        agency: &agency,
                        country: &config.country,
                    };
                    officer::add(&store, &o, &password).await.map(|()| {
                        println!("added {login} ({role}, {agency}, {})", config.country);
                    })
                }
                OfficerCommand::List => officer::list(&store, &mut std::io::stdout()).await,
                OfficerCommand::Disable { login } => {
                    officer::set_disabled(&store, &login, true).await
                }
                OfficerCommand::Enable { login } => {
                    officer::set_disabled(&store, &login, false).await
                }
                OfficerCommand::Passwd { login } => {
                    let password = officer::read_new_password()?;
                    officer::set_password(&store, &login, &password).await
                }
            };
            store.close().await;
            result
        }
    }
}
