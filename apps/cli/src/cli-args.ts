import { parseArgs } from 'node:util';
import { z } from 'zod';

export const DEFAULT_API_URL = 'http://localhost:3000';
export const DEFAULT_CONCURRENCY = 2;

/** A mistake on the command line: printed with the usage hint, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The job options in the API's GraphQL input shape (RemoveBackgroundOptionsInput). */
export interface RemoveOptionsInput {
  size?: 'PREVIEW' | 'FULL';
  maxMegapixels?: number;
  type: 'CUTOUT' | 'MASK';
  format: 'PNG' | 'WEBP' | 'JPG';
  bgColor?: string;
  crop: boolean;
  cropMargin?: string;
  refine: boolean;
  quality?: number;
  model?: string;
  /** Sent only when HIGH (twice the price), so the idempotency keys of default runs stay as they were. */
  mode?: 'STANDARD' | 'HIGH';
  /** Sent only when false (--no-decontaminate); the API's default is true. */
  decontaminate?: boolean;
}

export interface RemoveCommandArgs {
  files: string[];
  apiKey: string;
  apiUrl: string;
  teamId?: string;
  outDir?: string;
  concurrency: number;
  json: boolean;
  /** --overwrite: replace existing output files (never one of the run's inputs). */
  overwrite: boolean;
  /** --new-job: fresh idempotency keys, so files processed before get new (charged) jobs. */
  newJob: boolean;
  options: RemoveOptionsInput;
}

export type CliCommand = { kind: 'help' } | { kind: 'remove'; args: RemoveCommandArgs };

export const USAGE = `Usage: cutout remove <files...> --api-key <ck_…> [options]

Removes the background of JPEG, PNG or WebP images with the Cutout API.

Options:
  --api-key <ck_…>        API key (or CUTOUT_API_KEY)
  --api-url <url>         API base URL (or CUTOUT_API_URL; default ${DEFAULT_API_URL})
  --team <id>             Team id (default: the API key's team)
  --out <dir>             Output folder (default: next to each input), made if missing; results
                          are written to <name>-cutout.<format> (a folder that cannot be
                          written refuses every file before anything is sent: OUTPUT_UNWRITABLE)
  --overwrite             Replace output files that already exist (by default such a file
                          is refused before anything is sent: OUTPUT_EXISTS). An output that
                          is one of the inputs is always refused (OUTPUT_IS_INPUT); an input
                          that is another input's result is not sent (INPUT_IS_RESULT)
  --size <s>              preview | full | <megapixels>, e.g. 4 (default full)
  --type <t>              cutout | mask (default cutout)
  --format <f>            png | webp | jpg (default png)
  --bg-color <#hex>       Background colour: #rgb, #rgba, #rrggbb or #rrggbbaa
  --crop                  Crop to the subject
  --crop-margin <m>       Margin when cropping: 10, 10px or 5% (needs --crop)
  --refine                Refine edges (hair, fur)
  --quality <1-100>       WebP/JPG encoder quality
  --mode <m>              standard | high (default standard; high costs twice the credits)
  --no-decontaminate      Keep the photo's colours at the edges (cut-outs only; default: cleaned)
  --model <id>            Model id (default: the service's default)
  --concurrency <n>       Files processed at once (default ${DEFAULT_CONCURRENCY})
  --new-job               Start new jobs even for files processed before with the same options
                          (by default a re-run gets the earlier job back, free); each new job
                          is charged again. Use it when the earlier result expired (RESULT_EXPIRED)
  --json                  One JSON line per file: {file, jobId, status, output, errorCode, creditsSpent},
                          then {"summary": {succeeded, failed, creditsSpent, creditsAvailable, creditsDebt}}
  -h, --help              Show this help

Exit codes: 0 all succeeded; 1 any file failed, including one refused before it was sent
(OUTPUT_EXISTS, OUTPUT_IS_INPUT, INPUT_IS_RESULT, OUTPUT_UNWRITABLE) or whose earlier result expired
(RESULT_EXPIRED); 2 usage error; 130 interrupted (Ctrl-C: jobs already submitted keep running).`;

