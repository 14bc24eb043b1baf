/** Text for HTML element content and quoted attribute values: every command output goes through this. */
export function escapeHtml(s: unknown): string {
  return String(s ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/**
 * Text for XML content and attributes. Also drops the control characters XML 1.0 forbids (etcd
 * logs and etcdctl outputs may carry them; one would make the whole junit.xml unreadable) and
 * escapes newlines in attributes, where parsers would otherwise fold them into spaces.
 */
export function escapeXml(s: unknown, attribute = false): string {
  // eslint-disable-next-line no-control-regex
  const clean = String(s ?? '').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');
  const body = clean
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
  return attribute ? body.replaceAll('\n', '&#10;').replaceAll('\r', '&#13;').replaceAll('\t', '&#9;') : body;
}

/** Markdown table cell: pipes and newlines would break the row; HTML in it would render. */
export function escapeMarkdownCell(s: unknown): string {
  return String(s ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('|', '\\|')
    .replace(/\r?\n/g, ' ');
}
