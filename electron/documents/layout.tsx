/** @jsxRuntime automatic */
/**
 * The layout of every document: an A4 page per section (long tables continue on further pages),
 * with the marking, title, reference and version in a fixed header and the marking and
 * "page N of M" in a fixed footer. Explicit pages keep @react-pdf's layout close to linear on
 * long reports (docs/architecture.md). Runs only inside the PDF worker process.
 */
import { Document, Font, Link, Page, Rect, StyleSheet, Svg, Text, View } from '@react-pdf/renderer';
import type { ReactElement } from 'react';
import { CELL_FONT_SIZE, columnWidths } from './columns';
import {
  pdfSafe,
  SIGNATURE_SLOT_SCHEME,
  versionLabel,
  type DocumentSpec,
  type Section,
} from '../../shared/documents';

const ROWS_PER_PAGE = 32;

// No hyphenation: a hyphen inside a hash or a reference would change what a reader copies.
// Long values break at spaces (hashes are printed in groups).
Font.registerHyphenationCallback((word) => [word]);

const styles = StyleSheet.create({
  page: {
    paddingTop: 70,
    paddingBottom: 60,
    paddingHorizontal: 48,
    fontSize: 10,
    fontFamily: 'Helvetica',
  },
  header: { position: 'absolute', top: 18, left: 48, right: 48 },
  marking: { textAlign: 'center', fontFamily: 'Helvetica-Bold', fontSize: 11, color: '#a00000' },
  headerLine: {
    flexDirection: 'row',
    justifyContent: 'space-between',
    fontSize: 8,
    color: '#333',
    marginTop: 4,
    borderBottom: '1pt solid #999',
    paddingBottom: 3,
  },
  footer: { position: 'absolute', bottom: 18, left: 48, right: 48 },
  footerLine: {
    flexDirection: 'row',
    justifyContent: 'space-between',
    fontSize: 8,
    color: '#333',
    borderTop: '1pt solid #999',
    paddingTop: 3,
    marginBottom: 4,
  },
  title: { fontSize: 16, fontFamily: 'Helvetica-Bold', marginBottom: 12 },
  heading: { fontSize: 12, fontFamily: 'Helvetica-Bold', marginTop: 10, marginBottom: 6 },
  paragraph: { marginBottom: 6, lineHeight: 1.3 },
  factRow: { flexDirection: 'row', borderBottom: '0.5pt solid #ccc', paddingVertical: 3 },
  factLabel: { width: '35%', fontFamily: 'Helvetica-Bold' },
  factValue: { width: '65%' },
  tableHead: {
    flexDirection: 'row',
    backgroundColor: '#e8ecf1',
    fontFamily: 'Helvetica-Bold',
    paddingVertical: 3,
  },
  tableRow: { flexDirection: 'row', borderBottom: '0.5pt solid #ccc', paddingVertical: 2 },
  cell: { paddingHorizontal: 3, fontSize: CELL_FONT_SIZE },
  maps: { flexDirection: 'row', gap: 24 },
  slots: { flexDirection: 'row', gap: 14, marginTop: 4 },
  slotLabel: { fontSize: 8, color: '#333', marginBottom: 2 },
  slot: { width: 235, height: 78 },
});

function Frame({
  spec,
  children,
}: {
  spec: DocumentSpec;
  children: ReactElement | ReactElement[];
}) {
  return (
    <Page size="A4" style={styles.page}>
      <View style={styles.header} fixed>
        <Text style={styles.marking}>{pdfSafe(spec.marking)}</Text>
        <View style={styles.headerLine}>
          <Text>{pdfSafe(spec.title)}</Text>
          <Text>{pdfSafe(`${spec.reference} · ${versionLabel(spec.version)}`)}</Text>
        </View>
      </View>
      {children}
      <View style={styles.footer} fixed>
        <View style={styles.footerLine}>
          <Text>{pdfSafe(`${spec.issuer} · ${spec.date}`)}</Text>
          <Text
            render={({ pageNumber, totalPages }) =>
              spec.pageLabel
                .replace('{page}', String(pageNumber))
                .replace('{pages}', String(totalPages))
            }
          />
        </View>
        <Text style={styles.marking}>{pdfSafe(spec.marking)}</Text>
      </View>
    </Page>
  );
}

function Heading({ text }: { text: string | undefined }) {
  return <Text style={styles.heading}>{pdfSafe(text ?? '')}</Text>;
}