const HEX_COLOR = /^#([0-9a-f]{3}|[0-9a-f]{4}|[0-9a-f]{6}|[0-9a-f]{8})$/i;

/** One of `words`, written in any case (`--mode HIGH`, `--format WebP`), as the lowercase word. */
function word<const T extends readonly [string, ...string[]]>(words: T, message: string) {
  return z.preprocess((v) => (typeof v === 'string' ? v.toLowerCase() : v), z.enum(words, { message }));
}

/** Mirrors the API's job option rules (apps/api job-options) for fast feedback; the API stays the authority. */
export const removeFlagsSchema = z
  .object({
    size: z
      .string()
      .default('full')
      .transform((v, ctx) => {
        const s = v.toLowerCase();
        if (s === 'preview' || s === 'full') return s;
        // A plain decimal only: Number() would also read `0x10` (16), `1e1` or ` 4 `.
        const n = /^\d+(\.\d+)?$/.test(s) ? Number(s) : Number.NaN;
        if (!Number.isFinite(n) || n <= 0 || n > 500) {
          ctx.addIssue({ code: 'custom', message: 'must be preview, full or a megapixel count (0–500], e.g. 4' });
          return z.NEVER;
        }
        return n;
      }),
    type: word(['cutout', 'mask'], 'must be cutout or mask').default('cutout'),
    format: word(['png', 'webp', 'jpg'], 'must be png, webp or jpg').default('png'),
    'bg-color': z.string().regex(HEX_COLOR, 'must be a hex colour: #rgb, #rgba, #rrggbb or #rrggbbaa').optional(),
    crop: z.boolean().default(false),
    'crop-margin': z
      .string()
      .regex(/^\d{1,4}(px|%)?$/, 'is pixels (10, 10px) or a percentage (5%)')
      .refine((v) => !v.endsWith('%') || Number(v.slice(0, -1)) <= 100, 'is at most 100%')
      .optional(),
    refine: z.boolean().default(false),
    quality: z.coerce
      .number({ message: 'must be a whole number 1–100' })
      .int('must be a whole number 1–100')
      .min(1, 'must be 1–100')
      .max(100, 'must be 1–100')
      .optional(),
    mode: word(['standard', 'high'], 'must be standard or high').default('standard'),
    'no-decontaminate': z.boolean().default(false),
    model: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/i, 'is a model id such as "medium"')
      .optional(),
    concurrency: z.coerce
      .number({ message: 'must be a whole number 1–16' })
      .int('must be a whole number 1–16')
      .min(1, 'must be 1–16')
      .max(16, 'must be 1–16')
      .default(DEFAULT_CONCURRENCY),
    'api-url': z
      .string()
      .url('must be an http(s) URL')
      .refine((v) => /^https?:\/\//i.test(v), 'must be an http(s) URL'),
  })
  .superRefine((o, ctx) => {
    const c = o['bg-color'];
    const hex = c?.replace(/^#/, '') ?? '';
    const opaque = hex.length === 3 || hex.length === 6 || (hex.length === 4 && /f$/i.test(hex)) || (hex.length === 8 && /ff$/i.test(hex));
    if (o.format === 'jpg' && o.type === 'cutout' && !opaque) {
      ctx.addIssue({
        code: 'custom',
        path: ['bg-color'],
        message: 'is needed (opaque) for jpg cutouts: JPG has no transparency; or use --format png|webp',
      });
    }
    if (o['crop-margin'] !== undefined && !o.crop) ctx.addIssue({ code: 'custom', path: ['crop-margin'], message: 'needs --crop' });
    if (o.quality !== undefined && o.format === 'png')
      ctx.addIssue({ code: 'custom', path: ['quality'], message: 'applies to webp and jpg only' });
    if (o['no-decontaminate'] && o.type === 'mask')
      ctx.addIssue({ code: 'custom', path: ['no-decontaminate'], message: 'applies to cut-outs only (a mask has no colours)' });
  });

const OPTIONS = {
  'api-key': { type: 'string' },
  'api-url': { type: 'string' },
  team: { type: 'string' },
  out: { type: 'string' },
  size: { type: 'string' },
  type: { type: 'string' },
  format: { type: 'string' },
  'bg-color': { type: 'string' },
  crop: { type: 'boolean' },
  'crop-margin': { type: 'string' },
  refine: { type: 'boolean' },
  quality: { type: 'string' },
  model: { type: 'string' },
  mode: { type: 'string' },
  'no-decontaminate': { type: 'boolean' },
  concurrency: { type: 'string' },
  json: { type: 'boolean' },
  overwrite: { type: 'boolean' },
  'new-job': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parseFlags(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    // node:util errors read like "Unknown option '--foo'. To specify a positional argument…"
    const message = (error as Error).message.split('. To specify')[0];
    throw new UsageError(message.endsWith('.') ? message.slice(0, -1) : message);
  }
}

/** Parses `cutout …` arguments (without node and the script) and the environment; throws UsageError. */
export function parseCliArgs(argv: string[], env: Record<string, string | undefined> = {}): CliCommand {
  const { values, positionals } = parseFlags(argv);
  if (values.help) return { kind: 'help' };
  const [command, ...files] = positionals;
  if (!command) throw new UsageError('No command given: try `cutout remove <files...>`');
  // A key slipped out of its flag (`--api-key= ck_…`) would land here: never echoed (usage errors reach CI logs).
  const shown = /^ck_/i.test(command) ? 'ck_… (an API key?)' : `'${command}'`;
  if (command !== 'remove') throw new UsageError(`Unknown command ${shown}: the only command is \`remove\``);
  if (files.length === 0) throw new UsageError('No files given: `cutout remove <files...>`');

  const apiKey = values['api-key'] ?? env.CUTOUT_API_KEY;
  if (!apiKey) throw new UsageError('Missing API key: pass --api-key ck_… or set CUTOUT_API_KEY');
  if (!/^ck_\S+$/.test(apiKey)) throw new UsageError('The API key should look like ck_…');

  const parsed = removeFlagsSchema.safeParse({ ...values, 'api-url': values['api-url'] ?? env.CUTOUT_API_URL ?? DEFAULT_API_URL });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(`--${issue.path.join('.')} ${issue.message}`);
  }
  const f = parsed.data;
  if (values.team !== undefined && values.team.trim() === '') throw new UsageError('--team needs a team id');
  if (values.out !== undefined && values.out.trim() === '') throw new UsageError('--out needs a folder');

  const options: RemoveOptionsInput = {
    ...(typeof f.size === 'number' ? { maxMegapixels: f.size } : { size: f.size === 'preview' ? 'PREVIEW' : 'FULL' }),
    type: f.type === 'mask' ? 'MASK' : 'CUTOUT',
    format: f.format.toUpperCase() as RemoveOptionsInput['format'],
    crop: f.crop,
    refine: f.refine,
    ...(f['bg-color'] !== undefined && { bgColor: f['bg-color'] }),
    ...(f['crop-margin'] !== undefined && { cropMargin: f['crop-margin'] }),
    ...(f.quality !== undefined && { quality: f.quality }),
    ...(f.model !== undefined && { model: f.model }),
    ...(f.mode === 'high' && { mode: 'HIGH' }),
    ...(f['no-decontaminate'] && { decontaminate: false }),
  };
  return {
    kind: 'remove',
    args: {
      files,
      apiKey,
      // The API's base URL; one given with its GraphQL path (`…/graphql`, as clients often are) means the same API.
      apiUrl: f['api-url'].replace(/\/+$/, '').replace(/\/graphql$/i, ''),
      teamId: values.team,
      outDir: values.out,
      concurrency: f.concurrency,
      json: values.json ?? false,
      overwrite: values.overwrite ?? false,
      newJob: values['new-job'] ?? false,
      options,
    },
  };
}
