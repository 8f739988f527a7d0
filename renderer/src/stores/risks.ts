/**
 * The vault's risk set-up the risk screens share: the matrices it can use, the acceptance
 * criteria in force (null until someone sets them) and the matrix they name. Cleared on lock.
 */
import { create } from 'zustand';
import type { ResponseOf } from '../../../shared/contract';
import type { RiskMatrix } from '../../../shared/risk';
import { call } from '../api';
import { registerReset } from './reset';

type Setup = ResponseOf<'risks:matrices'>;

interface RiskStore {
  setup: Setup | null;
  /** The matrix of the criteria in force (null while no criteria are set). */
  matrix: RiskMatrix | null;
  load: () => Promise<void>;
}

export const useRisks = create<RiskStore>((set) => ({
  setup: null,
  matrix: null,
  async load() {
    const setup = await call('risks:matrices', {});
    if (setup) {
      set({
        setup,
        matrix: setup.criteria
          ? (setup.matrices.find((m) => m.id === setup.criteria?.matrixId) ?? null)
          : null,
      });
    }
  },
}));

registerReset(() => useRisks.setState({ setup: null, matrix: null }));
