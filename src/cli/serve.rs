//! `avisa serve`: prints each build, change and address of the preview server.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

use avisa::serve::{ServeEvent, ServeOptions};

use super::site::{fail, print_built, print_error};

/// Arguments of `avisa serve`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "The preview is rebuilt whenever a file of content/, templates/ or locales/ changes, and open pages reload themselves; a failed build's problems show over the page until a build succeeds. Preview pages load the live-reload script and link to the server's address: publish with `avisa build`, never the preview.\n\nExit codes: 0 stopped (Ctrl+C), 2 usage or I/O failure (the address is taken, the output folder is unusable)."
)]
pub(crate) struct Args {
    /// Site folder.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// The preview's output folder [default: a temporary folder, deleted when the server stops].
    #[arg(long)]
    out: Option<PathBuf>,
    /// The address to listen on (0.0.0.0: every address of this machine).
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// The port to listen on (0: any free one).
    #[arg(long, default_value_t = 1111)]
    port: u16,
    /// Treat warnings as errors.
    #[arg(long)]
    strict: bool,
}

/// Runs `serve` until interrupted.
pub(crate) fn run(a: Args) -> ExitCode {
    let strict = a.strict;
    // the preview may hold advisories not yet public
    if !a.bind.is_loopback() {
        let rebinding = match a.bind.is_unspecified() {
            true => {
                ", and it answers requests for any name, so a web page elsewhere can read it through a name it points at this machine (DNS rebinding)"
            }
            false => "",
        };
        tell!(
            "warning: listening on {}: every machine that can reach this one can read the preview, advisories not yet public included{rebinding}",
            a.bind
        );
    }
    let opts = ServeOptions {
        root: a.root,
        out: a.out,
        strict,
        addr: SocketAddr::new(a.bind, a.port),
    };
    let tell = |event: ServeEvent<'_>| match event {
        ServeEvent::Built(Ok(r), took) => print_built(r, None, took),
        ServeEvent::Built(Err(e), _) => {
            print_error(e, strict);
            tell!("error: the build failed; the preview stays as it was");
        }
        ServeEvent::Listening(url, out) => {
            say!(
                "serving {url} (the preview is in {}); Ctrl+C to stop",
                out.display()
            )
        }
        ServeEvent::Changed(paths) => {
            let shown: Vec<String> = paths
                .iter()
                .take(3)
                .map(|p| p.display().to_string())
                .collect();
            let more = match paths.len().saturating_sub(3) {
                0 => String::new(),
                n => format!(" and {n} more"),
            };
            say!("changed: {}{more}", shown.join(", "));
        }
        ServeEvent::WatchFailed(msg) => tell!("warning: {msg}"),
    };
    match avisa::serve::serve(&opts, &tell) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e, strict),
    }
}
