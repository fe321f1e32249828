import { createEffect } from 'solid-js';

/** Sets the document title for the page being shown: "Inbox · ATUM DESK". */
export function usePageTitle(title: () => string): void {
  createEffect(() => {
    document.title = `${title()} · ATUM DESK`;
  });
}
