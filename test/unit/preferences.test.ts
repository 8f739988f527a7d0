import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_PREFERENCES } from '../../shared/contract';
import { JsonFilePreferences, sanitizePreferences } from '../../electron/services/preferences';
import { tempFolder } from '../helpers/context';

let folder: ReturnType<typeof tempFolder>;
beforeEach(() => {
  folder = tempFolder();
});
afterEach(() => folder.cleanup());

describe('preferences', () => {
  it('starts from the defaults and persists changes', () => {
    const prefs = new JsonFilePreferences(folder.path);
    expect(prefs.get()).toEqual(DEFAULT_PREFERENCES);
    prefs.update({ language: 'en', idleLockMinutes: 5 });
    expect(new JsonFilePreferences(folder.path).get()).toMatchObject({
      language: 'en',
      idleLockMinutes: 5,
    });
  });

  it('keeps valid fields and defaults the rest of a tampered file', () => {
    writeFileSync(
      join(folder.path, 'preferences.json'),
      JSON.stringify({
        language: 'en',
        idleLockMinutes: -3,
        recentVaults: 'x',
        passphrase: 'leak',
      }),
    );
    expect(new JsonFilePreferences(folder.path).get()).toEqual({
      ...DEFAULT_PREFERENCES,
      language: 'en',
    });
  });

  it('survives a file that is not JSON', () => {
    writeFileSync(join(folder.path, 'preferences.json'), '\u0000garbage');
    expect(new JsonFilePreferences(folder.path).get()).toEqual(DEFAULT_PREFERENCES);
  });

  it('refuses out-of-range values and keeps the stored ones', () => {
    const prefs = new JsonFilePreferences(folder.path);
    prefs.update({ language: 'en' });
    expect(() => prefs.update({ idleLockMinutes: 100000 })).toThrow();
    expect(prefs.get().language).toBe('en');
  });

  it('reports PREFERENCES_UNAVAILABLE and keeps the old file when it cannot write', () => {
    const prefs = new JsonFilePreferences(folder.path);
    prefs.update({ language: 'en' });
    // A directory where the temporary file must go: fails even for root.
    mkdirSync(join(folder.path, 'preferences.json.tmp'));
    expect(() => prefs.update({ language: 'da' })).toThrow(
      expect.objectContaining({ code: 'PREFERENCES_UNAVAILABLE' }),
    );
    const stored = JSON.parse(readFileSync(join(folder.path, 'preferences.json'), 'utf8')) as {
      language: string;
    };
    expect(stored.language).toBe('en');
  });

  it('sanitizes non-objects to the defaults', () => {
    for (const stored of [null, 1, 'x', [], undefined]) {
      expect(sanitizePreferences(stored)).toEqual(DEFAULT_PREFERENCES);
    }
  });
});
