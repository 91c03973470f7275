import { z } from 'zod';
import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-codes';

/**
 * Options of a background removal, checked before anything is stored (remove.bg-style).
 * Stored on the job as given (normalised) and passed to the inference service.
 */
export const jobOptionsSchema = z
  .object({
    size: z.union([z.enum(['preview', 'full']), z.number().positive().max(500)]).default('full'),
    type: z.enum(['cutout', 'mask']).default('cutout'),
    format: z.enum(['png', 'webp', 'jpg']).default('png'),
    bgColor: z
      .string()
      .regex(/^#([0-9a-f]{3}|[0-9a-f]{4}|[0-9a-f]{6}|[0-9a-f]{8})$/i, 'bgColor must be a hex colour: #rgb, #rgba, #rrggbb or #rrggbbaa')
      .optional(),
    crop: z.boolean().default(false),
    cropMargin: z
      .string()
      .regex(/^\d{1,4}(px|%)?$/, 'cropMargin is pixels ("12", "12px") or a percentage ("5%")')
      .refine((v) => !v.endsWith('%') || Number(v.slice(0, -1)) <= 100, 'cropMargin is at most 100%')
      .optional(),
    refine: z.boolean().default(false),
    quality: z.number().int().min(1).max(100).optional(),
    model: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/i, 'model is a model id such as "medium"')
      .optional(),
  })
  .superRefine((o, ctx) => {
    const opaque = isOpaqueHex(o.bgColor);
    if (o.format === 'jpg' && o.type === 'cutout' && !opaque) {
      ctx.addIssue({ code: 'custom', path: ['bgColor'], message: 'JPG has no transparency: give an opaque bgColor, or use png or webp' });
    }
    if (o.cropMargin !== undefined && !o.crop) ctx.addIssue({ code: 'custom', path: ['cropMargin'], message: 'cropMargin needs crop: true' });
    if (o.quality !== undefined && o.format === 'png') ctx.addIssue({ code: 'custom', path: ['quality'], message: 'quality applies to webp and jpg only' });
  });

export type JobOptions = z.infer<typeof jobOptionsSchema>;

/** #rgb and #rrggbb are opaque; #rgba and #rrggbbaa only with a full alpha (f / ff). */
export function isOpaqueHex(color: string | undefined): boolean {
  const hex = color?.replace(/^#/, '') ?? '';
  return hex.length === 3 || hex.length === 6 || (hex.length === 4 && /f$/i.test(hex)) || (hex.length === 8 && /ff$/i.test(hex));
}

/** Parses options or throws BAD_USER_INPUT naming the first bad field. */
export function parseJobOptions(input: unknown): JobOptions {
  const result = jobOptionsSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = ['options', ...issue.path.map(String)].join('.');
  throw new AppError(ErrorCode.BAD_USER_INPUT, `${field}: ${issue.message}`, { field });
}
