//! The `avisa` command line: parses arguments (clap), calls the library, prints
//! problems and results, and owns the exit codes (0 ok, 1 content problems,
//! 2 usage or I/O failure; `check-log`: 0 not affected, 1 affected, 2 error, 3 inconclusive).

mod cli;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// jemalloc: a build allocates and frees many short strings on two threads at once, and
/// glibc's allocator spent about a tenth of the build's CPU time on them
/// (`bench/corpus.sh`: 6% less CPU at 10×, peak memory nearly the same).
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// Static site generator for multilingual security advisories.
#[derive(Parser, Debug)]
#[command(name = "avisa", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Build the site from `content/` into the output folder.
    Build(cli::site::BuildArgs),
    /// Preview the site on a local server, rebuilt and reloaded as its files change.
    Serve(cli::serve::Args),
    /// Validate the site without writing anything; print the translation matrix.
    Check(cli::site::CheckArgs),
    /// Create `content/site.yaml` for a new site, or for advisories just imported.
    Init(cli::site::InitArgs),
    /// Scaffold a new advisory folder with one translation file per locale.
    New(cli::site::NewArgs),
    /// Write the UI strings (built-in and the site's own) into `locales/<LOCALE>/`, ready to translate.
    #[command(name = "new-locale")]
    NewLocale(cli::site::NewLocaleArgs),
    /// Run an advisory's log-check rules on log files.
    #[command(name = "check-log")]
    CheckLog(cli::check_log::Args),
    /// Import published advisories of one locale into `content/`.
    Import(cli::import::Args),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ => ExitCode::from(2),
            };
        }
    };
    match cli.command {
        Command::Build(a) => cli::site::build(a),
        Command::Serve(a) => cli::serve::run(a),
        Command::Check(a) => cli::site::check(a),
        Command::Init(a) => cli::site::init(a),
        Command::New(a) => cli::site::new(a),
        Command::NewLocale(a) => cli::site::new_locale(a),
        Command::CheckLog(a) => cli::check_log::run(a),
        Command::Import(a) => cli::import::run(a),
    }
}
