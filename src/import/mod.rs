//! `avisa import`: published advisories of one locale into `content/`. To be written.
