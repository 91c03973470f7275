import { z } from 'zod';

/**
 * The one set of rules for the options of a background removal, checked by the API when a
 * job is submitted (removeBackground) and by the inference service on every request.
 *
 * One rule per field (where the two sides once drifted apart, the API's stricter rule won:
 * everything the API accepted stays valid):
 * - size: "preview" (about 0.25 MP), "full" (default), or the largest output size in
 *   megapixels, more than 0 and at most 500 (MAX_OUTPUT_MEGAPIXELS).
 * - type: "cutout" (default) or "mask". format: "png" (default), "webp" or "jpg".
 * - bgColor: "#rgb", "#rgba", "#rrggbb" or "#rrggbbaa". A jpg cut-out needs an opaque one.
 * - crop: default false. cropMargin (only with crop: true): whole pixels up to 9999
 *   ("12", "12px") or a whole percentage up to 100 ("5%"); no decimals.
 * - refine: default false. quality: a whole number 1..100, for webp and jpg only (the
 *   encoder's quality, not the removal's: that is `mode`).
 * - mode: "standard" (default) or "high" (the high-quality path, twice the price).
 * - decontaminate: default true (the foreground colour is estimated in partly transparent
 *   pixels); meaningful for cut-outs only, so `false` with type "mask" is refused.
 * - model: a model id such as "medium" (it travels beside the options, as RemoveRequest.model_id).
 */
export const MAX_OUTPUT_MEGAPIXELS = 500;
export const MAX_CROP_MARGIN_PX = 9999;
/** The removal modes: "high" is the high-quality path and costs twice the standard price. */
export const REMOVAL_MODES = ['standard', 'high'] as const;
export type RemovalModeName = (typeof REMOVAL_MODES)[number];

const HEX_COLOR = /^#([0-9a-f]{3}|[0-9a-f]{4}|[0-9a-f]{6}|[0-9a-f]{8})$/i;
const CROP_MARGIN = /^\d{1,4}(px|%)?$/;
const MODEL_ID = /^[a-z0-9][a-z0-9_.-]{0,63}$/i;

export const removeOptionsSchema = z
  .object({
    size: z.union([z.enum(['preview', 'full']), z.number().positive().max(MAX_OUTPUT_MEGAPIXELS)]).default('full'),
    type: z.enum(['cutout', 'mask']).default('cutout'),
    format: z.enum(['png', 'webp', 'jpg']).default('png'),
    bgColor: z.string().regex(HEX_COLOR, 'bgColor must be a hex colour: #rgb, #rgba, #rrggbb or #rrggbbaa').optional(),
    crop: z.boolean().default(false),
    cropMargin: z
      .string()
      .regex(CROP_MARGIN, 'cropMargin is pixels ("12", "12px") or a percentage ("5%")')
      .refine((v) => !v.endsWith('%') || Number(v.slice(0, -1)) <= 100, 'cropMargin is at most 100%')
      .optional(),
    refine: z.boolean().default(false),
    quality: z.number().int().min(1).max(100).optional(),
    mode: z.enum(REMOVAL_MODES).default('standard'),
    decontaminate: z.boolean().default(true),
    model: z.string().regex(MODEL_ID, 'model is a model id such as "medium"').optional(),
  })
  .superRefine((o, ctx) => {
    if (o.format === 'jpg' && o.type === 'cutout' && !isOpaqueHex(o.bgColor)) {
      ctx.addIssue({ code: 'custom', path: ['bgColor'], message: 'JPG has no transparency: give an opaque bgColor, or use png or webp' });
    }
    if (o.cropMargin !== undefined && !o.crop)
      ctx.addIssue({ code: 'custom', path: ['cropMargin'], message: 'cropMargin needs crop: true' });
    if (o.quality !== undefined && o.format === 'png')
      ctx.addIssue({ code: 'custom', path: ['quality'], message: 'quality applies to webp and jpg only' });
    if (!o.decontaminate && o.type === 'mask')
      ctx.addIssue({ code: 'custom', path: ['decontaminate'], message: 'decontaminate applies to cut-outs only (a mask has no colours)' });
  });

/** Options as a caller gives them (every field optional). */
export type RemoveOptionsInput = z.input<typeof removeOptionsSchema>;
/** Options after the check, defaults filled in: what a job stores and the inference service runs. */
export type ParsedRemoveOptions = z.output<typeof removeOptionsSchema>;

/** The first broken rule: `path` of the field (e.g. ["cropMargin"]) and a message for people. */
export interface RemoveOptionsIssue {
  path: string[];
  message: string;
}

export type RemoveOptionsCheck = { ok: true; options: ParsedRemoveOptions } | { ok: false; issue: RemoveOptionsIssue };

/** Checks raw options (undefined or null: all defaults) against the one rule set; never throws. */
export function checkRemoveOptions(raw: unknown): RemoveOptionsCheck {
  const result = removeOptionsSchema.safeParse(raw ?? {});
  if (result.success) return { ok: true, options: result.data };
  const first = result.error.issues[0];
  return { ok: false, issue: { path: first.path.map(String), message: first.message } };
}

/** #rgb and #rrggbb are opaque; #rgba and #rrggbbaa only with a full alpha (f / ff). */
export function isOpaqueHex(color: string | undefined): boolean {
  const hex = color?.replace(/^#/, '') ?? '';
  return hex.length === 3 || hex.length === 6 || (hex.length === 4 && /f$/i.test(hex)) || (hex.length === 8 && /ff$/i.test(hex));
}
