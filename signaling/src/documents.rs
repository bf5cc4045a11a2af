//! The document commands, `convert` and `validate`, as filters from standard input to
//! standard output with problems on standard error.

use std::io::Write;
use std::process::ExitCode;

use sis_signaling::cli::Command;
use sis_signaling::convert::{self, EdifactOptions};

/// Runs `command` if it is a document command, giving its exit status: 0 when the input
/// is valid (and, for `convert`, written), 1 when it is not, each problem on its own line.
pub fn run(command: &Command) -> Option<ExitCode> {
    let result = match command {
        Command::Convert {
            from,
            to,
            document_type,
            charset,
            sender,
            recipient,
            control_reference,
        } => convert::read_input(&mut std::io::stdin().lock())
            .and_then(|input| convert::read_documents(&input, *from, *document_type))
            .and_then(|documents| {
                let options = EdifactOptions {
                    charset: *charset,
                    sender: sender.clone(),
                    recipient: recipient.clone(),
                    control_reference: control_reference.clone(),
                };
                convert::write_documents(&documents, *to, &options)
            })
            .and_then(|bytes| {
                let mut out = std::io::stdout().lock();
                out.write_all(&bytes)
                    .and_then(|()| out.flush())
                    .map_err(|e| vec![format!("output: cannot be written: {e}")])
            }),
        Command::Validate {
            from,
            document_type,
        } => convert::read_input(&mut std::io::stdin().lock())
            .and_then(|input| convert::read_documents(&input, *from, *document_type))
            .map(|documents| {
                for document in documents {
                    println!("valid {}", document.document_type());
                }
            }),
        Command::Serve | Command::Officer(_) => return None,
    };
    Some(match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(problems) => {
            let mut err = std::io::stderr().lock();
            for problem in problems {
                let _ = writeln!(err, "{problem}");
            }
            ExitCode::FAILURE
        }
    })
}
