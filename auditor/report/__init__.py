"""Report: render pipeline results as JSON, text, HTML, CSV or Markdown."""
