/**
 * What every area of the contract builds on: the spec of an invoke and of an event, and the small
 * schemas they share.
 */
import { z } from 'zod';
import { RULE_CODES } from '../rules';

export interface InvokeSpec<I extends z.ZodType, O extends z.ZodType> {
  kind: 'invoke';
  request: I;
  response: O;
}

export interface EventSpec<P extends z.ZodType> {
  kind: 'event';
  payload: P;
}

export function invoke<I extends z.ZodType, O extends z.ZodType>(
  request: I,
  response: O,
): InvokeSpec<I, O> {
  return { kind: 'invoke', request, response };
}

export function event<P extends z.ZodType>(payload: P): EventSpec<P> {
  return { kind: 'event', payload };
}

export const Empty = z.object({}).strict();

export const FolderSchema = z.string().min(1).max(4096);
export const IdInput = z.object({ id: z.string().uuid() }).strict();
export const IdOutput = z.object({ id: z.string().uuid() }).strict();
export const ViolationSchema = z.object({
  code: z.enum(RULE_CODES),
  entity: z.enum(['system', 'component', 'interconnection', 'person']),
  entityId: z.string(),
  params: z.record(z.string(), z.string()),
});
export const Nullable = z.string().nullable();
export const Uuid = z.string().uuid();
export const Retired = z.object({ includeRetired: z.boolean().optional() }).strict();

export const Base64 = (maxBytes: number) =>
  z
    .string()
    .max(Math.ceil((maxBytes * 4) / 3) + 4)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/);
export const AbsolutePath = z
  .string()
  .min(2)
  .max(4096)
  .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p), 'an absolute path');
