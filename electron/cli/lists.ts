/**
 * `awb systems|records list`, `awb cases`, `awb risks`, `awb dashboard`: what a vault holds, read.
 */
import { AppError } from '../../shared/errors';
import { checklistAnswer } from '../../shared/dossier';
import { reasonText } from '../../shared/i18n';
import { combinedImpact } from '../../shared/risk';
import { type VaultServices } from '../services';
import type { CliIo } from './io';
import { UsageError } from './usage';
import { withVault } from './common';

export async function listCommand(
  io: CliIo,
  area: 'systems' | 'records',
  argv: string[],
): Promise<Record<string, unknown>> {
  const [verb, ...rest] = argv;
  if (verb !== 'list') {
    throw new UsageError(`unknown ${area} command: ${verb ?? ''}`);
  }
  return withVault(io, rest, ({ register, records: recordService }, values) => {
    if (area === 'systems') {
      const systems = register.listSystems({});
      return { count: systems.length, systems };
    }
    const due = values['due-within'];
    let dueWithinDays: number | undefined;
    if (typeof due === 'string') {
      dueWithinDays = Number(due);
      if (!Number.isInteger(dueWithinDays) || dueWithinDays < 0) {
        throw new UsageError('--due-within takes a whole number of days');
      }
    }
    const records = recordService.list(dueWithinDays === undefined ? {} : { dueWithinDays });
    return { count: records.length, records };
  });
}
export function decisionSummary(d: ReturnType<VaultServices['decisions']['decision']>) {
  if (!d) {
    return null;
  }
  const { pdfBlob: _blob, ...rest } = d;
  return rest;
}
export async function casesCommand(io: CliIo, argv: string[]): Promise<Record<string, unknown>> {
  const [verb, ...rest] = argv;
  if (verb !== 'list' && verb !== 'show') {
    throw new UsageError(`unknown cases command: ${verb ?? ''}`);
  }
  return withVault(io, rest, ({ cases, decisions }, _values, _vault, positionals) => {
    const list = cases.listCases();
    if (verb === 'list') {
      return { count: list.length, cases: list };
    }
    const wanted = positionals[0];
    if (!wanted) {
      throw new UsageError('missing <id|ref>');
    }
    const found = list.find((c) => c.id === wanted || c.ref === wanted);
    if (!found) {
      throw new AppError('NOT_FOUND', 'No such case');
    }
    const c = cases.getCase(found.id);
    return {
      id: c.id,
      ref: c.ref,
      type: c.type,
      state: c.state,
      system: found.system,
      catalogue: c.catalogue,
      progressByArea: c.progress,
      missing: c.missing.length,
      blockers: c.blockers,
      nonCompliantWithoutAcceptedRisk: c.unaccepted,
      items: c.items.map(checklistAnswer),
      next: c.next,
      // The reason as recorded, and in words (a step the workbench took by itself is coded).
      history: c.history.map((h) => ({ ...h, reasonText: reasonText('en', h.reason) })),
      findings: c.findings,
      evidence: c.evidence.map(({ address: _address, ...e }) => e),
      decision: decisionSummary(decisions.decision(c.id)),
    };
  });
}
export async function risksCommand(io: CliIo, argv: string[]): Promise<Record<string, unknown>> {
  const [verb, ...rest] = argv;
  if (verb !== 'list') {
    throw new UsageError(`unknown risks command: ${verb ?? ''}`);
  }
  return withVault(io, rest, ({ risks, cases, register }, values) => {
    const filter: { caseId?: string; systemId?: string } = {};
    if (typeof values.case === 'string') {
      const wanted = values.case;
      const found = cases.listCases().find((c) => c.id === wanted || c.ref === wanted);
      if (!found) {
        throw new AppError('NOT_FOUND', 'No such case');
      }
      filter.caseId = found.id;
    }
    if (typeof values.system === 'string') {
      const wanted = values.system;
      const found = register.listSystems({}).find((x) => x.id === wanted || x.ref === wanted);
      if (!found) {
        throw new AppError('NOT_FOUND', 'No such system');
      }
      filter.systemId = found.id;
    }
    const criteria = risks.criteria();
    const list = risks.listRisks(filter);
    return {
      criteria,
      count: list.length,
      risks: list.map((r) => ({
        id: r.id,
        ref: r.ref,
        system: r.system,
        case: r.caseRef,
        scope: r.scope,
        threatEvent: r.threatEvent,
        treatment: r.treatment,
        inherent: { likelihood: r.likelihood, impact: combinedImpact(r), level: r.inherentLevel },
        residual: {
          likelihood: r.residualLikelihood,
          impact: r.residualImpact,
          level: r.residualLevel,
        },
        acceptedBy: r.authority,
        acceptance: r.acceptance,
        requirements: r.requirementIds,
        reviewDate: r.reviewDate,
      })),
    };
  });
}
export async function dashboardCommand(
  io: CliIo,
  argv: string[],
): Promise<Record<string, unknown>> {
  return withVault(io, argv, ({ dashboard }) => dashboard.summary());
}
