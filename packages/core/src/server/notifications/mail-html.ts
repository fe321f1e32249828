// The branded mail layout, as plain functions (no template engine). Mail clients ignore <style> blocks
// and external CSS often enough that every style is inline, the layout is a table, and the wordmark is
// text: no image to block, nothing loaded from another host.

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** `value` safe to put in HTML text and in double- or single-quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);
}

/** Escaped text with its line breaks kept. */
export function escapeMultiline(value: string): string {
  return escapeHtml(value).replace(/\r\n|\r|\n/g, '<br>');
}

/** A link is only ever http(s) to our own pages; anything else is refused rather than escaped. */
export function safeHref(url: string): string {
  if (!/^https?:\/\//i.test(url)) throw new Error(`refusing to link to ${url}`);
  return escapeHtml(url);
}

/** ATUM colours: night blue, gold, and the greys of the text. */
const COLORS = {
  night: '#0b1733',
  gold: '#c9a227',
  goldLight: '#e6c65c',
  page: '#eef0f5',
  card: '#ffffff',
  text: '#1c2333',
  muted: '#5b6478',
  quote: '#f6f3e8',
};

/** One mail's content, before the layout. */
export interface MailContent {
  /** Greeting line, e.g. "Hello Alice,". */
  greeting: string;
  /** Paragraphs of plain text. */
  paragraphs: string[];
  /** A quoted block (a reply, a reason, a description), with its label. */
  quote?: { label: string; text: string } | undefined;
  /** The one button of the mail. */
  action: { label: string; url: string };
  /** A second, plain link under the button. */
  secondary?: { label: string; url: string } | undefined;
  /** Why the recipient gets this mail. */
  footer: string;
}

/** The HTML body: a night-blue header with the gold wordmark, a white card, one gold button. */
export function renderHtml(subject: string, content: MailContent): string {
  const paragraphs = content.paragraphs
    .map(
      (paragraph) =>
        `<p style="margin:0 0 16px;font-size:15px;line-height:1.55;color:${COLORS.text};">${escapeMultiline(paragraph)}</p>`,
    )
    .join('\n');
  const quote = content.quote
    ? `<p style="margin:0 0 6px;font-size:12px;letter-spacing:.06em;text-transform:uppercase;color:${COLORS.muted};">${escapeHtml(content.quote.label)}</p>
<div style="margin:0 0 20px;padding:12px 16px;background:${COLORS.quote};border-left:3px solid ${COLORS.gold};font-size:14px;line-height:1.55;color:${COLORS.text};">${escapeMultiline(content.quote.text)}</div>`
    : '';
  const secondary = content.secondary
    ? `<p style="margin:12px 0 0;font-size:14px;line-height:1.5;color:${COLORS.text};">${escapeHtml(content.secondary.label)}: <a href="${safeHref(content.secondary.url)}" style="color:${COLORS.night};">${escapeHtml(content.secondary.url)}</a></p>
`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(subject)}</title>
</head>
<body style="margin:0;padding:0;background:${COLORS.page};font-family:Helvetica,Arial,sans-serif;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:${COLORS.page};padding:24px 0;">
<tr><td align="center">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" style="max-width:600px;width:100%;background:${COLORS.card};border-radius:8px;overflow:hidden;">
<tr><td style="background:${COLORS.night};padding:20px 28px;border-bottom:3px solid ${COLORS.gold};">
<span style="font-family:Georgia,'Times New Roman',serif;font-size:22px;letter-spacing:.18em;color:${COLORS.goldLight};font-weight:bold;">ATUM DESK</span>
</td></tr>
<tr><td style="padding:28px;">
<p style="margin:0 0 16px;font-size:15px;line-height:1.55;color:${COLORS.text};">${escapeHtml(content.greeting)}</p>
${paragraphs}
${quote}
<table role="presentation" cellpadding="0" cellspacing="0" style="margin:8px 0 8px;"><tr>
<td style="background:${COLORS.gold};border-radius:4px;">
<a href="${safeHref(content.action.url)}" style="display:inline-block;padding:12px 22px;font-size:15px;font-weight:bold;color:${COLORS.night};text-decoration:none;">${escapeHtml(content.action.label)}</a>
</td></tr></table>
<p style="margin:16px 0 0;font-size:12px;line-height:1.5;color:${COLORS.muted};word-break:break-all;">${escapeHtml(content.action.url)}</p>
${secondary}</td></tr>
<tr><td style="padding:16px 28px;border-top:1px solid #e3e6ee;font-size:12px;line-height:1.5;color:${COLORS.muted};">
${escapeHtml(content.footer)}<br>This message was sent automatically by ATUM DESK.
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
}

/** The plain-text body: the same content, readable in any client. */
export function renderText(content: MailContent): string {
  const lines = [content.greeting, '', ...content.paragraphs.flatMap((paragraph) => [paragraph, ''])];
  if (content.quote) {
    lines.push(
      `${content.quote.label}:`,
      ...content.quote.text.split(/\r\n|\r|\n/).map((line) => `> ${line}`),
      '',
    );
  }
  lines.push(`${content.action.label}: ${content.action.url}`, '');
  if (content.secondary) lines.push(`${content.secondary.label}: ${content.secondary.url}`, '');
  lines.push('-- ', 'ATUM DESK', content.footer, '');
  return lines.join('\n');
}
