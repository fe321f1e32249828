/**
 * Moves the focus to the next (`1`) or previous (`-1`) row of the list on the page: to its
 * `[data-row-focus]` element (the title link), starting from the row that holds the focus now.
 */
export function moveRowFocus(delta: 1 | -1, root: ParentNode = document): void {
  const targets = Array.from(root.querySelectorAll<HTMLElement>('[data-row] [data-row-focus]'));
  if (targets.length === 0) return;
  const currentRow = (document.activeElement as HTMLElement | null)?.closest?.('[data-row]');
  const index = targets.findIndex((target) => target.closest('[data-row]') === currentRow);
  const next =
    index < 0
      ? delta > 0
        ? 0
        : targets.length - 1
      : Math.min(targets.length - 1, Math.max(0, index + delta));
  targets[next]?.focus();
}

/** The `data-row` value of the row that holds the focus (a ticket id), if any. */
export function focusedRowId(): string | undefined {
  const row = (document.activeElement as HTMLElement | null)?.closest?.<HTMLElement>('[data-row]');
  return row?.dataset.row;
}
