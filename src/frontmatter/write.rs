//! Writing `advisory.yaml` and translation front matter (importer). To be written.
