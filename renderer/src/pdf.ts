/** Bytes between the core and the screen: files to base64 and back, and a PDF to a local blob URL. */
import { toBase64 } from './upload';

export async function fileToBase64(file: File): Promise<string> {
  return toBase64(new Uint8Array(await file.arrayBuffer()));
}

/** A blob: URL for a PDF the core produced (revoke it when it is no longer shown). */
export function pdfUrl(base64: string): string {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) {
    bytes[i] = binary.charCodeAt(i);
  }
  return URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
}
