/** Files into and out of the vault: chunked uploads, evidence content, CSV export and import. */
import { z } from 'zod';
import { LanguageSchema } from './app';
import { invoke } from './common';

export const filesChannels = {
  'uploads:begin': invoke(
    z
      .object({
        name: z.string().min(1).max(255),
        size: z
          .number()
          .int()
          .min(0)
          .max(2 ** 40),
      })
      .strict(),
    z.object({ uploadId: z.string().uuid() }).strict(),
  ),
  'uploads:chunk': invoke(
    z
      .object({
        uploadId: z.string().uuid(),
        index: z.number().int().min(0),
        // base64 of at most 1 MiB
        data: z
          .string()
          .max(1_398_104)
          .regex(/^[A-Za-z0-9+/]*={0,2}$/),
      })
      .strict(),
    z.object({ received: z.number().int() }).strict(),
  ),
  'uploads:finish': invoke(
    z.object({ uploadId: z.string().uuid() }).strict(),
    z.object({ name: z.string(), sha256: z.string(), size: z.number().int() }).strict(),
  ),
  'uploads:abort': invoke(
    z.object({ uploadId: z.string().uuid() }).strict(),
    z.object({ aborted: z.literal(true) }).strict(),
  ),
  'evidence:content': invoke(
    z.object({ evidenceId: z.string().uuid() }).strict(),
    z.object({ fileName: z.string(), data: z.string() }).strict(),
  ),
  'csv:export': invoke(
    z.object({ kind: z.enum(['systems', 'records', 'people']), language: LanguageSchema }).strict(),
    z.object({ fileName: z.string(), content: z.string() }).strict(),
  ),
  'csv:import': invoke(
    z
      .object({ kind: z.enum(['systems', 'people']), content: z.string().max(5 * 1024 * 1024) })
      .strict(),
    z
      .object({
        imported: z.number().int(),
        errors: z.array(
          z.object({
            line: z.number().int(),
            field: z.string(),
            message: z.string(),
            key: z.string().optional(),
            params: z.record(z.string(), z.string()).optional(),
            code: z.string().optional(),
            minimum: z.number().optional(),
            maximum: z.number().optional(),
            origin: z.string().optional(),
          }),
        ),
      })
      .strict(),
  ),
} as const;
