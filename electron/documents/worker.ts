/**
 * The PDF worker: a separate process that lays out one document and hands back its bytes. The
 * layout engine can spin forever on some content (docs/architecture.md), so it never runs in the main
 * process: the parent kills this process when its time is up. It runs as a Node child process
 * (CLI, preview, tests) or as an Electron utility process (the app, where the RunAsNode fuse is
 * off); only the way messages arrive differs.
 */
import { renderToBuffer } from '@react-pdf/renderer';
import type { DocumentSpec } from '../../shared/documents';
import { DocumentLayout } from './layout';

type Reply = { ok: true; pdf: string } | { ok: false; message: string };

interface ParentPort {
  once(event: 'message', listener: (event: { data: DocumentSpec }) => void): void;
  postMessage(message: Reply): void;
}
const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

async function render(spec: DocumentSpec): Promise<Reply> {
  try {
    // The layout is called as a function so the root element handed over is the <Document> itself.
    const pdf = await renderToBuffer(DocumentLayout({ spec }));
    return { ok: true, pdf: Buffer.from(pdf).toString('base64') };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

if (parentPort) {
  parentPort.once('message', (event) => {
    void render(event.data).then((reply) => {
      parentPort.postMessage(reply);
      process.exit(0);
    });
  });
} else {
  process.once('message', (spec: DocumentSpec) => {
    void render(spec).then((reply) => process.send?.(reply, () => process.exit(0)));
  });
}
