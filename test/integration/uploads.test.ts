import { createHash, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../electron/ipc/dispatch';
import { handlers } from '../../electron/ipc/handlers';
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
});
