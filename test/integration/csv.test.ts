import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportCsv, importCsv } from '../../electron/areas/register/csv';
import { translate } from '../../shared/i18n';
import { issueText } from '../../shared/i18n/issues';
import { seedDemo } from '../../electron/services/demo';
import { RegisterService } from '../../electron/areas/register/use-cases';
import { RecordService } from '../../electron/areas/records/use-cases';
import { Vault } from '../../electron/vault/vault';
import { tempFolder } from '../helpers/context';
import { PASSPHRASE, PROFILE, TEST_CONFIG } from '../helpers/vault';

let folder: ReturnType<typeof tempFolder>;
let vault: Vault;
let register: RegisterService;
let records: RecordService;

beforeEach(async () => {
  folder = tempFolder('awb-csv-');
  ({ vault } = await Vault.create(folder.path, PASSPHRASE, PROFILE, TEST_CONFIG));
  register = new RegisterService(() => vault);
  records = new RecordService(() => vault, register);
});
afterEach(async () => {
  await vault.close({ discard: true });
  folder.cleanup();
});

const auditRows = () =>
  Number(vault.database.exec('SELECT count(*) FROM audit_log')[0]?.values[0]?.[0]);

describe('CSV', () => {
  it('exports each list with the marking of its content on the first line', async () => {
    await seedDemo({ register, records });
    const systems = exportCsv({ register, records }, 'systems', 'da');
    const lines = systems.content.split('\r\n');
    expect(lines[0]).toBe('# YDERST HEMMELIGT');
    expect(lines[1]).toBe(
      'ref,name,purpose,phase,mode,national,nato,eu,bilateral,userCount,minClearance,boundary,nextReview,owner',
    );
    expect(lines.filter((l) => l.startsWith('SYS-'))).toHaveLength(14);
    expect(exportCsv({ register, records }, 'records', 'en').content.split('\r\n')[0]).toMatch(
      /^# HEMMELIGT/,
    );
    expect(exportCsv({ register, records }, 'people', 'en').content.split('\r\n')[0]).toBe(
      '# NO CLASSIFIED CONTENT OPEN',
    );
  });

  it('round-trips: an exported systems file imports into another vault', async () => {
    await seedDemo({ register, records });
    const csv = exportCsv({ register, records }, 'systems', 'da').content.replace(
      /,[^,\r\n]*\r\n/g,
      ',\r\n',
    ); // drop the owner column values
    const other = tempFolder('awb-csv-other-');
    const { vault: second } = await Vault.create(other.path, PASSPHRASE, PROFILE, TEST_CONFIG);
    const secondRegister = new RegisterService(() => second);
    const result = await importCsv(second, secondRegister, 'systems', csv);
    expect(result).toEqual({ imported: 14, errors: [] });
    expect(secondRegister.listSystems().map((s) => s.levels)).toEqual(
      register.listSystems().map((s) => s.levels),
    );
    await second.close();
    other.cleanup();
  });

  it('reports every bad row with its line and field, and imports nothing', async () => {
    await register.createSystem({
      ref: 'EXIST-1',
      name: 'x',
      phase: 'test',
      mode: 'dedicated',
      levels: [{ domain: 'eu', level: 'SECRET' }],
      userCount: 1,
    });
    const before = auditRows();
    const csv = [
      '# HEMMELIGT',
      'ref,name,phase,mode,national,nato,eu,bilateral,userCount,minClearance,nextReview,owner',
      'OK-1,Good,operational,dedicated,HEMMELIGT,,,,5,HEM,2027-01-01,',
      'OK-2,Also good,test,system_high,,NS,,,5,NATO SECRET,,',
      'BAD-1,,operational,dedicated,HEM,,,,5,,,',
      'BAD-2,Bad level,operational,dedicated,SUPER,,,,5,,,',
      'BAD-3,Bad mode,operational,sometimes,HEM,,,,5,,,',
      'EXIST-1,Taken,operational,dedicated,HEM,,,,5,,,',
      'OK-1,Duplicate in file,operational,dedicated,HEM,,,,5,,,',
      'BAD-4,No levels,operational,dedicated,,,,,5,,,',
      'BAD-5,Bad date,operational,dedicated,HEM,,,,5,,2027-13-45,',
      'BAD-6,Unknown owner,operational,dedicated,HEM,,,,5,,,Nobody A/S',
    ].join('\n');
    const result = await importCsv(vault, register, 'systems', csv);
    expect(result.imported).toBe(0);
    expect(result.errors.map((e) => [e.line, e.field])).toEqual([
      [5, 'name'],
      [6, 'national'],
      [7, 'mode'],
      [8, 'ref'],
      [9, 'ref'],
      [10, 'levels'],
      [11, 'nextReview'],
      [12, 'owner'],
    ]);
    expect(register.listSystems().map((s) => s.ref)).toEqual(['EXIST-1']);
    expect(auditRows()).toBe(before);
  });

  it('imports a clean file in one go, one audit row per system', async () => {
    const before = auditRows();
    const result = await importCsv(
      vault,
      register,
      'systems',
      'ref,name,phase,mode,eu\nA,Alpha,test,dedicated,SUE\nB,Beta,test,dedicated,CONFIDENTIEL UE/EU CONFIDENTIAL\n',
    );
    expect(result).toEqual({ imported: 2, errors: [] });
    expect(register.listSystems().map((s) => s.levels)).toEqual([
      [{ domain: 'eu', level: 'SECRET' }],
      [{ domain: 'eu', level: 'CONFIDENTIAL' }],
    ]);
    expect(auditRows()).toBe(before + 2);
  });

  it('imports people with clearances, and refuses bad ones', async () => {
    await register.createOrganisation({ name: 'Ministeriet', type: 'system_owner' });
    const bad = await importCsv(
      vault,
      register,
      'people',
      'name,organisation,clearanceLevel,clearanceDomain,issuingBody,expiresOn\nOle,Ministeriet,HEM,national,PET,2028-01-01\n,Ministeriet,,,,\nPia,Ukendt,,,,\nIb,,HEM,mars,PET,2028-01-01\n',
    );
    expect(bad.imported).toBe(0);
    expect(bad.errors.map((e) => [e.line, e.field])).toEqual([
      [3, 'name'],
      [4, 'organisation'],
      [5, 'clearances.0.domain'],
    ]);
    // Each problem in the user's language, as the import screen shows it: no English in Danish.
    expect(bad.errors.map((e) => issueText('da', { ...e, path: e.field }))).toEqual([
      'Udfyld feltet.',
      'Der er ingen organisation med navnet »Ukendt« i registret.',
      translate('da', 'issue.choice'),
    ]);
    expect(issueText('en', { ...bad.errors[1]!, path: 'organisation' })).toBe(
      'No organisation named "Ukendt" in the register.',
    );
    const good = await importCsv(
      vault,
      register,
      'people',
      'name,organisation,clearanceLevel,clearanceDomain,issuingBody,expiresOn\nOle,Ministeriet,HEM,national,PET,2028-01-01\n',
    );
    expect(good).toEqual({ imported: 1, errors: [] });
    expect(register.listPeople()[0]).toMatchObject({
      name: 'Ole',
      organisation: 'Ministeriet',
      clearances: [{ level: 'SECRET', domain: 'national' }],
    });
  });

  it('refuses a file without the required columns', async () => {
    await expect(
      importCsv(vault, register, 'systems', 'name,phase\nx,test\n'),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { issues: [{ key: 'missingColumn', params: { column: 'ref' } }, expect.anything()] },
    });
    const unknownLevel = await importCsv(
      vault,
      register,
      'systems',
      'ref,name,phase,mode,national\nA-8,Alpha,test,dedicated,SUPER\nA-9,Beta,test,dedicated,HEM\nA-9,Gamma,test,dedicated,HEM\n',
    );
    expect(unknownLevel.errors.map((e) => issueText('da', { ...e, path: e.field }))).toEqual([
      'SUPER er ikke et niveau i klassifikationsskemaet.',
      'Der findes allerede et system med referencen A-9.',
    ]);
  });

  it('neutralises spreadsheet formulas on export', async () => {
    await register.createSystem({
      ref: 'F-1',
      name: '=HYPERLINK("http://x")',
      phase: 'test',
      mode: 'dedicated',
      levels: [{ domain: 'eu', level: 'SECRET' }],
      userCount: 1,
    });
    expect(exportCsv({ register, records }, 'systems', 'en').content).toContain(
      `"'=HYPERLINK(""http://x"")"`,
    );
  });
});
