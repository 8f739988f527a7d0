/** The one row of an empty table: what is not here yet, and how it gets here. */
export function EmptyRow({ span, text }: { span: number; text: string }) {
  return (
    <tr>
      <td colSpan={span} className="empty-inline">
        {text}
      </td>
    </tr>
  );
}
