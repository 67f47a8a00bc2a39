// Reads the messages the real SMTP server (tools/smtp_sink.py) stored for this run.
import fs from 'node:fs';
import path from 'node:path';
import { MAIL_DIR } from '../../playwright.config';

export interface Mail {
  file: string;
  headers: Record<string, string>;
  to: string;
  subject: string;
  body: string;
  /** The HTML alternative, when the message has one (campaign emails). */
  html?: string;
}

function decodeQuotedPrintable(s: string): string {
  const soft = s.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === '=' && /^[0-9A-F]{2}$/i.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(soft.charCodeAt(i));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function decodeHeader(v: string): string {
  return v.replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_m, enc: string, text: string) =>
    enc.toLowerCase() === 'b'
      ? Buffer.from(text, 'base64').toString('utf8')
      : decodeQuotedPrintable(text.replace(/_/g, ' ')),
  );
}

function parseHeaders(head: string): Record<string, string> {
  const headers: Record<string, string> = {};
  let last = '';
  for (const line of head.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && last) {
      headers[last] += ' ' + line.trim();
    } else {
      const i = line.indexOf(':');
      if (i > 0) {
        last = line.slice(0, i).toLowerCase();
        headers[last] = line.slice(i + 1).trim();
      }
    }
  }
  return headers;
}

function splitEntity(raw: string): { headers: Record<string, string>; body: string } {
  const split = raw.search(/\r?\n\r?\n/);
  if (split < 0) return { headers: parseHeaders(raw), body: '' };
  return {
    headers: parseHeaders(raw.slice(0, split)),
    body: raw.slice(split).replace(/^\r?\n\r?\n/, ''),
  };
}

function decodeBody(headers: Record<string, string>, body: string): string {
  const enc = (headers['content-transfer-encoding'] ?? '').toLowerCase();
  if (enc === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (enc === 'quoted-printable') return decodeQuotedPrintable(body);
  return body;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&');
}

/** The decoded leaf parts of a message, walking multipart containers. */
function leafParts(headers: Record<string, string>, body: string): { type: string; text: string }[] {
  const type = (headers['content-type'] ?? 'text/plain').toLowerCase();
  const boundary = /boundary="?([^";]+)"?/i.exec(headers['content-type'] ?? '')?.[1];
  if (type.startsWith('multipart/') && boundary) {
    const out: { type: string; text: string }[] = [];
    const sections = body.split(new RegExp(`\\r?\\n?--${escapeRegExp(boundary)}(?:--)?[ \\t]*\\r?\\n?`));
    for (const section of sections) {
      if (!section.trim()) continue;
      const part = splitEntity(section);
      if (!part.headers['content-type'] && !part.headers['content-transfer-encoding']) continue;
      out.push(...leafParts(part.headers, part.body));
    }
    return out;
  }
  return [{ type: type.split(';')[0].trim(), text: decodeBody(headers, body).replace(/\r\n/g, '\n') }];
}

export function parseMail(file: string, raw: string): Mail {
  const { headers, body } = splitEntity(raw);
  const parts = leafParts(headers, body);
  const text = parts.find((p) => p.type === 'text/plain') ?? parts[0];
  const html = parts.find((p) => p.type === 'text/html');
  return {
    file,
    headers,
    to: decodeHeader(headers['to'] ?? ''),
    subject: decodeHeader(headers['subject'] ?? ''),
    body: text?.text ?? '',
    html: html?.text,
  };
}

export function allMails(): Mail[] {
  if (!fs.existsSync(MAIL_DIR)) return [];
  return fs
    .readdirSync(MAIL_DIR)
    .filter((f) => f.endsWith('.eml'))
    .sort()
    .map((f) => parseMail(f, fs.readFileSync(path.join(MAIL_DIR, f), 'utf8')));
}

export function mailsTo(email: string): Mail[] {
  return allMails().filter((m) => m.to.toLowerCase().includes(email.toLowerCase()));
}

/**
 * Waits until at least `count` messages to `email` have arrived (only those whose subject starts
 * with `subject`, when given: other tests running at the same time may mail the same people);
 * returns them oldest first.
 */
export async function waitForMails(email: string, count = 1, subject = '', timeoutMs = 20_000): Promise<Mail[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = mailsTo(email).filter((m) => m.subject.startsWith(subject));
    if (found.length >= count) return found;
    if (Date.now() > deadline) throw new Error(`expected ${count} mail(s) to ${email}, got ${found.length}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

export function linkIn(mail: Mail, pathPrefix: string): string {
  const m = mail.body.match(new RegExp(`https?://[^\\s]*${pathPrefix.replace(/[?]/g, '\\?')}[^\\s]*`));
  if (!m) throw new Error(`no ${pathPrefix} link in mail "${mail.subject}"`);
  return m[0];
}
