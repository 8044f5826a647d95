//! The one pulldown-cmark setup. PLACEHOLDER: replaced by the markdown implementation.

/// HTML that is safe to output unescaped.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Html(String);

impl Html {
    /// The markup.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Renders a Markdown body to sanitized HTML.
pub(crate) fn render_markdown(src: &str) -> Html {
    let parser = pulldown_cmark::Parser::new_ext(src, pulldown_cmark::Options::all());
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, parser);
    Html(out)
}
