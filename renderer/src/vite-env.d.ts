/// <reference types="vite/client" />

// pdf.js's parser module, loaded into the page as its in-thread ("fake") worker.
declare module 'pdfjs-dist/build/pdf.worker.mjs' {
  export const WorkerMessageHandler: unknown;
}
