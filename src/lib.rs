//! avisa: a static site generator for multilingual security advisories.
//!
//! A build is a pipeline of plain data: load → validate → render → sink. This crate
//! never prints; the `avisa` binary (`main.rs`) owns output and exit codes.

pub mod checker;
pub mod diag;
pub(crate) mod frontmatter;
pub mod i18n;
pub mod import;
pub mod markdown;
pub mod model;
pub(crate) mod redirects;

mod embedded {
    //! Built-in templates and locales, compiled in by `build.rs`.
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}
