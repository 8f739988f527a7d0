/**
 * The KDF floor (docs/vault.md, "Key derivation") at its exact values: what a header may hold
 * (refused below 8 MiB, t=1, p=1 and above the ceiling; re-wrapped below 64 MiB, t=3, p=4;
 * kept at or above it), and that no configuration outside the tests can derive below the floor.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  belowFloorForTests,
  checkConfigKdf,
  checkKdfParams,
  KDF_ARGON2ID,
  kdfUpgrade,
  SHIPPED_KDF,
  SHIPPED_LIMITS,
  type KdfParams,
} from '../../electron/vault/kdf';
import { PRODUCTION_CONFIG } from '../../electron/vault/vault';
import { isAppError } from '../../shared/errors';
import { reasonMessage, translate } from '../../shared/i18n';
import { projectRoot } from '../helpers/context';
import { TEST_CONFIG } from '../helpers/vault';

const FLOOR = { memoryKiB: 65536, iterations: 3, parallelism: 4 };

/** What a header with `params` gets under the shipped configuration. */
function verdict(params: KdfParams, id = KDF_ARGON2ID): string {
  try {
    checkKdfParams(id, params, SHIPPED_LIMITS);
  } catch (error) {
    if (isAppError(error) && error.code === 'UNSAFE_PARAMETERS') {
      return `refused ${String(error.details?.reason)}`;
    }
    throw error;
  }
  const upgrade = kdfUpgrade(params, PRODUCTION_CONFIG.kdf);
  return upgrade
    ? `re-wrapped to ${upgrade.memoryKiB}/${upgrade.iterations}/${upgrade.parallelism}`
    : 'kept';
}

function refusal(run: () => void): string | null {
  try {
    run();
    return null;
  } catch (error) {
    return isAppError(error) ? `${error.code} ${String(error.details?.reason)}` : 'other';
  }
}

describe('the floor a vault header is held to', () => {
  it('ships 64 MiB, t=3, p=4, refuses below 8 MiB, t=1, p=1, and cannot be changed', () => {
    expect(SHIPPED_KDF).toEqual(FLOOR);
    expect(PRODUCTION_CONFIG.kdf).toBe(SHIPPED_KDF);
    expect(SHIPPED_LIMITS.minimum).toEqual({ memoryKiB: 8192, iterations: 1, parallelism: 1 });
    expect(SHIPPED_LIMITS.ceiling).toEqual({ memoryKiB: 1048576, iterations: 20, parallelism: 16 });
    for (const frozen of [PRODUCTION_CONFIG, SHIPPED_KDF, SHIPPED_LIMITS, SHIPPED_LIMITS.minimum]) {
      expect(Object.isFrozen(frozen)).toBe(true);
    }
    expect(() => {
      (SHIPPED_KDF as KdfParams).memoryKiB = 64;
    }).toThrow(TypeError);
  });

  it('at the floor: kept as it is', () => {
    expect(verdict(FLOOR)).toBe('kept');
  });

  it('one below the floor in any parameter: re-wrapped to the floor', () => {
    expect(verdict({ ...FLOOR, memoryKiB: 65535 })).toBe('re-wrapped to 65536/3/4');
    expect(verdict({ ...FLOOR, iterations: 2 })).toBe('re-wrapped to 65536/3/4');
    expect(verdict({ ...FLOOR, parallelism: 3 })).toBe('re-wrapped to 65536/3/4');
    // The old code's floor (OWASP's 19 MiB, t=2, p=1): opened, then strengthened.
    expect(verdict({ memoryKiB: 19456, iterations: 2, parallelism: 1 })).toBe(
      're-wrapped to 65536/3/4',
    );
  });

  it('a parameter stronger than the floor is kept when another is raised', () => {
    expect(verdict({ memoryKiB: 262144, iterations: 2, parallelism: 8 })).toBe(
      're-wrapped to 262144/3/8',
    );
    expect(verdict({ memoryKiB: 131072, iterations: 4, parallelism: 4 })).toBe('kept');
  });

  it('at the minimum: opened and re-wrapped; one below it: refused', () => {
    expect(verdict({ memoryKiB: 8192, iterations: 1, parallelism: 1 })).toBe(
      're-wrapped to 65536/3/4',
    );
    expect(verdict({ memoryKiB: 8191, iterations: 3, parallelism: 1 })).toBe(
      'refused BELOW_MINIMUM',
    );
    expect(verdict({ ...FLOOR, iterations: 0 })).toBe('refused BELOW_MINIMUM');
    expect(verdict({ ...FLOOR, parallelism: 0 })).toBe('refused BELOW_MINIMUM');
    // Argon2 needs 8 KiB a lane: under the tests' lower minimum, 15 KiB for two lanes is refused.
    expect(
      refusal(() =>
        checkKdfParams(
          KDF_ARGON2ID,
          { memoryKiB: 15, iterations: 1, parallelism: 2 },
          TEST_CONFIG.limits,
        ),
      ),
    ).toBe('UNSAFE_PARAMETERS BELOW_MINIMUM');
    expect(
      refusal(() =>
        checkKdfParams(
          KDF_ARGON2ID,
          { memoryKiB: 16, iterations: 1, parallelism: 2 },
          TEST_CONFIG.limits,
        ),
      ),
    ).toBeNull();
  });

  it('at the ceiling: opened; one above it, or another KDF: refused', () => {
    expect(verdict({ memoryKiB: 1048576, iterations: 20, parallelism: 16 })).toBe('kept');
    expect(verdict({ ...FLOOR, memoryKiB: 1048577 })).toBe('refused ABOVE_CEILING');
    expect(verdict({ ...FLOOR, iterations: 21 })).toBe('refused ABOVE_CEILING');
    expect(verdict({ ...FLOOR, parallelism: 17 })).toBe('refused ABOVE_CEILING');
    expect(verdict(FLOOR, 2)).toBe('refused UNKNOWN_KDF');
  });

  it('a refusal names its parameters, in words in both languages', () => {
    let details: Record<string, unknown> | undefined;
    try {
      checkKdfParams(
        KDF_ARGON2ID,
        { memoryKiB: 4096, iterations: 2, parallelism: 1 },
        SHIPPED_LIMITS,
      );
    } catch (error) {
      details = isAppError(error) ? error.details : undefined;
    }
    expect(details).toEqual({
      reason: 'BELOW_MINIMUM',
      memoryKiB: 4096,
      iterations: 2,
      parallelism: 1,
    });
    expect(reasonMessage('en', 'UNSAFE_PARAMETERS', details)).toContain('4,096 KiB, t=2, p=1');
    expect(reasonMessage('da', 'UNSAFE_PARAMETERS', details)).toContain('4.096 KiB, t=2, p=1');
    for (const reason of ['UNKNOWN_KDF', 'ABOVE_CEILING', 'CONFIG_BELOW_FLOOR']) {
      expect(reasonMessage('en', 'UNSAFE_PARAMETERS', { reason })).not.toBeNull();
    }
  });

  it('the audit row of a re-wrap reads in both languages, its parameters by name', () => {
    for (const key of [
      'audit.vault.kdfUpgrade',
      'auditField.kdf',
      'auditField.memoryKiB',
      'auditField.iterations',
      'auditField.parallelism',
    ] as const) {
      expect(translate('da', key), key).not.toBe(translate('en', key));
    }
  });
});

