/** The portfolio dashboard. */
import { z } from 'zod';
import { DomainSchema } from '../classification';
import { CASE_STATES } from '../lifecycle';
import { ACCEPTANCE_STATUSES } from './risks';
import { Nullable, invoke } from './common';

export const DashboardSchema = z.object({
  today: z.string(),
  approvals: z.array(
    z.object({
      kind: z.enum(['record', 'interconnection', 'decision']),
      id: z.string(),
      title: z.string(),
      type: z.string(),
      systemId: Nullable,
      validTo: z.string(),
      daysLeft: z.number().int(),
      window: z.number().int(),
    }),
  ),
  approvalWindows: z.array(z.object({ days: z.number().int(), count: z.number().int() })),
  pipeline: z.array(z.object({ state: z.enum(CASE_STATES), count: z.number().int() })),
  /** The first hour's steps and whether each is done (shown until all are). */
  firstRun: z.array(
    z.object({
      step: z.enum(['system', 'criteria', 'identity', 'exchange']),
      done: z.boolean(),
    }),
  ),
  /** Systems whose approval is in any state but "one in force". */
  standing: z.array(
    z.object({
      systemId: z.string(),
      system: z.string(),
      state: z.enum([
        'multiple',
        'suspended',
        'reaccreditation_due',
        'expired',
        'withdrawn',
        'none',
        'beyond_approval',
      ]),
    }),
  ),
  overdue: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(['finding', 'condition']),
      severity: z.string(),
      title: z.string(),
      dueDate: z.string(),
      daysOverdue: z.number().int(),
      owner: z.string(),
      caseId: z.string(),
      caseRef: z.string(),
    }),
  ),
  followUps: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      type: z.string(),
      counterpart: z.string(),
      due: z.string(),
      overdue: z.boolean(),
    }),
  ),
  clearances: z.array(
    z.object({
      personId: z.string(),
      name: z.string(),
      level: z.string(),
      domain: DomainSchema,
      expiresOn: z.string(),
      expired: z.boolean(),
    }),
  ),
  risks: z.array(
    z.object({
      id: z.string(),
      ref: z.string(),
      system: z.string(),
      scope: z.string(),
      threatEvent: z.string(),
      residualLevel: z.string(),
      residualRank: z.number().int(),
      acceptance: z.enum(ACCEPTANCE_STATUSES),
    }),
  ),
  levels: z.array(z.object({ domain: DomainSchema, level: z.string() })),
});
export type Dashboard = z.infer<typeof DashboardSchema>;

export const dashboardChannels = {
  'dashboard:summary': invoke(z.object({}).strict(), DashboardSchema),
} as const;
