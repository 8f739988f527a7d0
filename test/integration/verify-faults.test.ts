/**
 * A fault inside the verifier refuses, it never passes and never crashes: each part the verifier
 * calls (the file reader, the CMS reader, path building, the content check, the update check) is
 * made to throw, once, something its own rules would not, and the report must say the signature
 * is refused — with the field it belongs to and a reason — while the other signatures are judged
 * as before. No file found so far makes these parts throw so (the forgery tables and the
 * structure rules would have shown it); these rows keep the guards honest for the day one does.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { softwareSigner } from '../../electron/signing/identity';
import { PdfFile, PdfStructureError } from '../../electron/signing/pdf-structure';
import { verifyPdf, type TrustStore } from '../../electron/signing/verify';
import { letter, signLetter } from '../helpers/pdf';
import type * as Cms from '../../electron/signing/cms';
import type * as Path from '../../electron/signing/path';
import type * as StaticContent from '../../electron/signing/static-content';
import type * as Update from '../../electron/signing/update';
import { crl, issue, type Party } from '../helpers/pki';

type Fault = (() => never) | null;
const faults = vi.hoisted(() => ({
  cms: null as Fault,
  path: null as Fault,
  content: null as Fault,
  update: null as Fault,
  /** Certificates the CMS reader reports beside the real ones. */
  extraCertificates: [] as Uint8Array[],
}));

vi.mock('../../electron/signing/cms', async (original) => {
  const real = await original<typeof Cms>();
  return {
    ...real,
    verifyCms: (...args: Parameters<typeof real.verifyCms>) => {
      faults.cms?.();
      const reading = real.verifyCms(...args);
      return {
        ...reading,
        certificates: [...reading.certificates, ...faults.extraCertificates],
      };
    },
  };
});
vi.mock('../../electron/signing/path', async (original) => {
  const real = await original<typeof Path>();
  return {
    ...real,
    validatePath: (...args: Parameters<typeof real.validatePath>) => {
      faults.path?.();
      return real.validatePath(...args);
    },
  };
});
vi.mock('../../electron/signing/static-content', async (original) => {
  const real = await original<typeof StaticContent>();
  return {
    ...real,
    dynamicContent: (...args: Parameters<typeof real.dynamicContent>) => {
      faults.content?.();
      return real.dynamicContent(...args);
    },
  };
});
vi.mock('../../electron/signing/update', async (original) => {
  const real = await original<typeof Update>();
  return {
    ...real,
    countersignatureProblem: (...args: Parameters<typeof real.countersignatureProblem>) => {
      faults.update?.();
      return real.countersignatureProblem(...args);
    },
  };
});

const bug = (): never => {
  throw new TypeError('a fault no rule foresaw');
};
const unreadable = (): never => {
  throw new PdfStructureError('object 99 cannot be read', 'XREF_INVALID');
};

let root: Party;
let trust: TrustStore;
let one: Buffer;
let two: Buffer;

beforeAll(async () => {
  root = await issue({ name: 'CN=Faults Root, O=Authority, C=DK', ca: true, algorithm: 'ec-p256' });
  const anne = await issue({ name: 'CN=Anne Faults, C=DK', issuer: root, algorithm: 'ec-p256' });
  const bo = await issue({ name: 'CN=Bo Faults, C=DK', issuer: root, algorithm: 'ec-p256' });
  trust = { anchors: [root.cert], crls: [await crl(root, [])] };
  const base = await letter();
  const awaiting = await signLetter(
    base,
    softwareSigner(anne.key, [anne.der, root.der]),
    'Signature1',
    {
      title: 'Anne',
      reserve: true,
    },
  );
  one = await signLetter(base, softwareSigner(anne.key, [anne.der, root.der]), 'Signature1', {
    title: 'Anne',
  });
  two = await signLetter(awaiting, softwareSigner(bo.key, [bo.der, root.der]), 'Signature2', {
    title: 'Bo',
  });
});

afterEach(() => {
  faults.cms = faults.path = faults.content = faults.update = null;
  faults.extraCertificates = [];
  vi.restoreAllMocks();
});

const summary = async (pdf: Buffer) =>
  (await verifyPdf(pdf, trust)).signatures.map((s) => [s.field, s.reason, s.detail]);

describe('a fault inside the verifier refuses', () => {
  it('the genuine letters verify with every part in place', async () => {
    expect((await verifyPdf(one, trust)).status).toBe('valid');
    expect((await verifyPdf(two, trust)).status).toBe('valid');
  });

  it('the file reader failing unforeseen: the file cannot be read', async () => {
    vi.spyOn(PdfFile, 'parse').mockImplementation(bug);
    const result = await verifyPdf(one, trust);
    expect(result).toMatchObject({ status: 'invalid', reason: 'MALFORMED_SIGNATURE' });
    expect(result.signatures.map((s) => [s.field, s.detail])).toEqual([
      ['', 'the file cannot be read'],
    ]);
  });

  it('a signature value that cannot be read: that field refused, by its name, the other judged', async () => {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with its own `this`
    const real = PdfFile.prototype.signatureValue;
    vi.spyOn(PdfFile.prototype, 'signatureValue').mockImplementation(function (
      this: PdfFile,
      field,
      rev,
    ) {
      if (field.name === 'Signature1') {
        unreadable();
      }
      return real.call(this, field, rev);
    });
    const result = await verifyPdf(two, trust);
    expect(result.signatures).toEqual([
      expect.objectContaining({
        field: 'Signature1',
        reason: 'XREF_INVALID',
        detail: 'object 99 cannot be read',
        claimedTime: null,
        subFilter: null,
        revision: null,
      }),
      expect.objectContaining({ field: 'Signature2', reason: null, revision: 3 }),
    ]);
  });

  it('the CMS reader failing unforeseen: the signature cannot be read, at the revision it claims', async () => {
    faults.cms = bug;
    expect(await summary(one)).toEqual([
      ['Signature1', 'MALFORMED_SIGNATURE', 'the signature cannot be read'],
    ]);
    expect((await verifyPdf(one, trust)).signatures[0]).toMatchObject({ revision: 2 });
  });

  it('a certificate in the CMS that cannot be read is left out of the path, not fatal', async () => {
    faults.extraCertificates = [Buffer.from('not a certificate')];
    expect(await summary(one)).toEqual([['Signature1', null, null]]);
  });

  it('path building failing unforeseen: that signature refused, none passed', async () => {
    faults.path = bug;
    expect(await summary(two)).toEqual([
      ['Signature1', 'MALFORMED_SIGNATURE', 'the file cannot be read'],
      ['Signature2', 'MALFORMED_SIGNATURE', 'the file cannot be read'],
    ]);
  });

  it('the content check failing: every signature refused with its reason', async () => {
    faults.content = unreadable;
    expect(await summary(two)).toEqual([
      ['Signature1', 'XREF_INVALID', 'object 99 cannot be read'],
      ['Signature2', 'XREF_INVALID', 'object 99 cannot be read'],
    ]);
    faults.content = bug;
    expect(await summary(one)).toEqual([
      ['Signature1', 'MALFORMED_SIGNATURE', 'the file cannot be read'],
    ]);
  });

  it('the update check failing: the countersignature’s revision counts as a change', async () => {
    faults.update = unreadable;
    expect(await summary(two)).toEqual([
      ['Signature1', 'MODIFIED_AFTER_SIGNING', 'revision 3: object 99 cannot be read'],
      ['Signature2', 'MODIFIED_AFTER_SIGNING', 'object 99 cannot be read'],
    ]);
  });
});
