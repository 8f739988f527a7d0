/** Export a list as CSV (marking on the first line) and, where allowed, import one with a per-row report. */
import { useRef, useState } from 'react';
import { call } from '../api';
import { issueText } from '../../../shared/i18n/issues';
import { useT } from '../i18n';
import { TableHead } from './TableHead';
import { useLanguage } from '../stores/preferences';

export function CsvTools({
  kind,
  importable,
  onImported,
}: {
  kind: 'systems' | 'records' | 'people';
  importable: boolean;
  onImported?: () => void;
}) {
  const t = useT();
  const language = useLanguage();
  const input = useRef<HTMLInputElement>(null);
  const [report, setReport] = useState<{
    imported: number;
    errors: { line: number; field: string; message: string }[];
  } | null>(null);

  async function exportList() {
    const file = await call('csv:export', { kind, language });
    if (!file) {
      return;
    }
    const url = URL.createObjectURL(new Blob([file.content], { type: 'text/csv;charset=utf-8' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = file.fileName;
    link.click();
    URL.revokeObjectURL(url);
  }

  async function importFile(file: File | undefined) {
    if (!file || kind === 'records') {
      return;
    }
    const result = await call('csv:import', { kind, content: await file.text() });
    if (result) {
      setReport(result);
      if (result.imported > 0) {
        onImported?.();
      }
    }
    if (input.current) {
      input.current.value = '';
    }
  }

  return (
    <div className="csv-tools">
      <button type="button" className="secondary" onClick={() => void exportList()}>
        {t('csv.export')}
      </button>
      {importable ? (
        <label className="button secondary file-button">
          {t('csv.import')}
          <input
            ref={input}
            type="file"
            accept=".csv,text/csv"
            className="visually-hidden"
            onChange={(e) => void importFile(e.target.files?.[0])}
            data-testid={`csv-import-${kind}`}
          />
        </label>
      ) : null}
      {report ? (
        <div className="csv-report" role="status" data-testid="csv-report">
          {report.errors.length === 0 ? (
            <p>{t('csv.imported', { n: report.imported })}</p>
          ) : (
            <>
              <p className="form-error">{t('csv.rejected', { n: report.errors.length })}</p>
              <table className="table">
                <TableHead columns={['csv.line', 'csv.field', 'csv.problem']} />
                <tbody>
                  {report.errors.slice(0, 200).map((e, i) => (
                    <tr key={i}>
                      <td>{e.line}</td>
                      <td className="mono">{e.field}</td>
                      <td>{issueText(language, { ...e, path: e.field })}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </div>
      ) : null}
    </div>
  );
}
