//! One file per command family; each prints its own results (only the binary prints).

use std::io::Write;

/// `println!` through [`say`]: a standard output that cannot be written is exit code 2,
/// not a panic.
macro_rules! say {
    ($($arg:tt)*) => { $crate::cli::say(format_args!($($arg)*)) };
}

/// `eprintln!` through [`tell`]: a standard error that cannot be written is ignored.
macro_rules! tell {
    ($($arg:tt)*) => { $crate::cli::tell(format_args!($($arg)*)) };
}

pub(crate) mod check_log;
pub(crate) mod import;
pub(crate) mod serve;
pub(crate) mod site;

/// `n` and the noun in the right number: "1 advisory", "3 advisories".
pub(crate) fn counted(n: usize, one: &str, other: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { other })
}

/// Writes a line to standard output. When it cannot be written (its reader went away, as
/// in `avisa check | head -1`, or the disk is full) the process ends with exit code 2,
/// saying why on standard error unless the pipe was closed: whatever the command wrote
/// before stays as it is (a build's output is in place before its report is printed).
pub(crate) fn say(line: std::fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    let written = (out.write_fmt(line))
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush());
    if let Err(e) = written {
        stdout_failed(&e);
    }
}

fn stdout_failed(e: &std::io::Error) -> ! {
    if e.kind() != std::io::ErrorKind::BrokenPipe {
        tell(format_args!("error: cannot write to standard output: {e}"));
    }
    std::process::exit(2)
}

/// Writes a line to standard error; when it cannot be written there is nowhere left to
/// say so, and the command goes on.
pub(crate) fn tell(line: std::fmt::Arguments<'_>) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}