describe('a configuration below the floor', () => {
  it('the shipped configuration passes', () => {
    expect(refusal(() => checkConfigKdf(PRODUCTION_CONFIG))).toBeNull();
  });

  it('is refused however it is made, one below in any parameter', () => {
    for (const kdf of [
      { ...FLOOR, memoryKiB: 65535 },
      { ...FLOOR, iterations: 2 },
      { ...FLOOR, parallelism: 3 },
      TEST_CONFIG.kdf, // the test KDF's values, but not its declared object
    ].map((k) => ({ ...k }))) {
      expect(
        refusal(() => checkConfigKdf({ ...PRODUCTION_CONFIG, kdf })),
        JSON.stringify(kdf),
      ).toBe('UNSAFE_PARAMETERS CONFIG_BELOW_FLOOR');
    }
  });

  it('limits that accept what the shipped ones refuse are refused too', () => {
    const minimum = { ...SHIPPED_LIMITS.minimum, memoryKiB: 8191 };
    const ceiling = { ...SHIPPED_LIMITS.ceiling, iterations: 21 };
    for (const limits of [
      { minimum, ceiling: SHIPPED_LIMITS.ceiling },
      { minimum: SHIPPED_LIMITS.minimum, ceiling },
      { ...TEST_CONFIG.limits },
    ]) {
      expect(refusal(() => checkConfigKdf({ ...PRODUCTION_CONFIG, limits }))).toBe(
        'UNSAFE_PARAMETERS CONFIG_BELOW_FLOOR',
      );
    }
  });

  it('a stronger configuration passes; a test-declared one passes, and stays as declared', () => {
    const stronger = { memoryKiB: 131072, iterations: 4, parallelism: 4 };
    expect(refusal(() => checkConfigKdf({ ...PRODUCTION_CONFIG, kdf: stronger }))).toBeNull();
    expect(refusal(() => checkConfigKdf(TEST_CONFIG))).toBeNull();
    const declared = belowFloorForTests({ memoryKiB: 19456, iterations: 2, parallelism: 1 });
    expect(refusal(() => checkConfigKdf({ ...PRODUCTION_CONFIG, kdf: declared }))).toBeNull();
    expect(Object.isFrozen(declared)).toBe(true);
    expect(Object.isFrozen(TEST_CONFIG.limits)).toBe(true);
  });

  it('no shipped module names the test-only declaration', () => {
    const sources: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) {
          walk(path);
        } else if (/\.(ts|tsx|js|mjs|cjs)$/.test(name)) {
          sources.push(path);
        }
      }
    };
    for (const dir of ['electron', 'renderer', 'shared']) {
      walk(join(projectRoot, dir));
    }
    expect(sources.length).toBeGreaterThan(50);
    const naming = sources
      .filter((path) => readFileSync(path, 'utf8').includes('belowFloorForTests'))
      .map((path) => relative(projectRoot, path));
    // Only its definition: nothing that ships declares parameters below the floor.
    expect(naming).toEqual(['electron/vault/kdf.ts']);
    const kdf = readFileSync(join(projectRoot, 'electron/vault/kdf.ts'), 'utf8');
    // …and kdf.ts does not call it either.
    expect(kdf).toContain('export function belowFloorForTests<');
    expect(kdf).not.toMatch(/belowFloorForTests\s*\(/);
  });
});