function sectionBody(section: Section, rows?: string[][]): ReactElement {
  switch (section.type) {
    case 'facts':
      return (
        <View>
          <Heading text={section.heading} />
          {section.rows.map(([label, value], i) => (
            <View key={i} style={styles.factRow} wrap={false}>
              <Text style={styles.factLabel}>{pdfSafe(label)}</Text>
              <Text style={styles.factValue}>{pdfSafe(value)}</Text>
            </View>
          ))}
        </View>
      );
    case 'paragraphs':
      return (
        <View>
          <Heading text={section.heading} />
          {section.paragraphs.map((p, i) => (
            <Text key={i} style={styles.paragraph}>
              {pdfSafe(p)}
            </Text>
          ))}
        </View>
      );
    case 'table': {
      // Over the whole table, so that its columns stand alike on every page.
      const widths = columnWidths(
        section.columns.map(pdfSafe),
        section.rows.map((row) => row.map(pdfSafe)),
        section.widths,
      );
      return (
        <View>
          <Heading text={section.heading} />
          <View style={styles.tableHead}>
            {section.columns.map((c, i) => (
              <Text key={i} style={[styles.cell, { width: `${widths[i]}%` }]}>
                {pdfSafe(c)}
              </Text>
            ))}
          </View>
          {(rows ?? section.rows).map((row, r) => (
            <View key={r} style={styles.tableRow} wrap={false}>
              {row.map((value, i) => (
                <Text key={i} style={[styles.cell, { width: `${widths[i]}%` }]}>
                  {pdfSafe(value)}
                </Text>
              ))}
            </View>
          ))}
        </View>
      );
    }
    case 'signatures':
      // Each box is a link to `awb-signature-slot:N`: the signer reads the box's rectangle from
      // the link, removes the link, and draws its block there (electron/signing/sign.ts).
      return (
        <View wrap={false}>
          <Heading text={section.heading} />
          <View style={styles.slots}>
            {section.slots.map((slot, i) => (
              <View key={i}>
                <Text style={styles.slotLabel}>{pdfSafe(slot.label)}</Text>
                <Link src={`${SIGNATURE_SLOT_SCHEME}${i}`} style={styles.slot}>
                  <View style={styles.slot} />
                </Link>
              </View>
            ))}
          </View>
        </View>
      );
    case 'heatmap':
      return (
        <View>
          <Heading text={section.heading} />
          <View style={styles.maps}>
            {section.maps.map((map, m) => (
              <View key={m}>
                <Text style={{ fontFamily: 'Helvetica-Bold', marginBottom: 4 }}>
                  {pdfSafe(map.title)}
                </Text>
                <Svg
                  width={map.width * 0.8}
                  height={map.height * 0.8}
                  viewBox={`0 0 ${map.width} ${map.height}`}
                >
                  {map.cells.map((c, i) => (
                    <Rect
                      key={i}
                      x={c.x + 1}
                      y={c.y + 1}
                      width={c.size - 2}
                      height={c.size - 2}
                      fill={c.fill}
                      fillOpacity={c.count ? 0.95 : 0.3}
                    />
                  ))}
                  {map.cells
                    .filter((c) => c.count > 0)
                    .map((c, i) => (
                      <Text
                        key={`n${i}`}
                        x={c.x + c.size / 2 - 4}
                        y={c.y + c.size / 2 + 5}
                        style={{ fontSize: 14, fontFamily: 'Helvetica-Bold' }}
                      >
                        {String(c.count)}
                      </Text>
                    ))}
                </Svg>
                <Text style={{ fontSize: 7 }}>
                  {pdfSafe(
                    `${section.axes.likelihood} ↑ · ${section.axes.impact} → · ` +
                      map.cells
                        .filter((c) => c.count)
                        .map((c) => `(${c.likelihood},${c.impact}): ${c.count}`)
                        .join('  '),
                  )}
                </Text>
              </View>
            ))}
          </View>
        </View>
      );
  }
}

/** Long tables continue on following pages; every other section starts on its own page only when it is the first. */
export function DocumentLayout({ spec }: { spec: DocumentSpec }) {
  const pages: ReactElement[][] = [
    [
      <Text key="title" style={styles.title}>
        {pdfSafe(spec.title)}
      </Text>,
    ],
  ];
  spec.sections.forEach((section, s) => {
    if (section.type === 'table' && section.rows.length > ROWS_PER_PAGE) {
      for (let start = 0; start < section.rows.length; start += ROWS_PER_PAGE) {
        pages.push([
          <View key={`${s}-${start}`}>
            {sectionBody(section, section.rows.slice(start, start + ROWS_PER_PAGE))}
          </View>,
        ]);
      }
      pages.push([]);
      return;
    }
    pages[pages.length - 1]!.push(<View key={s}>{sectionBody(section)}</View>);
  });
  return (
    <Document
      title={pdfSafe(spec.title)}
      author={pdfSafe(spec.issuer)}
      subject={pdfSafe(spec.reference)}
      keywords={spec.keywords?.map(pdfSafe).join(' ')}
      creator="Accreditation Workbench"
      producer="Accreditation Workbench"
    >
      {pages
        .filter((p) => p.length)
        .map((children, i) => (
          <Frame key={i} spec={spec}>
            {children}
          </Frame>
        ))}
    </Document>
  );
}
