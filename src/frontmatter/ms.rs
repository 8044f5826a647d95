//! Reading the Microsoft documentation dialect of front matter (importer). To be written.
