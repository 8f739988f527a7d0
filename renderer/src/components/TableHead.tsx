import type { MessageKey } from '../../../shared/i18n';
import { useT } from '../i18n';

/** A table header whose column titles are translation keys. */
export function TableHead({ columns }: { columns: readonly MessageKey[] }) {
  const t = useT();
  return (
    <thead>
      <tr>
        {columns.map((k) => (
          <th key={k} scope="col">
            {t(k)}
          </th>
        ))}
      </tr>
    </thead>
  );
}
