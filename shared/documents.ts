/**
 * The documents the workbench issues, as data: a document is a list of sections (facts,
 * paragraphs, tables, a heat map) under a header and footer carrying the marking, reference,
 * version and "page N of M". Builders in the core fill these from a case; the PDF worker lays
 * them out. Keeping the document as data lets the layout run in a separate process with a time
 * limit, and lets tests check what a document says without reading a PDF.
 */
import type { HeatCell } from './risk-charts';

export const DOCUMENT_KINDS = [
  'decision-letter',
  'dossier-report',
  'risk-acceptance',
  'records-extract',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** The link target that marks a reserved signature box in a laid-out document. */
export const SIGNATURE_SLOT_SCHEME = 'awb-signature-slot:';

export type Section =
  | { type: 'facts'; heading?: string; rows: [string, string][] }
  | { type: 'paragraphs'; heading?: string; paragraphs: string[] }
  | { type: 'table'; heading?: string; columns: string[]; widths?: number[]; rows: string[][] }
  | {
      /**
       * Boxes kept empty for signature blocks, one per signer. The layout marks each so the
       * signer can place its visible block there, over no text.
       */
      type: 'signatures';
      heading?: string;
      slots: { label: string }[];
    }
  | {
      type: 'heatmap';
      heading?: string;
      maps: { title: string; width: number; height: number; cells: HeatCell[] }[];
      axes: { likelihood: string; impact: string };
    };

export interface DocumentSpec {
  kind: DocumentKind;
  language: 'da' | 'en';
  title: string;
  /** The classification marking printed at the top and bottom of every page. */
  marking: string;
  reference: string;
  version: string;
  /** "Page {page} of {pages}" in the document's language. */
  pageLabel: string;
  issuer: string;
  date: string;
  /** Words for the PDF's Keywords entry (a letter names its dossier: "dossier-sha256:<hex>"). */
  keywords?: string[];
  sections: Section[];
}

/** Characters the PDF's built-in fonts cannot draw, replaced by ones they can. */
export function pdfSafe(text: string): string {
  return (
    text
      .replace(/[→⇒]/g, '->')
      .replace(/[←]/g, '<-')
      .replace(/[↑]/g, '^')
      .replace(/[↔]/g, '<->')
      .replace(/[–—]/g, '-')
      .replace(/[“”]/g, '"')
      .replace(/[‘’]/g, "'")
      .replace(/…/g, '...')
      .replace(/≤/g, '<=')
      .replace(/≥/g, '>=')
      // No control code reaches a page: readers give them different widths (a letter drawing one
      // is outside the letter profile). A tab is a space, a carriage return a line break.
      .replace(/\r\n?/g, '\n')
      .replace(/\t/g, ' ')
      .replace(/[^\x0a\x20-\x7e\xa0-\xff]/g, '?')
  );
}

/** A version as the header writes it: a number or a hash as "v3", a word (a draft's) as is. */
export function versionLabel(version: string): string {
  return /^[0-9a-f]/.test(version) ? `v${version}` : version;
}
