//! Content problems: what is wrong, where (file:line:column) and how to fix it.
//! Problems are collected by every stage and printed together by `main.rs`,
//! compiler-style; this module only formats them.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a problem is: errors fail the build, warnings do not (unless `--strict`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Fails `build` and `check` (exit code 1).
    Error,
    /// Reported; fails only under `--strict`.
    Warning,
}

/// One content problem with its location and an optional fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub severity: Severity,
    /// Path as shown to the user (relative to the site root when possible).
    pub file: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column in characters, when known.
    pub column: Option<usize>,
    /// Lowercase sentence: what is wrong.
    pub message: String,
    /// How to fix it, when a fix is known.
    pub help: Option<String>,
}

impl Problem {
    /// An error at `file` with no position yet.
    pub(crate) fn error(file: impl AsRef<Path>, message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Error,
            file: file.as_ref().to_path_buf(),
            line: None,
            column: None,
            message: message.into(),
            help: None,
        }
    }

    /// A warning at `file` with no position yet.
    pub(crate) fn warning(file: impl AsRef<Path>, message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Warning,
            ..Problem::error(file, message)
        }
    }

    /// Sets the 1-based line and column.
    pub(crate) fn at(mut self, line: usize, column: usize) -> Problem {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// Sets the position from an optional (line, column) pair.
    pub(crate) fn at_opt(self, pos: Option<(usize, usize)>) -> Problem {
        match pos {
            Some((l, c)) => self.at(l, c),
            None => self,
        }
    }

    /// Adds a `help:` line.
    pub(crate) fn help(mut self, help: impl Into<String>) -> Problem {
        self.help = Some(help.into());
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:column` (or fewer parts when unknown).
    pub fn location(&self) -> String {
        let mut s = self.file.display().to_string();
        if let Some(l) = self.line {
            s.push_str(&format!(":{l}"));
            if let Some(c) = self.column {
                s.push_str(&format!(":{c}"));
            }
        }
        s
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{label}: {}", self.message)?;
        write!(f, "  --> {}", self.location())?;
        if let Some(help) = &self.help {
            write!(f, "\n   = help: {help}")?;
        }
        Ok(())
    }
}

/// Sorts problems by file, position, then message, so reports are deterministic.
pub(crate) fn sort_problems(problems: &mut [Problem]) {
    problems.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.severity, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.severity, &b.message))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problem_prints_location_and_help() {
        let p = Problem::error("content/a.md", "unknown field `published`")
            .at(3, 1)
            .help("move it to `advisory.yaml`");
        assert_eq!(
            p.to_string(),
            "error: unknown field `published`\n  --> content/a.md:3:1\n   = help: move it to `advisory.yaml`"
        );
    }

    #[test]
    fn problem_without_position_prints_file_only() {
        let p = Problem::warning("content/site.yaml", "x");
        assert_eq!(p.location(), "content/site.yaml");
    }
}
