import { describe, expect, it } from 'vitest';
import { outsideApproval, raisedBy } from '../../shared/approval-scope';

const RANKS: Record<string, number> = { RESTRICTED: 1, CONFIDENTIAL: 2, SECRET: 3, TOP_SECRET: 4 };
const rank = (code: string) => RANKS[code] ?? 0;
const at = (domain: string, level: string) => ({ domain, level });

describe('raisedBy: what an owner’s submission raises, never lowers', () => {
  it('takes per domain the higher level and adds a domain only declared', () => {
    expect(
      raisedBy(
        [at('nato', 'SECRET'), at('eu', 'RESTRICTED')],
        [at('nato', 'RESTRICTED'), at('eu', 'SECRET'), at('national', 'CONFIDENTIAL')],
        rank,
      ),
    ).toEqual([at('nato', 'SECRET'), at('eu', 'SECRET'), at('national', 'CONFIDENTIAL')]);
  });
  it('is null where nothing is raised: equal, lower or fewer domains', () => {
    const held = [at('nato', 'SECRET'), at('eu', 'RESTRICTED')];
    expect(raisedBy(held, [at('nato', 'SECRET')], rank)).toBeNull();
    expect(raisedBy(held, [at('nato', 'CONFIDENTIAL'), at('eu', 'RESTRICTED')], rank)).toBeNull();
    expect(raisedBy(held, [], rank)).toBeNull();
    expect(held).toEqual([at('nato', 'SECRET'), at('eu', 'RESTRICTED')]);
  });
});

describe('outsideApproval: what an approval no longer covers', () => {
  const approval = {
    levels: [at('nato', 'SECRET')],
    sites: ['Bunker'],
    interconnections: ['link-1'],
  };
  const now = {
    levels: [at('nato', 'SECRET')],
    sites: [{ name: 'Bunker' }],
    interconnections: [{ id: 'link-1', peer: 'Allied', localLevel: 'SECRET', domain: 'nato' }],
    components: [{ product: 'Server', level: 'SECRET' }],
  };
  it('nothing where the system is as approved, or lower', () => {
    expect(outsideApproval(approval, now, rank)).toEqual([]);
    expect(outsideApproval(approval, { ...now, levels: [at('nato', 'RESTRICTED')] }, rank)).toEqual(
      [],
    );
  });
  it('each level, site, interconnection and part beyond it, by name', () => {
    expect(
      outsideApproval(
        approval,
        {
          levels: [at('nato', 'TOP_SECRET'), at('eu', 'RESTRICTED')],
          sites: [{ name: 'Bunker' }, { name: 'Annex' }],
          interconnections: [
            { id: 'link-1', peer: 'Allied', localLevel: 'TOP_SECRET', domain: 'nato' },
            { id: 'link-2', peer: 'New', localLevel: 'SECRET', domain: 'nato' },
          ],
          components: [
            { product: 'Server', level: 'SECRET' },
            { product: 'Vault', level: 'TOP_SECRET' },
          ],
        },
        rank,
      ),
    ).toEqual([
      { kind: 'level', label: 'nato: TOP_SECRET' },
      { kind: 'level', label: 'eu: RESTRICTED' },
      { kind: 'level', label: 'Vault: TOP_SECRET' },
      { kind: 'level', label: 'Allied: TOP_SECRET' },
      { kind: 'site', label: 'Annex' },
      { kind: 'interconnection', label: 'New' },
    ]);
  });
  it("an interconnection's local end in a domain the approval does not hold is judged by its top level", () => {
    const link = { id: 'link-1', peer: 'Allied', domain: 'eu' };
    expect(
      outsideApproval(
        approval,
        { ...now, interconnections: [{ ...link, localLevel: 'SECRET' }] },
        rank,
      ),
    ).toEqual([]);
    expect(
      outsideApproval(
        approval,
        { ...now, interconnections: [{ ...link, localLevel: 'TOP_SECRET' }] },
        rank,
      ),
    ).toEqual([{ kind: 'level', label: 'Allied: TOP_SECRET' }]);
  });
});
