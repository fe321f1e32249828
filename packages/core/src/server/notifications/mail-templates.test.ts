import { describe, expect, it } from 'vitest';
import type { MailFacts, TicketFacts } from './mail-facts.ts';
import { escapeHtml, escapeMultiline, safeHref } from './mail-html.ts';
import { mailSubject, renderMail } from './mail-templates.ts';

const NASTY = `<script>alert(1)</script> & "quotes" 'single'`;

const ticket: TicketFacts = {
  id: '0190b7a0-0000-7000-8000-000000000001',
  number: 1042,
  title: NASTY,
  status: 'NEW',
  priority: 'HIGH',
};
const links = { publicUrl: 'https://desk.example.com' };

describe('escapeHtml', () => {
  it.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['a & b', 'a &amp; b'],
    ['"double" \'single\'', '&quot;double&quot; &#39;single&#39;'],
    ['&amp; stays visible as typed', '&amp;amp; stays visible as typed'],
    ['plain text', 'plain text'],
    ['', ''],
  ])('escapes %j', (input, expected) => {
    expect(escapeHtml(input)).toBe(expected);
  });

  it('keeps line breaks as <br> in multi-line text, after escaping', () => {
    expect(escapeMultiline('one <b>\ntwo\r\nthree')).toBe('one &lt;b&gt;<br>two<br>three');
  });

  it('refuses links that are not http(s)', () => {
    expect(() => safeHref('javascript:alert(1)')).toThrow();
    expect(safeHref('https://x.test/?a=1&b="2"')).toBe('https://x.test/?a=1&amp;b=&quot;2&quot;');
  });
});

describe('the templates', () => {
  it('put number, title and what happened in the subject, on one line', () => {
    expect(mailSubject({ ...ticket, title: 'Printer\r\nBcc: evil@example.com' }, 'accepted')).toBe(
      '[ATUM DESK #1042] Printer Bcc: evil@example.com — accepted',
    );
  });

  it('escape a hostile title and body in the HTML, and keep them readable in the text', () => {
    const facts: MailFacts = {
      kind: 'public_reply',
      ticket,
      recipientName: 'Alice <alice>',
      authorName: 'Bob & co',
      body: 'Try <img src=x onerror=alert(1)> again',
    };
    const mail = renderMail(facts, links);
    expect(mail.subject).toBe(`[ATUM DESK #1042] ${NASTY} — new reply`);
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('<img');
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(mail.html).toContain('Hello Alice &lt;alice&gt;,');
    expect(mail.text).toContain(NASTY);
    expect(mail.text).toContain('> Try <img src=x onerror=alert(1)> again');
  });

  it('link customers to the portal and staff to the desk', () => {
    const customer = renderMail({ kind: 'ticket_accepted', ticket, recipientName: 'Alice' }, links);
    expect(customer.text).toContain(`https://desk.example.com/portal/tickets/${ticket.id}`);
    expect(customer.html).toContain(`href="https://desk.example.com/portal/tickets/${ticket.id}"`);
    expect(customer.text).not.toContain('/desk/');
    const staff = renderMail(
      { kind: 'ticket_assigned', ticket, recipientName: 'Agent', assignedByName: 'Manager' },
      links,
    );
    expect(staff.text).toContain(`https://desk.example.com/desk/tickets/${ticket.id}`);
    expect(staff.subject).toMatch(/— assigned to you$/);
  });

  it('wear the brand: the wordmark as text, night blue and gold', () => {
    const { html } = renderMail({ kind: 'ticket_received', ticket, recipientName: 'Alice' }, links);
    expect(html).toContain('ATUM DESK</span>');
    expect(html).toContain('#0b1733');
    expect(html).toContain('#c9a227');
  });

  it('ask for a rating with the survey link when resolving, and only then', () => {
    const facts: MailFacts = {
      kind: 'ticket_resolved',
      ticket,
      recipientName: 'Alice',
      resolution: 'Replaced the toner.',
      survey: true,
    };
    const surveyUrl = 'https://desk.example.com/portal/csat/abc.def';
    const asked = renderMail(facts, { ...links, surveyUrl });
    expect(asked.text).toContain(`Rate our service: ${surveyUrl}`);
    expect(asked.text).toContain('> Replaced the toner.');
    const answered = renderMail({ ...facts, survey: false }, { ...links, surveyUrl });
    expect(answered.text).not.toContain('/portal/csat/');
  });

  it('name the clock and due time in SLA mail', () => {
    const mail = renderMail(
      {
        kind: 'sla_breach',
        ticket,
        recipientName: 'Manager',
        clock: 'first_response',
        dueAt: '2026-11-23T12:00:00.000Z',
      },
      links,
    );
    expect(mail.subject).toMatch(/— SLA breached: first response overdue$/);
    expect(mail.text).toContain('2026-11-23 12:00 UTC');
  });
});
