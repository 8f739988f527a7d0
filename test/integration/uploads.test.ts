import { createHash, randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../electron/ipc/dispatch';
import { handlers } from '../../electron/ipc/handlers';
import type { CaseDetail } from '../../shared/contract';
import { makeTestContext, tempFolder, type TestContext } from '../helpers/context';
import { PASSPHRASE, PROFILE } from '../helpers/vault';

let folder: ReturnType<typeof tempFolder>;
let tc: TestContext;

beforeEach(async () => {
  folder = tempFolder('awb-uploads-');
  tc = makeTestContext(folder.path);
  await tc.ctx.vault.create(`${folder.path}/vault`, PASSPHRASE, PROFILE);
});
afterEach(async () => {
  await tc.ctx.vault.lock();
  folder.cleanup();
});

async function ok<T>(channel: string, payload: unknown): Promise<T> {
  const result = await dispatch(handlers, channel, payload, tc.ctx);
  if (!result.ok) {
    throw new Error(`${channel}: ${result.error.code} ${JSON.stringify(result.error.details)}`);
  }
  return result.value as T;
}

describe('a finished upload is held until it is attached or aborted', () => {
  it('held meanwhile (a refused import does not remove it), released after', async () => {
    const upload = async () => {
      const content = randomBytes(1_000);
      const { uploadId } = await ok<{ uploadId: string }>('uploads:begin', {
        name: 'held.pdf',
        size: content.length,
      });
      await ok('uploads:chunk', { uploadId, index: 0, data: content.toString('base64') });
      // Finished as the handler does, to see the stored file's address.
      const done = await tc.ctx.uploads.finish(uploadId);
      return { uploadId, address: done.address };
    };
    const blobs = () => tc.ctx.vault.current().blobs;
    const attached = await upload();
    expect(blobs().held(attached.address)).toBe(true);
    const { id: recordId } = await ok<{ id: string }>('records:create', {
      type: 'correspondence',
      title: 'Letter',
      counterpart: 'NOS',
      status: 'open',
    });
    await ok('records:attach', { recordId, uploadId: attached.uploadId });
    expect(blobs().held(attached.address)).toBe(false);
    const aborted = await upload();
    expect(blobs().held(aborted.address)).toBe(true);
    await ok('uploads:abort', { uploadId: aborted.uploadId });
    expect(blobs().held(aborted.address)).toBe(false);
  });
});

describe('chunked uploads through the contract', () => {
  it('uploads a file in chunks and attaches it to a record, with its SHA-256', async () => {
    const content = randomBytes(2_500_000);
    const { id: recordId } = await ok<{ id: string }>('records:create', {
      type: 'correspondence',
      title: 'Letter',
      counterpart: 'NOS',
      status: 'open',
    });
    const { uploadId } = await ok<{ uploadId: string }>('uploads:begin', {
      name: 'brev.pdf',
      size: content.length,
    });
    let index = 0;
    for (let at = 0; at < content.length; at += 1024 * 1024) {
      const r = await ok<{ received: number }>('uploads:chunk', {
        uploadId,
        index: index++,
        data: content.subarray(at, at + 1024 * 1024).toString('base64'),
      });
      expect(r.received).toBe(Math.min(at + 1024 * 1024, content.length));
    }
    const done = await ok<{ sha256: string; size: number }>('uploads:finish', { uploadId });
    expect(done).toMatchObject({
      size: content.length,
      sha256: createHash('sha256').update(content).digest('hex'),
    });
    await ok('records:attach', { recordId, uploadId });
    const { attachments } = await ok<{
      attachments: { name: string; address: string; sha256: string }[];
    }>('records:attachments', { recordId });
    expect(attachments).toMatchObject([{ name: 'brev.pdf', sha256: done.sha256 }]);
    expect(await tc.ctx.vault.current().blobs.verify(attachments[0]?.address ?? '')).toEqual({
      sha256: done.sha256,
      size: content.length,
    });
    // an upload is attached once
    const again = await dispatch(handlers, 'records:attach', { recordId, uploadId }, tc.ctx);
    expect(again).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('refuses chunks out of order, beyond the declared size, or a short finish, leaving nothing behind', async () => {
    const { uploadId } = await ok<{ uploadId: string }>('uploads:begin', { name: 'x', size: 10 });
    const skipped = await dispatch(
      handlers,
      'uploads:chunk',
      { uploadId, index: 1, data: 'AAAA' },
      tc.ctx,
    );
    expect(skipped).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    const gone = await dispatch(
      handlers,
      'uploads:chunk',
      { uploadId, index: 0, data: 'AAAA' },
      tc.ctx,
    );
    expect(gone).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    const second = await ok<{ uploadId: string }>('uploads:begin', { name: 'y', size: 2 });
    const tooMuch = await dispatch(
      handlers,
      'uploads:chunk',
      { uploadId: second.uploadId, index: 0, data: Buffer.alloc(3).toString('base64') },
      tc.ctx,
    );
    expect(tooMuch).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });

    const third = await ok<{ uploadId: string }>('uploads:begin', { name: 'z', size: 5 });
    await ok('uploads:chunk', {
      uploadId: third.uploadId,
      index: 0,
      data: Buffer.alloc(2).toString('base64'),
    });
    const short = await dispatch(handlers, 'uploads:finish', { uploadId: third.uploadId }, tc.ctx);
    expect(short).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    const notBase64 = await dispatch(
      handlers,
      'uploads:chunk',
      { uploadId: third.uploadId, index: 0, data: '!!!' },
      tc.ctx,
    );
    expect(notBase64).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    // No waiting: a refused chunk or finish answers only after the partial file is gone.
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(`${folder.path}/vault/blobs`)).toEqual([]);
  });

  /** Sends `content` as one upload, finished unless `finish` is false; returns its id. */
  async function send(content: Buffer, finish = true): Promise<string> {
    const { uploadId } = await ok<{ uploadId: string }>('uploads:begin', {
      name: 'ssrs.pdf',
      size: content.length,
    });
    let index = 0;
    for (let at = 0; at < content.length; at += 1024 * 1024) {
      await ok('uploads:chunk', {
        uploadId,
        index: index++,
        data: content.subarray(at, at + 1024 * 1024).toString('base64'),
      });
      if (!finish) {
        break;
      }
    }
    if (finish) {
      await ok('uploads:finish', { uploadId });
    }
    return uploadId;
  }

  const blobFiles = () => readdirSync(`${folder.path}/vault/blobs`);

  it('a cancelled upload leaves nothing behind: mid-way, and finished but not yet attached', async () => {
    await send(randomBytes(2_500_000), false).then((uploadId) => ok('uploads:abort', { uploadId }));
    expect(blobFiles()).toEqual([]);
    const finished = await send(randomBytes(1_500_000));
    expect(blobFiles()).toHaveLength(1);
    await ok('uploads:abort', { uploadId: finished });
    expect(blobFiles()).toEqual([]);
  });

  it('cancelling an upload of content the vault already holds keeps the file the vault refers to', async () => {
    const content = randomBytes(100_000);
    const { id: recordId } = await ok<{ id: string }>('records:create', {
      type: 'correspondence',
      title: 'Letter',
      counterpart: 'NOS',
      status: 'open',
    });
    await ok('records:attach', { recordId, uploadId: await send(content) });
    expect(blobFiles()).toHaveLength(1);
    await ok('uploads:abort', { uploadId: await send(content) });
    const { attachments } = await ok<{ attachments: { address: string }[] }>(
      'records:attachments',
      { recordId },
    );
    expect(blobFiles()).toEqual([attachments[0]?.address]);
    await tc.ctx.vault.current().blobs.verify(attachments[0]!.address);
  });

  it('evidence is linked to requirements of its case and marked; a refused link keeps the upload to attach again', async () => {
    const { id: systemId } = await ok<{ id: string }>('systems:create', {
      ref: 'TTJ-1',
      name: 'Sagssystem',
      phase: 'operational',
      mode: 'dedicated',
      levels: [{ domain: 'national', level: 'RESTRICTED' }],
      userCount: 20,
      minClearance: 'RESTRICTED',
    });
    const { id: caseId } = await ok<{ id: string }>('cases:create', { systemId, type: 'initial' });
    const detail = () => ok<CaseDetail>('cases:get', { id: caseId });
    const [first, second] = (await detail()).items.map((i) => i.requirementId);
    const uploadId = await send(randomBytes(200_000));
    const meta = {
      type: 'ssrs',
      title: 'SSRS',
      requirementIds: [first, second],
      markingDomain: 'nato',
      markingLevel: 'SECRET',
    };
    // Each refusal names its field; the upload is not lost by it.
    for (const [bad, path] of [
      [{ requirementIds: [first, 'ZZZ-99'] }, ['requirementIds', 1]],
      [{ markingLevel: 'ULTRA' }, ['markingLevel']],
      [{ markingLevel: null }, ['markingLevel']],
      [{ markingDomain: null }, ['markingDomain']],
    ] as const) {
      const refused = await dispatch(
        handlers,
        'cases:addEvidence',
        { caseId, uploadId, meta: { ...meta, ...bad } },
        tc.ctx,
      );
      expect(refused).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED', details: { issues: [{ path }] } },
      });
    }
    expect((await detail()).evidence).toEqual([]);
    const { id } = await ok<{ id: string }>('cases:addEvidence', { caseId, uploadId, meta });
    const after = await detail();
    expect(after.evidence).toMatchObject([{ id, markingLevel: 'SECRET', markingDomain: 'nato' }]);
    expect(after.items.filter((i) => i.evidence.includes(id)).map((i) => i.requirementId)).toEqual([
      first,
      second,
    ]);
    // Attached once: the upload is gone now, and its file is the evidence's.
    const again = await dispatch(handlers, 'cases:addEvidence', { caseId, uploadId, meta }, tc.ctx);
    expect(again).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    await ok('uploads:abort', { uploadId });
    expect(blobFiles()).toEqual([after.evidence[0]?.address]);
  });
});
