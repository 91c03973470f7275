import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { to as copyTo } from 'pg-copy-streams';

/** Every table of every schema (pgboss included), each as `COPY (SELECT * FROM …) TO STDOUT` gives it (partitioned ones too). */
export async function dumpDatabase(databaseUrl: string): Promise<{ tables: string[]; bytes: Buffer }> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      `SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables
        WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`,
    );
    const chunks: Buffer[] = [];
    for (const { name } of rows) {
      chunks.push(Buffer.from(`\n-- ${name}\n`));
      for await (const chunk of client.query(copyTo(`COPY (SELECT * FROM ${name}) TO STDOUT`))) chunks.push(chunk as Buffer);
    }
    return { tables: rows.map((r) => r.name), bytes: Buffer.concat(chunks) };
  } finally {
    await client.end();
  }
}

/** Every file under `folder`, with its contents. */
export function filesUnder(folder: string): { file: string; bytes: Buffer }[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => {
      const file = path.join(e.parentPath, e.name);
      return { file, bytes: readFileSync(file) };
    });
}

/**
 * The forms an email could be stored in: plain, upper case, URL-encoded, hex (both cases), and
 * base64 at each of the three byte alignments (the middle of the encoding, which does not depend
 * on the bytes around it), standard and URL-safe.
 */
export function emailTraces(email: string): { form: string; needle: Buffer }[] {
  const forms: { form: string; needle: Buffer }[] = [
    { form: 'plain', needle: Buffer.from(email) },
    { form: 'upper case', needle: Buffer.from(email.toUpperCase()) },
    { form: 'URL-encoded', needle: Buffer.from(encodeURIComponent(email)) },
    { form: 'hex', needle: Buffer.from(Buffer.from(email).toString('hex')) },
    { form: 'HEX', needle: Buffer.from(Buffer.from(email).toString('hex').toUpperCase()) },
  ];
  for (let offset = 0; offset < 3; offset++) {
    const b64 = Buffer.from(email.slice(offset)).toString('base64');
    const middle = b64.slice(0, Math.floor((b64.length - 4) / 4) * 4);
    forms.push({ form: `base64+${offset}`, needle: Buffer.from(middle) });
    forms.push({ form: `base64url+${offset}`, needle: Buffer.from(middle.replace(/\+/g, '-').replace(/\//g, '_')) });
  }
  return forms;
}

/** The same forms for any personal text (a file name, a name): where it could hide in a dump or a file. */
export const textTraces = emailTraces;

/** Distinctive 32-byte windows of an image (a quarter, half and three quarters in), raw and as hex (bytea in a dump). */
export function imageTraces(image: Buffer, label: string): { form: string; needle: Buffer }[] {
  return [0.25, 0.5, 0.75].flatMap((at) => {
    const start = Math.floor(image.length * at);
    const window = image.subarray(start, start + 32);
    return [
      { form: `${label} bytes @${at}`, needle: window },
      { form: `${label} hex @${at}`, needle: Buffer.from(window.toString('hex')) },
    ];
  });
}

/** The traces found in `haystack` (by form), for one readable failure message. */
export function tracesIn(haystack: Buffer, traces: { form: string; needle: Buffer }[]): string[] {
  return traces.filter((t) => haystack.includes(t.needle)).map((t) => t.form);
}

/** Image signatures: PNG anywhere; JPEG, WebP and GIF at the start of a file. */
export function looksLikeImage(bytes: Buffer): boolean {
  if (bytes.includes(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return true;
  if (bytes.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))) return true;
  if (bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP') return true;
  return bytes.subarray(0, 4).toString('latin1') === 'GIF8';
}
