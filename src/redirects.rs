//! Redirect pages and server snippets for legacy URLs. To be written.
